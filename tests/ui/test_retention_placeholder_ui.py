"""The case view and the beamer show a destroyed item as its explained placeholder, not
as an empty field (issue 12; ZVH 11.7; the ui-guide: "never an empty field").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QTreeWidgetItem, QTreeWidgetItemIterator

from app import clock
from app.i18n import current_language, format_date, set_language
from app.services import cases
from app.views import ViewSpec
from tests.app.services.test_retention_placeholder import (
    ARTICLE,
    CANARY,
    _at,
    _live_case_with_dagmonitor_item,
)
from tests.app.services.test_services import CHAIR, POLICE, RDAM, SPEC, _open, _user
from tests.conftest import DemoStoreFactory
from ui.case_view import CaseWidget
from ui.models import REDACTED_ROLE


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the services' demo store for one test."""
    return demo_store(SPEC)


def _row(widget: CaseWidget, item_id: int) -> QTreeWidgetItem:
    found = QTreeWidgetItemIterator(widget.items)
    while found.value() is not None:
        row = found.value()
        if row.data(0, 0x0100) == item_id:  # Qt.ItemDataRole.UserRole
            return row
        found += 1
    raise AssertionError("the destroyed item has no row")


def test_zvh_11_7_the_case_view_and_the_beamer_show_the_destroyed_placeholder(
        qtbot: Any, folder: Path) -> None:
    """ZVH 11.7; DM 001: the item's row says "Destroyed on {date} (retention term,
    {article})" on the hatched placeholder background, the reason in its tooltip; on
    the beamer's large view for the parties present too; the content is nowhere."""
    day, ref, item_id = _live_case_with_dagmonitor_item(folder)
    with clock.frozen(_at(day)):
        with _open(folder, _user(RDAM)) as session:
            own = cases.show_case(session, ref)
        with _open(folder, CHAIR) as session:
            table = cases.show_case(session, ref, ViewSpec.table({RDAM, POLICE}))
    before = current_language()
    set_language("en")
    try:
        expected = f"Destroyed on {format_date(day, 'medium')} (retention term, {ARTICLE})"
        for view, large in ((own, False), (table, True)):
            widget = CaseWidget(large=large)
            qtbot.addWidget(widget)
            widget.show_case(view)
            row = _row(widget, item_id)
            assert row.text(0).removeprefix("▒ ") == expected
            assert row.data(0, REDACTED_ROLE) is True
            assert "retention term ended" in row.toolTip(0)
            assert CANARY not in row.text(0) + row.toolTip(0)
    finally:
        set_language(before)
