"""Tamper-evident, append-only audit trail, signed by each acting user (issue 9).

Every entry carries ``hash = sha256(previous_hash || canonical(entry + signer))`` in the
``mac`` column, the id of the signing key in ``signer`` and, in ``sig``, the signer's
Ed25519 signature over the hash (bound to the store id).  The signing keys and their
certifications are in :mod:`app.store.signing`.  So nobody can write, alter, remove or
reorder an entry of *another* user and re-chain the rest: every later entry of someone
else would need that someone's key.  Verify also checks that an entry's ``username`` is the
username of the key that signed it.

Entries written before schema 8 (``sig`` NULL) keep the old scheme,
``mac = HMAC(audit_key, previous_mac || canonical(entry))``, and are verified with that
key (``legacy_key``); the first signed entry links to the last legacy entry.  An unsigned
entry after a signed one is a break.

The newest (seq, hash) is kept outside the database twice:

* ``audit.head`` in the store folder (signed by the writer), so cutting off the newest
  entries is detected.  A crash between commit and head update leaves the database
  *ahead* of the head, which is accepted: the head entry must still match.
* the witness in the user's own data folder (:mod:`app.store.witness`), so copying an
  older backup over the whole store folder is detected by every computer that saw more;
  and :meth:`AuditTrail.export_head`, a signed head document for the privacy officer to
  keep elsewhere.

Verify cross-checks the disclosure register and the report register with the chain: every
``disclosures`` row has its ``disclosure`` entry with the same facts and vice versa, and the
same for ``reports`` and ``report.generate``; an entry may lack its row only when a signed
record names the row as destroyed past its retention term (:mod:`app.store.audit_registers`).

Fields follow the Logboek Dataverwerkingen model: trace id (16 bytes), span id (8 bytes),
optional parent span, name, status, start/end time, processing activity, data subject id
and type; plus ours: user, party, object, and free attributes (legal basis, channel, ...).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app import clock
from app.crypto.envelope import b64, fingerprint, unb64
from app.errors import StoreError
from app.fsutil import atomic_write
from app.i18n import N_
from app.store import witness
from app.store.audit_registers import REGISTER_DESTROYED, REGISTER_EVENTS, check_registers
from app.store.connection import Connection
from app.store.layout import HEAD_NAME
from app.store.signing import Signer, root_key_id, trusted_keys

log = logging.getLogger(__name__)

GENESIS = "0" * 64
HEAD_DOCUMENT_KIND = "casustafel-audit-head"

_COLUMNS = (
    "seq", "trace_id", "span_id", "parent_span_id", "name", "status", "start_time",
    "end_time", "username", "party_id", "object_type", "object_id",
    "processing_activity_id", "data_subject_id", "data_subject_id_type", "attributes",
)
_USERNAME = _COLUMNS.index("username")
_NAME = _COLUMNS.index("name")
_OBJECT_ID = _COLUMNS.index("object_id")
_ATTRIBUTES = _COLUMNS.index("attributes")

_ENTRY_DOMAIN = b"casustafel audit entry v2\x00"
_HEAD_DOMAIN = b"casustafel audit head v2\x00"
_EXPORT_DOMAIN = b"casustafel exported head v1\x00"

Trusted = Mapping[str, tuple[str, bytes]]


def new_trace_id() -> str:
    """A 16-byte trace id (hex), one per user-level operation."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class AuditEvent:
    """What happened; the trail adds seq, span, times, the hash and the signature."""

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
    """Outcome of a check: ok, or the first broken entry and why (English, for logs).

    ``gap`` names the entries (first, last) a store lacks compared with a head it should
    have reached (a cut-off tail, a rolled-back copy).
    """

    ok: bool
    entries: int
    broken_seq: int | None = None
    problem: str | None = None
    gap: tuple[int, int] | None = None


# --------------------------------------------------------------------------- entry crypto


def _canonical(row: Iterable[object]) -> bytes:
    return json.dumps(list(row), separators=(",", ":"), ensure_ascii=True).encode()


def _legacy_mac(key: bytes, previous: str, row: tuple[object, ...]) -> str:
    return hmac.new(key, previous.encode() + _canonical(row), hashlib.sha256).hexdigest()


def entry_hash(previous: str, row: tuple[object, ...], signer: str) -> str:
    """The chained hash of a signed entry (the signer's key id is part of it)."""
    return hashlib.sha256(previous.encode() + _canonical((*row, signer))).hexdigest()


def _entry_message(store_id: str, digest: str) -> bytes:
    return _ENTRY_DOMAIN + store_id.encode() + b"\x00" + digest.encode()


def sign_entry(signer: Signer, store_id: str, digest: str) -> str:
    """The ``sig`` of an entry: the signer's signature over its hash, bound to the store."""
    return b64(signer.sign(_entry_message(store_id, digest)))


def _head_message(store_id: str, seq: int, digest: str) -> bytes:
    return _HEAD_DOMAIN + f"{store_id}|{seq}|{digest}".encode()


def _legacy_head_tag(key: bytes, seq: int, mac: str) -> str:
    return hmac.new(key, f"head|{seq}|{mac}".encode(), hashlib.sha256).hexdigest()


class _Keys:
    """The trusted keys of one check, with their public key objects made once."""

    def __init__(self, trusted: Trusted) -> None:
        self.trusted = trusted
        self._objects: dict[str, Ed25519PublicKey] = {}

    def username(self, key_id: str) -> str | None:
        entry = self.trusted.get(key_id)
        return None if entry is None else entry[0]

    def verify(self, key_id: str, signature: str, message: bytes) -> bool:
        if key_id not in self.trusted:
            return False
        if key_id not in self._objects:
            self._objects[key_id] = Ed25519PublicKey.from_public_bytes(self.trusted[key_id][1])
        try:
            self._objects[key_id].verify(unb64(signature), message)
        except (InvalidSignature, ValueError):
            return False
        return True


def _now() -> str:
    return clock.utc_now_iso("microseconds")


def _attributes(row: tuple[object, ...]) -> dict[str, Any]:
    try:
        value = json.loads(str(row[_ATTRIBUTES]))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------- head file


def write_head(path: Path, store_id: str, signer: Signer, seq: int, digest: str) -> None:
    """Write the chain head file: a number, a hash, a key id and a signature."""
    doc = {"seq": seq, "hash": digest, "signer": signer.key_id,
           "sig": b64(signer.sign(_head_message(store_id, seq, digest)))}
    atomic_write(path, json.dumps(doc).encode())


def read_head(path: Path, store_id: str, trusted: Trusted,
              legacy_key: bytes | None) -> tuple[int, str] | None:
    """The (seq, hash) in the head file; None if absent; StoreError if damaged or forged.

    A head written before schema 8 (``seq``, ``mac``, ``tag``) is checked with the legacy
    audit key; a signed head must be signed by a trusted key.
    """
    damaged = StoreError("audit.head_damaged", N_("The audit head file is damaged."))
    try:
        doc = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except ValueError:
        raise damaged from None
    try:
        seq = int(doc["seq"])
        if "sig" in doc:
            digest, signer, sig = str(doc["hash"]), str(doc["signer"]), str(doc["sig"])
            if not _Keys(trusted).verify(signer, sig, _head_message(store_id, seq, digest)):
                raise damaged
            return seq, digest
        mac, tag = str(doc["mac"]), str(doc["tag"])
    except (KeyError, TypeError, ValueError):
        raise damaged from None
    if legacy_key is None or not hmac.compare_digest(tag, _legacy_head_tag(legacy_key, seq, mac)):
        raise damaged
    return seq, mac


# --------------------------------------------------------------------------- the trail


class AuditTrail:
    """Appends to and verifies the chain of one open store.

    ``signer`` signs the acting user's entries (None: the trail is only read, e.g. a backup
    being checked); ``legacy_key`` is the old ``meta.audit_key`` that checks the entries
    written before schema 8 (None for stores that never had any).
    """

    def __init__(self, conn: Connection, folder: Path, store_id: str, *,
                 signer: Signer | None, legacy_key: bytes | None,
                 place: Path | None = None) -> None:
        self._conn = conn
        self.store_id = store_id
        # The witness of this store at this place (see app.store.witness.location_id).
        # ``place``: where the store is opened from, when not ``folder`` itself (tests of
        # an older copy "put in place of" the store).
        self.witness_id = witness.location_id(store_id, place or folder)
        self._signer = signer
        self._legacy_key = legacy_key
        self.head_path = folder / HEAD_NAME
        self._dirty = False
        self._signer_user: str | None = None
        self._trusted_cache: tuple[int, dict[str, tuple[str, bytes]]] | None = None
        # (seq of the newest entry that changes who administers, their witness tags)
        self._restorers_cache: tuple[int, frozenset[str]] | None = None
        # If the head file and the database disagree when the store is opened (newest
        # entries cut off, head deleted or forged), the head is frozen: appending would
        # otherwise overwrite the evidence.  ``verify`` keeps reporting the break.  The
        # witness is not moved either.
        self.head_frozen = not self._head_matches()

    def _trusted(self) -> dict[str, tuple[str, bytes]]:
        # Checking every certificate again for each entry looked up cost a minute in a
        # 10k import (bench/envelope.py); keys are only ever added, so their count says
        # whether the cached answer still holds.
        count = int(self._conn.execute("SELECT count(*) FROM signing_keys").fetchone()[0])
        if self._trusted_cache is None or self._trusted_cache[0] != count:
            self._trusted_cache = (count, trusted_keys(self._conn, self.store_id))
        return self._trusted_cache[1]

    def _head_matches(self) -> bool:
        try:
            head = read_head(self.head_path, self.store_id, self._trusted(), self._legacy_key)
        except StoreError:
            return False
        if head is None:
            return bool(self._conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0)
        row = self._conn.execute("SELECT mac FROM audit WHERE seq = ?", (head[0],)).fetchone()
        return row is not None and hmac.compare_digest(str(row[0]), head[1])

    # -- writing ------------------------------------------------------------------
    def _check_signer(self, signer: Signer, username: str) -> None:
        if self._signer_user is None:
            row = self._conn.execute("SELECT username FROM signing_keys WHERE key_id = ?",
                                     (signer.key_id,)).fetchone()
            if row is None:
                raise RuntimeError("the signing key is not registered in this store")
            self._signer_user = str(row[0])
        if self._signer_user != username:
            raise RuntimeError("an entry is signed by the key of the user it names")

    def append(self, event: AuditEvent, *, start_time: str | None = None) -> int:
        """Append a signed entry inside the caller's transaction; the head file and the
        witness follow on ``flush_head``."""
        signer = self._signer
        if signer is None:
            raise RuntimeError("this audit trail has no signer: it is read-only")
        self._check_signer(signer, event.username)
        last = self.head()
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
        digest = entry_hash(previous, row, signer.key_id)
        sig = sign_entry(signer, self.store_id, digest)
        placeholders = ",".join("?" * (len(_COLUMNS) + 3))
        self._conn.execute(
            f"INSERT INTO audit ({','.join(_COLUMNS)}, mac, signer, sig) VALUES ({placeholders})",
            (*row, digest, signer.key_id, sig),
        )
        self._dirty = True
        return seq

    def flush_head(self) -> None:
        """After commit: record the newest (seq, hash) in ``audit.head`` and in this
        computer's witness (unless the head is frozen)."""
        if not self._dirty or self.head_frozen or self._signer is None:
            self._dirty = False
            return
        self._dirty = False
        last = self.head()
        if last is None:
            return
        write_head(self.head_path, self.store_id, self._signer, last[0], last[1])
        root = root_key_id(self._conn)
        if root is None:
            return
        try:
            witness.remember(self.witness_id, last[0], last[1], root, self.restorer_tags())
        except OSError as error:
            # The commit stands; a witness that cannot be written only weakens the
            # rollback check on this computer.  No personal data in the message.
            log.warning("audit witness not written: %s", type(error).__name__)

    def restorer_tags(self) -> frozenset[str]:
        """The witness tags of the users who administer this chain: only a restore signed
        by one of them excuses a rollback of what a computer saw (app.store.restorers)."""
        from app.store import restorers

        newest = restorers.last_change(self._conn)
        if self._restorers_cache is None or self._restorers_cache[0] != newest:
            names = restorers.administrators(self._conn, self)
            self._restorers_cache = (newest, frozenset(
                restorers.tag(self.witness_id, name) for name in names))
        return self._restorers_cache[1]

    def discard_pending(self) -> None:
        """After rollback: nothing was appended."""
        self._dirty = False

    # -- reading ------------------------------------------------------------------
    def rows(self) -> Iterator[tuple[object, ...]]:
        """All entries in sequence order, the Logboek fields and the hash (``mac``)."""
        yield from self._conn.execute(
            f"SELECT {','.join(_COLUMNS)}, mac FROM audit ORDER BY seq"
        )

    def _signed_rows(self, start: int = 1) -> Iterator[tuple[object, ...]]:
        yield from self._conn.execute(
            f"SELECT {','.join(_COLUMNS)}, mac, signer, sig FROM audit WHERE seq >= ?"
            " ORDER BY seq", (start,)
        )

    def head(self) -> tuple[int, str] | None:
        """The newest (seq, entry hash) in the database."""
        last = self._conn.execute(
            "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return None if last is None else (int(last[0]), str(last[1]))

    def entry_hash_at(self, seq: int) -> str | None:
        """The hash of entry ``seq`` (None: there is none)."""
        row = self._conn.execute("SELECT mac FROM audit WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else str(row[0])

    # -- checking -----------------------------------------------------------------
    def verify(self) -> VerifyResult:
        """Walk the chain (sequence, links, signatures, signer = user), then the head file
        and the registers; report the first problem."""
        keys = _Keys(trusted_keys(self._conn, self.store_id))  # verify: never cached
        try:
            head = read_head(self.head_path, self.store_id, keys.trusted, self._legacy_key)
        except StoreError:
            return VerifyResult(False, 0, None, N_("head file damaged or forged"))
        walk = _Walk(self.store_id, keys, self._legacy_key, _renewals(self._conn, keys))
        hash_at_head = ""
        for raw in self._signed_rows():
            broken = walk.step(raw)
            if broken is not None:
                return broken
            if head is not None and walk.count == head[0]:
                hash_at_head = walk.previous
        count = walk.count
        if head is None:
            if count:
                return VerifyResult(False, count, None, N_("head file missing"))
        elif head[0] > count:
            return VerifyResult(False, count, count + 1, N_("newest entries cut off"),
                                gap=(count + 1, head[0]))
        elif not hmac.compare_digest(hash_at_head, head[1]):
            return VerifyResult(False, count, head[0], N_("entry does not match the head file"))
        mismatch = check_registers(self._conn, walk.store_id, walk.registered,
                                   walk.register_cuts)
        if mismatch is not None:
            return VerifyResult(False, count, *mismatch)
        return VerifyResult(True, count)

    def valid_entry(self, seq: int) -> tuple[object, ...] | None:
        """Entry ``seq`` if it is signed by a trusted key of its user and links to entry
        ``seq - 1`` (the quick check of one entry, e.g. a restore entry, without walking
        the whole chain); None otherwise."""
        if seq < 1:
            return None
        previous = GENESIS if seq == 1 else self.entry_hash_at(seq - 1)
        raw = self._conn.execute(
            f"SELECT {','.join(_COLUMNS)}, mac, signer, sig FROM audit WHERE seq = ?", (seq,)
        ).fetchone()
        if raw is None or previous is None:
            return None
        walk = _Walk(self.store_id, _Keys(self._trusted()), None)
        walk.expected, walk.previous = seq, previous
        if walk.step(tuple(raw)) is not None or raw[-1] is None:
            return None
        return tuple(raw[: len(_COLUMNS)])

    def entries_named(self, name: str) -> list[int]:
        """The seqs of the entries called ``name``."""
        return [int(r[0]) for r in self._conn.execute(
            "SELECT seq FROM audit WHERE name = ? ORDER BY seq", (name,))]

    def export_head(self, signer: Signer) -> bytes:
        """A signed head document (JSON, no personal data) for the privacy officer to keep
        outside the store: store id, newest seq and hash, root key, time, signer."""
        head = self.head()
        if head is None:
            raise RuntimeError("an empty audit trail has no head to export")
        public = self._conn.execute("SELECT public FROM signing_keys WHERE key_id = ?",
                                    (signer.key_id,)).fetchone()
        if public is None:
            raise RuntimeError("the signing key is not registered in this store")
        doc: dict[str, object] = {
            "kind": HEAD_DOCUMENT_KIND, "format": 1, "store_id": self.store_id,
            "seq": head[0], "hash": head[1], "root_key": root_key_id(self._conn),
            "exported_at": clock.utc_now_iso(), "signer": signer.key_id,
            "public": bytes(public[0]).hex(),
        }
        doc["sig"] = b64(signer.sign(_EXPORT_DOMAIN + _canonical(sorted(doc.items()))))
        return json.dumps(doc, sort_keys=True, indent=1).encode()

    def check_exported_head(self, document: bytes) -> VerifyResult:
        """Check this store (or backup) against a head kept elsewhere: the chain must verify
        and contain the kept head.  Behind it: not ok, ``gap`` names the missing entries;
        another entry at the kept seq or another root key: not ok (forked)."""
        try:
            doc = json.loads(document)
            fields = {k: v for k, v in doc.items() if k != "sig"}
            seq, digest = int(doc["seq"]), str(doc["hash"])
            public, signer = bytes.fromhex(str(doc["public"])), str(doc["signer"])
            sig_ok = (doc["kind"] == HEAD_DOCUMENT_KIND and fingerprint(public) == signer
                      and _Keys({signer: ("", public)}).verify(
                          signer, str(doc["sig"]),
                          _EXPORT_DOMAIN + _canonical(sorted(fields.items()))))
        except (ValueError, KeyError, TypeError, AttributeError):
            sig_ok = False
        if not sig_ok:
            return VerifyResult(False, 0, None, N_("kept head document damaged or forged"))
        if doc["store_id"] != self.store_id:
            return VerifyResult(False, 0, None, N_("kept head belongs to another store"))
        result = self.verify()
        if not result.ok:
            return result
        count = result.entries
        if doc["root_key"] != root_key_id(self._conn):
            return VerifyResult(False, count, None, N_("signed under another root key than the "
                                "kept head (forked)"))
        if count < seq:
            return VerifyResult(False, count, count + 1, N_("store is behind the kept head"),
                                gap=(count + 1, seq))
        if not hmac.compare_digest(self.entry_hash_at(seq) or "", digest):
            return VerifyResult(False, count, seq, N_("entry differs from the kept head (forked)"))
        if signer not in self._trusted():
            return VerifyResult(False, count, None, N_("kept head signed by a key this store "
                                "does not trust"))
        return VerifyResult(True, count)


def _renewals(conn: Connection, keys: _Keys) -> dict[str, str]:
    """Trusted keys certified by an earlier key of the same user: renewals."""
    out: dict[str, str] = {}
    for key_id, by in conn.execute(
            "SELECT key_id, certified_by FROM signing_keys WHERE certified_by IS NOT NULL"):
        new, old = str(key_id), str(by)
        user = keys.username(new)
        if user is not None and user == keys.username(old):
            out[new] = old
    return out


class _Walk:
    """One pass over the chain; remembers what the register checks need."""

    def __init__(self, store_id: str, keys: _Keys, legacy_key: bytes | None,
                 renewals: dict[str, str] | None = None) -> None:
        self.store_id = store_id
        # new key id -> the same user's key it replaced; once the chain holds an entry
        # signed by the new key, the old one signs nothing more (a copy of an old slot, or
        # the key ``keys migrate`` left, cannot sign in the user's name afterwards).
        self.renewals = renewals or {}
        self.retired: set[str] = set()
        self.keys = keys
        self.legacy_key = legacy_key
        self.previous = GENESIS
        self.expected = 1
        self.count = 0
        self.signed_seen = False
        # seq -> (name, username, object_id, attributes) of register entries
        self.registered: dict[int, tuple[str, str, object, dict[str, Any]]] = {}
        # (seq, attributes) of the entries that name destroyed register lines
        self.register_cuts: list[tuple[int, dict[str, Any]]] = []

    def step(self, raw: tuple[object, ...]) -> VerifyResult | None:
        n = len(_COLUMNS)
        row, mac, signer, sig = tuple(raw[:n]), str(raw[n]), raw[n + 1], raw[n + 2]
        seq = int(str(row[0]))
        if seq != self.expected:
            return self._broken(self.expected, N_("entry missing or out of order"))
        if sig is None or signer is None:
            if self.signed_seen:
                return self._broken(seq, N_("unsigned entry after signed entries"))
            if self.legacy_key is None:
                return self._broken(seq, N_("unsigned entry and no legacy key to check it"))
            if not hmac.compare_digest(mac, _legacy_mac(self.legacy_key, self.previous, row)):
                return self._broken(seq, N_("entry altered or moved"))
        else:
            problem = self._signed_problem(row, mac, str(signer), str(sig))
            if problem is not None:
                return self._broken(seq, problem)
        name = str(row[_NAME])
        if name in REGISTER_EVENTS:
            self.registered[seq] = (name, str(row[_USERNAME]), row[_OBJECT_ID],
                                    _attributes(row))
        elif name == REGISTER_DESTROYED:
            self.register_cuts.append((seq, _attributes(row)))
        self.previous, self.expected, self.count = mac, self.expected + 1, self.count + 1
        return None

    def _signed_problem(self, row: tuple[object, ...], mac: str, signer: str, sig: str
                        ) -> str | None:
        """What is wrong with a signed entry (None: nothing)."""
        self.signed_seen = True
        key_user = self.keys.username(signer)
        if key_user is None:
            return N_("entry signed by an untrusted key")
        if not hmac.compare_digest(mac, entry_hash(self.previous, row, signer)):
            return N_("entry altered or moved")
        if not self.keys.verify(signer, sig, _entry_message(self.store_id, mac)):
            return N_("signature does not match the entry")
        if key_user != row[_USERNAME]:
            return N_("entry names another user than its signer")
        if signer in self.retired:
            return N_("entry signed by a key its owner replaced")
        replaced = self.renewals.get(signer)
        if replaced is not None:
            self.retired.add(replaced)
        return None

    def _broken(self, seq: int, problem: str) -> VerifyResult:
        return VerifyResult(False, self.count, seq, problem)
