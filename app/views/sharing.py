"""Sharing and consent on a case screen (metadata, not content), and what the acting
user may do there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.vocab import ConsentBasis
from app.profiles import LocalText
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
    # Names for the screen, so no raw id is shown (issue 13, point 9): the phase's and the
    # category's names, and the meeting's date and place.
    phase_name: LocalText | None = None
    category_name: LocalText | None = None
    meeting_at: dt.datetime | None = None
    meeting_place: str = ""

    def __repr__(self) -> str:
        return safe_repr(self, "grant_id", "item_id", "revoked")


@dataclass(frozen=True, repr=False)
class ConsentView:
    """A consent on record for a betrokkene, or the ground recorded instead (ZVH 7.2):
    whose data, to whom, which categories, on which basis, since and until when."""

    consent_id: int
    person_label: str
    source: PartyRef
    recipients: tuple[PartyRef, ...]
    categories: tuple[str, ...]
    purpose: str
    basis: ConsentBasis
    given_on: dt.date
    withdrawn_on: dt.date | None
    # The acting user may withdraw it: the source party or the case's director.
    withdrawable: bool = False

    def __repr__(self) -> str:
        return safe_repr(self, "consent_id", "person_label")


@dataclass(frozen=True, repr=False)
class NoticeView:
    """A notice to the user's party: data it received changed or may no longer be used
    (consent withdrawn, ZVH 13.7; item corrected, WO 7.2, ZVH 9.5, 10.1).  It names the
    case, the kind and whose data, never content."""

    notice_id: int
    case_ref: str
    kind: str
    source: PartyRef
    created_at: str

    def __repr__(self) -> str:
        return safe_repr(self, "notice_id", "kind")


@dataclass(frozen=True)
class CaseCapabilities:
    """What the acting user may do on a case screen, from
    :func:`app.policy.access.capabilities` (the services enforce it again)."""

    record_joint: bool
    share_own_items: bool
    record_consent: bool
    view_as_and_table: bool
    own_party: str
    # The case's director may record and withdraw consents on a provider's behalf.
    act_for_providers: bool = False
