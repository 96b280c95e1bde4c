"""The action rules of app/policy/access.py, one by one, and their properties.

Each test is named after the article its rule comes from and checks the answer, the
rule's code and the cited article ("ZVH" = seed 003).  The properties run over every
role, action and a spread of case and meeting facts: default deny, nobody acts on a case
they may not know of, and the support roles never change anything.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.roles import Role
from app.policy.access import (
    CASE_ACTIONS,
    CASE_RULES,
    MEETING_ACTIONS,
    MEETING_RULES,
    SUPPORT_ROLES,
    Action,
    MeetingFacts,
    Permit,
    allowed,
    capabilities,
    readable,
    rule_default_deny,
    rule_meeting_default_deny,
)
from app.policy.engine import CaseFacts, Viewer
from tests.app.policy.policy_builders import facts_for, make_case, make_table

RDAM = "gemeente-rotterdam"
POLICE = "politie-rotterdam"
GGZ = "ggz-antes"
HALT = "halt"
CHAIR = "pr.jansen"
OTHER_CHAIR = "pr.devries"
NOTULIST = "not.bakker"
CASUS = "cr.smit"


def user(role: Role, party: str = RDAM, username: str | None = None) -> Viewer:
    """A user of ``party`` with ``role`` (a default username per role)."""
    return Viewer(party, role, username or f"{role.value}.{party}")


def case_facts(*, notulist: str | None = NOTULIST, casusregisseur: str | None = CASUS,
               meeting_id: int = 7) -> CaseFacts:
    """A case of CHAIR registered by the municipality, with police involved, on the agenda
    of one meeting (minute taker ``notulist``) and a casusregisseur of GGZ."""
    case = make_case(phase="casusoverleg", registering_party=RDAM, procesregisseur=CHAIR,
                     casusregisseur=casusregisseur, casusregisseur_party=GGZ)
    table = make_table(meeting_id, invited={RDAM, POLICE}, present={RDAM, POLICE},
                       notulist=notulist, chair=CHAIR)
    return facts_for(case, tables=[table], action_owners=[POLICE],
                     user_parties={CHAIR: RDAM})


MEETING = MeetingFacts(7, CHAIR, NOTULIST, frozenset({RDAM, POLICE, HALT}),
                       frozenset({RDAM, POLICE}))


def assert_permit(permit: Permit, ok: bool, code: str, article: str) -> None:
    assert (permit.allowed, permit.code, permit.article) == (ok, code, article)
    assert bool(permit) is ok


# --------------------------------------------------------------------------- no target

def test_only_procesregisseur_registers_plans_and_views_as_zvh_9_6() -> None:
    """ZVH 9.6, 13.2: intake, registration, planning and "view as" / table view are the
    procesregisseur's."""
    for action in (Action.CREATE_CASE, Action.PLAN_MEETING, Action.VIEW_AS):
        assert_permit(allowed(user(Role.PROCESREGISSEUR), action), True,
                      "procesregisseur", "ZVH 9.6")
        for role in set(Role) - {Role.PROCESREGISSEUR}:
            assert_permit(allowed(user(role), action), False, "not_procesregisseur",
                          "ZVH 9.6")


def test_reports_by_procesregisseur_and_minute_taker_zvh_15_2() -> None:
    """ZVH 15.2: reports are made by the chair and the minute taker only."""
    for role in Role:
        ok = role in {Role.PROCESREGISSEUR, Role.NOTULIST}
        assert_permit(allowed(user(role), Action.MAKE_REPORTS), ok,
                      "reporter" if ok else "not_reporter", "ZVH 15.2")


def test_administrator_manages_the_store_zvh_9_6() -> None:
    """ZVH 9.6: users, keys, backups and imports are the administrator's alone."""
    for role in Role:
        ok = role is Role.BEHEERDER
        assert_permit(allowed(user(role), Action.ADMINISTER), ok,
                      "administrator" if ok else "not_administrator", "ZVH 9.6")


def test_audit_and_register_for_support_roles_zvh_15_3d() -> None:
    """ZVH 8.1, 15.3d, 24: the administrator and the privacy officer check the audit
    trail and read the disclosure register; the parties do not."""
    for action, role in itertools.product((Action.VERIFY_AUDIT, Action.READ_REGISTER), Role):
        ok = role in SUPPORT_ROLES
        assert_permit(allowed(user(role), action), ok,
                      "oversight" if ok else "not_oversight", "ZVH 15.3d")


def test_user_list_for_support_roles_and_procesregisseur_zvh_13_2() -> None:
    """ZVH 13.2: the procesregisseur who invites may list the users, as may the support
    roles; a participant may not."""
    for role in Role:
        ok = role in SUPPORT_ROLES or role is Role.PROCESREGISSEUR
        assert allowed(user(role), Action.LIST_USERS).allowed is ok


# --------------------------------------------------------------------------- a case

def test_support_roles_know_metadata_and_change_nothing_zvh_9_6() -> None:
    """ZVH 9.6, 17.2: administrator and privacy officer know that a case exists (process
    metadata) and may do nothing in it."""
    facts = case_facts()
    for role in SUPPORT_ROLES:
        assert_permit(allowed(user(role), Action.READ, facts), True, "support_metadata",
                      "ZVH 9.6")
        for action in CASE_ACTIONS - {Action.READ}:
            assert_permit(allowed(user(role), action, facts), False, "support_role",
                          "ZVH 9.6, 17.2")


def test_procesregisseur_acts_on_own_cases_only_zvh_9_6() -> None:
    """ZVH 9.6: the case's own procesregisseur knows, directs, records, contributes and
    reports; another procesregisseur may not even know the case."""
    facts = case_facts()
    own = user(Role.PROCESREGISSEUR, username=CHAIR)
    other = user(Role.PROCESREGISSEUR, username=OTHER_CHAIR)
    for action in CASE_ACTIONS:
        assert_permit(allowed(own, action, facts), True, "own_case", "ZVH 9.6")
        assert_permit(allowed(other, action, facts), False, "other_procesregisseur",
                      "ZVH 9.6")


def test_minute_taker_records_only_in_the_meeting_they_support_zvh_15_2() -> None:
    """ZVH 15.2: the minute taker knows the cases on their meetings' agendas and records
    the joint record in that meeting only; they never direct, contribute or report."""
    facts = case_facts()
    mine = user(Role.NOTULIST, username=NOTULIST)
    assert_permit(allowed(mine, Action.READ, facts), True, "notulist", "ZVH 15.2")
    assert_permit(allowed(mine, Action.RECORD_JOINT, facts, meeting_id=7), True,
                  "notulist_of_meeting", "ZVH 15.2")
    for meeting_id in (None, 8):
        assert not allowed(mine, Action.RECORD_JOINT, facts, meeting_id=meeting_id)
    for action in (Action.DIRECT, Action.CONTRIBUTE, Action.REPORT):
        assert_permit(allowed(mine, action, facts, meeting_id=7), False, "notulist",
                      "ZVH 15.2")
    other = user(Role.NOTULIST, username="not.elders")
    assert_permit(allowed(other, Action.READ, facts), False, "notulist_no_meeting",
                  "ZVH 15.2")


def test_uninvolved_party_knows_nothing_zvh_13_2() -> None:
    """ZVH 13.2: a party not involved in the case may not know it exists, whatever its
    role."""
    facts = case_facts()
    for role in (Role.DEELNEMER, Role.CASUSREGISSEUR):
        for action in CASE_ACTIONS:
            assert_permit(allowed(user(role, HALT), action, facts), False, "not_involved",
                          "ZVH 13.2")


def test_casusregisseur_records_in_the_plan_zvh_14() -> None:
    """ZVH 14: the appointed casusregisseur records in the plan van aanpak; another user
    of the same party with that role does not."""
    facts = case_facts()
    appointed = user(Role.CASUSREGISSEUR, GGZ, CASUS)
    assert_permit(allowed(appointed, Action.RECORD_JOINT, facts), True, "casusregisseur",
                  "ZVH 14")
    colleague = user(Role.CASUSREGISSEUR, GGZ, "cr.ander")
    assert not allowed(colleague, Action.RECORD_JOINT, facts)
    for action in (Action.DIRECT, Action.REPORT):
        assert not allowed(appointed, action, facts)


def test_involved_party_knows_and_contributes_own_information_zvh_3_5c() -> None:
    """ZVH 3.5c-d, 7.2, 13.2: an involved party knows the case and provides, shares and
    records consent for its own information; it neither directs nor reports (ZVH 9.6)."""
    facts = case_facts()
    police = user(Role.DEELNEMER, POLICE)
    assert_permit(allowed(police, Action.READ, facts), True, "involved", "ZVH 13.2")
    assert_permit(allowed(police, Action.CONTRIBUTE, facts), True, "contributor",
                  "ZVH 3.5c")
    for action in (Action.DIRECT, Action.RECORD_JOINT, Action.REPORT):
        assert_permit(allowed(police, action, facts), False, "default_deny", "ZVH 9.6")


# --------------------------------------------------------------------------- a meeting

def test_chair_runs_the_meeting_other_chair_knows_nothing_zvh_13_2() -> None:
    """ZVH 13.2, 9.6: the chair runs the meeting and makes every version of its notulen;
    another procesregisseur may not know the meeting."""
    chair = user(Role.PROCESREGISSEUR, username=CHAIR)
    other = user(Role.PROCESREGISSEUR, username=OTHER_CHAIR)
    for action in MEETING_ACTIONS - {Action.MEETING_CONTEXT}:
        assert_permit(allowed(chair, action, MEETING), True, "chair", "ZVH 13.2")
        assert_permit(allowed(other, action, MEETING), False, "not_chair", "ZVH 9.6")


def test_minute_taker_makes_the_notulen_not_the_agenda_zvh_15_2() -> None:
    """ZVH 15.2: the minute taker knows their meeting and makes its notulen, for the table
    and for each party; never chairs nor sends the agenda; another minute taker knows
    nothing."""
    mine = user(Role.NOTULIST, username=NOTULIST)
    for action in (Action.READ_MEETING, Action.MINUTES_TABLE, Action.MINUTES_FOR_PARTY):
        assert_permit(allowed(mine, action, MEETING), True, "notulist", "ZVH 15.2")
    for action in (Action.AGENDA_FOR_PARTY, Action.CHAIR):
        assert_permit(allowed(mine, action, MEETING), False, "notulist_minutes_only",
                      "ZVH 15.2")
    other = user(Role.NOTULIST, username="not.elders")
    assert_permit(allowed(other, Action.READ_MEETING, MEETING), False,
                  "notulist_other_meeting", "ZVH 15.2")


def test_meeting_context_only_for_those_at_the_meeting_zvh_13_2() -> None:
    """ZVH 13.2: grants made for a meeting count only for its chair, its minute taker and
    the parties present, not for a party that is listed but absent."""
    at = {user(Role.PROCESREGISSEUR, username=CHAIR), user(Role.NOTULIST, username=NOTULIST),
          user(Role.DEELNEMER, POLICE), user(Role.PROCESREGISSEUR, RDAM, OTHER_CHAIR)}
    for viewer in at:
        assert allowed(viewer, Action.MEETING_CONTEXT, MEETING).allowed
    for viewer in (user(Role.DEELNEMER, HALT), user(Role.DEELNEMER, GGZ),
                   user(Role.NOTULIST, GGZ, "not.elders")):
        assert_permit(allowed(viewer, Action.MEETING_CONTEXT, MEETING), False,
                      "not_at_meeting", "ZVH 13.2")


def test_listed_party_knows_the_meeting_zvh_13_2() -> None:
    """ZVH 13.2: a party on the attendance list knows the meeting (present or not); one
    that is not listed does not.  Support roles know it as metadata and do nothing."""
    assert_permit(allowed(user(Role.DEELNEMER, HALT), Action.READ_MEETING, MEETING), True,
                  "attendee", "ZVH 13.2")
    assert_permit(allowed(user(Role.DEELNEMER, GGZ), Action.READ_MEETING, MEETING), False,
                  "default_deny", "ZVH 13.2")
    assert not allowed(user(Role.DEELNEMER, POLICE), Action.CHAIR, MEETING)
    for role in SUPPORT_ROLES:
        assert allowed(user(role), Action.READ_MEETING, MEETING).allowed
        assert_permit(allowed(user(role), Action.CHAIR, MEETING), False, "support_role",
                      "ZVH 9.6, 17.2")


# --------------------------------------------------------------------------- the books

def test_rule_books_end_in_default_deny() -> None:
    """Default deny: the last rule of each book refuses whatever reaches it, and an action
    asked of the wrong kind of target is refused."""
    assert CASE_RULES[-1] is rule_default_deny
    assert MEETING_RULES[-1] is rule_meeting_default_deny
    chair = user(Role.PROCESREGISSEUR, username=CHAIR)
    assert not allowed(chair, Action.CHAIR, case_facts())
    assert not allowed(chair, Action.DIRECT, MEETING)
    assert not allowed(chair, Action.DIRECT)
    assert readable(Action.CHAIR) is Action.READ_MEETING
    assert readable(Action.DIRECT) is Action.READ


def test_capabilities_follow_the_rules() -> None:
    """The buttons a screen enables are exactly the actions the rules allow."""
    facts = case_facts()
    chair = user(Role.PROCESREGISSEUR, username=CHAIR)
    assert capabilities(chair, facts) == CASE_ACTIONS | {Action.VIEW_AS}
    police = user(Role.DEELNEMER, POLICE)
    assert capabilities(police, facts) == {Action.READ, Action.CONTRIBUTE}
    notulist = user(Role.NOTULIST, username=NOTULIST)
    assert capabilities(notulist, facts, 7) == {Action.READ, Action.RECORD_JOINT}
    assert capabilities(notulist, facts) == {Action.READ}


USERNAMES = (CHAIR, OTHER_CHAIR, NOTULIST, CASUS, "x.y")
viewers = st.builds(Viewer, st.sampled_from((RDAM, POLICE, GGZ, HALT)),
                    st.sampled_from(list(Role)), st.sampled_from(USERNAMES))
case_facts_st = st.builds(case_facts, notulist=st.sampled_from((NOTULIST, None, "x.y")),
                          casusregisseur=st.sampled_from((CASUS, None)),
                          meeting_id=st.sampled_from((7, 8)))


@settings(max_examples=300, deadline=None)
@given(viewer=viewers, facts=case_facts_st, meeting_id=st.sampled_from((None, 7, 8)))
def test_no_case_action_without_knowing_the_case(viewer: Viewer, facts: CaseFacts,
                                                  meeting_id: int | None) -> None:
    """Property: whoever may do anything to a case may know it exists (so the guard's
    "unknown" answer never hides an allowed action), and support roles change nothing."""
    for action in CASE_ACTIONS:
        if allowed(viewer, action, facts, meeting_id=meeting_id):
            assert allowed(viewer, Action.READ, facts)
            assert viewer.role not in SUPPORT_ROLES or action is Action.READ


@settings(max_examples=300, deadline=None)
@given(viewer=viewers, present=st.frozensets(st.sampled_from((RDAM, POLICE, GGZ, HALT))))
def test_no_meeting_action_without_knowing_the_meeting(viewer: Viewer,
                                                       present: frozenset[str]) -> None:
    """Property: every meeting action but looking in its context needs knowing the
    meeting; presence never lets a party chair it or make its notulen."""
    meeting = MeetingFacts(7, CHAIR, NOTULIST, present | {HALT}, present)
    for action in MEETING_ACTIONS - {Action.MEETING_CONTEXT}:
        if allowed(viewer, action, meeting):
            assert allowed(viewer, Action.READ_MEETING, meeting)
    if viewer.role in {Role.DEELNEMER, Role.CASUSREGISSEUR}:
        for action in (Action.CHAIR, Action.MINUTES_TABLE, Action.MINUTES_FOR_PARTY):
            assert not allowed(viewer, action, meeting)


@pytest.mark.parametrize("role", list(Role))
def test_every_answer_cites_an_article(role: Role) -> None:
    """Every answer names its rule and article (what the audit entry of a refusal says)."""
    targets: tuple[CaseFacts | MeetingFacts | None, ...] = (case_facts(), MEETING, None)
    for action, target in itertools.product(Action, targets):
        permit = allowed(user(role, username=CHAIR), action, target, meeting_id=7)
        assert permit.code
        assert permit.article.startswith("ZVH ")
