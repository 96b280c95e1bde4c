"""The disclosure register: a lazy, filterable table (issue 11, point 1).

The register (and the audit trail, :mod:`ui.privacy.audit_tab`) holds hundreds of
thousands of rows on a large store, so each table is a
:class:`ui.privacy.paged.PagedModel`: the count when a filter changes, one page when the
view first shows one of its rows.  A click on a sortable column's header sorts in the
service (SQL), newest first by default.  Exports run in
the store thread and are written only to the file the user chose in the save dialog.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from app.fsutil import atomic_write
from app.i18n import N_, _, current_language
from app.services import registers
from app.services.session import Session
from app.views import PartyRef
from app.views.registers import CHANNELS, DisclosureFilter, DisclosureRow, ReportRef
from ui.casework.forms import Runner, chosen, party_options, picker
from ui.privacy.common import PeriodFields, Tab, ask_save_path, when_text
from ui.privacy.paged import Column, PagedModel

CHANNEL_LABELS = {"screen": N_("screen"), "report": N_("report"), "export": N_("export")}
EXPORT_FORMATS = (("csv", "CSV"), ("json", "JSON"), ("ldv", "LDV (JSON Lines)"))
_SUFFIX = {"csv": "csv", "json": "json", "ldv": "jsonl"}


def _lang() -> str:
    return current_language()


def _channel(code: str) -> str:
    return _(CHANNEL_LABELS[code]) if code in CHANNEL_LABELS else code


def optional_text(value: str) -> str | None:
    value = value.strip()
    return value or None


def _sorted_section(model: QAbstractItemModel) -> int:
    if isinstance(model, PagedModel) and model.sort_key is not None:
        keys = [c.sort for c in model.columns]
        if model.sort_key in keys:
            return keys.index(model.sort_key)
    return 0


def _order(model: QAbstractItemModel) -> Qt.SortOrder:
    descending = not isinstance(model, PagedModel) or model.descending
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


def lazy_table(model: QAbstractItemModel, name: str, widths: tuple[int, ...]) -> QTableView:
    """A lazy table; ``widths`` in characters (sizing to the contents would fetch rows)."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    # Sorting is done by the service, in SQL (the table holds one page at a time).  Not
    # setSortingEnabled: that sorts at once, before the user unlocked; a click on a
    # sortable column's header asks the model, which reloads in the new order.
    header = view.horizontalHeader()
    header.setSortIndicatorShown(True)
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    header.setSectionsClickable(True)

    def clicked(section: int) -> None:
        if not isinstance(model, PagedModel) or model.columns[section].sort is None:
            header.setSortIndicator(_sorted_section(model), _order(model))
            return
        same = model.columns[section].sort == model.sort_key or (
            model.sort_key is None and section == 0)
        order = (Qt.SortOrder.AscendingOrder if same and model.descending
                 else Qt.SortOrder.DescendingOrder)
        header.setSortIndicator(section, order)
        model.sort(section, order)

    header.sectionClicked.connect(clicked)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    char = view.fontMetrics().horizontalAdvance("0")
    for column, chars in enumerate(widths):
        view.setColumnWidth(column, chars * char + 12)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view


def _person(row: DisclosureRow) -> str:
    if row.person is None:
        return _("whole case")
    return f"{row.person.label} · {row.person.id}"


def disclosure_columns() -> list[Column[DisclosureRow]]:
    """The register's columns, headers in the current language."""
    return [
        Column(_("When"), lambda r: when_text(r.disclosed_at), sort="when"),
        Column(_("Case"), lambda r: r.case_ref, sort="case"),
        Column(_("Person"), _person),
        Column(_("Provided by"), lambda r: r.provider.label(_lang()), sort="provider"),
        Column(_("Received by"), lambda r: r.recipient.label(_lang()), sort="recipient"),
        Column(_("User"), lambda r: r.username, sort="user"),
        Column(_("Activity"), lambda r: r.activity_name.get(_lang()) if r.activity_name
               else r.activity),
        Column(_("Legal basis"), lambda r: r.legal_basis, tooltip=lambda r: r.necessity or None),
        Column(_("Channel"), lambda r: _channel(r.channel), sort="channel"),
        Column(_("Document"), lambda r: r.document_id or "—"),
    ]


class DisclosuresTab(Tab):
    """The disclosure register (ZVH 8.1): filters, the lazy table, the report a row came
    from, and the LDV export of the selected rows."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        self.filter = DisclosureFilter()
        grid = QGridLayout()
        self.person = QLineEdit()
        self.person.setValidator(QIntValidator(1, 2**31 - 1, self.person))
        self.person.setPlaceholderText(_("person id"))
        # Filled with the covenant's parties after unlocking (set_parties).
        self.provider = picker([], none=_("any party"))
        self.recipient = picker([], none=_("any party"))
        self.channel = QComboBox()
        self.channel.addItem(_("any channel"), "")
        for code in CHANNELS:
            self.channel.addItem(_channel(code), code)
        self.basis = QLineEdit()
        self.basis.setPlaceholderText(_("exactly as recorded"))
        self.case = QLineEdit()
        self.case.setPlaceholderText("ZVH-0001")
        self.period = PeriodFields()
        fields = ((_("Data subject (person id)"), self.person),
                  (_("Providing party"), self.provider), (_("Receiving party"), self.recipient),
                  (_("Channel"), self.channel), (_("Legal basis"), self.basis),
                  (_("Case"), self.case))
        for n, (label, widget) in enumerate(fields):
            caption = QLabel(label)
            caption.setBuddy(widget)
            widget.setAccessibleName(label)
            grid.addWidget(caption, n // 3, (n % 3) * 2)
            grid.addWidget(widget, n // 3, (n % 3) * 2 + 1)
        grid.addWidget(self.period, 2, 0, 1, 4)
        apply = QPushButton(_("Apply filter"))
        apply.clicked.connect(self.apply)
        reset = QPushButton(_("Reset"))
        reset.clicked.connect(self.reset)
        buttons = QHBoxLayout()
        buttons.addWidget(apply)
        buttons.addWidget(reset)
        grid.addLayout(buttons, 2, 4, 1, 2)
        for line in (self.person, self.basis, self.case):
            line.returnPressed.connect(self.apply)
        self.outer.addLayout(grid)
        self.model: PagedModel[DisclosureRow] = PagedModel(
            disclosure_columns(), self._count, self._page)
        self.model.modelReset.connect(self._counted)
        self.view = lazy_table(self.model, _("Disclosure register"),
                                (15, 8, 6, 15, 15, 10, 13, 16, 6, 10))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.outer.addWidget(self.view, 1)
        actions = QHBoxLayout()
        self.open_report = QPushButton(_("Open report"))
        self.open_report.setEnabled(False)
        self.open_report.clicked.connect(self.show_report)
        actions.addWidget(self.open_report)
        self.report = QLabel()
        self.report.setAccessibleName(_("Report"))
        self.report.setWordWrap(True)
        actions.addWidget(self.report, 1)
        self.format = QComboBox()
        self.format.setAccessibleName(_("Export format"))
        for code, label in EXPORT_FORMATS:
            self.format.addItem(label, code)
        actions.addWidget(self.format)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.clicked.connect(self.export)
        actions.addWidget(self.export_button)
        self.outer.addLayout(actions)
        self.finish_layout()

    def set_parties(self, parties: list[PartyRef]) -> None:
        """The covenant's parties in the two party choosers (after unlocking)."""
        for combo in (self.provider, self.recipient):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("any party"), "")
            for key, label in sorted(party_options(parties), key=lambda o: o[1].casefold()):
                combo.addItem(label, key)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)

    # -- filter and loading -------------------------------------------------------------
    def read_filter(self) -> DisclosureFilter:
        """The filter as typed (empty fields are open)."""
        person = self.person.text().strip()
        start, end = self.period.value()
        return DisclosureFilter(
            person_id=int(person) if person else None,
            provider=chosen(self.provider) or None,
            recipient=chosen(self.recipient) or None,
            channel=str(self.channel.currentData() or "") or None,
            legal_basis=optional_text(self.basis.text()), case_ref=optional_text(self.case.text()),
            date_from=start, date_to=end)

    def load(self) -> None:
        super().load()
        self.apply()

    def apply(self) -> None:
        """Count the rows of the filter as typed; pages follow as they are shown."""
        self.loaded = True
        self.filter = self.read_filter()
        self.report.clear()
        self.hide_error()
        self.model.reload()

    def reset(self) -> None:
        """Every filter field open again."""
        for line in (self.person, self.basis, self.case):
            line.clear()
        for combo in (self.provider, self.recipient, self.channel):
            combo.setCurrentIndex(0)
        self.period.reset()
        self.apply()

    def _count(self, then: Callable[[int], None]) -> None:
        f = self.filter
        self.run(lambda s: registers.count_disclosures(s, f), then, self.failed)

    def _page(self, start: int, size: int, sort: str | None, descending: bool,
              then: Callable[[list[DisclosureRow]], None]) -> None:
        f = self.filter
        self.run(lambda s: registers.disclosure_page(s, f, start, size, sort=sort,
                                                     descending=descending),
                 then, self.failed)

    def _counted(self) -> None:
        if self.loaded:
            self.status.setText(_("{n} disclosures match the filter.").format(
                n=self.model.rowCount()))

    def _selected(self) -> None:
        row = self.model.row_object(self.view.currentIndex().row())
        self.open_report.setEnabled(row is not None and row.document_id is not None)

    # -- report and export --------------------------------------------------------------
    def show_report(self) -> None:
        """The document id and SHA-256 of the report the selected row came from."""
        row = self.model.row_object(self.view.currentIndex().row())
        if row is None or row.document_id is None:
            return
        document = row.document_id
        self.call(lambda s: registers.report_of(s, document), self._report_shown)

    def _report_shown(self, ref: ReportRef) -> None:
        self.report.setText(_("Document {id} · {kind} · {pages} pages · {when} · SHA-256 {sha}"
                              ).format(id=ref.document_id, kind=ref.kind, pages=ref.pages,
                                       when=when_text(ref.created_at), sha=ref.sha256))

    def export(self) -> None:
        """Ask where to save the selected rows as LDV lines."""
        fmt = str(self.format.currentData())
        suggested = f"verstrekkingen-{dt.date.today().isoformat()}.{_SUFFIX[fmt]}"  # noqa: DTZ011
        ask_save_path(self, _("Export disclosures"), suggested,
                      f"{fmt.upper()} (*.{_SUFFIX[fmt]})", _SUFFIX[fmt],
                      lambda path: self.export_to(path, fmt))

    def export_to(self, path: Path, fmt: str) -> None:
        """Export the rows of the filter as typed to ``path`` (the service refuses an
        export without any filter; its sentence is shown)."""
        f = self.read_filter()

        def job(session: Session) -> int:
            lines = registers.ldv_lines(session, f)
            atomic_write(path, registers.render_lines(lines, fmt).encode("utf-8"))
            return len(lines)

        self.call(job, lambda n: self.status.setText(
            _("{n} lines written to {path}.").format(n=n, path=path)))

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self.report.clear()
        for line in (self.person, self.basis, self.case):
            line.clear()
        for combo in (self.provider, self.recipient, self.channel):
            combo.setCurrentIndex(0)
        self.period.reset()
        self.filter = DisclosureFilter()
