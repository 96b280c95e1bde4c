"""The case screen's own buttons (ui/main_window/case_edits.py; issue 13, point 7):
"Record decision…", "Add progress…" and "Add action…" open the casework forms, which stay
open on a refusal with what was typed, and date decisions and progress the day of the
meeting on screen; and the case screen (ui/case_view.py) marks a corrected row of the joint
record as the reports and the edit list do."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTreeWidget

from app.domain.vocab import ActionStatus, GoalStatus
from app.profiles import LocalText
from app.services import joint_edit, meetings, screens
from app.views import (
    ActionView,
    CaseView,
    CorrectionMark,
    DecisionView,
    GoalView,
    PartyRef,
    PhaseStep,
    ProgressView,
    ViewSpec,
)
from tests.ui.support import (
    TIMEOUT,
    World,
    agenda_refs,
    open_case,
    open_session,
    tree_texts,
    unlock,
    wait_idle,
)
from ui.case_view import CaseWidget
from ui.casework.forms import chosen, date_of
from ui.casework.meeting_dialogs import DecisionDialog
from ui.casework.plan_dialogs import CaseActionDialog, ProgressDialog
from ui.dates import show_date
from ui.main_window import MainWindow

TYPED = "Besluit UI-test: wijkagent en GGZ gaan samen op huisbezoek"
# button attribute of the case screen, its tree, the form it opens, the form's date field
BUTTONS: dict[str, tuple[str, str, type[Any], str | None]] = {
    "decision": ("b_decision", "decisions", DecisionDialog, "decided_on"),
    "progress": ("b_progress", "progress", ProgressDialog, "entry_on"),
    "action": ("b_action", "action_tree", CaseActionDialog, None),
}


def _items(tree: QTreeWidget) -> list[Any]:
    """The rows of a flat tree."""
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def _press(qtbot: Any, window: MainWindow, kind: str) -> Any:
    """Show the button's tab, click the button, and wait until its form is open."""
    case = window.case_widget
    button: QPushButton = getattr(case, BUTTONS[kind][0])
    tree: QTreeWidget = getattr(case, BUTTONS[kind][1])
    tab = tree.parentWidget()
    assert tab is not None
    case.tabs.setCurrentWidget(tab)
    before = window.edits.form
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    form = window.edits.form
    assert form is not None
    assert form is not before
    assert isinstance(form, BUTTONS[kind][2])
    qtbot.waitExposed(form)
    return form


def _not_today_meeting(qtbot: Any, window: MainWindow) -> None:
    """Show a meeting of the list that is not today's, so a date taken from the meeting
    cannot be mistaken for the default of today."""
    today = dt.date.today()  # noqa: DTZ011 - the forms' own default is the local day
    model = window.meeting_model
    rows = [model.meeting(i) for i in range(model.rowCount())]
    other = next(m for m in rows if m.starts_at.date() != today)
    if window.meeting_id != other.meeting_id:
        with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
            window.load_meeting(other.meeting_id)
        wait_idle(qtbot, window)


@pytest.mark.parametrize("kind", sorted(BUTTONS))
def test_each_button_opens_the_casework_form_dated_the_meeting_day(
        qtbot: Any, world: World, store: Path, make_window: Any, kind: str) -> None:
    """With a meeting on screen the form records for that meeting and, for a decision or a
    progress entry, proposes the meeting's day (not today); OK writes and shows the case
    again, rebuilt from the store."""
    window: MainWindow = make_window()
    unlock(qtbot, window, store, world.chair)
    _not_today_meeting(qtbot, window)
    meeting = window.dashboard.meeting
    assert meeting is not None
    assert meeting.meeting_id == window.meeting_id
    reference = agenda_refs(window)[0]
    open_case(qtbot, window, reference)
    assert not getattr(window.case_widget, BUTTONS[kind][0]).isHidden()
    form = _press(qtbot, window, kind)
    assert form.meeting_id == meeting.meeting_id
    date_field = BUTTONS[kind][3]
    if date_field is not None:
        assert date_of(getattr(form, date_field)) == meeting.starts_at.date()
    text = f"{TYPED} ({kind})"
    form.text.setPlainText(text)
    if isinstance(form, CaseActionDialog):
        owner = next(p.id for p in window.case_widget.view.parties)  # type: ignore[union-attr]
        form.owner.setCurrentIndex(form.owner.findData(owner))
        assert chosen(form.owner) == owner
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not form.isVisible()
    assert text in tree_texts(getattr(window.case_widget, BUTTONS[kind][1]))
    view = window.case_widget.view
    assert view is not None
    rows = {"decision": view.decisions, "progress": view.progress, "action": view.actions}
    (row,) = [r for r in rows[kind] if getattr(r, "text", None) == text]
    if isinstance(row, DecisionView):
        assert row.decided_on == meeting.starts_at.date()
        assert row.meeting_id == meeting.meeting_id
    elif isinstance(row, ProgressView):
        assert row.entry_on == meeting.starts_at.date()
        assert row.meeting_id == meeting.meeting_id


@pytest.mark.parametrize("kind", sorted(BUTTONS))
def test_a_refusal_of_the_role_keeps_the_typed_text_in_the_form(
        qtbot: Any, world: World, store: Path, make_window: Any, kind: str) -> None:
    """A deelnemer may not record the joint record (ZVH 13.2: the table and its chair
    record it); their case screen hides the three buttons, and should the form be reached
    anyway the service refuses: the sentence is in the open form, what was typed stays, and
    nothing was written."""
    window: MainWindow = make_window()
    unlock(qtbot, window, store, world.deelnemers["politie-rotterdam"])
    reference = agenda_refs(window)[0]
    open_case(qtbot, window, reference)
    case = window.case_widget
    assert getattr(case, BUTTONS[kind][0]).isHidden()
    before = tree_texts(getattr(case, BUTTONS[kind][1]))
    slot = {"decision": window.edits.record_decision, "progress": window.edits.add_progress,
            "action": window.edits.add_action}[kind]
    form: Any = slot()  # what the hidden button reaches
    assert isinstance(form, BUTTONS[kind][2])
    qtbot.waitExposed(form)
    form.text.setPlainText(TYPED)
    if isinstance(form, CaseActionDialog):
        owner = next(p.id for p in case.view.parties)  # type: ignore[union-attr]
        form.owner.setCurrentIndex(form.owner.findData(owner))
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(form.error_text()), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert form.isVisible()
    assert form.top_error.isVisible()
    assert form.text.toPlainText() == TYPED
    assert form.error_text() == "Your role does not allow this action."
    assert tree_texts(getattr(case, BUTTONS[kind][1])) == before
    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        window.lock()  # the store is one process's at a time
    wait_idle(qtbot, window)  # until the store thread closed the session
    with open_session(store, world.chair) as session:
        view = screens.case_screen(session, reference, ViewSpec()).view
    assert TYPED not in {r.text for r in view.decisions} | {r.text for r in view.progress} \
        | {r.text for r in view.actions}


def test_an_empty_decision_and_an_action_without_owner_are_refused_at_the_field(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    """The chair's slips: an empty decision is refused under its text field and the form
    stays open; typed and sent again it is recorded.  An action without the party
    responsible is refused at that field with its text and deadline kept."""
    window: MainWindow = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, agenda_refs(window)[0])
    form = _press(qtbot, window, "decision")
    assert isinstance(form, DecisionDialog)
    form.text.setPlainText("   \n  ")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(form.error_text("text")), timeout=TIMEOUT)
    assert form.isVisible()
    assert form.error_text("text") == "A decision must not be empty."
    form.text.setPlainText(TYPED)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not form.isVisible()
    assert TYPED in tree_texts(window.case_widget.decisions)

    action = _press(qtbot, window, "action")
    assert isinstance(action, CaseActionDialog)
    action.text.setPlainText("Actie UI-test zonder eigenaar")
    deadline = date_of(action.due)
    qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(action.error_text("owner")), timeout=TIMEOUT)
    assert action.isVisible()
    assert action.text.toPlainText() == "Actie UI-test zonder eigenaar"
    assert date_of(action.due) == deadline
    action.reject()


# --------------------------------------------------------------------------- the mark

DAY = dt.date(2026, 11, 24)
RDAM = PartyRef("gemeente-rotterdam", LocalText("Gemeente Rotterdam", "Municipality"))
POLICE = PartyRef("politie-rotterdam", LocalText("Politie", "Police"))


def _view(*, marked: bool) -> CaseView:
    mark = CorrectionMark(DAY, "Fenne Lelijveld", "Tikfout", 1) if marked else None
    return CaseView(
        case_id=1, reference="ZVH-1", phase=LocalText("Casusoverleg", "Case conference"),
        phase_id="casusoverleg", registering_party=RDAM, procesregisseur="pr",
        casusregisseur=None, casusregisseur_party=None, themes=(), opened_at=DAY,
        closed_at=None, viewer="pr", content_visible=True,
        goals=(GoalView(10, "Rust in de straat", GoalStatus.OPEN, mark),
               GoalView(11, "School weer bezocht", GoalStatus.OPEN)),
        actions=(ActionView(20, "Bellen met de school", POLICE, DAY, ActionStatus.OPEN,
                            False, 10, 3, corrected=mark),),
        decisions=(DecisionView(30, 3, "Op de agenda houden", DAY, corrected=mark),),
        progress=(ProgressView(40, 20, "Gebeld", DAY, corrected=mark),),
        parties=(RDAM, POLICE))


def test_the_case_screen_marks_a_corrected_row_of_the_joint_record(qtbot: Any) -> None:
    """A corrected goal, action, decision and progress entry show the current text and,
    in a column of their own, "corrected on <day> by <name>"; the reason is in the row's
    tooltip; an uncorrected row has no mark, and a case without corrections no column."""
    widget = CaseWidget()
    qtbot.addWidget(widget)
    widget.show_case(_view(marked=True))
    mark = f"corrected on {show_date(DAY)} by Fenne Lelijveld"
    trees = {"goals": widget.goals, "actions": widget.action_tree,
             "decisions": widget.decisions, "progress": widget.progress}
    for name, tree in trees.items():
        last = tree.columnCount() - 1
        assert tree.headerItem().text(last) == "Corrected", name
        assert not tree.isColumnHidden(last), name
        row = _items(tree)[0]
        assert mark in row.text(last), name
        assert "Tikfout" in row.toolTip(0), name
        assert mark in row.toolTip(0), name
    assert _items(widget.goals)[0].text(0) == "Rust in de straat"
    assert _items(widget.goals)[1].text(widget.goals.columnCount() - 1) == ""
    assert _items(widget.goals)[1].toolTip(0) == ""
    assert _items(widget.decisions)[0].text(1) == "Op de agenda houden"
    widget.show_case(_view(marked=False))
    for name, tree in trees.items():
        assert tree.isColumnHidden(tree.columnCount() - 1), name
        assert not any("corrected on" in t for t in tree_texts(tree)), name


def test_a_goal_corrected_in_the_store_is_marked_on_the_case_screen(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    """Through the window: a goal the chair corrected shows the new text and the mark."""
    reference = world.agenda_refs()[0]
    with open_session(store, world.chair) as session:
        goal = meetings.add_goal(session, reference, "Doel-OUD")
        joint_edit.correct_goal(session, reference, goal, text="Doel-NIEUW",
                                reason="Scherper")
    window: MainWindow = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, reference)
    goals = window.case_widget.goals
    rows = _items(goals)
    (row,) = [r for r in rows if r.text(0) == "Doel-NIEUW"]
    assert not goals.isColumnHidden(goals.columnCount() - 1)
    assert "corrected on" in row.text(goals.columnCount() - 1)
    assert "Scherper" in row.toolTip(0)
    assert not [r for r in rows if r.text(0) == "Doel-OUD"]


def test_the_phase_history_dates_are_in_the_ui_guide_format(qtbot: Any) -> None:
    """Issue 13, point 9: dates as in the ui-guide ("di 24 nov 2026"), not as stored."""
    widget = CaseWidget()
    qtbot.addWidget(widget)
    view = dataclasses.replace(_view(marked=False), phase_history=(
        PhaseStep(LocalText("Casusoverleg", "Case conference"), "casusoverleg",
                  "2026-11-23T09:15:00+00:00"),))
    widget.show_case(view)
    texts = tree_texts(widget.history)
    assert show_date(dt.date(2026, 11, 23)) in texts
    assert not any("2026-11-23" in t for t in texts)
