"""Helpers shared by the store tests (test_store.py, test_backup.py): a store of user
beheer with PASSPHRASE, opened bare or in a session, and a few audit-trail writes."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

from app.crypto.keyslots import KdfParams, SlotFile
from app.domain.roles import Role
from app.services import admin
from app.services.session import Session
from app.store.layout import SLOTS_NAME
from app.store.store import Store
from tests.conftest import PASSPHRASE

PROFILE = "zvh-rotterdam-rijnmond"


def _create(folder: Path, kdf: KdfParams, *, display_name: str = "Beheerder Test") -> Store:
    return Store.create(
        folder, admin_username="beheer", admin_display_name=display_name,
        admin_party="gemeente-rotterdam", passphrase=PASSPHRASE, profile_id=PROFILE,
        profile_version="2024.1", kdf=kdf,
    )


def _open(path: Path, user: str = "beheer", passphrase: str = PASSPHRASE) -> Store:
    return Store.open(path, user, passphrase)


@contextlib.contextmanager
def _opened(path: Path, user: str = "beheer", passphrase: str = PASSPHRASE) -> Iterator[Store]:
    """The store open in a session: a clean exit makes the automatic backup when due, as
    the app and the CLI close it."""
    with Session(_open(path, user, passphrase)) as session:
        yield session.store


def _data_key(path: Path, user: str = "beheer", passphrase: str = PASSPHRASE) -> bytes:
    return SlotFile.read(path / SLOTS_NAME).unlock(user, passphrase)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_entries(store: Store, n: int, name: str = "test.write") -> list[int]:
    seqs = []
    for i in range(n):
        with store.transaction():
            seqs.append(store.log(name, object_type="row", object_id=str(i)))
    return seqs


def _add_user(store: Store, kdf: KdfParams, username: str, passphrase: str, *,
              role: Role = Role.DEELNEMER, party: str = "politie-rotterdam") -> None:
    admin.add_user(Session(store, kdf), username=username, display_name=username.title(),
                   role=role, party_id=party, passphrase=passphrase)


def _verify(path: Path) -> tuple[bool, str | None]:
    with _opened(path) as store:
        result = admin.verify_audit(Session(store))
    return result.ok, result.problem
