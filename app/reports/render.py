"""Rendering a report: the declarative sections of each kind turned into a PDF in memory.

``render_report`` switches to the report's language for the whole rendering (independent
of the UI language), builds the title block and the numbered sections of the kind, and
lays them out with the page decorations of :mod:`app.reports.layout`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.i18n import _, language
from app.reports import agenda, closing, minutes, plan, progress
from app.reports.blocks import (
    Ctx,
    Section,
    day,
    esc,
    facts_table,
    moment,
    para,
    party_list,
    withheld,
)
from app.reports.data import ReportData
from app.reports.fonts import register_fonts
from app.reports.layout import PageDecor, PdfMeta, ProgressHook, build_pdf, make_styles
from app.reports.rl import Paragraph

KIND_SPECS: dict[str, tuple[str, Sequence[Section]]] = {
    "plan": (plan.TITLE, plan.SECTIONS),
    "voortgang": (progress.TITLE, progress.SECTIONS),
    "afsluiting": (closing.TITLE, closing.SECTIONS),
    "notulen": (minutes.TITLE, minutes.SECTIONS),
    "agenda": (agenda.TITLE, agenda.SECTIONS),
}
"""Per kind: the title msgid and the sections, in order."""

_PDF_LANG = {"nl": "nl-NL", "en": "en-GB"}


@dataclass(frozen=True)
class Rendered:
    """A rendered report: the PDF bytes, its pages, and the FULL items it includes."""

    pdf: bytes
    pages: int
    included: frozenset[int]


def recipient_label(ctx: Ctx) -> str:
    """The recipient in full (title block, header)."""
    recipient = ctx.data.recipient
    if recipient.table:
        return _("The table: {parties}").format(parties=party_list(recipient.parties,
                                                                   ctx.lang))
    return recipient.parties[0].label(ctx.lang)


def recipient_short(ctx: Ctx) -> str:
    """The recipient in a few words (watermark, PDF subject)."""
    recipient = ctx.data.recipient
    if recipient.table:
        return _("The table ({n} parties)").format(n=len(recipient.parties))
    return recipient.parties[0].label(ctx.lang)


def _subject_line(ctx: Ctx) -> str:
    data = ctx.data
    if data.case is not None:
        return data.case.view.reference
    if data.meeting is not None:
        return day(data.meeting.starts_at.date())
    return ""


def _title_block(ctx: Ctx, title: str) -> list[Any]:
    data = ctx.data
    rows: list[tuple[str, str]] = []
    if data.case is not None:
        view = data.case.view
        rows.append((_("Case"), f"{view.reference} · {view.phase.get(ctx.lang)}"))
    meeting = data.meeting
    if meeting is not None and data.kind in {"notulen", "agenda"}:
        rows += [(_("Meeting"), moment(meeting.starts_at)), (_("Place"), meeting.place or "—"),
                 (_("Chair"), meeting.chair or "—"),
                 (_("Minute taker"), meeting.notulist or "—")]
        if data.kind == "notulen":
            rows.append((_("Status"), minutes.document_status(meeting)))
    elif meeting is not None:
        rows.append((_("Meeting"), f"{moment(meeting.starts_at)} · {meeting.place}"))
    if data.period is not None:
        rows.append((_("Period"), f"{day(data.period[0])} \u2013 {day(data.period[1])}"))
    rows += [(_("Recipient"), recipient_label(ctx)), (_("Prepared by"), data.author),
             (_("Date"), day(data.today)), (_("Document"), data.document_id)]
    return [
        Paragraph(esc(title), ctx.styles.h1),
        facts_table(ctx, rows),
        para(ctx, _("This document contains only what the recipient may see. A grey field "
                    "with a lock marks information that exists but is masked for the "
                    "recipient, with the reason; information the recipient may not know "
                    "of is left out."), ctx.styles.small),
        para(ctx, _("Do not pass this document on without the prior written consent of "
                    "the parties that provided the information."), ctx.styles.small),
    ]


def _flowables(data: ReportData) -> tuple[list[Any], Ctx]:
    """The flowables of the report (inside the report's language)."""
    ctx = Ctx(data, make_styles())
    title, sections = KIND_SPECS[data.kind]
    out = _title_block(ctx, _(title))
    if data.case is not None and data.kind != "notulen":
        notice = withheld(ctx, data.case.view)
        if notice is not None:
            return out + notice, ctx
    for number, section in enumerate(sections, start=1):
        out.append(Paragraph(f"{number}. {esc(_(section.title))}", ctx.styles.h2))
        out += section.build(ctx)
    return out, ctx


def report_flowables(data: ReportData) -> list[Any]:
    """The flowables alone, e.g. to lay them out without page decorations (bench)."""
    register_fonts()
    with language(data.lang):
        return _flowables(data)[0]


def render_report(data: ReportData, *, progress_hook: ProgressHook | None = None) -> Rendered:
    """Render ``data`` into PDF bytes in memory.  ``progress_hook`` gets fractions 0..1 and
    may raise to cancel (nothing is kept then)."""
    register_fonts()
    with language(data.lang):
        flowables, ctx = _flowables(data)
        title = _(KIND_SPECS[data.kind][0])
        subject = _subject_line(ctx)
        marking = _("CONFIDENTIAL")
        short = recipient_short(ctx)
        decor = PageDecor(
            marking=marking,
            covenant=data.covenant.get(data.lang),
            title=f"{title} · {subject}" if subject else title,
            document_id=data.document_id,
            document_line=_("Document {id}").format(id=data.document_id),
            recipient_line=_("For: {recipient}").format(recipient=recipient_label(ctx)),
            watermark=(short, data.document_id),
            page_label=_("page {page} of {pages}"),
        )
        meta = PdfMeta(
            title=f"{title} {subject}".strip(),
            subject=f"{marking} · {title} · {short}",
            keywords=f"{data.document_id}, {data.kind}",
            lang=_PDF_LANG.get(data.lang, data.lang),
        )
        pdf, pages = build_pdf(flowables, decor, meta, progress_hook)
    return Rendered(pdf, pages, frozenset(ctx.included))
