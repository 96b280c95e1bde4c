"""The main window: meetings, dashboard, case list, case view; view-as, table view, lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import CasusError
from app.i18n import _
from app.tasks import Cancelled
from app.views import CaseView, ViewSpec
from ui import jobs
from ui.case_view import CaseWidget
from ui.context import AppContext, IdleWatcher
from ui.dashboard import Dashboard
from ui.dialogs import ActionDialog, ConsentDialog, GrantDialog, TextDialog
from ui.models import ID_ROLE, CaseListModel, MeetingListModel
from ui.report_dialog import PreviewDialog, ReportDialog
from ui.table_view import TableView
from ui.unlock import UnlockPage
from ui.widgets import Banner, RedactedDelegate, guard_copy

PAGE_UNLOCK, PAGE_WORK = 0, 1
VIEW_DASHBOARD, VIEW_CASES, VIEW_CASE, VIEW_MEETINGS = 0, 1, 2, 3


class MainWindow(QMainWindow):
    """The workstation window.  Everything shown comes from jobs returning views."""

    locked = Signal()
    ready = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.opened: jobs.Opened | None = None
        self.meeting_id: int | None = None
        self.reference: str | None = None
        self.table_view: TableView | None = None
        self.preview: PreviewDialog | None = None
        self._username = ""
        # Bumped on every lock: results of jobs asked for before the lock are dropped.
        self._generation = 0
        self.setWindowTitle("Casustafel")
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.unlock_page = UnlockPage(ctx.recent_stores())
        self.unlock_page.unlock.connect(self.unlock)
        self.pages.addWidget(self.unlock_page)
        self.pages.addWidget(self._build_workspace())
        self._build_actions()
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.idle = IdleWatcher(ctx.app, ctx.idle_minutes, self.lock)
        geometry = ctx.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self._set_unlocked(False)

    # -- construction -------------------------------------------------------------
    def _build_workspace(self) -> QWidget:
        work = QWidget()
        layout = QVBoxLayout(work)
        layout.setContentsMargins(0, 0, 0, 0)
        self.demo_banner = Banner(_("Demo — synthetic data, no real persons. Every demo user's "
                                    "passphrase: {p}").format(p=jobs.DEMO_PASSPHRASE), "demo")
        self.demo_banner.hide()
        layout.addWidget(self.demo_banner)
        split = QSplitter()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(QLabel(_("Meetings")))
        self.meeting_model = MeetingListModel()
        self.meeting_list = QListView()
        self.meeting_list.setModel(self.meeting_model)
        self.meeting_list.setAccessibleName(_("Meetings"))
        self.meeting_list.activated.connect(self._meeting_chosen)
        self.meeting_list.clicked.connect(self._meeting_chosen)
        side_layout.addWidget(self.meeting_list, 1)
        self.meetings_button = QPushButton(_("All meetings"))
        self.meetings_button.clicked.connect(self.show_meetings)
        side_layout.addWidget(self.meetings_button)
        self.cases_button = QPushButton(_("All cases"))
        self.cases_button.clicked.connect(self.show_case_list)
        side_layout.addWidget(self.cases_button)
        side.setMinimumWidth(240)
        split.addWidget(side)
        self.views = QStackedWidget()
        self.dashboard = Dashboard()
        self.dashboard.open_case.connect(self.open_case)
        self.dashboard.presence_changed.connect(self._presence_changed)
        self.views.addWidget(self.dashboard)
        self.case_list_model = CaseListModel(self._request_rows)
        self.case_list = QTableView()
        self.case_list.setModel(self.case_list_model)
        self.case_list.setItemDelegate(RedactedDelegate(self.case_list))
        self.case_list.setAccessibleName(_("All cases"))
        self.case_list.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.case_list.activated.connect(
            lambda index: self.open_case(str(index.data(ID_ROLE))))
        self.case_list.doubleClicked.connect(
            lambda index: self.open_case(str(index.data(ID_ROLE))))
        self.views.addWidget(self.case_list)
        guard_copy(self.case_list, self.ctx.copy_to_clipboard)
        guard_copy(self.dashboard.table, self.ctx.copy_to_clipboard)
        self.case_widget = CaseWidget(copy=self.ctx.copy_to_clipboard)
        self.case_widget.record_decision.connect(self._record_decision)
        self.case_widget.add_action.connect(self._add_action)
        self.case_widget.add_progress.connect(self._add_progress)
        self.case_widget.share.connect(self._share)
        self.case_widget.revoke_grant.connect(self._revoke)
        self.case_widget.record_consent.connect(self._record_consent)
        self.case_widget.withdraw_consent.connect(self._withdraw_consent)
        self.views.addWidget(self.case_widget)
        overview = QWidget()
        overview_layout = QVBoxLayout(overview)
        heading = QLabel(_("Meetings (upcoming first, then earlier)"))
        heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        overview_layout.addWidget(heading)
        self.meeting_overview = QListView()
        self.meeting_overview.setModel(self.meeting_model)
        self.meeting_overview.setAccessibleName(_("Meetings"))
        self.meeting_overview.setStyleSheet("font-size: 13pt;")
        self.meeting_overview.activated.connect(self._meeting_chosen)
        overview_layout.addWidget(self.meeting_overview, 1)
        self.views.addWidget(overview)
        split.addWidget(self.views)
        split.setStretchFactor(1, 4)
        layout.addWidget(split, 1)
        return work

    def _build_actions(self) -> None:
        toolbar = self.addToolBar(_("View"))
        toolbar.setObjectName("main-toolbar")
        toolbar.addWidget(QLabel(_("View as") + " "))
        self.view_as = QComboBox()
        self.view_as.setAccessibleName(_("View as"))
        self.view_as.currentIndexChanged.connect(self._view_as_changed)
        toolbar.addWidget(self.view_as)
        self.a_table = QAction(_("Table view"), self)
        self.a_table.setShortcut(QKeySequence("Ctrl+T"))
        self.a_table.triggered.connect(self.enter_table_view)
        toolbar.addAction(self.a_table)
        self.a_lock = QAction(_("Lock"), self)
        self.a_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.a_lock.triggered.connect(self.lock)
        toolbar.addAction(self.a_lock)
        self.a_report = QAction(_("Make report…"), self)
        self.a_report.setShortcut(QKeySequence("Ctrl+R"))
        self.a_report.triggered.connect(self.make_report)
        toolbar.addAction(self.a_report)
        self.a_back = QAction(_("Back to the meeting"), self)
        self.a_back.setShortcut(QKeySequence("Alt+Left"))
        self.a_back.triggered.connect(lambda: self.views.setCurrentIndex(VIEW_DASHBOARD))

        menu = self.menuBar().addMenu(_("&File"))
        menu.addAction(self.a_report)
        menu.addAction(self.a_lock)
        quit_action = QAction(_("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(_("&View"))
        view_menu.addAction(self.a_table)
        view_menu.addAction(self.a_back)
        settings = self.menuBar().addMenu(_("&Settings"))
        for lang, label in (("nl", "Nederlands"), ("en", "English")):
            action = QAction(label, self)
            action.triggered.connect(lambda _c=False, lg=lang: self._set_language(lg))
            settings.addAction(action)
        idle = QAction(_("Lock after inactivity…"), self)
        idle.triggered.connect(self._ask_idle_minutes)
        settings.addAction(idle)

    def _set_unlocked(self, unlocked: bool) -> None:
        self.pages.setCurrentIndex(PAGE_WORK if unlocked else PAGE_UNLOCK)
        for action in (self.a_table, self.a_lock, self.a_back, self.a_report):
            action.setEnabled(unlocked)
        self.view_as.setEnabled(unlocked)

    # -- errors ---------------------------------------------------------------------
    def show_error(self, error: BaseException) -> None:
        """One translated sentence; never a traceback, never personal data."""
        if isinstance(error, Cancelled):
            return
        text = (error.user_message() if isinstance(error, CasusError)
                else _("Something went wrong; details are in the technical log."))
        if self.pages.currentIndex() == PAGE_UNLOCK:
            self.unlock_page.show_error(text)
        else:
            # Window-modal but not blocking: the store thread and any timers go on.
            box = QMessageBox(QMessageBox.Icon.Warning, "Casustafel", text,
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    # -- unlock and lock --------------------------------------------------------------
    def unlock(self, folder: Path, username: str, passphrase: str) -> None:
        """Open ``folder`` as ``username`` in the store thread."""
        self._username = username
        self.ctx.worker.call(jobs.open_store, folder, username, passphrase,
                             done=self._current(self._unlocked), failed=self.show_error)

    def _unlocked(self, opened: jobs.Opened) -> None:
        self.opened = opened
        if not self.ctx.demo:
            self.ctx.remember_store(opened.folder)
        self.setWindowTitle(f"Casustafel — {opened.profile_name.get(self.ctx.language)}")
        user = opened.user
        self.status.setText(_("{name} · {role} · {party}").format(
            name=user.display_name, role=_(user.role.label), party=self._party_name(
                user.party_id)))
        self.demo_banner.setVisible(self.ctx.demo)
        self.meeting_model.set_meetings(opened.meetings)
        self._set_unlocked(True)
        self.idle.restart()
        if opened.meetings:
            self.meeting_list.setCurrentIndex(self.meeting_model.index(0))
            self.load_meeting(opened.meetings[0].meeting_id)
        else:
            self.ready.emit()

    def _party_name(self, party_id: str) -> str:
        for party in self.opened.parties if self.opened else []:
            if party.id == party_id:
                return party.label()
        return party_id

    def _current(self, callback: Any) -> Any:
        """Wrap a job callback so it is dropped if the window was locked meanwhile."""
        generation = self._generation

        def guarded(result: Any) -> None:
            if generation == self._generation:
                callback(result)

        return guarded

    def lock(self) -> None:
        """Clear every view and close the session; the unlock page comes back."""
        if self.pages.currentIndex() == PAGE_UNLOCK and self.opened is None:
            return
        self._generation += 1
        self.leave_table_view()
        self.dashboard.clear()
        self.case_widget.clear()
        self.case_list_model.clear()
        self.meeting_model.set_meetings([])
        self.view_as.blockSignals(True)
        self.view_as.clear()
        self.view_as.blockSignals(False)
        self.ctx.clear_clipboard_now()
        folder = str(self.opened.folder) if self.opened else None
        self.opened = None
        self.meeting_id = None
        self.reference = None
        self.status.clear()
        self.setWindowTitle("Casustafel")
        self.ctx.worker.call(jobs_close)
        self.unlock_page.reset(store=folder, user=self._username)
        self._set_unlocked(False)
        self.locked.emit()

    # -- meetings -------------------------------------------------------------------
    def _meeting_chosen(self, index: Any) -> None:
        meeting_id = index.data(ID_ROLE)
        if meeting_id is not None:
            self.load_meeting(int(meeting_id))

    def load_meeting(self, meeting_id: int) -> None:
        """Show the dashboard of a meeting."""
        self.meeting_id = meeting_id
        self.ctx.worker.call(jobs.meeting, meeting_id, done=self._current(self._meeting_loaded),
                             failed=self.show_error)

    def _meeting_loaded(self, meeting: Any) -> None:
        self.dashboard.show_meeting(meeting, can_edit_attendance=meeting.is_chair)
        self.views.setCurrentIndex(VIEW_DASHBOARD)
        self.view_as.blockSignals(True)
        self.view_as.clear()
        self.view_as.addItem(_("Myself"), "")  # never None: PySide6 6.12 mis-counts None item data
        if meeting.is_chair:
            for attendee in meeting.attendees:
                self.view_as.addItem(attendee.party.label(), attendee.party.id)
        self.view_as.blockSignals(False)
        self.a_table.setEnabled(meeting.is_chair)
        if self.table_view is not None:
            self._refresh_table_view()
        self.ready.emit()

    def _presence_changed(self, party: str, present: bool) -> None:
        if self.meeting_id is None:
            return
        if self.table_view is not None:
            self.table_view.clear()  # when in doubt show less, until recomputed
        meeting_id = self.meeting_id
        self.ctx.worker.call(jobs.set_presence, meeting_id, party, present,
                             done=self._current(lambda _r: self.load_meeting(meeting_id)),
                             failed=self.show_error)

    def show_meetings(self) -> None:
        """The overview of every meeting the user may know of."""
        self.views.setCurrentIndex(VIEW_MEETINGS)

    # -- case list --------------------------------------------------------------------
    def show_case_list(self) -> None:
        """All cases the user may know of (lazy, sorted in SQL)."""
        self.views.setCurrentIndex(VIEW_CASES)
        self.ctx.worker.call(jobs.case_ids, "reference", False, "",
                             done=self._current(self.case_list_model.set_ids),
                             failed=self.show_error)

    def _request_rows(self, ids: list[int], callback: Any) -> None:
        self.ctx.worker.call(jobs.case_page, ids, done=self._current(callback),
                             failed=self.show_error)

    # -- case -----------------------------------------------------------------------
    def current_spec(self) -> ViewSpec:
        """The user's own view or "view as" the party chosen in the toolbar."""
        party = self.view_as.currentData()
        if party:
            return ViewSpec.as_party(str(party), self.meeting_id)
        return ViewSpec(meeting_id=self.meeting_id)

    def open_case(self, reference: str) -> None:
        """Show a case as the current spec allows."""
        self.reference = reference
        self.ctx.worker.call(jobs.case_screen, reference, self.current_spec(),
                             done=self._current(self._case_loaded), failed=self.show_error)

    def _case_loaded(self, screen: jobs.CaseScreen) -> None:
        self.case_widget.show_case(screen.view)
        self.case_widget.set_capabilities(screen.capabilities)
        self.case_widget.show_sharing(screen.grants, screen.consents)
        self.views.setCurrentIndex(VIEW_CASE)
        self.ready.emit()

    def _view_as_changed(self, _index: int) -> None:
        if self.reference and self.views.currentIndex() == VIEW_CASE:
            self.open_case(self.reference)
        if self.meeting_id is not None:
            def shown(meeting: Any) -> None:
                self.dashboard.show_meeting(meeting, can_edit_attendance=meeting.is_chair)
                self.ready.emit()

            self.ctx.worker.call(jobs.meeting, self.meeting_id, self._dashboard_spec(),
                                 done=self._current(shown), failed=self.show_error)

    def _dashboard_spec(self) -> ViewSpec:
        party = self.view_as.currentData()
        if party:
            return ViewSpec.as_party(str(party), self.meeting_id)
        return ViewSpec(meeting_id=self.meeting_id)

    def _after_edit(self, _result: object = None) -> None:
        if self.reference:
            self.open_case(self.reference)

    def _record_decision(self) -> None:
        dialog = TextDialog(_("Record decision"), _("Decision"), self)
        if dialog.exec() and self.reference:
            self.ctx.worker.call(jobs.record_decision, self.reference, dialog.value(),
                                 self.meeting_id,
                                 done=self._current(self._after_edit),
                                 failed=self.show_error)

    def _add_progress(self) -> None:
        dialog = TextDialog(_("Add progress"), _("Progress"), self)
        if dialog.exec() and self.reference:
            self.ctx.worker.call(jobs.add_progress, self.reference, dialog.value(),
                                 self.meeting_id,
                                 done=self._current(self._after_edit),
                                 failed=self.show_error)

    def _add_action(self) -> None:
        if not self.opened or not self.reference:
            return
        dialog = ActionDialog(self.opened.parties, self)
        if dialog.exec():
            value = dialog.value()
            self.ctx.worker.call(jobs.add_action, self.reference, value.text,
                                 value.owner_party, value.due_on, self.meeting_id,

                                 done=self._current(self._after_edit),
                                 failed=self.show_error)

    def _share(self) -> None:
        view = self.case_widget.view
        if not self.opened or not self.reference or view is None:
            return
        dialog = GrantDialog(view, self.opened.user.party_id, self.opened.parties, self)
        if dialog.exec():
            value = dialog.value()
            self.ctx.worker.call(jobs.grant, self.reference, value.recipient, value.item_id,
                                 value.category, value.legal_basis,

                                 done=self._current(self._after_edit),
                                 failed=self.show_error)

    def _revoke(self, grant_id: int) -> None:
        self.ctx.worker.call(jobs.revoke, grant_id,
                             done=self._current(self._after_edit), failed=self.show_error)

    def _record_consent(self) -> None:
        view = self.case_widget.view
        if not self.opened or not self.reference or view is None:
            return
        dialog = ConsentDialog(view, self.opened.parties, self)
        if dialog.exec():
            value = dialog.value()
            self.ctx.worker.call(jobs.record_consent, self.reference, value.person,
                                 value.source_party, value.recipient_party, value.purpose,

                                 done=self._current(self._after_edit),
                                 failed=self.show_error)

    def _withdraw_consent(self, consent_id: int) -> None:
        self.ctx.worker.call(jobs.withdraw_consent, consent_id,
                             done=self._current(self._after_edit), failed=self.show_error)

    # -- reports ----------------------------------------------------------------------
    def make_report(self) -> None:
        """Report for the case on screen, or the minutes of the meeting on screen."""
        on_case = self.views.currentIndex() == VIEW_CASE and self.case_widget.view is not None
        if on_case and self.case_widget.view is not None:
            kinds = ["plan", "voortgang", "afsluiting"]
            parties = list(self.case_widget.view.parties)
        elif self.dashboard.meeting is not None:
            kinds = ["notulen"]
            parties = [a.party for a in self.dashboard.meeting.attendees]
        else:
            return
        dialog = ReportDialog(kinds, parties, self.ctx.language, self)
        if not dialog.exec():
            return
        request = dialog.value()
        case_ref = self.reference if on_case else None
        meeting_id = self.meeting_id

        def job(runner: Any, progress: Any) -> Any:
            return jobs.report(runner, request.kind, case_ref,
                               None if on_case and not request.table else meeting_id,
                               request.recipient, request.table, request.lang,
                               request.date_from, request.date_to, progress=progress)

        self.run_with_progress(_("Making the report…"), job, self._current(self._show_report))

    def _show_report(self, result: Any) -> None:
        self.preview = PreviewDialog(result, self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.open()
        self.ready.emit()

    # -- table view -------------------------------------------------------------------
    def enter_table_view(self) -> None:
        """Full screen, only what every party present may see."""
        if self.dashboard.meeting is None:
            return
        if self.table_view is None:
            self.table_view = TableView()
            self.table_view.next_case.connect(lambda: self._step_table(1))
            self.table_view.previous_case.connect(lambda: self._step_table(-1))
            self.table_view.leave.connect(self.leave_table_view)
            self.table_view.addAction(self.a_lock)
        self.table_view.clear()
        self.table_view.showFullScreen()
        self._refresh_table_view()

    def leave_table_view(self) -> None:
        """Back to the workstation; nothing is asked."""
        if self.table_view is not None:
            self.table_view.clear()
            self.table_view.close()
            self.table_view = None

    def _table_reference(self) -> str | None:
        return self.dashboard.current_reference()

    def _step_table(self, step: int) -> None:
        table = self.dashboard.table
        rows = self.dashboard.proxy.rowCount()
        if rows == 0:
            return
        row = (max(table.currentIndex().row(), 0) + step) % rows
        table.selectRow(row)
        self._refresh_table_view()

    def _refresh_table_view(self) -> None:
        meeting = self.dashboard.meeting
        reference = self._table_reference()
        if self.table_view is None or meeting is None or reference is None:
            return
        item = next((i for i in meeting.agenda if i.row.reference == reference), None)
        at_table = list(item.at_table) if item else []
        present = [p.id for p in at_table]
        names = [p.label() for p in at_table]
        spec = ViewSpec.table(present, meeting.meeting_id)
        view_widget = self.table_view

        def shown(view: CaseView) -> None:
            if self.table_view is view_widget:
                view_widget.show_case(view, names)
                self.ready.emit()

        self.ctx.worker.call(jobs.table_case, reference, spec, done=self._current(shown),
                             failed=self.show_error)

    # -- settings and closing -----------------------------------------------------------
    def _set_language(self, lang: str) -> None:
        self.ctx.set_language(lang)
        QMessageBox.information(self, "Casustafel",
                                _("The language changes when Casustafel starts again."))

    def _ask_idle_minutes(self) -> None:
        minutes, ok = QInputDialog.getInt(
            self, "Casustafel", _("Lock after this many minutes without input:"),
            int(self.ctx.idle_minutes), 1, 60)
        if ok:
            self.ctx.settings.setValue("idle_minutes", minutes)
            self.idle.set_minutes(minutes)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.ctx.save_geometry("main", self.saveGeometry())
        self.leave_table_view()
        super().closeEvent(event)

    def run_with_progress(self, title: str, fn: Any, done: Any) -> None:
        """Run a long job with a cancellable progress dialog (the UI stays responsive)."""
        dialog = QProgressDialog(title, _("Cancel"), 0, 100, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAccessibleName(title)
        def finished(result: Any) -> None:
            dialog.reset()
            done(result)

        def failed(error: BaseException) -> None:
            dialog.reset()
            self.show_error(error)

        token = self.ctx.worker.call(fn, done=finished, failed=failed,
                                     progress=lambda f, _t: dialog.setValue(int(f * 100)))
        if token is not None:
            dialog.canceled.connect(token.cancel)


def jobs_close(runner: Any) -> None:
    """Job: log out without a backup (locking must be instant)."""
    from ui.worker import close_session

    close_session(runner, backup=False)
