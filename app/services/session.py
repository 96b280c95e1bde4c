"""The one handle the UI and the CLI hold: an unlocked store and its acting user.

``Session`` hides the store module from ``ui/`` (the import-linter contract forbids it):
the UI gets views from services, never the connection.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from app.crypto.keyslots import PRODUCTION_KDF, KdfParams
from app.domain.roles import Role
from app.store.backup import auto_backup_if_due
from app.store.store import Store
from app.views import UserView


class Session:
    """An unlocked store for one user.  Owned by the thread that opened it."""

    def __init__(self, store: Store, kdf: KdfParams = PRODUCTION_KDF) -> None:
        self._store = store
        # Cost parameters for slots *created* in this session (new users, new passphrases);
        # tests pass cheap parameters explicitly, production never does.
        self.kdf = kdf
        # (item id, recipient party, channel) already in the disclosure register this
        # session: repeated screen views are logged once (documented in disclosure.py).
        self.disclosed: set[tuple[int, str, str]] = set()
        self._renewed = False
        store.pre_commit = self._sync_keys

    def _sync_keys(self, case_ids: set[int]) -> None:
        # Imported here: the services import the session module.
        from app.services import keys
        from app.services.redaction import context

        keys.sync_cases(self._store, case_ids, lambda: context(self))

    @classmethod
    def open(
        cls, folder: Path, username: str, passphrase: str, *, kdf: KdfParams = PRODUCTION_KDF
    ) -> Session:
        """Unlock the store in ``folder`` (see :meth:`app.store.store.Store.open`); hand the
        party keys this user holds to new colleagues and finish key work others left."""
        session = cls(Store.open(folder, username, passphrase), kdf)
        try:
            session.settle_keys()
        except BaseException:
            # A login that fails after the unlock (a damaged page met by the key work)
            # must still let go of the store: a lock left to the garbage collector keeps
            # the folder "in use" until it runs.
            with contextlib.suppress(Exception):
                session.store.close()
            raise
        return session

    def settle_keys(self) -> None:
        """Key work at login (see :func:`app.services.keys.hand_over_party_keys`)."""
        from app.services import keys, party_keys
        from app.services.redaction import context

        store = self._store
        if store.user.role is Role.BEHEERDER and store.envelope:
            # A slot of nobody (a crash in an old import) must not outlive this login.
            from app.store import slot_repair

            if slot_repair.orphan_slot_ids(store):
                slot_repair.prune_orphan_slots(store)
            _vouch_old_store(store)
            # A member another administrator removed: the root renews their party's key.
            with store.transaction():
                party_keys.renew_after_removals(store)
        if store.keyring is None or store.keyring.keeps_nothing:
            return
        with store.transaction():
            if keys.hand_over_party_keys(store):
                store.keyring.reload()
            # Seals still made for a party key renewed since (a member left) go to the
            # new version (app.services.party_keys).
            party_keys.move_party_seals(store)
            keys.sync_due(store, lambda: context(self))

    @property
    def must_renew(self) -> bool:
        """The user still has the passphrase an administrator set: until they choose their
        own (:func:`app.services.admin.change_passphrase`), nothing else is allowed."""
        if self._renewed:
            return False
        row = self._store.conn.execute(
            "SELECT must_renew FROM users WHERE username = ?",
            (self._store.user.username,)).fetchone()
        # Only the user's own new passphrase clears the flag and nothing in a session
        # sets it on its own user again, so once clear it stays clear: every permission
        # check asks (thousands per report), and that need not be a query each.
        self._renewed = not (row and row[0])
        return not self._renewed

    @property
    def store(self) -> Store:
        """The store, for services inside ``app`` only."""
        return self._store

    @property
    def user(self) -> UserView:
        """The acting user."""
        u = self._store.user
        return UserView(u.username, u.display_name, u.role, u.party_id)

    @property
    def folder(self) -> Path:
        """The store folder (chosen by the user; not personal data)."""
        return self._store.folder

    @property
    def profile_id(self) -> str:
        """The covenant profile this store is bound to."""
        return self._store.meta("profile_id")

    def close(self, *, backup: bool = True) -> None:
        """Log out; on a clean close (``backup``) make the automatic backup when it is due
        (:func:`app.store.backup.auto_backup_if_due`), with the logout entry in it."""
        store = self._store
        try:
            if backup and store.conn is not None:
                store.logout()
                auto_backup_if_due(store)
        finally:
            store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.close(backup=exc_type is None)


def _vouch_old_store(store: Store) -> None:
    """A store from before signed facts (app.services.vouch) is vouched for by its root
    administrator's first login with this version: from then on a forged row widens no
    one's keys.  What the rows say at that moment is what gets vouched for."""
    from app.services import vouch, vouch_items

    if vouch.root_user(store) != store.user.username:
        return
    facts, items = not vouch.required(store), not vouch_items.required(store)
    # A store vouched for items before persons' categories were signed (schema 15).
    persons = not items and not vouch_items.persons_vouched(store)
    if not facts and not items and not persons:
        return
    with store.transaction():
        if facts:
            vouch.vouch_everything(store)
        if items:
            vouch_items.vouch_everything(store)
        if persons:
            vouch_items.vouch_persons(store)
