"""Key management in daily work (app.services.keys, app.store.keyring): what an insider
with the data key can write into the database does not bend who gets keys (issue 9)."""

from __future__ import annotations

from pathlib import Path

from app.domain.roles import Role
from app.services import admin
from app.services.session import Session
from tests.app.services import test_services as ts
from tests.app.test_insider import _STORE_IDS, _connect, _users, attack
from tests.conftest import PASSPHRASE, TEST_KDF, DemoStoreFactory

FIRST = "set by the administrator 1"


def _admin_conn(folder: Path):  # type: ignore[no-untyped-def]
    from app.crypto.keyslots import SlotFile

    keys = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    return _connect(folder, keys.data_key)


def test_a_forged_newer_party_key_does_not_lock_the_party_out(
        demo_store: DemoStoreFactory) -> None:
    """A row "party:<police> version 99" that anyone with the data key can insert is not
    trusted: the police keep opening their items, and nothing new is sealed to it."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    police_user = ts._user(ts.POLICE)
    conn = _admin_conn(folder)
    conn.execute("INSERT INTO principals(id, version, kind, party_id, box_public,"
                 " certified_by, cert_sig, created_at) VALUES (?,?,?,?,?,?,?,?)",
                 (f"party:{ts.POLICE}", 99, "party", ts.POLICE, b"\x01" * 32, "nobody",
                  b"\x00" * 64, "2026-12-01T00:00:00+00:00"))
    conn.commit()
    conn.close()
    item_id = ts._item(folder, police_user, ref, "POLITIE-CANARY-nieuw", category="police",
                       legal_basis=ts.POLICE_BASIS)
    _users(folder)
    assert item_id in attack(folder, police_user, ts_store_id(folder)).items
    conn = _admin_conn(folder)
    versions = {int(r[0]) for r in conn.execute(
        "SELECT holder_version FROM item_keys WHERE item_id = ? AND holder = ?",
        (item_id, f"party:{ts.POLICE}"))}
    conn.close()
    assert versions == {1}


def ts_store_id(folder: Path) -> str:
    return _STORE_IDS[folder]


def test_a_participant_who_edits_their_party_gets_no_other_partys_key(
        demo_store: DemoStoreFactory) -> None:
    """Editing one's own ``users.party_id`` to GGZ does not make a GGZ colleague hand
    over GGZ's key at login: the hand-over follows the party the administrator
    certified."""
    folder = demo_store(ts.SPEC)
    halt_user, ggz_user = ts._user(ts.HALT), ts._user(ts.GGZ)
    conn = _admin_conn(folder)
    conn.execute("UPDATE users SET party_id = ? WHERE username = ?", (ts.GGZ, halt_user))
    conn.commit()
    conn.close()
    ts._open(folder, ggz_user).close()
    conn = _admin_conn(folder)
    sealed = conn.execute("SELECT count(*) FROM party_key_seals WHERE party_id = ?"
                          " AND username = ?", (ts.GGZ, halt_user)).fetchone()[0]
    conn.close()
    assert sealed == 0


def test_the_root_administrator_keeps_enrolling_after_changing_passphrase(
        demo_store: DemoStoreFactory) -> None:
    """The store's first administrator renews their keys with their passphrase; users
    they add afterwards are still vouched for, renew their own keys and sign entries
    that verify."""
    folder = demo_store(ts.SPEC)
    with Session.open(folder, "beheer", PASSPHRASE, kdf=TEST_KDF) as session:
        admin.change_passphrase(session, PASSPHRASE, "the administrator's new one")
    with Session.open(folder, "beheer", "the administrator's new one", kdf=TEST_KDF) as session:
        admin.add_user(session, username="later", display_name="Later", role=Role.DEELNEMER,
                       party_id=ts.POLICE, passphrase=FIRST)
    with Session.open(folder, "later", FIRST, kdf=TEST_KDF) as session:
        admin.change_passphrase(session, FIRST, PASSPHRASE)
        assert not session.must_renew
    with Session.open(folder, "beheer", "the administrator's new one", kdf=TEST_KDF) as session:
        result = admin.verify_audit(session)
    assert result.ok, result


def test_a_replaced_signing_key_signs_nothing_after_the_renewal(
        demo_store: DemoStoreFactory) -> None:
    """Issue 9: whoever kept a copy of a user's old slot (or knew the passphrase an
    administrator set) cannot sign in that user's name after the user renewed their keys:
    verify reports an entry signed by the replaced key."""
    from app.crypto.keyslots import SlotFile
    from app.store.audit import AuditEvent
    from app.store.signing import KeySigner

    folder = demo_store(ts.SPEC)
    user = ts._user(ts.HALT)
    old = SlotFile.read(folder / "keyslots.json").unlock_keys(user, PASSPHRASE)
    assert old.signing is not None
    with Session.open(folder, user, PASSPHRASE, kdf=TEST_KDF) as session:
        admin.change_passphrase(session, PASSPHRASE, "a new passphrase of mine")
    # The forger opens the store as the administrator would let anyone (data key) and
    # appends an entry signed with the old key, re-hashing nothing else.
    with Session.open(folder, "beheer", PASSPHRASE, kdf=TEST_KDF) as session:
        store = session.store
        trail = type(store.audit)(store.conn, store.folder, store.store_id,
                                  signer=KeySigner.of(old.signing), legacy_key=None)
        store.conn.execute("BEGIN IMMEDIATE")
        trail.append(AuditEvent(name="case.read", username=user))
        store.conn.execute("COMMIT")
        result = admin.verify_audit(session)
    assert not result.ok
    assert result.problem == "entry signed by a key its owner replaced"
