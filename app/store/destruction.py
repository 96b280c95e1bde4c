"""Destroying case data so it is really gone: in the store file, in the backups inside the
store folder, and in any copy restored later (issue 12; ZVH 11.2-11.8, WO 9.8, OND 11.2).

:func:`destroy` is the one piece of SQL that destroys, run on the live store by the
destruction run (:mod:`app.services.retention`), on every backup under ``<store>/backups``
(:func:`clean_backups`) and on a restored or copied store by :func:`replay`.  For an item:
its key seals go (without a seal nobody can open the content any more, whatever copy of
the key material they hold) and so do its ciphertext and any clear body; for a whole case
also the free text of the joint record and of the persons, keeping only the non-personal
management metadata (phase, dates, profile, counts: ZVH 11.7, OND 11.3).  The ids go into
the ``destroyed`` ledger.  Register lines past their own term (the OM disclosure records,
ZVH 17.5) are deleted whole: the registers are append-only and cross-checked with the signed
audit chain, so every deletion is named, row by row, in a signed
``retention.register_destroyed`` entry (and, in a cleaned backup, by the approver's signed
ledger entry kept in its ``meta``), which is what lets ``audit verify`` accept the missing
rows (:mod:`app.store.audit`).  :func:`compact` then rebuilds the file (``secure_delete`` is on,
the journal is a rollback journal; VACUUM leaves no freed page behind).

The ledger is also kept outside the store, in this computer's witness folder
(:func:`app.store.witness.remember_destruction`), signed by the approver: a backup made
before the run and restored later, or an old copy put in place, is brought in line by
:func:`replay` when it is opened, before anyone reads (docs/security.md, "Retention and
destruction").
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.crypto.envelope import b64, fingerprint, unb64
from app.errors import StoreError
from app.store import witness
from app.store.connection import Connection, open_connection
from app.store.joint_keys import NOTES as JOINT_NOTES
from app.store.joint_keys import REASONED
from app.store.joint_keys import TABLES as JOINT_TABLES
from app.store.layout import BACKUP_DIR, DB_NAME
from app.store.migrations import migrate
from app.store.signing import Signer, certification_message, root_key_id, trusted_keys

if TYPE_CHECKING:
    from app.store.store import Store

log = logging.getLogger(__name__)

_LEDGER_DOMAIN = b"casustafel destruction ledger v1\x00"
REPLAY_EVENT = "retention.replay"
REGISTER_EVENT = "retention.register_destroyed"
"""The signed entry that names the register lines a run (or a replay) deleted."""

REGISTER_TABLES: Mapping[str, str] = {"disclosures": "disclosure", "reports": "report.generate"}
"""The registers whose lines a clock may destroy: table -> the audit event of each row."""

LEDGER_META = "destruction.ledger."
"""``meta`` key prefix (+ run uid) of the approver's signed ledger entry of a run that
deleted register lines, kept in every copy the run cleaned (see :func:`store_ledger`)."""

Line = tuple[int, int]
"""A register line: (row id, the audit seq of the entry the row belongs to)."""


@dataclass(frozen=True)
class RegisterCut:
    """The lines of one register destroyed under one rule (its article kept for the
    signed entry and the replay, which have no profile at hand)."""

    table: str
    rule: str
    article: str
    lines: tuple[Line, ...]

    def to_json(self) -> dict[str, Any]:
        """The cut as the ledger holds it."""
        return {"table": self.table, "rule": self.rule, "article": self.article,
                "lines": [list(line) for line in sorted(self.lines)]}


@dataclass(frozen=True)
class Destruction:
    """What one run destroys: per rule (clock id), the whole cases and the single items,
    and the register lines past their term."""

    run_uid: str
    day: str  # ISO date the destruction is recorded with
    cases: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    items: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    registers: tuple[RegisterCut, ...] = ()

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
    ("invitation_reasons", "reason", "''"),
    ("grants", "necessity", "''"), ("consents", "purpose", "''"),
    ("consents", "basis_note", "''"),
    ("persons", "not_informed_reason", ("CASE WHEN not_informed_reason IS NULL THEN NULL"
                                       " ELSE '' END")),
    ("retention_extensions", "motivation", "''"),
)


class Destroyed(NamedTuple):
    """What one application of a plan destroyed now: cases, items, and the register lines
    per cut (only the lines that were still there)."""

    cases: int
    items: int
    registers: tuple[RegisterCut, ...]

    @property
    def lines(self) -> int:
        """Register lines deleted."""
        return sum(len(cut.lines) for cut in self.registers)


def destroy(conn: Connection, plan: Destruction) -> Destroyed:
    """Destroy ``plan`` on ``conn`` inside the caller's transaction; returns what was
    destroyed now (what was destroyed before is left as it is)."""
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
        " plan_informing = '', plan_exit_criteria = '', plan_content = NULL,"
        " plan_rekey_due = 0,"
        " close_reason = CASE WHEN close_reason IS NULL THEN NULL ELSE '' END,"
        " close_basis = CASE WHEN close_basis IS NULL THEN NULL ELSE '' END,"
        " destroyed_on = ? WHERE id" + _IN, (plan.day, cases))
    for table, column, value in _CASE_TEXT:
        conn.execute(f"UPDATE {table} SET {column} = {value} WHERE case_id" + _IN,
                     (cases,))
    # The joint record's words under their row keys (schema 14): content and keys go.
    conn.execute("DELETE FROM joint_keys WHERE case_id" + _IN, (cases,))
    for kind, table in JOINT_TABLES.items():
        # Why a row was corrected is under its key too (schema 17).
        why = ", reason_content = NULL" if kind in REASONED else ""
        conn.execute(f"UPDATE {table} SET content = NULL, rekey_due = 0{why} WHERE case_id"
                     + _IN, (cases,))
    # The case's own notes under their row keys (schema 18).
    for table, _fields in JOINT_NOTES.values():
        conn.execute(f"UPDATE {table} SET content = NULL, rekey_due = 0 WHERE case_id" + _IN,
                     (cases,))
    conn.execute("DELETE FROM key_sync_due WHERE case_id" + _IN, (cases,))
    rows = [("case", cid, plan.run_uid, rule) for rule, ids in plan.cases.items()
            for cid in ids]
    rows += [("item", iid, plan.run_uid, rule) for rule, ids in plan.items.items()
             for iid in ids]
    conn.executemany("INSERT OR IGNORE INTO destroyed(kind, object_id, run_uid, rule)"
                     " VALUES (?, ?, ?, ?)", rows)
    return Destroyed(len(case_ids), len(item_ids), _destroy_registers(conn, plan.registers))


def _destroy_registers(conn: Connection, cuts: Sequence[RegisterCut]
                       ) -> tuple[RegisterCut, ...]:
    """Delete the named register lines that are still there; return those deleted.

    A row goes only if both its id and its audit seq are the ones named (a row is known to
    ``audit verify`` by its entry).  The append-only trigger is dropped for the one DELETE
    and created again from its own stored SQL, inside the caller's transaction, so a
    failure rolls both back; the trigger guards against mistakes, not against someone with
    the data key (that is what the signed chain is for)."""
    done: list[RegisterCut] = []
    for cut in cuts:
        if cut.table not in REGISTER_TABLES:
            raise ValueError("not a register whose lines a clock destroys")
        pairs = json.dumps(sorted([int(i), int(s)] for i, s in cut.lines))
        named = ("(id, audit_seq) IN (SELECT json_extract(value, '$[0]'),"
                 " json_extract(value, '$[1]') FROM json_each(?))")
        present = tuple(sorted((int(i), int(s)) for i, s in conn.execute(
            f"SELECT id, audit_seq FROM {cut.table} WHERE {named}", (pairs,))))
        if not present:
            continue
        trigger = f"{cut.table}_no_delete"
        row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                           " AND name = ?", (trigger,)).fetchone()
        if row is not None:
            conn.execute(f'DROP TRIGGER "{trigger}"')
        conn.execute(f"DELETE FROM {cut.table} WHERE {named}", (pairs,))
        if row is not None:
            conn.execute(str(row[0]))
        done.append(RegisterCut(cut.table, cut.rule, cut.article, present))
    return tuple(done)


def ranges(values: Iterable[int]) -> list[list[int]]:
    """Sorted values as inclusive ``[first, last]`` runs (compact in a signed entry)."""
    out: list[list[int]] = []
    for value in sorted(set(values)):
        if out and value == out[-1][1] + 1:
            out[-1][1] = value
        else:
            out.append([value, value])
    return out


def lines_digest(lines: Iterable[Line]) -> str:
    """SHA-256 of the sorted (row id, audit seq) pairs: pins exactly which rows went."""
    doc = sorted([int(i), int(s)] for i, s in lines)
    return hashlib.sha256(json.dumps(doc, separators=(",", ":")).encode()).hexdigest()


def register_attributes(cut: RegisterCut, run_uid: str, *, replay: bool = False
                        ) -> dict[str, object]:
    """The attributes of the signed ``retention.register_destroyed`` entry of one cut:
    which register, which rule and article, the lines by audit seq and by row id (as runs)
    with their count and digest.  No content: the lines' facts were in the rows, and the
    entries the rows belonged to stay in the chain."""
    return {"register": cut.table, "rule": cut.rule, "article": cut.article,
            "run": run_uid, "lines": len(cut.lines),
            "seqs": ranges(s for _i, s in cut.lines), "ids": ranges(i for i, _s in cut.lines),
            "sha256": lines_digest(cut.lines), "replay": replay}


def store_ledger(conn: Connection, entry: Mapping[str, Any]) -> None:
    """Keep a run's signed ledger entry in the database (inside the caller's transaction)
    when it deleted register lines: a cleaned backup has no chain entry for the lines it
    lost, and this signature is what ``audit verify`` accepts instead."""
    if entry.get("registers"):
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                     (LEDGER_META + str(entry["run_uid"]), json.dumps(entry, sort_keys=True)))


def stored_ledgers(conn: Connection) -> list[dict[str, Any]]:
    """The signed ledger entries kept in the database (unchecked; see :func:`entry_valid`)."""
    out = []
    for (value,) in conn.execute("SELECT value FROM meta WHERE key >= ? AND key < ?",
                                 (LEDGER_META, LEDGER_META[:-1] + "/")):
        try:
            doc = json.loads(str(value))
        except ValueError:
            continue
        if isinstance(doc, dict):
            out.append(doc)
    return out


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


def clean_backups(store: Store, plan: Destruction, entry: Mapping[str, Any] | None = None
                  ) -> BackupCleaning:
    """Apply ``plan`` to every backup inside the store folder and compact it; ``entry``,
    the run's signed ledger entry, is kept in each (:func:`store_ledger`) so that a backup
    without its register lines still verifies.  A backup under another data key (a
    pre-restore copy of another generation) cannot be opened with this store's key: it is
    reported, and the ledger replays into it if it is ever restored here."""
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
                if entry is not None:
                    store_ledger(conn, entry)
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
    if plan.registers:
        # Only when there are any: the entries of earlier runs keep their signed shape.
        body["registers"] = [cut.to_json() for cut in plan.registers]
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
                       ids(entry.get("items")), registers_of(entry))


def registers_of(entry: Mapping[str, Any]) -> tuple[RegisterCut, ...]:
    """The register cuts of a ledger entry (malformed parts are left out)."""
    cuts = []
    raw = entry.get("registers")
    for part in raw if isinstance(raw, list) else []:
        try:
            table = str(part["table"])
            lines = tuple((int(i), int(s)) for i, s in part["lines"])
            if table in REGISTER_TABLES:
                cuts.append(RegisterCut(table, str(part["rule"]), str(part["article"]),
                                        lines))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(cuts)


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
            done = destroy(store.conn, plan)
            # The register lines this copy loses now are named in the chain, signed by the
            # user who opened it; the approver's own signature is kept beside them.
            for cut in done.registers:
                store.log(REGISTER_EVENT, object_type="retention_run", object_id=uid,
                          attributes=register_attributes(cut, uid, replay=True))
            store_ledger(store.conn, entry)
            seq = store.log(REPLAY_EVENT, object_type="retention_run", object_id=uid,
                            attributes={"cases": done.cases, "items": done.items,
                                        "register_lines": done.lines, "day": plan.day})
            store.conn.execute(
                "INSERT INTO retention_runs(run_uid, audit_seq, run_on, approved_by, cases,"
                " items, register_lines, replayed, created_at) VALUES (?,?,?,?,?,?,?,1,?)",
                (uid, seq, plan.day, store.user.username, done.cases, done.items,
                 done.lines, _now()))
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
