"""Telling a damaged database apart from a bug, and checking a database for damage.

``open_connection`` only proves that the key fits the first page.  A page damaged later in
the file (a bad disk sector, a torn copy, tampering) fails its SQLCipher HMAC only when a
query reads it, and then surfaces as ``sqlcipher3.DatabaseError`` from any query.  That is
a store that needs restoring from a backup (exit 5), not an internal error:
:func:`damage_error` recognises it at the boundaries (the CLI's error mapping), and
:func:`integrity_problem` looks for it on purpose (``audit verify``, backup checks).
"""

from __future__ import annotations

import logging

import sqlcipher3

from app.errors import StoreError
from app.i18n import N_
from app.store.connection import Connection

log = logging.getLogger(__name__)

# Primary result codes (extended codes such as SQLITE_CORRUPT_INDEX share the low byte).
_DAMAGE_CODES = frozenset({sqlcipher3.SQLITE_CORRUPT, sqlcipher3.SQLITE_NOTADB})
# Fallback when an exception carries no code (built by hand, or an older driver).
_DAMAGE_TEXTS = ("database disk image is malformed", "file is not a database")

PAGES_DAMAGED = N_("parts of the database file are damaged or were altered")
STRUCTURE_DAMAGED = N_("the structure of the database is inconsistent")


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` itself is SQLite reporting a damaged (or foreign) database file.

    Locks, full disks, constraint violations and SQL mistakes are not damage: they keep
    their own handling (a bug stays an internal error).
    """
    if not isinstance(error, sqlcipher3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _DAMAGE_CODES
    text = str(error).lower()
    return any(t in text for t in _DAMAGE_TEXTS)


def damage_error(error: BaseException) -> StoreError | None:
    """``store.damaged`` when ``error``, or an exception it arose from, is database damage.

    The chain is searched because a damaged page often fails twice: once in the query that
    read it, then in the logout entry written while the session closes (after SQLCipher met
    a damaged page the connection refuses writes: "attempt to write a readonly database").
    A ``store.damaged`` error already in the chain is returned as it is.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StoreError) and current.code == "store.damaged":
            return current
        if is_damage(current):
            return damaged()
        current = current.__cause__ or current.__context__
    return None


def damaged() -> StoreError:
    """The error for a store whose database file is damaged after it was opened."""
    return StoreError(
        "store.damaged",
        N_("The store's database file is damaged; restore it from a backup."),
    )


def integrity_problem(conn: Connection) -> str | None:
    """What is wrong with the database of ``conn`` in plain words (a msgid), or None.

    First ``PRAGMA cipher_integrity_check`` (every page's HMAC: damage or tampering), then
    ``PRAGMA integrity_check`` (the b-trees and indexes).  Damage is the answer, never an
    exception; the raw SQLite report is logged as a count only, since it names tables and
    row ids.
    """
    try:
        bad_pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except sqlcipher3.DatabaseError as error:
        if not is_damage(error):
            raise
        bad_pages = [("unreadable",)]
    if bad_pages:
        log.warning("integrity check: %d page(s) fail their HMAC", len(bad_pages))
        return PAGES_DAMAGED
    try:
        report = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlcipher3.DatabaseError as error:
        if not is_damage(error):
            raise
        report = [("unreadable",)]
    if report != [("ok",)]:
        log.warning("integrity check: %d problem(s) in the database structure", len(report))
        return STRUCTURE_DAMAGED
    return None
