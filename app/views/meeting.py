"""Meetings as the viewer may see them: the list, the dashboard, attendance and agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.vocab import MeetingStatus
from app.views.case import CaseRowView
from app.views.values import PartyRef, safe_repr


@dataclass(frozen=True, repr=False)
class AttendeeView:
    """A party at the meeting with its delegate and presence."""

    party: PartyRef
    name: str
    present: bool

    def __repr__(self) -> str:
        return f"AttendeeView(party={self.party.id!r}, present={self.present!r})"


@dataclass(frozen=True, repr=False)
class AgendaItemView:
    """One agenda case: its row as the viewer may see it, who is invited, who must leave."""

    position: int
    row: CaseRowView
    invited: tuple[PartyRef, ...]
    must_leave: tuple[PartyRef, ...]
    left_room: tuple[PartyRef, ...]
    # Who sits at the table for this case: present, minus those that left the room for
    # it.  The table view of this case is built for exactly these parties (ZVH 13.2).
    at_table: tuple[PartyRef, ...] = ()
    # The warned parties invited anyway with the recorded reason (ZVH 13.2), for the
    # case's directors only; empty for every other viewer.
    invited_anyway: tuple[tuple[PartyRef, str], ...] = ()

    def __repr__(self) -> str:
        return f"AgendaItemView(position={self.position!r}, case_id={self.row.case_id!r})"


@dataclass(frozen=True, repr=False)
class MeetingView:
    """A meeting as the viewer may see it (agenda limited to cases they may know of)."""

    meeting_id: int
    starts_at: dt.datetime
    place: str
    chair: str | None
    notulist: str | None
    status: MeetingStatus
    attendees: tuple[AttendeeView, ...]
    agenda: tuple[AgendaItemView, ...]
    is_chair: bool = False

    def __repr__(self) -> str:
        return safe_repr(self, "meeting_id", "status", "is_chair")


@dataclass(frozen=True, repr=False)
class MeetingSummary:
    """A meeting in a list: when, where, status, agenda size; upcoming or past."""

    meeting_id: int
    starts_at: dt.datetime
    place: str
    status: MeetingStatus
    cases: int
    upcoming: bool

    def __repr__(self) -> str:
        return safe_repr(self, "meeting_id", "status", "cases")
