"""The facts the key work may act on: only what a validly signed audit entry vouches for.

Every row of the store can be written by any user who has the data key and a script.  The
honest app seals an item's key to whoever the policy shows it, so a forged row that widens
access (a participant who makes themselves the case's director, a party added to the
attendance of a meeting, a minute taker written into a meeting) would be turned into real
keys at the next honest holder's login.  The key work therefore replays the signed entries
instead of trusting the rows:

* a user's **role and party** come from the root administrator's ``admin.user_add`` (or
  ``admin.user_vouch``) entry for them;
* a case's **director** is the procesregisseur who signed ``case.create``, then whoever a
  ``case.handover`` by the director at that time names; its **registering party** and
  **casusregisseur** come from that ``case.create`` and from ``case.casusregisseur``
  entries by the director; its **phase**, since when and its closing day from
  ``case.create`` and the director's ``case.phase`` entries;
* a meeting's **chair** signed ``meeting.create`` (which names the minute taker and the
  start), and ``meeting.close`` by the chair says it was held; its
  **attendance** comes from ``meeting.attendance`` entries by the chair, its
  **invitations** and **preview decisions** from ``meeting.agenda`` and ``meeting.preview``
  entries by the case's director;
* imports, ``keys migrate`` and the first login of the root administrator with this
  version write root-signed ``case.vouch`` / ``meeting.vouch`` / ``admin.user_vouch``
  entries for the rows they bring or find.

A grant or consent counts likewise only with its own signed entry
(:func:`vouched_grants`).  Stores from before this rule have no ``keys.vouch_facts`` mark
(see :func:`required`): until their root administrator logs in once, the rows are trusted
as before, which ``docs/security.md`` states.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from app.domain.principals import user_principal
from app.domain.records import Case, Consent, Grant
from app.domain.roles import Role
from app.policy.engine import CaseFacts
from app.policy.facts import Vouched, VouchedCase, VouchedMeeting
from app.store.keyring import Keyring
from app.store.repo import current_phase_since
from app.store.store import Store

log = logging.getLogger(__name__)

MARK = "keys.vouch_facts"
_CASE_EVENTS = ("case.vouch", "case.create", "case.handover", "case.casusregisseur",
                "case.phase")
_MEETING_EVENTS = ("meeting.vouch", "meeting.create", "meeting.attendance", "meeting.agenda",
                   "meeting.preview", "meeting.close")
_USER_EVENTS = ("admin.user_add", "admin.user_vouch")

Signed = tuple[str, dict[str, object]]
# Per store: (seq, entry hash) -> (signer, attributes) of a valid entry, or None.  Keyed by
# the hash too: a rolled-back transaction gives its seqs to the next entries.
_cache: weakref.WeakKeyDictionary[Store, dict[tuple[int, str | None], Signed | None]] = (
    weakref.WeakKeyDictionary())


def signed_entry(store: Store, seq: int) -> Signed | None:
    """(signer, attributes) of entry ``seq`` if it is validly signed and chained; None
    otherwise (memoised per store)."""
    memo = _cache.setdefault(store, {})
    key = (seq, store.audit.entry_hash_at(seq))
    if key not in memo:
        entry = store.audit.valid_entry(seq)
        memo[key] = None if entry is None else (
            str(entry[8]), dict(json.loads(str(entry[-1]) or "{}")))
    return memo[key]


def root_user(store: Store) -> str:
    """The username of the store's root administrator (whose key certifies the others)."""
    row = store.conn.execute(
        "SELECT k.username FROM signing_keys k JOIN meta m ON m.key = 'root_signing_key'"
        " AND m.value = k.key_id").fetchone()
    return str(row[0]) if row else ""


def required(store: Store) -> bool:
    """Whether the key work acts on signed facts only: the store carries the root
    administrator's ``keys.vouch_facts`` mark (written when it was created, migrated or
    first opened by its root administrator with this version).  A store whose chain has a
    gap counts as marked: deleting the mark must not bring the old trust back."""
    root = root_user(store)
    for seq in store.audit.entries_named(MARK):
        signed = signed_entry(store, seq)
        if signed is not None and signed[0] == root:
            return True
    return has_gap(store)


def has_gap(store: Store) -> bool:
    """Whether entries are missing from the chain (a cut or deleted entry)."""
    count, top = store.conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM audit"
                                    ).fetchone()
    return int(count) != int(top)


# -- reading ---------------------------------------------------------------------------

def roles(store: Store) -> dict[str, tuple[Role, str]] | None:
    """Per username the (role, party) the root administrator signed; None for a store
    without the mark (the rows are trusted there)."""
    if not required(store):
        return None
    root = root_user(store)
    out: dict[str, tuple[Role, str]] = {}
    for seq, object_id in store.conn.execute(
            "SELECT seq, object_id FROM audit WHERE object_type = 'user'"
            " AND name IN (SELECT value FROM json_each(?)) ORDER BY seq",
            (json.dumps(_USER_EVENTS),)):
        signed = signed_entry(store, int(seq))
        if signed is None or signed[0] != root:
            continue
        role, party = signed[1].get("role"), signed[1].get("party")
        if isinstance(role, str) and role in Role._value2member_map_ and isinstance(party, str):
            out[str(object_id)] = (Role(role), party)
    return out


def users_with_roles(store: Store, usernames: Iterable[str]) -> dict[str, tuple[Role, str]]:
    """(role, party) of the active ``usernames`` whose row agrees with what was signed."""
    wanted = set(usernames)
    rows = {str(u): (Role(r), str(p)) for u, r, p in store.conn.execute(
        "SELECT username, role, party_id FROM users WHERE removed_at IS NULL")
        if str(u) in wanted}
    signed = roles(store)
    if signed is None:
        return rows
    return {u: v for u, v in rows.items() if signed.get(u) == v}


def facts_for(store: Store, cases: Sequence[Case]) -> Vouched | None:
    """The signed facts of ``cases`` and of their meetings; None for an unmarked store."""
    signed_roles = roles(store)
    if signed_roles is None:
        return None
    by_ref = {c.reference: c.id for c in cases}
    meeting_ids = sorted({int(r[0]) for r in store.conn.execute(
        "SELECT DISTINCT meeting_id FROM agenda WHERE case_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(by_ref.values())),))})
    rows = store.conn.execute(
        "SELECT seq, name, object_type, object_id FROM audit WHERE"
        " (object_type = 'case' AND object_id IN (SELECT value FROM json_each(?))"
        "  AND name IN (SELECT value FROM json_each(?)))"
        " OR (object_type = 'meeting' AND object_id IN (SELECT value FROM json_each(?))"
        "  AND name IN (SELECT value FROM json_each(?))) ORDER BY seq",
        (json.dumps(sorted(by_ref)), json.dumps(_CASE_EVENTS),
         json.dumps([str(m) for m in meeting_ids]), json.dumps(_MEETING_EVENTS))).fetchall()
    replay = _Replay(root_user(store), signed_roles, by_ref)
    for seq, name, object_type, object_id in rows:
        signed = signed_entry(store, int(seq))
        if signed is not None:
            replay.step(str(name), str(object_type), str(object_id), *signed)
    return replay.result()


@dataclasses.dataclass
class _Meeting:
    chair: str | None = None
    notulist: str | None = None
    present: dict[str, bool] = dataclasses.field(default_factory=dict)
    invited: dict[int, set[str]] = dataclasses.field(default_factory=lambda: defaultdict(set))
    previews: set[int] = dataclasses.field(default_factory=set)
    day: str | None = None
    held: bool = False


class _Replay:
    """Walks the signed entries in chain order; each is judged by who signed it then."""

    def __init__(self, root: str, signed_roles: Mapping[str, tuple[Role, str]],
                 by_ref: Mapping[str, int]) -> None:
        self.root, self.roles, self.by_ref = root, signed_roles, by_ref
        self.cases: dict[int, VouchedCase] = {}
        self.meetings: dict[int, _Meeting] = {}

    def _is(self, username: object, role: Role) -> bool:
        return isinstance(username, str) and self.roles.get(username, (None, ""))[0] is role

    def _director(self, reference: object) -> str | None:
        case_id = self.by_ref.get(str(reference))
        return None if case_id is None else self.cases.get(case_id, VouchedCase()).director

    def step(self, name: str, object_type: str, object_id: str, signer: str,
             attrs: dict[str, object]) -> None:
        if object_type == "case":
            self._case(name, self.by_ref[object_id], signer, attrs)
        else:
            self._meeting(name, int(object_id), signer, attrs)

    def _case(self, name: str, case_id: int, signer: str, attrs: dict[str, object]) -> None:
        now = self.cases.get(case_id, VouchedCase())
        if name == "case.vouch" and signer == self.root:
            self.cases[case_id] = VouchedCase(
                _text(attrs.get("director")), _text(attrs.get("casusregisseur")),
                _text(attrs.get("casusregisseur_party")), _text(attrs.get("registering_party")),
                _text(attrs.get("phase")), _text(attrs.get("since")),
                _text(attrs.get("closed_on")))
        elif name == "case.create" and self._is(signer, Role.PROCESREGISSEUR):
            self.cases[case_id] = VouchedCase(
                signer, None, None, _text(attrs.get("registering_party")),
                _text(attrs.get("phase")), _text(attrs.get("at")))
        elif name == "case.phase" and now.director == signer and now.phase is not None:
            # Only a case whose phase the chain knows follows the chain from here.
            self.cases[case_id] = dataclasses.replace(
                now, phase=_text(attrs.get("to")), since=_text(attrs.get("at")),
                closed_on=_text(attrs.get("closed_on")))
        elif name == "case.handover" and now.director == signer \
                and self._is(attrs.get("to"), Role.PROCESREGISSEUR):
            self.cases[case_id] = dataclasses.replace(now, director=_text(attrs.get("to")))
        elif name == "case.casusregisseur" and now.director == signer:
            self.cases[case_id] = dataclasses.replace(
                now, casusregisseur=_text(attrs.get("user")),
                casusregisseur_party=_text(attrs.get("party")))

    def _meeting(self, name: str, meeting_id: int, signer: str, attrs: dict[str, object]
                 ) -> None:
        if name == "meeting.vouch" and signer == self.root:
            invited = attrs.get("invited")
            self.meetings[meeting_id] = _Meeting(
                _text(attrs.get("chair")), _text(attrs.get("notulist")),
                {str(p): True for p in _list(attrs.get("present"))},
                defaultdict(set, {self.by_ref[ref]: {str(p) for p in _list(parties)}
                                  for ref, parties in (invited or {}).items()  # type: ignore[attr-defined]
                                  if ref in self.by_ref}),
                {self.by_ref[str(r)] for r in _list(attrs.get("previews"))
                 if str(r) in self.by_ref},
                _text(attrs.get("starts_at")), attrs.get("status") == "held")
            return
        if name == "meeting.create":
            if self._is(signer, Role.PROCESREGISSEUR):
                notulist = attrs.get("notulist")
                self.meetings[meeting_id] = _Meeting(
                    signer, notulist if self._is(notulist, Role.NOTULIST) else None,  # type: ignore[arg-type]
                    day=_text(attrs.get("starts_at")))
            return
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return
        if name == "meeting.close" and signer == meeting.chair:
            meeting.held = True
        elif name == "meeting.attendance" and signer == meeting.chair:
            meeting.present[str(attrs.get("party"))] = bool(attrs.get("present"))
        elif name in {"meeting.agenda", "meeting.preview"}:
            reference = attrs.get("case")
            case_id = self.by_ref.get(str(reference))
            if case_id is None or self._director(reference) != signer:
                return
            if name == "meeting.agenda":
                meeting.invited[case_id] |= {str(p) for p in _list(attrs.get("invited"))}
            else:
                meeting.previews.add(case_id)

    def result(self) -> Vouched:
        return Vouched(
            cases=dict(self.cases),
            meetings={mid: VouchedMeeting(
                m.chair, m.notulist, frozenset(p for p, here in m.present.items() if here),
                {cid: frozenset(ps) for cid, ps in m.invited.items()}, frozenset(m.previews),
                m.day, m.held)
                for mid, m in self.meetings.items()},
            parties={u: party for u, (_role, party) in self.roles.items()},
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


# -- writing: root-signed entries for rows brought by an import or found by a migration --

def vouch_rows(store: Store, *, users: Iterable[str] = (), case_ids: Iterable[int] = (),
               meeting_ids: Iterable[int] = ()) -> None:
    """Write root-signed entries that vouch for these rows as they are now: the acting
    user must be the root administrator (an import, ``keys migrate``).  Inside a
    transaction."""
    conn = store.conn
    names = sorted(set(users))
    for name, role, party in conn.execute(
            "SELECT username, role, party_id FROM users WHERE username IN"
            " (SELECT value FROM json_each(?)) ORDER BY username", (json.dumps(names),)):
        store.log("admin.user_vouch", object_type="user", object_id=str(name),
                  attributes={"role": role, "party": party})
    ids = sorted(set(case_ids))
    since = current_phase_since(conn, ids)
    for cid, ref, director, casus, casus_party, registering, phase, closed in conn.execute(
            "SELECT id, reference, procesregisseur, casusregisseur, casusregisseur_party,"
            " registering_party, phase, closed_at FROM cases"
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", (json.dumps(ids),)):
        store.log("case.vouch", object_type="case", object_id=str(ref),
                  attributes={"director": director, "casusregisseur": casus,
                              "casusregisseur_party": casus_party,
                              "registering_party": registering, "phase": phase,
                              "since": since.get(int(cid)), "closed_on": closed})
    for mid in sorted(set(meeting_ids)):
        store.log("meeting.vouch", object_type="meeting", object_id=str(mid),
                  attributes=_meeting_snapshot(store, mid))


def _meeting_snapshot(store: Store, meeting_id: int) -> dict[str, object]:
    conn = store.conn
    chair, notulist, starts, status = conn.execute(
        "SELECT chair, notulist, starts_at, status FROM meetings WHERE id = ?",
        (meeting_id,)).fetchone()
    invited: dict[str, list[str]] = defaultdict(list)
    for ref, party in conn.execute(
            "SELECT c.reference, i.party_id FROM invitations i JOIN cases c ON c.id = i.case_id"
            " WHERE i.meeting_id = ? AND i.invited ORDER BY c.reference, i.party_id",
            (meeting_id,)):
        invited[str(ref)].append(str(party))
    return {
        "chair": chair, "notulist": notulist, "starts_at": starts, "status": status,
        "present": [str(r[0]) for r in conn.execute(
            "SELECT party_id FROM attendees WHERE meeting_id = ? AND present ORDER BY party_id",
            (meeting_id,))],
        "invited": dict(invited),
        "previews": [str(r[0]) for r in conn.execute(
            "SELECT c.reference FROM meeting_previews p JOIN cases c ON c.id = p.case_id"
            " WHERE p.meeting_id = ? ORDER BY c.reference", (meeting_id,))],
    }


def mark(store: Store) -> None:
    """Write the mark after which only signed facts count (inside a transaction)."""
    store.log(MARK, object_type="store", object_id=store.store_id)


def vouch_everything(store: Store) -> None:
    """The root administrator vouches for the rows of a store from before this rule, as
    they are now, and marks it (``keys migrate``, or the first root login with this
    version).  Inside a transaction."""
    conn = store.conn
    vouch_rows(store,
               users=[str(r[0]) for r in conn.execute(
                   "SELECT username FROM users WHERE removed_at IS NULL")],
               case_ids=[int(r[0]) for r in conn.execute("SELECT id FROM cases")],
               meeting_ids=[int(r[0]) for r in conn.execute("SELECT id FROM meetings")])
    mark(store)


# -- grants and consents ----------------------------------------------------------------

def vouched_grants(store: Store, keyring: Keyring, facts: dict[int, CaseFacts]
                   ) -> dict[int, CaseFacts]:
    """The facts with only the grants and consents a signed entry vouches for.

    A grant row is something anyone with the data key can insert; sealing an item's key to
    its recipient on the strength of the row alone would let a participant grant
    themselves another party's data and wait for an honest holder to log in.  A grant
    counts for the keys only if the chain holds a validly signed entry for it, by a user
    the administrator certified for the providing party (or by the root administrator,
    for an import), naming the same recipient, item, category, phase and meeting.  A
    consent likewise needs its ``consent.record`` entry, by a user of the source party or
    the case's director (who records on its behalf), naming the same source, recipients
    and categories.  A forged withdrawal or revocation only takes access away.
    """
    grants = _entries(store, "grant", "grant.add",
                      [g.id for f in facts.values() for g in f.grants if not g.revoked])
    consents = _entries(store, "consent", "consent.record",
                        [c.id for f in facts.values() for c in f.recorded_consents])
    if not grants[1] and not consents[1]:
        return facts
    root = root_user(store)
    out: dict[int, CaseFacts] = {}
    for case_id, f in facts.items():
        kept = tuple(g for g in f.grants if g.revoked or any(
            _grant_matches(g, attrs) and _entitled(keyring, user, g.provider_party, root)
            for user, attrs in _signed(store, grants[0].get(g.id, []))))
        director = f.case.procesregisseur

        def signed(c: Consent, director: str | None = director) -> bool:
            return any(_consent_matches(c, attrs) and (
                _entitled(keyring, user, c.source_party or "", root) or user == director)
                for user, attrs in _signed(store, consents[0].get(c.id, [])))

        agreed = tuple(c for c in f.consents if not c.valid or signed(c))
        # Whose words a consent's key goes to (schema 18) is read from its signed terms
        # too, withdrawn or not: a forged recipient must not get them sealed.
        recorded = tuple(c for c in f.recorded_consents if signed(c))
        if (len(kept) == len(f.grants) and len(agreed) == len(f.consents)
                and len(recorded) == len(f.recorded_consents)):
            out[case_id] = f
            continue
        log.warning("facts without a signed entry are left out of the key holders")
        out[case_id] = dataclasses.replace(
            f, grants=kept, consents=agreed, recorded_consents=recorded,
            item_grants=frozenset(g.item_id for g in kept if g.item_id is not None))
    return out


def _entries(store: Store, object_type: str, name: str, ids: list[int]
             ) -> tuple[dict[int, list[int]], bool]:
    """Per object id the seqs of its ``name`` entries; and whether there was anything to
    vouch for at all."""
    found: dict[int, list[int]] = {}
    if not ids:
        return found, False
    for seq, object_id in store.conn.execute(
            "SELECT seq, object_id FROM audit WHERE object_type = ? AND name = ?"
            " AND object_id IN (SELECT value FROM json_each(?))",
            (object_type, name, json.dumps([str(i) for i in ids]))):
        found.setdefault(int(object_id), []).append(int(seq))
    return found, True


def _signed(store: Store, seqs: list[int]) -> list[Signed]:
    """(username, attributes) of those entries that are validly signed."""
    return [s for s in (signed_entry(store, seq) for seq in seqs) if s is not None]


def _entitled(keyring: Keyring, username: str, party_id: str, root: str) -> bool:
    """The root administrator (imports), or a user certified for ``party_id``."""
    if username == root:
        return True
    signer = keyring.current(user_principal(username))
    return signer is not None and signer.party_id == party_id


def _grant_matches(grant: Grant, attrs: dict[str, object]) -> bool:
    return (attrs.get("recipient"), attrs.get("item"), attrs.get("category"),
            attrs.get("phase"), attrs.get("meeting")) == (
        grant.recipient_party, grant.item_id, grant.category, grant.phase, grant.meeting_id)


def _consent_matches(consent: Consent, attrs: dict[str, object]) -> bool:
    recipients, categories = attrs.get("recipients"), attrs.get("categories")
    return (attrs.get("source") == consent.source_party
            and isinstance(recipients, list) and frozenset(recipients) == consent.recipients
            and isinstance(categories, list) and frozenset(categories) == consent.categories)
