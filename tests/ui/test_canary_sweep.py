"""Canary sweep: everything the window can show holds only canaries the viewer may see FULL.

Every item body (names included) and every row of the joint record of the demo store carries
a unique ``CANARY-<ref>-<key>`` marker. For each viewer the allowed set is computed with the
services (``case_views``); then every model reachable from the window is walked -- each row
(recursively), column and role, the headers and the MIME data -- together with every
widget's text, tooltip and accessible name and description, the window titles and the
clipboard after Ctrl+C. Every canary found must be in the allowed set; each case screen must
show exactly the case's allowed canaries (nothing dropped either), and a viewer with masked
items must have seen placeholders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QListWidgetItem

from app.i18n import _
from app.profiles import load_profile
from app.views import ViewSpec
from tests.ui.support import (
    PROFILE,
    TIMEOUT,
    Expected,
    Sweep,
    World,
    agenda_refs,
    expectations,
    leaf_items,
    load_case_list,
    meeting_id_of,
    open_case,
    unlock,
    wait_idle,
)
from ui.main_window import MainWindow
from ui.models import ID_ROLE

LIST_PLACES = ("window/view:" + "All cases", "case-list")


def sweep_window(sweep: Sweep, window: MainWindow) -> None:
    """Walk everything the main window (and the table view, if open) can show."""
    # Every item view's model is walked by the widget sweep (the agenda through its proxy,
    # the trees of the case screen, the meeting and case lists); the agenda's source model
    # is walked too, so a row the filter hides cannot hide a leak.
    sweep.widgets("window", window)
    sweep.model("agenda-source", window.dashboard.model)
    if window.table_mode.view is not None:
        sweep_table(sweep, window)
    sweep.titles("titles")
    sweep.clipboard("clipboard")


def sweep_table(sweep: Sweep, window: MainWindow) -> None:
    """Walk the beamer window only."""
    table = window.table_mode.view
    assert table is not None
    sweep.widgets("table", table)  # with the models of its case screen's trees
    sweep.text("table/title", table.windowTitle())


def case_screen(window: MainWindow) -> tuple[set[str], int]:
    """Canaries on the case screen (its trees and labels) and its placeholder cells."""
    sweep = Sweep()
    for tree in window.case_widget.trees():
        sweep.model("case", tree.model())
    placeholders = sweep.redacted
    sweep.widgets("case", window.case_widget)
    return sweep.tokens(), placeholders


def assert_case_screen(window: MainWindow, expected: Expected, reference: str) -> None:
    """The case screen shows exactly the FULL values and placeholders the services give."""
    tokens, placeholders = case_screen(window)
    assert tokens == expected.per_case.get(reference, set()), reference
    assert placeholders == expected.masked.get(reference, 0), reference


def copy_every_value(qtbot: Any, window: MainWindow, sweep: Sweep) -> int:
    """Ctrl+C on every information item and person; returns how many copies landed."""
    case = window.case_widget
    copies = 0
    window.activateWindow()
    for tree in (case.items, case.persons):
        case.tabs.setCurrentWidget(tree if tree is case.items else case.persons.parentWidget())
        tree.setFocus()
        for item in leaf_items(tree):
            QGuiApplication.clipboard().clear()
            tree.setCurrentItem(item)
            qtbot.keyClick(tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
            if QGuiApplication.clipboard().text():
                copies += 1
            sweep.clipboard("clipboard")
    return copies


def assert_within(sweep: Sweep, allowed: set[str], *, places: tuple[str, ...] = (),
                  exclude: tuple[str, ...] = ()) -> None:
    """Every canary seen in ``places`` (all, if none) outside ``exclude`` is allowed."""
    leaks: dict[str, set[str]] = {}
    for where, tokens in sweep.seen.items():
        if places and not any(where.startswith(p) for p in places):
            continue
        if any(where.startswith(p) for p in exclude):
            continue
        if tokens - allowed:
            leaks[where] = tokens - allowed
    assert not leaks, "\n".join(f"{where}: {sorted(tokens)}" for where, tokens in leaks.items())
    assert sweep.partial == []


def masked_in(expected: Expected, refs: list[str]) -> int:
    """Placeholders the services give for these cases."""
    return sum(expected.masked.get(r, 0) for r in refs)


# --------------------------------------------------------------------------- the chair

def test_chair_own_view(qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    expected = expectations(store, world.chair, {"meeting": None, "list": ViewSpec()})
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    sweep = Sweep()
    rows = load_case_list(qtbot, window)
    model = window.case_list_model
    refs = [str(model.index(r, 0).data(ID_ROLE)) for r in range(rows)]
    assert set(refs) == expected["list"].refs
    sweep_window(sweep, window)
    copies = 0
    for reference in refs:
        open_case(qtbot, window, reference)
        assert_case_screen(window, expected["meeting"], reference)
        copies += copy_every_value(qtbot, window, sweep)
        sweep_window(sweep, window)
    assert copies > 0
    assert sweep.tokens("clipboard")
    assert_within(sweep, expected["list"].full, places=LIST_PLACES)
    assert_within(sweep, expected["meeting"].full, exclude=LIST_PLACES)
    assert len(sweep.tokens()) >= len(expected["meeting"].full) > 0
    if masked_in(expected["meeting"], refs):
        assert sweep.redacted > 0


# --------------------------------------------------------------------------- view as

def test_view_as_each_party_present(qtbot: Any, world: World, store: Path,
                                    make_window: Any) -> None:
    mid = meeting_id_of(store, world.chair)
    expected = expectations(store, world.chair,
                            {p: ViewSpec.as_party(p, mid) for p in world.present})
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    refs = agenda_refs(window)
    seen_any = 0
    placeholders = 0
    for party in world.present:
        allowed = expected[party]
        window.views.setCurrentWidget(window.dashboard)
        with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
            window.view_as.setCurrentIndex(window.view_as.findData(party))
        wait_idle(qtbot, window)
        # (The hidden case screen and the clipboard still hold what was shown as the
        # previous party until a case is opened: sweep the dashboard alone first.)
        QGuiApplication.clipboard().clear()
        sweep = Sweep()
        sweep.widgets("dashboard", window.dashboard)
        sweep.model("agenda", window.dashboard.proxy)
        sweep.model("agenda-source", window.dashboard.model)
        sweep.titles("titles")
        for reference in refs:
            open_case(qtbot, window, reference)
            assert_case_screen(window, allowed, reference)
            copy_every_value(qtbot, window, sweep)
            sweep_window(sweep, window)
        assert_within(sweep, allowed.full)  # view as {party}
        seen_any += bool(sweep.tokens())
        if masked_in(allowed, refs):
            assert sweep.redacted > 0, party
            placeholders += 1
        if any(allowed.per_case.get(r) for r in refs):
            assert sweep.tokens(), party
    assert seen_any > 0
    assert placeholders > 0


# --------------------------------------------------------------------------- deelnemers

@pytest.mark.parametrize("party", ["politie-rotterdam", "ggz-antes", "om-rotterdam",
                                   "gemeente-schiedam"])
def test_deelnemer(qtbot: Any, world: World, store: Path, make_window: Any,
                   party: str) -> None:
    username = world.deelnemers[party]
    expected = expectations(store, username, {"meeting": None, "list": ViewSpec()})
    window = make_window()
    unlock(qtbot, window, store, username)
    assert window.view_as.count() == 1  # only "myself": view as is for the chair
    assert not window.a_table.isEnabled()
    sweep = Sweep()
    rows = load_case_list(qtbot, window)
    model = window.case_list_model
    refs = [str(model.index(r, 0).data(ID_ROLE)) for r in range(rows)]
    assert set(refs) == expected["list"].refs
    sweep_window(sweep, window)
    for reference in refs:
        open_case(qtbot, window, reference)
        assert_case_screen(window, expected["meeting"], reference)
        copy_every_value(qtbot, window, sweep)
        sweep_window(sweep, window)
    assert_within(sweep, expected["list"].full, places=LIST_PLACES)
    assert_within(sweep, expected["meeting"].full, exclude=LIST_PLACES)
    assert sweep.tokens()
    assert masked_in(expected["meeting"], refs) > 0
    assert sweep.redacted > 0


# --------------------------------------------------------------------------- table view

def _presence_item(window: MainWindow, party: str) -> QListWidgetItem:
    item = window.dashboard.attendance_item(party)
    assert item is not None
    name = _("{party} present").format(
        party=load_profile(PROFILE).party(party).name.get("en"))
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == name
    assert item.flags() & Qt.ItemFlag.ItemIsUserCheckable  # the chair may tick it
    return item


def _step_to(qtbot: Any, window: MainWindow, reference: str) -> None:
    for _i in range(len(agenda_refs(window))):
        if window.dashboard.current_reference() == reference:
            return
        with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
            window.table_mode.view.next_case.emit()  # type: ignore[union-attr]
        wait_idle(qtbot, window)
    assert window.dashboard.current_reference() == reference


def _walk_table(qtbot: Any, window: MainWindow, sweep: Sweep,
                expected: Expected) -> dict[str, set[str]]:
    """Step through every agenda case with PgDn; per case what the beamer showed."""
    shown: dict[str, set[str]] = {}
    refs = agenda_refs(window)
    for step in range(len(refs)):
        table = window.table_mode.view
        assert table is not None
        reference = window.dashboard.current_reference()
        assert reference is not None
        assert table.case.title.text().startswith(reference)
        one = Sweep()
        sweep_table(one, window)
        shown[reference] = one.tokens()
        sweep_window(sweep, window)  # the beamer and the chair's own screen
        assert one.tokens() <= expected.per_case.get(reference, set()), reference
        if step < len(refs) - 1:
            with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
                qtbot.keyClick(table, Qt.Key.Key_PageDown)
            wait_idle(qtbot, window)
    return shown


def test_table_view(qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    mid = meeting_id_of(store, world.chair)
    present = set(world.present)
    # Narrowed attendance: only the invited parties of one agenda case stay, so the beamer
    # has content to show for it.
    narrow = {e["case"]: present & set(e["invited"]) for e in world.meeting["agenda"]}
    specs: dict[str, ViewSpec | None] = {"own": None, "table": ViewSpec.table(present, mid)}
    specs |= {ref: ViewSpec.table(parties, mid) for ref, parties in narrow.items() if parties}
    # Per case the beamer shows the table of the parties present minus those that left the
    # room for that case.
    specs |= {f"at:{ref}": ViewSpec.table(world.at_table(ref), mid)
              for ref in world.agenda_refs()}
    expected = expectations(store, world.chair, specs)
    at_table = Expected()
    for ref in world.agenda_refs():
        at_table.per_case[ref] = expected[f"at:{ref}"].per_case.get(ref, set())
        at_table.full |= at_table.per_case[ref]
    target = max((ref for ref in narrow if narrow[ref]),
                 key=lambda ref: len(expected[ref].per_case.get(ref, ())))
    assert expected[target].per_case[target]
    # After narrowing attendance to the target's invited parties, each case's table is
    # those parties minus the ones that left the room for that case.
    narrowed_specs: dict[str, ViewSpec | None] = {
        ref: ViewSpec.table(narrow[target] - world.left_room(ref), mid)
        for ref in world.agenda_refs()}
    narrowed = expectations(store, world.chair, narrowed_specs)
    allowed = Expected()
    for ref in world.agenda_refs():
        allowed.per_case[ref] = narrowed[ref].per_case.get(ref, set())
        allowed.full |= allowed.per_case[ref]
        allowed.masked[ref] = narrowed[ref].masked.get(ref, 0)

    window = make_window()
    unlock(qtbot, window, store, world.chair)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.table_mode.enter()
    wait_idle(qtbot, window)
    sweep = Sweep()
    _walk_table(qtbot, window, sweep, at_table)
    assert_within(sweep, at_table.full, places=("table",))
    assert_within(sweep, expected["own"].full, exclude=("table",))

    # Send everybody out who is not invited for the target case.
    for party in sorted(present - narrow[target]):
        item = _presence_item(window, party)
        assert item.checkState() == Qt.CheckState.Checked
        with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
            item.setCheckState(Qt.CheckState.Unchecked)
        wait_idle(qtbot, window)
    assert window.dashboard.meeting is not None
    assert {a.party.id for a in window.dashboard.meeting.attendees if a.present} \
        == narrow[target]
    table = window.table_mode.view
    assert table is not None
    current = window.dashboard.current_reference()
    assert current is not None
    # The header names the parties at the table for the case on screen (those that left
    # the room for it are not at the table).
    for party in narrow[target] & set(world.at_table(current)):
        assert load_profile(PROFILE).party(party).name.get("en") in table.safe_for.text()
    sweep = Sweep()
    shown = _walk_table(qtbot, window, sweep, allowed)
    assert shown[target] == allowed.per_case[target]
    assert_within(sweep, allowed.full, places=("table",))
    assert_within(sweep, expected["own"].full, exclude=("table",))
    if allowed.masked.get(target):
        assert sweep.redacted > 0
    _step_to(qtbot, window, target)
    assert not table.case.notice.isVisible()
