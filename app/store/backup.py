"""Encrypted backups: ``sqlcipher_export`` into a copy under the same key and slots.

A backup is a folder that is itself a complete store (database, key slots, audit head) plus
a ``backup.json`` manifest with no personal data.  Automatic backups on clean close go to
``<store>/backups/<UTC timestamp>/``; the newest N (default 5) are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from app import clock
from app.crypto.keyslots import SlotFile, normalise_username
from app.domain.roles import Role
from app.errors import InputError, StoreError
from app.fsutil import atomic_write
from app.i18n import N_
from app.store import witness
from app.store.connection import Connection, open_connection
from app.store.integrity import integrity_problem
from app.store.layout import BACKUP_DIR, DB_NAME, HEAD_NAME, SLOTS_NAME
from app.store.migrations import current_version
from app.store.store import (
    Store,
    check_folder,
)

MANIFEST = "backup.json"
AUTO_BACKUP_MAX_AGE = dt.timedelta(hours=1)
_AUTO_NAME = re.compile(r"^\d{8}T\d{12}Z$")


def backup_to(store: Store, dest: Path) -> Path:
    """Write an encrypted copy of ``store`` into the new folder ``dest``."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise StoreError(
            "backup.dest_not_empty", N_("The backup folder must be empty or not exist yet.")
        )
    existed = dest.exists()
    _private_mkdir(dest)
    try:
        _write_backup(store, dest)
    except BaseException:
        # A half-written folder (e.g. sqlcipher_export stopped at a damaged page) named
        # like an automatic backup would count as the newest one and push good ones out
        # of the rotation (issue 9, hardening).
        _discard(dest, keep_folder=existed)
        raise
    return dest


def _discard(dest: Path, *, keep_folder: bool) -> None:
    if not keep_folder:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for child in dest.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _write_backup(store: Store, dest: Path) -> None:
    with store.transaction():
        store.log("store.backup", object_type="store", object_id=store.meta("store_id"))
        _record_place(store, dest)
    target = dest / DB_NAME
    # ATTACH would create the file with the process umask; make it user-only first.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    key_hex = store.data_key.hex()
    # ATTACH cannot bind the key either; the path is bound.
    store.conn.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{key_hex}'\"", (str(target),))
    try:
        store.conn.execute("SELECT sqlcipher_export('backup')")
        # sqlcipher_export does not copy user_version, which carries the schema version.
        store.conn.execute(f"PRAGMA backup.user_version = {current_version(store.conn):d}")
    finally:
        store.conn.execute("DETACH DATABASE backup")
    atomic_write(dest / SLOTS_NAME, store.slots.to_bytes())
    head = store.folder / HEAD_NAME
    if head.exists():
        atomic_write(dest / HEAD_NAME, head.read_bytes())
    manifest = {
        "format": 1,
        "store_id": store.meta("store_id"),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "schema_version": current_version(store.conn),
        "slot_generation": store.slots.generation,
    }
    atomic_write(dest / MANIFEST, json.dumps(manifest).encode())


def _record_place(store: Store, dest: Path) -> None:
    """Where and when a backup was made (schema 12): a destruction run cleans the backups
    inside the store folder and lists the others, which may still hold copies under the
    old keys, in its proces-verbaal (issue 12; WO 9.8)."""
    if store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'backup_places'").fetchone() is None:
        return
    place = dest.resolve()
    internal = place.is_relative_to((store.folder / BACKUP_DIR).resolve())
    store.conn.execute("INSERT INTO backup_places(place, internal, made_at) VALUES (?,?,?)",
                       (str(place), int(internal), clock.utc_now_iso()))


def auto_backup(store: Store) -> Path:
    """The rotating backup made on every clean close."""
    root = store.folder / BACKUP_DIR
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = backup_to(store, root / stamp)
    keep = int(store.meta("backup_keep"))
    # Only automatic backups rotate; folders set aside by ``restore`` are never pruned.
    backups = _auto_backups(root)
    for old in backups[:-keep] if keep > 0 else []:
        shutil.rmtree(old)
    return path


def newest_auto_backup_age(store: Store) -> dt.timedelta | None:
    """How old the newest automatic backup is (None when there is none)."""
    root = store.folder / BACKUP_DIR
    if not root.is_dir():
        return None
    names = sorted(p.name for p in root.iterdir() if _AUTO_NAME.match(p.name))
    if not names:
        return None
    made = dt.datetime.strptime(names[-1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC) - made


def auto_backup_if_due(store: Store) -> Path | None:
    """The automatic backup of a clean close: only after changes, or when the newest
    automatic backup is older than :data:`AUTO_BACKUP_MAX_AGE` (or there is none)."""
    age = newest_auto_backup_age(store)
    if store.changed or age is None or age > AUTO_BACKUP_MAX_AGE:
        return auto_backup(store)
    return None


def drop_auto_backups(store: Store) -> None:
    """Remove the automatic backups (after ``rotate`` they would still open with old slots).

    Only folders named like an automatic backup go: a ``pre-restore-*`` folder is the only
    copy of the store that a forced ``restore`` replaced, and anything else in ``backups/``
    was put there by a person (issue 9, hardening).
    """
    for old in _auto_backups(store.folder / BACKUP_DIR):
        shutil.rmtree(old)


def _auto_backups(root: Path) -> list[Path]:
    """The automatic backups under ``root``, oldest first (symlinks are never followed)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if _AUTO_NAME.match(p.name) and p.is_dir() and not p.is_symlink())


BackupUser = tuple[str, Role] | None
"""``(party_id, role)`` of a user in a backup, or None (unknown or removed there)."""


@contextlib.contextmanager
def read_backup(backup: Path, username: str, passphrase: str
                ) -> Iterator[tuple[Connection, BackupUser]]:
    """The backup's database opened with ``username``'s own slot on a connection that
    refuses writes (a backup is only read, never written into), after checking that it is
    intact, with the user as the backup knows them (their party and role, None when the
    backup has no such current user)."""
    check_folder(backup)
    key = SlotFile.read(backup / SLOTS_NAME).unlock(username, passphrase)
    conn = open_connection(backup / DB_NAME, key)
    try:
        conn.execute("PRAGMA query_only = ON")
        # A page failing its HMAC makes integrity_check raise instead of answering;
        # integrity_problem turns both kinds of damage into an answer.
        if integrity_problem(conn) is not None:
            raise StoreError("backup.damaged", N_("The backup is damaged."))
        yield conn, backup_user(conn, username)
    finally:
        conn.close()


def verify_backup(backup: Path, username: str, passphrase: str) -> BackupUser:
    """Check that ``username`` can open ``backup`` and that its database is intact; the
    user as the backup knows them (see :func:`read_backup`)."""
    with read_backup(backup, username, passphrase) as (_conn, user):
        return user


def backup_user(conn: Connection, username: str) -> BackupUser:
    """The user as the backup (or a store read without a session) knows them."""
    row = conn.execute("SELECT party_id, role FROM users WHERE username = ?"
                       " AND removed_at IS NULL", (normalise_username(username),)).fetchone()
    if row is None:
        return None
    try:
        return str(row[0]), Role(str(row[1]))
    except ValueError:  # a role this version does not know: no rights at all
        return None


def restore(backup: Path, target: Path, username: str, passphrase: str, *, force: bool,
            authorize: Callable[[BackupUser], None] | None = None) -> None:
    """Copy ``backup`` into ``target`` after checking it opens for ``username``.

    ``authorize`` gets the user as the backup knows them, after the backup is checked and
    before anything in ``target`` is touched; it raises to refuse (the service asks the
    policy there: restoring is the administrator's act).

    An existing store in ``target`` is replaced only with ``force``; its files are first
    moved into ``target/backups/pre-restore-<time>/`` so nothing is lost.  The backup is
    only read: ``target`` may not be the backup itself or lie inside it.  The other way
    round is the usual case (a store's own ``backups/<time>/`` restored into it).
    """
    _check_not_onto_itself(backup, target)
    user = verify_backup(backup, username, passphrase)
    if authorize is not None:
        authorize(user)
    if holds_store(target):
        if not force:
            raise StoreError(
                "restore.target_exists",
                N_("The target folder already holds a store; use --force to replace it."),
            )
        from app.store.lock import StoreLock

        lock = StoreLock(target)
        lock.acquire(username)
        try:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            aside = target / BACKUP_DIR / f"pre-restore-{stamp}"
            suffix = 1
            while aside.exists():  # two restores within one clock tick
                aside = target / BACKUP_DIR / f"pre-restore-{stamp}-{suffix}"
                suffix += 1
            _private_mkdir(aside)
            for name in (DB_NAME, SLOTS_NAME, HEAD_NAME):
                if (target / name).exists():
                    (target / name).replace(aside / name)
            _copy_files(backup, target)
        finally:
            lock.release()
    else:
        if target.exists() and not target.is_dir():
            raise StoreError("restore.target_not_folder",
                             N_("The restore target must be a folder."))
        _private_mkdir(target)
        _copy_files(backup, target)
    with Store.open(target, username, passphrase, restoring=True) as store:
        with store.transaction():
            # A deliberate restore is an audited act: the entry names the newer head this
            # computer saw, which the restored (older) chain knowingly replaces; the
            # replaced chain itself stays in the pre-restore copy as evidence.
            store.log("store.restore", object_type="store", object_id=store.meta("store_id"),
                      attributes=witness.superseded_attributes(store.audit.witness_id))
        # This computer now follows the restored chain (the restore entry excuses it).
        witness.check(store.audit.witness_id, store.audit, store.meta("root_signing_key"))
        store.logout()
        auto_backup_if_due(store)


def holds_store(folder: Path) -> bool:
    """Whether ``folder`` holds (part of) a store: its database or its key slots.  Either
    alone is worth keeping: a restore without ``force`` must not write over a database
    whose slot file is missing, and with ``force`` it moves it aside first."""
    return folder.is_dir() and any((folder / name).exists() for name in (DB_NAME, SLOTS_NAME))


def _check_not_onto_itself(backup: Path, target: Path) -> None:
    """Refuse a restore that would move the backup's own files aside before copying them
    (issue 9, hardening): ``restore S S --force`` left an empty store.  Paths are compared
    resolved (symlinks, ``..``, relative paths) and, where both exist, as the same file
    (a case-insensitive file system)."""
    source, dest = backup.resolve(), target.resolve()
    if _same_folder(source, dest):
        raise InputError(
            "restore.onto_itself",
            N_("The backup and the store folder are the same folder; restore into "
               "another folder."),
        )
    if any(_same_folder(source, parent) for parent in dest.parents):
        raise InputError(
            "restore.target_in_backup",
            N_("The store folder lies inside the backup folder; a backup is only read, "
               "never written into."),
        )


def _same_folder(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist (yet)
        return False


def _private_mkdir(folder: Path) -> None:
    """mkdir -p where every folder created is user-only (``mode`` applies to the last one
    only in ``Path.mkdir``)."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)


def _copy_files(backup: Path, target: Path) -> None:
    for name in (DB_NAME, SLOTS_NAME, HEAD_NAME):
        source = backup / name
        if source.exists():
            atomic_write(target / name, source.read_bytes())
