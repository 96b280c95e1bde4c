"""CLI command ``report``: a redacted PDF report for one recipient.

    casustafel report STORE --user U --kind plan|voortgang|afsluiting|notulen|agenda
        (--case REF | --meeting ID) (--recipient PARTY | --table)
        [--from DATE --to DATE] [--lang nl|en] --out FILE.pdf

``--kind agenda --meeting ID --recipient PARTY`` is the agenda the chair sends one invited
party: only the cases that party is invited for.

The PDF is rendered in memory and written only to ``--out``; the disclosure register, the
report register and the audit trail record it (see ``app.services.reports``).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode, InputError
from app.i18n import LANGUAGES, N_, _, current_language
from app.views import ReportKind, ReportRequest

ArgAdder = Callable[[argparse.ArgumentParser], None]


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("report.date", N_("Write dates as YYYY-MM-DD.")) from None


def cmd_report(args: argparse.Namespace, kdf: KdfParams) -> int:
    """Generate one report and write it to ``--out``."""
    from app.services.reports import generate_report, save_report

    date_from, date_to = _date(args.date_from), _date(args.date_to)
    lang = args.report_lang or getattr(args, "lang", None) or current_language()
    with open_session(args, kdf) as session:
        result = generate_report(session, ReportRequest(
            kind=args.kind, lang=lang, case_ref=args.case, meeting_id=args.meeting,
            recipient=args.recipient, table=args.table, date_from=date_from,
            date_to=date_to))
    save_report(result, args.out)
    print(_("Report written to {path}: {pages} pages, document {document}.").format(
        path=args.out, pages=result.pages, document=result.document_id))
    return ExitCode.OK


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add the report command to the CLI."""
    del store_arg
    p = sub.add_parser("report", help=_("write a redacted PDF report for one recipient"))
    user_args(p)
    p.add_argument("--kind", required=True, choices=[k.value for k in ReportKind],
                   help=_("plan van aanpak, voortgang, afsluiting, notulen or agenda"))
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--case", metavar="REF", help=_("the case (per-case reports)"))
    target.add_argument("--meeting", type=int, metavar="ID",
                        help=_("the meeting (notulen, agenda)"))
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--recipient", metavar="PARTY",
                     help=_("the receiving party (for the agenda: an invited party)"))
    who.add_argument("--table", action="store_true",
                     help=_("the table: every party present at the meeting"))
    p.add_argument("--from", dest="date_from", metavar="DATE",
                   help=_("start of the period (voortgang)"))
    p.add_argument("--to", dest="date_to", metavar="DATE",
                   help=_("end of the period (voortgang)"))
    p.add_argument("--lang", dest="report_lang", choices=LANGUAGES,
                   help=_("language of the report (nl or en)"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                   help=_("the PDF file to write"))
    p.set_defaults(handler=cmd_report)
