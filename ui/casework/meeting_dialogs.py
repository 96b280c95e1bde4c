"""The forms of a meeting: planning it, its agenda with the invitations, attendance,
decisions and discussion notes, and closing it.

While the chair ticks the parties to invite for a case, the agenda dialog asks
:func:`app.services.agenda.invitation_warnings` for the ticked parties and shows each
warning; a warning that needs a reason gets its own reason field, and inviting goes
through only with a reason for each (the service checks, ZVH 13.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.i18n import _, format_datetime
from app.services import agenda, meetings
from app.services.agenda import InvitationWarning
from app.services.session import Session
from app.views import MeetingView
from ui.casework.choices import MeetingChoices
from ui.casework.forms import (
    ERROR_STYLE,
    FormDialog,
    Job,
    Runner,
    checked_ids,
    checklist,
    chosen,
    date_field,
    date_of,
    datetime_field,
    datetime_of,
    filter_rows,
    party_options,
    picker,
    text_area,
)

REASON = "reason:"


def next_morning() -> dt.datetime:
    """Tomorrow 09:00, local wall-clock time (the default of a new meeting)."""
    day = _today() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9))


class PlanMeetingDialog(FormDialog):
    """Plan a meeting: date and time, place and minute taker; the user chairs it."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "meeting.notulist": "notulist", "meeting.starts": "starts_at",
        "meeting.place": "place"}

    def __init__(self, run: Runner, parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Plan meeting"), run, parent, ok_text=_("Plan"), **kwargs)
        self.starts_at = self.add_field("starts_at", _("Date and time"),
                                        datetime_field(next_morning()))
        self.place = self.add_field("place", _("Place"), QLineEdit())
        self.notulist = self.add_field("notulist", _("Minute taker (username)"), QLineEdit(),
                                       help_text=_("Optional; you chair the meeting."))

    def job(self) -> Job:
        when, place = datetime_of(self.starts_at), self.place.text().strip()
        notulist = self.notulist.text().strip() or None
        return lambda s: meetings.create_meeting(s, starts_at=when, place=place,
                                                 notulist=notulist)


class AgendaDialog(FormDialog):
    """Put a case on the agenda and invite parties for it, with the warnings live."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "party.unknown": "parties", "case.unknown": "case",
        "invite.": "parties"}

    def __init__(self, choices: MeetingChoices, run: Runner, parent: QWidget | None = None,
                 reference: str | None = None, **kwargs: Any) -> None:
        super().__init__(_("Put case on the agenda"), run, parent, ok_text=_("Invite"),
                         **kwargs)
        self.setMinimumWidth(680)
        self.meeting_id = choices.meeting.meeting_id
        self.add_row(QLabel(meeting_title(choices.meeting)))
        self.case = self.add_field("case", _("Case"), picker(
            [(r.reference, r.reference) for r in choices.cases], none=_("— choose —")))
        if reference and (index := self.case.findData(reference)) >= 0:
            self.case.setCurrentIndex(index)
        self.search = self.add_field("search", _("Find party"), QLineEdit())
        self.parties = self.add_field("parties", _("Invite"),
                                      checklist(party_options(choices.parties), height=220))
        self.search.textChanged.connect(lambda text: filter_rows(self.parties, text))
        box = QWidget()
        self.warning_rows = QFormLayout(box)
        self.warning_rows.setContentsMargins(0, 0, 0, 0)
        self.add_row(box)
        self.warnings: list[InvitationWarning] = []
        self.reasons: dict[str, QLineEdit] = {}
        self._asked = 0
        self.parties.itemChanged.connect(lambda _row: self.refresh_warnings())
        self.case.currentIndexChanged.connect(lambda _i: self.refresh_warnings())

    # -- warnings -------------------------------------------------------------------------
    def refresh_warnings(self) -> None:
        """Ask the service for the warnings of the ticked parties (answers to an older
        question are dropped)."""
        ref, parties, mid = chosen(self.case), checked_ids(self.parties), self.meeting_id
        self._asked += 1
        asked = self._asked
        if not ref or not parties:
            self._show_warnings([])
            return

        def answered(found: list[InvitationWarning]) -> None:
            if asked == self._asked:
                self._show_warnings(found)

        def failed(error: BaseException) -> None:
            if asked == self._asked:
                self._show_warnings([])
                self.show_error(error)

        self._run(lambda s: agenda.invitation_warnings(s, mid, ref, parties), answered, failed)

    def _show_warnings(self, found: list[InvitationWarning]) -> None:
        # Reason fields are kept by party while the dialog is open: unticking and ticking
        # a party again, or another party's answer, never loses a reason typed.
        for key in [k for k in self.fields if k.startswith(REASON)]:
            del self.fields[key]
            del self._errors[key]
        while self.warning_rows.rowCount():
            row = self.warning_rows.takeRow(0)
            for item in (row.labelItem, row.fieldItem):
                if item is not None and (widget := item.widget()) is not None:
                    widget.setParent(None)  # kept alive by self.reasons when a field
        self.warnings = found
        # Per party the notes first, then the warning that needs a reason, then its field.
        for warning in sorted(found, key=lambda w: (w.party.label().casefold(),
                                                    w.needs_reason)):
            text = QLabel(f"⚠ {warning.party.label()}: {_(warning.message)}")
            text.setWordWrap(True)
            self.warning_rows.addRow(text)
            if warning.needs_reason:
                key = warning.party.id
                field = self.reasons.setdefault(key, QLineEdit())
                label = _("Reason for inviting {party}").format(party=warning.party.label())
                field.setAccessibleName(label)
                error = QLabel()
                error.setWordWrap(True)
                error.setStyleSheet(ERROR_STYLE)
                error.hide()
                caption = QLabel(label)
                caption.setBuddy(field)
                caption.setWordWrap(True)
                self.warning_rows.addRow(caption, field)
                self.warning_rows.addRow(error)
                self.fields[REASON + key] = field
                self._errors[REASON + key] = error

    def field_for(self, error: BaseException) -> str | None:
        """A missing reason is shown at the reason field of the party it names."""
        party = getattr(error, "params", {}).get("party")
        if getattr(error, "code", "") == "invite.reason_needed" and party is not None:
            key = REASON + str(getattr(party, "id", party))
            if key in self.fields:
                return key
        return super().field_for(error)

    def job(self) -> Job:
        mid, ref, invited = self.meeting_id, chosen(self.case), checked_ids(self.parties)
        reasons = {p: field.text() for p, field in self.reasons.items() if p in invited}
        return lambda s: meetings.add_to_agenda(s, mid, ref, invited, reasons)


def meeting_title(meeting: MeetingView) -> str:
    """"Case meeting di 24 nov 2026 09:30 · Kamer 3" (no raw ids, issue 13, point 9)."""
    return _("Case meeting {when} · {place}").format(
        when=format_datetime(meeting.starts_at, "EEE d MMM y HH:mm"), place=meeting.place)


class AttendanceDialog(FormDialog):
    """Who is present: the parties invited for a case on the agenda and those recorded
    already; ticking one marks it present, unticking absent."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "party.": "present"}

    def __init__(self, choices: MeetingChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Attendance"), run, parent, **kwargs)
        meeting = choices.meeting
        self.meeting_id = meeting.meeting_id
        self.add_row(QLabel(meeting_title(meeting)))
        candidates = {a.party.id: a.party for a in meeting.attendees}
        for entry in meeting.agenda:
            candidates.update({p.id: p for p in entry.invited})
        self._before = {a.party.id: a.present for a in meeting.attendees}
        self.present = self.add_field("present", _("Present"), checklist(
            party_options(list(candidates.values())),
            checked=frozenset(p for p, here in self._before.items() if here)))
        self.name = self.add_field("name", _("Delegate of the current party"), QLineEdit(),
                                   help_text=_("Optional: the name of who attends for the "
                                               "highlighted party."))
        self._names: dict[str, str] = {}
        self.name.textEdited.connect(self._remember_name)

    def _remember_name(self, text: str) -> None:
        row = self.present.currentItem()
        if row is not None:
            self._names[str(row.data(Qt.ItemDataRole.UserRole))] = text

    def job(self) -> Job:
        mid, before, names = self.meeting_id, dict(self._before), dict(self._names)
        ticked = set(checked_ids(self.present))
        rows = [str(self.present.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.present.count())]
        changes = [(p, p in ticked) for p in rows
                   if (before.get(p) != (p in ticked) and (p in before or p in ticked))
                   or p in names]

        def record(session: Session) -> None:
            for party, present in changes:
                meetings.set_attendee(session, mid, party, name=names.get(party, ""),
                                      present=present)

        return record


class DecisionDialog(FormDialog):
    """A decision of the meeting on the case, dated the meeting's day by default."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "decision.": "text"}

    def __init__(self, reference: str, meeting: MeetingView | None, run: Runner,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Record decision"), run, parent, **kwargs)
        self.reference = reference
        self.meeting_id = meeting.meeting_id if meeting else None
        self.text = self.add_field("text", _("Decision"), text_area())
        self.decided_on = self.add_field(
            "decided_on", _("Decided on"),
            date_field(meeting.starts_at.date() if meeting else None))

    def job(self) -> Job:
        ref, mid, text = self.reference, self.meeting_id, self.text.toPlainText()
        day = date_of(self.decided_on)
        return lambda s: meetings.record_decision(s, ref, text, meeting_id=mid, decided_on=day)


class NoteDialog(FormDialog):
    """The discussion note of an agenda case (besides decisions and actions)."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "note.": "text"}

    def __init__(self, reference: str, meeting_id: int, run: Runner,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Discussion note"), run, parent, **kwargs)
        self.reference, self.meeting_id = reference, meeting_id
        self.text = self.add_field("text", _("What was discussed"), text_area(lines=6))

    def job(self) -> Job:
        ref, mid, text = self.reference, self.meeting_id, self.text.toPlainText()
        return lambda s: agenda.add_note(s, mid, ref, text)


class CloseMeetingDialog(FormDialog):
    """Confirm closing the meeting: it is marked held and its record is locked."""

    def __init__(self, meeting: MeetingView, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Close meeting"), run, parent, ok_text=_("Close meeting"),
                         **kwargs)
        self.meeting_id = meeting.meeting_id
        text = QLabel(_("Close {meeting}? Its decisions, actions and minutes are then "
                        "locked; what is recorded about it later is shown as an addendum.")
                      .format(meeting=meeting_title(meeting)))
        text.setWordWrap(True)
        self.add_row(text)
        # The Cancel button is the default: closing cannot be undone by accident.
        self.ok_button.setAutoDefault(False)
        self.ok_button.setDefault(False)

    def job(self) -> Job:
        mid = self.meeting_id
        return lambda s: agenda.close_meeting(s, mid)


def _today() -> dt.date:
    """The local day (form defaults)."""
    return dt.datetime.now().astimezone().date()
