"""Tamper-evident, append-only audit trail.

Every entry carries ``mac = HMAC(audit_key, previous_mac || canonical(entry))``.  The audit
key is derived from the data key at ``init`` and kept inside the encrypted store, so only a
holder of the data key can extend the chain, and a rotation of the data key need not
re-chain history.  The newest (seq, mac) is also kept outside the database, in
``audit.head`` (itself MAC'd), so cutting off the newest entries is detected.  A crash
between commit and head update leaves the database *ahead* of the head, which is accepted:
the head entry must still match.

Fields follow the Logboek Dataverwerkingen model: trace id (16 bytes), span id (8 bytes),
optional parent span, name, status, start/end time, processing activity, data subject id
and type; plus ours: user, party, object, and free attributes (legal basis, channel, ...).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app import clock
from app.errors import StoreError
from app.fsutil import atomic_write
from app.i18n import N_
from app.store.connection import Connection
from app.store.layout import HEAD_NAME

GENESIS = "0" * 64

_COLUMNS = (
    "seq", "trace_id", "span_id", "parent_span_id", "name", "status", "start_time",
    "end_time", "username", "party_id", "object_type", "object_id",
    "processing_activity_id", "data_subject_id", "data_subject_id_type", "attributes",
)


def new_trace_id() -> str:
    """A 16-byte trace id (hex), one per user-level operation."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class AuditEvent:
    """What happened; the trail adds seq, span, times and the MAC."""

    name: str
    username: str
    party_id: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    status: str = "ok"
    processing_activity_id: str | None = None
    data_subject_id: str | None = None
    data_subject_id_type: str | None = None
    trace_id: str | None = None
    parent_span_id: str | None = None
    attributes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`: ok, or the first broken entry and why (English, for logs)."""

    ok: bool
    entries: int
    broken_seq: int | None = None
    problem: str | None = None


def _canonical(row: tuple[object, ...]) -> bytes:
    return json.dumps(list(row), separators=(",", ":"), ensure_ascii=True).encode()


def _mac(key: bytes, previous: str, row: tuple[object, ...]) -> str:
    return hmac.new(key, previous.encode() + _canonical(row), hashlib.sha256).hexdigest()


def _now() -> str:
    return clock.utc_now_iso("microseconds")


class AuditTrail:
    """Appends to and verifies the chain of one open store."""

    def __init__(self, conn: Connection, key: bytes, folder: Path) -> None:
        self._conn = conn
        self._key = key
        self.head_path = folder / HEAD_NAME
        self._dirty = False
        # If the head file and the database disagree when the store is opened (newest
        # entries cut off, head deleted or forged), the head is frozen: appending would
        # otherwise overwrite the evidence.  ``verify`` keeps reporting the break.
        self.head_frozen = not self._head_matches()

    def _head_matches(self) -> bool:
        try:
            head = read_head(self.head_path, self._key)
        except StoreError:
            return False
        if head is None:
            return bool(self._conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0)
        row = self._conn.execute("SELECT mac FROM audit WHERE seq = ?", (head[0],)).fetchone()
        return row is not None and hmac.compare_digest(str(row[0]), head[1])

    def append(self, event: AuditEvent, *, start_time: str | None = None) -> int:
        """Append inside the caller's transaction; the head file follows on ``flush_head``."""
        last = self._conn.execute(
            "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
        now = _now()
        row = (
            seq,
            event.trace_id or new_trace_id(),
            secrets.token_hex(8),
            event.parent_span_id,
            event.name,
            event.status,
            start_time or now,
            now,
            event.username,
            event.party_id,
            event.object_type,
            event.object_id,
            event.processing_activity_id,
            event.data_subject_id,
            event.data_subject_id_type,
            json.dumps(dict(event.attributes), sort_keys=True, ensure_ascii=True, default=str),
        )
        mac = _mac(self._key, previous, row)
        placeholders = ",".join("?" * (len(_COLUMNS) + 1))
        self._conn.execute(
            f"INSERT INTO audit ({','.join(_COLUMNS)}, mac) VALUES ({placeholders})",
            (*row, mac),
        )
        self._dirty = True
        return seq

    def flush_head(self) -> None:
        """After commit: record the newest (seq, mac) outside the database."""
        if not self._dirty or self.head_frozen:
            self._dirty = False
            return
        last = self._conn.execute(
            "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if last is not None:
            write_head(self.head_path, self._key, int(last[0]), str(last[1]))
        self._dirty = False

    def discard_pending(self) -> None:
        """After rollback: nothing was appended."""
        self._dirty = False

    def rows(self) -> Iterator[tuple[object, ...]]:
        """All entries in sequence order (for the privacy officer's export and verify)."""
        yield from self._conn.execute(
            f"SELECT {','.join(_COLUMNS)}, mac FROM audit ORDER BY seq"
        )

    def verify(self) -> VerifyResult:
        """Walk the chain; report the first broken entry or a cut-off tail."""
        return verify(self.rows(), self._key, self.head_path)


def _head_tag(key: bytes, seq: int, mac: str) -> str:
    return hmac.new(key, f"head|{seq}|{mac}".encode(), hashlib.sha256).hexdigest()


def write_head(path: Path, key: bytes, seq: int, mac: str) -> None:
    """Write the chain head file (no personal data: a number and two MACs)."""
    doc = {"seq": seq, "mac": mac, "tag": _head_tag(key, seq, mac)}
    atomic_write(path, json.dumps(doc).encode())


def read_head(path: Path, key: bytes) -> tuple[int, str] | None:
    """The (seq, mac) in the head file; None if absent; StoreError if forged."""
    try:
        doc = json.loads(path.read_bytes())
        seq, mac, tag = int(doc["seq"]), str(doc["mac"]), str(doc["tag"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        raise StoreError("audit.head_damaged", N_("The audit head file is damaged.")) from None
    if not hmac.compare_digest(tag, _head_tag(key, seq, mac)):
        raise StoreError("audit.head_damaged", N_("The audit head file is damaged."))
    return seq, mac


def verify(rows: Iterator[tuple[object, ...]], key: bytes, head_path: Path) -> VerifyResult:
    """Check sequence, MACs and the external head.  Problems are short English phrases."""
    try:
        head = read_head(head_path, key)
    except StoreError:
        return VerifyResult(False, 0, None, "head file damaged or forged")
    previous, expected, count = GENESIS, 1, 0
    mac_at_head = ""
    for raw in rows:
        row, mac = tuple(raw[:-1]), str(raw[-1])
        seq = int(str(row[0]))
        if seq != expected:
            return VerifyResult(False, count, expected, "entry missing or out of order")
        if not hmac.compare_digest(mac, _mac(key, previous, row)):
            return VerifyResult(False, count, seq, "entry altered or moved")
        if head is not None and seq == head[0]:
            mac_at_head = mac
        previous, expected, count = mac, expected + 1, count + 1
    if head is None:
        if count:
            return VerifyResult(False, count, None, "head file missing")
        return VerifyResult(True, 0)
    head_seq, head_mac = head
    if head_seq > count:
        return VerifyResult(False, count, count + 1, "newest entries cut off")
    if not hmac.compare_digest(mac_at_head, head_mac):
        return VerifyResult(False, count, head_seq, "entry does not match the head file")
    return VerifyResult(True, count)
