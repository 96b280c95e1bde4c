"""Import of users, cases and meetings from one JSON document (``docs/import-format.md``).

The document is validated completely first (:mod:`app.dataset.validate`); only a
valid document is loaded, in ONE store transaction with one ``executemany`` per table, so
the import is all-or-nothing: any failure rolls back the rows, and the key slots of new
users, made in memory, are dropped again.  The slot file is written only after the COMMIT,
so no slot on disk ever belongs to a user who is not in the store.  ``casustafel demo``
loads its synthetic data through :func:`load_dataset` too, with 10,000 cases and 200,000
items.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import clock
from app.crypto.keyslots import check_passphrase_strength, normalise_username
from app.dataset.issues import FORMAT, MAX_ISSUES, VERSION, DatasetIssue
from app.dataset.validate import validate_dataset
from app.domain.roles import Role
from app.errors import InputError, StoreError
from app.i18n import N_, _
from app.policy.access import Action
from app.profiles import load_profile
from app.services import guard, keys, vouch, vouch_items
from app.services.session import Session

_Row = tuple[Any, ...]


@dataclass(frozen=True)
class ImportSummary:
    """How many records of each kind an import added."""

    users: int = 0
    meetings: int = 0
    attendees: int = 0
    agenda: int = 0
    invitations: int = 0
    meeting_previews: int = 0
    cases: int = 0
    phase_history: int = 0
    persons: int = 0
    items: int = 0
    grants: int = 0
    consents: int = 0
    goals: int = 0
    actions: int = 0
    decisions: int = 0
    progress: int = 0

    def counts(self) -> dict[str, int]:
        """The counts by record type (for the audit entry and ``--json`` output)."""
        return dataclasses.asdict(self)

    def describe(self) -> str:
        """A one-line text such as ``users: 3, cases: 40, ...`` (non-zero counts only)."""
        parts = [f"{_(_LABELS[k])}: {n}" for k, n in self.counts().items() if n]
        return ", ".join(parts) or _("nothing")


_LABELS = {
    "users": N_("users"),
    "meetings": N_("meetings"),
    "attendees": N_("attendees"),
    "agenda": N_("agenda entries"),
    "invitations": N_("invitations"),
    "meeting_previews": N_("decisions on what may be seen before a meeting"),
    "cases": N_("cases"),
    "phase_history": N_("phase changes"),
    "persons": N_("persons concerned"),
    "items": N_("information items"),
    "grants": N_("grants"),
    "consents": N_("consents"),
    "goals": N_("goals"),
    "actions": N_("actions"),
    "decisions": N_("decisions"),
    "progress": N_("progress entries"),
}


class DatasetError(InputError):
    """The import document is invalid; ``issues`` says where and why (nothing was written).

    ``truncated`` is true when validation stopped at :data:`MAX_ISSUES` issues.
    """

    def __init__(self, issues: list[DatasetIssue]) -> None:
        truncated = len(issues) >= MAX_ISSUES
        message = (N_("The import file has at least {n} errors; nothing was imported.")
                   if truncated else
                   N_("The import file has {n} error(s); nothing was imported."))
        super().__init__("import.invalid", message, {"n": len(issues)})
        self.issues = list(issues)
        self.truncated = truncated


def load_import_file(path: Path) -> dict[str, Any]:
    """Read an import document: UTF-8 JSON whose top level is an object."""
    try:
        raw = path.read_bytes()
    except OSError:
        raise InputError("import.unreadable", N_("The import file cannot be read.")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("import.encoding",
                         N_("The import file is not UTF-8 text.")) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        # error.msg is one of json's fixed texts ("Expecting ',' delimiter"): no content.
        raise InputError(
            "import.not_json",
            N_("The import file is not valid JSON: {problem} at line {line}, column {column}."),
            {"problem": error.msg, "line": error.lineno, "column": error.colno},
        ) from None
    except RecursionError:
        raise InputError("import.not_json",
                         N_("The import file is not valid JSON: nested too deeply.")) from None
    if not isinstance(doc, dict):
        raise InputError("import.not_object",
                         N_("The import file must hold one JSON object ({format})."),
                         {"format": FORMAT})
    return doc


def load_dataset(session: Session, doc: dict[str, Any], *,
                 new_user_passphrase: str | None, demo: bool = False) -> ImportSummary:
    """Validate ``doc`` and load it in one transaction (beheerder only).

    New users must choose their own passphrase (and so new keys) at their first login,
    except in the synthetic demo store (``demo``), whose passphrase is printed for all.

    Raises :class:`DatasetError` (with every issue) when the document is invalid, and
    ``import.passphrase_missing`` when it adds users but no passphrase is given.  New users
    all get ``new_user_passphrase``.  One audit entry ``import`` records the counts.
    """
    guard.authorize(session, Action.ADMINISTER)
    store = session.store
    conn = store.conn
    profile = load_profile(session.profile_id)
    all_users = conn.execute("SELECT username, role, party_id, removed_at FROM users").fetchall()
    active = {u: (role, party) for u, role, party, removed in all_users if removed is None}
    existing_cases: dict[str, int] = dict(conn.execute("SELECT reference, id FROM cases"))
    issues = validate_dataset(doc, profile, [u[0] for u in all_users], existing_cases.keys(),
                              existing_users=active)
    if issues:
        raise DatasetError(issues)
    new_users = doc.get("users") or []
    if new_users:
        if new_user_passphrase is None:
            raise InputError(
                "import.passphrase_missing",
                N_("The import file adds {n} user(s); give a passphrase for the new users."),
                {"n": len(new_users)})
        check_passphrase_strength(new_user_passphrase)
    added: list[str] = []
    try:
        # The new slots exist in memory only until the users are committed.
        for user in new_users:
            name = normalise_username(user["username"])
            store.slots.add(name, new_user_passphrase or "", store.data_key, session.kdf)
            added.append(name)
        with store.transaction():
            bases = _id_bases(conn)
            grant_base = int(conn.execute("SELECT coalesce(max(id), 0) FROM grants"
                                          ).fetchone()[0])
            consent_base = int(conn.execute("SELECT coalesce(max(id), 0) FROM consents"
                                            ).fetchone()[0])
            rows = _Builder(doc, session.user.username, active, existing_cases,
                            bases).build()
            summary = _insert(conn, rows)
            # The key work trusts no row without a signed entry (app.services.vouch): the
            # importing root administrator vouches for the users, cases and meetings it
            # brings.
            vouch.vouch_rows(
                store, users=[r[0] for r in rows.users],
                case_ids=[int(r[0]) for r in conn.execute(
                    "SELECT id FROM cases WHERE id > ?", (bases["cases"],))],
                meeting_ids=[int(r[0]) for r in conn.execute(
                    "SELECT id FROM meetings WHERE id > ?", (bases["meetings"],))])
            vouch_items.vouch_rows(
                store, [int(r[0]) for r in conn.execute(
                    "SELECT id FROM items WHERE id > ?", (bases["items"],))],
                [int(r[0]) for r in conn.execute(
                    "SELECT id FROM actions WHERE id > ?", (bases["actions"],))],
                [int(r[0]) for r in conn.execute(
                    "SELECT id FROM persons WHERE id > ?", (bases["persons"],))])
            # New users get their principals (and parties their keys) first, so that the
            # items can be sealed to them before this transaction commits (issue 9).
            for name, _display, role, party, _now in rows.users:
                keys.enrol_user(store, name, Role(role), party)
                if not demo:
                    conn.execute("UPDATE users SET must_renew = 1 WHERE username = ?",
                                 (name,))
            # Each imported grant gets its signed entry: the keys follow only grants the
            # chain vouches for (app.services.keys.vouched_facts).
            for cid, source, recipients, categories in conn.execute(
                    "SELECT id, source_party, recipients, categories FROM consents"
                    " WHERE id > ? ORDER BY id", (consent_base,)).fetchall():
                store.log("consent.record", object_type="consent", object_id=str(cid),
                          attributes={"source": source,
                                      "recipients": sorted(json.loads(recipients or "[]")),
                                      "categories": sorted(json.loads(categories or "[]")),
                                      "imported": True})
            for gid, item, category, recipient, phase, meeting in conn.execute(
                    "SELECT id, item_id, category, recipient_party, phase, meeting_id"
                    " FROM grants WHERE id > ? ORDER BY id", (grant_base,)).fetchall():
                store.log("grant.add", object_type="grant", object_id=str(gid),
                          attributes={"recipient": recipient, "item": item,
                                      "category": category, "phase": phase,
                                      "meeting": meeting, "imported": True})
            store.mark_case(*(int(r[0]) for r in conn.execute(
                "SELECT id FROM cases WHERE id > ? UNION"
                " SELECT DISTINCT case_id FROM items WHERE id > ? OR content IS NULL",
                (bases["cases"], bases["items"]))))
            store.log("import", object_type="store", object_id=store.meta("store_id"),
                      attributes={"format_version": VERSION, **summary.counts()})
    except BaseException:
        for name in reversed(added):
            store.slots.remove(name)
        raise
    if added:
        _write_new_slots(session)
    return summary


def _write_new_slots(session: Session) -> None:
    """Write the slot file after the COMMIT that added the users (issue 9, hardening).

    Before it, a crash left slots for users that were rolled back: orphans that open the
    data key and that nobody can remove.  Now a crash in between leaves committed users
    without a slot, who cannot log in until an administrator issues them one
    (:func:`app.store.slot_repair.issue_slots`).
    """
    try:
        session.store.write_slots()
    except OSError:
        # The slots stay in memory: they belong to committed users, so a later write in
        # this session may persist them.
        raise StoreError(
            "import.slots_unwritten",
            N_("The import was saved, but the key slot file could not be written: the new "
               "users cannot log in until an administrator gives them a key slot."),
        ) from None


# --------------------------------------------------------------------------- building rows

_ID_TABLES = ("meetings", "cases", "persons", "items", "goals", "actions")


def _id_bases(conn: Any) -> dict[str, int]:
    """The highest id per table whose new rows are referenced by other new rows."""
    return {t: int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0])
            for t in _ID_TABLES}


@dataclass
class _Rows:
    users: list[_Row] = dataclasses.field(default_factory=list)
    meetings: list[_Row] = dataclasses.field(default_factory=list)
    attendees: list[_Row] = dataclasses.field(default_factory=list)
    cases: list[_Row] = dataclasses.field(default_factory=list)
    agenda: list[_Row] = dataclasses.field(default_factory=list)
    invitations: list[_Row] = dataclasses.field(default_factory=list)
    meeting_previews: list[_Row] = dataclasses.field(default_factory=list)
    phase_history: list[_Row] = dataclasses.field(default_factory=list)
    persons: list[_Row] = dataclasses.field(default_factory=list)
    items: list[_Row] = dataclasses.field(default_factory=list)
    grants: list[_Row] = dataclasses.field(default_factory=list)
    consents: list[_Row] = dataclasses.field(default_factory=list)
    goals: list[_Row] = dataclasses.field(default_factory=list)
    actions: list[_Row] = dataclasses.field(default_factory=list)
    decisions: list[_Row] = dataclasses.field(default_factory=list)
    progress: list[_Row] = dataclasses.field(default_factory=list)


# In foreign-key order: a row only references rows of tables above it.
_SQL = {
    "users": "INSERT INTO users(username, display_name, role, party_id, created_at)"
             " VALUES (?,?,?,?,?)",
    "meetings": "INSERT INTO meetings(id, starts_at, place, chair, notulist, status)"
                " VALUES (?,?,?,?,?,?)",
    "attendees": "INSERT INTO attendees(meeting_id, party_id, name, present) VALUES (?,?,?,?)",
    "cases": "INSERT INTO cases(id, reference, phase, registering_party, procesregisseur,"
             " casusregisseur, casusregisseur_party, themes, goal, opened_at, closed_at,"
             " close_reason, close_basis, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "agenda": "INSERT INTO agenda(meeting_id, case_id, position) VALUES (?,?,?)",
    "invitations": "INSERT INTO invitations(meeting_id, case_id, party_id, invited,"
                   " left_room) VALUES (?,?,?,?,?)",
    # ZVH 13.2: decided by the case's procesregisseur with its registering party.
    "meeting_previews": "INSERT INTO meeting_previews(meeting_id, case_id, decided_by, with_party,"
                " decided_at) SELECT ?, id, coalesce(procesregisseur, ''), registering_party, ?"
                " FROM cases WHERE id = ?",
    "phase_history": "INSERT INTO phase_history(case_id, phase, entered_at, entered_by, note)"
                     " VALUES (?,?,?,?,?)",
    "persons": "INSERT INTO persons(id, case_id, category, label, informed_status, informed_on,"
               " not_informed_reason, informed_expected, review_on, review_interval_days)"
               " VALUES (?,?,?,?,?,?,?,?,?,?)",
    "items": "INSERT INTO items(id, case_id, person_id, kind, field, body, structured,"
             " source_party, category, phase, legal_basis, provided_on, incident_class,"
             " created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "grants": "INSERT INTO grants(case_id, item_id, category, provider_party, recipient_party,"
              " phase, meeting_id, legal_basis, granted_by, granted_at, revoked_at, revoked_by,"
              " necessity, take_away) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "consents": "INSERT INTO consents(case_id, person_id, source_party, recipients,"
                " categories, purpose, given_on, recorded_by, withdrawn_on, withdrawn_by,"
                " basis, basis_note, given_by, form, told_withdrawal)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "goals": "INSERT INTO goals(id, case_id, text, status, created_on) VALUES (?,?,?,?,?)",
    "actions": "INSERT INTO actions(id, case_id, goal_id, meeting_id, text, owner_party, due_on,"
               " status, created_on) VALUES (?,?,?,?,?,?,?,?,?)",
    "decisions": "INSERT INTO decisions(case_id, meeting_id, text, decided_on, recorded_by)"
                 " VALUES (?,?,?,?,?)",
    "progress": "INSERT INTO progress(case_id, action_id, text, entry_on, recorded_by)"
                " VALUES (?,?,?,?,?)",
}


def _insert(conn: Any, rows: _Rows) -> ImportSummary:
    counts: dict[str, int] = {}
    for table, sql in _SQL.items():
        batch: list[_Row] = getattr(rows, table)
        if batch:
            conn.executemany(sql, batch)
        counts[table] = len(batch)
    if rows.items:
        # What the case's procesregisseur entered is theirs, not their party's (ZVH 9.6).
        conn.execute(
            "UPDATE items SET by_director = 1 WHERE id IN (SELECT value FROM json_each(?))"
            " AND created_by = (SELECT procesregisseur FROM cases WHERE cases.id = items.case_id)",
            (json.dumps([r[0] for r in rows.items]),))
    return ImportSummary(**counts)


def _user(name: str | None) -> str | None:
    return normalise_username(name) if name is not None else None


class _Builder:
    """Turns a VALID document into rows with pre-assigned ids (validation ran before)."""

    def __init__(self, doc: Mapping[str, Any], importer: str,
                 active: Mapping[str, tuple[str, str]], existing_cases: Mapping[str, int],
                 bases: dict[str, int]) -> None:
        self.doc = doc
        self.importer = importer
        self.next = dict(bases)
        self.rows = _Rows()
        self.now = clock.utc_now_iso()
        self.user_party = {u: party for u, (_role, party) in active.items()}
        self.meeting_ids: dict[str, int] = {}
        self.case_ids: dict[str, int] = dict(existing_cases)  # agenda may name these

    def _id(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table]

    def _by(self, name: str | None) -> str:
        return normalise_username(name) if name is not None else self.importer

    def build(self) -> _Rows:
        for user in self.doc.get("users") or []:
            name = normalise_username(user["username"])
            self.user_party[name] = user["party"]
            self.rows.users.append((name, user["name"].strip(), user["role"], user["party"],
                                    self.now))
        meetings = self.doc.get("meetings") or []
        for m in meetings:
            mid = self.meeting_ids[m["key"]] = self._id("meetings")
            self.rows.meetings.append((mid, m["starts_at"], m.get("place") or "",
                                       _user(m["chair"]), _user(m.get("notulist")),
                                       m.get("status") or "planned"))
            for a in m.get("attendees") or []:
                present = a.get("present")
                self.rows.attendees.append((mid, a["party"], a.get("name") or "",
                                            int(present is None or present)))
        cases = self.doc.get("cases") or []
        for c in cases:
            self.case_ids[c["ref"]] = self._id("cases")
        for c in cases:
            self._case(c)
        self._agenda(meetings)
        return self.rows

    def _agenda(self, meetings: list[Mapping[str, Any]]) -> None:
        for m in meetings:
            mid = self.meeting_ids[m["key"]]
            for position, entry in enumerate(m.get("agenda") or [], start=1):
                cid = self.case_ids[entry["case"]]
                self.rows.agenda.append((mid, cid, position))
                if entry.get("preview"):
                    self.rows.meeting_previews.append((mid, clock.utc_now_iso(), cid))
                left = set(entry.get("left_room") or ())
                invited = set(entry.get("invited") or ())
                # A party that left the room without being invited is recorded for the
                # notulen but is not involved in the case (invited = 0).
                for party in sorted(invited | left):
                    self.rows.invitations.append(
                        (mid, cid, party, int(party in invited), int(party in left)))

    def _case(self, c: Mapping[str, Any]) -> None:
        rows = self.rows
        cid = self.case_ids[c["ref"]]
        phase = c["phase"]
        director = _user(c.get("casusregisseur"))
        director_party = c.get("casusregisseur_party") or (
            self.user_party.get(director) if director else None)
        rows.cases.append((
            cid, c["ref"], phase, c["registering_party"], _user(c.get("procesregisseur")),
            director, director_party, json.dumps(list(c.get("themes") or [])),
            c.get("goal") or "", c["opened_at"], c.get("closed_at"), c.get("close_reason"),
            c.get("close_basis"), self.now))
        history = c.get("phase_history") or [{"phase": phase, "at": c["opened_at"]}]
        rows.phase_history.extend(
            (cid, h["phase"], h["at"], self._by(h.get("by")), h.get("note") or "")
            for h in history)
        persons: dict[str, int] = {}
        for p in c.get("persons") or []:
            pid = persons[p["key"]] = self._id("persons")
            inf = p.get("informed") or {}
            rows.persons.append((
                pid, cid, p["category"], p["key"], inf.get("status") or "unknown", inf.get("on"),
                inf.get("reason"), inf.get("expected"), inf.get("review_on"),
                inf.get("review_interval_days")))
        self._items(c, cid, phase, persons)
        self._joint(c, cid)

    def _items(self, c: Mapping[str, Any], cid: int, phase: str,
               persons: Mapping[str, int]) -> None:
        rows = self.rows
        items: dict[str, int] = {}
        importer = self.importer
        for i in c.get("items") or []:
            iid = items[i["key"]] = self._id("items")
            person = i.get("person")
            structured = i.get("structured")
            author = i.get("created_by")
            rows.items.append((
                iid, cid, persons[person] if person is not None else None,
                i.get("kind") or "text", i.get("field") or "", i["body"],
                json.dumps(structured) if structured is not None else None,
                i["source_party"], i["category"], i.get("phase") or phase, i["legal_basis"],
                i["provided_on"], i.get("incident_class"),
                normalise_username(author) if author is not None else importer))
        for g in c.get("grants") or []:
            item = g.get("item")
            meeting = g.get("meeting")
            by = self._by(g.get("granted_by"))
            revoked = g.get("revoked_at")
            rows.grants.append((
                cid, items[item] if item is not None else None, g.get("category"),
                g["provider_party"], g["recipient_party"], g.get("phase"),
                self.meeting_ids[meeting] if meeting is not None else None, g["legal_basis"],
                by, g["granted_at"], revoked, by if revoked is not None else None,
                (g.get("necessity") or "").strip(), int(bool(g.get("take_away")))))
        for k in c.get("consents") or []:
            by = self._by(k.get("recorded_by"))
            withdrawn = k.get("withdrawn_on")
            basis = k.get("basis") or "consent"
            professional = basis != "consent"
            rows.consents.append((
                cid, persons[k["person"]], k["source_party"],
                json.dumps(sorted(k["recipients"])), json.dumps(sorted(k["categories"])),
                k["purpose"].strip(), k["given_on"], by, withdrawn,
                by if withdrawn is not None else None, basis, k.get("basis_note") or "",
                "professional" if professional else k.get("given_by") or "person",
                "none" if professional else k.get("form") or "written",
                int(bool(k.get("told_withdrawal")))))

    def _joint(self, c: Mapping[str, Any], cid: int) -> None:
        rows = self.rows
        goals: dict[str, int] = {}
        for g in c.get("goals") or []:
            gid = goals[g["key"]] = self._id("goals")
            rows.goals.append((gid, cid, g["text"].strip(), g.get("status") or "open",
                               g["created_on"]))
        actions: dict[str, int] = {}
        for a in c.get("actions") or []:
            aid = actions[a["key"]] = self._id("actions")
            goal, meeting = a.get("goal"), a.get("meeting")
            rows.actions.append((
                aid, cid, goals[goal] if goal is not None else None,
                self.meeting_ids[meeting] if meeting is not None else None, a["text"].strip(),
                a["owner_party"], a.get("due_on"), a.get("status") or "open", a["created_on"]))
        for d in c.get("decisions") or []:
            meeting = d.get("meeting")
            rows.decisions.append((
                cid, self.meeting_ids[meeting] if meeting is not None else None,
                d["text"].strip(), d["decided_on"], self._by(d.get("recorded_by"))))
        for p in c.get("progress") or []:
            action = p.get("action")
            rows.progress.append((
                cid, actions[action] if action is not None else None, p["text"].strip(),
                p["entry_on"], self._by(p.get("recorded_by"))))
