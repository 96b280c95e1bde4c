"""The Retention tab of the workbench (issue 12): what a destruction run would destroy
today, motivated extensions, and the approval of the run with its proces-verbaal.

Shown only when the opened store's ``sections`` hold ``"retention"`` (the approver the
profile names, decided in :mod:`app.services.screens`); every service checks again.  The
list shows process metadata only: the case reference, counts per data category, the rule
with its article and the dates (ZVH 9.6).

Approving is three steps, each of which can be left: a confirmation naming the counts
(default No), Qt's own save dialog for the PDF, then the run in the store thread.  The
run cannot be cancelled half-way (one transaction, then the store and its backups are
rebuilt), so its progress dialog has no Cancel button.  The PDF is written only to the
file chosen; if that fails, the bytes (no personal data) stay in memory until the lock so
the report can be saved elsewhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSplitter,
    QWidget,
)
from shiboken6 import Shiboken

from app.i18n import _, current_language
from app.services import clock_words, retention, retention_run
from app.services.session import Session
from app.views.retention import DueLine, DueView, ExtensionView, RunResult
from ui.casework.forms import Runner
from ui.privacy.common import Tab, ask_save_path, cell, day_text, fit_columns, paint_badge, table
from ui.privacy.retention_dialogs import (
    ExtendDialog,
    categories_text,
    destroyed_now,
    extendable,
    run_counts,
    size_text,
    state_text,
    what_text,
)

Saved = tuple[RunResult, OSError | None]


def run_text(result: RunResult, path: Path, *, written: bool) -> str:
    """The outcome of a run: counts, the report, the backups cleaned and not cleaned, and
    the backups outside the store folder with their dates (WO 9.8)."""
    lines = [_("Destroyed {cases} whole case(s) and {items} item(s).").format(
        cases=result.cases, items=result.items)]
    report = _("Destruction report {doc}: {pages} page(s), SHA-256 {sha}.").format(
        doc=result.document_id, pages=result.pages, sha=result.sha256)
    if written:
        report += " " + _("Written to {path}.").format(path=path)
    lines.append(report)
    lines.append(_("Backups in the store folder cleaned: {n}.").format(
        n=result.backups_cleaned))
    if result.backups_failed:
        lines.append(_("Not cleaned (the store's key does not open them): {names}.").format(
            names=", ".join(result.backups_failed)))
    if result.outside_backups:
        lines.append(_("Backups outside the store folder that may still hold copies under "
                       "the old keys:"))
        lines += [f"  {b.place} ({day_text(b.made_on)})" for b in result.outside_backups]
    else:
        lines.append(_("No backups outside the store folder are known."))
    return "\n".join(lines)


class RetentionTab(Tab):
    """The destruction schedule, extensions and the approval of a run."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        self.view: DueView | None = None
        self.lines: list[DueLine] = []
        self.rule_labels: dict[str, str] = {}
        self.dialog: QDialog | None = None
        self.progress: QProgressDialog | None = None
        self.unsaved: RunResult | None = None
        self.busy = False
        self._notice = ""
        top = QHBoxLayout()
        self.ahead = QCheckBox(_("Also what falls due in the next {n} days").format(
            n=retention.REMINDER_DAYS))
        self.ahead.toggled.connect(lambda _on: self.fetch())
        top.addWidget(self.ahead)
        top.addStretch(1)
        self.extend_button = QPushButton(_("Extend…"))
        self.extend_button.setToolTip(_("Record a motivated decision to keep the case "
                                        "longer"))
        self.extend_button.clicked.connect(self.extend)
        top.addWidget(self.extend_button)
        self.approve_button = QPushButton(_("Approve destruction…"))
        self.approve_button.clicked.connect(self.approve)
        top.addWidget(self.approve_button)
        self.save_button = QPushButton(_("Save the destruction report…"))
        self.save_button.clicked.connect(self.save_again)
        self.save_button.hide()
        top.addWidget(self.save_button)
        self.outer.addLayout(top)
        # The state (the overdue flag) next to the date, the long category list last:
        # what matters stays in view at 1366 px, the rest scrolls or is in the tooltip.
        self.table = table([_("Due on"), _("State"), _("Case"), _("Destroys"), _("Size"),
                            _("Rule"), _("Article"), _("Extended until"),
                            _("May extend until"), _("Categories")],
                           _("Destruction schedule"))
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.itemActivated.connect(lambda _item: self.extend())
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName(_("Line in full"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAccessibleName(_("Outcome of the destruction run"))
        self.result.hide()  # until a run
        below = QWidget()
        below_row = QHBoxLayout(below)
        below_row.setContentsMargins(0, 0, 0, 0)
        below_row.addWidget(self.detail, 1)
        below_row.addWidget(self.result, 1)
        scroll = QScrollArea()
        scroll.setWidget(below)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([3000, 1000])
        self.outer.addWidget(split, 1)
        self.finish_layout()
        self._enable()

    # -- list ---------------------------------------------------------------------------
    def load(self) -> None:
        super().load()
        self.fetch()

    def fetch(self) -> None:
        """The schedule of today, or with the next 30 days when ticked."""
        if not self.loaded:
            return
        source = retention.upcoming if self.ahead.isChecked() else retention.due
        self.call(lambda s: (source(s), clock_words.rule_labels(s)), self._fetched)

    def _fetched(self, found: tuple[DueView, dict[str, str]]) -> None:
        view, self.rule_labels = found
        self.show_view(view)

    def rule_text(self, line: DueLine) -> str:
        """The line's clock in words (the service's), its id only if it has none."""
        return self.rule_labels.get(line.rule, line.rule)

    def show_view(self, view: DueView) -> None:
        """One row per line, earliest due first, overdue lines with a late badge."""
        self.view = view
        self.lines = list(view.lines)
        self.table.setRowCount(0)
        self.table.setRowCount(len(self.lines))
        for n, line in enumerate(self.lines):
            categories = categories_text(line)
            values = [day_text(line.due_on), state_text(line, view.as_of),
                      line.case_ref or _("register"), what_text(line), size_text(line),
                      self.rule_text(line), line.article, day_text(line.extended_until),
                      day_text(line.extend_limit), categories]
            for c, text in enumerate(values):
                # The rule's id (as in the profile and the proces-verbaal) in its tooltip.
                tip = f"{text}\n{line.rule}" if c == 5 else text if c in (6, 9) else None
                item = cell(text, n if c == 0 else None, tooltip=tip)
                if c == 1:
                    paint_badge(item, "late" if line.overdue else "due")
                self.table.setItem(n, c, item)
        fit_columns(self.table, 200)
        cases, items, _persons = run_counts(destroyed_now(view))
        status = _("{n} line(s) on {day}. A run today destroys {cases} whole case(s) and "
                   "{items} item(s).").format(n=len(self.lines), day=day_text(view.as_of),
                                              cases=cases, items=items)
        if any(line.what == "register" for line in self.lines):
            status += " " + _("Register lines are listed but kept: the disclosure register "
                              "is append-only.")
        if self._notice:
            status, self._notice = f"{self._notice}\n{status}", ""
        self.status.setText(status)
        if self.lines:
            self.table.selectRow(0)
        self._selected()

    def current(self) -> DueLine | None:
        """The selected line."""
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            return None
        index = int(item.data(Qt.ItemDataRole.UserRole))
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def _selected(self) -> None:
        line = self.current()
        self.detail.setText(self._detail(line) if line is not None else "")
        self._enable()

    def _detail(self, line: DueLine) -> str:
        today = self.view.as_of if self.view is not None else line.due_on
        head = (_("Case {case}: {what}").format(case=line.case_ref, what=what_text(line))
                if line.case_ref else _("Register: {what}").format(what=what_text(line)))
        out = [head + f" · {size_text(line)}",
               _("Rule {rule} ({article}); due {due}, {state}.").format(
                   rule=self.rule_text(line), article=line.article, due=day_text(line.due_on),
                   state=state_text(line, today))]
        if line.starts_on is not None:
            out.append(_("The term started on {day}.").format(day=day_text(line.starts_on)))
        if line.categories:
            out.append(_("Items per category: {counts}").format(counts=categories_text(line)))
        if line.extended_until is not None:
            out.append(_("Extended until {day} by a recorded decision.").format(
                day=day_text(line.extended_until)))
        if extendable(line):
            out.append(_("A new extension may run to {day} at the latest.").format(
                day=day_text(line.extend_limit)))
        elif line.what == "register":
            out.append(_("Listed for information: a run keeps register lines."))
        else:
            out.append(_("This term cannot be extended."))
        return "\n".join(out)

    def _enable(self) -> None:
        line = self.current()
        self.extend_button.setEnabled(not self.busy and line is not None and extendable(line))
        self.approve_button.setEnabled(not self.busy and self.view is not None
                                       and bool(destroyed_now(self.view)))
        self.ahead.setEnabled(not self.busy)
        self.save_button.setVisible(self.unsaved is not None)
        self.save_button.setEnabled(not self.busy)

    def _open(self, dialog: QDialog) -> QDialog:
        self._close_dialog()
        self.dialog = dialog
        dialog.open()
        return dialog

    def _close_dialog(self) -> None:
        if self.dialog is not None and Shiboken.isValid(self.dialog):
            self.dialog.reject()
            self.dialog.deleteLater()
        self.dialog = None

    # -- extension ----------------------------------------------------------------------
    def extend(self) -> None:
        """The form to keep the selected case longer (ZVH 11.3-11.4)."""
        line = self.current()
        if line is not None and extendable(line) and not self.busy:
            self._open(ExtendDialog(line, self.run, self, rule=self.rule_text(line),
                                    done=self._extended))

    def _extended(self, view: ExtensionView) -> None:
        self._notice = _("Case {case}: kept until {until} ({article}); recorded in the "
                         "file.").format(case=view.case_ref, until=day_text(view.until),
                                         article=view.article)
        self.fetch()

    # -- approval and the run -----------------------------------------------------------
    def approve(self) -> None:
        """Ask for the approval, naming what a run today destroys (default No)."""
        if self.view is None or self.busy:
            return
        due = destroyed_now(self.view)
        if not due:
            return
        cases, items, persons = run_counts(due)
        box = QMessageBox(
            QMessageBox.Icon.Warning, _("Approve destruction"),
            _("Destroy now, in one run, everything due today: {cases} whole case(s), "
              "{items} item(s) and {persons} person(s)? This cannot be undone; the backups "
              "in the store folder are cleaned as well.").format(
                cases=cases, items=items, persons=persons),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(_("Next you choose where to save the destruction report "
                                 "(PDF). Cleaning the store and its backups can take a "
                                 "minute."))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(self.ask_report_path)
        self._open(box)

    def _suggested(self) -> str:
        day = self.view.as_of if self.view is not None else dt.date.today()  # noqa: DTZ011
        return f"proces-verbaal-vernietiging-{day.isoformat()}.pdf"

    def ask_report_path(self) -> None:
        """Qt's save dialog for the proces-verbaal; the run starts when a file is chosen."""
        self._close_dialog()
        self.dialog = ask_save_path(self, _("Save the destruction report"), self._suggested(),
                                    _("PDF (*.pdf)"), "pdf", self.run_destruction)

    def run_destruction(self, path: Path) -> None:
        """Destroy what is due today and write the report to ``path`` only."""
        if self.busy:
            return
        lang = current_language()

        def job(session: Session) -> Saved:
            result = retention_run.run(session, approve=True, lang=lang)
            try:
                retention_run.save(result, path)
            except OSError as error:
                return result, error
            return result, None

        self.busy = True
        self._enable()
        self._show_progress()
        self.hide_error()
        self.run(job, lambda saved: self._ran(saved, path), self._run_failed)

    def _show_progress(self) -> None:
        box = QProgressDialog(_("Destroying what is due and cleaning the backups…"), "", 0, 0,
                              self)
        box.setCancelButton(None)  # one transaction, then the rebuild: not to be cut off
        box.setWindowTitle(_("Destruction run"))
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setMinimumDuration(300)
        box.setAutoClose(False)
        box.setAutoReset(False)
        self.progress = box

    def _end_progress(self) -> None:
        self.busy = False
        if self.progress is not None and Shiboken.isValid(self.progress):
            self.progress.reset()
            self.progress.close()
            self.progress.deleteLater()
        self.progress = None

    def _ran(self, saved: Saved, path: Path) -> None:
        result, error = saved
        self._end_progress()
        self.unsaved = result if error is not None else None
        self.result.setText(run_text(result, path, written=error is None))
        self.result.show()
        self.fetch()  # first: a fetch hides the error line
        if error is not None:
            # The run stands; only the file could not be written (no detail: a path may
            # name a person's folder, and the user knows where they chose).
            self.error.setText(_("The destruction run is done, but the report could not be "
                                 "written to the file chosen. Save it elsewhere with "
                                 "\"Save the destruction report…\"."))
            self.error.show()
        self._enable()

    def _run_failed(self, error: BaseException) -> None:
        self._end_progress()
        self.failed(error)
        self._enable()

    def save_again(self) -> None:
        """Save the report of the last run elsewhere (after a failed write)."""
        if self.unsaved is not None:
            self.dialog = ask_save_path(self, _("Save the destruction report"),
                                        self._suggested(), _("PDF (*.pdf)"), "pdf",
                                        self.save_to)

    def save_to(self, path: Path) -> None:
        """Write the kept report to ``path`` only."""
        result = self.unsaved
        if result is None:
            return

        def written(_none: object) -> None:
            self.unsaved = None
            self.result.setText(run_text(result, path, written=True))
            self.result.show()
            self._enable()

        self.call(lambda _s: retention_run.save(result, path), written)

    def clear(self) -> None:
        super().clear()
        self._close_dialog()
        self._end_progress()
        self.view = None
        self.lines = []
        self.rule_labels = {}
        self.unsaved = None
        self._notice = ""
        self.table.setRowCount(0)
        self.detail.clear()
        self.result.clear()
        self.result.hide()
        self.ahead.blockSignals(True)
        self.ahead.setChecked(False)
        self.ahead.blockSignals(False)
        self._enable()
