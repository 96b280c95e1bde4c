"""A SIGKILL during ``import`` never leaves a key slot for a user who does not exist
(issue 9, hardening).

The import runs in a child process that kills itself with SIGKILL at one dangerous point
(a real kill: no ``finally``, no rollback code of ours runs; SQLite's journal does the rest
when the store is opened again).  Before the fix the slot file was written inside the
transaction, before COMMIT: a kill there left slots that open the data key for users that
were rolled back.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.crypto.keyslots import KdfParams, SlotFile
from app.errors import AuthError
from app.services import admin
from app.store import slot_repair
from app.store.layout import SLOTS_NAME
from app.store.store import Store
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROOT = Path(__file__).resolve().parents[3]
PROFILE = "zvh-rotterdam-rijnmond"
NEW_USERS = ["pr.one", "pol1"]

# The child: open the store, arm one kill point, import.  Exit 3 means it was not killed.
CHILD = r"""
import json, os, signal, sys
from pathlib import Path
from app.crypto.keyslots import KdfParams
from app.dataset import load_dataset
from app.services.session import Session

folder, doc_file, point, passphrase, new_passphrase = sys.argv[1:6]
kdf = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
session = Session.open(Path(folder), "beheer", passphrase, kdf=kdf)
store = session.store

def die():
    os.kill(os.getpid(), signal.SIGKILL)

class KillAtCommit:
    # Connection objects of the driver take no new attributes: wrap the connection.
    def __init__(self, conn, after):
        self._conn, self._after = conn, after
    def execute(self, sql, *args):
        if sql == "COMMIT" and not self._after:
            die()
        result = self._conn.execute(sql, *args)
        if sql == "COMMIT":
            die()
        return result
    def __getattr__(self, name):
        return getattr(self._conn, name)

if point == "after_slot_write":
    real_write = store.write_slots
    def write_then_die():
        real_write()
        die()
    store.write_slots = write_then_die
elif point in ("before_commit", "after_commit"):
    store.conn = KillAtCommit(store.conn, after=point == "after_commit")
doc = json.loads(Path(doc_file).read_text(encoding="utf-8"))
load_dataset(session, doc, new_user_passphrase=new_passphrase)
sys.exit(3)
"""


def _doc() -> dict[str, Any]:
    return {
        "format": "casustafel-import", "version": 1, "profile": PROFILE,
        "users": [
            {"username": "PR.One", "name": "Pia Regisseur", "role": "procesregisseur",
             "party": "gemeente-rotterdam"},
            {"username": "pol1", "name": "Paul Politie", "role": "deelnemer",
             "party": "politie-rotterdam"},
        ],
        "cases": [{"ref": "ZVH-K1", "phase": "aanmelding",
                   "registering_party": "gemeente-rotterdam", "procesregisseur": "pr.one",
                   "opened_at": "2025-04-01"}],
    }


@pytest.fixture
def store_folder(tmp_path: Path, kdf: KdfParams) -> Path:
    folder = tmp_path / "store"
    admin.init_store(folder, profile_id=PROFILE, admin_username="beheer",
                     admin_display_name="Beheer", admin_party=None, passphrase=PASSPHRASE,
                     kdf=kdf).close(backup=False)
    return folder


def _import_killed_at(folder: Path, point: str, tmp_path: Path) -> None:
    doc_file = tmp_path / "import.json"
    doc_file.write_text(json.dumps(_doc()), encoding="utf-8")
    # The child imports this checkout's code, whatever else is on the path.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(doc_file), point, PASSPHRASE,
         OTHER_PASSPHRASE],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=120, check=False)
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stderr)


def _slot_ids_without_user(store: Store) -> set[str]:
    """Computed here independently of slot_repair: slot ids on disk minus the slot ids of
    users who exist and are not removed."""
    on_disk = SlotFile.read(store.folder / SLOTS_NAME)
    users = [r[0] for r in store.conn.execute(
        "SELECT username FROM users WHERE removed_at IS NULL")]
    return {s.slot_id for s in on_disk.slots} - {on_disk.slot_id_for(u) for u in users}


@pytest.mark.parametrize("point", ["after_slot_write", "before_commit", "after_commit"])
def test_sigkill_during_import_leaves_no_orphan_slot(
    point: str, store_folder: Path, tmp_path: Path
) -> None:
    """issue 9, hardening: SIGKILL right after the slot file is written, right before
    the import's COMMIT, or right after it: afterwards every slot on disk belongs to a user
    in ``users`` (before the fix the first two left slots for rolled-back users)."""
    _import_killed_at(store_folder, point, tmp_path)
    with Store.open(store_folder, "beheer", PASSPHRASE) as store:
        assert store.lock_info.stale  # the killed child's lock was taken over
        assert _slot_ids_without_user(store) == set()
        assert slot_repair.orphan_slot_ids(store) == []
        imported = store.conn.execute(
            "SELECT count(*) FROM cases WHERE reference = 'ZVH-K1'").fetchone()[0]
        # Whatever the kill point, the import is all or nothing in the database.
        users = {r[0] for r in store.conn.execute("SELECT username FROM users")}
        assert users == ({"beheer", *NEW_USERS} if imported else {"beheer"})
        assert store.audit.verify().ok


def test_sigkill_after_commit_is_recoverable(store_folder: Path, tmp_path: Path,
                                             kdf: KdfParams) -> None:
    """issue 9, hardening: killed between the COMMIT and the slot file, the new users
    are in the store without a slot: they cannot log in (no key slot opens for them) until
    an administrator issues them one, after which they can."""
    _import_killed_at(store_folder, "after_commit", tmp_path)
    with pytest.raises(AuthError):
        Store.open(store_folder, "pr.one", OTHER_PASSPHRASE)
    with Store.open(store_folder, "beheer", PASSPHRASE) as store:
        assert slot_repair.slotless_users(store) == sorted(NEW_USERS)
        assert slot_repair.issue_slots(store, NEW_USERS, OTHER_PASSPHRASE, kdf) == 2
    with Store.open(store_folder, "pr.one", OTHER_PASSPHRASE) as store:
        assert store.user.username == "pr.one"
