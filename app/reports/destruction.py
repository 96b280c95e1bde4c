"""The destruction report (proces-verbaal van vernietiging) of one retention run (issue 12;
ZVH 11.2-11.8, WO 9.4-9.9, OND 11.2-11.3; seed 000 bewerkersovereenkomst art. 8: "hiervan
wordt een verslag gemaakt").

Made from a :class:`app.views.retention.DestructionReportView` only: what was destroyed by
count and category, under which rule and article, when, approved by whom, which backups in
the store folder were cleaned and which backups elsewhere may still hold copies under the
old keys.  It names no person and no case: the report goes to the controllers (and, for
dagmonitor data, to the police as the responsible party), for whom the numbers and the
articles are the proof; a list of case references would only link pseudonyms to a
destruction.  The ids are in the store's ``destroyed`` ledger and its signed audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.i18n import N_, _, format_date, language
from app.reports.blocks import DASH, GRID_STYLE, PLAIN_STYLE, esc
from app.reports.fonts import register_fonts
from app.reports.layout import (
    FRAME_W,
    PageDecor,
    PdfMeta,
    Styles,
    build_pdf,
    make_styles,
)
from app.reports.rl import Paragraph, Spacer, Table
from app.views.retention import WHAT_LABELS, DestructionReportView

KIND = "vernietiging"
"""The kind of the report in the report register (``reports.kind``)."""

RECIPIENT = "controller"
"""The recipient key in the report register: the controllers of the covenant."""

TITLE = N_("Destruction report")
_PDF_LANG = {"nl": "nl-NL", "en": "en-GB"}
# N_ marks the labels of WHAT_LABELS for extraction; the view keeps the msgids.
_WHAT = {"case": N_("whole case"), "item": N_("items"), "register": N_("register lines")}
assert set(_WHAT) == set(WHAT_LABELS)  # noqa: S101 - one vocabulary



@dataclass(frozen=True)
class RenderedDestruction:
    """The PDF bytes (in memory only) and the page count."""

    pdf: bytes
    pages: int



def _p(st: Styles, text: str, style: Any = None) -> Any:
    return Paragraph(esc(text), style or st.body)


def _cell(st: Styles, text: str, *, muted: bool = False) -> Any:
    return Paragraph(esc(text), st.cell_muted if muted else st.cell)


def _day(value: dt.date) -> str:
    return format_date(value, "medium")


def _facts(st: Styles, rows: Sequence[tuple[str, str]]) -> Any:
    table = Table([[_cell(st, label, muted=True), _cell(st, value)] for label, value in rows],
                  colWidths=[0.3 * FRAME_W, 0.7 * FRAME_W], hAlign="LEFT")
    table.setStyle(PLAIN_STYLE)
    return table


def _grid(st: Styles, header: Sequence[str], rows: Sequence[Sequence[str]],
          widths: Sequence[float]) -> list[Any]:
    if not rows:
        return [_p(st, DASH)]
    table = Table([[Paragraph(esc(h), st.th) for h in header],
                   *[[_cell(st, c) for c in row] for row in rows]],
                  colWidths=[w * FRAME_W for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID_STYLE)
    return [table, Spacer(1, 4)]


def _flowables(view: DestructionReportView, lang: str, st: Styles, author: str) -> list[Any]:
    local = view.run_at.astimezone()
    agreement = (_("seed {seed}").format(seed=view.agreement) if view.agreement
                 else _("none recorded (the shorter term applies)"))
    out: list[Any] = [
        Paragraph(esc(_(TITLE)), st.h1),
        _facts(st, [
            (_("Covenant"), view.covenant.get(lang)),
            (_("Destroyed on"), f"{_day(view.run_on)} {local.strftime('%H:%M')}"),
            (_("Approved by"), f"{view.approved_by} ({view.approver_role.get(lang)})"),
            (_("Dagmonitor agreement"), agreement),
            (_("Prepared by"), author),
            (_("Document"), view.document_id),
        ]),
        _p(st, _("This report records a destruction of personal data whose retention term "
                 "had ended. It names no person and no case. What was destroyed cannot be "
                 "read again: the keys of the items were destroyed together with their "
                 "content, in the store and in its backups. Only non-personal data remain, "
                 "for management purposes (ZVH 11.7; OND 11.3; WO 9.6)."), st.small),
        Paragraph("1. " + esc(_("What was destroyed, per rule")), st.h2),
    ]
    out += _grid(st, [_("Rule"), _("Article"), _("What"), _("Cases"), _("Items"),
                      _("Persons"), _("Register lines")],
                 [[r.rule, r.article, _(_WHAT.get(r.what, r.what)), str(r.cases),
                   str(r.items), str(r.persons), str(r.lines)] for r in view.rules],
                 (0.19, 0.25, 0.13, 0.1, 0.1, 0.1, 0.13))
    out.append(Paragraph("2. " + esc(_("Items per category of data")), st.h2))
    out += _grid(st, [_("Category"), _("Items")],
                 [[c.name.get(lang), str(c.count)] for c in view.categories], (0.7, 0.3))
    out.append(Paragraph("3. " + esc(_("Copies and backups")), st.h2))
    out.append(_p(st, _("Backups in the store folder cleaned the same way: {n}.").format(
        n=view.backups_cleaned)))
    if view.backups_failed:
        out.append(_p(st, _("Backups in the store folder that could not be opened with the "
                            "store's key and so were not cleaned: {names}. If one is ever "
                            "restored on this computer, the destruction is applied to it "
                            "before anyone can read it.").format(
            names=", ".join(view.backups_failed)), st.notice))
    out.append(_p(st, _("Backups made outside the store folder may still hold copies of "
                        "the destroyed data under the old keys (WO 9.8; seed 000 art. 8). "
                        "They must be destroyed, or restored only on a computer that keeps "
                        "this store's destruction record:")))
    out += _grid(st, [_("Place"), _("Made on")],
                 [[b.place, _day(b.made_on)] for b in view.outside_backups], (0.75, 0.25))
    return out


def render_destruction(view: DestructionReportView, *, lang: str, author: str
                       ) -> RenderedDestruction:
    """Render the proces-verbaal into PDF bytes in memory (nothing is written)."""
    register_fonts()
    with language(lang):
        st = make_styles()
        flowables = _flowables(view, lang, st, author)
        title = _(TITLE)
        marking = _("CONFIDENTIAL")
        recipient = _("The controllers")
        decor = PageDecor(
            marking=marking, covenant=view.covenant.get(lang),
            title=_("{title} · {day}").format(title=title, day=_day(view.run_on)),
            document_id=view.document_id,
            document_line=_("Document {id}").format(id=view.document_id),
            recipient_line=_("For: {recipient}").format(recipient=recipient),
            watermark=(recipient, view.document_id), page_label=_("page {page} of {pages}"))
        meta = PdfMeta(title=title, subject=f"{marking} · {title}",
                       keywords=f"{view.document_id}, {KIND}", lang=_PDF_LANG.get(lang, lang))
        pdf, pages = build_pdf(flowables, decor, meta)
    return RenderedDestruction(pdf, pages)
