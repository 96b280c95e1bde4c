"""Telling a damaged store from a bug, for the desktop app (issue 9, hardening).

A page of the database file that fails its SQLCipher check surfaces as a raw
``sqlcipher3.DatabaseError`` from whichever query reads it, long after the store opened.
The CLI maps it to exit 5 and ``store.damaged`` (:mod:`app.cli.main`); the desktop app asks
here, since its widgets may not look at the store layer themselves.
"""

from __future__ import annotations

from app.errors import StoreError
from app.store import integrity

DAMAGED_CODE = "store.damaged"


def store_damage(error: BaseException) -> StoreError | None:
    """``store.damaged`` when ``error`` (or an exception it arose from) is damage of the
    store's database file, else None.  Locks, full disks and bugs are not damage."""
    if isinstance(error, StoreError) and error.code == DAMAGED_CODE:
        return error
    return integrity.damage_error(error)
