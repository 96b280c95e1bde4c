"""The one handle the UI and the CLI hold: an unlocked store and its acting user.

``Session`` hides the store module from ``ui/`` (the import-linter contract forbids it):
the UI gets views from services, never the connection.
"""

from __future__ import annotations

from pathlib import Path

from app.crypto.keyslots import PRODUCTION_KDF, KdfParams
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

    @classmethod
    def open(
        cls, folder: Path, username: str, passphrase: str, *, kdf: KdfParams = PRODUCTION_KDF
    ) -> Session:
        """Unlock the store in ``folder`` (see :meth:`app.store.store.Store.open`)."""
        return cls(Store.open(folder, username, passphrase), kdf)

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
