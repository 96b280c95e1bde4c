"""Records of the casusoverleg, as read from the store.

Records never leave ``app/``: services turn them into redacted views.  Their ``repr`` shows
ids and codes only, never content, so a stray log line or traceback cannot leak a name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from app.domain.reprs import safe_repr as _safe_repr
from app.domain.vocab import ActionStatus, GoalStatus, InformedStatus, ItemKind, MeetingStatus


@dataclass(frozen=True, repr=False)
class Case:
    """A case (casus): process metadata plus the joint goal of the overleg."""

    id: int
    reference: str
    phase: str
    registering_party: str
    procesregisseur: str | None
    casusregisseur: str | None
    casusregisseur_party: str | None
    themes: tuple[str, ...]
    goal: str
    opened_at: dt.date
    closed_at: dt.date | None
    close_reason: str | None
    close_basis: str | None
    updated_at: str
    # The closed case this melding follows (ZVH 11.6).
    follows_case_id: int | None = None
    # The plan van aanpak beyond goals and actions (WO 1.21, ZVH 1.20, 9.4): joint record.
    plan_problem: str = ""
    plan_monitoring: str = ""
    plan_informing: str = ""
    plan_exit_criteria: str = ""

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "reference", "phase")


@dataclass(frozen=True, repr=False)
class Person:
    """A betrokkene; identifying data are items, this holds category and information duty."""

    id: int
    case_id: int
    category: str
    label: str
    informed_status: InformedStatus
    informed_on: dt.date | None
    not_informed_reason: str | None
    informed_expected: dt.date | None
    review_on: dt.date | None
    review_interval_days: int | None

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id", "category")


class Item(NamedTuple):
    """One piece of information provided by one party.

    A NamedTuple, not a frozen dataclass: views of a whole store build hundreds of
    thousands of items, and tuple construction is several times cheaper (bench/policy.py).
    """

    id: int
    case_id: int
    person_id: int | None
    kind: ItemKind
    field: str
    body: str
    structured: dict[str, str] | None
    source_party: str
    category: str
    phase: str
    legal_basis: str
    provided_on: dt.date
    incident_class: str | None
    # Entered by the case's procesregisseur (intake, triage): it is the procesregisseur's,
    # not their party's to see or share (ZVH 9.6).
    by_director: bool = False
    # The encrypted content (body and address parts) and its key generation; ``body`` and
    # ``structured`` stay empty until the acting user's keyring opens it (issue 9).
    content: bytes | None = None
    key_gen: int = 0
    # The content holds address parts (what the policy needs to know without opening it).
    has_parts: bool = False
    # A correction replaced this version (kept for the audit, shown to nobody).
    superseded_by: int | None = None
    # Destroyed by a retention run (issue 12): the day, and the rule (clock id) it went
    # under; what is left is the row's management metadata.
    destroyed_on: dt.date | None = None
    destroyed_rule: str | None = None

    @property
    def parts_known(self) -> bool:
        """Whether the item carries address parts (opened or not)."""
        return bool(self.structured) or self.has_parts

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id", "source_party", "category")


class Grant(NamedTuple):
    """The providing party accords that item(s) may be seen by a party (ZVH 3.5d, 13.2)."""

    id: int
    case_id: int
    item_id: int | None
    category: str | None
    provider_party: str
    recipient_party: str
    phase: str | None
    meeting_id: int | None
    legal_basis: str
    revoked: bool
    # When the grant was made (ISO 8601): a phase grant counts only if made since the case
    # last entered that phase (ZVH 3.5b), so going back to a phase revives no old grant.
    granted_at: str = ""
    # Why the provision is necessary (police and OM provisions, ZVH 8.1).
    necessity: str = ""
    # The recipient may take the data away for its own tasks (its own copy), not only see
    # them at the table and on screen: a separate accord of the provider (ZVH 3.5d).
    take_away: bool = False

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id", "provider_party", "recipient_party")


class Consent(NamedTuple):
    """A betrokkene's consent, or the ground recorded instead of one (ZVH 6.4l, 7.2,
    13.6-13.7; WO 3.3d).

    It covers the data of ``source_party`` in ``categories`` for ``recipients``, from
    ``given_on`` until ``withdrawn_on``.  ``basis`` is ``consent``, or ``weighing`` (the
    professional's own weighing) or ``meldrecht`` (a legal reporting right) recorded
    instead; a blanket consent (no source, recipients or categories) covers nothing.
    """

    id: int
    case_id: int
    person_id: int
    source_party: str | None
    recipients: frozenset[str]
    categories: frozenset[str]
    purpose: str
    given_on: dt.date
    withdrawn_on: dt.date | None
    basis: str = "consent"

    @property
    def valid(self) -> bool:
        """Not withdrawn (whether it has started yet depends on the day of the look)."""
        return self.withdrawn_on is None

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id", "person_id", "withdrawn_on")


@dataclass(frozen=True, repr=False)
class Meeting:
    """A casusoverleg."""

    id: int
    starts_at: dt.datetime
    place: str
    chair: str | None
    notulist: str | None
    status: MeetingStatus

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "status")


@dataclass(frozen=True, repr=False)
class Attendee:
    """A party at a meeting, with its delegate's name and presence."""

    meeting_id: int
    party_id: str
    name: str
    present: bool

    def __repr__(self) -> str:
        return _safe_repr(self, "meeting_id", "party_id", "present")


@dataclass(frozen=True)
class AgendaEntry:
    """A case on a meeting's agenda with the parties invited for it."""

    meeting_id: int
    case_id: int
    position: int
    invited: frozenset[str]
    left_room: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, repr=False)
class TableDecision:
    """A decision of the table about a case (joint record, ZVH 2.2)."""

    id: int
    case_id: int
    meeting_id: int | None
    text: str
    decided_on: dt.date
    # Recorded after the meeting was closed: an addendum, shown as such.
    addendum: bool = False

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id")


@dataclass(frozen=True, repr=False)
class Goal:
    """A goal of the plan van aanpak."""

    id: int
    case_id: int
    text: str
    status: GoalStatus
    created_on: dt.date

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id", "status")


@dataclass(frozen=True, repr=False)
class Action:
    """An action (intervention) with an owner party and a due date."""

    id: int
    case_id: int
    goal_id: int | None
    meeting_id: int | None
    text: str
    owner_party: str
    due_on: dt.date | None
    status: ActionStatus
    created_on: dt.date
    addendum: bool = False

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id", "owner_party", "status")


@dataclass(frozen=True, repr=False)
class ProgressEntry:
    """A progress note on the plan or one action."""

    id: int
    case_id: int
    action_id: int | None
    text: str
    entry_on: dt.date

    def __repr__(self) -> str:
        return _safe_repr(self, "id", "case_id")
