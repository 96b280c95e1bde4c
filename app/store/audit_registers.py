"""The registers' cross-check with the audit chain (split from :mod:`app.store.audit`).

Every ``disclosures`` row has its ``disclosure`` entry with the same facts and vice versa,
and the same for ``reports`` and ``report.generate``.  An entry may lack its row only when
the row was destroyed past its retention term (issue 12, ZVH 17.5): a signed
``retention.register_destroyed`` entry later in the chain names it, or (in a backup the run
cleaned) the approver's signed ledger entry kept in ``meta`` does.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

from app.i18n import N_
from app.store.connection import Connection

DISCLOSURE = "disclosure"
REPORT = "report.generate"
REGISTER_EVENTS = frozenset({DISCLOSURE, REPORT})
REGISTER_DESTROYED = "retention.register_destroyed"  # = destruction.REGISTER_EVENT

#: seq -> (name, username, object_id, attributes) of a register entry
Registered = Mapping[int, tuple[str, str, object, dict[str, Any]]]


def has_table(conn: Connection, name: str) -> bool:
    """Whether the store has table ``name`` (an old store may lack a register)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def _same(value: object, expected: object) -> bool:
    return (None if value is None else str(value)) == (None if expected is None
                                                       else str(expected))


# The reasons, spelled out per register so the catalogs hold each one (the CLI and the
# workbench show them translated).
_PROBLEMS = {
    "disclosures": (N_("disclosures row without its audit entry"),
                    N_("disclosures row duplicated"),
                    N_("disclosures row does not match its audit entry"),
                    N_("audit entry without its disclosures row")),
    "reports": (N_("reports row without its audit entry"),
                N_("reports row duplicated"),
                N_("reports row does not match its audit entry"),
                N_("audit entry without its reports row")),
}


def check_registers(conn: Connection, store_id: str, registered: Registered,
                    cuts: list[tuple[int, dict[str, Any]]]) -> tuple[int | None, str] | None:
    """``(seq, reason)`` of the first register row or entry without its counterpart, None
    when the registers and the chain agree.  ``cuts`` are the (seq, attributes) of the
    chain's ``retention.register_destroyed`` entries."""
    destroyed = _destroyed_lines(conn, store_id, cuts)
    for table, event, check in (("disclosures", DISCLOSURE, _disclosure_matches),
                                ("reports", REPORT, _report_matches)):
        if not has_table(conn, table):
            continue
        columns = _REGISTER_COLUMNS[table]
        seen: set[int] = set()
        for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY audit_seq"):
            seq = int(row[0])
            entry = registered.get(seq)
            if entry is None or entry[0] != event:
                return seq, _PROBLEMS[table][0]
            if seq in seen:
                return seq, _PROBLEMS[table][1]
            seen.add(seq)
            if not check(tuple(row), entry):
                return seq, _PROBLEMS[table][2]
        gone = destroyed.get(table, _Runs())
        for seq, entry in sorted(registered.items()):
            if entry[0] == event and seq not in seen and seq not in gone:
                return seq, _PROBLEMS[table][3]
    return None


class _Runs:
    """A set of seqs kept as inclusive runs (a signed entry names thousands of lines as a
    few runs; nothing is expanded, so even a huge run costs nothing to check)."""

    def __init__(self) -> None:
        self._runs: list[tuple[int, int]] = []
        self._merged: tuple[list[int], list[int]] | None = None

    def add(self, first: int, last: int) -> None:
        self._runs.append((first, last))
        self._merged = None

    def _merge(self) -> tuple[list[int], list[int]]:
        firsts: list[int] = []
        lasts: list[int] = []
        for first, last in sorted(self._runs):
            if lasts and first <= lasts[-1] + 1:
                lasts[-1] = max(lasts[-1], last)
            else:
                firsts.append(first)
                lasts.append(last)
        return firsts, lasts

    def __contains__(self, seq: object) -> bool:
        if not isinstance(seq, int):
            return False
        if self._merged is None:
            self._merged = self._merge()
        firsts, lasts = self._merged
        at = bisect.bisect_right(firsts, seq) - 1  # the last run starting at or before seq
        return at >= 0 and seq <= lasts[at]


def _runs_of(value: object) -> list[tuple[int, int]] | None:
    """``[[first, last], ...]`` as pairs; None when malformed."""
    if not isinstance(value, list):
        return None
    out = []
    for run in value:
        if not (isinstance(run, list) and len(run) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in run)
                and run[0] <= run[1]):
            return None
        out.append((int(run[0]), int(run[1])))
    return out


def _destroyed_lines(conn: Connection, store_id: str,
                     cuts: list[tuple[int, dict[str, Any]]]) -> dict[str, _Runs]:
    """Per register table, the entry seqs whose rows were destroyed past their term, as
    named by (a) a ``retention.register_destroyed`` entry of the verified chain (signed by
    the user it names, so by the approver of the run or the user whose login replayed it),
    for entries before it, when its count agrees with its runs; or (b) a ledger entry kept
    in ``meta`` that is validly signed by a key this store trusts and belongs to its root
    (:func:`app.store.destruction.entry_valid`).  Anything else excuses nothing."""
    from app.store import destruction  # destruction does not import audit; no cycle

    out: dict[str, _Runs] = {}
    for at, attrs in cuts:
        table, runs = attrs.get("register"), _runs_of(attrs.get("seqs"))
        lines = attrs.get("lines")
        if (not isinstance(table, str) or runs is None or not isinstance(lines, int)
                or sum(last - first + 1 for first, last in runs) != lines
                or any(last >= at for _first, last in runs)):
            continue
        for first, last in runs:
            out.setdefault(table, _Runs()).add(first, last)
    if has_table(conn, "meta"):
        for entry in destruction.stored_ledgers(conn):
            if not destruction.entry_valid(conn, store_id, entry):
                continue
            for cut in destruction.registers_of(entry):
                for _row_id, seq in cut.lines:
                    out.setdefault(cut.table, _Runs()).add(seq, seq)
    return out


_REGISTER_COLUMNS = {
    "disclosures": "audit_seq, item_id, provider_party, recipient_party, legal_basis,"
                   " channel, document_id, username",
    "reports": "audit_seq, document_id, sha256, created_by, kind, recipient, pages",
}


def _disclosure_matches(row: tuple[object, ...],
                        entry: tuple[str, str, object, dict[str, Any]]) -> bool:
    _seq, item_id, provider, recipient, basis, channel, document, username = row
    _name, entry_user, object_id, attrs = entry
    return (_same(object_id, item_id) and entry_user == username
            and all(_same(attrs.get(key), value) for key, value in (
                ("provider", provider), ("recipient", recipient), ("legal_basis", basis),
                ("channel", channel), ("document", document))))


def _report_matches(row: tuple[object, ...],
                    entry: tuple[str, str, object, dict[str, Any]]) -> bool:
    _seq, document_id, sha256, created_by, kind, recipient, pages = row
    _name, entry_user, object_id, attrs = entry
    if not _same(object_id, document_id) or entry_user != created_by:
        return False
    # What report.generate logs: sha256, kind, recipient and pages must agree when logged.
    return all(_same(attrs[key], value) for key, value in (
        ("document_id", document_id), ("sha256", sha256), ("kind", kind),
        ("recipient", recipient), ("pages", pages)) if key in attrs)
