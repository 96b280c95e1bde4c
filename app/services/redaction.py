"""Building redacted views: policy decisions turned into view objects, with disclosure logs.

Every view is built for a :class:`ViewSpec`: the acting user alone, the user looking "as"
another party, or the table (a set of parties present).  A spec never shows more than the
acting user may see: "view as" and "table" are combined with the user's own decisions.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence

from app import clock
from app.domain.records import Item, Person
from app.domain.roles import SUPPORT_ROLES
from app.i18n import N_
from app.policy.engine import (
    CaseFacts,
    Decision,
    Level,
    PolicyContext,
    Reason,
    Viewer,
    combine,
    decide,
    decision_key,
    table_blocked,
)
from app.policy.joint import JointScope, decide_joint, joint_scope, narrowest
from app.profiles import (
    IncidentClass,
    LocalText,
    Profile,
    ProfileError,
    load_incident_classes,
    load_profile,
)
from app.services import guard
from app.services.session import Session
from app.store.keyring import Keyring
from app.views import ItemView, PartyRef, PersonView, Redacted, Value, ViewKind, ViewSpec

Decider = Callable[[Item, CaseFacts, PolicyContext], Decision]

NO_KEY = Decision(Level.MASKED, Reason(
    "no_key", N_("Not readable with your keys: the providing party did not seal it to you"),
    "ZVH 3.5c"))
"""What shows where the policy would allow an item but the viewer holds no key for it."""

DESTROYED_REASON = N_("Destroyed when its retention term ended; only non-personal "
                      "management data remain")
"""Why a destroyed item shows no value (issue 12; ZVH 11.7)."""


class Opener:
    """Opens an item's content with the acting user's keys; None when they hold none.

    Items of a store not yet migrated to envelope keys carry their content in clear.
    :meth:`prime` opens the keys of many items in a few queries first.
    """

    def __init__(self, keyring: Keyring | None) -> None:
        self._keyring = keyring

    def prime(self, items: Iterable[Item]) -> None:
        """Open the keys of ``items`` now, together (what :meth:`__call__` will need)."""
        if self._keyring is not None:
            self._keyring.prime((i.id, i.key_gen) for i in items if i.content is not None)

    def __call__(self, item: Item) -> Item | None:
        if item.content is None:
            return item
        keyring = self._keyring
        opened = keyring.decrypt(item.id, item.key_gen, item.content) if keyring else None
        if opened is None:
            return None
        return item._replace(body=opened[0], structured=opened[1])


def opener(session: Session) -> Opener:
    """The :class:`Opener` of the session's user."""
    return Opener(session.store.keyring)


def profile_of(session: Session) -> Profile:
    """The covenant profile of the session's store."""
    return load_profile(session.profile_id)


def party_ref(profile: Profile, party_id: str) -> PartyRef:
    """A party id with its names; unknown ids keep the id as name."""
    if profile.has_party(party_id):
        return PartyRef(party_id, profile.party(party_id).name)
    return PartyRef(party_id, LocalText(party_id, party_id))


def context(session: Session, meeting_id: int | None = None,
            today: dt.date | None = None, *, copy: bool = False) -> PolicyContext:
    """The policy context for a look now (or on ``today``); ``copy`` for a copy the
    recipient keeps (see :class:`PolicyContext`)."""
    classes = incident_classes_for(session)
    day = today or clock.today()
    return PolicyContext(profile_of(session), day, meeting_id, classes, copy)


@functools.lru_cache(maxsize=1)
def strictest_incident_classes() -> dict[str, IncidentClass]:
    """Incident classes by code.  Seeds 000 and 001 give some codes different address
    rules; an item names only the code, so the stricter rule wins: the house number only if
    every agreement allows it, "ter hoogte van" if any asks for it."""
    merged: dict[str, IncidentClass] = {}
    for klass in load_incident_classes():
        seen = merged.get(klass.code)
        if seen is None:
            merged[klass.code] = klass
        else:
            merged[klass.code] = IncidentClass(
                klass.code, seen.description, seen.house_number and klass.house_number,
                seen.ter_hoogte_van or klass.ter_hoogte_van, f"{seen.source}+{klass.source}")
    return merged


DAGMONITOR_AGREEMENTS = ("000", "001")
"""The dagmonitor agreements a store's data may come under (seeds 000 and 001)."""


@functools.lru_cache(maxsize=4)
def agreement_incident_classes(agreement: str) -> dict[str, IncidentClass]:
    """The incident classes of one dagmonitor agreement, by code."""
    return {k.code: k for k in load_incident_classes() if k.source == agreement}


def incident_classes_for(session: Session) -> dict[str, IncidentClass]:
    """The address rules of the agreement the store's dagmonitor data come under (the
    store's ``dagmonitor_agreement``, set by the administrator), so that "ter hoogte van"
    applies where seed 001 says so; a store that names none gets the strictest of both."""
    try:
        agreement = session.store.meta("dagmonitor_agreement")
    except KeyError:
        return strictest_incident_classes()
    return agreement_incident_classes(agreement)


def decider_for(session: Session, spec: ViewSpec) -> Decider:
    """A function item -> decision for ``spec``, memoised per case and decision key."""
    me = guard.actor(session)
    others = ([Viewer.party(p) for p in sorted(spec.parties)]
              if spec.kind is not ViewKind.SELF else [])
    cache: dict[tuple[object, ...], Decision] = {}

    def decide_item(item: Item, facts: CaseFacts, ctx: PolicyContext) -> Decision:
        key = (item.case_id, *decision_key(item, facts, ctx))
        hit = cache.get(key)
        if hit is None:
            decisions = [decide(me, item, facts, ctx)]
            decisions += [decide(v, item, facts, ctx) for v in others]
            hit = cache[key] = combine(decisions)
        return hit

    return decide_item


def joint_visible(session: Session, spec: ViewSpec, facts: CaseFacts,
                  ctx: PolicyContext) -> bool:
    """Whether goals, actions, decisions and progress show (ZVH 2.2)."""
    if nobody_at_table(spec):
        return False
    viewers = [guard.actor(session)]
    if spec.kind is not ViewKind.SELF:
        viewers += [Viewer.party(p) for p in spec.parties]
    return all(decide_joint(v, facts, ctx).level is Level.FULL for v in viewers)


def joint_scope_for(session: Session, spec: ViewSpec, facts: CaseFacts) -> JointScope:
    """The part of the joint record the look may show (see :func:`joint_scope`)."""
    viewers = [guard.actor(session)]
    if spec.kind is not ViewKind.SELF:
        viewers += [Viewer.party(p) for p in spec.parties]
    return narrowest(joint_scope(v, facts) for v in viewers)


def nobody_at_table(spec: ViewSpec) -> bool:
    """A table view with no party at the table: it shows nothing, not the chair's own view
    (ZVH 13.2: the table sees what every party present may see, and none is present)."""
    return spec.kind is ViewKind.TABLE and not spec.parties


def unknown_to_party(spec: ViewSpec, facts: CaseFacts) -> bool:
    """A "view as" a party that is not involved in the case: that party may not even know
    the case exists, so its view shows nothing of it (ZVH 13.2)."""
    return spec.kind is ViewKind.AS_PARTY and not spec.parties <= facts.involved


def content_shown(session: Session, spec: ViewSpec, facts: CaseFacts) -> bool:
    """Whether a view of the case shows any of its content (items, persons, the joint
    record): not while an uninvited party is at the table, nobody is, the viewed party is
    not involved (ZVH 13.2), or for a support role."""
    return not (blocked_parties(spec, facts) or nobody_at_table(spec)
                or unknown_to_party(spec, facts) or session.user.role in SUPPORT_ROLES)


def blocked_parties(spec: ViewSpec, facts: CaseFacts) -> frozenset[str]:
    """Parties present for a table view that were not invited for this case (ZVH 13.2)."""
    if spec.kind is not ViewKind.TABLE:
        return frozenset()
    tables = [t for t in facts.tables
              if spec.meeting_id is None or t.meeting_id == spec.meeting_id]
    invited = max(tables, key=lambda t: t.meeting_id).invited if tables else facts.involved
    return table_blocked(spec.parties, invited)


def render_value(item: Item, decision: Decision, profile: Profile) -> Value:
    """The value a viewer gets for ``item`` under ``decision`` (never called for HIDDEN)."""
    if decision.level is Level.MASKED:
        return redacted(item, decision, profile)
    if decision.transform is not None and item.structured:
        return _address(item.structured, decision.transform)
    return item.body


def redacted(item: Item, decision: Decision, profile: Profile) -> Redacted:
    """The explained placeholder for a MASKED item."""
    return Redacted(
        category=_category_label(profile, item.category),
        provider=party_ref(profile, item.source_party),
        reason=decision.reason.text,
        article=decision.reason.article,
        code=decision.reason.code,
    )


def destroyed(item: Item, profile: Profile) -> Redacted:
    """The explained placeholder of an item a retention run destroyed: the day and the
    article of the rule it went under (``Vernietigd op {date} (bewaartermijn, {article})``),
    never an empty field (the ui-guide: empty means "no data")."""
    clocks = {c.id: c.article for c in profile.retention.clocks}
    rule = item.destroyed_rule
    return Redacted(
        category=_category_label(profile, item.category),
        provider=party_ref(profile, item.source_party),
        reason=DESTROYED_REASON,
        article=clocks.get(rule, rule) if rule is not None else "—",
        code="destroyed",
        destroyed_on=item.destroyed_on,
    )


def _category_label(profile: Profile, category: str) -> LocalText:
    try:
        return profile.data_category(category).name
    except ProfileError:
        return LocalText(category, category)


def _address(parts: dict[str, str], transform: str) -> str:
    postcode = f"{parts.get('postcode', '')} {parts.get('city', '')}".strip()
    if transform == "postcode":
        return postcode
    # "ter hoogte van": the number is a place on the street, not a household (seed 001).
    from app.i18n import _

    near = _("near {street} {number}").format(
        street=parts.get("street", ""), number=parts.get("number", ""))
    return f"{near}, {postcode}"


def opens_in_full(item: Item, decision: Decision) -> bool:
    """Whether :func:`item_views` opens the item's content: shown in full and not
    destroyed."""
    return decision.level is Level.FULL and item.destroyed_on is None


def item_views(
    items: Sequence[Item],
    facts: CaseFacts,
    ctx: PolicyContext,
    decider: Decider,
    persons: dict[int, Person],
    masked_out: list[tuple[Item, Decision]] | None = None,
    *,
    open_item: Opener,
) -> tuple[list[ItemView], list[tuple[Item, Decision]]]:
    """Views of the non-hidden items and the (item, decision) pairs shown FULL; the masked
    pairs go to ``masked_out`` when given.  Content is opened with ``open_item`` only for
    what shows in full; what the viewer's keys do not open shows as :data:`NO_KEY`."""
    profile = ctx.profile
    views: list[ItemView] = []
    full: list[tuple[Item, Decision]] = []
    masked: list[tuple[Item, Decision]] = []
    refs: dict[str, PartyRef] = {}
    labels: dict[str, LocalText] = {}
    decided = [(item, decider(item, facts, ctx)) for item in items]
    open_item.prime(i for i, d in decided if opens_in_full(i, d))
    for item, policy_decision in decided:
        decision = policy_decision
        if decision.level is Level.HIDDEN:
            continue
        if item.destroyed_on is not None:
            # Gone, not withheld: the placeholder says when and under which rule.  It is
            # neither shown in full (nothing is disclosed) nor masked (nothing to reassess).
            person = persons.get(item.person_id) if item.person_id is not None else None
            views.append(ItemView(
                item.id, _category_label(profile, item.category), item.category,
                party_ref(profile, item.source_party), person.label if person else None,
                item.field, destroyed(item, profile), item.provided_on, item.legal_basis,
                item.phase))
            continue
        shown_item = item
        if decision.level is Level.FULL:
            opened = open_item(item)
            if opened is None:
                decision = NO_KEY
            else:
                shown_item = opened
        ref = refs.get(item.source_party) or refs.setdefault(
            item.source_party, party_ref(profile, item.source_party))
        label = labels.get(item.category) or labels.setdefault(
            item.category, _category_label(profile, item.category))
        person = persons.get(item.person_id) if item.person_id is not None else None
        views.append(ItemView(
            item.id, label, item.category, ref, person.label if person else None,
            item.field, render_value(shown_item, decision, profile), item.provided_on,
            item.legal_basis, item.phase,
        ))
        if decision.level is Level.FULL:
            full.append((item, decision))
        else:
            masked.append((item, decision))
    if masked_out is not None:
        masked_out.extend(masked)
    return views, full


def person_views(
    persons: Sequence[Person], item_list: Sequence[ItemView], profile: Profile
) -> list[PersonView]:
    """Betrokkenen with their name as far as the viewer may see it."""
    names: dict[str, Value] = {}
    for view in item_list:
        if view.field == "name" and view.person_label is not None:
            names.setdefault(view.person_label, view.value)
    subject_names = {c.id: c.name for c in profile.subject_categories}
    return [
        PersonView(
            p.id, p.label, subject_names.get(p.category, LocalText(p.category, p.category)),
            names.get(p.label), p.informed_status, p.informed_on, p.review_on,
        )
        for p in persons
    ]


def consent_missing(facts: CaseFacts, persons: Sequence[Person], profile: Profile,
                    named: frozenset[str]) -> bool:
    """A party bound to consent takes part, and some betrokkene has given it no consent.

    Computed over ``named``, the parties this viewer may see named (see
    :func:`named_parties`), never from hidden items, so the flag betrays nothing the
    viewer may not know (OND 7.2).
    """
    secret_parties = [p for p in named
                      if profile.has_party(p) and profile.party(p).consent_required]
    for person in persons:
        for party in secret_parties:
            if not any(c.person_id == person.id and c.source_party == party
                       for c in facts.consents):
                return True
    return False


def named_parties(facts: CaseFacts, views: Sequence[ItemView]) -> frozenset[str]:
    """The parties a viewer may see named as involved: those involved other than through
    their items, and the providers of the items the viewer sees (FULL or MASKED).  A party
    that is only involved through items the viewer may not see stays unnamed: being a GGZ
    client or known to the police is itself sensitive (OND 7.2, ZVH 13.2)."""
    return facts.declared_parties() | {view.provider.id for view in views}


def reassessment_needed(facts: CaseFacts, shown: Sequence[tuple[Item, Decision]]) -> bool:
    """An item the viewer can see was provided in an earlier phase and has no grant for
    the current one (ZVH 3.5b)."""
    phase = facts.case.phase
    for item, decision in shown:
        if item.phase == phase:
            continue
        if decision.reason.code == "reassess":
            return True
        if not any(g.phase == phase and g.provider_party == item.source_party
                   and g.item_id in {None, item.id} for g in facts.grants):
            return True
    return False
