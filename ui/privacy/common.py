"""Pieces every tab of the privacy workbench shares: the tab frame with its error and
status lines, the save dialog, the period chooser, badges and time formatting.

The workbench shows process metadata only (ZVH 9.6): ids, codes, dates, party names and
labels.  Everything is fetched through the window's runner (store thread), and every tab
can forget what it holds (:meth:`Tab.clear`, on lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui import errors
from ui.casework.forms import ERROR_STYLE, Runner, date_field, date_of
from ui.dates import show_date, show_moment

# Badge colours (background, text): late is the red of errors, due an amber that stays
# readable on the default light palette.
BADGE_COLOURS = {"late": ("#a4000f", "#ffffff"), "due": ("#b76e00", "#ffffff"),
                 "done": ("#2e6b30", "#ffffff"), "info": ("#1f4e79", "#ffffff")}


def badge_style(kind: str) -> str:
    """The style sheet of a badge label."""
    bg, fg = BADGE_COLOURS.get(kind, BADGE_COLOURS["info"])
    return (f"QLabel {{ background: {bg}; color: {fg}; padding: 1px 6px;"
            " border-radius: 3px; font-weight: bold; }")


def paint_badge(item: QTableWidgetItem, kind: str | None) -> None:
    """Colour a table cell as a due/late badge (``None``: no colour)."""
    if kind is None or kind not in BADGE_COLOURS:
        return
    bg, fg = BADGE_COLOURS[kind]
    item.setBackground(QBrush(QColor(bg)))
    item.setForeground(QBrush(QColor(fg)))


def when_text(value: str | dt.datetime | None) -> str:
    """A stored UTC time (ISO text or aware datetime) in local time, as the ui-guide shows
    it everywhere ("di 24 nov 2026 09:30"), or a dash."""
    return show_moment(value)


def day_text(value: dt.date | None) -> str:
    """A date as the ui-guide shows it ("di 24 nov 2026"), or a dash."""
    return show_date(value)


class Tab(QWidget):
    """A workbench tab: an error line (the service's refusal), the content, a status line.

    ``run`` is the window's runner (job in the store thread, answers dropped after a
    lock).  Subclasses implement :meth:`load` and :meth:`clear`."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.loaded = False
        self.outer = QVBoxLayout(self)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName(_("Error"))
        self.error.hide()
        self.outer.addWidget(self.error)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName(_("Status"))

    def finish_layout(self) -> None:
        """Put the status line last (after the subclass added its content)."""
        self.outer.addWidget(self.status)

    def load(self) -> None:
        """Fetch what the tab shows (subclasses)."""
        self.loaded = True

    def clear(self) -> None:
        """Forget everything shown or typed (lock); subclasses extend."""
        self.loaded = False
        self.error.clear()
        self.error.hide()
        self.status.clear()

    def failed(self, error: BaseException) -> None:
        """Show the service's translated sentence in the tab."""
        self.error.setText(errors.message_for(error))
        self.error.show()

    def hide_error(self) -> None:
        """Before the next try."""
        self.error.clear()
        self.error.hide()

    def call(self, job: Callable[..., object], done: Callable[..., None]) -> None:
        """Run ``job``; a refusal appears in the error line."""
        self.hide_error()
        self.run(job, done, self.failed)


def table(headers: list[str], name: str) -> QTableWidget:
    """A read-only, row-selecting table with an accessible name."""
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(headers)
    widget.setAccessibleName(name)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().hide()
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    widget.horizontalHeader().setStretchLastSection(True)
    widget.setWordWrap(False)
    widget.verticalHeader().setDefaultSectionSize(widget.fontMetrics().height() + 8)
    return widget


def fit_columns(widget: QTableWidget, widest: int = 320) -> None:
    """Columns as wide as their contents, none wider than ``widest`` pixels (the rest of a
    long text is in the cell's tooltip)."""
    widget.resizeColumnsToContents()
    for column in range(widget.columnCount()):
        widget.setColumnWidth(column, min(widget.columnWidth(column), widest))


def cell(text: str, key: object = None, *, tooltip: str | None = None) -> QTableWidgetItem:
    """A table cell; ``key`` goes in the user role (the row's id)."""
    item = QTableWidgetItem(text)
    if key is not None:
        item.setData(Qt.ItemDataRole.UserRole, key)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def row_key(widget: QTableWidget) -> object:
    """The id of the selected row (first column's user role), or None."""
    row = widget.currentRow()
    item = widget.item(row, 0) if row >= 0 else None
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


def ask_save_path(parent: QWidget, title: str, suggested: str, name_filter: str,
                  suffix: str, chosen: Callable[[Path], None]) -> QFileDialog:
    """Open Qt's own save dialog (not the desktop's: a lock must be able to close it) and
    call ``chosen`` with the path the user picked.  Opened, not exec'd."""
    dialog = QFileDialog(parent, title, suggested, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda path: chosen(Path(path)) if path else None)
    dialog.open()
    return dialog


class PeriodFields(QWidget):
    """An optional period: a check box and two date fields (both days included)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.enabled = QCheckBox(_("Period"))
        self.enabled.setAccessibleName(_("Filter by period"))
        today = dt.datetime.now().astimezone().date()
        self.start: QDateEdit = date_field(today - dt.timedelta(days=30))
        self.start.setAccessibleName(_("From"))
        self.end: QDateEdit = date_field(today)
        self.end.setAccessibleName(_("Up to"))
        row.addWidget(self.enabled)
        row.addWidget(self.start)
        row.addWidget(QLabel(_("to")))
        row.addWidget(self.end)
        self.enabled.toggled.connect(self._toggled)
        self._toggled(False)

    def _toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)

    def value(self) -> tuple[dt.date | None, dt.date | None]:
        """``(from, to)``, or two Nones when no period is chosen."""
        if not self.enabled.isChecked():
            return None, None
        return date_of(self.start), date_of(self.end)

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """Choose a period (tests, screenshots)."""
        self.enabled.setChecked(True)
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))

    def reset(self) -> None:
        """No period."""
        self.enabled.setChecked(False)
