"""Issue 10, "done when": the ZVH casework from aanmelding to afschaling in the desktop
app, driven through the forms' widgets, and then what each party sees.

From a store with users but no cases, the procesregisseur registers a case with a person
and its reason, adds police information, moves it to triage and the casusoverleg (the
forms offer only the allowed next phases), plans a meeting, puts the case on its agenda
inviting four parties (Halt is warned: police data, not an art. 20 Wpg recipient; the
invitation needs a reason), records attendance, a decision (keyboard only), an action, the
plan van aanpak and a discussion note, closes the meeting and scales the case down with a
reason and a basis.  Afterwards, through the services as each user: the uninvited party
does not know the case, an invited party without a grant gets placeholders only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.errors import InputError
from app.services import cases
from app.views import ViewSpec
from tests.ui.casework_support import (
    CHAIR,
    GGZ,
    HALT,
    OWN,
    POLICE,
    RDAM,
    build_empty_store,
    choose,
    combo_ids,
    copy_store,
    open_as,
    open_form,
)
from tests.ui.support import TIMEOUT, open_case, unlock, wait_idle
from ui.casework import case_dialogs as cd
from ui.casework import meeting_dialogs as md
from ui.casework import plan_dialogs as pd
from ui.casework.forms import checked_ids, set_checked
from ui.main_window import MainWindow

REASON = "Buren melden al maanden nachtelijk geschreeuw en dreiging in het portiek"
POLICE_TEXT = "Drie meldingen van bedreiging in het portiek, laatste op vrijdag"
DECISION = "Politie en GGZ gaan samen op huisbezoek"
ACTION = "Huisbezoek afleggen met de wijkagent"
PROBLEM = "Escalerende overlast en zorgen over de psychische gezondheid"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's store with users and no cases (built once)."""
    return build_empty_store(tmp_path_factory.mktemp("casework") / "store")


@pytest.fixture
def store(pristine: Path, tmp_path: Path) -> Path:
    """A private copy for one test."""
    return copy_store(pristine, tmp_path / "store")


def _ok(qtbot: Any, window: MainWindow, dialog: Any) -> None:
    """Press OK and wait until the form closed and the views are shown again."""
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window)


def _register(qtbot: Any, window: MainWindow) -> str:
    c = window.casework
    new = open_form(qtbot, window, c.a_new_case, cd.NewCaseDialog)
    choose(new.registering, RDAM)
    new.themes.setText("overlast, zorg")
    new.reason.setPlainText(REASON)
    choose(new.reason_category, "identity")
    choose(new.person_category, "cat-i")
    new.add_person()
    qtbot.mouseClick(new.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not new.isVisible() and window.on_case_screen(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert new.result_value == window.reference
    return str(window.reference)


def _to_casusoverleg(qtbot: Any, window: MainWindow) -> None:
    c = window.casework
    phase = open_form(qtbot, window, c.a_phase, cd.PhaseDialog)
    # ZVH: from aanmelding only triage; casusoverleg and afschaling are not offered.
    assert combo_ids(phase.phase) == ["triage"]
    _ok(qtbot, window, phase)
    phase = open_form(qtbot, window, c.a_phase, cd.PhaseDialog)
    # Niet doorgeleid closes the case: offered by the close form only.
    assert combo_ids(phase.phase) == ["casusoverleg"]
    _ok(qtbot, window, phase)
    assert window.case_widget.view is not None
    assert window.case_widget.view.phase_id == "casusoverleg"


def _plan_meeting(qtbot: Any, window: MainWindow) -> int:
    plan = open_form(qtbot, window, window.casework.a_plan_meeting, md.PlanMeetingDialog)
    plan.place.setText("Stadhuis, kamer 3")
    plan.notulist.setText("notulist")
    qtbot.mouseClick(plan.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not plan.isVisible() and window.dashboard.meeting is not None,
                    timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert window.meeting_id == plan.result_value
    return int(plan.result_value)


def _invite(qtbot: Any, window: MainWindow, ref: str) -> None:
    dialog = open_form(qtbot, window, window.casework.a_agenda, md.AgendaDialog)
    choose(dialog.case, ref)
    for party in (RDAM, POLICE, GGZ, HALT):
        set_checked(dialog.parties, party)
    # The warnings come live: Halt needs a reason (police data, not an art. 20 recipient).
    qtbot.waitUntil(lambda: "reason:" + HALT in dialog.fields, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    warned = {w.party.id for w in dialog.warnings if w.needs_reason}
    assert warned == {HALT}
    # Inviting without the reason is refused at Halt's reason field; nothing is lost.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_text("reason:" + HALT)), timeout=TIMEOUT)
    assert dialog.isVisible()
    assert set(checked_ids(dialog.parties)) == {RDAM, POLICE, GGZ, HALT}
    dialog.reasons[HALT].setText("Halt voert het jongerentraject uit")
    _ok(qtbot, window, dialog)


def _attend(qtbot: Any, window: MainWindow) -> None:
    dialog = open_form(qtbot, window, window.casework.a_attendance, md.AttendanceDialog)
    for party in (RDAM, POLICE, GGZ, HALT):
        set_checked(dialog.present, party)
    _ok(qtbot, window, dialog)
    meeting = window.dashboard.meeting
    assert meeting is not None
    assert {a.party.id for a in meeting.attendees if a.present} == {RDAM, POLICE, GGZ, HALT}
    # The chair directs the case: the dashboard shows why Halt is invited despite the
    # warning, decrypted with the chair's key (schema 20), as plain text.
    dash = window.dashboard
    dash.table.selectRow(0)
    qtbot.waitUntil(lambda: "Halt voert het jongerentraject uit" in dash.invited.text(),
                    timeout=TIMEOUT)
    assert dash.invited.textFormat() is Qt.TextFormat.PlainText


def _joint_record(qtbot: Any, window: MainWindow, ref: str) -> None:
    c = window.casework
    open_case(qtbot, window, ref)
    decision = open_form(qtbot, window, c.a_decision, md.DecisionDialog)
    decision.text.setFocus()
    QTest.keyClicks(decision.text, DECISION)
    # Keyboard only: Ctrl+Enter submits from inside the multi-line field.
    QTest.keyClick(decision.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not decision.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window)

    action = open_form(qtbot, window, c.a_action, pd.CaseActionDialog)
    offered = combo_ids(action.owner)
    view = window.case_widget.view
    assert view is not None
    # Only the case's own parties, sorted by name; nothing chosen by default.
    assert set(offered) == {p.id for p in view.parties}
    names = [action.owner.itemText(i) for i in range(1, action.owner.count())]
    assert names == sorted(names, key=str.casefold)
    assert action.owner.currentData() == ""
    action.text.setPlainText(ACTION)
    choose(action.owner, POLICE)
    _ok(qtbot, window, action)

    plan = open_form(qtbot, window, c.a_plan, pd.PlanTextsDialog)
    plan.texts["problem"].setPlainText(PROBLEM)
    plan.texts["exit_criteria"].setPlainText("Drie maanden zonder meldingen")
    _ok(qtbot, window, plan)

    note = open_form(qtbot, window, c.a_note, md.NoteDialog)
    note.text.setPlainText("Besproken: eerst contact via de huisarts")
    _ok(qtbot, window, note)


def _close_meeting(qtbot: Any, window: MainWindow, mid: int) -> None:
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.load_meeting(mid)
    wait_idle(qtbot, window)
    dialog = open_form(qtbot, window, window.casework.a_close_meeting, md.CloseMeetingDialog)
    _ok(qtbot, window, dialog)
    meeting = window.dashboard.meeting
    assert meeting is not None
    assert meeting.status == "held"


def _scale_down(qtbot: Any, window: MainWindow, ref: str) -> None:
    open_case(qtbot, window, ref)
    close = open_form(qtbot, window, window.casework.a_close, cd.CloseCaseDialog)
    assert combo_ids(close.phase) == ["afschaling"]
    close.reason.setPlainText("Doelen bereikt; de zorg loopt via de GGZ")
    qtbot.mouseClick(close.ok_button, Qt.MouseButton.LeftButton)
    # No basis: refused at the basis field, the reason typed stays.
    qtbot.waitUntil(lambda: bool(close.error_text("basis")), timeout=TIMEOUT)
    assert close.isVisible()
    assert close.reason.toPlainText().startswith("Doelen bereikt")
    close.basis.setText("PP 1.21, 9.4")
    _ok(qtbot, window, close)
    assert window.case_widget.view is not None
    assert window.case_widget.view.phase_id == "afschaling"


def test_the_zvh_flow_in_the_app_and_what_each_party_sees(
        qtbot: Any, store: Path, make_window: Any) -> None:
    """Aanmelding to afschaling with the forms only; then each party's view."""
    window = make_window()
    unlock(qtbot, window, store, CHAIR, OWN)
    ref = _register(qtbot, window)
    _to_casusoverleg(qtbot, window)
    # In the casusoverleg: what intake recorded is shared with nobody (ZVH 3.5a).
    item = open_form(qtbot, window, window.casework.a_item, cd.ItemDialog)
    choose(item.category, "police")
    choose(item.person, "B1")
    item.body.setPlainText(POLICE_TEXT)
    _ok(qtbot, window, item)
    mid = _plan_meeting(qtbot, window)
    _invite(qtbot, window, ref)
    _attend(qtbot, window)
    _joint_record(qtbot, window, ref)
    _close_meeting(qtbot, window, mid)
    window.lock()
    wait_idle(qtbot, window)
    _what_each_party_sees(store, ref)
    unlock(qtbot, window, store, CHAIR, OWN)
    _scale_down(qtbot, window, ref)
    window.lock()
    wait_idle(qtbot, window)

    with open_as(store, CHAIR) as session:
        view = cases.show_case(session, ref, ViewSpec())
        texts = {str(i.value) for i in view.items}
        assert {REASON, POLICE_TEXT} <= texts
        assert [d.text for d in view.decisions] == [DECISION]
        assert [(a.text, a.owner.id) for a in view.actions] == [(ACTION, POLICE)]
        assert view.plan is not None
        assert view.plan.problem == PROBLEM
        assert view.closed_at is not None
        assert [p.label for p in view.persons] == ["B1"]
    # After the scaling down the uninvited party still does not know of the case, and no
    # party without a grant sees an item's text.
    _unknown_to(store, "schiedam", ref)
    for username in ("ggz", "halt"):
        with open_as(store, username) as session:
            shown = json.dumps(cases.show_case(session, ref, ViewSpec()).to_json())
            assert REASON not in shown
            assert POLICE_TEXT not in shown


def _unknown_to(store: Path, username: str, ref: str) -> None:
    """The case does not exist for ``username``: not listed, not shown."""
    with open_as(store, username) as session:
        assert ref not in {r.reference for r in cases.list_cases(session)}
        with pytest.raises(InputError) as unknown:
            cases.show_case(session, ref, ViewSpec())
        assert unknown.value.code == "case.unknown"


def _what_each_party_sees(store: Path, ref: str) -> None:
    """After the meeting, before the scaling down."""
    _unknown_to(store, "schiedam", ref)
    # Invited, no grant: GGZ knows the case and gets a placeholder for the municipality's
    # item; the police item leaves no trace (GGZ is no art. 20 Wpg recipient).
    with open_as(store, "ggz") as session:
        view = cases.show_case(session, ref, ViewSpec())
        assert view.items, "an invited party without a grant gets a placeholder"
        assert all(i.masked for i in view.items)
        assert {i.category_id for i in view.items} == {"identity"}
        shown = json.dumps(view.to_json())
        assert REASON not in shown
        assert POLICE_TEXT not in shown
        # The joint record of the meeting it attended is its to see.
        assert [d.text for d in view.decisions] == [DECISION]
    # The police party (the provider of nothing here) and Halt know the case as invited.
    for username in ("agent", "halt"):
        with open_as(store, username) as session:
            assert ref in {r.reference for r in cases.list_cases(session)}
