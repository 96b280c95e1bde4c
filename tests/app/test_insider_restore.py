"""A rollback that only an administrator can excuse, tested as a hostile insider would
(issue 9, point 3: backups cannot roll the store back silently).

Copying an older backup over the store needs no key.  A computer that saw the newer chain
refuses the copy, unless the chain holds a signed ``store.restore`` entry naming the head
it replaces: the audited, deliberate restore.  Every user holds a signing key, so that
entry must count only when an administrator of the chain the computer saw signed it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.errors import StoreError
from app.services import admin
from app.store import witness
from app.store.layout import DB_NAME, HEAD_NAME, SLOTS_NAME
from tests.app.services import test_services as ts
from tests.conftest import DEMO_ADMIN, PASSPHRASE, DemoStoreFactory


def _seen(wid: str) -> int:
    return int(str(witness.superseded_attributes(wid)[witness.SUPERSEDED_SEQ]))


def _rolled_back(folder: Path, tmp_path: Path) -> tuple[Path, str]:
    """The administrator takes a backup, then the chair registers a case and the police
    participant logs in on this computer; the backup and the store's witness id."""
    with ts._open(folder, DEMO_ADMIN) as session:
        backup = admin.backup(session, tmp_path / "backup")
        backup_seq = int(session.store.audit.head()[0])  # type: ignore[index]
    ts._new_case(folder)
    with ts._open(folder, ts._user(ts.POLICE)) as session:
        wid = session.store.audit.witness_id
    assert _seen(wid) > backup_seq + 1
    return backup, wid


def _copy_over(backup: Path, folder: Path) -> None:
    """What anyone who can write the folder does: the backup's files over the store's."""
    for name in (DB_NAME, SLOTS_NAME, HEAD_NAME):
        shutil.copyfile(backup / name, folder / name)


def test_a_participants_own_restore_entry_does_not_excuse_a_rollback(
        demo_store: DemoStoreFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9: a HALT participant copies the older backup over the store and, on a
    computer of their own, appends a validly signed ``store.restore`` that claims to
    replace any head.  The police participant's computer, which saw the newer chain,
    still refuses the store, naming the missing entries."""
    folder = demo_store(ts.SPEC)
    backup, wid = _rolled_back(folder, tmp_path)
    seen = _seen(wid)
    _copy_over(backup, folder)
    with monkeypatch.context() as elsewhere:
        elsewhere.setenv(witness.ENV_DIR, str(tmp_path / "halt-computer"))
        with ts._open(folder, ts._user(ts.HALT)) as session, session.store.transaction():
            session.store.log("store.restore", object_type="store",
                              object_id=session.store.meta("store_id"),
                              attributes={witness.SUPERSEDED_SEQ: 10**6,
                                          witness.SUPERSEDED_HASH: "0" * 64})
    with pytest.raises(StoreError) as info:
        ts._open(folder, ts._user(ts.POLICE))
    assert info.value.code == "store.rolled_back"
    assert info.value.params["seen"] == seen


def test_the_administrators_restore_is_followed(
        demo_store: DemoStoreFactory, tmp_path: Path) -> None:
    """Issue 9: the same backup restored by the administrator (``casustafel restore``,
    an audited act) is accepted by the computer that saw the newer chain; the replaced
    chain stays in the pre-restore copy as evidence."""
    folder = demo_store(ts.SPEC)
    backup, wid = _rolled_back(folder, tmp_path)
    seen = _seen(wid)
    admin.restore(backup, folder, DEMO_ADMIN, PASSPHRASE, force=True)
    with ts._open(folder, ts._user(ts.POLICE)) as session:
        restores = session.store.audit.entries_named("store.restore")
    assert len(restores) == 1
    # This computer now follows the restored, shorter chain.
    assert _seen(wid) < seen
    assert list((folder / "backups").glob("pre-restore-*"))
