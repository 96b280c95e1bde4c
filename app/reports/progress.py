"""Voortgangsrapportage (WO 1.28): over a period, how the approach is going — progress per
goal and action, results, the adjustments decided, overdue actions and the information
added in the period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.i18n import N_, _
from app.reports.blocks import (
    DASH,
    Ctx,
    Section,
    actions_table,
    decisions_table,
    facts_table,
    goals_table,
    items_by_category,
    para,
    persons_table,
    progress_table,
    status,
)
from app.reports.plan import case_of
from app.views import ProgressView

TITLE = N_("Progress report")


def period(ctx: Ctx) -> tuple[dt.date, dt.date]:
    """The period of the report (the service always sets one)."""
    if ctx.data.period is not None:
        return ctx.data.period
    view = case_of(ctx).view
    return view.opened_at, ctx.data.today


def _in(ctx: Ctx, day: dt.date) -> bool:
    start, end = period(ctx)
    return start <= day <= end


def summary(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    entries = [p for p in view.progress if _in(ctx, p.entry_on)]
    open_ = [a for a in view.actions if a.status == "open"]
    reached = sum(1 for g in view.goals if g.status == "reached")
    return [facts_table(ctx, [
        (_("Goals reached"), f"{reached} / {len(view.goals)}"),
        (_("Open actions"), str(len(open_))),
        (_("Overdue actions"), str(sum(1 for a in open_ if a.overdue))),
        (_("Progress notes in the period"), str(len(entries))),
        (_("Decisions in the period"),
         str(sum(1 for d in view.decisions if _in(ctx, d.decided_on)))),
    ]), para(ctx, _("Persons concerned"), ctx.styles.h3), *persons_table(ctx, view)]


def per_goal(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    notes: dict[int, list[ProgressView]] = {}
    general: list[ProgressView] = []
    for entry in view.progress:
        if not _in(ctx, entry.entry_on):
            continue
        if entry.action_id is None:
            general.append(entry)
        else:
            notes.setdefault(entry.action_id, []).append(entry)
    out: list[Any] = []
    for number, goal in enumerate(view.goals, start=1):
        out.append(para(ctx, _("Goal {n}: {text} ({status})").format(
            n=number, text=goal.text, status=status(goal.status)), ctx.styles.h3))
        out += actions_table(ctx, [a for a in view.actions if a.goal_id == goal.goal_id],
                             progress=notes)
    loose = [a for a in view.actions if a.goal_id not in {g.goal_id for g in view.goals}]
    if loose or not view.goals:
        out.append(para(ctx, _("Actions without a goal"), ctx.styles.h3))
        out += actions_table(ctx, loose, progress=notes)
    if general:
        out.append(para(ctx, _("General progress"), ctx.styles.h3))
        out += progress_table(ctx, general, view.actions)
    return out


def results(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    out: list[Any] = goals_table(ctx, [g for g in view.goals if g.status != "open"])
    done = [a for a in view.actions if a.status == "done"]
    out.append(para(ctx, _("Actions completed"), ctx.styles.h3))
    out += actions_table(ctx, done, goals=view.goals)
    return out


def adjustments(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    return decisions_table(ctx, [d for d in view.decisions if _in(ctx, d.decided_on)])


def overdue(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    return actions_table(ctx, [a for a in view.actions if a.overdue], goals=view.goals)


def new_information(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    items = [i for i in view.items if _in(ctx, i.provided_on)]
    if not items:
        return [para(ctx, DASH)]
    return items_by_category(ctx, items)


SECTIONS = (
    Section(N_("Summary"), summary),
    Section(N_("Progress per goal and action"), per_goal),
    Section(N_("Results"), results),
    Section(N_("Adjustments decided in the period"), adjustments),
    Section(N_("Overdue actions"), overdue),
    Section(N_("Information added in the period"), new_information),
)
