"""CLI commands of the privacy officer's oversight (issue 11): breaches, figures, the
information duty.

    casustafel breach new STORE --user U --discovered DT --nature T --data T --persons T
                          [--consequences T] [--measures T] [--notification T]
                          [--officer-informed DT] [--json]
    casustafel breach list STORE --user U [--status open|closed] [--json]
    casustafel breach show|close STORE --user U --id N [--json]
    casustafel breach update STORE --user U --id N [--officer-informed DT]
                          [--ap-notified DT | --ap-not-required REASON]
                          [--consequences T] [--measures T] [--notification T] [--json]
    casustafel breach export STORE --user U --format csv|json --out FILE
    casustafel figures STORE --user U --year YYYY [--format text|json|csv]
    casustafel information-duty STORE --user U [--week] [--json]

Times (DT) are local wall-clock ``YYYY-MM-DDTHH:MM``; output shows local time, JSON UTC.
Each command is one service call (:mod:`app.services.breaches`, ``figures``,
``info_duty``), which checks the role and logs.  The export is written only to ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import clock
from app.cli.inputs import emit, parse_datetime, require_text, required_id
from app.cli.store_commands import open_session
from app.crypto.keyslots import KdfParams
from app.errors import ExitCode, InputError
from app.fsutil import atomic_write
from app.i18n import N_, _, current_language
from app.views.oversight import (
    BREACH_STATUS_LABELS,
    CLOCK_LABELS,
    FIGURE_LABELS,
    BreachView,
    ClockState,
    DeadlineView,
    FiguresView,
    InfoDutyView,
)

ArgAdder = Callable[[argparse.ArgumentParser], None]


def _local(value: dt.datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _when(value: str | None, option: str) -> dt.datetime | None:
    # A local wall-clock time, made aware: the store keeps UTC.
    return None if value is None else parse_datetime(value, option).astimezone()


def _clock_line(d: DeadlineView) -> str:
    if d.state is ClockState.DONE and d.done_at is not None:
        if d.on_time:
            return _("done {at} (on time)").format(at=_local(d.done_at))
        return _("done {at} (late: was due {due})").format(at=_local(d.done_at),
                                                          due=_local(d.due_at))
    if d.state is ClockState.LATE:
        return _("LATE: was due {due}").format(due=_local(d.due_at))
    if d.state is ClockState.DUE:
        return _("due by {due}").format(due=_local(d.due_at))
    return _(CLOCK_LABELS[d.state])


def _print_breach(view: BreachView) -> None:
    lines = [
        (_("Breach"), str(view.breach_id)),
        (_("Status"), _(BREACH_STATUS_LABELS[view.status])),
        (_("Discovered"), _local(view.discovered_at)),
        (_("Nature"), view.nature),
        (_("Data concerned"), view.data_concerned),
        (_("Persons concerned"), view.persons_concerned),
        (_("Consequences"), view.consequences),
        (_("Measures"), view.measures),
        (_("Notification text"), view.notification_text),
        (_("Privacy officer (24 h)"), _clock_line(view.officer)),
        (_("Autoriteit Persoonsgegevens (72 h)"), _clock_line(view.ap)),
    ]
    if view.ap_not_required:
        lines.append((_("No notification needed because"), view.ap_not_required))
    width = max(len(label) for label, _v in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")


# --------------------------------------------------------------------------- breaches


def cmd_breach_new(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import breaches

    discovered = parse_datetime(args.discovered, "--discovered").astimezone()
    officer = _when(args.officer_informed, "--officer-informed")
    with open_session(args, kdf) as session:
        breach_id = breaches.register_breach(
            session, discovered, args.nature, args.data, args.persons,
            consequences=args.consequences or "", measures=args.measures or "",
            notification_text=args.notification or "", officer_informed_at=officer)
        view = breaches.breach_detail(session, breach_id)
    emit(args.json, view.to_json(), _("Breach {breach} registered; the AP must be "
                                      "notified by {due}.").format(
        breach=breach_id, due=_local(view.ap.due_at)))
    return ExitCode.OK


def cmd_breach_list(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import breaches

    with open_session(args, kdf) as session:
        rows = breaches.list_breaches(session, status=args.status)
    if args.json:
        emit(True, {"breaches": [r.to_json() for r in rows]}, "")
        return ExitCode.OK
    if not rows:
        print(_("No breaches in the register."))
    for r in rows:
        status = _(BREACH_STATUS_LABELS[r.status])
        officer = _("officer")
        print(f"{r.breach_id:>5}  {_local(r.discovered_at)}  {status:<8}  "
              f"{officer}: {_clock_line(r.officer)}  |  AP: {_clock_line(r.ap)}")
    return ExitCode.OK


def cmd_breach_show(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import breaches

    breach_id = required_id(args.id, "--id")
    with open_session(args, kdf) as session:
        view = breaches.breach_detail(session, breach_id)
    if args.json:
        emit(True, view.to_json(), "")
    else:
        _print_breach(view)
    return ExitCode.OK


def cmd_breach_update(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import breaches

    breach_id = required_id(args.id, "--id")
    officer = _when(args.officer_informed, "--officer-informed")
    ap = _when(args.ap_notified, "--ap-notified")
    reason = (require_text(args.ap_not_required, "--ap-not-required")
              if args.ap_not_required is not None else None)
    texts = {name: require_text(value, option) if value is not None else None
             for name, value, option in (
                 ("consequences", args.consequences, "--consequences"),
                 ("measures", args.measures, "--measures"),
                 ("notification_text", args.notification, "--notification"))}
    with open_session(args, kdf) as session:
        view = breaches.update_breach(session, breach_id, officer_informed_at=officer,
                                      ap_notified_at=ap, ap_not_required=reason, **texts)
    emit(args.json, view.to_json(), _("Breach {breach} updated.").format(breach=breach_id))
    return ExitCode.OK


def cmd_breach_close(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import breaches

    breach_id = required_id(args.id, "--id")
    with open_session(args, kdf) as session:
        view = breaches.close_breach(session, breach_id)
    emit(args.json, view.to_json(), _("Breach {breach} closed.").format(breach=breach_id))
    return ExitCode.OK


def cmd_breach_export(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import breaches

    out: Path = args.out
    if out.is_dir():
        raise InputError("input.out_dir", N_("{option}: name a file, not a folder."),
                         {"option": "--out"})
    with open_session(args, kdf) as session:
        data = breaches.export_breaches(session, args.format)
    atomic_write(out, data)
    print(_("Breach register written to {path}.").format(path=out))
    return ExitCode.OK


# --------------------------------------------------------------------------- figures


def _figure_rows(view: FiguresView) -> list[tuple[str, str, str, str]]:
    """(kind, key, name, shown value) for every cell, in display order."""
    lang = current_language()
    rows = [("total", c.key, _(FIGURE_LABELS.get(c.key, c.key)), view.display(c))
            for c in view.totals]
    rows += [("phase", p.phase_id, p.name.get(lang), view.display(p.entered))
             for p in view.phases]
    return rows


def _figures_text(view: FiguresView) -> str:
    rows = _figure_rows(view)
    width = max(len(name) for _k, _key, name, _v in rows) + 2
    lines = [_("Management figures {year}: {profile}").format(
        year=view.year, profile=view.profile_name.get(current_language())),
        _("Counts below {n} are shown as <{n}; so is a count that would reveal one.").format(
            n=view.threshold), ""]
    for kind, key, name, value in rows:
        if kind == "phase" and key == view.phases[0].phase_id:
            lines += ["", _("Cases that entered each phase:")]
        # The outcomes are parts of "closed", the phases a list of their own: indented.
        indent = "" if key in {"registered", "handled", "closed"} else "  "
        lines.append(f"{indent}{name:<{width - len(indent)}}{value:>6}")
    return "\n".join(lines)


def _figures_csv(view: FiguresView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["year", "profile", "kind", "key", "name", "value"])
    for kind, key, name, value in _figure_rows(view):
        writer.writerow([view.year, view.profile_id, kind, key, name, value])
    return buffer.getvalue().rstrip("\n")


def cmd_figures(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import figures

    with open_session(args, kdf) as session:
        view = figures.figures(session, args.year)
    if args.format == "json":
        print(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(_figures_csv(view))
    else:
        print(_figures_text(view))
    return ExitCode.OK


# --------------------------------------------------------------------------- information duty


def _duty_text(view: InfoDutyView) -> str:
    lang = current_language()
    if view.week_only:
        head = _("Reviews due in the week of {start} to {end}, and overdue:").format(
            start=view.week_start.isoformat(), end=view.week_end.isoformat())
    else:
        head = _("Persons concerned not (yet) informed:")
    lines = [head]
    if not view.rows:
        lines.append(_("Nothing to review."))
    for r in view.rows:
        flag = (_("overdue") if r.overdue else _("this week") if r.due_this_week else "")
        review, category = _("review"), _("category")
        lines.append(
            f"{r.case_ref:<16} {r.person_label:<4} {_(r.status.label):<18} {review}: "
            f"{r.review_on.isoformat() if r.review_on else '-':<10} {flag}".rstrip())
        lines.append(f"{'':<21}{category}: {r.category.get(lang)}")
        if r.motivation:
            lines.append(" " * 21 + _("motivation") + f": {r.motivation}")
        if r.informed_expected:
            lines.append(" " * 21 + _("expected to inform")
                         + f": {r.informed_expected.isoformat()}")
    return "\n".join(lines)


def cmd_information_duty(args: argparse.Namespace, kdf: KdfParams) -> int:
    from app.services import info_duty

    with open_session(args, kdf) as session:
        view = info_duty.overview(session, week_of=clock.today() if args.week else None)
    if args.json:
        emit(True, view.to_json(), "")
    else:
        print(_duty_text(view))
    return ExitCode.OK


# --------------------------------------------------------------------------- grammar


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))


def _texts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--consequences", help=_("the (possible) consequences for the persons"))
    p.add_argument("--measures", help=_("the corrective measures taken or planned"))
    p.add_argument("--notification", help=_("the text of the notification"))


def _breach_sub(group: Any, name: str, help_text: str, user_args: ArgAdder,
                handler: Callable[[argparse.Namespace, KdfParams], int], *,
                with_id: bool = True) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
    user_args(p)
    if with_id:
        p.add_argument("--id", required=True, type=int, metavar="N", help=_("the breach"))
    p.set_defaults(handler=handler)
    return p


def register(sub: Any, user_args: ArgAdder, store_arg: ArgAdder) -> None:
    """Add ``breach ...``, ``figures`` and ``information-duty`` to the CLI."""
    del store_arg
    b = sub.add_parser("breach", help=_("the breach register (privacy officer)"))
    bs = b.add_subparsers(dest="breach_command", metavar="ACTION", required=True)

    p = _breach_sub(bs, "new", _("register a breach"), user_args, cmd_breach_new,
                    with_id=False)
    p.add_argument("--discovered", required=True, metavar="DT",
                   help=_("when it was discovered (YYYY-MM-DDTHH:MM)"))
    p.add_argument("--nature", required=True, help=_("the nature of the breach"))
    p.add_argument("--data", required=True, help=_("the categories of data concerned"))
    p.add_argument("--persons", required=True,
                   help=_("the kinds and number of persons concerned (no names)"))
    _texts(p)
    p.add_argument("--officer-informed", metavar="DT",
                   help=_("when the privacy officer was informed"))
    _json(p)

    p = _breach_sub(bs, "list", _("list the register"), user_args, cmd_breach_list,
                    with_id=False)
    p.add_argument("--status", choices=("open", "closed"))
    _json(p)

    p = _breach_sub(bs, "show", _("show one breach"), user_args, cmd_breach_show)
    _json(p)

    p = _breach_sub(bs, "update", _("record reports, measures and texts"), user_args,
                    cmd_breach_update)
    p.add_argument("--officer-informed", metavar="DT",
                   help=_("when the privacy officer was informed"))
    ap = p.add_mutually_exclusive_group()
    ap.add_argument("--ap-notified", metavar="DT",
                    help=_("when the Autoriteit Persoonsgegevens was notified"))
    ap.add_argument("--ap-not-required", metavar="REASON",
                    help=_("why no notification to the AP is needed"))
    _texts(p)
    _json(p)

    p = _breach_sub(bs, "close", _("close a breach"), user_args, cmd_breach_close)
    _json(p)

    p = _breach_sub(bs, "export", _("write the register as CSV or JSON"), user_args,
                    cmd_breach_export, with_id=False)
    p.add_argument("--format", required=True, choices=("csv", "json"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help=_("the file to write"))

    p = sub.add_parser("figures", help=_("management figures without personal data"))
    user_args(p)
    p.add_argument("--year", required=True, type=int, metavar="YYYY")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.set_defaults(handler=cmd_figures)

    p = sub.add_parser("information-duty",
                       help=_("persons concerned not yet informed, and reviews due"))
    user_args(p)
    p.add_argument("--week", action="store_true",
                   help=_("only the reviews due this week, and those overdue"))
    _json(p)
    p.set_defaults(handler=cmd_information_duty)
