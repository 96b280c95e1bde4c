"""The audit trail viewer (issue 11, point 2): filters, the lazy table, the check of the
chain in plain words with its witnesses, and the export of the chain with a signed head,
written only to the file the user chose.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.fsutil import atomic_write
from app.i18n import N_, _, current_language
from app.services import admin, registers_audit
from app.services.session import Session
from app.views.registers import AuditFilter, AuditRow, AuditVerdict
from ui.casework.forms import Runner
from ui.dates import show_datetime
from ui.privacy.common import PeriodFields, Tab, ask_save_path, when_text
from ui.privacy.paged import Column, PagedModel
from ui.privacy.registers_tab import lazy_table, optional_text


def _lang() -> str:
    return current_language()


# The entry's outcome in words; the stored code stays in the tooltip.
_STATUS = {"ok": N_("done"), "error": N_("refused or failed")}


def _action(row: AuditRow) -> str:
    return row.label or row.name


def _action_tooltip(row: AuditRow) -> str:
    """The raw entry name (what the CLI, the export and the filter use) and the entry's
    attributes, for the officer who wants the detail."""
    return "\n".join([row.name, *(f"{k} = {v}" for k, v in row.attributes)])


def _status(row: AuditRow) -> str:
    return _(_STATUS[row.status]) if row.status in _STATUS else row.status


def _object(row: AuditRow) -> str:
    """The object as the service names it, a meeting with its date (ui-guide format)."""
    if row.object_type is None:
        return "—"
    text = row.object_label or row.object_type
    if row.object_when is not None:
        text = f"{text} · {show_datetime(row.object_when)}"
    return text


def _object_tooltip(row: AuditRow) -> str | None:
    if row.object_type is None:
        return None
    return f"{row.object_type}:{row.object_id}" if row.object_id else row.object_type


def _subject(row: AuditRow) -> str:
    if row.data_subject_id is None:
        return "—"
    return row.subject_label or _("a person no longer in the store")


def _subject_tooltip(row: AuditRow) -> str | None:
    if row.data_subject_id is None:
        return None
    return f"{row.data_subject_id_type or ''} {row.data_subject_id}".strip()


def _activity(row: AuditRow) -> str:
    if row.processing_activity_id is None:
        return "—"
    if row.activity_name is not None:
        return row.activity_name.get(_lang())
    return row.processing_activity_id


def audit_columns() -> list[Column[AuditRow]]:
    """The trail's columns, headers in the current language: the entries in words, the
    raw names and ids in the tooltips."""
    return [
        Column("#", lambda r: str(r.seq), sort="seq"),
        Column(_("When"), lambda r: when_text(r.start_time)),
        Column(_("User"), lambda r: r.username, sort="user"),
        Column(_("Party"), lambda r: r.party.label(_lang()) if r.party else "—"),
        Column(_("Action"), _action, tooltip=_action_tooltip, sort="name"),
        Column(_("Status"), _status, tooltip=lambda r: r.status, sort="status"),
        Column(_("Object"), _object, tooltip=_object_tooltip),
        Column(_("Data subject"), _subject, tooltip=_subject_tooltip),
        Column(_("Activity"), _activity, tooltip=lambda r: r.processing_activity_id),
    ]


class AuditTab(Tab):
    """The audit trail: filters, the lazy table, the check in plain words, the export of
    the chain with a signed head."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        self.filter = AuditFilter()
        grid = QGridLayout()
        self.user = QLineEdit()
        self.action = QLineEdit()
        self.action.setPlaceholderText(_("e.g. case.read or request.*"))
        self.case = QLineEdit()
        self.case.setPlaceholderText("ZVH-0001")
        self.period = PeriodFields()
        for n, (label, widget) in enumerate(((_("User"), self.user),
                                             (_("Action"), self.action),
                                             (_("Case"), self.case))):
            caption = QLabel(label)
            caption.setBuddy(widget)
            widget.setAccessibleName(label)
            widget.returnPressed.connect(self.apply)
            grid.addWidget(caption, 0, n * 2)
            grid.addWidget(widget, 0, n * 2 + 1)
        grid.addWidget(self.period, 1, 0, 1, 4)
        apply = QPushButton(_("Apply filter"))
        apply.clicked.connect(self.apply)
        reset = QPushButton(_("Reset"))
        reset.clicked.connect(self.reset)
        buttons = QHBoxLayout()
        buttons.addWidget(apply)
        buttons.addWidget(reset)
        grid.addLayout(buttons, 1, 4, 1, 2)
        self.outer.addLayout(grid)
        self.model: PagedModel[AuditRow] = PagedModel(audit_columns(), self._count, self._page)
        self.model.modelReset.connect(self._counted)
        self.view = lazy_table(self.model, _("Audit trail"), (6, 15, 12, 15, 20, 6, 16, 8, 14))
        self.outer.addWidget(self.view, 1)
        actions = QHBoxLayout()
        self.verify_button = QPushButton(_("Verify"))
        self.verify_button.clicked.connect(self.verify)
        actions.addWidget(self.verify_button)
        actions.addStretch(1)
        self.export_button = QPushButton(_("Export chain and signed head…"))
        self.export_button.clicked.connect(self.export)
        actions.addWidget(self.export_button)
        self.outer.addLayout(actions)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(_("Verdict"))
        self.outer.addWidget(self.verdict)
        self.finish_layout()

    def read_filter(self) -> AuditFilter:
        """The filter as typed."""
        start, end = self.period.value()
        return AuditFilter(username=optional_text(self.user.text()),
                           name=optional_text(self.action.text()),
                           case_ref=optional_text(self.case.text()),
                           date_from=start, date_to=end)

    def load(self) -> None:
        super().load()
        self.apply()

    def apply(self) -> None:
        """Count the entries of the filter as typed."""
        self.loaded = True
        self.filter = self.read_filter()
        self.hide_error()
        self.model.reload()

    def reset(self) -> None:
        """Every filter field open again."""
        for line in (self.user, self.action, self.case):
            line.clear()
        self.period.reset()
        self.apply()

    def _count(self, then: Callable[[int], None]) -> None:
        f = self.filter
        self.run(lambda s: registers_audit.count_audit(s, f), then, self.failed)

    def _page(self, start: int, size: int, sort: str | None, descending: bool,
              then: Callable[[list[AuditRow]], None]) -> None:
        f = self.filter
        self.run(lambda s: registers_audit.audit_page(s, f, start, size, sort=sort,
                                                      descending=descending),
                 then, self.failed)

    def _counted(self) -> None:
        if self.loaded:
            self.status.setText(_("{n} entries match the filter.").format(
                n=self.model.rowCount()))

    def verify(self) -> None:
        """Check the chain and its witnesses; the verdict in plain words."""
        self.verdict.setText(_("Checking the audit trail…"))
        self.call(registers_audit.audit_verdict, self.show_verdict)

    def show_verdict(self, verdict: AuditVerdict) -> None:
        """The sentence and one line per witness."""
        names = {"head_file": _("Signed head file in the store folder"),
                 "this_computer": _("This computer's record")}
        lines = [verdict.sentence]
        for witness in verdict.witnesses:
            state = {True: _("agrees"), False: _("disagrees"), None: _("nothing to compare")
                     }[witness.ok]
            seq = " (" + _("entry {seq}").format(seq=witness.seq) + ")" if witness.seq else ""
            lines.append(f"• {names.get(witness.kind, witness.kind)}: {state}{seq}")
        self.verdict.setText("\n".join(lines))
        self.verdict.setStyleSheet("" if verdict.ok else "color: #a4000f; font-weight: bold;")

    def export(self) -> None:
        """Ask where to save the chain (JSON Lines); the signed head goes beside it."""
        suggested = f"audit-{dt.date.today().isoformat()}.jsonl"  # noqa: DTZ011
        ask_save_path(self, _("Export audit trail"), suggested, "JSON Lines (*.jsonl)",
                      "jsonl", self.export_to)

    def export_to(self, path: Path) -> None:
        """The selected entries (all without a filter) to ``path`` and the signed head to
        ``<path>.head``; both written only there."""
        f = self.read_filter()
        head_path = path.with_name(path.name + ".head")

        def job(session: Session) -> int:
            count, lines = registers_audit.export_audit(session, f)
            # Streamed next to the target, then moved into place (as the CLI does): a big
            # chain never sits in memory and a half-written export never stands.
            partial = path.with_name(path.name + ".partial")
            try:
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.writelines(lines)
                    out.flush()
                    os.fsync(out.fileno())
                partial.replace(path)
            finally:
                partial.unlink(missing_ok=True)
            atomic_write(head_path, admin.export_head(session))
            return count

        self.call(job, lambda n: self.status.setText(
            _("{n} entries written to {path}; the signed head to {head}.").format(
                n=n, path=path, head=head_path)))

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self.verdict.clear()
        for line in (self.user, self.action, self.case):
            line.clear()
        self.period.reset()
        self.filter = AuditFilter()
