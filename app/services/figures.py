"""Management figures without personal data (ZVH 12.3, 11.7): counts of cases per year.

ZVH 12.3 asks for a yearly report with "aantallen casussen die zijn behandeld, aantallen
casussen die succesvol zijn afgerond"; ZVH 11.7 allows only non-personal data for
management purposes.  The figures of one calendar year (local dates) for the store's
profile (a store is bound to one profile, ``Session.profile_id``):

``registered``
    cases registered (``opened_at``) in the year.
``handled``
    cases on the agenda of a casusoverleg that was held (closed by its chair) in the year:
    "behandeld" is discussed at the table.
``closed``
    cases closed (``closed_at``) in the year, split by outcome:
``closed_successfully`` / ``not_forwarded`` / ``handed_over``
    per profile, from the closing phase the case ended in:

    - ZVH (``zvh-rotterdam-rijnmond``): ``afschaling`` is closed successfully (the plan
      van aanpak ran its course, ZVH 1.21); ``niet_doorgeleid`` is not forwarded (the
      triage ended it before the table, ZVH 11.8).
    - WO (``woonoverlast``): ``afsluiten`` is closed successfully (WO step "Afsluiten");
      ``niet_complex`` is not forwarded (the table judged it not complex woonoverlast,
      WO 9.4).
    - OND (``ondermijning``): ``afsluiten`` after the case reached the ``overleg`` is
      closed successfully (OND 1.33); ``afsluiten`` before it (not heavy enough, no hit:
      OND 1.28-1.29) is not forwarded; ``opschaling_riec`` is handed over to the RIEC
      (OND 1.34).
    - Any other profile: the regular ending (:meth:`Profile.phase_after` of its last
      regular phase) is closed successfully, every other closing phase not forwarded.

Every reader (the support roles and the procesregisseurs, ``READ_FIGURES``) gets the same
figures over the whole store: they hold no case, so there is nothing to scope.

Per phase: the cases that entered each phase in the year (``phase_history``; for a
closing phase, the cases closed in it, so the phase and outcome counts agree).

Nothing else is counted.  No item, category, party, theme, incident class, grant or
disclosure is read: counts of cases by phase are process metadata, while police data and
dagmonitor data may not feed management information at all (seed 000 art. 4.4),
and even "cases with police involvement" would be such a figure.

Small cells: every count below :data:`SUPPRESS_BELOW` is suppressed, zero included (a
shown 0 would tell, next to a total, that a suppressed neighbour is 1 to 4).  Then, since
some counts add up to others (``closed`` is the sum of the outcomes and of the closing
phases; a closing phase is the sum of the outcomes it produces), no such relation may
hold exactly one suppressed cell, or it could be computed back: the smallest shown cell
of the relation is suppressed too (complementary suppression), until every relation has
none or at least two.  The running year's figures change as cases come in; comparing two
days' figures tells that a case moved, never whose.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from app import clock
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.profiles import Profile
from app.services import guard
from app.services.redaction import profile_of
from app.services.session import Session
from app.views.oversight import FigureCell, FiguresView, PhaseFigure

__all__ = ["OUTCOMES", "SUPPRESS_BELOW", "figures", "relations", "suppress"]

SUPPRESS_BELOW = 5
"""Counts below this are not shown ("<5"), so no person can be singled out."""

SUCCESS = "closed_successfully"
NOT_FORWARDED = "not_forwarded"
HANDED_OVER = "handed_over"
OUTCOMES = (SUCCESS, NOT_FORWARDED, HANDED_OVER)
"""The outcome keys, in display order."""

# Closing phase -> outcome per profile (see the module docstring for the articles).
# ``None``: it depends on whether the case reached the table phase of _TABLE_PHASE.
_CLOSING: dict[str, dict[str, str | None]] = {
    "zvh-rotterdam-rijnmond": {"afschaling": SUCCESS, "niet_doorgeleid": NOT_FORWARDED},
    "woonoverlast": {"afsluiten": SUCCESS, "niet_complex": NOT_FORWARDED},
    "ondermijning": {"afsluiten": None, "opschaling_riec": HANDED_OVER},
}
_TABLE_PHASE = {"ondermijning": "overleg"}


def _closing_rules(profile: Profile) -> dict[str, str | None]:
    if profile.id in _CLOSING:
        return _CLOSING[profile.id]
    regular = [p for p in profile.phases if not p.closing]
    last = max(regular, key=lambda p: p.order) if regular else None
    ending = profile.phase_after(last.id) if last else None
    return {p.id: SUCCESS if ending is not None and p.id == ending.id else NOT_FORWARDED
            for p in profile.phases if p.closing}


def _possible(rule: str | None) -> tuple[str, ...]:
    return (SUCCESS, NOT_FORWARDED) if rule is None else (rule,)


def _phase_key(phase_id: str) -> str:
    return f"phase:{phase_id}"


def relations(profile: Profile) -> list[frozenset[str]]:
    """The sets of cells that add up (one of them is the sum of the others): ``closed``
    with the outcomes, ``closed`` with the closing phases, and each group of closing
    phases with the outcomes it produces."""
    rules = _closing_rules(profile)
    outcomes = [o for o in OUTCOMES if any(o in _possible(r) for r in rules.values())]
    found = [frozenset({"closed", *outcomes}),
             frozenset({"closed", *(_phase_key(p) for p in rules)})]
    # Closing phases that share an outcome add up together: group them.
    groups: list[tuple[set[str], set[str]]] = []
    for phase_id, rule in rules.items():
        phases, outs = {phase_id}, set(_possible(rule))
        for group in [g for g in groups if g[1] & outs]:
            groups.remove(group)
            phases |= group[0]
            outs |= group[1]
        groups.append((phases, outs))
    found += [frozenset({*(_phase_key(p) for p in phases), *outs}) for phases, outs in groups]
    return [r for r in found if len(r) > 1]


def suppress(values: Mapping[str, int], related: Iterable[frozenset[str]],
             threshold: int = SUPPRESS_BELOW) -> set[str]:
    """The keys to suppress: every value below ``threshold``, and then, while a relation
    holds exactly one suppressed key, its smallest shown value (ties: the key)."""
    hidden = {key for key, value in values.items() if value < threshold}
    related = [r & values.keys() for r in related]
    changed = True
    while changed:
        changed = False
        for relation in related:
            if len(relation & hidden) == 1:
                shown = sorted(relation - hidden, key=lambda k: (values[k], k))
                if shown:
                    hidden.add(shown[0])
                    changed = True
    return hidden


def _year_bounds(year: int) -> tuple[str, str]:
    """The year's local start and the next year's, as UTC ISO strings (phase entries are
    stored in UTC, ``+00:00``: string order is time order)."""
    start = dt.datetime(year, 1, 1).astimezone(dt.UTC)
    end = dt.datetime(year + 1, 1, 1).astimezone(dt.UTC)
    return start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")


def _counts(session: Session, profile: Profile, year: int) -> dict[str, int]:
    conn = session.store.conn
    prefix = f"{year:04d}"
    rules = _closing_rules(profile)
    values: dict[str, int] = {}
    values["registered"] = int(conn.execute(
        "SELECT count(*) FROM cases WHERE substr(opened_at, 1, 4) = ?", (prefix,)
    ).fetchone()[0])
    values["handled"] = int(conn.execute(
        "SELECT count(DISTINCT a.case_id) FROM agenda a JOIN meetings m ON m.id = a.meeting_id"
        " WHERE m.status = 'held' AND substr(m.starts_at, 1, 4) = ?", (prefix,)
    ).fetchone()[0])
    table = _TABLE_PHASE.get(profile.id)
    at_table = {int(r[0]) for r in conn.execute(
        "SELECT DISTINCT case_id FROM phase_history WHERE phase = ?", (table,))} if table else set()
    per_outcome: dict[str, int] = defaultdict(int)
    per_closing: dict[str, int] = defaultdict(int)
    for case_id, phase in conn.execute(
            "SELECT id, phase FROM cases WHERE closed_at IS NOT NULL"
            " AND substr(closed_at, 1, 4) = ?", (prefix,)):
        rule = rules.get(phase, NOT_FORWARDED)
        outcome = rule if rule is not None else (
            SUCCESS if int(case_id) in at_table else NOT_FORWARDED)
        per_outcome[outcome] += 1
        per_closing[phase] += 1
    values["closed"] = sum(per_outcome.values())
    for outcome in OUTCOMES:
        if any(outcome in _possible(r) for r in rules.values()):
            values[outcome] = per_outcome[outcome]
    start, end = _year_bounds(year)
    entered = {str(phase): int(n) for phase, n in conn.execute(
        "SELECT phase, count(DISTINCT case_id) FROM phase_history"
        " WHERE entered_at >= ? AND entered_at < ? GROUP BY phase", (start, end))}
    for phase in profile.phases:
        values[_phase_key(phase.id)] = (per_closing[phase.id] if phase.closing
                                        else entered.get(phase.id, 0))
    return values


def figures(session: Session, year: int) -> FiguresView:
    """The management figures of ``year`` (READ_FIGURES: the support roles and the
    procesregisseurs), small cells suppressed (logged with the year)."""
    guard.authorize(session, Action.READ_FIGURES)
    if not 1970 <= year <= clock.today().year:
        raise InputError("figures.year", N_("Choose a year up to the current one."),
                         {"year": year})
    profile = profile_of(session)
    values = _counts(session, profile, year)
    hidden = suppress(values, relations(profile))

    def cell(key: str) -> FigureCell:
        suppressed = key in hidden
        return FigureCell(key, None if suppressed else values[key], suppressed)

    total_keys = ["registered", "handled", "closed", *(o for o in OUTCOMES if o in values)]
    view = FiguresView(
        year, profile.id, profile.name, SUPPRESS_BELOW,
        tuple(cell(k) for k in total_keys),
        tuple(PhaseFigure(p.id, p.name, p.closing, cell(_phase_key(p.id)))
              for p in sorted(profile.phases, key=lambda p: p.order)))
    with session.store.transaction():
        session.store.log("figures.read", attributes={"year": year,
                                                      "suppressed": len(hidden)})
    return view
