"""The inzage report: the answer to a data subject's request for access (ZVH 18.1; AVG 15).

Made from an :class:`app.views.requests.InzageView` only, in the report's language, with
the page decorations of every report (:mod:`app.reports.layout`).  Per case in which the
person was found it names the purposes, the categories, where the data come from, to whom
they were provided (the disclosure register), how long they are kept, and the data
themselves; what a providing party withholds shows as a marked placeholder with the
party's reason, and police and OM data are not listed: the report says the request was
routed to them (ZVH 17.5-17.6).  The name of the person appears in the title block only,
never in the PDF's metadata, header or watermark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.i18n import N_, _, format_date, language
from app.profiles import LocalText
from app.reports.blocks import DASH, GRID_STYLE, PLAIN_STYLE, esc
from app.reports.flowables import RedactedBox
from app.reports.fonts import register_fonts
from app.reports.layout import (
    FRAME_W,
    PageDecor,
    PdfMeta,
    Styles,
    build_pdf,
    make_styles,
)
from app.reports.rl import CondPageBreak, Paragraph, Spacer, Table
from app.views.requests import InzageItemView, InzagePersonView, InzageView, RecipientView

KIND = "inzage"
"""The kind of the report in the report register (``reports.kind``)."""

RECIPIENT = "data-subject"
"""The recipient key in the report register: the person who asked."""

TITLE = N_("Access report")
_PDF_LANG = {"nl": "nl-NL", "en": "en-GB"}



@dataclass(frozen=True)
class RenderedInzage:
    """The PDF bytes (in memory only) and the page count."""

    pdf: bytes
    pages: int


@dataclass(frozen=True)
class _Doc:
    view: InzageView
    lang: str
    styles: Styles
    document_id: str
    today: dt.date
    author: str



def _p(doc: _Doc, text: str, style: Any = None) -> Any:
    return Paragraph(esc(text), style or doc.styles.body)


def _cell(doc: _Doc, text: str, *, muted: bool = False) -> Any:
    return Paragraph(esc(text), doc.styles.cell_muted if muted else doc.styles.cell)


def _day(value: dt.date | None) -> str:
    return format_date(value, "medium") if value is not None else DASH


def _stamp(utc_iso: str) -> str:
    moment = dt.datetime.fromisoformat(utc_iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return _day(moment.astimezone().date())


def _facts(doc: _Doc, rows: Sequence[tuple[str, str]]) -> Any:
    data = [[_cell(doc, label, muted=True), _cell(doc, value)] for label, value in rows]
    table = Table(data, colWidths=[0.26 * FRAME_W, 0.74 * FRAME_W], hAlign="LEFT")
    table.setStyle(PLAIN_STYLE)
    return table


def _grid(doc: _Doc, header: Sequence[str], rows: Sequence[Sequence[Any]],
          widths: Sequence[float]) -> list[Any]:
    if not rows:
        return [_p(doc, DASH)]
    head = [Paragraph(esc(h), doc.styles.th) for h in header]
    table = Table([head, *rows], colWidths=[w * FRAME_W for w in widths], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(GRID_STYLE)
    return [table, Spacer(1, 4)]


def _names(texts: Sequence[LocalText], lang: str) -> str:
    seen: list[str] = []
    for text in texts:
        name = text.get(lang)
        if name not in seen:
            seen.append(name)
    return "; ".join(seen) or DASH


def _recipient_line(doc: _Doc, r: RecipientView) -> str:
    channel = {"screen": _("on screen"), "report": _("in a report"),
               "export": _("in an export")}.get(r.channel, r.channel)
    first, last = _stamp(r.first), _stamp(r.last)
    when = first if first == last else f"{first} \u2013 {last}"
    return f"{r.party.label(doc.lang)} ({channel}, {when})"


def _recipients(doc: _Doc, recipients: Sequence[RecipientView]) -> str:
    return "; ".join(_recipient_line(doc, r) for r in recipients) or _("nobody")


def _item_row(doc: _Doc, item: InzageItemView) -> list[Any]:
    lang = doc.lang
    if item.withheld_reason is not None:
        text = _("Withheld by {party}").format(party=item.source.label(lang))
        why = _("Why: {reason}").format(reason=item.withheld_reason)
        data: Any = RedactedBox(f"{esc(text)}<br/><font size=\"7\" color=\"#5d6d7e\">"
                                f"{esc(why)}</font>", doc.styles.mask)
    else:
        data = _cell(doc, item.content or DASH)
    source = f"{item.source.label(lang)}, {_day(item.provided_on)}"
    return [_cell(doc, item.category.get(lang)), data, _cell(doc, source),
            _cell(doc, item.activity.get(lang)), _cell(doc, _recipients(doc, item.recipients))]


def _person(doc: _Doc, person: InzagePersonView) -> list[Any]:
    lang = doc.lang
    out: list[Any] = [CondPageBreak(120), _p(doc, _("Case {case}, person {label} ({category})")
                                             .format(case=person.case_ref,
                                                     label=person.person_label,
                                                     category=person.category.get(lang)),
                                             doc.styles.h3)]
    purposes = [LocalText(f"{i.activity.nl}: {i.purpose.nl}", f"{i.activity.en}: "
                          f"{i.purpose.en}") for i in person.items]
    out.append(_facts(doc, [
        (_("Purposes"), _names(purposes, lang)),
        (_("Categories of data"), _names([i.category for i in person.items], lang)),
        (_("Source"), _names([i.source.name for i in person.items]
                             + [a.party.name for a in person.awaiting], lang)),
        (_("Recipients"), _recipients(doc, person.recipients)),
        (_("Retention"), _names([i.retention for i in person.items], lang)),
    ]))
    out.append(_p(doc, _("The data"), doc.styles.label))
    out += _grid(doc, [_("Category"), _("Data"), _("Source, provided on"), _("Purpose"),
                       _("Recipients")], [_item_row(doc, i) for i in person.items],
                 (0.15, 0.31, 0.16, 0.16, 0.22))
    for entry in person.awaiting:
        out.append(_p(doc, _("{n} item(s) from {party} are not yet included: the providing "
                             "party has not yet made them available for this request.")
                      .format(n=entry.items, party=entry.party.label(lang)),
                      doc.styles.small))
    for entry in person.routed:
        out.append(_p(doc, _("Routed to {party} (ZVH 17.5-17.6).").format(
            party=entry.party.label(lang)), doc.styles.small))
    return out


def _retention_text(view: InzageView) -> str:
    r = view.retention
    parts = []
    if r.max_years is not None:
        parts.append(_("The data are kept at most {years} years after the processing "
                       "started.").format(years=r.max_years))
    if r.extension_years is not None:
        parts.append(_("This term may be extended once, with reasons, by at most {years} "
                       "years.").format(years=r.extension_years))
    if r.not_forwarded_months is not None:
        parts.append(_("A case that does not reach the table is kept for at most {months} "
                       "months.").format(months=r.not_forwarded_months))
    if r.destroy_after_close_months is not None:
        parts.append(_("The data are destroyed {months} months after the case is closed.")
                     .format(months=r.destroy_after_close_months))
    parts.append(f"({r.article})")
    return " ".join(parts)


def _flowables(doc: _Doc) -> list[Any]:
    view, lang, st = doc.view, doc.lang, doc.styles
    identity = view.identity
    rows = [(_("Request"), str(view.request_id)), (_("Received on"), _day(view.received_on)),
            (_("To be answered by"), _day(view.deadline_on))]
    if identity is not None:
        rows.append((_("Data subject"), identity.name))
        if identity.birth_date is not None:
            rows.append((_("Date of birth"), _day(identity.birth_date)))
    rows += [(_("Prepared by"), doc.author), (_("Date"), _day(doc.today)),
             (_("Document"), doc.document_id)]
    out: list[Any] = [
        Paragraph(esc(_(TITLE)), st.h1), _facts(doc, rows),
        _p(doc, _("This report answers your request for access to the data about you "
                  "(ZVH 18.1; art. 15 AVG). Per case in which you were found, it lists why "
                  "the data are processed, which kinds of data, where they come from, to "
                  "whom they were provided, how long they are kept, and the data "
                  "themselves. A grey field with a lock marks data a providing party "
                  "withholds, with its reason."), st.small),
    ]
    routed = view.routed_parties
    if routed:
        out.append(_p(doc, _("Your request also concerns data of {parties}. Police and "
                             "Public Prosecution Service data are not answered here: your "
                             "request has been forwarded to them, and they answer it under "
                             "their own law (ZVH 17.5-17.6).").format(
            parties="; ".join(p.label(lang) for p in routed)), st.notice))
    out.append(Paragraph("1. " + esc(_("Data about you")), st.h2))
    if not view.persons:
        out.append(_p(doc, _("No data about you were found in the cases of the table.")))
    for person in view.persons:
        out += _person(doc, person)
    out.append(Paragraph("2. " + esc(_("Retention")), st.h2))
    out.append(_p(doc, _retention_text(view)))
    out.append(Paragraph("3. " + esc(_("Your rights")), st.h2))
    out.append(_p(doc, _("You may ask for data to be corrected, completed or erased, for "
                         "their processing to be restricted, or object to it (ZVH 18.1; "
                         "art. 16-18 and 21 AVG). You may complain to the Autoriteit "
                         "Persoonsgegevens.")))
    return out


def render_inzage(view: InzageView, *, lang: str, document_id: str, today: dt.date,
                  author: str) -> RenderedInzage:
    """Render the inzage report into PDF bytes in memory (nothing is written)."""
    register_fonts()
    with language(lang):
        doc = _Doc(view, lang, make_styles(), document_id, today, author)
        flowables = _flowables(doc)
        title = _(TITLE)
        marking = _("CONFIDENTIAL")
        recipient = _("The person concerned")
        decor = PageDecor(
            marking=marking, covenant=view.covenant.get(lang),
            title=_("{title} · request {id}").format(title=title, id=view.request_id),
            document_id=document_id,
            document_line=_("Document {id}").format(id=document_id),
            recipient_line=_("For: {recipient}").format(recipient=recipient),
            watermark=(recipient, document_id), page_label=_("page {page} of {pages}"))
        meta = PdfMeta(title=title, subject=f"{marking} · {title}",
                       keywords=f"{document_id}, {KIND}", lang=_PDF_LANG.get(lang, lang))
        pdf, pages = build_pdf(flowables, decor, meta)
    return RenderedInzage(pdf, pages)
