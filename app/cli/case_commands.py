"""CLI commands over case data: demo, list, show, import.

What they print is built from redacted views only; ``show --json`` prints exactly the view.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import clock
from app.cli.passphrases import ENV_NEW_PASSPHRASE, ENV_PASSPHRASE, read_passphrase
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode, InputError
from app.i18n import N_, _, format_date, format_datetime
from app.views import CaseView, Redacted, Value

ArgAdder = Callable[[argparse.ArgumentParser], None]


def _text(value: Value | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Redacted):
        return f"[{value.short()}]"
    return value


def cmd_demo(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.dataset import load_dataset
    from app.demo import generate_demo
    from app.profiles import load_profile
    from app.services import admin

    passphrase = read_passphrase(args.passphrase_file, ENV_PASSPHRASE,
                                 N_("Passphrase for the demo users:"), confirm=True)
    if args.cases < 1:
        raise InputError("demo.cases", N_("The number of cases must be at least 1."))
    today = dt.date.fromisoformat(args.today) if args.today else (
        clock.today())
    profile = load_profile(args.profile)
    demo = generate_demo(profile, cases=args.cases, seed=args.seed, today=today,
                         admin=args.admin)
    with admin.init_store(args.store, profile_id=profile.id, admin_username=args.admin,
                          admin_display_name=_("Demo administrator"), admin_party=None,
                          passphrase=passphrase, kdf=kdf) as session:
        admin_party = session.user.party_id
        load_dataset(session, demo.doc, new_user_passphrase=passphrase, demo=True)
    print(_("Demo store created with {n} cases (synthetic data).").format(n=args.cases))
    print(_("Every demo user has the passphrase you gave."))
    print(f"{args.admin:<24} {'beheerder':<16} {admin_party}")
    for username, _name, role, party in demo.users:
        print(f"{username:<24} {role:<16} {party}")
    return ExitCode.OK


def cmd_list(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import admin, cases, meetings

    with open_session(args, kdf) as session:
        if args.what == "cases":
            rows: list[dict[str, Any]] = [r.to_json() for r in cases.list_cases(session)]
            if not args.json:
                for r in rows:
                    name = r["name"]
                    label = ("[" + _("Masked") + "]" if isinstance(name, dict) else name) or "—"
                    print(f"{r['reference']:<12} {r['phase']:<28} {label}")
        elif args.what == "meetings":
            found = meetings.list_meetings(session)
            rows = [{"id": m.meeting_id, "starts_at": m.starts_at.isoformat(), "place": m.place,
                     "status": m.status, "cases": m.cases} for m in found]
            if not args.json:
                for m in found:
                    print(f"{m.meeting_id:>5}  {format_datetime(m.starts_at, 'short'):<20} "
                          f"{m.place:<20} {m.cases}")
        else:
            rows = [{"username": u.username, "name": u.display_name, "role": u.role.value,
                     "party": u.party_id} for u in admin.list_users(session)]
            if not args.json:
                for r in rows:
                    print(f"{r['username']:<20} {r['role']:<16} {r['party']:<28} {r['name']}")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    return ExitCode.OK


def _print_case(view: CaseView) -> None:
    out = sys.stdout
    out.write(f"{view.reference} · {view.phase.get(_lang())}\n")
    out.write(_("Registered by: {party}").format(party=view.registering_party.label()) + "\n")
    if view.blocked_by:
        names = ", ".join(p.label() for p in view.blocked_by)
        out.write(_("Not invited for this case: {parties} — must leave the room").format(
            parties=names) + "\n")
    if view.unknown_to_party:
        out.write(_("This party is not involved in this case: nothing is shown.") + "\n")
    if view.nobody_at_table:
        out.write(_("Nobody is at the table for this case: the table view shows nothing.")
                  + "\n")
    if not view.content_visible:
        out.write(_("Process metadata only.") + "\n")
        return
    if view.goal:
        out.write(_("Goal: {goal}").format(goal=view.goal) + "\n")
    for person in view.persons:
        out.write(f"  {person.label} ({person.category.get(_lang())}): {_text(person.name)}\n")
    for category, items in view.items_by_category():
        out.write(f"\n{category.get(_lang())}\n")
        for item in items:
            out.write(f"  - {_text(item.value)}  ({item.provider.label()}, "
                      f"{format_date(item.provided_on, 'short')})\n")
    if view.actions:
        out.write("\n" + _("Actions") + "\n")
        for action in view.actions:
            due = format_date(action.due_on, "short") if action.due_on else "—"
            out.write(f"  - {action.text} · {action.owner.label()} · {due} · {action.status}\n")
    if view.decisions:
        out.write("\n" + _("Decisions") + "\n")
        for decision in view.decisions:
            out.write(f"  - {format_date(decision.decided_on, 'short')}: {decision.text}\n")


def _lang() -> str:
    from app.i18n import current_language

    return current_language()


def cmd_show(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services.cases import show_case
    from app.views import ViewSpec

    if args.as_party:
        spec = ViewSpec.as_party(args.as_party, args.meeting)
    elif args.table:
        parties = [p.strip() for p in args.table.split(",") if p.strip()]
        spec = ViewSpec.table(parties, args.meeting)
    else:
        spec = ViewSpec(meeting_id=args.meeting)
    with open_session(args, kdf) as session:
        view = show_case(session, args.case, spec)
    if args.json:
        print(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_case(view)
    return ExitCode.OK


def cmd_import(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.dataset import DatasetError, load_dataset, load_import_file

    doc = load_import_file(args.file)
    with open_session(args, kdf) as session:
        new_passphrase = None
        if doc.get("users"):
            new_passphrase = read_passphrase(args.new_passphrase_file, ENV_NEW_PASSPHRASE,
                                             N_("Passphrase for the new users:"), confirm=True)
        try:
            summary = load_dataset(session, doc, new_user_passphrase=new_passphrase)
        except DatasetError as error:
            for issue in error.issues:
                sys.stderr.write(f"{issue.path}: {issue.text()}\n")
            raise
    print(_("Imported: {summary}.").format(summary=summary.describe()))
    return ExitCode.OK


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add the case commands to the CLI."""
    p = sub.add_parser("demo", help=_("create a store with synthetic demo data"))
    store_arg(p)
    p.add_argument("--profile", default="zvh-rotterdam-rijnmond")
    p.add_argument("--admin", default="beheer", metavar="NAME")
    p.add_argument("--cases", type=int, default=40)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--today", help=argparse.SUPPRESS)
    p.add_argument("--passphrase-file", type=Path, metavar="PATH")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("list", help=_("list what you may see"))
    user_args(p)
    p.add_argument("what", choices=("cases", "meetings", "users"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help=_("show a case as you (or a party, or the table) may see it"))
    user_args(p)
    p.add_argument("--case", required=True, metavar="REF")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--as-party", metavar="PARTY")
    group.add_argument("--table", metavar="P1,P2,...")
    p.add_argument("--meeting", type=int, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("import", help=_("import users, cases and meetings from JSON"))
    store_arg(p)
    p.add_argument("file", type=Path, metavar="FILE.json")
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--passphrase-file", type=Path, metavar="PATH")
    p.add_argument("--new-passphrase-file", type=Path, metavar="PATH")
    p.set_defaults(handler=cmd_import)
