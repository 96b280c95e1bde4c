"""Retention clocks of the woonoverlast (WO, seed 002) and ondermijning (OND, seed 004)
profiles at their edges, on the closed cases and dagmonitor items of their demo stores;
and a run under OND that keeps the management figures (OND 11.3) and the audit chain.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.policy.retention import add_months
from app.services import admin, figures, retention, retention_run
from app.services.session import Session
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStoreFactory

TODAY = dt.datetime.now().astimezone().date()
WO = DemoSpec("woonoverlast", cases=12, seed=7, today=TODAY)
OND = DemoSpec("ondermijning", cases=12, seed=7, today=TODAY)
OFFICER = "fg.jacobi"
ADMIN = "beheer"


def _open(folder: Path, username: str) -> Session:
    return Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)


def _closed(folder: Path, phase: str) -> list[tuple[str, dt.date]]:
    with _open(folder, ADMIN) as session:
        return [(str(r), dt.date.fromisoformat(c)) for r, c in session.store.conn.execute(
            "SELECT reference, closed_at FROM cases WHERE phase = ? AND closed_at IS NOT NULL",
            (phase,))]


def _rules(folder: Path, as_of: dt.date) -> dict[str | None, tuple[str, ...]]:
    with _open(folder, OFFICER) as session:
        view = retention.due(session, as_of)
    out: dict[str | None, tuple[str, ...]] = {}
    for line in view.lines:
        out[line.case_ref] = (*out.get(line.case_ref, ()), line.rule)
    return out


def _edge(folder: Path, phase: str, months: int, rule: str) -> None:
    """Each case closed in ``phase``: not due the day before its term ends, due after."""
    cases = _closed(folder, phase)
    assert cases, f"the demo has cases closed in {phase}"
    for ref, closed in cases:
        due_on = add_months(closed, months)
        assert rule not in _rules(folder, due_on - dt.timedelta(days=1)).get(ref, ())
        assert rule in _rules(folder, due_on + dt.timedelta(days=1)).get(ref, ())


def test_wo_9_4_a_closed_approach_falls_due_five_years_after_closure(
        demo_store: DemoStoreFactory) -> None:
    """WO 9.4-9.5: kept at most five years after the closure of the approach."""
    _edge(demo_store(WO), "afsluiten", 60, "wo-after-closure")


def test_wo_9_9_a_case_found_not_complex_falls_due_at_once(
        demo_store: DemoStoreFactory) -> None:
    """WO 9.9: destroyed at once when the joint meeting decides it is not complex: due on
    the day of the decision, not before."""
    folder = demo_store(WO)
    cases = _closed(folder, "niet_complex")
    assert cases
    for ref, closed in cases:
        assert "wo-not-complex" not in _rules(folder, closed - dt.timedelta(days=1)).get(ref, ())
        assert "wo-not-complex" in _rules(folder, closed).get(ref, ())
        assert "wo-not-complex" in _rules(folder, closed + dt.timedelta(days=1)).get(ref, ())


@pytest.mark.parametrize("phase", ["afsluiten", "opschaling_riec"])
def test_ond_11_2c_a_closed_case_falls_due_one_year_after_closing(
        demo_store: DemoStoreFactory, phase: str) -> None:
    """OND 11.2c: destroyed one year after the decision to close or to scale up."""
    _edge(demo_store(OND), phase, 12, "ond-after-closing")


@pytest.mark.parametrize("spec", [WO, OND], ids=["wo", "ond"])
@pytest.mark.parametrize(("agreement", "months"), [("000", 26), ("001", 12)])
def test_dm_000_001_dagmonitor_terms_apply_under_every_profile(
        demo_store: DemoStoreFactory, spec: DemoSpec, agreement: str, months: int) -> None:
    """DM 000 art. 5.6 / DM 001: the dagmonitor term of the store's agreement applies to
    its dagmonitor items whatever the covenant (unless the whole case is due first)."""
    folder = demo_store(spec)
    with _open(folder, ADMIN) as session:
        admin.set_dagmonitor_agreement(session, agreement)
        rows = session.store.conn.execute(
            "SELECT c.reference, i.provided_on FROM items i JOIN cases c ON c.id = i.case_id"
            " WHERE i.incident_class IS NOT NULL").fetchall()
    rule = f"dagmonitor-{agreement}"
    for ref, provided in rows:
        due_on = add_months(dt.date.fromisoformat(provided), months)
        before = _rules(folder, due_on - dt.timedelta(days=1)).get(ref, ())
        after = _rules(folder, due_on + dt.timedelta(days=1)).get(ref, ())
        assert rule not in before or due_on - dt.timedelta(days=1) >= min(
            add_months(dt.date.fromisoformat(p), months) for r, p in rows if r == ref)
        assert rule in after or any(not r.startswith("dagmonitor") for r in after)


def test_ond_11_3_a_run_keeps_the_management_figures(demo_store: DemoStoreFactory) -> None:
    """OND 11.2c-11.3: the run destroys the cases closed over a year ago; the non-personal
    figures per year are the same before and after, and the chain verifies."""
    folder = demo_store(OND)
    years = sorted({TODAY.year, TODAY.year - 1, TODAY.year - 2, TODAY.year - 3})
    with _open(folder, OFFICER) as session:
        before = [figures.figures(session, y).to_json() for y in years]
        due = retention.due(session)
        result = retention_run.run(session)
        after = [figures.figures(session, y).to_json() for y in years]
    assert due.cases >= 1
    assert result.cases == due.cases
    assert before == after
    with _open(folder, ADMIN) as session:
        assert admin.verify_audit(session).ok
        left = session.store.conn.execute(
            "SELECT count(*) FROM items i JOIN cases c ON c.id = i.case_id"
            " WHERE c.destroyed_on IS NOT NULL AND (i.content IS NOT NULL OR i.body != '')"
        ).fetchone()[0]
    assert left == 0
