"""Sharing and consent overviews for the case screen: what my party provided and to whom
it is shared, and which consents are on record (metadata, not content)."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.vocab import ConsentBasis
from app.policy import access
from app.policy.access import Action
from app.policy.consent_view import shows_consent
from app.policy.facts import load_facts
from app.services import guard
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.store import repo
from app.store.joint_keys import field_sql
from app.views import CaseCapabilities, ConsentView, GrantView


def my_grants(session: Session, reference: str) -> list[GrantView]:
    """The grants the acting user's party made in this case."""
    case, _facts = guard.case_for(session, reference, Action.READ)
    profile = profile_of(session)
    mine = session.user.party_id
    conn = session.store.conn
    grants = [g for g in repo.grants_by_case(conn, [case.id]).get(case.id, [])
              if g.provider_party == mine]
    meetings = {m.id: m for m in repo.meetings(
        conn, sorted({g.meeting_id for g in grants if g.meeting_id is not None}))}
    phases = {p.id: p.name for p in profile.phases}
    categories = {c.id: c.name for c in profile.data_categories}
    return [
        GrantView(g.id, g.item_id, g.category, party_ref(profile, g.recipient_party), g.phase,
                  g.meeting_id, g.revoked,
                  phase_name=phases.get(g.phase or ""),
                  category_name=categories.get(g.category or ""),
                  meeting_at=meetings[g.meeting_id].starts_at
                  if g.meeting_id in meetings else None,
                  meeting_place=meetings[g.meeting_id].place
                  if g.meeting_id in meetings else "")
        for g in grants
    ]


def consents(session: Session, reference: str, named: Iterable[str] | None = None
             ) -> list[ConsentView]:
    """The consents of a case the acting user has to do with: those of their own party's
    data and those naming their party as recipient; the case's director sees them all.
    A consent whose source party is not in ``named`` (the parties this user may see named,
    :attr:`CaseView.parties`) is left out: it would say that party holds data on the
    person (OND 7.2, ZVH 13.2)."""
    conn = session.store.conn
    case = repo.case_by_reference(conn, reference)
    if case is None:
        raise guard.unknown_case()
    facts = load_facts(conn, [case])[case.id]
    if not guard.may(session, Action.READ, facts):
        return []
    me = guard.actor(session)
    director = guard.may(session, Action.DIRECT, facts)
    own = session.user.party_id
    visible = None if named is None else frozenset(named)
    profile = profile_of(session)
    labels = {p.id: p.label for p in repo.persons_by_case(conn, [case.id]).get(case.id, [])}
    # The purpose is under the consent's row key (schema 18), sealed by the same rule.
    purposes = dict(conn.execute(
        "SELECT id, " + field_sql("consent", "purpose") + " FROM consents WHERE case_id = ?",
        (case.id,)).fetchall())
    shown = []
    for c in repo.consents_by_case(conn, [case.id]).get(case.id, []):
        if c.source_party is None or not shows_consent(me, c, facts, visible):
            continue
        shown.append(ConsentView(
            c.id, labels.get(c.person_id, "?"), party_ref(profile, c.source_party),
            tuple(party_ref(profile, p) for p in sorted(c.recipients)),
            tuple(sorted(c.categories)), str(purposes.get(c.id, "")), ConsentBasis(c.basis),
            c.given_on, c.withdrawn_on, withdrawable=c.withdrawn_on is None and (
                director or c.source_party == own)))
    return shown


def capabilities(session: Session, reference: str, meeting_id: int | None = None
                 ) -> CaseCapabilities:
    """Which edit controls make sense for this user and case
    (:func:`app.policy.access.capabilities`; the services check every action again)."""
    conn = session.store.conn
    case = repo.case_by_reference(conn, reference)
    if case is None:
        raise guard.unknown_case()
    facts = load_facts(conn, [case])[case.id]
    allowed = access.capabilities(guard.actor(session), facts, meeting_id)
    return CaseCapabilities(
        record_joint=Action.RECORD_JOINT in allowed,
        share_own_items=Action.CONTRIBUTE in allowed,
        record_consent=Action.CONTRIBUTE in allowed or Action.DIRECT in allowed,
        view_as_and_table=Action.VIEW_AS in allowed,
        own_party=session.user.party_id,
        act_for_providers=Action.DIRECT in allowed,
    )
