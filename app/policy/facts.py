"""Loading the facts the policy needs, in bulk (one query per kind for any number of cases).

The app's views trust the rows (they are the honest app's own).  The key work does not:
it passes a :class:`Vouched`, the facts a validly signed audit entry stands for
(:mod:`app.services.vouch`).  Who directs a case and chairs or minutes a meeting is
taken from the signed facts; a seat, an invitation or a preview counts only where the
rows and the signed facts agree.  A forged row then gives nobody a key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.domain.records import Case
from app.policy.engine import CaseFacts, MeetingTable, utc
from app.store import repo
from app.store.connection import Connection


@dataclass(frozen=True)
class VouchedCase:
    """Who directs a case and which parties it names, as signed entries say."""

    director: str | None = None
    casusregisseur: str | None = None
    casusregisseur_party: str | None = None
    registering_party: str | None = None
    # The phase, since when (ISO time) and the closing day (ISO date), when a signed entry
    # names them; phase None: entries from before the phase was signed (the row counts).
    phase: str | None = None
    since: str | None = None
    closed_on: str | None = None


@dataclass(frozen=True)
class VouchedMeeting:
    """A meeting's chair, minute taker, present parties, invitations (per case id) and
    preview decisions (case ids), as signed entries say."""

    chair: str | None = None
    notulist: str | None = None
    present: frozenset[str] = frozenset()
    invited: Mapping[int, frozenset[str]] = field(default_factory=dict)
    previews: frozenset[int] = frozenset()
    # The day (ISO date) meeting.create signed, and whether its chair closed it; day None:
    # an entry from before the day was signed (the row counts).
    day: str | None = None
    held: bool = False


@dataclass(frozen=True)
class Vouched:
    """The signed facts of a batch of cases: an object without a signed entry has none.
    ``parties`` maps each user with a signed role to the party it was signed for."""

    cases: Mapping[int, VouchedCase]
    meetings: Mapping[int, VouchedMeeting]
    parties: Mapping[str, str]
    # The items whose row matches a signed digest (app.services.vouch_items); None: the
    # store trusts its item rows (no mark yet).
    items: frozenset[int] | None = None
    # Likewise the current actions whose owner party a signed entry names.
    actions: frozenset[int] | None = None
    # The subject category of each person as a signed entry names it (person id ->
    # category); None: the store trusts its person rows (no mark yet).  A person no
    # signed entry names keeps its row.
    persons: Mapping[int, str] | None = None


def _vouched_case(case: Case, vouched: Vouched) -> Case:
    # Who directs and which parties the case names are what was signed; the row is only
    # the app's copy of it, and a forged row must not take the real director's key away.
    signed = vouched.cases.get(case.id, VouchedCase())
    if signed.phase is not None:
        # A forged phase or closing day must not move the time windows (ZVH 3.5b, 11.6).
        case = dataclasses.replace(
            case, phase=signed.phase,
            closed_at=dt.date.fromisoformat(signed.closed_on) if signed.closed_on else None)
    return dataclasses.replace(
        case,
        procesregisseur=signed.director,
        casusregisseur=signed.casusregisseur,
        casusregisseur_party=signed.casusregisseur_party,
        # Never empty in a row; a party no entry names is no party of the case.
        registering_party=signed.registering_party or "",
    )


def _phase_since(conn: Connection, ids: list[int] | None, vouched: Vouched | None
                 ) -> dict[int, str]:
    """When each case entered its phase: as signed where the chain knows the phase."""
    since = repo.current_phase_since(conn, ids)
    if vouched is not None:
        since.update({cid: c.since for cid, c in vouched.cases.items()
                      if c.phase is not None and c.since})
    return since


def _where(ids: list[int] | None, column: str = "case_id") -> tuple[str, tuple[object, ...]]:
    if ids is None:
        return "", ()
    return f" WHERE {column} IN (SELECT value FROM json_each(?))", (json.dumps(ids),)


def _invited_anywhere(vouched: Vouched) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for meeting in vouched.meetings.values():
        for case_id, parties in meeting.invited.items():
            out[case_id] |= parties
    return out


def _involvement(conn: Connection, where: str, params: tuple[object, ...],
                 vouched: Vouched | None = None,
                 ) -> tuple[dict[int, set[str]], dict[int, set[str]], dict[int, set[str]]]:
    """Per case: the parties involved; those declared (other than by items); those
    involved in a lasting way (other than by invitation)."""
    signed_invites = _invited_anywhere(vouched) if vouched is not None else None
    signed_items = vouched.items if vouched is not None else None
    signed_actions = vouched.actions if vouched is not None else None
    involved: dict[int, set[str]] = defaultdict(set)
    declared: dict[int, set[str]] = defaultdict(set)
    durable: dict[int, set[str]] = defaultdict(set)  # involved other than by invitation
    inv_where = (where + " AND invited") if where else " WHERE invited"
    for sql, by_item in (
        ("SELECT DISTINCT case_id, party_id FROM invitations" + inv_where, None),
        # A corrected action's old owner is no longer involved by it (issue 13, point 7).
        ("SELECT DISTINCT case_id, owner_party FROM actions"
         + (where + " AND" if where else " WHERE") + " superseded_by IS NULL"
         + (" AND id IN (SELECT value FROM json_each(?))" if signed_actions is not None
            else ""), False),
        # What the procesregisseur entered does not involve their party (ZVH 9.6).
        # For the key work, only items whose row a signed entry pinned (a forged item row
        # involves its party in nothing).
        ("SELECT DISTINCT i.case_id, i.source_party FROM items i JOIN cases c"
         " ON c.id = i.case_id WHERE i.created_by IS NOT c.procesregisseur"
         + (" AND i.id IN (SELECT value FROM json_each(?))" if signed_items is not None
            else "")
         + (where.replace(" WHERE ", " AND i.") if where else ""), True),
    ):
        args = params
        if by_item and signed_items is not None:
            args = (json.dumps(sorted(signed_items)), *params)
        elif by_item is False and signed_actions is not None:
            args = (*params, json.dumps(sorted(signed_actions)))
        for cid, party in conn.execute(sql, args):
            if by_item is None and signed_invites is not None \
                    and party not in signed_invites.get(cid, ()):
                continue
            involved[cid].add(party)
            if not by_item:
                declared[cid].add(party)
            if by_item is not None:
                durable[cid].add(party)
    return involved, declared, durable


def load_facts(conn: Connection, cases: Iterable[Case], vouched: Vouched | None = None
               ) -> dict[int, CaseFacts]:
    """CaseFacts for ``cases``; pass every case of the store to load without id filters.
    With ``vouched`` (the key work), only the rows the signed facts agree with count."""
    case_list = list(cases)
    if vouched is not None:
        case_list = [_vouched_case(c, vouched) for c in case_list]
    total = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    ids: list[int] | None = sorted(c.id for c in case_list)
    if ids is not None and len(ids) == total:
        ids = None  # the whole store: plain scans beat a 10k-element IN list
    where, params = _where(ids)

    involved, declared, durable = _involvement(conn, where, params, vouched)

    user_party: Mapping[str, str] = (
        vouched.parties if vouched is not None
        else dict(conn.execute("SELECT username, party_id FROM users")))
    person_categories: dict[int, dict[int, str]] = defaultdict(dict)
    signed_categories = vouched.persons if vouched is not None else None
    for cid, pid, category in conn.execute(
            "SELECT case_id, id, category FROM persons" + where, params):
        # A forged category must not lift the melder's consent rule (WO 3.3d, 5.2).
        person_categories[cid][pid] = (category if signed_categories is None
                                       else signed_categories.get(pid, category))
    grants = repo.grants_by_case(conn, ids)
    since = _phase_since(conn, ids, vouched)
    consents = repo.consents_by_case(conn, ids)

    present: dict[int, set[str]] = defaultdict(set)
    # Only the meetings these cases are on: a scan of every attendance row of the store
    # made each write grow with the store's history.
    m_where = (" AND meeting_id IN (SELECT meeting_id FROM agenda" + where + ")"
               if where else "")
    for mid, party in conn.execute(
            "SELECT meeting_id, party_id FROM attendees WHERE present" + m_where, params):
        present[mid].add(party)
    invited: dict[tuple[int, int], set[str]] = defaultdict(set)
    left: dict[tuple[int, int], set[str]] = defaultdict(set)
    for mid, cid, party, is_invited, left_room in conn.execute(
        "SELECT meeting_id, case_id, party_id, invited, left_room FROM invitations" + where,
        params,
    ):
        if is_invited:
            invited[(mid, cid)].add(party)
        if left_room:
            left[(mid, cid)].add(party)
    previews = {(int(mid), int(cid)) for mid, cid in conn.execute(
        "SELECT meeting_id, case_id FROM meeting_previews" + where, params)}
    tables: dict[int, list[MeetingTable]] = defaultdict(list)
    a_where, a_params = _where(ids, "a.case_id")
    for mid, cid, notulist, chair, starts, status in conn.execute(
        "SELECT a.meeting_id, a.case_id, m.notulist, m.chair, m.starts_at, m.status"
        " FROM agenda a JOIN meetings m ON m.id = a.meeting_id" + a_where, a_params
    ):
        key = (mid, cid)
        table = MeetingTable(
            mid, notulist, chair, frozenset(invited[key]),
            frozenset(present[mid] - left[key]), dt.date.fromisoformat(starts[:10]),
            status == "held", key in previews,
        )
        if vouched is not None:
            table = _vouched_table(table, cid, vouched)
        tables[cid].append(table)

    facts = {}
    for case in case_list:
        named = declared[case.id]
        if case.registering_party:
            named.add(case.registering_party)
        if case.casusregisseur_party:
            named.add(case.casusregisseur_party)
        # The director's own party is not involved by being the director's (ZVH 9.6).
        pr_party = user_party.get(case.procesregisseur) if case.procesregisseur else None
        parties = involved[case.id] | named
        lasting = durable[case.id] | {case.registering_party, case.casusregisseur_party}
        case_grants = tuple(g for g in grants.get(case.id, ()) if not g.revoked)
        facts[case.id] = CaseFacts(
            case=case,
            involved=frozenset(parties),
            procesregisseur_party=pr_party,
            grants=case_grants,
            consents=tuple(c for c in consents.get(case.id, ()) if c.valid),
            recorded_consents=tuple(consents.get(case.id, ())),
            tables=tuple(tables.get(case.id, ())),
            item_grants=frozenset(g.item_id for g in case_grants if g.item_id is not None),
            phase_since=utc(since[case.id]) if case.id in since else None,
            declared=frozenset(named),
            invited_only=frozenset(parties - lasting),
            person_categories=person_categories.get(case.id, {}),
        )
    return facts


def _vouched_table(table: MeetingTable, case_id: int, vouched: Vouched) -> MeetingTable:
    signed = vouched.meetings.get(table.meeting_id, VouchedMeeting())
    # The chair and minute taker as signed; who sits at the table only where the rows
    # and the signed entries agree (a forged seat or invitation counts for nothing).
    if signed.day is not None:
        # The day and the closing as signed: a forged day must not move the window.
        table = dataclasses.replace(table, day=dt.date.fromisoformat(signed.day[:10]),
                                    closed=signed.held)
    return dataclasses.replace(
        table,
        notulist=signed.notulist,
        chair=signed.chair,
        invited=table.invited & signed.invited.get(case_id, frozenset()),
        present=table.present & signed.present,
        preview=table.preview and case_id in signed.previews,
    )
