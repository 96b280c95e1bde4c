"""Planning a meeting's agenda with lawful invitations, its discussion notes, and closing
it.

While inviting, the chair sees a warning for every party that may not lawfully be present
for a case as things stand (ZVH 13.2; police data only to the recipients of the art. 20 Wpg
decision, ZVH 6.4d, 7.1) and records the reason when inviting it anyway.  Closing the
meeting marks it held and locks what it recorded: later decisions, actions and notes about
it are addenda, shown as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app import clock
from app.domain.records import Case, Meeting
from app.domain.vocab import MeetingStatus
from app.errors import InputError
from app.i18n import N_, _
from app.policy.access import Action
from app.services import guard
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.store import repo
from app.views import PartyRef


@dataclass(frozen=True)
class InvitationWarning:
    """What the chair should know before inviting ``party`` for a case.  ``message`` is
    an English msgid (translate with ``_``); it names no case content.  ``needs_reason``:
    the party may not lawfully be present as things stand, so inviting it anyway needs a
    recorded reason; otherwise it is for information."""

    party: PartyRef
    code: str
    message: str
    needs_reason: bool = True


class _Translated:
    """A msgid as a message parameter, translated when the message is shown."""

    def __init__(self, msgid: str) -> None:
        self._msgid = msgid

    def __str__(self) -> str:
        return _(self._msgid)


def _meeting(session: Session, meeting_id: int) -> Meeting:
    found = repo.meetings(session.store.conn, [meeting_id])
    if not found:
        raise InputError("meeting.unknown", N_("No such meeting."), {})
    return found[0]


def _case_regimes(session: Session, case: Case) -> set[str]:
    """``wpg`` / ``wjsg`` when the case holds police / justice data (by the providing
    party's regime or the item's data category)."""
    profile = profile_of(session)
    regimes: set[str] = set()
    for source, category in session.store.conn.execute(
            "SELECT DISTINCT source_party, category FROM items WHERE case_id = ?"
            " AND superseded_by IS NULL", (case.id,)):
        regime = profile.party(source).regime if profile.has_party(source) else ""
        cat = profile.data_category(category)
        if regime == "wpg" or cat.police:
            regimes.add("wpg")
        if regime == "wjsg" or cat.justice:
            regimes.add("wjsg")
    return regimes


def invitation_warnings(session: Session, meeting_id: int, reference: str,
                        parties: Iterable[str]) -> list[InvitationWarning]:
    """The warnings for inviting ``parties`` for the case at this meeting."""
    guard.meeting_for(session, meeting_id, Action.CHAIR)
    case, facts = guard.case_for(session, reference, Action.DIRECT)
    profile = profile_of(session)
    regimes = _case_regimes(session, case)
    out: list[InvitationWarning] = []
    for party in sorted(set(parties)):
        if not profile.has_party(party):
            raise InputError("party.unknown", N_("This party is not part of the covenant."), {})
        ref = party_ref(profile, party)
        if "wpg" in regimes and party not in profile.police_recipients \
                and profile.party(party).regime != "wpg":
            out.append(InvitationWarning(ref, "invite.police", N_(
                "The case holds police data and this party is not a recipient under the "
                "art. 20 Wpg decision.")))
        if party not in facts.involved:
            out.append(InvitationWarning(ref, "invite.not_involved", N_(
                "This party is not involved in the case yet: the invitation tells it that "
                "the case exists and lets it see what the providers grant the table."),
                needs_reason=False))
    return out


def invite(session: Session, meeting_id: int, reference: str, invited: Iterable[str],
           reasons: Mapping[str, str] | None = None) -> list[InvitationWarning]:
    """Put a case on the agenda with the parties invited for it (ZVH 13.2).  Every party
    with a warning needs a reason in ``reasons``; otherwise nothing is written and
    ``invite.reason_needed`` names the party.  Returns the warnings that were overridden."""
    meeting = _meeting(session, meeting_id)
    parties = sorted(set(invited))
    warnings = invitation_warnings(session, meeting_id, reference, parties)
    reasons = {p: r.strip() for p, r in (reasons or {}).items() if r.strip()}
    for warning in warnings:
        if warning.needs_reason and warning.party.id not in reasons:
            raise InputError(
                "invite.reason_needed",
                N_("Record why {party} is invited anyway: {warning}"),
                {"party": warning.party, "warning": _Translated(warning.message)})
    if meeting.status is MeetingStatus.HELD:
        raise InputError("meeting.held", N_("This meeting is closed."), {})
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    store = session.store
    warned = sorted({w.party.id for w in warnings if w.needs_reason})
    with store.transaction():
        # Warned parties invited anyway are in the audit by id, not their reason.
        position = store.conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM agenda WHERE meeting_id = ?",
            (meeting_id,)).fetchone()[0]
        store.conn.execute(
            "INSERT OR IGNORE INTO agenda(meeting_id, case_id, position) VALUES (?,?,?)",
            (meeting_id, case.id, position))
        store.conn.executemany(
            "INSERT INTO invitations(meeting_id, case_id, party_id, invited)"
            " VALUES (?,?,?,1) ON CONFLICT(meeting_id, case_id, party_id)"
            " DO UPDATE SET invited = 1", [(meeting_id, case.id, p) for p in parties])
        # The reasons are free text about the case: written in clear here, encrypted
        # under a row key by the key work before this transaction commits (schema 20).
        # A new reason replaces the old one with its key.
        store.conn.executemany(
            "INSERT INTO invitation_reasons(meeting_id, case_id, party_id, reason)"
            " VALUES (?,?,?,?) ON CONFLICT(meeting_id, case_id, party_id)"
            " DO UPDATE SET reason = excluded.reason, content = NULL",
            [(meeting_id, case.id, p, reasons[p]) for p in parties if p in reasons])
        store.mark_case(case.id)
        store.log("meeting.agenda", object_type="meeting", object_id=str(meeting_id),
                  attributes={"case": reference, "invited": parties, "warned": warned})
    return warnings


def _held(session: Session, meeting_id: int | None) -> bool:
    if meeting_id is None:
        return False
    return _meeting(session, meeting_id).status is MeetingStatus.HELD


def add_note(session: Session, meeting_id: int, reference: str, text: str) -> int:
    """The discussion of an agenda case, besides its decisions and actions (ZVH 15.2);
    after the meeting is closed, an addendum."""
    case, _facts = guard.case_for(session, reference, Action.RECORD_JOINT, meeting_id=meeting_id)
    if not text.strip():
        raise InputError("note.empty", N_("A discussion note must not be empty."), {})
    store = session.store
    if store.conn.execute("SELECT 1 FROM agenda WHERE meeting_id = ? AND case_id = ?",
                          (meeting_id, case.id)).fetchone() is None:
        raise guard.unknown_meeting()
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO agenda_notes(meeting_id, case_id, text, recorded_by, recorded_at,"
            " addendum) VALUES (?,?,?,?,?,?)",
            (meeting_id, case.id, text.strip(), session.user.username, clock.utc_now_iso(),
             int(_held(session, meeting_id))))
        store.log("note.add", object_type="note", object_id=str(cur.lastrowid),
                  attributes={"case": reference, "meeting": meeting_id})
    return int(cur.lastrowid)


def close_meeting(session: Session, meeting_id: int) -> None:
    """Mark the meeting held and lock its record and notulen (the chair).  What is
    recorded about it afterwards is an addendum."""
    guard.meeting_for(session, meeting_id, Action.CHAIR)
    meeting = _meeting(session, meeting_id)
    if meeting.status is MeetingStatus.HELD:
        raise InputError("meeting.held", N_("This meeting is closed."), {})
    store = session.store
    if not store.conn.execute("SELECT 1 FROM attendees WHERE meeting_id = ? AND present",
                              (meeting_id,)).fetchone():
        raise InputError("report.nobody_present",
                         N_("Nobody is recorded as present at this meeting."), {})
    with store.transaction():
        store.conn.execute(
            "UPDATE meetings SET status = 'held', held_at = ?, held_by = ? WHERE id = ?",
            (clock.utc_now_iso(), session.user.username, meeting_id))
        store.log("meeting.close", object_type="meeting", object_id=str(meeting_id))


def is_addendum(session: Session, meeting_id: int | None) -> bool:
    """Whether what is recorded now about ``meeting_id`` is an addendum (it is closed)."""
    return _held(session, meeting_id)
