"""The privacy officer's oversight lists: the breach register (ZVH 14), the information
duty overview (ZVH 16.6-16.7, OND 16.5) and the management figures (ZVH 12.3, 11.7).

Plain frozen data.  No view here holds an item, a name or any other content of a case:
the information duty rows name the case reference, the pseudonymous label ("B1"), the
subject category, the status, the written motivation and the dates; the breach register
describes kinds and numbers, never persons; the figures are counts with small cells
suppressed.  Reprs name ids and codes only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.vocab import InformedStatus
from app.i18n import N_, current_language
from app.profiles import LocalText
from app.views.values import safe_repr

__all__ = ["BREACH_STATUS_LABELS", "CLOCK_LABELS", "FIGURE_LABELS", "BreachRowView",
           "BreachView", "ClockState", "DeadlineView", "FigureCell", "FiguresView",
           "InfoDutyRow", "InfoDutyView", "PhaseFigure"]


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --------------------------------------------------------------------------- breaches


class ClockState(StrEnum):
    """Where one breach deadline stands (ZVH 14.3, 14.8)."""

    DONE = "done"                  # reported; ``on_time`` says whether within the hours
    DUE = "due"                    # not yet reported, the deadline has not passed
    LATE = "late"                  # not yet reported, the deadline has passed
    NOT_REQUIRED = "not_required"  # the AP need not be notified (reason recorded)


CLOCK_LABELS = {
    ClockState.DONE: N_("done"),
    ClockState.DUE: N_("due"),
    ClockState.LATE: N_("late"),
    ClockState.NOT_REQUIRED: N_("not required"),
}
"""English msgids of the clock states (translate with ``_``)."""

BREACH_STATUS_LABELS = {"open": N_("open"), "closed": N_("closed")}
"""English msgids of a breach's status (translate with ``_``)."""


@dataclass(frozen=True, repr=False)
class DeadlineView:
    """One deadline of a breach: ``kind`` ``officer`` (24 hours, ZVH 14.3) or ``ap``
    (72 hours, ZVH 14.8; AVG 33), computed from the discovery time and the one clock."""

    kind: str
    hours: int
    due_at: dt.datetime
    state: ClockState
    done_at: dt.datetime | None = None
    on_time: bool | None = None

    def __repr__(self) -> str:
        return safe_repr(self, "kind", "state")

    def to_json(self) -> dict[str, Any]:
        """The deadline for JSON output (times in UTC, ISO 8601)."""
        return {"kind": self.kind, "hours": self.hours, "due_at": _iso(self.due_at),
                "state": self.state.value, "done_at": _iso(self.done_at),
                "on_time": self.on_time}


@dataclass(frozen=True, repr=False)
class BreachRowView:
    """A line of the breach register list."""

    breach_id: int
    discovered_at: dt.datetime
    status: str
    nature: str
    officer: DeadlineView
    ap: DeadlineView

    def __repr__(self) -> str:
        return safe_repr(self, "breach_id", "status")

    def to_json(self) -> dict[str, Any]:
        """The row for JSON output."""
        return {"breach": self.breach_id, "discovered_at": _iso(self.discovered_at),
                "status": self.status, "nature": self.nature,
                "officer": self.officer.to_json(), "ap": self.ap.to_json()}


@dataclass(frozen=True, repr=False)
class BreachView:
    """One breach as the register holds it (ZVH 14.3 a-e, 14.8): what happened, what data
    and which kinds of persons (no names), consequences, measures, the notification text,
    and both deadlines."""

    breach_id: int
    discovered_at: dt.datetime
    reported_by: str
    nature: str
    data_concerned: str
    persons_concerned: str
    consequences: str
    measures: str
    notification_text: str
    ap_not_required: str | None
    status: str
    closed_at: dt.datetime | None
    created_at: dt.datetime
    officer: DeadlineView
    ap: DeadlineView

    def __repr__(self) -> str:
        return safe_repr(self, "breach_id", "status")

    def to_json(self) -> dict[str, Any]:
        """The whole entry for JSON output and the export."""
        return {
            "breach": self.breach_id, "discovered_at": _iso(self.discovered_at),
            "reported_by": self.reported_by, "nature": self.nature,
            "data_concerned": self.data_concerned,
            "persons_concerned": self.persons_concerned,
            "consequences": self.consequences, "measures": self.measures,
            "notification_text": self.notification_text,
            "ap_not_required": self.ap_not_required, "status": self.status,
            "closed_at": _iso(self.closed_at), "created_at": _iso(self.created_at),
            "officer": self.officer.to_json(), "ap": self.ap.to_json(),
        }


# --------------------------------------------------------------------------- information duty


@dataclass(frozen=True, repr=False)
class InfoDutyRow:
    """A betrokkene not (yet) informed: where, who by label, why not and when to review.

    ``due_this_week``: the review date falls in the ISO week asked about; ``overdue``: the
    review date has passed (before today)."""

    case_ref: str
    case_closed: bool
    person_label: str
    category_id: str
    category: LocalText
    status: InformedStatus
    motivation: str | None
    informed_expected: dt.date | None
    review_on: dt.date | None
    review_interval_days: int | None
    due_this_week: bool
    overdue: bool

    def __repr__(self) -> str:
        return safe_repr(self, "case_ref", "person_label", "status")

    def to_json(self) -> dict[str, Any]:
        """The row for JSON output."""
        return {
            "case": self.case_ref, "case_closed": self.case_closed,
            "person": self.person_label, "category": self.category_id,
            "category_name": self.category.get(current_language()),
            "status": self.status.value, "motivation": self.motivation,
            "informed_expected": _iso(self.informed_expected),
            "review_on": _iso(self.review_on),
            "review_interval_days": self.review_interval_days,
            "due_this_week": self.due_this_week, "overdue": self.overdue,
        }


@dataclass(frozen=True, repr=False)
class InfoDutyView:
    """The overview: the rows, and the ISO week (Monday to Sunday) the flags refer to.
    ``week_only``: only what is due in that week or overdue is listed."""

    week_start: dt.date
    week_end: dt.date
    week_only: bool
    rows: tuple[InfoDutyRow, ...]

    def __repr__(self) -> str:
        return f"InfoDutyView(week_start={self.week_start!r}, rows={len(self.rows)})"

    def to_json(self) -> dict[str, Any]:
        """The overview for JSON output."""
        return {"week_start": _iso(self.week_start), "week_end": _iso(self.week_end),
                "week_only": self.week_only, "persons": [r.to_json() for r in self.rows]}


# --------------------------------------------------------------------------- figures


FIGURE_LABELS = {
    "registered": N_("Cases registered"),
    "handled": N_("Cases handled at the table"),
    "closed": N_("Cases closed"),
    "closed_successfully": N_("closed successfully"),
    "not_forwarded": N_("not forwarded"),
    "handed_over": N_("handed over (RIEC)"),
}
"""English msgids of the figures' total cells (translate with ``_``)."""

@dataclass(frozen=True, repr=False)
class FigureCell:
    """One count.  A suppressed cell has ``value`` None: it was below the threshold, or
    it would let a suppressed cell be computed from a total (complementary)."""

    key: str
    value: int | None
    suppressed: bool

    def __repr__(self) -> str:
        return safe_repr(self, "key", "value", "suppressed")

    def to_json(self) -> int | None:
        """The count, or None when suppressed."""
        return self.value


@dataclass(frozen=True, repr=False)
class PhaseFigure:
    """The cases that entered one phase of the profile in the year."""

    phase_id: str
    name: LocalText
    closing: bool
    entered: FigureCell

    def __repr__(self) -> str:
        return safe_repr(self, "phase_id", "entered")


@dataclass(frozen=True, repr=False)
class FiguresView:
    """Management figures of one year for the store's profile, without personal data
    (ZVH 12.3, 11.7).  ``totals`` are keyed ``registered``, ``handled``, ``closed`` and
    the profile's closing outcomes; ``threshold``: cells below it are suppressed."""

    year: int
    profile_id: str
    profile_name: LocalText
    threshold: int
    totals: tuple[FigureCell, ...]
    phases: tuple[PhaseFigure, ...]

    def __repr__(self) -> str:
        return safe_repr(self, "year", "profile_id")

    def cells(self) -> tuple[FigureCell, ...]:
        """Every cell of the view (totals, then per phase)."""
        return self.totals + tuple(p.entered for p in self.phases)

    def display(self, cell: FigureCell) -> str:
        """The cell as a renderer prints it: the count, or ``<5`` when suppressed."""
        return f"<{self.threshold}" if cell.suppressed else str(cell.value)

    def total(self, key: str) -> FigureCell:
        """The total cell ``key`` (KeyError when the profile has no such outcome)."""
        for cell in self.totals:
            if cell.key == key:
                return cell
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        """The figures for JSON output: suppressed cells are null, and listed."""
        lang = current_language()
        return {
            "year": self.year, "profile": self.profile_id,
            "profile_name": self.profile_name.get(lang), "suppress_below": self.threshold,
            "totals": {c.key: c.to_json() for c in self.totals},
            "phases": [{"phase": p.phase_id, "name": p.name.get(lang), "closing": p.closing,
                        "entered": p.entered.to_json()} for p in self.phases],
            "suppressed": [c.key for c in self.cells() if c.suppressed],
        }
