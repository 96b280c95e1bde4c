"""The policy: for every item, FULL, MASKED (an explained placeholder) or HIDDEN (no trace).

``decide(viewer, item, facts, ctx)`` runs the rules in order; the first rule that answers
decides.  Each rule is a small named function citing its article.  Whatever no rule allows
is HIDDEN (default deny).  ``decide_table`` is the strictest decision over a set of parties
(the beamer view): an item is FULL only if it is FULL for each party present.

The engine is pure: it reads facts loaded by ``app.policy.facts`` and never touches the
store, so it is cheap to property-test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from app.domain.records import Case, Consent, Grant, Item
from app.domain.roles import SUPPORT_ROLES, Role
from app.domain.vocab import ItemKind
from app.i18n import N_
from app.profiles import IncidentClass, Profile


class Level(IntEnum):
    """Ordered so the table view can take the minimum."""

    HIDDEN = 0
    MASKED = 1
    FULL = 2


@dataclass(frozen=True)
class Reason:
    """Why a decision was taken: a stable code, a translatable text and the article."""

    code: str
    text: str
    article: str


@dataclass(frozen=True)
class Decision:
    """The outcome for one item and one viewer."""

    level: Level
    reason: Reason
    # Address detail allowed to others (seed 001 Bijlage 1): None = as provided,
    # "postcode" = postcode level only, "ter_hoogte_van" = street and number as "near".
    transform: str | None = None
    # The grant that let the item flow, for the disclosure register (ZVH 8.1).
    grant: Grant | None = None


@dataclass(frozen=True)
class Viewer:
    """Who looks: a user (role, party, username) or a party as such (view-as, report)."""

    party_id: str
    role: Role
    username: str | None = None

    @classmethod
    def party(cls, party_id: str) -> Viewer:
        """A party's delegate, for "view as party X", the table view and reports."""
        return cls(party_id=party_id, role=Role.DEELNEMER)


@dataclass(frozen=True)
class MeetingTable:
    """Who sits at the table for one case in one meeting."""

    meeting_id: int
    notulist: str | None
    chair: str | None
    invited: frozenset[str]
    present: frozenset[str]
    # The meeting's day and whether it is closed (held): what was shared for it, and its
    # minute taker's access, hold from the preparation window until then (ZVH 13.2, 15.2).
    day: dt.date | None = None
    closed: bool = False
    # The procesregisseur decided with the registering party what may be seen before the
    # meeting (ZVH 13.2): only then do meeting grants count before its day.
    preview: bool = False

    def open_on(self, today: dt.date, preparation_days: int) -> bool:
        """Whether the meeting's window is open on ``today``."""
        if self.closed:
            return False
        return self.day is None or today >= self.day - dt.timedelta(days=preparation_days)


@dataclass(frozen=True)
class CaseFacts:
    """Everything about one case the rules need, loaded once per case."""

    case: Case
    involved: frozenset[str]
    procesregisseur_party: str | None
    grants: tuple[Grant, ...] = ()
    consents: tuple[Consent, ...] = ()
    tables: tuple[MeetingTable, ...] = ()
    item_grants: frozenset[int] = field(default_factory=frozenset)
    # When the case entered its current phase (UTC); None when not known.
    phase_since: dt.datetime | None = None
    # The parties involved other than by providing an item (registration, invitation,
    # direction, an action): they may be named to anyone who may know the case.  A party
    # involved only through its items is named only to a viewer who sees one of them
    # (OND 7.2, ZVH 13.2).  None: not known, every involved party counts as declared.
    declared: frozenset[str] | None = None

    # The subject category of each person of the case: for some (the WO melder) every
    # datum flows only with their consent (WO 3.3d, 5.2).
    person_categories: Mapping[int, str] = field(default_factory=dict)
    # The parties involved only because they were invited for the case in some meeting:
    # their involvement ends with those meetings (ZVH 13.2, see app.policy.joint).
    invited_only: frozenset[str] = frozenset()
    # Every consent on record, withdrawn ones included: the sharing tab shows them all,
    # so their words are sealed to its audience (schema 18, app.policy.consent_view).
    recorded_consents: tuple[Consent, ...] = ()

    def declared_parties(self) -> frozenset[str]:
        """The parties involved other than through their items."""
        return self.involved if self.declared is None else self.declared


@dataclass(frozen=True)
class PolicyContext:
    """The situation of a look: profile, date, and the meeting it happens in (if any)."""

    profile: Profile
    today: dt.date
    meeting_id: int | None = None
    incident_classes: dict[str, IncidentClass] = field(default_factory=dict)
    # The look makes a copy the recipient keeps (a report for one party): only what the
    # provider let it take away shows (ZVH 3.5d).
    copy: bool = False


Rule = Callable[[Viewer, Item, CaseFacts, PolicyContext], Decision | None]


@dataclass(frozen=True)
class _ProfileIndex:
    """Lookups the rules make for every item, precomputed once per loaded profile."""

    parties: frozenset[str]
    categories: frozenset[str]
    consent: dict[tuple[str, str], bool]
    police: dict[tuple[str, str], bool]
    # Police, justice and special-category data: even that they exist is sensitive.
    sensitive: dict[tuple[str, str], bool]
    # Parties that provide only under the person's explicit consent, never under a
    # professional's weighing or a reporting right (Slachtofferhulp, ZVH 6.4l).
    explicit_consent_only: frozenset[str]
    # Subject categories whose every datum needs consent (the WO melder, WO 3.3d, 5.2).
    consent_subjects: frozenset[str]
    # Per phase: the recipients and data categories of its processing activity.
    phase_scope: dict[str, tuple[frozenset[str], frozenset[str]]]


_INDEXES: dict[int, tuple[Profile, _ProfileIndex]] = {}


def _index(profile: Profile) -> _ProfileIndex:
    # Keyed by identity: profiles are loaded once and cached; the profile is kept in the
    # entry so its id cannot be reused by another object.
    entry = _INDEXES.get(id(profile))
    if entry is not None and entry[0] is profile:
        return entry[1]
    consent: dict[tuple[str, str], bool] = {}
    police: dict[tuple[str, str], bool] = {}
    sensitive: dict[tuple[str, str], bool] = {}
    for party in profile.parties:
        for category in profile.data_categories:
            key = (party.id, category.id)
            consent[key] = (party.consent_required or category.consent_required
                            or category.special)
            police[key] = category.police or party.regime == "wpg"
            sensitive[key] = (police[key] or category.justice or category.special
                              or party.regime == "wjsg")
    index = _ProfileIndex(frozenset(p.id for p in profile.parties),
                          frozenset(c.id for c in profile.data_categories), consent, police,
                          sensitive,
                          frozenset(p.id for p in profile.parties if p.kind == "slachtofferhulp"),
                          frozenset(c.id for c in profile.subject_categories
                                    if c.consent_required),
                          {phase.id: (frozenset(profile.activity(phase.activity).recipients),
                                      frozenset(profile.activity(phase.activity).data_categories))
                           for phase in profile.phases})
    _INDEXES[id(profile)] = (profile, index)
    return index


def _hidden(code: str, text: str, article: str) -> Decision:
    return Decision(Level.HIDDEN, Reason(code, text, article))


def _masked(code: str, text: str, article: str) -> Decision:
    return Decision(Level.MASKED, Reason(code, text, article))


def _full(code: str, text: str, article: str) -> Decision:
    return Decision(Level.FULL, Reason(code, text, article))


# --- the rules, strictest first ------------------------------------------------------

def rule_unknown_to_profile(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """Data of a party or category the covenant does not know is shown to nobody else."""
    del facts
    index = _index(ctx.profile)
    if viewer.party_id == item.source_party and viewer.party_id in index.parties:
        return None
    if item.source_party not in index.parties or item.category not in index.categories:
        return _hidden("unknown", N_("Not covered by the covenant"), "ZVH 3.5")
    return None


def rule_support_roles_see_no_content(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """Beheerder and privacy officer see no case content in daily work (ZVH 9.6, 17.2)."""
    del item, facts, ctx
    if viewer.role in SUPPORT_ROLES:
        return _hidden("support_role", N_("No access to case content for this role"),
                       "ZVH 9.6, 17.2")
    return None


def minute_taker_table(viewer: Viewer, facts: CaseFacts, ctx: PolicyContext
                       ) -> MeetingTable | Decision:
    """The table a minute taker looks through for this case: that of the most recent
    meeting about it they support (the one in ``ctx`` if given), or the HIDDEN decision
    why there is none to look through: no such meeting, nobody present, or an uninvited
    party present (ZVH 15.2, 13.2).  Items and the joint record both follow it."""
    tables = [t for t in facts.tables if t.notulist == viewer.username and viewer.username]
    if ctx.meeting_id is not None:
        tables = [t for t in tables if t.meeting_id == ctx.meeting_id]
    if not tables:
        return _hidden("notulist_no_meeting",
                       N_("Minute taker of no meeting about this case"), "ZVH 15.2")
    # Access starts with the preparation window and ends with the notulen (ZVH 15.2).
    tables = [t for t in tables if t.open_on(ctx.today, ctx.profile.preparation_days)]
    if not tables:
        return _hidden("notulist_window",
                       N_("Outside the meeting's preparation window, or after its minutes"),
                       "ZVH 15.2")
    table = max(tables, key=lambda t: t.meeting_id)
    if not table.present or table.present - table.invited:
        return _hidden("notulist_table_blocked",
                       N_("Not shown while an uninvited party is present"), "ZVH 13.2")
    return table


def rule_notulist_sees_the_table(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """The minute taker sees what the table of a meeting they support sees (ZVH 15.2)."""
    if viewer.role is not Role.NOTULIST:
        return None
    table = minute_taker_table(viewer, facts, ctx)
    if isinstance(table, Decision):
        return table
    meeting_ctx = dataclasses.replace(ctx, meeting_id=table.meeting_id)
    return decide_table(table.present, item, facts, meeting_ctx)


def rule_uninvolved_party_sees_nothing(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """A party not involved in the case sees nothing of it (ZVH 3.5d, 13.2)."""
    del item, ctx
    own_case = viewer.username is not None and viewer.username == facts.case.procesregisseur
    if viewer.party_id not in facts.involved and not own_case:
        return _hidden("not_involved", N_("Party not involved in this case"), "ZVH 13.2")
    return None


def rule_procesregisseur_own_cases_only(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """A procesregisseur sees the personal data of their own cases only (ZVH 9.6)."""
    del item, ctx
    if viewer.role is Role.PROCESREGISSEUR and viewer.username != facts.case.procesregisseur:
        return _hidden("other_procesregisseur",
                       N_("Case of another process director"), "ZVH 9.6")
    return None


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def rule_access_stage_after_closing(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """After afschaling/closing, access narrows by stage (ZVH 11.6; OND 11.2)."""
    del item
    closed = facts.case.closed_at
    if closed is None:
        return None
    months = months_between(closed, ctx.today)
    stage = next(
        (s for s in ctx.profile.retention.stages
         if s.from_months <= months and (s.to_months is None or months < s.to_months)),
        None,
    )
    if stage is None:
        return _hidden("retention_expired", N_("Retention period has ended"),
                       ctx.profile.retention.article)
    allowed: set[str | None] = set()
    if stage.access in {"procesregisseur", "coordinator_archive", "procesregisseur_casusregisseur"}:
        allowed.add(facts.case.procesregisseur)
    if stage.access == "procesregisseur_casusregisseur":
        allowed.add(facts.case.casusregisseur)
    if viewer.username is not None and viewer.username in allowed:
        return None
    return _hidden("access_stage", N_("Access closed after scaling down"), stage.article)


def rule_provider_sees_own_items(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """The providing party keeps seeing what it provided (ZVH 3.5c).  What the case's
    procesregisseur entered (intake, triage) is theirs, not their party's: colleagues of
    the same party do not see it by being colleagues (ZVH 9.6)."""
    del ctx
    if viewer.party_id == item.source_party and not (
            item.by_director and viewer.username != facts.case.procesregisseur):
        return _full("own_item", N_("Provided by your own party"), "ZVH 3.5c")
    return None


def rule_police_data_only_to_wpg_recipients(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """Police data reach only the recipients of the art. 20 Wpg decision; to anyone else
    not even their existence shows (OND 7.2; ZVH 6.4d, 7.1)."""
    del facts
    is_police = _index(ctx.profile).police.get((item.source_party, item.category), True)
    if is_police and viewer.party_id not in ctx.profile.police_recipients:
        return _hidden("police_not_recipient", N_("Police data"), ctx.profile.police_basis)
    return None


def needs_consent(item: Item, profile: Profile, facts: CaseFacts | None = None) -> bool:
    """Whether ``item`` may flow to others only under the betrokkene's consent (unknown
    parties or categories: the strictest answer, yes); any datum of a person whose category
    asks consent for everything, such as the WO melder (WO 3.3d, 5.2)."""
    if facts is not None and item.person_id is not None and (
            facts.person_categories.get(item.person_id)
            in _index(profile).consent_subjects):
        return True
    return _index(profile).consent.get((item.source_party, item.category), True)


def consent_covers(consent: Consent, item: Item, recipient: str, ctx: PolicyContext) -> bool:
    """A consent (or the ground recorded instead) of the item's betrokkene that names this
    item's source, its category and this recipient, and has started by the day of the look
    (ZVH 7.2).  A blanket consent names nothing and so covers nothing; Slachtofferhulp
    provides only under the person's own explicit consent (ZVH 6.4l)."""
    return (
        consent.valid
        and consent.person_id == item.person_id
        and consent.source_party == item.source_party
        and item.category in consent.categories
        and recipient in consent.recipients
        and consent.given_on <= ctx.today
        and (consent.basis == "consent"
             or item.source_party not in _index(ctx.profile).explicit_consent_only)
    )


def rule_consent_required(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """Professional-secrecy data, special categories, Slachtofferhulp and the WO melder's
    contact data flow only under a valid consent; withdrawal stops it at once
    (ZVH 6.4l, 7.2, 13.6-13.7; WO 3.3d)."""
    if not needs_consent(item, ctx.profile, facts):
        return None
    if item.person_id is not None and any(
        consent_covers(c, item, viewer.party_id, ctx) for c in facts.consents
    ):
        return None
    return _hidden("no_consent", N_("No valid consent of the person concerned"),
                   ctx.profile.consent_article)


def rule_procesregisseur_of_the_case(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """The case's own procesregisseur has access to its personal data (ZVH 9.6)."""
    del item, ctx
    if viewer.username is not None and viewer.username == facts.case.procesregisseur:
        return _full("procesregisseur", N_("Process director of this case"), "ZVH 9.6")
    return None


def rule_purpose_of_the_phase(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """Strict purpose binding per phase: others receive data only if the phase's
    processing activity names them as recipients and the item's category among its data.
    Intake and a triage that is not forwarded stay with the procesregisseur; in OND only
    the coordinator works on a signal until the overleg, the RIEC receives only at
    opschaling (ZVH PP 3.5a, 9.2, 9.6; OND 9.2-9.5)."""
    scope = _index(ctx.profile).phase_scope.get(facts.case.phase)
    if scope is None:
        return _hidden("phase_unknown", N_("Not covered by the covenant"), "ZVH 3.5a")
    recipients, categories = scope
    if viewer.party_id not in recipients:
        return _hidden("phase_recipient", N_("Not a recipient in this phase"), "ZVH 3.5a, 9.2")
    if item.category not in categories:
        return _hidden("phase_category", N_("Not processed in this phase"), "ZVH 3.5a")
    return None


def grant_matches(grant: Grant, item: Item, recipient: str) -> bool:
    """A live grant of this item's provider, covering this item, to ``recipient``."""
    return (
        not grant.revoked
        and grant.provider_party == item.source_party
        and grant.recipient_party == recipient
        and grant.item_id in {None, item.id}
        and grant.category in {None, item.category}
    )


def grant_is_current(grant: Grant, facts: CaseFacts) -> bool:
    """A phase grant counts only if it was made since the case last entered that phase: a
    grant made earlier (for a later phase, or in an earlier visit to this phase) is to be
    re-assessed by the provider first (ZVH 3.5b)."""
    if facts.phase_since is None or not grant.granted_at:
        return True
    return utc(grant.granted_at) >= facts.phase_since


def meeting_grant_open(meeting_id: int, facts: CaseFacts, ctx: PolicyContext) -> bool:
    """A grant for a meeting holds from the profile's preparation window before it until the
    meeting is closed; before the meeting's day only where the procesregisseur decided so
    with the registering party (ZVH 13.2, sixth indent); a meeting the case is not on
    grants nothing."""
    return any(t.meeting_id == meeting_id and t.open_on(ctx.today, ctx.profile.preparation_days)
               and (t.preview or t.day is None or ctx.today >= t.day)
               for t in facts.tables)


def utc(stamp: str) -> dt.datetime:
    """An ISO 8601 time as UTC (a time without a zone is taken as UTC)."""
    moment = dt.datetime.fromisoformat(stamp)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def rule_grant_of_the_provider(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """Others see an item only under a grant of the provider for this phase or meeting
    (ZVH 3.5d, 13.2, 17.2); a grant for an earlier phase does not carry over (ZVH 3.5b)."""
    stale = False
    for grant in facts.grants:
        if not grant_matches(grant, item, viewer.party_id):
            continue
        if (grant.phase == facts.case.phase and grant_is_current(grant, facts)) or (
            grant.meeting_id is not None and grant.meeting_id == ctx.meeting_id
            and meeting_grant_open(grant.meeting_id, facts, ctx)
        ):
            if ctx.copy and not grant.take_away:
                return _masked("table_only",
                               N_("Shared to be seen at the table, not for a copy of your own"),
                               "ZVH 3.5d")
            return Decision(Level.FULL, Reason("granted", N_("Shared by the providing party"),
                                               "ZVH 3.5d"), grant=grant)
        stale = stale or grant.phase is not None
    if stale:
        return _masked("reassess", N_("To be re-assessed after the phase change"), "ZVH 3.5b")
    if _index(ctx.profile).sensitive.get((item.source_party, item.category), True):
        # That the police, the OM or a health carer hold something about a person is
        # itself sensitive: without a grant it does not even show as a placeholder.
        return _hidden("not_granted_sensitive", N_("Not shared by the providing party"),
                       "ZVH 13.2; OND 7.2")
    return _masked("not_granted", N_("Not shared by the providing party"), "ZVH 3.5d, 13.2")


def rule_default_deny(
    viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision | None:
    """Whatever no rule allows stays hidden."""
    del viewer, item, facts, ctx
    return _hidden("default_deny", N_("Not allowed"), "ZVH 3.5")


RULES: tuple[Rule, ...] = (
    rule_unknown_to_profile,
    rule_support_roles_see_no_content,
    rule_notulist_sees_the_table,
    rule_uninvolved_party_sees_nothing,
    rule_procesregisseur_own_cases_only,
    rule_access_stage_after_closing,
    rule_provider_sees_own_items,
    rule_police_data_only_to_wpg_recipients,
    rule_consent_required,
    rule_procesregisseur_of_the_case,
    rule_purpose_of_the_phase,
    rule_grant_of_the_provider,
    rule_default_deny,
)


def address_transform(
    viewer: Viewer, item: Item, ctx: PolicyContext
) -> str | None:
    """Dagmonitor addresses: house number only for classes that allow it, else postcode
    level; "ter hoogte van" where the agreement says so (seed 000, 001 Bijlage 1)."""
    if item.kind is not ItemKind.ADDRESS or item.incident_class is None:
        return None
    if viewer.party_id == item.source_party:
        return None
    klass = ctx.incident_classes.get(item.incident_class)
    if klass is None or not klass.house_number:
        return "postcode"
    # No house number ever goes to a housing corporation (seed 000 art. 4.4).
    if (ctx.profile.has_party(viewer.party_id)
            and ctx.profile.party(viewer.party_id).kind == "woningcorporatie"):
        return "postcode"
    return "ter_hoogte_van" if klass.ter_hoogte_van else None


def decide(viewer: Viewer, item: Item, facts: CaseFacts, ctx: PolicyContext) -> Decision:
    """The decision for one viewer and one item."""
    for rule in RULES:
        decision = rule(viewer, item, facts, ctx)
        if decision is not None:
            if decision.level is Level.FULL:
                transform = address_transform(viewer, item, ctx)
                if transform is not None and not item.parts_known:
                    # An address to be reduced that has no parts to reduce: fail closed,
                    # never show it in full (seed 000 art. 4.3).
                    return _masked("address_unstructured",
                                   N_("Address detail beyond what the agreement allows"),
                                   "DM 000 art. 4.3")
                if transform is not None:
                    return Decision(decision.level, decision.reason, transform,
                                    decision.grant)
            return decision
    raise AssertionError("rule_default_deny always answers")  # pragma: no cover


_TRANSFORM_STRICTNESS = {None: 0, "ter_hoogte_van": 1, "postcode": 2}


def combine(decisions: Iterable[Decision]) -> Decision:
    """The strictest of several decisions (HIDDEN < MASKED < FULL; coarsest address)."""
    result: Decision | None = None
    for decision in decisions:
        if result is None or decision.level < result.level or (decision.level == result.level and (
            _TRANSFORM_STRICTNESS[decision.transform] > _TRANSFORM_STRICTNESS[result.transform]
        )):
            result = decision
    if result is None:
        return _hidden("nobody", N_("Nobody present"), "ZVH 13.2")
    return result


def decide_table(
    parties: Iterable[str], item: Item, facts: CaseFacts, ctx: PolicyContext
) -> Decision:
    """Table view: FULL only if FULL for every party present."""
    return combine(decide(Viewer.party(p), item, facts, ctx) for p in sorted(set(parties)))


def table_blocked(present: Iterable[str], invited: Iterable[str]) -> frozenset[str]:
    """Parties present that are not invited for the case: while any is in the room the
    table view shows no content of that case (ZVH 13.2)."""
    return frozenset(present) - frozenset(invited)


def decision_key(item: Item, facts: CaseFacts, ctx: PolicyContext) -> tuple[object, ...]:
    """What a decision depends on besides viewer and case, for memoisation per case.

    The item id matters only when an item-specific grant exists; the person only when
    consent is needed; the incident class only for addresses.
    """
    return (
        item.source_party,
        item.category,
        item.id if item.id in facts.item_grants else None,
        item.by_director,
        item.person_id if needs_consent(item, ctx.profile, facts) else None,
        (item.kind, item.incident_class, not item.parts_known)
        if item.kind is ItemKind.ADDRESS else None,
    )
