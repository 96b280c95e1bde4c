"""The inbox of a party: what changed about data it received (ZVH 13.7; WO 7.2, ZVH 9.5,
10.1).  A notice stays until a user of the party acknowledges it; reading and acknowledging
are in the audit trail."""

from __future__ import annotations

from app import clock
from app.errors import InputError
from app.i18n import N_
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.views import NoticeView


def inbox(session: Session) -> list[NoticeView]:
    """The unacknowledged notices of the acting user's party, newest first."""
    profile = profile_of(session)
    rows = session.store.conn.execute(
        "SELECT n.id, c.reference, n.kind, n.source_party, n.created_at FROM notices n"
        " JOIN cases c ON c.id = n.case_id WHERE n.party_id = ? AND n.acknowledged_at IS NULL"
        " ORDER BY n.id DESC", (session.user.party_id,)).fetchall()
    return [NoticeView(nid, ref, kind, party_ref(profile, source), at)
            for nid, ref, kind, source, at in rows]


def acknowledge(session: Session, notice_id: int) -> None:
    """Mark a notice of the user's party as read; another party's notice is unknown."""
    store = session.store
    row = store.conn.execute("SELECT party_id, acknowledged_at FROM notices WHERE id = ?",
                             (notice_id,)).fetchone()
    if row is None or row[0] != session.user.party_id:
        raise InputError("notice.unknown", N_("No such notice."), {})
    if row[1] is not None:
        return
    with store.transaction():
        store.conn.execute(
            "UPDATE notices SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?",
            (clock.utc_now_iso(), session.user.username, notice_id))
        store.log("notice.acknowledge", object_type="notice", object_id=str(notice_id))
