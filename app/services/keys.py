"""Envelope keys in daily work: enrolling users and parties, handing a party's key to a new
colleague, and keeping every item sealed to exactly the principals the policy allows
(issue 9; the primitives are in :mod:`app.crypto.envelope` and :mod:`app.store.keyring`,
the bound in :mod:`app.policy.holders`).

Every write that changes who may see a case's items (an item, a grant or its revocation, a
consent or its withdrawal, a phase change, a meeting's table, the case's directors) marks
the case; before the transaction commits, :func:`sync_cases` seals each item of the marked
cases to the principals that gained access and *re-keys* the item (new key, content
encrypted again) when a principal lost access, so that a copy of an old seal opens none of
the later versions.  What the acting user cannot open is left for a holder of its key:
the case goes into ``key_sync_due`` and the next holder who logs in finishes it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app import clock
from app.crypto import envelope
from app.crypto.keyslots import KdfParams, SlotFile
from app.domain.principals import party_principal, user_principal
from app.domain.records import Item
from app.domain.roles import Role
from app.policy.facts import load_facts
from app.policy.holders import PARTY_ROLES, key_holders, principal_viewers
from app.services import joint_seal, keys_requests, vouch, vouch_items
from app.store import joint_keys, repo
from app.store.keyring import Keyring, register_principal, seal_party_key
from app.store.layout import SLOTS_NAME
from app.store.signing import KeySigner, register_key
from app.store.store import Store

log = logging.getLogger(__name__)


# -- enrolment ------------------------------------------------------------------------

def enrol_user(store: Store, username: str, role: Role, party_id: str) -> None:
    """Register a new user's public keys (from their slot), certified by the acting
    administrator; a participant or case director also gets their party's key: from the
    administrator when the party has none yet, else from a colleague at their next login
    (:func:`hand_over_party_keys`).  Runs inside the caller's transaction."""
    signer = store.signer
    if signer is None or not store.envelope:
        return
    box_public, signing_public = store.slots.public_keys(username)
    now = clock.utc_now_iso()
    if signing_public:
        register_key(store.conn, store.store_id, username, signing_public, signer, now)
    register_principal(store.conn, store.store_id, user_principal(username), "user", party_id,
                       box_public, signer)
    if role not in PARTY_ROLES:
        return
    party = party_principal(party_id)
    keyring = _keyring(store)
    user = keyring.current(user_principal(username))
    fresh = keyring.fresh_party_keys.get(party_id)
    if fresh is not None:
        # A party made earlier in this batch (an import adding several of its users).
        if user is not None:
            seal_party_key(store.conn, store.store_id, party_id, fresh[0], fresh[1],
                           username, user)
        return
    if store.conn.execute("SELECT 1 FROM principals WHERE id = ?", (party,)).fetchone():
        return
    # The party's first user: make its key pair and hand the private half only to them.
    private = X25519PrivateKey.generate()
    version = register_principal(store.conn, store.store_id, party, "party", party_id,
                                 envelope.raw_public(private), signer)
    keyring.fresh_party_keys[party_id] = (version, private)
    if user is not None:
        seal_party_key(store.conn, store.store_id, party_id, version, private, username, user)
    store.log("key.party_created", object_type="party", object_id=party_id)
    # Cases in which the party already takes part get its seals from their holders.
    _mark_party_cases(store, party_id)


def hand_over_party_keys(store: Store) -> int:
    """Seal the keys of the parties this user acts for to colleagues who have none yet
    (new users who chose their own passphrase).  Returns the number handed over."""
    keyring = store.keyring
    if keyring is None:
        return 0
    handed = 0
    for principal in sorted(keyring.acts_as):
        if not principal.startswith("party:"):
            continue
        party_id = principal.removeprefix("party:")
        current = keyring.current(principal)
        private = keyring.party_private(party_id)
        if current is None or private is None:
            continue
        signed = vouch.roles(store)
        rows = store.conn.execute(
            "SELECT username, role FROM users WHERE party_id = ? AND removed_at IS NULL"
            " AND must_renew = 0", (party_id,)).fetchall()
        for username, role in rows:
            if Role(role) not in PARTY_ROLES or (
                    signed is not None and signed.get(username, (role, ""))[0] is not Role(role)):
                continue
            user = keyring.current(user_principal(username))
            # The party the administrator certified for this user, not the users table
            # (which anyone with the data key can edit).
            if user is None or user.party_id != party_id or store.conn.execute(
                    "SELECT 1 FROM party_key_seals WHERE party_id = ? AND party_version = ?"
                    " AND username = ? AND user_version = ?",
                    (party_id, current.version, username, user.version)).fetchone():
                continue
            seal_party_key(store.conn, store.store_id, party_id, current.version, private,
                           username, user)
            store.log("key.handover", object_type="user", object_id=username,
                      attributes={"party": party_id})
            handed += 1
    return handed


def _keyring(store: Store) -> Keyring:
    if store.keyring is None:
        raise RuntimeError("the store has no envelope keys yet")
    return store.keyring


def _mark_party_cases(store: Store, party_id: str) -> None:
    """The cases a party takes part in (it may be due seals there)."""
    store.conn.execute(
        "INSERT OR IGNORE INTO key_sync_due(case_id, since)"
        " SELECT id, ? FROM cases WHERE registering_party = ?"
        " UNION SELECT case_id, ? FROM items WHERE source_party = ?"
        " UNION SELECT case_id, ? FROM grants WHERE recipient_party = ?"
        " UNION SELECT case_id, ? FROM invitations WHERE party_id = ?"
        " UNION SELECT case_id, ? FROM actions WHERE owner_party = ? AND superseded_by IS NULL"
        " UNION SELECT c.case_id, ? FROM consents c, json_each(c.recipients) r"
        " WHERE r.value = ?", (clock.utc_now_iso(), party_id) * 6)


# -- keeping seals in line with the policy ---------------------------------------------

def sync_cases(store: Store, case_ids: Iterable[int], ctx_for: object) -> int:
    """Seal, re-key and encrypt the items of ``case_ids`` so their holders are what the
    policy allows (see the module docstring).  ``ctx_for`` is a callable returning the
    policy context for today.  Returns the number of items changed.  Inside a
    transaction."""
    keyring = store.keyring
    ids = sorted(set(case_ids))
    if keyring is None or not ids or not store.envelope:
        return 0
    conn = store.conn
    cases = repo.cases(conn, ids)
    items_by_case = repo.items_by_case(conn, ids)
    # Only item rows a signed entry pinned count for new seals (app.services.vouch_items).
    trusted = vouch_items.vouched(store, (i for v in items_by_case.values() for i in v))
    signed = vouch.facts_for(store, cases)
    if signed is not None:
        signed = dataclasses.replace(signed, items=trusted,
                                     actions=vouch_items.vouched_actions(store, ids),
                                     persons=vouch_items.vouched_persons(store, ids))
    facts = vouch.vouched_grants(store, keyring, load_facts(conn, cases, signed))
    ctx = ctx_for()  # type: ignore[operator]
    parties = {p.removeprefix("party:") for p in keyring.existing("party")}
    with_keys = keyring.existing("user")
    # Roles as the root administrator signed them, not as the users table says.
    users = vouch.users_with_roles(store, (p.removeprefix("user:") for p in with_keys))
    rekey_due = frozenset(int(r[0]) for r in conn.execute(
        "SELECT id FROM items WHERE rekey_due AND case_id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),)))
    officers = keys_requests.officer_holders(store, facts, users)
    joint_rows: dict[int, list[joint_keys.Row]] = {}
    for row in joint_keys.rows(conn, ids):
        joint_rows.setdefault(row.case_id, []).append(row)
    joint_have = joint_keys.holders_of(conn, ids)
    changed = unpinned = 0
    finished: list[int] = []
    for case in cases:
        items = items_by_case.get(case.id, [])
        viewers = principal_viewers(facts[case.id], parties, users)
        want = keys_requests.add_officers(key_holders(items, facts[case.id], ctx, viewers),
                                          items, ctx.profile, officers)
        have = keyring.holders_of(i.id for i in items)
        done = True
        for item in items:
            held = have.get(item.id, set())
            wanted = want[item.id]
            if trusted is not None and item.id not in trusted:
                # A row no signed entry pinned is left as it is: a forged row must neither
                # seal to someone new nor re-key the provider away.  Leaving the old
                # holders costs nothing real, since items are never edited (what a holder
                # could read, they could keep).
                unpinned += 1
                continue
            outcome = _sync_item(store, keyring, item, wanted, held, rekey_due)
            changed += outcome > 0
            done = done and outcome >= 0
        rows = joint_rows.get(case.id)
        if rows:
            # The joint record's rows under their own keys (app.services.joint_seal).
            wanted_rows = joint_seal.joint_holders(rows, facts[case.id], ctx, viewers,
                                                   items, want)
            done = joint_seal.sync_case(store, rows, wanted_rows, joint_have) and done
        if done:
            finished.append(case.id)
    conn.execute("DELETE FROM key_sync_due WHERE case_id IN (SELECT value FROM json_each(?))",
                 (json.dumps(finished),))
    now = clock.utc_now_iso()
    conn.executemany("INSERT OR IGNORE INTO key_sync_due(case_id, since) VALUES (?, ?)",
                     [(cid, now) for cid in ids if cid not in finished])
    if unpinned:
        log.warning("%d item row(s) without a matching signed entry left as they are",
                    unpinned)
    if keyring.keeps_nothing:
        keyring.end_batch()
    return changed


def _sync_item(store: Store, keyring: Keyring, item: Item, want: frozenset[str],
               have: set[str], rekey_due: frozenset[int] = frozenset()) -> int:
    """1: changed, 0: nothing to do, -1: needs a holder of the key."""
    conn = store.conn
    if item.content is None and not item.body and not item.structured:
        # Nothing to protect: a destroyed item (issue 12) keeps no content and no seals.
        return 0
    if item.content is None:
        # Content still in clear (an import, a store from before envelope keys).
        _encrypt(store, keyring, item, item.body, item.structured, item.key_gen + 1, want)
        return 1
    if want == have and item.id not in rekey_due:
        return 0
    key = keyring.item_key(item.id, item.key_gen)
    lost = have - want
    if item.id in rekey_due and key is not None:
        lost = lost or {"(removed earlier)"}
    if key is None:
        # Who lost access loses the seal at once; re-keying waits for a holder, and the
        # item says so (a later holder sees the right seals but must still re-key).
        if lost:
            conn.execute("DELETE FROM item_keys WHERE item_id = ? AND holder IN"
                         " (SELECT value FROM json_each(?))", (item.id, json.dumps(sorted(lost))))
            conn.execute("UPDATE items SET rekey_due = 1 WHERE id = ?", (item.id,))
        return -1
    if lost:
        opened = keyring.decrypt(item.id, item.key_gen, item.content)
        if opened is None:
            return -1
        conn.execute("DELETE FROM item_keys WHERE item_id = ?", (item.id,))
        _encrypt(store, keyring, item, opened[0], opened[1], item.key_gen + 1, want)
        conn.execute("UPDATE items SET rekey_due = 0 WHERE id = ?", (item.id,))
        store.log("key.rekey", object_type="item", object_id=str(item.id),
                  attributes={"generation": item.key_gen + 1, "lost": len(lost)})
        return 1
    keyring.seal(item.id, item.key_gen, key, want - have)
    return 1


def _encrypt(store: Store, keyring: Keyring, item: Item, body: str,
             structured: dict[str, str] | None, key_gen: int, holders: frozenset[str]) -> None:
    key = envelope.new_key()
    blob = keyring.encrypt(item.id, key_gen, key, body, structured)
    store.conn.execute(
        "UPDATE items SET content = ?, key_gen = ?, has_parts = ?, body = '', structured = NULL"
        " WHERE id = ?", (blob, key_gen, int(bool(structured)), item.id))
    keyring.seal(item.id, key_gen, key, holders)


def sync_due(store: Store, ctx_for: object) -> int:
    """Finish what others could not (the cases in ``key_sync_due``) as far as this user's
    keys allow; run at login."""
    due = [int(r[0]) for r in store.conn.execute("SELECT case_id FROM key_sync_due")]
    return sync_cases(store, due, ctx_for) if due else 0


# -- renewing one's own keys ----------------------------------------------------------

def renew_own_keys(store: Store, old: str, new: str, kdf: KdfParams) -> None:
    """A new passphrase *and* new key pairs for the acting user: what someone else could
    have known (the administrator who set the first passphrase, the signing key a
    migration left) opens nothing afterwards.  The new signing key is vouched for by the
    old one; what was sealed to the user's old box key (their party keys, item keys sealed
    to them personally) is sealed again to the new one, in one transaction."""
    keyring = store.keyring
    signer = store.signer
    if keyring is None or signer is None:
        raise RuntimeError("the store has no envelope keys yet")
    me = store.user.username
    old_principal = keyring.current(user_principal(me))
    fresh = store.slots.renew_keys(me, old, new, store.data_key, kdf)
    if fresh.signing is None or old_principal is None:
        raise RuntimeError("renew_keys makes both key pairs")
    now = clock.utc_now_iso()
    try:
        with store.transaction():
            register_key(store.conn, store.store_id, me, envelope.raw_public(fresh.signing),
                         signer, now)
            new_signer = KeySigner.of(fresh.signing)
            version = register_principal(store.conn, store.store_id, user_principal(me),
                                         "user", store.user.party_id,
                                         envelope.raw_public(fresh.box), new_signer)
            # Item keys sealed to me personally, under the old key: open them now.
            mine = [(int(i), int(g)) for i, g in store.conn.execute(
                "SELECT item_id, key_gen FROM item_keys WHERE holder = ?",
                (user_principal(me),))]
            opened = {k: keyring.item_key(*k) for k in mine}
            # And the joint record's rows sealed to me (schema 14).
            rows = {(str(k), int(i), int(c), int(g)): joint_keys.row_key(
                keyring, store.conn, str(k), int(i), int(g)) for k, i, c, g in store.conn.execute(
                    "SELECT kind, row_id, case_id, key_gen FROM joint_keys WHERE holder = ?",
                    (user_principal(me),)).fetchall()}
            parties = {p: keyring.party_private(p.removeprefix("party:"))
                       for p in keyring.acts_as if p.startswith("party:")}
            store.conn.execute("DELETE FROM party_key_seals WHERE username = ?", (me,))
            store.bind_keys(fresh)
            new_ring = _keyring(store)
            principal = new_ring.current(user_principal(me))
            if principal is None or principal.version != version:
                raise RuntimeError("the renewed principal is not trusted")
            for pid, private in parties.items():
                party = new_ring.current(pid)
                if private is not None and party is not None:
                    seal_party_key(store.conn, store.store_id, party.id.removeprefix("party:"),
                                   party.version, private, me, principal)
            for (item_id, gen), key in opened.items():
                if key is not None:
                    new_ring.seal(item_id, gen, key, [user_principal(me)])
            for (kind, row_id, case_id, gen), key in rows.items():
                if key is not None:
                    joint_keys.seal(new_ring, store.conn, (kind, row_id, case_id), gen, key,
                                    [user_principal(me)])
            store.conn.execute("UPDATE users SET must_renew = 0 WHERE username = ?", (me,))
            store.log("session.keys_renewed", object_type="user", object_id=me,
                      attributes={"version": version})
    except BaseException:
        # The slot file on disk still holds the old keys; so must memory.
        store.slots = SlotFile.read(store.folder / SLOTS_NAME)
        store.bind_keys(store.slots.unlock_keys(me, old))
        raise
    store.write_slots()
    new_ring.reload()
