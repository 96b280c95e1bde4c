"""Management figures without personal data (app/services/figures.py; ZVH 12.3, 11.7).

A controlled year (2019, empty in the demo store) is built through the services under a
frozen clock: nine cases registered, five handled at a held casusoverleg, six closed by
afschaling and two not forwarded.  The figures must count exactly that, show no value
below the threshold, never leave one suppressed cell in a relation that adds up
(complementary suppression), and count nothing of police or dagmonitor data
(seed 000 art. 4.4).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import clock
from app.domain.vocab import ItemKind
from app.errors import AccessDeniedError, InputError
from app.profiles import load_profile
from app.services import agenda, casework, figures, meetings
from app.services.figures import SUPPRESS_BELOW, relations, suppress
from app.services.session import Session
from app.views.oversight import FiguresView
from tests.app.services.test_services import (
    ADMIN,
    CHAIR,
    NOTULIST,
    OTHER_CHAIR,
    POLICE,
    POLICE_BASIS,
    PRIVACY_OFFICER,
    PROFILE,
    RDAM,
    SPEC,
    TODAY,
    _events,
    _grant,
    _new_case,
    _open,
    _seq,
    _user,
)
from tests.conftest import DemoStoreFactory

YEAR = 2019
PROFILES = [load_profile(p) for p in ("zvh-rotterdam-rijnmond", "woonoverlast",
                                      "ondermijning")]


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _at(month: int, day: int) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 10, tzinfo=dt.UTC)


def _local(month: int, day: int) -> dt.datetime:
    """A meeting time: local wall-clock, 09:00."""
    return dt.datetime.combine(dt.date(YEAR, month, day), dt.time(9))


def _build_year(folder: Path) -> list[str]:
    """The 2019 scenario (see the module docstring); returns the references."""
    with _open(folder, CHAIR) as session:
        assert session.store.conn.execute(
            "SELECT count(*) FROM cases WHERE opened_at LIKE '2019%'").fetchone()[0] == 0
        with clock.frozen(_at(2, 1)):
            refs = [casework.create_case(session, registering_party=RDAM) for _n in range(9)]
            for ref in refs:
                casework.change_phase(session, ref, "triage")
        with clock.frozen(_at(3, 1)):
            for ref in refs[:6]:
                casework.change_phase(session, ref, "casusoverleg")
            for ref in refs[6:8]:
                casework.close_case(session, ref, phase="niet_doorgeleid",
                                    reason="Geen casus voor het ZVH", basis="PP 11.8")
            meeting = meetings.create_meeting(session, starts_at=_local(3, 4),
                                              place="Stadhuis")
            for ref in refs[:5]:
                meetings.add_to_agenda(session, meeting, ref, [RDAM])
            meetings.set_attendee(session, meeting, RDAM)
            # Planned but never held: its cases do not count as handled.
            unheld = meetings.create_meeting(session, starts_at=_local(3, 8),
                                             place="Stadhuis")
            meetings.add_to_agenda(session, unheld, refs[5], [RDAM])
        with clock.frozen(_at(3, 4)):
            agenda.close_meeting(session, meeting)
        with clock.frozen(_at(9, 1)):
            for ref in refs[:6]:
                casework.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                                    basis="PP 11.6")
    return refs


def _figures(folder: Path, username: str = PRIVACY_OFFICER, year: int = YEAR) -> FiguresView:
    with _open(folder, username) as session:
        return figures.figures(session, year)


def _shown(view: FiguresView) -> dict[str, int | None]:
    return {c.key: c.value for c in view.cells()}


def _assert_safe(view: FiguresView) -> None:
    """No shown value below the threshold, and no relation with exactly one hidden cell."""
    by_key = {c.key: c for c in view.cells()}
    for cell in by_key.values():
        assert cell.suppressed == (cell.value is None), cell
        assert cell.suppressed or (cell.value or 0) >= SUPPRESS_BELOW, cell
    for relation in relations(load_profile(view.profile_id)):
        hidden = [k for k in relation if by_key[k].suppressed]
        assert len(hidden) != 1, (relation, hidden)


def test_figures_count_the_year_exactly_zvh_12_3(folder: Path) -> None:
    """ZVH 12.3: cases registered (9), handled at a held casusoverleg (5), closed (8);
    per phase the cases that entered it.  The two not forwarded (ZVH 11.8) are below the
    threshold; since "closed" is their sum with the six closed successfully (afschaling),
    those six are suppressed too, and so is the afschaling phase that equals them."""
    _build_year(folder)
    view = _figures(folder)
    _assert_safe(view)
    assert (view.year, view.profile_id, view.threshold) == (YEAR, PROFILE.id, 5)
    assert _shown(view) == {
        "registered": 9, "handled": 5, "closed": 8, "closed_successfully": None,
        "not_forwarded": None, "phase:aanmelding": 9, "phase:triage": 9,
        "phase:niet_doorgeleid": None, "phase:casusoverleg": 6, "phase:afschaling": None}
    data = view.to_json()
    assert data["totals"]["not_forwarded"] is None
    assert set(data["suppressed"]) == {"closed_successfully", "not_forwarded",
                                       "phase:niet_doorgeleid", "phase:afschaling"}
    assert view.display(view.total("not_forwarded")) == "<5"
    assert view.display(view.total("closed")) == "8"


def test_figures_of_the_demo_store_are_safe_for_every_reader_zvh_11_7(folder: Path) -> None:
    """ZVH 11.7, 12.3: for the running year of the demo store and for an empty year, no
    shown value is below the threshold and no relation leaves one cell to compute;
    administrator, privacy officer and procesregisseurs read the same figures, each read
    is logged with the year."""
    views = {}
    for username in (ADMIN, PRIVACY_OFFICER, CHAIR, OTHER_CHAIR):
        with _open(folder, username) as session:
            seq = _seq(session)
            views[username] = figures.figures(session, TODAY.year).to_json()
            empty = figures.figures(session, 2001)
            assert _events(session, seq) == ["figures.read", "figures.read"]
            last = session.store.conn.execute(
                "SELECT attributes FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
            assert json.loads(last)["year"] == 2001
        _assert_safe(empty)
        assert all(c.suppressed for c in empty.cells())
    assert all(v == views[ADMIN] for v in views.values())
    _assert_safe(_figures(folder, year=TODAY.year))


def test_figures_are_refused_to_parties_and_for_future_years_zvh_12_3(folder: Path) -> None:
    """ZVH 12.3, 9.6: delegates and the minute taker get no figures; a year after the
    current one is refused."""
    for username in (_user(POLICE), _user(RDAM), NOTULIST):
        with _open(folder, username) as session, pytest.raises(AccessDeniedError):
            figures.figures(session, TODAY.year)
    with _open(folder, CHAIR) as session, pytest.raises(InputError) as future:
        figures.figures(session, TODAY.year + 1)
    assert future.value.code == "figures.year"


def _police_and_dagmonitor(session: Session, ref: str) -> None:
    casework.add_item(session, ref, category="police", body="Melding woninginbraak",
                      legal_basis=POLICE_BASIS, person="B1")
    casework.add_item(session, ref, category="address", body="Dorpsstraat 1",
                      legal_basis=POLICE_BASIS, person="B1", kind=ItemKind.ADDRESS,
                      structured={"street": "Dorpsstraat", "number": "1",
                                  "postcode": "3011AA"}, incident_class="A20")


def test_no_police_or_dagmonitor_data_in_any_figure_seed_000_4_4(folder: Path) -> None:
    """Seed 000 art. 4.4 (no steering or management reports from police/dagmonitor
    data), ZVH 11.7: police items, a dagmonitor address with its incident class and a
    police grant change no figure; the figures name no party, data category or
    incident class."""
    refs = _build_year(folder)
    ref = _new_case(folder, involve=(POLICE,))
    before = {YEAR: _figures(folder).to_json(), TODAY.year: _figures(folder, year=TODAY.year)
              .to_json()}
    with _open(folder, _user(POLICE)) as session:
        _police_and_dagmonitor(session, ref)
    _grant(folder, _user(POLICE), ref, RDAM, category="police")
    after = {YEAR: _figures(folder).to_json(), TODAY.year: _figures(folder, year=TODAY.year)
             .to_json()}
    assert after == before
    text = json.dumps(after)
    words = {p.id for p in PROFILE.parties} | {c.id for c in PROFILE.data_categories}
    assert not [w for w in words if f'"{w}"' in text]
    assert "A20" not in text
    assert "incident" not in text
    assert refs[0] not in text


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PROFILES), st.data())
def test_suppression_leaves_no_relation_with_one_hidden_cell_zvh_12_3(
        profile: object, data: st.DataObject) -> None:
    """ZVH 12.3, 11.7: for any counts that add up as a profile's figures do, every value
    below the threshold is suppressed, and no relation keeps exactly one suppressed cell
    (it could be computed from the others)."""
    related = relations(profile)  # type: ignore[arg-type]
    keys = sorted(set().union(*related))
    values = {k: data.draw(st.integers(0, 12), label=k) for k in keys}
    hidden = suppress(values, related)
    assert {k for k, v in values.items() if v < SUPPRESS_BELOW} <= hidden
    assert all(len(r & hidden) != 1 for r in related)


def test_relations_follow_each_profiles_closing_phases_zvh_ond_wo() -> None:
    """ZVH 1.21 and 11.8, WO 9.4, OND 1.33-1.34: ``closed`` adds up from the outcomes and
    from the closing phases; OND ``afsluiten`` yields both closed successfully and not
    forwarded, ``opschaling_riec`` the hand-over to the RIEC."""
    zvh, wo, ond = (set(relations(p)) for p in PROFILES)
    assert zvh == {frozenset({"closed", "closed_successfully", "not_forwarded"}),
                   frozenset({"closed", "phase:afschaling", "phase:niet_doorgeleid"}),
                   frozenset({"phase:afschaling", "closed_successfully"}),
                   frozenset({"phase:niet_doorgeleid", "not_forwarded"})}
    assert frozenset({"phase:afsluiten", "phase:niet_complex", "closed"}) in wo
    assert ond == {
        frozenset({"closed", "closed_successfully", "not_forwarded", "handed_over"}),
        frozenset({"closed", "phase:afsluiten", "phase:opschaling_riec"}),
        frozenset({"phase:afsluiten", "closed_successfully", "not_forwarded"}),
        frozenset({"phase:opschaling_riec", "handed_over"})}
