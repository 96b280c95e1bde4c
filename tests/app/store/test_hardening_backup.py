"""Restore and rotate must never destroy a copy of the store (issue 9, hardening).

- ``restore S S --force`` moved the store's own files aside and then had nothing to copy:
  a restore whose target is the backup itself, or inside it, is refused;
- ``rotate`` removed the whole ``backups/`` folder, with the ``pre-restore-*`` copies that
  ``restore --force`` had set aside: now only automatic backups go;
- a backup that stopped half-way (a damaged page) stayed behind as the "newest automatic
  backup"; a damaged backup made ``restore`` crash instead of saying so.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from app.crypto.keyslots import KdfParams
from app.errors import InputError, StoreError
from app.services import admin
from app.services.session import Session
from app.store import backup as backups
from app.store.connection import PAGE_SIZE
from app.store.layout import BACKUP_DIR, DB_NAME, SLOTS_NAME
from app.store.store import Store
from tests.app.store.support import _data_key, _open, _opened, _sha, _verify, _write_entries
from tests.conftest import PASSPHRASE


def _files(folder: Path) -> dict[str, str]:
    return {p.name: _sha(p) for p in folder.iterdir() if p.is_file() and p.suffix != ".lock"}


def _pre_restore(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / BACKUP_DIR).iterdir()
                  if p.name.startswith("pre-restore-"))


def _auto(folder: Path) -> list[str]:
    root = folder / BACKUP_DIR
    return sorted(p.name for p in root.iterdir() if backups._AUTO_NAME.match(p.name)) \
        if root.is_dir() else []


def _changed_close(folder: Path) -> None:
    """Open, change, close cleanly: one new automatic backup."""
    with _opened(folder) as store:
        _write_entries(store, 1)


def _damage_page(db: Path, page: int) -> None:
    with db.open("r+b") as fh:
        fh.seek((page - 1) * PAGE_SIZE + 100)
        fh.write(b"\xff" * 200)


# --------------------------------------------------------------------------- restore onto itself


def test_restore_onto_itself_is_refused_and_touches_nothing(folder: Path) -> None:
    """issue 9, hardening: restore with the store as its own backup is refused before
    anything moves (it used to leave a folder without database or slots)."""
    before = _files(folder)
    with pytest.raises(InputError) as info:
        admin.restore(folder, folder, "beheer", PASSPHRASE, force=True)
    assert info.value.code == "restore.onto_itself"
    assert _files(folder) == before
    assert not (folder / BACKUP_DIR).exists() or not _pre_restore(folder)
    assert _verify(folder) == (True, None)


def test_restore_onto_itself_through_another_spelling_is_refused(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 9, hardening: the same folder named through a symlink, ``..`` or a relative
    path is still the same folder (paths are compared resolved)."""
    link = tmp_path / "link"
    link.symlink_to(folder, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for backup, target in ((link, folder), (folder, link),
                           (folder / ".." / folder.name, folder), (Path(folder.name), folder)):
        with pytest.raises(InputError) as info:
            admin.restore(backup, target, "beheer", PASSPHRASE, force=True)
        assert info.value.code == "restore.onto_itself"
    assert _verify(folder) == (True, None)


def test_restore_into_a_folder_inside_the_backup_is_refused(folder: Path) -> None:
    """issue 9, hardening: a backup is only read; restoring into a folder inside it (even
    one that does not exist yet) would write into the backup and is refused."""
    before = _files(folder)
    for target in (folder / "restored", folder / BACKUP_DIR / "nested" / "store"):
        with pytest.raises(InputError) as info:
            admin.restore(folder, target, "beheer", PASSPHRASE)
        assert info.value.code == "restore.target_in_backup"
        assert not target.exists()
    assert _files(folder) == before


def test_restore_from_the_stores_own_automatic_backup_still_works(folder: Path) -> None:
    """issue 9, hardening, the case that must stay allowed: a store restored from one of
    its own automatic backups (the backup lies inside the target), the old files set
    aside, the backup itself untouched."""
    _changed_close(folder)
    backup = folder / BACKUP_DIR / _auto(folder)[-1]
    backup_files = _files(backup)
    old_db = (folder / DB_NAME).read_bytes()
    admin.restore(backup, folder, "beheer", PASSPHRASE, force=True)
    (aside,) = _pre_restore(folder)
    assert (aside / DB_NAME).read_bytes() == old_db
    assert _files(backup) == backup_files
    assert _verify(folder) == (True, None)


# --------------------------------------------------------------------------- rotate


def test_rotate_keeps_the_pre_restore_copy(folder: Path, tmp_path: Path, kdf: KdfParams) -> None:
    """issue 9, hardening: rotate removes the automatic backups made under the old key,
    but never the ``pre-restore-*`` copy that ``restore --force`` set aside (it used to
    delete the whole backups folder, and with it the only copy of the replaced store)."""
    with _opened(folder) as store:
        admin.backup(Session(store, kdf), tmp_path / "bk")
    _changed_close(folder)
    admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE, force=True)
    (aside,) = _pre_restore(folder)
    aside_files = _files(aside)
    old_auto = _auto(folder)
    assert old_auto
    with _opened(folder) as store:
        admin.rotate(Session(store, kdf))
    assert _pre_restore(folder) == [aside]
    assert _files(aside) == aside_files
    assert not set(old_auto) & set(_auto(folder))
    assert _auto(folder)  # the fresh one made under the new key
    assert _data_key(aside) != _data_key(folder)  # still the old key: it opens as it was


def test_drop_auto_backups_removes_only_automatic_backups(folder: Path) -> None:
    """issue 9, hardening: only folders named like an automatic backup go; pre-restore
    copies, a person's own folder or file in backups/, and a symlink that merely has an
    automatic backup's name (with what it points to) stay."""
    _changed_close(folder)
    _changed_close(folder)
    root = folder / BACKUP_DIR
    assert len(_auto(folder)) == 2
    (root / "pre-restore-20300101T000000000000Z").mkdir()
    (root / "pre-restore-20300101T000000000000Z" / DB_NAME).write_bytes(b"x")
    (root / "mine").mkdir()
    (root / "notes.txt").write_text("keep")
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    (root / "20300101T000000000000Z").symlink_to(elsewhere, target_is_directory=True)
    with _opened(folder) as store:
        backups.drop_auto_backups(store)
    left = sorted(p.name for p in root.iterdir())
    assert left == ["20300101T000000000000Z", "mine", "notes.txt",
                    "pre-restore-20300101T000000000000Z"]
    assert (elsewhere / "keep.txt").read_text() == "keep"


# --------------------------------------------------------------------------- damaged pages


def _damage_cases_table(folder: Path) -> None:
    """Damage the root page of the cases table: the store still opens (login reads users,
    meta and audit only), every full copy of it fails."""
    store = _open(folder)
    try:
        (root,) = store.conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()
    finally:
        store.close()
    _damage_page(folder / DB_NAME, root)


def test_failed_backup_leaves_no_half_written_folder(folder: Path) -> None:
    """issue 9, hardening: when the export stops at a damaged page, the half-written
    folder is removed; it used to stay as the newest "automatic backup", counting against
    the five kept and pushing good ones out.  An empty folder the user named stays, empty."""
    _changed_close(folder)
    before = _auto(folder)
    _damage_cases_table(folder)
    explicit = folder.parent / "explicit"
    given = folder.parent / "given"
    given.mkdir()
    attempts: list[Callable[[Store], object]] = [
        backups.auto_backup,
        lambda store: backups.backup_to(store, explicit),
        lambda store: backups.backup_to(store, given),
    ]
    for attempt in attempts:
        store = _open(folder)
        try:
            with pytest.raises(sqlcipher3.DatabaseError, match="malformed"):
                attempt(store)
        finally:
            # Once SQLCipher met a damaged page the connection refuses writes, the logout
            # entry included; close still releases the lock.
            with contextlib.suppress(sqlcipher3.DatabaseError):
                store.close()
    assert _auto(folder) == before
    assert not explicit.exists()
    assert list(given.iterdir()) == []


def test_restore_from_a_damaged_backup_says_so(folder: Path, tmp_path: Path,
                                               kdf: KdfParams) -> None:
    """issue 9, hardening: a backup with a damaged page is refused as ``backup.damaged``
    before the target is touched (integrity_check raised instead of answering, which
    escaped as an internal error)."""
    _damage_cases_table(folder)
    bk = tmp_path / "bk"
    shutil.copytree(folder, bk, ignore=shutil.ignore_patterns(BACKUP_DIR, "*.lock"))
    target = tmp_path / "target"
    with pytest.raises(StoreError) as info:
        admin.restore(bk, target, "beheer", PASSPHRASE)
    assert info.value.code == "backup.damaged"
    assert not target.exists()
    assert (bk / SLOTS_NAME).is_file()
