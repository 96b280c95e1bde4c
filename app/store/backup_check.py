"""Checking a backup's audit chain without writing a byte into it (issue 9, §9.9).

``audit verify`` and ``audit check-head`` open a *store*: a session logs the login and
the check, moves the head and this computer's witness, and makes an automatic backup on
close.  Run on a backup, that changed the very copy being checked as evidence.  Here the
backup is opened with the user's own slot on a connection that refuses every write
(``PRAGMA query_only``); nothing is logged in it, no head or witness moves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from app.crypto.keyslots import normalise_username
from app.domain.roles import Role
from app.errors import AuthError, StoreError
from app.i18n import N_
from app.store.audit import AuditTrail, VerifyResult
from app.store.backup import BackupUser, read_backup
from app.store.connection import Connection
from app.store.migrations import current_version
from app.store.restorers import administrators

# Schema 8 brought the signed chain; an older backup has only the legacy MAC chain,
# whose key a reader of the backup would need to trust.
_SIGNED_SCHEMA = 8


def check_backup(backup: Path, username: str, passphrase: str, *,
                 authorize: Callable[[BackupUser], None],
                 head_document: bytes | None = None) -> VerifyResult:
    """Verify the chain of ``backup`` read-only, and with ``head_document`` check it
    against a head kept elsewhere (behind it, or forked from it: not ok).

    ``authorize`` gets the user as the backup knows them and raises to refuse, before
    anything but the user table is read.
    """
    with read_backup(backup, username, passphrase) as (conn, user):
        authorize(user)
        if current_version(conn) < _SIGNED_SCHEMA:
            return VerifyResult(False, 0, None, N_("backup made before signed audit trails"))
        trail = _trail(conn, backup)
        if head_document is None:
            return trail.verify()
        return trail.check_exported_head(head_document)


def _trail(conn: Connection, folder: Path) -> AuditTrail:
    """The chain of a store or backup read without a session: nobody signs."""
    store_id = str(conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0])
    legacy = conn.execute("SELECT value FROM meta WHERE key = 'audit_key'").fetchone()
    return AuditTrail(conn, folder, store_id, signer=None,
                      legacy_key=bytes.fromhex(legacy[0]) if legacy else None)


def administers(folder: Path, username: str, passphrase: str) -> bool | None:
    """Whether ``username`` administers the store in ``folder`` by its signed chain, read
    the same way as a backup (own slot, writes refused, nothing logged): the question a
    restore over that store asks first (issue 9, §9.9).  False also when the user's
    passphrase opens no slot there: a user the store removed has none, whatever happened
    to the database.  None when the store cannot be read to tell (a damaged slot file, or
    a damaged or missing database behind a slot that opens): restoring a damaged store is
    what restore is for."""
    # read_backup opens the user's slot before the database: a removed administrator
    # does not pass by deleting the database.
    try:
        with read_backup(folder, username, passphrase) as (conn, user):
            if current_version(conn) < _SIGNED_SCHEMA:
                # No signed chain to go by: the user table, as a backup of that age.
                return user is not None and user[1] is Role.BEHEERDER
            trail = _trail(conn, folder)
            return normalise_username(username) in administrators(conn, trail)
    except AuthError:
        return False
    except (StoreError, OSError, sqlcipher3.DatabaseError):
        return None
