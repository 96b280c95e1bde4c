"""Unit tests of the audit chain (app/audit/trail.py) on a plain in-memory database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from app.errors import StoreError
from app.store.audit import (
    GENESIS,
    AuditEvent,
    AuditTrail,
    read_head,
    verify,
    write_head,
)
from app.store.layout import HEAD_NAME
from app.store.migrations import _statements

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    """An in-memory database with schema 1, audit triggers dropped so tests can tamper."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    sql = (resources.files("app.store.schema") / "0001_foundation.sql").read_text("utf-8")
    for statement in _statements(sql):
        db.execute(statement)
    yield db
    db.close()


def _untriggered(db: sqlite3.Connection) -> None:
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("DROP TRIGGER audit_no_delete")


def _append(trail: AuditTrail, db: sqlite3.Connection, n: int, *, flush: bool = True) -> list[int]:
    """Append ``n`` entries, each in its own committed transaction."""
    seqs = []
    for i in range(n):
        db.execute("BEGIN IMMEDIATE")
        seqs.append(trail.append(AuditEvent(name="test.event", username="beheer",
                                            party_id="gemeente-rotterdam",
                                            attributes={"i": i})))
        db.execute("COMMIT")
        if flush:
            trail.flush_head()
    return seqs


def _trail(db: sqlite3.Connection, folder: Path, key: bytes = KEY) -> AuditTrail:
    return AuditTrail(db, key, folder)


def test_empty_trail_without_head_verifies(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """A new trail with no entries and no head file is OK."""
    trail = _trail(conn, tmp_path)
    assert not trail.head_frozen
    result = trail.verify()
    assert result.ok
    assert result.entries == 0


def test_chain_links_every_entry_to_the_previous(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """Entries get consecutive seqs, distinct MACs, and verify walks the whole chain."""
    trail = _trail(conn, tmp_path)
    assert _append(trail, conn, 5) == [1, 2, 3, 4, 5]
    macs = [r[-1] for r in trail.rows()]
    assert len(set(macs)) == 5
    assert GENESIS not in macs
    result = trail.verify()
    assert result.ok, result
    assert result.entries == 5
    assert read_head(tmp_path / HEAD_NAME, KEY) == (5, macs[-1])


def test_event_fields_are_stored(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """The Logboek Dataverwerkingen fields are filled: 16-byte trace, 8-byte span, times."""
    trail = _trail(conn, tmp_path)
    conn.execute("BEGIN")
    trail.append(AuditEvent(name="case.read", username="beheer", object_type="case",
                            object_id="c-1", data_subject_id="b-9",
                            data_subject_id_type="betrokkene-id",
                            attributes={"grondslag": "art. 5"}))
    conn.execute("COMMIT")
    row = conn.execute(
        "SELECT trace_id, span_id, name, status, start_time, end_time, object_id,"
        " data_subject_id, attributes FROM audit"
    ).fetchone()
    assert len(row[0]) == 32
    assert len(row[1]) == 16
    assert row[2:4] == ("case.read", "ok")
    assert row[4] <= row[5]
    assert row[6:8] == ("c-1", "b-9")
    assert json.loads(row[8]) == {"grondslag": "art. 5"}


def test_verify_with_the_wrong_key_fails(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """Only the audit key verifies the chain (and its head)."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 3)
    result = verify(trail.rows(), OTHER_KEY, tmp_path / HEAD_NAME)
    assert not result.ok


def test_edited_entry_is_detected(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """Changing any field of an entry breaks the chain at that entry."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 5)
    _untriggered(conn)
    conn.execute("UPDATE audit SET attributes = '{\"i\": 99}' WHERE seq = 3")
    result = trail.verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert result.problem == "entry altered or moved"


def test_deleted_entry_is_detected(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """A deleted entry in the middle shows as a missing sequence number."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 5)
    _untriggered(conn)
    conn.execute("DELETE FROM audit WHERE seq = 2")
    result = trail.verify()
    assert not result.ok
    assert result.broken_seq == 2
    assert result.problem == "entry missing or out of order"


def test_swapped_entries_are_detected(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """Two entries swapped in order (sequence numbers exchanged) break the chain."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 5)
    _untriggered(conn)
    conn.execute("UPDATE audit SET seq = -1 WHERE seq = 2")
    conn.execute("UPDATE audit SET seq = 2 WHERE seq = 3")
    conn.execute("UPDATE audit SET seq = 3 WHERE seq = -1")
    result = trail.verify()
    assert not result.ok
    assert result.broken_seq == 2


def test_cut_off_tail_is_detected(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """Deleting the newest entries is caught by the head file kept outside the database."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 5)
    _untriggered(conn)
    conn.execute("DELETE FROM audit WHERE seq > 3")
    result = trail.verify()
    assert not result.ok
    assert result.problem == "newest entries cut off"
    assert result.entries == 3


def test_cut_off_all_entries_is_detected(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """Emptying the audit table entirely is a cut-off, not an empty trail."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 2)
    _untriggered(conn)
    conn.execute("DELETE FROM audit")
    assert not trail.verify().ok


def test_cut_off_then_new_entries_stay_broken(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """After a cut-off, a reopened trail freezes its head; refilling the chain past the old
    head does not hide the cut-off."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 5)
    _untriggered(conn)
    conn.execute("DELETE FROM audit WHERE seq > 2")
    reopened = _trail(conn, tmp_path)
    assert reopened.head_frozen
    head_before = (tmp_path / HEAD_NAME).read_bytes()
    _append(reopened, conn, 6)
    assert (tmp_path / HEAD_NAME).read_bytes() == head_before
    result = reopened.verify()
    assert not result.ok
    assert result.broken_seq == 5


def test_forged_head_file_is_detected(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """A head file whose tag does not match (edited seq) is reported, and freezes the head."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 4)
    head = tmp_path / HEAD_NAME
    doc = json.loads(head.read_bytes())
    doc["seq"] = 2
    head.write_text(json.dumps(doc))
    with pytest.raises(StoreError) as info:
        read_head(head, KEY)
    assert info.value.code == "audit.head_damaged"
    result = trail.verify()
    assert not result.ok
    assert result.problem == "head file damaged or forged"
    assert _trail(conn, tmp_path).head_frozen


def test_head_written_with_another_key_is_forged(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """A head file tagged under another key (e.g. made by an attacker) is refused."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 3)
    last_mac = str(list(trail.rows())[-1][-1])
    write_head(tmp_path / HEAD_NAME, OTHER_KEY, 3, last_mac)
    assert not trail.verify().ok


@pytest.mark.parametrize("content", [b"", b"not json", b'{"seq": 1}', b"[1, 2]"])
def test_garbage_head_file_is_damaged(
    conn: sqlite3.Connection, tmp_path: Path, content: bytes
) -> None:
    """An unreadable head file is reported as damaged, never a Python exception."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 2)
    (tmp_path / HEAD_NAME).write_bytes(content)
    result = trail.verify()
    assert not result.ok
    assert result.problem == "head file damaged or forged"


def test_missing_head_file_with_entries_is_detected(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """Deleting the head file does not make the trail look fresh; the head stays frozen."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 3)
    (tmp_path / HEAD_NAME).unlink()
    assert read_head(tmp_path / HEAD_NAME, KEY) is None
    result = trail.verify()
    assert not result.ok
    assert result.problem == "head file missing"
    reopened = _trail(conn, tmp_path)
    assert reopened.head_frozen
    _append(reopened, conn, 1)
    assert not (tmp_path / HEAD_NAME).exists()
    assert not reopened.verify().ok


def test_database_ahead_of_head_is_accepted(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """A crash between COMMIT and the head write leaves the database ahead: that is OK, and
    the reopened trail is not frozen, so the head catches up on the next write."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 3)
    _append(trail, conn, 2, flush=False)  # committed, head not written ("crash")
    assert read_head(tmp_path / HEAD_NAME, KEY)[0] == 3  # type: ignore[index]
    result = trail.verify()
    assert result.ok, result
    assert result.entries == 5
    reopened = _trail(conn, tmp_path)
    assert not reopened.head_frozen
    _append(reopened, conn, 1)
    assert read_head(tmp_path / HEAD_NAME, KEY)[0] == 6  # type: ignore[index]
    assert reopened.verify().ok


def test_head_entry_replaced_is_detected(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """Cutting the tail and re-appending forged entries with the right key but different
    content still mismatches the head entry."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 4)
    _untriggered(conn)
    conn.execute("DELETE FROM audit WHERE seq = 4")
    # The forger holds the audit key but leaves the head file as it was.
    trail.head_frozen = True
    _append(trail, conn, 1)
    result = trail.verify()
    assert not result.ok
    assert result.broken_seq == 4
    assert result.problem == "entry does not match the head file"


def test_rollback_does_not_move_the_head(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """After a rolled-back append, discard_pending keeps the head where it was."""
    trail = _trail(conn, tmp_path)
    _append(trail, conn, 2)
    head = (tmp_path / HEAD_NAME).read_bytes()
    conn.execute("BEGIN")
    trail.append(AuditEvent(name="x", username="beheer"))
    conn.execute("ROLLBACK")
    trail.discard_pending()
    trail.flush_head()
    assert (tmp_path / HEAD_NAME).read_bytes() == head
    assert trail.verify().ok


def test_head_file_holds_no_personal_data(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """The head file is a number and two MACs: no user name, no event name, no attributes."""
    trail = _trail(conn, tmp_path)
    conn.execute("BEGIN")
    trail.append(AuditEvent(name="case.read", username="Henkie.Geheim",
                            attributes={"note": "Geheimpje"}))
    conn.execute("COMMIT")
    trail.flush_head()
    raw = (tmp_path / HEAD_NAME).read_bytes()
    assert set(json.loads(raw)) == {"seq", "mac", "tag"}
    for needle in (b"Henkie", b"Geheim", b"case.read"):
        assert needle not in raw
