"""Key slots (app/crypto/keyslots.py): passphrase handling, privacy of the slot file, rotation."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from app.crypto.keyslots import (
    MIN_PASSPHRASE_CHARS,
    KdfParams,
    SlotFile,
    check_passphrase_strength,
    new_data_key,
    normalise_passphrase,
)
from app.errors import AuthError, InputError, StoreError
from app.store.layout import SLOTS_NAME
from app.store.store import Store
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE

# "Één lange wachtzin" with accents; NFC and NFD differ byte for byte.
ACCENTED = "Één lange wachtzin, überhaupt café"
USERNAMES = ("beheer", "Jan.Janssen", "Zoë.Özdemir")


def _slot_doc(slots: SlotFile) -> dict[str, dict[str, object]]:
    """Each slot's JSON, keyed by slot id, as written to disk."""
    return {s["slot_id"]: s for s in json.loads(slots.to_bytes())["slots"]}


def test_nfd_typed_passphrase_opens_slot_made_with_nfc(kdf: KdfParams) -> None:
    """A passphrase typed in NFD (decomposed accents) opens a slot made with the NFC form."""
    nfc = unicodedata.normalize("NFC", ACCENTED)
    nfd = unicodedata.normalize("NFD", ACCENTED)
    assert nfc != nfd
    assert normalise_passphrase(nfc) == normalise_passphrase(nfd)
    slots = SlotFile.new()
    key = new_data_key()
    slots.add("beheer", nfc, key, kdf)
    assert slots.unlock("beheer", nfd) == key
    # And the other way round, through a round trip on disk.
    other = SlotFile.new()
    other.add("beheer", nfd, key, kdf)
    assert SlotFile.from_bytes(other.to_bytes()).unlock("beheer", nfc) == key


def test_nfd_passphrase_opens_store_made_with_nfc(tmp_path: Path, kdf: KdfParams) -> None:
    """NFC normalisation holds end to end: Store.open with the NFD form unlocks the store."""
    folder = tmp_path / "store"
    Store.create(
        folder, admin_username="beheer", admin_display_name="B", admin_party="gemeente-rotterdam",
        passphrase=unicodedata.normalize("NFC", ACCENTED), profile_id="zvh-rotterdam-rijnmond",
        profile_version="t", kdf=kdf,
    ).close()
    with Store.open(folder, "beheer", unicodedata.normalize("NFD", ACCENTED)) as store:
        assert store.user.username == "beheer"


def test_minimum_passphrase_length_is_twelve_characters(kdf: KdfParams) -> None:
    """Passphrases under 12 characters are refused, exactly 12 are accepted."""
    assert MIN_PASSPHRASE_CHARS == 12
    slots = SlotFile.new()
    with pytest.raises(InputError) as info:
        slots.add("kort", "a" * 11, new_data_key(), kdf)
    assert info.value.code == "passphrase.too_short"
    assert slots.slots == []
    slots.add("precies", "a" * 12, new_data_key(), kdf)
    assert len(slots.slots) == 1


def test_passphrase_length_is_counted_after_nfc() -> None:
    """Length counts characters after NFC: 12 code points in NFD but 11 in NFC is too short."""
    nfd = unicodedata.normalize("NFD", "é" * 6 + "abcde")  # 11 characters, 17 code points
    assert len(nfd) >= 12
    with pytest.raises(InputError) as info:
        check_passphrase_strength(nfd)
    assert info.value.code == "passphrase.too_short"
    check_passphrase_strength(unicodedata.normalize("NFD", "é" * 6 + "abcdef"))


def test_change_passphrase_checks_minimum_length(kdf: KdfParams) -> None:
    """The new passphrase on a change must also meet the minimum; the old one keeps working."""
    slots = SlotFile.new()
    key = new_data_key()
    slots.add("beheer", PASSPHRASE, key, kdf)
    with pytest.raises(InputError) as info:
        slots.change_passphrase("beheer", PASSPHRASE, "te kort", kdf)
    assert info.value.code == "passphrase.too_short"
    assert slots.unlock("beheer", PASSPHRASE) == key


@pytest.mark.parametrize("username", USERNAMES)
def test_slot_file_holds_no_username_in_clear(username: str, kdf: KdfParams) -> None:
    """The slot file bytes contain no username in any spelling or encoding."""
    slots = SlotFile.new()
    key = new_data_key()
    for name in USERNAMES:
        slots.add(name, PASSPHRASE, key, kdf)
    raw = slots.to_bytes()
    spellings = {username, username.casefold(), username.lower(), username.upper(),
                 unicodedata.normalize("NFD", username)}
    for spelling in spellings:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert spelling.encode(encoding) not in raw
        # JSON would escape non-ASCII; look for that form too.
        assert json.dumps(spelling).strip('"').encode() not in raw
    # The slot is still found by its name.
    assert SlotFile.from_bytes(raw).unlock(username, PASSPHRASE) == key


def test_slot_file_on_disk_holds_no_username(tmp_path: Path, kdf: KdfParams) -> None:
    """keyslots.json written by Store.create contains no username (grep the file's bytes)."""
    folder = tmp_path / "store"
    Store.create(
        folder, admin_username="Wilhelmina.Beheer", admin_display_name="W",
        admin_party="gemeente-rotterdam", passphrase=PASSPHRASE,
        profile_id="zvh-rotterdam-rijnmond", profile_version="t", kdf=kdf,
    ).close()
    raw = (folder / SLOTS_NAME).read_bytes()
    assert raw
    for needle in (b"Wilhelmina", b"wilhelmina", b"beheer", "wilhelmina".encode("utf-16-le")):
        assert needle not in raw


def test_usernames_match_case_insensitively_after_nfc(kdf: KdfParams) -> None:
    """A slot is found by the username regardless of case and Unicode normal form."""
    slots = SlotFile.new()
    key = new_data_key()
    slots.add("Zoë.Özdemir", PASSPHRASE, key, kdf)
    assert slots.unlock(unicodedata.normalize("NFD", "zoë.özdemir"), PASSPHRASE) == key
    assert slots.unlock("ZOË.ÖZDEMIR ", PASSPHRASE) == key
    with pytest.raises(InputError) as info:
        slots.add("zoë.özdemir", OTHER_PASSPHRASE, key, kdf)
    assert info.value.code == "user.exists"


def test_unknown_user_and_wrong_passphrase_give_the_same_error(kdf: KdfParams) -> None:
    """Unknown user and wrong passphrase raise the same AuthError code and message."""
    slots = SlotFile.new()
    slots.add("beheer", PASSPHRASE, new_data_key(), kdf)
    with pytest.raises(AuthError) as unknown:
        slots.unlock("niemand", PASSPHRASE)
    with pytest.raises(AuthError) as wrong:
        slots.unlock("beheer", OTHER_PASSPHRASE)
    assert unknown.value.code == wrong.value.code == "auth.failed"
    assert unknown.value.user_message() == wrong.value.user_message()
    assert unknown.value.exit_code == wrong.value.exit_code == 3


def test_store_open_unknown_user_and_wrong_passphrase_look_alike(
    tmp_path: Path, kdf: KdfParams
) -> None:
    """At the store level too, the two failures cannot be told apart by code or message."""
    folder = tmp_path / "store"
    Store.create(
        folder, admin_username="beheer", admin_display_name="B", admin_party="gemeente-rotterdam",
        passphrase=PASSPHRASE, profile_id="zvh-rotterdam-rijnmond", profile_version="t", kdf=kdf,
    ).close()
    errors = []
    for user, passphrase in (("niemand", PASSPHRASE), ("beheer", OTHER_PASSPHRASE)):
        with pytest.raises(AuthError) as info:
            Store.open(folder, user, passphrase)
        errors.append((info.value.code, str(info.value)))
    assert errors[0] == errors[1]


def test_change_passphrase_leaves_other_slots_byte_identical(kdf: KdfParams) -> None:
    """Changing one user's passphrase rewrites only that slot; the others stay byte-identical."""
    slots = SlotFile.new()
    key = new_data_key()
    for name in USERNAMES:
        slots.add(name, PASSPHRASE, key, kdf)
    before = _slot_doc(slots)
    header_before = {k: v for k, v in json.loads(slots.to_bytes()).items() if k != "slots"}
    slots.change_passphrase("Jan.Janssen", PASSPHRASE, OTHER_PASSPHRASE, kdf)
    after = _slot_doc(slots)
    changed = slots.slot_id_for("Jan.Janssen")
    assert set(before) == set(after)
    for slot_id, doc in before.items():
        if slot_id == changed:
            assert after[slot_id] != doc
            assert after[slot_id]["public_key"] == doc["public_key"]
            assert after[slot_id]["sealed_data_key"] == doc["sealed_data_key"]
        else:
            assert json.dumps(after[slot_id], sort_keys=True) == json.dumps(doc, sort_keys=True)
    assert {k: v for k, v in json.loads(slots.to_bytes()).items() if k != "slots"} == (
        header_before
    )
    with pytest.raises(AuthError):
        slots.unlock("Jan.Janssen", PASSPHRASE)
    assert slots.unlock("Jan.Janssen", OTHER_PASSPHRASE) == key
    assert slots.unlock("beheer", PASSPHRASE) == key


def test_change_passphrase_needs_the_old_passphrase(kdf: KdfParams) -> None:
    """A wrong old passphrase changes nothing and gives the usual AuthError."""
    slots = SlotFile.new()
    slots.add("beheer", PASSPHRASE, new_data_key(), kdf)
    before = slots.to_bytes()
    with pytest.raises(AuthError) as info:
        slots.change_passphrase("beheer", "not the old passphrase", OTHER_PASSPHRASE, kdf)
    assert info.value.code == "auth.failed"
    assert slots.to_bytes() == before


def test_reseal_gives_every_slot_the_new_key_and_voids_old_copies(kdf: KdfParams) -> None:
    """reseal: all remaining users get the new key, the generation goes up, and a copy of
    the slot file from before (incl. a removed user's slot) yields only the old key."""
    slots = SlotFile.new()
    old_key = new_data_key()
    for name in USERNAMES:
        slots.add(name, PASSPHRASE, old_key, kdf)
    old_copy = slots.to_bytes()
    slots.remove("Jan.Janssen")
    new_key = new_data_key()
    generation = slots.generation
    slots.reseal(new_key)
    assert slots.generation == generation + 1
    for name in ("beheer", "Zoë.Özdemir"):
        assert slots.unlock(name, PASSPHRASE) == new_key
    with pytest.raises(AuthError):
        slots.unlock("Jan.Janssen", PASSPHRASE)
    reloaded = SlotFile.from_bytes(slots.to_bytes())
    assert reloaded.unlock("beheer", PASSPHRASE) == new_key
    # The old copy still unlocks, but only the old key.
    stale = SlotFile.from_bytes(old_copy)
    assert stale.unlock("Jan.Janssen", PASSPHRASE) == old_key != new_key


def test_resealed_slot_does_not_open_under_an_old_generation(kdf: KdfParams) -> None:
    """The generation is bound into each sealed key: grafting a new sealed key into the old
    file (generation not bumped) is detected, not silently accepted."""
    slots = SlotFile.new()
    slots.add("beheer", PASSPHRASE, new_data_key(), kdf)
    old_doc = json.loads(slots.to_bytes())
    slots.reseal(new_data_key())
    new_doc = json.loads(slots.to_bytes())
    old_doc["slots"][0]["sealed_data_key"] = new_doc["slots"][0]["sealed_data_key"]
    grafted = SlotFile.from_bytes(json.dumps(old_doc).encode())
    with pytest.raises(StoreError) as info:
        grafted.unlock("beheer", PASSPHRASE)
    assert info.value.code == "store.slots_damaged"


def test_slot_from_another_store_is_refused(kdf: KdfParams) -> None:
    """A slot copied into another store's slot file does not open (store id is bound in)."""
    first, second = SlotFile.new(), SlotFile.new()
    first.add("beheer", PASSPHRASE, new_data_key(), kdf)
    second.add("ander", PASSPHRASE, new_data_key(), kdf)
    doc = json.loads(second.to_bytes())
    doc["username_salt"] = first.username_salt
    doc["slots"] = json.loads(first.to_bytes())["slots"]
    with pytest.raises(StoreError) as info:
        SlotFile.from_bytes(json.dumps(doc).encode()).unlock("beheer", PASSPHRASE)
    assert info.value.code == "store.slots_damaged"


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'{"format": 2}', b'{"format": 1}'])
def test_damaged_slot_file_gives_store_error(raw: bytes) -> None:
    """A damaged slot file is a clear StoreError, not a Python exception."""
    with pytest.raises(StoreError) as info:
        SlotFile.from_bytes(raw)
    assert info.value.code == "store.slots_damaged"


def test_kdf_parameters_are_stored_per_slot(kdf: KdfParams) -> None:
    """Each slot records its own Argon2 parameters, so unlocking uses what made the slot."""
    slots = SlotFile.new()
    key = new_data_key()
    stronger = KdfParams(time_cost=2, memory_kib=16, parallelism=1)
    slots.add("a-user-name", PASSPHRASE, key, kdf)
    slots.add("b-user-name", PASSPHRASE, key, stronger)
    reloaded = SlotFile.from_bytes(slots.to_bytes())
    assert reloaded.find("a-user-name").kdf == kdf  # type: ignore[union-attr]
    assert reloaded.find("b-user-name").kdf == stronger  # type: ignore[union-attr]
    assert reloaded.unlock("b-user-name", PASSPHRASE) == key
