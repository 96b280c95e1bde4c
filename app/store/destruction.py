"""Destroying case data so it is really gone: in the store file, in the backups inside the
store folder, and in any copy restored later (issue 12; ZVH 11.2-11.8, WO 9.8, OND 11.2).

:func:`destroy` is the one piece of SQL that destroys, run on the live store by the
destruction run (:mod:`app.services.retention`), on every backup under ``<store>/backups``
(:func:`clean_backups`) and on a restored or copied store by :func:`replay`.  For an item:
its key seals go (without a seal nobody can open the content any more, whatever copy of
the key material they hold) and so do its ciphertext and any clear body; for a whole case
also the free text of the joint record and of the persons, keeping only the non-personal
management metadata (phase, dates, profile, counts: ZVH 11.7, OND 11.3).  The ids go into
the ``destroyed`` ledger.  :func:`compact` then rebuilds the file (``secure_delete`` is on,
the journal is a rollback journal; VACUUM leaves no freed page behind).

The ledger is also kept outside the store, in this computer's witness folder
(:func:`app.store.witness.remember_destruction`), signed by the approver: a backup made
before the run and restored later, or an old copy put in place, is brought in line by
:func:`replay` when it is opened, before anyone reads (docs/security.md, "Retention and
destruction").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.crypto.envelope import b64, fingerprint, unb64
from app.errors import StoreError
from app.store import witness
from app.store.connection import Connection, open_connection
from app.store.layout import BACKUP_DIR, DB_NAME
from app.store.migrations import migrate
from app.store.signing import Signer, certification_message, root_key_id, trusted_keys

if TYPE_CHECKING:
    from app.store.store import Store

log = logging.getLogger(__name__)

_LEDGER_DOMAIN = b"casustafel destruction ledger v1\x00"
REPLAY_EVENT = "retention.replay"


@dataclass(frozen=True)
class Destruction:
    """What one run destroys: per rule (clock id), the whole cases and the single items."""

    run_uid: str
    day: str  # ISO date the destruction is recorded with
    cases: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    items: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def case_ids(self) -> list[int]:
        """Every whole case, sorted."""
        return sorted({c for ids in self.cases.values() for c in ids})

    @property
    def item_ids(self) -> list[int]:
        """Every single item (not counting the items of the whole cases), sorted."""
        return sorted({i for ids in self.items.values() for i in ids})


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted(set(values)))


_IN = " IN (SELECT value FROM json_each(?))"

# The joint record's free text, per table and column: everything told about the case
# in words.  Codes, dates, parties and counts stay (ZVH 11.7).
_CASE_TEXT = (
    ("decisions", "text", "''"), ("goals", "text", "''"), ("actions", "text", "''"),
    ("progress", "text", "''"), ("agenda_notes", "text", "''"),
    # Why a row of the joint record was corrected (schema 13) may describe the case.
    ("decisions", "correction_reason", "''"), ("goals", "correction_reason", "''"),
    ("actions", "correction_reason", "''"), ("progress", "correction_reason", "''"),
    ("phase_history", "note", "''"), ("invitations", "reason", "''"),
    ("grants", "necessity", "''"), ("consents", "purpose", "''"),
    ("consents", "basis_note", "''"),
    ("persons", "not_informed_reason", ("CASE WHEN not_informed_reason IS NULL THEN NULL"
                                       " ELSE '' END")),
    ("retention_extensions", "motivation", "''"),
)


def destroy(conn: Connection, plan: Destruction) -> tuple[int, int]:
    """Destroy ``plan`` on ``conn`` inside the caller's transaction; returns the number of
    (cases, items) destroyed now (what was destroyed before is left as it is)."""
    case_ids = [int(r[0]) for r in conn.execute(
        "SELECT id FROM cases WHERE destroyed_on IS NULL AND id" + _IN,
        (_ids(plan.case_ids),))]
    item_ids = [int(r[0]) for r in conn.execute(
        "SELECT id FROM items WHERE destroyed_on IS NULL AND (id" + _IN
        + " OR case_id" + _IN + ")", (_ids(plan.item_ids), _ids(plan.case_ids)))]
    items = _ids(item_ids)
    conn.execute("DELETE FROM item_keys WHERE item_id" + _IN, (items,))
    conn.execute(
        "UPDATE items SET content = NULL, body = '', structured = NULL, has_parts = 0,"
        " correction_note = '', rekey_due = 0, destroyed_on = ? WHERE id" + _IN,
        (plan.day, items))
    # A party's reason for withholding a destroyed item may describe it.
    conn.execute("UPDATE dsr_withheld SET reason = '' WHERE item_id" + _IN, (items,))
    cases = _ids(case_ids)
    conn.execute(
        "UPDATE cases SET goal = '', themes = '[]', plan_problem = '', plan_monitoring = '',"
        " plan_informing = '', plan_exit_criteria = '',"
        " close_reason = CASE WHEN close_reason IS NULL THEN NULL ELSE '' END,"
        " close_basis = CASE WHEN close_basis IS NULL THEN NULL ELSE '' END,"
        " destroyed_on = ? WHERE id" + _IN, (plan.day, cases))
    for table, column, value in _CASE_TEXT:
        conn.execute(f"UPDATE {table} SET {column} = {value} WHERE case_id" + _IN,
                     (cases,))
    conn.execute("DELETE FROM key_sync_due WHERE case_id" + _IN, (cases,))
    rows = [("case", cid, plan.run_uid, rule) for rule, ids in plan.cases.items()
            for cid in ids]
    rows += [("item", iid, plan.run_uid, rule) for rule, ids in plan.items.items()
             for iid in ids]
    conn.executemany("INSERT OR IGNORE INTO destroyed(kind, object_id, run_uid, rule)"
                     " VALUES (?, ?, ?, ?)", rows)
    return len(case_ids), len(item_ids)


def compact(conn: Connection) -> None:
    """Rebuild the database file so no freed page holds destroyed content (outside any
    transaction).  The store keeps a rollback journal; the checkpoint is for a database
    someone switched to WAL."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.execute("VACUUM")


# --------------------------------------------------------------------------- backups


@dataclass(frozen=True)
class BackupCleaning:
    """Which backups in the store folder were cleaned, and which could not be opened with
    the store's key (their folder names only)."""

    cleaned: tuple[str, ...]
    failed: tuple[str, ...]


def internal_backups(folder: Path) -> list[Path]:
    """Every backup folder under ``<store>/backups`` (automatic and pre-restore copies);
    symlinks are never followed."""
    root = folder / BACKUP_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and not p.is_symlink() and (p / DB_NAME).is_file())


def clean_backups(store: Store, plan: Destruction) -> BackupCleaning:
    """Apply ``plan`` to every backup inside the store folder and compact it.  A backup
    under another data key (a pre-restore copy of another generation) cannot be opened
    with this store's key: it is reported, and the ledger replays into it if it is ever
    restored here."""
    cleaned: list[str] = []
    failed: list[str] = []
    for backup in internal_backups(store.folder):
        try:
            conn = open_connection(backup / DB_NAME, store.data_key)
        except StoreError:
            failed.append(backup.name)
            continue
        try:
            migrate(conn)
            conn.execute("BEGIN IMMEDIATE")
            try:
                destroy(conn, plan)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            compact(conn)
        finally:
            conn.close()
        cleaned.append(backup.name)
    return BackupCleaning(tuple(cleaned), tuple(failed))


# --------------------------------------------------------------------------- the ledger


def _canonical(doc: Mapping[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _message(store_id: str, body: Mapping[str, Any]) -> bytes:
    return _LEDGER_DOMAIN + store_id.encode() + b"\x00" + _canonical(body)


def _key_chain(conn: Connection, key_id: str) -> list[dict[str, str]]:
    """The signing-key rows from ``key_id`` up to (not including) the root: what an older
    copy of the store needs to trust the approver's key."""
    chain: list[dict[str, str]] = []
    current: str | None = key_id
    while current is not None and len(chain) < 64:
        row = conn.execute("SELECT key_id, username, public, certified_by, cert_sig"
                           " FROM signing_keys WHERE key_id = ?", (current,)).fetchone()
        if row is None or row[3] is None:
            break
        chain.append({"key_id": str(row[0]), "username": str(row[1]),
                      "public": bytes(row[2]).hex(), "certified_by": str(row[3]),
                      "cert_sig": b64(bytes(row[4]))})
        current = str(row[3])
    return chain


def ledger_entry(conn: Connection, store_id: str, plan: Destruction, signer: Signer
                 ) -> dict[str, Any]:
    """The witness copy of one run: ids per rule, signed by the approver, with the chain of
    certifications that makes the approver's key trusted in an older copy."""
    body: dict[str, Any] = {
        "run_uid": plan.run_uid, "day": plan.day, "root_key": root_key_id(conn),
        "cases": {rule: sorted(ids) for rule, ids in plan.cases.items()},
        "items": {rule: sorted(ids) for rule, ids in plan.items.items()},
        "signer": signer.key_id,
    }
    return {**body, "keys": _key_chain(conn, signer.key_id),
            "sig": b64(signer.sign(_message(store_id, body)))}


def _trusted_signer(conn: Connection, store_id: str, entry: Mapping[str, Any]) -> bytes | None:
    """The public key of the entry's signer if this store trusts it, or if the entry's own
    chain of certifications leads to a key it trusts (only the root enrols other users;
    anyone else only renews their own key, as in :func:`trusted_keys`)."""
    trusted = {k: (u, p) for k, (u, p) in trusted_keys(conn, store_id).items()}
    root = root_key_id(conn)
    root_user = trusted[root][0] if root in trusted else None
    rows = [r for r in entry.get("keys", []) if isinstance(r, dict)]
    grew = True
    while grew:
        grew = False
        for row in rows:
            key_id, by = str(row.get("key_id")), str(row.get("certified_by"))
            if key_id in trusted or by not in trusted:
                continue
            try:
                public = bytes.fromhex(str(row["public"]))
                username = str(row["username"])
                if fingerprint(public) != key_id or trusted[by][0] not in {root_user,
                                                                            username}:
                    continue
                Ed25519PublicKey.from_public_bytes(trusted[by][1]).verify(
                    unb64(str(row["cert_sig"])),
                    certification_message(store_id, key_id, username, public))
            except (KeyError, ValueError, InvalidSignature):
                continue
            trusted[key_id] = (username, public)
            grew = True
    found = trusted.get(str(entry.get("signer")))
    return found[1] if found else None


def entry_valid(conn: Connection, store_id: str, entry: Mapping[str, Any]) -> bool:
    """Whether a witness ledger entry is signed by a key this store trusts (directly or
    through the entry's chain) and belongs to this store's root."""
    public = _trusted_signer(conn, store_id, entry)
    if public is None or entry.get("root_key") != root_key_id(conn):
        return False
    body = {k: v for k, v in entry.items() if k not in {"keys", "sig"}}
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(unb64(str(entry["sig"])),
                                                          _message(store_id, body))
    except (KeyError, ValueError, InvalidSignature):
        return False
    return True


def _plan_of(entry: Mapping[str, Any]) -> Destruction:
    def ids(part: object) -> dict[str, tuple[int, ...]]:
        if not isinstance(part, dict):
            return {}
        return {str(rule): tuple(int(i) for i in values) for rule, values in part.items()
                if isinstance(values, list)}

    return Destruction(str(entry["run_uid"]), str(entry["day"]), ids(entry.get("cases")),
                       ids(entry.get("items")))


def replay(store: Store) -> int:
    """Apply every run this computer remembers for the store (its witness ledger) that the
    store does not hold yet: a backup made before a run, restored or put in place, loses
    what the run destroyed before anyone reads it.  Returns the number of runs replayed.

    An entry that is not validly signed by a key the store trusts is skipped (and logged):
    the ledger can only ever make Casustafel destroy more, so a forged one must not either.
    """
    entries = witness.destructions(store.store_id)
    if not entries or store.signer is None or not _has_ledger(store.conn):
        return 0
    known = {str(r[0]) for r in store.conn.execute("SELECT run_uid FROM retention_runs")}
    replayed = 0
    for entry in entries:
        uid = str(entry.get("run_uid"))
        if uid in known:
            continue
        if not entry_valid(store.conn, store.store_id, entry):
            log.warning("a destruction ledger entry was not validly signed; it is skipped")
            continue
        plan = _plan_of(entry)
        with store.transaction():
            cases, items = destroy(store.conn, plan)
            seq = store.log(REPLAY_EVENT, object_type="retention_run", object_id=uid,
                            attributes={"cases": cases, "items": items, "day": plan.day})
            store.conn.execute(
                "INSERT INTO retention_runs(run_uid, audit_seq, run_on, approved_by, cases,"
                " items, replayed, created_at) VALUES (?,?,?,?,?,?,1,?)",
                (uid, seq, plan.day, store.user.username, cases, items, _now()))
        replayed += 1
    if replayed:
        try:
            compact(store.conn)
        except Exception as error:  # noqa: BLE001 - secure_delete already zeroed the cells
            log.warning("the store was not compacted after a replay: %s", type(error).__name__)
    return replayed


def _has_ledger(conn: Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                        " AND name = 'retention_runs'").fetchone() is not None


def _now() -> str:
    from app import clock

    return clock.utc_now_iso()
