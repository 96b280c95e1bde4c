"""The retention clocks as pure functions (app/policy/retention.py) and their validation
in the profile loader (ZVH 11.2-11.8, WO 9.4-9.9, OND 11.2, DM 000/001)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.policy.retention import (
    CaseClockFacts,
    ItemClockFacts,
    RegisterLine,
    add_months,
    case_term,
    extension_limit,
    item_clock,
    schedule,
)
from app.profiles import ProfileError, load_profile
from app.profiles.loader import PROFILES_DIR, load_profile_file

ZVH = load_profile("zvh-rotterdam-rijnmond")
DAY = dt.date(2026, 1, 31)


def _case(phase: str = "casusoverleg", closed: dt.date | None = None,
          extended: dict[str, dt.date] | None = None) -> CaseClockFacts:
    return CaseClockFacts(1, "ZVH-1", phase, DAY, closed, "pr", extended or {})


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    """A term of whole months ends on the same day of the month, or its last day."""
    assert add_months(DAY, 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(DAY, 60) == dt.date(2031, 1, 31)
    assert add_months(DAY, -61) == dt.date(2020, 12, 31)


def test_zvh_11_8_the_earlier_clock_decides() -> None:
    """ZVH 11.2 and 11.8 both apply to a triage not forwarded: the year of 11.8 ends
    first."""
    term = case_term(ZVH, _case("niet_doorgeleid", dt.date(2026, 3, 1)))
    assert term is not None
    assert (term.clock.id, term.due_on) == ("zvh-not-forwarded", dt.date(2027, 3, 1))


def test_zvh_11_4_an_extension_moves_the_term_by_at_most_two_years() -> None:
    """ZVH 11.3-11.4: the extension sets the due date; the next may reach 2 years on."""
    term = case_term(ZVH, _case(extended={"zvh-max-term": dt.date(2032, 1, 31)}))
    assert term is not None
    assert term.due_on == dt.date(2032, 1, 31)
    assert term.extended_until == dt.date(2032, 1, 31)
    assert extension_limit(ZVH, term) == dt.date(2034, 1, 31)


def test_dm_000_001_the_store_agreement_picks_the_clock() -> None:
    """DM 000 (26 months) or 001 (12 months); without an agreement the shorter term."""
    clocks = {a: item_clock(ZVH, a) for a in ("000", "001", None)}
    assert {a: (c.months if c else None) for a, c in clocks.items()} == {
        "000": 26, "001": 12, None: 12}


def test_schedule_lists_items_only_of_cases_not_due_as_a_whole() -> None:
    """A case that is due takes its items along; register lines are listed by count."""
    old = CaseClockFacts(2, "ZVH-2", "casusoverleg", dt.date(2020, 1, 1), None, "pr", {})
    items = [ItemClockFacts(10, 1, "address", dt.date(2025, 1, 1)),
             ItemClockFacts(11, 2, "address", dt.date(2025, 1, 1))]
    lines = [RegisterLine("om_disclosures", 5, dt.date(2021, 1, 1)),
             RegisterLine("om_disclosures", 6, dt.date(2025, 1, 1))]
    plan = schedule(ZVH, DAY, [_case(), old], items, lines, agreement=None)
    assert [t.case_id for t in plan.cases] == [2]
    assert [(t.case_id, t.item_ids) for t in plan.items] == [(1, (10,))]
    assert [(t.clock.id, t.line_ids) for t in plan.registers] == [
        ("om-disclosure-records", (5,))]


_FIRST = """id = "zvh-max-term"
what = "case"
starts = "opened"
months = 60
extendable = true
"""


@pytest.mark.parametrize(("block", "key"), [
    ('id = "x"\nwhat = "item"\nstarts = "provided"\nmonths = 1\n', "agreement"),
    ('id = "x"\nwhat = "case"\nstarts = "decision_not_forwarded"\nmonths = 1\n', "phases"),
    ('id = "x"\nwhat = "case"\nstarts = "closed"\nphases = ["triage"]\nmonths = 1\n',
     "phases"),
    ('id = "x"\nwhat = "case"\nstarts = "provided"\nmonths = 1\n', "starts"),
    ('id = "x"\nwhat = "register"\nstarts = "provided"\nmonths = 1\n', "register"),
    (('id = "x"\nwhat = "item"\nstarts = "provided"\nagreement = "000"\nmonths = 1\n'
      'extendable = true\n'), "extendable"),
])
def test_the_loader_rejects_clocks_that_do_not_fit(tmp_path: Path, block: str,
                                                   key: str) -> None:
    """A clock's parts must fit: an item clock names its agreement, a decision its
    closing phase, phases are closing phases, a case is not 'provided', only a case clock
    is extendable (ZVH 11.3)."""
    text = (PROFILES_DIR / "zvh-rotterdam-rijnmond.toml").read_text("utf-8")
    assert text.count(_FIRST) == 1
    path = tmp_path / "p.toml"
    path.write_text(text.replace(_FIRST, block), encoding="utf-8")
    with pytest.raises(ProfileError) as failed:
        load_profile_file(path)
    assert failed.value.params["key"] == f"retention.clocks[0].{key}"
