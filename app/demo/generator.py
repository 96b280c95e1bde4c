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
name and street pools once; everything else comes from templates (:mod:`app.demo.texts`), so
10,000 cases (about 200,000 items) take a few seconds.

Passphrases: the document carries none.  ``casustafel demo`` passes ONE passphrase as
``new_user_passphrase`` to :func:`app.dataset.load_dataset`, so every demo user
(and the administrator it creates) opens the store with that same passphrase.

``canary=True`` appends a unique marker ``CANARY-<case ref>-<item key>`` to every item body
(names included, they are items) and to the street of every structured address, so a test
can search files, logs and rendered views for anything that leaked.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from app.crypto.keyslots import PRODUCTION_KDF, KdfParams
from app.dataset.issues import FORMAT, VERSION
from app.demo import covenants
from app.demo import texts as txt
from app.demo.cases import CaseWriter
from app.demo.context import Fill, Json, PhaseInfo, add_months, nl, slug
from app.demo.meetings import Draft, meeting_doc, plan_meetings
from app.profiles import Profile, ProfileError, load_incident_classes

CLOSED_AGES_MONTHS = (1, 4, 9, 14, 30)
"""Months between closing and ``today`` for closed cases, in turn (access stages)."""

# Grant modes per (provider, recipient) pair, in a shuffled cycle so even a small demo has
# each: phase = FULL now, stale = only an earlier phase (re-assessment), meeting = only in
# one meeting, revoked, none = MASKED "not shared".
_GRANT_MODES = (("phase",) * 12 + ("category",) * 2 + ("item",) * 2 + ("stale",) * 2
                + ("meeting",) * 2 + ("revoked", "none"))


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
    return Generator(profile, seed=seed, today=today, admin=admin, canary=canary).run(
        cases, meetings, agenda_size)


class Generator:
    """One demo run: set-up, users, case skeletons, meetings and the case writers."""

    def __init__(self, profile: Profile, *, seed: int, today: dt.date, admin: str,
                 canary: bool) -> None:
        self.p = profile
        self.today = today
        self.admin = admin.casefold()
        self.canary = canary
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not security
        self.cov = covenants.COVENANTS.get(profile.id) or _generic_covenant(profile)
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
    def _phase_info(self, activity_id: str, order: int, closing: bool) -> PhaseInfo:
        try:
            act = self.p.activity(activity_id)
        except ProfileError:
            every = frozenset(self.categories)
            return PhaseInfo(order, closing, every,
                              frozenset(c.id for c in self.p.subject_categories),
                              frozenset(self.parties))
        return PhaseInfo(order, closing, frozenset(act.data_categories),
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
        """The next value of counter ``name`` (0, 1, ...), for cycles across cases."""
        n = self.counters.get(name, 0)
        self.counters[name] = n + 1
        return n

    # -- the whole run ---------------------------------------------------------------
    def run(self, cases: int, meetings: int | None, agenda_size: int) -> DemoData:
        """The whole document: users, case skeletons, meetings, then each case's content."""
        users = self._users()
        drafts = [self._draft(i, cases) for i in range(cases)]
        n_meetings = meetings if meetings is not None else min(
            1000, max(3, cases // max(1, agenda_size)))
        plan, self.special = plan_meetings(self, drafts, n_meetings, agenda_size)
        case_docs = [self._case(d) for d in drafts]
        doc: Json = {
            "format": FORMAT, "version": VERSION, "profile": self.p.id,
            "users": [{"username": u, "name": n, "role": r, "party": p}
                      for u, n, r, p in users],
            "meetings": [meeting_doc(self, m, i == self.special) for i, m in enumerate(plan)],
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
            base = f"{prefix}.{slug(last)[:12] or 'demo'}"
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
            tag = covenants.PARTY_TAGS.get(party) or covenants.KIND_TAGS.get(
                self.parties[party].kind, slug(party)[:8])
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

    def _draft(self, index: int, total: int) -> Draft:
        rng = self.rng
        width = max(4, len(str(total)))
        ref = f"{self.cov.prefix}-{index + 1:0{width}d}"
        phase = self._phase_for(index)
        path = self._path(phase)
        closed: dt.date | None = None
        if self.info[phase].closing:
            age = CLOSED_AGES_MONTHS[self.count("closed") % len(CLOSED_AGES_MONTHS)]
            closed = add_months(self.today, -age) - dt.timedelta(days=rng.randint(0, 12))
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
        d = Draft(index, ref, phase, history, closed, self.prs[index % len(self.prs)],
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

    def _theme_parties(self, theme: covenants.Theme, municipality: str) -> list[str]:
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

    # -- one case (written by demo_cases.CaseWriter) ------------------------------------
    def _case(self, d: Draft) -> Json:
        ctx = CaseWriter(self, d)
        ctx.persons_and_fields()
        ctx.text_items()
        ctx.cover_unused()
        ctx.grants()
        ctx.consents()
        ctx.joint()
        return ctx.doc()

    # -- text ----------------------------------------------------------------------
    def _fillers(self) -> dict[str, Callable[[Fill], str]]:
        rng = self.rng
        words = txt.WORDS

        def word(key: str) -> Callable[[Fill], str]:
            options = words[key]
            return lambda _f: options[rng.randrange(len(options))]

        def month(f: Fill) -> str:
            day = add_months(f.day, -rng.randint(0, 8))
            return f"{txt.MONTHS[day.month - 1]} {day.year}"

        table: dict[str, Callable[[Fill], str]] = {k: word(k) for k in words}
        table.update({
            "datum": lambda f: nl(f.day),
            "datum2": lambda f: nl(f.day + dt.timedelta(days=rng.randint(14, 120))),
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

    def fill(self, template: str, fill: Fill) -> str:
        """``template`` with its fields filled from the word lists and ``fill``."""
        names = self.fields_cache.get(template)
        if names is None:
            names = self.fields_cache[template] = tuple(
                n for _, n, _, _ in string.Formatter().parse(template) if n)
        return template.format(**{n: self.fillers[n](fill) for n in names})


# --------------------------------------------------------------------------- other profiles

def _default_party(profile: Profile) -> str:
    for party in profile.parties:
        if party.kind in {"gemeente", "burgemeester", "afdeling"}:
            return party.id
    return profile.parties[0].id


def _generic_covenant(profile: Profile) -> covenants.CovenantText:
    """Settings for a profile the demo texts do not know: every party kind may take part."""
    subjects = [c.id for c in profile.subject_categories]
    first = profile.data_categories[0].id
    address = next((c.id for c in profile.data_categories if c.address), first)
    non_closing = [p.id for p in sorted(profile.phases, key=lambda p: p.order) if not p.closing]
    theme = covenants.Theme("Algemeen", tuple((f"kind:{k}", 0.6) for k in sorted(
        {p.kind for p in profile.parties})))
    fields = {("person", f): first for f in ("name", "birth_date", "phone", "email")}
    fields[("person", "address")] = address
    return covenants.CovenantText(
        prefix=(profile.id[:3].upper() or "DEM"), pr_parties=(_default_party(profile),),
        table_phase=non_closing[len(non_closing) // 2] if non_closing else "",
        phase_weights={}, themes=(theme,), municipalities=(("", "Rotterdam", 30, 1),),
        persons=tuple((s, "person", 1.0 if i == 0 else 0.5) for i, s in enumerate(subjects[:2])),
        fields=fields, identity_sources=("municipality",), party_categories={},
        close={}, places=("Vergaderzaal 1",))


def create_demo_store(folder: Path, demo: DemoData, *, profile_id: str, passphrase: str,
                      kdf: KdfParams = PRODUCTION_KDF, admin: str = "beheer",
                      admin_display_name: str = "Demo beheerder") -> None:
    """A new store in ``folder`` holding ``demo``; every user gets ``passphrase``.

    One place for the CLI, the app's ``--demo``, the benches and the tests to make a demo
    store (the benches and tests pass cheap key-derivation parameters explicitly).
    """
    from app.dataset import load_dataset
    from app.services import admin as admin_service

    with admin_service.init_store(folder, profile_id=profile_id, admin_username=admin,
                                  admin_display_name=admin_display_name, admin_party=None,
                                  passphrase=passphrase, kdf=kdf) as session:
        load_dataset(session, demo.doc, new_user_passphrase=passphrase, demo=True)
