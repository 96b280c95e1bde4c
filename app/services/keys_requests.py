"""The privacy officer's key for one data subject's items, for one request (issue 11).

Support roles hold no content keys in daily work (ZVH 9.6).  An open inzage request is the
one exception: the keys of the items about the persons the request names are sealed to the
officer who registered it, so the inzage report can show the data themselves (ZVH 18.1).
The keys follow the same rules as every other seal: they are made by a holder of the item
key at its next sync (:func:`app.services.keys.sync_cases`), and they go (the item is
re-keyed) once the request is closed.  Police and OM items are never sealed: those
requests are routed to them (ZVH 17.5-17.6).

Like a grant, a request row is something anyone with the SQLCipher key can insert, so it
counts only when the chain holds the validly signed entries that vouch for it: a
``request.new`` by a privacy officer and a ``request.link`` by the case's procesregisseur
naming the same request and person.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from app.domain.principals import user_principal
from app.domain.records import Item
from app.domain.roles import Role
from app.policy.engine import CaseFacts
from app.policy.rights import is_routed
from app.profiles import Profile
from app.store.store import Store


def subject_object_id(request_id: int, person_id: int) -> str:
    """The audit object id of a request's link to one person."""
    return f"{request_id}:{person_id}"


def _signed_by(store: Store, object_type: str, name: str, object_id: str) -> set[str]:
    """Usernames that signed a valid ``name`` entry for the object."""
    out: set[str] = set()
    for (seq,) in store.conn.execute(
            "SELECT seq FROM audit WHERE object_type = ? AND object_id = ? AND name = ?",
            (object_type, object_id, name)):
        entry = store.audit.valid_entry(int(seq))
        if entry is not None:
            out.add(str(entry[8]))
    return out


def officer_holders(store: Store, facts: Mapping[int, CaseFacts],
                    users: Mapping[str, tuple[Role, str]]) -> dict[int, frozenset[str]]:
    """Per person id: the officer principals an open, vouched inzage request gives a key.

    ``users`` are the users with a key pair (role, party)."""
    ids = sorted(facts)
    if not ids:
        return {}
    rows = store.conn.execute(
        "SELECT s.request_id, s.person_id, s.case_id, r.created_by FROM dsr_subjects s"
        " JOIN dsr_requests r ON r.id = s.request_id"
        " WHERE r.status = 'open' AND r.kind = 'inzage'"
        " AND s.case_id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)).fetchall()
    out: dict[int, set[str]] = {}
    for request_id, person_id, case_id, officer in rows:
        if users.get(str(officer), (None, ""))[0] is not Role.PRIVACY_OFFICER:
            continue
        if str(officer) not in _signed_by(store, "dsr_request", "request.new", str(request_id)):
            continue
        director = facts[int(case_id)].case.procesregisseur
        linked = _signed_by(store, "dsr_subject", "request.link",
                            subject_object_id(int(request_id), int(person_id)))
        if director is None or director not in linked:
            continue
        out.setdefault(int(person_id), set()).add(user_principal(str(officer)))
    return {k: frozenset(v) for k, v in out.items()}


def add_officers(want: dict[int, frozenset[str]], items: Sequence[Item], profile: Profile,
                 officers: Mapping[int, frozenset[str]]) -> dict[int, frozenset[str]]:
    """``want`` with the officer principals added to the items of the requested persons
    (police and OM items excepted)."""
    if not officers:
        return want
    out = dict(want)
    for item in items:
        extra = officers.get(item.person_id) if item.person_id is not None else None
        if extra and not is_routed(profile, item):
            out[item.id] = want[item.id] | extra
    return out


def mark_cases(store: Store, case_ids: Iterable[int], since: str) -> None:
    """Put the cases in ``key_sync_due``: their holders seal (or re-key) at the next chance."""
    store.conn.executemany("INSERT OR IGNORE INTO key_sync_due(case_id, since) VALUES (?, ?)",
                           [(cid, since) for cid in sorted(set(case_ids))])
