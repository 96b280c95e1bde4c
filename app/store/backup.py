"""Encrypted backups: ``sqlcipher_export`` into a copy under the same key and slots.

A backup is a folder that is itself a complete store (database, key slots, audit head) plus
a ``backup.json`` manifest with no personal data.  Automatic backups on clean close go to
``<store>/backups/<UTC timestamp>/``; the newest N (default 5) are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

from app.crypto.keyslots import SlotFile
from app.errors import StoreError
from app.fsutil import atomic_write
from app.i18n import N_
from app.store.connection import open_connection
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
    _private_mkdir(dest)
    with store.transaction():
        store.log("store.backup", object_type="store", object_id=store.meta("store_id"))
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
    return dest


def auto_backup(store: Store) -> Path:
    """The rotating backup made on every clean close."""
    root = store.folder / BACKUP_DIR
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = backup_to(store, root / stamp)
    keep = int(store.meta("backup_keep"))
    # Only automatic backups rotate; folders set aside by ``restore`` are never pruned.
    backups = sorted(p for p in root.iterdir() if p.is_dir() and _AUTO_NAME.match(p.name))
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
    """Remove automatic backups (after ``rotate`` they would still open with old slots)."""
    root = store.folder / BACKUP_DIR
    if root.is_dir():
        shutil.rmtree(root)


def verify_backup(backup: Path, username: str, passphrase: str) -> None:
    """Check that ``username`` can open ``backup`` and that its database is intact."""
    check_folder(backup)
    slots = SlotFile.read(backup / SLOTS_NAME)
    key = slots.unlock(username, passphrase)
    conn = open_connection(backup / DB_NAME, key)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    if result != "ok":
        raise StoreError("backup.damaged", N_("The backup is damaged."))


def restore(backup: Path, target: Path, username: str, passphrase: str, *, force: bool) -> None:
    """Copy ``backup`` into ``target`` after checking it opens for ``username``.

    An existing store in ``target`` is replaced only with ``force``; its files are first
    moved into ``target/backups/pre-restore-<time>/`` so nothing is lost.
    """
    verify_backup(backup, username, passphrase)
    if target.exists() and (target / SLOTS_NAME).exists():
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
    with Store.open(target, username, passphrase) as store:
        with store.transaction():
            store.log("store.restore", object_type="store", object_id=store.meta("store_id"))
        store.logout()
        auto_backup_if_due(store)


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
