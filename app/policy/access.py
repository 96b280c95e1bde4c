"""Who may do what: the action-level rules, beside the item-level rules of ``engine``.

``engine`` answers "which field may this viewer see"; this module answers "may this user
do this to that case or meeting".  Same style: each rule is a small named function that
cites its article, the rule books are ordered tuples, the first rule with an opinion
decides, and the last rule denies.  Everything here is pure (facts in, a
:class:`Permit` out), so the rules are tested without a store; the services ask through
one guard (:mod:`app.services.guard`) that logs a refusal and raises.

Three kinds of target:

- none: what a role may start at all (register a case, plan a meeting, make reports,
  administer the store, look "as" another party);
- a case (:class:`app.policy.engine.CaseFacts`): know it, direct it, record the joint
  record, contribute information, report on it;
- a meeting (:class:`MeetingFacts`): know it, chair it, look in its context, make its
  notulen for the table or for one party, send its agenda to an invited party.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.roles import SUPPORT_ROLES, Role
from app.policy.engine import CaseFacts, Viewer

CONTRIBUTORS = frozenset({Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.DEELNEMER})


class Action(StrEnum):
    """What a user may ask to do."""

    # no target
    CREATE_CASE = "create_case"
    PLAN_MEETING = "plan_meeting"
    MAKE_REPORTS = "make_reports"
    ADMINISTER = "administer"      # users, keys, backups, imports
    LIST_USERS = "list_users"
    VERIFY_AUDIT = "verify_audit"
    READ_REGISTER = "read_register"  # the disclosure register
    VIEW_AS = "view_as"
    PRIVACY_WORK = "privacy_work"  # data-subject requests, breaches, the LDV export
    EXPORT_REGISTER = "export_register"  # audit chain and signed head, register exports
    READ_FIGURES = "read_figures"  # management figures without personal data
    READ_PROCESSING_REGISTER = "read_processing_register"
    # a case
    READ = "read"                  # know that the case exists (process metadata, level 1)
    DIRECT = "direct"              # persons, phase, casusregisseur, information duty, agenda
    RECORD_JOINT = "record_joint"  # decisions, goals, actions, progress
    CONTRIBUTE = "contribute"      # provide items, share them, record or withdraw consent
    REPORT = "report"              # a per-case report (plan, voortgang, afsluiting)
    # a meeting
    READ_MEETING = "read_meeting"
    CHAIR = "chair"                # attendance, agenda, who left the room
    MEETING_CONTEXT = "meeting_context"  # meeting-scoped grants count for this user
    MINUTES_TABLE = "minutes_table"
    MINUTES_FOR_PARTY = "minutes_for_party"
    AGENDA_FOR_PARTY = "agenda_for_party"  # the invitation with that party's agenda


CASE_ACTIONS = frozenset({Action.READ, Action.DIRECT, Action.RECORD_JOINT, Action.CONTRIBUTE,
                          Action.REPORT})
MEETING_ACTIONS = frozenset({Action.READ_MEETING, Action.CHAIR, Action.MEETING_CONTEXT,
                             Action.MINUTES_TABLE, Action.MINUTES_FOR_PARTY,
                             Action.AGENDA_FOR_PARTY})


@dataclass(frozen=True)
class Permit:
    """The answer: allowed or not, with the rule's code and article (for the audit)."""

    allowed: bool
    code: str
    article: str

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class MeetingFacts:
    """What the rules need to know of a meeting: who chairs it, who takes the minutes,
    which parties are on its attendance list and which of them are present."""

    meeting_id: int
    chair: str | None
    notulist: str | None
    attendees: frozenset[str]
    present: frozenset[str]


def _allow(code: str, article: str) -> Permit:
    return Permit(True, code, article)


def _deny(code: str, article: str) -> Permit:
    return Permit(False, code, article)


def _me(actor: Viewer, username: str | None) -> bool:
    return actor.username is not None and actor.username == username


# --------------------------------------------------------------------------- no target

def rule_procesregisseur_registers_and_plans(actor: Viewer, action: Action) -> Permit | None:
    """Intake, registration and planning the casusoverleg are the procesregisseur's
    (ZVH 9.6, 13.2); so is looking as another party or showing the table view."""
    if action in {Action.CREATE_CASE, Action.PLAN_MEETING, Action.VIEW_AS}:
        if actor.role is Role.PROCESREGISSEUR:
            return _allow("procesregisseur", "ZVH 9.6")
        return _deny("not_procesregisseur", "ZVH 9.6")
    return None


def rule_reports_by_chair_and_minute_taker(actor: Viewer, action: Action) -> Permit | None:
    """Reports are made by the procesregisseur and the minute taker (ZVH 15.2)."""
    if action is Action.MAKE_REPORTS:
        if actor.role in {Role.PROCESREGISSEUR, Role.NOTULIST}:
            return _allow("reporter", "ZVH 15.2")
        return _deny("not_reporter", "ZVH 15.2")
    return None


def rule_administrator_manages_the_store(actor: Viewer, action: Action) -> Permit | None:
    """Users, keys, backups and imports are the administrator's; an administrator sees no
    case content (ZVH 9.6)."""
    if action is Action.ADMINISTER:
        if actor.role is Role.BEHEERDER:
            return _allow("administrator", "ZVH 9.6")
        return _deny("not_administrator", "ZVH 9.6")
    return None


def rule_oversight_by_administrator_and_privacy_officer(actor: Viewer, action: Action
                                                        ) -> Permit | None:
    """The administrator and the privacy officer check the audit trail and read the
    disclosure register (ZVH 8.1, 15.3d, 24)."""
    if action in {Action.VERIFY_AUDIT, Action.READ_REGISTER}:
        if actor.role in SUPPORT_ROLES:
            return _allow("oversight", "ZVH 15.3d")
        return _deny("not_oversight", "ZVH 15.3d")
    return None


def rule_privacy_officer_handles_rights_and_breaches(actor: Viewer, action: Action
                                                    ) -> Permit | None:
    """Only the privacy officer handles data-subject requests and breaches and exports the
    register lines per data subject (ZVH 14, 17-20; AVG 33-34, 38-39)."""
    if action is Action.PRIVACY_WORK:
        if actor.role is Role.PRIVACY_OFFICER:
            return _allow("privacy_officer", "ZVH 17.2")
        return _deny("not_privacy_officer", "ZVH 17.2")
    if action is Action.EXPORT_REGISTER:
        if actor.role in SUPPORT_ROLES:
            return _allow("oversight_export", "ZVH 15.3d, 24")
        return _deny("not_oversight", "ZVH 15.3d")
    return None


def rule_figures_for_management(actor: Viewer, action: Action) -> Permit | None:
    """Management figures hold no personal data (ZVH 12.3, 11.7): the support roles and
    the procesregisseurs may read them; the processing register is open to every user of
    the covenant (ZVH 24.3)."""
    if action is Action.READ_FIGURES:
        if actor.role in SUPPORT_ROLES or actor.role is Role.PROCESREGISSEUR:
            return _allow("figures", "ZVH 12.3")
        return _deny("no_figures", "ZVH 12.3")
    if action is Action.READ_PROCESSING_REGISTER:
        return _allow("processing_register", "ZVH 24.3")
    return None


def rule_users_are_listed_for_those_who_invite(actor: Viewer, action: Action
                                               ) -> Permit | None:
    """The user list is for the administrator, the privacy officer and the
    procesregisseur who invites (ZVH 9.6, 13.2)."""
    if action is Action.LIST_USERS:
        if actor.role in SUPPORT_ROLES or actor.role is Role.PROCESREGISSEUR:
            return _allow("user_list", "ZVH 13.2")
        return _deny("no_user_list", "ZVH 13.2")
    return None


# --------------------------------------------------------------------------- a case

CaseRule = Callable[[Viewer, Action, CaseFacts, "int | None"], "Permit | None"]


def rule_support_roles_know_process_metadata(
    actor: Viewer, action: Action, facts: CaseFacts, meeting_id: int | None
) -> Permit | None:
    """Administrator and privacy officer may know a case exists (process metadata), and
    do nothing in it (ZVH 9.6, 17.2)."""
    del facts, meeting_id
    if actor.role in SUPPORT_ROLES:
        if action is Action.READ:
            return _allow("support_metadata", "ZVH 9.6")
        return _deny("support_role", "ZVH 9.6, 17.2")
    return None


def rule_procesregisseur_own_cases_only(
    actor: Viewer, action: Action, facts: CaseFacts, meeting_id: int | None
) -> Permit | None:
    """A procesregisseur has access to, directs and reports on their own cases only
    (ZVH 9.6)."""
    del action, meeting_id
    if actor.role is not Role.PROCESREGISSEUR:
        return None
    if _me(actor, facts.case.procesregisseur):
        return _allow("own_case", "ZVH 9.6")
    return _deny("other_procesregisseur", "ZVH 9.6")


def rule_minute_taker_of_a_meeting_about_the_case(
    actor: Viewer, action: Action, facts: CaseFacts, meeting_id: int | None
) -> Permit | None:
    """The minute taker knows the cases on the agenda of the meetings they support and
    records the joint record in the meeting at hand; nothing else (ZVH 15.2)."""
    if actor.role is not Role.NOTULIST:
        return None
    supports = [t for t in facts.tables if _me(actor, t.notulist)]
    if action is Action.READ:
        return (_allow("notulist", "ZVH 15.2") if supports
                else _deny("notulist_no_meeting", "ZVH 15.2"))
    if action is Action.RECORD_JOINT and meeting_id is not None and any(
            t.meeting_id == meeting_id for t in supports):
        return _allow("notulist_of_meeting", "ZVH 15.2")
    return _deny("notulist", "ZVH 15.2")


def rule_uninvolved_party_knows_nothing(
    actor: Viewer, action: Action, facts: CaseFacts, meeting_id: int | None
) -> Permit | None:
    """A party that is not involved in a case may not even know it exists (ZVH 13.2)."""
    del action, meeting_id
    if actor.party_id not in facts.involved:
        return _deny("not_involved", "ZVH 13.2")
    return None


def rule_casusregisseur_keeps_the_plan(
    actor: Viewer, action: Action, facts: CaseFacts, meeting_id: int | None
) -> Permit | None:
    """The appointed casusregisseur watches the plan van aanpak and records in it
    (ZVH 14)."""
    del meeting_id
    if action is Action.RECORD_JOINT and actor.role is Role.CASUSREGISSEUR and _me(
            actor, facts.case.casusregisseur):
        return _allow("casusregisseur", "ZVH 14")
    return None


def rule_involved_party_knows_and_contributes(
    actor: Viewer, action: Action, facts: CaseFacts, meeting_id: int | None
) -> Permit | None:
    """An involved party knows the case and provides, shares and records consent for its
    own information (ZVH 3.5c-d, 7.2); directing and reporting stay with the
    procesregisseur (ZVH 9.6)."""
    del facts, meeting_id
    if action is Action.READ:
        return _allow("involved", "ZVH 13.2")
    if action is Action.CONTRIBUTE and actor.role in CONTRIBUTORS:
        return _allow("contributor", "ZVH 3.5c")
    return None


def rule_default_deny(
    actor: Viewer, action: Action, facts: CaseFacts, meeting_id: int | None
) -> Permit | None:
    """Whatever no rule allows is refused."""
    del actor, action, facts, meeting_id
    return _deny("default_deny", "ZVH 9.6")


CASE_RULES: tuple[CaseRule, ...] = (
    rule_support_roles_know_process_metadata,
    rule_procesregisseur_own_cases_only,
    rule_minute_taker_of_a_meeting_about_the_case,
    rule_uninvolved_party_knows_nothing,
    rule_casusregisseur_keeps_the_plan,
    rule_involved_party_knows_and_contributes,
    rule_default_deny,
)


# --------------------------------------------------------------------------- a meeting

MeetingRule = Callable[[Viewer, Action, MeetingFacts], "Permit | None"]


def rule_meeting_context_for_those_at_it(actor: Viewer, action: Action,
                                        meeting: MeetingFacts) -> Permit | None:
    """Data are looked at in the context of a meeting (so that grants made for it count)
    only by those at it: its chair, its minute taker, or a party present (ZVH 13.2)."""
    if action is not Action.MEETING_CONTEXT:
        return None
    if _me(actor, meeting.chair) or _me(actor, meeting.notulist):
        return _allow("at_meeting", "ZVH 13.2")
    if actor.party_id in meeting.present:
        return _allow("present", "ZVH 13.2")
    return _deny("not_at_meeting", "ZVH 13.2")


def rule_chair_runs_the_meeting(actor: Viewer, action: Action, meeting: MeetingFacts
                                ) -> Permit | None:
    """The chair (the procesregisseur who planned it) runs the meeting, sends each invited
    party its agenda and makes its notulen for anyone present; another procesregisseur
    may not know it (ZVH 9.6, 13.2)."""
    del action
    if actor.role is not Role.PROCESREGISSEUR:
        return None
    if _me(actor, meeting.chair):
        return _allow("chair", "ZVH 13.2")
    return _deny("not_chair", "ZVH 9.6")


def rule_minute_taker_supports_the_meeting(actor: Viewer, action: Action,
                                           meeting: MeetingFacts) -> Permit | None:
    """The minute taker knows the meetings they support and makes their notulen: the
    version for the table and the version for each party present (ZVH 15.2); chairing
    and sending the agenda stay with the chair (ZVH 13.2)."""
    if actor.role is not Role.NOTULIST:
        return None
    if not _me(actor, meeting.notulist):
        return _deny("notulist_other_meeting", "ZVH 15.2")
    if action in {Action.READ_MEETING, Action.MINUTES_TABLE, Action.MINUTES_FOR_PARTY}:
        return _allow("notulist", "ZVH 15.2")
    return _deny("notulist_minutes_only", "ZVH 15.2")


def rule_support_roles_know_meetings(actor: Viewer, action: Action, meeting: MeetingFacts
                                     ) -> Permit | None:
    """Support roles may know the meetings (process metadata) and do nothing in them
    (ZVH 9.6)."""
    del meeting
    if actor.role in SUPPORT_ROLES:
        if action is Action.READ_MEETING:
            return _allow("support_metadata", "ZVH 9.6")
        return _deny("support_role", "ZVH 9.6, 17.2")
    return None


def rule_party_at_the_meeting(actor: Viewer, action: Action, meeting: MeetingFacts
                              ) -> Permit | None:
    """A party on the attendance list knows the meeting (ZVH 13.2)."""
    if action is Action.READ_MEETING and actor.party_id in meeting.attendees:
        return _allow("attendee", "ZVH 13.2")
    return None


def rule_meeting_default_deny(actor: Viewer, action: Action, meeting: MeetingFacts
                              ) -> Permit | None:
    """Whatever no rule allows is refused."""
    del actor, action, meeting
    return _deny("default_deny", "ZVH 13.2")


MEETING_RULES: tuple[MeetingRule, ...] = (
    rule_meeting_context_for_those_at_it,
    rule_chair_runs_the_meeting,
    rule_minute_taker_supports_the_meeting,
    rule_support_roles_know_meetings,
    rule_party_at_the_meeting,
    rule_meeting_default_deny,
)

StoreRule = Callable[[Viewer, Action], "Permit | None"]
STORE_RULES: tuple[StoreRule, ...] = (
    rule_procesregisseur_registers_and_plans,
    rule_reports_by_chair_and_minute_taker,
    rule_administrator_manages_the_store,
    rule_oversight_by_administrator_and_privacy_officer,
    rule_privacy_officer_handles_rights_and_breaches,
    rule_figures_for_management,
    rule_users_are_listed_for_those_who_invite,
)


# --------------------------------------------------------------------------- asking

def allowed(actor: Viewer, action: Action, target: CaseFacts | MeetingFacts | None = None,
            *, meeting_id: int | None = None) -> Permit:
    """May ``actor`` do ``action`` (to ``target``)?  ``meeting_id``: the meeting a case
    action happens in (the minute taker records only there).  Default deny: an action
    asked of the wrong kind of target is refused too."""
    if isinstance(target, CaseFacts):
        if action in CASE_ACTIONS:
            for case_rule in CASE_RULES:
                found = case_rule(actor, action, target, meeting_id)
                if found is not None:
                    return found
    elif isinstance(target, MeetingFacts):
        if action in MEETING_ACTIONS:
            for meeting_rule in MEETING_RULES:
                found = meeting_rule(actor, action, target)
                if found is not None:
                    return found
    else:
        for store_rule in STORE_RULES:
            found = store_rule(actor, action)
            if found is not None:
                return found
    return _deny("default_deny", "ZVH 9.6")


def readable(action: Action) -> Action:
    """The "may know it exists" action for the target of ``action`` (Oso's rule: a target
    the actor may not know answers like a missing one)."""
    return Action.READ_MEETING if action in MEETING_ACTIONS else Action.READ


def capabilities(actor: Viewer, facts: CaseFacts, meeting_id: int | None = None
                 ) -> frozenset[Action]:
    """The case actions ``actor`` may do here, plus VIEW_AS (for enabling buttons)."""
    found = {a for a in CASE_ACTIONS if allowed(actor, a, facts, meeting_id=meeting_id)}
    if allowed(actor, Action.VIEW_AS):
        found.add(Action.VIEW_AS)
    return frozenset(found)
