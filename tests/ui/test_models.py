"""Every Qt item model of the window passes Qt's QAbstractItemModelTester with real data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QStringListModel, Qt, qInstallMessageHandler

from tests.ui.support import (
    World,
    agenda_refs,
    leaf_items,
    load_case_list,
    open_case,
    unlock,
    wait_idle,
)
from ui.models import ID_ROLE, REDACTED_ROLE, SORT_ROLE, AgendaModel, CaseListModel


def _richest_case(window: Any, qtbot: Any) -> str:
    """The agenda case whose screen fills the most trees (opened and left open)."""
    best, best_score = "", -1
    for reference in agenda_refs(window):
        open_case(qtbot, window, reference)
        score = sum(bool(t.topLevelItemCount()) for t in window.case_widget.trees())
        if score > best_score:
            best, best_score = reference, score
    open_case(qtbot, window, best)
    return best


_PARKING: list[QStringListModel] = []


def check_all(qtmodeltester: Any, models: list[Any]) -> None:
    """Run Qt's tester on each model, then leave the fixture's live tester on a model that
    outlives the test: the tester also watches later changes, and a QTreeWidget's model
    that is destroyed under a live tester (closing the table view) crashes the process."""
    for model in models:
        qtmodeltester.check(model)
    if not _PARKING:
        _PARKING.append(QStringListModel(["parked"]))
    qtmodeltester.check(_PARKING[0])


def test_window_models_pass_the_model_tester(qtbot: Any, qtmodeltester: Any, world: World,
                                             store: Path, make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    dashboard = window.dashboard
    assert dashboard.model.rowCount() > 0
    assert window.meeting_model.rowCount() > 0
    assert load_case_list(qtbot, window) > 0
    check_all(qtmodeltester, [dashboard.model, dashboard.proxy, window.meeting_model,
                              window.case_list_model])
    # The models keep passing while they change: the live tester watches a reset.
    qtmodeltester.check(dashboard.proxy)
    dashboard.filter.setText("ZVH")
    dashboard.filter.setText("no such case")
    assert dashboard.proxy.rowCount() == 0
    dashboard.filter.clear()
    dashboard.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    check_all(qtmodeltester, [])


def _flat_and_nested(window: Any) -> tuple[list[Any], list[Any]]:
    trees = window.case_widget.trees()
    nested = [t for t in trees
              if any(t.topLevelItem(i).childCount() for i in range(t.topLevelItemCount()))]
    return [t for t in trees if t not in nested], nested


def test_case_screen_models_pass_the_model_tester(qtbot: Any, qtmodeltester: Any,
                                                  world: World, store: Path,
                                                  make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    _richest_case(window, qtbot)
    flat, nested = _flat_and_nested(window)
    assert nested == []  # every tree is flat (the information rows carry their category)
    assert window.case_widget.items in flat
    assert sum(bool(t.topLevelItemCount()) for t in flat) >= 4
    check_all(qtmodeltester, [t.model() for t in flat])
    # Re-rendering the case (a reset of every tree) under a live tester.
    qtmodeltester.check(window.case_widget.goals.model())
    open_case(qtbot, window, agenda_refs(window)[-1])
    check_all(qtmodeltester, [])


@pytest.mark.no_qt_log  # collect the tester's verdict here, so xfail can see it
def test_information_tree_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any,
                                                        world: World, store: Path,
                                                        make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, agenda_refs(window)[0])
    assert leaf_items(window.case_widget.items)
    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _kind, _context, text: messages.append(text))
    try:
        check_all(qtmodeltester, [window.case_widget.items.model()])
    finally:
        qInstallMessageHandler(previous)
    assert [m for m in messages if "FAIL!" in m] == []


def test_table_view_models_pass_the_model_tester(qtbot: Any, qtmodeltester: Any,
                                                 world: World, store: Path,
                                                 make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    with qtbot.waitSignal(window.ready, timeout=15_000):
        window.table_mode.enter()
    wait_idle(qtbot, window)
    assert window.table_mode.view is not None
    flat = [t for t in window.table_mode.view.case.trees()
            if not any(t.topLevelItem(i).childCount() for i in range(t.topLevelItemCount()))]
    check_all(qtmodeltester, [t.model() for t in flat])


def test_agenda_model_roles(qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    model: AgendaModel = window.dashboard.model
    for row in range(model.rowCount()):
        item = model.item(row)
        assert model.index(row, 0).data(SORT_ROLE) == item.position
        for column in range(model.columnCount()):
            assert model.index(row, column).data(ID_ROLE) == item.row.reference
        redacted = model.index(row, 2).data(REDACTED_ROLE)
        shown = model.index(row, 2).data()
        assert shown  # never an empty cell: a name, a placeholder or an em dash
        if redacted:
            assert shown.startswith("▒ ")
            assert model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(model.rowCount(), 0)) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "#"
    assert model.headerData(8, Qt.Orientation.Horizontal) is None


def test_case_list_model_fetches_pages_asynchronously(qtbot: Any) -> None:
    requests: list[list[int]] = []
    callbacks: list[Any] = []

    def request(ids: list[int], callback: Any) -> None:
        requests.append(ids)
        callbacks.append(callback)

    model = CaseListModel(request)
    model.set_ids(list(range(1, 251)))
    assert model.rowCount() == 250
    assert model.data(model.index(0, 0)) is None  # not there yet: asks for page 0
    assert model.data(model.index(5, 0)) is None  # same page: no second request
    assert [len(r) for r in requests] == [100]
    model.data(model.index(249, 0))
    assert [len(r) for r in requests] == [100, 50]
    # A page that arrives after the list was replaced is dropped.
    model.set_ids([7])
    with qtbot.assertNotEmitted(model.dataChanged):
        callbacks[0]([])
    assert model.cached() == 0
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def _paint(tree: Any, times: int) -> None:
    for _ in range(times):
        tree.viewport().grab()


def test_painting_the_case_view_keeps_none_alive(qtbot: Any, world: World, store: Path,
                                                 make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, agenda_refs(window)[0])
    tree = window.case_widget.items
    window.case_widget.tabs.setCurrentWidget(tree)
    assert leaf_items(tree)
    _paint(tree, 2)
    before = sys.getrefcount(None)
    _paint(tree, 20)
    after = sys.getrefcount(None)
    # Painting must not consume references it never took (a fresh interpreter holds only
    # a few thousand; each lost one brings the abort closer).
    assert after >= before - 50, f"None lost {before - after} references in 20 paints"
