"""Regression guard for the pinned Qt binding.

PySide6 6.12.0 dropped a reference to ``None`` on every ``QModelIndex.data()`` call that a
Python model answered with ``None``; after enough drawn cells the interpreter aborted
("deallocating None").  We pin 6.11.3; this test fails if a binding with that bug returns.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox


class _Model(QAbstractListModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 10

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


def test_model_data_returning_none_keeps_none_alive(qapp: object) -> None:
    """Answering None for a role must not cost a reference to None."""
    model = _Model()
    before = sys.getrefcount(None)
    for row in range(1000):
        model.index(row % 10).data(Qt.ItemDataRole.ToolTipRole)
    assert sys.getrefcount(None) > before - 500


def test_combo_none_item_data_keeps_none_alive(qapp: object) -> None:
    """The same for item data stored as None in a combo box."""
    combo = QComboBox()
    combo.addItem("x", None)
    before = sys.getrefcount(None)
    for _ in range(1000):
        combo.currentData()
    assert sys.getrefcount(None) > before - 500
