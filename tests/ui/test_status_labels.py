"""Statuses reach the screen as their translated labels, never as the stored value: the
Dutch case screen of a case with goals, actions and persons in every status shows
"niet geïnformeerd", "niet bereikt", ... and no ``not_informed`` or ``not_reached``."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLabel, QTreeWidget, QWidget

from app import clock
from app.demo import create_demo_store, generate_demo
from app.domain.vocab import ActionStatus, GoalStatus, InformedStatus
from app.profiles import load_profile
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui.support import PROFILE, columns, open_case, unlock

# The Dutch labels, as i18n/nl/LC_MESSAGES/casustafel.po has them.
DUTCH = {
    InformedStatus.UNKNOWN: "nog niet vastgelegd",
    InformedStatus.INFORMED: "geïnformeerd",
    InformedStatus.NOT_INFORMED: "niet geïnformeerd",
    GoalStatus.OPEN: "open",
    GoalStatus.REACHED: "bereikt",
    GoalStatus.NOT_REACHED: "niet bereikt",
    ActionStatus.OPEN: "open",
    ActionStatus.DONE: "afgerond",
    ActionStatus.CANCELLED: "vervallen",
}
# A stored value that is also its own Dutch label ("open") cannot tell the two apart.
RAW = {str(status) for status in DUTCH} - set(DUTCH.values())


def _every_status(case: dict[str, Any]) -> None:
    """Give ``case`` one more goal, action and person per status (new keys, same shapes)."""
    goal, action, person = case["goals"][0], case["actions"][0], case["persons"][0]
    for status in GoalStatus:
        case["goals"].append({**goal, "key": f"GS-{status}", "status": str(status)})
    for status in ActionStatus:
        case["actions"].append({**action, "key": f"AS-{status}", "status": str(status),
                                "due_on": "2099-01-01"})  # not overdue: one word per cell
    informed: dict[InformedStatus, dict[str, Any]] = {
        InformedStatus.UNKNOWN: {"status": "unknown"},
        InformedStatus.INFORMED: {"status": "informed", "on": "2026-01-05"},
        InformedStatus.NOT_INFORMED: {"status": "not_informed", "reason": "Veiligheid melder.",
                                      "review_on": "2099-01-01"},
    }
    for status, record in informed.items():
        case["persons"].append({**person, "key": f"BS-{status}", "informed": record})


@pytest.fixture(scope="module")
def status_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A demo store with one case in every status: (folder, reference, its procesregisseur)."""
    demo = generate_demo(load_profile(PROFILE), cases=24, seed=5, today=clock.today(),
                         agenda_size=8)
    doc = copy.deepcopy(demo.doc)
    case = next(c for c in doc["cases"] if c["goals"] and c["actions"] and c["persons"])
    _every_status(case)
    folder = tmp_path_factory.mktemp("statuses") / "store"
    create_demo_store(folder, dataclasses.replace(demo, doc=doc), profile_id=PROFILE,
                      passphrase=PASSPHRASE, kdf=TEST_KDF, admin_display_name="Beheer")
    return folder, str(case["ref"]), str(case["procesregisseur"])


def shown_texts(root: QWidget) -> list[str]:
    """Every text a user can read in ``root``: labels, buttons, tooltips, and each cell
    of each tree (with its tooltip) and each other item view's display data."""
    out: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        out.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            out.append(widget.text())
        if isinstance(widget, QTreeWidget):
            for row in range(widget.topLevelItemCount()):
                item = widget.topLevelItem(row)
                for column in range(widget.columnCount()):
                    out += [item.text(column), item.toolTip(column)]
        elif isinstance(widget, QAbstractItemView) and (model := widget.model()) is not None:
            for row in range(model.rowCount()):
                for column in range(columns(model, QModelIndex())):
                    out.append(str(model.index(row, column).data() or ""))
    return out


def cells(texts: list[str]) -> set[str]:
    """The whole texts and their ``·``-separated parts ("afgerond · te laat")."""
    return {part.strip() for text in texts for part in [text, *text.split("·")]}


def test_the_dutch_case_screen_shows_status_labels_not_values(
        qtbot: Any, status_store: tuple[Path, str, str], make_window: Any) -> None:
    folder, reference, director = status_store
    window = make_window(language="nl")
    unlock(qtbot, window, folder, director)
    open_case(qtbot, window, reference)
    case = window.case_widget
    assert case.view is not None
    assert case.view.content_visible
    # The case really has every status (else the test would prove nothing).
    assert {p.informed_status for p in case.view.persons} == set(InformedStatus)
    assert {g.status for g in case.view.goals} == set(GoalStatus)
    assert {a.status for a in case.view.actions} == set(ActionStatus)

    shown = cells(shown_texts(window))
    assert shown & RAW == set()
    assert set(DUTCH.values()) <= shown
    overdue = "te laat"
    for tree, column in ((case.persons, 3), (case.goals, 1), (case.action_tree, 3)):
        values = cells([tree.topLevelItem(r).text(column)
                        for r in range(tree.topLevelItemCount())]) - {overdue}
        assert values <= set(DUTCH.values()), (tree.accessibleName(), values)
