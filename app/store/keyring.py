"""The acting user's keyring inside an open store: which principals they can act as, and
sealing and opening item keys (issue 9; primitives in :mod:`app.crypto.envelope`).

A user opens, with their passphrase, their own box key (principal ``user:<name>``) and,
through ``party_key_seals``, the key of the party they act for (``party:<id>``), if they are
a participant or case director of it.  Support roles, minute takers and process directors
act for no party: what they may read is sealed to them personally.

Which principals are trusted to receive a seal is decided here, not by what a table row
says: a principal row counts only if its certificate was signed by the store's root key
(the administrator who made the store) or, for a user renewing their own keys, by that
user's previous signing key (see :func:`_certifier_allowed`).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app import clock
from app.crypto import envelope
from app.crypto.envelope import EnvelopeError
from app.domain.principals import party_principal, user_principal
from app.store.connection import Connection
from app.store.signing import Signer, trusted_keys

log = logging.getLogger(__name__)

_PRIME_CHUNK = 1000  # item ids per query of :meth:`Keyring.prime`


@dataclass(frozen=True)
class Principal:
    """One version of a principal's public key."""

    id: str
    version: int
    kind: str
    party_id: str
    box_public: bytes
    certified_by: str | None
    cert_sig: bytes


def cert_message(store_id: str, principal_id: str, version: int, kind: str, party_id: str,
                 box_public: bytes) -> bytes:
    """What a principal's certificate signs."""
    return json.dumps(["principal", store_id, principal_id, version, kind, party_id,
                       box_public.hex()], separators=(",", ":")).encode()


def register_principal(conn: Connection, store_id: str, principal_id: str, kind: str,
                       party_id: str, box_public: bytes, certifier: Signer) -> int:
    """Add a new version of a principal's public key, certified by ``certifier``."""
    row = conn.execute("SELECT max(version) FROM principals WHERE id = ?",
                       (principal_id,)).fetchone()
    version = int(row[0] or 0) + 1
    sig = certifier.sign(cert_message(store_id, principal_id, version, kind, party_id,
                                      box_public))
    conn.execute(
        "INSERT INTO principals(id, version, kind, party_id, box_public, certified_by,"
        " cert_sig, created_at) VALUES (?,?,?,?,?,?,?,?)",
        (principal_id, version, kind, party_id, box_public, certifier.key_id, sig,
         clock.utc_now_iso()))
    return version


def _certifier_allowed(principal: Principal, certifier_user: str, root_user: str) -> bool:
    # Only the root administrator enrols users and parties; a user may renew their own
    # principal with their own (certified) key.  A participant with a script can
    # therefore not slip in a key of their own "for" another party.
    if certifier_user == root_user:
        return True
    return principal.kind == "user" and principal.id == user_principal(certifier_user)


class Keyring:
    """Keys of the acting user; one per open store, cleared on close."""

    def __init__(self, conn: Connection, store_id: str, username: str, box: X25519PrivateKey,
                 *, keeps_nothing: bool = False) -> None:
        self._conn = conn
        # A support role (the administrator importing or migrating) seals with a one-off
        # key it forgets afterwards: with a static key of its own it could re-derive every
        # pair key it ever sealed with, and so read everything it imported (ZVH 9.6).
        self.keeps_nothing = keeps_nothing
        self._ephemeral: X25519PrivateKey | None = None
        # Party key pairs the administrator made in this batch, until ``end_batch``.
        self.fresh_party_keys: dict[str, tuple[int, X25519PrivateKey]] = {}
        self.store_id = store_id
        self.username = username
        self.me = user_principal(username)
        self._box = box
        # principal id -> (version, private key) of every principal this user acts as.
        self._own: dict[str, tuple[int, X25519PrivateKey]] = {}
        # Older versions of party keys this user still holds, by (principal, version):
        # they open seals made before a renewal until those are moved to the new version
        # (app.services.party_keys); nothing is sealed to them any more.
        self._former: dict[tuple[str, int], X25519PrivateKey] = {}
        self._pairs: dict[tuple[str, int, str, int], bytes] = {}
        # The same pair keys as AES-GCM ciphers, for opening seals (made once each).
        self._pair_ciphers: dict[tuple[str, int, str, int], AESGCM] = {}
        # Item keys by (item id, generation), row keys of the joint record by (kind, row
        # id, generation): only what this user opened or made.
        self._item_keys: dict[tuple[object, ...], bytes] = {}
        self._principals: dict[tuple[str, int], Principal | None] = {}
        self._trusted: dict[str, tuple[str, bytes]] | None = None
        # During a look (:meth:`looking`): the refs found sealed to nobody this user is.
        self._misses: set[tuple[object, ...]] | None = None
        self.reload()

    # -- who am I ----------------------------------------------------------------
    def reload(self) -> None:
        """(Re)open the principals this user acts as (after a handover or a renewal)."""
        self._own.clear()
        self._former.clear()
        self._pairs.clear()
        self._pair_ciphers.clear()
        self._trusted = None
        self._principals.clear()
        mine = self.current(self.me)
        if mine is not None and mine.box_public == envelope.raw_public(self._box):
            self._own[self.me] = (mine.version, self._box)
        for party_id, party_version, sealed in self._conn.execute(
                "SELECT s.party_id, s.party_version, s.sealed FROM party_key_seals s"
                " WHERE s.username = ? AND s.user_version = ?",
                (self.username, mine.version if mine else 0)).fetchall():
            pid = party_principal(party_id)
            current = self.current(pid)
            version = self.principal(pid, int(party_version))
            if current is None or version is None:
                continue
            try:
                raw = envelope.open_anonymous(
                    self._box, bytes(sealed), _party_seal_aad(self.store_id, party_id,
                                                              party_version, self.username))
            except EnvelopeError:
                log.warning("a party key seal did not open")
                continue
            private = X25519PrivateKey.from_private_bytes(raw)
            if envelope.raw_public(private) != version.box_public:
                continue
            if version.version == current.version:
                self._own[pid] = (version.version, private)
            elif version.version < current.version:
                self._former[(pid, version.version)] = private

    def former_versions(self) -> dict[str, list[int]]:
        """Per party principal: the older versions of its key this user still holds."""
        out: dict[str, list[int]] = {}
        for pid, version in sorted(self._former):
            out.setdefault(pid, []).append(version)
        return out

    @property
    def acts_as(self) -> frozenset[str]:
        """The principals whose seals this user can open."""
        return frozenset(self._own)

    def party_private(self, party_id: str) -> X25519PrivateKey | None:
        """The party's private key if this user holds it (for handing it to a colleague)."""
        entry = self._own.get(party_principal(party_id))
        return entry[1] if entry else None

    def open_own(self, blob: bytes, aad: bytes, version: int) -> bytes | None:
        """Open a :func:`app.crypto.envelope.seal_anonymous` blob sealed to version
        ``version`` of this user's own box key (a data-subject request's key, issue 11);
        None when it is not for this key or does not open."""
        own = self._own.get(self.me)
        if own is None or own[0] != version:
            return None
        try:
            return envelope.open_anonymous(own[1], blob, aad)
        except EnvelopeError:
            return None

    # -- principals --------------------------------------------------------------
    def _trusted_keys(self) -> dict[str, tuple[str, bytes]]:
        if self._trusted is None:
            self._trusted = trusted_keys(self._conn, self.store_id)
        return self._trusted

    def _root_user(self) -> str:
        row = self._conn.execute(
            "SELECT value FROM meta WHERE key = 'root_signing_key'").fetchone()
        entry = self._trusted_keys().get(str(row[0])) if row else None
        return entry[0] if entry else ""

    def principal(self, principal_id: str, version: int) -> Principal | None:
        """One version of a principal, or None when absent or not trustworthy."""
        key = (principal_id, version)
        if key not in self._principals:
            self._principals[key] = self._load(principal_id, version)
        return self._principals[key]

    def current(self, principal_id: str) -> Principal | None:
        """The newest trustworthy version of a principal (None: it has no usable key)."""
        # The newest version that is trustworthy: a forged newer row (anyone with the
        # data key can insert one) must not hide the real key from the party's members.
        for (version,) in self._conn.execute(
                "SELECT version FROM principals WHERE id = ? ORDER BY version DESC",
                (principal_id,)).fetchall():
            found = self.principal(principal_id, int(version))
            if found is not None:
                return found
        return None

    def _load(self, principal_id: str, version: int) -> Principal | None:
        if principal_id.startswith("eph:"):
            # A one-off sealer: needs no certificate, it only ever gives a holder a key.
            return Principal(principal_id, 0, "eph", "", bytes.fromhex(principal_id[4:]), None,
                             b"")
        row = self._conn.execute(
            "SELECT id, version, kind, party_id, box_public, certified_by, cert_sig"
            " FROM principals WHERE id = ? AND version = ?", (principal_id, version)).fetchone()
        if row is None:
            return None
        principal = Principal(str(row[0]), int(row[1]), str(row[2]), str(row[3]),
                              bytes(row[4]), row[5], bytes(row[6]))
        certifier = self._trusted_keys().get(principal.certified_by or "")
        if certifier is None or not _certifier_allowed(principal, certifier[0],
                                                       self._root_user()):
            log.warning("a principal with an untrusted certificate was ignored")
            return None
        message = cert_message(self.store_id, principal.id, principal.version, principal.kind,
                               principal.party_id, principal.box_public)
        if not envelope.verify_signature(certifier[1], principal.cert_sig, message):
            log.warning("a principal with a forged certificate was ignored")
            return None
        return principal

    def existing(self, kind: str) -> frozenset[str]:
        """Ids of the principals of ``kind`` that have a key."""
        return frozenset(str(r[0]) for r in self._conn.execute(
            "SELECT DISTINCT id FROM principals WHERE kind = ?", (kind,)))

    # -- pair keys ----------------------------------------------------------------
    def _pair(self, own_id: str, other: Principal) -> bytes | None:
        own = self._own.get(own_id)
        if own is None:
            return None
        key = (own_id, own[0], other.id, other.version)
        pair = self._pairs.get(key)
        if pair is None:
            pair = self._pairs[key] = envelope.pair_key(own[1], other.box_public)
        return pair

    def _sealer(self) -> tuple[str, int, X25519PrivateKey] | None:
        if self.keeps_nothing:
            if self._ephemeral is None:
                self._ephemeral = X25519PrivateKey.generate()
                eph = "eph:" + envelope.raw_public(self._ephemeral).hex()
                self._own[eph] = (0, self._ephemeral)
            return "eph:" + envelope.raw_public(self._ephemeral).hex(), 0, self._ephemeral
        own = self._own.get(self.me)
        return (self.me, own[0], own[1]) if own else None

    @property
    def can_seal(self) -> bool:
        """Whether this user can seal a key to anyone (their own key is trusted, or they
        seal with a one-off key)."""
        return self.keeps_nothing or self.me in self._own

    def end_batch(self) -> None:
        """Forget the one-off sealing key and every item key of a support role's batch
        (import, migration): afterwards it can open nothing it sealed."""
        if self._ephemeral is not None:
            self._own.pop("eph:" + envelope.raw_public(self._ephemeral).hex(), None)
            self._ephemeral = None
        self.fresh_party_keys.clear()
        self._pairs.clear()
        self._pair_ciphers.clear()
        self._item_keys.clear()

    # -- item keys ----------------------------------------------------------------
    def item_key(self, item_id: int, key_gen: int) -> bytes | None:
        """The item's key if one of this user's principals holds a seal for it."""
        cached = self._item_keys.get((item_id, key_gen))
        if cached is not None:
            return cached
        own = [p for p in self._own if not p.startswith("eph:")]
        if not own or self.missing((item_id, key_gen)):
            return None
        rows = self._conn.execute(
            "SELECT holder, holder_version, sealer, sealer_version, sealed FROM item_keys"
            " WHERE item_id = ? AND key_gen = ? AND holder IN (SELECT value FROM json_each(?))",
            (item_id, key_gen, json.dumps(own))).fetchall()
        for holder, holder_version, sealer, sealer_version, sealed in rows:
            key = self.open_seal(str(holder), int(holder_version), str(sealer),
                                 int(sealer_version), bytes(sealed), item_seal_aad(
                                     self.store_id, item_id, key_gen, str(holder)))
            if key is not None:
                self._item_keys[(item_id, key_gen)] = key
                return key
        return None

    @contextlib.contextmanager
    def looking(self) -> Iterator[None]:
        """One look at many rows: what :meth:`prime` and :meth:`open_many` found this user
        holds no seal for is not asked for again until the look ends.  Only for one look:
        another user may seal a key to this one at any time."""
        outer = self._misses
        if outer is None:
            self._misses = set()
        try:
            yield
        finally:
            if outer is None:
                self._misses = None

    def missing(self, ref: tuple[object, ...]) -> bool:
        """Whether this look already found no seal of this user for ``ref``."""
        return self._misses is not None and ref in self._misses

    def prime(self, refs: Iterable[tuple[int, int]]) -> None:
        """Open, in one query per thousand items, this user's seals of the items ``refs``
        (item id, key generation) not yet in memory.  A query per item cost more than the
        opening itself: half the time of a first look at every case (issue 9 bench)."""
        want = {ref for ref in refs if ref not in self._item_keys}
        own = sorted(p for p in self._own if not p.startswith("eph:"))
        ids = sorted({item_id for item_id, _gen in want})
        # One placeholder per principal (a user acts as two or three): a list from
        # json_each made SQLite build a Bloom filter per query, twice the time.
        # ``+holder``: seek by item id, not by the holder index (every seal of the party).
        holders = ",".join("?" * len(own))
        for start in range(0, len(ids) if own else 0, _PRIME_CHUNK):
            rows = self._conn.execute(
                "SELECT item_id, key_gen, holder, holder_version, sealer, sealer_version,"
                " sealed FROM item_keys WHERE item_id IN (SELECT value FROM json_each(?))"
                f" AND +holder IN ({holders})",
                (json.dumps(ids[start:start + _PRIME_CHUNK]), *own)).fetchall()
            self.open_many(
                ((int(item_id), int(gen)), str(holder), int(holder_version), str(sealer),
                 int(sealer_version), bytes(sealed),
                 item_seal_aad(self.store_id, int(item_id), int(gen), str(holder)))
                for item_id, gen, holder, holder_version, sealer, sealer_version, sealed
                in rows if (int(item_id), int(gen)) in want)
        self.not_held(ref for ref in want if ref not in self._item_keys)

    def open_many(self, seals: Iterable[tuple[tuple[object, ...], str, int, str, int,
                                              bytes, bytes]]) -> None:
        """Open seals (ref, holder, holder version, sealer, sealer version, blob, AAD) and
        keep each key that opens under its ref (a ref with a key already is skipped)."""
        for ref, holder, holder_version, sealer, sealer_version, sealed, aad in seals:
            if ref in self._item_keys:
                continue
            key = self.open_seal(holder, holder_version, sealer, sealer_version, sealed, aad)
            if key is not None:
                self._item_keys[ref] = key

    def rows_in_memory(self) -> set[tuple[object, ...]]:
        """(kind, row id) of every joint-record row with a key in memory (any generation)."""
        return {ref[:2] for ref in self._item_keys if len(ref) == 3}

    def not_held(self, refs: Iterable[tuple[object, ...]]) -> None:
        """Within a look (:meth:`looking`): this user holds no seal for ``refs``."""
        if self._misses is not None:
            self._misses.update(refs)

    def open_seal(self, holder: str, holder_version: int, sealer: str, sealer_version: int,
                  sealed: bytes, aad: bytes) -> bytes | None:
        """Open one static-static seal made for ``holder`` (one of this user's principals,
        in its current or a former version) by ``sealer``; None when it is not for a key
        this user holds or does not open."""
        ref = (holder, holder_version, sealer, sealer_version)
        cipher = self._pair_ciphers.get(ref)
        if cipher is None:
            own = self._own.get(holder)
            private = (own[1] if own is not None and own[0] == holder_version
                       else self._former.get((holder, holder_version)))
            other = self.principal(sealer, sealer_version) if private is not None else None
            if private is None or other is None:
                return None
            cipher = self._pair_ciphers[ref] = envelope.aead_cipher(
                envelope.pair_key(private, other.box_public))
        try:
            return envelope.aead_open(cipher, sealed, aad)
        except EnvelopeError:
            return None

    def seal_for(self, holder_id: str, payload: bytes, aad: bytes
                 ) -> tuple[int, str, int, bytes] | None:
        """Seal ``payload`` to the newest trustworthy key of ``holder_id``, by this user:
        (holder version, sealer, sealer version, blob), or None when there is no key to
        seal to (or this user cannot seal)."""
        sealer = self._sealer()
        holder = self.current(holder_id)
        if sealer is None or holder is None:
            return None
        pair = self._pair(sealer[0], holder)
        if pair is None:
            return None
        return holder.version, sealer[0], sealer[1], envelope.aead_encrypt(pair, payload, aad)

    def remember(self, ref: tuple[object, ...], key: bytes) -> None:
        """Keep a key this user just made or opened (not for a support role's batch)."""
        if not self.keeps_nothing:
            self._item_keys[ref] = key

    def remembered(self, ref: tuple[object, ...]) -> bytes | None:
        """A key kept by :meth:`remember` or :meth:`item_key`."""
        return self._item_keys.get(ref)

    def holders_of(self, item_ids: Iterable[int]) -> dict[int, set[str]]:
        """Per item: the principals holding a seal of its current key."""
        out: dict[int, set[str]] = {}
        for item_id, holder in self._conn.execute(
                "SELECT k.item_id, k.holder FROM item_keys k JOIN items i ON i.id = k.item_id"
                " AND i.key_gen = k.key_gen WHERE k.item_id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(set(item_ids))),)):
            out.setdefault(int(item_id), set()).add(str(holder))
        return out

    def seal(self, item_id: int, key_gen: int, key: bytes, holders: Iterable[str]) -> set[str]:
        """Seal ``key`` to each trustworthy holder (sealed by this user); returns those
        sealed.  A holder without a usable key is skipped: nothing can be sealed to it."""
        sealed: set[str] = set()
        for holder_id in sorted(set(holders)):
            made = self.seal_for(holder_id, key, item_seal_aad(
                self.store_id, item_id, key_gen, holder_id))
            if made is None:
                continue
            holder_version, sealer, sealer_version, blob = made
            self._conn.execute(
                "INSERT INTO item_keys(item_id, key_gen, holder, holder_version, sealer,"
                " sealer_version, sealed) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(item_id, holder) DO UPDATE SET key_gen = excluded.key_gen,"
                " holder_version = excluded.holder_version, sealer = excluded.sealer,"
                " sealer_version = excluded.sealer_version, sealed = excluded.sealed",
                (item_id, key_gen, holder_id, holder_version, sealer, sealer_version, blob))
            sealed.add(holder_id)
        self.remember((item_id, key_gen), key)
        return sealed

    # -- content ------------------------------------------------------------------
    def encrypt(self, item_id: int, key_gen: int, key: bytes, body: str,
                structured: dict[str, str] | None) -> bytes:
        """The content blob of an item."""
        plain = json.dumps({"b": body, "s": structured}, ensure_ascii=False).encode()
        return envelope.aead_encrypt(key, plain, _content_aad(self.store_id, item_id, key_gen))

    def decrypt(self, item_id: int, key_gen: int, blob: bytes
                ) -> tuple[str, dict[str, str] | None] | None:
        """Body and address parts of an item, or None when this user holds no key."""
        key = self.item_key(item_id, key_gen)
        if key is None:
            return None
        try:
            doc = json.loads(envelope.aead_decrypt(
                key, blob, _content_aad(self.store_id, item_id, key_gen)).decode())
        except EnvelopeError:
            return None
        return str(doc["b"]), doc["s"]

    def forget(self) -> None:
        """Drop every key held in memory (lock, close)."""
        self.fresh_party_keys.clear()
        self._ephemeral = None
        self._own.clear()
        self._former.clear()
        self._pairs.clear()
        self._pair_ciphers.clear()
        self._item_keys.clear()


def item_seal_aad(store_id: str, item_id: int, key_gen: int, holder: str) -> bytes:
    """The associated data of an item key's seal to ``holder``."""
    return f"item-key|{store_id}|{item_id}|{key_gen}|{holder}".encode()


def _content_aad(store_id: str, item_id: int, key_gen: int) -> bytes:
    return f"item|{store_id}|{item_id}|{key_gen}".encode()


def _party_seal_aad(store_id: str, party_id: str, party_version: int, username: str) -> bytes:
    return f"party-key|{store_id}|{party_id}|{party_version}|{username}".encode()


def seal_party_key(conn: Connection, store_id: str, party_id: str, party_version: int,
                   private: X25519PrivateKey, username: str, user: Principal) -> None:
    """Hand a party's private key to one of its users (sealed to their box key)."""
    blob = envelope.seal_anonymous(user.box_public, envelope.raw_private(private),
                                   _party_seal_aad(store_id, party_id, party_version, username))
    conn.execute(
        "INSERT OR REPLACE INTO party_key_seals(party_id, party_version, username,"
        " user_version, sealed) VALUES (?,?,?,?,?)",
        (party_id, party_version, username, user.version, blob))
