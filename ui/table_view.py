"""Table view for the beamer: only what every party present may see, large type, no
navigation chrome.  Keys: PgDn/PgUp or →/← the next/previous agenda case, Tab/Shift+Tab
or 1 to 9 the tab, ↓/↑ and Space scroll, Esc leaves; for the chair L records that the
parties that must leave have left the room for this case, B that they came back."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSlider, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from app.views import CaseView, PartyRef
from ui.case_view import CaseWidget

NOTICE_POINTS = 32  # the "must leave the room" notice: readable from the back of the room

Scroll = QAbstractSlider.SliderAction


class TableView(QWidget):
    """A full-screen window; the main window feeds it the table view of the current case."""

    next_case = Signal()
    previous_case = Signal()
    leave = Signal()
    # The chair, for the case on screen only: those not invited left the room / came back.
    parties_left = Signal()
    parties_back = Signal()

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
        notice_font = QFont(self.case.notice.font())
        notice_font.setPointSize(NOTICE_POINTS)
        notice_font.setBold(True)
        self.case.notice.setFont(notice_font)
        layout.addWidget(self.case, 1)
        self.hint = QLabel(_("PgDn / → next case · PgUp / ← previous case · Tab next tab · "
                             "↓ / ↑ scroll · L not invited left the room · "
                             "B came back · Esc leave"))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        # Window-wide keys: the tab bar and the trees would otherwise take them (and
        # nothing in here takes the focus, so nothing can be edited on the beamer).
        keys: list[tuple[tuple[int | QKeySequence.StandardKey, ...], Callable[[], object]]] = [
            ((Qt.Key.Key_PageDown, Qt.Key.Key_Right), self.next_case.emit),
            ((Qt.Key.Key_PageUp, Qt.Key.Key_Left), self.previous_case.emit),
            ((Qt.Key.Key_Escape,), self.leave.emit),
            ((Qt.Key.Key_L,), self.parties_left.emit),
            ((Qt.Key.Key_B,), self.parties_back.emit),
            ((Qt.Key.Key_Tab, QKeySequence.StandardKey.NextChild), lambda: self.switch_tab(1)),
            ((Qt.Key.Key_Backtab, QKeySequence.StandardKey.PreviousChild),
             lambda: self.switch_tab(-1)),
            ((Qt.Key.Key_Down,), lambda: self.scroll_tab(Scroll.SliderSingleStepAdd)),
            ((Qt.Key.Key_Up,), lambda: self.scroll_tab(Scroll.SliderSingleStepSub)),
            ((Qt.Key.Key_Space,), lambda: self.scroll_tab(Scroll.SliderPageStepAdd)),
            ((Qt.Key.Key_Home,), lambda: self.scroll_tab(Scroll.SliderToMinimum)),
            ((Qt.Key.Key_End,), lambda: self.scroll_tab(Scroll.SliderToMaximum)),
        ]
        keys += [((getattr(Qt.Key, f"Key_{number}"),), functools.partial(self.show_tab, number))
                 for number in range(1, 10)]
        for sequences, slot in keys:
            for sequence in sequences:
                shortcut = QShortcut(QKeySequence(sequence), self)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(slot)
        for child in self.case.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def show_case(self, view: CaseView, at_table: Sequence[PartyRef]) -> None:
        """Show the table view of one case for the parties at the table.  A party that
        must leave the room is never named as one the screen is safe for."""
        blocked = {p.id for p in view.blocked_by}
        if blocked:
            header = _("Table view — nothing is shown until these parties have left the "
                       "room: {parties}").format(
                parties=", ".join(p.label() for p in view.blocked_by))
        else:
            header = _("Table view — visible to everyone present: {parties}").format(
                parties=", ".join(p.label() for p in at_table) or "—")
        self.safe_for.setText(header)
        self.case.show_case(view)

    def clear(self) -> None:
        """Show nothing (while recomputing, and on lock)."""
        self.safe_for.setText(_("Table view"))
        self.case.clear()

    # -- keyboard -------------------------------------------------------------------------
    def _visible_tabs(self) -> list[int]:
        tabs = self.case.tabs
        return [i for i in range(tabs.count()) if tabs.isTabVisible(i)]

    def show_tab(self, number: int) -> None:
        """The ``number``-th tab shown (1 is the first)."""
        visible = self._visible_tabs()
        if 1 <= number <= len(visible) and self.case.tabs.isVisible():
            self.case.tabs.setCurrentIndex(visible[number - 1])

    def switch_tab(self, step: int) -> None:
        """The next (``1``) or previous (``-1``) tab of the case, round the tabs."""
        visible = self._visible_tabs()
        tabs = self.case.tabs
        if not visible or not tabs.isVisible():
            return
        position = visible.index(tabs.currentIndex()) if tabs.currentIndex() in visible else 0
        tabs.setCurrentIndex(visible[(position + step) % len(visible)])

    def scroll_tab(self, action: QAbstractSlider.SliderAction) -> None:
        """Scroll the list on the current tab (the first one that can scroll)."""
        page = self.case.tabs.currentWidget()
        areas = [page] if isinstance(page, QAbstractScrollArea) else []
        areas += page.findChildren(QAbstractScrollArea)
        for area in areas:
            bar = area.verticalScrollBar()
            if area.isVisible() and bar.maximum() > bar.minimum():
                bar.triggerAction(action)
                return

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
