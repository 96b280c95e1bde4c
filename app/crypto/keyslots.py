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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import AuthError, InputError, StoreError
from app.i18n import N_

SLOT_FORMAT = 2
# Format 1 slots (before envelope keys) carry no signing key; they are still read.
READABLE_FORMATS = frozenset({1, 2})
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


@dataclass(frozen=True)
class UserKeys:
    """What a passphrase opens: the store's data key (SQLCipher), the user's X25519 box key
    (opens party keys and item keys sealed to the user) and Ed25519 signing key (signs the
    user's audit entries).  ``signing`` is None for a slot made before envelope keys."""

    data_key: bytes
    box: X25519PrivateKey
    signing: Ed25519PrivateKey | None

    def __repr__(self) -> str:
        return "UserKeys(<secret>)"


@dataclass
class Slot:
    """One user's slot.  ``slot_id`` is a salted hash of the username, never the name."""

    slot_id: str
    kdf: KdfParams
    salt: str
    public_key: str
    wrapped_private: dict[str, str]
    sealed_data_key: dict[str, str]
    # The Ed25519 signing key, wrapped under the same passphrase key (format 2).
    signing_public: str = ""
    wrapped_signing: dict[str, str] = field(default_factory=dict)
    # A signing key made for the user by the administrator's ``keys migrate``, sealed to
    # their box key; their next login replaces it (see :meth:`SlotFile.adopt_signing`).
    sealed_signing: str = ""

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
            signing_public=str(data.get("signing_public", "")),
            wrapped_signing=dict(data.get("wrapped_signing", {})),
            sealed_signing=str(data.get("sealed_signing", "")),
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
        slot = self._build_slot(slot_id, private, Ed25519PrivateKey.generate(), passphrase, kdf)
        slot.sealed_data_key = _seal_key(private.public_key(), data_key, self._aad(slot_id))
        self.slots.append(slot)
        return slot

    def _build_slot(
        self, slot_id: str, private: X25519PrivateKey, signing: Ed25519PrivateKey | None,
        passphrase: str, kdf: KdfParams,
    ) -> Slot:
        salt = os.urandom(16)
        kek = _derive_kek(passphrase, salt, kdf)
        nonce = os.urandom(12)
        wrapped = AESGCM(kek).encrypt(nonce, _raw_private(private), slot_id.encode())
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        slot = Slot(
            slot_id=slot_id,
            kdf=kdf,
            salt=_b64(salt),
            public_key=_b64(public),
            wrapped_private={"nonce": _b64(nonce), "ciphertext": _b64(wrapped)},
            sealed_data_key={},
        )
        if signing is not None:
            nonce = os.urandom(12)
            slot.wrapped_signing = {
                "nonce": _b64(nonce),
                "ciphertext": _b64(AESGCM(kek).encrypt(
                    nonce, _raw_private(signing), f"{slot_id}|signing".encode())),
            }
            slot.signing_public = _b64(signing.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw))
        return slot

    def _private_keys(
        self, slot: Slot, passphrase: str
    ) -> tuple[X25519PrivateKey, Ed25519PrivateKey | None]:
        kek = _derive_kek(passphrase, _unb64(slot.salt), slot.kdf)
        try:
            raw = AESGCM(kek).decrypt(
                _unb64(slot.wrapped_private["nonce"]),
                _unb64(slot.wrapped_private["ciphertext"]),
                slot.slot_id.encode(),
            )
        except InvalidTag:
            raise _auth_failed() from None
        signing = None
        if slot.wrapped_signing:
            try:
                signing = Ed25519PrivateKey.from_private_bytes(AESGCM(kek).decrypt(
                    _unb64(slot.wrapped_signing["nonce"]),
                    _unb64(slot.wrapped_signing["ciphertext"]),
                    f"{slot.slot_id}|signing".encode(),
                ))
            except InvalidTag:
                raise _slots_damaged() from None
        return X25519PrivateKey.from_private_bytes(raw), signing

    def _private_key(self, slot: Slot, passphrase: str) -> X25519PrivateKey:
        return self._private_keys(slot, passphrase)[0]

    def unlock(self, username: str, passphrase: str) -> bytes:
        """Return the data key, or raise AuthError without saying which part was wrong."""
        return self.unlock_keys(username, passphrase).data_key

    def unlock_keys(self, username: str, passphrase: str) -> UserKeys:
        """The data key and the user's own key pairs; AuthError without saying which part
        was wrong."""
        slot = self.find(username)
        if slot is None:
            # Spend the same time as a real attempt, so the answer does not reveal
            # whether the username exists.
            _derive_kek(passphrase, os.urandom(16), self.slots[0].kdf if self.slots
                        else PRODUCTION_KDF)
            raise _auth_failed()
        private, signing = self._private_keys(slot, passphrase)
        try:
            data_key = _unseal_key(private, slot.sealed_data_key, self._aad(slot.slot_id))
        except InvalidTag:
            raise _slots_damaged() from None
        return UserKeys(data_key, private, signing)

    def change_passphrase(
        self, username: str, old: str, new: str, kdf: KdfParams
    ) -> None:
        """Re-wrap only this user's private keys; no other slot is touched."""
        check_passphrase_strength(new)
        slot = self.find(username)
        if slot is None:
            raise _auth_failed()
        private, signing = self._private_keys(slot, old)
        fresh = self._build_slot(slot.slot_id, private, signing, new, kdf)
        slot.kdf, slot.salt, slot.wrapped_private = fresh.kdf, fresh.salt, fresh.wrapped_private
        slot.wrapped_signing, slot.signing_public = fresh.wrapped_signing, fresh.signing_public

    def renew_keys(
        self, username: str, old: str, new: str, data_key: bytes, kdf: KdfParams
    ) -> UserKeys:
        """New passphrase *and* new key pairs for this user (first login, migration): keys
        that someone else could have known (an administrator who set the first passphrase)
        are replaced by keys only the user's own passphrase opens.  Returns the new keys;
        the caller re-seals what was sealed to the old box key."""
        check_passphrase_strength(new)
        slot = self.find(username)
        if slot is None:
            raise _auth_failed()
        self._private_keys(slot, old)  # proves the old passphrase
        box, signing = X25519PrivateKey.generate(), Ed25519PrivateKey.generate()
        fresh = self._build_slot(slot.slot_id, box, signing, new, kdf)
        fresh.sealed_data_key = _seal_key(box.public_key(), data_key, self._aad(slot.slot_id))
        self.slots[self.slots.index(slot)] = fresh
        return UserKeys(data_key, box, signing)

    def seal_signing(self, username: str, signing: Ed25519PrivateKey) -> None:
        """Leave a signing key for a user, sealed to their box key (migration)."""
        from app.crypto.envelope import seal_anonymous

        slot = self.find(username)
        if slot is None:
            raise InputError("user.unknown", N_("There is no such user in this store."))
        slot.sealed_signing = _b64(seal_anonymous(
            _unb64(slot.public_key), _raw_private(signing), f"{slot.slot_id}|sealed".encode()))
        slot.signing_public = _b64(signing.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    def adopt_signing(self, username: str, passphrase: str, keys: UserKeys
                      ) -> tuple[Ed25519PrivateKey, UserKeys] | None:
        """At login: open a signing key left by :meth:`seal_signing` and replace it by a
        fresh one wrapped under the user's own passphrase.  Returns the left key (which
        certifies the fresh one) and the user's keys with the fresh one; None if nothing
        was left."""
        from app.crypto.envelope import open_anonymous

        slot = self.find(username)
        if slot is None or not slot.sealed_signing or keys.signing is not None:
            return None
        left = Ed25519PrivateKey.from_private_bytes(open_anonymous(
            keys.box, _unb64(slot.sealed_signing), f"{slot.slot_id}|sealed".encode()))
        fresh = Ed25519PrivateKey.generate()
        rebuilt = self._build_slot(slot.slot_id, keys.box, fresh, passphrase, slot.kdf)
        rebuilt.sealed_data_key = slot.sealed_data_key
        self.slots[self.slots.index(slot)] = rebuilt
        return left, UserKeys(keys.data_key, keys.box, fresh)

    def public_keys(self, username: str) -> tuple[bytes, bytes]:
        """The user's raw X25519 and Ed25519 public keys (the latter empty if none)."""
        slot = self.find(username)
        if slot is None:
            raise InputError("user.unknown", N_("There is no such user in this store."))
        return _unb64(slot.public_key), _unb64(slot.signing_public) if slot.signing_public \
            else b""

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
            if doc.get("format") not in READABLE_FORMATS:
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


def _raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def _slots_damaged() -> StoreError:
    return StoreError(
        "store.slots_damaged",
        N_("The key slot file of this store is damaged or belongs to another store."),
    )


def _auth_failed() -> AuthError:
    return AuthError("auth.failed", N_("Unknown user or wrong passphrase."))
