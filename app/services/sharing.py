"""Sharing and consent overviews for the case screen: what my party provided and to whom
it is shared, and which consents are on record (metadata, not content)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain import repo
from app.policy.facts import load_facts
from app.services.cases import case_metadata_visible
from app.services.casework import get_case
from app.services.reading import party_ref, profile_of
from app.services.session import Session
from app.services.views import PartyRef


@dataclass(frozen=True)
class GrantView:
    """A grant of my party: to whom, for which phase or meeting, and whether revoked."""

    grant_id: int
    item_id: int | None
    category: str | None
    recipient: PartyRef
    phase: str | None
    meeting_id: int | None
    revoked: bool


@dataclass(frozen=True)
class ConsentView:
    """A consent on record for a betrokkene (who, from which source, to whom, status)."""

    consent_id: int
    person_label: str
    source: PartyRef | None
    recipient: PartyRef | None
    category: str | None
    purpose: str
    given_on: dt.date
    withdrawn_on: dt.date | None


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
