"""What a report is made from: redacted views plus a little process metadata.

The renderer never sees a record or the store: the service builds these objects from the
same redacted views as the screens (:mod:`app.views`), for one recipient.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.profiles import LocalText
from app.views import AttendeeView, CaseView, PartyRef, ReportKind


@dataclass(frozen=True)
class CaseReport:
    """One case for a report: its view for the recipient and the closing metadata.

    ``close_reason`` and ``close_basis`` are report-only metadata that the service
    fills from the case when the view shows content.  ``next_meeting`` is the next
    meeting with this case on its agenda, if any (monitoring of the plan).
    """

    view: CaseView
    close_reason: str | None = None
    close_basis: str | None = None
    next_meeting: dt.datetime | None = None


@dataclass(frozen=True, repr=False)
class AgendaNote:
    """The discussion of an agenda case as noted in the meeting (ZVH 15.2); ``addendum``:
    noted after the meeting was closed."""

    note_id: int
    text: str
    recorded_on: dt.date
    addendum: bool = False

    def __repr__(self) -> str:
        return f"AgendaNote(note_id={self.note_id!r}, addendum={self.addendum!r})"


@dataclass(frozen=True)
class AgendaCase:
    """One agenda case in the notulen or the agenda: the case, who was invited, who left
    the room, and (notulen) the discussion notes the recipient may see."""

    position: int
    case: CaseReport
    invited: tuple[PartyRef, ...]
    left_room: tuple[PartyRef, ...]
    notes: tuple[AgendaNote, ...] = ()


@dataclass(frozen=True)
class MeetingReport:
    """A meeting (casusoverleg) for the notulen, or the meeting a case report is for."""

    meeting_id: int
    starts_at: dt.datetime
    place: str
    chair: str | None
    notulist: str | None
    attendees: tuple[AttendeeView, ...] = ()
    agenda: tuple[AgendaCase, ...] = ()
    # Held (closed by the chair): the notulen are adopted (vastgesteld), else a draft.
    held: bool = False
    held_on: dt.date | None = None


@dataclass(frozen=True)
class Recipient:
    """For whom a report is made: one party, or the table (the parties present)."""

    parties: tuple[PartyRef, ...]
    table: bool

    @property
    def key(self) -> str:
        """Stable key for the register: the party id, or ``table:`` + sorted party ids."""
        if self.table:
            return "table:" + ",".join(sorted(p.id for p in self.parties))
        return self.parties[0].id

    @property
    def party_ids(self) -> frozenset[str]:
        """The receiving parties."""
        return frozenset(p.id for p in self.parties)


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, for one recipient, in one language."""

    kind: ReportKind
    lang: str
    document_id: str
    covenant: LocalText
    recipient: Recipient
    today: dt.date
    author: str
    case: CaseReport | None = None
    meeting: MeetingReport | None = None
    period: tuple[dt.date, dt.date] | None = None
