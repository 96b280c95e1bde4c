"""Backups and restore (app/store/backup.py, ``admin.backup`` / ``admin.restore``): the
foundation issue's requirements on automatic rotating backups, explicit backups and restoring
them, one requirement per test (see each docstring).  Split from test_store.py."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import types
from pathlib import Path

import pytest

from app.crypto.keyslots import KdfParams
from app.errors import AuthError, StoreError
from app.services import admin
from app.services.session import Session
from app.store import backup as backups
from app.store import migrations
from app.store.connection import open_connection
from app.store.layout import BACKUP_DIR, DB_NAME, SLOTS_NAME
from tests.app.store.support import (
    _add_user,
    _data_key,
    _open,
    _opened,
    _sha,
    _verify,
    _write_entries,
)
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE

STAMP = re.compile(r"^\d{8}T\d{12}Z$")


# --------------------------------------------------------------------------- backups


def _auto_backups(path: Path) -> list[str]:
    root = path / BACKUP_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and STAMP.match(p.name))


def test_automatic_backups_keep_at_most_five(folder: Path) -> None:
    """Requirement: a clean close makes an automatic rotating backup; at most 5 are kept,
    the newest ones; a close with backup=False makes none."""
    made: list[str] = []
    for _round in range(7):
        with _opened(folder) as store:
            _write_entries(store, 1)
        new = sorted(set(_auto_backups(folder)) - set(made))
        assert len(new) == 1
        made += new
    assert _auto_backups(folder) == made[-5:]
    _open(folder).close()
    assert _auto_backups(folder) == made[-5:]


def test_backup_opens_with_the_same_slots(folder: Path, tmp_path: Path, kdf: KdfParams) -> None:
    """Requirement: a backup carries the same key slots and opens for the same users, with
    the data and an intact audit trail."""
    with _opened(folder) as store:
        _add_user(store, kdf, "jan", OTHER_PASSPHRASE)
        marker = _write_entries(store, 1, name="test.marker")[0]
    newest = folder / BACKUP_DIR / _auto_backups(folder)[-1]
    assert (newest / SLOTS_NAME).read_bytes() == (folder / SLOTS_NAME).read_bytes()
    manifest = json.loads((newest / "backup.json").read_bytes())
    assert manifest["schema_version"] == migrations.LATEST
    copy = tmp_path / "copy-of-backup"
    shutil.copytree(newest, copy)
    for user, passphrase in (("beheer", PASSPHRASE), ("jan", OTHER_PASSPHRASE)):
        store = _open(copy, user, passphrase)
        try:
            assert store.conn.execute(
                "SELECT name FROM audit WHERE seq = ?", (marker,)).fetchone() == ("test.marker",)
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert migrations.current_version(store.conn) == migrations.LATEST
            assert store.audit.verify().ok
        finally:
            store.close()


def test_restore_into_new_folder_gives_working_store(
    folder: Path, tmp_path: Path, kdf: KdfParams
) -> None:
    """Requirement: ``restore`` of a backup into a new folder gives a working store."""
    with _opened(folder) as store:
        marker = _write_entries(store, 1, name="test.marker")[0]
        admin.backup(Session(store, kdf), tmp_path / "bk")
    target = tmp_path / "restored"
    admin.restore(tmp_path / "bk", target, "beheer", PASSPHRASE)
    with _opened(target) as store:
        assert store.conn.execute(
            "SELECT name FROM audit WHERE seq = ?", (marker,)).fetchone() == ("test.marker",)
        names = [r[4] for r in store.audit.rows()]
        assert "store.restore" in names
        _write_entries(store, 2)
    assert _verify(target) == (True, None)


def test_restore_with_wrong_passphrase_touches_nothing(folder: Path, tmp_path: Path) -> None:
    """Requirement: restore first checks the backup opens for the user; otherwise nothing is
    written to the target."""
    Session(_open(folder)).close()
    backup = folder / BACKUP_DIR / _auto_backups(folder)[-1]
    target = tmp_path / "restored"
    with pytest.raises(AuthError):
        admin.restore(backup, target, "beheer", OTHER_PASSPHRASE)
    assert not target.exists()


def test_restore_onto_existing_store_needs_force_and_keeps_old_files(
    folder: Path, tmp_path: Path
) -> None:
    """Requirement: restore onto an existing store needs ``force``; with it the old files are
    moved aside (byte-identical, nothing lost) and the store holds the backup's content."""
    with _opened(folder) as store:
        _write_entries(store, 1, name="test.before-backup")
    backup = tmp_path / "bk"
    shutil.copytree(folder / BACKUP_DIR / _auto_backups(folder)[-1], backup)
    with _opened(folder) as store:
        after = _write_entries(store, 1, name="test.after-backup")[0]
    originals = {name: (folder / name).read_bytes()
                 for name in (DB_NAME, SLOTS_NAME, "audit.head")}

    with pytest.raises(StoreError) as info:
        admin.restore(backup, folder, "beheer", PASSPHRASE)
    assert info.value.code == "restore.target_exists"
    assert {n: (folder / n).read_bytes() for n in originals} == originals

    admin.restore(backup, folder, "beheer", PASSPHRASE, force=True)
    aside = [p for p in (folder / BACKUP_DIR).iterdir() if p.name.startswith("pre-restore-")]
    assert len(aside) == 1
    assert {n: (aside[0] / n).read_bytes() for n in originals} == originals
    with _opened(folder) as store:
        names = {r[4] for r in store.audit.rows()}
        assert "test.before-backup" in names
        assert "test.after-backup" not in names
    assert _verify(folder) == (True, None)
    # The set-aside files are a complete, openable store with the newer entry.
    old = tmp_path / "old"
    shutil.copytree(aside[0], old)
    store = _open(old)
    try:
        assert store.conn.execute(
            "SELECT name FROM audit WHERE seq = ?", (after,)).fetchone() == ("test.after-backup",)
    finally:
        store.close()


def test_restore_onto_store_in_use_is_refused(folder: Path, tmp_path: Path,
                                              kdf: KdfParams) -> None:
    """Requirement: restore never replaces a store that is open elsewhere."""
    with _opened(folder) as store:
        admin.backup(Session(store, kdf), tmp_path / "bk")
    store = _open(folder)
    try:
        before = _sha(folder / DB_NAME)
        with pytest.raises(StoreError) as info:
            admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE, force=True)
        assert info.value.code == "store.in_use"
        assert _sha(folder / DB_NAME) == before
    finally:
        store.close()


class _SteppingClock(dt.datetime):
    """A clock for app.store.backup that advances by ``step`` seconds per call."""

    ticks = itertools.count()
    step = 0

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _SteppingClock:  # type: ignore[override]  # noqa: ARG003
        base = cls(2030, 1, 1, tzinfo=dt.UTC)
        return base + dt.timedelta(seconds=cls.step * next(cls.ticks))


def _fixed_clock(monkeypatch: pytest.MonkeyPatch, step: int) -> None:
    clock = type("Clock", (_SteppingClock,), {"ticks": itertools.count(), "step": step})
    monkeypatch.setattr(backups, "dt", types.SimpleNamespace(UTC=dt.UTC, datetime=clock))


def test_two_forced_restores_in_quick_succession(
    folder: Path, tmp_path: Path, kdf: KdfParams
) -> None:
    """Requirement: restore onto an existing store with force works every time and loses
    nothing, also when two restores follow each other within the same second."""
    with _opened(folder) as store:
        admin.backup(Session(store, kdf), tmp_path / "bk")
    first_db = (folder / DB_NAME).read_bytes()
    admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE, force=True)
    second_db = (folder / DB_NAME).read_bytes()
    admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE, force=True)
    aside = [p for p in (folder / BACKUP_DIR).iterdir() if p.name.startswith("pre-restore-")]
    assert len(aside) == 2
    assert {(p / DB_NAME).read_bytes() for p in aside} == {first_db, second_db}
    assert _verify(folder) == (True, None)


def test_set_aside_files_survive_backup_rotation(
    folder: Path, tmp_path: Path, kdf: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requirement: restore moves the old files aside so nothing is lost, and the automatic
    backups keep working (up to 5 of them) after restores."""
    with _opened(folder) as store:
        admin.backup(Session(store, kdf), tmp_path / "bk")
    _fixed_clock(monkeypatch, step=1)
    for _round in range(6):
        admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE, force=True)
    aside = [p for p in (folder / BACKUP_DIR).iterdir() if p.name.startswith("pre-restore-")]
    assert len(aside) == 6
    assert _auto_backups(folder)


def test_read_only_sessions_do_not_pile_up_backups(folder: Path) -> None:
    """A session that only read makes no new automatic backup while a recent one exists."""
    store = _open(folder)
    with store.transaction():
        store.log("test.change")
    Session(store).close()  # a clean close: backup when due
    count = len(_auto_backups(folder))
    for _round in range(3):
        Session(_open(folder)).close()
    assert len(_auto_backups(folder)) == count


def test_rotate_removes_old_automatic_backups(folder: Path, kdf: KdfParams) -> None:
    """Requirement: after rotate the automatic backups made under the old data key are gone;
    the backups that remain open with the new key and not with the old one."""
    for _round in range(3):
        store = _open(folder)
        with store.transaction():
            store.log("test.change")  # a change: clean close makes an automatic backup
        Session(store).close()  # a clean close: backup when due
    before = _auto_backups(folder)
    assert len(before) == 3
    old_key = _data_key(folder)
    with _opened(folder) as store:
        admin.rotate(Session(store, kdf))
        new_key = store.data_key
    assert new_key != old_key
    after = _auto_backups(folder)
    assert after
    assert not set(before) & set(after)
    for name in after:
        bk = folder / BACKUP_DIR / name
        assert _data_key(bk) == new_key
        open_connection(bk / DB_NAME, new_key).close()
        with pytest.raises(StoreError):
            open_connection(bk / DB_NAME, old_key)
