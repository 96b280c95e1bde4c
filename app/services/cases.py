"""Read services over cases: the case view and the case list, redacted per viewer.

Each call logs the read in the audit trail and FULL disclosures to other parties in the
disclosure register.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterable, Mapping

from app.domain.records import Case, Item
from app.domain.roles import SUPPORT_ROLES
from app.errors import InputError
from app.i18n import N_, _
from app.policy.access import Action
from app.policy.engine import CaseFacts, Decision, PolicyContext
from app.policy.facts import load_facts
from app.profiles import LocalText, Profile, ProfileError
from app.services import disclosure, guard
from app.services.joint_history import Corrected, joint_views, load_corrected
from app.services.redaction import (
    Decider,
    blocked_parties,
    consent_missing,
    content_shown,
    context,
    decider_for,
    item_views,
    joint_scope_for,
    joint_visible,
    named_parties,
    nobody_at_table,
    opener,
    opens_in_full,
    party_ref,
    person_views,
    profile_of,
    reassessment_needed,
    unknown_to_party,
)
from app.services.session import Session
from app.store import joint_keys, repo
from app.store.audit import new_trace_id
from app.store.connection import Connection
from app.views import (
    CaseFlags,
    CaseRowView,
    CaseView,
    PartyRef,
    PhaseStep,
    PlanView,
    ViewKind,
    ViewSpec,
)


def _phase_label(profile: Profile, phase: str) -> LocalText:
    try:
        return profile.phase(phase).name
    except ProfileError:
        return LocalText(phase, phase)


def _reference_of(conn: Connection, case_id: int | None) -> str | None:
    if case_id is None:
        return None
    row = conn.execute("SELECT reference FROM cases WHERE id = ?", (case_id,)).fetchone()
    return str(row[0]) if row else None


def _user_names(session: Session) -> dict[str, str]:
    return repo.display_names(session.store.conn)


def _recipients(session: Session, spec: ViewSpec) -> set[str]:
    """Who receives what a view shows: the user's party, and the parties looked as or at
    the table.  "View as" is the chair showing a party its view, often on a shared
    screen, so that party is registered as a recipient too (ZVH 8.1)."""
    recipients = {session.user.party_id}
    if spec.kind is not ViewKind.SELF:
        recipients |= spec.parties
    return recipients


def show_case(
    session: Session,
    reference: str,
    spec: ViewSpec | None = None,
    *,
    today: dt.date | None = None,
) -> CaseView:
    """The case as the viewer (or the party / table in ``spec``) may see it.

    Raises ``case.unknown`` both for a missing case and for one the user may not know of,
    so the answer does not betray that a case exists.
    """
    spec = spec or ViewSpec()
    spec = guard.checked_spec(session, spec)
    store = session.store
    case = repo.case_by_reference(store.conn, reference)
    facts = load_facts(store.conn, [case]).get(case.id) if case else None
    if case is None or facts is None or not guard.may(session, Action.READ, facts):
        raise InputError("case.unknown", N_("No case with this reference is available to you."))
    ctx = context(session, spec.meeting_id, today)
    view, shown = build_case_view(session, case, facts, ctx, spec)
    trace = new_trace_id()
    with store.transaction():
        store.log("case.read", object_type="case", object_id=case.reference, trace_id=trace,
                  processing_activity_id=ctx.profile.phase(case.phase).activity
                  if case.phase in {p.id for p in ctx.profile.phases} else None,
                  attributes={"view": spec.kind, "parties": sorted(spec.parties),
                              "content": view.content_visible})
        disclosure.record(session, shown, _recipients(session, spec), phase=case.phase,
                          profile=ctx.profile, channel="screen", trace_id=trace)
    return view


def build_case_view(
    session: Session,
    case: Case,
    facts: CaseFacts,
    ctx: PolicyContext,
    spec: ViewSpec,
    *,
    decider: Decider | None = None,
    bundle: repo.CaseBundle | None = None,
    names: dict[str, str] | None = None,
    corrected: Corrected | None = None,
    plans: Mapping[int, joint_keys.PlanRow] | None = None,
) -> tuple[CaseView, list[tuple[Item, Decision]]]:
    """Build the view of one case (no logging); returns the FULL items for the register.
    ``bundle``, ``corrected`` and ``plans``: the case's rows loaded with those of other
    cases."""
    profile = ctx.profile
    conn = session.store.conn
    names = names if names is not None else _user_names(session)
    blocked = blocked_parties(spec, facts)
    empty = nobody_at_table(spec)
    unknown = unknown_to_party(spec, facts)
    content = content_shown(session, spec, facts)
    base = {
        "case_id": case.id,
        "reference": case.reference,
        "phase": _phase_label(profile, case.phase),
        "phase_id": case.phase,
        "registering_party": party_ref(profile, case.registering_party),
        "procesregisseur": names.get(case.procesregisseur or ""),
        "casusregisseur": names.get(case.casusregisseur or ""),
        "casusregisseur_party": (party_ref(profile, case.casusregisseur_party)
                                 if case.casusregisseur_party else None),
        "themes": case.themes,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "viewer": _viewer_label(session, spec),
        "parties": tuple(party_ref(profile, p) for p in sorted(facts.declared_parties())),
        "blocked_by": tuple(party_ref(profile, p) for p in sorted(blocked)),
        "nobody_at_table": empty,
        "unknown_to_party": unknown,
    }
    if blocked or empty or unknown:
        # While an uninvited party is in the room nothing about the case is shown beyond
        # its reference and phase: not even who registered it or its themes (ZVH 13.2).
        base.update(registering_party=PartyRef("", LocalText("—", "—")),
                    procesregisseur=None, casusregisseur=None, casusregisseur_party=None,
                    themes=(), parties=())
    if not content:
        return CaseView(content_visible=False, **base), []  # type: ignore[arg-type]
    decide_item = decider or decider_for(session, spec)
    if bundle is None:
        bundle = repo.load_bundles(conn, [case.id]).get(case.id, repo.CaseBundle())
    persons = bundle.persons
    person_index = {p.id: p for p in persons}
    masked: list[tuple[Item, Decision]] = []
    views, shown = item_views(bundle.items, facts, ctx, decide_item, person_index, masked,
                              open_item=opener(session))
    joint = joint_visible(session, spec, facts, ctx)
    today = ctx.today
    extra: dict[str, object] = {}
    if joint:
        scope = joint_scope_for(session, spec, facts)
        plan = plan_texts(session, case.id, plans.get(case.id) if plans else None)
        extra = {
            "goal": plan["goal"],
            # Current rows only, corrections marked (issue 13, point 7).
            **joint_views(conn, case.id, bundle, profile, scope, today, corrected),
            "plan": PlanView(plan["plan_problem"], plan["plan_monitoring"],
                             plan["plan_informing"], plan["plan_exit_criteria"]),
            "follows": _reference_of(conn, case.follows_case_id),
        }
    # The note of a phase change is the table's (schema 18): only with the joint record.
    history = tuple(PhaseStep(_phase_label(profile, ph), ph, at, note if joint else "")
                    for ph, at, note in bundle.history)
    named = named_parties(facts, views)
    base["parties"] = tuple(party_ref(profile, p) for p in sorted(named))
    view = CaseView(
        content_visible=True,
        phase_history=history,
        persons=tuple(person_views(persons, views, profile)),
        items=tuple(views),
        flags=CaseFlags(consent_missing(facts, persons, profile, named),
                        reassessment_needed(facts, shown + masked)),
        **base,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )
    return view, shown


def plan_texts(session: Session, case_id: int,
               row: joint_keys.PlanRow | None = None) -> dict[str, str]:
    """The case goal and the plan van aanpak's texts as the acting user's keys open them
    (schema 15); each one the placeholder when they hold no key to them.  ``row``: the
    stored plan, loaded with those of other cases."""
    plan = joint_keys.plan_of(session.store.keyring, session.store.conn, case_id, row)
    if plan is None:
        return dict.fromkeys(joint_keys.PLAN_FIELDS, _(joint_keys.NOT_READABLE))
    return plan


def _viewer_label(session: Session, spec: ViewSpec) -> str:
    if spec.kind is ViewKind.TABLE:
        return "table:" + ",".join(sorted(spec.parties))
    if spec.kind is ViewKind.AS_PARTY:
        return "as:" + ",".join(sorted(spec.parties))
    return f"{session.user.role.value}@{session.user.party_id}"


def list_cases(session: Session, *, today: dt.date | None = None) -> list[CaseRowView]:
    """The cases the acting user may know of, with names as far as they may see them."""
    store = session.store
    all_cases = repo.cases(store.conn)
    facts = load_facts(store.conn, all_cases)
    visible = [c for c in all_cases if guard.may(session, Action.READ, facts[c.id])]
    shown: list[tuple[Item, Decision]] = []
    rows = case_rows(session, visible, facts, ViewSpec(), today=today, shown=shown)
    with store.transaction():
        store.log("case.list", attributes={"count": len(rows)})
        record_names(session, shown, facts, ViewSpec())
    return rows


def record_names(session: Session, shown: list[tuple[Item, Decision]],
                 facts: dict[int, CaseFacts], spec: ViewSpec) -> None:
    """Register the names a list showed in full to other parties (ZVH 8.1)."""
    profile = profile_of(session)
    for case_id in {item.case_id for item, _d in shown}:
        disclosure.record(session, [(i, d) for i, d in shown if i.case_id == case_id],
                          _recipients(session, spec), phase=facts[case_id].case.phase,
                          profile=profile, channel="screen")


def case_rows(
    session: Session,
    cases: Iterable[Case],
    facts: dict[int, CaseFacts],
    spec: ViewSpec,
    *,
    today: dt.date | None = None,
    meeting_id: int | None = None,
    shown: list[tuple[Item, Decision]] | None = None,
) -> list[CaseRowView]:
    """Display rows for cases (no logging; callers log the read and record the names
    shown in full, which are collected in ``shown``)."""
    ctx = context(session, meeting_id, today)
    profile = ctx.profile
    conn = session.store.conn
    case_list = list(cases)
    ids = [c.id for c in case_list]
    name_items = repo.name_items_by_case(conn, ids)
    persons = repo.persons_by_case(conn, ids)
    counts = repo.open_action_counts(conn, ids, ctx.today)
    decide_item = decider_for(session, spec)
    open_item = opener(session)
    support = session.user.role in SUPPORT_ROLES
    empty = nobody_at_table(spec)
    if not support and not empty:
        # The keys of every name item in a few queries, not one per row; only what the
        # policy shows in full below is opened with them.
        open_item.prime(i for c in case_list for i in name_items.get(c.id, ()))
    rows = []
    for case in case_list:
        f = facts[case.id]
        content = not support and not empty and not blocked_parties(spec, f)
        name = None
        if content:
            for item in name_items.get(case.id, []):
                views, full = item_views([item], f, ctx, decide_item, {}, open_item=open_item)
                if views:
                    name = views[0].value
                    if shown is not None:
                        shown.extend(full)
                    break
        joint = content and joint_visible(session, spec, f, ctx)
        open_, overdue = counts.get(case.id, (0, 0)) if joint else (0, 0)
        rows.append(CaseRowView(
            case.id, case.reference, name, _phase_label(profile, case.phase), case.phase,
            party_ref(profile, case.casusregisseur_party) if case.casusregisseur_party
            else None, int(open_ or 0), int(overdue or 0),
            CaseFlags(consent_missing(f, persons.get(case.id, []), profile,
                                      f.declared_parties()), False)
            if content else CaseFlags(),
            case.updated_at, content,
        ))
    return rows


def party_refs(session: Session) -> list[PartyRef]:
    """All parties of the covenant (for choosers)."""
    profile = profile_of(session)
    return [PartyRef(p.id, p.name) for p in profile.parties]



def case_views(
    session: Session,
    cases: Iterable[Case] | None,
    spec: ViewSpec,
    *,
    today: dt.date | None = None,
    copy: bool = False,
) -> list[tuple[CaseView, list[tuple[Item, Decision]]]]:
    """Views of many cases at once (reports, exports, bench): bulk loads, one decider.
    ``copy``: the views go into a copy the recipient keeps (a report for one party).

    No logging here: callers log the read and the disclosures for their channel.
    """
    # Building views of a whole store allocates hundreds of thousands of small objects and
    # no reference cycles; the cyclic collector would rescan them again and again (measured:
    # a third of the time), so it pauses for the duration.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _case_views(session, cases, spec, today, copy)
    finally:
        if paused:
            gc.enable()


def _case_views(
    session: Session,
    cases: Iterable[Case] | None,
    spec: ViewSpec,
    today: dt.date | None,
    copy: bool,
) -> list[tuple[CaseView, list[tuple[Item, Decision]]]]:
    conn = session.store.conn
    case_list = repo.cases(conn) if cases is None else list(cases)
    facts = load_facts(conn, case_list)
    every = cases is None
    keyring = session.store.keyring
    # One look: the keys of the cases' joint records are opened together, before the
    # bundles read their words.
    with keyring.looking() if keyring is not None else contextlib.nullcontext():
        if keyring is not None:
            joint_keys.prime(keyring, conn, [c.id for c in case_list])
        bundles = repo.load_bundles(conn, None if every else [c.id for c in case_list])
        ctx = context(session, spec.meeting_id, today, copy=copy)
        decide_item = decider_for(session, spec)
        names = _user_names(session)
        readable = [c for c in case_list if guard.may(session, Action.READ, facts[c.id])]
        # The corrections of every case in a few queries, not four per case.
        corrected = load_corrected(conn, [c.id for c in readable])
        plans = joint_keys.plan_rows(conn, [c.id for c in readable])
        if keyring is not None and len(readable) > 1:
            decide_item = _decided_ahead(session, spec, readable, facts, bundles, ctx,
                                         decide_item)
        return [build_case_view(session, case, facts[case.id], ctx, spec,
                                decider=decide_item,
                                bundle=bundles.get(case.id, repo.CaseBundle()), names=names,
                                corrected=corrected, plans=plans)
                for case in readable]


def _decided_ahead(session: Session, spec: ViewSpec, cases: list[Case],
                   facts: Mapping[int, CaseFacts], bundles: Mapping[int, repo.CaseBundle],
                   ctx: PolicyContext, decide: Decider) -> Decider:
    """Decide the items of every case whose content the view shows, then open the keys of
    those shown in full in one query per thousand items (not one per case: 2.1 s of a
    first look at every case of the 10k bench store).  The decider returned hands out
    these decisions once each, so :func:`item_views` neither decides again nor asks for
    keys (issue 9).  Keys are opened only for items the policy shows in full, as before.
    """
    decided: dict[int, Decision] = {}
    full: list[Item] = []
    for case in cases:
        case_facts = facts[case.id]
        if not content_shown(session, spec, case_facts):
            continue
        bundle = bundles.get(case.id)
        for item in bundle.items if bundle is not None else ():
            decision = decided[item.id] = decide(item, case_facts, ctx)
            if opens_in_full(item, decision):
                full.append(item)
    opener(session).prime(full)

    def take(item: Item, case_facts: CaseFacts, item_ctx: PolicyContext) -> Decision:
        hit = decided.pop(item.id, None) if item_ctx is ctx else None
        return hit if hit is not None else decide(item, case_facts, item_ctx)

    return take
