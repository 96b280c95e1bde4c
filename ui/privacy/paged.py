"""A lazy table model over a paged service call (the registers hold hundreds of thousands of
rows; the model never loads them all).

The service answers two questions: how many rows match the filter, and one page of them in
the requested order.  The model asks for the count when the filter or the order changes,
and for a page only when the view first shows one of its rows, from the store thread:
until the page arrives its cells are empty, then ``dataChanged`` fills them (as
:class:`ui.models.CaseListModel` does).  Sorting is done by the service, in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header (already translated), the cell text, and the sort key the
    service understands (``None``: not sortable)."""

    header: str
    text: Callable[[R], str]
    sort: str | None = None
    tooltip: Callable[[R], str | None] | None = None


CountRequest = Callable[[Callable[[int], None]], None]
PageRequest = Callable[[int, int, "str | None", bool, Callable[[list[R]], None]], None]


class PagedModel(QAbstractTableModel, Generic[R]):
    """Rows of type ``R`` fetched a page at a time."""

    PAGE = 200

    def __init__(self, columns: Sequence[Column[R]], count: CountRequest,
                 page: PageRequest[R]) -> None:
        super().__init__()
        self.columns = list(columns)
        self._count_request = count
        self._page_request = page
        self._rows: dict[int, R] = {}
        self._pending: set[int] = set()
        self._total = 0
        self._generation = 0
        self.sort_key: str | None = None
        self.descending = True

    # -- loading ----------------------------------------------------------------------
    def reload(self) -> None:
        """Ask for the count again (after a filter change) and drop the cached pages."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._rows.clear()
        self._pending.clear()
        self._total = 0
        self.endResetModel()

        def counted(total: int) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self._total = total
            self.endResetModel()

        self._count_request(counted)

    def clear(self) -> None:
        """Forget every row (lock)."""
        self._generation += 1
        self.beginResetModel()
        self._rows.clear()
        self._pending.clear()
        self._total = 0
        self.endResetModel()

    def cached(self) -> int:
        """How many rows are held (tests, bench)."""
        return len(self._rows)

    def row_object(self, row: int) -> R | None:
        """The row object at ``row`` if its page has arrived."""
        return self._rows.get(row)

    def _fetch(self, row: int) -> None:
        page_no = row // self.PAGE
        if page_no in self._pending:
            return
        self._pending.add(page_no)
        start = page_no * self.PAGE
        generation = self._generation

        def arrived(rows: list[R]) -> None:
            if generation != self._generation:
                return  # the filter or order changed meanwhile
            for offset, found in enumerate(rows):
                self._rows[start + offset] = found
            if rows:
                self.dataChanged.emit(self.index(start, 0),
                                      self.index(start + len(rows) - 1,
                                                 len(self.columns) - 1))

        self._page_request(start, self.PAGE, self.sort_key, self.descending, arrived)

    # -- Qt -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        found = self._rows.get(index.row())
        if found is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._fetch(index.row())
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(found)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(found)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the service; a column without a sort key keeps the current order."""
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        self.sort_key = self.columns[column].sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
