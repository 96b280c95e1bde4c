"""Issue 11, point 9 "In the app": the privacy officer's workbench in the main window.

On the UI demo store, with a disclosure register filled by the participants opening their
cases (ZVH 8.1): the Privacy section is offered to the privacy officer only (the sections
come from app.policy.access); the disclosure register is a lazy table (one page held, the
full count shown) whose filters change the count; an export without a filter shows the
service's refusal; a request is registered through its form with its four-week deadline
(ZVH 18.1, AVG 12(3)); a breach shows its 24-hour and 72-hour clocks (ZVH 14.3, 14.8);
the procesregisseur finds and links a requester in the inbox, and the providing party
completes its task; the canary sweep over every tab finds no case content (ZVH 9.6); and
after a lock no workbench model holds a row.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget

from app.i18n import _
from app.policy import rights
from app.services import caselist, casework, registers, requests, screens
from app.services.session import Session
from app.views import ViewSpec
from app.views.registers import LDV_COLUMNS, DisclosureFilter
from tests.conftest import PASSPHRASE, TEST_KDF, DemoStores
from tests.ui.casework_support import choose
from tests.ui.support import TIMEOUT, UI_DEMO, Sweep, World, unlock, wait_idle
from ui.casework.case_dialogs import DEFAULT_BASIS
from ui.casework.inbox import InboxDialog
from ui.main_window import MainWindow
from ui.main_window.workspace import VIEW_FIGURES, VIEW_PRIVACY
from ui.privacy.breach_dialogs import NewBreachDialog
from ui.privacy.common import BADGE_COLOURS, day_text
from ui.privacy.paged import PagedModel
from ui.privacy.request_dialogs import NewRequestDialog
from ui.privacy.workbench import Workbench

POLICE = "politie-rotterdam"
NAME_CANARY = "CANARY-WBNAME-1-I1"
BODY_CANARY = "CANARY-WBBODY-2-I2"


@dataclass(frozen=True)
class Registers:
    """The module's store with a filled disclosure register, and what the services say."""

    folder: Path
    officer: str
    total: int
    to_police: int
    case_ref: str        # a case with disclosures
    in_case: int


def _role(world: World, role: str) -> str:
    return next(u["username"] for u in world.doc["users"] if u["role"] == role)


def _session(folder: Path, username: str) -> Session:
    return Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)


@pytest.fixture(scope="module")
def filled(world: World, demo_stores: DemoStores,
           tmp_path_factory: pytest.TempPathFactory) -> Registers:
    """A copy of the demo store where every participant opened each case they know (so
    the register holds more rows than one page), and the officer's counts."""
    folder = tmp_path_factory.mktemp("workbench") / "store"
    demo_stores.copy(UI_DEMO, folder)
    for user in world.doc["users"]:
        if user["role"] not in ("deelnemer", "casusregisseur"):
            continue
        with _session(folder, user["username"]) as session:
            for row in caselist.rows_for_ids(session, caselist.known_case_ids(session)):
                screens.case_screen(session, row.reference, ViewSpec())
    officer = _role(world, "privacy-officer")
    with _session(folder, officer) as session:
        total = registers.count_disclosures(session, DisclosureFilter())
        police = registers.count_disclosures(session, DisclosureFilter(recipient=POLICE))
        first = registers.disclosure_page(session, DisclosureFilter(), 0, 1)[0]
        in_case = registers.count_disclosures(session, DisclosureFilter(case_ref=first.case_ref))
    assert total > PagedModel.PAGE, "the register must hold more than one page"
    return Registers(folder, officer, total, police, first.case_ref, in_case)


@pytest.fixture
def store(filled: Registers, tmp_path: Path) -> Path:
    """A private copy of the filled store for one test."""
    dest = tmp_path / "store"
    shutil.copytree(filled.folder, dest, ignore=shutil.ignore_patterns("backups"))
    return dest


def _open_workbench(qtbot: Any, window: MainWindow, folder: Path, officer: str) -> Workbench:
    unlock(qtbot, window, folder, officer)
    assert window.privacy_button.isVisible()
    window.privacy_button.click()
    wait_idle(qtbot, window)
    assert window.views.currentIndex() == VIEW_PRIVACY
    return window.workbench


def _tab(qtbot: Any, window: MainWindow, tab: Any) -> None:
    window.workbench.setCurrentWidget(tab)
    wait_idle(qtbot, window)


def _texts(widget: QTableWidget, column: int) -> list[str]:
    return [widget.item(r, column).text() for r in range(widget.rowCount())]


# --------------------------------------------------------------------------- sections

def test_privacy_section_only_for_the_privacy_officer(qtbot: Any, make_window: Any,
                                                      store: Path, world: World,
                                                      filled: Registers) -> None:
    """The sections come from app.policy.access (PRIVACY_WORK: the privacy officer only;
    READ_FIGURES: also the procesregisseur, ZVH 12.3)."""
    window = make_window()
    unlock(qtbot, window, store, filled.officer)
    assert window.privacy_button.isVisible()
    assert not window.figures_button.isVisible()  # the workbench holds the figures
    window.privacy_button.click()
    wait_idle(qtbot, window)
    assert window.views.currentIndex() == VIEW_PRIVACY
    window.lock()
    assert not window.privacy_button.isVisible()

    participant = next(iter(world.deelnemers.values()))
    unlock(qtbot, window, store, participant)
    assert not window.privacy_button.isVisible()
    assert not window.figures_button.isVisible()
    window.show_privacy()  # the slot itself refuses too
    assert window.views.currentIndex() != VIEW_PRIVACY
    window.lock()

    unlock(qtbot, window, store, world.chair)
    assert not window.privacy_button.isVisible()
    assert window.figures_button.isVisible()
    window.figures_button.click()
    wait_idle(qtbot, window)
    assert window.views.currentIndex() == VIEW_FIGURES
    values = _texts(window.figures_page.table, 1)
    assert values
    assert all(v.isdigit() or v == "<5" for v in values), values


# --------------------------------------------------------------------------- registers

def test_disclosure_register_is_lazy_and_filtered(qtbot: Any, make_window: Any, store: Path,
                                                  filled: Registers) -> None:
    """ZVH 8.1: the register is paged (no full load); filters change the count."""
    window = make_window()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    model = bench.disclosures.model
    qtbot.waitUntil(lambda: model.rowCount() == filled.total, timeout=TIMEOUT)
    # The first page is asked for when the view paints its first rows.
    qtbot.waitUntil(lambda: model.cached() > 0, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert 0 < model.cached() <= PagedModel.PAGE
    assert str(filled.total) in bench.disclosures.status.text()

    choose(bench.disclosures.recipient, POLICE)
    bench.disclosures.apply()
    qtbot.waitUntil(lambda: model.rowCount() == filled.to_police, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert filled.to_police < filled.total
    shown = [model.row_object(r) for r in range(model.cached())]
    assert all(row is not None and row.recipient.id == POLICE for row in shown)

    bench.disclosures.reset()
    bench.disclosures.case.setText(filled.case_ref)
    bench.disclosures.apply()
    qtbot.waitUntil(lambda: model.rowCount() == filled.in_case, timeout=TIMEOUT)


def test_a_header_click_sorts_the_register_in_the_service(
        qtbot: Any, make_window: Any, store: Path, filled: Registers) -> None:
    """Issue 11, point 9: the lazy table sorts by a column through the service (SQL), so
    the first page is the first rows of the whole register in that order."""
    with Session.open(store, filled.officer, PASSPHRASE, kdf=TEST_KDF) as session:
        first = [str(p) for p, in session.store.conn.execute(
            "SELECT provider_party FROM disclosures ORDER BY provider_party, id LIMIT ?",
            (PagedModel.PAGE,))]
    window = make_window()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    model = bench.disclosures.model
    qtbot.waitUntil(lambda: model.rowCount() == filled.total, timeout=TIMEOUT)
    header = bench.disclosures.view.horizontalHeader()
    column = next(i for i, c in enumerate(model.columns) if c.sort == "provider")
    header.sectionClicked.emit(column)  # a click sorts descending first
    qtbot.waitUntil(lambda: model.sort_key == "provider" and model.cached() > 0,
                    timeout=TIMEOUT)
    wait_idle(qtbot, window)
    header.sectionClicked.emit(column)  # again: ascending
    qtbot.waitUntil(lambda: not model.descending and model.cached() > 0, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    shown = [model.row_object(r) for r in range(model.cached())]
    providers = [row.provider.id for row in shown if row is not None]
    assert providers
    assert providers == first[:len(providers)]
    assert header.sortIndicatorSection() == column
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_export_needs_a_filter(qtbot: Any, make_window: Any, store: Path, filled: Registers,
                               tmp_path: Path) -> None:
    """The LDV export refuses the whole register (the standard forbids bulk dumps); with a
    filter the lines are written only to the chosen file."""
    window = make_window()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    tab = bench.disclosures
    out = tmp_path / "export" / "lines.csv"
    tab.export_to(out, "csv")
    wait_idle(qtbot, window)
    assert tab.error.isVisible()
    assert "at least one filter" in tab.error.text()
    assert not out.exists()

    tab.case.setText(filled.case_ref)
    tab.export_to(out, "csv")
    wait_idle(qtbot, window)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == list(LDV_COLUMNS)
    assert len(lines) > 1
    assert not tab.error.isVisible()
    assert str(len(lines) - 1) in tab.status.text()


def test_audit_verify_and_export(qtbot: Any, make_window: Any, store: Path,
                                 filled: Registers, tmp_path: Path) -> None:
    """The check of the chain in plain words with the witnesses; the chain and a signed
    head written where chosen."""
    window = make_window()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    _tab(qtbot, window, bench.audit)
    assert bench.audit.model.rowCount() > 0
    bench.audit.verify_button.click()
    wait_idle(qtbot, window)
    text = bench.audit.verdict.text()
    assert text.startswith("The audit trail is intact"), text
    assert "Signed head file" in text
    bench.audit.action.setText("register.*")
    bench.audit.apply()
    wait_idle(qtbot, window)
    chain = tmp_path / "audit.jsonl"
    bench.audit.export_to(chain)
    wait_idle(qtbot, window)
    assert chain.read_text(encoding="utf-8").count('"name": "register.') >= 1
    assert (tmp_path / "audit.jsonl.head").stat().st_size > 0


# --------------------------------------------------------------------------- requests

def test_request_registered_through_the_form(qtbot: Any, make_window: Any, store: Path,
                                             filled: Registers) -> None:
    """ZVH 18.1 a-h: kind, date received, verification; the deadline is four weeks
    (AVG 12(3)); a refusal stays in the form with everything typed."""
    window = make_window()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    _tab(qtbot, window, bench.requests)
    bench.requests.new_button.click()
    dialog = bench.requests.dialog
    assert isinstance(dialog, NewRequestDialog)
    assert dialog.isVisible()
    choose(dialog.kind, "correction")
    received = dt.date.today() - dt.timedelta(days=26)  # noqa: DTZ011 - the local day
    dialog.received_on.setDate(QDate(received.year, received.month, received.day))
    dialog.verified_how.setText("Paspoort gezien aan de balie")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert dialog.isVisible()
    assert dialog.error_text("name")
    assert dialog.verified_how.text() == "Paspoort gezien aan de balie"

    dialog.name.setText("Testpersoon Werkbank")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    table = bench.requests.table
    assert table.rowCount() == 1
    deadline = rights.answer_deadline(received)
    assert deadline == received + dt.timedelta(weeks=4)
    assert table.item(0, 3).text() == day_text(deadline)
    badge = table.item(0, 5)
    assert badge.text() == _("due")  # two days left
    assert badge.background().color().name() == BADGE_COLOURS["due"][0]
    assert "Paspoort gezien aan de balie" in bench.requests.detail.text()
    assert bench.requests.close_button.isEnabled()


# --------------------------------------------------------------------------- breaches

def test_breach_registered_shows_its_clocks(qtbot: Any, make_window: Any, store: Path,
                                            filled: Registers) -> None:
    """ZVH 14.3 (officer within 24 h) and 14.8 (AP within 72 h): discovered 30 hours ago,
    the officer's clock is late and the AP's is due."""
    window = make_window()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    _tab(qtbot, window, bench.breaches)
    bench.breaches.new_button.click()
    dialog = bench.breaches.dialog
    assert isinstance(dialog, NewBreachDialog)
    found = (dt.datetime.now() - dt.timedelta(hours=30)).replace(second=0, microsecond=0)  # noqa: DTZ005
    dialog.discovered_at.setDateTime(QDateTime(QDate(found.year, found.month, found.day),
                                               QTime(found.hour, found.minute)))
    dialog.data_concerned.setPlainText("Namen en adressen")
    dialog.persons_concerned.setPlainText("Ongeveer 12 betrokkenen")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert dialog.isVisible()
    assert dialog.error_text("nature")
    dialog.nature.setPlainText("Lijst per e-mail naar de verkeerde ontvanger")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    table = bench.breaches.table
    assert table.rowCount() == 1
    officer, ap = table.item(0, 3), table.item(0, 4)
    assert officer.text().startswith(_("late"))
    assert ap.text().startswith(_("due"))
    assert officer.background().color().name() == BADGE_COLOURS["late"][0]
    assert ap.background().color().name() == BADGE_COLOURS["due"][0]
    assert "Ongeveer 12 betrokkenen" in bench.breaches.detail.text()


# --------------------------------------------------------------------------- the director

def test_director_links_and_party_completes(qtbot: Any, make_window: Any, store: Path,
                                            world: World, filled: Registers,
                                            tmp_path: Path) -> None:
    """ZVH 18.1: the procesregisseur finds the requester in their own cases and links the
    person after a confirmation naming label and case; the providing party completes its
    task (ZVH 9.5, 10.1)."""
    with _session(store, world.chair) as session:
        ref = caselist.rows_for_ids(session, caselist.known_case_ids(session))[0].reference
        casework.add_item(session, ref, category="identity", body="Anna Zoekpersoon",
                          legal_basis=DEFAULT_BASIS, person="B1", field="name")
    with _session(store, filled.officer) as session:
        rid = requests.new_request(session, "inzage", dt.date.today(),  # noqa: DTZ011
                                   "Paspoort", filled.officer, "Anna Zoekpersoon")
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    window.casework.a_inbox.trigger()
    qtbot.waitUntil(lambda: isinstance(window.casework.dialog, InboxDialog), timeout=TIMEOUT)
    wait_idle(qtbot, window)
    inbox = window.casework.dialog
    assert isinstance(inbox, InboxDialog)
    assert inbox.director is not None
    panel = inbox.director
    assert panel.list.count() == 1
    assert f"Request {rid}" in panel.list.item(0).text()
    wait_idle(qtbot, window)
    assert panel.matches.count() == 1
    assert panel.matches.item(0).text().startswith(f"{ref} · B1")
    panel.link_button.click()
    box = panel.confirm
    assert isinstance(box, QMessageBox)
    assert "B1" in box.text()
    assert ref in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: panel.matches.count() == 1
                    and _("linked") in panel.matches.item(0).text(), timeout=TIMEOUT)
    assert inbox.tasks is not None
    inbox.tasks.reload()
    wait_idle(qtbot, window)
    tasks = inbox.tasks
    assert tasks.list.count() >= 1
    assert f"Request {rid}" in tasks.list.item(0).text()
    tasks.complete_button.click()
    wait_idle(qtbot, window)
    assert not tasks.error.isVisible(), tasks.error.text()

    # The officer makes the inzage report: written only to the chosen file.
    window.lock()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    _tab(qtbot, window, bench.requests)
    bench.requests.select_request(rid)
    wait_idle(qtbot, window)
    assert bench.requests.report_button.isEnabled()
    assert "B1" in bench.requests.detail.text()
    pdf = tmp_path / "inzage.pdf"
    bench.requests.save_inzage_report(rid, pdf)
    wait_idle(qtbot, window)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "SHA-256" in bench.requests.status.text()


# --------------------------------------------------------------------------- canary sweep

def _sweep_all(sweep: Sweep) -> None:
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            sweep.widgets(f"top:{type(top).__name__}", top)
    sweep.titles("titles")


def _models(bench: Workbench) -> list[Any]:
    return [bench.disclosures.model, bench.audit.model]


def test_canary_sweep_and_lock(qtbot: Any, make_window: Any, store: Path, world: World,
                               filled: Registers) -> None:
    """ZVH 9.6: the officer's lists show no case content: a canary in a name item and in
    an item body (and the demo's canaries in every item) appear in no widget of any tab;
    after the lock no model of the workbench holds a row."""
    with _session(store, world.chair) as session:
        ref = caselist.rows_for_ids(session, caselist.known_case_ids(session))[0].reference
        casework.add_item(session, ref, category="identity", body=f"Karel {NAME_CANARY}",
                          legal_basis=DEFAULT_BASIS, person="B1", field="name")
        casework.add_item(session, ref, category="identity",
                          body=f"Woont sinds kort bij zijn broer {BODY_CANARY}",
                          legal_basis=DEFAULT_BASIS, person="B1")
    with _session(store, filled.officer) as session:
        requests.new_request(session, "inzage", dt.date.today(),  # noqa: DTZ011
                             "Paspoort", filled.officer, "Iemand Anders")
    window = make_window()
    bench = _open_workbench(qtbot, window, store, filled.officer)
    for tab in bench.tabs():
        _tab(qtbot, window, tab)
        assert tab.loaded, type(tab).__name__
        for widget in tab.findChildren(QTableWidget):
            if widget.rowCount():
                widget.selectRow(0)
        wait_idle(qtbot, window)
    assert bench.requests.detail.text()
    assert bench.info_duty.table.rowCount()
    # The trail of the canaries' case (its reads, writes and disclosures): the whole
    # trail is tens of thousands of cells, each walked in every role.
    bench.audit.case.setText(ref)
    bench.audit.apply()
    wait_idle(qtbot, window)
    assert 0 < bench.audit.model.rowCount() < 1000
    sweep = Sweep()
    # The first walk asks the lazy tables for every page; then their rows are walked.
    _sweep_all(sweep)
    wait_idle(qtbot, window)
    for n, model in enumerate(_models(bench)):
        sweep.model(f"paged:{n}", model)
    assert sweep.values > 1000
    assert bench.disclosures.model.cached() == bench.disclosures.model.rowCount()
    assert sweep.tokens() == set(), {k: v for k, v in sweep.seen.items() if v}
    assert sweep.partial == []

    window.lock()
    for model in _models(bench):
        assert model.rowCount() == 0
        assert model.cached() == 0
    for tab in bench.tabs():
        for widget in tab.findChildren(QTableWidget):
            assert widget.rowCount() == 0, type(tab).__name__
    assert bench.requests.detail.text() == ""
    assert bench.breaches.detail.text() == ""
    assert bench.requests.officer == ""
