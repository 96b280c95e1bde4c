"""Notulen (verslag) of a casusoverleg (ZVH 15.2): attendance, per agenda case the discussion,
the decisions and the agreed actions and who left the room, the action list of the whole
meeting, and the distribution list.  A draft (concept) while the meeting is planned, adopted
(vastgesteld) once the chair closed it; what was recorded afterwards is marked as an
addendum."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, Self, TypeVar

from app.i18n import N_, _
from app.reports.blocks import (
    Ctx,
    Section,
    actions_table,
    addendum_mark,
    cell,
    day,
    decisions_table,
    director_line,
    facts_table,
    grid,
    para,
    party_list,
    persons_table,
    withheld,
)
from app.reports.data import AgendaCase, AgendaNote, MeetingReport
from app.reports.rl import CondPageBreak, Paragraph
from app.views import ActionView


class _Minuted(Protocol):
    @property
    def addendum(self) -> bool: ...

    @property
    def as_agreed(self) -> Self | None: ...


R = TypeVar("R", bound=_Minuted)

TITLE = N_("Minutes")
DRAFT = N_("Draft: the meeting has not been closed yet")
ADOPTED = N_("Adopted on {date}: the meeting was closed; later entries are addenda")
ADOPTED_UNDATED = N_("Adopted: the meeting was closed; later entries are addenda")


def meeting_of(ctx: Ctx) -> MeetingReport:
    """The meeting of the notulen (or of the agenda)."""
    assert ctx.data.meeting is not None  # noqa: S101 - the notulen always carry a meeting
    return ctx.data.meeting


def document_status(meeting: MeetingReport) -> str:
    """Concept or vastgesteld, translated (the title block of the notulen)."""
    if not meeting.held:
        return _(DRAFT)
    if meeting.held_on is None:
        return _(ADOPTED_UNDATED)
    return _(ADOPTED).format(date=day(meeting.held_on))


def attendance(ctx: Ctx) -> list[Any]:
    meeting = meeting_of(ctx)
    rows = [[cell(ctx, a.party.label(ctx.lang)), cell(ctx, a.name or "—"),
             _("present") if a.present else _("absent")]
            for a in meeting.attendees]
    return grid(ctx, [_("Party"), _("Delegate"), _("Attendance")], rows, (0.52, 0.32, 0.16))


def _meeting_actions(meeting: MeetingReport, entry: AgendaCase) -> list[ActionView]:
    return [a for a in entry.case.view.actions if a.meeting_id == meeting.meeting_id]


def as_minuted(rows: Sequence[R]) -> list[R]:
    """The decisions (or actions) of the meeting as its notulen hold them: what it agreed,
    in order, with the version as agreed where a later correction replaced it, then the
    addenda (recorded or corrected after it was closed), each marked (ZVH 15.2)."""
    agreed = [r.as_agreed if r.as_agreed is not None else r for r in rows if not r.addendum
              or r.as_agreed is not None]
    return agreed + [r for r in rows if r.addendum]


def notes_table(ctx: Ctx, notes: tuple[AgendaNote, ...]) -> list[Any]:
    """The discussion notes of an agenda case, dated; addenda marked."""
    rows = [[day(n.recorded_on, "short"),
             Paragraph(addendum_mark(n.text, n.addendum).replace("\n", "<br/>"),
                       ctx.styles.cell)]
            for n in notes]
    return grid(ctx, [_("Date"), _("Discussion")], rows, (0.16, 0.84))


def cases(ctx: Ctx) -> list[Any]:
    meeting = meeting_of(ctx)
    if not meeting.agenda:
        return [para(ctx, "—")]
    out: list[Any] = []
    for entry in meeting.agenda:
        view = entry.case.view
        out.append(CondPageBreak(90))
        heading = _("Agenda item {n}: {case}").format(
            n=entry.position, case=f"{view.reference} · {view.phase.get(ctx.lang)}")
        out.append(para(ctx, heading, ctx.styles.h3))
        out.append(facts_table(ctx, [
            (_("Invited"), party_list(entry.invited, ctx.lang)),
            (_("Left the room"), party_list(entry.left_room, ctx.lang)),
            (_("Case director"), director_line(ctx, view)),
        ]))
        notice = withheld(ctx, view, entry.left_room)
        if notice is not None:
            out += notice
            continue
        out.append(para(ctx, _("Persons concerned"), ctx.styles.label))
        out += persons_table(ctx, view)
        out.append(para(ctx, _("Discussion"), ctx.styles.label))
        out += notes_table(ctx, entry.notes)
        out.append(para(ctx, _("Decisions"), ctx.styles.label))
        out += decisions_table(ctx, as_minuted([d for d in view.decisions
                                                if d.meeting_id == meeting.meeting_id]))
        out.append(para(ctx, _("Agreed actions"), ctx.styles.label))
        out += actions_table(ctx, as_minuted(_meeting_actions(meeting, entry)),
                             goals=view.goals)
    return out


def action_list(ctx: Ctx) -> list[Any]:
    meeting = meeting_of(ctx)
    refs: dict[int, str] = {}
    actions: list[ActionView] = []
    for entry in meeting.agenda:
        if entry.case.view.blocked_by or not entry.case.view.content_visible:
            continue
        for action in _meeting_actions(meeting, entry):
            refs[action.action_id] = entry.case.view.reference
            actions.append(action)
    actions.sort(key=lambda a: (a.due_on is None, a.due_on, refs[a.action_id]))
    return actions_table(ctx, actions, case_refs=refs)


def distribution(ctx: Ctx) -> list[Any]:
    """To whom this document goes (the recipient: one party, or the parties present), and
    per case in it the parties invited for it, where the recipient may know them."""
    meeting = meeting_of(ctx)
    out: list[Any] = [facts_table(ctx, [
        (_("This document goes to"), party_list(ctx.data.recipient.parties, ctx.lang)),
    ])]
    rows = [[cell(ctx, entry.case.view.reference), cell(ctx, party_list(entry.invited,
                                                                          ctx.lang))]
            for entry in meeting.agenda if entry.invited]
    if rows:
        out.append(para(ctx, _("Invited per case"), ctx.styles.label))
        out += grid(ctx, [_("Case"), _("Invited")], rows, (0.22, 0.78))
    return out


SECTIONS = (
    Section(N_("Attendance"), attendance),
    Section(N_("Cases discussed"), cases),
    Section(N_("Action list of the meeting"), action_list),
    Section(N_("Distribution list"), distribution),
)
