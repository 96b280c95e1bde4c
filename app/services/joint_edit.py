"""Editing and correcting the joint record: goals, actions, decisions, progress (issue 13,
point 7).

Who may correct is who may record (``RECORD_JOINT``: the case's procesregisseur, its
casusregisseur, the minute taker in a meeting they support; ZVH 9.6, 14, 15.2).  For a
row recorded at a meeting the rules look at that meeting, so a minute taker corrects what
the meetings they support recorded, nothing else.

A correction never overwrites: it is a new row, and the corrected row keeps its text and
points to its successor with when, by whom and why (schema 13, whose triggers refuse an
overwrite), as items do (:mod:`app.services.corrections`).  A correction of what a
closed meeting recorded (a decision, an action, a progress entry) is an addendum: the new
row is marked so and dated the day of the correction, and the notulen keep the version
as the meeting agreed it, with the addendum after it (ZVH 15.2).  A status change alone
(an action done, a goal reached) is no correction: it is set on the current row, as
:func:`app.services.meetings.set_action_status` does.  Every write is one signed audit
entry naming the case, the replaced row and the fields changed, never the text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from app import clock
from app.domain.records import Case
from app.domain.vocab import ActionStatus, GoalStatus, values
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.services import agenda, guard
from app.services.joint_history import TABLES, Version, chain, load_version, version_views
from app.services.redaction import profile_of
from app.services.session import Session
from app.store import repo
from app.store.joint_keys import readable
from app.views import JOINT_KINDS, JointVersionView


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP
"""For an optional field: keep what the current version says."""

_UNKNOWN = {
    "goal": N_("This case has no such goal."),
    "action": N_("This case has no such action."),
    "decision": N_("This case has no such decision."),
    "progress": N_("This case has no such progress entry."),
}
_EMPTY = {
    "goal": N_("A goal must not be empty."),
    "action": N_("An action must not be empty."),
    "decision": N_("A decision must not be empty."),
    "progress": N_("A progress entry must not be empty."),
}


@dataclass(frozen=True)
class _Target:
    case: Case
    old: Version


def _target(session: Session, kind: str, reference: str, row_id: int,
            meeting_id: int | None) -> _Target:
    """The current row ``row_id`` of the case, once the user may record the joint record
    (in the row's own meeting when it has one)."""
    if kind not in JOINT_KINDS:
        raise InputError("joint.kind", N_("Unknown part of the joint record."))
    conn = session.store.conn
    old = load_version(conn, kind, row_id)
    case = repo.case_by_reference(conn, reference)
    ours = old is not None and case is not None and old.case_id == case.id
    context = old.meeting_id if ours and old is not None and old.meeting_id is not None \
        else meeting_id
    found, _facts = guard.case_for(session, reference, Action.RECORD_JOINT, meeting_id=context)
    # Another case's row answers as a missing one: its number tells nothing.
    if not ours or old is None:
        raise InputError(f"{kind}.unknown", _UNKNOWN[kind])
    if old.superseded_by is not None:
        raise InputError("joint.corrected", N_(
            "This entry was corrected in the meantime; open the current version."))
    if not readable(conn, kind, row_id):
        # Correcting words one cannot read would put the placeholder in their place.
        raise InputError("joint.no_key", N_(
            "This entry is not readable with your keys, so it cannot be corrected."))
    return _Target(found, old)


def _text(kind: str, text: str | None, old: Version) -> str:
    if text is None:
        return old.text
    if not text.strip():
        raise InputError(f"{kind}.empty", _EMPTY[kind])
    return text.strip()


def _day(given: dt.date | None, old: Version, addendum: bool) -> dt.date:
    """The date of a corrected decision or progress entry: the one given, else its own;
    an addendum has its own date, the day of the correction (ZVH 15.2)."""
    if given is not None and given != old.on:
        return given
    return clock.today() if addendum else old.on


def _unchanged() -> InputError:
    return InputError("joint.unchanged", N_("Nothing was changed."))


def _write(session: Session, target: _Target, insert: str, params: tuple[object, ...],
           *, reason: str, changed: list[str], addendum: bool, mark: bool = False,
           extra: dict[str, object] | None = None) -> int:
    """Insert the new version, point the old one at it, and log the correction."""
    old, case = target.old, target.case
    store = session.store
    table = TABLES[old.kind]  # from the module's own table, never the caller's
    with store.transaction():
        cur = store.conn.execute(insert, params)
        new_id = int(cur.lastrowid)
        store.conn.execute(
            f"UPDATE {table} SET superseded_by = ?, corrected_at = ?, corrected_by = ?,"
            " correction_reason = ? WHERE id = ?",
            (new_id, clock.utc_now_iso(), session.user.username, reason.strip(), old.id))
        if mark:
            # A new owner party becomes involved: its keys may be due (ZVH 13.2).
            store.mark_case(case.id)
        store.log(f"{old.kind}.correct", object_type=old.kind, object_id=str(new_id),
                  attributes={"case": case.reference, "replaces": old.id,
                              "fields": sorted(changed), "addendum": addendum,
                              **(extra or {})})
    return new_id


def _set_status(session: Session, target: _Target, status: str) -> int:
    """Close (or reopen) the current row: a status is no correction of what was agreed."""
    old = target.old
    store = session.store
    with store.transaction():
        store.conn.execute(f"UPDATE {TABLES[old.kind]} SET status = ? WHERE id = ?",
                           (status, old.id))
        store.log(f"{old.kind}.status", object_type=old.kind, object_id=str(old.id),
                  attributes={"status": status})
    return old.id


def correct_goal(session: Session, reference: str, goal_id: int, *,
                 text: str | None = None, status: GoalStatus | str | None = None,
                 reason: str = "", meeting_id: int | None = None) -> int:
    """Correct a goal's text (a new version) or close it (``status``: reached, not
    reached; set on the current row).  Returns the id of the goal as it stands now."""
    target = _target(session, "goal", reference, goal_id, meeting_id)
    old = target.old
    new_text = _text("goal", text, old)
    if status is not None and status not in values(GoalStatus):
        raise InputError("goal.status", N_("Unknown status."))
    new_status = str(status) if status is not None else str(old.status)
    if new_text == old.text:
        if new_status == old.status:
            raise _unchanged()
        return _set_status(session, target, new_status)
    return _write(session, target,
                  "INSERT INTO goals(case_id, text, status, created_on) VALUES (?,?,?,?)",
                  (old.case_id, new_text, new_status, old.on.isoformat()),
                  reason=reason, addendum=False,
                  changed=["text"] + (["status"] if new_status != old.status else []))


def correct_action(session: Session, reference: str, action_id: int, *,
                   text: str | None = None, owner_party: str | None = None,
                   due_on: dt.date | _Keep | None = KEEP,
                   goal_id: int | _Keep | None = KEEP,
                   status: ActionStatus | str | None = None, reason: str = "",
                   meeting_id: int | None = None) -> int:
    """Correct an action: its text, the owner party, the deadline, the goal (a new
    version; after its meeting was closed an addendum), or close it (``status`` done or
    cancelled, on the current row).  Returns the id of the action as it stands now."""
    target = _target(session, "action", reference, action_id, meeting_id)
    old, case = target.old, target.case
    new_text = _text("action", text, old)
    owner = old.owner_party if owner_party is None else owner_party
    if not profile_of(session).has_party(str(owner)):
        raise InputError("party.unknown", N_("This party is not part of the covenant."))
    due = old.due_on if isinstance(due_on, _Keep) else due_on
    goal = old.goal_id if isinstance(goal_id, _Keep) else goal_id
    if goal is not None and goal != old.goal_id and session.store.conn.execute(
            "SELECT 1 FROM goals WHERE id = ? AND case_id = ? AND superseded_by IS NULL",
            (goal, case.id)).fetchone() is None:
        raise InputError("goal.unknown", _UNKNOWN["goal"])
    if status is not None and status not in values(ActionStatus):
        raise InputError("action.status", N_("Unknown status."))
    new_status = str(status) if status is not None else str(old.status)
    changed = [name for name, now, before in (
        ("text", new_text, old.text), ("owner", owner, old.owner_party),
        ("due_on", due, old.due_on), ("goal", goal, old.goal_id)) if now != before]
    if not changed:
        if new_status == old.status:
            raise _unchanged()
        return _set_status(session, target, new_status)
    if new_status != old.status:
        changed.append("status")
    addendum = agenda.is_addendum(session, old.meeting_id)
    return _write(session, target,
                  "INSERT INTO actions(case_id, goal_id, meeting_id, text, owner_party, due_on,"
                  " status, created_on, addendum) VALUES (?,?,?,?,?,?,?,?,?)",
                  (old.case_id, goal, old.meeting_id, new_text, owner,
                   due.isoformat() if due else None, new_status, old.on.isoformat(),
                   int(addendum)),
                  reason=reason, changed=changed, addendum=addendum,
                  # The owner party (an id, no content) in the signed entry: it involves
                  # that party in the case.
                  mark=owner != old.owner_party,
                  extra={"owner": owner} if owner != old.owner_party else None)


def correct_decision(session: Session, reference: str, decision_id: int, *,
                     text: str | None = None, decided_on: dt.date | None = None,
                     reason: str = "", meeting_id: int | None = None) -> int:
    """Correct a decision (a new version).  After its meeting was closed the correction is
    an addendum, dated today unless ``decided_on`` names another day, and the notulen keep
    the decision as agreed; before, it keeps the decision's date unless ``decided_on``
    says otherwise.  ``decided_on`` equal to the decision's date (a form prefilled with
    it) changes nothing."""
    target = _target(session, "decision", reference, decision_id, meeting_id)
    old = target.old
    new_text = _text("decision", text, old)
    addendum = agenda.is_addendum(session, old.meeting_id)
    day = _day(decided_on, old, addendum)
    changed = [name for name, now, before in (
        ("text", new_text, old.text), ("decided_on", day, old.on)) if now != before]
    if new_text == old.text and decided_on in (None, old.on):
        raise _unchanged()
    return _write(session, target,
                  "INSERT INTO decisions(case_id, meeting_id, text, decided_on, recorded_by,"
                  " addendum) VALUES (?,?,?,?,?,?)",
                  (old.case_id, old.meeting_id, new_text, day.isoformat(),
                   session.user.username, int(addendum)),
                  reason=reason, changed=changed, addendum=addendum)


def correct_progress(session: Session, reference: str, entry_id: int, *,
                     text: str | None = None, entry_on: dt.date | None = None,
                     reason: str = "", meeting_id: int | None = None) -> int:
    """Correct a progress entry (a new version; after the meeting it was recorded at was
    closed, an addendum dated today unless ``entry_on`` names another day).  ``entry_on``
    equal to the entry's date changes nothing, as for :func:`correct_decision`."""
    target = _target(session, "progress", reference, entry_id, meeting_id)
    old = target.old
    new_text = _text("progress", text, old)
    addendum = agenda.is_addendum(session, old.meeting_id)
    day = _day(entry_on, old, addendum)
    changed = [name for name, now, before in (
        ("text", new_text, old.text), ("entry_on", day, old.on)) if now != before]
    if new_text == old.text and entry_on in (None, old.on):
        raise _unchanged()
    return _write(session, target,
                  "INSERT INTO progress(case_id, action_id, text, entry_on, recorded_by,"
                  " meeting_id, addendum) VALUES (?,?,?,?,?,?,?)",
                  (old.case_id, old.action_id, new_text, day.isoformat(),
                   session.user.username, old.meeting_id, int(addendum)),
                  reason=reason, changed=changed, addendum=addendum)


def history(session: Session, reference: str, kind: str, row_id: int, *,
            meeting_id: int | None = None) -> tuple[JointVersionView, ...]:
    """Every version of a row of the joint record, oldest first, for those who may
    correct it (the edit dialog shows them).  Logged as a read of the case."""
    if kind not in JOINT_KINDS:
        raise InputError("joint.kind", N_("Unknown part of the joint record."))
    conn = session.store.conn
    versions = chain(conn, kind, row_id)
    case = repo.case_by_reference(conn, reference)
    ours = bool(versions) and case is not None and versions[0].case_id == case.id
    context = versions[0].meeting_id if ours and versions[0].meeting_id is not None \
        else meeting_id
    found, _facts = guard.case_for(session, reference, Action.RECORD_JOINT, meeting_id=context)
    if not ours:
        raise InputError(f"{kind}.unknown", _UNKNOWN[kind])
    store = session.store
    with store.transaction():
        store.log("case.read", object_type="case", object_id=found.reference,
                  attributes={"part": f"{kind}.history", "versions": len(versions)})
    return version_views(versions, profile_of(session), repo.display_names(conn))
