"""The one place where services ask :mod:`app.policy.access` and act on the answer.

A refusal is logged once (``access.denied``, with the action and the rule's code and
article; never content) and raised.  Oso's rule decides which error: a target the user may
not even know answers exactly like a missing one (``case.unknown`` / ``meeting.unknown``,
not logged, as a missing target is not), a known target with a refused action says "not
allowed" (``access.role``).
"""

from __future__ import annotations

from app.domain.records import Case
from app.errors import AccessDeniedError, InputError
from app.i18n import N_
from app.policy.access import Action, MeetingFacts, Permit, allowed, readable
from app.policy.engine import CaseFacts, Viewer
from app.policy.facts import load_facts
from app.services.session import Session
from app.store import repo
from app.views import ViewKind, ViewSpec


def actor(session: Session) -> Viewer:
    """The acting user as the rules see them; nobody acts before choosing their own
    passphrase (:func:`must_renew_error`)."""
    if session.must_renew:
        raise must_renew_error()
    user = session.user
    return Viewer(user.party_id, user.role, user.username)


def must_renew_error() -> InputError:
    """A user still holding the passphrase an administrator set (issue 9)."""
    return InputError(
        "passphrase.must_renew",
        N_("Choose your own passphrase first: the one you were given was set by the "
           "administrator (casustafel users passwd)."))


def unknown_case() -> InputError:
    """The answer for a case that is missing or that the user may not know of."""
    return InputError("case.unknown", N_("No case with this reference is available to you."))


def unknown_meeting() -> InputError:
    """The answer for a meeting that is missing or that the user may not know of."""
    return InputError("meeting.unknown", N_("No such meeting."))


def may(session: Session, action: Action, target: CaseFacts | MeetingFacts | None = None,
        *, meeting_id: int | None = None) -> bool:
    """Whether the acting user may do ``action`` (no logging: for views and buttons)."""
    if session.must_renew:
        return False
    return allowed(actor(session), action, target, meeting_id=meeting_id).allowed


def authorize(session: Session, action: Action,
              target: CaseFacts | MeetingFacts | None = None,
              *, meeting_id: int | None = None) -> None:
    """Return when the acting user may do ``action``; otherwise log and raise."""
    me = actor(session)
    permit = allowed(me, action, target, meeting_id=meeting_id)
    if permit:
        return
    if target is not None and (
            action is readable(action) or not allowed(me, readable(action), target)):
        raise unknown_case() if isinstance(target, CaseFacts) else unknown_meeting()
    refuse(session, action, permit)


def refuse(session: Session, action: Action, permit: Permit) -> None:
    """Log the refusal (codes only) and raise ``access.role``."""
    store = session.store
    with store.transaction():
        store.log("access.denied", status="error",
                  attributes={"action": action.value, "rule": permit.code,
                              "article": permit.article})
    raise AccessDeniedError("access.role", N_("Your role does not allow this action."))


def meeting_facts(session: Session, meeting_id: int) -> MeetingFacts:
    """The facts of a meeting for the rules; ``meeting.unknown`` if there is none."""
    conn = session.store.conn
    found = repo.meetings(conn, [meeting_id])
    if not found:
        raise unknown_meeting()
    meeting = found[0]
    attendees = repo.attendees(conn, meeting_id)
    return MeetingFacts(meeting.id, meeting.chair, meeting.notulist,
                        frozenset(a.party_id for a in attendees),
                        frozenset(a.party_id for a in attendees if a.present))


def case_for(session: Session, reference: str, action: Action, *,
             meeting_id: int | None = None) -> tuple[Case, CaseFacts]:
    """The case and its policy facts, once the acting user may do ``action`` to it;
    ``case.unknown`` for a missing case and for one the user may not know of."""
    conn = session.store.conn
    case = repo.case_by_reference(conn, reference)
    if case is None:
        raise unknown_case()
    facts = load_facts(conn, [case])[case.id]
    authorize(session, action, facts, meeting_id=meeting_id)
    return case, facts


def meeting_for(session: Session, meeting_id: int, action: Action) -> MeetingFacts:
    """The meeting's facts, once the acting user may do ``action`` to it."""
    meeting = meeting_facts(session, meeting_id)
    authorize(session, action, meeting)
    return meeting


def checked_spec(session: Session, spec: ViewSpec) -> ViewSpec:
    """The spec to use.  Only a procesregisseur (the chair) may look as another party or
    show the table view (VIEW_AS); a meeting context (which lets meeting-scoped grants
    count) belongs to those at that meeting (MEETING_CONTEXT).  A user's own view in a
    meeting they are not at simply loses the meeting context."""
    if spec.kind is not ViewKind.SELF:
        authorize(session, Action.VIEW_AS)
    if spec.meeting_id is not None and not meeting_context_allowed(session, spec.meeting_id):
        if spec.kind is not ViewKind.SELF:
            raise unknown_meeting()
        return ViewSpec(spec.kind, spec.parties, None)
    return spec


def meeting_context_allowed(session: Session, meeting_id: int) -> bool:
    """Whether the user may look at data in the context of this meeting: only then do
    grants made for that meeting count (ZVH 13.2).  A missing meeting gives no context."""
    try:
        meeting = meeting_facts(session, meeting_id)
    except InputError:
        return False
    return may(session, Action.MEETING_CONTEXT, meeting)
