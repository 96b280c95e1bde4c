"""CLI commands for data-subject requests (ZVH 17-20, 18.1; issue 11).

    casustafel request new STORE --user U --kind K --received-on DATE --verified-how TEXT
                        --verified-by USER [--name NAME] [--birth-date DATE] [--json]
    casustafel request list|show|extend|inzage|close ...      (privacy officer)
    casustafel request asked|find|link ...                    (procesregisseur)
    casustafel request tasks|withhold|done ...                (providing parties)

Every command is one service call (:mod:`app.services.requests`, ``requests_tasks``,
``requests_inzage``).  Without ``--name`` the name is read from standard input, so it
need not appear in the process list or the shell history.  ``request inzage`` writes the
PDF only to ``--out``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import clock
from app.cli.inputs import emit, parse_date, require_text, required_id
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode, InputError
from app.i18n import LANGUAGES, N_, _, current_language
from app.views.requests import OUTCOMES, REQUEST_KINDS, RequestRowView

ArgAdder = Callable[[argparse.ArgumentParser], None]


def _row_json(r: RequestRowView) -> dict[str, Any]:
    return {"request": r.request_id, "kind": r.kind, "received_on": r.received_on.isoformat(),
            "deadline": r.deadline_on.isoformat(),
            "extended_until": r.extended_until.isoformat() if r.extended_until else None,
            "status": r.status, "due": r.due, "late": r.late, "subjects": r.subjects,
            "open_tasks": r.open_tasks,
            "answered_on": r.answered_on.isoformat() if r.answered_on else None}


def _row_line(r: RequestRowView) -> str:
    mark = _("LATE") if r.late else _("due") if r.due else ""
    return _("#{id} {kind}, received {received}, deadline {deadline}, {status} {mark}").format(
        id=r.request_id, kind=r.kind, received=r.received_on.isoformat(),
        deadline=r.effective_deadline.isoformat(), status=r.status, mark=mark).rstrip()


def _read_name(value: str | None) -> str:
    if value is not None:
        return require_text(value, "--name")
    if sys.stdin.isatty():
        sys.stderr.write(_("Name of the person: "))
        sys.stderr.flush()
    return require_text(sys.stdin.readline().strip(), "--name")


def _required_date(value: str, option: str) -> Any:
    day = parse_date(value, option)
    if day is None:  # pragma: no cover - argparse requires the option
        raise InputError("input.date", N_("{option}: write dates as YYYY-MM-DD."),
                         {"option": option})
    return day


# --------------------------------------------------------------------------- officer


def cmd_new(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests

    received = _required_date(args.received_on, "--received-on")
    born = parse_date(args.birth_date, "--birth-date")
    how = require_text(args.verified_how, "--verified-how")
    name = _read_name(args.name)
    with open_session(args, kdf) as session:
        rid = requests.new_request(session, args.kind, received, how, args.verified_by,
                                   name, born)
        row = next(r for r in requests.list_requests(session, status="open")
                   if r.request_id == rid)
    emit(args.json, _row_json(row), _("Request {id} registered; answer by {deadline}.").format(
        id=rid, deadline=row.deadline_on.isoformat()))
    return ExitCode.OK


def cmd_list(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests

    with open_session(args, kdf) as session:
        rows = requests.list_requests(session, status=args.status)
    emit(args.json, [_row_json(r) for r in rows],
         "\n".join(_row_line(r) for r in rows) or _("No requests."))
    return ExitCode.OK


def cmd_show(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests

    rid = required_id(args.request, "--request")
    with open_session(args, kdf) as session:
        d = requests.request_detail(session, rid)
    lang = current_language()
    payload = {**_row_json(d.row), "verified_how": d.verified_how,
               "verified_by": d.verified_by, "extension_reason": d.extension_reason,
               "answer": d.answer, "withheld": d.withheld,
               "identity": None if d.identity is None else {
                   "name": d.identity.name, "birth_date": d.identity.birth_date.isoformat()
                   if d.identity.birth_date else None},
               "subjects": [{"person": s.person_id, "case": s.case_ref, "label": s.person_label,
                             "category": s.category.get(lang), "vouched": s.vouched}
                            for s in d.subjects],
               "tasks": [{"task": t.task_id, "party": t.party.id, "case": t.case_ref,
                          "kind": t.kind, "done_at": t.done_at, "outcome": t.outcome}
                         for t in d.tasks]}
    lines = [_row_line(d.row), _("Verified: {how} (by {by})").format(how=d.verified_how,
                                                                     by=d.verified_by)]
    lines += [_("Person {label} in {case}").format(label=s.person_label, case=s.case_ref)
              for s in d.subjects]
    lines += [_("Task {id}: {party}, {kind}, {state}").format(
        id=t.task_id, party=t.party.label(lang), kind=t.kind,
        state=t.outcome or _("open")) for t in d.tasks]
    emit(args.json, payload, "\n".join(lines))
    return ExitCode.OK


def cmd_extend(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests

    rid = required_id(args.request, "--request")
    until = _required_date(args.until, "--until")
    reason = require_text(args.reason, "--reason")
    with open_session(args, kdf) as session:
        requests.extend(session, rid, until, reason)
    emit(args.json, {"request": rid, "extended_until": until.isoformat()},
         _("Request {id} extended until {until}.").format(id=rid, until=until.isoformat()))
    return ExitCode.OK


def cmd_inzage(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services.reports import save_report
    from app.services.requests_inzage import inzage_report

    rid = required_id(args.request, "--request")
    lang = args.report_lang or current_language()
    with open_session(args, kdf) as session:
        result = inzage_report(session, rid, lang)
    save_report(result, args.out)
    emit(args.json, {"request": rid, "document": result.document_id, "pages": result.pages,
                     "sha256": result.sha256},
         _("Report written to {path}: {pages} pages, document {document}.").format(
             path=args.out, pages=result.pages, document=result.document_id))
    return ExitCode.OK


def cmd_close(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests

    rid = required_id(args.request, "--request")
    answer = require_text(args.answer, "--answer")
    on = parse_date(args.answered_on, "--answered-on") or clock.today()
    with open_session(args, kdf) as session:
        requests.close_request(session, rid, answer, on)
    emit(args.json, {"request": rid, "status": "closed", "answered_on": on.isoformat()},
         _("Request {id} closed.").format(id=rid))
    return ExitCode.OK


# --------------------------------------------------------------------------- director


def cmd_asked(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests_tasks

    with open_session(args, kdf) as session:
        rows = requests_tasks.requests_for_director(session)
    payload = [{"request": r.request_id, "kind": r.kind, "deadline": r.deadline_on.isoformat(),
                "name": r.identity.name, "birth_date": r.identity.birth_date.isoformat()
                if r.identity.birth_date else None} for r in rows]
    emit(args.json, payload, "\n".join(
        _("#{id} {kind}: {name}").format(id=r.request_id, kind=r.kind, name=r.identity.name)
        for r in rows) or _("No requests."))
    return ExitCode.OK


def cmd_find(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests_tasks

    rid = required_id(args.request, "--request")
    with open_session(args, kdf) as session:
        found = requests_tasks.find_matches(session, rid)
    payload = [{"person": c.person_id, "case": c.case_ref, "label": c.person_label,
                "birth_date_matches": c.birth_date_matches, "linked": c.linked}
               for c in found]
    emit(args.json, payload, "\n".join(
        _("Person {person}: {label} in {case}").format(
            person=c.person_id, label=c.person_label, case=c.case_ref) for c in found)
        or _("No matching person in your cases."))
    return ExitCode.OK


def cmd_link(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests_tasks

    rid = required_id(args.request, "--request")
    person = required_id(args.person, "--person")
    with open_session(args, kdf) as session:
        requests_tasks.link_subject(session, rid, person)
    emit(args.json, {"request": rid, "person": person},
         _("Person {person} linked to request {id}.").format(person=person, id=rid))
    return ExitCode.OK


# --------------------------------------------------------------------------- providers


def cmd_tasks(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests_tasks

    with open_session(args, kdf) as session:
        tasks = requests_tasks.tasks_for_party(session)
    payload = [{"task": t.task_id, "request": t.request_id, "request_kind": t.request_kind,
                "case": t.case_ref, "kind": t.kind, "deadline": t.deadline_on.isoformat(),
                "persons": list(t.person_labels), "items": list(t.item_ids)} for t in tasks]
    emit(args.json, payload, "\n".join(
        _("Task {id}: {kind} on request {request} ({request_kind}), {case}, by {deadline}")
        .format(id=t.task_id, kind=t.kind, request=t.request_id, request_kind=t.request_kind,
                case=t.case_ref, deadline=t.deadline_on.isoformat()) for t in tasks)
        or _("No open tasks."))
    return ExitCode.OK


def cmd_withhold(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests_tasks

    rid = required_id(args.request, "--request")
    item = required_id(args.item, "--item")
    reason = require_text(args.reason, "--reason")
    with open_session(args, kdf) as session:
        requests_tasks.withhold(session, rid, item, reason)
    emit(args.json, {"request": rid, "item": item, "withheld": True},
         _("Item {item} withheld from request {id}.").format(item=item, id=rid))
    return ExitCode.OK


def cmd_done(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import requests_tasks

    task = required_id(args.task, "--task")
    with open_session(args, kdf) as session:
        requests_tasks.complete_task(session, task, args.outcome)
    emit(args.json, {"task": task, "outcome": args.outcome},
         _("Task {id} done: {outcome}.").format(id=task, outcome=args.outcome))
    return ExitCode.OK


# --------------------------------------------------------------------------- grammar


def _sub(group: Any, name: str, help_text: str, user_args: ArgAdder,
         handler: Callable[[argparse.Namespace, KdfParams], int], *,
         request: bool = False) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    user_args(p)
    if request:
        p.add_argument("--request", required=True, type=int, metavar="ID",
                       help=_("the request number"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(handler=handler)
    return p


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``request ...`` to the CLI."""
    del store_arg
    c = sub.add_parser("request", help=_("data-subject requests (privacy officer, "
                                         "process directors, providing parties)"))
    cs = c.add_subparsers(dest="request_command", metavar="ACTION", required=True)

    p = _sub(cs, "new", _("register a request (ZVH 18.1)"), user_args, cmd_new)
    p.add_argument("--kind", required=True, choices=REQUEST_KINDS)
    p.add_argument("--received-on", required=True, metavar="DATE",
                   help=_("date received (YYYY-MM-DD)"))
    p.add_argument("--verified-how", required=True, metavar="TEXT",
                   help=_("how the identity was verified"))
    p.add_argument("--verified-by", required=True, metavar="USER",
                   help=_("the user who verified the identity"))
    p.add_argument("--name", help=_("name of the person (default: read from stdin)"))
    p.add_argument("--birth-date", metavar="DATE", help=_("date of birth (YYYY-MM-DD)"))

    p = _sub(cs, "list", _("list requests with what is due and late"), user_args, cmd_list)
    p.add_argument("--status", choices=("open", "closed"))
    _sub(cs, "show", _("show one request"), user_args, cmd_show, request=True)

    p = _sub(cs, "extend", _("extend the term once, with a reason"), user_args, cmd_extend,
             request=True)
    p.add_argument("--until", required=True, metavar="DATE")
    p.add_argument("--reason", required=True)

    p = _sub(cs, "inzage", _("write the inzage report (PDF)"), user_args, cmd_inzage,
             request=True)
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                   help=_("the PDF file to write"))
    p.add_argument("--lang", dest="report_lang", choices=LANGUAGES,
                   help=_("language of the report (nl or en)"))

    p = _sub(cs, "close", _("close a request with the answer given"), user_args, cmd_close,
             request=True)
    p.add_argument("--answer", required=True)
    p.add_argument("--answered-on", metavar="DATE", help=_("default: today"))

    _sub(cs, "asked", _("the open requests to look for in your cases"), user_args, cmd_asked)
    _sub(cs, "find", _("the persons in your cases who match a request"), user_args, cmd_find,
         request=True)
    p = _sub(cs, "link", _("link a person of your case to a request"), user_args, cmd_link,
             request=True)
    p.add_argument("--person", required=True, type=int, metavar="ID")

    _sub(cs, "tasks", _("your party's open tasks from requests"), user_args, cmd_tasks)
    p = _sub(cs, "withhold", _("withhold an item of your party from an inzage"), user_args,
             cmd_withhold, request=True)
    p.add_argument("--item", required=True, type=int, metavar="ID")
    p.add_argument("--reason", required=True)
    p = _sub(cs, "done", _("complete a task of your party"), user_args, cmd_done)
    p.add_argument("--task", required=True, type=int, metavar="ID")
    p.add_argument("--outcome", required=True, choices=OUTCOMES)
