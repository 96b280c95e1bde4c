"""CLI command for correcting the joint record (issue 13, point 7).

    casustafel case edit-joint goal|action|decision|progress STORE --user U --case REF
                               --id N [--text T] [--owner P] [--due DATE | --no-due]
                               [--goal G | --no-goal] [--status S] [--on DATE]
                               [--reason R] [--meeting M] [--json]

One service call (:mod:`app.services.joint_edit`): a correction is a new version of the
row (the earlier one is kept; after its meeting was closed, an addendum), a status alone
closes or reopens the current row.  Options that do not belong to the kind are refused
before the store is opened (exit 4, nothing written), as the other commands do.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli.inputs import emit, parse_date, positive_id, required_id
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.domain.vocab import ActionStatus, GoalStatus
from app.errors import ExitCode, InputError
from app.i18n import N_, _

ArgAdder = Callable[[argparse.ArgumentParser], None]

# Per kind, the options it takes besides --id, --text, --reason and --meeting.
_OPTIONS = {
    "goal": {"status"},
    "action": {"owner", "due", "no_due", "goal", "no_goal", "status"},
    "decision": {"on"},
    "progress": {"on"},
}
_FLAGS = {"owner": "--owner", "due": "--due", "no_due": "--no-due", "goal": "--goal",
          "no_goal": "--no-goal", "status": "--status", "on": "--on"}


def _check_options(args: argparse.Namespace) -> None:
    for name, flag in _FLAGS.items():
        given = getattr(args, name, None)
        if given not in (None, False) and name not in _OPTIONS[args.kind]:
            raise InputError("input.option_for_kind",
                             N_("{option}: not an option for this kind of entry."),
                             {"option": flag})
    if args.status is not None:
        allowed = GoalStatus if args.kind == "goal" else ActionStatus
        if args.status not in {s.value for s in allowed}:
            raise InputError("input.status", N_("{option}: not a status of this kind."),
                             {"option": "--status"})


def cmd_edit_joint(args: argparse.Namespace, kdf: KdfParams) -> int:
    """Correct (or close) one row of the joint record."""
    from app.services import joint_edit

    _check_options(args)
    row = required_id(args.id, "--id")
    meeting = positive_id(args.meeting, "--meeting")
    on = parse_date(args.on, "--on")
    due = parse_date(args.due, "--due")
    goal = positive_id(args.goal, "--goal")
    common: dict[str, Any] = {"text": args.text, "reason": args.reason or "",
                              "meeting_id": meeting}
    with open_session(args, kdf) as session:
        if args.kind == "goal":
            new = joint_edit.correct_goal(session, args.case, row, status=args.status,
                                          **common)
        elif args.kind == "action":
            extra: dict[str, Any] = {}
            if due is not None or args.no_due:
                extra["due_on"] = due
            if goal is not None or args.no_goal:
                extra["goal_id"] = goal
            new = joint_edit.correct_action(session, args.case, row, owner_party=args.owner,
                                            status=args.status, **extra, **common)
        elif args.kind == "decision":
            new = joint_edit.correct_decision(session, args.case, row, decided_on=on,
                                              **common)
        else:
            new = joint_edit.correct_progress(session, args.case, row, entry_on=on, **common)
        versions = joint_edit.history(session, args.case, args.kind, new,
                                      meeting_id=meeting)
    current = versions[-1]
    emit(args.json, {"kind": args.kind, "id": new, "replaces": row if new != row else None,
                     "reference": args.case, "addendum": current.addendum,
                     "versions": [v.row_id for v in versions]},
         _("Entry {old} of {ref} corrected: the current version is {new}.").format(
             old=row, ref=args.case, new=new) if new != row else
         _("Entry {old} of {ref} updated.").format(old=row, ref=args.case))
    return ExitCode.OK


def register_edit_joint(cs: Any, user_args: ArgAdder) -> None:
    """Add ``case edit-joint`` to the ``case`` group ``cs``."""
    p: argparse.ArgumentParser = cs.add_parser(
        "edit-joint", help=_("correct or close a goal, action, decision or progress entry"))
    p.add_argument("kind", choices=sorted(_OPTIONS), help=_("what to correct"))
    user_args(p)
    p.add_argument("--case", required=True, metavar="REF", help=_("the case reference"))
    p.add_argument("--id", required=True, type=int, metavar="ID",
                   help=_("the entry (its current version)"))
    p.add_argument("--text", help=_("the corrected text"))
    p.add_argument("--reason", help=_("why it is corrected (kept with the earlier version)"))
    p.add_argument("--meeting", type=int, metavar="ID", help=_("the meeting"))
    p.add_argument("--status", help=_("a new status (goal, action)"))
    p.add_argument("--owner", metavar="PARTY", help=_("the responsible party (action)"))
    due = p.add_mutually_exclusive_group()
    due.add_argument("--due", metavar="DATE", help=_("deadline (YYYY-MM-DD) (action)"))
    due.add_argument("--no-due", dest="no_due", action="store_true",
                     help=_("no deadline (action)"))
    goal = p.add_mutually_exclusive_group()
    goal.add_argument("--goal", type=int, metavar="GOAL", help=_("the goal it serves (action)"))
    goal.add_argument("--no-goal", dest="no_goal", action="store_true",
                      help=_("serves no goal (action)"))
    p.add_argument("--on", metavar="DATE",
                   help=_("the date of the decision or entry (YYYY-MM-DD)"))
    p.add_argument("--json", action="store_true",
                   help=_("print the id and state of what changed as JSON"))
    p.set_defaults(handler=cmd_edit_joint)
