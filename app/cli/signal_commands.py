"""CLI commands for OND signal handling (issue 10, point 4; OND 1.21-1.34).

    casustafel signal intake|weigh|source|decide|riec|show STORE --user U --case REF ...
    casustafel signal lists STORE --user U --what indicators|criteria|tasks|sources|registers

Every write is one call of :mod:`app.services.signals`, which checks who may do it,
writes in one transaction and leaves one audit entry.  Options are parsed before the store
is opened, so bad input exits 4 with one line naming the option and writes nothing.
``--json`` prints the id of what was created and the signal record as it now stands.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli.inputs import emit, parse_date, parse_parties, positive_id, require_text
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode, InputError
from app.i18n import N_, _, current_language
from app.services.session import Session

ArgAdder = Callable[[argparse.ArgumentParser], None]

_YES_NO = ("yes", "no")


def _yes_no(value: str | None, option: str) -> bool | None:
    """``yes`` / ``no`` (None for None); anything else names the option."""
    if value is None:
        return None
    if value not in _YES_NO:
        raise InputError("input.yes_no", N_("{option}: answer yes or no."), {"option": option})
    return value == "yes"


def _many(values: list[str] | None, option: str) -> list[str]:
    """Repeated and/or comma-separated ids, in order, without duplicates."""
    return parse_parties(",".join(values or ()), option, required=False)


def _done(args: argparse.Namespace, session: Session, kind: str, new_id: int,
          line: str) -> None:
    from app.services import signals

    view = signals.signal_view(session, args.case)
    emit(args.json, {kind: new_id, "signal": view.to_json(current_language())}, line)


# --------------------------------------------------------------------------- commands


def cmd_intake(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import signals

    cause = require_text(args.cause, "--cause")
    basis = require_text(args.basis, "--basis")
    reported = parse_date(args.reported_on, "--reported-on")
    indicators = _many(args.indicator, "--indicator")
    territory = _yes_no(args.territory, "--territory")
    with open_session(args, kdf) as session:
        new_id = signals.intake(
            session, args.case, source_kind=args.source_kind, source_party=args.source_party,
            reported_on=reported, cause=cause, description=args.description or "",
            indicators=indicators, municipal_task=args.task, on_territory=bool(territory),
            legal_basis=basis, person=args.person)
        _done(args, session, "intake", new_id,
              _("Intake of the signal in {ref} registered.").format(ref=args.case))
    return ExitCode.OK


def cmd_weigh(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import signals

    explanation = require_text(args.explanation, "--explanation")
    basis = require_text(args.basis, "--basis")
    heavy = _yes_no(args.heavy, "--heavy")
    criteria = _many(args.criterion, "--criterion")
    with open_session(args, kdf) as session:
        new_id = signals.weigh(session, args.case, criteria=criteria, heavy=heavy,
                               explanation=explanation, legal_basis=basis, person=args.person)
        heavy_now = signals.signal_view(session, args.case).heavy_enough
        line = (_("Weight assessed: the signal is heavy enough for source research.")
                if heavy_now else
                _("Weight assessed: the signal is not heavy enough for source research."))
        _done(args, session, "assessment", new_id, line)
    return ExitCode.OK


def cmd_source(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import signals

    relevant = _yes_no(args.relevant, "--relevant")
    checked = parse_date(args.checked_on, "--checked-on")
    with open_session(args, kdf) as session:
        new_id = signals.source(session, args.case, source=args.source,
                                register=args.register, hit=args.hit, relevant=relevant,
                                checked_on=checked)
        _done(args, session, "check", new_id,
              _("Source {source}: {answer} recorded.").format(
                  source=args.source, answer=_("hit") if args.hit else _("no hit")))
    return ExitCode.OK


def cmd_decide(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import signals

    meeting = positive_id(args.meeting, "--meeting")
    decided = parse_date(args.decided_on, "--decided-on")
    tasks = _many(args.task, "--task")
    with open_session(args, kdf) as session:
        new_id = signals.decide(session, args.case, outcome=args.outcome, meeting_id=meeting,
                                decided_on=decided, tasks=tasks)
        _done(args, session, "decision", new_id,
              _("Decision of the overleg on {ref} recorded.").format(ref=args.case))
    return ExitCode.OK


def cmd_riec(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import signals

    items = [i for i in (positive_id(n, "--item") for n in args.item or ()) if i is not None]
    categories = _many(args.category, "--category")
    with open_session(args, kdf) as session:
        new_id = signals.riec(session, args.case, item_ids=items, categories=categories)
        _done(args, session, "transfer", new_id,
              _("What the RIEC receives from {ref} is recorded in the disclosure register."
                ).format(ref=args.case))
    return ExitCode.OK


def cmd_show(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import signals

    with open_session(args, kdf) as session:
        view = signals.signal_view(session, args.case)
    lang = current_language()
    data = view.to_json(lang)
    if args.json:
        emit(True, data, "")
        return ExitCode.OK
    intake = view.intake
    print(f"{view.reference} · {view.phase_id}")
    if intake is None:
        print(_("No intake registered."))
    else:
        brought = intake.source_party.label() if intake.source_party else intake.source_kind
        print(_("Brought by: {who}, on {day}").format(who=brought, day=intake.reported_on))
        print(_("Indicators: {ids}").format(ids=", ".join(i.id for i in intake.indicators)))
    if view.heavy_enough is not None:
        print(_("Heavy enough for source research: {answer}").format(
            answer=_("yes") if view.heavy_enough else _("no")))
    for check in view.sources:
        answer = _("hit") if check.hit else _("no hit")
        print(f"  {check.source.label()} · {check.register.text.get(lang)} · {answer}")
    if view.outcome is not None:
        print(_("Decision of the overleg: {outcome}").format(outcome=view.outcome))
    for transfer in view.riec:
        print(_("To the RIEC ({doc}): items {ids}").format(
            doc=transfer.document_id, ids=", ".join(map(str, transfer.item_ids))))
    return ExitCode.OK


def cmd_lists(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import signals

    with open_session(args, kdf) as session:
        found = signals.lists(session)
    lang = current_language()
    rows: list[dict[str, str]]
    if args.what in {"sources"}:
        rows = [{"id": p.id, "text": p.label(lang)} for p in found.sources]
    else:
        rows = [c.to_json(lang) for c in getattr(found, args.what)]
    if args.json:
        emit(True, rows, "")
        return ExitCode.OK
    for row in rows:
        print(f"{row['id']:<28} {row['text']}")
    return ExitCode.OK


# --------------------------------------------------------------------------- grammar


def _sub(group: Any, name: str, help_text: str, user_args: ArgAdder,
         handler: Callable[[argparse.Namespace, KdfParams], int], *,
         with_case: bool = True) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    user_args(p)
    if with_case:
        p.add_argument("--case", required=True, metavar="REF", help=_("the case reference"))
    p.add_argument("--json", action="store_true",
                   help=_("print the id of what was created and the signal record as JSON"))
    p.set_defaults(handler=handler)
    return p


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``signal ...`` to the CLI."""
    from app.services.signals import OUTCOMES, SOURCE_KINDS

    del store_arg
    s = sub.add_parser("signal", help=_("handle a signal of undermining crime (OND)"))
    ss = s.add_subparsers(dest="signal_command", metavar="ACTION", required=True)

    p = _sub(ss, "intake", _("register the intake of the signal (OND 1.27)"), user_args,
             cmd_intake)
    p.add_argument("--source-kind", required=True, choices=SOURCE_KINDS,
                   help=_("who brought the signal"))
    p.add_argument("--source-party", metavar="PARTY",
                   help=_("the party that brought it (with --source-kind party)"))
    p.add_argument("--reported-on", metavar="DATE", help=_("date of the report (YYYY-MM-DD)"))
    p.add_argument("--cause", required=True, help=_("what led to the signal (stored as an item)"))
    p.add_argument("--description", help=_("description of the signal (stored as an item)"))
    p.add_argument("--indicator", action="append", metavar="ID",
                   help=_("an indicator of Bijlage 1; repeatable or comma-separated"))
    p.add_argument("--task", metavar="ID",
                   help=_("the municipal task or power of Bijlage 9 (omit: none applies)"))
    p.add_argument("--territory", required=True, choices=_YES_NO,
                   help=_("whether it concerns the municipality's territory"))
    p.add_argument("--basis", required=True, help=_("the legal basis of the items"))
    p.add_argument("--person", metavar="LABEL", help=_("the person it is about (B1, ...)"))

    p = _sub(ss, "weigh", _("assess the weight of the signal (OND 1.28, Bijlage 7)"),
             user_args, cmd_weigh)
    p.add_argument("--criterion", action="append", metavar="ID",
                   help=_("a criterion of Bijlage 7 the signal meets; repeatable"))
    p.add_argument("--heavy", choices=_YES_NO,
                   help=_("the conclusion (default: follows from the criteria)"))
    p.add_argument("--explanation", required=True,
                   help=_("why (stored as an item, Bijlage 7)"))
    p.add_argument("--basis", required=True, help=_("the legal basis of the item"))
    p.add_argument("--person", metavar="LABEL", help=_("the person it is about (B1, ...)"))

    p = _sub(ss, "source", _("record a hit / no hit answer of a source (OND 1.29)"),
             user_args, cmd_source)
    p.add_argument("--source", required=True, metavar="PARTY",
                   help=_("the department whose source was consulted"))
    p.add_argument("--register", required=True, metavar="CATEGORY",
                   help=_("the kind of data consulted (data category id)"))
    answer = p.add_mutually_exclusive_group(required=True)
    answer.add_argument("--hit", dest="hit", action="store_true", help=_("the source knows it"))
    answer.add_argument("--no-hit", dest="hit", action="store_false",
                        help=_("the source does not know it"))
    p.add_argument("--relevant", choices=_YES_NO, help=_("for a hit: relevant to the signal"))
    p.add_argument("--checked-on", metavar="DATE", help=_("date consulted (YYYY-MM-DD)"))

    p = _sub(ss, "decide", _("record the overleg's decision (OND 1.23, 1.31, 1.34)"),
             user_args, cmd_decide)
    p.add_argument("--outcome", required=True, choices=OUTCOMES,
                   help=_("casus, geen_casus, or riec (scaling up)"))
    p.add_argument("--meeting", type=int, metavar="ID", help=_("the meeting that decided"))
    p.add_argument("--decided-on", metavar="DATE", help=_("date of the decision (YYYY-MM-DD)"))
    p.add_argument("--task", action="append", metavar="ID",
                   help=_("a municipal task of Bijlage 9 to be used; repeatable"))

    p = _sub(ss, "riec", _("record what the RIEC receives on scaling up (OND 1.34)"),
             user_args, cmd_riec)
    p.add_argument("--item", action="append", type=int, metavar="ID",
                   help=_("an item the RIEC receives; repeatable"))
    p.add_argument("--category", action="append", metavar="CATEGORY",
                   help=_("every current item of this data category; repeatable"))

    _sub(ss, "show", _("show the signal record of a case"), user_args, cmd_show)

    p = _sub(ss, "lists", _("the lists of Bijlage 1, 7 and 9 and the sources"), user_args,
             cmd_lists, with_case=False)
    p.add_argument("--what", required=True,
                   choices=("indicators", "criteria", "tasks", "sources", "registers"))
