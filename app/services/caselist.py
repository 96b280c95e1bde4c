"""The case list for large stores: ordered, filtered ids from SQL, display rows by page.

The set of visible ids mirrors the READ rules of :mod:`app.policy.access` in SQL so
a 10,000-case store is never loaded whole; a test checks that both agree.  Filtering is on
reference, phase and theme only: filtering on names would let a viewer probe names that
the policy hides from them.
"""

from __future__ import annotations

from app.domain.records import Item
from app.domain.roles import SUPPORT_ROLES, Role
from app.policy.access import Action
from app.policy.engine import Decision
from app.policy.facts import load_facts
from app.services import guard
from app.services.cases import case_rows, record_names
from app.services.session import Session
from app.store import repo
from app.views import CaseRowView, ViewSpec

SORT_COLUMNS = {"reference": "c.reference", "phase": "c.phase", "updated": "c.updated_at"}


def visible_case_ids(session: Session, *, sort: str = "reference", descending: bool = False,
                     text: str = "") -> list[int]:
    """Ids of the cases the user may know of, sorted and filtered in SQL (logged)."""
    ids = known_case_ids(session, sort=sort, descending=descending, text=text)
    with session.store.transaction():
        session.store.log("case.list", attributes={"count": len(ids), "sort": sort})
    return ids


def known_case_ids(session: Session, *, sort: str = "reference", descending: bool = False,
                   text: str = "") -> list[int]:
    """The same ids without an audit entry, for counts that callers log themselves."""
    user = session.user
    where: list[str] = []
    params: list[object] = []
    if user.role is Role.PROCESREGISSEUR:
        where.append("c.procesregisseur = ?")
        params.append(user.username)
    elif user.role is Role.NOTULIST:
        where.append("c.id IN (SELECT a.case_id FROM agenda a JOIN meetings m"
                     " ON m.id = a.meeting_id WHERE m.notulist = ?)")
        params.append(user.username)
    elif user.role not in SUPPORT_ROLES:
        # Involvement, as in app.policy.facts.load_facts.
        where.append(
            "(c.registering_party = ? OR c.casusregisseur_party = ?"
            " OR c.id IN (SELECT case_id FROM invitations WHERE party_id = ? AND invited)"
            " OR c.id IN (SELECT case_id FROM actions WHERE owner_party = ?"
            " AND superseded_by IS NULL)"
            " OR c.id IN (SELECT i.case_id FROM items i JOIN cases k ON k.id = i.case_id"
            "             WHERE i.source_party = ? AND i.created_by IS NOT k.procesregisseur))")
        params += [user.party_id] * 5
    if text.strip():
        where.append("(c.reference LIKE ? OR c.phase LIKE ? OR c.themes LIKE ?)")
        pattern = f"%{text.strip()}%"
        params += [pattern] * 3
    order = SORT_COLUMNS.get(sort, "c.reference")
    sql = "SELECT c.id FROM cases c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} {'DESC' if descending else 'ASC'}, c.id"
    return [int(r[0]) for r in session.store.conn.execute(sql, params)]


def rows_for_ids(session: Session, ids: list[int]) -> list[CaseRowView]:
    """Display rows for a page of ids (checked again against the policy)."""
    conn = session.store.conn
    cases = repo.cases(conn, ids)
    facts = load_facts(conn, cases)
    visible = [c for c in cases if guard.may(session, Action.READ, facts[c.id])]
    shown: list[tuple[Item, Decision]] = []
    rows = case_rows(session, visible, facts, ViewSpec(), shown=shown)
    if shown:
        with session.store.transaction():
            record_names(session, shown, facts, ViewSpec())
    return rows
