"""The inbox of the user's party: notices that data it received changed (an item
corrected, a consent withdrawn), until a user of the party acknowledges them; and the
data-subject requests (issue 11): a procesregisseur's requests to find in their cases, a
providing party's request tasks (:mod:`ui.privacy.inbox_requests`).

A notice names the case, the kind and whose data, never content (app.views.NoticeView).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.services import notices
from app.views import NoticeView
from ui import errors
from ui.casework.forms import ERROR_STYLE, Runner
from ui.privacy.inbox_requests import DirectorPanel, TasksPanel

KINDS = {"item_corrected": N_("Information corrected"),
         "consent_withdrawn": N_("Consent withdrawn"),
         "item_erased": N_("Information erased"),
         "item_restricted": N_("Processing restricted"),
         "item_objected": N_("Objection upheld")}


def notice_text(notice: NoticeView) -> str:
    """One line: case, what happened, whose data, when."""
    kind = _(KINDS.get(notice.kind, N_("Changed")))
    return _("{case} · {kind} · from {party} · {when}").format(
        case=notice.case_ref, kind=kind, party=notice.source.label(),
        when=notice.created_at[:16].replace("T", " "))


class InboxDialog(QDialog):
    """The open notices of the party, each acknowledged on its own; with ``tasks`` the
    party's request tasks, with ``director`` the requests to find (procesregisseur), each
    on a tab of its own."""

    def __init__(self, run: Runner, parent: QWidget | None = None, *,
                 director: bool = False, tasks: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Inbox"))
        self.setMinimumWidth(560)
        self._run = run
        outer = QVBoxLayout(self)
        self.tabs: QTabWidget | None = None
        self.director: DirectorPanel | None = None
        self.tasks: TasksPanel | None = None
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        if director or tasks:
            self.setMinimumWidth(720)
            self.tabs = QTabWidget()
            self.tabs.addTab(page, _("Notices"))
            if director:
                self.director = DirectorPanel(run)
                self.tabs.addTab(self.director, _("Requests to find"))
            if tasks:
                self.tasks = TasksPanel(run)
                self.tabs.addTab(self.tasks, _("Request tasks"))
            outer.addWidget(self.tabs, 1)
        else:
            outer.addWidget(page, 1)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.empty = QLabel(_("No open notices."))
        layout.addWidget(self.empty)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Notices"))
        layout.addWidget(self.list, 1)
        self.acknowledge_button = QPushButton(_("Acknowledge"))
        self.acknowledge_button.clicked.connect(self.acknowledge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.acknowledge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.notices: list[NoticeView] = []
        self.reload()
        for panel in (self.director, self.tasks):
            if panel is not None:
                panel.reload()

    def reload(self) -> None:
        """Fetch the open notices again."""
        self._run(notices.inbox, self.show_notices, self._failed)

    def show_notices(self, found: list[NoticeView]) -> None:
        """Show ``found`` (newest first)."""
        self.notices = found
        self.list.clear()
        for notice in found:
            row = QListWidgetItem(notice_text(notice), self.list)
            row.setData(Qt.ItemDataRole.UserRole, notice.notice_id)
        self.empty.setVisible(not found)
        self.acknowledge_button.setEnabled(bool(found))
        if found:
            self.list.setCurrentRow(0)

    def acknowledge(self) -> None:
        """Acknowledge the highlighted notice."""
        if self.list.currentRow() < 0:
            return
        notice_id = int(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        self._run(lambda s: notices.acknowledge(s, notice_id), lambda _r: self.reload(),
                  self._failed)

    def _failed(self, error: BaseException) -> None:
        self.error.setText(errors.message_for(error))
        self.error.show()
