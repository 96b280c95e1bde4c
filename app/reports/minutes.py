"""Notulen (verslag) of a casusoverleg (ZVH 15.2): attendance, per agenda case the decisions
and the agreed actions and who left the room, and the action list of the whole meeting."""

from __future__ import annotations

from typing import Any

from app.i18n import N_, _
from app.reports.blocks import (
    Ctx,
    Section,
    actions_table,
    cell,
    decisions_table,
    director_line,
    facts_table,
    grid,
    para,
    party_list,
    persons_table,
    withheld,
)
from app.reports.data import AgendaCase, MeetingReport
from app.reports.rl import CondPageBreak
from app.views import ActionView

TITLE = N_("Minutes")


def meeting_of(ctx: Ctx) -> MeetingReport:
    """The meeting of the notulen."""
    assert ctx.data.meeting is not None  # noqa: S101 - the notulen always carry a meeting
    return ctx.data.meeting


def attendance(ctx: Ctx) -> list[Any]:
    meeting = meeting_of(ctx)
    rows = [[cell(ctx, a.party.label(ctx.lang)), cell(ctx, a.name or "—"),
             _("present") if a.present else _("absent")]
            for a in meeting.attendees]
    return grid(ctx, [_("Party"), _("Delegate"), _("Attendance")], rows, (0.52, 0.32, 0.16))


def _meeting_actions(meeting: MeetingReport, entry: AgendaCase) -> list[ActionView]:
    return [a for a in entry.case.view.actions if a.meeting_id == meeting.meeting_id]


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
        out.append(para(ctx, _("Decisions"), ctx.styles.label))
        out += decisions_table(ctx, [d for d in view.decisions
                                     if d.meeting_id == meeting.meeting_id])
        out.append(para(ctx, _("Agreed actions"), ctx.styles.label))
        out += actions_table(ctx, _meeting_actions(meeting, entry), goals=view.goals)
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


SECTIONS = (
    Section(N_("Attendance"), attendance),
    Section(N_("Cases discussed"), cases),
    Section(N_("Action list of the meeting"), action_list),
)
