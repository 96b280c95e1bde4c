"""Repairing the slot file (app/store/slot_repair.py; issue 9, hardening).

An orphan slot (no user in ``users``, or only a removed one) opens the data key and no user
command can remove it: ``prune_orphan_slots`` does.  A committed user without a slot (a
crash after the import's COMMIT) cannot log in until ``issue_slots`` gives them one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import clock
from app.crypto.keyslots import KdfParams, SlotFile
from app.errors import AuthError, InputError
from app.store import slot_repair
from app.store.layout import SLOTS_NAME
from app.store.store import Store
from tests.app.store.support import _add_user, _open
from tests.conftest import OTHER_PASSPHRASE

THIRD = "a third long passphrase"


def _audit(store: Store, name: str) -> list[dict[str, object]]:
    rows = store.conn.execute("SELECT attributes FROM audit WHERE name = ?", (name,))
    return [json.loads(r[0]) for r in rows]


def _insert_user(store: Store, username: str, *, removed: bool = False) -> None:
    """A ``users`` row as a crash between COMMIT and slot file leaves it: no slot."""
    now = clock.utc_now_iso()
    with store.transaction():
        store.conn.execute(
            "INSERT INTO users(username, display_name, role, party_id, created_at, removed_at)"
            " VALUES (?, ?, 'deelnemer', 'politie-rotterdam', ?, ?)",
            (username, username.title(), now, now if removed else None))


def test_prune_removes_a_planted_orphan_slot(folder: Path, kdf: KdfParams) -> None:
    """issue 9, hardening: a slot for a user who is not in ``users`` (as a SIGKILL during
    an import could leave it) is found by slot id, removed from the slot file on disk and
    logged with its count only; afterwards it opens nothing and the rest still works."""
    with _open(folder) as store:
        store.slots.add("ghost", OTHER_PASSPHRASE, store.data_key, kdf)
        store.write_slots()
    assert SlotFile.read(folder / SLOTS_NAME).unlock("ghost", OTHER_PASSPHRASE)
    with _open(folder) as store:
        ghost_id = store.slots.slot_id_for("ghost")
        assert slot_repair.orphan_slot_ids(store) == [ghost_id]
        assert slot_repair.prune_orphan_slots(store) == 1
        assert slot_repair.orphan_slot_ids(store) == []
        assert _audit(store, "admin.slot_pruned") == [{"count": 1}]
        assert "ghost" not in json.dumps(_audit(store, "admin.slot_pruned"))
    on_disk = SlotFile.read(folder / SLOTS_NAME)
    assert [s.slot_id for s in on_disk.slots] == [on_disk.slot_id_for("beheer")]
    with pytest.raises(AuthError):
        on_disk.unlock("ghost", OTHER_PASSPHRASE)
    with _open(folder) as store:
        before = (folder / SLOTS_NAME).read_bytes()
        assert slot_repair.prune_orphan_slots(store) == 0  # nothing to do: nothing written
        assert (folder / SLOTS_NAME).read_bytes() == before
        assert store.audit.verify().ok


def test_a_removed_users_slot_is_an_orphan(folder: Path, kdf: KdfParams) -> None:
    """issue 9, hardening: a slot whose user is marked removed counts as an orphan too
    (the brief: no ``users`` row that is not removed); current users keep theirs."""
    with _open(folder) as store:
        _add_user(store, kdf, "jan", OTHER_PASSPHRASE)
        _add_user(store, kdf, "piet", THIRD)
        with store.transaction():
            store.conn.execute("UPDATE users SET removed_at = ? WHERE username = 'jan'",
                               (clock.utc_now_iso(),))
        assert slot_repair.orphan_slot_ids(store) == [store.slots.slot_id_for("jan")]
        assert slot_repair.prune_orphan_slots(store) == 1
    with pytest.raises(AuthError):
        _open(folder, "jan", OTHER_PASSPHRASE)
    with _open(folder, "piet", THIRD) as store:
        assert store.user.username == "piet"


def test_prune_keeps_memory_and_disk_alike_when_writing_fails(
    folder: Path, kdf: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 9, hardening: if the slot file cannot be written, the audit entry is rolled
    back and the slots in memory are what is on disk again."""
    with _open(folder) as store:
        store.slots.add("ghost", OTHER_PASSPHRASE, store.data_key, kdf)
        store.write_slots()
        before = (folder / SLOTS_NAME).read_bytes()

        def fail() -> None:
            raise OSError("disk full")

        monkeypatch.setattr(store, "write_slots", fail)
        with pytest.raises(OSError, match="disk full"):
            slot_repair.prune_orphan_slots(store)
        assert store.slots.to_bytes() == before
        assert _audit(store, "admin.slot_pruned") == []
    assert (folder / SLOTS_NAME).read_bytes() == before


def test_a_user_without_slot_can_be_issued_one(folder: Path, kdf: KdfParams) -> None:
    """issue 9, hardening: a committed user without a slot (a crash after the import's
    COMMIT) cannot log in; ``issue_slots`` gives them one (audited with the count), and
    refuses users who have a slot, are removed or do not exist."""
    with _open(folder) as store:
        _insert_user(store, "kees")
        _insert_user(store, "oud", removed=True)
        assert slot_repair.slotless_users(store) == ["kees"]
        assert slot_repair.orphan_slot_ids(store) == []
    with pytest.raises(AuthError):
        _open(folder, "kees", OTHER_PASSPHRASE)
    with _open(folder) as store:
        for names in (["beheer"], ["oud"], ["niemand"], []):
            with pytest.raises(InputError) as info:
                slot_repair.issue_slots(store, names, OTHER_PASSPHRASE, kdf)
            assert info.value.code == "user.has_slot"
        assert slot_repair.issue_slots(store, ["Kees"], OTHER_PASSPHRASE, kdf) == 1
        assert slot_repair.slotless_users(store) == []
        assert _audit(store, "admin.slot_issued") == [{"count": 1}]
    with _open(folder, "kees", OTHER_PASSPHRASE) as store:
        assert store.user.username == "kees"
