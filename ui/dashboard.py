"""The meeting dashboard: date, place, chair, attendance, and the agenda as a table."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, format_datetime
from app.views import MeetingView
from ui.models import ID_ROLE, SORT_ROLE, AgendaModel
from ui.widgets import Banner, RedactedDelegate

ATTENDANCE_COLUMNS = 4


class Dashboard(QWidget):
    """Shows one :class:`MeetingView`; emits the chair's attendance changes and case opens."""

    open_case = Signal(str)
    presence_changed = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meeting: MeetingView | None = None
        layout = QVBoxLayout(self)
        self.header = QLabel()
        font = QFont(self.header.font())
        font.setPointSize(15)
        font.setBold(True)
        self.header.setFont(font)
        layout.addWidget(self.header)
        layout.addWidget(QLabel(_("Present:")))
        # A grid, not a row: a table of 15 parties must not make the window 3000 px wide.
        self.attendance_box = QGridLayout()
        layout.addLayout(self.attendance_box)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter the agenda…"))
        self.filter.setAccessibleName(_("Filter the agenda"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.model = AgendaModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setItemDelegate(RedactedDelegate(self.table))
        self.table.setAccessibleName(_("Agenda"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._show_invited)
        layout.addWidget(self.table, 1)
        self.invited = QLabel()
        self.invited.setWordWrap(True)
        layout.addWidget(self.invited)
        self.must_leave = Banner("", "warning")
        self.must_leave.hide()
        layout.addWidget(self.must_leave)
        self._checks: list[QCheckBox] = []

    def clear(self) -> None:
        """Forget the meeting (lock)."""
        self.meeting = None
        self.header.clear()
        self.model.clear()
        self.invited.clear()
        self.must_leave.clear()
        self.must_leave.hide()
        for check in self._checks:
            check.deleteLater()
        self._checks = []

    def show_meeting(self, meeting: MeetingView, *, can_edit_attendance: bool) -> None:
        """Render the meeting."""
        self.meeting = meeting
        chair = meeting.chair or "—"
        self.header.setText(_("Case meeting {when} · {place} · chair {chair}").format(
            when=format_datetime(meeting.starts_at, "medium"), place=meeting.place, chair=chair))
        for check in self._checks:
            self.attendance_box.removeWidget(check)
            check.deleteLater()
        self._checks = []
        for index, attendee in enumerate(meeting.attendees):
            text = attendee.party.label() + (f" ({attendee.name})" if attendee.name else "")
            check = QCheckBox(text)
            check.setChecked(attendee.present)
            check.setEnabled(can_edit_attendance)
            check.setAccessibleName(_("{party} present").format(party=attendee.party.label()))
            party_id = attendee.party.id
            check.toggled.connect(lambda on, p=party_id: self.presence_changed.emit(p, on))
            self.attendance_box.addWidget(check, index // ATTENDANCE_COLUMNS,
                                          index % ATTENDANCE_COLUMNS)
            self._checks.append(check)
        self.model.set_items(meeting.agenda)
        self.table.resizeColumnsToContents()
        if meeting.agenda:
            self.table.selectRow(0)
        self._show_invited()

    def current_reference(self) -> str | None:
        """The selected agenda case."""
        index = self.table.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def _open_index(self, index: object) -> None:
        reference = self.current_reference()
        if reference:
            self.open_case.emit(reference)

    def _show_invited(self, *args: object) -> None:
        index = self.proxy.mapToSource(self.table.currentIndex())
        if not index.isValid():
            self.invited.clear()
            self.must_leave.hide()
            return
        item = self.model.item(index.row())
        self.invited.setText(_("Invited for {case}: {parties}").format(
            case=item.row.reference, parties=", ".join(p.label() for p in item.invited) or "—"))
        if item.must_leave:
            self.must_leave.setText(_("Not invited for {case}: {parties} — must not be present "
                                      "for this case").format(
                case=item.row.reference, parties=", ".join(p.label() for p in item.must_leave)))
            self.must_leave.show()
        else:
            self.must_leave.hide()
