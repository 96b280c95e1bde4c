"""CLI commands for the casework on one case (issue 10), and the party's inbox.

    casustafel case new|person|item|correct|grant|revoke|next|phase|close|informed|
                    regisseur|handover|edit-joint STORE --user U ... [--json]
    casustafel inbox STORE --user U [--ack ID ...] [--json]

Every command is one service call (:mod:`app.services.casework`, ``phases``,
``corrections``, ``notices``): the services check who may do it, write in one transaction
and leave one audit entry.  Options are parsed before the store is opened, so bad input
exits 4 with one line naming the option and writes nothing.  ``--json`` prints the id and
state of what was created or changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app import clock
from app.cli.inputs import (
    emit,
    parse_date,
    parse_pairs,
    parse_parties,
    phase_json,
    positive_id,
    require_text,
    required_id,
)
from app.cli.joint_commands import register_edit_joint
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.domain.vocab import InformedStatus, ItemKind
from app.errors import ExitCode, InputError
from app.i18n import N_, _, current_language
from app.services.redaction import profile_of

ArgAdder = Callable[[argparse.ArgumentParser], None]


# --------------------------------------------------------------------------- the case


def cmd_new(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import casework

    opened = parse_date(args.opened_on, "--opened-on")
    themes = parse_parties(args.themes, "--themes", required=False)
    with open_session(args, kdf) as session:
        ref = casework.create_case(
            session, registering_party=args.registering_party, reference=args.reference,
            themes=themes, goal=args.goal or "", opened_at=opened, follows=args.follows)
        first = profile_of(session).first_phase().id
        payload = {"reference": ref, **phase_json(profile_of(session), first),
                   "registering_party": args.registering_party,
                   "procesregisseur": session.user.username, "follows": args.follows}
    emit(args.json, payload, _("Case {ref} registered; you direct it.").format(ref=ref))
    return ExitCode.OK


def cmd_person(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import casework

    with open_session(args, kdf) as session:
        label = casework.add_person(session, args.case, category=args.category,
                                    label=args.label)
    emit(args.json, {"reference": args.case, "person": label, "category": args.category},
         _("Person concerned {label} added to {ref}.").format(label=label, ref=args.case))
    return ExitCode.OK


def _structured(args: argparse.Namespace) -> dict[str, str] | None:
    pairs = parse_pairs(args.structured, "--structured")
    return pairs or None


def cmd_item(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import casework

    body = require_text(args.body, "--body")
    basis = require_text(args.basis, "--basis")
    provided = parse_date(args.provided_on, "--provided-on")
    structured = _structured(args)
    with open_session(args, kdf) as session:
        item_id = casework.add_item(
            session, args.case, category=args.category, body=body, legal_basis=basis,
            person=args.person, kind=ItemKind(args.kind), field=args.field or "",
            structured=structured, provided_on=provided, incident_class=args.incident_class)
        provider = session.user.party_id
    emit(args.json, {"item": item_id, "reference": args.case, "category": args.category,
                     "provider": provider, "person": args.person},
         _("Item {item} added to {ref}.").format(item=item_id, ref=args.case))
    return ExitCode.OK


def cmd_correct(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import corrections

    item = required_id(args.item, "--item")
    body = require_text(args.body, "--body")
    note = require_text(args.note, "--note")
    provided = parse_date(args.provided_on, "--provided-on")
    structured = _structured(args)
    with open_session(args, kdf) as session:
        new_id = corrections.correct_item(
            session, item, body=body, note=note, structured=structured,
            category=args.category, legal_basis=args.basis, provided_on=provided)
        earlier = corrections.versions(session, new_id)
    emit(args.json, {"item": new_id, "replaces": item, "versions": earlier},
         _("Item {old} corrected: the current version is item {new}.").format(
             old=item, new=new_id))
    return ExitCode.OK


def cmd_grant(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import casework

    basis = require_text(args.basis, "--basis")
    item = positive_id(args.item, "--item")
    meeting = positive_id(args.meeting, "--meeting")
    with open_session(args, kdf) as session:
        grant_id = casework.grant(
            session, args.case, recipient=args.to, legal_basis=basis, item_id=item,
            category=args.category, phase=args.phase, meeting_id=meeting,
            necessity=args.necessity or "", take_away=args.take_away)
        provider = session.user.party_id
    emit(args.json, {"grant": grant_id, "reference": args.case, "provider": provider,
                     "recipient": args.to, "item": item, "category": args.category,
                     "phase": args.phase, "meeting": meeting, "take_away": args.take_away,
                     "revoked": False},
         _("Grant {grant} recorded: {party} may see it.").format(grant=grant_id,
                                                                  party=args.to))
    return ExitCode.OK


def cmd_revoke(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import casework

    grant_id = required_id(args.grant, "--grant")
    with open_session(args, kdf) as session:
        casework.revoke_grant(session, grant_id)
    emit(args.json, {"grant": grant_id, "revoked": True},
         _("Grant {grant} withdrawn.").format(grant=grant_id))
    return ExitCode.OK


def _next_json(session: Any, ref: str) -> list[dict[str, str]]:
    from app.services import phases

    profile = profile_of(session)
    return [phase_json(profile, p) for p in phases.allowed_next(session, ref)]


def cmd_next(args: argparse.Namespace, kdf: KdfParams) -> int:
    with open_session(args, kdf) as session:
        allowed = _next_json(session, args.case)
    names = ", ".join(p["name"] for p in allowed) or _("none")
    emit(args.json, {"reference": args.case, "next": allowed},
         _("Next phases for {ref}: {phases}.").format(ref=args.case, phases=names))
    return ExitCode.OK


def cmd_phase(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import phases

    with open_session(args, kdf) as session:
        phases.change_phase(session, args.case, args.to, args.note or "")
        payload = {"reference": args.case, **phase_json(profile_of(session), args.to),
                   "next": _next_json(session, args.case)}
    emit(args.json, payload, _("{ref} is now in phase {phase}.").format(
        ref=args.case, phase=payload["name"]))
    return ExitCode.OK


def _closing_phase(session: Any, ref: str, named: str | None) -> str:
    """The named phase, or the one closing phase the case may go to now."""
    from app.services import phases

    if named:
        return named
    profile = profile_of(session)
    closing = [p for p in phases.allowed_next(session, ref) if profile.phase(p).closing]
    if len(closing) != 1:
        raise InputError("close.phase", N_("--phase: name the closing phase."), {})
    return closing[0]


def cmd_close(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import phases

    reason = require_text(args.reason, "--reason")
    basis = require_text(args.basis, "--basis")
    closed_on = parse_date(args.closed_on, "--closed-on")
    with open_session(args, kdf) as session:
        phase = _closing_phase(session, args.case, args.phase)
        phases.close_case(session, args.case, phase=phase, reason=reason, basis=basis,
                          closed_on=closed_on)
        payload = {"reference": args.case, **phase_json(profile_of(session), phase),
                   "closed": True, "closed_on": (closed_on or clock.today()).isoformat()}
    emit(args.json, payload, _("{ref} closed: {phase}.").format(ref=args.case,
                                                                 phase=payload["name"]))
    return ExitCode.OK


def cmd_informed(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import casework

    status = InformedStatus(args.status)
    informed_on = parse_date(args.on, "--on")
    expected = parse_date(args.expected, "--expected")
    review_on = parse_date(args.review_on, "--review-on")
    if args.review_interval is not None and args.review_interval < 1:
        raise InputError("input.interval", N_("{option}: give a number of days of 1 or more."),
                         {"option": "--review-interval"})
    with open_session(args, kdf) as session:
        casework.set_informed(session, args.case, args.person, status=status,
                              informed_on=informed_on, reason=args.reason, expected=expected,
                              review_on=review_on, review_interval_days=args.review_interval)
    emit(args.json, {
        "reference": args.case, "person": args.person, "informed_status": status.value,
        "informed_on": informed_on and informed_on.isoformat(),
        "review_on": review_on and review_on.isoformat()},
        _("Information duty for {label} recorded: {status}.").format(
            label=args.person, status=_(status.label)))
    return ExitCode.OK


def cmd_regisseur(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import casework

    with open_session(args, kdf) as session:
        casework.set_casusregisseur(session, args.case, party=args.party,
                                    username=args.username)
        name = profile_of(session).party(args.party).name.get(current_language())
    emit(args.json, {"reference": args.case, "casusregisseur_party": args.party,
                     "casusregisseur": args.username},
         _("Case director of {ref}: {party}.").format(ref=args.case, party=name))
    return ExitCode.OK


def cmd_handover(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import phases

    reason = require_text(args.reason, "--reason")
    with open_session(args, kdf) as session:
        before = session.user.username
        phases.hand_over(session, args.case, to=args.to, reason=reason)
    emit(args.json, {"reference": args.case, "procesregisseur": args.to, "from": before},
         _("{ref} handed over to {user}.").format(ref=args.case, user=args.to))
    return ExitCode.OK


# --------------------------------------------------------------------------- inbox


def cmd_inbox(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import notices

    acks = [required_id(n, "--ack") for n in args.ack or ()]
    with open_session(args, kdf) as session:
        for notice_id in acks:
            notices.acknowledge(session, notice_id)
        found = notices.inbox(session)
    rows = [{"notice": n.notice_id, "case": n.case_ref, "kind": n.kind, "source": n.source.id,
             "created_at": n.created_at} for n in found]
    if args.json:
        emit(True, {"acknowledged": acks, "notices": rows}, "")
        return ExitCode.OK
    for notice_id in acks:
        print(_("Notice {notice} acknowledged.").format(notice=notice_id))
    if not found:
        print(_("No notices."))
    for n in found:
        print(f"{n.notice_id:>5}  {n.case_ref:<16} {_(_NOTICE_KINDS.get(n.kind, n.kind)):<28} "
              f"{n.source.label()}")
    return ExitCode.OK


_NOTICE_KINDS = {
    "item_corrected": N_("item corrected"),
    "consent_withdrawn": N_("consent withdrawn"),
}


# --------------------------------------------------------------------------- grammar


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true",
                   help=_("print the id and state of what changed as JSON"))


def _case(p: argparse.ArgumentParser) -> None:
    p.add_argument("--case", required=True, metavar="REF", help=_("the case reference"))


def _sub(group: Any, name: str, help_text: str, user_args: ArgAdder,
         handler: Callable[[argparse.Namespace, KdfParams], int], *,
         with_case: bool = True) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    user_args(p)
    if with_case:
        _case(p)
    _json(p)
    p.set_defaults(handler=handler)
    return p


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``case ...`` and ``inbox`` to the CLI."""
    del store_arg
    c = sub.add_parser("case", help=_("register and run a case (process director, parties)"))
    cs = c.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    p = _sub(cs, "new", _("register a case (aanmelding); you direct it"), user_args, cmd_new,
             with_case=False)
    p.add_argument("--registering-party", required=True, metavar="PARTY",
                   help=_("the party that brought the case in"))
    p.add_argument("--reference", metavar="REF", help=_("a reference (default: generated)"))
    p.add_argument("--themes", metavar="T1,T2", help=_("themes, comma-separated"))
    p.add_argument("--goal", help=_("the goal of the case"))
    p.add_argument("--opened-on", metavar="DATE", help=_("date of registration (YYYY-MM-DD)"))
    p.add_argument("--follows", metavar="REF",
                   help=_("the closed case about the same person this melding follows"))

    _register_content(cs, user_args)
    _register_process(cs, user_args)
    register_edit_joint(cs, user_args)

    p = sub.add_parser("inbox", help=_("your party's notices (corrections, withdrawals)"))
    user_args(p)
    p.add_argument("--ack", action="append", type=int, metavar="ID",
                   help=_("acknowledge this notice; repeatable"))
    _json(p)
    p.set_defaults(handler=cmd_inbox)


def _register_content(cs: Any, user_args: ArgAdder) -> None:
    """``case person``, ``item``, ``correct``, ``grant``, ``revoke``."""
    p = _sub(cs, "person", _("add a person concerned (betrokkene)"), user_args, cmd_person)
    p.add_argument("--category", required=True, help=_("subject category id of the profile"))
    p.add_argument("--label", help=_("label (default: B1, B2, ...)"))

    p = _sub(cs, "item", _("provide an item as your party"), user_args, cmd_item)
    p.add_argument("--category", required=True, help=_("data category id of the profile"))
    p.add_argument("--body", required=True, help=_("the information"))
    p.add_argument("--basis", required=True, help=_("the legal basis"))
    p.add_argument("--person", metavar="LABEL", help=_("the person it is about (B1, ...)"))
    p.add_argument("--kind", choices=[k.value for k in ItemKind], default=ItemKind.TEXT.value)
    p.add_argument("--field", help=_("field name (for a field item)"))
    p.add_argument("--structured", action="append", metavar="KEY=TEXT",
                   help=_("structured part, e.g. street=...; repeatable"))
    p.add_argument("--provided-on", metavar="DATE", help=_("date provided (YYYY-MM-DD)"))
    p.add_argument("--incident-class", metavar="CLASS", help=_("incident class (dagmonitor)"))

    p = _sub(cs, "correct", _("correct or complete an item of your party"), user_args,
             cmd_correct, with_case=False)
    p.add_argument("--item", required=True, type=int, metavar="ID")
    p.add_argument("--body", required=True, help=_("the corrected information"))
    p.add_argument("--note", required=True, help=_("what the correction changes"))
    p.add_argument("--category", help=_("a corrected data category"))
    p.add_argument("--basis", help=_("a corrected legal basis"))
    p.add_argument("--structured", action="append", metavar="KEY=TEXT")
    p.add_argument("--provided-on", metavar="DATE")

    p = _sub(cs, "grant", _("share an item or a category of your party with a party"),
             user_args, cmd_grant)
    p.add_argument("--to", required=True, metavar="PARTY", help=_("the receiving party"))
    p.add_argument("--basis", required=True, help=_("the legal basis of the provision"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--item", type=int, metavar="ID", help=_("one item"))
    what.add_argument("--category", help=_("all your items of this data category"))
    p.add_argument("--phase", help=_("the phase (default: the current one)"))
    p.add_argument("--meeting", type=int, metavar="ID", help=_("only at this meeting"))
    p.add_argument("--necessity", help=_("why the provision is necessary (police, justice)"))
    p.add_argument("--take-away", action="store_true",
                   help=_("the recipient may also use it for its own tasks"))

    p = _sub(cs, "revoke", _("withdraw a grant of your party"), user_args, cmd_revoke,
             with_case=False)
    p.add_argument("--grant", required=True, type=int, metavar="ID")


def _register_process(cs: Any, user_args: ArgAdder) -> None:
    """``case next``, ``phase``, ``close``, ``informed``, ``regisseur``, ``handover``."""
    _sub(cs, "next", _("list the phases the case may go to now"), user_args, cmd_next)

    p = _sub(cs, "phase", _("move the case to a next phase"), user_args, cmd_phase)
    p.add_argument("--to", required=True, metavar="PHASE", help=_("phase id of the profile"))
    p.add_argument("--note", help=_("a note with the change"))

    p = _sub(cs, "close", _("close the case (afschaling) with reason and basis"), user_args,
             cmd_close)
    p.add_argument("--reason", required=True)
    p.add_argument("--basis", required=True, help=_("the basis of the decision"))
    p.add_argument("--phase", help=_("the closing phase (default: the one allowed now)"))
    p.add_argument("--closed-on", metavar="DATE", help=_("date of closing (YYYY-MM-DD)"))

    p = _sub(cs, "informed", _("record the information duty for a person concerned"),
             user_args, cmd_informed)
    p.add_argument("--person", required=True, metavar="LABEL")
    p.add_argument("--status", required=True, choices=[s.value for s in InformedStatus])
    p.add_argument("--on", metavar="DATE", help=_("date informed (YYYY-MM-DD)"))
    p.add_argument("--reason", help=_("why not informed (written motivation)"))
    p.add_argument("--expected", metavar="DATE", help=_("expected date of informing"))
    p.add_argument("--review-on", metavar="DATE", help=_("date of review"))
    p.add_argument("--review-interval", type=int, metavar="DAYS")

    p = _sub(cs, "regisseur", _("appoint the case director (casusregisseur)"), user_args,
             cmd_regisseur)
    p.add_argument("--party", required=True, help=_("the party where the weight of care lies"))
    p.add_argument("--username", help=_("a user of that party"))

    p = _sub(cs, "handover", _("hand the case over to another process director"), user_args,
             cmd_handover)
    p.add_argument("--to", required=True, metavar="USER")
    p.add_argument("--reason", required=True)
