"""Reports as redacted PDFs: plan van aanpak, voortgangsrapportage, afsluitrapportage, the
notulen of a meeting and the agenda of a meeting for one invited party.

Every report is made for one recipient — a party, or the table (the parties present at the
meeting) — and shows only what that recipient may see, through the same redacted views as
the screens (:mod:`app.services.cases`).  The PDF is rendered in memory; only
:func:`save_report` writes, to the path the user chose.  Each generated report is recorded
in one transaction: an audit entry ``report.generate``, a row in ``reports`` (with the
SHA-256 of the PDF), and a disclosure-register row (channel ``report``, with the document
id) for each FULL item of another party that the document shows to each recipient.

Who may make a report: the case's procesregisseur (any kind, for any party involved or the
table); for the notulen the chair of the meeting or its minute taker, for the table or
for one party present (ZVH 15.2); the agenda only the chair, for one invited party, with
only the cases that party is invited for (ZVH 13.2).  A cancelled render writes and logs
nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app import clock
from app.domain.records import AgendaEntry, Case, Item, Meeting
from app.domain.vocab import MeetingStatus
from app.errors import InputError
from app.fsutil import atomic_write
from app.i18n import LANGUAGES, N_, _
from app.policy.access import Action
from app.policy.engine import Decision
from app.policy.facts import load_facts
from app.profiles import Profile
from app.reports.data import (
    AgendaCase,
    AgendaNote,
    CaseReport,
    MeetingReport,
    Recipient,
    ReportData,
)
from app.reports.render import render_report
from app.services import disclosure, guard
from app.services.cases import case_views, plan_texts
from app.services.redaction import (
    context,
    joint_scope_for,
    joint_visible,
    party_ref,
    profile_of,
)
from app.services.session import Session
from app.store import repo
from app.store.audit import new_trace_id
from app.tasks import Progress
from app.views import AttendeeView, CaseView, ReportKind, ReportRequest, ReportResult, ViewSpec

Shown = list[tuple[Item, Decision]]


@dataclass(frozen=True)
class PreparedReport:
    """A report's data (for the renderer) plus, per case, the FULL items of its view."""

    data: ReportData
    shown: list[tuple[Case, Shown]]


def new_document_id() -> str:
    """A short random document id printed on every page, e.g. ``CT-3F9A-2B7C-1D4E``."""
    code = uuid.uuid4().hex.upper()
    return f"CT-{code[:4]}-{code[4:8]}-{code[8:12]}"


def _check_arguments(kind: str, case_ref: str | None, meeting_id: int | None,
                     recipient: str | None, table: bool, date_from: dt.date | None,
                     date_to: dt.date | None, lang: str) -> None:
    if kind not in {k.value for k in ReportKind}:
        raise InputError("report.kind", N_("Unknown report kind."))
    if lang not in LANGUAGES:
        raise InputError("report.language", N_("Unknown report language."))
    if table == (recipient is not None):
        raise InputError("report.recipient",
                         N_("Choose one recipient: a party or the table."))
    if kind == ReportKind.MINUTES:
        if meeting_id is None or case_ref is not None:
            raise InputError("report.meeting_required",
                             N_("Minutes are made for a meeting, not for a case."))
    elif kind == ReportKind.AGENDA:
        if meeting_id is None or case_ref is not None:
            raise InputError("report.meeting_required",
                             N_("An agenda is made for a meeting, not for a case."))
        if table:
            raise InputError("report.agenda_party",
                             N_("An agenda is made for one invited party, not for the "
                                "table."))
    elif not case_ref:
        raise InputError("report.case_required", N_("This report is made for a case."))
    if not ReportKind(kind).has_period and (date_from is not None or date_to is not None):
        raise InputError("report.period_unused",
                         N_("A period applies only to the progress report."))
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InputError("report.period", N_("The period must not end before it starts."))


def _check_party(profile: Profile, party: str) -> None:
    if not profile.has_party(party):
        raise InputError("party.unknown", N_("This party is not part of the covenant."))


def _meeting(session: Session, meeting_id: int) -> Meeting:
    found = repo.meetings(session.store.conn, [meeting_id])
    if not found:
        raise InputError("meeting.unknown", N_("No such meeting."))
    return found[0]


def _names(session: Session) -> dict[str, str]:
    return repo.display_names(session.store.conn)


def _meeting_report(meeting: Meeting, names: dict[str, str]) -> MeetingReport:
    return MeetingReport(meeting.id, meeting.starts_at, meeting.place,
                         names.get(meeting.chair or ""), names.get(meeting.notulist or ""))


def _held_on(session: Session, meeting: Meeting) -> dt.date | None:
    """The day the chair closed the meeting (local time), or None while it is planned."""
    if meeting.status is not MeetingStatus.HELD:
        return None
    row = session.store.conn.execute("SELECT held_at FROM meetings WHERE id = ?",
                                     (meeting.id,)).fetchone()
    return _local_day(str(row[0])) if row and row[0] else None


def _local_day(utc_iso: str) -> dt.date:
    moment = dt.datetime.fromisoformat(utc_iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().date()


def _notes(session: Session, spec: ViewSpec, cases: Sequence[Case], meeting_id: int,
           day: dt.date, copy: bool) -> dict[int, tuple[AgendaNote, ...]]:
    """Per case, the discussion notes of the meeting the look may show: under the rule of
    the case's decisions (the joint record and its scope, ZVH 2.2, 13.2, 15.2)."""
    conn = session.store.conn
    rows = repo.agenda_notes(conn, meeting_id)
    if not rows:
        return {}
    facts = load_facts(conn, [c for c in cases if c.id in rows])
    ctx = context(session, spec.meeting_id, day, copy=copy)
    out: dict[int, tuple[AgendaNote, ...]] = {}
    for case_id, notes in rows.items():
        f = facts.get(case_id)
        if f is None or not joint_visible(session, spec, f, ctx):
            continue
        scope = joint_scope_for(session, spec, f)
        shown = tuple(AgendaNote(nid, text, _local_day(at), addendum)
                      for nid, text, _by, at, addendum in notes
                      if scope.covers(meeting_id, _local_day(at)))
        if shown:
            out[case_id] = shown
    return out


def _latest_meeting(session: Session, case_id: int) -> Meeting | None:
    row = session.store.conn.execute(
        "SELECT m.id FROM agenda a JOIN meetings m ON m.id = a.meeting_id"
        " WHERE a.case_id = ? ORDER BY m.starts_at DESC, m.id DESC LIMIT 1",
        (case_id,)).fetchone()
    return _meeting(session, int(row[0])) if row else None


def _next_meeting(session: Session, case_id: int, day: dt.date) -> dt.datetime | None:
    row = session.store.conn.execute(
        "SELECT min(m.starts_at) FROM agenda a JOIN meetings m ON m.id = a.meeting_id"
        " WHERE a.case_id = ? AND m.starts_at > ?", (case_id, day.isoformat())).fetchone()
    return dt.datetime.fromisoformat(row[0]) if row and row[0] else None


def _present(session: Session, meeting_id: int) -> set[str]:
    return {a.party_id for a in repo.attendees(session.store.conn, meeting_id) if a.present}


def _case_report(session: Session, case: Case, view: CaseView, day: dt.date) -> CaseReport:
    if not view.content_visible:
        return CaseReport(view)
    # The reason for closing is kept with the plan, under its key (schema 19).
    reason = plan_texts(session, case.id)["close_reason"] if case.closed_at else None
    return CaseReport(view, reason or None, case.close_basis,
                      _next_meeting(session, case.id, day))


def _case_meeting(session: Session, case: Case, meeting_id: int | None,
                  table: bool) -> tuple[Meeting | None, AgendaEntry | None]:
    """The meeting a case report is for: the one given, or for the table the latest with
    the case on its agenda; with the case's agenda entry."""
    meeting = None
    if meeting_id is not None:
        meeting = _meeting(session, meeting_id)
    elif table:
        meeting = _latest_meeting(session, case.id)
    if meeting is None:
        return None, None
    entry = next((e for e in repo.agenda(session.store.conn, meeting.id)
                  if e.case_id == case.id), None)
    if entry is None:
        raise InputError("report.not_on_agenda",
                         N_("This case is not on the agenda of this meeting."))
    return meeting, entry


def _build_case(session: Session, profile: Profile, *, kind: ReportKind, case_ref: str,
                meeting_id: int | None, recipient: str | None, table: bool,
                period: tuple[dt.date | None, dt.date | None], day: dt.date, lang: str,
                document_id: str) -> PreparedReport:
    case, facts = guard.case_for(session, case_ref, Action.REPORT)
    meeting, entry = _case_meeting(session, case, meeting_id, table)
    mid = meeting.id if meeting is not None else None
    if table:
        # The table for this case: the parties present at the meeting that did not leave
        # the room for it (without a meeting: every party involved).  A party present that
        # is not invited still blocks all content (ZVH 13.2).
        parties = (_present(session, mid) - entry.left_room
                   if mid is not None and entry is not None else set(facts.involved))
        if not parties:
            raise InputError("report.nobody_present",
                             N_("Nobody is recorded as present at this meeting."))
        spec = ViewSpec.table(parties, mid)
    else:
        assert recipient is not None  # noqa: S101 - checked in _check_arguments
        _check_party(profile, recipient)
        if recipient not in facts.involved:
            raise InputError("report.recipient_not_involved",
                             N_("The recipient is not involved in this case."))
        parties = {recipient}
        spec = ViewSpec.as_party(recipient, mid)
    # A report for one party is that party's own copy: only what the providers let it take
    # away shows in full (ZVH 3.5d); the table's version is the table's.
    built = case_views(session, [case], spec, today=day, copy=not table)
    if not built:  # pragma: no cover - metadata visibility was checked above
        raise InputError("case.unknown", N_("No case with this reference is available to you."))
    view, shown = built[0]
    report_period = None
    if kind.has_period:
        report_period = (period[0] or view.opened_at, period[1] or day)
        if report_period[0] > report_period[1]:
            raise InputError("report.period", N_("The period must not end before it starts."))
    data = ReportData(
        kind=kind, lang=lang, document_id=document_id, covenant=profile.name,
        recipient=Recipient(tuple(party_ref(profile, p) for p in sorted(parties)), table),
        today=day, author=session.user.display_name,
        case=_case_report(session, case, view, day),
        meeting=_meeting_report(meeting, _names(session)) if meeting is not None else None,
        period=report_period,
    )
    return PreparedReport(data, [(case, shown)])


def _build_minutes(session: Session, profile: Profile, *, meeting_id: int,
                   recipient: str | None, table: bool, day: dt.date, lang: str,
                   document_id: str) -> PreparedReport:
    conn = session.store.conn
    guard.meeting_for(session, meeting_id,
                      Action.MINUTES_TABLE if table else Action.MINUTES_FOR_PARTY)
    meeting = _meeting(session, meeting_id)
    user = session.user
    attendees = repo.attendees(conn, meeting.id)
    present = {a.party_id for a in attendees if a.present}
    if table:
        if not present:
            raise InputError("report.nobody_present",
                             N_("Nobody is recorded as present at this meeting."))
        parties = present
        spec = ViewSpec.table(present, meeting.id)
    else:
        assert recipient is not None  # noqa: S101 - checked in _check_arguments
        _check_party(profile, recipient)
        if recipient not in present:
            raise InputError("report.recipient_absent",
                             N_("The recipient was not present at this meeting."))
        parties = {recipient}
        spec = ViewSpec.as_party(recipient, meeting.id)
    entries = repo.agenda(conn, meeting.id)
    cases = {c.id: c for c in repo.cases(conn, [e.case_id for e in entries])}
    # case_views, not meeting_view: the minute taker's table version is built from the
    # minute taker's own rights (ZVH 15.2) combined with every party present.
    built = {v.case_id: (v, s) for v, s in case_views(session, cases.values(), spec, today=day,
                                                       copy=not table)}
    if not table:
        # A party's notulen hold the cases it was invited for at this meeting, not
        # every case it is involved in (ZVH 13.2, 15.2).
        entries = [e for e in entries if recipient in e.invited]
    notes = _notes(session, spec, [cases[e.case_id] for e in entries if e.case_id in cases],
                   meeting.id, day, copy=not table)
    agenda: list[AgendaCase] = []
    shown: list[tuple[Case, Shown]] = []
    for entry in entries:
        if entry.case_id not in built:
            continue
        view, case_shown = built[entry.case_id]
        # A case whose table was blocked shows no content, so not who was invited or who
        # left the room either: those lines name parties too (ZVH 13.2).
        shown_parties = not view.blocked_by
        # Of those that left, a blocked case names only the parties its notice names
        # anyway, so that the notice says they left instead of that they must leave.
        blocking = {p.id for p in view.blocked_by}
        left = entry.left_room if shown_parties else entry.left_room & blocking
        agenda.append(AgendaCase(
            len(agenda) + 1, _case_report(session, cases[entry.case_id], view, day),
            tuple(party_ref(profile, p) for p in sorted(entry.invited)) if shown_parties
            else (),
            tuple(party_ref(profile, p) for p in sorted(left)),
            # The notes follow the decisions: none without the case's content.
            notes.get(entry.case_id, ()) if view.content_visible else ()))
        shown.append((cases[entry.case_id], case_shown))
    names = _names(session)
    report = _meeting_report(meeting, names)
    data = ReportData(
        kind=ReportKind.MINUTES, lang=lang, document_id=document_id, covenant=profile.name,
        recipient=Recipient(tuple(party_ref(profile, p) for p in sorted(parties)), table),
        today=day, author=user.display_name,
        meeting=MeetingReport(
            report.meeting_id, report.starts_at, report.place, report.chair, report.notulist,
            tuple(AttendeeView(party_ref(profile, a.party_id), a.name, a.present)
                  for a in attendees),
            tuple(agenda), meeting.status is MeetingStatus.HELD, _held_on(session, meeting)),
    )
    return PreparedReport(data, shown)


def _build_agenda(session: Session, profile: Profile, *, meeting_id: int, recipient: str,
                  day: dt.date, lang: str, document_id: str) -> PreparedReport:
    """The agenda the chair sends one invited party: the meeting and only the cases that
    party is invited for, each with what the party may see of its header (ZVH 13.2)."""
    conn = session.store.conn
    guard.meeting_for(session, meeting_id, Action.AGENDA_FOR_PARTY)
    meeting = _meeting(session, meeting_id)
    _check_party(profile, recipient)
    # Filtered before anything of a case is loaded: a case the party is not invited for
    # is not even looked at for this document.
    entries = [e for e in repo.agenda(conn, meeting.id) if recipient in e.invited]
    if not entries:
        raise InputError("report.recipient_not_invited",
                         N_("The recipient is not invited for any case of this meeting."))
    cases = {c.id: c for c in repo.cases(conn, [e.case_id for e in entries])}
    spec = ViewSpec.as_party(recipient, meeting.id)
    built = {v.case_id: (v, s) for v, s in case_views(session, cases.values(), spec, today=day,
                                                       copy=True)}
    agenda: list[AgendaCase] = []
    shown: list[tuple[Case, Shown]] = []
    for entry in entries:
        if entry.case_id not in built:
            continue
        view, case_shown = built[entry.case_id]
        agenda.append(AgendaCase(
            len(agenda) + 1, CaseReport(view),
            tuple(party_ref(profile, p) for p in sorted(entry.invited))
            if view.content_visible else (), ()))
        shown.append((cases[entry.case_id], case_shown))
    report = _meeting_report(meeting, _names(session))
    data = ReportData(
        kind=ReportKind.AGENDA, lang=lang, document_id=document_id, covenant=profile.name,
        recipient=Recipient((party_ref(profile, recipient),), False), today=day,
        author=session.user.display_name,
        meeting=MeetingReport(report.meeting_id, report.starts_at, report.place,
                              report.chair, report.notulist, agenda=tuple(agenda),
                              held=meeting.status is MeetingStatus.HELD),
    )
    return PreparedReport(data, shown)


def prepare_report(session: Session, request: ReportRequest, *,
                   today: dt.date | None = None) -> PreparedReport:
    """Check the request and the acting user's rights and build the report's data from
    the redacted views (nothing is rendered, written or logged; see
    :func:`generate_report`)."""
    r = request
    _check_arguments(r.kind, r.case_ref, r.meeting_id, r.recipient, r.table, r.date_from,
                     r.date_to, r.lang)
    guard.authorize(session, Action.MAKE_REPORTS)
    day = today or clock.today()
    profile = profile_of(session)
    document_id = new_document_id()
    if r.kind == ReportKind.MINUTES:
        assert r.meeting_id is not None  # noqa: S101 - checked in _check_arguments
        return _build_minutes(session, profile, meeting_id=r.meeting_id,
                              recipient=r.recipient, table=r.table, day=day, lang=r.lang,
                              document_id=document_id)
    if r.kind == ReportKind.AGENDA:
        assert r.meeting_id is not None  # noqa: S101 - checked in _check_arguments
        assert r.recipient is not None  # noqa: S101 - checked in _check_arguments
        return _build_agenda(session, profile, meeting_id=r.meeting_id,
                             recipient=r.recipient, day=day, lang=r.lang,
                             document_id=document_id)
    assert r.case_ref is not None  # noqa: S101 - checked in _check_arguments
    return _build_case(session, profile, kind=ReportKind(r.kind), case_ref=r.case_ref,
                       meeting_id=r.meeting_id, recipient=r.recipient, table=r.table,
                       period=(r.date_from, r.date_to), day=day, lang=r.lang,
                       document_id=document_id)


def generate_report(session: Session, request: ReportRequest, *,
                    progress: Progress | None = None,
                    today: dt.date | None = None) -> ReportResult:
    """Render a report for one recipient and record it; the PDF is returned, not written.

    ``request.kind``: a :class:`app.views.ReportKind` value, per case (``case_ref``) or
    the notulen and the agenda (``meeting_id``); ``recipient`` (a party id) or
    ``table=True`` (not for the agenda).  A per-case
    report for the table uses ``meeting_id`` or else the latest meeting with the case on
    its agenda.  ``date_from``/``date_to``: the period of a voortgangsrapportage (default:
    from the opening of the case to today).  ``progress`` may cancel: then
    :class:`app.tasks.Cancelled` propagates and nothing is written or logged.
    """
    if progress is not None:
        progress.update(0.0, _("Preparing the report…"))
    prepared = prepare_report(session, request, today=today)
    hook: Callable[[float], None] | None = None
    if progress is not None:
        rendering = _("Rendering the report…")
        progress.update(0.1, rendering)
        tracker = progress

        def on_render(fraction: float) -> None:
            tracker.update(0.1 + 0.85 * fraction, rendering)

        hook = on_render
    data = prepared.data
    rendered = render_report(data, progress_hook=hook)
    if progress is not None:
        progress.update(0.97, _("Recording the report…"))
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    included = [(case, [(item, decision) for item, decision in pairs
                        if item.id in rendered.included]) for case, pairs in prepared.shown]
    _record(session, profile_of(session), data, included, digest, rendered.pages)
    return ReportResult(rendered.pdf, data.document_id, digest, rendered.pages,
                        _filename(data))


def _record(session: Session, profile: Profile, data: ReportData,
            included: Sequence[tuple[Case, Shown]], digest: str, pages: int) -> None:
    """Audit entry, report row and disclosure rows, in one transaction."""
    store = session.store
    trace = new_trace_id()
    items = [item for _case, pairs in included for item, _decision in pairs]
    categories = sorted({item.category for item in items})
    case = data.case.view if data.case is not None else None
    meeting_id = data.meeting.meeting_id if data.meeting is not None else None
    activity = None
    if case is not None and case.phase_id in {p.id for p in profile.phases}:
        activity = profile.phase(case.phase_id).activity
    with store.transaction():
        seq = store.log(
            "report.generate", object_type="report", object_id=data.document_id,
            trace_id=trace, processing_activity_id=activity,
            attributes={"kind": data.kind, "recipient": data.recipient.key, "sha256": digest,
                        "items": len(items), "categories": categories,
                        "case": case.reference if case else None, "meeting": meeting_id,
                        "language": data.lang, "pages": pages})
        store.conn.execute(
            "INSERT INTO reports(document_id, audit_seq, kind, recipient, case_reference,"
            " meeting_id, language, period_from, period_to, pages, sha256, categories, items,"
            " created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (data.document_id, seq, data.kind, data.recipient.key,
             case.reference if case else None, meeting_id, data.lang,
             data.period[0].isoformat() if data.period else None,
             data.period[1].isoformat() if data.period else None, pages, digest,
             json.dumps(categories), len(items), session.user.username,
             clock.utc_now_iso()))
        for record_case, pairs in included:
            disclosure.record(session, pairs, data.recipient.party_ids,
                              phase=record_case.phase, profile=profile, channel="report",
                              document_id=data.document_id, trace_id=trace)


def _filename(data: ReportData) -> str:
    if data.case is not None:
        target = data.case.view.reference
    elif data.meeting is not None:
        target = data.meeting.starts_at.strftime("%Y-%m-%d")
    else:  # pragma: no cover - every kind has a case or a meeting
        target = "report"
    return f"{data.kind}-{target}-{data.document_id}.pdf"


def save_report(result: ReportResult, path: Path) -> None:
    """Write the PDF to the file the user chose (atomically, readable by the user only)."""
    atomic_write(path, result.pdf)
