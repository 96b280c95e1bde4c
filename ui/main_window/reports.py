"""Making a report from the main window: ask, render in the store thread, preview.

Which kinds apply on which screen, to whom a report may go and which meeting a case report
binds to are decided in ``app`` (:mod:`app.services.report_options`,
:mod:`app.services.screens`, :mod:`app.services.reports`); this module only asks and shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from shiboken6 import Shiboken

from app.i18n import _, current_language
from app.services import report_options, reports, screens
from app.services.session import Session
from app.views import CaseView, MeetingView, ReportOption, ReportRequest, ReportResult
from ui.report_dialog import PreviewDialog, ReportDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class Reporting:
    """The report action of ``window`` and the preview it opens."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.preview: PreviewDialog | None = None
        self.warning: QMessageBox | None = None

    def make_report(self) -> None:
        """Report for the case on screen, or the minutes of the meeting on screen."""
        window = self.window
        case = window.case_widget.view if window.on_case_screen() else None
        on_screen = case if case is not None else window.dashboard.meeting
        if on_screen is None:
            return
        case_ref = window.reference if case is not None else None
        meeting_id = None if case is not None else window.meeting_id

        def options(session: Session) -> tuple[ReportOption, ...]:
            return report_options.report_options(session, case_ref=case_ref,
                                                 meeting_id=meeting_id)

        window._run(options, lambda found: self._ask(on_screen, found))

    def _ask(self, on_screen: CaseView | MeetingView,
             options: tuple[ReportOption, ...]) -> None:
        """The dialog with the kinds and recipients ``app`` allows; a table version that
        would show nothing is made only after a warning."""
        window = self.window
        dialog = ReportDialog(options, screens.report_recipients(on_screen),
                              current_language(), window,
                              meeting=on_screen if isinstance(on_screen, MeetingView) else None)
        if not dialog.exec():
            return
        request = screens.report_on_screen(
            dialog.value(), case_ref=window.reference if isinstance(on_screen, CaseView)
            else None, meeting_id=window.meeting_id)
        if not request.table:
            self._generate(request)
            return
        window._run(lambda s: report_options.table_version_empty(s, request),
                    lambda empty: self._confirm_empty(request) if empty
                    else self._generate(request))

    def _confirm_empty(self, request: ReportRequest) -> None:
        """Warn that the table version would hold no content; opened, not exec'd, so a
        lock can close it."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Casustafel", _(
            "The table version would be empty: a party present is not invited, or no "
            "case shows content for everyone present. Make it anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._generate(request))
        self.warning = box
        box.open()

    def _generate(self, request: ReportRequest) -> None:
        window = self.window
        window._run_with_progress(
            _("Making the report…"),
            lambda s, progress: reports.generate_report(s, request, progress=progress),
            self._show)

    def forget(self) -> None:
        """On lock: wipe and close the preview (the lock closes every other window)."""
        if self.preview is not None and Shiboken.isValid(self.preview):
            self.preview.wipe()
            self.preview.reject()
        self.preview = None
        if self.warning is not None and Shiboken.isValid(self.warning):
            self.warning.reject()
        self.warning = None

    def _show(self, result: ReportResult) -> None:
        self.preview = PreviewDialog(result, self.window)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        self.window.ready.emit()
