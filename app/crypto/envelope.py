"""Envelope encryption inside the store: one key per item, sealed to the principals that
may read it (issue 9, "the key follows the policy").

Principals are parties and single users.  Each has an X25519 key pair; users also sign
with Ed25519.  An item key is sealed *static-static*: the sealer and the holder share
``X25519(sealer_private, holder_public)``, from which HKDF derives a pair key that wraps the
item key with AES-256-GCM.  Why static-static and not an ephemeral key per seal: a holder
derives one pair key per sealer per session (a handful) and then unwraps every item key with
one AES operation (~3 µs) instead of one X25519 exchange (~45 µs); a migration seals
hundreds of thousands of keys.  The price, that the holder could forge a seal "from" the
sealer to itself, buys nothing: it already holds that key.

Every ciphertext is bound to where it belongs by its AEAD associated data (store id, item
id, key generation, holder), so a sealed key or a content blob copied to another row or
another store fails to open.  All functions here are pure; the store side is
:mod:`app.store.keyring`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12


class EnvelopeError(Exception):
    """A sealed key or ciphertext does not open: wrong key, wrong place, or altered."""


def new_key() -> bytes:
    """A fresh random 256-bit symmetric key."""
    return secrets.token_bytes(KEY_BYTES)


def raw_public(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public half."""
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


def raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    """The raw 32-byte private half (only ever wrapped or sealed, never stored in clear)."""
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def fingerprint(public: bytes) -> str:
    """A short stable name for a public key (SHA-256, 16 hex digits)."""
    return hashlib.sha256(public).hexdigest()[:16]


def b64(data: bytes) -> str:
    """Base64 text of ``data``."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Bytes of base64 ``text`` (strict)."""
    return base64.b64decode(text.encode("ascii"), validate=True)


def aead_encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """``nonce || AES-256-GCM(key, plaintext, aad)``."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def aead_decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Open :func:`aead_encrypt` output; :class:`EnvelopeError` if it does not open."""
    return aead_open(AESGCM(key), blob, aad)


def aead_cipher(key: bytes) -> AESGCM:
    """The cipher of ``key``, for opening many blobs under one key (:func:`aead_open`)."""
    return AESGCM(key)


def aead_open(cipher: AESGCM, blob: bytes, aad: bytes) -> bytes:
    """:func:`aead_decrypt` with a cipher made once: a user opens tens of thousands of
    seals under the same few pair keys in one look at every case."""
    try:
        return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        raise EnvelopeError("does not open") from None


def pair_key(own: X25519PrivateKey, other_public: bytes) -> bytes:
    """The wrap key two principals share (the same from either side)."""
    own_public = raw_public(own)
    shared = own.exchange(X25519PublicKey.from_public_bytes(other_public))
    # Salt with both public keys in a fixed order, so both sides derive the same key and a
    # pair key is never reused for another pair.
    salt = b"".join(sorted((own_public, other_public)))
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt,
                info=b"casustafel item seal v1").derive(shared)


def seal_anonymous(public: bytes, secret: bytes, aad: bytes) -> bytes:
    """Seal ``secret`` to a public key with an ephemeral sender (for handing a party key to
    a user: rare, and the sender should not matter)."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    eph_public = raw_public(ephemeral)
    wrap = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=eph_public + public,
                info=b"casustafel anonymous seal v1").derive(shared)
    return eph_public + aead_encrypt(wrap, secret, aad)


def open_anonymous(private: X25519PrivateKey, blob: bytes, aad: bytes) -> bytes:
    """Open :func:`seal_anonymous` output with the holder's private key."""
    eph_public, rest = blob[:32], blob[32:]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_public))
    except ValueError:
        raise EnvelopeError("does not open") from None
    wrap = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=eph_public + raw_public(private),
                info=b"casustafel anonymous seal v1").derive(shared)
    return aead_decrypt(wrap, rest, aad)


def sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    """An Ed25519 signature."""
    return key.sign(message)


def verify_signature(public: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is ``public``'s signature of ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
