"""Data-subject requests in the cases: finding the person, and the providing parties' work
(ZVH 9.5, 10.1, 17.5-17.6, 18.1).

Only holders of item keys can read names, so the search is the procesregisseur's: they see
the open requests whose identity is sealed to them, compare it with the name (and date of
birth) items of their own cases, and link the person they recognise.  The link is a signed
``request.link`` entry; with it (and the officer's ``request.new``) the key layer seals the
person's items to the officer for an inzage (:mod:`app.services.keys_requests`), and every
providing party gets a task: to decide (on a correction, an erasure, ... or on withholding
an item from the inzage), or, for police and OM data, the request routed to it.

A providing party withholds an item with a reason, completes its task with an outcome,
and when it erases, restricts or upholds an objection, every party the disclosure register
shows received that person's items from it gets a notice (as for a correction).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import defaultdict

from app import clock
from app.domain.roles import Role
from app.errors import InputError
from app.i18n import N_
from app.policy import rights
from app.policy.access import Action, Permit
from app.policy.facts import load_facts
from app.profiles import LocalText
from app.services import guard, keys_requests
from app.services.redaction import opener, profile_of
from app.services.requests import (
    load_request,
    open_identity,
    task_views,
)
from app.services.session import Session
from app.store import repo
from app.views.requests import OUTCOMES, CandidateView, DirectorRequestView, TaskView

NOTICE_OF = {"erased": "item_erased", "restricted": "item_restricted",
             "objection_upheld": "item_objected"}
"""The notice the recipients get when the provider acts on a request (ZVH 9.5, 10.1)."""

ALLOWED_OUTCOMES = {
    "inzage": ("none",),
    "correction": ("corrected", "refused", "none"),
    "completion": ("completed", "refused", "none"),
    "erasure": ("erased", "refused", "none"),
    "restriction": ("restricted", "refused", "none"),
    "objection": ("objection_upheld", "refused", "none"),
}
"""Per request kind, what a providing party's decision may be."""


def _normal(text: str) -> str:
    """A name as compared: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _birth_date(text: str) -> dt.date | None:
    """A date of birth item's value: ``DD-MM-YYYY`` (as the parties write it) or ISO."""
    word = text.strip().split(" ")[0] if text.strip() else ""
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(word, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


# -- the procesregisseur ---------------------------------------------------------------

def _director(session: Session) -> None:
    """Only a procesregisseur searches their cases for a requester (ZVH 18.1)."""
    guard.actor(session)
    if session.user.role is not Role.PROCESREGISSEUR:
        guard.refuse(session, Action.DIRECT, Permit(False, "dsr.director_only", "ZVH 18.1"))


def requests_for_director(session: Session) -> list[DirectorRequestView]:
    """The open requests whose identity is sealed to the acting procesregisseur: the
    persons to look for in their cases."""
    _director(session)
    store = session.store
    out = []
    for rid, in store.conn.execute(
            "SELECT r.id FROM dsr_requests r JOIN dsr_keys k ON k.request_id = r.id"
            " WHERE r.status = 'open' AND k.holder = ? ORDER BY r.deadline_on, r.id",
            (f"user:{session.user.username}",)).fetchall():
        identity = open_identity(session, int(rid))
        if identity is None:
            continue
        r = load_request(session, int(rid))
        out.append(DirectorRequestView(r.id, r.kind, r.received_on,
                                       r.extended_until or r.deadline_on, identity))
    with store.transaction():
        store.log("request.list", attributes={"for": "director", "count": len(out)})
    return out


def find_matches(session: Session, request_id: int) -> list[CandidateView]:
    """The persons in the director's own cases whose name item matches the request's
    name (and, when both are known, date of birth)."""
    _director(session)
    r = load_request(session, request_id)
    identity = open_identity(session, request_id) if r.status == "open" else None
    if identity is None:
        raise InputError("request.unknown", N_("No such request."))
    store = session.store
    conn = store.conn
    case_ids = [int(c) for c, in conn.execute(
        "SELECT id FROM cases WHERE procesregisseur = ? ORDER BY id",
        (session.user.username,))]
    refs = {c.id: c.reference for c in repo.cases(conn, case_ids)}
    persons = {p.id: p for ps in repo.persons_by_case(conn, case_ids).values() for p in ps}
    open_item = opener(session)
    wanted = _normal(identity.name)
    named: set[int] = set()
    for items in repo.name_items_by_case(conn, case_ids).values():
        for item in items:
            shown = open_item(item)
            if item.person_id is not None and shown is not None and _normal(
                    shown.body) == wanted:
                named.add(item.person_id)
    born: dict[int, set[dt.date]] = defaultdict(set)
    if named and identity.birth_date is not None:
        for iid, in conn.execute(
                "SELECT id FROM items WHERE field = 'birth_date' AND superseded_by IS NULL"
                " AND person_id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(named)),)).fetchall():
            found = repo.item_by_id(conn, int(iid))
            shown = open_item(found) if found is not None else None
            day = _birth_date(shown.body) if shown is not None else None
            if day is not None and shown is not None and shown.person_id is not None:
                born[shown.person_id].add(day)
    linked = {int(p) for p, in conn.execute(
        "SELECT person_id FROM dsr_subjects WHERE request_id = ?", (request_id,))}
    profile = profile_of(session)
    names = {c.id: c.name for c in profile.subject_categories}
    out = []
    for pid in sorted(named):
        person = persons[pid]
        dates = born.get(pid)
        matches = (None if identity.birth_date is None or not dates
                   else identity.birth_date in dates)
        if matches is False:
            continue
        out.append(CandidateView(pid, refs[person.case_id], person.label,
                                 names.get(person.category,
                                           LocalText(person.category, person.category)),
                                 matches, pid in linked))
    with store.transaction():
        store.log("request.search", object_type="dsr_request", object_id=str(request_id),
                  attributes={"cases": len(case_ids), "candidates": len(out)})
    return out


def link_subject(session: Session, request_id: int, person_id: int) -> None:
    """Link a person of the director's case to the request (ZVH 18.1): a signed
    ``request.link`` entry, a task for each providing party of the person's items (routed
    for police and OM, ZVH 17.5-17.6), and for an inzage the officer's seals made now
    where the director holds the keys (the rest at the next holder's login)."""
    _director(session)
    r = load_request(session, request_id)
    if r.status != "open" or open_identity(session, request_id) is None:
        raise InputError("request.unknown", N_("No such request."))
    store = session.store
    conn = store.conn
    row = conn.execute("SELECT case_id FROM persons WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise InputError("person.unknown", N_("No such person in your cases."))
    case = repo.cases(conn, [int(row[0])])[0]
    guard.case_for(session, case.reference, Action.DIRECT)
    if conn.execute("SELECT 1 FROM dsr_subjects WHERE request_id = ? AND person_id = ?",
                    (request_id, person_id)).fetchone():
        raise InputError("request.linked", N_("This person is linked to the request already."))
    profile = profile_of(session)
    items = [i for i in repo.items_by_case(conn, [case.id], current=True).get(case.id, [])
             if i.person_id == person_id]
    decide = sorted({i.source_party for i in items if not rights.is_routed(profile, i)})
    routed = sorted({i.source_party for i in items if rights.is_routed(profile, i)})
    now = clock.utc_now_iso()
    with store.transaction():
        conn.execute("INSERT INTO dsr_subjects(request_id, person_id, case_id, linked_by,"
                     " linked_at) VALUES (?,?,?,?,?)",
                     (request_id, person_id, case.id, session.user.username, now))
        store.log("request.link", object_type="dsr_subject",
                  object_id=keys_requests.subject_object_id(request_id, person_id),
                  data_subject_id=str(person_id),
                  attributes={"request": request_id, "case": case.reference})
        for kind, parties in (("decide", decide), ("routed", routed)):
            for party in parties:
                if conn.execute(
                        "SELECT 1 FROM dsr_tasks WHERE request_id = ? AND party_id = ?"
                        " AND case_id = ? AND kind = ?",
                        (request_id, party, case.id, kind)).fetchone():
                    continue  # another person of the same case: one task per party
                conn.execute("INSERT INTO dsr_tasks(request_id, party_id, case_id, kind,"
                             " created_at) VALUES (?,?,?,?,?)",
                             (request_id, party, case.id, kind, now))
        if r.kind == "inzage":
            # The director's keyring seals what it can before the commit
            # (app.services.keys.sync_cases); the rest waits in key_sync_due.
            store.mark_case(case.id)


# -- the providing parties -------------------------------------------------------------

def tasks_for_party(session: Session) -> list[TaskView]:
    """The open tasks of the acting user's party, in the cases they may contribute to:
    request kind, case, persons (labels) and the party's items; no identity."""
    guard.actor(session)
    conn = session.store.conn
    views = task_views(session, "t.party_id = ? AND t.done_at IS NULL AND r.status = 'open'",
                       (session.user.party_id,))
    cases = {c.id: c for c in repo.cases(conn, {int(r[0]) for r in conn.execute(
        "SELECT DISTINCT case_id FROM dsr_tasks WHERE party_id = ? AND case_id IS NOT NULL",
        (session.user.party_id,))})}
    refs = {c.reference: c for c in cases.values()}
    facts = load_facts(conn, list(cases.values()))
    out = [v for v in views if v.case_ref is not None and v.case_ref in refs
           and guard.may(session, Action.CONTRIBUTE, facts[refs[v.case_ref].id])]
    store = session.store
    with store.transaction():
        store.log("request.tasks", attributes={"party": session.user.party_id,
                                               "count": len(out)})
    return out


def _provider_item(session: Session, request_id: int, item_id: int) -> tuple[str, int]:
    """The (case reference, case id) of the acting party's own current item about a
    person linked to the request; one answer for everything else."""
    conn = session.store.conn
    unknown = InputError("item.unknown", N_("No such item of your party."), {})
    item = repo.item_by_id(conn, item_id)
    if item is None or item.superseded_by is not None or item.person_id is None:
        raise unknown
    case = repo.cases(conn, [item.case_id])[0]
    mine = (case.procesregisseur == session.user.username if item.by_director
            else item.source_party == session.user.party_id)
    if not mine or conn.execute(
            "SELECT 1 FROM dsr_subjects WHERE request_id = ? AND person_id = ?",
            (request_id, item.person_id)).fetchone() is None:
        raise unknown
    guard.case_for(session, case.reference, Action.CONTRIBUTE)
    return case.reference, case.id


def withhold(session: Session, request_id: int, item_id: int, reason: str) -> None:
    """Withhold one of the party's items from the inzage, with the reason the report
    shows (ZVH 18.1; AVG 23)."""
    guard.actor(session)
    r = load_request(session, request_id)
    if r.status != "open" or r.kind != "inzage":
        raise InputError("request.not_open_inzage", N_("This is not an open inzage request."))
    why = " ".join((reason or "").split())
    if not why:
        raise InputError("request.withhold_reason",
                         N_("Give the reason for withholding the item."))
    reference, _case_id = _provider_item(session, request_id, item_id)
    store = session.store
    with store.transaction():
        store.conn.execute(
            "INSERT OR REPLACE INTO dsr_withheld(request_id, item_id, party_id, reason,"
            " decided_by, decided_at) VALUES (?,?,?,?,?,?)",
            (request_id, item_id, session.user.party_id, why, session.user.username,
             clock.utc_now_iso()))
        store.log("request.withhold", object_type="dsr_request", object_id=str(request_id),
                  attributes={"item": item_id, "case": reference})


def complete_task(session: Session, task_id: int, outcome: str) -> None:
    """Complete a task of the acting user's party with its ``outcome``.  An erasure,
    restriction or upheld objection tells every party that received that person's items
    from this party (disclosure register), one notice per item (ZVH 9.5, 10.1)."""
    guard.actor(session)
    store = session.store
    conn = store.conn
    unknown = InputError("request.task_unknown", N_("No such task of your party."))
    row = conn.execute(
        "SELECT t.request_id, t.party_id, t.case_id, t.kind, t.done_at, r.kind, r.status"
        " FROM dsr_tasks t JOIN dsr_requests r ON r.id = t.request_id WHERE t.id = ?",
        (task_id,)).fetchone()
    if row is None or row[1] != session.user.party_id or row[2] is None:
        raise unknown
    request_id, party, case_id, kind, done_at, request_kind, status = row
    case = repo.cases(conn, [int(case_id)])[0]
    guard.case_for(session, case.reference, Action.CONTRIBUTE)
    if done_at is not None or status != "open":
        raise InputError("request.task_done", N_("This task is done already."))
    if outcome not in OUTCOMES:
        raise InputError("request.outcome", N_("Unknown outcome."))
    allowed = ("none",) if kind == "routed" else ALLOWED_OUTCOMES[str(request_kind)]
    if outcome not in allowed:
        raise InputError("request.outcome_kind",
                         N_("This outcome does not fit the request."))
    notices: list[tuple[str, int]] = []
    if outcome in NOTICE_OF:
        notices = [(str(p), int(i)) for p, i in conn.execute(
            "SELECT DISTINCT d.recipient_party, i.id FROM dsr_subjects s"
            " JOIN items i ON i.person_id = s.person_id AND i.case_id = s.case_id"
            " JOIN disclosures d ON d.item_id = i.id"
            " WHERE s.request_id = ? AND s.case_id = ? AND i.source_party = ?"
            " AND d.recipient_party != ? ORDER BY 1, 2",
            (request_id, case_id, party, party))]
    now = clock.utc_now_iso()
    with store.transaction():
        conn.execute("UPDATE dsr_tasks SET done_at = ?, done_by = ?, outcome = ? WHERE id = ?",
                     (now, session.user.username, outcome, task_id))
        conn.executemany(
            "INSERT INTO notices(party_id, case_id, kind, object_id, source_party, created_at)"
            " VALUES (?,?,?,?,?,?)",
            [(p, case_id, NOTICE_OF[outcome], i, party, now) for p, i in notices])
        store.log("request.task_done", object_type="dsr_request", object_id=str(request_id),
                  attributes={"task": task_id, "outcome": outcome, "case": case.reference,
                              "told": len({p for p, _i in notices})})
