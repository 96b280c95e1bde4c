"""Case skeletons and meetings of the synthetic demo (:mod:`app.demo`).

A :class:`Draft` is a case before its content is written; :func:`plan_meetings` lays out
held and upcoming meetings around ``today`` and puts drafts on their agendas, and
:func:`meeting_doc` writes one meeting record of the import document.  Kept apart from the
per-case content (:mod:`app.demo.cases`) so each module stays readable.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from app.demo.context import DemoContext, Json

_TIMES = ((9, 0), (10, 30), (13, 30), (15, 0))


@dataclass(slots=True)
class Meeting:
    """A meeting slot: when, held or upcoming, chair, notulist, theme and agenda."""

    key: str
    when: dt.datetime
    held: bool
    chair: str = ""
    notulist: str = ""
    theme: str = ""
    place: str = ""
    agenda: list[Draft] = field(default_factory=list)


@dataclass(slots=True)
class Draft:
    """A case before its content is written: phase, dates, parties, meetings."""

    index: int
    ref: str
    phase: str
    history: list[tuple[str, dt.date]]
    closed: dt.date | None
    pr: str
    theme: str
    parties: list[str]
    registering: str
    city: str
    postcode: int
    table_from: dt.date | None
    director_party: str | None = None
    director: str | None = None
    meetings: list[Meeting] = field(default_factory=list)
    planned_count: int = 0
    party_set: frozenset[str] = frozenset()


def plan_meetings(g: DemoContext, drafts: list[Draft], n: int,
                  agenda_size: int) -> tuple[list[Meeting], int]:
    """``n`` meetings around ``g.today`` with the drafts on their agendas, and the index of
    the first upcoming meeting with an agenda (-1 if none), where a party stays in the room
    although it is not invited for a case."""
    planned_n = min(n, max(2, n // 3))
    held_n = n - planned_n
    per_day = len(_TIMES) if n > 40 else 1
    gap = 1 if n > 40 else 3
    slots: list[tuple[dt.datetime, bool]] = []
    for k in range(held_n):
        day = working_day(g.today, -(1 + (k // per_day) * gap))
        hour, minute = _TIMES[k % per_day]
        slots.append((dt.datetime.combine(day, dt.time(hour, minute)), True))
    for k in range(planned_n):
        day = working_day(g.today, 1 + (k // per_day) * gap)
        hour, minute = _TIMES[(k + 1) % per_day if per_day > 1 else k % 2]
        slots.append((dt.datetime.combine(day, dt.time(hour, minute)), False))
    slots.sort()
    themes = [t.name for t in g.cov.themes]
    plan = []
    for i, (when, held) in enumerate(slots):
        plan.append(Meeting(
            f"M{i + 1:04d}", when, held, g.prs[i % len(g.prs)],
            g.notulists[i % len(g.notulists)],
            themes[(i // len(g.prs)) % len(themes)],
            g.cov.places[i % len(g.cov.places)]))
    by_chair: dict[str, list[Draft]] = {}
    for d in drafts:
        if d.table_from is not None:
            by_chair.setdefault(d.pr, []).append(d)
    for chair_cases in by_chair.values():
        chair_cases.sort(key=lambda c: (c.table_from, c.index))
    starts = {pr: [c.table_from for c in cs if c.table_from is not None]
              for pr, cs in by_chair.items()}
    for m in plan:
        pool = by_chair.get(m.chair, [])
        day = m.when.date()
        if m.held:
            upto = bisect.bisect_right(starts.get(m.chair, []), day)
            eligible = [c for c in pool[:upto] if c.closed is None or c.closed >= day]
        else:
            eligible = [c for c in pool if c.closed is None]
        m.agenda = _pick_agenda(g, eligible, m, agenda_size)
        for c in m.agenda:
            c.meetings.append(m)
            if not m.held:
                c.planned_count += 1
    special = next((i for i, m in enumerate(plan) if not m.held and m.agenda), -1)
    return plan, special


def working_day(today: dt.date, offset: int) -> dt.date:
    """The ``offset``-th working day after (positive) or before (negative) ``today``."""
    step = 1 if offset > 0 else -1
    day, left = today, abs(offset)
    while left:
        day += dt.timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


def _pick_agenda(g: DemoContext, eligible: list[Draft], m: Meeting, size: int) -> list[Draft]:
    """Up to ``size`` cases, grown greedily so the table stays small: one case of the
    meeting's theme first, then the cases that add the fewest new parties.  For an
    upcoming meeting, cases not yet on another upcoming agenda come first."""
    rng = g.rng
    fresh = [c for c in eligible if m.held or c.planned_count == 0]
    pool = fresh if len(fresh) <= 200 else rng.sample(fresh, 200)
    if len(pool) < size:
        others = [c for c in eligible if not (m.held or c.planned_count == 0)]
        pool += others if len(others) <= size else rng.sample(others, size)
    if not pool:
        return []
    themed = [c for c in pool if c.theme == m.theme]
    first = rng.choice(themed or pool)
    chosen, union = [first], set(first.parties)
    rest = {id(c): c for c in pool if c is not first}
    while rest and len(chosen) < size:
        best = min(rest.values(), key=lambda c: (len(c.party_set - union) * 2
                                                 + (c.theme != m.theme)))
        chosen.append(best)
        del rest[id(best)]
        union.update(best.parties)
    return chosen


def meeting_doc(g: DemoContext, m: Meeting, special: bool) -> Json:
    """Attendees are the parties invited for any agenda case; a party present but not
    invited for a case leaves the room for it (``left_room``), except once in the
    first upcoming meeting, where the chair still has to send it out (ZVH 13.2)."""
    union = sorted({p for c in m.agenda for p in c.parties})
    present = {p for p in union if g.rng.random() >= 0.08}
    stay: tuple[str, str] | None = None  # (case ref, party) left in the room
    if special:
        for c in m.agenda:
            outsiders = sorted(set(union) - set(c.parties))
            if outsiders:
                stay = (c.ref, outsiders[0])
                break
        if stay is None:
            extra = next((p for p in [*g.user_of, *g.party_ids] if p not in union),
                         None)
            if extra is not None:
                union.append(extra)
                stay = (m.agenda[0].ref, extra)
        if stay is not None:
            present.add(stay[1])
    attendees: list[Json] = []
    for party in union:
        name = g.delegates.get(party) or g.staff_names[
            sum(map(ord, party)) % len(g.staff_names)]
        att: Json = {"party": party, "name": name}
        if party not in present:
            att["present"] = False
        attendees.append(att)
    agenda: list[Json] = []
    for c in m.agenda:
        entry: Json = {"case": c.ref, "invited": list(c.parties)}
        left = [p for p in sorted(present - set(c.parties)) if (c.ref, p) != stay]
        if left:
            entry["left_room"] = left
        if not m.held:
            # The chair decided with the registering party what may be seen before the
            # meeting (ZVH 13.2), so meeting grants count in the preparation week.
            entry["preview"] = True
        agenda.append(entry)
    return {"key": m.key, "starts_at": m.when.isoformat(timespec="minutes"),
            "place": m.place, "chair": m.chair, "notulist": m.notulist,
            "status": "held" if m.held else "planned", "attendees": attendees,
            "agenda": agenda}
