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

from app.crypto.keyslots import KdfParams
from app.domain.roles import Role
from app.errors import AccessDeniedError, ExitCode
from app.services import admin
from app.services.session import Session
from app.store.layout import BACKUP_DIR, SLOTS_NAME
from tests.app.store.support import _add_user, _opened, _sha, _write_entries
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
