"""Meetings (casusoverleg), their agenda and attendance, and the table's joint record.

The chair (procesregisseur) plans the meeting and invites per agenda case only the parties
that may lawfully be present (ZVH 13.2); the minute taker records decisions and actions in
the meetings they support (ZVH 15.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from app import clock
from app.domain.records import Case, Item, Meeting
from app.domain.roles import Role
from app.domain.vocab import ActionStatus, GoalStatus, values
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action, MeetingFacts
from app.policy.engine import Decision
from app.policy.facts import load_facts
from app.services import agenda, caselist, guard
from app.services.cases import case_rows, record_names
from app.services.redaction import (
    party_ref,
    profile_of,
)
from app.services.session import Session
from app.store import joint_keys, repo
from app.store.store import Store
from app.views import (
    AgendaItemView,
    AttendeeView,
    MeetingSummary,
    MeetingView,
    ViewKind,
    ViewSpec,
)


def _meeting(session: Session, meeting_id: int) -> Meeting:
    found = repo.meetings(session.store.conn, [meeting_id])
    if not found:
        raise InputError("meeting.unknown", N_("No such meeting."))
    return found[0]


def create_meeting(session: Session, *, starts_at: dt.datetime, place: str,
                   notulist: str | None = None) -> int:
    """Plan a meeting chaired by the acting procesregisseur."""
    guard.authorize(session, Action.PLAN_MEETING)
    store = session.store
    if notulist is not None:
        row = store.conn.execute("SELECT role FROM users WHERE username = ?",
                                 (notulist,)).fetchone()
        if row is None or row[0] != Role.NOTULIST.value:
            raise InputError("meeting.notulist", N_("This user is not a minute taker."))
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO meetings(starts_at, place, chair, notulist) VALUES (?,?,?,?)",
            (starts_at.isoformat(timespec="minutes"), place, session.user.username, notulist))
        # The chair and minute taker are named in the signed entry: the key work trusts
        # no meetings row (app.services.vouch).
        store.log("meeting.create", object_type="meeting", object_id=str(cur.lastrowid),
                  attributes={"chair": session.user.username, "notulist": notulist,
                              "starts_at": starts_at.isoformat(timespec="minutes")})
    return int(cur.lastrowid)


def _agenda_cases(store: Store, meeting_id: int) -> list[int]:
    return [int(r[0]) for r in store.conn.execute(
        "SELECT case_id FROM agenda WHERE meeting_id = ?", (meeting_id,))]


def set_attendee(session: Session, meeting_id: int, party: str, *, name: str = "",
                 present: bool = True) -> None:
    """Add a party to a meeting or change its presence (the chair, at the table)."""
    guard.meeting_for(session, meeting_id, Action.CHAIR)
    if not profile_of(session).has_party(party):
        raise InputError("party.unknown", N_("This party is not part of the covenant."))
    store = session.store
    with store.transaction():
        store.conn.execute(
            "INSERT INTO attendees(meeting_id, party_id, name, present) VALUES (?,?,?,?)"
            " ON CONFLICT(meeting_id, party_id) DO UPDATE SET present = excluded.present,"
            " name = CASE WHEN excluded.name = '' THEN attendees.name ELSE excluded.name END",
            (meeting_id, party, name, int(present)))
        store.mark_case(*_agenda_cases(store, meeting_id))
        store.log("meeting.attendance", object_type="meeting", object_id=str(meeting_id),
                  attributes={"party": party, "present": present})


def add_to_agenda(session: Session, meeting_id: int, reference: str,
                  invited: Iterable[str], reasons: Mapping[str, str] | None = None) -> None:
    """Put a case on the agenda with the parties invited for it (ZVH 13.2); see
    :func:`app.services.agenda.invite` for the warnings that need a reason."""
    agenda.invite(session, meeting_id, reference, invited, reasons)


def set_left_room(session: Session, meeting_id: int, reference: str, party: str,
                  left: bool = True) -> None:
    """Record that a party left the room for a case (shown in the notulen)."""
    guard.meeting_for(session, meeting_id, Action.CHAIR)
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    if not profile_of(session).has_party(party):
        raise InputError("party.unknown", N_("This party is not part of the covenant."))
    store = session.store
    if store.conn.execute("SELECT 1 FROM agenda WHERE meeting_id = ? AND case_id = ?",
                          (meeting_id, case.id)).fetchone() is None:
        raise guard.unknown_meeting()
    with store.transaction():
        store.conn.execute(
            "INSERT INTO invitations(meeting_id, case_id, party_id, invited, left_room)"
            " VALUES (?,?,?,0,?)"
            " ON CONFLICT(meeting_id, case_id, party_id) DO UPDATE SET left_room = ?",
            (meeting_id, case.id, party, int(left), int(left)))
        store.mark_case(case.id)
        store.log("meeting.left_room", object_type="meeting", object_id=str(meeting_id),
                  attributes={"case": reference, "party": party, "left": left})


def decide_preview(session: Session, meeting_id: int, reference: str) -> None:
    """The case's procesregisseur records that, with the registering party, they decided
    what participants may see before the meeting: from then on the providers' grants for
    this meeting count before its day (ZVH 13.2, sixth indent).  Logged with both names."""
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    store = session.store
    if store.conn.execute("SELECT 1 FROM agenda WHERE meeting_id = ? AND case_id = ?",
                          (meeting_id, case.id)).fetchone() is None:
        raise guard.unknown_meeting()
    with store.transaction():
        store.conn.execute(
            "INSERT OR REPLACE INTO meeting_previews(meeting_id, case_id, decided_by,"
            " with_party, decided_at) VALUES (?,?,?,?,?)",
            (meeting_id, case.id, session.user.username, case.registering_party,
             clock.utc_now_iso()))
        store.mark_case(case.id)
        store.log("meeting.preview", object_type="meeting", object_id=str(meeting_id),
                  attributes={"case": reference, "with": case.registering_party})


# --- the joint record --------------------------------------------------------------

_UNKNOWN_ROW = {"goals": ("goal.unknown", N_("This case has no such goal.")),
                "actions": ("action.unknown", N_("This case has no such action."))}


def _own_row(session: Session, table: str, row_id: int, case: Case) -> None:
    """``row_id`` is a current goal/action of this case: never link or change another
    case's, nor a version a correction replaced (app.services.joint_edit)."""
    code, message = _UNKNOWN_ROW[table]
    if session.store.conn.execute(
            f"SELECT 1 FROM {table} WHERE id = ? AND case_id = ? AND superseded_by IS NULL",
            (row_id, case.id)).fetchone() is None:
        raise InputError(code, message)

def _insert(session: Session, case: Case, sql: str, params: tuple[object, ...],
            event: str, extra: dict[str, object] | None = None) -> int:
    store = session.store
    with store.transaction():
        cur = store.conn.execute(sql, params)
        store.log(event, object_type=event.split(".", maxsplit=1)[0], object_id=str(cur.lastrowid),
                  attributes={"case": case.reference, **(extra or {})})
        # No case last-change time here: a party whose involvement ended, and the support
        # roles, may know the case but not that the table recorded more (ZVH 13.2).
    return int(cur.lastrowid)


def record_decision(session: Session, reference: str, text: str, *,
                    meeting_id: int | None = None, decided_on: dt.date | None = None) -> int:
    """Record a decision of the table about a case."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT, meeting_id=meeting_id)
    if not text.strip():
        raise InputError("decision.empty", N_("A decision must not be empty."))
    return _insert(session, case,
                   "INSERT INTO decisions(case_id, meeting_id, text, decided_on, recorded_by,"
                   " addendum) VALUES (?,?,?,?,?,?)",
                   (case.id, meeting_id, text.strip(), (decided_on or clock.today()).isoformat(),
                    session.user.username, int(agenda.is_addendum(session, meeting_id))),
                   "decision.add")


def add_goal(session: Session, reference: str, text: str, *,
             meeting_id: int | None = None) -> int:
    """Add a goal to the plan van aanpak."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT, meeting_id=meeting_id)
    if not text.strip():
        raise InputError("goal.empty", N_("A goal must not be empty."))
    return _insert(session, case,
                   "INSERT INTO goals(case_id, text, created_on) VALUES (?,?,?)",
                   (case.id, text.strip(), clock.today().isoformat()), "goal.add")


_PLAN_FIELDS = {"goal": "goal", "problem": "plan_problem", "monitoring": "plan_monitoring",
                "informing": "plan_informing", "exit_criteria": "plan_exit_criteria"}


def set_plan(session: Session, reference: str, **texts: str) -> None:
    """Write parts of the plan van aanpak (WO 1.21, ZVH 1.20, 9.4): ``goal``, ``problem``,
    ``monitoring`` (how the plan is watched), ``informing`` (how and by whom the
    betrokkenen and the melder are told) and ``exit_criteria`` (when to scale down).
    Parts not named stay as they are."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT)
    unknown = set(texts) - set(_PLAN_FIELDS)
    if unknown:
        raise InputError("plan.field", N_("Unknown part of the plan."))
    if not texts:
        return
    store = session.store
    with store.transaction():
        # The plan's texts are encrypted together (schema 15): the whole plan is written
        # in clear, the named parts changed, and the key work before the commit encrypts
        # it again under a new key.  Parts one cannot read cannot be kept, so refuse.
        plan = joint_keys.plan_of(store.keyring, store.conn, case.id)
        if plan is None:
            raise InputError("joint.no_key", N_(
                "The plan is not readable with your keys, so it cannot be changed."))
        for name, text in texts.items():
            plan[_PLAN_FIELDS[name]] = text.strip()
        # Column names come from joint_keys.PLAN_FIELDS only, never from the caller.
        store.conn.execute(
            "UPDATE cases SET plan_content = NULL, "
            + ", ".join(f"{f} = ?" for f in joint_keys.PLAN_FIELDS) + " WHERE id = ?",
            # An open case's close reason stays NULL ("not closed").
            (*(plan[f] or (None if f == "close_reason" else "")
               for f in joint_keys.PLAN_FIELDS), case.id))
        store.log("plan.update", object_type="case", object_id=reference,
                  attributes={"parts": sorted(texts)})


def set_goal_status(session: Session, reference: str, goal_id: int,
                    status: GoalStatus | str) -> None:
    """Mark a goal open, reached or not reached."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT)
    if status not in values(GoalStatus):
        raise InputError("goal.status", N_("Unknown status."))
    store = session.store
    _own_row(session, "goals", goal_id, case)
    with store.transaction():
        store.conn.execute("UPDATE goals SET status = ? WHERE id = ? AND case_id = ?",
                           (status, goal_id, case.id))
        store.log("goal.status", object_type="goal", object_id=str(goal_id),
                  attributes={"status": status})


def add_action(session: Session, reference: str, text: str, *, owner_party: str,
               due_on: dt.date | None = None, goal_id: int | None = None,
               meeting_id: int | None = None) -> int:
    """Agree an action with an owner party and a due date."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT, meeting_id=meeting_id)
    if not profile_of(session).has_party(owner_party):
        raise InputError("party.unknown", N_("This party is not part of the covenant."))
    if not text.strip():
        raise InputError("action.empty", N_("An action must not be empty."))
    if goal_id is not None:
        _own_row(session, "goals", goal_id, case)
    return _insert(session, case,
                   "INSERT INTO actions(case_id, goal_id, meeting_id, text, owner_party, due_on,"
                   " created_on, addendum) VALUES (?,?,?,?,?,?,?,?)",
                   (case.id, goal_id, meeting_id, text.strip(), owner_party,
                    due_on.isoformat() if due_on else None, clock.today().isoformat(),
                    int(agenda.is_addendum(session, meeting_id))),
                   # The owner party (an id, no content) in the signed entry: it involves
                   # that party in the case, for the key work too (app.services.vouch_items).
                   "action.add", {"owner": owner_party})


def set_action_status(session: Session, reference: str, action_id: int,
                      status: ActionStatus | str) -> None:
    """Mark an action open, done or cancelled."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT)
    if status not in values(ActionStatus):
        raise InputError("action.status", N_("Unknown status."))
    store = session.store
    _own_row(session, "actions", action_id, case)
    with store.transaction():
        store.conn.execute("UPDATE actions SET status = ? WHERE id = ? AND case_id = ?",
                           (status, action_id, case.id))
        store.log("action.status", object_type="action", object_id=str(action_id),
                  attributes={"status": status})


def add_progress(session: Session, reference: str, text: str, *,
                 action_id: int | None = None, entry_on: dt.date | None = None,
                 meeting_id: int | None = None) -> int:
    """Add a progress entry (voortgang) to the plan or to one action."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT, meeting_id=meeting_id)
    if not text.strip():
        raise InputError("progress.empty", N_("A progress entry must not be empty."))
    if action_id is not None:
        _own_row(session, "actions", action_id, case)
    return _insert(session, case,
                   "INSERT INTO progress(case_id, action_id, text, entry_on, recorded_by,"
                   " meeting_id, addendum) VALUES (?,?,?,?,?,?,?)",
                   (case.id, action_id, text.strip(), (entry_on or clock.today()).isoformat(),
                    session.user.username, meeting_id,
                    int(agenda.is_addendum(session, meeting_id))), "progress.add")


# --- reading -------------------------------------------------------------------------


def list_meetings(session: Session, *, now: dt.datetime | None = None) -> list[MeetingSummary]:
    """Meetings the user may know of: upcoming first (soonest first), then past (newest
    first), with agenda sizes."""
    conn = session.store.conn
    # Agenda sizes count only the cases this user may know of (or is invited for): a
    # count of the others would betray that they exist (ZVH 13.2).
    known = set(caselist.known_case_ids(session))
    sizes: dict[int, int] = {}
    for mid, case_id, invited in conn.execute(
            "SELECT a.meeting_id, a.case_id, EXISTS (SELECT 1 FROM invitations i"
            " WHERE i.meeting_id = a.meeting_id AND i.case_id = a.case_id"
            " AND i.party_id = ? AND i.invited) FROM agenda a", (session.user.party_id,)):
        if case_id in known or invited:
            sizes[mid] = sizes.get(mid, 0) + 1
    parties: dict[int, set[str]] = {}
    present: dict[int, set[str]] = {}
    for mid, party, is_present in conn.execute(
            "SELECT meeting_id, party_id, present FROM attendees"):
        parties.setdefault(mid, set()).add(party)
        if is_present:
            present.setdefault(mid, set()).add(party)
    now = now or clock.local_now()  # meeting times are local wall-clock times
    out = [
        MeetingSummary(m.id, m.starts_at, m.place, m.status, int(sizes.get(m.id, 0)),
                       m.starts_at >= now)
        for m in repo.meetings(conn)
        if guard.may(session, Action.READ_MEETING, MeetingFacts(
            m.id, m.chair, m.notulist, frozenset(parties.get(m.id, ())),
            frozenset(present.get(m.id, ()))))
    ]
    with session.store.transaction():
        session.store.log("meeting.list", attributes={"count": len(out)})
    upcoming = [m for m in out if m.upcoming]
    past = [m for m in out if not m.upcoming]
    return upcoming + list(reversed(past))


def meeting_view(session: Session, meeting_id: int, spec: ViewSpec | None = None,
                 *, today: dt.date | None = None) -> MeetingView:
    """The meeting dashboard: attendance and the agenda as the viewer may see it."""
    if spec is None:
        # Support roles see the meeting's metadata without its meeting-scoped grants.
        spec = ViewSpec(meeting_id=meeting_id if guard.meeting_context_allowed(session, meeting_id)
                        else None)
    spec = guard.checked_spec(session, spec)
    conn = session.store.conn
    known = guard.meeting_for(session, meeting_id, Action.READ_MEETING)
    meeting = _meeting(session, meeting_id)
    attendees = repo.attendees(conn, meeting_id)
    profile = profile_of(session)
    names = repo.display_names(conn)
    present = {a.party_id for a in attendees if a.present}
    entries = repo.agenda(conn, meeting_id)
    cases = {c.id: c for c in repo.cases(conn, [e.case_id for e in entries])}
    facts = load_facts(conn, cases.values())
    visible = [e for e in entries if guard.may(session, Action.READ, facts[e.case_id])
               or session.user.party_id in e.invited]
    # The rows look in the meeting's context only where the checked spec has it: a party
    # invited for one case but not at the meeting gets no meeting-scoped grants (ZVH 13.2).
    row_meeting = meeting_id if (spec.meeting_id == meeting_id or guard.may(
        session, Action.MEETING_CONTEXT, known)) else None
    row_spec = ViewSpec(spec.kind, spec.parties, row_meeting)
    shown: list[tuple[Item, Decision]] = []
    rows = {r.case_id: r for r in case_rows(
        session, [cases[e.case_id] for e in visible], facts, row_spec, today=today,
        meeting_id=row_meeting, shown=shown)}
    # Why a warned party is invited anyway names the warning: only for the case's
    # directors (the same as hold its key, app.services.joint_seal), in their own look,
    # never in a look as the table.
    own = spec.kind is ViewKind.SELF
    reasons = repo.invitation_reasons(conn, meeting_id) if own else {}
    directed = {e.case_id for e in visible
                if own and guard.may(session, Action.DIRECT, facts[e.case_id])}
    # Positions are counted over what the viewer may see: a gap would betray a case.
    agenda = tuple(
        AgendaItemView(
            position, rows[e.case_id],
            tuple(party_ref(profile, p) for p in sorted(e.invited)),
            tuple(party_ref(profile, p) for p in sorted(present - e.invited - e.left_room)),
            tuple(party_ref(profile, p) for p in sorted(e.left_room)),
            tuple(party_ref(profile, p) for p in sorted(present - e.left_room)),
            tuple((party_ref(profile, p), why) for p, why in reasons.get(e.case_id, {}).items()
                  if why) if e.case_id in directed else (),
        )
        for position, e in enumerate(visible, start=1)
    )
    with session.store.transaction():
        session.store.log("meeting.read", object_type="meeting", object_id=str(meeting_id),
                          attributes={"view": spec.kind})
        record_names(session, shown, facts, row_spec)
    return MeetingView(
        meeting.id, meeting.starts_at, meeting.place, names.get(meeting.chair or ""),
        names.get(meeting.notulist or ""), meeting.status,
        tuple(AttendeeView(party_ref(profile, a.party_id), a.name, a.present)
              for a in attendees),
        agenda,
        is_chair=guard.may(session, Action.CHAIR, known),
    )
