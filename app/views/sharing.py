"""Sharing and consent on a case screen (metadata, not content), and what the acting
user may do there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.views.values import PartyRef, safe_repr


@dataclass(frozen=True, repr=False)
class GrantView:
    """A grant of my party: to whom, for which phase or meeting, and whether revoked."""

    grant_id: int
    item_id: int | None
    category: str | None
    recipient: PartyRef
    phase: str | None
    meeting_id: int | None
    revoked: bool

    def __repr__(self) -> str:
        return safe_repr(self, "grant_id", "item_id", "revoked")


@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        return safe_repr(self, "consent_id", "person_label")


@dataclass(frozen=True)
class CaseCapabilities:
    """What the acting user may do on a case screen, from
    :func:`app.policy.access.capabilities` (the services enforce it again)."""

    record_joint: bool
    share_own_items: bool
    record_consent: bool
    view_as_and_table: bool
    own_party: str
