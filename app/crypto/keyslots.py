"""LUKS-style key slots: one random data key, one slot per user.

Each user owns an X25519 key pair.  The private key is wrapped (AES-256-GCM) under a key
derived from the user's passphrase with Argon2id; the data key is *sealed* to the public key
(ephemeral X25519 + HKDF + AES-GCM).  Sealing to public keys is what lets an administrator
add users and ``rotate`` the data key for every remaining user without knowing their
passphrases, while a copy of a removed user's old slot opens nothing afterwards.

The slot file holds no usernames: a slot is found by a salted hash of the username.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import AuthError, InputError, StoreError
from app.i18n import N_

SLOT_FORMAT = 1
DATA_KEY_BYTES = 32
MIN_PASSPHRASE_CHARS = 12


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters; stored with every slot so they can be raised later."""

    time_cost: int
    memory_kib: int
    parallelism: int


# ~0.2 s on the reference 2-core machine (see DEVELOPERS.md).
PRODUCTION_KDF = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=2)


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalise so the same passphrase typed on any keyboard derives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_passphrase_strength(passphrase: str) -> None:
    """Reject passphrases shorter than the minimum (counted in characters after NFC)."""
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_CHARS:
        raise InputError(
            "passphrase.too_short",
            N_("The passphrase must be at least {n} characters long."),
            {"n": MIN_PASSPHRASE_CHARS},
        )


def normalise_username(username: str) -> str:
    """Usernames compare case-insensitively after NFC."""
    return unicodedata.normalize("NFC", username).strip().casefold()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive_kek(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    return hash_secret_raw(
        normalise_passphrase(passphrase),
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _seal_key(public: X25519PublicKey, data_key: bytes, aad: bytes) -> dict[str, str]:
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(public)
    eph_pub = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    wrap_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=eph_pub, info=b"casustafel seal v1"
    ).derive(shared)
    nonce = os.urandom(12)
    sealed = AESGCM(wrap_key).encrypt(nonce, data_key, aad)
    return {"ephemeral": _b64(eph_pub), "nonce": _b64(nonce), "ciphertext": _b64(sealed)}


def _unseal_key(private: X25519PrivateKey, sealed: dict[str, str], aad: bytes) -> bytes:
    eph_pub_raw = _unb64(sealed["ephemeral"])
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub_raw))
    wrap_key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=eph_pub_raw, info=b"casustafel seal v1"
    ).derive(shared)
    return AESGCM(wrap_key).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["ciphertext"]), aad)


@dataclass
class Slot:
    """One user's slot.  ``slot_id`` is a salted hash of the username, never the name."""

    slot_id: str
    kdf: KdfParams
    salt: str
    public_key: str
    wrapped_private: dict[str, str]
    sealed_data_key: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kdf"] = asdict(self.kdf)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        return cls(
            slot_id=str(data["slot_id"]),
            kdf=KdfParams(**data["kdf"]),
            salt=str(data["salt"]),
            public_key=str(data["public_key"]),
            wrapped_private=dict(data["wrapped_private"]),
            sealed_data_key=dict(data["sealed_data_key"]),
        )


@dataclass
class SlotFile:
    """All slots of one store, bound to that store by ``store_id`` (used as AEAD data)."""

    store_id: str
    username_salt: str
    generation: int = 1
    slots: list[Slot] = field(default_factory=list)

    @classmethod
    def new(cls) -> SlotFile:
        return cls(store_id=secrets.token_hex(16), username_salt=_b64(os.urandom(16)))

    # -- identity ---------------------------------------------------------------
    def slot_id_for(self, username: str) -> str:
        """The salted hash under which ``username``'s slot is filed."""
        digest = hmac.new(
            _unb64(self.username_salt), normalise_username(username).encode(), hashlib.sha256
        )
        return digest.hexdigest()

    def _aad(self, slot_id: str) -> bytes:
        return f"casustafel|{self.store_id}|{self.generation}|{slot_id}".encode()

    def find(self, username: str) -> Slot | None:
        """The slot of ``username``, or None."""
        wanted = self.slot_id_for(username)
        return next((s for s in self.slots if hmac.compare_digest(s.slot_id, wanted)), None)

    # -- operations -------------------------------------------------------------
    def add(self, username: str, passphrase: str, data_key: bytes, kdf: KdfParams) -> Slot:
        """Create a slot for a new user; the caller already holds the data key."""
        check_passphrase_strength(passphrase)
        if self.find(username) is not None:
            raise InputError("user.exists", N_("A user with this username already exists."))
        slot_id = self.slot_id_for(username)
        private = X25519PrivateKey.generate()
        slot = self._build_slot(slot_id, private, passphrase, kdf)
        slot.sealed_data_key = _seal_key(private.public_key(), data_key, self._aad(slot_id))
        self.slots.append(slot)
        return slot

    def _build_slot(
        self, slot_id: str, private: X25519PrivateKey, passphrase: str, kdf: KdfParams
    ) -> Slot:
        salt = os.urandom(16)
        kek = _derive_kek(passphrase, salt, kdf)
        raw_private = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        nonce = os.urandom(12)
        wrapped = AESGCM(kek).encrypt(nonce, raw_private, slot_id.encode())
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return Slot(
            slot_id=slot_id,
            kdf=kdf,
            salt=_b64(salt),
            public_key=_b64(public),
            wrapped_private={"nonce": _b64(nonce), "ciphertext": _b64(wrapped)},
            sealed_data_key={},
        )

    def _private_key(self, slot: Slot, passphrase: str) -> X25519PrivateKey:
        kek = _derive_kek(passphrase, _unb64(slot.salt), slot.kdf)
        try:
            raw = AESGCM(kek).decrypt(
                _unb64(slot.wrapped_private["nonce"]),
                _unb64(slot.wrapped_private["ciphertext"]),
                slot.slot_id.encode(),
            )
        except InvalidTag:
            raise _auth_failed() from None
        return X25519PrivateKey.from_private_bytes(raw)

    def unlock(self, username: str, passphrase: str) -> bytes:
        """Return the data key, or raise AuthError without saying which part was wrong."""
        slot = self.find(username)
        if slot is None:
            # Spend the same time as a real attempt, so the answer does not reveal
            # whether the username exists.
            _derive_kek(passphrase, os.urandom(16), self.slots[0].kdf if self.slots
                        else PRODUCTION_KDF)
            raise _auth_failed()
        private = self._private_key(slot, passphrase)
        try:
            return _unseal_key(private, slot.sealed_data_key, self._aad(slot.slot_id))
        except InvalidTag:
            raise StoreError(
                "store.slots_damaged",
                N_("The key slot file of this store is damaged or belongs to another store."),
            ) from None

    def change_passphrase(
        self, username: str, old: str, new: str, kdf: KdfParams
    ) -> None:
        """Re-wrap only this user's private key; no other slot is touched."""
        check_passphrase_strength(new)
        slot = self.find(username)
        if slot is None:
            raise _auth_failed()
        private = self._private_key(slot, old)
        fresh = self._build_slot(slot.slot_id, private, new, kdf)
        slot.kdf, slot.salt, slot.wrapped_private = fresh.kdf, fresh.salt, fresh.wrapped_private

    def remove(self, username: str) -> None:
        """Drop the user's slot (run ``rotate`` afterwards to void old copies)."""
        slot = self.find(username)
        if slot is None:
            raise InputError("user.unknown", N_("There is no such user in this store."))
        self.slots.remove(slot)

    def reseal(self, new_data_key: bytes) -> None:
        """Seal a new data key to every remaining slot (rotate); bumps the generation."""
        self.generation += 1
        for slot in self.slots:
            public = X25519PublicKey.from_public_bytes(_unb64(slot.public_key))
            slot.sealed_data_key = _seal_key(public, new_data_key, self._aad(slot.slot_id))

    # -- persistence ------------------------------------------------------------
    def to_bytes(self) -> bytes:
        doc = {
            "format": SLOT_FORMAT,
            "store_id": self.store_id,
            "username_salt": self.username_salt,
            "generation": self.generation,
            "slots": [s.to_json() for s in self.slots],
        }
        return json.dumps(doc, indent=1, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> SlotFile:
        try:
            doc = json.loads(data)
            if doc.get("format") != SLOT_FORMAT:
                raise ValueError("format")
            return cls(
                store_id=str(doc["store_id"]),
                username_salt=str(doc["username_salt"]),
                generation=int(doc["generation"]),
                slots=[Slot.from_json(s) for s in doc["slots"]],
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise StoreError(
                "store.slots_damaged",
                N_("The key slot file of this store is damaged or belongs to another store."),
            ) from None

    @classmethod
    def read(cls, path: Path) -> SlotFile:
        try:
            return cls.from_bytes(path.read_bytes())
        except FileNotFoundError:
            raise StoreError(
                "store.not_casustafel", N_("This folder is not a Casustafel store.")
            ) from None


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return secrets.token_bytes(DATA_KEY_BYTES)


def _auth_failed() -> AuthError:
    return AuthError("auth.failed", N_("Unknown user or wrong passphrase."))
