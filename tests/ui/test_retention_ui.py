"""Issue 12 in the app: the Retention tab of the privacy workbench and the procesregisseur's
reminders (ui/privacy/retention_tab.py, ui/retention_reminders.py).

On copies of the UI demo store, with cases aged as tests/app/services/test_retention.py
does (opened months ago): the tab is offered to the approver only (the sections come from
app.services.screens); a case past its five years is listed with its rule (ZVH 11.2); an
extension without motivation is refused at the field, one beyond two years at the date,
and a motivated one is recorded and shown (ZVH 11.3-11.4); approving asks first (default
No), then where to save, then runs: the proces-verbaal is written only to the chosen file
and nothing due is left (ZVH 11.2, WO 9.8); the procesregisseur sees what falls due in the
next 30 days in their own cases and extends from there (ZVH 11.3); a lock leaves nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QTableWidget
from shiboken6 import Shiboken

from app import clock
from app.policy.retention import add_months
from app.services import casework, retention
from tests.app.services.test_services import RDAM, _walk
from tests.ui.support import TIMEOUT, World, open_session, unlock, wait_idle
from ui.main_window import MainWindow
from ui.main_window.workspace import VIEW_PRIVACY
from ui.privacy.common import BADGE_COLOURS, day_text
from ui.privacy.retention_dialogs import ExtendDialog
from ui.privacy.retention_tab import RetentionTab

COLUMNS = {"due": 0, "state": 1, "case": 2, "what": 3, "rule": 5, "article": 6,
           "extended": 7, "limit": 8}


def _role(world: World, role: str) -> str:
    return str(next(u["username"] for u in world.doc["users"] if u["role"] == role))


def _aged_case(folder: Path, chair: str, opened_at: dt.date) -> str:
    """A case of ``chair`` registered on ``opened_at``, at the table (casusoverleg)."""
    with open_session(folder, chair) as session:
        ref = casework.create_case(session, registering_party=RDAM, themes=["overlast"],
                                   goal="Rust in de straat", opened_at=opened_at)
        casework.add_person(session, ref, category="cat-i")
        _walk(session, ref, "casusoverleg")
    return ref


def _past_term(folder: Path, world: World) -> str:
    """A case of the demo's chair opened 61 months ago: past its five years (ZVH 11.2)."""
    return _aged_case(folder, world.chair, add_months(clock.today(), -61))


def _open_tab(qtbot: Any, window: MainWindow, folder: Path, officer: str) -> RetentionTab:
    unlock(qtbot, window, folder, officer)
    window.privacy_button.click()
    wait_idle(qtbot, window)
    assert window.views.currentIndex() == VIEW_PRIVACY
    bench = window.workbench
    assert bench.isTabVisible(bench.indexOf(bench.retention))
    bench.setCurrentWidget(bench.retention)
    wait_idle(qtbot, window)
    assert bench.retention.loaded
    return bench.retention


def _row(widget: QTableWidget, ref: str) -> int:
    rows = [r for r in range(widget.rowCount())
            if widget.item(r, COLUMNS["case"]).text() == ref]
    assert len(rows) == 1, (ref, rows)
    return rows[0]


def _refs(widget: QTableWidget) -> set[str]:
    return {widget.item(r, COLUMNS["case"]).text() for r in range(widget.rowCount())}


# --------------------------------------------------------------------------- sections

def test_zvh_15_3d_the_retention_tab_is_the_approvers_only(qtbot: Any, make_window: Any,
                                                           store: Path, world: World) -> None:
    """ZVH 15.3d, 24: the privacy officer (the profile's approver) gets the Retention tab;
    a participant gets no workbench and no reminders, and neither does the tab show."""
    window = make_window()
    _open_tab(qtbot, window, store, _role(world, "privacy-officer"))
    assert not window.retention_reminders.isVisible()
    window.lock()
    bench = window.workbench
    assert not bench.isTabVisible(bench.indexOf(bench.retention))
    participant = next(iter(world.deelnemers.values()))
    unlock(qtbot, window, store, participant)
    assert window.opened is not None
    assert "retention" not in window.opened.sections
    assert not window.privacy_button.isVisible()
    assert not bench.isTabVisible(bench.indexOf(bench.retention))
    assert not window.retention_reminders.isVisible()
    assert window.retention_reminders.list.count() == 0


# --------------------------------------------------------------------------- the list

def test_zvh_11_2_a_case_past_its_term_is_listed_with_its_rule(qtbot: Any, make_window: Any,
                                                               store: Path,
                                                               world: World) -> None:
    """ZVH 11.2: five years after processing started the whole case is due: the line
    names what is destroyed, the rule and article, the due date, the latest date an
    extension may reach, and an overdue badge."""
    ref = _past_term(store, world)
    window = make_window()
    tab = _open_tab(qtbot, window, store, _role(world, "privacy-officer"))
    row = _row(tab.table, ref)
    item = tab.table.item
    # The clock in words, its id only in the tooltip (issue 13, point 9).
    assert item(row, COLUMNS["rule"]).text() == ("Case file: 5 years after processing "
                                                 "started, can be extended")
    assert "zvh-max-term" in item(row, COLUMNS["rule"]).toolTip()
    assert item(row, COLUMNS["article"]).text().startswith("ZVH 11.2")
    assert item(row, COLUMNS["what"]).text() == "whole case"
    due_on = add_months(add_months(clock.today(), -61), 60)
    assert item(row, COLUMNS["due"]).text() == day_text(due_on)
    assert item(row, COLUMNS["limit"]).text() == day_text(add_months(due_on, 24))
    state = item(row, COLUMNS["state"])
    assert state.text().startswith("overdue by")
    assert state.background().color().name() == BADGE_COLOURS["late"][0]
    tab.table.selectRow(row)
    assert "Rule Case file: 5 years after processing started, can be extended (ZVH 11.2" \
        in tab.detail.text()
    assert "zvh-max-term" not in tab.detail.text()
    assert tab.extend_button.isEnabled()
    assert tab.approve_button.isEnabled()


def test_zvh_11_3_11_4_an_extension_through_the_form(qtbot: Any, make_window: Any,
                                                     store: Path, world: World) -> None:
    """ZVH 11.3-11.5: without a motivation the form refuses at the motivation field;
    beyond two years after the due date (11.4) at the date field; a motivated extension
    closes the form, the case leaves today's list and shows with its extension among
    what falls due in the next 30 days."""
    ref = _past_term(store, world)
    window = make_window()
    tab = _open_tab(qtbot, window, store, _role(world, "privacy-officer"))
    tab.table.selectRow(_row(tab.table, ref))
    tab.extend_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ExtendDialog)
    assert dialog.isVisible()
    limit = add_months(add_months(add_months(clock.today(), -61), 60), 24)
    assert day_text(limit) in " ".join(w.text() for w in dialog.findChildren(QLabel))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert dialog.isVisible()
    assert "motivation" in dialog.error_text("motivation")

    dialog.motivation.setPlainText("Partners: nodig om de veiligheid van het gezin te borgen")
    late = limit + dt.timedelta(days=1)
    dialog.until.setDate(QDate(late.year, late.month, late.day))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert dialog.isVisible()
    assert dialog.error_text("until")
    assert dialog.error_text("motivation") == ""

    until = clock.today() + dt.timedelta(days=10)
    dialog.until.setDate(QDate(until.year, until.month, until.day))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert ref not in _refs(tab.table)
    assert f"Case {ref}: kept until {day_text(until)}" in tab.status.text()
    tab.ahead.setChecked(True)
    wait_idle(qtbot, window)
    row = _row(tab.table, ref)
    assert tab.table.item(row, COLUMNS["extended"]).text() == day_text(until)
    assert tab.table.item(row, COLUMNS["state"]).text() == "due in 10 days"


# --------------------------------------------------------------------------- the run

def test_zvh_11_2_wo_9_8_approve_runs_and_writes_the_report_where_chosen(
        qtbot: Any, make_window: Any, store: Path, world: World, tmp_path: Path) -> None:
    """ZVH 11.2, WO 9.8, DM 000 art. 8: approving names the counts and defaults to No;
    then Qt's save dialog; the run destroys what is due, the proces-verbaal is written to
    the chosen file only, the outcome names the backups, and nothing due is left."""
    ref = _past_term(store, world)
    officer = _role(world, "privacy-officer")
    with open_session(store, officer) as session:
        before = retention.due(session)
    cases = sum(line.what == "case" for line in before.lines)
    items = sum(line.items for line in before.lines if line.what in ("case", "item"))
    assert ref in {line.case_ref for line in before.lines}
    window = make_window()
    tab = _open_tab(qtbot, window, store, officer)
    tab.approve_button.click()
    box = tab.dialog
    assert isinstance(box, QMessageBox)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert f"{cases} whole case(s), {items} item(s)" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    save = tab.dialog
    assert isinstance(save, QFileDialog)
    assert save.isVisible()
    pdf = tmp_path / "chosen" / "pv.pdf"
    pdf.parent.mkdir()
    before_files = set(store.rglob("*.pdf"))
    save.selectFile(str(pdf))
    save.accept()
    qtbot.waitUntil(lambda: tab.result.text() != "", timeout=60_000)
    wait_idle(qtbot, window, timeout=60_000)
    assert not tab.error.isVisible(), tab.error.text()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert set(store.rglob("*.pdf")) == before_files  # written only where chosen
    text = tab.result.text()
    assert f"Destroyed {cases} whole case(s) and {items} item(s)." in text
    assert f"Written to {pdf}." in text
    assert "Backups in the store folder cleaned:" in text
    assert tab.table.rowCount() == 0
    assert not tab.approve_button.isEnabled()
    assert tab.progress is None
    window.lock()
    wait_idle(qtbot, window)  # the store thread closes the session
    with open_session(store, officer) as session:
        assert retention.due(session).lines == ()


# --------------------------------------------------------------------------- reminders

def test_zvh_11_3_the_procesregisseur_is_reminded_and_extends(qtbot: Any, make_window: Any,
                                                              store: Path,
                                                              world: World) -> None:
    """ZVH 11.3, 9.4: a case of the procesregisseur falling due within 30 days shows on
    their dashboard with its rule; Extend records the motivated decision and the line
    goes; a lock empties the strip and closes its form."""
    opened = add_months(clock.today(), -60) + dt.timedelta(days=10)
    ref = _aged_case(store, world.chair, opened)
    other = _aged_case(store, world.chair, opened + dt.timedelta(days=5))
    with open_session(store, world.chair) as session:
        mine = {line.case_ref: line for line in retention.upcoming(session).lines}
    assert ref in mine
    assert 0 < (mine[ref].due_on - clock.today()).days <= retention.REMINDER_DAYS
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    strip = window.retention_reminders
    assert strip.isVisible()
    texts = [strip.list.item(r).text() for r in range(strip.list.count())]
    row = next(r for r, t in enumerate(texts) if t.startswith(f"{ref} · "))
    # The clock in words, its id only in the tooltip (issue 13, point 9: no raw ids).
    assert ("Case file: 5 years after processing started, can be extended (ZVH 11.2"
            in texts[row])
    assert "zvh-max-term" not in texts[row]
    assert "zvh-max-term" in strip.list.item(row).toolTip()
    assert f"due in {(mine[ref].due_on - clock.today()).days} days" in texts[row]
    strip.list.setCurrentRow(row)
    strip.list.setFocus()
    qtbot.keyClick(strip.list, Qt.Key.Key_Return)  # keyboard: Enter opens the form
    dialog = strip.dialog
    assert isinstance(dialog, ExtendDialog)
    assert dialog.isVisible()
    dialog.motivation.setPlainText("Nog nodig voor het plan van aanpak")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert not any(strip.list.item(r).text().startswith(f"{ref} · ")
                   for r in range(strip.list.count()))

    texts = [strip.list.item(r).text() for r in range(strip.list.count())]
    strip.list.setCurrentRow(next(r for r, t in enumerate(texts)
                                  if t.startswith(f"{other} · ")))
    strip.extend_button.click()
    second = strip.dialog
    assert isinstance(second, ExtendDialog)
    assert second.isVisible()
    second.motivation.setPlainText("Wordt bij vergrendelen gewist")
    window.lock()
    assert strip.list.count() == 0
    assert not strip.isVisible()
    assert strip.dialog is None
    assert not Shiboken.isValid(second) or not second.isVisible()
    assert strip.view is None


# --------------------------------------------------------------------------- lock

def test_lock_leaves_nothing_of_the_retention_tab(qtbot: Any, make_window: Any, store: Path,
                                                  world: World) -> None:
    """A lock empties the list, the detail and the outcome and closes the open form."""
    ref = _past_term(store, world)
    window = make_window()
    tab = _open_tab(qtbot, window, store, _role(world, "privacy-officer"))
    tab.table.selectRow(_row(tab.table, ref))
    tab.extend_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ExtendDialog)
    dialog.motivation.setPlainText("Wordt bij vergrendelen gewist")
    assert tab.detail.text()
    window.lock()
    assert tab.dialog is None
    assert not Shiboken.isValid(dialog) or not dialog.isVisible()
    assert tab.table.rowCount() == 0
    assert tab.view is None
    assert tab.lines == []
    assert tab.detail.text() == ""
    assert tab.result.text() == ""
    assert tab.status.text() == ""
    assert not tab.loaded
    bench = window.workbench
    assert not bench.isTabVisible(bench.indexOf(bench.retention))
