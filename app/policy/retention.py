"""Retention clocks: what is due for destruction on a given day, and under which rule.

Pure: the caller loads the facts (:class:`CaseClockFacts`, :class:`ItemClockFacts`,
:class:`RegisterLine`) and passes the day, which it reads from :mod:`app.clock` (the one
clock; ``as_of`` only to check schedules).  The clocks themselves are profile data
(:class:`app.profiles.RetentionClock`, ``[[retention.clocks]]`` in the TOML), each citing
its article.

A term of ``months`` that starts on day S ends on :func:`add_months` (S, months): from that
day on, destruction is due (ZVH 11.2 "uiterlijk binnen 5 jaar", 11.8 "maximaal 1 jaar na
deze beslissing", WO 9.4 "niet langer dan vijf jaar", WO 9.9 "at once": 0 months, OND 11.2c
"na één jaar", DM 000 "maximum van 2 jaar en 2 maanden na verstrekking", DM 001 "maximum
van 1 jaar na verstrekking").  A case falls due under the first of its clocks to expire;
an extendable clock (ZVH 11.3-11.4) runs to the last recorded extension instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.profiles import Profile, RetentionClock


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months; the 31st of a shorter month becomes its last
    day (29 February + 12 months is 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class CaseClockFacts:
    """What the case clocks need of one case (process metadata only).

    ``extended_until``: per clock id, the latest recorded extension (ZVH 11.3-11.4).
    """

    case_id: int
    reference: str
    phase: str
    opened_on: dt.date
    closed_on: dt.date | None
    procesregisseur: str | None
    extended_until: Mapping[str, dt.date]


@dataclass(frozen=True)
class ItemClockFacts:
    """A dagmonitor item (an item with an incident class) not yet destroyed."""

    item_id: int
    case_id: int
    category: str
    provided_on: dt.date


@dataclass(frozen=True)
class RegisterLine:
    """A register line a register clock may apply to (e.g. an OM disclosure, ZVH 17.5)."""

    register: str
    line_id: int
    provided_on: dt.date


@dataclass(frozen=True)
class CaseTerm:
    """When a case falls due: the clock that expires first, its start and due date, and
    the extension that moved it (None: none)."""

    case_id: int
    clock: RetentionClock
    starts_on: dt.date
    due_on: dt.date
    extended_until: dt.date | None


@dataclass(frozen=True)
class ItemTerm:
    """The dagmonitor items of one case that fall due under one clock (earliest first)."""

    case_id: int
    clock: RetentionClock
    item_ids: tuple[int, ...]
    categories: tuple[tuple[str, int], ...]
    due_on: dt.date


@dataclass(frozen=True)
class RegisterTerm:
    """The lines of one register past their term."""

    clock: RetentionClock
    line_ids: tuple[int, ...]
    due_on: dt.date  # of the oldest line


@dataclass(frozen=True)
class Schedule:
    """Everything due on ``as_of`` (and, for reminders, what falls due up to ``until``)."""

    as_of: dt.date
    cases: tuple[CaseTerm, ...]
    items: tuple[ItemTerm, ...]
    registers: tuple[RegisterTerm, ...]


def _case_start(clock: RetentionClock, case: CaseClockFacts) -> dt.date | None:
    """The day ``clock`` starts for ``case`` (None: it does not apply)."""
    if clock.starts == "opened":
        return case.opened_on
    # closed and the two early decisions: a closing into one of the clock's phases.
    if case.closed_on is None:
        return None
    if clock.phases and case.phase not in clock.phases:
        return None
    return case.closed_on


def case_term(profile: Profile, case: CaseClockFacts) -> CaseTerm | None:
    """The term of ``case``: the first of its clocks to expire (None: no clock applies)."""
    best: CaseTerm | None = None
    for clock in profile.retention.clocks:
        if clock.what != "case":
            continue
        start = _case_start(clock, case)
        if start is None:
            continue
        due = add_months(start, clock.months)
        extended = case.extended_until.get(clock.id) if clock.extendable else None
        if extended is not None and extended > due:
            due = extended
        else:
            extended = None
        if best is None or due < best.due_on:
            best = CaseTerm(case.case_id, clock, start, due, extended)
    return best


def extension_limit(profile: Profile, term: CaseTerm) -> dt.date | None:
    """The latest date one more extension may reach: the current due date plus
    ``extension_years`` (ZVH 11.4 "telkens niet langer dan 2 jaar"); None when the clock
    cannot be extended."""
    years = profile.retention.extension_years
    if not term.clock.extendable or years is None:
        return None
    return add_months(term.due_on, 12 * years)


def item_clock(profile: Profile, agreement: str | None) -> RetentionClock | None:
    """The dagmonitor clock of the store: the one of its agreement, or without one the
    shortest (the stricter agreement wins, as for the address rules)."""
    clocks = [c for c in profile.retention.clocks if c.what == "item"]
    if agreement is not None:
        clocks = [c for c in clocks if c.agreement == agreement]
    return min(clocks, key=lambda c: c.months, default=None)


def schedule(profile: Profile, as_of: dt.date, cases: Iterable[CaseClockFacts],
             items: Iterable[ItemClockFacts], lines: Iterable[RegisterLine], *,
             agreement: str | None, until: dt.date | None = None) -> Schedule:
    """What is due on ``as_of`` (with ``until``: what falls due up to that day too).

    A case that is due takes all its items with it, so its dagmonitor items are not listed
    again as items of their own.
    """
    horizon = max(as_of, until or as_of)
    case_terms = []
    for case in cases:
        term = case_term(profile, case)
        if term is not None and term.due_on <= horizon:
            case_terms.append(term)
    case_terms.sort(key=lambda t: (t.due_on, t.case_id))
    whole = {t.case_id for t in case_terms if t.due_on <= as_of}
    item_terms = _item_terms(profile, as_of, horizon, items, whole, agreement)
    return Schedule(as_of, tuple(case_terms), item_terms,
                    _register_terms(profile, horizon, lines))


def _item_terms(profile: Profile, as_of: dt.date, horizon: dt.date,
                items: Iterable[ItemClockFacts], whole: set[int],
                agreement: str | None) -> tuple[ItemTerm, ...]:
    clock = item_clock(profile, agreement)
    if clock is None:
        return ()
    per_case: dict[int, list[tuple[dt.date, ItemClockFacts]]] = {}
    for item in items:
        due = add_months(item.provided_on, clock.months)
        if due <= horizon and item.case_id not in whole:
            per_case.setdefault(item.case_id, []).append((due, item))
    out = []
    for case_id, due_items in sorted(per_case.items()):
        # Per case, what is due now is one line; what falls due later (reminders) another.
        now = [i for d, i in due_items if d <= as_of]
        later = [(d, i) for d, i in due_items if d > as_of]
        if now:
            out.append(_item_term(case_id, clock, now,
                                  min(d for d, _i in due_items if d <= as_of)))
        if later:
            out.append(_item_term(case_id, clock, [i for _d, i in later],
                                  min(d for d, _i in later)))
    out.sort(key=lambda t: (t.due_on, t.case_id))
    return tuple(out)


def _item_term(case_id: int, clock: RetentionClock, items: Sequence[ItemClockFacts],
               due: dt.date) -> ItemTerm:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.category] = counts.get(item.category, 0) + 1
    return ItemTerm(case_id, clock, tuple(sorted(i.item_id for i in items)),
                    tuple(sorted(counts.items())), due)


def _register_terms(profile: Profile, horizon: dt.date,
                    lines: Iterable[RegisterLine]) -> tuple[RegisterTerm, ...]:
    clocks = {c.register: c for c in profile.retention.clocks if c.what == "register"}
    found: dict[str, list[tuple[dt.date, int]]] = {}
    for line in lines:
        clock = clocks.get(line.register)
        if clock is None:
            continue
        due = add_months(line.provided_on, clock.months)
        if due <= horizon:
            found.setdefault(line.register, []).append((due, line.line_id))
    return tuple(RegisterTerm(clocks[register], tuple(sorted(i for _d, i in due_lines)),
                              min(d for d, _i in due_lines))
                 for register, due_lines in sorted(found.items()))
