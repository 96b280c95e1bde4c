"""Afsluitrapportage (WO 1.3, step "Afsluiten"; ZVH 9.4): after the decision to stop —
were the goals reached, which actions remain and who takes them, the lessons, and the date
and basis of the closing (afschaling) decision."""

from __future__ import annotations

import re
from typing import Any

from app.i18n import N_, _
from app.reports.blocks import (
    DASH,
    Ctx,
    Section,
    actions_table,
    cell,
    day,
    decisions_table,
    facts_table,
    goals_table,
    grid,
    para,
    parties_table,
    persons_table,
)
from app.reports.plan import case_of

TITLE = N_("Closing report")

_LESSON = re.compile(r"leerpunt|geleerd|lesson|learned|learnt", re.IGNORECASE)
_CLOSING = re.compile(r"afschal|afsluit|afgesloten|scal(e|ing) down|clos", re.IGNORECASE)


def decision(ctx: Ctx) -> list[Any]:
    case = case_of(ctx)
    view = case.view
    out: list[Any] = [facts_table(ctx, [
        (_("Closed on"), day(view.closed_at)),
        (_("Phase"), view.phase.get(ctx.lang)),
        (_("Reason"), case.close_reason or DASH),
        (_("Basis"), case.close_basis or DASH),
    ])]
    if view.closed_at is None:
        out.append(para(ctx, _("This case has not been closed yet."), ctx.styles.small))
    decided = [d for d in view.decisions if _CLOSING.search(d.text)]
    if decided:
        out.append(para(ctx, _("Decisions about closing"), ctx.styles.h3))
        out += decisions_table(ctx, decided)
    out.append(para(ctx, _("Persons concerned"), ctx.styles.h3))
    out += persons_table(ctx, view)
    return out


def goals(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    out: list[Any] = goals_table(ctx, view.goals)
    reached = sum(1 for g in view.goals if g.status == "reached")
    out.append(para(ctx, _("Goals reached: {reached} of {total}.").format(
        reached=reached, total=len(view.goals)), ctx.styles.small))
    return out


def remaining(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    return actions_table(ctx, [a for a in view.actions if a.status == "open"],
                         goals=view.goals)


def lessons(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    rows = [[day(d.decided_on, "short"), cell(ctx, d.text)]
            for d in view.decisions if _LESSON.search(d.text)]
    rows += [[day(p.entry_on, "short"), cell(ctx, p.text)]
             for p in view.progress if _LESSON.search(p.text)]
    if not rows:
        return [para(ctx, DASH)]
    return grid(ctx, [_("Date"), _("Lesson")], rows, (0.16, 0.84))


def parties(ctx: Ctx) -> list[Any]:
    return parties_table(ctx, case_of(ctx))


SECTIONS = (
    Section(N_("Closing decision"), decision),
    Section(N_("Goals reached"), goals),
    Section(N_("Remaining actions and who takes them"), remaining),
    Section(N_("Lessons learned"), lessons),
    Section(N_("Parties involved"), parties),
)
