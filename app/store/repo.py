"""Reading casework records from the store (the only SQL for casework reads).

Bulk loaders take a list of case ids and use ``json_each`` so one query serves 1 or 10,000
cases; per-row work is kept to tuple unpacking because views of whole meetings and of the
entire store are built from here (see bench/policy.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.records import (
    Action,
    AgendaEntry,
    Attendee,
    Case,
    Consent,
    Goal,
    Grant,
    Item,
    Meeting,
    Person,
    ProgressEntry,
    TableDecision,
)
from app.domain.vocab import ActionStatus, GoalStatus, InformedStatus, ItemKind, MeetingStatus
from app.store.connection import Connection
from app.store.joint_keys import field_sql, text_sql

_date = dt.date.fromisoformat


def _opt_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _ids(ids: Iterable[int]) -> str:
    return json.dumps(sorted(set(ids)))


_CASE_COLS = (
    "id, reference, phase, registering_party, procesregisseur, casusregisseur,"
    " casusregisseur_party, themes, goal, opened_at, closed_at, close_reason, close_basis,"
    " updated_at, follows_case_id, plan_problem, plan_monitoring, plan_informing,"
    " plan_exit_criteria"
)


def _case(row: Any) -> Case:
    (cid, ref, phase, reg, pr, cr, crp, themes, goal, opened, closed, reason, basis,
     updated, follows, problem, monitoring, informing, exit_criteria) = row
    return Case(
        cid, ref, phase, reg, pr, cr, crp, tuple(json.loads(themes)), goal, _date(opened),
        _opt_date(closed), reason, basis, updated, follows, problem, monitoring, informing,
        exit_criteria,
    )


def case_by_reference(conn: Connection, reference: str) -> Case | None:
    """The case with this reference, or None."""
    row = conn.execute(f"SELECT {_CASE_COLS} FROM cases WHERE reference = ?",
                       (reference,)).fetchone()
    return _case(row) if row else None


def cases(conn: Connection, ids: Iterable[int] | None = None) -> list[Case]:
    """Cases by id (all when ``ids`` is None), ordered by reference."""
    if ids is None:
        rows = conn.execute(f"SELECT {_CASE_COLS} FROM cases ORDER BY reference")
    else:
        rows = conn.execute(
            f"SELECT {_CASE_COLS} FROM cases WHERE id IN (SELECT value FROM json_each(?))"
            " ORDER BY reference", (_ids(ids),))
    return [_case(r) for r in rows]


def all_case_ids(conn: Connection) -> list[int]:
    """Every case id."""
    return [int(r[0]) for r in conn.execute("SELECT id FROM cases ORDER BY id")]


_ITEM_SQL = (
    "SELECT id, case_id, person_id, kind, field, body, structured, source_party, category,"
    " phase, legal_basis, provided_on, incident_class,"
    " by_director, content, key_gen, has_parts, superseded_by, destroyed_on,"
    # The rule it was destroyed under: its own line in the ledger, or its whole case's
    # (looked up only for destroyed items; the ledger's key is (kind, object_id)).
    " CASE WHEN destroyed_on IS NULL THEN NULL ELSE coalesce("
    "(SELECT rule FROM destroyed d WHERE d.kind = 'item' AND d.object_id = items.id),"
    " (SELECT rule FROM destroyed d WHERE d.kind = 'case' AND d.object_id = items.case_id))"
    " END FROM items"
)


def items_by_case(conn: Connection, ids: Iterable[int] | None, *,
                  current: bool = False) -> dict[int, list[Item]]:
    """Items grouped by case, in id order; ``current``: without the earlier versions of
    corrected items (what views show; the key work keeps every version in line)."""
    only = " superseded_by IS NULL" if current else ""
    if ids is None:
        rows = conn.execute(_ITEM_SQL + (" WHERE" + only if only else "")
                            + " ORDER BY case_id, id")
    else:
        rows = conn.execute(
            _ITEM_SQL + " WHERE case_id IN (SELECT value FROM json_each(?))"
            + (" AND" + only if only else "") + " ORDER BY case_id, id",
            (_ids(ids),))
    grouped: dict[int, list[Item]] = defaultdict(list)
    kinds = {k.value: k for k in ItemKind}
    dates: dict[str, dt.date] = {}
    for (iid, cid, pid, kind, fld, body, structured, src, cat, phase, basis, provided,
         klass, director, content, gen, parts, successor, gone, rule) in rows:
        day = dates.get(provided)
        if day is None:
            day = dates[provided] = _date(provided)
        grouped[cid].append(Item(
            iid, cid, pid, kinds[kind], fld, body,
            json.loads(structured) if structured else None,
            src, cat, phase, basis, day, klass, bool(director), content, gen, bool(parts),
            successor, _date(gone) if gone else None, rule,
        ))
    return grouped


def item_by_id(conn: Connection, item_id: int) -> Item | None:
    """One item, or None."""
    row = conn.execute(_ITEM_SQL + " WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return None
    return items_by_case_rows([row])[0]


def items_by_case_rows(rows: Sequence[Any]) -> list[Item]:
    """Items from raw rows of ``_ITEM_SQL``."""
    return [
        Item(iid, cid, pid, ItemKind(kind), fld, body,
             json.loads(structured) if structured else None, src, cat, phase, basis,
             _date(provided), klass, bool(director), content, gen, bool(parts), successor,
             _date(gone) if gone else None, rule)
        for (iid, cid, pid, kind, fld, body, structured, src, cat, phase, basis, provided,
             klass, director, content, gen, parts, successor, gone, rule) in rows
    ]


def name_items_by_case(conn: Connection, ids: Iterable[int]) -> dict[int, list[Item]]:
    """The ``name`` items of the cases, per case in id order (for list rows)."""
    rows = conn.execute(
        _ITEM_SQL + " WHERE field = 'name' AND superseded_by IS NULL"
        " AND case_id IN (SELECT value FROM json_each(?))"
        " ORDER BY id", (_ids(ids),)).fetchall()
    out: dict[int, list[Item]] = {}
    for item in items_by_case_rows(rows):
        out.setdefault(item.case_id, []).append(item)
    return out


def open_action_counts(conn: Connection, ids: Iterable[int], today: dt.date
                       ) -> dict[int, tuple[int, int]]:
    """Per case: the number of open actions and of those past their due date."""
    return {
        cid: (int(open_ or 0), int(overdue or 0)) for cid, open_, overdue in conn.execute(
            "SELECT case_id, sum(status = 'open'), sum(status = 'open' AND due_on < ?)"
            " FROM actions WHERE case_id IN (SELECT value FROM json_each(?))"
            " AND superseded_by IS NULL GROUP BY case_id",
            (today.isoformat(), _ids(ids)))
    }


def current_phase_since(conn: Connection, ids: Iterable[int] | None) -> dict[int, str]:
    """Per case: when it entered its current phase (its newest phase-history entry)."""
    sql = "SELECT case_id, max(id), entered_at FROM phase_history"
    rows = (conn.execute(sql + " GROUP BY case_id") if ids is None else conn.execute(
        sql + " WHERE case_id IN (SELECT value FROM json_each(?)) GROUP BY case_id",
        (_ids(ids),)))
    return {int(cid): str(at) for cid, _newest, at in rows}


def display_names(conn: Connection) -> dict[str, str]:
    """Username -> display name of every user (chair, minute taker, directors)."""
    return dict(conn.execute("SELECT username, display_name FROM users"))


def persons_by_case(conn: Connection, ids: Iterable[int]) -> dict[int, list[Person]]:
    """Betrokkenen grouped by case."""
    grouped: dict[int, list[Person]] = defaultdict(list)
    for row in conn.execute(
        "SELECT id, case_id, category, label, informed_status, informed_on,"
        " not_informed_reason, informed_expected, review_on, review_interval_days"
        " FROM persons WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        (_ids(ids),),
    ):
        (pid, cid, cat, label, status, on, reason, expected, review, interval) = row
        grouped[cid].append(Person(
            pid, cid, cat, label, InformedStatus(status), _opt_date(on), reason,
            _opt_date(expected), _opt_date(review), interval,
        ))
    return grouped


def grants_by_case(conn: Connection, ids: Iterable[int] | None) -> dict[int, list[Grant]]:
    """Grants (revoked included, flagged) grouped by case."""
    sql = ("SELECT id, case_id, item_id, category, provider_party, recipient_party, phase,"
           " meeting_id, legal_basis, revoked_at IS NOT NULL, granted_at, necessity, take_away"
           " FROM grants")
    rows = (conn.execute(sql) if ids is None else conn.execute(
        sql + " WHERE case_id IN (SELECT value FROM json_each(?))", (_ids(ids),)))
    grouped: dict[int, list[Grant]] = defaultdict(list)
    for (gid, cid, iid, cat, prov, rec, phase, mid, basis, revoked, at, need, away) in rows:
        grouped[cid].append(Grant(gid, cid, iid, cat, prov, rec, phase, mid, basis,
                                  bool(revoked), at or "", need, bool(away)))
    return grouped


def _party_set(value: str | None) -> frozenset[str]:
    return frozenset(json.loads(value)) if value else frozenset()


def consents_by_case(conn: Connection, ids: Iterable[int] | None) -> dict[int, list[Consent]]:
    """Consents (withdrawn included) grouped by case."""
    sql = ("SELECT id, case_id, person_id, source_party, recipients, categories, purpose,"
           " given_on, withdrawn_on, basis FROM consents")
    rows = (conn.execute(sql) if ids is None else conn.execute(
        sql + " WHERE case_id IN (SELECT value FROM json_each(?))", (_ids(ids),)))
    grouped: dict[int, list[Consent]] = defaultdict(list)
    for (cid_, cid, pid, src, recipients, categories, purpose, given, withdrawn,
         basis) in rows:
        grouped[cid].append(Consent(cid_, cid, pid, src, _party_set(recipients),
                                    _party_set(categories), purpose, _date(given),
                                    _opt_date(withdrawn), basis))
    return grouped


def meetings(conn: Connection, ids: Iterable[int] | None = None) -> list[Meeting]:
    """Meetings, by start time."""
    sql = "SELECT id, starts_at, place, chair, notulist, status FROM meetings"
    rows = (conn.execute(sql + " ORDER BY starts_at") if ids is None else conn.execute(
        sql + " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY starts_at", (_ids(ids),)))
    return [Meeting(mid, dt.datetime.fromisoformat(start), place, chair, notulist,
                    MeetingStatus(status))
            for (mid, start, place, chair, notulist, status) in rows]


def attendees(conn: Connection, meeting_id: int) -> list[Attendee]:
    """The parties at a meeting."""
    return [Attendee(meeting_id, p, n, bool(pr)) for (p, n, pr) in conn.execute(
        "SELECT party_id, name, present FROM attendees WHERE meeting_id = ? ORDER BY party_id",
        (meeting_id,))]


def agenda(conn: Connection, meeting_id: int) -> list[AgendaEntry]:
    """The agenda of a meeting with the parties invited per case."""
    invited: dict[int, set[str]] = defaultdict(set)
    left: dict[int, set[str]] = defaultdict(set)
    for cid, party, is_invited, left_room in conn.execute(
        "SELECT case_id, party_id, invited, left_room FROM invitations WHERE meeting_id = ?",
        (meeting_id,),
    ):
        if is_invited:
            invited[cid].add(party)
        if left_room:
            left[cid].add(party)
    return [
        AgendaEntry(meeting_id, cid, pos, frozenset(invited[cid]), frozenset(left[cid]))
        for cid, pos in conn.execute(
            "SELECT case_id, position FROM agenda WHERE meeting_id = ? ORDER BY position",
            (meeting_id,))
    ]


def invitation_reasons(conn: Connection, meeting_id: int) -> dict[int, dict[str, str]]:
    """Per case of the meeting: why each warned party was invited anyway, as the acting
    user reads it (the words, or the "not readable" placeholder without the key)."""
    out: dict[int, dict[str, str]] = defaultdict(dict)
    for cid, party, reason in conn.execute(
            "SELECT case_id, party_id, " + field_sql("invitation", "reason")
            + " FROM invitation_reasons WHERE meeting_id = ? ORDER BY party_id",
            (meeting_id,)):
        out[int(cid)][str(party)] = str(reason)
    return out


@dataclass(frozen=True)
class CaseBundle:
    """Everything stored about one case, loaded in bulk for many cases at once."""

    items: list[Item] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    decisions: list[TableDecision] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)
    history: list[tuple[str, str, str]] = field(default_factory=list)


def load_bundles(conn: Connection, ids: Iterable[int] | None) -> dict[int, CaseBundle]:
    """Bundles for ``ids`` (every case when None), a fixed number of queries in all."""
    id_list = None if ids is None else sorted(set(ids))
    where, params = ("", ()) if id_list is None else (
        " WHERE case_id IN (SELECT value FROM json_each(?))", (json.dumps(id_list),))
    # The joint record's current rows: a corrected row is history (schema 13).
    current = (where + " AND" if where else " WHERE") + " superseded_by IS NULL"
    bundles: dict[int, CaseBundle] = defaultdict(CaseBundle)
    for cid, items in items_by_case(conn, id_list, current=True).items():
        bundles[cid].items.extend(items)
    for cid, persons in (persons_by_case(conn, id_list) if id_list is not None
                         else persons_by_case(conn, all_case_ids(conn))).items():
        bundles[cid].persons.extend(persons)
    for i, cid, t, s, c in conn.execute(
            "SELECT id, case_id, " + text_sql("goal") + ", status, created_on FROM goals"
            + current + " ORDER BY id",
            params):
        bundles[cid].goals.append(Goal(i, cid, t, GoalStatus(s), _date(c)))
    for i, cid, g, m, t, o, d, s, c, add in conn.execute(
            "SELECT id, case_id, goal_id, meeting_id, " + text_sql("action") + ", owner_party,"
            " due_on, status, created_on, addendum FROM actions" + current
            + " ORDER BY due_on, id", params):
        bundles[cid].actions.append(Action(i, cid, g, m, t, o, _opt_date(d), ActionStatus(s),
                                             _date(c), bool(add)))
    for i, cid, m, t, d, add in conn.execute(
            "SELECT id, case_id, meeting_id, " + text_sql("decision") + ", decided_on, addendum"
            " FROM decisions" + current
            + " ORDER BY decided_on, id", params):
        bundles[cid].decisions.append(TableDecision(i, cid, m, t, _date(d), bool(add)))
    for i, cid, a, t, d in conn.execute(
            "SELECT id, case_id, action_id, " + text_sql("progress") + ", entry_on FROM progress"
            + current
            + " ORDER BY entry_on, id", params):
        bundles[cid].progress.append(ProgressEntry(i, cid, a, t, _date(d)))
    # A phase change's note is under its row key (schema 18).
    for cid, phase, at, note in conn.execute(
            "SELECT case_id, phase, entered_at, " + field_sql("phase", "note")
            + " FROM phase_history" + where + " ORDER BY id", params):
        bundles[cid].history.append((phase, at, note))
    return bundles


def agenda_notes(conn: Connection, meeting_id: int
                 ) -> dict[int, list[tuple[int, str, str, str, bool]]]:
    """The discussion notes of a meeting, per case in id order: (id, text, recorded_by,
    recorded_at (UTC ISO), addendum)."""
    out: dict[int, list[tuple[int, str, str, str, bool]]] = defaultdict(list)
    for nid, cid, text, by, at, addendum in conn.execute(
            "SELECT id, case_id, " + text_sql("note") + ", recorded_by, recorded_at, addendum"
            " FROM agenda_notes"
            " WHERE meeting_id = ? ORDER BY id", (meeting_id,)):
        out[int(cid)].append((int(nid), str(text), str(by), str(at), bool(addendum)))
    return dict(out)
