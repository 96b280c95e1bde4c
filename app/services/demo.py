"""The synthetic demo: an import document (``docs/import-format.md``) full of plausible cases.

:func:`generate_demo` builds users for every role, cases in every phase of the covenant
(open and closed at several ages), persons concerned with Dutch names including
diacritics, information items of every data category from the parties that would provide
them, grants (current phase, earlier phase only, meeting only, revoked), consents (given,
withdrawn, missing) and meetings around ``today`` with agenda, attendance, decisions,
goals, actions and progress.  Every path of the policy engine is exercised: FULL, MASKED
("not shared", "to be re-assessed"), HIDDEN (uninvolved party, police data outside the
art. 20 Wpg recipients, no consent, access stage after closing) and the dagmonitor address
rules (postcode only, house number, "ter hoogte van").

The result is deterministic for (profile, cases, seed, today): one ``random.Random(seed)``
and one ``Faker("nl_NL")`` seeded with ``seed``; nothing reads the clock.  Faker only fills
name and street pools once; everything else comes from templates (``demo_text``), so
10,000 cases (about 200,000 items) take a few seconds.

Passphrases: the document carries none.  ``casustafel demo`` passes ONE passphrase as
``new_user_passphrase`` to :func:`app.services.dataset.load_dataset`, so every demo user
(and the administrator it creates) opens the store with that same passphrase.

``canary=True`` appends a unique marker ``CANARY-<case ref>-<item key>`` to every item body
(names included, they are items) and to the street of every structured address, so a test
can search files, logs and rendered views for anything that leaked.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import string
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from app.profiles import Profile, ProfileError, load_incident_classes
from app.services import demo_text as txt

Json = dict[str, Any]

FORMAT = "casustafel-import"
VERSION = 1
CLOSED_AGES_MONTHS = (1, 4, 9, 14, 30)
"""Months between closing and ``today`` for closed cases, in turn (access stages)."""

_TIMES = ((9, 0), (10, 30), (13, 30), (15, 0))
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
# Grant modes per (provider, recipient) pair, in a shuffled cycle so even a small demo has
# each: phase = FULL now, stale = only an earlier phase (re-assessment), meeting = only in
# one meeting, revoked, none = MASKED "not shared".
_GRANT_MODES = (("phase",) * 12 + ("category",) * 2 + ("item",) * 2 + ("stale",) * 2
                + ("meeting",) * 2 + ("revoked", "none"))
# Consent outcomes per person with consent-bound data (cycle): given (any source / the
# specific source / one recipient only), withdrawn, none.
_CONSENTS = ("any", "source", "none", "any", "withdrawn", "source", "any", "recipient",
             "source", "any")
_INFORMED = ("informed", "informed", "not_informed", "unknown", "informed")
_CASE_LEVEL = frozenset({"plan", "progress", "signal", "kadaster", "bag", "real_estate",
                         "complaints", "melding_report", "kvk", "residents_history"})
_STAFF_TEXT = ("staff_organisation", "staff_involvement", "staff_role")


@dataclass(frozen=True)
class DemoData:
    """The import document (without the administrator, who exists already) and the users
    it adds as (username, display name, role, party) for printing."""

    doc: Json
    users: list[tuple[str, str, str, str]]


def generate_demo(profile: Profile, *, cases: int, seed: int, today: dt.date,
                  admin: str = "beheer", canary: bool = False, meetings: int | None = None,
                  agenda_size: int = 12) -> DemoData:
    """A synthetic dataset for ``profile`` with ``cases`` cases around ``today``.

    ``meetings``: how many (default: one per ``agenda_size`` cases, at least 3, at most
    1000); about a third lie ahead (planned), the rest are held.  ``admin`` is the
    importing beheerder: no demo user gets that name.
    """
    return _Generator(profile, seed=seed, today=today, admin=admin, canary=canary).run(
        cases, meetings, agenda_size)


# --------------------------------------------------------------------------- helpers

def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _stamp(day: dt.date, hour: int = 9, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _nl(day: dt.date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch in string.ascii_lowercase)


@dataclass(frozen=True)
class _PhaseInfo:
    order: int
    closing: bool
    categories: frozenset[str]
    subjects: frozenset[str]
    recipients: frozenset[str]


@dataclass(slots=True)
class _Meeting:
    key: str
    when: dt.datetime
    held: bool
    chair: str = ""
    notulist: str = ""
    theme: str = ""
    place: str = ""
    agenda: list[_Draft] = field(default_factory=list)


@dataclass(slots=True)
class _Draft:
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
    meetings: list[_Meeting] = field(default_factory=list)
    planned_count: int = 0
    party_set: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Person:
    key: str
    category: str
    role: str
    name: str


class _Generator:
    def __init__(self, profile: Profile, *, seed: int, today: dt.date, admin: str,
                 canary: bool) -> None:
        self.p = profile
        self.today = today
        self.admin = admin.casefold()
        self.canary = canary
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not security
        self.cov = txt.COVENANTS.get(profile.id) or _generic_covenant(profile)
        self.party_ids = [p.id for p in profile.parties]
        self.parties = {p.id: p for p in profile.parties}
        self.categories = {c.id: c for c in profile.data_categories}
        self.ordered = sorted(profile.phases, key=lambda ph: ph.order)
        self.info = {ph.id: self._phase_info(ph.activity, ph.order, ph.closing)
                     for ph in profile.phases}
        table = self.cov.table_phase if self.cov.table_phase in self.info else (
            [ph.id for ph in self.ordered if not ph.closing][len(self.ordered) // 3])
        self.table_order = self.info[table].order
        self.police_recipients = frozenset(profile.police_recipients)
        self.pr_party = next((p for p in self.cov.pr_parties if p in self.parties),
                             _default_party(profile))
        self._pools(seed)
        self._incident_cycle()
        self.grant_modes = list(_GRANT_MODES)
        self.rng.shuffle(self.grant_modes)
        self.counters: dict[str, int] = {}
        self.unused = {c.id for c in profile.data_categories}
        self.fields_cache: dict[str, tuple[str, ...]] = {}
        self.fillers = self._fillers()

    # -- set-up ------------------------------------------------------------------
    def _phase_info(self, activity_id: str, order: int, closing: bool) -> _PhaseInfo:
        try:
            act = self.p.activity(activity_id)
        except ProfileError:
            every = frozenset(self.categories)
            return _PhaseInfo(order, closing, every,
                              frozenset(c.id for c in self.p.subject_categories),
                              frozenset(self.parties))
        return _PhaseInfo(order, closing, frozenset(act.data_categories),
                          frozenset(act.subject_categories), frozenset(act.recipients))

    def _pools(self, seed: int) -> None:
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        self.first_names = [fake.first_name() for _ in range(300)]
        self.last_names = [fake.last_name() for _ in range(300)]
        self.streets = [fake.street_name() for _ in range(200)]
        self.staff_names = [f"{fake.first_name()} {fake.last_name()}" for _ in range(120)]

    def _incident_cycle(self) -> None:
        merged = {c.code: c for c in load_incident_classes()}  # as the policy reads them
        postcode = sorted(c for c, k in merged.items() if not k.house_number)
        house = sorted(c for c, k in merged.items() if k.house_number and not k.ter_hoogte_van)
        near = sorted(c for c, k in merged.items() if k.ter_hoogte_van)
        self.incident_kinds = [kind for kind in (postcode, house, near) if kind]

    def count(self, name: str) -> int:
        n = self.counters.get(name, 0)
        self.counters[name] = n + 1
        return n

    # -- the whole run ---------------------------------------------------------------
    def run(self, cases: int, meetings: int | None, agenda_size: int) -> DemoData:
        users = self._users()
        drafts = [self._draft(i, cases) for i in range(cases)]
        n_meetings = meetings if meetings is not None else min(
            1000, max(3, cases // max(1, agenda_size)))
        plan = self._meetings(drafts, n_meetings, agenda_size)
        case_docs = [self._case(d) for d in drafts]
        doc: Json = {
            "format": FORMAT, "version": VERSION, "profile": self.p.id,
            "users": [{"username": u, "name": n, "role": r, "party": p}
                      for u, n, r, p in users],
            "meetings": [self._meeting_doc(m, i == self.special) for i, m in enumerate(plan)],
            "cases": case_docs,
        }
        return DemoData(doc, users)

    # -- users ---------------------------------------------------------------------
    def _users(self) -> list[tuple[str, str, str, str]]:
        taken = {self.admin}
        out: list[tuple[str, str, str, str]] = []

        def add(prefix: str, role: str, party: str) -> str:
            first = self.rng.choice(self.first_names)
            last = self.rng.choice(self.last_names)
            base = f"{prefix}.{_slug(last)[:12] or 'demo'}"
            name, n = base, 2
            while name in taken:
                name, n = f"{base}{n}", n + 1
            taken.add(name)
            out.append((name, f"{first} {last}", role, party))
            return name

        self.prs = [add("pr", "procesregisseur", self.pr_party) for _ in range(3)]
        self.notulists = [add("notulist", "notulist", self.pr_party) for _ in range(2)]
        add("fg", "privacy-officer", self.pr_party)
        self.user_of: dict[str, str] = {}
        self.directors: dict[str, str] = {}
        self.delegates: dict[str, str] = {}
        for party in self._user_parties():
            tag = txt.PARTY_TAGS.get(party) or txt.KIND_TAGS.get(self.parties[party].kind,
                                                                 _slug(party)[:8])
            user = add(tag, "deelnemer", party)
            self.user_of[party] = user
            self.delegates[party] = out[-1][1]
        for party in self._director_parties():
            self.directors[party] = add("cr", "casusregisseur", party)
            self.user_of.setdefault(party, self.directors[party])
        return out

    def _user_parties(self) -> list[str]:
        listed = [p for p in self.cov.user_parties if p in self.parties]
        if listed:
            return listed
        kinds: dict[str, str] = {}
        for party in self.p.parties:  # another profile: one party of each kind
            if party.id != self.pr_party:
                kinds.setdefault(party.kind, party.id)
        return list(kinds.values())

    def _director_parties(self) -> list[str]:
        listed = [p for p in self.cov.director_parties if p in self.parties]
        return listed or list(self.user_of)[:2]

    # -- case skeletons -----------------------------------------------------------
    def _phase_for(self, index: int) -> str:
        if index < len(self.ordered):
            return self.ordered[index].id  # every phase appears even in a small demo
        weights = self.cov.phase_weights
        ids = [ph.id for ph in self.ordered]
        return self.rng.choices(ids, [weights.get(i, 10) for i in ids])[0]

    def _path(self, target: str) -> list[str]:
        t = self.info[target]
        path = [ph.id for ph in self.ordered if not ph.closing and ph.order < t.order]
        return [*path, target]

    def _draft(self, index: int, total: int) -> _Draft:
        rng = self.rng
        width = max(4, len(str(total)))
        ref = f"{self.cov.prefix}-{index + 1:0{width}d}"
        phase = self._phase_for(index)
        path = self._path(phase)
        closed: dt.date | None = None
        if self.info[phase].closing:
            age = CLOSED_AGES_MONTHS[self.count("closed") % len(CLOSED_AGES_MONTHS)]
            closed = _add_months(self.today, -age) - dt.timedelta(days=rng.randint(0, 12))
            last = closed
        else:
            last = self.today - dt.timedelta(days=rng.randint(1, 40))
        dates = [last]
        for _ in path[1:]:
            dates.append(dates[-1] - dt.timedelta(days=rng.randint(10, 60)))
        dates.reverse()
        history = list(zip(path, dates, strict=True))
        table_from = next((day for ph, day in history if not self.info[ph].closing
                           and self.info[ph].order >= self.table_order), None)
        muni = rng.choices(self.cov.municipalities, [m[3] for m in self.cov.municipalities])[0]
        theme = self.cov.themes[rng.randrange(len(self.cov.themes))]
        parties = self._theme_parties(theme, muni[0])
        d = _Draft(index, ref, phase, history, closed, self.prs[index % len(self.prs)],
                   theme.name, parties, rng.choice(parties), muni[1], muni[2], table_from,
                   party_set=frozenset(parties))
        if table_from is not None:
            with_user = [p for p in parties if p in self.directors]
            if with_user and rng.random() < 0.8:
                d.director_party = rng.choice(with_user)
                d.director = self.directors[d.director_party]
            else:
                d.director_party = rng.choice(parties)
        return d

    def _theme_parties(self, theme: txt.Theme, municipality: str) -> list[str]:
        chosen: list[str] = []
        for selector, chance in theme.parties:
            if self.rng.random() >= chance:
                continue
            party = self._select(selector, municipality)
            if party is not None and party not in chosen:
                chosen.append(party)
        if not chosen:
            chosen.append(municipality if municipality in self.parties
                          else next(iter(self.user_of), self.party_ids[0]))
        return sorted(chosen)

    def _select(self, selector: str, municipality: str) -> str | None:
        if selector == "municipality":
            return municipality if municipality in self.parties else None
        if not selector.startswith("kind:"):
            return selector if selector in self.parties else None
        kind = selector[5:]
        options = [pid for pid in self.party_ids if self.parties[pid].kind == kind]
        if not options:
            return None
        with_user = [pid for pid in options if pid in self.user_of]
        if with_user and self.rng.random() < 0.7:
            return self.rng.choice(with_user)
        return self.rng.choice(options)

    # -- meetings -----------------------------------------------------------------
    def _meetings(self, drafts: list[_Draft], n: int, agenda_size: int) -> list[_Meeting]:
        planned_n = min(n, max(2, n // 3))
        held_n = n - planned_n
        per_day = len(_TIMES) if n > 40 else 1
        gap = 1 if n > 40 else 3
        slots: list[tuple[dt.datetime, bool]] = []
        for k in range(held_n):
            day = self._working_day(-(1 + (k // per_day) * gap))
            hour, minute = _TIMES[k % per_day]
            slots.append((dt.datetime.combine(day, dt.time(hour, minute)), True))
        for k in range(planned_n):
            day = self._working_day(1 + (k // per_day) * gap)
            hour, minute = _TIMES[(k + 1) % per_day if per_day > 1 else k % 2]
            slots.append((dt.datetime.combine(day, dt.time(hour, minute)), False))
        slots.sort()
        themes = [t.name for t in self.cov.themes]
        plan = []
        for i, (when, held) in enumerate(slots):
            plan.append(_Meeting(
                f"M{i + 1:04d}", when, held, self.prs[i % len(self.prs)],
                self.notulists[i % len(self.notulists)],
                themes[(i // len(self.prs)) % len(themes)],
                self.cov.places[i % len(self.cov.places)]))
        by_chair: dict[str, list[_Draft]] = {}
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
            m.agenda = self._pick_agenda(eligible, m, agenda_size)
            for c in m.agenda:
                c.meetings.append(m)
                if not m.held:
                    c.planned_count += 1
        self.special = next((i for i, m in enumerate(plan) if not m.held and m.agenda), -1)
        return plan

    def _working_day(self, offset: int) -> dt.date:
        step = 1 if offset > 0 else -1
        day, left = self.today, abs(offset)
        while left:
            day += dt.timedelta(days=step)
            if day.weekday() < 5:
                left -= 1
        return day

    def _pick_agenda(self, eligible: list[_Draft], m: _Meeting, size: int) -> list[_Draft]:
        """Up to ``size`` cases, grown greedily so the table stays small: one case of the
        meeting's theme first, then the cases that add the fewest new parties.  For an
        upcoming meeting, cases not yet on another upcoming agenda come first."""
        rng = self.rng
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

    def _meeting_doc(self, m: _Meeting, special: bool) -> Json:
        """Attendees are the parties invited for any agenda case; a party present but not
        invited for a case leaves the room for it (``left_room``), except once in the
        first upcoming meeting, where the chair still has to send it out (ZVH 13.2)."""
        union = sorted({p for c in m.agenda for p in c.parties})
        present = {p for p in union if self.rng.random() >= 0.08}
        stay: tuple[str, str] | None = None  # (case ref, party) left in the room
        if special:
            for c in m.agenda:
                outsiders = sorted(set(union) - set(c.parties))
                if outsiders:
                    stay = (c.ref, outsiders[0])
                    break
            if stay is None:
                extra = next((p for p in [*self.user_of, *self.party_ids] if p not in union),
                             None)
                if extra is not None:
                    union.append(extra)
                    stay = (m.agenda[0].ref, extra)
            if stay is not None:
                present.add(stay[1])
        attendees: list[Json] = []
        for party in union:
            name = self.delegates.get(party) or self.staff_names[
                sum(map(ord, party)) % len(self.staff_names)]
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
            agenda.append(entry)
        return {"key": m.key, "starts_at": m.when.isoformat(timespec="minutes"),
                "place": m.place, "chair": m.chair, "notulist": m.notulist,
                "status": "held" if m.held else "planned", "attendees": attendees,
                "agenda": agenda}

    # -- one case -------------------------------------------------------------------
    def _case(self, d: _Draft) -> Json:
        ctx = _CaseWriter(self, d)
        ctx.persons_and_fields()
        ctx.text_items()
        ctx.cover_unused()
        ctx.grants()
        ctx.consents()
        ctx.joint()
        return ctx.doc()

    # -- text ----------------------------------------------------------------------
    def _fillers(self) -> dict[str, Callable[[_Fill], str]]:
        rng = self.rng
        words = txt.WORDS

        def word(key: str) -> Callable[[_Fill], str]:
            options = words[key]
            return lambda _f: options[rng.randrange(len(options))]

        def month(f: _Fill) -> str:
            day = _add_months(f.day, -rng.randint(0, 8))
            return f"{txt.MONTHS[day.month - 1]} {day.year}"

        table: dict[str, Callable[[_Fill], str]] = {k: word(k) for k in words}
        table.update({
            "datum": lambda f: _nl(f.day),
            "datum2": lambda f: _nl(f.day + dt.timedelta(days=rng.randint(14, 120))),
            "maand": month,
            "jaar": lambda f: str(f.day.year - rng.randint(1, 12)),
            "n": lambda _f: str(rng.randint(2, 9)),
            "m": lambda _f: str(rng.randint(1, 3)),
            "dagen": lambda _f: str(rng.choice((10, 14, 28))),
            "weken": lambda _f: str(rng.choice((4, 6, 8, 12))),
            "maanden": lambda _f: str(rng.randint(2, 14)),
            "jaren": lambda _f: str(rng.randint(1, 3)),
            "uren": lambda _f: str(rng.choice((40, 60, 80, 120))),
            "m2": lambda _f: str(rng.randint(45, 480)),
            "bedrag": lambda _f: f"€ {rng.randint(4, 480) * 100:,}".replace(",", "."),
            "plaats": lambda f: f.city,
            "straat": lambda _f: self.streets[rng.randrange(len(self.streets))],
            "partijnaam": lambda f: self.parties[f.party].name.nl,
            "medewerker": lambda _f: self.staff_names[rng.randrange(len(self.staff_names))],
            "telefoon": lambda _f: f"010-{rng.randint(1000000, 9999999)}",
        })
        return table

    def fill(self, template: str, fill: _Fill) -> str:
        names = self.fields_cache.get(template)
        if names is None:
            names = self.fields_cache[template] = tuple(
                n for _, n, _, _ in string.Formatter().parse(template) if n)
        return template.format(**{n: self.fillers[n](fill) for n in names})


@dataclass(slots=True)
class _Fill:
    day: dt.date
    city: str
    party: str


class _CaseWriter:
    """Writes the content of one case: persons, items, grants, consents, joint record."""

    def __init__(self, g: _Generator, d: _Draft) -> None:
        self.g = g
        self.d = d
        self.rng = g.rng
        self.persons: list[_Person] = []
        self.items: list[Json] = []
        self.grants_out: list[Json] = []
        self.consents_out: list[Json] = []
        self.goals: list[Json] = []
        self.actions: list[Json] = []
        self.decisions: list[Json] = []
        self.progress: list[Json] = []
        self.informed: dict[str, Json] = {}
        end = d.closed or g.today
        self.spans = [(ph, start, d.history[i + 1][1] if i + 1 < len(d.history) else end)
                      for i, (ph, start) in enumerate(d.history)]
        self.held = sorted((m for m in d.meetings if m.held), key=lambda m: m.when)
        self.joint_text = txt.JOINT.get(g.p.id, txt.GENERIC_JOINT)

    # -- items ------------------------------------------------------------------------
    def _phases_for(self, category: str, subject: str | None) -> list[tuple[str, dt.date,
                                                                            dt.date]]:
        info = self.g.info
        return [s for s in self.spans
                if category in info[s[0]].categories
                and (subject is None or subject in info[s[0]].subjects)]

    def _place(self, category: str, person: _Person | None, *,
               early: bool = False) -> tuple[str, dt.date] | None:
        """The phase an item was provided in (allowed by that phase's processing activity)
        and the day; None when no phase of this case allows the category."""
        spans = self._phases_for(category, person.category if person else None)
        if not spans:
            return None
        ph, start, end = spans[0] if early else spans[self.rng.randrange(len(spans))]
        return ph, start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def add_item(self, category: str, source: str, body: str, *, person: _Person | None,
                 kind: str = "text", field_name: str = "", structured: dict[str, str] | None
                 = None, incident: str | None = None, early: bool = False,
                 place: tuple[str, dt.date] | None = None) -> bool:
        place = place or self._place(category, person, early=early)
        if place is None:
            return False
        g = self.g
        ph, day = place
        key = f"I{len(self.items) + 1:03d}"
        if g.canary:
            marker = f" CANARY-{self.d.ref}-{key}"
            body += marker
            if structured is not None:
                structured = {**structured, "street": structured["street"] + marker}
        item: Json = {"key": key, "kind": kind, "body": body, "source_party": source,
                      "category": category, "phase": ph, "legal_basis": self._basis(
                          source, category), "provided_on": day.isoformat()}
        if person is not None:
            item["person"] = person.key
        if field_name:
            item["field"] = field_name
        if structured is not None:
            item["structured"] = structured
        if incident is not None:
            item["incident_class"] = incident
        author = g.user_of.get(source)
        if author is not None:
            item["created_by"] = author
        self.items.append(item)
        g.unused.discard(category)
        return True

    def _basis(self, source: str, category: str) -> str:
        bases = self.g.cov.legal_basis
        party = self.g.parties[source]
        if category.startswith("melder") and "melder" in bases:
            return bases["melder"]
        if party.kind == "slachtofferhulp" and "slachtofferhulp" in bases:
            return bases["slachtofferhulp"]
        return bases.get(party.regime) or bases.get("avg") or "art. 6 lid 1 sub e AVG"

    def _source(self, selectors: Sequence[str]) -> str:
        for sel in selectors:
            if sel == "municipality":
                found = [p for p in self.d.parties if self.g.parties[p].kind in
                         {"gemeente", "burgemeester"}]
            elif sel.startswith("kind:"):
                found = [p for p in self.d.parties if self.g.parties[p].kind == sel[5:]]
            else:
                found = [sel] if sel in self.d.parties else []
            if found:
                return found[0]
        return self.d.registering

    def _name(self, index: int) -> str:
        g, rng = self.g, self.rng
        if index == 0:  # the fixed names for the main person of every third early case
            n = g.count("main person")
            if n % 3 == 0 and n // 3 < len(txt.FIXED_FULL_NAMES):
                return txt.FIXED_FULL_NAMES[n // 3]
        first = (rng.choice(txt.DIACRITIC_FIRST_NAMES) if rng.random() < 0.3
                 else rng.choice(g.first_names))
        last = (rng.choice(txt.DIACRITIC_LAST_NAMES) if rng.random() < 0.3
                else rng.choice(g.last_names))
        return f"{first} {last}"

    def _address(self) -> dict[str, str]:
        rng = self.rng
        number = str(rng.randint(1, 240)) + rng.choice(("", "", "", "a", "b", "-2"))
        letters = rng.choice(_POSTCODE_LETTERS) + rng.choice(_POSTCODE_LETTERS)
        postcode = f"{self.d.postcode:02d}{rng.randint(0, 99):02d} {letters}"
        return {"street": self.g.streets[rng.randrange(len(self.g.streets))],
                "number": number, "postcode": postcode, "city": self.d.city}

    def persons_and_fields(self) -> None:
        g, rng, cov = self.g, self.rng, self.g.cov
        if not cov.persons:
            return
        for index, (category, role, chance) in enumerate(cov.persons):
            if index and rng.random() >= chance:
                continue
            if not any(category in g.info[ph].subjects for ph, _ in self.d.history):
                continue
            person = _Person(f"B{len(self.persons) + 1}", category, role, self._name(index))
            self.persons.append(person)
            self._person_fields(person, main=index == 0)

    def _person_fields(self, person: _Person, *, main: bool) -> None:
        g, rng, cov = self.g, self.rng, self.g.cov
        role = person.role
        source = (self.rng.choice(self.d.parties) if role == "staff"
                  else self._source(cov.identity_sources))
        if role == "melder":
            source = self._source(("municipality", *cov.identity_sources))

        def cat(field_name: str) -> str | None:
            return cov.fields.get((role, field_name))

        if (c := cat("name")) is not None:
            self.add_item(c, source, person.name, person=person, kind="field",
                          field_name="name", early=True)
        if role == "person" and (c := cat("birth_date")) and (main or rng.random() < 0.5):
            born = g.today - dt.timedelta(days=rng.randint(16 * 365, 75 * 365))
            self.add_item(c, source, _nl(born), person=person, kind="field",
                          field_name="birth_date", early=True)
        if role in {"person", "melder"} and (c := cat("address")) and (
                main or role == "melder" or rng.random() < 0.4):
            parts = self._address()
            body = f"{parts['street']} {parts['number']}, {parts['postcode']} {parts['city']}"
            self.add_item(c, source, body, person=person, kind="address",
                          field_name="address", structured=parts, early=True)
            police = next((p for p in self.d.parties if g.parties[p].regime == "wpg"), None)
            if main and police is not None:
                self._incident_address(person, c, police)
        if (c := cat("phone")) and (main or role != "person" or rng.random() < 0.5):
            phone = f"06-{rng.randint(10000000, 99999999)}"
            self.add_item(c, source, phone, person=person, kind="field", field_name="phone")
        if (c := cat("email")) and rng.random() < (0.8 if role == "staff" else 0.35):
            first, *rest = person.name.split(" ")
            mail = f"{_slug(first)}.{_slug(''.join(rest))}@example.com"
            self.add_item(c, source, mail, person=person, kind="field", field_name="email")
        staff_cats = [c for c in _STAFF_TEXT if c in g.categories] if role == "staff" else []
        if role == "reporter" and "reporter_organisation" in g.categories:
            staff_cats = ["reporter_organisation"]
        for c in staff_cats:
            self._text(c, source, person)

    def _incident_address(self, person: _Person, category: str, police: str) -> None:
        kinds = self.g.incident_kinds
        if not kinds or self.rng.random() >= 0.6:
            return
        codes = kinds[self.g.count("incident") % len(kinds)]
        parts = self._address()
        body = (f"Incidentlocatie: {parts['street']} {parts['number']}, {parts['postcode']} "
                f"{parts['city']}")
        self.add_item(category, police, body, person=person, kind="address",
                      field_name="address", structured=parts,
                      incident=codes[self.rng.randrange(len(codes))])

    def _text(self, category: str, source: str, person: _Person | None) -> bool:
        place = self._place(category, person)
        if place is None:
            return False
        kind = self.g.parties[source].kind
        templates = (txt.SOURCE_TEMPLATES.get((source, category))
                     or txt.SOURCE_TEMPLATES.get((kind, category))
                     or txt.TEMPLATES.get(category) or txt.GENERIC_TEMPLATES)
        template = templates[self.rng.randrange(len(templates))]
        body = self.g.fill(template, _Fill(place[1], self.d.city, source))
        return self.add_item(category, source, body, person=person, place=place)

    def _subject_for(self, category: str) -> _Person | None:
        people = [p for p in self.persons if p.role == "person"] or self.persons
        if category in _CASE_LEVEL or not people:
            return None
        if category == "relations" and len(people) > 1 and self.rng.random() < 0.5:
            return people[1]
        return people[0]

    def _party_categories(self, party: str) -> tuple[str, ...]:
        table = self.g.cov.party_categories
        found = table.get(party) or table.get(self.g.parties[party].kind)
        if found:
            return tuple(c for c in found if c in self.g.categories)
        return tuple(c for c in self.g.categories if not self.g.categories[c].police)

    def text_items(self) -> None:
        g, rng = self.g, self.rng
        stage = len(self.d.history)
        for party in self.d.parties:
            options = self._party_categories(party)
            if g.parties[party].regime != "wpg":
                options = tuple(c for c in options if not g.categories[c].police)
            if not options:
                continue
            count = rng.choice((1, 2, 2, 2, 3, 3, 4)) + (1 if stage > 2 else 0) + max(
                0, 4 - len(self.d.parties)) * 2  # few parties at the table: more from each
            for _ in range(count):
                category = options[rng.randrange(len(options))]
                self._text(category, party, self._subject_for(category))

    def cover_unused(self) -> None:
        """Place a few categories not used yet, so every category shows up early."""
        g = self.g
        placed = 0
        for category in sorted(g.unused):
            if placed >= 2:
                break
            police = g.categories[category].police
            sources = [p for p in self.d.parties
                       if category in self._party_categories(p)
                       and (not police or g.parties[p].regime == "wpg")]
            if not sources:
                if police:
                    continue
                sources = [g.pr_party]
            person = self._subject_for(category)
            staff = next((p for p in self.persons if p.role in {"staff", "reporter"}), None)
            if category.startswith(("staff_", "reporter_", "party_")) and staff is not None:
                person = staff
            if self._text(category, sources[0], person):
                placed += 1

    # -- grants and consents -----------------------------------------------------------
    def _granted_by(self, provider: str) -> str | None:
        return self.g.user_of.get(provider)

    def _grant(self, provider: str, recipient: str, at: dt.date, *, phase: str | None = None,
               meeting: str | None = None, item: Json | None = None,
               category: str | None = None, revoked: dt.date | None = None) -> None:
        grant: Json = {"provider_party": provider, "recipient_party": recipient,
                       "legal_basis": self._basis(provider, category or ""),
                       "granted_at": _stamp(min(at, self.g.today), 10, 0)}
        if item is not None:
            grant["item"] = item["key"]
        if category is not None:
            grant["category"] = category
        if phase is not None:
            grant["phase"] = phase
        if meeting is not None:
            grant["meeting"] = meeting
        if (by := self._granted_by(provider)) is not None:
            grant["granted_by"] = by
        if revoked is not None:
            grant["revoked_at"] = _stamp(revoked, 16, 0)
        self.grants_out.append(grant)

    def grants(self) -> None:
        """Providers share with the other parties of the case: mostly for the current
        phase, some only for an earlier phase (re-assessment, ZVH 3.5b), some only for one
        meeting, some revoked, some not at all; police data only to the art. 20 Wpg
        recipients.  Phase grants only go to recipients of that phase's activity."""
        g, d = self.g, self.d
        by_provider: dict[str, list[Json]] = {}
        for item in self.items:
            by_provider.setdefault(item["source_party"], []).append(item)
        granting = [s for s in self.spans if g.info[s[0]].recipients and not g.info[s[0]].closing]
        current = granting[-1] if granting and d.closed is None and (
            granting[-1][0] == d.phase) else None
        earlier = granting[:-1] if current is not None else granting
        for provider in sorted(by_provider):
            own = by_provider[provider]
            police = g.parties[provider].regime == "wpg" or any(
                g.categories[i["category"]].police for i in own)
            for recipient in d.parties:
                if recipient == provider or (police and recipient not in g.police_recipients):
                    continue
                mode = g.grant_modes[g.count("grant") % len(g.grant_modes)]
                self._grant_pair(provider, recipient, own, mode, current, earlier)

    def _grant_pair(self, provider: str, recipient: str, own: list[Json], mode: str,
                    current: tuple[str, dt.date, dt.date] | None,
                    earlier: list[tuple[str, dt.date, dt.date]]) -> None:
        g = self.g
        if mode == "meeting":
            if self.d.meetings:
                m = self.d.meetings[-1]
                self._grant(provider, recipient, m.when.date() - dt.timedelta(days=3),
                            meeting=m.key)
                return
            mode = "phase"
        if current is None or recipient not in g.info[current[0]].recipients:
            mode = "stale"  # closed case, or no grants possible in the current phase
        if mode == "stale":
            stale = [s for s in earlier if recipient in g.info[s[0]].recipients]
            if stale:
                self._grant(provider, recipient, stale[-1][1], phase=stale[-1][0])
            return
        if current is None or mode == "none":
            return
        ph, start, _ = current
        if mode == "category":
            for category in sorted({i["category"] for i in own})[:2]:
                self._grant(provider, recipient, start, phase=ph, category=category)
        elif mode == "item":
            for item in own[::2]:
                day = max(start, dt.date.fromisoformat(item["provided_on"]))
                self._grant(provider, recipient, day, phase=ph, item=item)
        elif mode == "revoked":
            days = max(0, (g.today - start).days)
            revoked = start + dt.timedelta(days=self.rng.randint(0, days))
            self._grant(provider, recipient, start, phase=ph, revoked=revoked)
        else:
            self._grant(provider, recipient, start, phase=ph)

    def consents(self) -> None:
        g = self.g
        needing: dict[str, dict[str, str]] = {}
        for item in self.items:
            person = item.get("person")
            if person is None:
                continue
            party = g.parties[item["source_party"]]
            cat = g.categories[item["category"]]
            if party.consent_required or cat.consent_required or cat.special:
                sources = needing.setdefault(person, {})
                sources.setdefault(item["source_party"], item["provided_on"])
        for person in sorted(needing):
            sources = needing[person]
            given = min(sources.values())
            outcome = _CONSENTS[g.count("consent") % len(_CONSENTS)]
            if outcome == "none":
                continue
            consent: Json = {"person": person, "purpose": "Verstrekking binnen de "
                             "samenwerking voor deze casus", "given_on": given,
                             "recorded_by": self.d.pr}
            if outcome == "source":
                consent["source_party"] = sorted(sources)[0]
            elif outcome == "recipient":
                others = [p for p in self.d.parties if p not in sources]
                if others:
                    consent["recipient_party"] = others[0]
            elif outcome == "withdrawn":
                start = dt.date.fromisoformat(given)
                span = max(0, (g.today - start).days)
                consent["withdrawn_on"] = (start + dt.timedelta(
                    days=self.rng.randint(span // 2, span))).isoformat()
            self.consents_out.append(consent)

    # -- joint record ------------------------------------------------------------------
    def joint(self) -> None:
        d, rng = self.d, self.rng
        for person in self.persons[:1]:
            self.informed[person.key] = self._informed()
        if d.table_from is None:
            return
        for k in range(rng.randint(1, 3)):
            status = "open" if d.closed is None else rng.choice(
                ("reached", "reached", "not_reached"))
            self.goals.append({"key": f"G{k + 1}", "text": self.joint_text[1][
                (d.index + k) % len(self.joint_text[1])], "status": status,
                "created_on": d.table_from.isoformat()})
        # The plan van aanpak when the case reached the table, then each held meeting.
        moments: list[tuple[dt.date, _Meeting | None]] = [
            (d.table_from, None), *((m.when.date(), m) for m in self.held)]
        for day, meeting in moments:
            if meeting is not None and rng.random() < 0.8:
                self.decisions.append({
                    "meeting": meeting.key, "text": rng.choice(txt.DECISIONS),
                    "decided_on": day.isoformat(),
                    "recorded_by": meeting.notulist or meeting.chair})
            for _ in range(rng.randint(1, 2)):
                self._action(day, meeting)

    def _action(self, day: dt.date, meeting: _Meeting | None) -> None:
        g, d, rng = self.g, self.d, self.rng
        due = day + dt.timedelta(days=rng.randint(14, 56))
        if d.closed is not None:
            status = rng.choice(("done", "done", "cancelled"))
        elif due < g.today:
            status = rng.choice(("done", "open", "open", "cancelled", "done"))
        else:
            status = "open" if rng.random() < 0.85 else "done"
        key = f"A{len(self.actions) + 1}"
        action: Json = {"key": key, "text": rng.choice(self.joint_text[2]),
                        "owner_party": rng.choice(d.parties), "due_on": due.isoformat(),
                        "status": status, "created_on": day.isoformat()}
        if self.goals:
            action["goal"] = self.goals[rng.randrange(len(self.goals))]["key"]
        if meeting is not None:
            action["meeting"] = meeting.key
        self.actions.append(action)
        later = [m for m in self.held if m.when.date() > day][:2]
        for m in later:
            mday = m.when.date()
            self.progress.append({"action": key, "text": g.fill(
                rng.choice(txt.PROGRESS), _Fill(mday, d.city, d.parties[0])),
                "entry_on": mday.isoformat(), "recorded_by": m.notulist or m.chair})

    def _informed(self) -> Json:
        g, d = self.g, self.d
        status = _INFORMED[g.count("informed") % len(_INFORMED)]
        start = d.history[0][1]
        if status == "informed":
            on = min(g.today, start + dt.timedelta(days=7))
            return {"status": status, "on": on.isoformat()}
        if status == "not_informed":
            return {"status": status, "reason": self.rng.choice(txt.NOT_INFORMED_REASONS),
                    "expected": _add_months(g.today, 2).isoformat(),
                    "review_on": (g.today + dt.timedelta(days=self.rng.randint(-20, 40))
                                  ).isoformat(), "review_interval_days": 90}
        return {"status": "unknown"}

    def doc(self) -> Json:
        g, d = self.g, self.d
        case: Json = {
            "ref": d.ref, "phase": d.phase, "registering_party": d.registering,
            "procesregisseur": d.pr, "themes": [d.theme], "goal": self.joint_text[0][
                d.index % len(self.joint_text[0])], "opened_at": d.history[0][1].isoformat(),
        }
        if d.director_party is not None:
            case["casusregisseur_party"] = d.director_party
        if d.director is not None:
            case["casusregisseur"] = d.director
        if d.closed is not None:
            reason, basis = g.cov.close.get(d.phase, (g.p.phase(d.phase).name.nl,
                                                      g.p.retention.article))
            case.update(closed_at=d.closed.isoformat(), close_reason=reason, close_basis=basis)
        case["phase_history"] = [{"phase": ph, "at": _stamp(day, 9, 15 + i), "by": d.pr}
                                 for i, (ph, day) in enumerate(d.history)]
        persons = []
        for person in self.persons:
            rec: Json = {"key": person.key, "category": person.category}
            if person.key in self.informed:
                rec["informed"] = self.informed[person.key]
            persons.append(rec)
        case.update(persons=persons, items=self.items, grants=self.grants_out,
                    consents=self.consents_out, goals=self.goals, actions=self.actions,
                    decisions=self.decisions, progress=self.progress)
        return case


# --------------------------------------------------------------------------- other profiles

def _default_party(profile: Profile) -> str:
    for party in profile.parties:
        if party.kind in {"gemeente", "burgemeester", "afdeling"}:
            return party.id
    return profile.parties[0].id


def _generic_covenant(profile: Profile) -> txt.CovenantText:
    """Settings for a profile the demo texts do not know: every party kind may take part."""
    subjects = [c.id for c in profile.subject_categories]
    first = profile.data_categories[0].id
    address = next((c.id for c in profile.data_categories if c.address), first)
    non_closing = [p.id for p in sorted(profile.phases, key=lambda p: p.order) if not p.closing]
    theme = txt.Theme("Algemeen", tuple((f"kind:{k}", 0.6) for k in sorted(
        {p.kind for p in profile.parties})))
    fields = {("person", f): first for f in ("name", "birth_date", "phone", "email")}
    fields[("person", "address")] = address
    return txt.CovenantText(
        prefix=(profile.id[:3].upper() or "DEM"), pr_parties=(_default_party(profile),),
        table_phase=non_closing[len(non_closing) // 2] if non_closing else "",
        phase_weights={}, themes=(theme,), municipalities=(("", "Rotterdam", 30, 1),),
        persons=tuple((s, "person", 1.0 if i == 0 else 0.5) for i, s in enumerate(subjects[:2])),
        fields=fields, identity_sources=("municipality",), party_categories={},
        close={}, places=("Vergaderzaal 1",))
