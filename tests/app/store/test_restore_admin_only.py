"""Restoring a backup is the administrator's act (issue 9, hardening; ZVH 9.6: users, keys
and backups are the beheerder's, ``Action.ADMINISTER``).

``restore`` runs without a session (the store may be lost or damaged): the user proves who
they are with their own slot in the backup, and the role the backup gives them is put to the
policy before anything in the target folder is touched.  Any other role is refused with
``access.role`` and one translated sentence, and neither a new folder nor an existing store
is changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlcipher3

from app.crypto.keyslots import KdfParams
from app.domain.roles import Role
from app.errors import AccessDeniedError, ExitCode, StoreError
from app.services import admin
from app.services.session import Session
from app.store.connection import key_pragma
from app.store.layout import BACKUP_DIR, DB_NAME, SLOTS_NAME
from tests.app.store.support import _add_user, _data_key, _opened, _sha, _write_entries
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE

OTHERS = [Role.DEELNEMER, Role.PROCESREGISSEUR, Role.PRIVACY_OFFICER, Role.NOTULIST,
          Role.CASUSREGISSEUR]


def _backup_with(folder: Path, tmp_path: Path, kdf: KdfParams, role: Role) -> Path:
    """A backup of ``folder`` that holds user ``other`` with ``role``."""
    with _opened(folder) as store:
        _add_user(store, kdf, "other", OTHER_PASSPHRASE, role=role)
        _write_entries(store, 1, name="test.before-backup")
        admin.backup(Session(store, kdf), tmp_path / "bk")
    return tmp_path / "bk"


@pytest.mark.parametrize("role", OTHERS, ids=[r.value for r in OTHERS])
def test_other_roles_may_not_restore_into_a_new_folder(folder: Path, tmp_path: Path,
                                                       kdf: KdfParams, role: Role,
                                                       caplog: pytest.LogCaptureFixture
                                                       ) -> None:
    """ZVH 9.6: a user of any other role who can open the backup is refused (exit 3,
    ``access.role``, a translated sentence); the target folder is not even created.  With
    no store there to record the refusal in, the local log says so, without names."""
    backup = _backup_with(folder, tmp_path, kdf, role)
    target = tmp_path / "restored"
    with pytest.raises(AccessDeniedError) as info:
        admin.restore(backup, target, "other", OTHER_PASSPHRASE)
    assert info.value.code == "access.role"
    assert info.value.exit_code is ExitCode.AUTH
    assert info.value.user_message() == "Only the administrator may restore a backup."
    assert not target.exists()
    refusals = [r.getMessage() for r in caplog.records if r.name == "app.services.admin"]
    assert refusals == ["a refused restore could not be recorded in the target store"]


def test_other_roles_may_not_replace_a_store(folder: Path, tmp_path: Path,
                                             kdf: KdfParams) -> None:
    """ZVH 9.6: with ``force`` onto the live store, a deelnemer's restore is refused before
    anything moves: the key slots are byte-identical, the chain is the store's own, no
    pre-restore copy exists, and the refusal is the newest entry of the store's own
    audit trail (§9.9: it was logged nowhere).  The administrator's restore of the same
    backup then works (the documented flow)."""
    backup = _backup_with(folder, tmp_path, kdf, Role.DEELNEMER)
    with _opened(folder) as store:
        _write_entries(store, 1, name="test.after-backup")
    shutil.rmtree(folder / BACKUP_DIR)
    slots = _sha(folder / SLOTS_NAME)
    with pytest.raises(AccessDeniedError):
        admin.restore(backup, folder, "other", OTHER_PASSPHRASE, force=True)
    assert _sha(folder / SLOTS_NAME) == slots
    assert not (folder / BACKUP_DIR).exists()
    with _opened(folder) as store:
        rows = [(r[4], r[8], json.loads(str(r[15]))) for r in store.audit.rows()]
        assert store.audit.verify().ok
    assert "test.after-backup" in [name for name, _u, _a in rows]
    refusal = [(u, a) for name, u, a in rows if name == "access.denied"]
    assert refusal == [("other", {"action": "restore", "article": "ZVH 9.6",
                                  "rule": "backup_role"})]

    admin.restore(backup, folder, "beheer", PASSPHRASE, force=True)
    assert [p.name.startswith("pre-restore-") for p in (folder / BACKUP_DIR).iterdir()
            ].count(True) == 1
    with _opened(folder) as store:
        names = [r[4] for r in store.audit.rows()]
    assert "test.after-backup" not in names
    assert names.count("store.restore") == 1


def _refused_over(backup: Path, folder: Path, user: str, passphrase: str
                  ) -> AccessDeniedError:
    """Assert that ``user``'s restore of ``backup`` over the store in ``folder`` is refused
    by that store (``access.store_role``) with its key slots byte-identical; the error."""
    slots = _sha(folder / SLOTS_NAME)
    with pytest.raises(AccessDeniedError) as info:
        admin.restore(backup, folder, user, passphrase, force=True)
    assert info.value.code == "access.store_role"
    assert _sha(folder / SLOTS_NAME) == slots
    return info.value


def _entries(folder: Path) -> list[tuple[str, str, dict[str, str]]]:
    with _opened(folder) as store:
        return [(str(r[4]), str(r[8]), json.loads(str(r[15]))) for r in store.audit.rows()]


def test_a_former_administrator_may_not_replace_the_store(folder: Path, tmp_path: Path,
                                                          kdf: KdfParams,
                                                          caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    """ZVH 9.6, §9.9: an older backup still holds a removed administrator's slot and role.
    Replacing the live store asks the live store too: the former administrator opens no
    slot there, so the restore is refused before anything moves (slots byte-identical, no
    pre-restore copy, the chain unchanged), and the local log says it could not be
    recorded, without names.  The root's restore of the same backup then works."""
    backup = _backup_with(folder, tmp_path, kdf, Role.BEHEERDER)
    with _opened(folder) as store:
        assert admin.remove_user(Session(store, kdf), "other") is False
    before = _entries(folder)
    shutil.rmtree(folder / BACKUP_DIR)
    refused = _refused_over(backup, folder, "other", OTHER_PASSPHRASE)
    assert refused.exit_code is ExitCode.AUTH
    assert refused.user_message() == (
        "Only an administrator of the store in the target folder may replace it, with "
        "their passphrase for that store.")
    assert not (folder / BACKUP_DIR).exists()
    after = _entries(folder)
    # Opening the store to compare logs a login of the root; nothing else was added.
    assert after[:len(before)] == before
    assert "access.denied" not in [name for name, _u, _a in after]
    refusals = [r.getMessage() for r in caplog.records if r.name == "app.services.admin"]
    assert refusals == ["a refused restore could not be recorded in the target store"]
    assert not any("other" in message for message in refusals)

    admin.restore(backup, folder, "beheer", PASSPHRASE, force=True)
    assert "store.restore" in [name for name, _u, _a in _entries(folder)]


def test_a_participant_made_administrator_only_in_the_backup_is_refused_and_recorded(
        folder: Path, tmp_path: Path, kdf: KdfParams) -> None:
    """ZVH 9.6: the backup's role is not enough when the store being replaced gives the
    user another one.  A forged user row in a copy (here: a backup in which ``other`` is
    an administrator) does not make them one of the live store's administrators, whose
    signed chain names them a participant; the refusal is an ``access.denied`` entry in
    the live store with rule ``store_role``."""
    with _opened(folder) as store:
        _add_user(store, kdf, "other", OTHER_PASSPHRASE, role=Role.DEELNEMER)
        admin.backup(Session(store, kdf), tmp_path / "bk")
    backup = tmp_path / "bk"
    # The backup's user row says administrator: what a user with the data key can write.
    conn = sqlcipher3.connect(str(backup / DB_NAME))
    conn.execute(key_pragma(_data_key(folder)))
    conn.execute("UPDATE users SET role = 'beheerder' WHERE username = 'other'")
    conn.commit()
    conn.close()
    shutil.rmtree(folder / BACKUP_DIR)
    _refused_over(backup, folder, "other", OTHER_PASSPHRASE)
    assert not (folder / BACKUP_DIR).exists()
    refusal = [(u, a) for name, u, a in _entries(folder) if name == "access.denied"]
    assert refusal == [("other", {"action": "restore", "article": "ZVH 9.6",
                                  "rule": "store_role"})]


def test_an_administrator_whose_passphrase_changed_gives_the_store_s_own(
        folder: Path, tmp_path: Path, kdf: KdfParams) -> None:
    """The backup opens with the passphrase of its day, the live store with today's: the
    restore over the store takes the second one apart (``store_passphrase``); without it
    the store does not open as its administrator and nothing is replaced."""
    with _opened(folder) as store:
        admin.backup(Session(store, kdf), tmp_path / "bk")
        admin.change_passphrase(Session(store, kdf), PASSPHRASE, OTHER_PASSPHRASE)
    backup = tmp_path / "bk"
    shutil.rmtree(folder / BACKUP_DIR, ignore_errors=True)
    slots = _sha(folder / SLOTS_NAME)
    _refused_over(backup, folder, "beheer", PASSPHRASE)

    admin.restore(backup, folder, "beheer", PASSPHRASE, force=True,
                  store_passphrase=OTHER_PASSPHRASE)
    assert _sha(folder / SLOTS_NAME) != slots
    with _opened(folder) as store:  # the backup's slots: the passphrase of its day
        assert store.audit.verify().ok


def test_a_damaged_store_is_replaced_on_the_backup_s_word(folder: Path, tmp_path: Path,
                                                          kdf: KdfParams,
                                                          caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    """Restoring a damaged store is what restore is for: when the store being replaced
    cannot be read to tell who administers it, the backup's role decides, and the local
    log says the check could not be made."""
    with _opened(folder) as store:
        admin.backup(Session(store, kdf), tmp_path / "bk")
    db = folder / DB_NAME
    data = bytearray(db.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first
        data[offset + 100] ^= 0xFF
    db.write_bytes(bytes(data))
    admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE, force=True)
    messages = [r.getMessage() for r in caplog.records if r.name == "app.services.admin"]
    assert messages == [
        "the store being replaced could not be read to check its administrators"]
    with _opened(folder) as store:
        assert store.audit.verify().ok


def test_a_database_without_its_slot_file_is_not_written_over(folder: Path, tmp_path: Path,
                                                              kdf: KdfParams) -> None:
    """Bad input loses nothing: a store folder whose slot file is gone still holds the
    database (the slot file may be in another backup).  A restore without ``force`` is
    refused and leaves it byte-identical; with ``force`` the database is moved into the
    pre-restore copy first, as a whole store would be."""
    with _opened(folder) as store:
        admin.backup(Session(store, kdf), tmp_path / "bk")
    (folder / SLOTS_NAME).unlink()
    shutil.rmtree(folder / BACKUP_DIR)
    database = (folder / DB_NAME).read_bytes()
    with pytest.raises(StoreError) as info:
        admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE)
    assert info.value.code == "restore.target_exists"
    assert (folder / DB_NAME).read_bytes() == database
    admin.restore(tmp_path / "bk", folder, "beheer", PASSPHRASE, force=True)
    aside = [p for p in (folder / BACKUP_DIR).iterdir() if p.name.startswith("pre-restore-")]
    assert len(aside) == 1
    assert (aside[0] / DB_NAME).read_bytes() == database
    with _opened(folder) as store:
        assert store.audit.verify().ok


def test_a_former_administrator_does_not_pass_by_deleting_the_database(
        folder: Path, tmp_path: Path, kdf: KdfParams) -> None:
    """ZVH 9.6, §9.9: the store being replaced is asked for the user's slot before its
    database.  A removed administrator who deletes the live database (anyone with write
    access can) still opens no slot in the live slot file and is refused; only a slot
    file that cannot be read leaves it to the backup's role (the next test)."""
    backup = _backup_with(folder, tmp_path, kdf, Role.BEHEERDER)
    with _opened(folder) as store:
        admin.remove_user(Session(store, kdf), "other")
    (folder / DB_NAME).unlink()
    _refused_over(backup, folder, "other", OTHER_PASSPHRASE)
    assert not (folder / DB_NAME).exists()
    # The root still can: their slot opens, the database is gone, the backup decides.
    admin.restore(backup, folder, "beheer", PASSPHRASE, force=True)
    with _opened(folder) as store:
        assert store.audit.verify().ok


def test_an_unreadable_slot_file_leaves_it_to_the_backup(folder: Path, tmp_path: Path,
                                                         kdf: KdfParams,
                                                         caplog: pytest.LogCaptureFixture
                                                         ) -> None:
    """A slot file that cannot be read says nobody's role: the backup's decides (its
    administrator restores; a participant of the backup is still refused), and the local
    log says the store could not be checked."""
    backup = _backup_with(folder, tmp_path, kdf, Role.DEELNEMER)
    (folder / SLOTS_NAME).write_bytes(b"{ not json")
    with pytest.raises(AccessDeniedError) as info:
        admin.restore(backup, folder, "other", OTHER_PASSPHRASE, force=True)
    assert info.value.code == "access.role"
    assert (folder / SLOTS_NAME).read_bytes() == b"{ not json"
    admin.restore(backup, folder, "beheer", PASSPHRASE, force=True)
    messages = [r.getMessage() for r in caplog.records if r.name == "app.services.admin"]
    assert "the store being replaced could not be read to check its administrators" \
        in messages
    with _opened(folder) as store:
        assert store.audit.verify().ok
