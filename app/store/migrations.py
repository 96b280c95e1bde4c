"""Versioned, forward-only schema migrations.

Each ``schema/NNNN_name.sql`` file moves the schema from version NNNN-1 to NNNN and runs in
one transaction together with the ``user_version`` bump, so a crash leaves the old or the
new version, never a mix.  Files are never edited once released; a change is a new file.
"""

from __future__ import annotations

import re
from importlib import resources

from app.errors import StoreError
from app.i18n import N_
from app.store.connection import Connection

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str]]:
    """All known migrations as (version, sql), ascending."""
    found = []
    for entry in resources.files("app.store.schema").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (version, _sql) in enumerate(found, start=1):
        if version != expected:
            raise RuntimeError(f"schema migrations are not contiguous at {version}")
    return found


LATEST = len(migrations())


def current_version(conn: Connection) -> int:
    """The schema version recorded in the database."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, target: int | None = None) -> list[int]:
    """Apply pending migrations up to ``target`` (default: latest); return those applied."""
    target = LATEST if target is None else target
    version = current_version(conn)
    if version > LATEST:
        raise StoreError(
            "store.too_new",
            N_("This store was made by a newer version of Casustafel; please update."),
        )
    applied = []
    for number, sql in migrations():
        if version < number <= target:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number:d}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            applied.append(number)
    return applied


def _statements(sql: str) -> list[str]:
    # sqlite3.complete_statement keeps trigger bodies (with inner semicolons) together.
    import sqlite3

    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
