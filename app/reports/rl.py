"""ReportLab, imported in one place for the report modules.

ReportLab ships no type hints; the ignores below carry ``unused-ignore`` so the code stays
clean under mypy strict both without and with ``types-reportlab`` installed.
"""

from __future__ import annotations

from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus import (  # type: ignore[import-untyped, unused-ignore]
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

__all__ = [
    "A4",
    "BaseDocTemplate",
    "Canvas",
    "CondPageBreak",
    "Flowable",
    "Frame",
    "KeepTogether",
    "PageTemplate",
    "Paragraph",
    "ParagraphStyle",
    "SimpleDocTemplate",
    "Spacer",
    "TTFont",
    "Table",
    "TableStyle",
    "colors",
    "mm",
    "pdfmetrics",
    "simpleSplit",
]
