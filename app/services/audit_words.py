"""The audit trail in words for the privacy officer's screen (issue 13, point 9).

Entries are written with technical names (``grant.add``) and object ids (a grant's row id,
a meeting's id).  The workbench shows what happened in words and the object by the
reference its users know: the case reference, the meeting's date, the request or breach
number of the workbench, a person's label ("B1"); the raw name and id stay in the row for
the tooltip.  Only process metadata is looked up, never content (ZVH 9.6).

:data:`ENTRY_LABELS` must hold every name the code logs; a test scans the sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.i18n import N_, _
from app.profiles import LocalText, Profile
from app.services.redaction import party_ref
from app.store.connection import Connection

ENTRY_LABELS: dict[str, str] = {
    "access.denied": N_("Refused: not allowed for this role"),
    "action.add": N_("Action added"),
    "action.correct": N_("Action corrected"),
    "action.status": N_("Action status changed"),
    "admin.rotate": N_("Data key renewed"),
    "admin.slot_issued": N_("Key slot issued"),
    "admin.slot_pruned": N_("Orphan key slot removed"),
    "admin.user_add": N_("User added"),
    "admin.user_remove": N_("User removed"),
    "admin.user_vouch": N_("User confirmed"),
    "audit.check_head": N_("Audit trail checked against a kept head"),
    "audit.export": N_("Audit trail exported"),
    "audit.export_head": N_("Signed head exported"),
    "audit.read": N_("Audit trail consulted"),
    "audit.verify": N_("Audit trail verified"),
    "breach.close": N_("Breach closed"),
    "breach.export": N_("Breach register exported"),
    "breach.list": N_("Breach register consulted"),
    "breach.read": N_("Breach opened"),
    "breach.register": N_("Breach registered"),
    "breach.update": N_("Breach updated"),
    "case.casusregisseur": N_("Case director appointed"),
    "case.create": N_("Case registered"),
    "case.handover": N_("Case handed over"),
    "case.list": N_("Case list consulted"),
    "case.phase": N_("Phase changed"),
    "case.read": N_("Case opened"),
    "case.vouch": N_("Case confirmed"),
    "items.vouch": N_("Items of a case confirmed"),
    "consent.record": N_("Consent recorded"),
    "consent.withdraw": N_("Consent withdrawn"),
    "decision.add": N_("Decision recorded"),
    "decision.correct": N_("Decision corrected"),
    "decision.status": N_("Decision status changed"),
    "disclosure": N_("Information disclosed"),
    "figures.read": N_("Figures consulted"),
    "goal.add": N_("Goal added"),
    "goal.correct": N_("Goal corrected"),
    "goal.status": N_("Goal status changed"),
    "grant.add": N_("Information shared"),
    "grant.revoke": N_("Sharing withdrawn"),
    "import": N_("Data imported"),
    "info_duty.overview": N_("Information duty overview consulted"),
    "item.add": N_("Information item added"),
    "item.correct": N_("Information item corrected"),
    "key.handover": N_("Party key handed over"),
    "key.party_created": N_("Party key created"),
    "key.party_moved": N_("Seals moved to a renewed party key"),
    "key.party_renewed": N_("Party key renewed"),
    "key.rekey": N_("Item re-encrypted"),
    "keys.migrate": N_("Store converted to envelope keys"),
    "keys.vouch_facts": N_("Store facts confirmed"),
    "keys.vouch_items": N_("Item facts confirmed"),
    "keys.vouch_persons": N_("Subject categories confirmed"),
    "meeting.agenda": N_("Agenda changed"),
    "meeting.attendance": N_("Attendance recorded"),
    "meeting.close": N_("Meeting closed"),
    "meeting.create": N_("Meeting planned"),
    "meeting.left_room": N_("Party left or re-entered the room"),
    "meeting.list": N_("Meetings consulted"),
    "meeting.preview": N_("Meeting prepared"),
    "meeting.read": N_("Meeting opened"),
    "meeting.vouch": N_("Meeting confirmed"),
    "note.add": N_("Note added"),
    "notice.acknowledge": N_("Notice acknowledged"),
    "person.add": N_("Person added"),
    "person.informed": N_("Information duty recorded"),
    "plan.update": N_("Action plan changed"),
    "processing_register.read": N_("Processing register consulted"),
    "progress.add": N_("Progress recorded"),
    "progress.correct": N_("Progress corrected"),
    "progress.status": N_("Progress status changed"),
    "register.export": N_("Disclosure register exported"),
    "register.read": N_("Disclosure register consulted"),
    "report.check": N_("Report checked"),
    "report.generate": N_("Report made"),
    "request.close": N_("Request answered and closed"),
    "request.extend": N_("Request deadline extended"),
    "request.inzage": N_("Inzage report made"),
    "request.link": N_("Requester linked to a person"),
    "request.list": N_("Requests consulted"),
    "request.new": N_("Request registered"),
    "request.read": N_("Request opened"),
    "request.search": N_("Requester searched"),
    "request.task_done": N_("Request task done"),
    "request.tasks": N_("Request tasks consulted"),
    "request.withhold": N_("Item withheld from an inzage"),
    "retention.due": N_("Retention schedule consulted"),
    "retention.extend": N_("Retention term extended"),
    "retention.register_destroyed": N_("Register lines destroyed"),
    "retention.replay": N_("Destruction applied again"),
    "retention.run": N_("Destruction run"),
    "retention.upcoming": N_("Upcoming destruction consulted"),
    "session.keys_renewed": N_("Own keys renewed"),
    "session.login": N_("Logged in"),
    "session.logout": N_("Logged out"),
    "session.passphrase_change": N_("Passphrase changed"),
    "signal.decide": N_("Signal decided"),
    "signal.intake": N_("Signal taken in"),
    "signal.riec": N_("Signal passed to the RIEC"),
    "signal.source": N_("Signal source checked"),
    "signal.weigh": N_("Signal weighed"),
    "store.backup": N_("Backup made"),
    "store.dagmonitor_agreement": N_("Dagmonitor agreement recorded"),
    "store.init": N_("Store created"),
    "store.restore": N_("Backup restored"),
}
"""Entry name -> English msgid of the entry in words."""

_KINDS: dict[str, str] = {
    "action": N_("Action"), "breach": N_("Breach"), "case": N_("Case"),
    "consent": N_("Consent"), "decision": N_("Decision"), "dsr_request": N_("Request"),
    "dsr_subject": N_("Request"), "goal": N_("Goal"), "grant": N_("Sharing"),
    "item": N_("Information item"), "meeting": N_("Case meeting"), "note": N_("Note"),
    "notice": N_("Notice"), "party": N_("Party"), "person": N_("Person"),
    "profile": N_("Covenant profile"), "progress": N_("Progress entry"),
    "register": N_("Register"), "report": N_("Report"),
    "retention_run": N_("Destruction run"), "store": N_("The store"), "user": N_("User"),
}
"""Object type -> English msgid of the kind of object."""

_REGISTERS = {"audit": N_("Audit trail"), "disclosures": N_("Disclosure register")}

# Object types whose row has a ``case_id``: the table to look in.
_CASE_TABLES = {"action": "actions", "consent": "consents", "decision": "decisions",
                "goal": "goals", "grant": "grants", "item": "items", "note": "agenda_notes",
                "notice": "notices", "person": "persons", "progress": "progress"}


def entry_label(name: str) -> str:
    """The entry ``name`` in words, translated; an unknown name (a newer version's) as it
    is."""
    msgid = ENTRY_LABELS.get(name)
    return _(msgid) if msgid is not None else name


class Namer:
    """Looks up, for one page of the trail, the words for objects and data subjects;
    every lookup is remembered for the page (many entries name the same case)."""

    def __init__(self, conn: Connection, profile: Profile) -> None:
        self.conn = conn
        self.profile = profile
        self._cache: dict[tuple[str, str], object] = {}

    def _once(self, key: tuple[str, str], find: Callable[[], object]) -> object:
        if key not in self._cache:
            self._cache[key] = find()
        return self._cache[key]

    def _value(self, sql: str, *params: object) -> str | None:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def _case_of(self, object_type: str, object_id: str) -> str | None:
        table = _CASE_TABLES[object_type]
        return self._value(f"SELECT c.reference FROM {table} t JOIN cases c ON c.id = t.case_id"
                           " WHERE t.id = ?", _int(object_id))

    def _case_ref(self, object_id: str) -> str | None:
        # Most entries name a case by its reference; a few by its row id.
        if object_id.isdigit():
            found = self._value("SELECT reference FROM cases WHERE id = ?", int(object_id))
            if found is not None:
                return found
        return self._value("SELECT reference FROM cases WHERE reference = ?", object_id)

    def person(self, person_id: str) -> str | None:
        """A person as its label and case ("B1, case ZVH-0012"), or None."""
        def find() -> str | None:
            row = self.conn.execute(
                "SELECT p.label, c.reference FROM persons p JOIN cases c ON c.id = p.case_id"
                " WHERE p.id = ?", (_int(person_id),)).fetchone()
            if row is None:
                return None
            return _("{label}, case {case}").format(label=row[0], case=row[1])
        found = self._once(("subject", person_id), find)
        return found if isinstance(found, str) else None

    def meeting_start(self, meeting_id: str) -> dt.datetime | None:
        """When the meeting starts (local time, as planned)."""
        found = self._once(("starts", meeting_id), lambda: self._value(
            "SELECT starts_at FROM meetings WHERE id = ?", _int(meeting_id)))
        if not isinstance(found, str):
            return None
        try:
            return dt.datetime.fromisoformat(found)
        except ValueError:
            return None

    def activity(self, activity_id: str | None) -> LocalText | None:
        """The processing activity's name, or None."""
        if activity_id is None:
            return None
        if activity_id not in {a.id for a in self.profile.activities}:
            return None
        return self.profile.activity(activity_id).name

    def object(self, object_type: str | None, object_id: str | None) -> str | None:
        """The object in words with the reference its users know, translated; None for an
        entry without an object."""
        if object_type is None:
            return None
        kind = _(_KINDS[object_type]) if object_type in _KINDS else _("Other object")
        if object_id is None:
            return kind
        found = self._once(("object:" + object_type, object_id),
                           lambda: self._describe(object_type, object_id, kind))
        return found if isinstance(found, str) else kind

    def _describe(self, object_type: str, object_id: str, kind: str) -> str:
        in_case = N_("{kind}, case {case}")
        if object_type == "case":
            case = self._case_ref(object_id)
            return _("Case {case}").format(case=case) if case else kind
        if object_type == "person":
            person = self.person(object_id)
            return _("Person {person}").format(person=person) if person else kind
        if object_type in _CASE_TABLES:
            case = self._case_of(object_type, object_id)
            return _(in_case).format(kind=kind, case=case) if case else kind
        if object_type in {"dsr_request", "breach"}:
            # The numbers the workbench's own tabs show ("Request 3", "Breach 2").
            return f"{kind} {object_id}"
        if object_type == "dsr_subject":
            request, _sep, person_id = object_id.partition(":")
            person = self.person(person_id)
            text = f"{kind} {request}"
            return f"{text} · {person}" if person else text
        if object_type == "report":
            case = self._value("SELECT case_reference FROM reports WHERE document_id = ?",
                               object_id)
            return _(in_case).format(kind=kind, case=case) if case else kind
        if object_type == "party":
            return party_ref(self.profile, object_id).label()
        if object_type == "user":
            return _("User {user}").format(user=object_id)
        if object_type == "register":
            return _(_REGISTERS[object_id]) if object_id in _REGISTERS else kind
        return kind


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return -1
