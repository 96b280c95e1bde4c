"""Which reports the acting user may make on a screen, and for whom (issue 13, point 8).

The report dialog offers only these; the rules are those of :mod:`app.policy.access` that
:mod:`app.services.reports` enforces again for every request.  Also the check before a
table version is made: whether it would show no content at all.
"""

from __future__ import annotations

from app.i18n import N_
from app.policy.access import Action, Permit, allowed
from app.policy.facts import load_facts
from app.services import guard
from app.services.reports import prepare_report
from app.services.session import Session
from app.store import repo
from app.views import ReportKind, ReportOption, ReportRequest, kinds_for

NOT_REPORTER = N_("Reports are made by the process director and the minute taker "
                  "({article}).")
NOT_CASE_REPORTER = N_("Your role does not allow reports on this case ({article}).")
NOT_MINUTES = N_("Only the chair and the minute taker of this meeting make its minutes "
                 "({article}).")
NOT_AGENDA = N_("Only the chair of this meeting sends its agenda ({article}).")
NOT_INVOLVED = N_("Not involved in this case.")
NOT_PRESENT = N_("Not present at this meeting.")
NOT_INVITED = N_("Not invited for any case of this meeting.")


def _refused(kind: ReportKind, reason: str, permit: Permit) -> ReportOption:
    return ReportOption(kind, False, frozenset(), reason=reason, article=permit.article)


def report_options(session: Session, *, case_ref: str | None = None,
                   meeting_id: int | None = None) -> tuple[ReportOption, ...]:
    """The report kinds of the case screen (``case_ref``) or of the meeting screen
    (``meeting_id``), each with the recipients the acting user may choose.

    A question about buttons, like :func:`app.services.guard.may`: nothing is logged, and
    the answer names only parties the screen already shows.  A case or meeting the user may
    not know of answers like a missing one.
    """
    if case_ref is not None:
        return _case_options(session, case_ref)
    if meeting_id is None:
        return ()
    return _meeting_options(session, meeting_id)


def _case_options(session: Session, case_ref: str) -> tuple[ReportOption, ...]:
    me = guard.actor(session)
    reporter = allowed(me, Action.MAKE_REPORTS)
    conn = session.store.conn
    case = repo.case_by_reference(conn, case_ref)
    if case is None:
        raise guard.unknown_case()
    facts = load_facts(conn, [case])[case.id]
    if not allowed(me, Action.READ, facts):
        raise guard.unknown_case()
    permit = allowed(me, Action.REPORT, facts)
    options = []
    for kind in kinds_for(on_case=True):
        if not reporter:
            options.append(_refused(kind, NOT_REPORTER, reporter))
        elif not permit:
            options.append(_refused(kind, NOT_CASE_REPORTER, permit))
        else:
            options.append(ReportOption(kind, True, frozenset(facts.involved),
                                        party_reason=NOT_INVOLVED))
    return tuple(options)


def _meeting_options(session: Session, meeting_id: int) -> tuple[ReportOption, ...]:
    me = guard.actor(session)
    reporter = allowed(me, Action.MAKE_REPORTS)
    conn = session.store.conn
    meeting = guard.meeting_facts(session, meeting_id)
    if not allowed(me, Action.READ_MEETING, meeting):
        raise guard.unknown_meeting()
    table = allowed(me, Action.MINUTES_TABLE, meeting)
    for_party = allowed(me, Action.MINUTES_FOR_PARTY, meeting)
    agenda = allowed(me, Action.AGENDA_FOR_PARTY, meeting)
    invited = frozenset(p for e in repo.agenda(conn, meeting_id) for p in e.invited)
    options = []
    if not reporter:
        options.append(_refused(ReportKind.MINUTES, NOT_REPORTER, reporter))
    elif not (table or for_party):
        options.append(_refused(ReportKind.MINUTES, NOT_MINUTES, table))
    else:
        options.append(ReportOption(
            ReportKind.MINUTES, bool(table), meeting.present if for_party else frozenset(),
            table_reason="" if table else NOT_MINUTES, party_reason=NOT_PRESENT,
            article=table.article))
    if not reporter:
        options.append(_refused(ReportKind.AGENDA, NOT_REPORTER, reporter))
    elif not agenda:
        options.append(_refused(ReportKind.AGENDA, NOT_AGENDA, agenda))
    else:
        options.append(ReportOption(ReportKind.AGENDA, False, invited,
                                    party_reason=NOT_INVITED))
    return tuple(options)


def table_version_empty(session: Session, request: ReportRequest) -> bool:
    """Whether the table version asked for would show no case content at all (a party
    present but not invited blocks every case, ZVH 13.2), so the UI can warn before it
    is made.  Builds the report's data as :func:`app.services.reports.generate_report`
    would, renders and records nothing, and logs the check (codes and counts only)."""
    if not request.table:
        return False
    prepared = prepare_report(session, request)
    data = prepared.data
    if data.case is not None:
        shown = [data.case]
    elif data.meeting is not None:
        shown = [entry.case for entry in data.meeting.agenda]
    else:  # pragma: no cover - every kind has a case or a meeting
        shown = []
    with_content = sum(1 for case in shown if case.view.content_visible)
    store = session.store
    with store.transaction():
        store.log("report.check", object_type="report", object_id=None,
                  attributes={"kind": data.kind, "table": True, "case": request.case_ref,
                              "meeting": request.meeting_id, "cases": len(shown),
                              "with_content": with_content})
    return with_content == 0
