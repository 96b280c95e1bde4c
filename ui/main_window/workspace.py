"""The work page of the main window: the meeting list at the side and, beside it, the
dashboard, the case list, the case screen, the meetings overview, the privacy workbench
and the figures page, one at a time.

Built onto the window as Qt Designer's ``setupUi`` would (the window declares the
attributes); the window's navigation switches ``views`` between the ``VIEW_*`` pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.case_view import CaseWidget
from ui.dashboard import Dashboard
from ui.main_window.demo import banner_text
from ui.models import ID_ROLE, CaseListModel, MeetingListModel
from ui.privacy.overview_tab import FiguresTab
from ui.privacy.workbench import Workbench
from ui.retention_reminders import RetentionReminders
from ui.widgets import Banner, RedactedDelegate, guard_copy

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# The pages of ``window.views``, in the order they are added below.
VIEW_DASHBOARD, VIEW_CASES, VIEW_CASE, VIEW_MEETINGS = 0, 1, 2, 3
# The privacy officer's workbench and the figures page (issue 11), shown only when the
# opened store's ``sections`` say so (app.policy.access decides).
VIEW_PRIVACY, VIEW_FIGURES = 4, 5


def setup_workspace(window: MainWindow) -> QWidget:
    """Create the work page's widgets on ``window`` and return the page."""
    work = QWidget()
    layout = QVBoxLayout(work)
    layout.setContentsMargins(0, 0, 0, 0)
    window.demo_banner = Banner(banner_text(), "demo")
    window.demo_banner.hide()
    layout.addWidget(window.demo_banner)
    split = QSplitter()
    side = QWidget()
    side_layout = QVBoxLayout(side)
    side_layout.addWidget(QLabel(_("Meetings")))
    window.meeting_model = MeetingListModel()
    window.meeting_list = QListView()
    window.meeting_list.setModel(window.meeting_model)
    window.meeting_list.setAccessibleName(_("Meetings"))
    window.meeting_list.activated.connect(window._meeting_chosen)
    window.meeting_list.clicked.connect(window._meeting_chosen)
    side_layout.addWidget(window.meeting_list, 1)
    meetings_button = QPushButton(_("All meetings"))
    meetings_button.clicked.connect(window.show_meetings)
    side_layout.addWidget(meetings_button)
    cases_button = QPushButton(_("All cases"))
    cases_button.clicked.connect(window.show_case_list)
    side_layout.addWidget(cases_button)
    window.privacy_button = QPushButton(_("Privacy"))
    window.privacy_button.setToolTip(_("The privacy officer's workbench: registers, "
                                       "requests, breaches, figures"))
    window.privacy_button.clicked.connect(window.show_privacy)
    window.privacy_button.hide()
    side_layout.addWidget(window.privacy_button)
    window.figures_button = QPushButton(_("Figures"))
    window.figures_button.setToolTip(_("Management figures without personal data"))
    window.figures_button.clicked.connect(window.show_figures)
    window.figures_button.hide()
    side_layout.addWidget(window.figures_button)
    side.setMinimumWidth(240)
    split.addWidget(side)
    window.views = QStackedWidget()
    window.dashboard = Dashboard()
    window.dashboard.open_case.connect(window.open_case)
    # The procesregisseur's retention reminders (issue 12), above the meeting: shown only
    # for "retention_reminders" in the opened store's sections, and only when due.
    window.retention_reminders = RetentionReminders(window.privacy_runner)
    window.retention_reminders.open_case.connect(window.open_case)
    window.dashboard.add_notice(window.retention_reminders)
    window.views.addWidget(window.dashboard)
    window.case_list_model = CaseListModel(window._request_rows)
    case_list = QTableView()
    case_list.setModel(window.case_list_model)
    case_list.setItemDelegate(RedactedDelegate(case_list))
    case_list.setAccessibleName(_("All cases"))
    case_list.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    case_list.activated.connect(
        lambda index: window.open_case(str(index.data(ID_ROLE))))
    case_list.doubleClicked.connect(
        lambda index: window.open_case(str(index.data(ID_ROLE))))
    window.views.addWidget(case_list)
    guard_copy(case_list, window.ctx.copy_to_clipboard)
    guard_copy(window.dashboard.table, window.ctx.copy_to_clipboard)
    window.case_widget = CaseWidget(copy=window.ctx.copy_to_clipboard)
    window.case_widget.back.connect(window.show_dashboard)
    window.views.addWidget(window.case_widget)
    overview = QWidget()
    overview_layout = QVBoxLayout(overview)
    heading = QLabel(_("Meetings (upcoming first, then earlier)"))
    heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
    heading.setWordWrap(True)
    overview_layout.addWidget(heading)
    meeting_overview = QListView()
    meeting_overview.setModel(window.meeting_model)
    meeting_overview.setAccessibleName(_("Meetings"))
    meeting_overview.setStyleSheet("font-size: 13pt;")
    meeting_overview.activated.connect(window._meeting_chosen)
    overview_layout.addWidget(meeting_overview, 1)
    window.views.addWidget(overview)
    window.workbench = Workbench(window.privacy_runner)
    window.views.addWidget(window.workbench)
    window.figures_page = FiguresTab(window.privacy_runner)
    window.figures_page.setAccessibleName(_("Figures"))
    window.views.addWidget(window.figures_page)
    split.addWidget(window.views)
    split.setStretchFactor(1, 4)
    layout.addWidget(split, 1)
    return work

