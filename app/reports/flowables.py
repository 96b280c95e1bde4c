"""Custom flowables: the explained placeholder of a MASKED value."""

from __future__ import annotations

from typing import Any

from app.reports.layout import MASK_FILL, MASK_HATCH, MUTED
from app.reports.rl import Flowable, Paragraph

_PAD = 3.0
_ICON = 11.0
_HATCH_STEP = 5.0


class RedactedBox(Flowable):  # type: ignore[misc, unused-ignore]
    """A hatched grey field with a lock and the placeholder text (as on screen).

    ``text`` is ReportLab paragraph markup: the short line (``Redacted.short()``) and the
    reason with its article (``Redacted.explanation()``).  Never split across pages.
    """

    def __init__(self, text: str, style: Any) -> None:
        super().__init__()
        self._para = Paragraph(text, style)
        self.width = 0.0
        self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = max(10.0, avail_width - 2 * _PAD - _ICON)
        _w, h = self._para.wrap(inner, avail_height)
        self.width = avail_width
        self.height = h + 2 * _PAD
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        del avail_width, avail_height
        return []

    def draw(self) -> None:
        canv = self.canv
        w, h = self.width, self.height
        canv.saveState()
        canv.setFillColor(MASK_FILL)
        canv.setStrokeColor(MASK_HATCH)
        canv.setLineWidth(0.5)
        path = canv.beginPath()
        path.rect(0, 0, w, h)
        canv.clipPath(path, stroke=1, fill=1)
        x = -h
        while x < w:
            canv.line(x, 0, x + h, h)
            x += _HATCH_STEP
        canv.restoreState()
        _lock(canv, _PAD + 1.5, h - _PAD - 9)
        self._para.drawOn(canv, _PAD + _ICON, _PAD)


def _lock(canv: Any, x: float, y: float) -> None:
    """A small padlock with its bottom-left corner at (x, y)."""
    canv.saveState()
    canv.setFillColor(MUTED)
    canv.setStrokeColor(MUTED)
    canv.setLineWidth(1.1)
    canv.roundRect(x, y, 7, 5.2, 0.8, stroke=0, fill=1)
    canv.arc(x + 1.3, y + 2.6, x + 5.7, y + 8.6, 0, 180)
    canv.line(x + 1.3, y + 5.2, x + 1.3, y + 5.6)
    canv.line(x + 5.7, y + 5.2, x + 5.7, y + 5.6)
    canv.restoreState()
