"""Signing keys of the store's users and who vouches for them (issue 9).

Every user signs their own audit entries with an Ed25519 key (:mod:`app.store.audit`).  The
public halves live in ``signing_keys``, each with a certification: a signature, by the key
named in ``certified_by``, over :func:`certification_message` (store id, key id, username,
public key).  The first key of a store is the *root*: it certifies itself, its id is kept
in meta ``root_signing_key``, and every other key must be certified by a key whose chain
of certifications leads to it.  A row that anyone with the database key could insert (a
new key "of" another user) is therefore worthless without a signature by a trusted key.

What the root vouches for in the end is only as good as the root id itself: a complete
rewrite of ``signing_keys`` under a new root is caught outside the database, by the
witnesses (:mod:`app.store.witness`) and the exported head, which remember the root id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.crypto.envelope import fingerprint, raw_public, verify_signature
from app.store.connection import Connection

ROOT_META = "root_signing_key"
_CERT_DOMAIN = b"casustafel signing key v1\x00"


class Signer(Protocol):
    """Something that signs as one registered key (the acting user's, in practice)."""

    @property
    def key_id(self) -> str:
        """``fingerprint(public)`` of the Ed25519 key."""
        ...

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of ``message``."""
        ...


@dataclass(frozen=True)
class KeySigner:
    """A :class:`Signer` over an Ed25519 private key held in memory."""

    key: Ed25519PrivateKey = field(repr=False)
    key_id: str
    public: bytes = field(repr=False)

    @classmethod
    def of(cls, key: Ed25519PrivateKey) -> KeySigner:
        """The signer of ``key``; its id is the fingerprint of the public half."""
        public = raw_public(key)
        return cls(key, fingerprint(public), public)

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of ``message``."""
        return self.key.sign(message)

    def __repr__(self) -> str:
        return f"KeySigner(key_id={self.key_id!r})"


def certification_message(store_id: str, key_id: str, username: str, public: bytes) -> bytes:
    """What a certifier signs: the key, whose it is, and in which store."""
    body = json.dumps([store_id, key_id, username, public.hex()], separators=(",", ":"),
                      ensure_ascii=True)
    return _CERT_DOMAIN + body.encode()


def register_key(conn: Connection, store_id: str, username: str, public: bytes,
                 certifier: Signer | None, now: str) -> str:
    """Insert ``public`` as a signing key of ``username``; return its key id.

    ``certifier`` signs the certification.  The *root* key certifies itself: pass the
    key's own signer (``certifier.key_id`` equal to the new key's id).  That is allowed only
    while ``signing_keys`` is empty, and also records the root id in meta
    ``root_signing_key``.  Any other certifier must be a registered key.  Runs inside the
    caller's transaction.
    """
    if len(public) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    key_id = fingerprint(public)
    if certifier is None:
        raise ValueError("the root key certifies itself: pass its own signer as certifier")
    cert_sig = certifier.sign(certification_message(store_id, key_id, username, public))
    if certifier.key_id == key_id:
        if conn.execute("SELECT count(*) FROM signing_keys").fetchone()[0]:
            raise ValueError("a root signing key is registered already")
        if not verify_signature(public, cert_sig, certification_message(
                store_id, key_id, username, public)):
            raise ValueError("the certifier is not the key being registered")
        certified_by = None
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (ROOT_META, key_id))
    else:
        row = conn.execute("SELECT public FROM signing_keys WHERE key_id = ?",
                           (certifier.key_id,)).fetchone()
        if row is None:
            raise ValueError("the certifier's key is not registered")
        if not verify_signature(bytes(row[0]), cert_sig, certification_message(
                store_id, key_id, username, public)):
            raise ValueError("the certifier's signature does not match its registered key")
        certified_by = certifier.key_id
    conn.execute(
        "INSERT INTO signing_keys(key_id, username, public, certified_by, cert_sig, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (key_id, username, public, certified_by, cert_sig, now),
    )
    return key_id


def current_key_id(conn: Connection, username: str) -> str | None:
    """The newest signing key of ``username`` (None: the user has none yet)."""
    row = conn.execute(
        "SELECT key_id FROM signing_keys WHERE username = ?"
        " ORDER BY created_at DESC, key_id DESC LIMIT 1", (username,),
    ).fetchone()
    return None if row is None else str(row[0])


def root_key_id(conn: Connection) -> str | None:
    """The root key id named in meta (None: the store has no signing keys yet)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (ROOT_META,)).fetchone()
    return None if row is None else str(row[0])


def trusted_keys(conn: Connection, store_id: str) -> dict[str, tuple[str, bytes]]:
    """``key_id -> (username, public)`` of every key certified, link by link, by the root
    named in meta ``root_signing_key``.  Keys with a broken or missing certification, keys
    whose id is not their fingerprint, and everything under them are left out."""
    root = root_key_id(conn)
    if root is None:
        return {}
    rows: dict[str, tuple[str, bytes, str | None, bytes]] = {}
    for key_id, username, public, certified_by, cert_sig in conn.execute(
        "SELECT key_id, username, public, certified_by, cert_sig FROM signing_keys"
    ):
        public_bytes = bytes(public)
        if fingerprint(public_bytes) != key_id:
            continue
        rows[str(key_id)] = (str(username), public_bytes,
                             None if certified_by is None else str(certified_by),
                             bytes(cert_sig))

    def certified(key_id: str, by_public: bytes) -> bool:
        username, public, _by, cert_sig = rows[key_id]
        message = certification_message(store_id, key_id, username, public)
        try:
            Ed25519PublicKey.from_public_bytes(by_public).verify(cert_sig, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    trusted: dict[str, tuple[str, bytes]] = {}
    if root not in rows or rows[root][2] is not None or not certified(root, rows[root][1]):
        return trusted
    trusted[root] = (rows[root][0], rows[root][1])
    frontier = [root]
    while frontier:
        certifier = frontier.pop()
        certifier_public = trusted[certifier][1]
        for key_id, (username, public, by, _sig) in rows.items():
            # Only the root enrols users; anyone else may only renew their own key.  A
            # participant with a script can then not certify a key "of" another user.
            # The root *user* keeps vouching after renewing their own key.
            vouches = trusted[certifier][0] in {trusted[root][0], username}
            if (by == certifier and key_id not in trusted and vouches
                    and certified(key_id, certifier_public)):
                trusted[key_id] = (username, public)
                frontier.append(key_id)
    return trusted
