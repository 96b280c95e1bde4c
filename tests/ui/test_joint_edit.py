"""Editing the joint record in the desktop app (ui/casework/edit_dialogs.py; issue 13,
point 7): each row has Edit…, its form opens prefilled, a refusal keeps what was typed,
Ctrl+Enter submits; through the window a corrected goal shows its new text and mark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.domain.vocab import ActionStatus, GoalStatus
from app.errors import AccessDeniedError, InputError
from app.i18n import N_
from app.profiles import LocalText
from app.services import joint_edit, meetings
from app.views import (
    ActionView,
    CaseView,
    CorrectionMark,
    DecisionView,
    GoalView,
    PartyRef,
    ProgressView,
)
from tests.ui.support import TIMEOUT, World, open_case, open_session, unlock, wait_idle
from tests.ui.test_casework_forms import FakeRunner
from ui.casework import edit_dialogs as ed
from ui.casework.forms import chosen, date_of
from ui.main_window import MainWindow

DAY = dt.date(2026, 11, 24)
RDAM = PartyRef("gemeente-rotterdam", LocalText("Gemeente Rotterdam", "Municipality"))
POLICE = PartyRef("politie-rotterdam", LocalText("Politie", "Police"))
TEXT = "Politie en GGZ gaan samen op huisbezoek"


def _view() -> CaseView:
    mark = CorrectionMark(DAY, "Fenne Lelijveld", "Tikfout", 1)
    return CaseView(
        case_id=1, reference="ZVH-1", phase=LocalText("Casusoverleg", "Case conference"),
        phase_id="casusoverleg", registering_party=RDAM, procesregisseur="pr",
        casusregisseur=None, casusregisseur_party=None, themes=(), opened_at=DAY,
        closed_at=None, viewer="pr", content_visible=True,
        goals=(GoalView(10, "Rust in de straat", GoalStatus.OPEN, mark),),
        actions=(ActionView(20, "Bellen met de school", POLICE, DAY, ActionStatus.OPEN,
                            False, 10, 3),),
        decisions=(DecisionView(30, 3, TEXT, DAY),),
        progress=(ProgressView(40, 20, "Gebeld", DAY),),
        parties=(RDAM, POLICE))


def _rows(tree: Any, group: int) -> list[Any]:
    """The rows under the ``group``-th heading of the list."""
    heading = tree.topLevelItem(group)
    return [heading.child(i) for i in range(heading.childCount())]


def _shown(qtbot: Any, dialog: Any) -> Any:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def test_every_row_has_edit_and_its_form_opens_prefilled(qtbot: Any) -> None:
    """The list holds every current row, marked where corrected; Enter on a row opens its
    form with what the row says now: the text, the owner party, the deadline, the goal,
    the status, the decision's date (not today's)."""
    dialog = _shown(qtbot, ed.JointRecordDialog(_view(), None, FakeRunner()))
    rows = [row for group in range(4) for row in _rows(dialog.tree, group)]
    assert len(rows) == 4
    assert "corrected on" in rows[0].text(0)
    assert "Fenne Lelijveld" in rows[0].text(0)
    dialog.tree.setCurrentItem(rows[1])
    dialog.tree.setFocus()
    qtbot.waitUntil(dialog.tree.hasFocus)
    QTest.keyClick(dialog.tree, Qt.Key.Key_Return)
    editor = dialog.editor
    assert isinstance(editor, ed.ActionEditDialog)
    qtbot.waitExposed(editor)
    assert editor.text.toPlainText() == "Bellen met de school"
    assert chosen(editor.owner) == POLICE.id
    assert date_of(editor.due) == DAY
    assert not editor.no_due.isChecked()
    assert editor.goal.currentData() == 10
    assert editor.status.currentData() == "open"
    editor.reject()
    dialog.tree.setCurrentItem(rows[2])
    decision = dialog.edit_selected()
    assert isinstance(decision, ed.DecisionEditDialog)
    assert decision.text.toPlainText() == TEXT
    assert date_of(decision.decided_on) == DAY
    decision.reject()
    # A group heading is no row: nothing to edit.
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    assert not dialog.edit_button.isEnabled()
    assert dialog.edit_selected() is None


def test_a_refusal_keeps_the_corrected_text_in_the_form(qtbot: Any) -> None:
    """The service refuses (a role that may not correct; then an empty text): the form
    stays open with the sentence, at the top or at the field, and what was typed."""
    run = FakeRunner(AccessDeniedError("access.role", N_("Your role does not allow this "
                                                          "action.")),
                     InputError("decision.empty", N_("A decision must not be empty.")))
    view = _view()
    dialog = _shown(qtbot, ed.DecisionEditDialog("ZVH-1", view.decisions[0], None, run))
    dialog.text.setPlainText(TEXT + " en de school")
    dialog.reason.setText("School vergeten")
    dialog.submit()
    assert dialog.isVisible()
    assert dialog.error_text() == "Your role does not allow this action."
    assert dialog.text.toPlainText() == TEXT + " en de school"
    assert dialog.reason.text() == "School vergeten"
    dialog.submit()
    assert dialog.isVisible()
    assert dialog.error_text("text") == "A decision must not be empty."
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text)
    assert dialog.text.toPlainText() == TEXT + " en de school"


def test_ctrl_enter_submits_the_correction_and_tab_moves_on(qtbot: Any) -> None:
    """Keyboard only: Tab leaves the text for the next field, Ctrl+Enter submits; the
    dialog then closes and hands the result on."""
    results: list[object] = []
    run = FakeRunner(11)
    goal = _view().goals[0]
    dialog = _shown(qtbot, ed.GoalEditDialog("ZVH-1", goal, None, run, done=results.append))
    dialog.text.setFocus()
    qtbot.waitUntil(dialog.text.hasFocus)
    QTest.keyClick(dialog.text, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(dialog.text, " en op straat")
    QTest.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == "Rust in de straat en op straat"
    qtbot.waitUntil(lambda: dialog.status.hasFocus()
                    or dialog.status.isAncestorOf(QApplication.focusWidget()))
    QTest.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(run.jobs) == 1
    assert not dialog.isVisible()
    assert results == [11]


def _chair_case(world: World) -> str:
    """A case on the first meeting's agenda (the chair's own)."""
    return world.agenda_refs()[0]


def test_a_goal_corrected_through_the_window_shows_its_new_text_and_mark(
        qtbot: Any, make_window: Any, store: Path, world: World) -> None:
    """Case menu → Edit joint record…: the chair edits a goal; the list and the case
    screen show the corrected text; the service kept the earlier version."""
    ref = _chair_case(world)
    with open_session(store, world.chair) as session:
        goal = meetings.add_goal(session, ref, "Doel-OUD")
    window: MainWindow = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, ref)
    c = window.casework
    assert c.a_joint.isEnabled()
    c.a_joint.trigger()
    qtbot.waitUntil(lambda: isinstance(c.dialog, ed.JointRecordDialog)
                    and c.dialog.isVisible(), timeout=TIMEOUT)
    listing = c.dialog
    assert isinstance(listing, ed.JointRecordDialog)
    row = next(r for r in _rows(listing.tree, 0) if r.data(0, ed.ROW_ROLE).goal_id == goal)
    listing.tree.setCurrentItem(row)
    editor = listing.edit_selected()
    assert isinstance(editor, ed.GoalEditDialog)
    qtbot.waitExposed(editor)
    assert editor.text.toPlainText() == "Doel-OUD"
    editor.text.setPlainText("Doel-NIEUW")
    editor.reason.setText("Scherper")
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: any("Doel-NIEUW" in r.text(0) for r in _rows(listing.tree, 0)),
                    timeout=TIMEOUT)
    texts = [r.text(0) for r in _rows(listing.tree, 0)]
    assert not any("Doel-OUD" in t for t in texts)
    assert any("Doel-NIEUW" in t and "corrected on" in t for t in texts)
    view = window.case_widget.view
    assert view is not None
    assert "Doel-NIEUW" in [g.text for g in view.goals]
    # The earlier version is kept (asked through the window's own store thread).
    versions: list[Any] = []
    window.ctx.worker.submit(lambda s: joint_edit.history(s, ref, "goal", goal),
                             done=versions.append)
    qtbot.waitUntil(lambda: bool(versions), timeout=TIMEOUT)
    assert [(v.text, v.current, v.reason) for v in versions[0]] == [
        ("Doel-OUD", False, "Scherper"), ("Doel-NIEUW", True, "")]
