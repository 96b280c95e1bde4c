"""Plan van aanpak (WO 1.21; ZVH 1.20, 9.4): problem and toestandsbeeld, goals, actions,
monitoring, informing the persons concerned and the melder, casusregisseur, criteria for
afschaling and the parties involved."""

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
    director_line,
    esc,
    facts_table,
    goals_table,
    grid,
    items_by_category,
    para,
    parties_table,
    persons_table,
    progress_table,
    status,
)
from app.reports.data import CaseReport
from app.reports.rl import Paragraph
from app.views import ProgressView

TITLE = N_("Action plan")

_INFORMING = re.compile(r"inform|melder|terugkoppel|reporter|feedback", re.IGNORECASE)
_SCALING = re.compile(r"afschal|afsluit|scal(e|ing) down|clos", re.IGNORECASE)


def case_of(ctx: Ctx) -> CaseReport:
    """The case a per-case report is about."""
    assert ctx.data.case is not None  # noqa: S101 - per-case kinds always carry a case
    return ctx.data.case


def plan_text(ctx: Ctx, part: str) -> str:
    """A text of the plan van aanpak (``problem``, ``monitoring``, ``informing``,
    ``exit_criteria``), or "" when not written or not visible to the recipient."""
    plan = case_of(ctx).view.plan
    return str(getattr(plan, part, "") or "") if plan is not None else ""


def _written(ctx: Ctx, label: str, part: str) -> list[Any]:
    """The label and the plan text, or nothing when the text is empty."""
    text = plan_text(ctx, part)
    if not text:
        return []
    return [para(ctx, label, ctx.styles.h3),
            Paragraph(esc(text).replace("\n", "<br/>"), ctx.styles.body)]


def progress_by_action(ctx: Ctx) -> dict[int, list[ProgressView]]:
    """The progress entries of the case per action (the entries of no action left out)."""
    out: dict[int, list[ProgressView]] = {}
    for entry in case_of(ctx).view.progress:
        if entry.action_id is not None:
            out.setdefault(entry.action_id, []).append(entry)
    return out


def problem(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    themes = ", ".join(view.themes) or DASH
    out: list[Any] = _written(ctx, _("Problem"), "problem")
    out += [facts_table(ctx, [
        (_("Goal of the case meeting"), view.goal or DASH),
        (_("Themes"), themes),
        (_("Registered by"), view.registering_party.label(ctx.lang)),
        (_("Opened on"), day(view.opened_at)),
    ])]
    out.append(para(ctx, _("Persons concerned"), ctx.styles.h3))
    out += persons_table(ctx, view)
    out.append(para(ctx, _("Current situation (information the recipient may see)"),
                    ctx.styles.h3))
    out += items_by_category(ctx, view.items)
    return out


def goals(ctx: Ctx) -> list[Any]:
    return goals_table(ctx, case_of(ctx).view.goals)


def actions(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    return actions_table(ctx, view.actions, goals=view.goals, progress=progress_by_action(ctx))


def monitoring(ctx: Ctx) -> list[Any]:
    case = case_of(ctx)
    view = case.view
    open_ = [a for a in view.actions if a.status == "open"]
    overdue = [a for a in open_ if a.overdue]
    out: list[Any] = _written(ctx, _("How the plan is monitored"), "monitoring")
    out += [facts_table(ctx, [
        (_("Monitored by"), _("the case director {director}, who watches the agreements of "
                              "this plan").format(director=director_line(ctx, view))),
        (_("Supported by"), _("the process director {name}").format(
            name=view.procesregisseur or DASH)),
        (_("Next discussion"), day(case.next_meeting.date()) if case.next_meeting else DASH),
        (_("Open actions"), str(len(open_))),
        (_("Overdue actions"), str(len(overdue))),
    ])]
    out.append(para(ctx, _("Latest progress"), ctx.styles.h3))
    out += progress_table(ctx, view.progress[-5:], view.actions)
    return out


def informing(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    out: list[Any] = _written(
        ctx, _("How and by whom the persons concerned and the reporter are told"), "informing")
    out += [para(ctx, _(
        "Whether and when each person concerned was informed is recorded in the file, or "
        "why not yet and when this is reviewed; the process director {name} sees to it.",
    ).format(name=view.procesregisseur or DASH))]
    rows = [[p.label, cell(ctx, p.category.get(ctx.lang)),
             cell(ctx, status(p.informed_status)),
             day(p.informed_on, "short"), day(p.review_on, "short")]
            for p in view.persons]
    out += grid(ctx, [_("Person"), _("Category"), _("Informed"), _("Informed on"),
                      _("Next review")], rows, (0.14, 0.28, 0.2, 0.19, 0.19))
    agreed = [a for a in view.actions if _INFORMING.search(a.text)]
    out.append(para(ctx, _("Agreed actions to inform persons concerned and the reporter"),
                    ctx.styles.h3))
    out += actions_table(ctx, agreed, goals=view.goals)
    return out


def director(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    return [facts_table(ctx, [
        (_("Case director"), director_line(ctx, view)),
        (_("Process director"), view.procesregisseur or DASH),
    ])]


def scaling_down(ctx: Ctx) -> list[Any]:
    view = case_of(ctx).view
    out: list[Any] = _written(ctx, _("Agreed criteria"), "exit_criteria")
    out += [para(ctx, _(
        "The case is scaled down when the goals of this plan are reached, or when the case "
        "meeting decides that the joint approach is no longer needed; only the personal data "
        "needed for that assessment are used."))]
    reached = sum(1 for g in view.goals if g.status == "reached")
    out.append(para(ctx, _("Goals reached: {reached} of {total}.").format(
        reached=reached, total=len(view.goals))))
    decided = [d for d in view.decisions if _SCALING.search(d.text)]
    if decided:
        out.append(para(ctx, _("Decisions about scaling down"), ctx.styles.h3))
        out += decisions_table(ctx, decided)
    return out


def parties(ctx: Ctx) -> list[Any]:
    return parties_table(ctx, case_of(ctx))


SECTIONS = (
    Section(N_("Problem and current situation"), problem),
    Section(N_("Goals"), goals),
    Section(N_("Actions and interventions"), actions),
    Section(N_("Monitoring"), monitoring),
    Section(N_("Informing persons concerned and the reporter"), informing),
    Section(N_("Case director"), director),
    Section(N_("Criteria for scaling down"), scaling_down),
    Section(N_("Parties involved"), parties),
)
