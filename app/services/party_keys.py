"""Renewing a party's key pair when a member leaves (issue 9; docs/security.md §9.5).

Every participant of a party holds the party's private key, sealed to them.  A member who
leaves may have saved it; with a later copy of the store (and its data key) they would
open whatever was sealed to the party afterwards.  So when a member leaves, the root
administrator's app makes a new version of the party's key pair, certifies it (only the
root certifies parties) and seals it to the party's remaining members, not to the leaver;
the administrator's app forgets it at once.  From then on every new seal goes to the new
version.

The seals made before the renewal still name the old version.  The members hold both (the
keyring keeps former versions, :meth:`app.store.keyring.Keyring.former_versions`), and at
the login of the first of them :func:`move_party_seals` opens each old seal and seals the
same key again to the new version, item keys and joint-record row keys alike.  When no
seal names an old version any more, the old party key's own seals are deleted.  What the
leaver could open before they left they may have kept; nothing sealed after the renewal
opens with what they kept.
"""

from __future__ import annotations

import logging

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.crypto import envelope
from app.domain.principals import party_principal, user_principal
from app.domain.roles import Role
from app.errors import InputError
from app.i18n import N_
from app.policy.holders import PARTY_ROLES
from app.services import vouch
from app.store import joint_keys
from app.store.keyring import item_seal_aad, register_principal, seal_party_key
from app.store.store import Store

log = logging.getLogger(__name__)


def renew_party(store: Store, party_id: str) -> int | None:
    """Make a new version of ``party_id``'s key pair and seal it to its members (a user
    removed in the same transaction is none any more); returns how many got it.  The root
    administrator only, inside the caller's transaction.  A party without a key yet is
    left alone (None)."""
    signer = store.signer
    keyring = store.keyring
    party = party_principal(party_id)
    if signer is None or keyring is None or keyring.current(party) is None:
        return None
    if store.user.username != vouch.root_user(store):
        raise InputError(
            "keys.party_root_only",
            N_("Only the administrator who made the store can renew a party's key."))
    private = X25519PrivateKey.generate()
    version = register_principal(store.conn, store.store_id, party, "party", party_id,
                                 envelope.raw_public(private), signer)
    keyring.reload()
    members = 0
    for username in _members(store, party_id):
        user = keyring.current(user_principal(username))
        if user is None or user.party_id != party_id:
            continue
        seal_party_key(store.conn, store.store_id, party_id, version, private, username, user)
        members += 1
    # The administrator's app keeps no party key: this is the only reference to it.
    del private
    store.log("key.party_renewed", object_type="party", object_id=party_id,
              attributes={"version": version, "members": members})
    return members


_MADE = ("key.party_created", "key.party_renewed")


def renew_after_removals(store: Store) -> list[str]:
    """At the root administrator's login: renew the key of every party that a
    participant or case director left since its key was made or last renewed, when an
    administrator other than the root removed them (only the root certifies parties, so
    that removal could not renew it).  Taken from the signed chain, not from the rows:
    the removal by a validly signed administrator's ``admin.user_remove``, the leaver's
    party and role from the root's entries.  Returns the parties renewed."""
    keyring = store.keyring
    root = vouch.root_user(store)
    if store.signer is None or keyring is None or store.user.username != root:
        return []
    roles = vouch.roles(store) or {}
    conn = store.conn
    made: dict[str, int] = {}
    for seq, party in conn.execute(
            "SELECT seq, object_id FROM audit WHERE name IN (?, ?) AND object_type = 'party'",
            _MADE).fetchall():
        signed = vouch.signed_entry(store, int(seq))
        if signed is not None and signed[0] == root:
            made[str(party)] = max(made.get(str(party), 0), int(seq))
    due: set[str] = set()
    for seq, username in conn.execute(
            "SELECT seq, object_id FROM audit WHERE name = 'admin.user_remove'"
            " AND object_type = 'user'").fetchall():
        signed = vouch.signed_entry(store, int(seq))
        remover = roles.get(signed[0]) if signed is not None else None
        left = roles.get(str(username))
        if (remover is None or remover[0] is not Role.BEHEERDER or left is None
                or left[0] not in PARTY_ROLES):
            continue
        if int(seq) > made.get(left[1], 0) and keyring.current(party_principal(left[1])):
            due.add(left[1])
    for party_id in sorted(due):
        renew_party(store, party_id)
    return sorted(due)


def _members(store: Store, party_id: str) -> list[str]:
    """The party's participants and case directors by the root's signed roles (the users
    table alone can be edited by anyone with the data key), who chose their own
    passphrase (the others get the key from a colleague later)."""
    signed = vouch.roles(store)
    out = []
    for username, role in store.conn.execute(
            "SELECT username, role FROM users WHERE party_id = ? AND removed_at IS NULL"
            " AND must_renew = 0 ORDER BY username", (party_id,)):
        if Role(role) not in PARTY_ROLES:
            continue
        if signed is not None and signed.get(str(username)) != (Role(role), party_id):
            continue
        out.append(str(username))
    return out


def move_party_seals(store: Store) -> int:
    """Seal again, to the current version of each party this user holds a former version
    of, every key still sealed to that former version; then drop the former version's
    own seals once nothing names it.  Runs at login inside the caller's transaction;
    returns the number of seals moved."""
    keyring = store.keyring
    if keyring is None:
        return 0
    conn = store.conn
    moved = 0
    for pid, versions in keyring.former_versions().items():
        current = keyring.current(pid)
        if current is None:
            continue
        for item_id, gen, version, sealer, sealer_version, sealed in conn.execute(
                "SELECT item_id, key_gen, holder_version, sealer, sealer_version, sealed"
                " FROM item_keys WHERE holder = ? AND holder_version < ?",
                (pid, current.version)).fetchall():
            key = keyring.open_seal(pid, int(version), str(sealer), int(sealer_version),
                                    bytes(sealed),
                                    item_seal_aad(store.store_id, int(item_id), int(gen), pid))
            if key is not None and keyring.seal(int(item_id), int(gen), key, [pid]):
                moved += 1
        for kind, row_id, case_id, gen, version, sealer, sealer_version, sealed in conn.execute(
                "SELECT kind, row_id, case_id, key_gen, holder_version, sealer,"
                " sealer_version, sealed FROM joint_keys WHERE holder = ? AND holder_version < ?",
                (pid, current.version)).fetchall():
            key = keyring.open_seal(pid, int(version), str(sealer), int(sealer_version),
                                    bytes(sealed), joint_keys.seal_aad(
                                        store.store_id, str(kind), int(row_id), int(gen), pid))
            if key is not None and joint_keys.seal(keyring, conn, (str(kind), int(row_id),
                                                                   int(case_id)), int(gen),
                                                   key, [pid]):
                moved += 1
        left = sum(int(conn.execute(
            f"SELECT count(*) FROM {table} WHERE holder = ? AND holder_version < ?",
            (pid, current.version)).fetchone()[0]) for table in ("item_keys", "joint_keys"))
        if left == 0:
            party_id = pid.removeprefix("party:")
            conn.execute("DELETE FROM party_key_seals WHERE party_id = ? AND party_version < ?",
                         (party_id, current.version))
            store.log("key.party_moved", object_type="party", object_id=party_id,
                      attributes={"version": current.version, "former": versions})
        else:
            # Seals this user could not open (made by a sealer whose key is not trusted):
            # kept, and the former key with them, for a colleague to try.
            log.warning("%d seal(s) of a former party key could not be moved", left)
    if moved:
        keyring.reload()
    return moved
