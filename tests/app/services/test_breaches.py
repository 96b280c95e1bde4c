"""The breach register (app/services/breaches.py; ZVH 14, AVG 33).

Only the privacy officer keeps it; the two clocks (privacy officer within 24 hours,
ZVH 14.3; Autoriteit Persoonsgegevens within 72 hours, ZVH 14.8) run from the discovery
and are read from the one clock (``app.clock.frozen``), tested one second either side of
each deadline.  Every write is one transaction with one audit entry without free text,
every read is logged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from app import clock
from app.errors import AccessDeniedError, InputError
from app.policy.rights import AP_HOURS, OFFICER_HOURS
from app.services import breaches
from app.views.oversight import ClockState
from tests.app.services.test_services import (
    ADMIN,
    CHAIR,
    NOTULIST,
    POLICE,
    PRIVACY_OFFICER,
    SPEC,
    _events,
    _open,
    _seq,
    _user,
    _verify,
)
from tests.conftest import DemoStoreFactory

# A fixed discovery a month back, on a whole second: every clock below is relative to it.
FOUND = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).replace(microsecond=0)
SECOND = dt.timedelta(seconds=1)
NATURE = "Verkeerd geadresseerde e-mail met het plan van aanpak"
DATA = "identificerende gegevens, zorggegevens"
PERSONS = "2 betrokkenen (cat-i)"


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _register(folder: Path, **extra: object) -> int:
    with _open(folder, PRIVACY_OFFICER) as session, clock.frozen(FOUND + dt.timedelta(hours=1)):
        return breaches.register_breach(session, FOUND, NATURE, DATA, PERSONS,
                                        **extra)  # type: ignore[arg-type]


def _hours(hours: int) -> dt.datetime:
    return FOUND + dt.timedelta(hours=hours)


def test_only_the_privacy_officer_keeps_the_register_zvh_14(folder: Path) -> None:
    """ZVH 14.3-14.4, 17.2: the breach register is the privacy officer's.  The
    administrator, a procesregisseur, the minute taker and a delegate are refused (and
    the refusal is audited); nothing is written."""
    breach_id = _register(folder)
    for username in (ADMIN, CHAIR, NOTULIST, _user(POLICE)):
        with _open(folder, username) as session:
            seq = _seq(session)
            for attempt in (
                    lambda s=session: breaches.register_breach(s, FOUND, NATURE, DATA, PERSONS),
                    lambda s=session: breaches.list_breaches(s),
                    lambda s=session: breaches.breach_detail(s, breach_id),
                    lambda s=session: breaches.update_breach(s, breach_id, measures="x"),
                    lambda s=session: breaches.close_breach(s, breach_id),
                    lambda s=session: breaches.export_breaches(s, "json")):
                with pytest.raises(AccessDeniedError):
                    attempt()
            assert set(_events(session, seq)) == {"access.denied"}
            assert session.store.conn.execute(
                "SELECT count(*), max(measures) FROM breaches").fetchone() == (1, "")


def test_register_names_the_missing_field_zvh_14_3(folder: Path) -> None:
    """ZVH 14.3a, 14.8a-c: nature, data and persons concerned are required, each refused
    with its own code and field; a discovery in the future is refused.  Nothing is
    written for a refused entry."""
    with _open(folder, PRIVACY_OFFICER) as session:
        cases = {"nature": ("  ", DATA, PERSONS), "data_concerned": (NATURE, "", PERSONS),
                 "persons_concerned": (NATURE, DATA, "\n")}
        for field, (nature, data, persons) in cases.items():
            with pytest.raises(InputError) as refused:
                breaches.register_breach(session, FOUND, nature, data, persons)
            assert refused.value.code == f"breach.{field}"
            assert refused.value.params == {"field": field}
            assert "{" not in refused.value.user_message()
        with pytest.raises(InputError) as future:
            breaches.register_breach(session, clock.now() + dt.timedelta(minutes=5),
                                     NATURE, DATA, PERSONS)
        assert future.value.code == "breach.future"
        assert session.store.conn.execute("SELECT count(*) FROM breaches").fetchone()[0] == 0


@pytest.mark.parametrize(("kind", "hours"), [("officer", OFFICER_HOURS), ("ap", AP_HOURS)])
def test_open_clock_is_due_until_the_deadline_then_late_zvh_14(
        folder: Path, kind: str, hours: int) -> None:
    """ZVH 14.3 (24 hours), 14.8 (72 hours): unreported, the clock is ``due`` one second
    before the deadline and at its own second, ``late`` one second after; the list, the
    detail and the export agree."""
    assert (OFFICER_HOURS, AP_HOURS) == (24, 72)
    breach_id = _register(folder)
    deadline = _hours(hours)
    with _open(folder, PRIVACY_OFFICER) as session:
        for at, state in ((deadline - SECOND, ClockState.DUE), (deadline, ClockState.DUE),
                          (deadline + SECOND, ClockState.LATE)):
            with clock.frozen(at):
                view = getattr(breaches.breach_detail(session, breach_id), kind)
                row = getattr(breaches.list_breaches(session)[0], kind)
                exported = json.loads(breaches.export_breaches(session, "json"))
            assert view.due_at == deadline
            assert (view.state, row.state) == (state, state), at
            assert exported["breaches"][0][kind]["state"] == state.value


@pytest.mark.parametrize(("kind", "hours"), [("officer", OFFICER_HOURS), ("ap", AP_HOURS)])
def test_report_one_second_late_is_done_but_not_on_time_zvh_14(
        folder: Path, kind: str, hours: int) -> None:
    """ZVH 14.3, 14.8: a report at the deadline's second is on time, one second later it
    is late; either way the clock stands at ``done`` with the time it was done."""
    deadline = _hours(hours)
    option = "officer_informed_at" if kind == "officer" else "ap_notified_at"
    outcome = {}
    for at in (deadline - SECOND, deadline, deadline + SECOND):
        breach_id = _register(folder)
        with _open(folder, PRIVACY_OFFICER) as session:
            with clock.frozen(deadline + dt.timedelta(hours=1)):
                view = breaches.update_breach(
                    session, breach_id, **{option: at})  # type: ignore[arg-type]
            later = breaches.breach_detail(session, breach_id)  # now: weeks later
        for clock_view in (getattr(view, kind), getattr(later, kind)):
            assert clock_view.state is ClockState.DONE
            assert clock_view.done_at == at
        outcome[at - deadline] = getattr(later, kind).on_time
    assert outcome == {-SECOND: True, dt.timedelta(0): True, SECOND: False}


def test_reports_are_recorded_once_and_never_before_discovery_zvh_14(folder: Path) -> None:
    """ZVH 14.3, 14.8: a report cannot precede the discovery nor lie in the future; a
    recorded time is not overwritten (it would hide a late report); the AP is notified or
    a reason why not is recorded, not both at once; a later notification after a "not
    needed" is kept beside its reason."""
    breach_id = _register(folder)
    with _open(folder, PRIVACY_OFFICER) as session:
        for change, code in (
                ({"officer_informed_at": FOUND - SECOND}, "breach.before_discovery"),
                ({"ap_notified_at": clock.now() + dt.timedelta(hours=1)}, "breach.future"),
                ({"ap_notified_at": _hours(2), "ap_not_required": "laag risico"},
                 "breach.ap_both"),
                ({"ap_not_required": "   "}, "breach.ap_reason"),
                ({"measures": " "}, "breach.empty_text"),
                ({}, "breach.nothing")):
            with pytest.raises(InputError) as refused:
                breaches.update_breach(session, breach_id, **change)
            assert refused.value.code == code, change
        breaches.update_breach(session, breach_id, officer_informed_at=_hours(3),
                               ap_not_required="Versleutelde bijlage: geen risico")
        for change in ({"officer_informed_at": _hours(4)}, {"ap_not_required": "opnieuw"}):
            with pytest.raises(InputError) as again:
                breaches.update_breach(session, breach_id, **change)  # type: ignore[arg-type]
            assert again.value.code == "breach.recorded"
        before = breaches.breach_detail(session, breach_id)
        # The risk judged again: the AP is notified after all, the reason stays.
        after = breaches.update_breach(session, breach_id, ap_notified_at=_hours(80))
        with pytest.raises(InputError) as final:
            breaches.update_breach(session, breach_id, ap_notified_at=_hours(81))
        assert final.value.code == "breach.recorded"
    assert before.officer.done_at == _hours(3)
    assert before.ap.state is ClockState.NOT_REQUIRED
    assert (after.ap.state, after.ap.done_at, after.ap.on_time) == (
        ClockState.DONE, _hours(80), False)
    assert after.ap_not_required == "Versleutelde bijlage: geen risico"


def test_close_needs_both_reports_and_the_measures_zvh_14_3(folder: Path) -> None:
    """ZVH 14.3e, 14.8: an entry is closed once the officer's report, the AP question and
    the corrective measures are recorded; a closed entry takes no more changes."""
    breach_id = _register(folder, consequences="Inzage door een onbevoegde")
    with _open(folder, PRIVACY_OFFICER) as session:
        steps = (({"officer_informed_at": _hours(1)}, "breach.close_officer"),
                 ({"ap_notified_at": _hours(50)}, "breach.close_ap"),
                 ({"measures": "Adresboek opgeschoond; e-mail teruggeroepen",
                   "notification_text": "Melding AP nr. 1"}, "breach.close_measures"))
        for change, code in steps:
            with pytest.raises(InputError) as refused:
                breaches.close_breach(session, breach_id)
            assert refused.value.code == code
            breaches.update_breach(session, breach_id, **change)
        closed = breaches.close_breach(session, breach_id)
        with pytest.raises(InputError) as after:
            breaches.update_breach(session, breach_id, measures="nog iets")
        assert after.value.code == "breach.closed"
        assert [r.breach_id for r in breaches.list_breaches(session, status="closed")] == [
            breach_id]
        assert breaches.list_breaches(session, status="open") == []
    assert closed.status == "closed"
    assert closed.closed_at is not None
    assert (closed.officer.on_time, closed.ap.on_time) == (True, True)
    assert closed.notification_text == "Melding AP nr. 1"
    assert closed.consequences == "Inzage door een onbevoegde"


def test_every_write_one_entry_every_read_logged_no_text_in_audit_zvh_14(
        folder: Path) -> None:
    """ZVH 14, 15.3d: register, update and close each leave one audit entry; list, show
    and export are logged too; no text of the register reaches the audit attributes.
    The chain still verifies."""
    texts = (NATURE, DATA, PERSONS, "Adresboek opgeschoond", "Geen risico", "Melding")
    with _open(folder, PRIVACY_OFFICER) as session:
        seq = _seq(session)
        breach_id = breaches.register_breach(session, FOUND, NATURE, DATA, PERSONS,
                                             notification_text="Melding")
        breaches.update_breach(session, breach_id, officer_informed_at=_hours(2),
                               measures="Adresboek opgeschoond")
        breaches.update_breach(session, breach_id, ap_not_required="Geen risico")
        breaches.close_breach(session, breach_id)
        breaches.list_breaches(session)
        breaches.breach_detail(session, breach_id)
        breaches.export_breaches(session, "csv")
        assert _events(session, seq) == [
            "breach.register", "breach.update", "breach.update", "breach.close",
            "breach.list", "breach.read", "breach.export"]
        attributes = [str(r[0]) for r in session.store.conn.execute(
            "SELECT attributes FROM audit WHERE seq > ?", (seq,))]
    assert not [t for t in texts if any(t in a for a in attributes)]
    assert '"fields": ["measures", "officer_informed_at"]' in attributes[1]
    _verify(folder)


def test_export_csv_and_json_hold_the_whole_register_zvh_14(folder: Path) -> None:
    """ZVH 14.5, 14.8: the register exports as CSV and JSON with every field and both
    clocks; a text a spreadsheet would run as a formula is written inert."""
    first = _register(folder)
    second = _register(folder, measures="=HYPERLINK(\"x\")")
    with _open(folder, PRIVACY_OFFICER) as session:
        breaches.update_breach(session, first, officer_informed_at=_hours(30))
        as_csv = breaches.export_breaches(session, "csv").decode("utf-8")
        as_json = json.loads(breaches.export_breaches(session, "json"))
        with pytest.raises(InputError) as bad:
            breaches.export_breaches(session, "xlsx")
    assert bad.value.code == "breach.format"
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [int(r["breach"]) for r in rows] == [first, second]
    assert rows[0]["nature"] == NATURE
    assert rows[0]["persons_concerned"] == PERSONS
    assert (rows[0]["officer_state"], rows[0]["officer_on_time"]) == ("done", "no")
    assert rows[0]["ap_state"] == "late"
    assert rows[0]["ap_due_at"] == _hours(72).isoformat()
    assert rows[1]["measures"] == "'=HYPERLINK(\"x\")"
    assert [b["breach"] for b in as_json["breaches"]] == [first, second]
    assert as_json["breaches"][1]["measures"] == "=HYPERLINK(\"x\")"
    assert as_json["breaches"][0]["officer"] == {
        "kind": "officer", "hours": 24, "due_at": _hours(24).isoformat(), "state": "done",
        "done_at": _hours(30).isoformat(), "on_time": False}
