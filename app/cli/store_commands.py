"""CLI commands for the store itself: init, users, rotate, audit, backup, restore."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.passphrases import ENV_NEW_PASSPHRASE, ENV_PASSPHRASE, read_passphrase
from app.crypto.keyslots import KdfParams
from app.domain.roles import Role
from app.errors import ExitCode, StoreError
from app.i18n import N_, _
from app.policy.access import Action
from app.services import admin, guard
from app.services.session import Session
from app.store import integrity
from app.store.audit import VerifyResult

ArgAdder = Callable[[argparse.ArgumentParser], None]


def own_passphrase(args: argparse.Namespace) -> str:
    """The acting user's passphrase (``--passphrase-file``, the environment or a prompt)."""
    return read_passphrase(args.passphrase_file, ENV_PASSPHRASE, N_("Passphrase:"))


def open_session(args: argparse.Namespace, kdf: KdfParams) -> Session:
    """Unlock the store named in ``args`` as ``--user``."""
    return Session.open(args.store, args.user, own_passphrase(args), kdf=kdf)


def _new_passphrase(args: argparse.Namespace) -> str:
    return read_passphrase(
        getattr(args, "new_passphrase_file", None), ENV_NEW_PASSPHRASE,
        N_("New passphrase:"), confirm=True,
    )


def cmd_init(args: argparse.Namespace, kdf: KdfParams) -> int:
    passphrase = read_passphrase(args.passphrase_file, ENV_PASSPHRASE,
                                 N_("Passphrase for the administrator:"), confirm=True)
    with admin.init_store(
        args.store, profile_id=args.profile, admin_username=args.admin,
        admin_display_name=args.name or args.admin, admin_party=args.party,
        passphrase=passphrase, kdf=kdf,
    ) as session:
        party = session.user.party_id
    print(_("Store created; administrator {user} ({party}).").format(user=args.admin,
                                                                     party=party))
    return ExitCode.OK


def cmd_users_add(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        admin.add_user(session, username=args.username, display_name=args.name,
                       role=Role(args.role), party_id=args.party,
                       passphrase=_new_passphrase(args))
    print(_("User added."))
    return ExitCode.OK


def cmd_users_remove(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        renewed = admin.remove_user(session, args.username)
    print(_("User removed. Run 'casustafel rotate' so old copies of the slot open nothing."))
    if renewed:
        print(_("Their party's key was renewed for the other members; what was sealed to "
                "the old key moves to the new one at their next login."))
    return ExitCode.OK


def cmd_users_passwd(args: argparse.Namespace, kdf: KdfParams) -> int:
    old = read_passphrase(args.passphrase_file, ENV_PASSPHRASE, N_("Current passphrase:"))
    with Session.open(args.store, args.user, old, kdf=kdf) as session:
        admin.change_passphrase(session, old, _new_passphrase(args))
    print(_("Passphrase changed."))
    return ExitCode.OK


def cmd_users_repair_slots(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        if not args.username:
            missing = admin.slotless_users(session)
            if not missing:
                print(_("Every user has a key slot."))
            for name in missing:
                print(name)
            return ExitCode.OK
        count = admin.issue_slots(session, list(args.username), _new_passphrase(args))
    print(_("{n} key slot(s) issued; each user chooses their own passphrase at the first "
            "login.").format(n=count))
    return ExitCode.OK


def cmd_users_list(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        users = admin.list_users(session)
    if args.json:
        rows: list[dict[str, Any]] = [
            {"username": u.username, "name": u.display_name, "role": u.role.value,
             "party": u.party_id} for u in users
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for u in users:
            print(f"{u.username:<20} {u.role.value:<16} {u.party_id:<28} {u.display_name}")
    return ExitCode.OK


def cmd_rotate(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        admin.rotate(session)
    print(_("Data key rotated; every current user keeps access."))
    return ExitCode.OK


def cmd_audit_verify(args: argparse.Namespace, kdf: KdfParams) -> int:
    if args.backup:
        return _verify_answer(admin.check_backup(args.store, args.user, own_passphrase(args)))
    with open_session(args, kdf) as session:
        # The role check comes first, so a refused user learns nothing about the file.
        guard.authorize(session, Action.VERIFY_AUDIT)
        # A valid hash chain says nothing about the pages outside the audit table; a
        # damaged page elsewhere is reported here instead of crashing a later command
        # (issue 9, hardening).  Raised inside the session, so it closes without making
        # an automatic backup of a damaged file.
        problem = integrity.integrity_problem(session.store.conn)
        if problem is not None:
            raise StoreError(
                "store.damaged",
                N_("Store damaged: {problem}. Restore it from a backup."),
                {"problem": _(problem)},
            )
        result = admin.verify_audit(session)
    return _verify_answer(result)


def _verify_answer(result: VerifyResult) -> int:
    if result.ok:
        print(_("Audit trail OK: {n} entries.").format(n=result.entries))
        return ExitCode.OK
    where = str(result.broken_seq) if result.broken_seq is not None else "-"
    sys.stderr.write(
        "casustafel: "
        + _("Audit trail BROKEN at entry {seq}: {problem}.").format(
            seq=where, problem=_(result.problem) if result.problem else "-"
        )
        + "\n"
    )
    return ExitCode.STORE


def cmd_backup(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        path = admin.backup(session, args.out)
    print(_("Backup written to {path}.").format(path=path))
    return ExitCode.OK


def cmd_restore(args: argparse.Namespace, kdf: KdfParams) -> int:  # noqa: ARG001
    store_passphrase = (read_passphrase(args.store_passphrase_file, ENV_PASSPHRASE,
                                        N_("Passphrase:"))
                        if args.store_passphrase_file is not None else None)
    admin.restore(args.backup, args.store, args.user, own_passphrase(args), force=args.force,
                  store_passphrase=store_passphrase)
    print(_("Store restored."))
    return ExitCode.OK


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add the store commands to the CLI."""
    p = sub.add_parser("init", help=_("create a new store"))
    store_arg(p)
    p.add_argument("--profile", required=True, help=_("covenant profile id"))
    p.add_argument("--admin", required=True, metavar="NAME", help=_("administrator username"))
    p.add_argument("--name", help=_("administrator display name"))
    p.add_argument("--party", help=_("administrator's party id"))
    p.add_argument("--passphrase-file", type=Path, metavar="PATH")
    p.set_defaults(handler=cmd_init)

    _register_users(sub, user_args)

    p = sub.add_parser("rotate", help=_("re-encrypt the store under a new data key"))
    user_args(p)
    p.set_defaults(handler=cmd_rotate)

    a = sub.add_parser("audit", help=_("audit trail"))
    asub = a.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = asub.add_parser("verify", help=_("verify the audit chain"))
    user_args(v)
    from app.cli.key_commands import BACKUP_HELP

    v.add_argument("--backup", action="store_true", help=_(BACKUP_HELP))
    v.set_defaults(handler=cmd_audit_verify)
    _register_backup(sub, user_args, store_arg)
    from app.cli import key_commands  # it builds on this module's helpers

    key_commands.register(sub, user_args, asub)
    from app.cli import register_commands  # audit list / export (issue 11)

    register_commands.register_audit(asub, user_args)


def _register_users(sub: Any, user_args: ArgAdder) -> None:
    """Add ``users add|remove|passwd|repair-slots|list``."""
    u = sub.add_parser("users", help=_("manage users"))
    usub = u.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = usub.add_parser("add", help=_("add a user"))
    user_args(add)
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help=_("display name"))
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--party", required=True, help=_("party id from the profile"))
    add.add_argument("--new-passphrase-file", type=Path, metavar="PATH")
    add.set_defaults(handler=cmd_users_add)
    rm = usub.add_parser("remove", help=_("remove a user"))
    user_args(rm)
    rm.add_argument("--username", required=True)
    rm.set_defaults(handler=cmd_users_remove)
    pw = usub.add_parser("passwd", help=_("change your own passphrase"))
    user_args(pw)
    pw.add_argument("--new-passphrase-file", type=Path, metavar="PATH")
    pw.set_defaults(handler=cmd_users_passwd)
    rs = usub.add_parser("repair-slots", help=_("list users who cannot log in for want of "
                                                "a key slot, or give them one"))
    user_args(rs)
    rs.add_argument("--username", action="append", metavar="NAME",
                    help=_("a user to give a new key slot (repeatable)"))
    rs.add_argument("--new-passphrase-file", type=Path, metavar="PATH")
    rs.set_defaults(handler=cmd_users_repair_slots)
    ls = usub.add_parser("list", help=_("list users"))
    user_args(ls)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_users_list)


def _register_backup(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``backup`` and ``restore``."""
    p = sub.add_parser("backup", help=_("write an encrypted backup"))
    user_args(p)
    p.add_argument("--out", required=True, type=Path, metavar="DIR")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help=_("restore a backup into a store folder"))
    p.add_argument("backup", type=Path, metavar="BACKUP")
    store_arg(p)
    # Restoring is the administrator's act (admin.restore asks the policy).
    p.add_argument("--user", required=True, metavar="NAME",
                   help=_("an administrator of the backup"))
    p.add_argument("--passphrase-file", type=Path, metavar="PATH")
    p.add_argument("--force", action="store_true", help=_("replace an existing store"))
    # Replacing a store asks that store too (admin.restore): its administrators only.
    p.add_argument("--store-passphrase-file", type=Path, metavar="PATH",
                   help=_("your passphrase for the store being replaced, when it is not "
                          "the backup's"))
    p.set_defaults(handler=cmd_restore)
