"""``casustafel keys migrate``: a store from before envelope keys is converted in one
administrator command (issue 9), tested on a committed store of that format
(tests/fixtures/store_v7, made with the code before the change: items in clear, an HMAC
audit chain)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3

from app.crypto.keyslots import SlotFile
from app.errors import AuthError, InputError, StoreError
from app.services import admin, cases, keys_migrate
from app.services.session import Session
from tests.app.test_insider import attack
from tests.conftest import PASSPHRASE, TEST_KDF

FIXTURE_V7 = Path(__file__).resolve().parents[2] / "fixtures" / "store_v7"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    path = tmp_path / "store_v7"
    shutil.copytree(FIXTURE_V7, path)
    return path


def _conn(folder: Path) -> sqlcipher3.Connection:
    key = SlotFile.read(folder / "keyslots.json").unlock("beheer", PASSPHRASE)
    conn = sqlcipher3.connect(str(folder / "casustafel.db"))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _users(folder: Path) -> list[tuple[str, str]]:
    conn = _conn(folder)
    rows = [(str(u), str(r)) for u, r in conn.execute(
        "SELECT username, role FROM users WHERE removed_at IS NULL ORDER BY 1")]
    conn.close()
    return rows


def test_zvh_9_6_migration_seals_every_item_and_drops_the_administrators_access(
        old_store: Path) -> None:
    """Issue 9: before, the administrator's key read every canary; after ``keys migrate``
    no item is in clear, the administrator's own keys open none, the parties' users read
    their own items again, and the old audit chain is carried into the signed one."""
    conn = _conn(old_store)
    before = conn.execute("SELECT count(*) FROM items WHERE body LIKE '%CANARY-%'"
                          ).fetchone()[0]
    old_audit = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    conn.close()
    assert before > 0
    report = keys_migrate.migrate_store(old_store, "beheer", PASSPHRASE, kdf=TEST_KDF)
    assert report.items == before
    assert report.legacy_entries == old_audit
    conn = _conn(old_store)
    left = conn.execute("SELECT count(*) FROM items WHERE body != '' OR content IS NULL"
                        ).fetchone()[0]
    store_id = str(conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()[0])
    conn.close()
    assert left == 0
    assert b"CANARY-" not in (old_store / "casustafel.db").read_bytes()
    assert attack(old_store, "beheer", store_id).items == set()
    loot = {u: attack(old_store, u, store_id) for u, r in _users(old_store)
            if r == "deelnemer"}
    participant = max(loot, key=lambda u: len(loot[u].items))
    opened = loot[participant]
    assert opened.items
    with Session.open(old_store, participant, PASSPHRASE, kdf=TEST_KDF) as session:
        rows = cases.list_cases(session)
    assert rows
    assert all("CANARY-" in text for text in opened.texts)
    with Session.open(old_store, "beheer", PASSPHRASE, kdf=TEST_KDF) as session:
        result = admin.verify_audit(session)
    assert result.ok, result
    assert result.entries > old_audit


def test_migration_is_the_administrators_and_runs_once(old_store: Path) -> None:
    """Only the administrator converts; a converted store is not converted again; nobody
    else opens an unconverted store."""
    participant = next(u for u, r in _users(old_store) if r == "deelnemer")
    with pytest.raises(StoreError) as info:
        Session.open(old_store, participant, PASSPHRASE, kdf=TEST_KDF)
    assert info.value.code == "store.needs_key_migration"
    with pytest.raises(AuthError):
        keys_migrate.migrate_store(old_store, participant, PASSPHRASE, kdf=TEST_KDF)
    keys_migrate.migrate_store(old_store, "beheer", PASSPHRASE, kdf=TEST_KDF)
    with pytest.raises(InputError) as again:
        keys_migrate.migrate_store(old_store, "beheer", PASSPHRASE, kdf=TEST_KDF)
    assert again.value.code == "keys.migrated"


def test_a_migrated_user_replaces_the_signing_key_the_administrator_made(
        old_store: Path) -> None:
    """Issue 9: the signing key ``keys migrate`` leaves for a user is replaced at their
    first login by one only their passphrase opens, so the administrator cannot sign in
    their name afterwards; the chain still verifies."""
    keys_migrate.migrate_store(old_store, "beheer", PASSPHRASE, kdf=TEST_KDF)
    participant = next(u for u, r in _users(old_store) if r == "deelnemer")
    conn = _conn(old_store)
    left = conn.execute("SELECT key_id FROM signing_keys WHERE username = ?",
                        (participant,)).fetchall()
    conn.close()
    assert len(left) == 1
    with Session.open(old_store, participant, PASSPHRASE, kdf=TEST_KDF) as session:
        signer = session.store.signer
        assert signer is not None
        assert signer.key_id != left[0][0]
    slots = SlotFile.read(old_store / "keyslots.json")
    slot = slots.find(participant)
    assert slot is not None
    assert not slot.sealed_signing
    with Session.open(old_store, "beheer", PASSPHRASE, kdf=TEST_KDF) as session:
        assert admin.verify_audit(session).ok
