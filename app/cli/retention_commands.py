"""CLI commands of retention and destruction (issue 12).

    casustafel retention due STORE --user U [--as-of YYYY-MM-DD] [--json]
    casustafel retention upcoming STORE --user U [--days N] [--json]
    casustafel retention extend STORE --user U --case REF --until YYYY-MM-DD
                                --motivation TEXT [--json]
    casustafel retention run STORE --user U --approve --out REPORT.pdf [--lang nl|en]
                                [--json]

``--as-of`` only checks a schedule; ``run`` always destroys what is due today.  Each command
is one service call (:mod:`app.services.retention`, :mod:`app.services.retention_run`),
which checks the role and logs.  The proces-verbaal is written only to ``--out``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.inputs import emit, parse_date, require_text
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode, InputError
from app.i18n import LANGUAGES, N_, _, current_language
from app.services import retention, retention_run
from app.views.retention import WHAT_LABELS, DueView

ArgAdder = Callable[[argparse.ArgumentParser], None]


def _schedule_text(view: DueView) -> str:
    lang = current_language()
    if not view.lines:
        return _("Nothing is due on {day}.").format(day=view.as_of.isoformat())
    out = [_("Due on {day}: {cases} whole case(s), {items} item(s).").format(
        day=view.as_of.isoformat(), cases=view.cases, items=view.items)]
    for line in view.lines:
        what = _(WHAT_LABELS[line.what])
        target = line.case_ref or _("register")
        counts = ", ".join(f"{c.name.get(lang)} {c.count}" for c in line.categories)
        extra = (_("extended until {day}").format(day=line.extended_until.isoformat())
                 if line.extended_until else "")
        size = str(line.lines) if line.what == "register" else str(line.items)
        parts = [line.due_on.isoformat(), target, what, size, line.rule, line.article,
                 counts, extra]
        out.append("  " + " | ".join(p for p in parts if p))
    return "\n".join(out)


def cmd_due(args: argparse.Namespace, kdf: KdfParams) -> int:
    as_of = parse_date(args.as_of, "--as-of")
    with open_session(args, kdf) as session:
        view = retention.due(session, as_of)
    emit(args.json, view.to_json(), _schedule_text(view))
    return ExitCode.OK


def cmd_upcoming(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        view = retention.upcoming(session, args.days)
    emit(args.json, view.to_json(), _schedule_text(view))
    return ExitCode.OK


def cmd_extend(args: argparse.Namespace, kdf: KdfParams) -> int:
    until = parse_date(args.until, "--until")
    assert until is not None  # noqa: S101 - a required option
    motivation = require_text(args.motivation, "--motivation")
    with open_session(args, kdf) as session:
        view = retention.extend(session, args.case, until, motivation)
    emit(args.json, view.to_json(),
         _("Case {case}: kept until {until} ({article}); recorded in the file.").format(
             case=view.case_ref, until=view.until.isoformat(), article=view.article))
    return ExitCode.OK


def cmd_run(args: argparse.Namespace, kdf: KdfParams) -> int:
    if not args.approve:
        raise InputError("retention.not_approved",
                         N_("A destruction run needs the approval (--approve)."))
    out = Path(args.out)
    if out.exists() and out.is_dir():
        raise InputError("retention.out_folder", N_("--out must name a file, not a folder."))
    with open_session(args, kdf) as session:
        result = retention_run.run(session, approve=True, lang=args.lang)
    retention_run.save(result, out)
    text = _("Destroyed {cases} case(s) and {items} item(s); {backups} backup(s) cleaned. "
             "Destruction report {doc} written to {path}.").format(
        cases=result.cases, items=result.items, backups=result.backups_cleaned,
        doc=result.document_id, path=str(out))
    if result.register_lines:
        # A sentence of its own, so the first keeps its translation.
        text += " " + _("Register lines past their term deleted: {lines}.").format(
            lines=result.register_lines)
    emit(args.json, result.to_json(), text)
    return ExitCode.OK


def _sub(group: Any, name: str, help_text: str, user_args: ArgAdder,
         handler: Callable[[argparse.Namespace, KdfParams], int]) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    user_args(p)
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(handler=handler)
    return p


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``retention due|upcoming|extend|run`` to the CLI."""
    del store_arg
    r = sub.add_parser("retention", help=_("retention terms and destruction runs"))
    rs = r.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    p = _sub(rs, "due", _("what is due for destruction"), user_args, cmd_due)
    p.add_argument("--as-of", metavar="DATE",
                   help=_("check the schedule on another day (YYYY-MM-DD)"))
    p = _sub(rs, "upcoming", _("what falls due soon"), user_args, cmd_upcoming)
    p.add_argument("--days", type=int, default=retention.REMINDER_DAYS, metavar="N")
    p = _sub(rs, "extend", _("record a motivated extension (ZVH 11.3-11.4)"), user_args,
             cmd_extend)
    p.add_argument("--case", required=True, metavar="REF")
    p.add_argument("--until", required=True, metavar="DATE")
    p.add_argument("--motivation", required=True, metavar="TEXT")
    p = _sub(rs, "run", _("destroy what is due today and write the destruction report"),
             user_args, cmd_run)
    p.add_argument("--approve", action="store_true",
                   help=_("approve the destruction of everything due today"))
    p.add_argument("--out", required=True, metavar="REPORT.pdf")
    p.add_argument("--lang", choices=LANGUAGES, default="nl")
