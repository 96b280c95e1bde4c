"""The disclosure register for the privacy officer (verstrekkingenregister, ZVH 8.1, 17.5).

Paged for lazy tables: :func:`count_disclosures` and :func:`disclosure_page` with a
:class:`app.views.registers.DisclosureFilter` (data subject, providing and receiving party,
channel, legal basis, case, period); never the whole register in memory (the 10k store
holds hundreds of thousands of rows, and every filter has its index, schema 11).
:func:`report_of` opens the report a row came from (document id and SHA-256).

:func:`ldv_lines` exports the selected rows in the field model of the Logboek
Dataverwerkingen standard, one line per data subject per disclosure:

* the data subject is a ``persons`` row (``dpl.core.data_subject_id`` its id, type
  :data:`app.views.registers.LDV_SUBJECT_TYPE`); an item whose ``person_id`` is NULL
  concerns the case as a whole, so it gives one line for *each* person of the case (with a
  data-subject filter: the line of that person only); a case without any person gives one
  line without a data subject, so no disclosure is lost from an export;
* the trace, span, name, status and times are those of the row's chained ``disclosure``
  audit entry, and ``dpl.core.processing_activity_id`` is the row's purpose (the activity
  of the processing register, ZVH 24.3);
* no user is in a line: the user is in the audit trail, linked by ``audit_seq`` and the
  span id.  An export needs at least one filter (``register.export_unfiltered``): the
  standard is for answering about persons and processing, not for bulk dumps.

Every look is logged (``register.read``, ``register.export``) with the filter's ids, codes
and dates; reading needs ``READ_REGISTER``, exporting ``EXPORT_REGISTER``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence

from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.profiles import Profile
from app.services import guard
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.store.connection import Connection
from app.views.registers import (
    CHANNELS,
    LDV_COLUMNS,
    LDV_SUBJECT_TYPE,
    DisclosureFilter,
    DisclosureRow,
    LdvLine,
    ReportRef,
    SubjectRef,
)

MAX_PAGE = 1000
EXPORT_FORMATS = ("csv", "json", "ldv")

_ROW_SQL = (
    "SELECT d.id, d.audit_seq, d.disclosed_at, c.reference, d.item_id, i.person_id, p.label,"
    " d.provider_party, d.recipient_party, d.username, d.purpose, d.legal_basis,"
    " d.necessity, d.channel, d.document_id"
    " FROM disclosures d LEFT JOIN items i ON i.id = d.item_id"
    " LEFT JOIN cases c ON c.id = d.case_id LEFT JOIN persons p ON p.id = i.person_id")

_LINE_SQL = (
    "SELECT d.audit_seq, a.trace_id, a.span_id, a.parent_span_id, a.name, a.status,"
    " a.start_time, a.end_time, d.purpose, i.person_id, d.case_id, d.provider_party,"
    " d.recipient_party, d.legal_basis, d.channel, c.reference, d.item_id, d.document_id"
    " FROM disclosures d JOIN audit a ON a.seq = d.audit_seq"
    " LEFT JOIN items i ON i.id = d.item_id LEFT JOIN cases c ON c.id = d.case_id")


def utc_bounds(date_from: dt.date | None, date_to: dt.date | None
               ) -> tuple[str | None, str | None]:
    """Local calendar days (both included) as UTC ISO bounds ``[start, end)`` that compare
    as text with stored UTC timestamps (with or without microseconds)."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InputError("register.period", N_("The period ends before it starts."))

    def start_of(day: dt.date) -> str:
        local = dt.datetime.combine(day, dt.time.min).astimezone()
        return local.astimezone(dt.UTC).isoformat(timespec="seconds")

    return (start_of(date_from) if date_from else None,
            start_of(date_to + dt.timedelta(days=1)) if date_to else None)


def case_id_of(conn: Connection, reference: str) -> int:
    """The id of the case ``reference``; ``register.case_unknown`` when there is none."""
    row = conn.execute("SELECT id FROM cases WHERE reference = ?", (reference,)).fetchone()
    if row is None:
        raise InputError("register.case_unknown", N_("There is no case with this reference."))
    return int(row[0])


def _person_case(conn: Connection, person_id: int) -> int:
    row = conn.execute("SELECT case_id FROM persons WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise InputError("register.person_unknown",
                         N_("There is no person with this id in the store."))
    return int(row[0])


def _where(conn: Connection, profile: Profile, f: DisclosureFilter
           ) -> tuple[str, list[object]]:
    """The WHERE clause over ``disclosures d`` (no joins needed, so a count is cheap)."""
    clauses: list[str] = []
    params: list[object] = []
    if f.person_id is not None:
        # The person's own items, and the items about their case as a whole.
        clauses.append("d.item_id IN (SELECT id FROM items WHERE person_id = ?"
                       " OR (person_id IS NULL AND case_id = ?))")
        params += [f.person_id, _person_case(conn, f.person_id)]
    for column, value in (("provider_party", f.provider), ("recipient_party", f.recipient)):
        if value is not None:
            if not profile.has_party(value):
                raise InputError("register.party_unknown",
                                 N_("This party is not part of the covenant."))
            clauses.append(f"d.{column} = ?")
            params.append(value)
    if f.channel is not None:
        if f.channel not in CHANNELS:
            raise InputError("register.channel_unknown",
                             N_("Unknown channel {channel}; use one of: {channels}."),
                             {"channel": f.channel, "channels": ", ".join(CHANNELS)})
        clauses.append("d.channel = ?")
        params.append(f.channel)
    if f.legal_basis is not None:
        clauses.append("d.legal_basis = ?")
        params.append(f.legal_basis)
    if f.case_ref is not None:
        clauses.append("d.case_id = ?")
        params.append(case_id_of(conn, f.case_ref))
    start, end = utc_bounds(f.date_from, f.date_to)
    if start is not None:
        clauses.append("d.disclosed_at >= ?")
        params.append(start)
    if end is not None:
        clauses.append("d.disclosed_at < ?")
        params.append(end)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _log(session: Session, name: str, f: DisclosureFilter, **extra: object) -> None:
    store = session.store
    with store.transaction():
        store.log(name, object_type="register", object_id="disclosures",
                  data_subject_id=str(f.person_id) if f.person_id is not None else None,
                  attributes={"filter": f.log_fields(), **extra})


def count_disclosures(session: Session, f: DisclosureFilter) -> int:
    """How many register rows the filter selects (privacy officer, beheerder)."""
    guard.authorize(session, Action.READ_REGISTER)
    conn = session.store.conn
    where, params = _where(conn, profile_of(session), f)
    count = int(conn.execute(f"SELECT count(*) FROM disclosures d{where}", params).fetchone()[0])
    _log(session, "register.read", f, count=count)
    return count


SORT_KEYS = {"when": "d.id", "case": "d.case_id", "provider": "d.provider_party",
             "recipient": "d.recipient_party", "user": "d.username",
             "basis": "d.legal_basis", "channel": "d.channel"}
"""The orders the register table offers (column key -> SQL); the row id breaks ties, so
paging never shows a row twice."""


def order_by(sort: str | None, descending: bool, keys: dict[str, str], tie: str) -> str:
    """An ORDER BY clause for a whitelisted sort key, ``tie`` breaking ties."""
    if sort is not None and sort not in keys:
        raise InputError("register.sort", N_("This column cannot be sorted."))
    direction = "DESC" if descending else "ASC"
    column = keys[sort] if sort is not None else tie
    return f" ORDER BY {column} {direction}, {tie} {direction}"


def disclosure_page(session: Session, f: DisclosureFilter, offset: int = 0,
                    limit: int = 50, *, sort: str | None = None,
                    descending: bool = True) -> list[DisclosureRow]:
    """One page of the selected rows, newest first or in the order of ``sort`` (a key of
    :data:`SORT_KEYS`) (privacy officer, beheerder)."""
    guard.authorize(session, Action.READ_REGISTER)
    order = order_by(sort, descending, SORT_KEYS, "d.id")
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InputError("register.page", N_("A page holds 1 to {max} rows."),
                         {"max": MAX_PAGE})
    conn = session.store.conn
    profile = profile_of(session)
    where, params = _where(conn, profile, f)
    rows = conn.execute(f"{_ROW_SQL}{where}{order} LIMIT ? OFFSET ?",
                        [*params, limit, offset]).fetchall()
    _log(session, "register.read", f, offset=offset, rows=len(rows))
    return [_row(profile, r) for r in rows]


def _row(profile: Profile, r: Sequence[object]) -> DisclosureRow:
    activity = str(r[10])
    person = SubjectRef(int(str(r[5])), str(r[6])) if r[5] is not None else None
    known = {a.id for a in profile.activities}
    return DisclosureRow(
        id=int(str(r[0])), audit_seq=int(str(r[1])), disclosed_at=str(r[2]),
        case_ref=str(r[3]) if r[3] is not None else "", item_id=int(str(r[4])),
        person=person, provider=party_ref(profile, str(r[7])),
        recipient=party_ref(profile, str(r[8])), username=str(r[9]), activity=activity,
        activity_name=profile.activity(activity).name if activity in known else None,
        legal_basis=str(r[11]), necessity=str(r[12] or ""), channel=str(r[13]),
        document_id=str(r[14]) if r[14] is not None else None)


def report_of(session: Session, document_id: str) -> ReportRef:
    """The report (or agenda, minutes, inzage ...) a register row came from: its document
    id and the SHA-256 of the PDF, from the report register (ZVH 8.1)."""
    guard.authorize(session, Action.READ_REGISTER)
    row = session.store.conn.execute(
        "SELECT document_id, sha256, kind, recipient, case_reference, meeting_id, pages,"
        " created_at FROM reports WHERE document_id = ?", (document_id,)).fetchone()
    if row is None:
        raise InputError("register.report_unknown",
                         N_("There is no report with this document id."))
    store = session.store
    with store.transaction():
        store.log("register.read", object_type="report", object_id=document_id)
    return ReportRef(str(row[0]), str(row[1]), str(row[2]), str(row[3]),
                     str(row[4]) if row[4] is not None else None,
                     int(row[5]) if row[5] is not None else None, int(row[6]), str(row[7]))


# --------------------------------------------------------------------------- LDV export


def ldv_lines(session: Session, f: DisclosureFilter) -> list[LdvLine]:
    """The selected disclosures as LDV lines, one per data subject per disclosure, oldest
    first (see the module docstring).  Needs ``EXPORT_REGISTER`` and at least one filter."""
    guard.authorize(session, Action.EXPORT_REGISTER)
    if f.is_empty():
        raise InputError(
            "register.export_unfiltered",
            N_("Choose at least one filter (a person, party, case, channel or period): "
               "the register is not exported whole."))
    conn = session.store.conn
    where, params = _where(conn, profile_of(session), f)
    persons: dict[int, list[int]] = {}
    lines: list[LdvLine] = []
    for r in conn.execute(f"{_LINE_SQL}{where} ORDER BY d.id", params):
        subjects: Iterable[int | None]
        if r[9] is not None:
            subjects = (int(r[9]),)
        elif f.person_id is not None:
            subjects = (f.person_id,)
        else:
            case_id = int(r[10])
            if case_id not in persons:
                persons[case_id] = [int(p[0]) for p in conn.execute(
                    "SELECT id FROM persons WHERE case_id = ? ORDER BY id", (case_id,))]
            subjects = persons[case_id] or (None,)
        lines.extend(
            LdvLine(
                trace_id=str(r[1]), span_id=str(r[2]),
                parent_span_id=str(r[3]) if r[3] is not None else None, name=str(r[4]),
                status=str(r[5]), start_time=str(r[6]), end_time=str(r[7]),
                processing_activity_id=str(r[8]),
                data_subject_id=str(subject) if subject is not None else None,
                data_subject_id_type=LDV_SUBJECT_TYPE if subject is not None else None,
                provider_party=str(r[11]), recipient_party=str(r[12]),
                legal_basis=str(r[13]), channel=str(r[14]),
                case_ref=str(r[15]) if r[15] is not None else "", item_id=int(r[16]),
                document_id=str(r[17]) if r[17] is not None else None,
                audit_seq=int(r[0]))
            for subject in subjects)
    _log(session, "register.export", f, lines=len(lines))
    return lines


def render_lines(lines: Sequence[LdvLine], fmt: str) -> str:
    """``csv`` (the columns of :data:`LDV_COLUMNS`), ``json`` (one array of LDV records)
    or ``ldv`` (JSON Lines: one LDV record per line)."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=LDV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for line in lines:
            writer.writerow(line.flat())
        return out.getvalue()
    if fmt == "json":
        return json.dumps([line.record() for line in lines], ensure_ascii=False,
                          indent=1) + "\n"
    if fmt == "ldv":
        return "".join(json.dumps(line.record(), ensure_ascii=False, sort_keys=True) + "\n"
                       for line in lines)
    raise InputError("register.format", N_("Unknown format {format}."), {"format": fmt})
