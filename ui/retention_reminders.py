"""The procesregisseur's retention reminders (issue 12, point 4): a compact strip above the
meeting dashboard with what falls due for destruction in the next 30 days among the cases
they direct, and the Extend action (ZVH 11.3: a case still needed past its term needs a
recorded, motivated decision).

Shown only when the opened store's ``sections`` hold ``"retention_reminders"`` (decided in
:mod:`app.services.screens`) and something is due; it holds at most a few rows and
scrolls, so the window keeps fitting 1366 x 768.  Process metadata only: the case
reference, the rule and its article, the dates.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from app.i18n import _
from app.services import clock_words, retention
from app.views.retention import DueLine, DueView, ExtensionView
from ui import errors
from ui.casework.forms import ERROR_STYLE, Runner
from ui.privacy.common import badge_style, day_text
from ui.privacy.retention_dialogs import ExtendDialog, extendable, state_text, what_text

ROWS = 3  # rows of the list before it scrolls


class RetentionReminders(QFrame):
    """What falls due in the next 30 days in the user's own cases, with Extend and Open."""

    open_case = Signal(str)

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.view: DueView | None = None
        self.lines: list[DueLine] = []
        self.rule_labels: dict[str, str] = {}
        self.dialog: QDialog | None = None
        self._notice = ""
        self.setObjectName("retention-reminders")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Retention reminders"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(2)
        head = QHBoxLayout()
        self.badge = QLabel(_("Retention"))
        self.badge.setStyleSheet(badge_style("due"))
        head.addWidget(self.badge)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Retention reminders"))
        head.addWidget(self.summary, 1)
        outer.addLayout(head)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName(_("Error"))
        self.error.hide()
        outer.addWidget(self.error)
        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName(_("Due for destruction in your cases"))
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        row = self.list.fontMetrics().height() + 6
        self.list.setFixedHeight(row * ROWS + 2 * self.list.frameWidth() + 2)
        self.list.currentRowChanged.connect(lambda _r: self._enable())
        self.list.itemActivated.connect(lambda _i: self.extend())
        body.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        self.extend_button = QPushButton(_("Extend…"))
        self.extend_button.setToolTip(_("Record a motivated decision to keep the case "
                                        "longer"))
        self.extend_button.clicked.connect(self.extend)
        buttons.addWidget(self.extend_button)
        self.open_button = QPushButton(_("Open case"))
        self.open_button.clicked.connect(self._open_case)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        body.addLayout(buttons)
        outer.addLayout(body)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.hide()
        self._enable()

    def load(self) -> None:
        """Fetch the reminders (after unlocking, and after an extension)."""
        self.run(lambda s: (retention.upcoming(s), clock_words.rule_labels(s)),
                 self._fetched, self._failed)

    def _fetched(self, found: tuple[DueView, dict[str, str]]) -> None:
        view, self.rule_labels = found
        self.show_view(view)

    def rule_text(self, line: DueLine) -> str:
        """The line's clock in words (issue 13, point 9: no raw ids), its id if none."""
        return self.rule_labels.get(line.rule, line.rule)

    def show_view(self, view: DueView) -> None:
        """One row per line; the strip hides when nothing falls due."""
        self.error.hide()
        self.view = view
        self.lines = list(view.lines)
        keep = self.list.currentRow()
        self.list.clear()
        for line in self.lines:
            text = " · ".join((line.case_ref or "—", what_text(line),
                               f"{self.rule_text(line)} ({line.article})",
                               _("due {day}").format(day=day_text(line.due_on)),
                               state_text(line, view.as_of)))
            if line.extended_until is not None:
                text += " · " + _("extended until {day}").format(
                    day=day_text(line.extended_until))
            item = QListWidgetItem(text)
            # The rule's id (as the profile and the proces-verbaal name it) in the tooltip.
            item.setToolTip(f"{text}\n{line.rule}")
            self.list.addItem(item)
        late = sum(line.overdue for line in self.lines)
        self.summary.setText(_(
            "{n} line(s) in your cases fall due for destruction within {days} days, {late} "
            "already due. Keep a case longer only with a recorded, motivated extension.")
            .format(n=len(self.lines), days=retention.REMINDER_DAYS, late=late)
            + (f" {self._notice}" if self._notice else ""))
        self._notice = ""
        self.badge.setStyleSheet(badge_style("late" if late else "due"))
        if self.lines:
            self.list.setCurrentRow(min(max(keep, 0), len(self.lines) - 1))
        self.setVisible(bool(self.lines))
        self._enable()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(errors.message_for(error))
        self.error.show()
        self.show()

    def current(self) -> DueLine | None:
        """The selected line."""
        index = self.list.currentRow()  # the rows are the lines, in order
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def _enable(self) -> None:
        line = self.current()
        self.extend_button.setEnabled(line is not None and extendable(line))
        self.open_button.setEnabled(line is not None and line.case_ref is not None)

    def extend(self) -> None:
        """The extension form for the selected case."""
        line = self.current()
        if line is None or not extendable(line):
            return
        if self.dialog is not None and Shiboken.isValid(self.dialog):
            self.dialog.deleteLater()
        self.dialog = ExtendDialog(line, self.run, self, done=self._extended,
                                   rule=self.rule_text(line))
        self.dialog.open()

    def _extended(self, view: ExtensionView) -> None:
        self._notice = _("Case {case}: kept until {until} ({article}); recorded in the "
                         "file.").format(case=view.case_ref, until=day_text(view.until),
                                         article=view.article)
        self.load()

    def _open_case(self) -> None:
        line = self.current()
        if line is not None and line.case_ref:
            self.open_case.emit(line.case_ref)

    def clear(self) -> None:
        """Forget every line and close the form (lock)."""
        if self.dialog is not None and Shiboken.isValid(self.dialog):
            self.dialog.reject()
            self.dialog.deleteLater()
        self.dialog = None
        self.view = None
        self.lines = []
        self.rule_labels = {}
        self.list.clear()
        self.summary.clear()
        self._notice = ""
        self.error.clear()
        self.error.hide()
        self.hide()
        self._enable()
