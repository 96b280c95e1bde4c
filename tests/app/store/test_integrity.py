"""Damage versus bugs (app/store/integrity.py; issue 9, hardening).

Only SQLite's "damaged or not a database" answers are a damaged store (exit 5); a lock, a
constraint or an SQL mistake stays what it is.  ``integrity_problem`` answers in plain
words instead of raising.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from app.errors import StoreError
from app.store import integrity
from app.store.connection import PAGE_SIZE
from app.store.layout import DB_NAME
from tests.app.store.support import _open


def _damage_cases_root(folder: Path) -> None:
    with _open(folder) as store:
        (root,) = store.conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()
    with (folder / DB_NAME).open("r+b") as fh:
        fh.seek((root - 1) * PAGE_SIZE + 100)
        fh.write(b"\xff" * 200)


def test_only_damage_counts_as_damage(folder: Path) -> None:
    """issue 9, hardening: a missing table, a constraint violation or a plain bug are not
    damage; a damaged page is, and so is what follows from it: the connection then refuses
    writes (a READONLY error, not damage by itself, found through its context)."""
    with _open(folder) as store:
        with pytest.raises(sqlcipher3.OperationalError) as missing:
            store.conn.execute("SELECT * FROM no_such_table")
        assert integrity.damage_error(missing.value) is None
        with pytest.raises(sqlcipher3.IntegrityError) as constraint:
            store.conn.execute("INSERT INTO meta(key, value) VALUES ('store_id', 'x')")
        assert integrity.damage_error(constraint.value) is None
    assert integrity.damage_error(RuntimeError("a bug")) is None
    _damage_cases_root(folder)
    store = _open(folder)
    try:
        with pytest.raises(sqlcipher3.DatabaseError) as corrupt:
            store.conn.execute("SELECT * FROM cases").fetchall()
        assert integrity.is_damage(corrupt.value)
        try:
            raise corrupt.value
        except sqlcipher3.DatabaseError:
            with pytest.raises(sqlcipher3.OperationalError) as after:
                with store.transaction():
                    store.log("test.write")
        assert not integrity.is_damage(after.value)
        found = integrity.damage_error(after.value)
        assert found is not None
        assert (found.code, int(found.exit_code)) == ("store.damaged", 5)
    finally:
        with contextlib.suppress(sqlcipher3.DatabaseError):
            store.close()


def test_a_store_damaged_error_in_the_chain_is_kept() -> None:
    """issue 9, hardening: the plain-words error of ``audit verify`` survives a second
    failure while the session closes."""
    first = StoreError("store.damaged", "Store damaged: {problem}.", {"problem": "x"})
    second = sqlcipher3.OperationalError("attempt to write a readonly database")
    second.__context__ = first
    assert integrity.damage_error(second) is first


def test_integrity_problem_answers_in_plain_words(folder: Path) -> None:
    """issue 9, hardening: an intact store has no problem; a page failing its HMAC is
    reported as damaged parts of the file, without raising."""
    with _open(folder) as store:
        assert integrity.integrity_problem(store.conn) is None
    _damage_cases_root(folder)
    with _open(folder) as store:
        assert integrity.integrity_problem(store.conn) == integrity.PAGES_DAMAGED


class _Answers:
    """A connection whose PRAGMAs answer as given (structural damage with intact page
    HMACs cannot be made through SQLCipher without writing raw b-tree pages)."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers

    def execute(self, sql: str) -> _Answers:
        self.rows = self.answers[sql.split()[1]]
        if isinstance(self.rows, Exception):
            raise self.rows
        return self

    def fetchall(self) -> Any:
        return self.rows


def test_integrity_problem_reports_structure_and_keeps_bugs() -> None:
    """issue 9, hardening: a b-tree report other than "ok", or an integrity_check that
    fails with SQLITE_CORRUPT, is a structure problem; any other error is raised."""
    corrupt = sqlcipher3.DatabaseError("database disk image is malformed")
    cases = [
        (_Answers(cipher_integrity_check=[], integrity_check=[("ok",)]), None),
        (_Answers(cipher_integrity_check=[], integrity_check=[("row 3 missing from index",)]),
         integrity.STRUCTURE_DAMAGED),
        (_Answers(cipher_integrity_check=[], integrity_check=corrupt),
         integrity.STRUCTURE_DAMAGED),
        (_Answers(cipher_integrity_check=corrupt), integrity.PAGES_DAMAGED),
    ]
    for conn, expected in cases:
        assert integrity.integrity_problem(conn) == expected
    with pytest.raises(sqlcipher3.OperationalError):
        integrity.integrity_problem(_Answers(
            cipher_integrity_check=sqlcipher3.OperationalError("database is locked")))
