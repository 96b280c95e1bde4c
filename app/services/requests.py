"""Data-subject requests: registering, the officer's list, extending and closing
(ZVH 17-20, 18.1 a-h; AVG 12(3), 15-18, 21).

A request is registered by a privacy officer with the date received, how the identity was
verified and by whom, and the deadline of four weeks (:mod:`app.policy.rights`).  The
identity the person gave (name, date of birth) is personal data: it is encrypted with a
key of the request's own (AES-GCM, bound to the store and the request), sealed in
``dsr_keys`` to the officer and to every procesregisseur, who look for the person in
their own cases (:mod:`app.services.requests_tasks`).  Nothing personal goes into the
audit trail or an error text: entries name the request id, its kind and dates.

While an inzage request is open, the officer gets the keys of the linked persons' items
(:mod:`app.services.keys_requests`); closing the request takes them away at once and has
the items re-keyed by their next holder.  The inzage itself is in
:mod:`app.services.requests_inzage`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from app import clock
from app.crypto import envelope
from app.domain.principals import user_principal
from app.domain.roles import Role
from app.errors import InputError
from app.i18n import N_
from app.policy import rights
from app.policy.access import Action
from app.profiles import LocalText
from app.services import guard, keys_requests
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.views.requests import (
    REQUEST_KINDS,
    IdentityView,
    RequestDetailView,
    RequestRowView,
    SubjectView,
    TaskView,
)

DUE_DAYS = 7
"""A request shows as due when its deadline falls within this many days."""


# -- the request's own key -------------------------------------------------------------

def _identity_aad(store_id: str, request_id: int) -> bytes:
    return f"dsr-identity|{store_id}|{request_id}".encode()


def _key_aad(store_id: str, request_id: int, holder: str, version: int) -> bytes:
    return f"dsr-key|{store_id}|{request_id}|{holder}|{version}".encode()


def _seal_request_key(session: Session, request_id: int, key: bytes) -> int:
    """Seal the request key to the acting officer and every current procesregisseur with
    a trustworthy user key; returns the number of seals."""
    store = session.store
    keyring = store.keyring
    if keyring is None:
        raise InputError("request.no_keys",
                         N_("Your account has no envelope keys yet; ask the administrator."))
    me = keyring.current(user_principal(session.user.username))
    if me is None:
        raise InputError("request.no_keys",
                         N_("Your account has no envelope keys yet; ask the administrator."))
    holders = [session.user.username, *(str(u) for u, in store.conn.execute(
        "SELECT username FROM users WHERE role = ? AND removed_at IS NULL ORDER BY username",
        (Role.PROCESREGISSEUR.value,)))]
    sealed = 0
    for username in holders:
        principal_id = user_principal(username)
        principal = keyring.current(principal_id)
        if principal is None:  # no key (yet): nothing can be sealed to them
            continue
        blob = envelope.seal_anonymous(principal.box_public, key, _key_aad(
            store.store_id, request_id, principal_id, principal.version))
        store.conn.execute(
            "INSERT OR REPLACE INTO dsr_keys(request_id, holder, holder_version, sealer,"
            " sealer_version, sealed) VALUES (?,?,?,?,?,?)",
            (request_id, principal_id, principal.version, me.id, me.version, blob))
        sealed += 1
    return sealed


def open_identity(session: Session, request_id: int) -> IdentityView | None:
    """The identity of a request, if it is sealed to the acting user (else None)."""
    store = session.store
    keyring = store.keyring
    if keyring is None:
        return None
    me = user_principal(session.user.username)
    row = store.conn.execute(
        "SELECT k.holder_version, k.sealed, r.identity FROM dsr_keys k"
        " JOIN dsr_requests r ON r.id = k.request_id WHERE k.request_id = ? AND k.holder = ?",
        (request_id, me)).fetchone()
    if row is None:
        return None
    key = keyring.open_own(bytes(row[1]), _key_aad(store.store_id, request_id, me,
                                                    int(row[0])), int(row[0]))
    if key is None:
        return None
    try:
        doc = json.loads(envelope.aead_decrypt(key, bytes(row[2]),
                                               _identity_aad(store.store_id, request_id)))
    except envelope.EnvelopeError:
        return None
    born = doc.get("birth_date")
    return IdentityView(str(doc["name"]), dt.date.fromisoformat(born) if born else None)


# -- registering -----------------------------------------------------------------------

def _text(value: str, code: str, message: str) -> str:
    if not value or not value.strip():
        raise InputError(code, message)
    return value.strip()


def new_request(session: Session, kind: str, received_on: dt.date, verified_how: str,
                verified_by: str, name: str, birth_date: dt.date | None = None) -> int:
    """Register a data-subject request (ZVH 18.1 a-h); returns its id.

    ``kind``: one of :data:`app.views.requests.REQUEST_KINDS`; ``received_on`` not after
    today; ``verified_by``: the username of whoever verified the identity.  The deadline
    is four weeks after receipt (:func:`app.policy.rights.answer_deadline`)."""
    guard.authorize(session, Action.PRIVACY_WORK)
    if kind not in REQUEST_KINDS:
        raise InputError("request.kind", N_("Unknown kind of request."))
    today = clock.today()
    if received_on > today:
        raise InputError("request.received_future",
                         N_("A request cannot be received after today."))
    how = _text(verified_how, "request.verified_how",
                N_("Say how the identity of the person was verified."))
    by = _text(verified_by, "request.verified_by", N_("Say who verified the identity."))
    store = session.store
    if store.conn.execute("SELECT 1 FROM users WHERE username = ?", (by,)).fetchone() is None:
        raise InputError("request.verified_by_unknown",
                         N_("The identity must be verified by a user of this store."))
    full_name = " ".join(_text(name, "request.name", N_("Give the name of the person.")).split())
    if birth_date is not None and birth_date > today:
        raise InputError("request.birth_date", N_("A date of birth cannot lie in the future."))
    deadline = rights.answer_deadline(received_on)
    key = envelope.new_key()
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO dsr_requests(kind, received_on, verified_how, verified_by,"
            " deadline_on, identity, created_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (kind, received_on.isoformat(), how, by, deadline.isoformat(), b"",
             session.user.username, clock.utc_now_iso()))
        request_id = int(cur.lastrowid)
        plain = json.dumps({"name": full_name, "birth_date": birth_date.isoformat()
                            if birth_date else None}, ensure_ascii=False).encode()
        store.conn.execute("UPDATE dsr_requests SET identity = ? WHERE id = ?", (
            envelope.aead_encrypt(key, plain, _identity_aad(store.store_id, request_id)),
            request_id))
        _seal_request_key(session, request_id, key)
        # The entry the key layer looks for before it seals anything to the officer.
        store.log("request.new", object_type="dsr_request", object_id=str(request_id),
                  attributes={"kind": kind, "deadline": deadline.isoformat()})
    return request_id


# -- the officer's list ----------------------------------------------------------------

@dataclass(frozen=True)
class _Request:
    id: int
    kind: str
    received_on: dt.date
    verified_how: str
    verified_by: str
    deadline_on: dt.date
    extended_until: dt.date | None
    extension_reason: str | None
    status: str
    answer: str | None
    answered_on: dt.date | None
    created_by: str


_REQUEST_SQL = ("SELECT id, kind, received_on, verified_how, verified_by, deadline_on,"
                " extended_until, extension_reason, status, answer, answered_on, created_by"
                " FROM dsr_requests")


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _request(row: tuple[object, ...]) -> _Request:
    (rid, kind, received, how, by, deadline, until, reason, status, answer, answered,
     created_by) = row
    return _Request(int(str(rid)), str(kind), dt.date.fromisoformat(str(received)), str(how),
                    str(by), dt.date.fromisoformat(str(deadline)), _date(until), _opt(reason),
                    str(status), _opt(answer), _date(answered), str(created_by))


def load_request(session: Session, request_id: int) -> _Request:
    """The request's row; ``request.unknown`` when there is none."""
    row = session.store.conn.execute(_REQUEST_SQL + " WHERE id = ?", (request_id,)).fetchone()
    if row is None:
        raise InputError("request.unknown", N_("No such request."))
    return _request(tuple(row))


def _row_view(session: Session, r: _Request, today: dt.date) -> RequestRowView:
    conn = session.store.conn
    effective = r.extended_until or r.deadline_on
    is_open = r.status == "open"
    late = is_open and today > effective
    due = is_open and not late and (effective - today).days <= DUE_DAYS
    subjects = int(conn.execute("SELECT count(*) FROM dsr_subjects WHERE request_id = ?",
                                (r.id,)).fetchone()[0])
    tasks = int(conn.execute(
        "SELECT count(*) FROM dsr_tasks WHERE request_id = ? AND done_at IS NULL",
        (r.id,)).fetchone()[0])
    return RequestRowView(r.id, r.kind, r.received_on, r.deadline_on, r.extended_until,
                          r.status, r.answered_on, due, late, subjects, tasks)


def list_requests(session: Session, *, status: str | None = None) -> list[RequestRowView]:
    """The requests (all, ``open`` or ``closed``), most urgent first, with what is due
    and what is late today (:mod:`app.clock`)."""
    guard.authorize(session, Action.PRIVACY_WORK)
    if status not in (None, "open", "closed"):
        raise InputError("request.status", N_("Unknown request status."))
    sql = _REQUEST_SQL + (" WHERE status = ?" if status else "")
    rows = session.store.conn.execute(
        sql + " ORDER BY status DESC, coalesce(extended_until, deadline_on), id",
        (status,) if status else ()).fetchall()
    today = clock.today()
    views = [_row_view(session, _request(tuple(row)), today) for row in rows]
    store = session.store
    with store.transaction():
        store.log("request.list", attributes={"status": status, "count": len(views),
                                              "late": sum(v.late for v in views)})
    return views


def subject_views(session: Session, request_id: int) -> list[SubjectView]:
    """The persons linked to a request, each marked whether a signed link vouches for it."""
    conn = session.store.conn
    profile = profile_of(session)
    names = {c.id: c.name for c in profile.subject_categories}
    out = []
    rows = conn.execute(
        "SELECT s.person_id, c.reference, p.label, p.category, s.linked_by, c.procesregisseur"
        " FROM dsr_subjects s JOIN persons p ON p.id = s.person_id"
        " JOIN cases c ON c.id = s.case_id WHERE s.request_id = ? ORDER BY s.person_id",
        (request_id,)).fetchall()
    for person_id, ref, label, category, linked_by, director in rows:
        linked = signed_by(session, "dsr_subject", "request.link",
                           keys_requests.subject_object_id(request_id, int(person_id)))
        out.append(SubjectView(int(person_id), str(ref), str(label),
                               names.get(str(category), LocalText(str(category),
                                                                  str(category))),
                               str(linked_by), director is not None and director in linked))
    return out


def signed_by(session: Session, object_type: str, name: str, object_id: str) -> set[str]:
    """Usernames with a validly signed ``name`` entry for the object (as the key layer
    checks, :mod:`app.services.keys_requests`)."""
    store = session.store
    out: set[str] = set()
    for (seq,) in store.conn.execute(
            "SELECT seq FROM audit WHERE object_type = ? AND object_id = ? AND name = ?",
            (object_type, object_id, name)):
        entry = store.audit.valid_entry(int(seq))
        if entry is not None:
            out.add(str(entry[8]))
    return out


def task_views(session: Session, where: str, params: tuple[object, ...]) -> list[TaskView]:
    """Tasks matching ``where`` (SQL over ``t`` = dsr_tasks, ``r`` = dsr_requests)."""
    conn = session.store.conn
    profile = profile_of(session)
    rows = conn.execute(
        "SELECT t.id, t.request_id, r.kind, t.party_id, c.reference, t.kind,"
        " coalesce(r.extended_until, r.deadline_on), t.done_at, t.outcome, t.case_id"
        " FROM dsr_tasks t JOIN dsr_requests r ON r.id = t.request_id"
        " LEFT JOIN cases c ON c.id = t.case_id WHERE " + where + " ORDER BY t.id",
        params).fetchall()
    out = []
    for tid, rid, rkind, party, ref, kind, deadline, done_at, outcome, case_id in rows:
        labels = tuple(str(r[0]) for r in conn.execute(
            "SELECT p.label FROM dsr_subjects s JOIN persons p ON p.id = s.person_id"
            " WHERE s.request_id = ? AND s.case_id = ? ORDER BY p.label", (rid, case_id)))
        items = tuple(int(r[0]) for r in conn.execute(
            "SELECT i.id FROM items i JOIN dsr_subjects s ON s.person_id = i.person_id"
            " WHERE s.request_id = ? AND s.case_id = ? AND i.source_party = ?"
            " AND i.superseded_by IS NULL ORDER BY i.id", (rid, case_id, party)))
        out.append(TaskView(int(tid), int(rid), str(rkind), party_ref(profile, str(party)),
                            None if ref is None else str(ref), str(kind),
                            dt.date.fromisoformat(str(deadline)), done_at, outcome,
                            labels, items))
    return out


def request_detail(session: Session, request_id: int) -> RequestDetailView:
    """One request in full for the officer: the verification, the extension, the linked
    persons, the tasks and (while open, when sealed to the officer) the identity."""
    guard.authorize(session, Action.PRIVACY_WORK)
    r = load_request(session, request_id)
    store = session.store
    withheld = int(store.conn.execute(
        "SELECT count(*) FROM dsr_withheld WHERE request_id = ?", (request_id,)).fetchone()[0])
    view = RequestDetailView(
        _row_view(session, r, clock.today()), r.verified_how, r.verified_by,
        r.extension_reason, r.answer,
        open_identity(session, request_id) if r.status == "open" else None,
        tuple(subject_views(session, request_id)),
        tuple(task_views(session, "t.request_id = ?", (request_id,))), withheld)
    with store.transaction():
        store.log("request.read", object_type="dsr_request", object_id=str(request_id),
                  attributes={"status": r.status})
    return view


# -- extending and closing -------------------------------------------------------------

def _open_request(session: Session, request_id: int) -> _Request:
    r = load_request(session, request_id)
    if r.status != "open":
        raise InputError("request.closed", N_("This request is closed."))
    return r


def extend(session: Session, request_id: int, until: dt.date, reason: str) -> None:
    """Extend the term once, with a reason, to at most two months after the four weeks
    (AVG 12(3)); ``until`` lies after the deadline."""
    guard.authorize(session, Action.PRIVACY_WORK)
    r = _open_request(session, request_id)
    why = _text(reason, "request.extension_reason", N_("Give the reason for the extension."))
    if r.extended_until is not None:
        raise InputError("request.extended", N_("The term of this request was extended "
                                                "already; it can be extended once."))
    latest = rights.latest_extension(r.received_on)
    if until <= r.deadline_on:
        raise InputError("request.extension_early",
                         N_("An extension must end after the deadline."))
    if until > latest:
        raise InputError("request.extension_late",
                         N_("An extension may reach {latest} at the latest."),
                         {"latest": latest.isoformat()})
    store = session.store
    with store.transaction():
        store.conn.execute(
            "UPDATE dsr_requests SET extended_until = ?, extension_reason = ? WHERE id = ?",
            (until.isoformat(), why, request_id))
        store.log("request.extend", object_type="dsr_request", object_id=str(request_id),
                  attributes={"until": until.isoformat()})


def close_request(session: Session, request_id: int, answer: str,
                  answered_on: dt.date) -> None:
    """Close a request with the answer given and its date.  The officer's seals of the
    request's items go at once, and the items are re-keyed by their next holder, so the
    key the officer held opens none of their later versions."""
    guard.authorize(session, Action.PRIVACY_WORK)
    r = _open_request(session, request_id)
    text = _text(answer, "request.answer", N_("Record the answer given."))
    if answered_on < r.received_on or answered_on > clock.today():
        raise InputError("request.answered_on", N_("The answer date must lie between the "
                                                   "date received and today."))
    store = session.store
    conn = store.conn
    officer = user_principal(r.created_by)
    with store.transaction():
        conn.execute(
            "UPDATE dsr_requests SET status = 'closed', answer = ?, answered_on = ?"
            " WHERE id = ?", (text, answered_on.isoformat(), request_id))
        items = [int(i) for i, in conn.execute(
            "SELECT i.id FROM items i JOIN dsr_subjects s ON s.person_id = i.person_id"
            " WHERE s.request_id = ? AND i.id IN (SELECT item_id FROM item_keys"
            " WHERE holder = ?)", (request_id, officer))]
        conn.execute("DELETE FROM item_keys WHERE holder = ? AND item_id IN"
                     " (SELECT value FROM json_each(?))", (officer, json.dumps(items)))
        conn.execute("UPDATE items SET rekey_due = 1 WHERE id IN"
                     " (SELECT value FROM json_each(?))", (json.dumps(items),))
        # The directors searched while the request was open; nobody searches any more.
        conn.execute("DELETE FROM dsr_keys WHERE request_id = ? AND holder != ?",
                     (request_id, officer))
        cases = [int(c) for c, in conn.execute(
            "SELECT DISTINCT case_id FROM dsr_subjects WHERE request_id = ?", (request_id,))]
        # Not store.mark_case: the officer keeps no keys to re-key with (ZVH 9.6); the
        # next holder of each case does it at login.
        keys_requests.mark_cases(store, cases, clock.utc_now_iso())
        store.log("request.close", object_type="dsr_request", object_id=str(request_id),
                  attributes={"answered_on": answered_on.isoformat(),
                              "late": answered_on > (r.extended_until or r.deadline_on),
                              "seals_removed": len(items)})


def officer_request(session: Session, request_id: int) -> _Request:
    """The open request for the acting officer's own work on it (the officer who
    registered it: only they hold its keys)."""
    guard.authorize(session, Action.PRIVACY_WORK)
    r = _open_request(session, request_id)
    if r.created_by != session.user.username:
        raise InputError("request.other_officer",
                         N_("Only the officer who registered this request can do this."))
    return r

