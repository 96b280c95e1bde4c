"""Data-subject requests (ZVH 17-20, 18.1 a-h) as the workbench and the report see them.

The officer's list and detail hold process metadata (kind, dates, who verified, tasks);
the identity the person gave shows only while the request is open, to those it is sealed
to.  The inzage view holds the data themselves, as far as the officer's request key opens
them, with what a providing party withholds marked and reasoned and police and OM data
routed (ZVH 17.5-17.6).  Every repr names ids and codes only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.profiles import LocalText, Retention
from app.views.values import PartyRef, safe_repr

REQUEST_KINDS = ("inzage", "correction", "completion", "erasure", "restriction", "objection")
"""The rights a request may invoke (ZVH 18.1; AVG 15-18, 21)."""

OUTCOMES = ("corrected", "completed", "erased", "restricted", "objection_upheld", "refused",
            "none")
"""What a providing party may record when it completes a task."""


@dataclass(frozen=True, repr=False)
class IdentityView:
    """Who the request is from, as they gave it (personal data)."""

    name: str
    birth_date: dt.date | None

    def __repr__(self) -> str:
        return "IdentityView(…)"


@dataclass(frozen=True, repr=False)
class RequestRowView:
    """One request in the officer's list: kind, dates and whether it is due or late.

    ``due``: open and the (extended) deadline falls within a week; ``late``: open and
    past it."""

    request_id: int
    kind: str
    received_on: dt.date
    deadline_on: dt.date
    extended_until: dt.date | None
    status: str
    answered_on: dt.date | None
    due: bool
    late: bool
    subjects: int
    open_tasks: int

    @property
    def effective_deadline(self) -> dt.date:
        """The deadline that applies: the extension if one is recorded."""
        return self.extended_until or self.deadline_on

    def __repr__(self) -> str:
        return safe_repr(self, "request_id", "kind", "status")


@dataclass(frozen=True, repr=False)
class SubjectView:
    """A person a procesregisseur linked to a request: in which case, under which label."""

    person_id: int
    case_ref: str
    person_label: str
    category: LocalText
    linked_by: str
    vouched: bool  # a validly signed request.link by the case's director vouches for it

    def __repr__(self) -> str:
        return safe_repr(self, "person_id", "case_ref", "vouched")


@dataclass(frozen=True, repr=False)
class TaskView:
    """Work a request puts with a party: decide (correction, withholding...) or a request
    routed to police or OM (ZVH 17.5-17.6).  No identity, only the case and labels."""

    task_id: int
    request_id: int
    request_kind: str
    party: PartyRef
    case_ref: str | None
    kind: str
    deadline_on: dt.date
    done_at: str | None
    outcome: str | None
    person_labels: tuple[str, ...] = ()
    item_ids: tuple[int, ...] = ()  # the party's current items about those persons

    def __repr__(self) -> str:
        return safe_repr(self, "task_id", "request_id", "kind", "outcome")


@dataclass(frozen=True, repr=False)
class RequestDetailView:
    """One request in full for the officer (ZVH 18.1 a-h)."""

    row: RequestRowView
    verified_how: str
    verified_by: str
    extension_reason: str | None
    answer: str | None
    identity: IdentityView | None  # only while open
    subjects: tuple[SubjectView, ...]
    tasks: tuple[TaskView, ...]
    withheld: int

    def __repr__(self) -> str:
        return safe_repr(self.row, "request_id", "kind", "status")


@dataclass(frozen=True, repr=False)
class DirectorRequestView:
    """An open request a procesregisseur is asked to look for in their cases."""

    request_id: int
    kind: str
    received_on: dt.date
    deadline_on: dt.date
    identity: IdentityView

    def __repr__(self) -> str:
        return safe_repr(self, "request_id", "kind")


@dataclass(frozen=True, repr=False)
class CandidateView:
    """A person in the director's cases whose name matches the request.

    ``birth_date_matches``: None when the request or the case has no date of birth."""

    person_id: int
    case_ref: str
    person_label: str
    category: LocalText
    birth_date_matches: bool | None
    linked: bool

    def __repr__(self) -> str:
        return safe_repr(self, "person_id", "case_ref", "linked")


@dataclass(frozen=True, repr=False)
class RecipientView:
    """A party the disclosure register shows received an item, by which channel, when."""

    party: PartyRef
    channel: str
    first: str
    last: str

    def __repr__(self) -> str:
        return safe_repr(self, "channel")


@dataclass(frozen=True, repr=False)
class InzageItemView:
    """One item about the person: what it is, where from, why, to whom, how long kept;
    the content, or (``withheld_reason``) the providing party's reason not to show it."""

    item_id: int
    category: LocalText
    source: PartyRef
    provided_on: dt.date
    activity: LocalText
    purpose: LocalText
    retention: LocalText
    recipients: tuple[RecipientView, ...]
    content: str | None
    withheld_reason: str | None = None

    def __repr__(self) -> str:
        return safe_repr(self, "item_id")


@dataclass(frozen=True, repr=False)
class PartyCount:
    """A party and a number of items (routed to it, or awaiting its seal)."""

    party: PartyRef
    items: int

    def __repr__(self) -> str:
        return safe_repr(self, "items")


@dataclass(frozen=True, repr=False)
class InzagePersonView:
    """Everything the inzage shows about one linked person (ZVH 18.1)."""

    person_id: int
    case_ref: str
    person_label: str
    category: LocalText
    items: tuple[InzageItemView, ...]
    routed: tuple[PartyCount, ...]
    awaiting: tuple[PartyCount, ...]
    recipients: tuple[RecipientView, ...]  # of every item answered here (register)

    def __repr__(self) -> str:
        return safe_repr(self, "person_id", "case_ref")


@dataclass(frozen=True, repr=False)
class InzageView:
    """The inzage of one request: the persons found, and the covenant's retention."""

    request_id: int
    received_on: dt.date
    deadline_on: dt.date
    identity: IdentityView | None
    persons: tuple[InzagePersonView, ...]
    retention: Retention
    covenant: LocalText

    @property
    def routed_parties(self) -> tuple[PartyRef, ...]:
        """The police and OM parties the request was routed to, once each."""
        seen: dict[str, PartyRef] = {}
        for person in self.persons:
            for entry in person.routed:
                seen.setdefault(entry.party.id, entry.party)
        return tuple(seen[k] for k in sorted(seen))

    def __repr__(self) -> str:
        return safe_repr(self, "request_id")
