"""Dates in the privacy workbench as on every other screen (issue 13, point 9; ui-guide:
"di 24 nov 2026 09:30"), through ui/dates.py, in Dutch and in English.

A data-subject request received on Tuesday 4 March 2025 has its four-week deadline
(AVG 12(3), ZVH 18.1) on Tuesday 1 April 2025: the requests table shows both in the
ui-guide's form, and the audit trail shows the moment of the ``request.new`` entry in
local time, day and month names in the app's language.  The expected texts are written
out here (and, for the entry's moment, built from hand-made name lists), not asked of
the helper under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.i18n import language
from app.services import breaches, requests
from tests.ui.support import World, open_session, unlock, wait_idle
from ui.main_window import MainWindow
from ui.privacy.audit_tab import AuditTab
from ui.privacy.requests_tab import RequestsTab

RECEIVED = dt.date(2025, 3, 4)  # a Tuesday; the deadline is Tuesday 1 April 2025
EXPECTED = {"nl": ("di 4 mrt 2025", "di 1 apr 2025"),
            "en": ("Tue 4 Mar 2025", "Tue 1 Apr 2025")}
DAYS = {"nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
        "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
MONTHS = {"nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                 "dec"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec")}
AUDIT_WHEN, AUDIT_ACTION = 1, 4
DISCOVERED = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)


def _officer(world: World) -> str:
    return str(next(u["username"] for u in world.doc["users"]
                    if u["role"] == "privacy-officer"))


def _by_hand(moment_utc: str, lang: str) -> str:
    """The ui-guide's form of a stored UTC moment, in local time, without Babel."""
    local = dt.datetime.fromisoformat(moment_utc).astimezone()
    return (f"{DAYS[lang][local.weekday()]} {local.day} {MONTHS[lang][local.month - 1]} "
            f"{local.year} {local.hour:02d}:{local.minute:02d}")


def _workbench(qtbot: Any, window: MainWindow, store: Path, officer: str) -> None:
    unlock(qtbot, window, store, officer)
    window.privacy_button.click()
    wait_idle(qtbot, window)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_requests_and_audit_dates_in_the_ui_guide_format(qtbot: Any, make_window: Any,
                                                         store: Path, world: World,
                                                         lang: str) -> None:
    """ZVH 18.1, AVG 12(3): the received date and the deadline of a request, and the
    moment of its audit entry, read as everywhere else in the app ("di 4 mrt 2025",
    "Tue 4 Mar 2025"), not Babel's medium form ("4 mrt 2025", "Mar 4, 2025")."""
    officer = _officer(world)
    with open_session(store, officer) as session:
        request_id = requests.new_request(session, "inzage", RECEIVED, "Paspoort gezien",
                                          officer, "Testpersoon Datum")
        (started,) = session.store.conn.execute(
            "SELECT start_time FROM audit WHERE name = 'request.new'").fetchone()
        breaches.register_breach(session, DISCOVERED, "Lijst verkeerd gemaild",
                                 "namen", "3 personen")
    window: MainWindow = make_window(language=lang)
    _workbench(qtbot, window, store, officer)
    bench = window.workbench

    tab: RequestsTab = bench.requests
    bench.setCurrentWidget(tab)
    wait_idle(qtbot, window)
    (row,) = [r for r in range(tab.table.rowCount())
              if tab.table.item(r, 0).text() == str(request_id)]
    received, deadline = EXPECTED[lang]
    assert tab.table.item(row, 2).text() == received
    assert tab.table.item(row, 3).text() == deadline
    tab.table.selectRow(row)
    qtbot.waitUntil(lambda: received in tab.detail.text(), timeout=10_000)
    assert deadline in tab.detail.text()

    audit: AuditTab = bench.audit
    bench.setCurrentWidget(audit)
    wait_idle(qtbot, window)
    audit.action.setText("request.new")
    audit.apply()
    wait_idle(qtbot, window)
    model = audit.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.data(
        model.index(0, AUDIT_WHEN), Qt.ItemDataRole.DisplayRole) not in (None, ""),
        timeout=10_000)
    wait_idle(qtbot, window)
    with language(lang):
        expected = _by_hand(started, lang)
    assert model.data(model.index(0, AUDIT_WHEN), Qt.ItemDataRole.DisplayRole) == expected
    assert model.data(model.index(0, AUDIT_ACTION),
                      Qt.ItemDataRole.DisplayRole) != "request.new"

    # ZVH 14.3: the breach's discovery and its 24-hour clock to the privacy officer.
    tab_b = bench.breaches
    bench.setCurrentWidget(tab_b)
    wait_idle(qtbot, window)
    (row,) = [r for r in range(tab_b.table.rowCount())
              if tab_b.table.item(r, 2).text() == "Lijst verkeerd gemaild"]
    with language(lang):
        discovered = _by_hand(DISCOVERED.isoformat(), lang)
        officer_due = _by_hand((DISCOVERED + dt.timedelta(hours=24)).isoformat(), lang)
    assert tab_b.table.item(row, 1).text() == discovered
    assert tab_b.table.item(row, 3).text().endswith(officer_due)
