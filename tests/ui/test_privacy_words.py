"""No raw ids on screen (issue 13, point 9): the audit trail tab shows entries in words
and objects by the references their users know, with the raw name and id in the tooltip
for the officer; a case list row without a casusregisseur says "not yet appointed", not
"—", also when the row is withheld (ui-guide: "—" only for no data).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.profiles import LocalText
from app.views import CaseRowView
from app.views.case import CaseFlags
from tests.ui.support import World, unlock, wait_idle
from ui.main_window import MainWindow
from ui.models import _RowColumns
from ui.privacy.audit_tab import AuditTab

ACTION, OBJECT = 4, 6
DIRECTOR = 3
DATE = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}"


def _officer(world: World) -> str:
    return str(next(u["username"] for u in world.doc["users"]
                    if u["role"] == "privacy-officer"))


def _rows(qtbot: Any, window: MainWindow, tab: AuditTab, name: str) -> list[tuple[str, ...]]:
    """The first rows of the trail filtered on ``name``: display texts and tooltips."""
    tab.action.setText(name)
    tab.apply()
    wait_idle(qtbot, window)
    model = tab.model
    assert model.rowCount() > 0
    shown = min(model.rowCount(), 5)
    for r in range(shown):
        model.data(model.index(r, 0))
    qtbot.waitUntil(lambda: all(model.data(model.index(r, 0)) for r in range(shown)),
                    timeout=10_000)
    display, tip = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
    return [(model.data(model.index(r, ACTION), display), model.data(model.index(r, ACTION), tip),
             model.data(model.index(r, OBJECT), display), model.data(model.index(r, OBJECT), tip))
            for r in range(shown)]


def test_audit_trail_in_words_with_the_raw_names_in_tooltips(qtbot: Any, make_window: Any,
                                                             store: Path, world: World) -> None:
    """ZVH 8.1, 9.6: "Information shared · Sharing, case ZVH-0003" instead of
    "grant.add · grant:17"; a meeting by its date in the ui-guide's form."""
    window: MainWindow = make_window()
    unlock(qtbot, window, store, _officer(world))
    window.privacy_button.click()
    wait_idle(qtbot, window)
    tab = window.workbench.audit
    window.workbench.setCurrentWidget(tab)
    wait_idle(qtbot, window)

    for action, action_tip, obj, obj_tip in _rows(qtbot, window, tab, "grant.add"):
        assert action == "Information shared"
        assert action_tip.splitlines()[0] == "grant.add"
        assert re.fullmatch(r"Sharing, case ZVH-\d{4}", obj)
        assert re.fullmatch(r"grant:\d+", obj_tip)
    for action, _tip, obj, obj_tip in _rows(qtbot, window, tab, "meeting.vouch"):
        assert action == "Meeting confirmed"
        assert re.fullmatch("Case meeting · " + DATE, obj)
        assert re.fullmatch(r"meeting:\d+", obj_tip)
    for action, _tip, obj, obj_tip in _rows(qtbot, window, tab, "key.party_created"):
        assert action == "Party key created"
        party_id = obj_tip.removeprefix("party:")
        assert obj != party_id
        assert party_id not in obj  # "Politie Rotterdam", not "politie-rotterdam"


def _row(*, visible: bool, party: Any = None) -> CaseRowView:
    return CaseRowView(1, "ZVH-0001", None, LocalText("Triage", "Triage"), "triage", party,
                       0, 0, CaseFlags(), "2026-11-24T08:30:00+00:00", visible)


def test_a_missing_casusregisseur_is_not_yet_appointed_never_a_dash() -> None:
    """ZVH 14 (the casusregisseur is appointed in the casusoverleg): a case list or agenda
    row without one says so in words, withheld row or not; "—" would read as "no data"
    beside a masked name (ui-guide)."""
    for visible in (False, True):
        text = _RowColumns.cell(_row(visible=visible), DIRECTOR, Qt.ItemDataRole.DisplayRole)
        assert text == "not yet appointed"
