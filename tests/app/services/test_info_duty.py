"""The information duty overview (app/services/info_duty.py; ZVH 16.6-16.7, OND 16.5), and
the canary check over every oversight view (issue 11: the officer's lists never show
content outside an open request).

The overview lists the betrokkenen not (yet) informed: case reference, label, subject
category, status, the written motivation, the expected date and the review date, flagged
due this (ISO) week or overdue.  The privacy officer sees every case, a procesregisseur
only their own, nobody else anything.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app import clock
from app.domain.vocab import InformedStatus, ItemKind
from app.errors import AccessDeniedError
from app.services import breaches, casework, figures, info_duty
from app.views.oversight import InfoDutyView
from tests.app.services.test_services import (
    ADMIN,
    CHAIR,
    NOTULIST,
    OTHER_CHAIR,
    POLICE,
    PRIVACY_OFFICER,
    RDAM,
    SPEC,
    TODAY,
    _events,
    _new_case,
    _open,
    _seq,
    _user,
)
from tests.conftest import DemoStoreFactory

# A Wednesday noon (local time) in this week: the week runs from MONDAY to MONDAY + 6.
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
WEDNESDAY = dt.datetime.combine(MONDAY + dt.timedelta(days=2), dt.time(12)).astimezone()
CANARY = "CANARY-NAME-7Q4XK"
MOTIVATION = "Informeren zou het onderzoek naar de veiligheid van de kinderen schaden"


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _not_informed(folder: Path, username: str, ref: str, label: str, review: dt.date,
                  reason: str = MOTIVATION) -> None:
    with _open(folder, username) as session:
        casework.set_informed(session, ref, label, status=InformedStatus.NOT_INFORMED,
                              reason=reason, expected=review + dt.timedelta(days=60),
                              review_on=review, review_interval_days=30)


def _mine(view: InfoDutyView, *refs: str) -> dict[tuple[str, str], tuple[bool, bool]]:
    """(case, label) -> (due_this_week, overdue) for the rows of ``refs``."""
    return {(r.case_ref, r.person_label): (r.due_this_week, r.overdue)
            for r in view.rows if r.case_ref in refs}


def _week_scenario(folder: Path) -> tuple[str, str]:
    """One case of CHAIR with five persons: B1 reviewed on this Monday, B2 this Friday,
    B3 last week, B4 next week, B5 informed; a case of OTHER_CHAIR with B1 unknown."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        for _n in range(4):
            casework.add_person(session, ref, category="cat-i")
        casework.set_informed(session, ref, "B5", status=InformedStatus.INFORMED,
                              informed_on=TODAY)
    reviews = {"B1": MONDAY, "B2": MONDAY + dt.timedelta(days=4),
               "B3": MONDAY - dt.timedelta(days=3), "B4": MONDAY + dt.timedelta(days=8)}
    for label, review in reviews.items():
        _not_informed(folder, CHAIR, ref, label, review)
    other = _new_case(folder, OTHER_CHAIR)
    return ref, other


def test_overview_flags_this_week_and_overdue_zvh_16_7(folder: Path) -> None:
    """ZVH 16.7, OND 16.5: every person not informed is listed with the motivation and the
    review date; on a Wednesday a review on Monday is due this week and overdue, on Friday
    due, last week's overdue, next week's neither.  An informed person is not listed; one
    with nothing recorded is (status unknown, no review date)."""
    ref, other = _week_scenario(folder)
    with _open(folder, PRIVACY_OFFICER) as session, clock.frozen(WEDNESDAY):
        view = info_duty.overview(session)
    assert (view.week_start, view.week_end) == (MONDAY, MONDAY + dt.timedelta(days=6))
    assert _mine(view, ref, other) == {
        (ref, "B1"): (True, True), (ref, "B2"): (True, False), (ref, "B3"): (False, True),
        (ref, "B4"): (False, False), (other, "B1"): (False, False)}
    row = next(r for r in view.rows if (r.case_ref, r.person_label) == (ref, "B2"))
    assert row.status is InformedStatus.NOT_INFORMED
    assert (row.motivation, row.category_id, row.review_interval_days) == (
        MOTIVATION, "cat-i", 30)
    assert row.informed_expected == MONDAY + dt.timedelta(days=64)
    unknown = next(r for r in view.rows if r.case_ref == other)
    assert (unknown.status, unknown.motivation, unknown.review_on) == (
        InformedStatus.UNKNOWN, None, None)
    # Earliest review first, persons without a review date last.
    reviews = [r.review_on for r in view.rows]
    dated = [d for d in reviews if d is not None]
    assert dated == sorted(dated)
    assert reviews[:len(dated)] == dated


def test_week_list_holds_what_is_due_or_overdue_zvh_16_7(folder: Path) -> None:
    """ZVH 16.7 ("hoe periodiek wordt getoetst"): the week's list has this week's reviews
    and the missed ones, not next week's nor the persons without a review date."""
    ref, other = _week_scenario(folder)
    with _open(folder, PRIVACY_OFFICER) as session, clock.frozen(WEDNESDAY):
        view = info_duty.overview(session, week_of=clock.today())
    assert view.week_only
    assert set(_mine(view, ref, other)) == {(ref, "B1"), (ref, "B2"), (ref, "B3")}
    assert all(r.due_this_week or r.overdue for r in view.rows)


def test_procesregisseur_sees_own_cases_others_nothing_zvh_9_6(folder: Path) -> None:
    """ZVH 9.6, 16.7: a procesregisseur sees the information duty of the cases they
    direct, not another director's; administrator, minute taker and a delegate are
    refused (the refusal audited)."""
    ref, other = _week_scenario(folder)
    _not_informed(folder, OTHER_CHAIR, other, "B1", MONDAY)
    with _open(folder, CHAIR) as session:
        own = info_duty.overview(session)
    with _open(folder, OTHER_CHAIR) as session:
        theirs = info_duty.overview(session)
    with _open(folder, PRIVACY_OFFICER) as session:
        everything = info_duty.overview(session)
    assert {r.case_ref for r in own.rows} >= {ref}
    assert other not in {
        r.case_ref for r in own.rows}
    assert other in {r.case_ref for r in theirs.rows}
    assert ref not in {
        r.case_ref for r in theirs.rows}
    with _open(folder, CHAIR) as session:
        chair_cases = {str(r[0]) for r in session.store.conn.execute(
            "SELECT reference FROM cases WHERE procesregisseur = ?", (CHAIR,))}
    assert {r.case_ref for r in own.rows} <= chair_cases
    assert {r.case_ref for r in own.rows} | {r.case_ref for r in theirs.rows} <= {
        r.case_ref for r in everything.rows}
    for username in (ADMIN, NOTULIST, _user(POLICE), _user(RDAM)):
        with _open(folder, username) as session:
            seq = _seq(session)
            with pytest.raises(AccessDeniedError):
                info_duty.overview(session)
            assert _events(session, seq) == ["access.denied"]


def test_overview_is_logged_without_the_motivation_zvh_16_7(folder: Path) -> None:
    """ZVH 15.3d: the look is audited, with counts only: not the motivation."""
    ref, _other = _week_scenario(folder)
    with _open(folder, PRIVACY_OFFICER) as session:
        seq = _seq(session)
        view = info_duty.overview(session)
        entry = session.store.conn.execute(
            "SELECT name, attributes FROM audit WHERE seq > ?", (seq,)).fetchall()
    assert [e[0] for e in entry] == ["info_duty.overview"]
    assert json.loads(entry[0][1])["count"] == len(view.rows)
    assert MOTIVATION not in entry[0][1]
    assert ref not in entry[0][1]


def test_no_name_or_item_content_in_any_oversight_view_canary(folder: Path) -> None:
    """Issue 11 (ZVH 9.6, 17.2): a name item with a canary marker never shows in the
    information duty overview, the breach register or the figures, for the privacy
    officer or the procesregisseur, in JSON, repr or str; the label and the motivation
    do (so the search looks at the right rows)."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        casework.add_item(session, ref, category="identity", body=f"Jansen {CANARY}",
                          legal_basis="art. 6 lid 1 sub e AVG", person="B1",
                          kind=ItemKind.FIELD, field="name")
    _not_informed(folder, CHAIR, ref, "B1", TODAY)
    texts: list[str] = []
    for username in (PRIVACY_OFFICER, CHAIR):
        with _open(folder, username) as session:
            looks: list[object] = [info_duty.overview(session),
                                   info_duty.overview(session, week_of=TODAY),
                                   figures.figures(session, TODAY.year)]
            if username == PRIVACY_OFFICER:
                breach_id = breaches.register_breach(session, clock.now(), "nature",
                                                     "identity", "1 betrokkene")
                looks += [*breaches.list_breaches(session),
                          breaches.breach_detail(session, breach_id)]
                texts += [breaches.export_breaches(session, f).decode() for f in ("csv", "json")]
            for look in looks:
                texts += [json.dumps(look.to_json()), repr(look),  # type: ignore[attr-defined]
                          str(look)]
    joined = "\n".join(texts)
    assert CANARY not in joined
    assert "Jansen" not in joined
    assert f'"case": "{ref}"' in joined
    assert MOTIVATION in joined
