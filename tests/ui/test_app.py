"""The main window end to end: unlock, meetings and cases, editing through the real dialogs,
sharing, view as, the table view, locking and the clipboard guard."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

import ui.context
from app.domain.roles import Role
from app.i18n import _, current_language
from app.profiles import load_profile
from app.services.cases import case_views
from app.views import Redacted, ViewSpec
from tests.conftest import PASSPHRASE
from tests.ui.support import (
    CANARY_RE,
    PROFILE,
    TIMEOUT,
    World,
    agenda_refs,
    expectations,
    item_canaries,
    leaf_items,
    load_case_list,
    meeting_id_of,
    open_case,
    open_session,
    tree_texts,
    unlock,
    wait_idle,
)
from ui.casework.meeting_dialogs import DecisionDialog
from ui.casework.plan_dialogs import CaseActionDialog
from ui.dates import show_date
from ui.dialogs import GrantDialog
from ui.main_window import MainWindow
from ui.models import REDACTED_ROLE

PROFILE_PARTIES = load_profile(PROFILE)


def label(party: str) -> str:
    """A party's English name (the tests run the UI in English)."""
    return PROFILE_PARTIES.party(party).name.get("en")


def full_tokens(tree: Any) -> set[str]:
    """Canaries shown as values (FULL) in a tree."""
    return {t for text in tree_texts(tree) for t in CANARY_RE.findall(text)}


def drive_dialog(monkeypatch: pytest.MonkeyPatch, cls: type[QDialog],
                 fill: Callable[[Any], None], seen: list[Any] | None = None) -> None:
    """Make ``cls.exec`` run the real modal loop, fill the dialog and press OK."""
    def exec_(self: Any) -> int:
        def press() -> None:
            fill(self)
            if seen is not None:
                seen.append(self)
            box = self.findChild(QDialogButtonBox)
            box.button(QDialogButtonBox.StandardButton.Ok).click()

        QTimer.singleShot(0, press)
        return int(QDialog.exec(self))

    monkeypatch.setattr(cls, "exec", exec_)


def submit_unlock(qtbot: Any, window: MainWindow, folder: Path, username: str,
                  passphrase: str) -> None:
    """Type into the unlock page and press Open, as a user would."""
    page = window.unlock_page
    page.store.setCurrentText(str(folder))
    page.user.setText(username)
    page.passphrase.setText(passphrase)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)


# --------------------------------------------------------------------------- 1. unlock

def test_unlock_with_the_right_passphrase_fills_the_dashboard(
        qtbot: Any, world: World, store: Path, make_window: Any, settings: QSettings) -> None:
    window = make_window()
    assert window.pages.currentWidget() is window.unlock_page
    assert not window.a_lock.isEnabled()
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        submit_unlock(qtbot, window, store, world.chair, PASSPHRASE)
    wait_idle(qtbot, window)
    assert window.pages.currentWidget() is not window.unlock_page
    assert window.dashboard.model.rowCount() > 0
    assert window.meeting_model.rowCount() > 0
    role = _(Role.PROCESREGISSEUR.label)
    assert role in window.status.text()
    assert world.user(world.chair)["name"] in window.status.text()
    assert label(world.user(world.chair)["party"]) in window.status.text()
    assert window.windowTitle().startswith("Casustafel — ")
    assert window.a_lock.isEnabled()
    assert window.a_table.isEnabled()  # the chair of this meeting
    assert settings.value("recent_stores") in ([str(store)], str(store))


def test_unlock_with_a_wrong_passphrase_shows_one_translated_line(
        qtbot: Any, world: World, store: Path, make_window: Any, settings: QSettings) -> None:
    window = make_window(language="nl")
    page = window.unlock_page
    before = {key: settings.value(key) for key in settings.allKeys()}
    submit_unlock(qtbot, window, store, world.chair, "not the passphrase at all")
    qtbot.waitUntil(lambda: bool(page.error.text()), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    error = page.error.text()
    message = "Unknown user or wrong passphrase."
    assert error == _(message) != message  # the Dutch catalog's sentence
    assert "\n" not in error
    assert "Traceback" not in error
    assert page.passphrase.text() == ""
    assert page.store.currentText() == str(store)
    assert page.user.text() == world.chair
    assert page.open_button.isEnabled()
    # Nothing else changed: still locked, nothing loaded, nothing remembered.
    assert window.pages.currentWidget() is page
    assert window.opened is None
    assert window.windowTitle() == "Casustafel"
    assert window.status.text() == ""
    assert window.meeting_model.rowCount() == 0
    assert window.dashboard.model.rowCount() == 0
    assert not window.a_lock.isEnabled()
    assert not window.view_as.isEnabled()
    assert {key: settings.value(key) for key in settings.allKeys()} == before
    # The right passphrase still works afterwards.
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        submit_unlock(qtbot, window, store, world.chair, PASSPHRASE)
    assert page.error.text() == ""
    assert window.dashboard.model.rowCount() > 0


# --------------------------------------------------------------------------- 2. meeting, case

def test_open_a_meeting_and_a_case(qtbot: Any, world: World, store: Path,
                                   make_window: Any) -> None:
    # The police take part in every meeting of the demo: a list to choose from.
    window = make_window()
    unlock(qtbot, window, store, world.deelnemers["politie-rotterdam"])
    model = window.meeting_model
    assert model.rowCount() >= 2
    first = window.dashboard.meeting
    assert first is not None
    assert first.meeting_id == model.meeting(0).meeting_id
    # Choose the second meeting in the list as a user would.
    rect = window.meeting_list.visualRect(model.index(1))
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(window.meeting_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    chosen = model.meeting(1)
    assert window.dashboard.meeting is not None
    assert window.dashboard.meeting.meeting_id == chosen.meeting_id != first.meeting_id
    assert window.meeting_id == chosen.meeting_id
    assert window.views.currentWidget() is window.dashboard
    # Its agenda, in the meeting's order.
    doc = next(m for m in world.doc["meetings"]
               if m["starts_at"] == chosen.starts_at.isoformat(timespec="minutes"))
    refs = agenda_refs(window)
    assert refs
    assert refs == [e["case"] for e in doc["agenda"] if e["case"] in set(refs)]
    assert chosen.place in window.dashboard.header.text()
    # Open the first agenda case with Enter in the agenda table.
    reference = agenda_refs(window)[0]
    table = window.dashboard.table
    table.setFocus()
    table.selectRow(0)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    case = window.case_widget
    assert window.views.currentWidget() is case
    assert case.title.text().startswith(reference)
    assert case.view is not None
    assert case.view.reference == reference
    assert case.items.topLevelItemCount() > 0
    assert leaf_items(case.items)
    # One flat row per item the view shows, each with its category.
    assert case.items.topLevelItemCount() == len(case.view.items)
    categories = {i.category.get("en") for i in case.view.items}
    for i in range(case.items.topLevelItemCount()):
        row = case.items.topLevelItem(i)
        assert row.childCount() == 0
        assert row.text(4) in {i.category.get(lang) for i in case.view.items
                               for lang in ("nl", "en")} | categories


# --------------------------------------------------------------------------- 3. chair edits

def test_chair_records_a_decision_and_an_action(qtbot: Any, world: World, store: Path,
                                                make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    reference = agenda_refs(window)[0]
    open_case(qtbot, window, reference)
    case = window.case_widget
    assert not case.b_decision.isHidden()
    assert not case.b_action.isHidden()
    decisions_before = case.decisions.topLevelItemCount()
    actions_before = case.action_tree.topLevelItemCount()

    decision = "Besluit UI-test: casus blijft op de agenda"
    case.tabs.setCurrentWidget(case.decisions.parentWidget())
    qtbot.mouseClick(case.b_decision, Qt.MouseButton.LeftButton)
    form = window.edits.form
    assert isinstance(form, DecisionDialog)
    qtbot.waitExposed(form)
    assert form.windowTitle() == _("Record decision")
    form.text.setPlainText(decision)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not form.isVisible()
    assert case.decisions.topLevelItemCount() == decisions_before + 1
    assert decision in tree_texts(case.decisions)

    owner = "politie-rotterdam"
    due = dt.date.today() + dt.timedelta(days=21)  # noqa: DTZ011 - local day, as the dialog

    action = window.edits.add_action()  # what "Add action…" reaches
    assert isinstance(action, CaseActionDialog)
    qtbot.waitExposed(action)
    action.text.setPlainText("Actie UI-test: huisbezoek plannen")
    action.owner.setCurrentIndex(action.owner.findData(owner))
    action.due.setDate(QDate(due.year, due.month, due.day))
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert case.action_tree.topLevelItemCount() == actions_before + 1
    rows = [[case.action_tree.topLevelItem(i).text(c) for c in range(4)]
            for i in range(case.action_tree.topLevelItemCount())]
    added = [r for r in rows if r[0] == "Actie UI-test: huisbezoek plannen"]
    assert len(added) == 1
    assert added[0][1] == label(owner)
    assert added[0][2] != "—"
    # The case view was rebuilt from the store, not patched locally.
    assert case.view is not None
    assert any(a.text == "Actie UI-test: huisbezoek plannen" and a.due_on == due
               and a.owner.id == owner for a in case.view.actions)
    assert any(d.text == decision for d in case.view.decisions)


def test_cancelled_dialog_changes_nothing(qtbot: Any, world: World, store: Path,
                                          make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, agenda_refs(window)[0])
    before = tree_texts(window.case_widget.decisions)
    form = window.edits.record_decision()  # the slot behind the button
    assert isinstance(form, DecisionDialog)
    qtbot.waitExposed(form)
    form.text.setPlainText("Besluit dat niet wordt vastgelegd")
    form.reject()
    qtbot.wait(50)
    assert window.ctx.worker.idle
    assert not form.isVisible()
    assert tree_texts(window.case_widget.decisions) == before


# --------------------------------------------------------------------------- 4. sharing

def _share_candidate(folder: Path, world: World) -> tuple[str, str, str, int]:
    """(provider user, recipient user, case, item id, canary) where the recipient sees an
    item of the provider's party MASKED "not shared", and a grant may lift that."""
    profile = load_profile(PROFILE)
    users = dict(world.deelnemers)
    for recipient_party, recipient in sorted(users.items()):
        session = open_session(folder, recipient)
        try:
            for view, _shown in case_views(session, None, ViewSpec()):
                for item in view.items:
                    value = item.value
                    provider = item.provider.id
                    if (isinstance(value, Redacted) and value.code == "not_granted"
                            and provider in users and provider != recipient_party
                            and profile.party(provider).regime != "wpg"
                            and not profile.data_category(item.category_id).police):
                        return users[provider], recipient, view.reference, item.item_id
        finally:
            session.close(backup=False)
    raise AssertionError("the demo store has no item to share")


def _seen_by(folder: Path, username: str, reference: str, item_id: int) -> object:
    session = open_session(folder, username)
    try:
        (view, _shown), = [v for v in case_views(session, None, ViewSpec())
                           if v[0].reference == reference]
        return next(i.value for i in view.items if i.item_id == item_id)
    finally:
        session.close(backup=False)


def _lock(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        window.lock()
    wait_idle(qtbot, window)  # the session is closed in the store thread


def test_deelnemer_shares_and_withdraws(qtbot: Any, world: World, store: Path,
                                        make_window: Any,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    provider, recipient, reference, item_id = _share_candidate(store, world)
    recipient_party = world.user(recipient)["party"]
    assert isinstance(_seen_by(store, recipient, reference, item_id), Redacted)

    window = make_window()
    unlock(qtbot, window, store, provider)
    open_case(qtbot, window, reference)
    case = window.case_widget
    assert not case.b_share.isHidden()
    assert case.b_decision.isHidden()  # a deelnemer records no decisions
    own = next(i for i in case.view.items if i.item_id == item_id)
    token = CANARY_RE.findall(str(own.value))[0]
    grants_before = case.grants.topLevelItemCount()
    # The grant's scope by the item's category and date, never its id (issue 13, point 9).
    scope_text = f"{own.category.get(current_language())} · {show_date(own.provided_on)}"

    def fill(d: GrantDialog) -> None:
        d.recipient.setCurrentIndex(d.recipient.findData(recipient_party))
        scope = next(i for i in range(d.scope.count()) if d.scope.itemData(i) == ("item", item_id))
        d.scope.setCurrentIndex(scope)

    drive_dialog(monkeypatch, GrantDialog, fill)
    case.tabs.setCurrentWidget(case.sharing_tab)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(case.b_share, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert case.grants.topLevelItemCount() == grants_before + 1
    rows = [case.grants.topLevelItem(i) for i in range(case.grants.topLevelItemCount())]
    new = [r for r in rows if r.text(1) == scope_text]
    assert len(new) == 1
    assert new[0].text(0) == label(recipient_party)
    assert new[0].text(3) == _("active")

    _lock(qtbot, window)
    value = _seen_by(store, recipient, reference, item_id)
    assert isinstance(value, str)
    assert token in value

    unlock(qtbot, window, store, provider)
    open_case(qtbot, window, reference)
    case.tabs.setCurrentWidget(case.sharing_tab)
    rows = [case.grants.topLevelItem(i) for i in range(case.grants.topLevelItemCount())]
    (row,) = [r for r in rows if r.text(1) == scope_text]
    case.grants.setCurrentItem(row)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(case.b_revoke, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    rows = [case.grants.topLevelItem(i) for i in range(case.grants.topLevelItemCount())]
    (row,) = [r for r in rows if r.text(1) == scope_text]
    assert row.text(3) == _("withdrawn")

    _lock(qtbot, window)
    value = _seen_by(store, recipient, reference, item_id)
    assert isinstance(value, Redacted)
    assert value.code == "not_granted"


# --------------------------------------------------------------------------- 5. view as, table

def test_view_as_shows_less(qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    mid = meeting_id_of(store, world.chair)
    specs: dict[str, ViewSpec | None] = {"own": None}
    specs |= {p: ViewSpec.as_party(p, mid) for p in world.present}
    expected = expectations(store, world.chair, specs)
    own = expected["own"]
    # A case and a party present that sees some, but fewer, values than the chair.
    def items(name: str, ref: str) -> set[str]:
        return item_canaries(expected[name].per_case.get(ref, ()))

    reference, party = max(
        ((ref, p) for ref in world.agenda_refs() for p in world.present
         if 0 < len(items(p, ref)) < len(items("own", ref))),
        key=lambda rp: len(items("own", rp[0])) - len(items(rp[1], rp[0])))

    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, reference)
    mine = full_tokens(window.case_widget.items)
    assert mine == item_canaries(own.per_case[reference])
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.view_as.setCurrentIndex(window.view_as.findData(party))
    wait_idle(qtbot, window)
    assert window.case_widget.title.text().startswith(reference)
    theirs = full_tokens(window.case_widget.items)
    assert theirs < mine
    assert theirs | full_tokens(window.case_widget.persons) <= item_canaries(
        expected[party].per_case[reference])
    assert any(
        child.data(0, REDACTED_ROLE)
        for child in leaf_items(window.case_widget.items))  # placeholders shown
    # Back to "myself": everything again.
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.view_as.setCurrentIndex(0)
    assert full_tokens(window.case_widget.items) == mine


def _enter_table(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.table_mode.enter()
    wait_idle(qtbot, window)
    assert window.table_mode.view is not None
    qtbot.waitExposed(window.table_mode.view)


def _table_key(qtbot: Any, window: MainWindow, key: Qt.Key) -> None:
    """Press a key where the beamer's keyboard focus is."""
    _table_key_with(qtbot, window, key, Qt.KeyboardModifier.NoModifier)


def _table_key_with(qtbot: Any, window: MainWindow, key: Qt.Key,
                    modifier: Qt.KeyboardModifier) -> None:
    """Press a key (with ``modifier``) on the widget that has the beamer's focus."""
    table = window.table_mode.view
    assert table is not None
    table.activateWindow()
    target = QGuiApplication.focusObject()
    target = target if isinstance(target, QWidget) and table.isAncestorOf(target) else table
    qtbot.keyClick(target, key, modifier)


def test_table_view(qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    mid = meeting_id_of(store, world.chair)
    # The table for each case: the parties present minus those that left the room for it.
    per_case = expectations(store, world.chair, {
        ref: ViewSpec.table(world.at_table(ref), mid) for ref in world.agenda_refs()})
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    refs = agenda_refs(window)
    _enter_table(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    assert table.isVisible()
    assert table.isFullScreen()
    header = table.safe_for.text()
    rest = header
    assert table.case.view is not None
    blocked = {p.id for p in table.case.view.blocked_by}
    if blocked:
        # Nobody is told the screen is safe for them while a party must leave first.
        assert "visible to everyone present" not in header
        safe_for: set[str] = blocked
    else:
        safe_for = set(world.at_table(refs[0]))
    for name in sorted((label(p) for p in safe_for), key=len, reverse=True):
        assert name in rest
        rest = rest.replace(name, "")
    for party in set(world.present) - set(world.at_table(refs[0])):
        assert label(party) not in rest
    absent = [a["party"] for a in world.meeting["attendees"] if not a.get("present", True)]
    for party in absent:
        assert label(party) not in rest
    # Large type for the beamer.
    assert table.case.tabs.font().pointSize() >= 20

    def shown() -> tuple[str, set[str]]:
        texts = [t for tree in table.case.trees() for t in tree_texts(tree)]
        labels = [w.text() for w in table.findChildren(QLabel)]
        return (table.case.title.text(),
                {t for s in texts + labels for t in CANARY_RE.findall(s)})

    assert window.dashboard.current_reference() == refs[0]
    title, tokens = shown()
    assert title.startswith(refs[0])
    assert tokens <= per_case[refs[0]].per_case.get(refs[0], set())
    for step, ref in enumerate(refs[1:], start=1):
        with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
            _table_key(qtbot, window, Qt.Key.Key_PageDown)
        wait_idle(qtbot, window)
        assert window.dashboard.current_reference() == ref, step
        title, tokens = shown()
        assert title.startswith(ref)
        assert tokens <= per_case[ref].per_case.get(ref, set())
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        _table_key(qtbot, window, Qt.Key.Key_PageUp)
    assert window.dashboard.current_reference() == refs[-2]
    _table_key(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.table_mode.view is None, timeout=TIMEOUT)
    assert not table.isVisible()


def test_table_view_must_leave_notice(qtbot: Any, world: World, store: Path,
                                      make_window: Any) -> None:
    reference, party = world.stay
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    row = agenda_refs(window).index(reference)
    window.dashboard.table.selectRow(row)
    # The dashboard warns the chair too.
    assert window.dashboard.must_leave.isVisible()
    assert label(party) in window.dashboard.must_leave.text()
    _enter_table(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    assert table.case.title.text().startswith(reference)
    assert table.case.notice.isVisible()
    assert label(party) in table.case.notice.text()
    for tree in table.case.trees():
        assert tree.topLevelItemCount() == 0, tree.accessibleName()
    texts = [w.text() for w in table.findChildren(QLabel)]
    assert not [t for t in texts if "CANARY" in t]
    assert table.case.view is not None
    assert not table.case.view.items
    assert not table.case.view.persons


def test_table_view_ignores_parties_that_left_the_room(qtbot: Any, world: World, store: Path,
                                                       make_window: Any) -> None:
    # A case whose uninvited parties all left the room: nobody must leave any more.
    entry = next(e for e in world.meeting["agenda"]
                 if e["case"] != world.stay[0] and e.get("left_room")
                 and set(world.present) - set(e.get("left_room", ())) - set(e["invited"])
                 == set())
    reference = entry["case"]
    in_room = set(world.present) - set(entry["left_room"])
    mid = meeting_id_of(store, world.chair)
    expected = expectations(store, world.chair,
                            {"table": ViewSpec.table(in_room, mid)})["table"]
    assert reference in expected.content  # the services show this table content
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    window.dashboard.table.selectRow(agenda_refs(window).index(reference))
    assert not window.dashboard.must_leave.isVisible()  # the dashboard agrees
    _enter_table(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    assert table.case.title.text().startswith(reference)
    assert not table.case.notice.isVisible(), table.case.notice.text()
    assert full_tokens(table.case.items) == item_canaries(expected.per_case[reference])


def test_table_view_arrow_keys_step_cases(qtbot: Any, world: World, store: Path,
                                          make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    refs = agenda_refs(window)
    _enter_table(qtbot, window)
    with qtbot.waitSignal(window.ready, timeout=2_000):
        _table_key(qtbot, window, Qt.Key.Key_Right)
    assert window.dashboard.current_reference() == refs[1]


# --------------------------------------------------------------------------- 6. locking

def _assert_locked_and_empty(window: MainWindow) -> None:
    assert window.pages.currentWidget() is window.unlock_page
    assert window.unlock_page.isVisible()
    assert window.windowTitle() == "Casustafel"
    assert window.status.text() == ""
    assert window.opened is None
    assert window.dashboard.model.rowCount() == 0
    assert window.dashboard.proxy.rowCount() == 0
    assert window.dashboard.meeting is None
    assert window.case_list_model.rowCount() == 0
    assert window.case_list_model.cached() == 0
    assert window.meeting_model.rowCount() == 0
    for tree in window.case_widget.trees():
        assert tree.topLevelItemCount() == 0, tree.accessibleName()
    assert window.case_widget.view is None
    assert window.case_widget.title.text() == ""
    assert window.view_as.count() == 0
    assert not window.view_as.isEnabled()
    assert not window.a_table.isEnabled()
    assert window.table_mode.view is None
    assert window.unlock_page.passphrase.text() == ""
    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    assert not [t for t in texts if "CANARY" in t]


def _populate(qtbot: Any, window: MainWindow) -> None:
    assert load_case_list(qtbot, window) > 0
    open_case(qtbot, window, agenda_refs(window)[0] if agenda_refs(window) else "")
    assert window.case_widget.items.topLevelItemCount() > 0


def test_idle_lock(qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window(idle_minutes=0.02)  # 1.2 s
    assert window.ctx.idle_minutes == pytest.approx(0.02)
    unlock(qtbot, window, store, world.chair)
    agenda = agenda_refs(window)
    _populate(qtbot, window)
    window.views.setCurrentWidget(window.dashboard)
    window.dashboard.table.selectRow(0)
    # Input restarts the countdown: the lock comes a full idle period after the last move.
    qtbot.mouseMove(window.dashboard.table.viewport(), QPoint(5, 5))
    qtbot.mouseMove(window.dashboard.table.viewport(), QPoint(30, 20))
    last_input = time.monotonic()
    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        pass
    assert time.monotonic() - last_input >= 1.0
    wait_idle(qtbot, window)
    _assert_locked_and_empty(window)
    assert window.unlock_page.user.text() == world.chair
    assert window.unlock_page.store.currentText() == str(store)
    assert not any(ref in window.windowTitle() for ref in agenda)
    # Unlocking again works after the store thread closed the session.
    unlock(qtbot, window, store, world.chair)
    assert window.dashboard.model.rowCount() > 0


def test_ctrl_l_locks_and_wipes_the_clipboard(qtbot: Any, world: World, store: Path,
                                              make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    _populate(qtbot, window)
    items = window.case_widget.items
    window.case_widget.tabs.setCurrentWidget(items)
    window.activateWindow()
    items.setFocus()
    items.setCurrentItem(leaf_items(items)[0])
    qtbot.keyClick(items, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied
    assert copied.split("\t")[0] == leaf_items(items)[0].text(0)
    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    _assert_locked_and_empty(window)
    assert QGuiApplication.clipboard().text() == ""
    # Ctrl+L on the unlock page does nothing harmful.
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    _assert_locked_and_empty(window)


def test_lock_while_a_case_is_loading_shows_nothing(qtbot: Any, world: World, store: Path,
                                                    make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    window.open_case(agenda_refs(window)[0])
    window.lock()  # before the store thread's answer reached the GUI thread
    wait_idle(qtbot, window)
    qtbot.wait(50)
    _assert_locked_and_empty(window)


def test_lock_leaves_no_case_text_in_any_widget(qtbot: Any, world: World, store: Path,
                                                make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    refs = agenda_refs(window)
    window.dashboard.table.selectRow(refs.index(world.stay[0]))
    open_case(qtbot, window, refs[0])
    _lock(qtbot, window)
    _assert_locked_and_empty(window)
    leftovers = []
    for widget in window.findChildren(QWidget):
        texts = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        leftovers += [(type(widget).__name__, t) for t in texts
                      if any(ref in t for ref in refs)]
    assert leftovers == []


def test_ctrl_l_locks_from_the_table_view(qtbot: Any, world: World, store: Path,
                                          make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    _enter_table(qtbot, window)
    with qtbot.waitSignal(window.locked, timeout=2_000):
        _table_key_with(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.table_mode.view is None


def test_ctrl_c_in_the_agenda_is_wiped_too(qtbot: Any, world: World, store: Path,
                                           make_window: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.context, "CLIPBOARD_CLEAR_MS", 150)
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    table = window.dashboard.table
    window.activateWindow()
    table.setFocus()
    table.setCurrentIndex(window.dashboard.proxy.index(0, 2))  # the person concerned
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(600)
    assert not CANARY_RE.findall(clipboard.text()), clipboard.text()
    _lock(qtbot, window)
    assert not CANARY_RE.findall(clipboard.text()), clipboard.text()


# --------------------------------------------------------------------------- 7. clipboard

def test_clipboard_is_wiped_after_the_timeout(qtbot: Any, make_context: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.context, "CLIPBOARD_CLEAR_MS", 150)
    ctx = make_context()
    clipboard = QGuiApplication.clipboard()
    ctx.copy_to_clipboard("Björn van Gemert CANARY-ZVH-0001-I001")
    assert clipboard.text() == "Björn van Gemert CANARY-ZVH-0001-I001"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3_000)


def test_clipboard_keeps_what_the_user_copied_since(qtbot: Any, make_context: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ui.context, "CLIPBOARD_CLEAR_MS", 150)
    ctx = make_context()
    clipboard = QGuiApplication.clipboard()
    ctx.copy_to_clipboard("CANARY-ZVH-0002-I002")
    clipboard.setText("my own shopping list")
    qtbot.wait(500)
    assert clipboard.text() == "my own shopping list"
    # A second copy restarts the countdown and is wiped in its turn.
    ctx.copy_to_clipboard("first")
    qtbot.wait(50)
    ctx.copy_to_clipboard("second")
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3_000)


# --------------------------------------------------------------------------- extra checks

def test_agenda_sorts_by_actions(qtbot: Any, world: World, store: Path,
                                 make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    dashboard = window.dashboard
    rows = [dashboard.model.item(r).row for r in range(dashboard.model.rowCount())]
    keys = {(r.overdue_actions, r.open_actions) for r in rows}
    assert len(keys) > 2  # something to sort
    dashboard.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    order = []
    for r in range(dashboard.proxy.rowCount()):
        source = dashboard.proxy.mapToSource(dashboard.proxy.index(r, 0)).row()
        item = dashboard.model.item(source).row
        order.append((item.overdue_actions, item.open_actions))
    assert order == sorted(order, reverse=True)


def test_view_as_changed_on_the_case_screen_also_updates_the_agenda(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    mid = meeting_id_of(store, world.chair)
    specs: dict[str, ViewSpec | None] = {p: ViewSpec.as_party(p, mid) for p in world.present}
    specs["own"] = None
    expected = expectations(store, world.chair, specs)
    own_names = {t for ref in world.agenda_refs() for t in expected["own"].per_case[ref]}
    party = min(world.present, key=lambda p: len(expected[p].full & own_names))
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, agenda_refs(window)[0])
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.view_as.setCurrentIndex(window.view_as.findData(party))
    wait_idle(qtbot, window)
    window.a_back.trigger()
    proxy = window.dashboard.proxy
    shown = {t for r in range(proxy.rowCount())
             for t in CANARY_RE.findall(str(proxy.index(r, 2).data()))}
    assert shown <= expected[party].full


# --------------------------------------------------------------------------- 10. screenshot

def test_screenshot_command(tmp_path: Path) -> None:
    out = tmp_path / "shots" / "dashboard.png"
    exe = Path(sys.executable).with_name("casustafel")
    temp = tmp_path / "temp"  # the run's own temp directory: where its demo store goes
    temp.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp)}
    done = subprocess.run([str(exe), "--demo", "--screenshot", str(out), "--view", "dashboard"],
                          env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    # Issue 13, point 13: the demo store's temporary folder is gone after the quit.
    assert list(temp.glob("casustafel-demo-*")) == []
    assert out.is_file()
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() >= 1000
    assert image.height() >= 600
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 29)}
    assert len(colours) > 8  # not a blank frame
    assert str(out) in done.stdout
