"""The meeting dashboard: date, place, chair, attendance, and the agenda as a table.

Everything here wraps or scrolls rather than widening the window: the window must fit a
1366 px screen with fifteen parties at the table and Dutch or English names.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.views import AgendaItemView, MeetingView
from ui.dates import show_datetime
from ui.models import ID_ROLE, SORT_ROLE, AgendaModel
from ui.widgets import Banner, RedactedDelegate

PARTY_ROLE = Qt.ItemDataRole.UserRole
REFERENCE_ROLE = Qt.ItemDataRole.UserRole + 1
ATTENDANCE_ROWS = 3      # rows of the attendance list before it scrolls
ATTENDANCE_WIDTH = 300   # px per party in the attendance list (longer names elide)
COLUMN_MAX = 320         # px: no agenda column is sized wider by its contents


class Dashboard(QWidget):
    """Shows one :class:`MeetingView`; emits the chair's attendance changes and case opens."""

    open_case = Signal(str)
    presence_changed = Signal(str, bool)
    # The chair: a party left the room for one agenda case (True) or came back (False).
    left_room_changed = Signal(str, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meeting: MeetingView | None = None
        layout = QVBoxLayout(self)
        self.header = QLabel()
        font = QFont(self.header.font())
        font.setPointSize(15)
        font.setBold(True)
        self.header.setFont(font)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        layout.addWidget(QLabel(_("Present:")))
        self.attendance = _attendance_list()
        self.attendance.itemChanged.connect(self._presence_toggled)
        layout.addWidget(self.attendance)
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
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._show_invited)
        layout.addWidget(self.table, 1)
        self.invited = QLabel()
        # The chair's own words are shown: never as rich text.
        self.invited.setTextFormat(Qt.TextFormat.PlainText)
        self.invited.setWordWrap(True)
        layout.addWidget(self.invited)
        self.must_leave = Banner("", "warning")
        self.must_leave.hide()
        layout.addWidget(self.must_leave)
        # Per agenda case, not per meeting: who of those present left the room for it.
        self.room_label = QLabel(_("Left the room for this case:"))
        layout.addWidget(self.room_label)
        self.room = _room_list()
        self.room_label.setBuddy(self.room)
        self.room.itemChanged.connect(self._room_toggled)
        layout.addWidget(self.room)
        self._can_edit = False

    def add_notice(self, widget: QWidget) -> None:
        """Put a notice strip (the retention reminders) above the meeting; it sizes
        itself and scrolls rather than widening the window."""
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, widget)

    def clear(self) -> None:
        """Forget the meeting (lock)."""
        self.meeting = None
        self.header.clear()
        self.model.clear()
        self.invited.clear()
        self.must_leave.clear()
        self.must_leave.hide()
        self.attendance.clear()
        self.room.clear()

    def show_meeting(self, meeting: MeetingView, *, can_edit_attendance: bool) -> None:
        """Render the meeting.  Shown again (attendance changed, view as), it keeps the
        agenda case that was selected, so the chair and the beamer stay on it."""
        keep = (self.current_reference() if self.meeting is not None
                and self.meeting.meeting_id == meeting.meeting_id else None)
        self.meeting = meeting
        chair = meeting.chair or "—"
        self.header.setText(_("Case meeting {when} · {place} · chair {chair}").format(
            when=show_datetime(meeting.starts_at), place=meeting.place, chair=chair))
        self._fill_attendance(meeting, can_edit_attendance)
        self.model.set_items(meeting.agenda)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            header.resizeSection(column, min(header.sectionSize(column), COLUMN_MAX))
        if not (keep and self.select_reference(keep)) and meeting.agenda:
            self.table.selectRow(0)
        self._show_invited()

    def _fill_attendance(self, meeting: MeetingView, can_edit: bool) -> None:
        self._can_edit = can_edit
        self.attendance.blockSignals(True)
        self.attendance.clear()
        for attendee in meeting.attendees:
            text = attendee.party.label() + (f" ({attendee.name})" if attendee.name else "")
            item = QListWidgetItem(text)
            item.setData(PARTY_ROLE, attendee.party.id)
            item.setToolTip(text)  # the full name where the list elides it
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         _("{party} present").format(party=attendee.party.label()))
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if can_edit:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if attendee.present
                               else Qt.CheckState.Unchecked)
            # One cell of the grid: a longer name elides instead of running into the next.
            item.setSizeHint(self.attendance.gridSize() - QSize(6, 0))
            self.attendance.addItem(item)
        self.attendance.blockSignals(False)

    def _presence_toggled(self, item: QListWidgetItem) -> None:
        if self._can_edit:
            self.presence_changed.emit(str(item.data(PARTY_ROLE)),
                                       item.checkState() == Qt.CheckState.Checked)

    def attendance_item(self, party: str) -> QListWidgetItem | None:
        """The attendance entry of ``party``."""
        for row in range(self.attendance.count()):
            item = self.attendance.item(row)
            if item.data(PARTY_ROLE) == party:
                return item
        return None

    def select_reference(self, reference: str) -> bool:
        """Select the agenda case ``reference``, if it is on the agenda (and not filtered
        out); returns whether it is selected."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(ID_ROLE) == reference:
                self.table.selectRow(row)
                return True
        return False

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
            self.room.clear()
            return
        item = self.model.item(index.row())
        lines = [_("Invited for {case}: {parties}").format(
            case=item.row.reference, parties=", ".join(p.label() for p in item.invited) or "—")]
        lines += [_("{party} invited despite a warning: {reason}").format(
            party=party.label(), reason=reason) for party, reason in item.invited_anyway]
        self.invited.setText("\n".join(lines))
        if item.must_leave:
            self.must_leave.setText(_("Not invited for {case}: {parties} — must not be present "
                                      "for this case").format(
                case=item.row.reference, parties=", ".join(p.label() for p in item.must_leave)))
            self.must_leave.show()
        else:
            self.must_leave.hide()
        self._fill_room(item)

    def _fill_room(self, item: AgendaItemView) -> None:
        """The parties present for the selected case, ticked when they left the room for
        it; every one not invited is flagged (the chair ticks it once it has left)."""
        self.room.blockSignals(True)
        self.room.clear()
        must_leave = {p.id for p in item.must_leave}
        left = {p.id for p in item.left_room}
        here = {p.id: p for p in (*item.at_table, *item.left_room)}
        for party in sorted(here.values(), key=lambda p: p.label().casefold()):
            text = party.label()
            if party.id in must_leave:
                text = _("{party} — not invited, must leave the room").format(party=text)
            row = QListWidgetItem(text)
            row.setData(PARTY_ROLE, party.id)
            row.setData(REFERENCE_ROLE, item.row.reference)
            row.setToolTip(text)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if self._can_edit:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            row.setFlags(flags)
            row.setCheckState(Qt.CheckState.Checked if party.id in left
                              else Qt.CheckState.Unchecked)
            if party.id in must_leave:
                row.setData(Qt.ItemDataRole.AccessibleTextRole, text)
                row.setForeground(QColor("#a4000f"))
            self.room.addItem(row)
        self.room.blockSignals(False)

    def room_item(self, party: str) -> QListWidgetItem | None:
        """The "left the room" entry of ``party`` for the selected case."""
        for row in range(self.room.count()):
            if self.room.item(row).data(PARTY_ROLE) == party:
                return self.room.item(row)
        return None

    def _room_toggled(self, row: QListWidgetItem) -> None:
        if self._can_edit:
            self.left_room_changed.emit(str(row.data(REFERENCE_ROLE)),
                                        str(row.data(PARTY_ROLE)),
                                        row.checkState() == Qt.CheckState.Checked)


def _room_list() -> QListWidget:
    """The parties present for one agenda case: a short list that scrolls."""
    view = QListWidget()
    view.setAccessibleName(_("Left the room for this case"))
    row = view.fontMetrics().height() + 8
    view.setFixedHeight(row * ATTENDANCE_ROWS + 2 * view.frameWidth() + 4)
    view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return view


def _attendance_list() -> QListWidget:
    """The attendance as a compact list of checkable parties: it flows into as many
    columns as the width allows and scrolls after a few rows."""
    view = QListWidget()
    view.setAccessibleName(_("Present"))
    view.setFlow(QListView.Flow.LeftToRight)
    view.setWrapping(True)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setUniformItemSizes(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    row = view.fontMetrics().height() + 8
    view.setGridSize(QSize(ATTENDANCE_WIDTH, row))
    view.setFixedHeight(row * ATTENDANCE_ROWS + 2 * view.frameWidth() + 4)
    view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return view
