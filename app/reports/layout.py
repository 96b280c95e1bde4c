"""Page layout of every report and the PDF build.

A4 pages with a header (confidentiality marking, covenant, title, document id, recipient),
a footer (marking, document id, "page X of Y") and a light diagonal watermark naming the
recipient and the document id.  "Page X of Y" needs the page count: the canvas keeps each
finished page and draws the footers when the document is saved (one layout pass).  The PDF
is built in memory only; callers decide where the bytes go.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.reports.fonts import BOLD, REGULAR
from app.reports.rl import (
    A4,
    BaseDocTemplate,
    Canvas,
    Frame,
    PageTemplate,
    ParagraphStyle,
    colors,
    mm,
    pdfmetrics,
    simpleSplit,
)

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
TOP = 31 * mm
BOTTOM = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1b2631")
ACCENT = colors.HexColor("#1f3a5f")
MUTED = colors.HexColor("#5d6d7e")
MARK = colors.HexColor("#9e1b1b")
RULE = colors.HexColor("#aab4be")
ZEBRA = colors.HexColor("#f3f5f7")
MASK_FILL = colors.HexColor("#eceeef")
MASK_HATCH = colors.HexColor("#d5d9dc")
NOTICE_FILL = colors.HexColor("#fff4d6")
NOTICE_EDGE = colors.HexColor("#d4a72c")

ProgressHook = Callable[[float], None]


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of the reports."""

    body: Any
    small: Any
    h1: Any
    h2: Any
    h3: Any
    cell: Any
    cell_muted: Any
    th: Any
    notice: Any
    mask: Any
    label: Any


def make_styles() -> Styles:
    """The report styles (fonts must be registered)."""
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        h1=ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=17, leading=21,
                          spaceAfter=6, textColor=ACCENT),
        h2=ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=12, leading=15,
                          spaceBefore=12, spaceAfter=5, textColor=ACCENT, keepWithNext=1),
        h3=ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=10, leading=13,
                          spaceBefore=7, spaceAfter=3, keepWithNext=1),
        cell=cell,
        cell_muted=ParagraphStyle("cell_muted", parent=cell, fontSize=7.5, leading=9.5,
                                  textColor=MUTED),
        th=ParagraphStyle("th", parent=cell, fontName=BOLD, textColor=colors.white),
        notice=ParagraphStyle("notice", parent=body, backColor=NOTICE_FILL,
                              borderColor=NOTICE_EDGE, borderWidth=0.6, borderPadding=5,
                              leftIndent=5, rightIndent=5, spaceBefore=9, spaceAfter=11),
        mask=ParagraphStyle("mask", parent=cell, fontSize=8, leading=10,
                            textColor=colors.HexColor("#37474f")),
        label=ParagraphStyle("label", parent=cell, fontName=BOLD, textColor=MUTED,
                             spaceBefore=5, spaceAfter=2, keepWithNext=1),
    )


@dataclass(frozen=True)
class PageDecor:
    """The translated texts drawn on every page."""

    marking: str
    covenant: str
    title: str
    document_id: str
    document_line: str
    recipient_line: str
    watermark: tuple[str, ...]
    page_label: str  # with {page} and {pages}


@dataclass(frozen=True)
class PdfMeta:
    """Document information of the PDF (no personal data)."""

    title: str
    subject: str
    keywords: str
    lang: str  # BCP 47, e.g. "nl-NL"


def fit(text: str, font: str, size: float, width: float, max_lines: int = 1) -> list[str]:
    """``text`` wrapped to ``width``; the last kept line ends in an ellipsis if cut."""
    lines: list[str] = simpleSplit(text, font, size, width) or [""]
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and pdfmetrics.stringWidth(last + " …", font, size) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + " …"
    return kept


def _draw_page(decor: PageDecor, canv: Any, doc: Any) -> None:
    """Watermark (under the content) and header of one page."""
    del doc
    canv.saveState()
    _watermark(canv, decor.watermark)
    top = PAGE_H - 12 * mm
    right = PAGE_W - MARGIN_X
    canv.setFillColor(MARK)
    canv.setFont(BOLD, 10)
    canv.drawString(MARGIN_X, top, decor.marking)
    canv.setFillColor(MUTED)
    canv.setFont(REGULAR, 7.5)
    canv.drawRightString(right, top, fit(decor.covenant, REGULAR, 7.5, FRAME_W * 0.7)[0])
    canv.setFillColor(INK)
    canv.setFont(BOLD, 8)
    canv.drawString(MARGIN_X, top - 12, fit(decor.title, BOLD, 8, FRAME_W * 0.62)[0])
    canv.setFont(REGULAR, 8)
    canv.drawRightString(right, top - 12, decor.document_line)
    canv.setFont(REGULAR, 7.5)
    for i, line in enumerate(fit(decor.recipient_line, REGULAR, 7.5, FRAME_W, 2)):
        canv.drawString(MARGIN_X, top - 23 - 9 * i, line)
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(MARGIN_X, PAGE_H - TOP + 4 * mm, right, PAGE_H - TOP + 4 * mm)
    canv.restoreState()


def _watermark(canv: Any, lines: Sequence[str]) -> None:
    angle = math.degrees(math.atan2(PAGE_H, PAGE_W))
    room = math.hypot(PAGE_W, PAGE_H) * 0.62
    widest = max(pdfmetrics.stringWidth(line, BOLD, 10) for line in lines) or 1.0
    size = max(14.0, min(34.0, 10 * room / widest))
    canv.saveState()
    canv.setFillColor(colors.Color(0.45, 0.5, 0.55, alpha=0.11))
    canv.translate(PAGE_W / 2, PAGE_H / 2)
    canv.rotate(angle)
    canv.setFont(BOLD, size)
    start = (len(lines) - 1) * size * 0.6
    for i, line in enumerate(lines):
        canv.drawCentredString(0, start - i * size * 1.2 - size / 3, line)
    canv.restoreState()


def _footer(canv: Any, decor: PageDecor, page: int, pages: int) -> None:
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(MARGIN_X, BOTTOM - 5 * mm, PAGE_W - MARGIN_X, BOTTOM - 5 * mm)
    y = BOTTOM - 9.5 * mm
    canv.setFont(BOLD, 7.5)
    canv.setFillColor(MARK)
    canv.drawString(MARGIN_X, y, decor.marking)
    offset = pdfmetrics.stringWidth(decor.marking + "  ", BOLD, 7.5)
    canv.setFont(REGULAR, 7.5)
    canv.setFillColor(MUTED)
    canv.drawString(MARGIN_X + offset, y, decor.document_line)
    canv.setFillColor(INK)
    canv.drawRightString(PAGE_W - MARGIN_X, y, decor.page_label.format(page=page, pages=pages))
    canv.restoreState()


def _canvas_maker(decor: PageDecor) -> Callable[..., Any]:
    """A canvas class that holds finished pages until save, then adds "page X of Y"."""

    class NumberedCanvas(Canvas):  # type: ignore[misc, unused-ignore]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _footer(self, decor, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _progress_callback(hook: ProgressHook) -> Callable[[str, int], None]:
    """ReportLab's progress events turned into fractions 0..1 for ``hook``.

    ``hook`` may raise (cancellation); ReportLab lets the exception through ``build``.
    """
    state = {"total": 1, "done": 0, "last": -1.0}

    def on_event(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            state["total"] = max(1, int(value))
            return
        if kind == "PROGRESS":
            state["done"] = int(value)
        elif kind != "PAGE":
            return
        # Splitting a flowable puts its rest back on the list: never report going back.
        fraction = max(state["last"], min(1.0, state["done"] / state["total"]))
        if kind == "PAGE" or fraction - state["last"] >= 0.01:
            state["last"] = fraction
            hook(fraction)

    return on_event


def build_pdf(flowables: list[Any], decor: PageDecor, meta: PdfMeta,
              progress: ProgressHook | None = None) -> tuple[bytes, int]:
    """Lay out ``flowables`` into PDF bytes in memory; returns (bytes, page count)."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=TOP,
        bottomMargin=BOTTOM, title=meta.title, author="Casustafel", subject=meta.subject,
        creator="Casustafel", keywords=meta.keywords, lang=meta.lang,
    )
    frame = Frame(MARGIN_X, BOTTOM, FRAME_W, PAGE_H - TOP - BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def on_page(canv: Any, document: Any) -> None:
        _draw_page(decor, canv, document)

    doc.addPageTemplates([PageTemplate(id="report", frames=[frame], onPage=on_page)])
    if progress is not None:
        doc.setProgressCallBack(_progress_callback(progress))
    doc.build(flowables, canvasmaker=_canvas_maker(decor))
    return buffer.getvalue(), int(doc.page)
