"""Builders for policy-engine tests: cases, items, grants, consents and the facts about them.

``facts_for`` mirrors ``app.policy.facts.load_facts``: the parties involved are those invited
in a meeting, action owners, item providers, the registering party, the casusregisseur's
party and the procesregisseur's party; ``item_grants`` holds the item ids of the live
(not revoked) item-specific grants.  Unlike the loader it keeps revoked grants and
withdrawn consents in the facts (the engine checks ``revoked`` and ``valid`` itself), so
tests can show that those flags are honoured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from app.domain.records import Case, Consent, Grant, Item
from app.domain.vocab import ItemKind
from app.policy.engine import CaseFacts, MeetingTable, PolicyContext
from app.profiles import IncidentClass, Profile, load_incident_classes

TODAY = dt.date(2025, 6, 15)
CASE_ID = 1
ADDRESS_PARTS = (("street", "Teststraat"), ("number", "1"), ("postcode", "3011 AA"),
                 ("city", "Rotterdam"))


def make_case(
    *,
    phase: str,
    registering_party: str,
    procesregisseur: str | None = None,
    casusregisseur: str | None = None,
    casusregisseur_party: str | None = None,
    closed_at: dt.date | None = None,
    case_id: int = CASE_ID,
) -> Case:
    """A case with harmless metadata (no real names anywhere)."""
    return Case(
        id=case_id,
        reference=f"TST-{case_id:04d}",
        phase=phase,
        registering_party=registering_party,
        procesregisseur=procesregisseur,
        casusregisseur=casusregisseur,
        casusregisseur_party=casusregisseur_party,
        themes=(),
        goal="goal",
        opened_at=dt.date(2024, 1, 10),
        closed_at=closed_at,
        close_reason=None,
        close_basis=None,
        updated_at="2024-01-10T00:00:00",
    )


def make_item(
    item_id: int,
    source_party: str,
    category: str,
    *,
    person_id: int | None = 1,
    kind: ItemKind = ItemKind.TEXT,
    incident_class: str | None = None,
    phase: str = "intake",
    field: str = "note",
    body: str = "body",
    case_id: int = CASE_ID,
    structured: dict[str, str] | None = None,
) -> Item:
    """An item of ``source_party`` in ``category``; an address item has its parts (street,
    number, postcode, city) unless ``structured={}`` says it has none."""
    if structured is None and kind is ItemKind.ADDRESS:
        structured = dict(ADDRESS_PARTS)
    return Item(
        id=item_id,
        case_id=case_id,
        person_id=person_id,
        kind=kind,
        field=field,
        body=body,
        structured=structured or None,
        source_party=source_party,
        category=category,
        phase=phase,
        legal_basis="basis",
        provided_on=dt.date(2024, 2, 1),
        incident_class=incident_class,
    )


def make_grant(
    grant_id: int,
    provider: str,
    recipient: str,
    *,
    item_id: int | None = None,
    category: str | None = None,
    phase: str | None = None,
    meeting_id: int | None = None,
    revoked: bool = False,
    case_id: int = CASE_ID,
) -> Grant:
    """A grant of ``provider`` to ``recipient``."""
    return Grant(
        id=grant_id,
        case_id=case_id,
        item_id=item_id,
        category=category,
        provider_party=provider,
        recipient_party=recipient,
        phase=phase,
        meeting_id=meeting_id,
        legal_basis="basis",
        revoked=revoked,
    )


def make_consent(
    consent_id: int,
    person_id: int,
    *,
    source_party: str | None,
    recipients: Iterable[str] = (),
    categories: Iterable[str] = (),
    withdrawn: bool = False,
    case_id: int = CASE_ID,
    given_on: dt.date = dt.date(2024, 3, 1),
    basis: str = "consent",
) -> Consent:
    """A consent of betrokkene ``person_id`` for ``source_party``'s data in ``categories``
    to ``recipients``; ``withdrawn`` sets a withdrawal date."""
    return Consent(
        id=consent_id,
        case_id=case_id,
        person_id=person_id,
        source_party=source_party,
        recipients=frozenset(recipients),
        categories=frozenset(categories),
        purpose="purpose",
        given_on=given_on,
        withdrawn_on=dt.date(2024, 4, 1) if withdrawn else None,
        basis=basis,
    )


def make_table(
    meeting_id: int,
    *,
    invited: Iterable[str],
    present: Iterable[str],
    notulist: str | None = None,
    chair: str | None = None,
    day: dt.date | None = None,
    closed: bool = False,
    preview: bool = False,
) -> MeetingTable:
    """Who sits at the table for the case in meeting ``meeting_id`` (on ``day``, by default
    the builders' today, so its preparation window is open)."""
    return MeetingTable(meeting_id, notulist, chair, frozenset(invited), frozenset(present),
                        TODAY if day is None else day, closed, preview)


def facts_for(
    case: Case,
    items: Iterable[Item] = (),
    *,
    grants: Iterable[Grant] = (),
    consents: Iterable[Consent] = (),
    tables: Iterable[MeetingTable] = (),
    action_owners: Iterable[str] = (),
    user_parties: Mapping[str, str] | None = None,
) -> CaseFacts:
    """CaseFacts as ``load_facts`` builds them (see the module docstring)."""
    grants = tuple(grants)
    tables = tuple(tables)
    involved: set[str] = set()
    for table in tables:
        involved |= table.invited
    involved |= set(action_owners)
    involved |= {item.source_party for item in items if not item.by_director}
    involved.add(case.registering_party)
    if case.casusregisseur_party:
        involved.add(case.casusregisseur_party)
    users = dict(user_parties or {})
    pr_party = users.get(case.procesregisseur) if case.procesregisseur else None
    return CaseFacts(
        case=case,
        involved=frozenset(involved),
        procesregisseur_party=pr_party,
        grants=grants,
        consents=tuple(consents),
        tables=tables,
        item_grants=frozenset(
            g.item_id for g in grants if g.item_id is not None and not g.revoked
        ),
    )


def incident_classes(source: str | None = None) -> dict[str, IncidentClass]:
    """Dagmonitor classes by code: of one seed (``"000"``/``"001"``), or merged the way
    ``app.services.redaction.context`` merges them (the last source wins per code)."""
    return {c.code: c for c in load_incident_classes() if source is None or c.source == source}


def context(
    profile: Profile,
    *,
    today: dt.date = TODAY,
    meeting_id: int | None = None,
    classes: dict[str, IncidentClass] | None = None,
) -> PolicyContext:
    """A policy context on ``today`` (by default outside any meeting)."""
    return PolicyContext(profile, today, meeting_id, classes if classes is not None else {})


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months back (day clamped to 28)."""
    total = day.year * 12 + day.month - 1 - months
    return dt.date(total // 12, total % 12 + 1, min(day.day, 28))
