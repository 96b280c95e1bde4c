"""``casustafel keys ...`` and the exported audit head (issue 9)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.store_commands import ArgAdder, open_session, own_passphrase
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode
from app.fsutil import atomic_write
from app.i18n import N_, _
from app.services import admin, keys_migrate


def cmd_keys_migrate(args: argparse.Namespace, kdf: KdfParams) -> int:
    passphrase = own_passphrase(args)
    report = keys_migrate.migrate_store(args.store, args.user, passphrase, kdf=kdf)
    print(_("Store converted: {items} items sealed to their parties, {parties} party keys, "
            "{users} users; the administrator's keys open no content.").format(
                items=report.items, parties=report.parties, users=report.users))
    return ExitCode.OK


def cmd_keys_renew_party(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        members = admin.renew_party_key(session, args.party)
    print(_("Party key renewed: {n} member(s) hold the new key; what was sealed to the old "
            "key moves to the new one at their next login.").format(n=members))
    return ExitCode.OK


def cmd_export_head(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        document = admin.export_head(session)
    atomic_write(args.out, document)
    print(_("Signed head written to {path}.").format(path=args.out))
    return ExitCode.OK


def cmd_check_head(args: argparse.Namespace, kdf: KdfParams) -> int:
    document = Path(args.head).read_bytes()
    if args.backup:
        result = admin.check_backup(args.store, args.user, own_passphrase(args), document)
    else:
        with open_session(args, kdf) as session:
            result = admin.check_head(session, document)
    if result.ok:
        print(_("The store holds the kept head and continues it: {n} entries.").format(
            n=result.entries))
        return ExitCode.OK
    sys.stderr.write("casustafel: " + _("The store does not continue the kept head: "
                                        "{problem}.").format(
        problem=_(result.problem) if result.problem else "-") + "\n")
    return ExitCode.STORE


BACKUP_HELP = N_("STORE is a backup folder: read it without writing into it (no login, "
                 "nothing logged, no head or witness moved)")


def register(sub: Any, user_args: ArgAdder, audit: Any) -> None:
    """Add ``keys migrate`` and, under ``audit``, ``export-head`` and ``check-head``."""
    k = sub.add_parser("keys", help=_("envelope keys"))
    ksub = k.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    m = ksub.add_parser("migrate", help=_("convert a store made before envelope keys "
                                          "(administrator)"))
    user_args(m)
    m.set_defaults(handler=cmd_keys_migrate)
    r = ksub.add_parser("renew-party", help=_("a new key pair for a party's current members "
                                              "(root administrator)"))
    user_args(r)
    r.add_argument("--party", required=True, help=_("party id from the profile"))
    r.set_defaults(handler=cmd_keys_renew_party)
    e = audit.add_parser("export-head", help=_("write the signed head of the chain to keep "
                                               "elsewhere"))
    user_args(e)
    e.add_argument("--out", required=True, type=Path, metavar="FILE")
    e.set_defaults(handler=cmd_export_head)
    c = audit.add_parser("check-head", help=_("check the store against a kept head"))
    user_args(c)
    c.add_argument("head", type=Path, metavar="FILE")
    c.add_argument("--backup", action="store_true", help=_(BACKUP_HELP))
    c.set_defaults(handler=cmd_check_head)
