"""Opening one SQLCipher connection with the measured settings.

Why these settings (measured on the reference machine, see DEVELOPERS.md):
- a raw 32-byte key (``x'..'``) skips SQLCipher's own PBKDF2, so opening is instant; the
  passphrase work happens once, in the key slot (Argon2id);
- ``cipher_log_level = NONE`` keeps SQLCipher's own error lines off the user's stderr;
- ``secure_delete`` overwrites freed pages, ``temp_store = MEMORY`` keeps temporary tables
  and sort spills off disk (they would be plaintext), a 64 MB page cache brings encrypted
  reads to ~1.3x plain SQLite;
- rollback journal (``DELETE``), not WAL: WAL needs shared memory, which network shares do
  not give reliably, and stores may live on a share.  The journal holds encrypted pages.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlcipher3

from app.errors import StoreError
from app.i18n import N_

PAGE_SIZE = 4096
SQLITE_MAGIC = b"SQLite format 3\x00"

Connection = Any  # sqlcipher3 ships no type stubs


def key_pragma(data_key: bytes) -> str:
    """The ``PRAGMA key`` statement for a raw key (PRAGMA cannot take bound parameters)."""
    if len(data_key) != 32:
        raise ValueError("data key must be 32 bytes")
    return f"PRAGMA key = \"x'{data_key.hex()}'\""


def classify_file(db_path: Path) -> None:
    """Raise a precise StoreError for files that cannot be one of our databases."""
    # Only the first 16 bytes: reading the whole file cost 0.15 s per unlock at 10k cases.
    head = b""
    if db_path.exists():
        with db_path.open("rb") as fh:
            head = fh.read(16)
    if head == SQLITE_MAGIC:
        raise StoreError(
            "store.plaintext",
            N_("This is an unencrypted SQLite file, not a Casustafel store."),
        )
    size = db_path.stat().st_size
    if size < PAGE_SIZE or size % PAGE_SIZE:
        raise StoreError(
            "store.truncated",
            N_("The store's database file is truncated; restore it from a backup."),
        )


def open_connection(db_path: Path, data_key: bytes, *, create: bool = False) -> Connection:
    """Open and key a connection owned by the calling thread.

    sqlite's ``check_same_thread`` stays on: a connection used from another thread raises,
    which is how "one connection per thread, never shared" is enforced.
    """
    if not create:
        if not db_path.is_file():
            raise StoreError(
                "store.not_casustafel", N_("This folder is not a Casustafel store.")
            )
        classify_file(db_path)
    else:
        # Create the file user-only first; SQLite gives its journal the same permissions.
        os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = sqlcipher3.connect(str(db_path), isolation_level=None, timeout=5.0)
    try:
        # The key must be the first statement on the connection.
        conn.execute(key_pragma(data_key))
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise StoreError(
            "store.damaged",
            N_("The store's database file is damaged or does not match its key slots."),
        ) from None
    for pragma in (
        "PRAGMA secure_delete = ON",
        "PRAGMA temp_store = MEMORY",
        "PRAGMA cache_size = -65536",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",
    ):
        conn.execute(pragma)
    return conn
