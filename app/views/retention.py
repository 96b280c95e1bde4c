"""What the retention screens, the CLI and the proces-verbaal show (issue 12): lines of the
destruction schedule, extensions, and the outcome of a run.

No content: a line names the case reference (pseudonymous process metadata, level 1 of
*Samen onder Handbereik*), counts of items per data category, the rule with its article
and the dates.  The destruction report itself names no case (see
:mod:`app.reports.destruction`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.profiles import LocalText

WHAT_LABELS = {
    "case": "whole case",
    "item": "items",
    "register": "register lines",
}
"""English msgids of what a line destroys (translate with ``_``)."""


@dataclass(frozen=True)
class CategoryCount:
    """How many items of one data category a line covers."""

    category: str
    name: LocalText
    count: int


@dataclass(frozen=True)
class DueLine:
    """One line of the destruction schedule.

    ``what``: ``case`` (the whole case with its items and persons), ``item`` (single items
    of a case, e.g. dagmonitor data) or ``register`` (lines of a register; no case).
    ``due_on``: the day the term ends (from then on destruction is due);
    ``extended_until``: the recorded extension that set it (ZVH 11.3-11.4), if any;
    ``extendable``: whether one more extension may be recorded, and up to when.
    """

    what: str
    rule: str
    article: str
    case_ref: str | None
    categories: tuple[CategoryCount, ...]
    items: int
    persons: int
    lines: int
    starts_on: dt.date | None
    due_on: dt.date
    extended_until: dt.date | None
    extend_limit: dt.date | None
    overdue: bool

    def to_json(self) -> dict[str, Any]:
        """The line as JSON (dates ISO)."""
        return {
            "what": self.what, "rule": self.rule, "article": self.article,
            "case": self.case_ref,
            "categories": {c.category: c.count for c in self.categories},
            "items": self.items, "persons": self.persons, "lines": self.lines,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "due_on": self.due_on.isoformat(),
            "extended_until": self.extended_until.isoformat() if self.extended_until else None,
            "extend_limit": self.extend_limit.isoformat() if self.extend_limit else None,
            "overdue": self.overdue,
        }

    def __repr__(self) -> str:
        return f"DueLine(what={self.what!r}, rule={self.rule!r}, due_on={self.due_on})"


@dataclass(frozen=True)
class DueView:
    """The schedule on ``as_of``: what a run on that day would destroy.  ``agreement``: the
    dagmonitor agreement whose term applies (None: none recorded, the shorter term)."""

    as_of: dt.date
    lines: tuple[DueLine, ...]
    agreement: str | None
    approver_role: str

    @property
    def cases(self) -> int:
        """Whole cases due."""
        return sum(1 for line in self.lines if line.what == "case")

    @property
    def items(self) -> int:
        """Items due (of whole cases and single)."""
        return sum(line.items for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        """The schedule as JSON."""
        return {"as_of": self.as_of.isoformat(), "agreement": self.agreement,
                "approver_role": self.approver_role, "cases": self.cases,
                "items": self.items, "lines": [line.to_json() for line in self.lines]}


@dataclass(frozen=True)
class ExtensionView:
    """A recorded extension (ZVH 11.3-11.4); the motivation stays in the file."""

    case_ref: str
    rule: str
    article: str
    due_before: dt.date
    until: dt.date
    recorded_by: str

    def to_json(self) -> dict[str, Any]:
        """The extension as JSON."""
        return {"case": self.case_ref, "rule": self.rule, "article": self.article,
                "due_before": self.due_before.isoformat(), "until": self.until.isoformat(),
                "recorded_by": self.recorded_by}


@dataclass(frozen=True)
class RuleCount:
    """What one rule destroyed in a run: whole cases, items, persons, register lines."""

    rule: str
    article: str
    what: str
    cases: int
    items: int
    persons: int
    lines: int


@dataclass(frozen=True)
class BackupPlace:
    """A backup made outside the store folder that may still hold copies under the old
    keys (WO 9.8), with the day it was made."""

    place: str
    made_on: dt.date


@dataclass(frozen=True)
class DestructionReportView:
    """Everything the proces-verbaal van vernietiging shows: no personal data, no case
    references (the ledger in the store holds the ids)."""

    covenant: LocalText
    document_id: str
    run_on: dt.date
    run_at: dt.datetime
    approved_by: str
    approver_role: LocalText
    rules: tuple[RuleCount, ...]
    categories: tuple[CategoryCount, ...]
    backups_cleaned: int
    backups_failed: tuple[str, ...]
    outside_backups: tuple[BackupPlace, ...]
    agreement: str | None


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run: the proces-verbaal (PDF bytes, in memory only), its id and
    SHA-256, and the counts."""

    pdf: bytes
    document_id: str
    sha256: str
    pages: int
    cases: int
    items: int
    register_lines: int
    backups_cleaned: int
    backups_failed: tuple[str, ...]
    outside_backups: tuple[BackupPlace, ...]

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON (without the PDF)."""
        return {"document_id": self.document_id, "sha256": self.sha256, "pages": self.pages,
                "cases": self.cases, "items": self.items,
                "register_lines": self.register_lines,
                "backups_cleaned": self.backups_cleaned,
                "backups_failed": list(self.backups_failed),
                "outside_backups": [{"place": b.place, "made_on": b.made_on.isoformat()}
                                    for b in self.outside_backups]}

    def __repr__(self) -> str:
        return f"RunResult(document_id={self.document_id!r}, cases={self.cases})"
