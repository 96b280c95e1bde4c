"""Qt item models over redacted views.

Models hold view objects (or, for the big case list, only ids plus a cache of display
rows fetched page by page, as Anki's browser does).  A redacted value is shown as its
one-line placeholder with the reason in the tooltip and ``REDACTED_ROLE`` set, so a
delegate can paint it differently from an empty cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.i18n import N_, _, format_date, format_datetime, ngettext
from app.views import AgendaItemView, CaseRowView, MeetingSummary, Redacted, Value
from ui.dates import DATE, DATETIME

REDACTED_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
PageCallback = Callable[[list[CaseRowView]], None]


def value_text(value: Value | None) -> str:
    """Display text for a value: the value, the placeholder, or an em dash for no data."""
    if value is None:
        return "—"
    if isinstance(value, Redacted):
        return "▒ " + value.short()
    return value


def value_tooltip(value: Value | None) -> str | None:
    """Tooltip: the full reason and article for a placeholder."""
    return value.explanation() if isinstance(value, Redacted) else None


def flags_text(row: CaseRowView) -> str:
    """Short flags for the chair."""
    parts = []
    if row.flags.consent_missing:
        parts.append(_("consent missing"))
    if row.flags.reassessment_needed:
        parts.append(_("re-assessment needed"))
    return ", ".join(parts)


NOT_APPOINTED = N_("not yet appointed")


def _case_director_text(row: CaseRowView) -> str:
    # The row always carries the casusregisseur's party, withheld row or not: none means
    # none appointed yet, said in words ("—" would read as withheld on a masked row).
    if row.casusregisseur_party is not None:
        return row.casusregisseur_party.label()
    return _(NOT_APPOINTED)


def _actions_text(row: CaseRowView) -> str:
    if not row.content_visible:
        # Withheld, not "no data": the placeholder word, never the em dash (issue 13, 9).
        return "▒ " + _("Masked")
    if row.overdue_actions:
        return f"{row.open_actions} ({row.overdue_actions}!)"
    return str(row.open_actions)


def _updated_text(value: str) -> str:
    """A stored UTC timestamp as a local date and time in the ui-guide's format."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value[:16]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return format_datetime(moment.astimezone().replace(tzinfo=None), DATETIME)


class _RowColumns:
    """Columns shared by the agenda and the case list."""

    headers: tuple[str, ...] = ()

    @staticmethod
    def cell(row: CaseRowView, column: int, role: int) -> Any:
        getters: tuple[Callable[[CaseRowView], Any], ...] = (
            lambda r: r.reference,
            lambda r: r.name,
            lambda r: r.phase.get(_lang()),
            _case_director_text,
            _actions_text,
            flags_text,
            lambda r: _updated_text(r.updated_at),
        )
        value = getters[column](row)
        if role == Qt.ItemDataRole.DisplayRole:
            return value_text(value) if column == 1 else value
        if role == Qt.ItemDataRole.ToolTipRole:
            return value_tooltip(value) if column == 1 else None
        if role == REDACTED_ROLE:
            return column == 1 and isinstance(value, Redacted)
        if role == SORT_ROLE:
            if column == 4:
                # One number: Qt cannot compare Python tuples (overdue first, then open).
                return row.overdue_actions * 1_000_000 + row.open_actions
            return value_text(value) if column == 1 else value
        if role == ID_ROLE:
            return row.reference
        return None


def _lang() -> str:
    from app.i18n import current_language

    return current_language()


def case_headers() -> list[str]:
    """Column titles of case tables."""
    return [_("Case"), _("Person concerned"), _("Phase"), _("Case director"), _("Actions"),
            _("Flags"), _("Last change")]


class AgendaModel(QAbstractTableModel):
    """The agenda of a meeting: one row per case the viewer may know of."""

    def __init__(self) -> None:
        super().__init__()
        self._items: list[AgendaItemView] = []

    def set_items(self, items: Sequence[AgendaItemView]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def clear(self) -> None:
        """Drop every row (lock)."""
        self.set_items([])

    def item(self, row: int) -> AgendaItemView:
        """The agenda item of a row."""
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 8

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return ["#", *case_headers()][section] if 0 <= section < 8 else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        if not 0 <= index.column() < 8:
            return None
        item = self._items[index.row()]
        if index.column() == 0:
            if role in {Qt.ItemDataRole.DisplayRole, SORT_ROLE}:
                return item.position
            if role == ID_ROLE:
                return item.row.reference
            return None
        return _RowColumns.cell(item.row, index.column() - 1, role)


class MeetingListModel(QAbstractListModel):
    """Meetings, upcoming first."""

    def __init__(self) -> None:
        super().__init__()
        self._meetings: list[MeetingSummary] = []

    def set_meetings(self, meetings: Sequence[MeetingSummary]) -> None:
        """Replace the list."""
        self.beginResetModel()
        self._meetings = list(meetings)
        self.endResetModel()

    def meeting(self, row: int) -> MeetingSummary:
        """The meeting of a row."""
        return self._meetings[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._meetings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._meetings):
            return None
        m = self._meetings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = format_datetime(m.starts_at, DATETIME)
            marker = "▸" if m.upcoming else " "
            cases = ngettext("{n} case", "{n} cases", m.cases).format(n=m.cases)
            return f"{marker} {when} · {m.place} · {cases}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("upcoming") if m.upcoming else _("earlier")
        if role == ID_ROLE:
            return m.meeting_id
        return None


class CaseListModel(QAbstractTableModel):
    """All cases the viewer may know of: ids up front, display rows fetched in pages.

    Sorting and filtering happen in SQL (the service returns ordered ids).  Rows are asked
    for a page at a time from the store thread, asynchronously: until a page arrives its
    cells are empty, then ``dataChanged`` fills them, so scrolling never blocks the GUI.
    """

    PAGE = 100

    def __init__(self, request_rows: Callable[[list[int], PageCallback], None]) -> None:
        super().__init__()
        self._request = request_rows
        self._ids: list[int] = []
        self._rows: dict[int, CaseRowView] = {}
        self._pending: set[int] = set()
        self._generation = 0

    def set_ids(self, ids: Sequence[int]) -> None:
        """Replace the id list (after sorting or filtering in the service)."""
        self.beginResetModel()
        self._ids = list(ids)
        self._rows.clear()
        self._pending.clear()
        self._generation += 1
        self.endResetModel()

    def clear(self) -> None:
        """Drop ids and cached rows (lock)."""
        self.set_ids([])

    def cached(self) -> int:
        """How many display rows are in the cache (for tests and the bench)."""
        return len(self._rows)

    def _row(self, row: int) -> CaseRowView | None:
        case_id = self._ids[row]
        found = self._rows.get(case_id)
        if found is None:
            page_no = row // self.PAGE
            if page_no not in self._pending:
                self._pending.add(page_no)
                start = page_no * self.PAGE
                generation = self._generation

                def arrived(rows: list[CaseRowView]) -> None:
                    if generation != self._generation:
                        return  # the list was replaced meanwhile
                    for view in rows:
                        self._rows[view.case_id] = view
                    end = min(start + self.PAGE, len(self._ids)) - 1
                    self.dataChanged.emit(self.index(start, 0), self.index(end, 6))

                self._request(self._ids[start:start + self.PAGE], arrived)
        return found

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return case_headers()[section] if 0 <= section < 7 else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if not 0 <= index.column() < 7:
            return None
        row = self._row(index.row())
        if row is None:
            return None
        return _RowColumns.cell(row, index.column(), role)


def date_text(value: object) -> str:
    """A date cell."""
    import datetime as dt

    return format_date(value, DATE) if isinstance(value, dt.date) else "—"
