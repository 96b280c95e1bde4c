"""Unit tests of the signed audit chain (app/store/audit.py) and its signing keys
(app/store/signing.py), issue 9: on a plain in-memory database with every schema migration
applied, and on the real schema-v1 fixture store (SQLCipher) for the legacy HMAC part."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.crypto.envelope import raw_public
from app.crypto.keyslots import SlotFile
from app.errors import StoreError
from app.store.audit import (
    GENESIS,
    AuditEvent,
    AuditTrail,
    entry_hash,
    read_head,
    sign_entry,
    write_head,
)
from app.store.connection import key_pragma
from app.store.layout import DB_NAME, HEAD_NAME, SLOTS_NAME
from app.store.migrations import migrate
from app.store.signing import (
    KeySigner,
    certification_message,
    current_key_id,
    register_key,
    root_key_id,
    trusted_keys,
)
from tests.conftest import PASSPHRASE

STORE_ID = "5a" * 16
NOW = "2026-12-01T09:00:00+00:00"
FIXTURE_V1 = Path(__file__).resolve().parents[2] / "fixtures" / "store_v1"
_COLUMNS = ("seq", "trace_id", "span_id", "parent_span_id", "name", "status", "start_time",
            "end_time", "username", "party_id", "object_type", "object_id",
            "processing_activity_id", "data_subject_id", "data_subject_id_type", "attributes")


@pytest.fixture(autouse=True)
def _witness_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Witness files of these tests go to a temp folder of their own."""
    path = tmp_path / "witness"
    monkeypatch.setenv("CASUSTAFEL_WITNESS_DIR", str(path))
    return path


# --------------------------------------------------------------------------- helpers


@dataclass
class World:
    """One store's database and folder with users beheer (root key), alice and bob."""

    conn: Any
    folder: Path
    store_id: str = STORE_ID
    legacy_key: bytes | None = None
    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)

    def signer(self, user: str) -> KeySigner:
        return KeySigner.of(self.keys[user])

    def trail(self, user: str = "beheer") -> AuditTrail:
        return AuditTrail(self.conn, self.folder, self.store_id, signer=self.signer(user),
                          legacy_key=self.legacy_key)

    def reader(self) -> AuditTrail:
        return AuditTrail(self.conn, self.folder, self.store_id, signer=None,
                          legacy_key=self.legacy_key)

    def add_user(self, user: str, certifier: str | None = "beheer") -> str:
        self.keys[user] = Ed25519PrivateKey.generate()
        by = self.signer(certifier) if certifier is not None else self.signer(user)
        return register_key(self.conn, self.store_id, user, raw_public(self.keys[user]), by,
                            NOW)

    def write(self, user: str, n: int = 1, *, name: str = "test.event", flush: bool = True,
              trail: AuditTrail | None = None) -> list[int]:
        """``n`` entries of ``user``, each in its own committed transaction."""
        trail = trail or self.trail(user)
        seqs = []
        for i in range(n):
            self.conn.execute("BEGIN IMMEDIATE")
            seqs.append(trail.append(AuditEvent(name=name, username=user,
                                                party_id="gemeente-rotterdam",
                                                attributes={"i": i})))
            self.conn.execute("COMMIT")
            if flush:
                trail.flush_head()
        return seqs

    def entries(self) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            f"SELECT {','.join(_COLUMNS)}, mac, signer, sig FROM audit ORDER BY seq"
        ).fetchall()


def _memory_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db)
    return db


def _world(folder: Path, *, users: tuple[str, ...] = ("alice", "bob")) -> World:
    world = World(_memory_db(), folder)
    world.add_user("beheer", certifier=None)
    for user in users:
        world.add_user(user)
    return world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A store with root user beheer and users alice and bob, no entries yet."""
    made = _world(tmp_path / "store")
    made.folder.mkdir()
    yield made
    made.conn.close()


def _untriggered(db: Any) -> None:
    for trigger in ("audit_no_update", "audit_no_delete", "disclosures_no_update",
                    "disclosures_no_delete", "reports_no_update", "reports_no_delete"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def _rewrite_from(world: World, start: int, rows: list[tuple[Any, ...]],
                  signer: KeySigner) -> None:
    """What an insider with the database key can do: replace every entry from ``start`` on
    by ``rows`` (renumbered), re-hash the chain and sign every entry with their own key,
    then move the head file along (signed with their key, too)."""
    _untriggered(world.conn)
    previous = GENESIS if start == 1 else world.conn.execute(
        "SELECT mac FROM audit WHERE seq = ?", (start - 1,)).fetchone()[0]
    world.conn.execute("DELETE FROM audit WHERE seq >= ?", (start,))
    for offset, old in enumerate(rows):
        row = (start + offset, *old[1:len(_COLUMNS)])
        digest = entry_hash(previous, row, signer.key_id)
        world.conn.execute(
            f"INSERT INTO audit ({','.join(_COLUMNS)}, mac, signer, sig)"
            f" VALUES ({','.join('?' * (len(_COLUMNS) + 3))})",
            (*row, digest, signer.key_id, sign_entry(signer, world.store_id, digest)),
        )
        previous = digest
    last = world.conn.execute("SELECT seq, mac FROM audit ORDER BY seq DESC").fetchone()
    write_head(world.folder / HEAD_NAME, world.store_id, signer, last[0], last[1])


def _legacy_mac(key: bytes, previous: str, row: tuple[object, ...]) -> str:
    """The pre-schema-8 formula, written out independently of app.store.audit."""
    body = json.dumps(list(row), separators=(",", ":"), ensure_ascii=True).encode()
    return hmac.new(key, previous.encode() + body, hashlib.sha256).hexdigest()


def _legacy_entries(world: World, n: int) -> None:
    """``n`` unsigned entries of beheer made with the old HMAC scheme, and the old head."""
    assert world.legacy_key is not None
    previous = GENESIS
    for seq in range(1, n + 1):
        row = (seq, "ab" * 16, "cd" * 8, None, "legacy.event", "ok", NOW, NOW, "beheer",
               "gemeente-rotterdam", None, None, None, None, None, json.dumps({"i": seq}))
        previous = _legacy_mac(world.legacy_key, previous, row)
        world.conn.execute(
            f"INSERT INTO audit ({','.join(_COLUMNS)}, mac) VALUES"
            f" ({','.join('?' * (len(_COLUMNS) + 1))})", (*row, previous))
    tag = hmac.new(world.legacy_key, f"head|{n}|{previous}".encode(), hashlib.sha256).hexdigest()
    (world.folder / HEAD_NAME).write_text(json.dumps({"seq": n, "mac": previous, "tag": tag}))


def _disclose(world: World, user: str, *, item: int = 7, row: bool = True,
              entry: bool = True, **overrides: object) -> int:
    """A disclosure as app.services.disclosure.record writes it: entry plus register row."""
    attrs = {"provider": "politie-rotterdam", "recipient": "gemeente-rotterdam",
             "legal_basis": "art. 5 Wzd", "channel": "report", "grant": None,
             "document": "DOC-1", "case": 3}
    trail = world.trail(user)
    world.conn.execute("BEGIN IMMEDIATE")
    seq = 0
    if entry:
        seq = trail.append(AuditEvent(name="disclosure", username=user, object_type="item",
                                      object_id=str(item), attributes=attrs))
    else:
        seq = trail.append(AuditEvent(name="case.read", username=user)) + 1
    values = {"item_id": item, "provider_party": attrs["provider"],
              "recipient_party": attrs["recipient"],
              "legal_basis": attrs["legal_basis"], "channel": attrs["channel"],
              "document_id": attrs["document"], "username": user, **overrides}
    if row:
        world.conn.execute(
            "INSERT INTO disclosures(audit_seq, item_id, case_id, provider_party,"
            " recipient_party, username, purpose, legal_basis, channel, document_id,"
            " disclosed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (seq, values["item_id"], 3, values["provider_party"], values["recipient_party"],
             values["username"], "overleg", values["legal_basis"], values["channel"],
             values["document_id"], NOW))
    world.conn.execute("COMMIT")
    trail.flush_head()
    return seq


def _report(world: World, user: str, *, document_id: str = "DOC-1", sha: str = "f" * 64,
            row_sha: str | None = None, row: bool = True) -> int:
    """A generated report as app.services.reports._record writes it."""
    trail = world.trail(user)
    world.conn.execute("BEGIN IMMEDIATE")
    seq = trail.append(AuditEvent(
        name="report.generate", username=user, object_type="report", object_id=document_id,
        attributes={"kind": "plan", "recipient": "gemeente-rotterdam", "sha256": sha,
                    "items": 2, "categories": ["zorg"], "case": "C-1", "meeting": None,
                    "language": "nl", "pages": 3}))
    if row:
        world.conn.execute(
            "INSERT INTO reports(document_id, audit_seq, kind, recipient, case_reference,"
            " meeting_id, language, period_from, period_to, pages, sha256, categories, items,"
            " created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (document_id, seq, "plan", "gemeente-rotterdam", "C-1", None, "nl", None, None, 3,
             row_sha or sha, '["zorg"]', 2, user, NOW))
    world.conn.execute("COMMIT")
    trail.flush_head()
    return seq


# --------------------------------------------------------------------------- basics


def test_empty_trail_without_head_verifies(world: World) -> None:
    """Issue 9: a new trail with no entries and no head file is OK."""
    trail = world.trail()
    assert not trail.head_frozen
    assert trail.head() is None
    result = trail.verify()
    assert result.ok
    assert result.entries == 0


def test_signed_chain_links_every_entry_to_the_previous(world: World) -> None:
    """Issue 9: entries get consecutive seqs; ``mac`` is sha256(previous || entry), ``signer``
    the key id and ``sig`` an Ed25519 signature; verify walks the whole chain."""
    world.write("beheer", 2)
    world.write("alice", 2)
    world.write("bob", 1)
    entries = world.entries()
    assert [e[0] for e in entries] == [1, 2, 3, 4, 5]
    previous = GENESIS
    for entry in entries:
        row, digest, signer = tuple(entry[:len(_COLUMNS)]), entry[-3], entry[-2]
        assert digest == entry_hash(previous, row, signer)
        assert signer == world.signer(str(row[8])).key_id
        assert entry[-1]
        previous = digest
    result = world.reader().verify()
    assert result.ok, result
    assert result.entries == 5
    head = world.reader().head()
    assert head == (5, entries[-1][-3])
    assert read_head(world.folder / HEAD_NAME, STORE_ID, trusted_keys(world.conn, STORE_ID),
                     None) == head


def test_event_fields_are_stored(world: World) -> None:
    """Issue 9: the Logboek Dataverwerkingen fields are filled: 16-byte trace, 8-byte span,
    times, object, data subject, attributes."""
    trail = world.trail()
    world.conn.execute("BEGIN")
    trail.append(AuditEvent(name="case.read", username="beheer", object_type="case",
                            object_id="c-1", data_subject_id="b-9",
                            data_subject_id_type="betrokkene-id",
                            attributes={"grondslag": "art. 5"}))
    world.conn.execute("COMMIT")
    row = world.conn.execute(
        "SELECT trace_id, span_id, name, status, start_time, end_time, object_id,"
        " data_subject_id, attributes FROM audit"
    ).fetchone()
    assert len(row[0]) == 32
    assert len(row[1]) == 16
    assert row[2:4] == ("case.read", "ok")
    assert row[4] <= row[5]
    assert row[6:8] == ("c-1", "b-9")
    assert json.loads(row[8]) == {"grondslag": "art. 5"}


def test_rows_keep_the_logboek_columns_and_hash(world: World) -> None:
    """Issue 9: ``rows`` yields the 16 Logboek columns plus the hash, as before schema 8
    (exports and the schema-v1 comparison rely on that shape)."""
    world.write("alice", 1)
    (row,) = list(world.reader().rows())
    assert len(row) == len(_COLUMNS) + 1
    assert row[8] == "alice"
    assert row[-1] == world.entries()[0][-3]


def test_a_trail_without_signer_cannot_append(world: World) -> None:
    """Issue 9: a read-only trail (no signer) refuses to append."""
    world.conn.execute("BEGIN")
    with pytest.raises(RuntimeError, match="no signer"):
        world.reader().append(AuditEvent(name="x", username="beheer"))
    world.conn.execute("ROLLBACK")


def test_a_user_cannot_append_in_another_users_name(world: World) -> None:
    """Issue 9: the trail refuses to sign, with alice's key, an entry that names bob."""
    world.conn.execute("BEGIN")
    with pytest.raises(RuntimeError, match="key of the user"):
        world.trail("alice").append(AuditEvent(name="x", username="bob"))
    world.conn.execute("ROLLBACK")
    assert world.entries() == []


def test_rollback_does_not_move_the_head(world: World) -> None:
    """Issue 9: after a rolled-back append, discard_pending keeps the head where it was."""
    trail = world.trail()
    world.write("beheer", 2, trail=trail)
    head = (world.folder / HEAD_NAME).read_bytes()
    world.conn.execute("BEGIN")
    trail.append(AuditEvent(name="x", username="beheer"))
    world.conn.execute("ROLLBACK")
    trail.discard_pending()
    trail.flush_head()
    assert (world.folder / HEAD_NAME).read_bytes() == head
    assert trail.verify().ok


# --------------------------------------------------------------------------- insiders


def test_insider_editing_another_users_entry_and_rehashing_is_caught(world: World) -> None:
    """Issue 9: bob (holding the database key and his own signing key) edits alice's entry
    and re-hashes and re-signs everything after it: the edited entry now claims alice but is
    signed by bob.  Today's HMAC chain (key readable by every user) accepted this."""
    world.write("beheer", 1)
    world.write("alice", 2)
    world.write("beheer", 2)
    entries = world.entries()
    edited = list(entries[1])
    edited[15] = json.dumps({"i": 99})
    _rewrite_from(world, 2, [tuple(edited), *entries[2:]], world.signer("bob"))
    result = world.reader().verify()
    assert not result.ok
    assert result.broken_seq == 2
    assert result.problem == "entry names another user than its signer"


def test_insider_editing_and_keeping_the_victims_signature_is_caught(world: World) -> None:
    """Issue 9: editing alice's entry and re-hashing the chain but keeping alice's signer id
    and signature: the signature no longer matches the entry."""
    world.write("alice", 2)
    world.write("beheer", 1)
    _untriggered(world.conn)
    world.conn.execute("UPDATE audit SET attributes = '{\"i\": 99}' WHERE seq = 1")
    previous = GENESIS
    for entry in world.entries():
        digest = entry_hash(previous, tuple(entry[:len(_COLUMNS)]), entry[-2])
        world.conn.execute("UPDATE audit SET mac = ? WHERE seq = ?", (digest, entry[0]))
        previous = digest
    result = world.reader().verify()
    assert not result.ok
    assert result.broken_seq == 1
    assert result.problem == "signature does not match the entry"


def test_plain_edit_is_caught_as_altered(world: World) -> None:
    """Issue 9: changing any field of an entry without re-hashing breaks it at that entry."""
    world.write("alice", 3)
    _untriggered(world.conn)
    world.conn.execute("UPDATE audit SET object_id = 'other' WHERE seq = 2")
    result = world.reader().verify()
    assert (result.ok, result.broken_seq, result.problem) == (False, 2, "entry altered or moved")


def test_insider_deleting_another_users_entry_and_rechaining_is_caught(world: World) -> None:
    """Issue 9: bob deletes alice's entry, renumbers and re-chains the rest with his key:
    the first following entry of someone else is caught."""
    world.write("bob", 1)
    world.write("alice", 1)
    world.write("bob", 1)
    world.write("beheer", 1)
    entries = world.entries()
    _rewrite_from(world, 2, list(entries[2:]), world.signer("bob"))
    result = world.reader().verify()
    assert not result.ok
    assert result.broken_seq == 3  # beheer's entry, renumbered from 4 and signed by bob
    assert result.problem == "entry names another user than its signer"


def test_insider_reordering_entries_and_rechaining_is_caught(world: World) -> None:
    """Issue 9: bob swaps alice's entry with his own and re-chains both with his key."""
    world.write("beheer", 1)
    world.write("alice", 1)
    world.write("bob", 1)
    entries = world.entries()
    _rewrite_from(world, 2, [entries[2], entries[1]], world.signer("bob"))
    result = world.reader().verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert result.problem == "entry names another user than its signer"


def test_plain_delete_and_swap_are_caught(world: World) -> None:
    """Issue 9: a deleted entry shows as a missing seq; swapped seqs break the links."""
    world.write("alice", 5)
    _untriggered(world.conn)
    world.conn.execute("UPDATE audit SET seq = -1 WHERE seq = 2")
    world.conn.execute("UPDATE audit SET seq = 2 WHERE seq = 3")
    world.conn.execute("UPDATE audit SET seq = 3 WHERE seq = -1")
    swapped = world.reader().verify()
    assert (swapped.ok, swapped.broken_seq) == (False, 2)
    world.conn.execute("DELETE FROM audit WHERE seq = 4")
    deleted = world.reader().verify()
    assert not deleted.ok
    assert world.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 4


def test_entry_signed_by_a_claiming_b_is_caught(world: World) -> None:
    """Issue 9: alice writes an entry naming bob, correctly hashed and signed with her own
    (trusted) key: verify rejects it, a user can forge no entry of another user."""
    world.write("bob", 1)
    previous = world.entries()[-1][-3]
    alice = world.signer("alice")
    row = (2, "ab" * 16, "cd" * 8, None, "case.delete", "ok", NOW, NOW, "bob",
           "politie-rotterdam", "case", "c-1", None, None, None, "{}")
    digest = entry_hash(previous, row, alice.key_id)
    world.conn.execute(
        f"INSERT INTO audit ({','.join(_COLUMNS)}, mac, signer, sig)"
        f" VALUES ({','.join('?' * (len(_COLUMNS) + 3))})",
        (*row, digest, alice.key_id, sign_entry(alice, STORE_ID, digest)))
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, 2)
    assert result.problem == "entry names another user than its signer"


# --------------------------------------------------------------------------- signing keys


def test_uncertified_key_is_not_trusted(world: World) -> None:
    """Issue 9: a key inserted into signing_keys by hand (self-signed, a random signature,
    or "certified" by a key that is itself untrusted) is not trusted, and entries it signs
    fail verify even when they name the key's own username."""
    world.write("bob", 1)
    forged = Ed25519PrivateKey.generate()
    forged_signer = KeySigner.of(forged)
    public = raw_public(forged)
    message = certification_message(STORE_ID, forged_signer.key_id, "bob", public)
    world.conn.execute(
        "INSERT INTO signing_keys(key_id, username, public, certified_by, cert_sig, created_at)"
        " VALUES (?, 'bob', ?, ?, ?, ?)",
        (forged_signer.key_id, public, world.signer("beheer").key_id, forged.sign(message),
         "2099-01-01T00:00:00+00:00"))
    child = Ed25519PrivateKey.generate()
    child_id = KeySigner.of(child).key_id
    world.conn.execute(
        "INSERT INTO signing_keys(key_id, username, public, certified_by, cert_sig, created_at)"
        " VALUES (?, 'bob', ?, ?, ?, ?)",
        (child_id, raw_public(child), forged_signer.key_id,
         forged.sign(certification_message(STORE_ID, child_id, "bob", raw_public(child))), NOW))
    second_root = Ed25519PrivateKey.generate()
    root_id = KeySigner.of(second_root).key_id
    world.conn.execute(
        "INSERT INTO signing_keys(key_id, username, public, certified_by, cert_sig, created_at)"
        " VALUES (?, 'bob', ?, NULL, ?, ?)",
        (root_id, raw_public(second_root),
         second_root.sign(certification_message(STORE_ID, root_id, "bob",
                                                raw_public(second_root))), NOW))
    trusted = trusted_keys(world.conn, STORE_ID)
    assert set(trusted) == {world.signer(u).key_id for u in ("beheer", "alice", "bob")}
    # The forged key is bob's newest, but the trail must not trust what it signs.
    assert current_key_id(world.conn, "bob") == forged_signer.key_id
    world.write("bob", 1, trail=AuditTrail(world.conn, world.folder, STORE_ID,
                                           signer=forged_signer, legacy_key=None),
                flush=False)
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, 2)
    assert result.problem == "entry signed by an untrusted key"


def test_certificate_of_another_store_or_user_is_not_trusted(world: World) -> None:
    """Issue 9: a certification copied from another store, or whose username was edited,
    does not verify."""
    world.conn.execute("UPDATE signing_keys SET username = 'beheer' WHERE username = 'alice'")
    assert world.signer("alice").key_id not in trusted_keys(world.conn, STORE_ID)
    assert trusted_keys(world.conn, "another-store") == {}


def test_switching_the_root_in_meta_disowns_every_other_key(world: World) -> None:
    """Issue 9: bob adds a self-signed key of his own and names it root in meta (and signs
    the head file with it): the real keys no longer chain to it, so everyone's entries stop
    verifying (and the witnesses, which remember the root key, refuse the store: see
    test_witness.py)."""
    world.write("alice", 1)
    bob_root = Ed25519PrivateKey.generate()
    signer = KeySigner.of(bob_root)
    public = raw_public(bob_root)
    world.conn.execute(
        "INSERT INTO signing_keys(key_id, username, public, certified_by, cert_sig, created_at)"
        " VALUES (?, 'bob', ?, NULL, ?, ?)",
        (signer.key_id, public,
         bob_root.sign(certification_message(STORE_ID, signer.key_id, "bob", public)), NOW))
    world.conn.execute("UPDATE meta SET value = ? WHERE key = 'root_signing_key'",
                       (signer.key_id,))
    assert root_key_id(world.conn) == signer.key_id
    assert set(trusted_keys(world.conn, STORE_ID)) == {signer.key_id}
    write_head(world.folder / HEAD_NAME, STORE_ID, signer, 1, world.entries()[0][-3])
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, 1)
    assert result.problem == "entry signed by an untrusted key"


def test_register_key_rules(world: World) -> None:
    """Issue 9: a second root is refused, a root needs its own signature, a certifier must
    be registered; the root id is written to meta; current_key_id is the newest key."""
    extra = Ed25519PrivateKey.generate()
    with pytest.raises(ValueError, match="root"):
        register_key(world.conn, STORE_ID, "carol", raw_public(extra), KeySigner.of(extra), NOW)
    with pytest.raises(ValueError, match="root"):
        register_key(world.conn, STORE_ID, "carol", raw_public(extra), None, NOW)
    stranger = KeySigner.of(Ed25519PrivateKey.generate())
    with pytest.raises(ValueError, match="not registered"):
        register_key(world.conn, STORE_ID, "carol", raw_public(extra), stranger, NOW)
    assert root_key_id(world.conn) == world.signer("beheer").key_id
    newer = Ed25519PrivateKey.generate()
    key_id = register_key(world.conn, STORE_ID, "alice", raw_public(newer),
                          world.signer("alice"), "2027-01-01T00:00:00+00:00")
    assert current_key_id(world.conn, "alice") == key_id
    assert key_id in trusted_keys(world.conn, STORE_ID)
    assert current_key_id(world.conn, "nobody") is None


# --------------------------------------------------------------------------- registers


def test_disclosures_with_their_entries_verify(world: World) -> None:
    """Issue 9: disclosure rows written with their entries pass the register check."""
    _disclose(world, "alice")
    _disclose(world, "bob", item=8)
    result = world.reader().verify()
    assert result.ok, result


def test_deleted_disclosure_row_is_caught(world: World) -> None:
    """Issue 9: deleting a row from the disclosure register (the chain untouched) is caught:
    its entry has no row any more."""
    seq = _disclose(world, "alice")
    _disclose(world, "alice", item=8)
    _untriggered(world.conn)
    world.conn.execute("DELETE FROM disclosures WHERE audit_seq = ?", (seq,))
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, seq)
    assert result.problem == "audit entry without its disclosures row"


def test_disclosure_row_without_its_entry_is_caught(world: World) -> None:
    """Issue 9: a disclosure row inserted without a chained ``disclosure`` entry is caught
    (here it points at a seq that is another kind of entry)."""
    _disclose(world, "alice")
    _disclose(world, "alice", entry=False)
    world.write("beheer", 1)
    result = world.reader().verify()
    assert not result.ok
    assert result.problem == "disclosures row without its audit entry"


@pytest.mark.parametrize("override", [
    {"legal_basis": "toestemming"}, {"recipient_party": "zorg-aanbieder"},
    {"provider_party": "gemeente-rotterdam"}, {"channel": "screen"},
    {"document_id": None}, {"username": "bob"}, {"item_id": 8},
])
def test_disclosure_row_edited_is_caught(world: World, override: dict[str, object]) -> None:
    """Issue 9: a register row whose item, provider, recipient, legal basis, channel,
    document or user differs from its chained entry is caught."""
    _disclose(world, "alice", **override)
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, 1)
    assert result.problem == "disclosures row does not match its audit entry"


def test_report_register_is_checked_against_the_chain(world: World) -> None:
    """Issue 9: a report row must have its ``report.generate`` entry with the same document
    id and SHA-256, and every such entry its row."""
    _report(world, "alice")
    assert world.reader().verify().ok
    _report(world, "alice", document_id="DOC-2", row_sha="0" * 64)
    result = world.reader().verify()
    assert (result.ok, result.problem) == (False, "reports row does not match its audit entry")


def test_report_entry_without_row_is_caught(world: World) -> None:
    """Issue 9: a deleted report row leaves its entry without a row."""
    seq = _report(world, "alice", row=False)
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, seq)
    assert result.problem == "audit entry without its reports row"


# --------------------------------------------------------------------------- legacy part


def test_legacy_prefix_and_signed_suffix_verify(tmp_path: Path) -> None:
    """Issue 9: entries written before schema 8 (HMAC, no signature) verify with the legacy
    key; the first signed entry links to the last legacy mac; the legacy head file is read,
    then replaced by a signed one."""
    world = _world(tmp_path)
    world.legacy_key = bytes(range(32))
    _legacy_entries(world, 3)
    assert not world.reader().head_frozen
    assert world.reader().verify().ok
    last_legacy = world.entries()[-1][-3]
    world.write("alice", 2)
    entries = world.entries()
    assert entries[3][-2] == world.signer("alice").key_id
    assert entries[3][-3] == entry_hash(last_legacy, tuple(entries[3][:len(_COLUMNS)]),
                                        entries[3][-2])
    result = world.reader().verify()
    assert result.ok, result
    assert result.entries == 5
    assert "sig" in json.loads((tmp_path / HEAD_NAME).read_bytes())


def test_legacy_tampering_is_caught(tmp_path: Path) -> None:
    """Issue 9: an edited legacy entry, a wrong or missing legacy key, an unsigned entry after
    signed ones and a first signed entry that does not link to the legacy part all fail."""
    world = _world(tmp_path)
    world.legacy_key = bytes(range(32))
    _legacy_entries(world, 3)
    world.write("alice", 1)
    _untriggered(world.conn)
    world.conn.execute("UPDATE audit SET attributes = '{\"i\": 9}' WHERE seq = 2")
    edited = world.reader().verify()
    assert (edited.ok, edited.broken_seq, edited.problem) == (False, 2, "entry altered or moved")
    world.conn.execute("UPDATE audit SET attributes = ? WHERE seq = 2", (json.dumps({"i": 2}),))
    assert world.reader().verify().ok
    world.legacy_key = bytes(range(1, 33))
    assert not world.reader().verify().ok
    world.legacy_key = None
    no_key = world.reader().verify()
    assert not no_key.ok
    world.legacy_key = bytes(range(32))
    # The signed suffix re-linked to GENESIS (as if the legacy part were not there).
    signed = world.entries()[3]
    alice = world.signer("alice")
    digest = entry_hash(GENESIS, tuple(signed[:len(_COLUMNS)]), alice.key_id)
    world.conn.execute("UPDATE audit SET mac = ?, sig = ? WHERE seq = 4",
                       (digest, sign_entry(alice, STORE_ID, digest)))
    relinked = world.reader().verify()
    assert (relinked.ok, relinked.broken_seq) == (False, 4)


def test_unsigned_entry_after_signed_ones_is_a_break(tmp_path: Path) -> None:
    """Issue 9: whoever holds the legacy key can still make HMAC entries, but never after the
    chain became signed."""
    world = _world(tmp_path)
    world.legacy_key = bytes(range(32))
    _legacy_entries(world, 1)
    world.write("alice", 1)
    previous = world.entries()[-1][-3]
    row = (3, "ab" * 16, "cd" * 8, None, "case.delete", "ok", NOW, NOW, "alice", None, None,
           None, None, None, None, "{}")
    world.conn.execute(
        f"INSERT INTO audit ({','.join(_COLUMNS)}, mac) VALUES"
        f" ({','.join('?' * (len(_COLUMNS) + 1))})",
        (*row, _legacy_mac(world.legacy_key, previous, row)))
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, 3)
    assert result.problem == "unsigned entry after signed entries"


def test_schema_v1_fixture_gets_a_signed_suffix(tmp_path: Path) -> None:
    """Issue 9: the real schema-v1 store (SQLCipher, HMAC chain, HMAC head file) migrated to
    schema 8 takes signed entries after its legacy ones and verifies with its old audit key;
    tampering with the legacy part is still caught."""
    path = tmp_path / "store_v1"
    shutil.copytree(FIXTURE_V1, path)
    data_key = SlotFile.read(path / SLOTS_NAME).unlock("beheer", PASSPHRASE)
    conn = sqlcipher3.connect(str(path / DB_NAME), isolation_level=None)
    try:
        conn.execute(key_pragma(data_key))
        migrate(conn)
        store_id = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0]
        legacy = bytes.fromhex(conn.execute(
            "SELECT value FROM meta WHERE key = 'audit_key'").fetchone()[0])
        legacy_entries = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        assert legacy_entries >= 1
        world = World(conn, path, store_id, legacy)
        conn.execute("BEGIN")
        world.add_user("beheer", certifier=None)
        conn.execute("COMMIT")
        trail = world.trail()
        assert not trail.head_frozen
        world.write("beheer", 2, trail=trail)
        result = world.reader().verify()
        assert result.ok, result
        assert result.entries == legacy_entries + 2
        _untriggered(conn)
        conn.execute("UPDATE audit SET username = 'someone' WHERE seq = 1")
        broken = world.reader().verify()
        assert (broken.ok, broken.broken_seq) == (False, 1)
    finally:
        conn.close()


# --------------------------------------------------------------------------- head file


def test_cut_off_tail_is_detected_with_the_gap(world: World) -> None:
    """Issue 9: deleting the newest entries is caught by the head file; the gap is named."""
    world.write("alice", 5)
    _untriggered(world.conn)
    world.conn.execute("DELETE FROM audit WHERE seq > 3")
    result = world.reader().verify()
    assert not result.ok
    assert result.problem == "newest entries cut off"
    assert result.entries == 3
    assert result.gap == (4, 5)


def test_cut_off_then_new_entries_stay_broken(world: World) -> None:
    """Issue 9: after a cut-off the reopened trail freezes its head (and the witness);
    refilling the chain past the old head does not hide the cut-off."""
    world.write("alice", 5)
    _untriggered(world.conn)
    world.conn.execute("DELETE FROM audit WHERE seq > 2")
    reopened = world.trail("alice")
    assert reopened.head_frozen
    head_before = (world.folder / HEAD_NAME).read_bytes()
    world.write("alice", 6, trail=reopened)
    assert (world.folder / HEAD_NAME).read_bytes() == head_before
    result = reopened.verify()
    assert (result.ok, result.broken_seq) == (False, 5)


def test_forged_head_file_is_detected(world: World) -> None:
    """Issue 9: a head file whose seq was edited, or signed by an untrusted key, is refused
    and freezes the head."""
    world.write("alice", 4)
    head = world.folder / HEAD_NAME
    doc = json.loads(head.read_bytes())
    doc["seq"] = 2
    head.write_text(json.dumps(doc))
    with pytest.raises(StoreError) as info:
        read_head(head, STORE_ID, trusted_keys(world.conn, STORE_ID), None)
    assert info.value.code == "audit.head_damaged"
    result = world.reader().verify()
    assert (result.ok, result.problem) == (False, "head file damaged or forged")
    assert world.trail("alice").head_frozen
    last = world.reader().head()
    assert last is not None
    write_head(head, STORE_ID, KeySigner.of(Ed25519PrivateKey.generate()), *last)
    assert not world.reader().verify().ok


@pytest.mark.parametrize("content", [b"", b"not json", b'{"seq": 1}', b"[1, 2]",
                                     b'{"seq": 1, "hash": "x", "signer": "y", "sig": "!"}'])
def test_garbage_head_file_is_damaged(world: World, content: bytes) -> None:
    """Issue 9: an unreadable head file is reported as damaged, never a Python exception."""
    world.write("alice", 2)
    (world.folder / HEAD_NAME).write_bytes(content)
    result = world.reader().verify()
    assert (result.ok, result.problem) == (False, "head file damaged or forged")


def test_missing_head_file_with_entries_is_detected(world: World) -> None:
    """Issue 9: deleting the head file does not make the trail look fresh; the head stays
    frozen."""
    world.write("alice", 3)
    (world.folder / HEAD_NAME).unlink()
    result = world.reader().verify()
    assert (result.ok, result.problem) == (False, "head file missing")
    reopened = world.trail("alice")
    assert reopened.head_frozen
    world.write("alice", 1, trail=reopened)
    assert not (world.folder / HEAD_NAME).exists()
    assert not reopened.verify().ok


def test_database_ahead_of_head_is_accepted(world: World) -> None:
    """Issue 9: a crash between COMMIT and the head write leaves the database ahead: that is
    OK, and the reopened trail is not frozen, so the head catches up on the next write."""
    trusted = trusted_keys(world.conn, STORE_ID)
    world.write("alice", 3)
    world.write("alice", 2, flush=False)
    assert read_head(world.folder / HEAD_NAME, STORE_ID, trusted, None)[0] == 3  # type: ignore[index]
    result = world.reader().verify()
    assert result.ok, result
    assert result.entries == 5
    reopened = world.trail("alice")
    assert not reopened.head_frozen
    world.write("alice", 1, trail=reopened)
    assert read_head(world.folder / HEAD_NAME, STORE_ID, trusted, None)[0] == 6  # type: ignore[index]
    assert reopened.verify().ok


def test_head_entry_replaced_is_detected(world: World) -> None:
    """Issue 9: cutting the tail and appending a different entry (properly signed) in its
    place still mismatches the head entry."""
    world.write("alice", 4)
    _untriggered(world.conn)
    world.conn.execute("DELETE FROM audit WHERE seq = 4")
    trail = world.trail("alice")
    trail.head_frozen = True
    world.write("alice", 1, trail=trail)
    result = world.reader().verify()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert result.problem == "entry does not match the head file"


def test_head_file_holds_no_personal_data(world: World) -> None:
    """Issue 9: the head file is a number, a hash, a key id and a signature: no user name,
    no event name, no attributes."""
    world.add_user("henkie.geheim")
    trail = world.trail("henkie.geheim")
    world.conn.execute("BEGIN")
    trail.append(AuditEvent(name="case.read", username="henkie.geheim",
                            attributes={"note": "Geheimpje"}))
    world.conn.execute("COMMIT")
    trail.flush_head()
    raw = (world.folder / HEAD_NAME).read_bytes()
    assert set(json.loads(raw)) == {"seq", "hash", "signer", "sig"}
    for needle in (b"henkie", b"geheim", b"Geheim", b"case.read"):
        assert needle not in raw


# --------------------------------------------------------------------------- exported head


def _copy(world: World, folder: Path) -> World:
    """A byte copy of the store as it is now (an older backup, later)."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    world.conn.backup(copy)
    folder.mkdir()
    shutil.copy(world.folder / HEAD_NAME, folder / HEAD_NAME)
    return World(copy, folder, world.store_id, world.legacy_key, dict(world.keys))


def test_exported_head_later_store_passes_older_copy_fails(world: World,
                                                           tmp_path: Path) -> None:
    """Issue 9: the privacy officer's kept head: the store that went on passes; an older
    copy (a backup from before) fails naming the missing entries."""
    world.write("alice", 3)
    older = _copy(world, tmp_path / "older")
    world.write("bob", 2)
    document = world.reader().export_head(world.signer("beheer"))
    doc = json.loads(document)
    assert (doc["seq"], doc["store_id"], doc["root_key"]) == (
        5, STORE_ID, world.signer("beheer").key_id)
    world.write("alice", 2)
    assert world.reader().check_exported_head(document).ok
    behind = older.reader().check_exported_head(document)
    assert not behind.ok
    assert behind.problem == "store is behind the kept head"
    assert behind.gap == (4, 5)


def test_exported_head_forked_copy_fails(world: World, tmp_path: Path) -> None:
    """Issue 9: a copy that went on differently from the kept head (its own entries 3 and
    4, all validly signed) fails at the kept seq."""
    world.write("alice", 2)
    fork = _copy(world, tmp_path / "fork")
    world.write("alice", 2)
    document = world.reader().export_head(world.signer("alice"))
    fork.write("bob", 3)
    assert fork.reader().verify().ok
    result = fork.reader().check_exported_head(document)
    assert (result.ok, result.broken_seq) == (False, 4)
    assert result.problem == "entry differs from the kept head (forked)"


def test_exported_head_document_is_checked(world: World) -> None:
    """Issue 9: an edited head document, or one of another store, is refused."""
    world.write("alice", 2)
    document = world.reader().export_head(world.signer("alice"))
    doc = json.loads(document)
    doc["seq"] = 1
    edited = world.reader().check_exported_head(json.dumps(doc).encode())
    assert (edited.ok, edited.problem) == (False, "kept head document damaged or forged")
    assert not world.reader().check_exported_head(b"garbage").ok
    other = World(world.conn, world.folder, "b" * 32, None, world.keys)
    assert not other.reader().check_exported_head(document).ok
