"""Table view for the beamer: only what every party present may see, large type, no
navigation chrome; PgDn/PgUp or →/← for the next/previous agenda case, Esc leaves."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.i18n import _
from app.views import CaseView
from ui.case_view import CaseWidget


class TableView(QWidget):
    """A full-screen window; the main window feeds it the table view of the current case."""

    next_case = Signal()
    previous_case = Signal()
    leave = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(_("Casustafel — table view"))
        self.setAccessibleName(_("Table view"))
        layout = QVBoxLayout(self)
        self.safe_for = QLabel()
        font = QFont(self.safe_for.font())
        font.setPointSize(20)
        font.setBold(True)
        self.safe_for.setFont(font)
        self.safe_for.setWordWrap(True)
        self.safe_for.setStyleSheet("QLabel { background: #000; color: #fff; padding: 8px; }")
        layout.addWidget(self.safe_for)
        self.case = CaseWidget(large=True)
        layout.addWidget(self.case, 1)
        self.hint = QLabel(_("PgDn / → next case · PgUp / ← previous case · Esc leave"))
        layout.addWidget(self.hint)
        # Window-wide keys: the tab bar and the trees would otherwise take the arrows.
        for keys, signal in (((Qt.Key.Key_PageDown, Qt.Key.Key_Right), self.next_case),
                             ((Qt.Key.Key_PageUp, Qt.Key.Key_Left), self.previous_case),
                             ((Qt.Key.Key_Escape,), self.leave)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(signal)
        for child in self.case.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def show_case(self, view: CaseView, present: list[str]) -> None:
        """Show the table view of one case for the parties present (names)."""
        self.safe_for.setText(_("Table view — visible to everyone present: {parties}").format(
            parties=", ".join(present) or "—"))
        self.case.show_case(view)

    def clear(self) -> None:
        """Show nothing (while recomputing, and on lock)."""
        self.safe_for.setText(_("Table view"))
        self.case.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in {Qt.Key.Key_PageDown, Qt.Key.Key_Right}:
            self.next_case.emit()
        elif key in {Qt.Key.Key_PageUp, Qt.Key.Key_Left}:
            self.previous_case.emit()
        elif key == Qt.Key.Key_Escape:
            self.leave.emit()
        else:
            super().keyPressEvent(event)
