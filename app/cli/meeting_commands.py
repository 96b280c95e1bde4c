"""CLI commands for the plan van aanpak and the meeting (casusoverleg), issue 10.

    casustafel plan goal|action|progress|set STORE --user U --case REF ... [--json]
    casustafel meeting new|agenda|warnings|attend|left-room|decide|note|close
                       STORE --user U ... [--json]

Each command is one service call (:mod:`app.services.meetings`, ``agenda``); options are
parsed before the store is opened (bad input: exit 4, one line naming the option, nothing
written).  ``meeting agenda`` refuses a party with a warning unless ``--reason PARTY=TEXT``
records why it is invited anyway (ZVH 13.2; police data only to the art. 20 Wpg
recipients, ZVH 6.4d, 7.1); ``meeting warnings`` lists the warnings without writing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app import clock
from app.cli.inputs import (
    emit,
    parse_date,
    parse_datetime,
    parse_pairs,
    parse_parties,
    positive_id,
    require_text,
    required_id,
)
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.domain.vocab import ActionStatus, GoalStatus, MeetingStatus
from app.errors import ExitCode, InputError
from app.i18n import N_, _

ArgAdder = Callable[[argparse.ArgumentParser], None]

_PLAN_OPTIONS = (("problem", "--problem"), ("monitoring", "--monitoring"),
                 ("informing", "--informing"), ("exit_criteria", "--exit-criteria"),
                 ("goal", "--goal"))


def _add_or_status(args: argparse.Namespace) -> int | None:
    """``--id`` with ``--status`` changes a status; ``--text`` adds.  Not both, not neither."""
    if args.id is not None:
        if args.status is None or args.text is not None:
            raise InputError("input.status_with_id",
                             N_("{option}: give --status (and no --text) with --id."),
                             {"option": "--id"})
        return positive_id(args.id, "--id")
    if args.status is not None:
        raise InputError("input.status_needs_id", N_("{option}: say which one with --id."),
                         {"option": "--status"})
    require_text(args.text, "--text")
    return None


# --------------------------------------------------------------------------- plan


def cmd_goal(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import meetings

    goal_id = _add_or_status(args)
    meeting = positive_id(args.meeting, "--meeting")
    with open_session(args, kdf) as session:
        if goal_id is not None:
            meetings.set_goal_status(session, args.case, goal_id, args.status)
            status = args.status
        else:
            goal_id = meetings.add_goal(session, args.case, args.text, meeting_id=meeting)
            status = GoalStatus.OPEN.value
    emit(args.json, {"goal": goal_id, "reference": args.case, "status": status},
         _("Goal {goal} of {ref}: {status}.").format(goal=goal_id, ref=args.case,
                                                     status=_(GoalStatus(status).label)))
    return ExitCode.OK


def cmd_action(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import agenda, meetings

    action_id = _add_or_status(args)
    due = parse_date(args.due, "--due")
    meeting = positive_id(args.meeting, "--meeting")
    goal = positive_id(args.goal, "--goal")
    if action_id is None and not args.owner:
        raise InputError("input.owner", N_("{option}: name the party that owns the action."),
                         {"option": "--owner"})
    payload: dict[str, Any]
    with open_session(args, kdf) as session:
        if action_id is not None:
            meetings.set_action_status(session, args.case, action_id, args.status)
            status = args.status
            payload = {"action": action_id, "reference": args.case, "status": status}
        else:
            action_id = meetings.add_action(session, args.case, args.text,
                                            owner_party=args.owner, due_on=due, goal_id=goal,
                                            meeting_id=meeting)
            status = ActionStatus.OPEN.value
            payload = {"action": action_id, "reference": args.case, "status": status,
                       "owner": args.owner, "due_on": due and due.isoformat(), "goal": goal,
                       "meeting": meeting, "addendum": agenda.is_addendum(session, meeting)}
    emit(args.json, payload,
         _("Action {action} of {ref}: {status}.").format(
             action=action_id, ref=args.case, status=_(ActionStatus(status).label)))
    return ExitCode.OK


def cmd_progress(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import meetings

    text = require_text(args.text, "--text")
    entry_on = parse_date(args.on, "--on")
    action = positive_id(args.action, "--action")
    meeting = positive_id(args.meeting, "--meeting")
    with open_session(args, kdf) as session:
        entry = meetings.add_progress(session, args.case, text, action_id=action,
                                      entry_on=entry_on, meeting_id=meeting)
    emit(args.json, {"progress": entry, "reference": args.case, "action": action,
                     "entry_on": (entry_on or clock.today()).isoformat()},
         _("Progress entry {entry} added to {ref}.").format(entry=entry, ref=args.case))
    return ExitCode.OK


def cmd_plan_set(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import meetings

    texts = {name: getattr(args, name) for name, _o in _PLAN_OPTIONS
             if getattr(args, name) is not None}
    if not texts:
        raise InputError("plan.nothing",
                         N_("Name a part of the plan: --problem, --monitoring, --informing, "
                            "--exit-criteria or --goal."), {})
    with open_session(args, kdf) as session:
        meetings.set_plan(session, args.case, **texts)
    emit(args.json, {"reference": args.case, "plan": {k: v.strip() for k, v in texts.items()}},
         _("Plan of {ref} updated: {parts}.").format(
             ref=args.case, parts=", ".join(o for n, o in _PLAN_OPTIONS if n in texts)))
    return ExitCode.OK


# --------------------------------------------------------------------------- meeting


def cmd_new(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import meetings

    starts = parse_datetime(args.at, "--at")
    place = require_text(args.place, "--place")
    with open_session(args, kdf) as session:
        meeting = meetings.create_meeting(session, starts_at=starts, place=place.strip(),
                                          notulist=args.notulist)
        chair = session.user.username
    emit(args.json, {"meeting": meeting, "starts_at": starts.isoformat(timespec="minutes"),
                     "place": place.strip(), "chair": chair, "notulist": args.notulist,
                     "status": MeetingStatus.PLANNED.value},
         _("Meeting {meeting} planned.").format(meeting=meeting))
    return ExitCode.OK


def _warnings_json(warnings: list[Any], reasons: dict[str, str]) -> list[dict[str, Any]]:
    return [{"party": w.party.id, "code": w.code, "message": _(w.message),
             "needs_reason": w.needs_reason, "reason": reasons.get(w.party.id)}
            for w in warnings]


def _print_warnings(warnings: list[Any]) -> None:
    for w in warnings:
        print(f"{w.party.id}: {_(w.message)}")


def cmd_agenda(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import agenda

    meeting = required_id(args.meeting, "--meeting")
    invited = parse_parties(args.invite, "--invite")
    reasons = parse_pairs(args.reason, "--reason")
    stray = sorted(set(reasons) - set(invited))
    if stray:
        raise InputError("input.reason_party",
                         N_("{option}: {party} is not in --invite."),
                         {"option": "--reason", "party": stray[0]})
    with open_session(args, kdf) as session:
        warnings = agenda.invite(session, meeting, args.case, invited, reasons)
    payload = {"meeting": meeting, "reference": args.case, "invited": sorted(invited),
               "warnings": _warnings_json(warnings, reasons)}
    if args.json:
        emit(True, payload, "")
    else:
        print(_("{ref} is on the agenda of meeting {meeting}; invited: {parties}.").format(
            ref=args.case, meeting=meeting, parties=", ".join(sorted(invited))))
        _print_warnings(warnings)
    return ExitCode.OK


def cmd_warnings(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import agenda

    meeting = required_id(args.meeting, "--meeting")
    parties = parse_parties(args.invite, "--invite")
    with open_session(args, kdf) as session:
        warnings = agenda.invitation_warnings(session, meeting, args.case, parties)
    if args.json:
        emit(True, {"meeting": meeting, "reference": args.case,
                    "warnings": _warnings_json(warnings, {})}, "")
    elif warnings:
        _print_warnings(warnings)
    else:
        print(_("No warnings."))
    return ExitCode.OK


def cmd_attend(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import meetings
    from app.services.redaction import profile_of

    meeting = required_id(args.meeting, "--meeting")
    present = parse_parties(args.present, "--present", required=False)
    absent = parse_parties(args.absent, "--absent", required=False)
    if not present and not absent:
        raise InputError("input.attendance", N_("{option}: name at least one party id."),
                         {"option": "--present / --absent"})
    both = sorted(set(present) & set(absent))
    if both:
        raise InputError("input.attendance_both",
                         N_("{option}: {party} cannot be both present and absent."),
                         {"option": "--absent", "party": both[0]})
    with open_session(args, kdf) as session:
        profile = profile_of(session)
        # Every party is checked before the first write, so a typo writes nothing.
        for party in (*present, *absent):
            if not profile.has_party(party):
                raise InputError("party.unknown",
                                 N_("This party is not part of the covenant."), {})
        for party in present:
            meetings.set_attendee(session, meeting, party, present=True)
        for party in absent:
            meetings.set_attendee(session, meeting, party, present=False)
    attendance = {**dict.fromkeys(present, True), **dict.fromkeys(absent, False)}
    emit(args.json, {"meeting": meeting, "attendance": attendance},
         _("Attendance of meeting {meeting} recorded.").format(meeting=meeting))
    return ExitCode.OK


def cmd_left_room(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import meetings

    meeting = required_id(args.meeting, "--meeting")
    left = not args.returned
    with open_session(args, kdf) as session:
        meetings.set_left_room(session, meeting, args.case, args.party, left)
    emit(args.json, {"meeting": meeting, "reference": args.case, "party": args.party,
                     "left_room": left},
         (_("{party} left the room for {ref}.") if left else
          _("{party} is back in the room for {ref}.")).format(party=args.party, ref=args.case))
    return ExitCode.OK


def cmd_decide(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import agenda, meetings

    text = require_text(args.text, "--text")
    decided_on = parse_date(args.on, "--on")
    meeting = positive_id(args.meeting, "--meeting")
    with open_session(args, kdf) as session:
        decision = meetings.record_decision(session, args.case, text, meeting_id=meeting,
                                            decided_on=decided_on)
        addendum = agenda.is_addendum(session, meeting)
    emit(args.json, {"decision": decision, "reference": args.case, "meeting": meeting,
                     "decided_on": (decided_on or clock.today()).isoformat(),
                     "addendum": addendum},
         _("Decision {decision} recorded for {ref}.").format(decision=decision, ref=args.case))
    return ExitCode.OK


def cmd_note(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import agenda

    text = require_text(args.text, "--text")
    meeting = required_id(args.meeting, "--meeting")
    with open_session(args, kdf) as session:
        note = agenda.add_note(session, meeting, args.case, text)
        addendum = agenda.is_addendum(session, meeting)
    emit(args.json, {"note": note, "reference": args.case, "meeting": meeting,
                     "addendum": addendum},
         _("Discussion note {note} recorded for {ref}.").format(note=note, ref=args.case))
    return ExitCode.OK


def cmd_close(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import agenda

    meeting = required_id(args.meeting, "--meeting")
    with open_session(args, kdf) as session:
        agenda.close_meeting(session, meeting)
    emit(args.json, {"meeting": meeting, "status": MeetingStatus.HELD.value},
         _("Meeting {meeting} closed: its record is locked; later entries are addenda.")
         .format(meeting=meeting))
    return ExitCode.OK


# --------------------------------------------------------------------------- grammar


def _sub(group: Any, name: str, help_text: str, user_args: ArgAdder,
         handler: Callable[[argparse.Namespace, KdfParams], int], *,
         case: bool = True, meeting: str | None = None) -> argparse.ArgumentParser:
    """A subcommand with the user options, ``--json`` and, as asked, ``--case`` and a
    ``--meeting`` that is ``"required"`` or ``"optional"``."""
    p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    user_args(p)
    if case:
        p.add_argument("--case", required=True, metavar="REF", help=_("the case reference"))
    if meeting is not None:
        p.add_argument("--meeting", type=int, metavar="ID", required=meeting == "required",
                       help=_("the meeting"))
    p.add_argument("--json", action="store_true",
                   help=_("print the id and state of what changed as JSON"))
    p.set_defaults(handler=handler)
    return p


def _register_plan(sub: Any, user_args: ArgAdder) -> None:
    g = sub.add_parser("plan", help=_("the plan van aanpak: goals, actions, progress, texts"))
    gs = g.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    p = _sub(gs, "goal", _("add a goal (--text) or set its status (--id, --status)"),
             user_args, cmd_goal, meeting="optional")
    p.add_argument("--text")
    p.add_argument("--id", type=int, metavar="GOAL")
    p.add_argument("--status", choices=[s.value for s in GoalStatus])

    p = _sub(gs, "action", _("agree an action (--text, --owner) or set its status"),
             user_args, cmd_action, meeting="optional")
    p.add_argument("--text")
    p.add_argument("--owner", metavar="PARTY", help=_("the responsible party"))
    p.add_argument("--due", metavar="DATE", help=_("deadline (YYYY-MM-DD)"))
    p.add_argument("--goal", type=int, metavar="GOAL", help=_("the goal it serves"))
    p.add_argument("--id", type=int, metavar="ACTION")
    p.add_argument("--status", choices=[s.value for s in ActionStatus])

    p = _sub(gs, "progress", _("add a progress entry to the plan or an action"), user_args,
             cmd_progress, meeting="optional")
    p.add_argument("--text", required=True)
    p.add_argument("--action", type=int, metavar="ACTION")
    p.add_argument("--on", metavar="DATE", help=_("date of the entry (YYYY-MM-DD)"))

    p = _sub(gs, "set", _("write the texts of the plan"), user_args, cmd_plan_set)
    p.add_argument("--problem", help=_("the problem"))
    p.add_argument("--monitoring", help=_("how the plan is monitored"))
    p.add_argument("--informing",
                   help=_("how and by whom the persons concerned and the reporter are told"))
    p.add_argument("--exit-criteria", dest="exit_criteria",
                   help=_("the criteria for afschaling"))
    p.add_argument("--goal", help=_("the goal of the case"))


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``plan ...`` and ``meeting ...`` to the CLI."""
    del store_arg
    _register_plan(sub, user_args)
    m = sub.add_parser("meeting", help=_("plan and run a meeting (casusoverleg)"))
    ms = m.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)

    p = _sub(ms, "new", _("plan a meeting that you chair"), user_args, cmd_new, case=False)
    p.add_argument("--at", required=True, metavar="YYYY-MM-DDTHH:MM",
                   help=_("date and time (local)"))
    p.add_argument("--place", required=True)
    p.add_argument("--notulist", metavar="USER", help=_("the minute taker"))

    for name, handler, help_text in (
            ("agenda", cmd_agenda, _("put a case on the agenda and invite parties for it")),
            ("warnings", cmd_warnings, _("list the invitation warnings without writing"))):
        p = _sub(ms, name, help_text, user_args, handler, meeting="required")
        p.add_argument("--invite", required=True, metavar="P1,P2",
                       help=_("the parties invited for the case"))
        if name == "agenda":
            p.add_argument("--reason", action="append", metavar="PARTY=TEXT",
                           help=_("why a party with a warning is invited anyway; repeatable"))

    p = _sub(ms, "attend", _("record who is present or absent"), user_args, cmd_attend,
             case=False, meeting="required")
    p.add_argument("--present", metavar="P1,P2")
    p.add_argument("--absent", metavar="P1,P2")

    p = _sub(ms, "left-room", _("record that a party left the room for a case"), user_args,
             cmd_left_room, meeting="required")
    p.add_argument("--party", required=True)
    p.add_argument("--returned", action="store_true", help=_("the party came back"))

    p = _sub(ms, "decide", _("record a decision of the table"), user_args, cmd_decide,
             meeting="optional")
    p.add_argument("--text", required=True)
    p.add_argument("--on", metavar="DATE", help=_("date of the decision (YYYY-MM-DD)"))

    p = _sub(ms, "note", _("record the discussion of an agenda case"), user_args, cmd_note,
             meeting="required")
    p.add_argument("--text", required=True)

    _sub(ms, "close", _("close the meeting: mark it held and lock its record"), user_args,
         cmd_close, case=False, meeting="required")
