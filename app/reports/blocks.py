"""Building blocks shared by the reports: tables, placeholders, notices.

Every value that comes from a view passes :func:`value_cell`, which renders a MASKED value
as the same explained placeholder as on screen (``Redacted.short()`` and
``.explanation()``) and records which FULL items the report includes, so the disclosure
register lists exactly what the document shows.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.vocab import ActionStatus, GoalStatus, InformedStatus
from app.i18n import N_, _, format_date
from app.reports.data import CaseReport, ReportData
from app.reports.flowables import RedactedBox
from app.reports.fonts import REGULAR
from app.reports.layout import ACCENT, FRAME_W, INK, MUTED, RULE, ZEBRA, Styles
from app.reports.rl import Paragraph, Spacer, Table, TableStyle, colors, simpleSplit
from app.views import (
    ActionView,
    CaseView,
    CorrectionMark,
    DecisionView,
    GoalView,
    ItemView,
    PartyRef,
    ProgressView,
    Redacted,
    Value,
)

DASH = "—"
ADDENDUM = N_("addendum")
"""The mark of what was recorded about a meeting after it was closed."""


@dataclass
class Ctx:
    """The state of one rendering: data, styles, and the FULL items included so far."""

    data: ReportData
    styles: Styles
    included: set[int] = field(default_factory=set)

    @property
    def lang(self) -> str:
        """The report's language."""
        return self.data.lang


@dataclass(frozen=True)
class Section:
    """One numbered section of a report: a title (English msgid, marked ``N_``) and the
    function producing its flowables."""

    title: str
    build: Callable[[Ctx], list[Any]]


def esc(text: str) -> str:
    """Text made safe for ReportLab paragraph markup."""
    return html.escape(text, quote=False)


def para(ctx: Ctx, text: str, style: Any = None) -> Any:
    """A paragraph of plain text (escaped)."""
    return Paragraph(esc(text), style or ctx.styles.body)


def cell(ctx: Ctx, text: str, *, muted: bool = False) -> Any:
    """A table cell of plain text (escaped, wrapping)."""
    return Paragraph(esc(text), ctx.styles.cell_muted if muted else ctx.styles.cell)


def day(value: dt.date | None, fmt: str = "medium") -> str:
    """A date in the report's language, or a dash."""
    return format_date(value, fmt) if value is not None else DASH


def moment(value: dt.datetime) -> str:
    """A date and time (to the minute) in the report's language."""
    return f"{format_date(value.date(), 'medium')}, {value:%H:%M}"


def addendum_mark(text: str, addendum: bool) -> str:
    """``text`` as paragraph markup, marked when it is an addendum to a closed meeting."""
    if not addendum:
        return esc(text)
    return (f"{esc(text)} <font size=\"7\" color=\"#9e1b1b\">"
            f"[{esc(_(ADDENDUM))}]</font>")


def corrected_mark(mark: CorrectionMark | None) -> str:
    """Paragraph markup after a corrected row of the joint record: "[corrected on <date>
    by <name>]", or nothing (issue 13, point 7)."""
    if mark is None:
        return ""
    return (f" <font size=\"7\" color=\"#5d6d7e\">"
            f"[{esc(mark.describe(day(mark.corrected_on, 'short')))}]</font>")


def status(value: GoalStatus | ActionStatus | InformedStatus) -> str:
    """A translated status of a goal, an action or the information duty."""
    return _(value.label)


def party_list(parties: Iterable[PartyRef], lang: str) -> str:
    """Party names joined, or a dash."""
    names = [p.label(lang) for p in parties]
    return "; ".join(names) if names else DASH


def dash(ctx: Ctx) -> Any:
    """The "no data" paragraph."""
    return para(ctx, DASH)


def masked(ctx: Ctx, value: Redacted) -> Any:
    """The placeholder of a MASKED value, worded as on screen."""
    why = _("Why: {reason}").format(reason=value.explanation())
    return RedactedBox(f"{esc(value.short())}<br/><font size=\"7\" color=\"#5d6d7e\">"
                       f"{esc(why)}</font>", ctx.styles.mask)


def value_cell(ctx: Ctx, value: Value | None, item_id: int | None = None) -> Any:
    """A value from a view: text, placeholder, or a dash; FULL items are recorded."""
    if value is None:
        return cell(ctx, DASH)
    if isinstance(value, Redacted):
        return masked(ctx, value)
    if item_id is not None:
        ctx.included.add(item_id)
    return cell(ctx, value)


# The table styles of every report (the case reports here, the inzage and destruction
# reports in their own modules): one look for every PDF Casustafel makes.
GRID_STYLE = TableStyle([
    ("FONT", (0, 0), (-1, -1), REGULAR, 8.5, 10.5),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ("BOX", (0, 0), (-1, -1), 0.4, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
])

PLAIN_STYLE = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
])


def grid(ctx: Ctx, header: Sequence[str], rows: Sequence[Sequence[Any]],
         widths: Sequence[float], extra: Sequence[tuple[Any, ...]] = ()) -> list[Any]:
    """A table with a header row repeated on every page; a dash when there are no rows.

    Cells are flowables, or plain strings for short texts that never wrap (dates, labels)
    and for text wrapped beforehand with :func:`wrapped` (cheaper to lay out).
    """
    if not rows:
        return [dash(ctx)]
    head = [Paragraph(esc(h), ctx.styles.th) for h in header]
    table = Table([head, *rows], colWidths=[w * FRAME_W for w in widths], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(GRID_STYLE)
    if extra:
        table.setStyle(TableStyle(list(extra)))
    return [table, Spacer(1, 4)]


def wrapped(text: str, width: float, size: float = 8.5) -> str:
    """``text`` broken into lines for a plain-string cell ``width`` (fraction of the frame)
    wide."""
    return "\n".join(simpleSplit(text, REGULAR, size, width * FRAME_W - 8) or [""])


def facts_table(ctx: Ctx, rows: Sequence[tuple[str, Any]]) -> Any:
    """Label/value pairs without lines (title blocks, case headers)."""
    data = [[Paragraph(esc(label), ctx.styles.cell_muted),
             cell(ctx, value) if isinstance(value, str) else value] for label, value in rows]
    table = Table(data, colWidths=[0.26 * FRAME_W, 0.74 * FRAME_W], hAlign="LEFT")
    table.setStyle(PLAIN_STYLE)
    return table


def notice(ctx: Ctx, text: str) -> Any:
    """A highlighted notice."""
    return para(ctx, text, ctx.styles.notice)


def withheld(ctx: Ctx, view: CaseView,
             left_room: Sequence[PartyRef] = ()) -> list[Any] | None:
    """The notice that replaces all content of a case, or None when content shows.

    A table view with a party present that is not invited for the case shows no content
    at all, only who must leave the room (ZVH 13.2) — or, in the notulen for the whole
    table, that they left it.
    """
    if view.blocked_by:
        parties = party_list(view.blocked_by, ctx.lang)
        if {p.id for p in view.blocked_by} <= {p.id for p in left_room}:
            first = _("Not invited for this case and left the room: {parties}.").format(
                parties=parties)
        else:
            first = _("Not invited for this case: {parties} — must leave the room").format(
                parties=parties) + "."
        return [notice(ctx, " ".join((
            first,
            _("This version for the whole table therefore contains no content of this "
              "case (ZVH 13.2)."),
        )))]
    if not view.content_visible:
        return [notice(ctx, _("Process metadata only."))]
    return None


# --- blocks over views ---------------------------------------------------------------

def name_item_ids(view: CaseView) -> dict[str, int]:
    """Per person label, the item whose value is the person's name in ``PersonView``."""
    out: dict[str, int] = {}
    for item in view.items:
        if item.field == "name" and item.person_label is not None:
            out.setdefault(item.person_label, item.item_id)
    return out


def persons_table(ctx: Ctx, view: CaseView) -> list[Any]:
    """Betrokkenen: label, category and name as far as the recipient may see it."""
    ids = name_item_ids(view)
    rows = [[wrapped(p.label, 0.14), cell(ctx, p.category.get(ctx.lang)),
             value_cell(ctx, p.name, ids.get(p.label))] for p in view.persons]
    return grid(ctx, [_("Person"), _("Category"), _("Name")], rows, (0.14, 0.30, 0.56))


def items_by_category(ctx: Ctx, items: Sequence[ItemView]) -> list[Any]:
    """Information items grouped by category, one table per category."""
    groups: dict[str, tuple[str, list[ItemView]]] = {}
    for item in items:
        groups.setdefault(item.category_id, (item.category.get(ctx.lang), []))[1].append(item)
    if not groups:
        return [dash(ctx)]
    out: list[Any] = []
    header = [_("Information"), _("Person"), _("Source"), _("Date")]
    widths = (0.49, 0.14, 0.24, 0.13)
    muted = (("TEXTCOLOR", (2, 1), (2, -1), MUTED), ("FONTSIZE", (2, 1), (2, -1), 7.5),
             ("LEADING", (2, 1), (2, -1), 9.5))
    sources: dict[tuple[str, str], str] = {}
    for label, group in groups.values():
        out.append(Paragraph(f"{esc(label)} <font size=\"8\" color=\"#5d6d7e\">"
                             f"({len(group)})</font>", ctx.styles.h3))
        rows = []
        for item in group:
            basis = "" if item.masked else item.legal_basis
            source = sources.get((item.provider.id, basis))
            if source is None:
                text = item.provider.label(ctx.lang)
                source = wrapped(text, widths[2], 7.5)
                if basis:
                    source += "\n" + wrapped(basis, widths[2], 7.5)
                sources[(item.provider.id, basis)] = source
            rows.append([value_cell(ctx, item.value, item.item_id),
                         wrapped(item.person_label or DASH, widths[1]), source,
                         day(item.provided_on, "short")])
        out += grid(ctx, header, rows, widths, muted)
    return out


def goals_table(ctx: Ctx, goals: Sequence[GoalView]) -> list[Any]:
    """Goals with their status."""
    rows = [[str(i), Paragraph(esc(g.text) + corrected_mark(g.corrected), ctx.styles.cell),
             cell(ctx, status(g.status))]
            for i, g in enumerate(goals, start=1)]
    return grid(ctx, ["#", _("Goal"), _("Status")], rows, (0.06, 0.74, 0.20))


def goal_numbers(goals: Sequence[GoalView]) -> dict[int, int]:
    """Goal id -> its number in the goals table."""
    return {g.goal_id: i for i, g in enumerate(goals, start=1)}


def actions_table(ctx: Ctx, actions: Sequence[ActionView], *,
                  goals: Sequence[GoalView] = (), case_refs: dict[int, str] | None = None,
                  progress: dict[int, list[ProgressView]] | None = None) -> list[Any]:
    """Actions with responsible party, deadline and status; optionally the goal number,
    the case (meeting action list) and progress notes per action."""
    numbers = goal_numbers(goals)
    header = [_("Action"), _("Responsible"), _("Deadline"), _("Status")]
    widths: list[float] = [0.46, 0.26, 0.14, 0.14]
    if case_refs is not None:
        header.insert(0, _("Case"))
        widths = [0.13, 0.37, 0.24, 0.13, 0.13]
    rows = []
    for action in actions:
        text = addendum_mark(action.text, action.addendum) + corrected_mark(action.corrected)
        if action.goal_id in numbers:
            goal = "({} {})".format(_("goal"), numbers[action.goal_id])
            text += f" <font size=\"7\" color=\"#5d6d7e\">{esc(goal)}</font>"
        for entry in (progress or {}).get(action.action_id, []):
            note = f"{day(entry.entry_on, 'short')}: {entry.text}"
            text += f"<br/><font size=\"7.5\" color=\"#5d6d7e\">{esc(note)}</font>"
        state = status(action.status)
        if action.overdue:
            state += " · " + _("overdue")
        row = [Paragraph(text, ctx.styles.cell), cell(ctx, action.owner.label(ctx.lang)),
               day(action.due_on, "short"), cell(ctx, state)]
        if case_refs is not None:
            row.insert(0, case_refs.get(action.action_id, DASH))
        rows.append(row)
    return grid(ctx, header, rows, widths)


def decisions_table(ctx: Ctx, decisions: Sequence[DecisionView]) -> list[Any]:
    """Decisions of the table, dated."""
    rows = [[day(d.decided_on, "short"),
             Paragraph(addendum_mark(d.text, d.addendum) + corrected_mark(d.corrected),
                       ctx.styles.cell)]
            for d in decisions]
    return grid(ctx, [_("Date"), _("Decision")], rows, (0.16, 0.84))


def progress_table(ctx: Ctx, entries: Sequence[ProgressView],
                   actions: Sequence[ActionView]) -> list[Any]:
    """Progress notes, dated, with the action they belong to."""
    texts = {a.action_id: a.text for a in actions}
    rows = [[day(e.entry_on, "short"),
             Paragraph(addendum_mark(e.text, e.addendum) + corrected_mark(e.corrected),
                       ctx.styles.cell),
             cell(ctx, texts.get(e.action_id, DASH) if e.action_id else DASH, muted=True)]
            for e in entries]
    return grid(ctx, [_("Date"), _("Progress"), _("Action")], rows, (0.14, 0.50, 0.36))


def parties_table(ctx: Ctx, case: CaseReport) -> list[Any]:
    """The parties involved and their part in the case (process metadata)."""
    view = case.view
    owners: dict[str, int] = {}
    for action in view.actions:
        if action.status == "open":
            owners[action.owner.id] = owners.get(action.owner.id, 0) + 1
    rows = []
    for party in view.parties:
        notes = []
        if party.id == view.registering_party.id:
            notes.append(_("registering party"))
        if view.casusregisseur_party is not None and party.id == view.casusregisseur_party.id:
            notes.append(_("case director"))
        if owners.get(party.id):
            notes.append(_("open actions: {n}").format(n=owners[party.id]))
        rows.append([cell(ctx, party.label(ctx.lang)), cell(ctx, ", ".join(notes) or DASH)])
    return grid(ctx, [_("Party"), _("Part in this case")], rows, (0.6, 0.4))


def director_line(ctx: Ctx, view: CaseView) -> str:
    """The casusregisseur with party, or a dash."""
    if view.casusregisseur_party is None and not view.casusregisseur:
        return DASH
    party = view.casusregisseur_party.label(ctx.lang) if view.casusregisseur_party else ""
    if view.casusregisseur and party:
        return f"{view.casusregisseur} ({party})"
    return view.casusregisseur or party
