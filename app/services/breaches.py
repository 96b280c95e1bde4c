"""The breach register (ZVH 14; AVG 33-34): kept by the privacy officer alone.

An entry describes the breach in kinds and numbers (nature, data concerned, kinds and
number of persons concerned: no names), its consequences, the corrective measures and the
text of any notification.  Two clocks run from the discovery (``discovered_at``, UTC):
the privacy officer is informed within 24 hours (ZVH 14.3), the Autoriteit
Persoonsgegevens within 72 hours (ZVH 14.8; AVG 33(1)) unless the officer records why no
notification is needed.  The state of each clock is computed on every read from
:mod:`app.clock` (:func:`deadline`): ``due`` until and including the deadline's second,
``late`` after it, ``done`` once reported (with whether on time).

Every write is one transaction with one audit entry; every read is logged.  The audit
attributes hold ids, field names, states and counts: never the register's texts.
A recorded time (officer informed, AP notified) is not changed afterwards: the register
shows when it was done, and a correction would hide a late report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from app import clock
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.policy.rights import AP_HOURS, OFFICER_HOURS, breach_due
from app.services import guard
from app.services.session import Session
from app.views.oversight import BreachRowView, BreachView, ClockState, DeadlineView

__all__ = ["EXPORT_FORMATS", "breach_detail", "close_breach", "deadline", "export_breaches",
           "list_breaches", "register_breach", "update_breach"]

EXPORT_FORMATS = ("csv", "json")

_COLUMNS = ("id, discovered_at, reported_by, nature, data_concerned, persons_concerned,"
            " consequences, measures, notification_text, officer_informed_at, ap_notified_at,"
            " ap_not_required, status, closed_at, created_at")

# The required descriptions (ZVH 14.3a, 14.8a-c), each with its own message so the form
# and the CLI can point at the field.
_REQUIRED = {
    "nature": N_("Describe the nature of the breach."),
    "data_concerned": N_("Name the categories of personal data concerned."),
    "persons_concerned": N_("Name the kinds and number of persons concerned (no names)."),
}
_TEXTS = ("consequences", "measures", "notification_text")


def _utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC time; a naive one is the workstation's local wall-clock time."""
    return value.astimezone(dt.UTC).replace(microsecond=0)


def _iso(value: dt.datetime) -> str:
    return _utc(value).isoformat(timespec="seconds")


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _invalid(code: str, message: str, field: str) -> InputError:
    return InputError(code, message, {"field": field})


def _check_past(value: dt.datetime, field: str) -> None:
    if _utc(value) > clock.now():
        raise _invalid("breach.future", N_("A time in the breach register cannot be in "
                                            "the future."), field)


def deadline(kind: str, discovered_at: dt.datetime, done_at: dt.datetime | None,
             *, not_required: bool = False, now: dt.datetime | None = None) -> DeadlineView:
    """The state of one clock (``officer``: 24 hours, ``ap``: 72 hours) at ``now``
    (default: :func:`app.clock.now`).  The deadline's own second still counts as on time
    ("within 24 hours")."""
    hours = OFFICER_HOURS if kind == "officer" else AP_HOURS
    due_at = breach_due(discovered_at, hours)
    if done_at is not None:
        return DeadlineView(kind, hours, due_at, ClockState.DONE, done_at, done_at <= due_at)
    if not_required:
        return DeadlineView(kind, hours, due_at, ClockState.NOT_REQUIRED)
    current = now or clock.now()
    state = ClockState.LATE if current > due_at else ClockState.DUE
    return DeadlineView(kind, hours, due_at, state)


def _view(row: sqlite3.Row | tuple[Any, ...], now: dt.datetime) -> BreachView:
    (bid, discovered, reported_by, nature, data, persons, consequences, measures, text,
     officer_at, ap_at, ap_not_required, status, closed_at, created_at) = row
    # Both are NOT NULL in the schema.
    found = dt.datetime.fromisoformat(discovered)
    created = dt.datetime.fromisoformat(created_at)
    return BreachView(
        int(bid), found, reported_by, nature, data, persons, consequences, measures, text,
        ap_not_required, status, _time(closed_at), created,
        deadline("officer", found, _time(officer_at), now=now),
        deadline("ap", found, _time(ap_at), not_required=ap_not_required is not None,
                 now=now))


def _load(session: Session, breach_id: int) -> BreachView:
    row = session.store.conn.execute(
        f"SELECT {_COLUMNS} FROM breaches WHERE id = ?", (breach_id,)).fetchone()
    if row is None:
        raise InputError("breach.unknown", N_("No such breach in the register."),
                         {"breach": breach_id})
    return _view(row, clock.now())


def register_breach(
    session: Session,
    discovered_at: dt.datetime,
    nature: str,
    data_concerned: str,
    persons_concerned: str,
    consequences: str = "",
    measures: str = "",
    notification_text: str = "",
    *,
    officer_informed_at: dt.datetime | None = None,
) -> int:
    """Enter a breach in the register (ZVH 14.3, 14.8); the privacy officer only.
    ``discovered_at`` (aware, or naive local time) starts both clocks and is not in the
    future; ``officer_informed_at``: when the officer learned of it, if already known."""
    guard.authorize(session, Action.PRIVACY_WORK)
    texts = {"nature": nature, "data_concerned": data_concerned,
             "persons_concerned": persons_concerned}
    for field, message in _REQUIRED.items():
        if not texts[field].strip():
            raise _invalid(f"breach.{field}", message, field)
    _check_past(discovered_at, "discovered_at")
    if officer_informed_at is not None:
        _check_recorded(officer_informed_at, discovered_at, "officer_informed_at")
    store = session.store
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO breaches(discovered_at, reported_by, nature, data_concerned,"
            " persons_concerned, consequences, measures, notification_text,"
            " officer_informed_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (_iso(discovered_at), session.user.username, nature.strip(),
             data_concerned.strip(), persons_concerned.strip(), consequences.strip(),
             measures.strip(), notification_text.strip(),
             _iso(officer_informed_at) if officer_informed_at else None,
             clock.utc_now_iso()))
        breach_id = int(cur.lastrowid or 0)
        store.log("breach.register", object_type="breach", object_id=str(breach_id),
                  attributes={"officer_informed": officer_informed_at is not None})
    return breach_id


def _check_recorded(value: dt.datetime, discovered_at: dt.datetime, field: str) -> None:
    _check_past(value, field)
    if _utc(value) < _utc(discovered_at):
        raise _invalid("breach.before_discovery",
                       N_("A report cannot be made before the breach was discovered."), field)


def _ap_changes(current: BreachView, notified_at: dt.datetime | None,
                not_required: str | None) -> dict[str, str]:
    """The AP columns to set: the notification time, or why none is needed (AVG 33(1))."""
    if notified_at is None and not_required is None:
        return {}
    if notified_at is not None and not_required is not None:
        raise _invalid("breach.ap_both",
                       N_("Record either the notification to the AP or why none is needed."),
                       "ap_notified_at")
    # A notification made is final; a "not needed" may still be followed by a notification
    # when the risk is judged again (the reason stays in the register beside it).
    if current.ap.state is ClockState.DONE or (
            current.ap.state is ClockState.NOT_REQUIRED and not_required is not None):
        raise _invalid("breach.recorded", N_("This time is already recorded."),
                       "ap_notified_at")
    if notified_at is not None:
        _check_recorded(notified_at, current.discovered_at, "ap_notified_at")
        return {"ap_notified_at": _iso(notified_at)}
    reason = (not_required or "").strip()
    if not reason:
        raise _invalid("breach.ap_reason",
                       N_("Say why the AP need not be notified."), "ap_not_required")
    return {"ap_not_required": reason}


def update_breach(
    session: Session,
    breach_id: int,
    *,
    officer_informed_at: dt.datetime | None = None,
    ap_notified_at: dt.datetime | None = None,
    ap_not_required: str | None = None,
    consequences: str | None = None,
    measures: str | None = None,
    notification_text: str | None = None,
) -> BreachView:
    """Record what happened since: when the officer was informed, when the AP was notified
    or why no notification is needed (AVG 33(1)), and the consequences, measures and
    notification text (replaced when given).  Returns the entry as it now stands."""
    guard.authorize(session, Action.PRIVACY_WORK)
    current = _load(session, breach_id)
    if current.status == "closed":
        raise _invalid("breach.closed", N_("This breach is closed."), "status")
    changes: dict[str, str] = {}
    if officer_informed_at is not None:
        if current.officer.done_at is not None:
            raise _invalid("breach.recorded", N_("This time is already recorded."),
                           "officer_informed_at")
        _check_recorded(officer_informed_at, current.discovered_at, "officer_informed_at")
        changes["officer_informed_at"] = _iso(officer_informed_at)
    changes.update(_ap_changes(current, ap_notified_at, ap_not_required))
    for field, value in (("consequences", consequences), ("measures", measures),
                         ("notification_text", notification_text)):
        if value is not None:
            if not value.strip():
                raise _invalid("breach.empty_text", N_("{field}: the text must not be empty."),
                               field)
            changes[field] = value.strip()
    if not changes:
        raise _invalid("breach.nothing", N_("Nothing to record: name what changed."), "")
    store = session.store
    with store.transaction():
        assignments = ", ".join(f"{column} = ?" for column in changes)
        store.conn.execute(f"UPDATE breaches SET {assignments} WHERE id = ?",
                           (*changes.values(), breach_id))
        store.log("breach.update", object_type="breach", object_id=str(breach_id),
                  attributes={"fields": sorted(changes)})
    return _load(session, breach_id)


def close_breach(session: Session, breach_id: int) -> BreachView:
    """Close the entry once the officer's report and the AP question are recorded and the
    corrective measures are written down (ZVH 14.3e)."""
    guard.authorize(session, Action.PRIVACY_WORK)
    current = _load(session, breach_id)
    if current.status == "closed":
        raise _invalid("breach.closed", N_("This breach is closed."), "status")
    if current.officer.state is not ClockState.DONE:
        raise _invalid("breach.close_officer",
                       N_("Record when the privacy officer was informed first."),
                       "officer_informed_at")
    if current.ap.state not in {ClockState.DONE, ClockState.NOT_REQUIRED}:
        raise _invalid("breach.close_ap",
                       N_("Record the notification to the AP, or why none is needed, first."),
                       "ap_notified_at")
    if not current.measures.strip():
        raise _invalid("breach.close_measures",
                       N_("Record the corrective measures first."), "measures")
    store = session.store
    with store.transaction():
        store.conn.execute("UPDATE breaches SET status = 'closed', closed_at = ? WHERE id = ?",
                           (clock.utc_now_iso(), breach_id))
        store.log("breach.close", object_type="breach", object_id=str(breach_id),
                  attributes={"officer_on_time": current.officer.on_time,
                              "ap": current.ap.state.value,
                              "ap_on_time": current.ap.on_time})
    return _load(session, breach_id)


def _all(session: Session, status: str | None) -> list[BreachView]:
    sql = f"SELECT {_COLUMNS} FROM breaches"
    params: tuple[str, ...] = ()
    if status is not None:
        sql += " WHERE status = ?"
        params = (status,)
    now = clock.now()
    return [_view(row, now) for row in session.store.conn.execute(
        sql + " ORDER BY discovered_at DESC, id DESC", params)]


def list_breaches(session: Session, *, status: str | None = None) -> list[BreachRowView]:
    """The register, newest discovery first; ``status`` ``open`` or ``closed`` filters."""
    guard.authorize(session, Action.PRIVACY_WORK)
    if status not in (None, "open", "closed"):
        raise _invalid("breach.status", N_("Unknown status."), "status")
    found = _all(session, status)
    with session.store.transaction():
        session.store.log("breach.list", attributes={"count": len(found), "status": status})
    return [BreachRowView(b.breach_id, b.discovered_at, b.status, b.nature, b.officer, b.ap)
            for b in found]


def breach_detail(session: Session, breach_id: int) -> BreachView:
    """One entry of the register, with both clocks (logged)."""
    guard.authorize(session, Action.PRIVACY_WORK)
    found = _load(session, breach_id)
    with session.store.transaction():
        session.store.log("breach.read", object_type="breach", object_id=str(breach_id))
    return found


_CSV_FIELDS = ("breach", "discovered_at", "reported_by", "nature", "data_concerned",
               "persons_concerned", "consequences", "measures", "notification_text",
               "officer_due_at", "officer_informed_at", "officer_state", "officer_on_time",
               "ap_due_at", "ap_notified_at", "ap_state", "ap_on_time", "ap_not_required",
               "status", "closed_at")


def _csv_row(view: BreachView) -> list[object]:
    data = view.to_json()
    officer, ap = data["officer"], data["ap"]
    return [data["breach"], data["discovered_at"], data["reported_by"], data["nature"],
            data["data_concerned"], data["persons_concerned"], data["consequences"],
            data["measures"], data["notification_text"], officer["due_at"],
            officer["done_at"], officer["state"], _flag(officer["on_time"]), ap["due_at"],
            ap["done_at"], ap["state"], _flag(ap["on_time"]), data["ap_not_required"] or "",
            data["status"], data["closed_at"] or ""]


def _cell(value: object) -> object:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: the register's texts
    # are the officer's, but an export must not execute anything when opened.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return "" if value is None else value


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _csv(views: Iterable[BreachView]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_FIELDS)
    for view in views:
        writer.writerow([_cell(v) for v in _csv_row(view)])
    return buffer.getvalue().encode("utf-8")


def export_breaches(session: Session, fmt: str) -> bytes:
    """The whole register as CSV or JSON bytes (UTF-8), for the AP or the annual report;
    the caller writes them only where the user chose.  Logged with the count."""
    guard.authorize(session, Action.PRIVACY_WORK)
    if fmt not in EXPORT_FORMATS:
        raise _invalid("breach.format", N_("Export as csv or json."), "format")
    found = sorted(_all(session, None), key=lambda b: (b.discovered_at, b.breach_id))
    if fmt == "csv":
        data = _csv(found)
    else:
        data = (json.dumps({"breaches": [b.to_json() for b in found]}, ensure_ascii=False,
                           indent=2) + "\n").encode("utf-8")
    with session.store.transaction():
        session.store.log("breach.export", attributes={"count": len(found), "format": fmt})
    return data
