"""Small shared widgets: the redaction placeholder look, banners, the copy guard, the
progress dialog of long store calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QProgressDialog,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)
from shiboken6 import Shiboken

from app.i18n import _
from app.tasks import Progress
from app.views import Redacted, Value
from ui.models import REDACTED_ROLE, value_text, value_tooltip

HATCH = Qt.BrushStyle.BDiagPattern
T = TypeVar("T")


def hatch_brush(palette: QPalette) -> QBrush:
    """A hatched grey brush that reads as "withheld", not as "empty", in light and dark."""
    colour = QColor(palette.color(QPalette.ColorRole.Mid))
    colour.setAlpha(110)
    return QBrush(colour, HATCH)


class RedactedDelegate(QStyledItemDelegate):
    """Paints cells with ``REDACTED_ROLE`` on a hatched background, in italics."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(REDACTED_ROLE):
            painter.save()
            painter.fillRect(option.rect, hatch_brush(option.palette))
            painter.restore()
        super().paint(painter, option, index)

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.data(REDACTED_ROLE):
            option.font.setItalic(True)
            option.text = str(option.text).removeprefix("▒ ")


class ValueLabel(QLabel):
    """A label for one field: the value, "—" for no data, or the explained placeholder.

    ``name`` says which field it is (its accessible name, so a screen reader says
    "Process director", never just "Field")."""

    def __init__(self, value: Value | None = None, parent: QWidget | None = None, *,
                 name: str = "") -> None:
        super().__init__(parent)
        self.name = name
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                     | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_value(value)

    def set_value(self, value: Value | None) -> None:
        """Show ``value``; placeholders get the hatched look and the reason as tooltip."""
        if isinstance(value, Redacted):
            self.setText(value.short())
            self.setToolTip(value_tooltip(value) or "")
            self.setAccessibleName(_("{field} (masked)").format(field=self.name)
                                   if self.name else _("Masked field"))
            self.setAccessibleDescription(value.explanation())
            self.setAutoFillBackground(True)
            palette = self.palette()
            palette.setBrush(QPalette.ColorRole.Window, hatch_brush(palette))
            self.setPalette(palette)
            self.setProperty("redacted", True)
        else:
            self.setText(value_text(value))
            self.setToolTip("")
            self.setAccessibleName(self.name)
            self.setAccessibleDescription("")
            self.setAutoFillBackground(False)
            self.setProperty("redacted", False)


class Banner(QLabel):
    """A coloured one-line banner (demo data, notices that must be seen)."""

    def __init__(self, text: str, kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setObjectName(f"banner-{kind}")
        colours = {"info": ("#1f4e79", "#ffffff"), "warning": ("#8a1c1c", "#ffffff"),
                   "demo": ("#6b4f00", "#ffffff")}
        bg, fg = colours.get(kind, colours["info"])
        self.setStyleSheet(f"QLabel {{ background: {bg}; color: {fg}; padding: 6px;"
                           " font-weight: bold; }")
        self.setAccessibleName(text)


class _CopyGuard(QObject):
    """Routes Ctrl+C in an item view through the clipboard guard (wiped after 30 s and on
    lock) instead of Qt's own copy."""

    def __init__(self, view: QAbstractItemView, copy: Callable[[str], None]) -> None:
        super().__init__(view)
        self._view = view
        self._copy = copy

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in {QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride} and isinstance(
                event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Copy):
            if event.type() == QEvent.Type.KeyPress:
                self._copy_selection()
            event.accept()
            return True
        return False

    def _copy_selection(self) -> None:
        model = self._view.model()
        index = self._view.currentIndex()
        if model is None or not index.isValid():
            return
        cells = [model.index(index.row(), c, index.parent()).data() for c in
                 range(model.columnCount(index.parent()))]
        self._copy("\t".join(str(c) for c in cells if c is not None))


def guard_copy(view: QAbstractItemView, copy: Callable[[str], None]) -> None:
    """Install the clipboard guard on ``view``."""
    view.installEventFilter(_CopyGuard(view, copy))


class TaskProgress(QProgressDialog):
    """The cancellable progress dialog of one long store call (the UI stays responsive).

    Window-modal, and shown only if the call takes longer than 300 ms.  ``then`` wraps
    the call's callbacks so the dialog goes away before the result or the error shows.
    """

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(title, _("Cancel"), 0, 100, parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(300)
        self.setAccessibleName(title)

    def report(self, fraction: float, _text: str) -> None:
        """The progress callback: a fraction 0..1 (the title stays as it is)."""
        self.setValue(int(fraction * 100))

    def then(self, callback: Callable[[T], None]) -> Callable[[T], None]:
        """``callback``, called after the dialog is closed."""
        def finished(result: T) -> None:
            if Shiboken.isValid(self):  # a lock may have closed and deleted the dialog
                self.reset()
            callback(result)

        return finished

    def follow(self, token: Progress | None) -> None:
        """Cancel ``token`` (the call's Progress) when the user presses Cancel."""
        if token is not None:
            self.canceled.connect(token.cancel)
