"""Converting a store made before envelope keys (schema < 8) in one administrator command
(issue 9): ``casustafel keys migrate``.

At that moment the administrator still holds the old data key, with which every item could
be read.  The command, in one transaction:

1. checks the old (HMAC) audit chain; a broken chain is not carried into the signed one;
2. makes the administrator the root of trust (a signing key of their own) and gives every
   other user a principal, and a signing key sealed to that user's own box key which their
   next login replaces by one only their passphrase opens;
3. makes a key pair for every party with participants and seals it to them;
4. encrypts every item under a key of its own, sealed to the principals the policy allows,
   with a one-off sealing key the administrator forgets at the end;
5. removes the automatic backups (they hold the content in clear) and makes a new one.

Afterwards the administrator's keys open no content.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app import clock
from app.crypto import envelope
from app.crypto.keyslots import PRODUCTION_KDF, KdfParams
from app.domain.principals import party_principal, user_principal
from app.domain.roles import Role
from app.errors import AuthError, InputError, StoreError
from app.i18n import N_
from app.policy.holders import PARTY_ROLES
from app.services import keys, vouch, vouch_items
from app.services.session import Session
from app.store import backup as backups
from app.store import repo
from app.store.keyring import register_principal, seal_party_key
from app.store.signing import register_key
from app.store.store import Store, enrol_root


@dataclass(frozen=True)
class MigrationReport:
    """What the conversion did (counts only)."""

    users: int
    parties: int
    items: int
    legacy_entries: int


def migrate_store(folder: Path, username: str, passphrase: str, *,
                  kdf: KdfParams = PRODUCTION_KDF) -> MigrationReport:
    """Convert the store in ``folder`` (see the module docstring); administrator only."""
    store = Store.open(folder, username, passphrase, legacy=True)
    try:
        if store.user.role is not Role.BEHEERDER:
            raise AuthError("auth.not_allowed", N_("Only the administrator can do this."))
        if store.envelope:
            raise InputError("keys.migrated", N_("This store already uses envelope keys."))
        legacy = store.audit.verify()
        if not legacy.ok:
            raise StoreError("audit.broken_before_migration",
                             N_("The store's audit trail is broken; it is not converted."))
        report = _convert(store, username, passphrase, kdf, legacy.entries)
    except BaseException:
        store.close()
        raise
    try:
        backups.drop_auto_backups(store)
        store.logout()
        backups.auto_backup(store)
    finally:
        store.close()
    return report


def _convert(store: Store, username: str, passphrase: str, kdf: KdfParams,
             legacy_entries: int) -> MigrationReport:
    conn = store.conn
    now = clock.utc_now_iso()
    root_keys = store.slots.renew_keys(username, passphrase, passphrase, store.data_key, kdf)
    users = conn.execute("SELECT username, role, party_id FROM users"
                         " WHERE removed_at IS NULL ORDER BY username").fetchall()
    # The new slot first: a crash before the commit below leaves a store that is still
    # unconverted and opens with the same passphrase, so the command can simply run again.
    store.write_slots()
    with store.transaction_raw():
        enrol_root(conn, store.store_id, store.user.username, store.user.party_id, root_keys,
                   now)
    store.bind_keys(root_keys)
    signer = store.signer
    keyring = store.keyring
    if signer is None or keyring is None:
        raise RuntimeError("bind_keys did not give the administrator keys")
    parties: dict[str, list[str]] = {}
    with store.transaction():
        store.log("keys.migrate", object_type="store", object_id=store.store_id,
                  attributes={"legacy_entries": legacy_entries})
        for name, role, party in users:
            if name == store.user.username:
                continue
            box_public, _signing = store.slots.public_keys(name)
            register_principal(conn, store.store_id, user_principal(name), "user", party,
                               box_public, signer)
            signing = Ed25519PrivateKey.generate()
            store.slots.seal_signing(name, signing)
            register_key(conn, store.store_id, name, envelope.raw_public(signing), signer, now)
            if Role(role) in PARTY_ROLES:
                parties.setdefault(party, []).append(name)
        for party, members in sorted(parties.items()):
            private = X25519PrivateKey.generate()
            version = register_principal(conn, store.store_id, party_principal(party), "party",
                                         party, envelope.raw_public(private), signer)
            for name in members:
                principal = keyring.current(user_principal(name))
                if principal is not None:
                    seal_party_key(conn, store.store_id, party, version, private, name,
                                   principal)
        keyring.reload()
        from app.services.redaction import context

        session = Session(store, kdf)
        # What the old rows say is vouched for once, by the administrator converting the
        # store; from here on only signed facts count (app.services.vouch).
        vouch.vouch_everything(store)
        vouch_items.vouch_everything(store)
        changed = keys.sync_cases(store, repo.all_case_ids(conn), lambda: context(session))
        keyring.end_batch()
        store.write_slots()
    conn.execute("VACUUM")
    return MigrationReport(len(users), len(parties), changed, legacy_entries)
