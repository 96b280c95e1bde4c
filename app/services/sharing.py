"""Sharing and consent overviews for the case screen: what my party provided and to whom
it is shared, and which consents are on record (metadata, not content)."""

from __future__ import annotations

from app.policy.facts import load_facts
from app.services.cases import case_metadata_visible
from app.services.casework import get_case
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.store import repo
from app.views import CaseCapabilities, ConsentView, GrantView


def my_grants(session: Session, reference: str) -> list[GrantView]:
    """The grants the acting user's party made in this case."""
    case = get_case(session, reference)
    profile = profile_of(session)
    mine = session.user.party_id
    return [
        GrantView(g.id, g.item_id, g.category, party_ref(profile, g.recipient_party), g.phase,
                  g.meeting_id, g.revoked)
        for g in repo.grants_by_case(session.store.conn, [case.id]).get(case.id, [])
        if g.provider_party == mine
    ]


def consents(session: Session, reference: str) -> list[ConsentView]:
    """Consents recorded in a case (for users who may know the case)."""
    case = get_case(session, reference)
    conn = session.store.conn
    facts = load_facts(conn, [case])[case.id]
    if not case_metadata_visible(session, facts):
        return []
    profile = profile_of(session)
    labels = {p.id: p.label for p in repo.persons_by_case(conn, [case.id]).get(case.id, [])}
    return [
        ConsentView(c.id, labels.get(c.person_id, "?"),
                    party_ref(profile, c.source_party) if c.source_party else None,
                    party_ref(profile, c.recipient_party) if c.recipient_party else None,
                    c.category, c.purpose, c.given_on, c.withdrawn_on)
        for c in repo.consents_by_case(conn, [case.id]).get(case.id, [])
    ]


def capabilities(session: Session, reference: str, meeting_id: int | None = None
                 ) -> CaseCapabilities:
    """Which edit controls make sense for this user and case."""
    from app.domain.roles import Role

    case = get_case(session, reference)
    user = session.user
    director = user.role is Role.PROCESREGISSEUR and case.procesregisseur == user.username
    notulist = False
    if user.role is Role.NOTULIST and meeting_id is not None:
        row = session.store.conn.execute(
            "SELECT 1 FROM meetings m JOIN agenda a ON a.meeting_id = m.id"
            " WHERE m.id = ? AND a.case_id = ? AND m.notulist = ?",
            (meeting_id, case.id, user.username)).fetchone()
        notulist = row is not None
    casusregisseur = user.role is Role.CASUSREGISSEUR and case.casusregisseur == user.username
    contributor = user.role in {Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.DEELNEMER}
    return CaseCapabilities(
        record_joint=director or notulist or casusregisseur,
        share_own_items=contributor,
        record_consent=contributor,
        view_as_and_table=user.role is Role.PROCESREGISSEUR,
        own_party=user.party_id,
    )
