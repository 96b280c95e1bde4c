"""Witnesses of the audit chain outside the store folder (issue 9).

Every computer that opens a store remembers, in the user's own data folder, the newest
audit entry it has seen of that store: ``<user data dir>/witness/<store id>.json`` with the
store id, the entry's seq and hash, the store's root signing key id and tags of the
store's administrators at that head (app.store.restorers).  No usernames, no event names,
nothing about cases.  ``CASUSTAFEL_WITNESS_DIR`` overrides the folder (tests).

Copying an older backup over the whole store folder (database, key slots and head file
together) fools every check *inside* the folder; it does not fool a computer that saw a
later entry.  :func:`check` refuses such a store (``store.rolled_back``), and a store whose
entry at the remembered seq has another hash or that is signed under another root key
(``store.forked``).  A deliberate restore is audited: ``app.store.backup.restore`` writes a
``store.restore`` entry with :func:`superseded_attributes`, the head it knowingly
replaces, and a witness whose head is at or before that one accepts the restored store
(and then follows it), when the entry's signer was an administrator of the chain the
witness saw: not any user, and not a former administrator whose key an older backup
still trusts.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from app import paths
from app.errors import StoreError
from app.fsutil import atomic_write
from app.i18n import N_

if TYPE_CHECKING:
    from app.store.audit import AuditTrail

log = logging.getLogger(__name__)

ENV_DIR = "CASUSTAFEL_WITNESS_DIR"
RESTORE_EVENT = "store.restore"
SUPERSEDED_SEQ = "superseded_seq"
SUPERSEDED_HASH = "superseded_hash"
_FORMAT = 2  # 2: with the administrators' tags
_LEDGER_FORMAT = 1
_STORE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def location_id(store_id: str, folder: Path) -> str:
    """The witness name of one store *at one place*: a copy of the store in another folder
    is another store to this computer (its own chain from then on), while an older copy
    put in place of the folder it opens is caught."""
    import hashlib

    where = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return f"{store_id}-{where}"


def witness_dir() -> Path:
    """The folder of this user's witness files."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    # In portable mode beside the program, like the settings (app/paths.py).
    return paths.data_dir() / "witness"


def _path(store_id: str) -> Path:
    if not _STORE_ID.match(store_id):
        raise ValueError("unexpected store id")
    return witness_dir() / f"{store_id}.json"


class _Seen(NamedTuple):
    """What a witness file remembers of one store at one place."""

    seq: int
    entry_hash: str
    root_key: str
    # Tags of the store's administrators at that head (app.store.restorers); None in a
    # witness written before they were kept.
    restorers: frozenset[str] | None


def _read(store_id: str) -> _Seen | None:
    """What this computer remembers; None when there is nothing or it is unreadable."""
    try:
        doc = json.loads(_path(store_id).read_bytes())
        if doc["store_id"] != store_id:
            raise ValueError("witness of another store")
        tags = doc.get("restorers")
        restorers = None if tags is None else frozenset(str(t) for t in tags)
        return _Seen(int(doc["seq"]), str(doc["hash"]), str(doc["root_key"]), restorers)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # Only this user can write here; a damaged file protects nothing and is replaced.
        log.warning("audit witness file unreadable; it is written anew")
        return None


def _write(store_id: str, seq: int, entry_hash: str, root_key: str,
           restorers: frozenset[str]) -> None:
    doc = {"format": _FORMAT, "store_id": store_id, "seq": seq, "hash": entry_hash,
           "root_key": root_key, "restorers": sorted(restorers)}
    path = _path(store_id)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, json.dumps(doc, sort_keys=True).encode())


def remember(store_id: str, seq: int, entry_hash: str, root_key: str,
             restorers: frozenset[str]) -> None:
    """Remember that this computer saw entry ``seq`` with ``entry_hash``, and who
    administered the store then; only ever moves forward (an older or equal seq, or
    another root key, leaves the witness as it is)."""
    seen = _read(store_id)
    if seen is not None and (seq <= seen.seq or root_key != seen.root_key):
        return
    _write(store_id, seq, entry_hash, root_key, restorers)


# --------------------------------------------------------------------------- destructions
# The destruction ledger (issue 12): every destruction run this computer made or saw, per
# store id (not per place: a copy of the store elsewhere is replayed too), so a backup made
# before a run cannot bring destroyed data back (app.store.destruction.replay).  Ids of
# cases and items, rule ids, a date and the approver's signature: no content, no names.


def _ledger_path(store_id: str) -> Path:
    if not _STORE_ID.match(store_id):
        raise ValueError("unexpected store id")
    return witness_dir() / f"{store_id}.destroyed.json"


def destructions(store_id: str) -> list[dict[str, object]]:
    """The destruction runs remembered for ``store_id`` (oldest first); [] when none or
    unreadable (logged)."""
    try:
        doc = json.loads(_ledger_path(store_id).read_bytes())
        entries = doc["runs"]
        if doc["store_id"] != store_id or not isinstance(entries, list):
            raise ValueError("ledger of another store")
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("destruction ledger unreadable; it is not replayed")
        return []
    return [e for e in entries if isinstance(e, dict)]


def remember_destruction(store_id: str, entry: dict[str, object]) -> None:
    """Add one run's signed ledger entry (idempotent per ``run_uid``)."""
    entries = [e for e in destructions(store_id) if e.get("run_uid") != entry.get("run_uid")]
    entries.append(entry)
    path = _ledger_path(store_id)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, json.dumps({"format": _LEDGER_FORMAT, "store_id": store_id,
                                   "runs": entries}, sort_keys=True).encode())


def superseded_attributes(store_id: str) -> dict[str, object]:
    """The attributes of the ``store.restore`` entry: the head this computer remembers and
    the restore knowingly replaces (empty when it remembers none)."""
    seen = _read(store_id)
    if seen is None:
        return {}
    return {SUPERSEDED_SEQ: seen.seq, SUPERSEDED_HASH: seen.entry_hash}


def _restore_covers(store_id: str, trail: AuditTrail, seen: _Seen) -> bool:
    """Whether a valid, signed ``store.restore`` entry supersedes the remembered head: it
    names that head (seq and hash) or a later one of the replaced chain, and its signer
    administered the store in the chain this computer saw (app.store.restorers).  A
    witness from before the tags were kept falls back on the administrators of the
    restored chain itself."""
    from app.store import restorers

    allowed = seen.restorers if seen.restorers is not None else trail.restorer_tags()
    for seq in reversed(trail.entries_named(RESTORE_EVENT)):
        entry = trail.valid_entry(seq)
        if entry is None or restorers.tag(store_id, restorers.signer_of(entry)) not in allowed:
            continue
        try:
            attrs = json.loads(str(entry[-1]))
            named_seq, named_hash = int(attrs[SUPERSEDED_SEQ]), str(attrs[SUPERSEDED_HASH])
        except (ValueError, KeyError, TypeError):
            continue
        if named_seq > seen.seq or (named_seq == seen.seq
                                    and hmac.compare_digest(named_hash, seen.entry_hash)):
            return True
    return False


def check(store_id: str, trail: AuditTrail, root_key: str) -> None:
    """Refuse a store whose chain is behind or forks from what this computer saw.

    ``store.rolled_back``: the chain ends before the remembered entry.  ``store.forked``:
    the entry at the remembered seq has another hash, or the store is signed under
    another root key.  A behind or forked chain is accepted when it holds a valid
    ``store.restore`` entry superseding the remembered head; the witness then follows the
    restored chain.  Another root key is never accepted.
    """
    seen = _read(store_id)
    if seen is None:
        return
    seen_seq, seen_hash, seen_root = seen.seq, seen.entry_hash, seen.root_key
    head = trail.head()
    have_seq = head[0] if head is not None else 0
    params = {"seen": seen_seq, "have": have_seq}
    if not hmac.compare_digest(seen_root, root_key):
        raise StoreError(
            "store.forked",
            N_("This store's audit trail is signed under another root key than the one this "
               "computer saw (it saw entry {seen}; the store ends at entry {have}). The store "
               "may have been replaced; ask the administrator to check it."),
            params,
        )
    if have_seq >= seen_seq and hmac.compare_digest(trail.entry_hash_at(seen_seq) or "",
                                                    seen_hash):
        return
    if head is not None and _restore_covers(store_id, trail, seen):
        # From now on the witness follows the restored chain and its administrators.
        _write(store_id, head[0], head[1], root_key, trail.restorer_tags())
        return
    if have_seq < seen_seq:
        raise StoreError(
            "store.rolled_back",
            N_("This store's audit trail ends at entry {have}, but this computer saw it "
               "reach entry {seen}: entries {first} to {seen} are missing. An older copy "
               "may have been put in place of the store; ask the administrator to check it, "
               "or restore it deliberately."),
            {**params, "first": have_seq + 1},
        )
    raise StoreError(
        "store.forked",
        N_("Entry {seen} of this store's audit trail differs from the one this computer saw "
           "(the store ends at entry {have}). The store may have been replaced or altered; "
           "ask the administrator to check it."),
        params,
    )
