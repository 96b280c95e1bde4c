"""Corrections of the joint record (goals, actions, decisions, progress) as views.

A correction is a new version of a row; the earlier versions stay in the store
(``superseded_by``, schema 13).  A current row that replaced an earlier one carries a
:class:`CorrectionMark`; the versions themselves are :class:`JointVersionView`, for the
edit dialog that shows the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.i18n import _
from app.views.values import PartyRef, safe_repr

# The four kinds of rows of the joint record, as the services name them.
JOINT_KINDS = ("goal", "action", "decision", "progress")


@dataclass(frozen=True, repr=False)
class CorrectionMark:
    """That a row is a corrected version: the day of its latest correction, who made it
    (display name), why (may be empty) and how many earlier versions are kept."""

    corrected_on: dt.date
    corrected_by: str
    reason: str
    versions: int

    def __repr__(self) -> str:
        return safe_repr(self, 'versions')

    def describe(self, day: str) -> str:
        """"corrected on <day> by <name>", translated; ``day`` formatted by the caller
        (screen and report format dates differently)."""
        return _("corrected on {date} by {name}").format(date=day, name=self.corrected_by)


@dataclass(frozen=True, repr=False)
class JointVersionView:
    """One version of a row of the joint record, as its history shows it.

    ``on`` is the row's own date (a goal's or action's creation, a decision's date, a
    progress entry's date); ``owner`` and ``due_on`` are an action's.  ``replaced_on`` /
    ``replaced_by`` / ``reason``: when, by whom and why this version was corrected (None
    for the current version).  ``addendum``: recorded after its meeting was closed."""

    row_id: int
    kind: str
    text: str
    on: dt.date | None
    owner: PartyRef | None = None
    due_on: dt.date | None = None
    addendum: bool = False
    replaced_on: dt.date | None = None
    replaced_by: str | None = None
    reason: str = ""

    @property
    def current(self) -> bool:
        """Whether this is the version shown now."""
        return self.replaced_on is None

    def __repr__(self) -> str:
        return safe_repr(self, 'row_id', 'kind')
