"""A destroyed item inside a live case shows an explained placeholder, not an empty field
(issue 12; ZVH 11.7: after destruction only non-personal management data remain; the
ui-guide: "never an empty field: empty means no data").

Dagmonitor items fall due per agreement (DM 001: 1 year after provision) while their
case runs on; the case view, the beamer's table view and the reports then show
"Destroyed on {date} (retention term, {article})" where the value was.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import clock
from app.domain.vocab import ItemKind
from app.i18n import format_date, language
from app.policy.retention import add_months
from app.services import cases, casework, reports, retention_run
from app.views import Redacted, ReportRequest, ViewSpec
from tests.app.services.test_services import (
    BASIS,
    CHAIR,
    POLICE,
    POLICE_BASIS,
    PRIVACY_OFFICER,
    RDAM,
    SPEC,
    TODAY,
    _grant,
    _item,
    _new_case,
    _open,
    _user,
)
from tests.conftest import DemoStoreFactory

ARTICLE = "DM 001 Registratie, bewaren en vernietigen"
CANARY = "KANARIE-DAGMONITOR-5R2W"


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 30), tzinfo=dt.UTC)


def _live_case_with_dagmonitor_item(folder: Path) -> tuple[dt.date, str, int]:
    """A case at the table with a police dagmonitor address item (incident class B10)
    provided today and granted to the municipality, and the run of the day after its
    year (DM 001; no agreement recorded: the shorter term): the day, the case (still
    within its five years, ZVH 11.2) and the destroyed item."""
    ref = _new_case(folder, involve=(POLICE,))
    with _open(folder, _user(POLICE)) as session:
        item_id = casework.add_item(
            session, ref, category="address", body=f"{CANARY} Dorpsstraat 1",
            legal_basis=POLICE_BASIS, person="B1", kind=ItemKind.ADDRESS,
            structured={"street": f"{CANARY} Dorpsstraat", "number": "1",
                        "postcode": "3011 AA", "city": "Rotterdam"},
            incident_class="B10")
    _item(folder, _user(RDAM), ref, "Blijft staan", legal_basis=BASIS)
    _grant(folder, _user(POLICE), ref, RDAM)
    day = add_months(TODAY, 12) + dt.timedelta(days=1)
    with clock.frozen(_at(day)), _open(folder, PRIVACY_OFFICER) as session:
        retention_run.run(session)
        gone, live = session.store.conn.execute(
            "SELECT i.destroyed_on, c.destroyed_on FROM items i JOIN cases c"
            " ON c.id = i.case_id WHERE i.id = ?", (item_id,)).fetchone()
    assert (gone, live) == (day.isoformat(), None)
    return day, ref, item_id


def test_zvh_11_7_dm_001_the_view_of_a_live_case_carries_the_destroyed_date_and_article(
        folder: Path) -> None:
    """ZVH 11.7; DM 001: a dagmonitor item destroyed in a case that runs on is in the
    case view as an explained placeholder with the day and the rule's article and no
    content; it is not shown (no disclosure is recorded for it); the other items of the
    case keep their values."""
    day, ref, item_id = _live_case_with_dagmonitor_item(folder)
    with clock.frozen(_at(day)), _open(folder, _user(RDAM)) as session:
        count = "SELECT count(*) FROM disclosures WHERE item_id = ?"
        before = session.store.conn.execute(count, (item_id,)).fetchone()[0]
        view = cases.show_case(session, ref)
        after = session.store.conn.execute(count, (item_id,)).fetchone()[0]
    [shown] = [i for i in view.items if i.item_id == item_id]
    assert isinstance(shown.value, Redacted)
    assert shown.value.code == "destroyed"
    assert (shown.destroyed_on, shown.destroyed_article) == (day, ARTICLE)
    with language("en"):
        line = shown.value.short()
        assert line == (f"Destroyed on {format_date(day, 'medium')}"
                        f" (retention term, {ARTICLE})")
        assert "retention term ended" in shown.value.explanation()
        data = shown.to_json()
    assert (data["value"]["code"], data["value"]["destroyed_on"]) == ("destroyed",
                                                                      day.isoformat())
    assert CANARY not in repr(view) + repr(data) + line
    assert after == before, "nothing of a destroyed item is disclosed"
    assert "Blijft staan" in [i.value for i in view.items]


def test_zvh_11_7_dm_001_the_report_shows_the_destroyed_placeholder(folder: Path) -> None:
    """ZVH 11.7; DM 001: the action plan for the municipality shows, where the item was,
    the same words as the screen: "Destroyed on {date} (retention term, {article})"."""
    day, ref, _item_id = _live_case_with_dagmonitor_item(folder)
    with clock.frozen(_at(day)), _open(folder, CHAIR) as session:
        result = reports.generate_report(session, ReportRequest(
            kind="plan", case_ref=ref, recipient=RDAM, lang="en"))
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(result.pdf)).pages)
    squeezed = text.replace(" ", "")
    with language("en"):
        expected = f"Destroyed on {format_date(day, 'medium')} (retention term, {ARTICLE})"
    assert expected.replace(" ", "") in squeezed, text
    assert CANARY not in text


def test_zvh_11_7_13_2_the_table_view_shows_the_placeholder_to_the_parties_present(
        folder: Path) -> None:
    """ZVH 11.7, 13.2: on the beamer (the table view for the parties present) the
    destroyed item is the same placeholder, with its day and article."""
    day, ref, item_id = _live_case_with_dagmonitor_item(folder)
    with clock.frozen(_at(day)), _open(folder, CHAIR) as session:
        view = cases.show_case(session, ref, ViewSpec.table({RDAM, POLICE}))
    [shown] = [i for i in view.items if i.item_id == item_id]
    assert (shown.destroyed_on, shown.destroyed_article) == (day, ARTICLE)
