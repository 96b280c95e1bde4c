"""The audit trail viewer for the privacy officer and the administrator (issue 11).

:func:`count_audit` and :func:`audit_page` page through the chain with an
:class:`app.views.registers.AuditFilter` (user, entry name, case, period), newest first;
:func:`audit_verdict` checks the chain and its witnesses and says the outcome in plain
words; :func:`export_audit` gives the selected entries as JSON Lines with their hashes and
signatures (the whole chain without a filter, so it can be checked elsewhere), to keep
with the signed head of :func:`app.services.admin.export_head`.

Filtering by case finds the case's own entries (``object_type`` case), its disclosures and
reports (through their registers' indexes) and the entries that name it in their
attributes (a scan of the attributes: there is no index on them).  Every look is logged
(``audit.read``, ``audit.export``) with the filter's fields; reading needs
``READ_REGISTER``, the export ``EXPORT_REGISTER``, the check ``VERIFY_AUDIT``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from app.crypto.keyslots import normalise_username
from app.errors import InputError, StoreError
from app.i18n import N_, _
from app.policy.access import Action
from app.profiles import Profile
from app.services import admin, audit_words, guard
from app.services.redaction import party_ref, profile_of
from app.services.registers import MAX_PAGE, case_id_of, order_by, utc_bounds
from app.services.session import Session
from app.store import witness
from app.store.audit import VerifyResult
from app.store.connection import Connection
from app.store.signing import root_key_id
from app.views.registers import AuditFilter, AuditRow, AuditVerdict, WitnessResult

_COLUMNS = ("seq, trace_id, span_id, parent_span_id, name, status, start_time, end_time,"
            " username, party_id, object_type, object_id, processing_activity_id,"
            " data_subject_id, data_subject_id_type, attributes")
_EXPORT_KEYS = ("seq", "trace_id", "span_id", "parent_span_id", "name", "status",
                "start_time", "end_time", "username", "party_id", "object_type", "object_id",
                "processing_activity_id", "data_subject_id", "data_subject_id_type",
                "attributes", "hash", "signer", "sig")
# What AuditTrail.verify reports when the head file disagrees with the database.
_HEAD_PROBLEMS = frozenset({"head file damaged or forged", "head file missing",
                            "newest entries cut off", "entry does not match the head file"})


def _where(conn: Connection, f: AuditFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if f.username is not None:
        clauses.append("username = ?")
        params.append(normalise_username(f.username))
    if f.name is not None:
        name = f.name.strip()
        if name.endswith("*"):
            prefix = name[:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("name LIKE ? ESCAPE '\\'")
            params.append(prefix + "%")
        else:
            clauses.append("name = ?")
            params.append(name)
    if f.case_ref is not None:
        case_id = case_id_of(conn, f.case_ref)
        clauses.append(
            "((object_type = 'case' AND object_id = ?)"
            " OR seq IN (SELECT audit_seq FROM disclosures WHERE case_id = ?)"
            " OR seq IN (SELECT audit_seq FROM reports WHERE case_reference = ?)"
            " OR json_extract(attributes, '$.case') IN (?, ?))")
        # The reference in most entries, the case id in a disclosure's (index audit_case).
        params += [f.case_ref, case_id, f.case_ref, f.case_ref, case_id]
    start, end = utc_bounds(f.date_from, f.date_to)
    if start is not None:
        clauses.append("start_time >= ?")
        params.append(start)
    if end is not None:
        clauses.append("start_time < ?")
        params.append(end)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _log(session: Session, name: str, f: AuditFilter, **extra: object) -> None:
    store = session.store
    with store.transaction():
        store.log(name, object_type="register", object_id="audit",
                  attributes={"filter": f.log_fields(), **extra})


def count_audit(session: Session, f: AuditFilter) -> int:
    """How many audit entries the filter selects (privacy officer, beheerder)."""
    guard.authorize(session, Action.READ_REGISTER)
    conn = session.store.conn
    where, params = _where(conn, f)
    count = int(conn.execute(f"SELECT count(*) FROM audit{where}", params).fetchone()[0])
    _log(session, "audit.read", f, count=count)
    return count


SORT_KEYS = {"seq": "seq", "user": "username", "party": "party_id", "name": "name",
             "status": "status"}
"""The orders the audit table offers (column key -> SQL); ``seq`` breaks ties."""


def audit_page(session: Session, f: AuditFilter, offset: int = 0,
               limit: int = 50, *, sort: str | None = None,
               descending: bool = True) -> list[AuditRow]:
    """One page of the selected entries, newest first or in the order of ``sort`` (a key
    of :data:`SORT_KEYS`) (privacy officer, beheerder)."""
    guard.authorize(session, Action.READ_REGISTER)
    order = order_by(sort, descending, SORT_KEYS, "seq")
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InputError("register.page", N_("A page holds 1 to {max} rows."),
                         {"max": MAX_PAGE})
    conn = session.store.conn
    where, params = _where(conn, f)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM audit{where}{order}"
                        " LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    _log(session, "audit.read", f, offset=offset, rows=len(rows))
    profile = profile_of(session)
    namer = audit_words.Namer(conn, profile)
    return [_row(profile, namer, r) for r in rows]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _row(profile: Profile, namer: audit_words.Namer, r: Sequence[object]) -> AuditRow:
    """One entry, with the words the screen shows (the service decides what an object is
    called: :mod:`app.services.audit_words`)."""
    try:
        attrs = json.loads(str(r[15]))
    except ValueError:
        attrs = {}
    pairs = tuple(sorted(
        (str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
        for k, v in (attrs.items() if isinstance(attrs, dict) else ())))
    object_type, object_id, subject = _text(r[10]), _text(r[11]), _text(r[13])
    return AuditRow(
        seq=int(str(r[0])), trace_id=str(r[1]), span_id=str(r[2]), parent_span_id=_text(r[3]),
        name=str(r[4]), status=str(r[5]), start_time=str(r[6]), end_time=str(r[7]),
        username=str(r[8]), party=party_ref(profile, str(r[9])) if r[9] is not None else None,
        object_type=object_type, object_id=object_id, processing_activity_id=_text(r[12]),
        data_subject_id=subject, data_subject_id_type=_text(r[14]), attributes=pairs,
        label=audit_words.entry_label(str(r[4])),
        object_label=namer.object(object_type, object_id),
        object_when=(namer.meeting_start(object_id)
                     if object_type == "meeting" and object_id is not None else None),
        subject_label=namer.person(subject) if subject is not None else None,
        activity_name=namer.activity(_text(r[12])))


def export_audit(session: Session, f: AuditFilter) -> tuple[int, Iterator[str]]:
    """The selected entries (all without a filter) as JSON Lines, oldest first, with each
    entry's hash, signing key and signature; the count and the lines.  The export is
    logged before the first line is read (``EXPORT_REGISTER``)."""
    guard.authorize(session, Action.EXPORT_REGISTER)
    conn = session.store.conn
    where, params = _where(conn, f)
    # The export ends at the newest entry before its own ``audit.export`` entry, so the
    # count logged is the count written.
    last = int(conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0])
    where = f"{where} AND seq <= ?" if where else " WHERE seq <= ?"
    params = [*params, last]
    count = int(conn.execute(f"SELECT count(*) FROM audit{where}", params).fetchone()[0])
    _log(session, "audit.export", f, entries=count, last=last)
    sql = f"SELECT {_COLUMNS}, mac, signer, sig FROM audit{where} ORDER BY seq"

    def lines() -> Iterator[str]:
        for raw in conn.execute(sql, params):
            # ``attributes`` stays the stored JSON text: the entry's hash covers that text,
            # so whoever checks the export recomputes it from exactly these values.
            entry = dict(zip(_EXPORT_KEYS, raw, strict=True))
            yield json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"

    return count, lines()


# --------------------------------------------------------------------------- the check


def audit_verdict(session: Session) -> AuditVerdict:
    """Verify the chain (:func:`app.services.admin.verify_audit`, which checks the role and
    logs the check) and what its witnesses say, in plain words."""
    guard.authorize(session, Action.VERIFY_AUDIT)
    # This computer's witness first: the check's own entry moves it forward.
    computer = _this_computer(session)
    result = admin.verify_audit(session)
    witnesses = (_head_file(result), computer)
    return AuditVerdict(ok=result.ok and all(w.ok is not False for w in witnesses),
                        entries=result.entries, first_bad_seq=result.broken_seq,
                        problem=result.problem, witnesses=witnesses,
                        sentence=_sentence(result, witnesses))


def _head_file(result: VerifyResult) -> WitnessResult:
    if result.ok:
        return WitnessResult("head_file", True, result.entries)
    if result.problem in _HEAD_PROBLEMS:
        return WitnessResult("head_file", False, result.gap[1] if result.gap else None,
                             result.problem)
    # The walk broke before the head could be compared.
    return WitnessResult("head_file", None)


def _this_computer(session: Session) -> WitnessResult:
    trail = session.store.audit
    seen = witness.superseded_attributes(trail.witness_id)
    if not seen:
        return WitnessResult("this_computer", None)
    seq = int(str(seen[witness.SUPERSEDED_SEQ]))
    root = root_key_id(session.store.conn)
    if root is None:
        return WitnessResult("this_computer", None, seq)
    try:
        witness.check(trail.witness_id, trail, root)
    except StoreError as error:
        return WitnessResult("this_computer", False, seq, error.code)
    return WitnessResult("this_computer", True, seq)


def _sentence(result: VerifyResult, witnesses: tuple[WitnessResult, ...]) -> str:
    head, computer = witnesses
    if result.ok:
        text = _("The audit trail is intact: all {n} entries are in order, each signed by "
                 "the user who acted, and they match the disclosure and report registers."
                 ).format(n=result.entries)
    elif head.ok is False:
        text = _("The audit trail does not match its head file ({problem}): entries may "
                 "have been cut off or the head replaced. Ask the administrator to compare "
                 "the store with a backup and the kept head.").format(
                     problem=_(result.problem or "-"))
    else:
        text = _("The audit trail is NOT intact: entry {seq} fails the check ({problem}). "
                 "The {n} entries before it are in order. Ask the administrator to compare "
                 "the store with a backup and the kept head.").format(
                     seq=result.broken_seq if result.broken_seq is not None else "-",
                     problem=_(result.problem or "-"), n=result.entries)
    if computer.ok is True:
        text += " " + _("This computer last saw entry {seq}; the store continues from it."
                        ).format(seq=computer.seq)
    elif computer.ok is False:
        text += " " + _("This computer saw entry {seq}, and the store does not continue "
                        "from it: an older or another copy may have been put in its place."
                        ).format(seq=computer.seq)
    else:
        text += " " + _("This computer has no earlier record of the store to compare with.")
    return text
