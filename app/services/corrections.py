"""Correcting and completing an item, by its provider (WO 7.2, ZVH 9.5, 10.1).

A correction is a new version of the item: the earlier version stays in the store for the
audit (encrypted, its keys kept in line like every item's) and is shown to nobody; the
current one is shown in its place.  Every party that received an earlier version (the
disclosure register knows) gets a notice in its inbox until a user of it acknowledges it;
no other party learns of the correction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from app import clock
from app.domain.records import Item
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.services import guard, vouch_items
from app.services.session import Session
from app.store import repo


def _own_item(session: Session, item_id: int) -> tuple[Item, str]:
    conn = session.store.conn
    item = repo.item_by_id(conn, item_id)
    # Not found, not the provider, or already replaced: one answer, so that nobody learns
    # of another party's item by its number.
    unknown = InputError("item.unknown", N_("No such item of your party."), {})
    if item is None or item.superseded_by is not None:
        raise unknown
    case = repo.cases(conn, [item.case_id])[0]
    mine = (case.procesregisseur == session.user.username if item.by_director
            else item.source_party == session.user.party_id)
    if not mine:
        raise unknown
    guard.case_for(session, case.reference, Action.CONTRIBUTE)
    return item, case.reference


def versions(session: Session, item_id: int) -> list[int]:
    """The ids of the item's earlier versions, oldest first (for the audit)."""
    conn = session.store.conn
    chain: list[int] = []
    current = item_id
    while True:
        row = conn.execute("SELECT id FROM items WHERE superseded_by = ?", (current,)).fetchone()
        if row is None:
            return list(reversed(chain))
        current = int(row[0])
        chain.append(current)


def correct_item(
    session: Session,
    item_id: int,
    *,
    body: str,
    note: str,
    structured: Mapping[str, str] | None = None,
    category: str | None = None,
    legal_basis: str | None = None,
    provided_on: dt.date | None = None,
) -> int:
    """Replace the provider's item by a corrected or completed version; returns the new
    item's id.  ``note`` says what was corrected (kept with the old version, not shown to
    the recipients).  Grants on the item carry over to the new version; the parties that
    received an earlier version get a notice."""
    old, reference = _own_item(session, item_id)
    if not body.strip():
        raise InputError("item.empty", N_("An information item must not be empty."), {})
    if not note.strip():
        raise InputError("correction.note", N_("Say what the correction changes."), {})
    store = session.store
    conn = store.conn
    chain = [*versions(session, old.id), old.id]
    with store.transaction():
        cur = conn.execute(
            "INSERT INTO items(case_id, person_id, kind, field, body, structured, source_party,"
            " category, phase, legal_basis, provided_on, incident_class, created_by,"
            " by_director) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (old.case_id, old.person_id, old.kind.value, old.field, body,
             json.dumps(dict(structured)) if structured else None, old.source_party,
             category or old.category, old.phase, legal_basis or old.legal_basis,
             (provided_on or clock.today()).isoformat(), old.incident_class,
             session.user.username, int(old.by_director)))
        new_id = int(cur.lastrowid)
        conn.execute("UPDATE items SET superseded_by = ?, correction_note = ? WHERE id = ?",
                     (new_id, note.strip(), old.id))
        for grant_id, in conn.execute(
                "SELECT id FROM grants WHERE item_id = ? AND revoked_at IS NULL",
                (old.id,)).fetchall():
            _carry_grant(session, grant_id, new_id, reference)
        told = [p for p, in conn.execute(
            "SELECT DISTINCT recipient_party FROM disclosures WHERE item_id IN"
            " (SELECT value FROM json_each(?)) AND recipient_party != ? ORDER BY 1",
            (json.dumps(chain), old.source_party))]
        now = clock.utc_now_iso()
        conn.executemany(
            "INSERT INTO notices(party_id, case_id, kind, object_id, source_party, created_at)"
            " VALUES (?,?,'item_corrected',?,?,?)",
            [(party, old.case_id, new_id, old.source_party, now) for party in told])
        store.mark_case(old.case_id)
        store.log("item.correct", object_type="item", object_id=str(new_id),
                  data_subject_id=str(old.person_id) if old.person_id else None,
                  attributes={"case": reference, "replaces": old.id, "told": len(told),
                              "facts": vouch_items.facts_attribute(store, new_id)})
    return new_id


def _carry_grant(session: Session, grant_id: int, new_item: int, reference: str) -> None:
    # A new grant row with its own signed grant.add entry: the key work counts only
    # grants the chain vouches for (ZVH 3.5d).
    conn = session.store.conn
    cur = conn.execute(
        "INSERT INTO grants(case_id, item_id, category, provider_party, recipient_party,"
        " phase, meeting_id, legal_basis, granted_by, granted_at, necessity, take_away)"
        " SELECT case_id, ?, category, provider_party, recipient_party, phase, meeting_id,"
        " legal_basis, ?, ?, necessity, take_away FROM grants WHERE id = ?",
        (new_item, session.user.username, clock.utc_now_iso(), grant_id))
    row = conn.execute(
        "SELECT recipient_party, category, phase, meeting_id FROM grants WHERE id = ?",
        (cur.lastrowid,)).fetchone()
    # The old grant stays: the earlier version is shown to nobody, and its recipients keep
    # only the key they already had.
    session.store.log("grant.add", object_type="grant", object_id=str(cur.lastrowid),
                      attributes={"case": reference, "recipient": row[0], "item": new_item,
                                  "category": row[1], "phase": row[2], "meeting": row[3],
                                  "carried_from": grant_id})
