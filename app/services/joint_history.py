"""The versions of the joint record: reading corrected rows and building the views.

A correction (:mod:`app.services.joint_edit`) is a new row; the corrected row points to
it (``superseded_by``, schema 13).  The case view shows the current rows only
(:func:`app.store.repo.load_bundles` leaves the others out) with a "corrected" mark, and
for a correction made after its meeting was closed the version as agreed there, which
the notulen keep (ZVH 15.2).  What a look may show of the joint record is decided on the
first version of a row: a party that saw an entry sees its correction, one that could not
see the entry does not see it either (ZVH 13.2, as :class:`app.policy.joint.JointScope`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain.records import Action
from app.domain.vocab import ActionStatus
from app.policy.joint import JointScope
from app.profiles import Profile
from app.services.redaction import party_ref
from app.store import repo
from app.store.connection import Connection
from app.store.joint_keys import reason_sql, text_sql
from app.views import (
    ActionView,
    CorrectionMark,
    DecisionView,
    GoalView,
    JointVersionView,
    ProgressView,
)

# Per kind: the table and its columns in the order of :class:`Version`.  Table and column
# names come from here only, never from a caller.
TABLES = {"goal": "goals", "action": "actions", "decision": "decisions",
          "progress": "progress"}
# The words through the SQL function that opens them with the reader's keys
# (app.store.joint_keys).
_COLUMNS = {
    "goal": f"id, case_id, {text_sql('goal')}, created_on, NULL, 0, NULL, NULL, status,"
            " NULL, NULL",
    "action": (f"id, case_id, {text_sql('action')}, created_on, meeting_id, addendum,"
               " owner_party, due_on, status, goal_id, NULL"),
    "decision": f"id, case_id, {text_sql('decision')}, decided_on, meeting_id, addendum,"
                " NULL, NULL, NULL, NULL, NULL",
    "progress": (f"id, case_id, {text_sql('progress')}, entry_on, meeting_id, addendum,"
                 " NULL, NULL, NULL, NULL, action_id"),
}
# Why a version was replaced: under the row's key too (schema 17).
_CORRECTION = {kind: f", superseded_by, corrected_at, corrected_by, {reason_sql(kind)}"
               for kind in TABLES}


@dataclass(frozen=True)
class Version:
    """One stored version of a row of the joint record, of any of the four kinds."""

    kind: str
    id: int
    case_id: int
    text: str
    on: dt.date
    meeting_id: int | None
    addendum: bool
    owner_party: str | None
    due_on: dt.date | None
    status: str | None
    goal_id: int | None
    action_id: int | None
    superseded_by: int | None
    corrected_at: str | None
    corrected_by: str | None
    reason: str

    def __repr__(self) -> str:
        return f"Version(kind={self.kind!r}, id={self.id!r})"

    @property
    def corrected_on(self) -> dt.date | None:
        """The local day this version was corrected (None: it is current)."""
        if self.corrected_at is None:
            return None
        return dt.datetime.fromisoformat(self.corrected_at).astimezone().date()


def _version(kind: str, row: tuple[object, ...]) -> Version:
    (i, cid, text, on, mid, add, owner, due, status, goal, action, sup, at, by,
     reason) = row
    return Version(kind, int(str(i)), int(str(cid)), str(text), dt.date.fromisoformat(str(on)),
                   None if mid is None else int(str(mid)), bool(add),
                   None if owner is None else str(owner),
                   dt.date.fromisoformat(str(due)) if due else None,
                   None if status is None else str(status),
                   None if goal is None else int(str(goal)),
                   None if action is None else int(str(action)),
                   None if sup is None else int(str(sup)),
                   None if at is None else str(at), None if by is None else str(by),
                   str(reason or ""))


def load_version(conn: Connection, kind: str, row_id: int) -> Version | None:
    """The stored row ``row_id`` of ``kind`` (current or not), or None."""
    row = conn.execute(f"SELECT {_COLUMNS[kind]}{_CORRECTION[kind]} FROM {TABLES[kind]}"
                       " WHERE id = ?", (row_id,)).fetchone()
    return None if row is None else _version(kind, tuple(row))


def chain(conn: Connection, kind: str, row_id: int) -> list[Version]:
    """Every version of the row ``row_id`` belongs to, oldest first (ids grow along a
    chain: a correction is a later row)."""
    found = load_version(conn, kind, row_id)
    if found is None:
        return []
    versions = [found]
    while versions[-1].superseded_by is not None:
        nxt = load_version(conn, kind, versions[-1].superseded_by)
        if nxt is None:
            break
        versions.append(nxt)
    table = TABLES[kind]
    while True:
        row = conn.execute(f"SELECT {_COLUMNS[kind]}{_CORRECTION[kind]} FROM {table}"
                           " WHERE superseded_by = ?", (versions[0].id,)).fetchone()
        if row is None:
            return versions
        versions.insert(0, _version(kind, tuple(row)))


@dataclass
class Corrected:
    """The corrected rows of some cases: per kind, the earlier versions of each current
    row (oldest first) and the current row each earlier one became."""

    earlier: dict[str, dict[int, list[Version]]] = field(
        default_factory=lambda: defaultdict(dict))
    current_of: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    # Progress entries recorded at a meeting: id -> (meeting_id, addendum).
    progress_meeting: dict[int, tuple[int | None, bool]] = field(default_factory=dict)

    def current_id(self, kind: str, row_id: int | None) -> int | None:
        """The current version's id of ``row_id`` (a link to a goal or an action)."""
        if row_id is None:
            return None
        return self.current_of[kind].get(row_id, row_id)


def load_corrected(conn: Connection, case_ids: Iterable[int]) -> Corrected:
    """The corrected rows of ``case_ids`` (a few small queries, any number of cases)."""
    ids = json.dumps(sorted(set(case_ids)))
    out = Corrected()
    for kind, table in TABLES.items():
        rows = [_version(kind, tuple(r)) for r in conn.execute(
            f"SELECT {_COLUMNS[kind]}{_CORRECTION[kind]} FROM {table}"
            " WHERE superseded_by IS NOT NULL AND case_id IN (SELECT value FROM json_each(?))"
            " ORDER BY id", (ids,))]
        nxt = {v.id: v.superseded_by for v in rows}
        for version in rows:
            current = version.id
            while current in nxt and nxt[current] is not None:
                current = int(str(nxt[current]))
            out.current_of[kind][version.id] = current
            out.earlier[kind].setdefault(current, []).append(version)
    for eid, mid, add in conn.execute(
            "SELECT id, meeting_id, addendum FROM progress WHERE superseded_by IS NULL AND"
            " (meeting_id IS NOT NULL OR addendum) AND case_id IN"
            " (SELECT value FROM json_each(?))", (ids,)):
        out.progress_meeting[int(eid)] = (None if mid is None else int(mid), bool(add))
    return out


def _mark(earlier: list[Version], names: dict[str, str]) -> CorrectionMark | None:
    if not earlier:
        return None
    last = earlier[-1]
    assert last.corrected_on is not None  # noqa: S101 - an earlier version was corrected
    return CorrectionMark(last.corrected_on, names.get(last.corrected_by or "",
                                                        last.corrected_by or ""),
                          last.reason, len(earlier))


def _as_agreed(earlier: list[Version], addendum: bool) -> Version | None:
    """The version a closed meeting agreed: the newest one recorded before it closed,
    when the current one is an addendum."""
    if not addendum:
        return None
    agreed = [v for v in earlier if not v.addendum]
    return agreed[-1] if agreed else None


def joint_views(conn: Connection, case_id: int, bundle: repo.CaseBundle, profile: Profile,
                scope: JointScope, today: dt.date, corrected: Corrected | None = None
                ) -> dict[str, object]:
    """The case view's ``goals``, ``actions``, ``decisions`` and ``progress``: the current
    rows the scope covers, marked when corrected, links to a corrected goal or action
    pointing at its current version.  ``corrected``: the corrections loaded for many cases
    at once (:func:`load_corrected`), else they are loaded for this case."""
    fixes = load_corrected(conn, [case_id]) if corrected is None else corrected

    def earlier(kind: str, row_id: int) -> list[Version]:
        return fixes.earlier[kind].get(row_id, [])

    rows = (("goal", bundle.goals), ("action", bundle.actions),
            ("decision", bundle.decisions), ("progress", bundle.progress))
    names = repo.display_names(conn) if any(
        earlier(kind, r.id) for kind, found in rows for r in found) else {}

    def covers(kind: str, row_id: int, meeting_id: int | None, on: dt.date) -> bool:
        first = earlier(kind, row_id)
        if first:
            meeting_id, on = first[0].meeting_id, first[0].on
        return scope.covers(None if kind == "progress" else meeting_id, on)

    def action_view(a: Version | Action, mark: CorrectionMark | None,
                    agreed: ActionView | None) -> ActionView:
        status = ActionStatus(str(a.status))
        owner = str(a.owner_party)
        return ActionView(a.id, a.text, party_ref(profile, owner), a.due_on, status,
                          status == "open" and a.due_on is not None and a.due_on < today,
                          fixes.current_id("goal", a.goal_id), a.meeting_id, a.addendum,
                          mark, agreed)

    actions = []
    for a in bundle.actions:
        if not covers("action", a.id, a.meeting_id, a.created_on):
            continue
        before = earlier("action", a.id)
        agreed = _as_agreed(before, a.addendum)
        actions.append(action_view(a, _mark(before, names),
                                   action_view(agreed, None, None) if agreed else None))
    decisions = []
    for d in bundle.decisions:
        if not covers("decision", d.id, d.meeting_id, d.decided_on):
            continue
        before = earlier("decision", d.id)
        agreed = _as_agreed(before, d.addendum)
        decisions.append(DecisionView(
            d.id, d.meeting_id, d.text, d.decided_on, d.addendum, _mark(before, names),
            DecisionView(agreed.id, agreed.meeting_id, agreed.text, agreed.on, False)
            if agreed else None))
    progress = []
    for p in bundle.progress:
        if not covers("progress", p.id, None, p.entry_on):
            continue
        mid, add = fixes.progress_meeting.get(p.id, (None, False))
        progress.append(ProgressView(p.id, fixes.current_id("action", p.action_id), p.text,
                                     p.entry_on, mid, add,
                                     _mark(earlier("progress", p.id), names)))
    return {
        "goals": tuple(GoalView(g.id, g.text, g.status, _mark(earlier("goal", g.id), names))
                       for g in bundle.goals),
        "actions": tuple(actions),
        "decisions": tuple(decisions),
        "progress": tuple(progress),
    }


def version_views(versions: list[Version], profile: Profile,
                  names: dict[str, str]) -> tuple[JointVersionView, ...]:
    """The versions of one row for its history, oldest first."""
    return tuple(
        JointVersionView(
            v.id, v.kind, v.text, v.on,
            owner=party_ref(profile, v.owner_party) if v.owner_party else None,
            due_on=v.due_on, addendum=v.addendum, replaced_on=v.corrected_on,
            replaced_by=(names.get(v.corrected_by, v.corrected_by)
                         if v.corrected_by else None),
            reason=v.reason)
        for v in versions)
