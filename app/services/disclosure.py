"""The disclosure register (verstrekkingenregister, ZVH 8.1).

Whenever FULL content of an item reaches a party other than its provider (on screen, in a
report or an export), one row is written here together with a chained audit entry: item,
providing party, receiving party, user, purpose (phase / processing activity), legal
basis, channel, time.  On screen, repeated views of the same item by the same party in one
session are logged once (the session remembers what it logged); reports and exports are
logged every time, with their document id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app import clock
from app.domain.records import Item
from app.policy.access import Action
from app.policy.engine import Decision
from app.profiles import Profile
from app.services import guard
from app.services.session import Session


@dataclass(frozen=True)
class DisclosureEntry:
    """One row of the register, as shown to a privacy officer."""

    item_id: int
    case_id: int
    provider_party: str
    recipient_party: str
    username: str
    purpose: str
    legal_basis: str
    channel: str
    document_id: str | None
    disclosed_at: str


def record(
    session: Session,
    shown: Iterable[tuple[Item, Decision]],
    recipients: Iterable[str],
    *,
    phase: str,
    profile: Profile,
    channel: str,
    document_id: str | None = None,
    trace_id: str | None = None,
) -> int:
    """Log every FULL item shown to a recipient party other than its provider.

    Must run inside a store transaction.  Returns the number of rows written.
    """
    store = session.store
    activity = profile.phase(phase).activity if phase in {p.id for p in profile.phases} else None
    now = clock.utc_now_iso()
    recipient_list = sorted(set(recipients))
    written = 0
    for item, decision in shown:
        for recipient in recipient_list:
            if recipient == item.source_party:
                continue
            # The register names the grant's legal basis and the necessity the provider
            # gave, not the item's own text (ZVH 8.1); without a grant to this recipient
            # (the case's director) the item's basis.
            grant = decision.grant
            if grant is not None and grant.recipient_party != recipient:
                grant = None
            basis = grant.legal_basis if grant is not None else item.legal_basis
            necessity = grant.necessity if grant is not None else ""
            key = (item.id, recipient, channel)
            if channel == "screen" and key in session.disclosed:
                continue
            seq = store.log(
                "disclosure", object_type="item", object_id=str(item.id),
                trace_id=trace_id, processing_activity_id=activity,
                data_subject_id=str(item.person_id) if item.person_id is not None else None,
                attributes={"provider": item.source_party, "recipient": recipient,
                            "legal_basis": basis, "channel": channel,
                            "grant": grant.id if grant is not None else None,
                            "document": document_id, "case": item.case_id},
            )
            store.conn.execute(
                "INSERT INTO disclosures(audit_seq, item_id, case_id, provider_party,"
                " recipient_party, username, purpose, legal_basis, channel, document_id,"
                " disclosed_at, grant_id, necessity) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (seq, item.id, item.case_id, item.source_party, recipient,
                 store.user.username, activity or phase, basis, channel,
                 document_id, now, grant.id if grant is not None else None, necessity),
            )
            if channel == "screen":
                session.disclosed.add(key)
            written += 1
    return written


def entries(session: Session, *, item_id: int | None = None) -> list[DisclosureEntry]:
    """Register rows (privacy officer, beheerder), newest first."""

    guard.authorize(session, Action.READ_REGISTER)
    sql = ("SELECT item_id, case_id, provider_party, recipient_party, username, purpose,"
           " legal_basis, channel, document_id, disclosed_at FROM disclosures")
    params: tuple[object, ...] = ()
    if item_id is not None:
        sql += " WHERE item_id = ?"
        params = (item_id,)
    rows = session.store.conn.execute(sql + " ORDER BY id DESC", params).fetchall()
    return [DisclosureEntry(*row) for row in rows]
