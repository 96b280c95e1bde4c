"""The key follows the policy, tested as a hostile insider would (issue 9, ZVH 3.5c).

Every user runs the program on a folder they can copy.  Here each user of a demo store
takes *their own* passphrase, opens the database straight through ``sqlcipher3`` and tries
every sealed key in it with every private key they can reach, using only the crypto
primitives (the attacker's code below does not use ``app.store.keyring``).  What they can
decrypt must be a subset of what the policy could show them at some time; a support role
decrypts nothing; and no canary is left in clear anywhere in the database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlcipher3
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.crypto.keyslots import SlotFile
from app.domain.roles import SUPPORT_ROLES, Role
from app.policy.engine import Level, PolicyContext, Viewer, decide
from app.policy.facts import load_facts
from app.policy.holders import probe_contexts
from app.profiles import load_profile
from app.services.redaction import strictest_incident_classes
from app.store import repo
from tests.conftest import PASSPHRASE, DemoSpec, DemoStoreFactory

ZVH = "zvh-rotterdam-rijnmond"
TODAY = dt.datetime.now().astimezone().date()
SPEC = DemoSpec(ZVH, cases=14, seed=11, today=TODAY, canary=True)


# --------------------------------------------------------------------------- the attacker

def _raw(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


def _hkdf(shared: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(shared)


def _open_gcm(key: bytes, blob: bytes, aad: bytes) -> bytes | None:
    try:
        return AESGCM(key).decrypt(blob[:12], blob[12:], aad)
    except (InvalidTag, ValueError):
        return None


@dataclass
class Loot:
    """What one insider got out of the store."""

    items: set[int] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)


def _connect(folder: Path, data_key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(folder / "casustafel.db"))
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    return conn


def reach(folder: Path, username: str, store_id: str
          ) -> tuple[sqlcipher3.Connection, list[X25519PrivateKey],
                     dict[tuple[str, int], bytes]]:
    """What ``username`` reaches with their own passphrase: the open database, every
    private key they can unseal (their own box key and any party key sealed to it) and
    every principal's public key."""
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(username, PASSPHRASE)
    conn = _connect(folder, keys.data_key)
    privates = [keys.box]
    # Party keys sealed to anyone: try them all with the user's own box key.
    for party_id, version, holder, _uv, sealed in conn.execute(
            "SELECT party_id, party_version, username, user_version, sealed"
            " FROM party_key_seals"):
        blob = bytes(sealed)
        eph = blob[:32]
        for own in list(privates):
            try:
                shared = own.exchange(X25519PublicKey.from_public_bytes(eph))
            except ValueError:
                continue
            wrap = _hkdf(shared, eph + _raw(own), b"casustafel anonymous seal v1")
            aad = f"party-key|{store_id}|{party_id}|{version}|{holder}".encode()
            raw = _open_gcm(wrap, blob[32:], aad)
            if raw is not None:
                privates.append(X25519PrivateKey.from_private_bytes(raw))
    publics = {}
    for pid, version, box in conn.execute("SELECT id, version, box_public FROM principals"):
        publics[(str(pid), int(version))] = bytes(box)
    return conn, privates, publics


def open_seal(privates: list[X25519PrivateKey], publics: dict[tuple[str, int], bytes],
              sealer: object, sealer_version: object, sealed: object, aad: bytes
              ) -> bytes | None:
    """Try one static-static seal with every private key the attacker holds."""
    sealer_public = (bytes.fromhex(str(sealer)[4:]) if str(sealer).startswith("eph:")
                     else publics.get((str(sealer), int(str(sealer_version)))))
    if sealer_public is None:
        return None
    for own in privates:
        shared = own.exchange(X25519PublicKey.from_public_bytes(sealer_public))
        salt = b"".join(sorted((_raw(own), sealer_public)))
        pair = _hkdf(shared, salt, b"casustafel item seal v1")
        key = _open_gcm(pair, bytes(sealed), aad)  # type: ignore[arg-type]
        if key is not None:
            return key
    return None


def attack(folder: Path, username: str, store_id: str,
           extra_seals: list[tuple[object, ...]] | None = None) -> Loot:
    """Everything ``username`` can decrypt with their own passphrase and a script."""
    conn, privates, publics = reach(folder, username, store_id)
    seals = conn.execute("SELECT item_id, key_gen, holder, sealer, sealer_version, sealed"
                         " FROM item_keys").fetchall() + list(extra_seals or [])
    item_keys: dict[tuple[int, int], bytes] = {}
    for item_id, gen, holder, sealer, sealer_version, sealed in seals:
        aad = f"item-key|{store_id}|{item_id}|{gen}|{holder}".encode()
        key = open_seal(privates, publics, sealer, sealer_version, sealed, aad)
        if key is not None:
            item_keys[(int(item_id), int(gen))] = key
    loot = Loot()
    for item_id, gen, content in conn.execute(
            "SELECT id, key_gen, content FROM items WHERE content IS NOT NULL"):
        key = item_keys.get((int(item_id), int(gen)))
        if key is None:
            continue
        plain = _open_gcm(key, bytes(content), f"item|{store_id}|{item_id}|{gen}".encode())
        if plain is not None:
            loot.items.add(int(item_id))
            loot.texts.append(plain.decode())
    conn.close()
    return loot


# --------------------------------------------------------------------------- the oracle

def ever_allowed(folder: Path, username: str, role: Role, party: str) -> set[int]:
    """Item ids the policy shows ``username`` in full on some probed day and meeting
    (today, a year either way, every meeting window edge, consent starts, stage edges)."""
    return _allowed(folder, username, role, party)[0]


def _allowed(folder: Path, username: str, role: Role, party: str
             ) -> tuple[set[int], set[int]]:
    """(ever allowed, allowed today outside any meeting)."""
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = _connect(folder, admin.data_key)
    profile = load_profile(ZVH)
    cases = repo.cases(conn)
    facts = load_facts(conn, cases)
    items = repo.items_by_case(conn, None)
    conn.close()
    viewer = Viewer(party, role, username)
    base = PolicyContext(profile, TODAY, None, strictest_incident_classes())
    allowed: set[int] = set()
    today: set[int] = set()
    for case in cases:
        f = facts[case.id]
        probes = probe_contexts(f, base)
        probes += [PolicyContext(profile, TODAY + dt.timedelta(days=d), m,
                                 strictest_incident_classes())
                   for d in (-365, -30, 30, 365) for m in (None, *(t.meeting_id for t in
                                                                   f.tables))]
        for item in items.get(case.id, []):
            if any(decide(viewer, item, f, p).level is Level.FULL for p in probes):
                allowed.add(item.id)
            if decide(viewer, item, f, base).level is Level.FULL:
                today.add(item.id)
    return allowed, today


def _users(folder: Path) -> list[tuple[str, Role, str]]:
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = _connect(folder, admin.data_key)
    rows = [(str(u), Role(r), str(p)) for u, r, p in conn.execute(
        "SELECT username, role, party_id FROM users WHERE removed_at IS NULL ORDER BY 1")]
    store_id = str(conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()[0])
    conn.close()
    _STORE_IDS[folder] = store_id
    return rows


_STORE_IDS: dict[Path, str] = {}


# --------------------------------------------------------------------------- the tests

@pytest.fixture(scope="module")
def demo_folder(demo_stores: object) -> Path:
    """The pristine canary demo store (read only here)."""
    return demo_stores.pristine(SPEC).folder  # type: ignore[attr-defined]


def test_zvh_3_5c_each_user_decrypts_only_what_the_policy_allows(demo_folder: Path) -> None:
    """ZVH 3.5c: with their own key and a script, every user decrypts only items the
    policy shows them at some time; support roles decrypt none; participants decrypt
    what the policy shows them today (so the keys are neither too wide nor too narrow)."""
    users = _users(demo_folder)
    store_id = _STORE_IDS[demo_folder]
    decrypted_any: set[int] = set()
    for username, role, party in users:
        loot = attack(demo_folder, username, store_id)
        decrypted_any |= loot.items
        if role in SUPPORT_ROLES:
            assert loot.items == set(), (username, len(loot.items))
            continue
        allowed, today = _allowed(demo_folder, username, role, party)
        assert loot.items <= allowed, (username, sorted(loot.items - allowed)[:5])
        # And the keys are not stricter than the policy today: what it shows them now,
        # their keys open (else the app would show "not readable with your keys").
        assert today <= loot.items, (username, sorted(today - loot.items)[:5])
    assert decrypted_any, "nobody decrypted anything: the test would prove nothing"


def test_no_canary_is_left_in_clear_in_the_database(demo_folder: Path) -> None:
    """Issue 9: item content lives only under item keys; the administrator's data key
    (which opens the database) shows no canary anywhere, in any table."""
    admin = SlotFile.read(demo_folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = _connect(demo_folder, admin.data_key)
    tables = [str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = "\n".join(repr(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    plain_items = conn.execute(
        "SELECT count(*) FROM items WHERE content IS NULL OR body != ''").fetchone()[0]
    total = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    conn.close()
    assert total > 0
    assert plain_items == 0
    assert "CANARY-" not in dump
    raw = (demo_folder / "casustafel.db").read_bytes()
    assert b"CANARY-" not in raw


# --------------------------------------------------------------------------- generated

def _phase_op(folder: Path, ref: str, op: str) -> None:
    """Move the case on once (triage -> casusoverleg) or close it once: the covenant's
    process allows nothing else (ZVH PP 1.18-1.21)."""
    from tests.app.services import test_services as ts

    with ts._open(folder, ts.CHAIR) as session:
        current = ts.repo.case_by_reference(session.store.conn, ref)
        assert current is not None
        if op == "phase_next" and current.phase == "triage":
            ts.casework.change_phase(session, ref, "casusoverleg")
        elif op == "phase_close" and current.closed_at is None:
            ts.casework.close_case(session, ref, phase=(
                "afschaling" if current.phase == "casusoverleg" else "niet_doorgeleid"),
                reason="Klaar", basis="PP 1.21")


OPS = st.lists(st.sampled_from(["grant_ggz", "grant_halt", "revoke", "consent", "withdraw",
                                "phase_next", "phase_close"]), min_size=1, max_size=5)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(ops=OPS)
@example(ops=["grant_ggz", "consent", "phase_next"])  # a re-key owed by the director
def test_zvh_3_5c_generated_grants_consents_and_phases_keep_keys_in_bounds(
        demo_store: DemoStoreFactory, ops: list[str]) -> None:
    """ZVH 3.5b-d, 7.2, 13.7: after any sequence of grants, revocations, consents,
    withdrawals and phase changes, every user still decrypts only what the policy allows,
    and a user who saved the seals from before a revocation or withdrawal opens no current
    content they lost."""
    from tests.app.services import test_services as ts

    # Each example is another copy of one store (the same store id): another computer.
    os.environ["CASUSTAFEL_WITNESS_DIR"] = tempfile.mkdtemp()
    folder = demo_store(ts.SPEC)
    # From triage the case can move on once and then close (the covenant's process).
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.GGZ, ts.HALT), phase="triage")
    ggz_user = ts._user(ts.GGZ)
    police_user = ts._user(ts.POLICE)
    ts._item(folder, ggz_user, ref, "GGZ-CANARY-zorg", category="health")
    ts._item(folder, police_user, ref, "POLITIE-CANARY-melding", category="police")
    users = _users(folder)
    store_id = _STORE_IDS[folder]
    grants: list[int] = []
    consents_made: list[int] = []
    saved: list[tuple[object, ...]] = []
    for op in ops:
        saved += _all_seals(folder)
        with ts._open(folder, ggz_user) as session:
            if op == "grant_ggz":
                grants.append(ts.casework.grant(session, ref, recipient=ts.RDAM,
                                                legal_basis=ts.BASIS, phase=None))
            elif op == "grant_halt":
                grants.append(ts.casework.grant(session, ref, recipient=ts.HALT,
                                                legal_basis=ts.BASIS, phase=None))
            elif op == "revoke" and grants:
                ts.casework.revoke_grant(session, grants.pop())
            elif op == "consent":
                consents_made.append(ts.consents.record_consent(
                    session, ref, "B1", source_party=ts.GGZ,
                    recipients=[ts.RDAM, ts.HALT], categories=["health"],
                    purpose="Plan van aanpak", told_withdrawal=True))
            elif op == "withdraw" and consents_made:
                ts.consents.withdraw_consent(session, consents_made.pop())
        if op.startswith("phase"):
            _phase_op(folder, ref, op)
    watched = [(u, r, p) for u, r, p in users if u in {
        ggz_user, police_user, ts.CHAIR, ts._user(ts.HALT), ts._user(ts.RDAM), "beheer"}]
    # A re-key owed by someone who could not open the item waits for a holder: until the
    # providers log in, only such items may still open with a saved seal.
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = _connect(folder, admin.data_key)
    pending = {int(r[0]) for r in conn.execute("SELECT id FROM items WHERE rekey_due")}
    conn.close()
    for username, role, party in watched:
        allowed = ever_allowed(folder, username, role, party)
        loot = attack(folder, username, store_id)
        assert loot.items <= allowed, (username, op, sorted(loot.items - allowed))
        with_old = attack(folder, username, store_id, extra_seals=saved)
        assert with_old.items - allowed - loot.items <= pending, (username, "old seals")
        if role in SUPPORT_ROLES:
            assert loot.items == set()
    for provider in (ggz_user, police_user):
        ts._open(folder, provider).close()
    # After closing, an item the policy shows nobody is sealed to nobody, so nobody can
    # re-key it; its content never changes again (the key generation a saved seal names
    # is still the current one), so an old seal opens only what it opened before, until
    # retention destroys the key (docs/security.md, limits).
    conn = _connect(folder, admin.data_key)
    orphaned = {int(r[0]) for r in conn.execute(
        "SELECT id FROM items i WHERE rekey_due"
        " AND NOT EXISTS (SELECT 1 FROM item_keys k WHERE k.item_id = i.id)")}
    conn.close()
    for username, role, party in watched:
        allowed = ever_allowed(folder, username, role, party)
        loot = attack(folder, username, store_id)
        assert loot.items <= allowed, (username, op, sorted(loot.items - allowed))
        with_old = attack(folder, username, store_id, extra_seals=saved)
        assert with_old.items <= allowed | loot.items | orphaned, (username, "old seals")


def _all_seals(folder: Path) -> list[tuple[object, ...]]:
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = _connect(folder, admin.data_key)
    rows = conn.execute("SELECT item_id, key_gen, holder, sealer, sealer_version, sealed"
                        " FROM item_keys").fetchall()
    conn.close()
    return [tuple(r) for r in rows]


def test_attacker_code_opens_what_the_keyring_opens(demo_folder: Path) -> None:
    """The attacker's decryption above is not blind: for a participant it opens exactly
    the items the app's own keyring opens for them (so the bound is tested on real
    decryption, not on a script that can open nothing)."""
    from app.store.keyring import Keyring

    users = _users(demo_folder)
    store_id = _STORE_IDS[demo_folder]
    username = next(u for u, r, _p in users if r is Role.DEELNEMER)
    keys = SlotFile.read(demo_folder / "keyslots.json").unlock_keys(username, PASSPHRASE)
    conn = _connect(demo_folder, keys.data_key)
    ring = Keyring(conn, store_id, username, keys.box)
    opened = {int(i) for i, g, c in conn.execute(
        "SELECT id, key_gen, content FROM items WHERE content IS NOT NULL")
        if ring.decrypt(int(i), int(g), bytes(c)) is not None}
    conn.close()
    assert opened
    assert attack(demo_folder, username, store_id).items == opened
    assert json.dumps(sorted(opened))


def test_zvh_3_5c_revoking_a_grant_rekeys_so_old_seals_open_nothing_new(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5c-d: a grant seals the item's key to the recipient; revoking it re-encrypts
    the item under a new key for the parties that remain, so the recipient, even with a
    copy of the seals it had, cannot read the item any more."""
    from tests.app.services import test_services as ts

    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.HALT,))
    rdam_user, halt_user = ts._user(ts.RDAM), ts._user(ts.HALT)
    item_id = ts._item(folder, rdam_user, ref, "RDAM-CANARY-adres", category="identity")
    users = {u: (r, p) for u, r, p in _users(folder)}
    store_id = _STORE_IDS[folder]
    assert item_id not in attack(folder, halt_user, store_id).items
    grant_id = ts._grant(folder, rdam_user, ref, ts.HALT, item_id=item_id,
                         phase="casusoverleg")
    assert item_id in attack(folder, halt_user, store_id).items
    assert item_id in ever_allowed(folder, halt_user, *users[halt_user])
    saved = _all_seals(folder)
    with ts._open(folder, rdam_user) as session:
        ts.casework.revoke_grant(session, grant_id)
    assert item_id not in attack(folder, halt_user, store_id).items
    assert item_id not in attack(folder, halt_user, store_id, extra_seals=saved).items
    # The provider still reads its own item, under the new key.
    assert item_id in attack(folder, rdam_user, store_id).items
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = _connect(folder, admin.data_key)
    gen = conn.execute("SELECT key_gen FROM items WHERE id = ?", (item_id,)).fetchone()[0]
    conn.close()
    assert gen == 2


def test_zvh_3_5b_a_holder_re_keys_what_the_acting_user_could_not(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5b, 7.2: a phase change ends a grant; the procesregisseur who makes it may not
    open the GGZ item (the consent names only the municipality), so cannot re-key it: the
    grantee's seal goes at once and the item is marked, and GGZ, at its next login,
    re-keys it, so a copy of the old seal opens nothing current."""
    from tests.app.services import test_services as ts

    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.GGZ,), phase="triage")
    ggz_user, rdam_user = ts._user(ts.GGZ), ts._user(ts.RDAM)
    item_id = ts._item(folder, ggz_user, ref, "GGZ-CANARY-behandeling", category="health")
    with ts._open(folder, ggz_user) as session:
        ts.consents.record_consent(session, ref, "B1", source_party=ts.GGZ,
                                   recipients=[ts.RDAM], categories=["health"],
                                   purpose="Plan van aanpak", told_withdrawal=True)
    ts._grant(folder, ggz_user, ref, ts.RDAM, item_id=item_id, phase="triage")
    users = {u: (r, p) for u, r, p in _users(folder)}
    store_id = _STORE_IDS[folder]
    assert item_id in attack(folder, rdam_user, store_id).items
    assert item_id not in attack(folder, ts.CHAIR, store_id).items
    saved = _all_seals(folder)
    with ts._open(folder, ts.CHAIR) as session:
        ts.casework.change_phase(session, ref, "casusoverleg")
    assert item_id not in ever_allowed(folder, rdam_user, *users[rdam_user])
    assert item_id not in attack(folder, rdam_user, store_id).items
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)

    def state() -> tuple[int, int]:
        conn = _connect(folder, admin.data_key)
        row = conn.execute("SELECT key_gen, rekey_due FROM items WHERE id = ?",
                           (item_id,)).fetchone()
        conn.close()
        return int(row[0]), int(row[1])

    assert state() == (1, 1)
    # Until a holder comes by, the old seal still opens the (unchanged) content: the
    # limit docs/security.md names.  GGZ logs in: the item is re-keyed.
    assert item_id in attack(folder, rdam_user, store_id, extra_seals=saved).items
    ts._open(folder, ggz_user).close()
    assert state() == (2, 0)
    assert item_id not in attack(folder, rdam_user, store_id, extra_seals=saved).items
    assert item_id in attack(folder, ggz_user, store_id).items


def test_zvh_3_5d_a_grant_row_without_its_signed_entry_seals_nothing(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5d: only the providing party accords access.  A participant who inserts a
    grant row for another party's item with the data key (and queues the case) gets no
    seal when the provider's app next does its key work: the keys follow only grants a
    signed entry of the providing party vouches for."""
    from tests.app.services import test_services as ts

    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.HALT,))
    rdam_user, halt_user = ts._user(ts.RDAM), ts._user(ts.HALT)
    item_id = ts._item(folder, rdam_user, ref, "RDAM-CANARY-vervalst", category="identity")
    _users(folder)
    store_id = _STORE_IDS[folder]
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(halt_user, PASSPHRASE)
    conn = _connect(folder, keys.data_key)
    case_id = conn.execute("SELECT case_id FROM items WHERE id = ?", (item_id,)).fetchone()[0]
    conn.execute(
        "INSERT INTO grants(case_id, item_id, category, provider_party, recipient_party,"
        " phase, meeting_id, legal_basis, granted_by, granted_at, necessity, take_away)"
        " VALUES (?,?,NULL,?,?,'casusoverleg',NULL,'vervalst',?,?, '', 0)",
        (case_id, item_id, ts.RDAM, ts.HALT, rdam_user, "2030-01-01T00:00:00+00:00"))
    conn.execute("INSERT OR IGNORE INTO key_sync_due(case_id, since) VALUES (?, 'x')",
                 (case_id,))
    conn.commit()
    conn.close()
    ts._open(folder, rdam_user).close()  # the provider's login does the key work
    assert item_id not in attack(folder, halt_user, store_id).items
    # The same grant made by the provider through the app does seal it.
    ts._grant(folder, rdam_user, ref, ts.HALT, item_id=item_id, phase="casusoverleg")
    assert item_id in attack(folder, halt_user, store_id).items


def test_zvh_7_2_a_consent_row_without_its_signed_entry_seals_nothing(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 7.2: only the providing party (or the case's director for it) records a
    consent.  A recipient who inserts a consent row naming itself gets no seal for the
    GGZ item the grant already covers; the consent recorded through the app does seal."""
    from tests.app.services import test_services as ts

    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.GGZ, ts.HALT))
    ggz_user, halt_user = ts._user(ts.GGZ), ts._user(ts.HALT)
    item_id = ts._item(folder, ggz_user, ref, "GGZ-CANARY-zonder-toestemming",
                       category="health")
    ts._grant(folder, ggz_user, ref, ts.HALT, item_id=item_id, phase="casusoverleg")
    _users(folder)
    store_id = _STORE_IDS[folder]
    assert item_id not in attack(folder, halt_user, store_id).items
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(halt_user, PASSPHRASE)
    conn = _connect(folder, keys.data_key)
    case_id, person_id = conn.execute("SELECT case_id, person_id FROM items WHERE id = ?",
                                      (item_id,)).fetchone()
    conn.execute(
        "INSERT INTO consents(case_id, person_id, source_party, recipients, categories,"
        " purpose, given_on, recorded_by, basis, basis_note, given_by, form,"
        " told_withdrawal) VALUES (?,?,?,?,?,?,?,?,'consent','','person','written',1)",
        (case_id, person_id, ts.GGZ, json.dumps([ts.HALT]), json.dumps(["health"]),
         "vervalst", "2020-01-01", ggz_user))
    conn.execute("INSERT OR IGNORE INTO key_sync_due(case_id, since) VALUES (?, 'x')",
                 (case_id,))
    conn.commit()
    conn.close()
    ts._open(folder, ggz_user).close()
    assert item_id not in attack(folder, halt_user, store_id).items
    with ts._open(folder, ggz_user) as session:
        ts.consents.record_consent(session, ref, "B1", source_party=ts.GGZ,
                                   recipients=[ts.HALT], categories=["health"],
                                   purpose="Plan van aanpak", told_withdrawal=True)
    assert item_id in attack(folder, halt_user, store_id).items
