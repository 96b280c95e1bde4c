"""The store: one encrypted database plus its sidecar files in one folder.

The folder layout is in :mod:`app.store.layout`.

A :class:`Store` is owned by the thread that opened it; its connection refuses other threads.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from app import clock
from app.crypto import envelope
from app.crypto.keyslots import (
    PRODUCTION_KDF,
    KdfParams,
    SlotFile,
    UserKeys,
    check_passphrase_strength,
    new_data_key,
    normalise_username,
)
from app.domain.principals import user_principal
from app.domain.roles import SUPPORT_ROLES, Role
from app.errors import AuthError, InputError, StoreError
from app.fsutil import atomic_write
from app.i18n import N_
from app.store import destruction, joint_keys, witness
from app.store.audit import AuditEvent, AuditTrail
from app.store.connection import SQLITE_MAGIC, Connection, key_pragma, open_connection
from app.store.keyring import Keyring, register_principal
from app.store.layout import DB_NAME, PENDING_NAME, SLOTS_NAME
from app.store.lock import LockInfo, StoreLock
from app.store.migrations import migrate
from app.store.signing import KeySigner, register_key

log = logging.getLogger(__name__)

DEFAULT_BACKUP_KEEP = 5
READ_EVENTS = frozenset({
    "session.login", "session.logout", "case.read", "case.list", "meeting.read",
    "meeting.list", "disclosure", "audit.verify", "access.denied", "store.backup",
    # The privacy officer's looks and exports (issue 11): logged, but nothing changed.
    "register.read", "register.export", "audit.read", "audit.export",
    "processing_register.read", "request.list", "request.read", "request.search",
    "request.inzage", "request.tasks", "breach.list", "breach.read", "breach.export",
    "figures.read", "info_duty.overview",
})


@dataclass(frozen=True)
class UserRecord:
    """A user of the store.  Not personal data of data subjects; still never logged."""

    username: str
    display_name: str
    role: Role
    party_id: str

    def __repr__(self) -> str:
        # Keep names out of tracebacks and logs.
        return f"UserRecord(role={self.role.value!r}, party_id={self.party_id!r})"


def _utcnow() -> str:
    return clock.utc_now_iso()


def check_folder(folder: Path) -> None:
    """Raise a precise StoreError when ``folder`` cannot be a store."""
    if not folder.exists():
        raise StoreError("store.missing", N_("The store folder does not exist."))
    if folder.is_file():
        with contextlib.suppress(OSError), folder.open("rb") as fh:
            if fh.read(16) == SQLITE_MAGIC:
                raise StoreError(
                    "store.plaintext",
                    N_("This is an unencrypted SQLite file, not a Casustafel store."),
                )
        raise StoreError(
            "store.not_folder",
            N_("A Casustafel store is a folder; this is a file that is not a store."),
        )
    if not (folder / SLOTS_NAME).is_file():
        if (folder / DB_NAME).is_file():
            raise StoreError(
                "store.slots_missing",
                N_("The store's key slot file is missing; restore it from a backup."),
            )
        raise StoreError("store.not_casustafel", N_("This folder is not a Casustafel store."))


class Store:
    """An open, unlocked store with its acting user.  Use as a context manager."""

    def __init__(
        self,
        folder: Path,
        conn: Connection,
        keys: UserKeys,
        slots: SlotFile,
        lock: StoreLock,
        user: UserRecord,
        lock_info: LockInfo,
    ) -> None:
        self.folder = folder
        self.conn = conn
        self._data_key = keys.data_key
        self.slots = slots
        self._lock = lock
        self.user = user
        self.lock_info = lock_info
        self._owner = threading.get_ident()
        self._depth = 0
        # Set by any audited event that changes data (not by reads, logins, disclosures on
        # screen): a clean close makes an automatic backup only then, or when the newest
        # automatic backup is older than an hour (app.store.backup.auto_backup_if_due).
        self.changed = False
        self._logged_out = False
        # Cases whose access changed in the running transaction; before it commits, the
        # session's hook re-seals their items (app.services.keys.sync_cases).
        self.dirty_cases: set[int] = set()
        self.pre_commit: Callable[[set[int]], None] | None = None
        self.store_id = self.meta("store_id")
        # The joint record's words are read through a SQL function that opens them with
        # this user's keyring as it is at that moment (app.store.joint_keys).
        joint_keys.install(conn, lambda: self.keyring)
        self.bind_keys(keys)

    def bind_keys(self, keys: UserKeys) -> None:
        """Bind the user's own keys: the signer of their audit entries and their keyring.
        A store made before envelope keys has neither until ``keys migrate`` ran."""
        self.signer = KeySigner.of(keys.signing) if keys.signing is not None else None
        legacy = self.conn.execute(
            "SELECT value FROM meta WHERE key = 'audit_key'").fetchone()
        self.audit = AuditTrail(self.conn, self.folder, self.store_id, signer=self.signer,
                                legacy_key=bytes.fromhex(legacy[0]) if legacy else None)
        has_principal = self.conn.execute(
            "SELECT 1 FROM principals WHERE id = ?", (user_principal(self.user.username),)
        ).fetchone() is not None
        self.keyring: Keyring | None = Keyring(
            self.conn, self.store_id, self.user.username, keys.box,
            keeps_nothing=self.user.role in SUPPORT_ROLES) if has_principal else None

    def _adopt_signing(self, passphrase: str, keys: UserKeys) -> None:
        """First login after ``keys migrate``: replace the signing key the administrator
        made for this user by one only their own passphrase opens."""
        adopted = self.slots.adopt_signing(self.user.username, passphrase, keys)
        if adopted is None:
            return
        left, fresh = adopted
        assert fresh.signing is not None  # noqa: S101 - adopt_signing makes one
        with self.transaction_raw():
            register_key(self.conn, self.store_id, self.user.username,
                         envelope.raw_public(fresh.signing), KeySigner.of(left),
                         _utcnow())
        self.write_slots()
        self.bind_keys(fresh)

    @property
    def envelope(self) -> bool:
        """Whether the store keeps item content under envelope keys (schema 8, migrated)."""
        return self.conn.execute(
            "SELECT 1 FROM meta WHERE key = 'root_signing_key'").fetchone() is not None

    # -- opening ----------------------------------------------------------------
    @classmethod
    def create(
        cls,
        folder: Path,
        *,
        admin_username: str,
        admin_display_name: str,
        admin_party: str,
        passphrase: str,
        profile_id: str,
        profile_version: str,
        kdf: KdfParams = PRODUCTION_KDF,
    ) -> Store:
        """Make a new store in an empty (or new) folder; the first user is a beheerder."""
        check_passphrase_strength(passphrase)
        if not normalise_username(admin_username):
            raise InputError("user.username_empty", N_("The username must not be empty."))
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise StoreError(
                "store.folder_not_empty",
                N_("The folder for a new store must be empty or not exist yet."),
            )
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = StoreLock(folder)
        lock_info = lock.acquire(admin_username)
        try:
            data_key = new_data_key()
            slots = SlotFile.new()
            slots.add(admin_username, passphrase, data_key, kdf)
            keys = slots.unlock_keys(admin_username, passphrase)
            conn = open_connection(folder / DB_NAME, data_key, create=True)
            migrate(conn)
            now = _utcnow()
            name = normalise_username(admin_username)
            with _tx(conn):
                conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [
                        ("store_id", slots.store_id),
                        ("profile_id", profile_id),
                        ("profile_version", profile_version),
                        ("created_at", now),
                        ("backup_keep", str(DEFAULT_BACKUP_KEEP)),
                    ],
                )
                conn.execute(
                    "INSERT INTO users(username, display_name, role, party_id, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (name, admin_display_name, Role.BEHEERDER.value, admin_party, now),
                )
                enrol_root(conn, slots.store_id, name, admin_party, keys, now)
            atomic_write(folder / SLOTS_NAME, slots.to_bytes())
        except BaseException:
            lock.release()
            raise
        user = UserRecord(
            normalise_username(admin_username), admin_display_name, Role.BEHEERDER, admin_party
        )
        store = cls(folder, conn, keys, slots, lock, user, lock_info)
        with store.transaction():
            store.log("store.init", object_type="store", object_id=slots.store_id,
                      attributes={"profile": profile_id, "profile_version": profile_version})
            # From the start only signed facts count for the keys (app.services.vouch.MARK).
            store.log("keys.vouch_facts", object_type="store", object_id=slots.store_id)
            # Likewise item rows (app.services.vouch_items.MARK).
            store.log("keys.vouch_items", object_type="store", object_id=slots.store_id)
            # And persons' subject categories (app.services.vouch_items.PERSONS_MARK).
            store.log("keys.vouch_persons", object_type="store", object_id=slots.store_id)
        return store

    @classmethod
    def open(cls, folder: Path, username: str, passphrase: str, *,
             legacy: bool = False, restoring: bool = False) -> Store:
        """Unlock ``folder`` as ``username``; migrate the schema; check the chain against
        what this computer saw before (:mod:`app.store.witness`); log the login.

        A store made before envelope keys opens only with ``legacy`` (for the
        administrator's ``keys migrate``); everyone else is told to ask for it.
        ``restoring``: :func:`app.store.backup.restore` opens an older copy on purpose and
        records, in the chain, which head it replaces (the witnesses accept that).
        """
        check_folder(folder)
        lock = StoreLock(folder)
        lock_info = lock.acquire(username)
        try:
            conn, keys, slots = _unlock(folder, username, passphrase)
            try:
                migrate(conn)
            except BaseException:
                conn.close()
                raise
            row = conn.execute(
                "SELECT username, display_name, role, party_id FROM users"
                " WHERE username = ? AND removed_at IS NULL",
                (normalise_username(username),),
            ).fetchone()
            if row is None:
                conn.close()
                raise AuthError("auth.failed", N_("Unknown user or wrong passphrase."))
            if conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()[0] != (
                slots.store_id
            ):
                conn.close()
                raise StoreError(
                    "store.slots_damaged",
                    N_("The key slot file of this store is damaged or belongs to another store."),
                )
        except BaseException:
            lock.release(failed_open=True)
            raise
        _remove_stale_temp_files(folder)
        user = UserRecord(row[0], row[1], Role(row[2]), row[3])
        try:
            store = cls(folder, conn, keys, slots, lock, user, lock_info)
        except BaseException:
            # A damaged meta or audit page: release what was taken.
            conn.close()
            lock.release(failed_open=True)
            raise
        try:
            if store.envelope and keys.signing is None:
                store._adopt_signing(passphrase, keys)
            if not store.envelope and not legacy:
                raise StoreError(
                    "store.needs_key_migration",
                    N_("This store was made by an older version of Casustafel; its "
                       "administrator must convert it first (casustafel keys migrate)."))
            if store.envelope and not restoring:
                witness.check(store.audit.witness_id, store.audit,
                              store.meta("root_signing_key"))
            if store.envelope:
                # A copy or restored backup that still holds what a destruction run on
                # this computer destroyed loses it before anyone reads (issue 12).
                destruction.replay(store)
            if store.signer is not None:
                # (An unconverted store opened for ``keys migrate`` has nobody to sign
                # yet; the conversion's own entry records the session.)
                with store.transaction():
                    attrs = {"stale_lock_taken_over": True} if lock_info.stale else {}
                    store.log("session.login", attributes=attrs)
        except BaseException:
            store.conn.close()
            store.conn = None
            lock.release(failed_open=True)
            raise
        log.info("store opened (stale lock taken over: %s)", lock_info.stale)
        return store

    # -- basics -----------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("a Store is owned by the thread that opened it")

    def meta(self, key: str) -> str:
        """A value from the store's meta table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested use joins the outer one.

        The audit head file is written after COMMIT so that it never runs ahead of the
        database (a crash in between leaves the database ahead, which verify accepts).
        """
        self._check_thread()
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            if self.pre_commit is not None:
                # Rows of the joint record written in clear in this transaction (any
                # writer) are encrypted and sealed before it commits.
                due = self.dirty_cases | joint_keys.clear_cases(self.conn)
                if due:
                    self.pre_commit(due)
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.audit.discard_pending()
            raise
        finally:
            self._depth = 0
            self.dirty_cases = set()
        self.conn.execute("COMMIT")
        self.audit.flush_head()

    @contextlib.contextmanager
    def transaction_raw(self) -> Iterator[None]:
        """A transaction without audit entry or key work (key management only)."""
        self._check_thread()
        with _tx(self.conn):
            yield

    def mark_case(self, *case_ids: int) -> None:
        """Note that who may see these cases' items changed (inside a transaction)."""
        self.dirty_cases.update(case_ids)

    def log(
        self,
        name: str,
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        status: str = "ok",
        trace_id: str | None = None,
        processing_activity_id: str | None = None,
        data_subject_id: str | None = None,
        attributes: Mapping[str, object] | None = None,
    ) -> int:
        """Append an audit entry for the acting user (inside a transaction)."""
        if not self._depth:
            raise RuntimeError("audit entries are written inside a transaction")
        if name not in READ_EVENTS:
            self.changed = True
        return self.audit.append(
            AuditEvent(
                name=name,
                username=self.user.username,
                party_id=self.user.party_id,
                object_type=object_type,
                object_id=object_id,
                status=status,
                trace_id=trace_id,
                processing_activity_id=processing_activity_id,
                data_subject_id=data_subject_id,
                data_subject_id_type="betrokkene-id" if data_subject_id else None,
                attributes=attributes or {},
            )
        )

    # -- key management ---------------------------------------------------------
    def write_slots(self) -> None:
        """Persist the slot file atomically."""
        atomic_write(self.folder / SLOTS_NAME, self.slots.to_bytes())

    @property
    def data_key(self) -> bytes:
        """The data key; only key management and backups need it."""
        return self._data_key

    def rotate(self) -> None:
        """Re-encrypt under a new data key and reseal it to every remaining slot.

        Order matters for crash safety: the resealed slots go to ``keyslots.pending`` first,
        then the database is rekeyed (one SQLCipher transaction), then the pending file
        replaces the old one.  ``open`` finishes an interrupted rotation.
        """
        self._check_thread()
        new_key = new_data_key()
        self.slots.reseal(new_key)
        atomic_write(self.folder / PENDING_NAME, self.slots.to_bytes())
        self.conn.execute(key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
        (self.folder / PENDING_NAME).replace(self.folder / SLOTS_NAME)
        self._data_key = new_key

    # -- closing ----------------------------------------------------------------
    def logout(self) -> None:
        """Write the ``session.logout`` entry (once); the store stays open, so the session
        can still make its automatic backup with the logout in it."""
        if self.conn is None or self._logged_out or self.signer is None:
            return
        with self.transaction():
            self.log("session.logout")
        self._logged_out = True

    def close(self) -> None:
        """Log out and release the lock.  Backups are the session's decision
        (:meth:`app.services.session.Session.close`)."""
        if self.conn is None:
            return
        try:
            self.logout()
        finally:
            try:
                if self.keyring is not None:
                    self.keyring.forget()
                self.conn.close()
            finally:
                # Whatever failed above, the lock goes (and with it its open file).
                self.conn = None
                self._lock.release()


def _remove_stale_temp_files(folder: Path) -> None:
    """Temp files of an atomic write interrupted by a crash (ciphertext or head MACs only)."""
    for tmp in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def _tx(conn: Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def enrol_root(conn: Connection, store_id: str, username: str, party_id: str, keys: UserKeys,
               now: str) -> None:
    """The store's first administrator: the root signing key (it vouches for every later
    key) and their own principal, which receives nothing but lets them seal."""
    if keys.signing is None:
        raise ValueError("the root needs a signing key")
    signer = KeySigner.of(keys.signing)
    register_key(conn, store_id, username, envelope.raw_public(keys.signing), signer, now)
    register_principal(conn, store_id, user_principal(username), "user", party_id,
                       envelope.raw_public(keys.box), signer)


def _unlock(folder: Path, username: str, passphrase: str
            ) -> tuple[Connection, UserKeys, SlotFile]:
    slots = SlotFile.read(folder / SLOTS_NAME)
    keys = slots.unlock_keys(username, passphrase)
    try:
        return open_connection(folder / DB_NAME, keys.data_key), keys, slots
    except StoreError as error:
        pending = folder / PENDING_NAME
        if error.code != "store.damaged" or not pending.is_file():
            raise
    # An interrupted rotate: the database may already carry the new key.
    slots = SlotFile.read(pending)
    keys = slots.unlock_keys(username, passphrase)
    conn = open_connection(folder / DB_NAME, keys.data_key)
    pending.replace(folder / SLOTS_NAME)
    return conn, keys, slots
