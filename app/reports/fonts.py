"""The embedded Unicode font of every report: DejaVu Sans (regular and bold).

The TTF files and their licence ship in ``resources/fonts``; ReportLab embeds the glyphs
used (subset) in each PDF, so names such as Çelik, Nguyễn, Wójcik and Ørsted and the euro
sign render and can be searched and copied.
"""

from __future__ import annotations

import threading
from pathlib import Path

from app.reports.rl import TTFont, pdfmetrics

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
"""Where the shipped fonts live (``<repo>/resources/fonts``)."""

REGULAR = "CasustafelSans"
BOLD = "CasustafelSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the report fonts with ReportLab once per process (thread-safe)."""
    global _registered  # noqa: PLW0603 - ReportLab's font registry is process-wide too
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
        _registered = True
