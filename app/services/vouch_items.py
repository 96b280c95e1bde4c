"""An item's metadata count for the keys only as a signed entry fixed them (issue 9, point 1).

The policy decides who may read an item from its row: which case it is in, which party
provided it, its data category, phase, legal basis, person, kind and field.  Anyone with the
data key can rewrite that row; an honest holder's next key work would then seal the item to
whoever the forged row makes entitled (a police item "moved" to a case where another party
holds a category grant, or "provided" by that party itself).  So every item's metadata are
pinned by a digest in a signed entry:

* ``item.add`` and ``item.correct`` carry ``facts``, the digest of the row they wrote, and
  count when they are signed by a user the root administrator signed in for the item's
  source party (the provider, or the procesregisseur entering on its own behalf: ZVH 9.6);
* an import, ``keys migrate`` and the first login of the root administrator with this
  version write a root-signed ``items.vouch`` entry per case with the digests of its items
  as they are then, and the mark ``keys.vouch_items``.

An item whose row no longer matches (or that never had an entry) is *unpinned*: the key
work leaves its seals as they are (no new holder, and no re-key that would take the
provider's key away on the strength of a forged row) and it involves its source party in
no case (:func:`app.policy.facts.load_facts`).  Until the mark, a store trusts its item
rows as before.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from app.domain.records import Item
from app.domain.roles import Role
from app.services import vouch
from app.store.store import Store

MARK = "keys.vouch_items"
PERSONS_MARK = "keys.vouch_persons"
"""After this root-signed mark every person's subject category was vouched for (a store
marked for items before persons were pinned gets it at its root's next login)."""
VOUCH_EVENT = "items.vouch"
ITEM_EVENTS = ("item.add", "item.correct")
PERSON_EVENT = "person.add"
_DIRECTOR_ROLES = frozenset({Role.PROCESREGISSEUR, Role.CASUSREGISSEUR})
_JOINT_ROLES = frozenset({Role.PROCESREGISSEUR, Role.CASUSREGISSEUR, Role.NOTULIST})
_COLUMNS = ("case_id", "person_id", "kind", "field", "source_party", "category", "phase",
            "legal_basis", "provided_on", "incident_class", "by_director")


def digest(values: Sequence[object]) -> str:
    """The digest of one item's policy facts, in :data:`_COLUMNS` order."""
    doc = json.dumps([None if v is None else str(v) for v in values], ensure_ascii=False,
                     separators=(",", ":"))
    return hashlib.sha256(doc.encode()).hexdigest()[:32]


def item_digest(item: Item) -> str:
    """:func:`digest` of a loaded item (the key work's side)."""
    return digest((item.case_id, item.person_id, item.kind.value, item.field,
                   item.source_party, item.category, item.phase, item.legal_basis,
                   item.provided_on.isoformat(), item.incident_class,
                   int(item.by_director)))


def row_digests(store: Store, item_ids: Iterable[int]) -> dict[int, str]:
    """Item id -> :func:`digest` of its row now (the writers' side: what they sign)."""
    ids = sorted(set(item_ids))
    return {int(row[0]): digest(row[1:]) for row in store.conn.execute(
        f"SELECT id, {', '.join(_COLUMNS)} FROM items"
        " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),))}


def persons_vouched(store: Store) -> bool:
    """Whether the root administrator vouched for every person's category (the mark)."""
    root = vouch.root_user(store)
    return any((signed := vouch.signed_entry(store, seq)) is not None and signed[0] == root
               for seq in store.audit.entries_named(PERSONS_MARK)) or vouch.has_gap(store)


def vouch_persons(store: Store) -> None:
    """The root administrator vouches for every person's category as it is now, then
    writes :data:`PERSONS_MARK` (inside a transaction)."""
    vouch_rows(store, (), (), (int(r[0]) for r in store.conn.execute("SELECT id FROM persons")))
    store.log(PERSONS_MARK, object_type="store", object_id=store.store_id)


def required(store: Store) -> bool:
    """Whether item rows count only with a signed digest: the root administrator's mark,
    or a gap in the chain (deleting the mark must not bring the old trust back)."""
    root = vouch.root_user(store)
    for seq in store.audit.entries_named(MARK):
        signed = vouch.signed_entry(store, seq)
        if signed is not None and signed[0] == root:
            return True
    return vouch.has_gap(store)


def vouched(store: Store, items: Iterable[Item]) -> frozenset[int] | None:
    """The ids among ``items`` whose row matches a signed digest by an entitled signer;
    None for a store without the mark (its rows are trusted)."""
    if not required(store):
        return None
    signed_roles = vouch.roles(store) or {}
    root = vouch.root_user(store)
    wanted = {item.id: item for item in items}
    if not wanted:
        return frozenset()
    refs = dict(store.conn.execute(
        "SELECT id, reference FROM cases WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted({i.case_id for i in wanted.values()})),)))
    pinned: dict[int, set[str]] = defaultdict(set)
    for seq, object_id in store.conn.execute(
            "SELECT seq, object_id FROM audit WHERE object_type = 'item'"
            " AND object_id IN (SELECT value FROM json_each(?))"
            " AND name IN (SELECT value FROM json_each(?))",
            (json.dumps([str(i) for i in wanted]), json.dumps(ITEM_EVENTS))):
        item = wanted[int(object_id)]
        signed = vouch.signed_entry(store, int(seq))
        if signed is None:
            continue
        signer, attrs = signed
        party = signed_roles.get(signer, (None, None))[1]
        if signer == root or party == item.source_party:
            pinned[item.id].add(str(attrs.get("facts")))
    for seq, in store.conn.execute(
            "SELECT seq FROM audit WHERE object_type = 'case' AND name = ?"
            " AND object_id IN (SELECT value FROM json_each(?))",
            (VOUCH_EVENT, json.dumps(sorted(str(r) for r in refs.values())))):
        signed = vouch.signed_entry(store, int(seq))
        if signed is None or signed[0] != root:
            continue
        listed = signed[1].get("items")
        for key, value in (listed.items() if isinstance(listed, dict) else ()):
            if str(key).isdigit() and int(key) in wanted:
                pinned[int(key)].add(str(value))
    return frozenset(i for i, item in wanted.items()
                     if item_digest(item) in pinned.get(i, ()))


def vouched_persons(store: Store, case_ids: Iterable[int]) -> dict[int, str] | None:
    """Person id -> subject category as a signed entry names it, for the persons of
    ``case_ids``: the ``person.add`` of a procesregisseur or casusregisseur (the roles
    that direct a case) or of the root administrator, and the root's ``items.vouch``
    (the later one wins).  None for a store without the mark (its rows are trusted)."""
    if not required(store):
        return None
    ids = json.dumps(sorted(set(case_ids)))
    persons = {str(r[0]): str(r[1]) for r in store.conn.execute(
        "SELECT p.id, c.reference FROM persons p JOIN cases c ON c.id = p.case_id"
        " WHERE p.case_id IN (SELECT value FROM json_each(?))", (ids,))}
    if not persons:
        return {}
    root = vouch.root_user(store)
    signed_roles = vouch.roles(store) or {}
    out: dict[int, str] = {}
    for seq, name, object_id in store.conn.execute(
            "SELECT seq, name, object_id FROM audit WHERE (object_type = 'person'"
            " AND name = ? AND object_id IN (SELECT value FROM json_each(?)))"
            " OR (object_type = 'case' AND name = ? AND object_id IN"
            " (SELECT value FROM json_each(?))) ORDER BY seq",
            (PERSON_EVENT, json.dumps(sorted(persons)), VOUCH_EVENT,
             json.dumps(sorted(set(persons.values()))))):
        signed = vouch.signed_entry(store, int(seq))
        if signed is None:
            continue
        signer, attrs = signed
        if name == PERSON_EVENT:
            category = attrs.get("category")
            if isinstance(category, str) and attrs.get("case") == persons[str(object_id)] and (
                    signer == root
                    or signed_roles.get(signer, (None, ""))[0] in _DIRECTOR_ROLES):
                out[int(str(object_id))] = category
        elif signer == root:
            listed = attrs.get("persons")
            for key, value in (listed.items() if isinstance(listed, dict) else ()):
                if persons.get(str(key)) == object_id and isinstance(value, str):
                    out[int(key)] = value
    return out


def vouch_rows(store: Store, item_ids: Iterable[int], action_ids: Iterable[int] = (),
               person_ids: Iterable[int] = ()) -> None:
    """Root-signed ``items.vouch`` entries (one per case) for these items' rows, these
    actions' owner parties and these persons' subject categories as they are now (an
    import, a migration, the first root login).  Inside a transaction."""
    items: dict[str, dict[str, str]] = defaultdict(dict)
    owners: dict[str, dict[str, str]] = defaultdict(dict)
    categories: dict[str, dict[str, str]] = defaultdict(dict)
    for person_id, reference, category in store.conn.execute(
            "SELECT p.id, c.reference, p.category FROM persons p JOIN cases c"
            " ON c.id = p.case_id WHERE p.id IN (SELECT value FROM json_each(?))"
            " ORDER BY p.id", (json.dumps(sorted(set(person_ids))),)):
        categories[str(reference)][str(person_id)] = str(category)
    ids = sorted(set(item_ids))
    digests = row_digests(store, ids)
    for item_id, reference in store.conn.execute(
            "SELECT i.id, c.reference FROM items i JOIN cases c ON c.id = i.case_id"
            " WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY i.id",
            (json.dumps(ids),)):
        items[str(reference)][str(item_id)] = digests[int(item_id)]
    for action_id, reference, owner in store.conn.execute(
            "SELECT a.id, c.reference, a.owner_party FROM actions a JOIN cases c"
            " ON c.id = a.case_id WHERE a.id IN (SELECT value FROM json_each(?))"
            " ORDER BY a.id", (json.dumps(sorted(set(action_ids))),)):
        owners[str(reference)][str(action_id)] = str(owner)
    for reference in sorted(set(items) | set(owners) | set(categories)):
        store.log(VOUCH_EVENT, object_type="case", object_id=reference,
                  attributes={"items": items.get(reference, {}),
                              "actions": owners.get(reference, {}),
                              "persons": categories.get(reference, {})})


def vouch_everything(store: Store) -> None:
    """The root administrator vouches for every item row as it is now, then marks the
    store (inside a transaction)."""
    vouch_rows(store, (int(r[0]) for r in store.conn.execute("SELECT id FROM items")),
               (int(r[0]) for r in store.conn.execute("SELECT id FROM actions")),
               (int(r[0]) for r in store.conn.execute("SELECT id FROM persons")))
    mark(store)
    store.log(PERSONS_MARK, object_type="store", object_id=store.store_id)


def mark(store: Store) -> None:
    """Write the mark after which item rows count only with a signed digest (inside a
    transaction; a new store has it from the start)."""
    store.log(MARK, object_type="store", object_id=store.store_id)


def vouched_actions(store: Store, case_ids: Iterable[int]) -> frozenset[int] | None:
    """The current actions of these cases whose owner party a signed entry names: an
    ``action.add`` (its ``owner``) or ``action.correct`` (its ``owner``, else the owner of
    the action it replaces) by a user the root administrator signed in as procesregisseur,
    casusregisseur or minute taker (the roles that record the joint record), or the
    root's ``items.vouch``.  None for a store without the mark."""
    if not required(store):
        return None
    signed_roles = vouch.roles(store) or {}
    root = vouch.root_user(store)
    rows = {int(a): (str(ref), str(owner)) for a, ref, owner in store.conn.execute(
        "SELECT a.id, c.reference, a.owner_party FROM actions a JOIN cases c"
        " ON c.id = a.case_id WHERE a.superseded_by IS NULL"
        " AND a.case_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(case_ids))),))}
    if not rows:
        return frozenset()
    # The root's snapshots first: a later correction that keeps the owner refers to them.
    owner_of: dict[int, str] = {}
    for seq, in store.conn.execute(
            "SELECT seq FROM audit WHERE object_type = 'case' AND name = ?"
            " AND object_id IN (SELECT value FROM json_each(?)) ORDER BY seq",
            (VOUCH_EVENT, json.dumps(sorted({ref for ref, _o in rows.values()})))):
        signed = vouch.signed_entry(store, int(seq))
        if signed is None or signed[0] != root:
            continue
        listed = signed[1].get("actions")
        for key, value in (listed.items() if isinstance(listed, dict) else ()):
            if str(key).isdigit():
                owner_of[int(key)] = str(value)
    for seq, object_id, name in store.conn.execute(
            "SELECT seq, object_id, name FROM audit WHERE object_type = 'action'"
            " AND name IN ('action.add', 'action.correct') AND json_extract(attributes,"
            " '$.case') IN (SELECT value FROM json_each(?)) ORDER BY seq",
            (json.dumps(sorted({ref for ref, _o in rows.values()})),)):
        signed = vouch.signed_entry(store, int(seq))
        if signed is None or not str(object_id).isdigit():
            continue
        signer, attrs = signed
        role = signed_roles.get(signer, (None, None))[0]
        if signer != root and role not in _JOINT_ROLES:
            continue
        owner = attrs.get("owner")
        if owner is None and name == "action.correct":
            replaced = attrs.get("replaces")
            owner = owner_of.get(replaced) if isinstance(replaced, int) else None
        if isinstance(owner, str):
            owner_of[int(str(object_id))] = owner
    return frozenset(a for a, (_ref, owner) in rows.items() if owner_of.get(a) == owner)


def facts_attribute(store: Store, item_id: int) -> str:
    """The ``facts`` attribute a writer puts in its ``item.add`` / ``item.correct``."""
    return row_digests(store, [item_id])[item_id]
