"""The motivation of a retention extension under a row key, tested as a hostile insider
would (issue 9, point 1; schema 21).

A case is kept longer only by a motivated decision of the partners, recorded in the file
by the case's procesregisseur (ZVH 11.3-11.5).  That motivation is free text about the
case and is shown nowhere, so its key goes to the case's directors only: their script
opens it, no other user's does, and the data key reads it in no column.
"""

from __future__ import annotations

from pathlib import Path

from app.policy.retention import add_months
from app.services import retention
from tests.app.services import test_services as ts
from tests.app.test_insider_joint import _store_id
from tests.app.test_insider_notes import _admin_conn, note_loot
from tests.conftest import DemoStoreFactory

MOTIVATION = "MOTIVATIE-1 partners: de zoon keert terug uit detentie"


def motivation_loot(folder: Path, username: str, store_id: str) -> dict[int, str]:
    """Every motivation ``username`` decrypts with a script: row id -> words."""
    return {row_id: fields["motivation"] for (_kind, row_id), fields in note_loot(
        folder, username, store_id, {"extension": "retention_extensions"}).items()}


def test_zvh_11_3_the_motivation_to_keep_a_case_longer_is_the_directors(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 11.3-11.5: the procesregisseur records an extension; the motivation is in no
    column the data key reads; the procesregisseur's script decrypts it; the police and
    the municipality at the case's table, and the privacy officer, do not."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    with ts._open(folder, ts.CHAIR) as session:
        retention.extend(session, ref, add_months(ts.TODAY, 72), MOTIVATION)
    conn = _admin_conn(folder)
    rows = conn.execute("SELECT id, motivation, content FROM retention_extensions").fetchall()
    conn.close()
    assert len(rows) == 1
    row_id, clear, content = rows[0]
    assert clear == ""
    assert content is not None
    assert MOTIVATION.encode() not in bytes(content)
    store_id = _store_id(folder)
    assert motivation_loot(folder, ts.CHAIR, store_id) == {int(row_id): MOTIVATION}
    for user in (ts._user(ts.POLICE), ts._user(ts.RDAM), ts.PRIVACY_OFFICER):
        assert motivation_loot(folder, user, store_id) == {}, user
