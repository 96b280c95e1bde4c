"""The agenda of a casusoverleg for one invited party: the invitation the chair sends out
(ZVH 13.2).  It names the meeting (date and time, place, chair, minute taker; in the title
block) and only the cases that party is invited for, each with what the party may see of
its header: reference, phase, who registered it, themes, the goal of the case meeting, the
case director, who is invited for it and the persons concerned (names as far as the party
may see them).  No information items and no joint record beyond the goal."""

from __future__ import annotations

from typing import Any

from app.i18n import N_, _
from app.reports.blocks import (
    DASH,
    Ctx,
    Section,
    director_line,
    facts_table,
    para,
    party_list,
    persons_table,
    withheld,
)
from app.reports.minutes import meeting_of
from app.reports.rl import CondPageBreak

TITLE = N_("Agenda")


def invitation(ctx: Ctx) -> list[Any]:
    meeting = meeting_of(ctx)
    text = _("{party} is invited for the cases below at this case meeting. This agenda "
             "lists only the cases the party is invited for (ZVH 13.2).").format(
        party=ctx.data.recipient.parties[0].label(ctx.lang))
    out: list[Any] = [para(ctx, text)]
    if meeting.held:
        out.append(para(ctx, _("This meeting has been held."), ctx.styles.small))
    return out


def cases(ctx: Ctx) -> list[Any]:
    meeting = meeting_of(ctx)
    if not meeting.agenda:
        return [para(ctx, DASH)]
    out: list[Any] = []
    for entry in meeting.agenda:
        view = entry.case.view
        out.append(CondPageBreak(90))
        heading = _("Agenda item {n}: {case}").format(
            n=entry.position, case=f"{view.reference} · {view.phase.get(ctx.lang)}")
        out.append(para(ctx, heading, ctx.styles.h3))
        notice = withheld(ctx, view)
        if notice is not None:
            out += notice
            continue
        out.append(facts_table(ctx, [
            (_("Registered by"), view.registering_party.label(ctx.lang)),
            (_("Themes"), ", ".join(view.themes) or DASH),
            (_("Goal of the case meeting"), view.goal or DASH),
            (_("Case director"), director_line(ctx, view)),
            (_("Invited"), party_list(entry.invited, ctx.lang)),
        ]))
        out.append(para(ctx, _("Persons concerned"), ctx.styles.label))
        out += persons_table(ctx, view)
    return out


SECTIONS = (
    Section(N_("Invitation"), invitation),
    Section(N_("Cases on the agenda"), cases),
)
