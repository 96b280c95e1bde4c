"""Properties of the policy engine (app/policy/engine.py) over random cases, with hypothesis.

Random cases of the ZVH profile (seed 003): phase, registering party, procesregisseur,
casusregisseur, closing date; items of random parties, categories, betrokkenen, kinds and
dagmonitor incident classes; grants (provider, recipient, item, category, phase, meeting,
revoked), consents (given or withdrawn), meeting tables, action owners and viewers of any
role.  Parties are drawn from a small per-example cast, so grants and consents often hit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.records import Case, Consent, Grant, Item
from app.domain.roles import Role
from app.domain.vocab import ItemKind
from app.policy.engine import (
    CaseFacts,
    Decision,
    Level,
    MeetingTable,
    PolicyContext,
    Viewer,
    decide,
    decide_table,
    decision_key,
    needs_consent,
)
from app.profiles import load_profile
from tests.app.policy.policy_builders import (
    TODAY,
    context,
    facts_for,
    incident_classes,
    make_case,
    make_consent,
    make_grant,
    make_item,
    make_table,
)

PROFILE = load_profile("zvh-rotterdam-rijnmond")
CLASSES = incident_classes()  # merged per code, as the service layer builds them

PARTIES = [p.id for p in PROFILE.parties]
# Parties with a rule of their own: police (Wpg), professional secrecy, Slachtofferhulp, a
# party that is not a police recipient, OM (Wjsg).  Drawn more often so rules meet.
NOTABLE = ["politie-rotterdam", "ggz-antes", "reclassering-nederland", "slachtofferhulp",
           "halt", "om-rotterdam", "gemeente-rotterdam", "raad-kinderbescherming-rotterdam"]
CATEGORIES = [c.id for c in PROFILE.data_categories]
PHASES = [p.id for p in PROFILE.phases]
CLASS_CODES = [*sorted(CLASSES), "Z99"]  # Z99: a class no agreement knows
PROCESREGISSEURS = ["pr.a", "pr.b"]
CASUSREGISSEUR = "cr.c"
NOTULISTS = ["nt.a", "nt.b"]
USERNAMES = [*PROCESREGISSEURS, CASUSREGISSEUR, *NOTULISTS, "someone"]
MEETINGS = [1, 2, 3]
TRANSFORM_STRICTNESS = {None: 0, "ter_hoogte_van": 1, "postcode": 2}

PROPERTY = settings(max_examples=500, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One case with everything around it, and the context of the look."""

    case: Case
    items: tuple[Item, ...]
    grants: tuple[Grant, ...]
    consents: tuple[Consent, ...]
    tables: tuple[MeetingTable, ...]
    action_owners: tuple[str, ...]
    users: dict[str, str]
    cast: tuple[str, ...]
    meeting_id: int | None

    def facts(self, grants: Iterable[Grant] | None = None,
              consents: Iterable[Consent] | None = None) -> CaseFacts:
        return facts_for(
            self.case, self.items,
            grants=self.grants if grants is None else grants,
            consents=self.consents if consents is None else consents,
            tables=self.tables, action_owners=self.action_owners, user_parties=self.users,
        )

    @property
    def ctx(self) -> PolicyContext:
        return context(PROFILE, meeting_id=self.meeting_id, classes=CLASSES)


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


def _mostly_none(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """``None`` in about two of three draws (one_of picks its branches evenly)."""
    return st.none() | st.none() | strategy


def _weighted(*choices: tuple[object, int]) -> st.SearchStrategy:
    """``sampled_from`` with repeated values as weights."""
    return st.sampled_from([value for value, weight in choices for _ in range(weight)])


# Strategies built once: building them per draw costs more than the engine itself.
CAST = st.lists(st.sampled_from(NOTABLE) | st.sampled_from(PARTIES),
                min_size=1, max_size=5, unique=True)
ANY_PARTY = st.sampled_from(PARTIES)
PHASE = st.sampled_from(PHASES)
CATEGORY_SET = st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=4, unique=True)
OPT_PROCESREGISSEUR = _optional(st.sampled_from(PROCESREGISSEURS))
OPT_CASUSREGISSEUR = _optional(st.just(CASUSREGISSEUR))
# Mostly open cases: on a closed case nearly everything is hidden (ZVH 11.6).
OPT_CLOSED = st.none() | st.none() | st.none() | st.dates(dt.date(2021, 6, 1), TODAY)
OPT_PERSON = _weighted((None, 1), (1, 3), (2, 2), (3, 1))
PERSON = _weighted((1, 3), (2, 2), (3, 1))
KIND = st.sampled_from(ItemKind)
OPT_CLASS = _optional(st.sampled_from(CLASS_CODES))
OPT_MEETING = _optional(st.sampled_from(MEETINGS))
GRANT_MEETING = _mostly_none(st.sampled_from(MEETINGS))
REVOKED = _weighted((False, 3), (True, 1))
WITHDRAWN = _weighted((False, 2), (True, 1))
MEETING_SET = st.lists(st.sampled_from(MEETINGS), max_size=2, unique=True)
OPT_NOTULIST = _optional(st.sampled_from(NOTULISTS))
OPT_USERNAME = _optional(st.sampled_from(USERNAMES))
# Mostly roles that reach the grant and consent rules.
ROLE = _weighted(*((role, 1) for role in Role), (Role.DEELNEMER, 3), (Role.CASUSREGISSEUR, 1))
ITEM_COUNT = st.integers(1, 5)
GRANT_COUNT = st.integers(0, 5)
CONSENT_COUNT = st.integers(0, 3)
PROVIDER_ROLE = st.sampled_from([Role.DEELNEMER, Role.CASUSREGISSEUR, Role.PROCESREGISSEUR])
NOT_ADDRESS = st.sampled_from([ItemKind.TEXT, ItemKind.FIELD])
TWIN_FIELD = st.sampled_from(["note", "name", "phone"])
TWIN_BODY = st.sampled_from(["", "x", "another body"])
TWIN_DATE = st.dates(dt.date(2020, 1, 1), TODAY)
TWIN_BASIS = st.sampled_from(["a", "b"])


def _grant(draw: st.DrawFn, grant_id: int, items: list[Item],
           in_cast: st.SearchStrategy[str], phase: str) -> Grant:
    """Mostly a live grant of some item's provider for the current phase."""
    base = draw(st.sampled_from(items))
    return make_grant(
        grant_id,
        draw(st.just(base.source_party) | st.just(base.source_party) | in_cast),
        draw(in_cast),
        item_id=draw(_mostly_none(st.just(base.id) | st.sampled_from([i.id for i in items]))),
        category=draw(_mostly_none(st.just(base.category))),
        phase=draw(st.just(phase) | st.just(phase) | _optional(PHASE)),
        meeting_id=draw(GRANT_MEETING),
        revoked=draw(REVOKED),
    )


def _consent(draw: st.DrawFn, consent_id: int, items: list[Item],
             in_cast: st.SearchStrategy[str]) -> Consent:
    """Mostly a consent of some item's betrokkene, given and not withdrawn."""
    base = draw(st.sampled_from(items))
    return make_consent(
        consent_id,
        draw(st.just(base.person_id or 1) | PERSON),
        source_party=draw(_optional(st.just(base.source_party) | in_cast)),
        recipients=draw(st.frozensets(in_cast, max_size=3)),
        categories=draw(st.just({base.category}) | CATEGORY_SET),
        withdrawn=draw(WITHDRAWN),
    )


@st.composite
def scenarios(draw: st.DrawFn, *, open_case: bool = False,
              with_grants: bool = True, with_consents: bool = True) -> Scenario:
    cast = tuple(draw(CAST))
    in_cast = st.sampled_from(cast)
    opt_in_cast = _optional(in_cast)
    party_set = st.frozensets(in_cast)
    categories = draw(CATEGORY_SET)
    category = st.sampled_from(categories)
    procesregisseur = draw(OPT_PROCESREGISSEUR)
    casusregisseur = draw(OPT_CASUSREGISSEUR)
    case = make_case(
        phase=draw(PHASE),
        registering_party=draw(in_cast),
        procesregisseur=procesregisseur,
        casusregisseur=casusregisseur,
        casusregisseur_party=draw(in_cast) if casusregisseur else None,
        closed_at=None if open_case else draw(OPT_CLOSED),
    )
    users = {name: draw(in_cast) for name in PROCESREGISSEURS}

    items = []
    for item_id in range(1, draw(ITEM_COUNT) + 1):
        kind = draw(KIND)
        items.append(make_item(
            item_id, draw(in_cast), draw(category),
            person_id=draw(OPT_PERSON),
            kind=kind,
            incident_class=draw(OPT_CLASS) if kind is ItemKind.ADDRESS else None,
        ))
    grants = [_grant(draw, grant_id, items, in_cast, case.phase)
              for grant_id in range(1, (draw(GRANT_COUNT) if with_grants else 0) + 1)]
    consents = [_consent(draw, consent_id, items, in_cast)
                for consent_id in range(1, (draw(CONSENT_COUNT) if with_consents else 0) + 1)]
    tables = [
        make_table(meeting_id, invited=draw(party_set), present=draw(party_set),
                   notulist=draw(OPT_NOTULIST))
        for meeting_id in draw(MEETING_SET)
    ]
    return Scenario(
        case=case, items=tuple(items), grants=tuple(grants), consents=tuple(consents),
        tables=tuple(tables), action_owners=tuple(sorted(set(cast) - {draw(opt_in_cast)})),
        users=users, cast=cast, meeting_id=draw(OPT_MEETING),
    )


def viewers(cast: Iterable[str]) -> st.SearchStrategy[Viewer]:
    """Any role, a party of the cast (mostly) or of the profile, maybe a known user name."""
    in_cast = st.sampled_from(sorted(cast))
    return st.builds(Viewer, party_id=in_cast | in_cast | ANY_PARTY,
                     role=ROLE, username=OPT_USERNAME)


@st.composite
def scenario_and_viewers(draw: st.DrawFn, **kwargs: bool) -> tuple[Scenario, list[Viewer]]:
    scenario = draw(scenarios(**kwargs))
    looking = draw(st.lists(viewers(scenario.cast), min_size=1, max_size=4))
    # Every party of the cast as such too: grants and consents name them.
    looking += [Viewer.party(p) for p in scenario.cast]
    return scenario, looking


# --------------------------------------------------------------------------- 1. default deny


@PROPERTY
@given(scenario_and_viewers(with_grants=False, with_consents=False))
def test_default_deny_nothing_full_without_grant_consent_or_ownership(
    drawn: tuple[Scenario, list[Viewer]],
) -> None:
    scenario, looking = drawn
    facts, ctx = scenario.facts(), scenario.ctx
    for viewer in looking:
        own_case = viewer.username is not None and viewer.username == scenario.case.procesregisseur
        for item in scenario.items:
            if viewer.party_id == item.source_party or own_case:
                continue
            decision = decide(viewer, item, facts, ctx)
            if viewer.role is Role.NOTULIST and decision.level is Level.FULL:
                # ZVH 15.2: the minute taker sees what the table sees; without grants the
                # table sees an item only when the provider sits there alone.
                assert any(t.notulist == viewer.username and t.present == {item.source_party}
                           for t in facts.tables), (viewer, item, decision)
                continue
            assert decision.level < Level.FULL, (viewer, item, decision)


# --------------------------------------------------------------------------- 2. the provider


@st.composite
def provider_looks(draw: st.DrawFn) -> tuple[Scenario, Item, Viewer]:
    scenario = draw(scenarios(open_case=True))
    item = draw(st.sampled_from(scenario.items))
    # NOTULIST (ZVH 15.2: sees through the table) and a PROCESREGISSEUR of another case
    # (ZVH 9.6: own cases only) are answered before ZVH 3.5c on purpose.
    role = draw(PROVIDER_ROLE)
    own_case = role is Role.PROCESREGISSEUR
    username = scenario.case.procesregisseur if own_case else draw(OPT_USERNAME)
    return scenario, item, Viewer(item.source_party, role, username)


@PROPERTY
@given(provider_looks())
def test_provider_always_sees_its_own_item(drawn: tuple[Scenario, Item, Viewer]) -> None:
    scenario, item, viewer = drawn
    decision = decide(viewer, item, scenario.facts(), scenario.ctx)
    assert decision.level is Level.FULL, decision
    assert decision.reason.code == "own_item"
    assert decision.transform is None  # as provided, also for dagmonitor addresses


# --------------------------------------------------------------------------- 3. the table view


@st.composite
def table_looks(draw: st.DrawFn) -> tuple[Scenario, frozenset[str]]:
    scenario = draw(scenarios())
    parties = draw(st.frozensets(st.sampled_from(scenario.cast) | ANY_PARTY,
                                 min_size=1, max_size=5))
    return scenario, parties


@PROPERTY
@given(table_looks())
def test_table_view_never_shows_more_than_any_party_present(
    drawn: tuple[Scenario, frozenset[str]],
) -> None:
    scenario, parties = drawn
    facts, ctx = scenario.facts(), scenario.ctx
    for item in scenario.items:
        table = decide_table(parties, item, facts, ctx)
        singles = [decide(Viewer.party(p), item, facts, ctx) for p in sorted(parties)]
        for single in singles:
            assert table.level <= single.level, (item, table, single)
            if table.level is Level.FULL:
                assert (TRANSFORM_STRICTNESS[table.transform]
                        >= TRANSFORM_STRICTNESS[single.transform]), (item, table, single)
        assert table.level == min(s.level for s in singles)
        assert table in singles  # the table adds no reason of its own


# --------------------------------------------------------------------------- 4. monotonicity


def _withdrawals(scenario: Scenario) -> Iterable[tuple[str, CaseFacts]]:
    """The facts after each single withdrawal: every grant removed or revoked, every
    consent withdrawn (one at a time)."""
    for index, grant in enumerate(scenario.grants):
        others = [*scenario.grants[:index], *scenario.grants[index + 1:]]
        yield f"remove grant {grant.id}", scenario.facts(grants=others)
        revoked = [*others, grant._replace(revoked=True)]
        yield f"revoke grant {grant.id}", scenario.facts(grants=revoked)
    for index, consent in enumerate(scenario.consents):
        withdrawn = list(scenario.consents)
        withdrawn[index] = consent._replace(withdrawn_on=TODAY)
        yield f"withdraw consent {consent.id}", scenario.facts(consents=withdrawn)


@PROPERTY
@given(scenario_and_viewers())
def test_withdrawing_consent_or_grant_never_shows_more(
    drawn: tuple[Scenario, list[Viewer]],
) -> None:
    scenario, looking = drawn
    before, ctx = scenario.facts(), scenario.ctx
    old = {(v, item.id): decide(v, item, before, ctx) for v in looking for item in scenario.items}
    old_table = {item.id: decide_table(scenario.cast, item, before, ctx)
                 for item in scenario.items}
    for change, after in _withdrawals(scenario):
        for item in scenario.items:
            for viewer in looking:
                new = decide(viewer, item, after, ctx)
                assert new.level <= old[viewer, item.id].level, (change, viewer, item, new)
            new_table = decide_table(scenario.cast, item, after, ctx)
            assert new_table.level <= old_table[item.id].level, (change, item, new_table)


# --------------------------------------------------------------------------- 5. decision_key


@st.composite
def with_twins(draw: st.DrawFn) -> tuple[Scenario, list[Viewer], list[tuple[Item, Item]]]:
    """Items plus twins that differ only in what ``decision_key`` claims not to matter."""
    scenario, looking = draw(scenario_and_viewers())
    twins = []
    next_id = len(scenario.items) + 1
    for item in draw(st.lists(st.sampled_from(scenario.items), min_size=1, max_size=4)):
        changes: dict[str, object] = {
            "id": next_id,
            "phase": draw(PHASE),
            "field": draw(TWIN_FIELD),
            "body": draw(TWIN_BODY),
            "provided_on": draw(TWIN_DATE),
            "legal_basis": draw(TWIN_BASIS),
        }
        if not needs_consent(item, PROFILE):
            changes["person_id"] = draw(OPT_PERSON)
        if item.kind is not ItemKind.ADDRESS:
            changes["kind"] = draw(NOT_ADDRESS)
            changes["incident_class"] = draw(OPT_CLASS)
        twins.append((item, item._replace(**changes)))
        next_id += 1
    items = scenario.items + tuple(twin for _, twin in twins)
    return dataclasses.replace(scenario, items=items), looking, twins


@PROPERTY
@given(with_twins())
def test_equal_decision_keys_mean_equal_decisions(
    drawn: tuple[Scenario, list[Viewer], list[tuple[Item, Item]]],
) -> None:
    scenario, looking, twins = drawn
    facts, ctx = scenario.facts(), scenario.ctx
    for original, twin in twins:
        # The twin differs only in what the key leaves out, so the keys agree - unless an
        # item-specific grant makes the original's id part of its key.
        same = decision_key(original, facts, ctx) == decision_key(twin, facts, ctx)
        assert same or original.id in facts.item_grants
    by_key: dict[tuple[object, ...], list[Item]] = {}
    for item in scenario.items:
        by_key.setdefault(decision_key(item, facts, ctx), []).append(item)
    groups = [group for group in by_key.values() if len(group) > 1]
    for group in groups:
        for viewer in looking:
            decisions: list[Decision] = [decide(viewer, item, facts, ctx) for item in group]
            assert all(d == decisions[0] for d in decisions), (viewer, group, decisions)
        tables = [decide_table(scenario.cast, item, facts, ctx) for item in group]
        assert all(t == tables[0] for t in tables)
