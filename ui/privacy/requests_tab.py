"""Data-subject requests in the workbench (ZVH 17-20, 18.1 a-h): the list with due and
late badges, the detail of one request, and the forms to register, extend and close.

The detail shows process metadata: how and by whom the identity was verified, the persons
the procesregisseurs linked (case and label), the providing parties' tasks.  The identity
the person gave shows only while the request is open (the service decides).  The inzage
report is made in memory and written only to the file the user chooses.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QWidget,
)
from shiboken6 import Shiboken

from app.i18n import N_, _, current_language
from app.services import requests, requests_inzage
from app.services.reports import save_report
from app.services.session import Session
from app.views.report import ReportResult
from app.views.requests import RequestDetailView, RequestRowView
from ui.casework.forms import Runner
from ui.privacy.common import (
    Tab,
    ask_save_path,
    cell,
    day_text,
    fit_columns,
    paint_badge,
    row_key,
    table,
)
from ui.privacy.request_dialogs import (
    CloseRequestDialog,
    ExtendDialog,
    NewRequestDialog,
    kind_text,
)

STATUS_LABELS = {"open": N_("open"), "closed": N_("closed")}
TASK_KINDS = {"decide": N_("to decide"), "routed": N_("routed (police/OM)")}


def deadline_badge(row: RequestRowView) -> tuple[str, str | None]:
    """The badge text and kind of a request: late, due (within a week) or nothing."""
    if row.late:
        return _("late"), "late"
    if row.due:
        return _("due"), "due"
    if row.status == "closed":
        return _("answered"), "done"
    return "", None


class RequestsTab(Tab):
    """The officer's requests."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        self.officer = ""
        self.rows: dict[int, RequestRowView] = {}
        self.dialog: QDialog | None = None
        top = QHBoxLayout()
        caption = QLabel(_("Show"))
        self.which = QComboBox()
        self.which.setAccessibleName(_("Which requests"))
        caption.setBuddy(self.which)
        for key, label in (("open", _("open requests")), ("", _("all requests")),
                           ("closed", _("closed requests"))):
            self.which.addItem(label, key)
        self.which.currentIndexChanged.connect(lambda _i: self.load())
        top.addWidget(caption)
        top.addWidget(self.which)
        top.addStretch(1)
        self.new_button = QPushButton(_("New request…"))
        self.new_button.clicked.connect(self.new_request)
        top.addWidget(self.new_button)
        refresh = QPushButton(_("Refresh"))
        refresh.clicked.connect(self.load)
        top.addWidget(refresh)
        self.outer.addLayout(top)
        split = QSplitter()
        self.table = table([_("No."), _("Kind"), _("Received"), _("Deadline"), _("Status"),
                            _("Due"), _("Persons"), _("Open tasks")], _("Requests"))
        self.table.itemSelectionChanged.connect(self._selected)
        split.addWidget(self.table)
        detail = QWidget()
        column = QHBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setAccessibleName(_("Request"))
        self.detail.setMinimumWidth(300)
        column.addWidget(self.detail, 1)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([3000, 1000])  # proportions: the list is the main thing
        self.outer.addWidget(split, 1)
        actions = QHBoxLayout()
        self.extend_button = QPushButton(_("Extend…"))
        self.extend_button.clicked.connect(self.extend)
        self.close_button = QPushButton(_("Close with answer…"))
        self.close_button.clicked.connect(self.close_request)
        self.report_button = QPushButton(_("Inzage report…"))
        self.report_button.clicked.connect(self.inzage_report)
        for button in (self.extend_button, self.close_button, self.report_button):
            button.setEnabled(False)
            actions.addWidget(button)
        actions.addStretch(1)
        self.outer.addLayout(actions)
        self.finish_layout()

    # -- list ---------------------------------------------------------------------------
    def load(self) -> None:
        super().load()
        status = str(self.which.currentData() or "") or None
        self.call(lambda s: requests.list_requests(s, status=status), self.show_requests)

    def show_requests(self, found: list[RequestRowView]) -> None:
        """One row per request, most urgent first, with its badge."""
        keep = row_key(self.table)
        self.rows = {r.request_id: r for r in found}
        self.table.setRowCount(0)
        self.table.setRowCount(len(found))
        for n, row in enumerate(found):
            badge, kind = deadline_badge(row)
            deadline = day_text(row.effective_deadline)
            if row.extended_until is not None:
                deadline += " " + _("(extended)")
            values = [str(row.request_id), kind_text(row.kind), day_text(row.received_on),
                      deadline, _(STATUS_LABELS.get(row.status, row.status)), badge,
                      str(row.subjects), str(row.open_tasks)]
            for c, text in enumerate(values):
                item = cell(text, row.request_id if c == 0 else None)
                if c == 5:
                    paint_badge(item, kind)
                self.table.setItem(n, c, item)
        fit_columns(self.table)
        late = sum(r.late for r in found)
        due = sum(r.due for r in found)
        self.status.setText(_("{n} requests · {due} due within a week · {late} late.").format(
            n=len(found), due=due, late=late))
        ids = list(self.rows)
        if keep in self.rows:
            self.table.selectRow(ids.index(int(str(keep))))
        else:
            self._selected()

    def current(self) -> RequestRowView | None:
        """The selected request."""
        key = row_key(self.table)
        return self.rows.get(int(str(key))) if key is not None else None

    def select_request(self, request_id: int) -> None:
        """Select the row of ``request_id`` (after registering it; tests)."""
        ids = list(self.rows)
        if request_id in ids:
            self.table.selectRow(ids.index(request_id))

    def _selected(self) -> None:
        row = self.current()
        is_open = row is not None and row.status == "open"
        self.extend_button.setEnabled(is_open and row is not None
                                      and row.extended_until is None)
        self.close_button.setEnabled(is_open)
        self.report_button.setEnabled(is_open and row is not None and row.kind == "inzage")
        self.detail.clear()
        if row is not None:
            rid = row.request_id
            self.call(lambda s: requests.request_detail(s, rid), self.show_detail)

    def show_detail(self, view: RequestDetailView) -> None:
        """The verification, extension, answer, linked persons and tasks of a request."""
        current = self.current()
        if current is None or current.request_id != view.row.request_id:
            return  # another row was chosen meanwhile
        lang = current_language()
        lines = [_("Request {id} · {kind} · received {received} · deadline {deadline}").format(
            id=view.row.request_id, kind=kind_text(view.row.kind),
            received=day_text(view.row.received_on),
            deadline=day_text(view.row.effective_deadline)),
            _("Identity verified by {by}: {how}").format(by=view.verified_by,
                                                         how=view.verified_how)]
        if view.identity is not None:
            born = day_text(view.identity.birth_date) if view.identity.birth_date else "—"
            lines.append(_("From: {name} (born {born})").format(name=view.identity.name,
                                                               born=born))
        if view.extension_reason:
            lines.append(_("Extended: {reason}").format(reason=view.extension_reason))
        if view.answer:
            lines.append(_("Answered on {day}: {answer}").format(
                day=day_text(view.row.answered_on), answer=view.answer))
        lines.append(_("Persons linked: {n}").format(n=len(view.subjects)))
        lines += [f"• {s.case_ref} · {s.person_label} · {s.category.get(lang)}"
                  + ("" if s.vouched else " · " + _("not vouched")) for s in view.subjects]
        lines.append(_("Tasks: {n} · items withheld: {w}").format(n=len(view.tasks),
                                                                  w=view.withheld))
        for task in view.tasks:
            state = (_("done: {outcome}").format(outcome=task.outcome or "—")
                     if task.done_at else _("open until {day}").format(
                         day=day_text(task.deadline_on)))
            lines.append(f"• {task.party.label(lang)} · {task.case_ref or '—'} · "
                         f"{_(TASK_KINDS.get(task.kind, task.kind))} · {state}")
        self.detail.setText("\n".join(lines))

    # -- forms --------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None and Shiboken.isValid(self.dialog):
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_request(self) -> None:
        """The form to register a request; the list shows it afterwards."""
        self._open(NewRequestDialog(self.officer, self.run, self, done=self._registered))

    def _registered(self, request_id: object) -> None:
        rid = int(str(request_id))
        self.which.setCurrentIndex(0)  # the open requests

        def shown(found: list[RequestRowView]) -> None:
            self.show_requests(found)
            self.select_request(rid)

        self.call(lambda s: requests.list_requests(s, status="open"), shown)

    def extend(self) -> None:
        """The form to extend the selected request."""
        row = self.current()
        if row is not None:
            self._open(ExtendDialog(row, self.run, self, done=lambda _r: self.load()))

    def close_request(self) -> None:
        """The form to close the selected request with its answer."""
        row = self.current()
        if row is not None:
            self._open(CloseRequestDialog(row, self.run, self, done=lambda _r: self.load()))

    def inzage_report(self) -> None:
        """Ask where to save the inzage report of the selected request, then make it."""
        row = self.current()
        if row is None:
            return
        rid = row.request_id
        ask_save_path(self, _("Save inzage report"), f"inzage-{rid}.pdf", "PDF (*.pdf)", "pdf",
                      lambda path: self.save_inzage_report(rid, path))

    def save_inzage_report(self, request_id: int, path: Path) -> None:
        """Make the report (in memory) and write it to ``path`` only."""
        lang = current_language()

        def job(session: Session) -> ReportResult:
            result = requests_inzage.inzage_report(session, request_id, lang)
            save_report(result, path)
            return result

        self.call(job, lambda result: self.status.setText(
            _("Inzage report saved to {path} · document {id} · SHA-256 {sha}").format(
                path=path, id=result.document_id, sha=result.sha256)))

    def clear(self) -> None:
        super().clear()
        self.rows = {}
        self.table.setRowCount(0)
        self.detail.clear()
        for button in (self.extend_button, self.close_button, self.report_button):
            button.setEnabled(False)
