"""Witnesses of the audit chain outside the store folder (app/store/witness.py), issue 9:
a computer that saw entry N refuses a copy of the store that is behind N or went another
way, unless a signed ``store.restore`` entry supersedes what it saw."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.crypto.envelope import raw_public
from app.errors import StoreError
from app.i18n import language
from app.store import restorers, witness
from app.store.audit import (
    GENESIS,
    AuditEvent,
    AuditTrail,
    entry_hash,
    sign_entry,
    write_head,
)
from app.store.layout import HEAD_NAME
from app.store.migrations import migrate
from app.store.signing import KeySigner, register_key, root_key_id

STORE_ID = "c3" * 16
NOW = "2026-12-01T09:00:00+00:00"
_COLUMNS = ("seq", "trace_id", "span_id", "parent_span_id", "name", "status", "start_time",
            "end_time", "username", "party_id", "object_type", "object_id",
            "processing_activity_id", "data_subject_id", "data_subject_id_type", "attributes")

PLACE = Path("/srv/share/casustafel-store")
WID = witness.location_id(STORE_ID, PLACE)


@pytest.fixture(autouse=True)
def witness_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer's witness folder, private to the test."""
    path = tmp_path / "witness"
    monkeypatch.setenv(witness.ENV_DIR, str(path))
    return path


@dataclass
class Copy:
    """One copy of a store (database and folder) with users beheer (root) and alice."""

    conn: Any
    folder: Path
    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)

    def signer(self, user: str) -> KeySigner:
        return KeySigner.of(self.keys[user])

    def trail(self, user: str = "alice") -> AuditTrail:
        # Every copy is opened from the same place: an older copy put in place of the
        # store (the witness is kept per store and place, app.store.witness.location_id).
        return AuditTrail(self.conn, self.folder, STORE_ID, signer=self.signer(user),
                          legacy_key=None, place=PLACE)

    @property
    def root(self) -> str:
        root = root_key_id(self.conn)
        assert root is not None
        return root

    def write(self, n: int, user: str = "alice", *, name: str = "test.event",
              attributes: dict[str, object] | None = None,
              about: str | None = None) -> AuditTrail:
        """``n`` committed entries, each flushed (head file and witness); ``about``: the
        user an ``admin.*`` entry is about."""
        trail = self.trail(user)
        for i in range(n):
            self.conn.execute("BEGIN IMMEDIATE")
            trail.append(AuditEvent(name=name, username=user,
                                    object_type="user" if about else None, object_id=about,
                                    attributes=attributes if attributes is not None
                                    else {"i": i}))
            self.conn.execute("COMMIT")
            trail.flush_head()
        return trail

    def copy_to(self, folder: Path) -> Copy:
        """A byte copy as it is now: an older backup, once this one goes on."""
        db = sqlite3.connect(":memory:", isolation_level=None)
        self.conn.backup(db)
        folder.mkdir()
        shutil.copy(self.folder / HEAD_NAME, folder / HEAD_NAME)
        return Copy(db, folder, dict(self.keys))

    def check(self) -> None:
        witness.check(WID, self.trail(), self.root)


def _new_store(folder: Path) -> Copy:
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db)
    folder.mkdir()
    made = Copy(db, folder)
    for user, certifier in (("beheer", "beheer"), ("alice", "beheer")):
        made.keys[user] = Ed25519PrivateKey.generate()
        register_key(db, STORE_ID, user, raw_public(made.keys[user]),
                     made.signer(certifier), NOW)
    return made


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Copy]:
    """The store as the users work on it; no entries yet."""
    made = _new_store(tmp_path / "store")
    yield made
    made.conn.close()


def _seen() -> dict[str, Any]:
    return json.loads(witness._path(WID).read_bytes())


# --------------------------------------------------------------------------- remembering


def test_flush_remembers_the_newest_entry(store: Copy) -> None:
    """Issue 9: every flushed commit moves this computer's witness to the newest entry."""
    assert witness.superseded_attributes(WID) == {}
    store.write(3)
    head = store.trail().head()
    assert head is not None
    assert _seen() == {"format": 2, "store_id": WID, "seq": 3, "hash": head[1],
                       "root_key": store.root, "restorers": [restorers.tag(WID, "beheer")]}
    store.check()


def test_witness_only_moves_forward(store: Copy) -> None:
    """Issue 9: remembering an older seq (or a head under another root key) is a no-op."""
    store.write(3)
    before = _seen()
    tags = frozenset({restorers.tag(WID, "beheer")})
    witness.remember(WID, 2, "0" * 64, store.root, tags)
    witness.remember(WID, 3, "1" * 64, store.root, tags)
    witness.remember(WID, 9, "2" * 64, "another-root", tags)
    assert _seen() == before
    witness.remember(WID, 4, "3" * 64, store.root, tags)
    assert _seen()["seq"] == 4


def test_witness_file_holds_no_personal_data(store: Copy, witness_dir: Path) -> None:
    """Issue 9: the witness names the store, a seq, a hash and a key id; no username, no
    event name, no attributes, in the file or its name."""
    store.keys["henkie.geheim"] = Ed25519PrivateKey.generate()
    register_key(store.conn, STORE_ID, "henkie.geheim", raw_public(store.keys["henkie.geheim"]),
                 store.signer("beheer"), NOW)
    store.write(1, "henkie.geheim", name="case.read", attributes={"note": "Geheimpje"})
    files = list(witness_dir.iterdir())
    assert [f.name for f in files] == [f"{WID}.json"]
    raw = files[0].read_bytes()
    assert set(json.loads(raw)) == {"format", "store_id", "seq", "hash", "root_key",
                                    "restorers"}
    for needle in (b"henkie", b"geheim", b"Geheim", b"case.read", b"alice", b"beheer"):
        assert needle not in raw


def test_frozen_head_does_not_move_the_witness(store: Copy) -> None:
    """Issue 9: when the head file and the database disagree, the trail writes neither the
    head nor the witness: the evidence stays."""
    store.write(3)
    before = _seen()
    (store.folder / HEAD_NAME).unlink()
    trail = store.write(2)
    assert trail.head_frozen
    assert _seen() == before


def test_witness_folder_default_is_the_user_data_dir(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    """Issue 9: without the override the witness lives in the user's own data folder
    (platformdirs), not in the store folder."""
    monkeypatch.delenv(witness.ENV_DIR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert witness.witness_dir() == tmp_path / "data" / "casustafel" / "witness"


# --------------------------------------------------------------------------- refusing


def test_store_behind_the_witness_is_refused(store: Copy, tmp_path: Path) -> None:
    """Issue 9: an older copy put in place of the store (database, slots and head file
    together; every entry validly signed, so verify is OK) is refused, naming the numbers.
    Today nothing outside the store folder remembers the chain, so this went unnoticed."""
    store.write(3)
    older = store.copy_to(tmp_path / "older")
    store.write(4)
    assert older.trail().verify().ok
    with pytest.raises(StoreError) as info:
        older.check()
    error = info.value
    assert error.code == "store.rolled_back"
    assert error.params == {"seen": 7, "have": 3, "first": 4}
    message = error.user_message()
    assert "entry 3" in message
    assert "entry 7" in message
    assert "entries 4 to 7" in message
    with language("nl"):
        dutch = error.user_message()
    assert dutch != message
    assert "4" in dutch
    assert "7" in dutch


def test_forked_store_is_refused(store: Copy, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9: a copy that went another way (its own, validly signed entries where this
    computer saw others) is refused at the remembered seq, also when it is longer."""
    store.write(2)
    fork = store.copy_to(tmp_path / "fork")
    store.write(2)
    with monkeypatch.context() as elsewhere:  # the fork grows on another computer
        elsewhere.setenv(witness.ENV_DIR, str(tmp_path / "other-computer"))
        fork.write(5, attributes={"other": True})
    assert fork.trail().verify().ok
    with pytest.raises(StoreError) as info:
        fork.check()
    assert info.value.code == "store.forked"
    assert info.value.params == {"seen": 4, "have": 7}
    assert "Entry 4" in info.value.user_message()


def test_insider_rewrite_of_the_whole_suffix_is_caught_by_the_witness(store: Copy) -> None:
    """Issue 9: bob holds the database key and a trusted key.  He deletes alice's last
    entries and appends his own, signed with his key, and signs a new head file: inside
    the store everything verifies; alice's computer remembers her entry and refuses."""
    store.keys["bob"] = Ed25519PrivateKey.generate()
    register_key(store.conn, STORE_ID, "bob", raw_public(store.keys["bob"]),
                 store.signer("beheer"), NOW)
    store.write(3)
    seen = _seen()
    store.conn.execute("DROP TRIGGER audit_no_delete")
    store.conn.execute("DELETE FROM audit WHERE seq >= 2")
    bob = store.signer("bob")
    previous = store.conn.execute("SELECT mac FROM audit WHERE seq = 1").fetchone()[0]
    for seq in (2, 3, 4):
        row = (seq, "ab" * 16, "cd" * 8, None, "test.event", "ok", NOW, NOW, "bob", None,
               None, None, None, None, None, "{}")
        digest = entry_hash(previous, row, bob.key_id)
        sig = sign_entry(bob, STORE_ID, digest)
        store.conn.execute(
            f"INSERT INTO audit ({','.join(_COLUMNS)}, mac, signer, sig)"
            f" VALUES ({','.join('?' * (len(_COLUMNS) + 3))})", (*row, digest, bob.key_id, sig))
        previous = digest
    write_head(store.folder / HEAD_NAME, STORE_ID, bob, 4, previous)
    assert store.trail().verify().ok  # nothing inside the store shows it
    assert _seen() == seen
    with pytest.raises(StoreError) as info:
        store.check()
    assert info.value.code == "store.forked"
    assert info.value.params == {"seen": 3, "have": 4}


def test_store_under_another_root_key_is_refused(store: Copy, tmp_path: Path) -> None:
    """Issue 9: a store with the same id but another root signing key (every key and entry
    made anew) is refused as forked, even when it is ahead."""
    store.write(2)
    impostor = _new_store(tmp_path / "impostor")
    impostor.write(5)  # (under another root key the witness does not move)
    with pytest.raises(StoreError) as info:
        witness.check(WID, impostor.trail(), impostor.root)
    assert info.value.code == "store.forked"
    assert "root key" in info.value.user_message()


def test_unknown_store_and_damaged_witness_pass(store: Copy, witness_dir: Path) -> None:
    """Issue 9: a store this computer never saw passes (nothing to compare); a damaged
    witness file is treated as none and written anew on the next flush."""
    store.write(1)
    witness._path(WID).write_text("{not json")
    store.check()
    store.write(1)
    assert _seen()["seq"] == 2


# --------------------------------------------------------------------------- restoring


def _restore(copy: Copy, attributes: dict[str, object], user: str = "beheer") -> None:
    """What backup.restore does after copying the backup in: a signed ``store.restore``
    entry naming the head it replaces."""
    copy.write(1, user, name="store.restore", attributes=attributes)


def test_restore_entry_naming_the_superseded_head_is_accepted(store: Copy,
                                                              tmp_path: Path) -> None:
    """Issue 9: a deliberate restore of an older backup, audited with the head this computer
    remembered, is accepted; the witness then follows the restored chain, so going back to
    the backup itself (before its restore entry) is refused again."""
    store.write(2)
    backup = store.copy_to(tmp_path / "backup")
    pristine_backup = backup.copy_to(tmp_path / "backup-again")
    store.write(3)
    superseded = witness.superseded_attributes(WID)
    assert superseded == {"superseded_seq": 5, "superseded_hash": store.trail().head()[1]}  # type: ignore[index]
    _restore(backup, superseded)
    backup.check()
    head = backup.trail().head()
    assert head is not None
    assert (_seen()["seq"], _seen()["hash"]) == head
    with pytest.raises(StoreError) as info:
        pristine_backup.check()
    assert info.value.code == "store.rolled_back"


def test_restore_entry_naming_another_head_is_not_accepted(store: Copy,
                                                           tmp_path: Path) -> None:
    """Issue 9: a restore entry that names another head than the one this computer saw
    (another hash, or an earlier seq) does not excuse the rollback."""
    store.write(2)
    backup = store.copy_to(tmp_path / "backup")
    store.write(3)
    seen = witness.superseded_attributes(WID)
    _restore(backup, {"superseded_seq": seen["superseded_seq"], "superseded_hash": "0" * 64})
    _restore(backup, {"superseded_seq": 4, "superseded_hash": seen["superseded_hash"]})
    _restore(backup, {})
    with pytest.raises(StoreError) as info:
        backup.check()
    # The three restore entries bring the backup to seq 5: another entry 5 than was seen.
    assert info.value.code == "store.forked"


def test_restore_entry_must_be_validly_signed(store: Copy, tmp_path: Path) -> None:
    """Issue 9: a ``store.restore`` entry slipped in without a valid signature (here: its
    attributes edited after signing) excuses nothing."""
    store.write(2)
    backup = store.copy_to(tmp_path / "backup")
    store.write(3)
    superseded = witness.superseded_attributes(WID)
    _restore(backup, {"superseded_seq": 1, "superseded_hash": GENESIS})
    backup.conn.execute("DROP TRIGGER audit_no_update")
    backup.conn.execute("UPDATE audit SET attributes = ? WHERE name = 'store.restore'",
                        (json.dumps(superseded, sort_keys=True),))
    with pytest.raises(StoreError) as info:
        backup.check()
    assert info.value.code == "store.rolled_back"


def test_restore_seen_elsewhere_covers_an_earlier_witness(store: Copy,
                                                          tmp_path: Path) -> None:
    """Issue 9: another computer that saw less of the replaced chain than the restoring one
    (an earlier seq) accepts the restore entry too."""
    store.write(2)
    backup = store.copy_to(tmp_path / "backup")
    store.write(3)
    superseded = witness.superseded_attributes(WID)
    # This computer saw only entry 3 of the replaced chain.
    witness._path(WID).unlink()
    witness.remember(WID, 3, str(store.trail().entry_hash_at(3)), store.root,
                     frozenset({restorers.tag(WID, "beheer")}))
    _restore(backup, superseded)  # made on the computer that saw entry 5
    backup.check()


# ------------------------------------------------------------ who may excuse a rollback

ADMIN = {"role": "beheerder", "party": "gemeente-rotterdam"}


def _backup_while_alice_administers(store: Copy, tmp_path: Path, *,
                                    removed: bool) -> tuple[Copy, dict[str, object]]:
    """The root makes alice an administrator, a backup is made, the store goes on (and
    with ``removed`` the root takes alice out again); the backup and the head this
    computer saw last."""
    store.write(1, "beheer", name="admin.user_add", about="alice", attributes=ADMIN)
    store.write(1)
    backup = store.copy_to(tmp_path / "backup")
    store.write(2)
    if removed:
        store.write(1, "beheer", name="admin.user_remove", about="alice", attributes={})
    return backup, witness.superseded_attributes(WID)


def test_restore_signed_by_a_user_who_does_not_administer_excuses_nothing(
        store: Copy, tmp_path: Path) -> None:
    """Issue 9 (backups cannot roll the store back silently): every user holds a signing
    key.  alice, no administrator, copies an older backup over the store and appends her
    own validly signed ``store.restore`` naming the head this computer saw, or a later
    one: still refused.  Before, any valid signature excused the rollback, so one script
    made every computer follow it.  Her own ``admin.user_add`` for herself does not make
    her an administrator either: only the root's does."""
    store.write(1, "alice", name="admin.user_add", about="alice", attributes=ADMIN)
    store.write(2)
    backup = store.copy_to(tmp_path / "backup")
    store.write(3)
    superseded = witness.superseded_attributes(WID)
    _restore(backup, superseded, user="alice")
    _restore(backup, {"superseded_seq": 999, "superseded_hash": "0" * 64}, user="alice")
    assert backup.trail().verify().ok  # nothing inside the store shows it
    with pytest.raises(StoreError) as info:
        backup.check()
    assert info.value.code == "store.rolled_back"
    assert info.value.params == {"seen": 6, "have": 5, "first": 6}


def test_restore_signed_by_an_administrator_of_the_seen_chain_is_accepted(
        store: Copy, tmp_path: Path) -> None:
    """Issue 9: an administrator the root made (not the root itself) restores an older
    backup deliberately: accepted, and the witness then follows the restored chain."""
    backup, superseded = _backup_while_alice_administers(store, tmp_path, removed=False)
    _restore(backup, superseded, user="alice")
    backup.check()
    assert _seen()["seq"] == 3
    assert restorers.tag(WID, "alice") in _seen()["restorers"]


def test_restore_signed_by_a_former_administrator_excuses_nothing(
        store: Copy, tmp_path: Path) -> None:
    """Issue 9 (docs/security.md §9.9): the root removed alice as administrator after the
    backup was made.  The backup still trusts her key and holds her slot, so her restore
    entry in it verifies; this computer remembers who administered the chain it saw and
    refuses it."""
    backup, superseded = _backup_while_alice_administers(store, tmp_path, removed=True)
    assert restorers.tag(WID, "alice") not in _seen()["restorers"]
    _restore(backup, superseded, user="alice")
    assert backup.trail().verify().ok
    with pytest.raises(StoreError) as info:
        backup.check()
    assert info.value.code == "store.rolled_back"
    _restore(backup, superseded)  # the root may still restore it
    backup.check()


def test_witness_without_administrator_tags_uses_the_restored_chain(
        store: Copy, tmp_path: Path) -> None:
    """Issue 9: a witness written by an earlier version holds no administrator tags; it
    then takes the administrators of the restored chain: a participant's restore entry
    is refused, the root's accepted."""
    store.write(2)
    backup = store.copy_to(tmp_path / "backup")
    store.write(3)
    superseded = witness.superseded_attributes(WID)
    old = {k: v for k, v in _seen().items() if k != "restorers"}
    witness._path(WID).write_text(json.dumps({**old, "format": 1}))
    _restore(backup, superseded, user="alice")
    with pytest.raises(StoreError) as info:
        backup.check()
    assert info.value.code == "store.rolled_back"
    _restore(backup, superseded)
    backup.check()
    assert _seen()["format"] == 2
