"""The rules of the policy engine (app/policy/engine.py, app/policy/joint.py), one by one.

Each test is named after the article its rule comes from and checks the level, the reason
code and the cited article.  Article references: "ZVH" = seed 003 (its privacy protocol
is cited as "PP" in the profile), "WO" = seed 002, "OND" = seed 004, "DM" = seeds 000/001.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.records import Consent, Grant, Item
from app.domain.roles import Role
from app.domain.vocab import ItemKind
from app.policy.engine import (
    RULES,
    CaseFacts,
    Decision,
    Level,
    Viewer,
    combine,
    decide,
    decide_table,
    decision_key,
    rule_default_deny,
    table_blocked,
)
from app.policy.joint import decide_joint
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
    months_before,
)

ZVH = load_profile("zvh-rotterdam-rijnmond")
WO = load_profile("woonoverlast")
OND = load_profile("ondermijning")

# ZVH parties with the properties the tests rely on (checked in test_the_cast_is_as_assumed).
GEMEENTE = "gemeente-rotterdam"  # AVG, police recipient, registers the cases below
RAAD = "raad-kinderbescherming-rotterdam"  # AVG, police recipient, no consent needed
VEILIGHEID = "gemeente-rotterdam-veiligheid"  # AVG, police recipient
POLITIE = "politie-rotterdam"  # Wpg
HALT = "halt"  # AVG, not a police recipient (not a type of PP 6.4)
OM = "om-rotterdam"  # Wjsg, police recipient
GGZ = "ggz-antes"  # professional secrecy: consent required
RECLASSERING = "reclassering-nederland"  # professional secrecy: consent required
SLACHTOFFERHULP = "slachtofferhulp"  # AVG, but consent required (PP 6.4l)

PR = "pr.jansen"  # procesregisseur of the case, party GEMEENTE
OTHER_PR = "pr.devries"  # procesregisseur of other cases, also of GEMEENTE
NOTULIST = "nt.bakker"
USERS = {PR: GEMEENTE, OTHER_PR: GEMEENTE}

WO_MAYOR = "burgemeester-krimpen-aan-den-ijssel"

PHASE = "casusoverleg"
PREVIOUS_PHASE = "triage"


def assert_decision(decision: Decision, level: Level, code: str, article: str) -> None:
    """Level, reason code and article at once, with a readable failure."""
    got = (decision.level, decision.reason.code, decision.reason.article)
    assert got == (level, code, article)


def zvh_facts(items: list[Item], **kwargs: object) -> CaseFacts:
    """A ZVH case in the casusoverleg, registered by GEMEENTE, run by PR."""
    case_kwargs = {
        "phase": PHASE,
        "registering_party": GEMEENTE,
        "procesregisseur": PR,
    }
    for key in ("phase", "closed_at", "casusregisseur", "casusregisseur_party",
                "procesregisseur", "registering_party"):
        if key in kwargs:
            case_kwargs[key] = kwargs.pop(key)
    kwargs.setdefault("user_parties", USERS)
    return facts_for(make_case(**case_kwargs), items, **kwargs)  # type: ignore[arg-type]


def party(party_id: str) -> Viewer:
    return Viewer.party(party_id)


def deelnemer(party_id: str, username: str = "user") -> Viewer:
    return Viewer(party_id, Role.DEELNEMER, username)


CTX = context(ZVH)


def test_the_cast_is_as_assumed() -> None:
    assert ZVH.party(GEMEENTE).regime == "avg"
    assert not ZVH.party(GEMEENTE).consent_required
    assert not ZVH.party(RAAD).consent_required
    assert ZVH.party(POLITIE).regime == "wpg"
    assert {GEMEENTE, RAAD, VEILIGHEID, OM, GGZ, SLACHTOFFERHULP} <= set(ZVH.police_recipients)
    assert HALT not in ZVH.police_recipients
    assert POLITIE not in ZVH.police_recipients
    assert ZVH.party(GGZ).consent_required
    assert ZVH.party(RECLASSERING).consent_required
    assert ZVH.party(SLACHTOFFERHULP).regime == "avg"
    assert ZVH.party(SLACHTOFFERHULP).consent_required
    housing = ZVH.data_category("housing")
    assert not housing.special
    assert not housing.police
    assert not housing.consent_required
    assert ZVH.data_category("police").police
    assert ZVH.data_category("health").special


# --------------------------------------------------------------------------- default deny


def test_zvh_3_5_unknown_category_or_party_is_hidden() -> None:
    unknown_category = make_item(1, GEMEENTE, "horoscope")
    unknown_party = make_item(2, "astrologers-guild", "housing")
    facts = zvh_facts(
        [unknown_category, unknown_party],
        grants=[make_grant(1, GEMEENTE, RAAD, phase=PHASE),
                make_grant(2, "astrologers-guild", RAAD, phase=PHASE)],
        consents=[make_consent(1, 1, source_party=GEMEENTE, recipients=[RAAD],
                               categories=["horoscope", "housing"])],
    )
    for item in (unknown_category, unknown_party):
        for viewer in (deelnemer(RAAD), party(RAAD), Viewer(VEILIGHEID, Role.PROCESREGISSEUR, PR)):
            assert_decision(decide(viewer, item, facts, CTX), Level.HIDDEN, "unknown", "ZVH 3.5")
    # A party unknown to the covenant does not even see what it registered itself.
    assert_decision(decide(party("astrologers-guild"), unknown_party, facts, CTX),
                    Level.HIDDEN, "unknown", "ZVH 3.5")
    # "Shown to nobody else": the (known) provider keeps its own item.
    assert_decision(decide(deelnemer(GEMEENTE), unknown_category, facts, CTX),
                    Level.FULL, "own_item", "ZVH 3.5c")


def test_zvh_3_5_default_deny_rule_closes_the_chain() -> None:
    assert RULES[-1] is rule_default_deny
    item = make_item(1, GEMEENTE, "housing")
    facts = zvh_facts([item])
    decision = rule_default_deny(party(RAAD), item, facts, CTX)
    assert decision is not None
    assert_decision(decision, Level.HIDDEN, "default_deny", "ZVH 3.5")


# --------------------------------------------------------------------------- support roles


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PRIVACY_OFFICER])
def test_zvh_9_6_support_roles_see_no_content(role: Role) -> None:
    item = make_item(1, GEMEENTE, "housing")
    facts = zvh_facts([item], grants=[make_grant(1, GEMEENTE, RAAD, phase=PHASE)])
    # Not even with the providing party's id or the procesregisseur's user name.
    for viewer in (Viewer(GEMEENTE, role, "support"), Viewer(RAAD, role, "support"),
                   Viewer(GEMEENTE, role, PR)):
        assert_decision(decide(viewer, item, facts, CTX),
                        Level.HIDDEN, "support_role", "ZVH 9.6, 17.2")


# --------------------------------------------------------------------------- notulist


def _notulist_case() -> tuple[list[Item], CaseFacts]:
    items = [
        make_item(1, GEMEENTE, "housing"),
        make_item(2, RAAD, "relations"),
        make_item(3, GEMEENTE, "financial"),
        make_item(4, POLITIE, "police"),
        make_item(5, GGZ, "health"),
    ]
    facts = zvh_facts(
        items,
        tables=[make_table(5, invited={GEMEENTE, RAAD, HALT}, present={GEMEENTE, RAAD},
                           notulist=NOTULIST, chair=PR)],
        grants=[make_grant(1, GEMEENTE, RAAD, category="housing", phase=PHASE),
                make_grant(2, RAAD, GEMEENTE, phase=PHASE),
                make_grant(3, GEMEENTE, RAAD, item_id=3, meeting_id=5)],
    )
    return items, facts


def test_zvh_15_2_notulist_sees_what_the_table_sees() -> None:
    items, facts = _notulist_case()
    notulist = Viewer("gemeente-rotterdam-mo", Role.NOTULIST, NOTULIST)
    at_meeting = context(ZVH, meeting_id=5)
    # Item 4 (police data, no grant) is HIDDEN even for the art. 20 Wpg recipients at the
    # table: that the police know the person is itself sensitive (ZVH 13.2; OND 7.2).
    expected_levels = {1: Level.FULL, 2: Level.FULL, 3: Level.FULL, 4: Level.HIDDEN,
                       5: Level.HIDDEN}
    for item in items:
        table = decide_table({GEMEENTE, RAAD}, item, facts, at_meeting)
        assert table.level is expected_levels[item.id]
        # Outside the meeting the most recent supported meeting decides, in its context
        # (item 3 is shared for meeting 5 only).
        assert decide(notulist, item, facts, CTX) == table
        assert decide(notulist, item, facts, at_meeting) == table
    # A meeting-scoped grant does not reach the table's parties outside the meeting.
    assert_decision(decide(party(RAAD), items[2], facts, CTX),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")


def test_zvh_15_2_notulist_of_no_meeting_sees_nothing() -> None:
    items, facts = _notulist_case()
    viewers = [Viewer(GEMEENTE, Role.NOTULIST, "nt.other"), Viewer(GEMEENTE, Role.NOTULIST, None)]
    for viewer in viewers:
        for item in items:
            assert_decision(decide(viewer, item, facts, CTX),
                            Level.HIDDEN, "notulist_no_meeting", "ZVH 15.2")
    # The right notulist looking from inside another meeting.
    notulist = Viewer(GEMEENTE, Role.NOTULIST, NOTULIST)
    assert_decision(decide(notulist, items[0], facts, context(ZVH, meeting_id=6)),
                    Level.HIDDEN, "notulist_no_meeting", "ZVH 15.2")


def test_zvh_15_2_notulist_sees_nothing_while_an_uninvited_party_is_present() -> None:
    item = make_item(1, GEMEENTE, "housing")
    notulist = Viewer(GEMEENTE, Role.NOTULIST, NOTULIST)
    facts = zvh_facts(
        [item],
        tables=[make_table(7, invited={GEMEENTE, RAAD}, present={GEMEENTE, RAAD, OM},
                           notulist=NOTULIST)],
    )
    for ctx in (CTX, context(ZVH, meeting_id=7)):
        assert_decision(decide(notulist, item, facts, ctx),
                        Level.HIDDEN, "notulist_table_blocked", "ZVH 13.2")
    # The most recent supported meeting decides when no meeting is given.
    facts = zvh_facts(
        [item],
        tables=[make_table(3, invited={GEMEENTE}, present={GEMEENTE}, notulist=NOTULIST),
                make_table(4, invited={GEMEENTE}, present={GEMEENTE, OM}, notulist=NOTULIST)],
    )
    assert_decision(decide(notulist, item, facts, CTX),
                    Level.HIDDEN, "notulist_table_blocked", "ZVH 13.2")
    assert_decision(decide(notulist, item, facts, context(ZVH, meeting_id=3)),
                    Level.FULL, "own_item", "ZVH 3.5c")


# --------------------------------------------------------------------------- involvement


@pytest.mark.parametrize(
    "how",
    ["invited", "action_owner", "item_provider", "registering", "casusregisseur"],
)
def test_zvh_13_2_every_kind_of_involvement_counts(how: str) -> None:
    item = make_item(1, GEMEENTE, "housing")
    items = [item]
    kwargs: dict[str, object] = {}
    if how == "invited":
        kwargs["tables"] = [make_table(2, invited={OM, GEMEENTE}, present=())]
    elif how == "action_owner":
        kwargs["action_owners"] = [OM]
    elif how == "item_provider":
        items.append(make_item(2, OM, "justice"))
    elif how == "registering":
        kwargs["registering_party"] = OM
    else:
        kwargs["casusregisseur"] = "cr.smit"
        kwargs["casusregisseur_party"] = OM
    facts = zvh_facts(items, **kwargs)
    assert OM in facts.involved
    assert_decision(decide(party(OM), item, facts, CTX),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    granted = zvh_facts(items, grants=[make_grant(1, GEMEENTE, OM, phase=PHASE)], **kwargs)
    assert_decision(decide(party(OM), item, granted, CTX), Level.FULL, "granted", "ZVH 3.5d")


def test_zvh_9_6_the_directors_party_is_not_involved_by_the_director() -> None:
    """ZVH 9.6: only procesregisseurs have access to the personal data, for their own cases.
    A colleague of the director's party neither knows the case by that nor reads what the
    director entered at intake; the director does."""
    intake = make_item(1, OM, "health", person_id=1)._replace(by_director=True)
    facts = zvh_facts([intake], user_parties={PR: OM})
    assert OM not in facts.involved
    for viewer in (party(OM), deelnemer(OM)):
        assert_decision(decide(viewer, intake, facts, CTX),
                        Level.HIDDEN, "not_involved", "ZVH 13.2")
    director = Viewer(OM, Role.PROCESREGISSEUR, PR)
    assert_decision(decide(director, intake, facts, CTX), Level.FULL, "own_item", "ZVH 3.5c")
    # Involved in another way (registering), the colleague still does not read the intake.
    facts = zvh_facts([intake], user_parties={PR: OM}, registering_party=OM)
    assert OM in facts.involved
    assert decide(deelnemer(OM), intake, facts, CTX).level is not Level.FULL
    own = make_item(2, OM, "health", person_id=1)
    assert_decision(decide(deelnemer(OM), own, zvh_facts([own], registering_party=OM), CTX),
                    Level.FULL, "own_item", "ZVH 3.5c")


def test_zvh_13_2_party_involved_only_as_action_owner_is_involved() -> None:
    item = make_item(1, GEMEENTE, "housing")
    facts = zvh_facts([item], action_owners=[HALT],
                      grants=[make_grant(1, GEMEENTE, HALT, phase=PHASE)])
    assert facts.involved == {GEMEENTE, HALT}
    assert_decision(decide(deelnemer(HALT), item, facts, CTX), Level.FULL, "granted", "ZVH 3.5d")
    assert decide_joint(deelnemer(HALT), facts, CTX).level is Level.FULL


def test_zvh_13_2_uninvolved_party_sees_nothing() -> None:
    items = [make_item(1, GEMEENTE, "housing"), make_item(2, RAAD, "relations")]
    # OM holds a grant, but is not involved in the case: not even existence shows.
    facts = zvh_facts(items, grants=[make_grant(1, GEMEENTE, OM, phase=PHASE),
                                     make_grant(2, RAAD, OM, phase=PHASE)])
    assert OM not in facts.involved
    for viewer in (party(OM), deelnemer(OM), Viewer(OM, Role.CASUSREGISSEUR, "cr")):
        for item in items:
            assert_decision(decide(viewer, item, facts, CTX),
                            Level.HIDDEN, "not_involved", "ZVH 13.2")
    assert_decision(decide_joint(deelnemer(OM), facts, CTX),
                    Level.HIDDEN, "not_involved", "ZVH 13.2")


# --------------------------------------------------------------------------- procesregisseur


def test_zvh_9_6_procesregisseur_sees_own_cases_only() -> None:
    item = make_item(1, RAAD, "relations")
    facts = zvh_facts([item], grants=[make_grant(1, RAAD, GEMEENTE, phase=PHASE)])
    own = Viewer(GEMEENTE, Role.PROCESREGISSEUR, PR)
    other = Viewer(GEMEENTE, Role.PROCESREGISSEUR, OTHER_PR)
    assert_decision(decide(own, item, facts, CTX), Level.FULL, "procesregisseur", "ZVH 9.6")
    # Another procesregisseur's case: hidden, although GEMEENTE holds a grant and is involved.
    assert_decision(decide(other, item, facts, CTX),
                    Level.HIDDEN, "other_procesregisseur", "ZVH 9.6")
    # ... and even for what its own party provided.
    own_party_item = make_item(2, GEMEENTE, "housing")
    assert_decision(decide(other, own_party_item, zvh_facts([own_party_item]), CTX),
                    Level.HIDDEN, "other_procesregisseur", "ZVH 9.6")


def test_zvh_9_6_procesregisseur_needs_no_party_involvement() -> None:
    item = make_item(1, RAAD, "relations")
    # The user's party is not among the parties involved.
    facts = zvh_facts([item], registering_party=RAAD, user_parties={})
    assert OM not in facts.involved
    own = Viewer(OM, Role.PROCESREGISSEUR, PR)
    assert_decision(decide(own, item, facts, CTX), Level.FULL, "procesregisseur", "ZVH 9.6")
    case_without_pr = zvh_facts([item], procesregisseur=None, action_owners=[GEMEENTE])
    assert_decision(decide(Viewer(GEMEENTE, Role.PROCESREGISSEUR, None), item, case_without_pr,
                           CTX), Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")


# --------------------------------------------------------------------------- the provider


def test_zvh_3_5c_provider_sees_own_item() -> None:
    items = [make_item(1, GGZ, "health"), make_item(2, POLITIE, "police"),
             make_item(3, GEMEENTE, "address", kind=ItemKind.ADDRESS, incident_class="C10")]
    facts = zvh_facts(items)  # no grants, no consents
    ctx = context(ZVH, classes=incident_classes("001"))
    for item in items:
        for viewer in (party(item.source_party), deelnemer(item.source_party),
                       Viewer(item.source_party, Role.CASUSREGISSEUR, "cr")):
            decision = decide(viewer, item, facts, ctx)
            assert_decision(decision, Level.FULL, "own_item", "ZVH 3.5c")
            assert decision.transform is None


# --------------------------------------------------------------------------- grants


def test_zvh_3_5d_other_party_needs_grant() -> None:
    housing = make_item(1, GEMEENTE, "housing")
    financial = make_item(2, GEMEENTE, "financial")
    items = [housing, financial]
    extra = {"action_owners": [RAAD, VEILIGHEID, OM]}

    def level_of(grants: list[Grant], item: Item) -> Decision:
        return decide(party(RAAD), item, zvh_facts(items, grants=grants, **extra), CTX)

    assert_decision(level_of([], housing), Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    assert_decision(level_of([make_grant(1, GEMEENTE, RAAD, phase=PHASE)], housing),
                    Level.FULL, "granted", "ZVH 3.5d")
    # A grant to another party does not help.
    assert_decision(level_of([make_grant(1, GEMEENTE, VEILIGHEID, phase=PHASE)], housing),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # Only the provider can share: a grant by another party does not count.
    assert_decision(level_of([make_grant(1, OM, RAAD, phase=PHASE)], housing),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # A revoked grant no longer counts.
    assert_decision(level_of([make_grant(1, GEMEENTE, RAAD, phase=PHASE, revoked=True)],
                             housing), Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # Item-specific grants cover that item only.
    item_grant = [make_grant(1, GEMEENTE, RAAD, item_id=1, phase=PHASE)]
    assert_decision(level_of(item_grant, housing), Level.FULL, "granted", "ZVH 3.5d")
    assert_decision(level_of(item_grant, financial),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # Category-limited grants cover that category only.
    category_grant = [make_grant(1, GEMEENTE, RAAD, category="financial", phase=PHASE)]
    assert_decision(level_of(category_grant, financial), Level.FULL, "granted", "ZVH 3.5d")
    assert_decision(level_of(category_grant, housing),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # Both limits at once: the item must match both.
    both = [make_grant(1, GEMEENTE, RAAD, item_id=1, category="financial", phase=PHASE)]
    assert_decision(level_of(both, housing), Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    assert_decision(level_of(both, financial), Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")


def test_zvh_3_5b_phase_change_requires_reassessment() -> None:
    item = make_item(1, GEMEENTE, "housing", phase=PREVIOUS_PHASE)
    old = make_grant(1, GEMEENTE, RAAD, phase=PREVIOUS_PHASE)
    facts = zvh_facts([item], grants=[old], action_owners=[RAAD])
    assert_decision(decide(party(RAAD), item, facts, CTX), Level.MASKED, "reassess", "ZVH 3.5b")
    # Re-assessed: a grant for the current phase restores the view.
    facts = zvh_facts([item], grants=[old, make_grant(2, GEMEENTE, RAAD, phase=PHASE)],
                      action_owners=[RAAD])
    assert_decision(decide(party(RAAD), item, facts, CTX), Level.FULL, "granted", "ZVH 3.5d")
    # A revoked old grant asks for nothing: it is simply not granted.
    facts = zvh_facts([item], grants=[make_grant(1, GEMEENTE, RAAD, phase=PREVIOUS_PHASE,
                                                 revoked=True)], action_owners=[RAAD])
    assert_decision(decide(party(RAAD), item, facts, CTX),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # Going back to the old phase revives the old grant.
    facts = zvh_facts([item], grants=[old], phase=PREVIOUS_PHASE, action_owners=[RAAD])
    assert_decision(decide(party(RAAD), item, facts, CTX), Level.FULL, "granted", "ZVH 3.5d")


def test_zvh_13_2_meeting_grant_holds_from_the_preparation_window_until_closed() -> None:
    """ZVH 13.2, 15.2: a meeting-scoped grant is not readable from a desk days after the
    meeting, nor two weeks ahead; it holds from the profile's preparation window until the
    meeting is closed.  The minute taker's access follows the same window."""
    item = make_item(1, GEMEENTE, "housing")
    grant = make_grant(1, GEMEENTE, RAAD, meeting_id=5)
    notulist = Viewer(GEMEENTE, Role.NOTULIST, NOTULIST)
    at_meeting = context(ZVH, meeting_id=5)
    prep = ZVH.preparation_days

    def facts_on(day: dt.date, *, closed: bool = False, preview: bool = True) -> CaseFacts:
        return zvh_facts([item], grants=[grant], tables=[make_table(
            5, invited={GEMEENTE, RAAD}, present={GEMEENTE, RAAD}, notulist=NOTULIST,
            day=day, closed=closed, preview=preview)])

    today = at_meeting.today
    for day in (today, today + dt.timedelta(days=prep)):
        assert_decision(decide(party(RAAD), item, facts_on(day), at_meeting),
                        Level.FULL, "granted", "ZVH 3.5d")
        assert decide(notulist, item, facts_on(day), at_meeting).level is Level.FULL
    # ZVH 13.2, sixth indent: before the meeting's day a meeting grant counts only where the
    # procesregisseur decided so with the registering party.
    undecided = facts_on(today + dt.timedelta(days=prep), preview=False)
    assert_decision(decide(party(RAAD), item, undecided, at_meeting),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    assert decide(party(RAAD), item, facts_on(today, preview=False), at_meeting).level \
        is Level.FULL
    ahead = facts_on(today + dt.timedelta(days=prep + 7))
    closed = facts_on(today - dt.timedelta(days=3), closed=True)
    for facts in (ahead, closed):
        assert_decision(decide(party(RAAD), item, facts, at_meeting),
                        Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
        assert_decision(decide(notulist, item, facts, at_meeting),
                        Level.HIDDEN, "notulist_window", "ZVH 15.2")
        assert decide_joint(notulist, facts, at_meeting).level is Level.HIDDEN


def test_zvh_13_2_meeting_scoped_grant_only_in_that_meeting() -> None:
    item = make_item(1, GEMEENTE, "housing")
    # As the service stores it: a meeting grant carries no phase.
    facts = zvh_facts([item], grants=[make_grant(1, GEMEENTE, RAAD, meeting_id=5)],
                      tables=[make_table(5, invited={GEMEENTE, RAAD}, present={GEMEENTE, RAAD})])
    assert_decision(decide(party(RAAD), item, facts, context(ZVH, meeting_id=5)),
                    Level.FULL, "granted", "ZVH 3.5d")
    for ctx in (CTX, context(ZVH, meeting_id=6)):
        assert_decision(decide(party(RAAD), item, facts, ctx),
                        Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    assert decide_table({GEMEENTE, RAAD}, item, facts, context(ZVH, meeting_id=5)).level \
        is Level.FULL
    assert decide_table({GEMEENTE, RAAD}, item, facts, CTX).level is Level.MASKED


# --------------------------------------------------------------------------- police data


def test_wpg_20_police_data_hidden_outside_recipients() -> None:
    police_item = make_item(1, POLITIE, "police")
    police_source = make_item(2, POLITIE, "identity")  # any item the police provide
    relayed = make_item(3, GEMEENTE, "police")  # police data passed on by a recipient
    items = [police_item, police_source, relayed]
    pairs = [(it, recipient) for it in items for recipient in (HALT, RAAD)]
    grants = [make_grant(i, it.source_party, recipient, item_id=it.id, phase=PHASE)
              for i, (it, recipient) in enumerate(pairs, start=1)]
    facts = zvh_facts(items, grants=grants, action_owners=[HALT, RAAD])
    basis = ZVH.police_basis
    assert basis == "art. 20 Wpg"
    for item in items:
        # Not a recipient of the art. 20 Wpg decision: not even existence, grant or not.
        for viewer in (party(HALT), deelnemer(HALT), Viewer(HALT, Role.CASUSREGISSEUR, "cr")):
            assert_decision(decide(viewer, item, facts, CTX),
                            Level.HIDDEN, "police_not_recipient", basis)
        # A recipient sees it under the grant, and only then.
        assert_decision(decide(party(RAAD), item, facts, CTX), Level.FULL, "granted", "ZVH 3.5d")
        # Without a grant not even a placeholder: that the police hold something about
        # the person is itself sensitive (ZVH 13.2; OND 7.2).
        no_grant = zvh_facts(items, action_owners=[HALT, RAAD])
        assert_decision(decide(party(RAAD), item, no_grant, CTX),
                        Level.HIDDEN, "not_granted_sensitive", "ZVH 13.2; OND 7.2")
        # At the table one non-recipient hides it for everyone.
        assert_decision(decide_table({RAAD, HALT}, item, facts, CTX),
                        Level.HIDDEN, "police_not_recipient", basis)


def test_ond_7_2_police_data_of_the_mayor_hidden_even_from_the_coordinator() -> None:
    mayor = "burgemeester-beesel"
    coordinator_party = "afdeling-oov"
    assert OND.police_recipients == (mayor,)
    police = make_item(1, mayor, "police")
    decision_fact = make_item(2, mayor, "mayor_police_decision")  # OND 7.3
    grants = [make_grant(1, mayor, coordinator_party, phase="overleg"),
              make_grant(2, mayor, "afdeling-handhaving", phase="overleg")]
    facts = facts_for(
        make_case(phase="overleg", registering_party=coordinator_party,
                  procesregisseur="coord.peters"),
        [police, decision_fact], grants=grants, action_owners=["afdeling-handhaving"],
        user_parties={"coord.peters": coordinator_party},
    )
    ctx = context(OND)
    coordinator = Viewer(coordinator_party, Role.PROCESREGISSEUR, "coord.peters")
    for viewer in (coordinator, party(coordinator_party), party("afdeling-handhaving")):
        assert_decision(decide(viewer, police, facts, ctx),
                        Level.HIDDEN, "police_not_recipient", OND.police_basis)
    # OND 7.3: the fact that the mayor decided on police data may be shared.
    assert_decision(decide(party("afdeling-handhaving"), decision_fact, facts, ctx),
                    Level.FULL, "granted", "ZVH 3.5d")
    assert_decision(decide(coordinator, decision_fact, facts, ctx),
                    Level.FULL, "procesregisseur", "ZVH 9.6")
    assert_decision(decide(party(mayor), police, facts, ctx), Level.FULL, "own_item", "ZVH 3.5c")


# --------------------------------------------------------------------------- consent


@pytest.mark.parametrize("source", [GGZ, RECLASSERING, "fivoor-reclassering", "ggz-fivoor"])
def test_zvh_7_2_consent_required_for_professional_secrecy(source: str) -> None:
    item = make_item(1, source, "housing", person_id=1)
    grant = make_grant(1, source, RAAD, phase=PHASE)

    def seen(consents: list[Consent], grants: tuple[Grant, ...] = (grant,),
             viewer: Viewer | None = None, it: Item = item) -> Decision:
        facts = zvh_facts([it], grants=grants, consents=consents, action_owners=[RAAD])
        return decide(viewer or party(RAAD), it, facts, CTX)

    no_consent = ("no_consent", "ZVH 7.2, 13.7")
    assert_decision(seen([]), Level.HIDDEN, *no_consent)
    valid = make_consent(1, 1, source_party=source, recipients=[RAAD], categories=["housing"])
    assert_decision(seen([valid]), Level.FULL, "granted", "ZVH 3.5d")
    # Consent alone does not share: the provider still has to accord.
    assert_decision(seen([valid], grants=()), Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # Withdrawn: no further provision.
    withdrawn = make_consent(1, 1, source_party=source, recipients=[RAAD],
                             categories=["housing"], withdrawn=True)
    assert_decision(seen([withdrawn]), Level.HIDDEN, *no_consent)
    # Consent that does not cover this item, source or recipient does not count.
    not_covering = [
        make_consent(2, 2, source_party=source, recipients=[RAAD],
                     categories=["housing"]),  # another person
        make_consent(3, 1, source_party=source, recipients=[VEILIGHEID],
                     categories=["housing"]),  # other recipient
        make_consent(4, 1, source_party=source, recipients=[RAAD],
                     categories=["financial"]),  # other category
        make_consent(5, 1, source_party=SLACHTOFFERHULP, recipients=[RAAD],
                     categories=["housing"]),  # other source
    ]
    for consent in not_covering:
        assert_decision(seen([consent]), Level.HIDDEN, *no_consent)
    assert_decision(seen(not_covering), Level.HIDDEN, *no_consent)
    # No betrokkene on the item: no consent can cover it.
    anonymous = make_item(1, source, "housing", person_id=None)
    assert_decision(seen([valid], it=anonymous), Level.HIDDEN, *no_consent)
    # The case's own procesregisseur needs the consent too.
    own_pr = Viewer(GEMEENTE, Role.PROCESREGISSEUR, PR)
    assert_decision(seen([], viewer=own_pr), Level.HIDDEN, *no_consent)
    assert_decision(seen([make_consent(7, 1, source_party=source, recipients=[GEMEENTE],
                                       categories=["housing"])], viewer=own_pr),
                    Level.FULL, "procesregisseur", "ZVH 9.6")


def test_zvh_7_2_a_blanket_or_future_consent_covers_nothing() -> None:
    item = make_item(1, GGZ, "housing", person_id=1)

    def facts_with(consents: list[Consent]) -> CaseFacts:
        return zvh_facts([item], grants=[make_grant(1, GGZ, RAAD, phase=PHASE)],
                         consents=consents, action_owners=[RAAD])

    no_consent = ("no_consent", "ZVH 7.2, 13.7")
    blanket = [make_consent(1, 1, source_party=None, recipients=[RAAD], categories=["housing"]),
               make_consent(2, 1, source_party=GGZ, recipients=[], categories=["housing"]),
               make_consent(3, 1, source_party=GGZ, recipients=[RAAD], categories=[])]
    for consent in blanket:
        assert_decision(decide(party(RAAD), item, facts_with([consent]), CTX),
                        Level.HIDDEN, *no_consent)
    ahead = make_consent(4, 1, source_party=GGZ, recipients=[RAAD], categories=["housing"],
                         given_on=CTX.today + dt.timedelta(days=1))
    assert_decision(decide(party(RAAD), item, facts_with([ahead]), CTX), Level.HIDDEN, *no_consent)
    today = ahead._replace(given_on=CTX.today)
    assert decide(party(RAAD), item, facts_with([today]), CTX).level is Level.FULL


def test_zvh_7_2_professional_weighing_instead_of_consent_but_not_for_zvh_6_4l() -> None:
    weighing = make_consent(1, 1, source_party=GGZ, recipients=[RAAD], categories=["housing"],
                            basis="weighing")
    item = make_item(1, GGZ, "housing", person_id=1)
    facts = zvh_facts([item], grants=[make_grant(1, GGZ, RAAD, phase=PHASE)],
                      consents=[weighing], action_owners=[RAAD])
    assert_decision(decide(party(RAAD), item, facts, CTX), Level.FULL, "granted", "ZVH 3.5d")
    victim = make_item(2, SLACHTOFFERHULP, "identity", person_id=1)
    facts = zvh_facts([victim], grants=[make_grant(1, SLACHTOFFERHULP, RAAD, phase=PHASE)],
                      consents=[weighing._replace(source_party=SLACHTOFFERHULP,
                                                  categories=frozenset({"identity"}))],
                      action_owners=[RAAD])
    assert_decision(decide(party(RAAD), victim, facts, CTX), Level.HIDDEN,
                    "no_consent", "ZVH 7.2, 13.7")


@pytest.mark.parametrize("category", [c.id for c in ZVH.data_categories if c.special])
def test_zvh_bijvoegsel_3_special_categories_need_consent(category: str) -> None:
    item = make_item(1, GEMEENTE, category, person_id=3)
    grants = [make_grant(1, GEMEENTE, RAAD, phase=PHASE)]
    facts = zvh_facts([item], grants=grants, action_owners=[RAAD])
    assert_decision(decide(party(RAAD), item, facts, CTX),
                    Level.HIDDEN, "no_consent", "ZVH 7.2, 13.7")
    facts = zvh_facts([item], grants=grants, action_owners=[RAAD],
                      consents=[make_consent(1, 3, source_party=GEMEENTE, categories=[category],
                                                   recipients=[RAAD])])
    assert_decision(decide(party(RAAD), item, facts, CTX), Level.FULL, "granted", "ZVH 3.5d")


def test_zvh_6_4l_slachtofferhulp_provides_only_with_explicit_consent() -> None:
    item = make_item(1, SLACHTOFFERHULP, "identity", person_id=2)
    grants = [make_grant(1, SLACHTOFFERHULP, GEMEENTE, phase=PHASE)]
    facts = zvh_facts([item], grants=grants)
    assert_decision(decide(party(GEMEENTE), item, facts, CTX),
                    Level.HIDDEN, "no_consent", "ZVH 7.2, 13.7")
    consent = make_consent(1, 2, source_party=SLACHTOFFERHULP, recipients=[GEMEENTE],
                           categories=["identity"])
    facts = zvh_facts([item], grants=grants, consents=[consent])
    assert_decision(decide(party(GEMEENTE), item, facts, CTX), Level.FULL, "granted", "ZVH 3.5d")
    facts = zvh_facts([item], grants=grants, consents=[
        make_consent(1, 2, source_party=SLACHTOFFERHULP, recipients=[GEMEENTE],
                     categories=["identity"], withdrawn=True)])
    assert_decision(decide(party(GEMEENTE), item, facts, CTX),
                    Level.HIDDEN, "no_consent", "ZVH 7.2, 13.7")


def _melder_consent(person_id: int, *, withdrawn: bool = False) -> Consent:
    return make_consent(1, person_id, source_party="woningcorporatie", recipients=[WO_MAYOR],
                        categories=["melder_contact"], withdrawn=withdrawn)


def _wo_melder_facts(consents: list) -> tuple[Item, Item, CaseFacts]:
    melder = make_item(1, "woningcorporatie", "melder_contact", person_id=7,
                       kind=ItemKind.ADDRESS)
    nuisance = make_item(2, "woningcorporatie", "nuisance", person_id=8)
    facts = facts_for(
        make_case(phase="gezamenlijk_overleg", registering_party=WO_MAYOR,
                  procesregisseur="regie.wo"),
        [melder, nuisance],
        grants=[make_grant(1, "woningcorporatie", WO_MAYOR, phase="gezamenlijk_overleg")],
        consents=consents,
    )
    return melder, nuisance, facts


def test_wo_3_3d_melder_contact_needs_consent() -> None:
    mayor = party(WO_MAYOR)
    ctx = context(WO)
    melder, nuisance, facts = _wo_melder_facts([])
    decision = decide(mayor, melder, facts, ctx)
    assert (decision.level, decision.reason.code) == (Level.HIDDEN, "no_consent")
    assert_decision(decide(mayor, nuisance, facts, ctx), Level.FULL, "granted", "ZVH 3.5d")
    melder, _, facts = _wo_melder_facts([_melder_consent(7)])
    assert_decision(decide(mayor, melder, facts, ctx), Level.FULL, "granted", "ZVH 3.5d")
    melder, _, facts = _wo_melder_facts([_melder_consent(7, withdrawn=True)])
    assert decide(mayor, melder, facts, ctx).level is Level.HIDDEN
    melder, _, facts = _wo_melder_facts([_melder_consent(8)])  # the overlastgever's consent
    assert decide(mayor, melder, facts, ctx).level is Level.HIDDEN
    # The corporation that recorded the melder keeps seeing it.
    assert_decision(decide(party("woningcorporatie"), melder, facts, ctx),
                    Level.FULL, "own_item", "ZVH 3.5c")


def test_wo_3_3d_melder_consent_reason_cites_the_woonoverlast_covenant() -> None:
    melder, _, facts = _wo_melder_facts([])
    decision = decide(party(WO_MAYOR), melder, facts, context(WO))
    assert decision.reason.code == "no_consent"
    assert "WO 3.3d" in decision.reason.article


# --------------------------------------------------------------------------- dagmonitor addresses


def test_dm_bijlage1_address_postcode_level() -> None:
    classes = incident_classes("001")
    assert not classes["C10"].house_number
    assert classes["A20"].house_number
    assert not classes["A20"].ter_hoogte_van
    assert classes["A10"].ter_hoogte_van
    assert classes["B70"].ter_hoogte_van
    cases = {
        "C10": "postcode",  # vernieling van/aan auto: postcode level only
        "E35": "postcode",  # overlast jeugd: postcode level "in eerste aanleg"
        "A20": None,  # woninginbraak: house number
        "A10": "ter_hoogte_van",  # diefstal uit auto
        "B70": "ter_hoogte_van",  # straatroof
        "Z99": "postcode",  # a class the agreement does not know: the strictest
    }
    items = [make_item(i, GEMEENTE, "address", kind=ItemKind.ADDRESS, incident_class=code)
             for i, code in enumerate(cases, start=1)]
    facts = zvh_facts(items, grants=[make_grant(1, GEMEENTE, RAAD, phase=PHASE)],
                      action_owners=[RAAD])
    ctx = context(ZVH, classes=classes)
    for item, expected in zip(items, cases.values(), strict=True):
        decision = decide(party(RAAD), item, facts, ctx)
        assert_decision(decision, Level.FULL, "granted", "ZVH 3.5d")
        assert decision.transform == expected, item.incident_class
        own_pr = decide(Viewer(VEILIGHEID, Role.PROCESREGISSEUR, PR), item, facts, ctx)
        assert (own_pr.reason.code, own_pr.transform) == ("procesregisseur", expected)
        # The provider sees its own address as provided.
        own = decide(party(GEMEENTE), item, facts, ctx)
        assert (own.level, own.transform) == (Level.FULL, None)
        # The table: FULL for both, so the coarser form of the two.
        assert decide_table({GEMEENTE, RAAD}, item, facts, ctx).transform == expected
    # No incident class, or not an address item: shown as provided.
    plain = [make_item(10, GEMEENTE, "address", kind=ItemKind.ADDRESS),
             make_item(11, GEMEENTE, "address", kind=ItemKind.TEXT, incident_class="C10")]
    facts = zvh_facts(plain, grants=[make_grant(1, GEMEENTE, RAAD, phase=PHASE)],
                      action_owners=[RAAD])
    for item in plain:
        assert decide(party(RAAD), item, facts, ctx).transform is None
    # Not shared: a masked placeholder carries no address at all.
    facts = zvh_facts(items, action_owners=[RAAD])
    masked = decide(party(RAAD), items[0], facts, ctx)
    assert (masked.level, masked.transform) == (Level.MASKED, None)


# --------------------------------------------------------------------------- retention stages


def _closed_zvh(months: int) -> tuple[Item, CaseFacts]:
    item = make_item(1, RAAD, "relations")
    facts = zvh_facts([item], phase="afschaling", closed_at=months_before(TODAY, months),
                      grants=[make_grant(1, RAAD, VEILIGHEID, phase="afschaling")],
                      action_owners=[VEILIGHEID], casusregisseur="cr.smit",
                      casusregisseur_party=VEILIGHEID)
    return item, facts


def test_zvh_11_6_access_stages() -> None:
    own_pr = Viewer(GEMEENTE, Role.PROCESREGISSEUR, PR)
    others = [party(RAAD), deelnemer(RAAD), party(VEILIGHEID),
              Viewer(VEILIGHEID, Role.CASUSREGISSEUR, "cr.smit")]
    # First 6 months after afschaling: the procesregisseur only.
    item, facts = _closed_zvh(3)
    assert_decision(decide(own_pr, item, facts, CTX), Level.FULL, "procesregisseur", "ZVH 9.6")
    for viewer in others:  # the provider and a grant holder included
        assert_decision(decide(viewer, item, facts, CTX), Level.HIDDEN, "access_stage", "PP 11.6")
    assert_decision(decide(Viewer(GEMEENTE, Role.PROCESREGISSEUR, OTHER_PR), item, facts, CTX),
                    Level.HIDDEN, "other_procesregisseur", "ZVH 9.6")
    # 6 to 24 months (12) and after 24 months (30): access withdrawn for everyone.
    for months in (6, 12, 23, 24, 30):
        item, facts = _closed_zvh(months)
        for viewer in [own_pr, *others]:
            assert_decision(decide(viewer, item, facts, CTX),
                            Level.HIDDEN, "access_stage", "PP 11.6")
    # The edge of the first stage: counted in whole calendar months.
    assert dt.date(2025, 6, 15) == TODAY
    for closed_at, level in ((dt.date(2024, 12, 16), Level.FULL),
                             (dt.date(2024, 12, 15), Level.HIDDEN)):
        facts = zvh_facts([item], phase="afschaling", closed_at=closed_at)
        assert decide(own_pr, item, facts, CTX).level is level


def _closed_ond(months: int) -> tuple[Item, Item, CaseFacts]:
    item = make_item(1, "afdeling-brp", "identity")
    own = make_item(2, "afdeling-handhaving", "enforcement")
    facts = facts_for(
        make_case(phase="afsluiten", registering_party="afdeling-oov",
                  procesregisseur="coord.peters", casusregisseur="cr.hendriks",
                  casusregisseur_party="afdeling-handhaving",
                  closed_at=months_before(TODAY, months)),
        [item, own],
        grants=[make_grant(1, "afdeling-brp", "afdeling-handhaving", phase="afsluiten")],
        user_parties={"coord.peters": "afdeling-oov", "cr.hendriks": "afdeling-handhaving"},
    )
    return item, own, facts


def test_ond_11_2_access_stages() -> None:
    ctx = context(OND)
    coordinator = Viewer("afdeling-oov", Role.PROCESREGISSEUR, "coord.peters")
    casusregisseur = Viewer("afdeling-handhaving", Role.CASUSREGISSEUR, "cr.hendriks")
    colleague = deelnemer("afdeling-handhaving", "someone.else")
    provider = deelnemer("afdeling-brp")
    # First 6 months: coordinator and casusregisseur (OND 11.2a).
    item, own, facts = _closed_ond(3)
    assert_decision(decide(coordinator, item, facts, ctx),
                    Level.FULL, "procesregisseur", "ZVH 9.6")
    assert_decision(decide(casusregisseur, item, facts, ctx), Level.FULL, "granted", "ZVH 3.5d")
    assert_decision(decide(casusregisseur, own, facts, ctx), Level.FULL, "own_item", "ZVH 3.5c")
    for viewer in (colleague, provider, party("afdeling-handhaving")):
        assert_decision(decide(viewer, item, facts, ctx), Level.HIDDEN, "access_stage",
                        "OND 11.2a")
    # 6 to 12 months: archived, the coordinator only (OND 11.2b-c).
    item, own, facts = _closed_ond(8)
    assert_decision(decide(coordinator, item, facts, ctx),
                    Level.FULL, "procesregisseur", "ZVH 9.6")
    for viewer in (casusregisseur, colleague, provider):
        for it in (item, own):
            assert_decision(decide(viewer, it, facts, ctx),
                            Level.HIDDEN, "access_stage", "OND 11.2b-c")
    # Destroyed 1 year after closing (OND 11.2).
    for months in (12, 13, 40):
        item, own, facts = _closed_ond(months)
        for viewer in (coordinator, casusregisseur, provider):
            for it in (item, own):
                assert_decision(decide(viewer, it, facts, ctx), Level.HIDDEN,
                                "retention_expired", OND.retention.article)


# --------------------------------------------------------------------------- joint record


def test_zvh_2_2_joint_record_visible_to_involved_parties() -> None:
    facts = zvh_facts([make_item(1, RAAD, "relations")], action_owners=[HALT],
                      tables=[make_table(5, invited={GEMEENTE, RAAD}, present={GEMEENTE},
                                         notulist=NOTULIST)])
    joint = ("joint_record", "ZVH 2.2")
    for viewer in (deelnemer(RAAD), deelnemer(HALT), party(GEMEENTE),
                   Viewer(GEMEENTE, Role.PROCESREGISSEUR, PR),
                   Viewer(RAAD, Role.CASUSREGISSEUR, "cr")):
        assert_decision(decide_joint(viewer, facts, CTX), Level.FULL, *joint)
    assert_decision(decide_joint(deelnemer(OM), facts, CTX),
                    Level.HIDDEN, "not_involved", "ZVH 13.2")
    assert_decision(decide_joint(Viewer(GEMEENTE, Role.PROCESREGISSEUR, OTHER_PR), facts, CTX),
                    Level.HIDDEN, "other_procesregisseur", "ZVH 9.6")
    for role in (Role.BEHEERDER, Role.PRIVACY_OFFICER):
        assert_decision(decide_joint(Viewer(GEMEENTE, role, "support"), facts, CTX),
                        Level.HIDDEN, "support_role", "ZVH 9.6, 17.2")
    notulist = Viewer("gemeente-rotterdam-mo", Role.NOTULIST, NOTULIST)
    assert_decision(decide_joint(notulist, facts, CTX), Level.FULL, "notulist", "ZVH 15.2")
    assert_decision(decide_joint(notulist, facts, context(ZVH, meeting_id=6)),
                    Level.HIDDEN, "notulist_no_meeting", "ZVH 15.2")
    assert_decision(decide_joint(Viewer(GEMEENTE, Role.NOTULIST, "nt.other"), facts, CTX),
                    Level.HIDDEN, "notulist_no_meeting", "ZVH 15.2")
    # The procesregisseur's own case although the user's party is not involved.
    alone = zvh_facts([], registering_party=RAAD, user_parties={})
    assert_decision(decide_joint(Viewer(OM, Role.PROCESREGISSEUR, PR), alone, CTX),
                    Level.FULL, *joint)


def test_zvh_11_6_joint_record_access_stages() -> None:
    own_pr = Viewer(GEMEENTE, Role.PROCESREGISSEUR, PR)
    _, facts = _closed_zvh(3)
    assert_decision(decide_joint(own_pr, facts, CTX), Level.FULL, "joint_record", "ZVH 2.2")
    for viewer in (deelnemer(RAAD), Viewer(VEILIGHEID, Role.CASUSREGISSEUR, "cr.smit")):
        assert_decision(decide_joint(viewer, facts, CTX), Level.HIDDEN, "access_stage", "PP 11.6")
    for months in (12, 30):
        _, facts = _closed_zvh(months)
        assert_decision(decide_joint(own_pr, facts, CTX), Level.HIDDEN, "access_stage", "PP 11.6")


def test_ond_11_2_joint_record_access_stages() -> None:
    ctx = context(OND)
    coordinator = Viewer("afdeling-oov", Role.PROCESREGISSEUR, "coord.peters")
    casusregisseur = Viewer("afdeling-handhaving", Role.CASUSREGISSEUR, "cr.hendriks")
    _, _, facts = _closed_ond(3)
    for viewer in (coordinator, casusregisseur):
        assert_decision(decide_joint(viewer, facts, ctx), Level.FULL, "joint_record", "ZVH 2.2")
    assert_decision(decide_joint(deelnemer("afdeling-brp"), facts, ctx),
                    Level.HIDDEN, "access_stage", "OND 11.2a")
    _, _, facts = _closed_ond(8)
    assert_decision(decide_joint(coordinator, facts, ctx), Level.FULL, "joint_record", "ZVH 2.2")
    assert_decision(decide_joint(casusregisseur, facts, ctx),
                    Level.HIDDEN, "access_stage", "OND 11.2b-c")
    _, _, facts = _closed_ond(13)
    assert_decision(decide_joint(coordinator, facts, ctx),
                    Level.HIDDEN, "retention_expired", OND.retention.article)


@pytest.mark.parametrize("months", [12, 30])
def test_zvh_11_6_notulist_loses_the_joint_record_with_everyone_else(months: int) -> None:
    item = make_item(1, RAAD, "relations")
    facts = zvh_facts([item], phase="afschaling", closed_at=months_before(TODAY, months),
                      tables=[make_table(5, invited={GEMEENTE, RAAD}, present={GEMEENTE, RAAD},
                                         notulist=NOTULIST)])
    notulist = Viewer("gemeente-rotterdam-mo", Role.NOTULIST, NOTULIST)
    # The items are hidden from the notulist (every party at the table is locked out) ...
    assert decide(notulist, item, facts, CTX).level is Level.HIDDEN
    # ... and so is the joint record, even for the case's own procesregisseur ...
    assert decide_joint(Viewer(GEMEENTE, Role.PROCESREGISSEUR, PR), facts, CTX).level \
        is Level.HIDDEN
    # ... so the minute taker must not keep it either.
    assert decide_joint(notulist, facts, CTX).level is Level.HIDDEN


# --------------------------------------------------------------------------- the table view


def test_zvh_13_2_table_view_is_full_only_if_full_for_each_party() -> None:
    shared = make_item(1, GEMEENTE, "housing")
    police = make_item(2, POLITIE, "police")
    facts = zvh_facts([shared, police], action_owners=[RAAD, HALT, VEILIGHEID],
                      grants=[make_grant(1, GEMEENTE, RAAD, phase=PHASE),
                              make_grant(2, GEMEENTE, HALT, phase=PHASE),
                              make_grant(3, POLITIE, RAAD, phase=PHASE)])
    # FULL for each (own item for GEMEENTE, granted to the others): FULL at the table.
    assert decide_table({GEMEENTE, RAAD, HALT}, shared, facts, CTX).level is Level.FULL
    assert decide_table({RAAD, HALT}, shared, facts, CTX).level is Level.FULL
    # VEILIGHEID holds no grant: the whole table sees the placeholder.
    assert_decision(decide_table({GEMEENTE, RAAD, VEILIGHEID}, shared, facts, CTX),
                    Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")
    # An uninvolved party at the table: nothing shows.
    assert_decision(decide_table({GEMEENTE, OM}, shared, facts, CTX),
                    Level.HIDDEN, "not_involved", "ZVH 13.2")
    assert decide_table({POLITIE, RAAD}, police, facts, CTX).level is Level.FULL
    assert_decision(decide_table({POLITIE, RAAD, HALT}, police, facts, CTX),
                    Level.HIDDEN, "police_not_recipient", "art. 20 Wpg")
    assert_decision(decide_table([], shared, facts, CTX), Level.HIDDEN, "nobody", "ZVH 13.2")
    for parties in ({GEMEENTE, RAAD, HALT}, {GEMEENTE, RAAD, VEILIGHEID}, {POLITIE, RAAD, HALT}):
        for item in (shared, police):
            table = decide_table(parties, item, facts, CTX)
            assert table.level == min(decide(party(p), item, facts, CTX).level for p in parties)


def test_zvh_13_2_table_blocked_names_the_uninvited_present() -> None:
    assert table_blocked({GEMEENTE, RAAD}, {GEMEENTE, RAAD, HALT}) == frozenset()
    assert table_blocked([GEMEENTE, OM, HALT], [GEMEENTE]) == {OM, HALT}
    assert table_blocked([], [GEMEENTE]) == frozenset()


def test_combine_takes_the_strictest_level_and_the_coarsest_address() -> None:
    item = make_item(1, GEMEENTE, "address", kind=ItemKind.ADDRESS, incident_class="A10")
    facts = zvh_facts([item], grants=[make_grant(1, GEMEENTE, RAAD, phase=PHASE)],
                      action_owners=[RAAD, HALT])
    ctx = context(ZVH, classes=incident_classes("001"))
    own = decide(party(GEMEENTE), item, facts, ctx)
    granted = decide(party(RAAD), item, facts, ctx)
    masked = decide(party(HALT), item, facts, ctx)
    assert (own.transform, granted.transform, masked.level) == (None, "ter_hoogte_van",
                                                                Level.MASKED)
    assert combine([own, granted]) == granted
    assert combine([granted, own]) == granted
    assert combine([own, granted, masked]) == masked
    assert combine([]).level is Level.HIDDEN


# --------------------------------------------------------------------------- memoisation key


def test_decision_key_names_only_what_the_decision_depends_on() -> None:
    ctx = context(ZVH, classes=incident_classes("001"))
    a = make_item(1, GEMEENTE, "housing", person_id=1, phase="triage", body="a")
    b = make_item(2, GEMEENTE, "housing", person_id=2, phase=PHASE, body="b")
    facts = zvh_facts([a, b])
    assert decision_key(a, facts, ctx) == decision_key(b, facts, ctx)
    # An item-specific grant makes the id matter (for that item only).
    facts = zvh_facts([a, b], grants=[make_grant(1, GEMEENTE, RAAD, item_id=1, phase=PHASE)])
    assert decision_key(a, facts, ctx) != decision_key(b, facts, ctx)
    # Consent-bound data: the person matters.
    g1 = make_item(3, GGZ, "housing", person_id=1)
    g2 = make_item(4, GGZ, "housing", person_id=2)
    facts = zvh_facts([g1, g2])
    assert decision_key(g1, facts, ctx) != decision_key(g2, facts, ctx)
    # Addresses: the incident class matters.
    x1 = make_item(5, GEMEENTE, "address", kind=ItemKind.ADDRESS, incident_class="A10")
    x2 = make_item(6, GEMEENTE, "address", kind=ItemKind.ADDRESS, incident_class="C10")
    t1 = make_item(7, GEMEENTE, "address", kind=ItemKind.TEXT, incident_class="A10")
    t2 = make_item(8, GEMEENTE, "address", kind=ItemKind.FIELD, incident_class="C10")
    facts = zvh_facts([x1, x2, t1, t2])
    assert decision_key(x1, facts, ctx) != decision_key(x2, facts, ctx)
    assert decision_key(t1, facts, ctx) == decision_key(t2, facts, ctx)


def test_zvh_13_2_sensitive_data_without_a_grant_are_hidden_not_masked() -> None:
    """ZVH 13.2, OND 7.2: police, justice (OM) and special-category items without a grant
    of the provider are HIDDEN for an involved party, even a police recipient; ordinary
    data without a grant stay MASKED (the party may know they exist)."""
    om = "om-rotterdam"
    items = [make_item(1, POLITIE, "police"), make_item(2, om, "identity"),
             make_item(3, GEMEENTE, "health"), make_item(4, GEMEENTE, "housing")]
    facts = zvh_facts(items, action_owners=[RAAD, om])
    levels = {item.id: decide(party(RAAD), item, facts, CTX) for item in items}
    for item_id in (1, 2, 3):
        assert levels[item_id].level is Level.HIDDEN, item_id
    assert_decision(levels[1], Level.HIDDEN, "not_granted_sensitive", "ZVH 13.2; OND 7.2")
    assert_decision(levels[4], Level.MASKED, "not_granted", "ZVH 3.5d, 13.2")


def test_dm_000_4_3_an_address_without_parts_fails_closed() -> None:
    """Seed 000 art. 4.3: an address that must be shown at postcode level or "ter hoogte
    van" but has no structured parts to reduce is not shown in full: it is MASKED."""
    ctx = context(ZVH, classes=incident_classes("001"))
    items = [make_item(1, GEMEENTE, "address", kind=ItemKind.ADDRESS, incident_class="C10",
                       structured={}),
             make_item(2, GEMEENTE, "address", kind=ItemKind.ADDRESS, incident_class="A20",
                       structured={})]
    facts = zvh_facts(items, grants=[make_grant(1, GEMEENTE, RAAD, phase=PHASE)],
                      action_owners=[RAAD])
    assert_decision(decide(party(RAAD), items[0], facts, ctx), Level.MASKED,
                    "address_unstructured", "DM 000 art. 4.3")
    # A house-number class needs no reduction: the address shows as provided.
    assert decide(party(RAAD), items[1], facts, ctx).level is Level.FULL
    # The provider keeps seeing its own address.
    assert decide(party(GEMEENTE), items[0], facts, ctx).level is Level.FULL


def test_dm_000_4_4_no_house_number_to_a_housing_corporation() -> None:
    """Seed 000 art. 4.4: no house number ever goes to a housing corporation, not even for
    a class that allows house numbers (woninginbraak, A20)."""
    mayor, corporation = "burgemeester-krimpen-aan-den-ijssel", "woningcorporatie"
    ctx = context(WO, classes=incident_classes("001"))
    item = make_item(1, mayor, "naw", kind=ItemKind.ADDRESS, incident_class="A20",
                     phase="gezamenlijk_overleg")
    case = make_case(phase="gezamenlijk_overleg", registering_party=mayor)
    facts = facts_for(case, [item], grants=[
        make_grant(1, mayor, corporation, phase="gezamenlijk_overleg"),
        make_grant(2, mayor, "particuliere-verhuurder", phase="gezamenlijk_overleg")],
        action_owners=[corporation, "particuliere-verhuurder"])
    to_corporation = decide(party(corporation), item, facts, ctx)
    assert (to_corporation.level, to_corporation.transform) == (Level.FULL, "postcode")
    to_landlord = decide(party("particuliere-verhuurder"), item, facts, ctx)
    assert (to_landlord.level, to_landlord.transform) == (Level.FULL, None)


def test_ond_7_2_party_known_only_by_hidden_items_is_not_named() -> None:
    """OND 7.2, ZVH 13.2: a party involved only because it provided items the viewer may
    not see is not named to that viewer (parties list, consent flag); one whose item the
    viewer sees, or that was invited, is."""
    import dataclasses

    from app.services.redaction import named_parties
    from app.views import ItemView, PartyRef

    items = [make_item(1, GGZ, "health"), make_item(2, RAAD, "relations")]
    facts = dataclasses.replace(zvh_facts(items), declared=frozenset({GEMEENTE}))
    assert facts.involved >= {GGZ, RAAD, GEMEENTE}
    seen = ItemView(2, ZVH.data_category("relations").name, "relations",
                    PartyRef(RAAD, ZVH.party(RAAD).name), None, "note", "x",
                    TODAY, "basis", PHASE)
    assert named_parties(facts, [seen]) == {GEMEENTE, RAAD}
    assert named_parties(facts, []) == {GEMEENTE}


# --------------------------------------------------------------------------- purpose binding


def test_zvh_3_5a_intake_stays_with_the_procesregisseur() -> None:
    """ZVH PP 3.5a, 9.2, 9.6: what is processed at intake reaches no other party, not even
    under a grant for that phase; the director sees it."""
    item = make_item(1, GEMEENTE, "housing")
    facts = zvh_facts([item], phase="aanmelding", action_owners=[RAAD],
                      grants=[make_grant(1, GEMEENTE, RAAD, phase="aanmelding")])
    assert_decision(decide(party(RAAD), item, facts, CTX),
                    Level.HIDDEN, "phase_recipient", "ZVH 3.5a, 9.2")
    assert decide(Viewer(VEILIGHEID, Role.PROCESREGISSEUR, PR), item, facts, CTX).level \
        is Level.FULL
    triage = zvh_facts([item], phase="triage", action_owners=[RAAD],
                       grants=[make_grant(1, GEMEENTE, RAAD, phase="triage")])
    assert decide(party(RAAD), item, triage, CTX).level is Level.FULL


def test_zvh_3_5a_a_category_the_phase_does_not_process_is_not_shared() -> None:
    item = make_item(1, GEMEENTE, "financial")
    assert "financial" not in ZVH.activity("afschaling").data_categories
    facts = zvh_facts([item], phase="afschaling", action_owners=[RAAD],
                      grants=[make_grant(1, GEMEENTE, RAAD, phase="afschaling")])
    assert_decision(decide(party(RAAD), item, facts, CTX),
                    Level.HIDDEN, "phase_category", "ZVH 3.5a")


def test_ond_9_2_the_riec_receives_only_at_opschaling() -> None:
    riec, source = "riec-limburg", "afdeling-oov"
    item = make_item(1, source, "kvk")
    case = make_case(phase="overleg", registering_party=source, procesregisseur="coord")
    ctx = context(OND)
    for phase in ("overleg", "opschaling_riec"):
        facts = facts_for(dataclasses.replace(case, phase=phase), [item],
                          grants=[make_grant(1, source, riec, phase=phase)],
                          action_owners=[riec])
        level = decide(party(riec), item, facts, ctx).level
        assert level is (Level.FULL if phase == "opschaling_riec" else Level.HIDDEN)


def test_wo_3_3d_every_datum_of_the_melder_needs_the_melders_consent() -> None:
    """WO 3.3d, 5.2: the melder's name, address, e-mail and phone are shared only with the
    melder's consent, whatever data category they were entered under."""
    naw = make_item(1, "woningcorporatie", "naw", person_id=7)
    _melder, _nuisance, facts = _wo_melder_facts([])
    facts = dataclasses.replace(facts, person_categories={7: "melder", 8: "overlastgever"})
    mayor, ctx = party(WO_MAYOR), context(WO)
    assert_decision(decide(mayor, naw, facts, ctx), Level.HIDDEN, "no_consent",
                    WO.consent_article)
    other = naw._replace(id=2, person_id=8)
    assert decide(mayor, other, facts, ctx).level is Level.FULL
    consented = dataclasses.replace(facts, consents=(make_consent(
        1, 7, source_party="woningcorporatie", recipients=[WO_MAYOR], categories=["naw"]),))
    assert decide(mayor, naw, consented, ctx).level is Level.FULL


def test_zvh_3_5d_use_for_own_tasks_needs_a_separate_accord() -> None:
    """ZVH 3.5d: a grant says whether the recipient may only see the data at the table and
    on screen, or may also take them away (its own PDF copy)."""
    item = make_item(1, GEMEENTE, "housing")
    table_only = make_grant(1, GEMEENTE, RAAD, phase=PHASE)
    copy = dataclasses.replace(CTX, copy=True)
    facts = zvh_facts([item], grants=[table_only], action_owners=[RAAD])
    assert decide(party(RAAD), item, facts, CTX).level is Level.FULL
    assert_decision(decide(party(RAAD), item, facts, copy), Level.MASKED, "table_only",
                    "ZVH 3.5d")
    away = zvh_facts([item], grants=[table_only._replace(take_away=True)],
                     action_owners=[RAAD])
    assert decide(party(RAAD), item, away, copy).level is Level.FULL
