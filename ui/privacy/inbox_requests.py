"""Data-subject requests in the inbox (ZVH 18.1, 17.5-17.6, 9.5, 10.1).

:class:`DirectorPanel`: the procesregisseur's open requests to look for in their own cases
(the identity is sealed to them for that search), the matching persons, and linking one
after a confirmation that names the person's label and the case.
:class:`TasksPanel`: the providing party's tasks: withhold an item from an inzage with a
reason, or complete the task with its outcome.  Both are keyboard-usable lists with
buttons; every call goes through the inbox's runner (store thread).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _, current_language
from app.services import requests_tasks
from app.views.requests import CandidateView, DirectorRequestView, TaskView
from ui import errors
from ui.casework.forms import ERROR_STYLE, Runner
from ui.privacy.common import day_text
from ui.privacy.request_dialogs import kind_text

OUTCOME_LABELS = {
    "corrected": N_("corrected"), "completed": N_("completed"), "erased": N_("erased"),
    "restricted": N_("restricted"), "objection_upheld": N_("objection upheld"),
    "refused": N_("refused"), "none": N_("nothing to change"),
}
TASK_KINDS = {"decide": N_("decide"), "routed": N_("routed to you (police/OM data)")}


def _error_line() -> QLabel:
    line = QLabel()
    line.setStyleSheet(ERROR_STYLE)
    line.setWordWrap(True)
    line.setAccessibleName(_("Error"))
    line.hide()
    return line


def _key(widget: QListWidget) -> int | None:
    item = widget.currentItem()
    return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))


class DirectorPanel(QWidget):
    """The open requests to find in the procesregisseur's cases."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self.requests: dict[int, DirectorRequestView] = {}
        self.candidates: dict[int, CandidateView] = {}
        self.confirm: QMessageBox | None = None
        layout = QVBoxLayout(self)
        self.error = _error_line()
        layout.addWidget(self.error)
        layout.addWidget(QLabel(_("Open requests to look for in your cases")))
        self.list = QListWidget()
        self.list.setAccessibleName(_("Requests to find"))
        self.list.currentRowChanged.connect(lambda _r: self.find_matches())
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel(_("Matching persons in your cases")))
        self.matches = QListWidget()
        self.matches.setAccessibleName(_("Matching persons"))
        self.matches.itemActivated.connect(lambda _i: self.ask_link())
        layout.addWidget(self.matches, 1)
        self.link_button = QPushButton(_("Link to the request…"))
        self.link_button.setEnabled(False)
        self.link_button.clicked.connect(self.ask_link)
        self.matches.currentRowChanged.connect(lambda _r: self._enable())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.link_button)
        layout.addLayout(row)

    def _failed(self, error: BaseException) -> None:
        self.error.setText(errors.message_for(error))
        self.error.show()

    def reload(self) -> None:
        """Fetch the open requests again."""
        self._run(requests_tasks.requests_for_director, self.show_requests, self._failed)

    def show_requests(self, found: list[DirectorRequestView]) -> None:
        """One line per request: kind, deadline and who it is from."""
        self.requests = {r.request_id: r for r in found}
        self.list.clear()
        self.matches.clear()
        for r in found:
            born = day_text(r.identity.birth_date) if r.identity.birth_date else "—"
            text = _("Request {id} · {kind} · deadline {deadline} · {name} (born {born})"
                     ).format(id=r.request_id, kind=kind_text(r.kind),
                              deadline=day_text(r.deadline_on), name=r.identity.name,
                              born=born)
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, r.request_id)
        if found:
            self.list.setCurrentRow(0)
        self._enable()

    def find_matches(self) -> None:
        """The persons in the director's cases matching the selected request."""
        rid = _key(self.list)
        self.matches.clear()
        self._enable()
        if rid is not None:
            self.error.hide()
            self._run(lambda s: requests_tasks.find_matches(s, rid),
                      lambda found: self.show_matches(rid, found), self._failed)

    def show_matches(self, request_id: int, found: list[CandidateView]) -> None:
        """One line per matching person: case, label, category, date of birth."""
        if _key(self.list) != request_id:
            return
        lang = current_language()
        self.candidates = {c.person_id: c for c in found}
        self.matches.clear()
        for c in found:
            born = {True: _("date of birth matches"), None: _("date of birth unknown"),
                    False: _("date of birth differs")}[c.birth_date_matches]
            state = " · " + _("linked") if c.linked else ""
            item = QListWidgetItem(f"{c.case_ref} · {c.person_label} · {c.category.get(lang)}"
                                   f" · {born}{state}", self.matches)
            item.setData(Qt.ItemDataRole.UserRole, c.person_id)
        if not found:
            QListWidgetItem(_("No person in your cases matches."), self.matches).setFlags(
                Qt.ItemFlag.NoItemFlags)
        else:
            self.matches.setCurrentRow(0)
        self._enable()

    def _enable(self) -> None:
        pid = _key(self.matches) if self.matches.currentItem() is not None and \
            self.matches.currentItem().flags() != Qt.ItemFlag.NoItemFlags else None
        candidate = self.candidates.get(pid) if pid is not None else None
        self.link_button.setEnabled(candidate is not None and not candidate.linked)

    def ask_link(self) -> None:
        """Confirm, naming the person's label and the case, then link."""
        rid = _key(self.list)
        item = self.matches.currentItem()
        if rid is None or item is None or item.flags() == Qt.ItemFlag.NoItemFlags:
            return
        candidate = self.candidates.get(int(item.data(Qt.ItemDataRole.UserRole)))
        if candidate is None or candidate.linked:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Link person"),
                          _("Link {label} of case {case} to request {id}? The providing "
                            "parties of this person's data get a task.").format(
                                label=candidate.person_label, case=candidate.case_ref,
                                id=rid),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.link(rid, candidate.person_id))
        self.confirm = box
        box.open()

    def link(self, request_id: int, person_id: int) -> None:
        """Link ``person_id`` to the request (after the confirmation)."""
        self._run(lambda s: requests_tasks.link_subject(s, request_id, person_id),
                  lambda _r: self.find_matches(), self._failed)


class TasksPanel(QWidget):
    """The providing party's open request tasks."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self.tasks: dict[int, TaskView] = {}
        layout = QVBoxLayout(self)
        self.error = _error_line()
        layout.addWidget(self.error)
        self.note = QLabel()
        self.note.setAccessibleName(_("Status"))
        layout.addWidget(self.note)
        self.empty = QLabel(_("No open request tasks for your party."))
        layout.addWidget(self.empty)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Request tasks"))
        self.list.currentRowChanged.connect(lambda _r: self._selected())
        layout.addWidget(self.list, 1)
        withhold = QHBoxLayout()
        self.item = QComboBox()
        self.item.setAccessibleName(_("Item to withhold"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(_("Reason for withholding"))
        self.reason.setPlaceholderText(_("Reason for withholding (shown in the report)"))
        self.withhold_button = QPushButton(_("Withhold item"))
        self.withhold_button.clicked.connect(self.withhold)
        self.reason.returnPressed.connect(self.withhold)
        withhold.addWidget(self.item)
        withhold.addWidget(self.reason, 1)
        withhold.addWidget(self.withhold_button)
        layout.addLayout(withhold)
        complete = QHBoxLayout()
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(_("Outcome"))
        self.complete_button = QPushButton(_("Complete task"))
        self.complete_button.clicked.connect(self.complete)
        complete.addStretch(1)
        complete.addWidget(self.outcome)
        complete.addWidget(self.complete_button)
        layout.addLayout(complete)
        self._selected()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(errors.message_for(error))
        self.error.show()

    def reload(self) -> None:
        """Fetch the party's open tasks again."""
        self._run(requests_tasks.tasks_for_party, self.show_tasks, self._failed)

    def show_tasks(self, found: list[TaskView]) -> None:
        """One line per task: request, kind, case, persons, what to do, until when."""
        self.tasks = {t.task_id: t for t in found}
        self.list.clear()
        for t in found:
            text = _("Request {id} · {kind} · {case} · {persons} · {task} · until {day}"
                     ).format(id=t.request_id, kind=kind_text(t.request_kind),
                              case=t.case_ref or "—", persons=", ".join(t.person_labels),
                              task=_(TASK_KINDS.get(t.kind, t.kind)),
                              day=day_text(t.deadline_on))
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, t.task_id)
        self.empty.setVisible(not found)
        if found:
            self.list.setCurrentRow(0)
        self._selected()

    def current(self) -> TaskView | None:
        """The selected task."""
        key = _key(self.list)
        return self.tasks.get(key) if key is not None else None

    def _selected(self) -> None:
        task = self.current()
        self.item.clear()
        self.outcome.clear()
        inzage = task is not None and task.request_kind == "inzage" and task.kind == "decide"
        if task is not None:
            for item_id in task.item_ids:
                self.item.addItem(_("item {id}").format(id=item_id), item_id)
            allowed = ("none",) if task.kind == "routed" else \
                requests_tasks.ALLOWED_OUTCOMES.get(task.request_kind, ("none",))
            for outcome in allowed:
                self.outcome.addItem(_(OUTCOME_LABELS.get(outcome, outcome)), outcome)
        for widget in (self.item, self.reason, self.withhold_button):
            widget.setEnabled(inzage and bool(task and task.item_ids))
        self.outcome.setEnabled(task is not None)
        self.complete_button.setEnabled(task is not None)

    def withhold(self) -> None:
        """Withhold the chosen item from the inzage, with the reason typed."""
        task = self.current()
        if task is None or self.item.currentData() is None:
            return
        rid, item_id, reason = task.request_id, int(self.item.currentData()), self.reason.text()
        self.error.hide()
        self.note.clear()
        self._run(lambda s: requests_tasks.withhold(s, rid, item_id, reason),
                  lambda _r: self._withheld(), self._failed)

    def _withheld(self) -> None:
        self.reason.clear()
        self.note.setText(_("The item is withheld from the inzage, with its reason."))

    def complete(self) -> None:
        """Complete the selected task with the chosen outcome."""
        task = self.current()
        if task is None:
            return
        tid, outcome = task.task_id, str(self.outcome.currentData() or "")
        self.error.hide()
        self.note.clear()
        self._run(lambda s: requests_tasks.complete_task(s, tid, outcome),
                  lambda _r: self.reload(), self._failed)
