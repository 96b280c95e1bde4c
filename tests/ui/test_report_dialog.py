"""The report dialog on the meeting screen offers the agenda to the chair only, addressed to
a party invited for one of the meeting's cases and never to the table (issue 10, point 7;
the service checks every choice again: tests/app/services/test_report_agenda.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from app.domain.vocab import MeetingStatus
from app.profiles import LocalText
from app.views import (
    AgendaItemView,
    AttendeeView,
    CaseFlags,
    CaseRowView,
    MeetingView,
    PartyRef,
    ReportKind,
    ReportOption,
)
from ui.report_dialog import TABLE, ReportDialog

RDAM = PartyRef("gemeente-rotterdam", LocalText("Gemeente Rotterdam", "Municipality"))
GGZ = PartyRef("ggz-antes", LocalText("Antes", "Antes"))
HALT = PartyRef("halt", LocalText("Halt", "Halt"))
POLICE = PartyRef("politie-rotterdam", LocalText("Politie", "Police"))


def _meeting(*, is_chair: bool) -> MeetingView:
    def row(case_id: int) -> CaseRowView:
        return CaseRowView(case_id, f"ZVH-2026-000{case_id}", None,
                           LocalText("Casusoverleg", "Case meeting"), "casusoverleg", None,
                           0, 0, CaseFlags(), "", True)

    return MeetingView(
        7, dt.datetime.combine(dt.date(2026, 11, 24), dt.time(9, 30)), "Stadhuis", "chair",
        "notulist", MeetingStatus.PLANNED,
        (AttendeeView(RDAM, "", True), AttendeeView(POLICE, "", True)),
        (AgendaItemView(1, row(1), (RDAM, GGZ), (), ()),
         AgendaItemView(2, row(2), (RDAM, HALT), (), ())),
        is_chair=is_chair)


def _options(meeting: MeetingView) -> tuple[ReportOption, ...]:
    """What app.services.report_options answers for the chair (the minute taker: no
    agenda); tests/ui/test_report_dialog_rights.py asks the service itself."""
    present = frozenset(a.party.id for a in meeting.attendees)
    invited = frozenset(p.id for e in meeting.agenda for p in e.invited)
    agenda = (ReportOption(ReportKind.AGENDA, False, invited) if meeting.is_chair
              else ReportOption(ReportKind.AGENDA, False, frozenset(),
                                reason="Only the chair sends the agenda ({article}).",
                                article="ZVH 13.2"))
    return (ReportOption(ReportKind.MINUTES, True, present), agenda)


def _kinds(dialog: ReportDialog) -> list[str]:
    return [str(dialog.kind.itemData(i)) for i in range(dialog.kind.count())]


def _recipients(dialog: ReportDialog) -> list[str]:
    return [str(dialog.recipient.itemData(i)) for i in range(dialog.recipient.count())]


def test_chair_gets_the_agenda_for_invited_parties_only_zvh_13_2(qtbot: Any) -> None:
    """ZVH 13.2: on the meeting screen the chair may choose the agenda; its recipients are
    the parties invited for a case (not the table, not a party only on the attendance
    list); switching back to the notulen offers the table and the attendees again."""
    meeting = _meeting(is_chair=True)
    dialog = ReportDialog(_options(meeting), [a.party for a in meeting.attendees],
                          "en", meeting=meeting)
    qtbot.addWidget(dialog)
    assert _kinds(dialog) == [ReportKind.MINUTES.value, ReportKind.AGENDA.value]
    assert _recipients(dialog) == [TABLE, RDAM.id, POLICE.id]
    dialog.recipient.setCurrentIndex(dialog.recipient.findData(RDAM.id))
    dialog.kind.setCurrentIndex(dialog.kind.findData(ReportKind.AGENDA.value))
    assert _recipients(dialog) == [RDAM.id, GGZ.id, HALT.id]
    assert dialog.recipient.currentData() == RDAM.id  # the choice is kept where it fits
    dialog.recipient.setCurrentIndex(dialog.recipient.findData(HALT.id))
    request = dialog.value()
    assert (request.kind, request.recipient, request.table) == ("agenda", HALT.id, False)
    assert request.date_from is None
    dialog.kind.setCurrentIndex(dialog.kind.findData(ReportKind.MINUTES.value))
    assert _recipients(dialog) == [TABLE, RDAM.id, POLICE.id]
    assert dialog.recipient.currentData() == TABLE  # Halt is not at this meeting


def test_minute_taker_is_not_offered_the_agenda_zvh_15_2(qtbot: Any) -> None:
    """ZVH 15.2: the minute taker makes the notulen (for the table or one party present)
    but does not send the agenda: it is offered disabled, with the reason."""
    meeting = _meeting(is_chair=False)
    dialog = ReportDialog(_options(meeting), [a.party for a in meeting.attendees],
                          "en", meeting=meeting)
    qtbot.addWidget(dialog)
    assert _kinds(dialog) == [ReportKind.MINUTES.value, ReportKind.AGENDA.value]
    agenda = dialog.kind.findData(ReportKind.AGENDA.value)
    assert not dialog.kind.model().item(agenda).isEnabled()  # type: ignore[attr-defined]
    assert "ZVH 13.2" in str(dialog.kind.itemData(agenda, Qt.ItemDataRole.ToolTipRole))
    assert dialog.kind.currentData() == ReportKind.MINUTES.value
    assert _recipients(dialog) == [TABLE, RDAM.id, POLICE.id]
