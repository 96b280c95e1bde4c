"""The content of one demo case (:mod:`app.demo`): persons, items, grants,
consents and the joint record (goals, actions, decisions, progress).

:class:`CaseWriter` draws from the generator's one ``random.Random`` in a fixed order, so
the demo stays deterministic; the small date and text helpers shared with the generator
live here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.demo import texts as txt
from app.demo.context import DemoContext, Fill, Json, add_months, nl, slug, stamp
from app.demo.meetings import Draft, Meeting

_POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
# Consent outcomes per person with consent-bound data (cycle): given (any source / the
# specific source / one recipient only), withdrawn, none.
_CONSENTS = ("all", "one_source", "none", "all", "withdrawn", "weighing", "all", "recipient",
             "future", "all")
_INFORMED = ("informed", "informed", "not_informed", "unknown", "informed")
_CASE_LEVEL = frozenset({"plan", "progress", "signal", "kadaster", "bag", "real_estate",
                         "complaints", "melding_report", "kvk", "residents_history"})
_STAFF_TEXT = ("staff_organisation", "staff_involvement", "staff_role")



@dataclass(slots=True)
class Person:
    """A person concerned in a case: local key, subject category, role and name."""

    key: str
    category: str
    role: str
    name: str


class CaseWriter:
    """Writes the content of one case: persons, items, grants, consents, joint record."""

    def __init__(self, g: DemoContext, d: Draft) -> None:
        self.g = g
        self.d = d
        self.rng = g.rng
        self.persons: list[Person] = []
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

    def _place(self, category: str, person: Person | None, *,
               early: bool = False) -> tuple[str, dt.date] | None:
        """The phase an item was provided in (allowed by that phase's processing activity)
        and the day; None when no phase of this case allows the category."""
        spans = self._phases_for(category, person.category if person else None)
        if not spans:
            return None
        ph, start, end = spans[0] if early else spans[self.rng.randrange(len(spans))]
        return ph, start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def add_item(self, category: str, source: str, body: str, *, person: Person | None,
                 kind: str = "text", field_name: str = "", structured: dict[str, str] | None
                 = None, incident: str | None = None, early: bool = False,
                 place: tuple[str, dt.date] | None = None) -> bool:
        """Add one item (with its canary marker); False when no phase of the case allows
        ``category``."""
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
        """The persons concerned (per the covenant's list) with their identifying items."""
        g, rng, cov = self.g, self.rng, self.g.cov
        if not cov.persons:
            return
        for index, (category, role, chance) in enumerate(cov.persons):
            if index and rng.random() >= chance:
                continue
            if not any(category in g.info[ph].subjects for ph, _ in self.d.history):
                continue
            person = Person(f"B{len(self.persons) + 1}", category, role, self._name(index))
            self.persons.append(person)
            self._person_fields(person, main=index == 0)

    def _person_fields(self, person: Person, *, main: bool) -> None:
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
            self.add_item(c, source, nl(born), person=person, kind="field",
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
            mail = f"{slug(first)}.{slug(''.join(rest))}@example.com"
            self.add_item(c, source, mail, person=person, kind="field", field_name="email")
        staff_cats = [c for c in _STAFF_TEXT if c in g.categories] if role == "staff" else []
        if role == "reporter" and "reporter_organisation" in g.categories:
            staff_cats = ["reporter_organisation"]
        for c in staff_cats:
            self._text(c, source, person)

    def _incident_address(self, person: Person, category: str, police: str) -> None:
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

    def _text(self, category: str, source: str, person: Person | None) -> bool:
        place = self._place(category, person)
        if place is None:
            return False
        kind = self.g.parties[source].kind
        templates = (txt.SOURCE_TEMPLATES.get((source, category))
                     or txt.SOURCE_TEMPLATES.get((kind, category))
                     or txt.TEMPLATES.get(category) or txt.GENERIC_TEMPLATES)
        template = templates[self.rng.randrange(len(templates))]
        body = self.g.fill(template, Fill(place[1], self.d.city, source))
        return self.add_item(category, source, body, person=person, place=place)

    def _subject_for(self, category: str) -> Person | None:
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
        """Free-text items from every party of the case, in categories it would provide."""
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
                       "granted_at": stamp(min(at, self.g.today), 10, 0)}
        # Most grants also let the recipient keep its own copy (ZVH 3.5d); every third
        # is for the table and the screen only.
        grant["take_away"] = len(self.grants_out) % 3 != 2
        if self.g.parties[provider].regime in {"wpg", "wjsg"}:
            # Police and OM provisions state their necessity (ZVH 8.1).
            grant["necessity"] = "Nodig om het risico in het plan van aanpak mee te wegen"
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
            grant["revoked_at"] = stamp(revoked, 16, 0)
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
        """Consents for persons with consent-bound data, cycling through the outcomes: for
        every source and all parties of the case, for one source only, none, withdrawn,
        the professional's weighing instead, one recipient only, or dated ahead."""
        g = self.g
        needing: dict[str, dict[str, tuple[str, set[str]]]] = {}
        for item in self.items:
            person = item.get("person")
            if person is None:
                continue
            party = g.parties[item["source_party"]]
            cat = g.categories[item["category"]]
            if party.consent_required or cat.consent_required or cat.special:
                sources = needing.setdefault(person, {})
                first, cats = sources.get(item["source_party"], (item["provided_on"], set()))
                cats.add(item["category"])
                sources[item["source_party"]] = (first, cats)  # first seen, as always
        for person in sorted(needing):
            outcome = _CONSENTS[g.count("consent") % len(_CONSENTS)]
            if outcome == "none":
                continue
            ordered = sorted(needing[person].items())
            withdrawn = None
            if outcome == "withdrawn":  # one draw per person, as the demo always made
                start = dt.date.fromisoformat(min(given for given, _c in needing[person].values()))
                span = max(0, (g.today - start).days)
                withdrawn = start + dt.timedelta(days=self.rng.randint(span // 2, span))
            for source, (given, cats) in ordered[:1] if outcome == "one_source" else ordered:
                others = [p for p in self.d.parties if p != source]
                if not others:
                    continue
                consent = self._consent(person, source, given, cats, others, outcome)
                if withdrawn is not None:
                    consent["withdrawn_on"] = max(withdrawn, dt.date.fromisoformat(
                        consent["given_on"])).isoformat()
                self.consents_out.append(consent)

    def _consent(self, person: str, source: str, given: str, cats: set[str],
                 others: list[str], outcome: str) -> Json:
        g = self.g
        consent: Json = {"person": person, "source_party": source,
                         "recipients": others[:1] if outcome == "recipient" else others,
                         "categories": sorted(cats),
                         "purpose": "Verstrekking binnen de samenwerking voor deze casus",
                         "given_on": given, "told_withdrawal": True,
                         "recorded_by": self._granted_by(source) or self.d.pr}
        if outcome == "weighing" and g.parties[source].kind != "slachtofferhulp":
            consent.update(basis="weighing", told_withdrawal=False,
                           basis_note="Eigen afweging van de hulpverlener (beroepsgeheim)")
        elif outcome == "future":
            consent["given_on"] = (g.today + dt.timedelta(days=14)).isoformat()
        return consent

    # -- joint record ------------------------------------------------------------------
    def joint(self) -> None:
        """The joint record: informing the main person, goals, decisions and actions."""
        d, rng = self.d, self.rng
        for person in self.persons[:1]:
            self.informed[person.key] = self._informed()
        if d.table_from is None:
            return
        for k in range(rng.randint(1, 3)):
            status = "open" if d.closed is None else rng.choice(
                ("reached", "reached", "not_reached"))
            self.goals.append({"key": f"G{k + 1}", "text": self._marked(self.joint_text[1][
                (d.index + k) % len(self.joint_text[1])], f"G{k + 1}"), "status": status,
                "created_on": d.table_from.isoformat()})
        # The plan van aanpak when the case reached the table, then each held meeting.
        moments: list[tuple[dt.date, Meeting | None]] = [
            (d.table_from, None), *((m.when.date(), m) for m in self.held)]
        for day, meeting in moments:
            if meeting is not None and rng.random() < 0.8:
                self.decisions.append({
                    "meeting": meeting.key, "text": self._marked(
                        rng.choice(txt.DECISIONS), f"D{len(self.decisions) + 1}"),
                    "decided_on": day.isoformat(),
                    "recorded_by": meeting.notulist or meeting.chair})
            for _ in range(rng.randint(1, 2)):
                self._action(day, meeting)

    def _marked(self, text: str, key: str) -> str:
        """The joint record's words with their canary marker (``J`` and the row's key):
        the insider tests look for it, as for the items' (issue 9)."""
        return f"{text} CANARY-{self.d.ref}-J{key}" if self.g.canary else text

    def _action(self, day: dt.date, meeting: Meeting | None) -> None:
        g, d, rng = self.g, self.d, self.rng
        due = day + dt.timedelta(days=rng.randint(14, 56))
        if d.closed is not None:
            status = rng.choice(("done", "done", "cancelled"))
        elif due < g.today:
            status = rng.choice(("done", "open", "open", "cancelled", "done"))
        else:
            status = "open" if rng.random() < 0.85 else "done"
        key = f"A{len(self.actions) + 1}"
        action: Json = {"key": key, "text": self._marked(rng.choice(self.joint_text[2]), key),
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
            self.progress.append({"action": key, "text": self._marked(g.fill(
                rng.choice(txt.PROGRESS), Fill(mday, d.city, d.parties[0])),
                f"P{len(self.progress) + 1}"),
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
                    "expected": add_months(g.today, 2).isoformat(),
                    "review_on": (g.today + dt.timedelta(days=self.rng.randint(-20, 40))
                                  ).isoformat(), "review_interval_days": 90}
        return {"status": "unknown"}

    def doc(self) -> Json:
        """The case record of the import document."""
        g, d = self.g, self.d
        case: Json = {
            "ref": d.ref, "phase": d.phase, "registering_party": d.registering,
            "procesregisseur": d.pr, "themes": [d.theme], "goal": self._marked(
                self.joint_text[0][d.index % len(self.joint_text[0])], "PLAN"),
            "opened_at": d.history[0][1].isoformat(),
        }
        if d.director_party is not None:
            case["casusregisseur_party"] = d.director_party
        if d.director is not None:
            case["casusregisseur"] = d.director
        if d.closed is not None:
            reason, basis = g.cov.close.get(d.phase, (g.p.phase(d.phase).name.nl,
                                                      g.p.retention.article))
            case.update(closed_at=d.closed.isoformat(), close_reason=reason, close_basis=basis)
        case["phase_history"] = [{"phase": ph, "at": stamp(day, 9, 15 + i), "by": d.pr}
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

