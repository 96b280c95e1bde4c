"""CLI commands for the privacy officer's registers (issue 11).

    casustafel register disclosures STORE --user U [filters] [--format text|csv|json|ldv]
                                       [--offset N --limit N] [--out FILE]
    casustafel register report STORE --user U DOCUMENT_ID
    casustafel audit list STORE --user U [--username U2] [--name N] [--case REF]
                          [--from D] [--to D] [--offset N --limit N] [--json]
    casustafel audit export STORE --user U --out FILE [--head FILE] [filters]
    casustafel processing-register STORE --user U [--format text|json|csv] [--out FILE]

``register disclosures`` shows the count and one page (``text``), or exports the selected
rows as LDV lines (``csv``, ``json``, ``ldv`` = JSON Lines); an export needs at least one
filter.  Filters are parsed before the store is opened (bad input exits 4).  ``--out``
writes the file atomically; without it the output goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.inputs import parse_date, positive_id
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode
from app.fsutil import atomic_write
from app.i18n import _, current_language
from app.views.registers import CHANNELS, AuditFilter, DisclosureFilter

ArgAdder = Callable[[argparse.ArgumentParser], None]


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write(out, text.encode("utf-8"))
        print(_("Written to {path}.").format(path=out), file=sys.stderr)


def _disclosure_filter(args: argparse.Namespace) -> DisclosureFilter:
    return DisclosureFilter(
        person_id=positive_id(args.person, "--person"), provider=args.provider,
        recipient=args.recipient, channel=args.channel, legal_basis=args.basis,
        case_ref=args.case, date_from=parse_date(args.date_from, "--from"),
        date_to=parse_date(args.date_to, "--to"))


def _audit_filter(args: argparse.Namespace) -> AuditFilter:
    return AuditFilter(username=args.username, name=args.name, case_ref=args.case,
                       date_from=parse_date(args.date_from, "--from"),
                       date_to=parse_date(args.date_to, "--to"))


def cmd_disclosures(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import registers

    f = _disclosure_filter(args)
    lang = current_language()
    with open_session(args, kdf) as session:
        if args.format != "text":
            text = registers.render_lines(registers.ldv_lines(session, f), args.format)
        else:
            count = registers.count_disclosures(session, f)
            rows = registers.disclosure_page(session, f, args.offset, args.limit)
            lines = [_("{n} disclosures; showing {first} to {last}.").format(
                n=count, first=args.offset + 1 if rows else 0, last=args.offset + len(rows))]
            for r in rows:
                person = f"{r.person.label}({r.person.id})" if r.person else "-"
                lines.append("\t".join((
                    r.disclosed_at, r.case_ref, str(r.item_id), person, r.provider.label(lang),
                    "->", r.recipient.label(lang), r.username, r.activity, r.legal_basis,
                    r.channel, r.document_id or "-")))
            text = "\n".join(lines) + "\n"
    _emit(text, args.out)
    return ExitCode.OK


def cmd_report(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import registers

    with open_session(args, kdf) as session:
        ref = registers.report_of(session, args.document_id)
    print(json.dumps({"document_id": ref.document_id, "sha256": ref.sha256, "kind": ref.kind,
                      "recipient": ref.recipient, "case": ref.case_ref,
                      "meeting": ref.meeting_id, "pages": ref.pages,
                      "created_at": ref.created_at}, ensure_ascii=False, indent=2))
    return ExitCode.OK


def cmd_processing_register(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import processing_register

    with open_session(args, kdf) as session:
        view = processing_register.processing_register(session)
    _emit(processing_register.render(view, args.format, current_language()), args.out)
    return ExitCode.OK


def cmd_audit_list(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import registers_audit

    f = _audit_filter(args)
    with open_session(args, kdf) as session:
        count = registers_audit.count_audit(session, f)
        rows = registers_audit.audit_page(session, f, args.offset, args.limit)
    if args.json:
        print(json.dumps({"count": count, "entries": [{
            "seq": r.seq, "trace_id": r.trace_id, "span_id": r.span_id,
            "parent_span_id": r.parent_span_id, "name": r.name, "status": r.status,
            "start_time": r.start_time, "end_time": r.end_time, "username": r.username,
            "party": r.party.id if r.party else None, "object_type": r.object_type,
            "object_id": r.object_id, "processing_activity_id": r.processing_activity_id,
            "data_subject_id": r.data_subject_id, "attributes": dict(r.attributes)}
            for r in rows]}, ensure_ascii=False, indent=2))
        return ExitCode.OK
    print(_("{n} entries; showing {first} to {last}.").format(
        n=count, first=args.offset + 1 if rows else 0, last=args.offset + len(rows)))
    for r in rows:
        obj = f"{r.object_type}:{r.object_id}" if r.object_type else "-"
        print("\t".join((str(r.seq), r.start_time, r.name, r.status, r.username, obj,
                         r.processing_activity_id or "-")))
    return ExitCode.OK


def cmd_audit_export(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import admin, registers_audit

    f = _audit_filter(args)
    with open_session(args, kdf) as session:
        count, lines = registers_audit.export_audit(session, f)
        # Streamed into a temporary file next to the target, then moved into place, so a
        # million entries never sit in memory and a half-written export never stands.
        partial = args.out.with_name(args.out.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8") as out:
                out.writelines(lines)
                out.flush()
                os.fsync(out.fileno())
            partial.replace(args.out)
        finally:
            partial.unlink(missing_ok=True)
        head = admin.export_head(session) if args.head is not None else None
    if head is not None:
        atomic_write(args.head, head)
    print(_("{n} audit entries written to {path}.").format(n=count, path=args.out))
    if args.head is not None:
        print(_("Signed head written to {path}.").format(path=args.head))
    return ExitCode.OK


def _page_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--offset", type=int, default=0, metavar="N", help=_("rows to skip"))
    p.add_argument("--limit", type=int, default=50, metavar="N", help=_("rows to show"))


def _period_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help=_("from this day (YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=_("up to this day (YYYY-MM-DD)"))


def _audit_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--username", metavar="NAME", help=_("entries of this user"))
    p.add_argument("--name", metavar="NAME", help=_("entry name, e.g. case.read or request.*"))
    p.add_argument("--case", metavar="REF", help=_("entries about this case"))
    _period_args(p)


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``register ...`` and ``processing-register`` to the CLI."""
    del store_arg
    r = sub.add_parser("register", help=_("the disclosure register (privacy officer)"))
    rsub = r.add_subparsers(dest="register_command", metavar="ACTION", required=True)
    d = rsub.add_parser("disclosures", help=_("view or export the disclosure register"))
    user_args(d)
    d.add_argument("--person", type=int, metavar="ID", help=_("the data subject (person id)"))
    d.add_argument("--provider", metavar="PARTY", help=_("the providing party"))
    d.add_argument("--recipient", metavar="PARTY", help=_("the receiving party"))
    d.add_argument("--channel", choices=CHANNELS)
    d.add_argument("--basis", metavar="TEXT", help=_("the legal basis, exactly"))
    d.add_argument("--case", metavar="REF", help=_("the case reference"))
    _period_args(d)
    d.add_argument("--format", choices=("text", "csv", "json", "ldv"), default="text",
                   help=_("text: count and one page; csv, json, ldv: export the lines"))
    _page_args(d)
    d.add_argument("--out", type=Path, metavar="FILE", help=_("write to this file"))
    d.set_defaults(handler=cmd_disclosures)
    rp = rsub.add_parser("report", help=_("the report a register row came from"))
    user_args(rp)
    rp.add_argument("document_id", metavar="DOCUMENT_ID")
    rp.set_defaults(handler=cmd_report)

    p = sub.add_parser("processing-register",
                       help=_("the processing register of the covenant (ZVH 24.3)"))
    user_args(p)
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--out", type=Path, metavar="FILE", help=_("write to this file"))
    p.set_defaults(handler=cmd_processing_register)


def register_audit(audit: Any, user_args: ArgAdder) -> None:
    """Add ``list`` and ``export`` under ``audit``."""
    ls = audit.add_parser("list", help=_("list audit entries (filters)"))
    user_args(ls)
    _audit_filter_args(ls)
    _page_args(ls)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_audit_list)
    ex = audit.add_parser("export", help=_("export the chain (and its signed head)"))
    user_args(ex)
    _audit_filter_args(ex)
    ex.add_argument("--out", required=True, type=Path, metavar="FILE")
    ex.add_argument("--head", type=Path, metavar="FILE",
                    help=_("also write the signed head of the chain"))
    ex.set_defaults(handler=cmd_audit_export)
