"""Repairing the slot file after a crash between it and the database.

The slot file and the ``users`` table are two files that cannot be committed together.
The rule (issue 9, hardening): a slot is written to disk only for a user who is already
committed, so a crash leaves at worst a committed user *without* a slot (who cannot log in:
:func:`slotless_users`, :func:`issue_slots`), never a slot without a user.

A slot without a user, an *orphan*, is what older versions could leave behind (the import
wrote the slot file before its COMMIT), and what a removed user's slot becomes if the slot
file was not rewritten.  An orphan opens the data key, no user command can remove it (there
is no user to name) and ``rotate`` reseals the new key to it: :func:`prune_orphan_slots`
removes orphans.  Both repairs are audited with counts only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app import clock
from app.crypto.keyslots import KdfParams, normalise_username
from app.errors import InputError
from app.i18n import N_
from app.store.store import Store

log = logging.getLogger(__name__)


def _active_users(store: Store) -> list[str]:
    return [str(r[0]) for r in store.conn.execute(
        "SELECT username FROM users WHERE removed_at IS NULL ORDER BY username")]


def orphan_slot_ids(store: Store) -> list[str]:
    """The slot ids in the slot file that belong to no user in ``users`` who is not
    removed (in slot-file order)."""
    wanted = {store.slots.slot_id_for(name) for name in _active_users(store)}
    return [slot.slot_id for slot in store.slots.slots if slot.slot_id not in wanted]


def prune_orphan_slots(store: Store) -> int:
    """Remove the orphan slots, write the slot file and log ``admin.slot_pruned`` (the
    count only); return how many went.  Nothing is written when there are none.

    Run it before ``rotate`` (so the new data key is not sealed to an orphan) and after a
    crash; it needs the store lock, i.e. an open store.
    """
    orphans = set(orphan_slot_ids(store))
    if not orphans:
        return 0
    before = list(store.slots.slots)
    store.slots.slots = [s for s in before if s.slot_id not in orphans]
    try:
        with store.transaction():
            store.log("admin.slot_pruned", object_type="store",
                      object_id=store.meta("store_id"), attributes={"count": len(orphans)})
            # Inside the transaction: if writing fails, the entry is rolled back with it.
            store.write_slots()
    except BaseException:
        store.slots.slots = before
        raise
    log.warning("pruned %d orphan key slot(s)", len(orphans))
    return len(orphans)


def slotless_users(store: Store) -> list[str]:
    """Users who are not removed but have no slot: a crash came between committing them
    and writing the slot file.  They cannot log in until :func:`issue_slots`."""
    return [name for name in _active_users(store) if store.slots.find(name) is None]


def issue_slots(store: Store, usernames: Sequence[str], passphrase: str,
                kdf: KdfParams) -> int:
    """Give each of ``usernames`` (all in :func:`slotless_users`) a slot with
    ``passphrase``; log ``admin.slot_issued`` (the count only); return the count.  The
    administrator chose that passphrase, so each of them must choose their own (and new
    keys with it) at their first login, as after ``users add``.

    The audit entry is committed before the slot file is written: a crash in between
    leaves an entry for slots that must be issued again, never a slot nobody logged.
    """
    missing = set(slotless_users(store))
    names = list(dict.fromkeys(normalise_username(u) for u in usernames))
    if not names or any(name not in missing for name in names):
        raise InputError(
            "user.has_slot",
            N_("Only users who are in the store but cannot log in get a new key slot."),
        )
    before = list(store.slots.slots)
    try:
        for name in names:
            store.slots.add(name, passphrase, store.data_key, kdf)
        with store.transaction():
            for name in names:
                _register_new_keys(store, name)
                store.conn.execute("UPDATE users SET must_renew = 1 WHERE username = ?",
                                   (name,))
            store.log("admin.slot_issued", object_type="store",
                      object_id=store.meta("store_id"), attributes={"count": len(names)})
        store.write_slots()
    except BaseException:
        store.slots.slots = before
        raise
    return len(names)


def _register_new_keys(store: Store, username: str) -> None:
    """A new slot holds new key pairs: register them, vouched for by the administrator, so
    the user can sign and receive seals again (issue 9).  What was sealed to their old key
    is handed over again by colleagues (party keys) or the holders (items)."""
    from app.crypto.envelope import fingerprint
    from app.domain.principals import user_principal
    from app.store.keyring import register_principal
    from app.store.signing import register_key

    if store.signer is None or not store.envelope:
        return
    box_public, signing_public = store.slots.public_keys(username)
    row = store.conn.execute("SELECT party_id FROM users WHERE username = ?",
                             (username,)).fetchone()
    known = store.conn.execute("SELECT 1 FROM signing_keys WHERE key_id = ?",
                               (fingerprint(signing_public),)).fetchone()
    if signing_public and not known:
        register_key(store.conn, store.store_id, username, signing_public, store.signer,
                     clock.utc_now_iso())
    register_principal(store.conn, store.store_id, user_principal(username), "user",
                       str(row[0]), box_public, store.signer)
