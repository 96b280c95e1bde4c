"""Why a warned party is invited anyway, under a row key, tested as a hostile insider
would (issue 9, point 1; schema 20).

The chair records why a party is invited for a case although it may not lawfully be
present as things stand: the case holds police data and the party is no recipient of the
art. 20 Wpg decision (ZVH 6.4d, 7.1, 13.2).  That reason names the warning, so its key
goes to the case's directors only, who see every item anyway (ZVH 9.6), and the meeting
dashboard shows it to them alone.  Each user opens the store with their own passphrase
and ``sqlcipher3`` and tries every seal with every key they reach; the data key alone
reads none of it.
"""

from __future__ import annotations

from pathlib import Path

import sqlcipher3

from app.services import agenda, meetings
from app.views import ViewKind, ViewSpec
from tests.app import test_insider as ins
from tests.app.services import test_services as ts
from tests.app.test_insider_joint import _store_id, row_keys
from tests.app.test_insider_notes import _admin_conn, note_loot
from tests.conftest import DemoStoreFactory

REASON = "REDEN-1 jeugdige betrokken, alleen het jeugddeel"


def reason_loot(folder: Path, username: str, store_id: str) -> dict[int, str]:
    """Every invitation reason ``username`` decrypts with a script: row id -> words."""
    return {row_id: fields["reason"] for (_kind, row_id), fields in note_loot(
        folder, username, store_id, {"invitation": "invitation_reasons"}).items()}


def _clear_reasons(conn: sqlcipher3.Connection) -> list[str]:
    """Every reason the data key reads in clear, in either table."""
    return [str(r[0]) for r in conn.execute(
        "SELECT reason FROM invitations WHERE reason != ''"
        " UNION ALL SELECT reason FROM invitation_reasons WHERE reason != ''")]


def _invite_halt(folder: Path, reason: str = REASON) -> tuple[str, int]:
    """A case with a police item; the chair invites HALT (no recipient of the art. 20
    Wpg decision) and the police for it, with ``reason`` for HALT."""
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    ts._item(folder, ts._user(ts.POLICE), ref, "Aangifte", category="police",
             legal_basis=ts.POLICE_BASIS)
    with ts._open(folder, ts.CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=ts._at(2), place="Stadhuis")
        for party in (ts.HALT, ts.POLICE):
            meetings.set_attendee(session, mid, party, present=True)
        warned = agenda.invite(session, mid, ref, [ts.HALT, ts.POLICE],
                               reasons={ts.HALT: reason})
    assert [(w.party.id, w.code) for w in warned if w.needs_reason] == [
        (ts.HALT, "invite.police")]
    return ref, mid


def test_zvh_13_2_the_reason_for_inviting_a_warned_party_is_the_directors(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 13.2, 6.4d, 9.6: the reason HALT is invited anyway is in no column the data
    key reads; the procesregisseur's script decrypts it and their meeting dashboard shows
    it; the police and HALT at the same table, and the privacy officer, decrypt nothing
    of it and are shown nothing of it."""
    folder = demo_store(ts.SPEC)
    ref, mid = _invite_halt(folder)
    store_id = _store_id(folder)
    conn = _admin_conn(folder)
    assert _clear_reasons(conn) == []
    stored = conn.execute("SELECT id, content FROM invitation_reasons WHERE meeting_id = ?",
                          (mid,)).fetchall()
    assert len(stored) == 1
    assert stored[0][1] is not None
    assert REASON.encode() not in bytes(stored[0][1])
    conn.close()
    row_id = int(stored[0][0])
    assert reason_loot(folder, ts.CHAIR, store_id) == {row_id: REASON}
    for user in (ts._user(ts.POLICE), ts._user(ts.HALT), ts.PRIVACY_OFFICER):
        assert row_id not in reason_loot(folder, user, store_id), user
    with ts._open(folder, ts.CHAIR) as session:
        shown = {e.row.reference: e.invited_anyway
                 for e in meetings.meeting_view(session, mid).agenda}
    assert [(p.id, why) for p, why in shown[ref]] == [(ts.HALT, REASON)]
    # Not in a look as the table (what the beamer shows), even for the director.
    with ts._open(folder, ts.CHAIR) as session:
        table = ViewSpec(ViewKind.TABLE, frozenset({ts.HALT, ts.POLICE}), mid)
        as_table = {e.row.reference: e.invited_anyway
                    for e in meetings.meeting_view(session, mid, table).agenda}
    assert as_table[ref] == ()
    for user in (ts._user(ts.POLICE), ts._user(ts.HALT)):
        with ts._open(folder, user) as session:
            seen = {e.row.reference: e for e in meetings.meeting_view(session, mid).agenda}
        assert ts.HALT in {p.id for p in seen[ref].invited}, user
        assert seen[ref].invited_anyway == (), user


def test_zvh_13_2_a_new_reason_replaces_the_old_under_a_new_key(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 13.2: inviting HALT again with another reason writes the new words under a
    new key generation; the seal the procesregisseur held for the old words does not
    open the new ones, and nothing is left in clear."""
    folder = demo_store(ts.SPEC)
    ref, mid = _invite_halt(folder)
    store_id = _store_id(folder)
    conn, keys = row_keys(folder, ts.CHAIR, store_id)
    (row_id, gen), = conn.execute(
        "SELECT id, key_gen FROM invitation_reasons WHERE meeting_id = ?", (mid,)).fetchall()
    conn.close()
    old_key = keys[("invitation", int(row_id), int(gen))]
    with ts._open(folder, ts.CHAIR) as session:
        agenda.invite(session, mid, ref, [ts.HALT, ts.POLICE],
                      reasons={ts.HALT: "REDEN-2 de jeugdige is nu meerderjarig"})
    conn = _admin_conn(folder)
    (new_gen, content), = conn.execute(
        "SELECT key_gen, content FROM invitation_reasons WHERE id = ?", (row_id,)).fetchall()
    assert _clear_reasons(conn) == []
    conn.close()
    assert int(new_gen) > int(gen)
    assert ins._open_gcm(old_key, bytes(content),
                         f"joint|{store_id}|invitation|{row_id}|{new_gen}".encode()) is None
    assert reason_loot(folder, ts.CHAIR, store_id) == {
        int(row_id): "REDEN-2 de jeugdige is nu meerderjarig"}


def test_schema_20_moves_a_clear_reason_and_the_directors_login_encrypts_it(
        demo_store: DemoStoreFactory) -> None:
    """Issue 9 (schema 20): a store from before keeps the reason in ``invitations``; the
    migration moves it to a row of its own, and the next transaction of a director
    encrypts it; the words survive and no clear copy is left."""
    folder = demo_store(ts.SPEC)
    _ref, mid = _invite_halt(folder)
    conn = _admin_conn(folder)
    # As schema 19 left it: the reason in the invitation, no table of reasons.
    conn.execute("UPDATE invitations SET reason = ? WHERE meeting_id = ? AND party_id = ?",
                 ("REDEN-OUD uit schema 19", mid, ts.HALT))
    conn.execute("DELETE FROM joint_keys WHERE kind = 'invitation'")
    conn.execute("DROP TABLE invitation_reasons")
    # And without what schema 21 adds, so that the login migrates both.
    conn.execute("DROP INDEX retention_extensions_clear")
    for column in ("content", "key_gen", "rekey_due"):
        conn.execute(f"ALTER TABLE retention_extensions DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 19")
    conn.commit()
    assert [r[0] for r in conn.execute("SELECT reason FROM invitations WHERE reason != ''")
            ] == ["REDEN-OUD uit schema 19"]
    conn.close()
    with ts._open(folder, ts.CHAIR) as session:
        assert session.store.conn.execute("PRAGMA user_version").fetchone()[0] >= 20
    conn = _admin_conn(folder)
    assert _clear_reasons(conn) == []
    conn.close()
    assert list(reason_loot(folder, ts.CHAIR, _store_id(folder)).values()) == [
        "REDEN-OUD uit schema 19"]
