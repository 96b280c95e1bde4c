"""Who may excuse a rollback: the administrators of the chain a computer saw (issue 9).

A deliberate restore of an older backup writes a signed ``store.restore`` entry that names
the head it knowingly replaces, and a witness that saw that head then accepts the older
chain (:mod:`app.store.witness`).  That entry must not be something any user can write:
every user holds a signing key, so a participant with a script could copy an old backup
over the store, append their own "restore" and make every computer follow the rollback.
And it must not come from a *former* administrator either, whose key the older backup
still trusts.

So the witness remembers, with the head, who was an administrator in the chain it saw: the
root administrator and the users the root signed in as ``beheerder`` (``admin.user_add``,
``admin.user_vouch``) and whom no validly signed ``admin.user_remove`` took out since.  It
keeps them as tags (a hash of the witness id and the username), not names.  Only a restore
entry signed by one of them excuses a rollback of that head.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from app.domain.roles import Role

if TYPE_CHECKING:
    from sqlite3 import Connection

    from app.store.audit import AuditTrail

_ADD_EVENTS = ("admin.user_add", "admin.user_vouch")
_REMOVE_EVENT = "admin.user_remove"
_EVENTS = (*_ADD_EVENTS, _REMOVE_EVENT)
# Index of the username column in an entry as ``AuditTrail.valid_entry`` returns it.
_USERNAME = 8


def signer_of(entry: tuple[object, ...]) -> str:
    """The user who signed ``entry`` (as ``AuditTrail.valid_entry`` returns it: checked
    to be its key's owner)."""
    return str(entry[_USERNAME])


def tag(witness_id: str, username: str) -> str:
    """The witness's tag for ``username``: it says whether a restore's signer is one of the
    remembered administrators without writing usernames into the user's data folder."""
    return hashlib.sha256(f"{witness_id}\x00{username}".encode()).hexdigest()[:32]


def last_change(conn: Connection) -> int:
    """The seq of the newest entry that can change who administers (0: none); cheap, so
    the set is only recomputed when it moved."""
    row = conn.execute(
        "SELECT max(seq) FROM audit WHERE name IN (?, ?, ?) AND object_type = 'user'",
        _EVENTS).fetchone()
    return int(row[0] or 0)


def _root_user(conn: Connection) -> str | None:
    row = conn.execute(
        "SELECT k.username FROM signing_keys k JOIN meta m ON m.key = 'root_signing_key'"
        " AND m.value = k.key_id").fetchone()
    return None if row is None else str(row[0])


def administrators(conn: Connection, trail: AuditTrail) -> frozenset[str]:
    """The usernames that administer the store by its signed chain: the root, the users the
    root signed in as administrator, less those a valid ``admin.user_remove`` by one of
    them removed since (a row written with the data key counts for nothing here)."""
    root = _root_user(conn)
    if root is None:
        return frozenset()
    admins: set[str] = {root}
    for seq, name, object_id in conn.execute(
            "SELECT seq, name, object_id FROM audit WHERE name IN (?, ?, ?)"
            " AND object_type = 'user' ORDER BY seq", _EVENTS):
        entry = trail.valid_entry(int(seq))
        if entry is None:
            continue
        signer, user = signer_of(entry), str(object_id)
        if name == _REMOVE_EVENT:
            if signer in admins and user != root:
                admins.discard(user)
            continue
        if signer != root or user == root:
            continue
        try:
            role = json.loads(str(entry[-1]) or "{}").get("role")
        except (ValueError, AttributeError):
            continue
        if role == Role.BEHEERDER.value:
            admins.add(user)
        else:
            admins.discard(user)
    return frozenset(admins)
