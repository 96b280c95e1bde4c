"""The life of a case: phase changes by the covenant's process, closing and hand-over.

The allowed transitions are data in the profile (``next`` of each phase).  A forbidden
transition is refused with the allowed next steps named.  Closing asks for the reason and
the basis; a closed case is never reopened by a transition: a new melding about the person
is registered and linked to it (ZVH 11.6).
"""

from __future__ import annotations

import datetime as dt

from app import clock
from app.domain.roles import Role
from app.errors import InputError
from app.i18n import N_, _, current_language
from app.policy.access import Action
from app.profiles import Profile
from app.services import guard, signal_gate
from app.services.redaction import profile_of
from app.services.session import Session
from app.store import joint_keys


class PhaseNames:
    """Phase names for an error message, rendered in the language of the moment it is
    shown (an error may be raised in one language and shown after a switch)."""

    def __init__(self, profile: Profile, ids: list[str]) -> None:
        self._names = [profile.phase(p).name for p in ids]

    def __str__(self) -> str:
        lang = current_language()
        return ", ".join(n.get(lang) for n in self._names) if self._names else _("none")


def allowed_next(session: Session, reference: str) -> list[str]:
    """The phases the case may move to now (none once closed)."""
    case, _facts = guard.case_for(session, reference, Action.READ)
    return [p.id for p in profile_of(session).next_phases(case.phase)]


def _check_transition(profile: Profile, current: str, target: str) -> None:
    if target not in {p.id for p in profile.phases}:
        raise InputError("phase.unknown", N_("Unknown phase."), {})
    if profile.phase(current).closing:
        raise InputError(
            "case.closed_reopen",
            N_("A closed case is not reopened: register a new melding and link it to this "
               "case."), {})
    allowed = [p.id for p in profile.next_phases(current)]
    if target not in allowed:
        raise InputError(
            "phase.not_allowed",
            N_("From {current} the case can only go to: {allowed}."),
            {"current": PhaseNames(profile, [current]), "allowed": PhaseNames(profile, allowed)})


def _enter(session: Session, case_id: int, reference: str, current: str, target: str,
           note: str, closed_on: dt.date | None = None) -> None:
    store = session.store
    profile = profile_of(session)
    closing = profile.phase(target).closing
    now = clock.utc_now_iso()
    closed = (closed_on or clock.today()) if closing else None
    store.conn.execute(
        "UPDATE cases SET phase = ?, closed_at = ?, updated_at = ? WHERE id = ?",
        (target, closed.isoformat() if closed else None, now, case_id))
    store.conn.execute(
        "INSERT INTO phase_history(case_id, phase, entered_at, entered_by, note)"
        " VALUES (?,?,?,?,?)",
        (case_id, target, now, session.user.username, note))
    # The moment and the closing day are signed with the phase: the key work's time
    # windows follow the chain, not the rows (app.services.vouch).
    store.log("case.phase", object_type="case", object_id=reference,
              processing_activity_id=profile.phase(target).activity,
              attributes={"from": current, "to": target, "at": now,
                          "closed_on": closed.isoformat() if closed else None})
    store.mark_case(case_id)


def change_phase(session: Session, reference: str, phase: str, note: str = "") -> None:
    """Move the case to one of the next phases of its covenant's process.  Grants for the
    old phase do not carry over: items from earlier phases are re-assessed before further
    use (ZVH 3.5b).  A closing phase goes through :func:`close_case` (reason and basis)."""
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    profile = profile_of(session)
    _check_transition(profile, case.phase, phase)
    signal_gate.check_transition(session, case, phase)
    if profile.phase(phase).closing:
        raise InputError("phase.close_with_reason",
                         N_("Closing a case needs the reason and the basis: use close."), {})
    with session.store.transaction():
        _enter(session, case.id, reference, case.phase, phase, note)


def close_case(session: Session, reference: str, *, phase: str, reason: str, basis: str,
               closed_on: dt.date | None = None) -> None:
    """Afschaling / afsluiting with the reason and basis of the decision (ZVH 1.21, 9.4;
    WO 9.9; OND 1.33-1.34)."""
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    profile = profile_of(session)
    if phase not in {p.id for p in profile.phases} or not profile.phase(phase).closing:
        raise InputError("phase.not_closing", N_("This phase does not close a case."), {})
    _check_transition(profile, case.phase, phase)
    signal_gate.check_transition(session, case, phase)
    if not reason.strip():
        raise InputError("close.reason", N_("Closing a case needs the reason."), {})
    if not basis.strip():
        raise InputError("close.basis", N_("Closing a case needs the basis of the decision."),
                         {})
    day = closed_on or clock.today()
    if day > clock.today():
        raise InputError("close.future", N_("A case cannot be closed on a future date."), {})
    store = session.store
    with store.transaction():
        # The reason is kept with the plan, under its key (schema 19): the whole plan is
        # written in clear with it and encrypted again before the commit, as set_plan
        # does; a plan the director cannot read cannot be kept, so refuse.
        plan = joint_keys.plan_of(store.keyring, store.conn, case.id)
        if plan is None:
            raise InputError("joint.no_key", N_(
                "The plan is not readable with your keys, so the case cannot be closed "
                "with its reason."), {})
        plan["close_reason"] = reason.strip()
        _enter(session, case.id, reference, case.phase, phase, reason.strip(), day)
        # Column names come from joint_keys.PLAN_FIELDS only.
        store.conn.execute(
            "UPDATE cases SET plan_content = NULL, close_basis = ?, "
            + ", ".join(f"{f} = ?" for f in joint_keys.PLAN_FIELDS) + " WHERE id = ?",
            (basis.strip(), *(plan[f] for f in joint_keys.PLAN_FIELDS), case.id))


def hand_over(session: Session, reference: str, *, to: str, reason: str) -> None:
    """Hand the direction of the case to another procesregisseur (leave, workload).  The
    new director gets what the old one held as director; logged with both names."""
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    store = session.store
    row = store.conn.execute("SELECT role FROM users WHERE username = ?", (to,)).fetchone()
    if row is None or row[0] != Role.PROCESREGISSEUR.value:
        raise InputError("handover.not_director",
                         N_("A case can only be handed over to a process director."), {})
    if to == case.procesregisseur:
        raise InputError("handover.same", N_("This process director already directs the case."),
                         {})
    if not reason.strip():
        raise InputError("handover.reason", N_("A hand-over needs a reason."), {})
    with store.transaction():
        store.conn.execute("UPDATE cases SET procesregisseur = ?, updated_at = ? WHERE id = ?",
                           (to, clock.utc_now_iso(), case.id))
        store.mark_case(case.id)
        store.log("case.handover", object_type="case", object_id=reference,
                  attributes={"from": case.procesregisseur, "to": to})


def linkable(session: Session, reference: str) -> int:
    """The id of a closed case a new melding may follow; ``case.unknown`` for a case the
    user may not know of, ``case.not_closed`` for one still open (ZVH 11.6)."""
    case, _facts = guard.case_for(session, reference, Action.READ)
    if case.closed_at is None:
        raise InputError("case.not_closed",
                         N_("A new melding is linked only to a closed case."), {})
    return case.id
