"""The breach register in the workbench (ZVH 14): the list with the 24-hour and 72-hour
clocks as due/late badges, the entry in full, the forms, and the export.

The register describes kinds and numbers, never persons.  The clocks are computed by the
service from the one clock on every read; the list is fetched again after each write.
"""

from __future__ import annotations

import datetime as dt
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

from app.fsutil import atomic_write
from app.i18n import _
from app.services import breaches
from app.services.session import Session
from app.views.oversight import (
    BREACH_STATUS_LABELS,
    CLOCK_LABELS,
    BreachRowView,
    BreachView,
    ClockState,
    DeadlineView,
)
from ui.casework.forms import Runner
from ui.privacy.breach_dialogs import CloseBreachDialog, NewBreachDialog, UpdateBreachDialog
from ui.privacy.common import (
    Tab,
    ask_save_path,
    cell,
    fit_columns,
    paint_badge,
    row_key,
    table,
    when_text,
)

_BADGE = {ClockState.DUE: "due", ClockState.LATE: "late", ClockState.DONE: "done",
          ClockState.NOT_REQUIRED: "done"}


def clock_text(clock: DeadlineView) -> str:
    """One clock in words: due until, late since, done (on time or late), not required."""
    state = _(CLOCK_LABELS[clock.state])
    if clock.state is ClockState.DONE and clock.done_at is not None:
        timing = _("on time") if clock.on_time else _("too late")
        return f"{state} {when_text(clock.done_at)} ({timing})"
    if clock.state in {ClockState.DUE, ClockState.LATE}:
        return _("{state} · deadline {when}").format(state=state, when=when_text(clock.due_at))
    return state


def clock_badge(clock: DeadlineView) -> str:
    """The badge kind of a clock; a report made after its deadline shows as late."""
    if clock.state is ClockState.DONE and clock.on_time is False:
        return "late"
    return _BADGE[clock.state]


class BreachesTab(Tab):
    """The breach register."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        self.rows: dict[int, BreachRowView] = {}
        self.entry: BreachView | None = None
        self.dialog: QDialog | None = None
        top = QHBoxLayout()
        self.new_button = QPushButton(_("Register breach…"))
        self.new_button.clicked.connect(self.new_breach)
        top.addWidget(self.new_button)
        self.update_button = QPushButton(_("Update…"))
        self.update_button.clicked.connect(self.update_breach)
        top.addWidget(self.update_button)
        self.close_button = QPushButton(_("Close breach…"))
        self.close_button.clicked.connect(self.close_breach)
        top.addWidget(self.close_button)
        top.addStretch(1)
        refresh = QPushButton(_("Refresh"))
        refresh.clicked.connect(self.load)
        top.addWidget(refresh)
        self.outer.addLayout(top)
        split = QSplitter()
        self.table = table([_("No."), _("Discovered"), _("Nature"),
                            _("Privacy officer (24 h)"), _("AP (72 h)"), _("Status")],
                           _("Breach register"))
        self.table.itemSelectionChanged.connect(self._selected)
        split.addWidget(self.table)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setAccessibleName(_("Breach"))
        self.detail.setMinimumWidth(300)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([3000, 1000])  # proportions: the list is the main thing
        self.outer.addWidget(split, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.format = QComboBox()
        self.format.setAccessibleName(_("Export format"))
        for code in breaches.EXPORT_FORMATS:
            self.format.addItem(code.upper(), code)
        actions.addWidget(self.format)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.clicked.connect(self.export)
        actions.addWidget(self.export_button)
        self.outer.addLayout(actions)
        self.finish_layout()
        self._enable()

    # -- list ---------------------------------------------------------------------------
    def load(self) -> None:
        super().load()
        self.call(breaches.list_breaches, self.show_breaches)

    def show_breaches(self, found: list[BreachRowView]) -> None:
        """One row per breach, newest discovery first, with both clocks as badges."""
        keep = row_key(self.table)
        self.rows = {b.breach_id: b for b in found}
        self.table.setRowCount(0)
        self.table.setRowCount(len(found))
        for n, row in enumerate(found):
            values = [str(row.breach_id), when_text(row.discovered_at), row.nature,
                      clock_text(row.officer), clock_text(row.ap),
                      _(BREACH_STATUS_LABELS.get(row.status, row.status))]
            for c, text in enumerate(values):
                item = cell(text, row.breach_id if c == 0 else None,
                            tooltip=text if c == 2 else None)
                if c == 3:
                    paint_badge(item, clock_badge(row.officer))
                elif c == 4:
                    paint_badge(item, clock_badge(row.ap))
                self.table.setItem(n, c, item)
        fit_columns(self.table, 240)
        late = sum(ClockState.LATE in (r.officer.state, r.ap.state) for r in found)
        self.status.setText(_("{n} breaches · {open} open · {late} with a late report.").format(
            n=len(found), open=sum(r.status == "open" for r in found), late=late))
        ids = list(self.rows)
        if keep in self.rows:
            self.table.selectRow(ids.index(int(str(keep))))
        else:
            self._selected()

    def current(self) -> BreachRowView | None:
        """The selected breach."""
        key = row_key(self.table)
        return self.rows.get(int(str(key))) if key is not None else None

    def select_breach(self, breach_id: int) -> None:
        """Select the row of ``breach_id``."""
        ids = list(self.rows)
        if breach_id in ids:
            self.table.selectRow(ids.index(breach_id))

    def _enable(self) -> None:
        entry = self.entry
        is_open = entry is not None and entry.status == "open"
        self.update_button.setEnabled(is_open)
        self.close_button.setEnabled(is_open)

    def _selected(self) -> None:
        row = self.current()
        self.entry = None
        self.detail.clear()
        self._enable()
        if row is not None:
            bid = row.breach_id
            self.call(lambda s: breaches.breach_detail(s, bid), self.show_entry)

    def show_entry(self, view: BreachView) -> None:
        """The entry in full."""
        current = self.current()
        if current is None or current.breach_id != view.breach_id:
            return
        self.entry = view
        self._enable()
        lines = [
            _("Breach {id}, discovered {when}, registered by {by}").format(
                id=view.breach_id, when=when_text(view.discovered_at), by=view.reported_by),
            _("Nature: {text}").format(text=view.nature),
            _("Personal data concerned: {text}").format(text=view.data_concerned),
            _("Persons concerned: {text}").format(text=view.persons_concerned),
            _("Consequences: {text}").format(text=view.consequences or "—"),
            _("Corrective measures: {text}").format(text=view.measures or "—"),
            _("Notification text: {text}").format(text=view.notification_text or "—"),
            _("Privacy officer (24 h): {state}").format(state=clock_text(view.officer)),
            _("AP (72 h): {state}").format(state=clock_text(view.ap)),
        ]
        if view.ap_not_required:
            lines.append(_("No notification to the AP: {reason}").format(
                reason=view.ap_not_required))
        if view.closed_at is not None:
            lines.append(_("Closed {when}").format(when=when_text(view.closed_at)))
        self.detail.setText("\n".join(lines))

    # -- forms --------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None and Shiboken.isValid(self.dialog):
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        return dialog

    def _written(self, breach_id: int) -> None:
        def shown(found: list[BreachRowView]) -> None:
            self.show_breaches(found)
            self.select_breach(breach_id)

        self.call(breaches.list_breaches, shown)

    def new_breach(self) -> None:
        """The form to register a breach."""
        self._open(NewBreachDialog(self.run, self,
                                   done=lambda bid: self._written(int(str(bid)))))

    def update_breach(self) -> None:
        """The form to record what happened since, for the selected breach."""
        if self.entry is not None:
            self._open(UpdateBreachDialog(self.entry, self.run, self,
                                          done=lambda v: self._written(v.breach_id)))

    def close_breach(self) -> None:
        """Close the selected breach."""
        if self.entry is not None:
            self._open(CloseBreachDialog(self.entry, self.run, self,
                                         done=lambda v: self._written(v.breach_id)))

    # -- export -------------------------------------------------------------------------
    def export(self) -> None:
        """Ask where to save the whole register."""
        fmt = str(self.format.currentData())
        ask_save_path(self, _("Export breach register"),
                      f"datalekken-{dt.date.today().isoformat()}.{fmt}",  # noqa: DTZ011
                      f"{fmt.upper()} (*.{fmt})", fmt, lambda path: self.export_to(path, fmt))

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the register in ``fmt`` to ``path`` only."""
        def job(session: Session) -> None:
            atomic_write(path, breaches.export_breaches(session, fmt))

        self.call(job, lambda _r: self.status.setText(
            _("Written to {path}.").format(path=path)))

    def clear(self) -> None:
        super().clear()
        self.rows = {}
        self.entry = None
        self.table.setRowCount(0)
        self.detail.clear()
        self._enable()
