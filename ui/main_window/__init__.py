"""The main window: meetings, dashboard, case list, case view, the privacy workbench;
view-as, table view, lock.

The window holds the pages, unlock and lock, and the navigation.  Its parts live next to
it: the work page's widgets (:mod:`.workspace`), the toolbar and menus (:mod:`.actions`),
the edit slots (:mod:`.case_edits`), reports (:mod:`.reports`) and the beamer
(:mod:`.table_mode`).  Everything shown comes from one service call in the store thread,
made through :meth:`MainWindow._run`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
)

from app.i18n import _, current_language
from app.services import caselist, meetings, screens
from app.services.session import Session
from app.tasks import Cancelled, Progress
from app.views import CaseRowView, CaseScreen, MeetingView, OpenedStore, UserView
from ui import errors
from ui.case_view import CaseWidget
from ui.casework.forms import Done, Failed, Job
from ui.context import AppContext, IdleWatcher
from ui.dashboard import Dashboard
from ui.lock import LockReach, clear_selection_clipboard, close_app_windows
from ui.main_window.actions import fill_view_as, setup_actions, view_as_spec
from ui.main_window.case_edits import CaseEdits
from ui.main_window.casework import Casework
from ui.main_window.demo import show_demo_users
from ui.main_window.reports import Reporting
from ui.main_window.resume import Place, applies, capture, restore_meeting, restore_page
from ui.main_window.table_mode import TableMode
from ui.main_window.workspace import (
    VIEW_CASE,
    VIEW_CASES,
    VIEW_DASHBOARD,
    VIEW_FIGURES,
    VIEW_MEETINGS,
    VIEW_PRIVACY,
    setup_workspace,
)
from ui.models import ID_ROLE, CaseListModel, MeetingListModel
from ui.privacy.overview_tab import FiguresTab
from ui.privacy.workbench import Workbench
from ui.renew import ask_own_passphrase
from ui.retention_reminders import RetentionReminders
from ui.unlock import UnlockPage
from ui.widgets import Banner, TaskProgress

PAGE_UNLOCK, PAGE_WORK = 0, 1
T = TypeVar("T")


class MainWindow(QMainWindow):
    """The workstation window.  Everything shown comes from service calls returning views."""

    locked = Signal()
    ready = Signal()

    # Made by :func:`.workspace.setup_workspace` and :func:`.actions.setup_actions`, as
    # Qt Designer's ``setupUi`` would.
    demo_banner: Banner
    meeting_model: MeetingListModel
    meeting_list: QListView
    views: QStackedWidget
    dashboard: Dashboard
    case_list_model: CaseListModel
    case_widget: CaseWidget
    workbench: Workbench
    figures_page: FiguresTab
    retention_reminders: RetentionReminders
    privacy_button: QPushButton
    figures_button: QPushButton
    view_as: QComboBox
    a_table: QAction
    a_lock: QAction
    a_report: QAction
    a_back: QAction
    # The Settings and Help menus (.actions): language choices and the open message.
    language_actions: dict[str, QAction]
    language_notice: QMessageBox | None = None
    help_box: QMessageBox | None = None
    # The demo store's users, once listed for the demo banner (.demo).
    demo_users: list[UserView] | None = None

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.opened: OpenedStore | None = None
        self.meeting_id: int | None = None
        self.reference: str | None = None
        self._username = ""
        # Bumped on every lock: results of calls asked for before the lock are dropped.
        self._generation = 0
        # Where the user was at the last lock (position only, see .resume).
        self._place: Place | None = None
        self._restoring: Place | None = None
        self._case_tab: int | None = None
        self.setWindowTitle("Casustafel")
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.unlock_page = UnlockPage(ctx.recent_stores())
        self.unlock_page.unlock.connect(self.unlock)
        self.pages.addWidget(self.unlock_page)
        self.pages.addWidget(setup_workspace(self))
        self.edits = CaseEdits(self)
        self.reporting = Reporting(self)
        self.table_mode = TableMode(self)
        setup_actions(self)
        self.casework = Casework(self)  # the Case and Meeting menus (issue 10)
        self.lock_reach = LockReach(ctx.app, self.a_lock, self)
        self.status = QLabel()
        # Elided by the status bar rather than widening the window: the viewer's own role
        # and organisation must be on screen at 1366 px.
        self.status.setMinimumWidth(1)
        self.status.setAccessibleName(_("Signed in as"))
        self.statusBar().addPermanentWidget(self.status, 1)
        self.idle = IdleWatcher(ctx.app, ctx.idle_minutes, self.lock)
        geometry = ctx.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 720)
        self._set_unlocked(False)
        self.unlock_page.focus_first_empty()

    # -- pages ----------------------------------------------------------------------------
    def _set_unlocked(self, unlocked: bool) -> None:
        self.pages.setCurrentIndex(PAGE_WORK if unlocked else PAGE_UNLOCK)
        for action in (self.a_table, self.a_lock, self.a_back, self.a_report):
            action.setEnabled(unlocked)
        self.view_as.setEnabled(unlocked)

    # -- store calls and errors -----------------------------------------------------------
    def _current(self, callback: Callable[[T], None]) -> Callable[[T], None]:
        """``callback``, dropped if the window was locked meanwhile."""
        generation = self._generation

        def guarded(result: T) -> None:
            if generation == self._generation:
                callback(result)

        return guarded

    def _run(self, job: Callable[[Session], T], then: Callable[[T], None] | None = None) -> None:
        """Run a service call in the store thread and hand its answer to ``then`` (default:
        show the case again after an edit); answers from before a lock are dropped, and a
        failure shows one sentence.  ``job`` runs in the store thread: it gets the session
        and the values it needs, bound beforehand, never the widgets."""
        self.ctx.worker.submit(job, done=self._current(then or self._after_edit),
                               failed=self.show_error)

    def _run_with_progress(self, title: str, job: Callable[[Session, Progress], T],
                           then: Callable[[T], None]) -> None:
        """:meth:`_run` for a long call, with a cancellable progress dialog."""
        box = TaskProgress(title, self)
        box.follow(self.ctx.worker.submit(job, done=box.then(self._current(then)),
                                          failed=box.then(self.show_error),
                                          progress=box.report))

    def privacy_runner(self, job: Job, done: Done, failed: Failed) -> None:
        """The workbench's runner: ``job`` in the store thread; answers (and refusals)
        from before a lock are dropped."""
        self.ctx.worker.submit(job, done=self._current(done), failed=self._current(failed))

    def show_error(self, error: BaseException) -> None:
        """One translated sentence (:mod:`ui.errors`): under the form on the unlock page,
        else in a message box."""
        if self.pages.currentIndex() != PAGE_UNLOCK:
            errors.show_error(self, error)
        elif not isinstance(error, Cancelled):
            self.unlock_page.show_error(errors.message_for(error))

    # -- unlock and lock --------------------------------------------------------------
    def unlock(self, folder: Path, username: str, passphrase: str) -> None:
        """Open ``folder`` as ``username`` in the store thread."""
        self._username = username

        def failed(error: BaseException) -> None:
            if getattr(error, "code", "") == "passphrase.must_renew":
                ask_own_passphrase(self, lambda new: self._run_renewal(passphrase, new))
            else:
                self.show_error(error)

        self.ctx.worker.open_session(folder, username, passphrase, then=screens.opened_store,
                                     done=self._current(self._unlocked), failed=failed)

    def _run_renewal(self, old: str, new: str) -> None:
        self.ctx.worker.submit(lambda session: screens.renew_and_open(session, old, new),
                               done=self._current(self._unlocked), failed=self.show_error)

    def _unlocked(self, opened: OpenedStore) -> None:
        self.opened = opened
        if not self.ctx.demo:
            self.ctx.remember_store(opened.folder)
        self.setWindowTitle(f"Casustafel — {opened.profile_name.get(current_language())}")
        user = opened.user
        party = next((p.label() for p in opened.parties if p.id == user.party_id),
                     user.party_id)
        self.status.setText(_("{name} · {role} · {party}").format(
            name=user.display_name, role=_(user.role.label), party=party))
        self.demo_banner.setVisible(self.ctx.demo)
        show_demo_users(self)
        self.meeting_model.set_meetings(opened.meetings)
        self._set_sections(opened)
        self._set_unlocked(True)
        self.idle.restart()
        place, self._place = applies(self._place, self), None
        ids = [m.meeting_id for m in opened.meetings]
        if place is not None and place.meeting_id in ids:
            row = ids.index(place.meeting_id)
        elif place is not None and place.meeting_id is None and not ids:
            if not restore_page(place, self):
                self._show_section(place.page)
                self.ready.emit()
            return
        else:
            place, row = None, 0
        if opened.meetings:
            self._restoring = place
            self.meeting_list.setCurrentIndex(self.meeting_model.index(row))
            self.load_meeting(ids[row])
        else:
            # No meetings (a privacy officer): the workbench, when the role has one.
            self._show_section(VIEW_PRIVACY if "privacy" in opened.sections else VIEW_FIGURES)
            self.ready.emit()

    def _set_sections(self, opened: OpenedStore | None) -> None:
        """Offer the sections the opened store's ``sections`` name (app.policy.access
        decided them; the services check every call again)."""
        sections = opened.sections if opened is not None else frozenset()
        privacy = "privacy" in sections
        self.privacy_button.setVisible(privacy)
        # The workbench holds the figures; the procesregisseur gets them on their own.
        self.figures_button.setVisible("figures" in sections and not privacy)
        if privacy and opened is not None:
            self.workbench.start(opened)
        if "retention_reminders" in sections:
            self.retention_reminders.load()
        else:
            self.retention_reminders.clear()
        if self.views.currentIndex() in (VIEW_PRIVACY, VIEW_FIGURES):
            self.views.setCurrentIndex(VIEW_DASHBOARD)

    def _show_section(self, page: int) -> None:
        """Go to the workbench or the figures page, if this user has it."""
        if page == VIEW_PRIVACY and self.privacy_button.isVisibleTo(self):
            self.show_privacy()
        elif page == VIEW_FIGURES and self.figures_button.isVisibleTo(self):
            self.show_figures()

    def show_privacy(self) -> None:
        """The privacy officer's workbench (its current tab is fetched when shown)."""
        if self.opened is None or "privacy" not in self.opened.sections:
            return
        self.views.setCurrentIndex(VIEW_PRIVACY)
        self.workbench.load_current()

    def show_figures(self) -> None:
        """The management figures on their own (procesregisseur, administrator)."""
        if self.opened is None or "figures" not in self.opened.sections:
            return
        self.views.setCurrentIndex(VIEW_FIGURES)
        if not self.figures_page.loaded:
            self.figures_page.load()

    def lock(self) -> None:
        """Close every other window, clear every view and close the session; the unlock
        page comes back, for the same user, with the focus in the passphrase field."""
        if self.pages.currentIndex() == PAGE_UNLOCK and self.opened is None:
            return
        self._generation += 1
        self._place = capture(self)
        self._restoring = None
        self._case_tab = None
        self.reporting.forget()
        close_app_windows(self)
        self.table_mode.leave()
        self.dashboard.clear()
        self.retention_reminders.clear()
        self.case_widget.clear()
        self.case_list_model.clear()
        self.workbench.clear()
        self.figures_page.clear()
        self.meeting_model.set_meetings([])
        fill_view_as(self, None)
        self.ctx.clear_clipboard_now()
        clear_selection_clipboard()
        folder = str(self.opened.folder) if self.opened else None
        self.opened = None
        self._set_sections(None)
        self.meeting_id = None
        self.reference = None
        self.status.clear()
        self.setWindowTitle("Casustafel")
        self.ctx.worker.close_session(backup=False)  # no backup: locking must be instant
        self._set_unlocked(False)
        if folder is not None and self._username:
            self.unlock_page.show_locked(store=folder, user=self._username)
        else:
            self.unlock_page.show_open(store=folder, user=self._username)
        self.locked.emit()

    # -- meetings -------------------------------------------------------------------
    def _meeting_chosen(self, index: QModelIndex) -> None:
        meeting_id = index.data(ID_ROLE)
        if meeting_id is not None:
            self.load_meeting(int(meeting_id))

    def load_meeting(self, meeting_id: int) -> None:
        """Show the dashboard of a meeting."""
        self.meeting_id = meeting_id
        self._run(lambda s: meetings.meeting_view(s, meeting_id), self._meeting_loaded)

    def _meeting_loaded(self, meeting: MeetingView) -> None:
        self.dashboard.show_meeting(meeting, can_edit_attendance=meeting.is_chair)
        self.views.setCurrentIndex(VIEW_DASHBOARD)
        fill_view_as(self, meeting)
        self.a_table.setEnabled(meeting.is_chair)
        place, self._restoring = self._restoring, None
        if place is not None and restore_meeting(place, self):
            return  # the case screen says when it is ready
        self.table_mode.refresh()
        self.ready.emit()

    def show_meetings(self) -> None:
        """The overview of every meeting the user may know of."""
        self.views.setCurrentIndex(VIEW_MEETINGS)

    def show_dashboard(self) -> None:
        """Back to the dashboard of the meeting."""
        self.views.setCurrentIndex(VIEW_DASHBOARD)

    # -- case list and case ---------------------------------------------------------------
    def show_case_list(self) -> None:
        """All cases the user may know of (lazy, sorted in SQL)."""
        self.views.setCurrentIndex(VIEW_CASES)
        self._run(lambda s: caselist.visible_case_ids(s, sort="reference", descending=False,
                                                      text=""),
                  self.case_list_model.set_ids)

    def _request_rows(self, ids: list[int], callback: Callable[[list[CaseRowView]], None]
                      ) -> None:
        self._run(lambda s: caselist.rows_for_ids(s, ids), callback)

    def open_case(self, reference: str, *, tab: int | None = None) -> None:
        """Show a case as the current spec allows (on tab ``tab``, when given)."""
        self.reference = reference
        self._case_tab = tab
        spec = view_as_spec(self)
        self._run(lambda s: screens.case_screen(s, reference, spec), self._case_loaded)

    def _case_loaded(self, screen: CaseScreen) -> None:
        self.case_widget.show_case(screen.view)
        self.case_widget.set_capabilities(screen.capabilities)
        self.case_widget.show_sharing(screen.grants, screen.consents)
        self.views.setCurrentIndex(VIEW_CASE)
        if self._case_tab is not None:
            self.case_widget.tabs.setCurrentIndex(self._case_tab)
            self._case_tab = None
        self.ready.emit()

    def _after_edit(self, _result: object = None) -> None:
        if self.reference:
            self.open_case(self.reference)

    def on_case_screen(self) -> bool:
        """Whether a case is shown (reports are then about it, else about the meeting)."""
        return self.views.currentIndex() == VIEW_CASE and self.case_widget.view is not None

    # -- closing ------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.ctx.save_geometry("main", self.saveGeometry())
        self.table_mode.leave()
        super().closeEvent(event)

