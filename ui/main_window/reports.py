"""Making a report from the main window: ask, render in the store thread, preview.

Which kinds apply on which screen, to whom a report may go and which meeting a case report
binds to are decided in ``app`` (:func:`app.views.kinds_for`, :mod:`app.services.screens`,
:mod:`app.services.reports`); this module only asks and shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from shiboken6 import Shiboken

from app.i18n import _
from app.services import reports, screens
from app.views import MeetingView, ReportResult, kinds_for
from ui.report_dialog import PreviewDialog, ReportDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class Reporting:
    """The report action of ``window`` and the preview it opens."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.preview: PreviewDialog | None = None

    def make_report(self) -> None:
        """Report for the case on screen, or the minutes of the meeting on screen."""
        window = self.window
        case = window.case_widget.view if window.on_case_screen() else None
        on_screen = case if case is not None else window.dashboard.meeting
        if on_screen is None:
            return
        dialog = ReportDialog(kinds_for(on_case=case is not None),
                              screens.report_recipients(on_screen), window.ctx.language, window,
                              meeting=on_screen if isinstance(on_screen, MeetingView) else None)
        if not dialog.exec():
            return
        request = screens.report_on_screen(
            dialog.value(), case_ref=window.reference if case is not None else None,
            meeting_id=window.meeting_id)
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

    def _show(self, result: ReportResult) -> None:
        self.preview = PreviewDialog(result, self.window)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        self.window.ready.emit()
