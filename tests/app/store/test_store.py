"""The foundation issue's "Done when" list, one requirement per test (see each docstring).

Backups and restore are in test_backup.py; the helpers both use are in support.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from app.cli.main import main
from app.crypto.keyslots import KdfParams, SlotFile, new_data_key
from app.domain.roles import Role
from app.errors import AuthError, CasusError, StoreError
from app.fsutil import atomic_write
from app.logsetup import setup_logging
from app.paths import log_dir
from app.services import admin, keys_migrate
from app.services.session import Session
from app.store import migrations
from app.store.connection import SQLITE_MAGIC, key_pragma, open_connection
from app.store.layout import BACKUP_DIR, DB_NAME, LOCK_NAME, PENDING_NAME, SLOTS_NAME
from app.store.store import Store
from tests.app.store.support import (
    _add_user,
    _create,
    _data_key,
    _open,
    _opened,
    _sha,
    _verify,
    _write_entries,
)
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE, TEST_KDF

FIXTURE_V1 = Path(__file__).resolve().parents[2] / "fixtures" / "store_v1"
THIRD_PASSPHRASE = "a third passphrase, long enough"


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _opened_new(path: Path, kdf: KdfParams) -> Iterator[Store]:
    with Session(_create(path, kdf)) as session:
        yield session.store


@contextlib.contextmanager
def _raw(path: Path, key: bytes) -> Iterator[Any]:
    """A bare sqlcipher3 connection on ``path``'s database, keyed with ``key``."""
    conn = sqlcipher3.connect(str(path / DB_NAME), isolation_level=None)
    try:
        conn.execute(key_pragma(key))
        conn.execute("PRAGMA cipher_log_level = NONE")
        yield conn
    finally:
        conn.close()


def _cli(argv: list[str], kdf: KdfParams, capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the CLI in-process; return (exit code, stderr captured at the fd level)."""
    capfd.readouterr()
    code = main(argv, kdf=kdf)
    return code, capfd.readouterr().err


def _pass_file(tmp_path: Path, passphrase: str, name: str = "pass.txt") -> Path:
    path = tmp_path / name
    path.write_text(passphrase + "\n", encoding="utf-8")
    return path


def _run_script(tmp_path: Path, name: str, source: str) -> Path:
    script = tmp_path / name
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    return script


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


# --------------------------------------------------------------------------- canary


def _canary_hits(roots: list[Path], canary: str) -> list[Path]:
    needles = {canary.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")}
    needles |= {canary.casefold().encode("utf-8"), canary.casefold().encode("utf-16-le")}
    hits = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            try:
                if not path.is_file() or path.is_symlink():
                    continue
                data = path.read_bytes()
            except OSError:  # a temp file vanished between listing and reading
                continue
            if any(needle in data for needle in needles):
                hits.append(path)
    return hits


def test_canary_never_reaches_disk_in_clear(
    tmp_path: Path, kdf: KdfParams, sandbox: Path
) -> None:
    """Requirement: no personal data in clear on disk.  A canary written as a user display
    name and as an audit attribute appears in no file (UTF-8 or UTF-16) under the store
    folder (incl. backups/ and the rollback journal), the log directory, the temp directory
    or anywhere in the test session's sandbox: during a transaction, after a commit while
    open, after an explicit backup, and after close (automatic backup)."""
    setup_logging()  # the technical log must be one of the places searched
    canary = "Kanariepiet" + secrets.token_hex(4)
    path = tmp_path / "store"
    roots = [path, tmp_path, sandbox, log_dir(), Path(os.environ["TMPDIR"])]
    store = _create(path, kdf, display_name=canary)
    try:
        _add_user(store, kdf, "jan", OTHER_PASSPHRASE)
        with store.transaction():
            store.log("test.canary", object_type="note", attributes={"text": canary})
            store.conn.execute(
                "UPDATE users SET display_name = ? WHERE username = 'jan'", (canary + " Jan",)
            )
            # Mid-transaction the rollback journal exists; it holds encrypted pages only.
            assert _canary_hits(roots, canary) == []
        assert _canary_hits(roots, canary) == []
        admin.backup(Session(store, kdf), tmp_path / "manual-backup")
        assert _canary_hits(roots, canary) == []
    finally:
        Session(store).close()  # a clean close: backup when due
    assert (path / BACKUP_DIR).is_dir()
    assert any(log_dir().iterdir())
    assert _canary_hits(roots, canary) == []
    # The canary really is in the store (the sweep above was not vacuous).
    with _opened(path) as store:
        assert store.user.display_name == canary
        assert any(canary in str(row[15]) for row in store.audit.rows())
    assert _canary_hits(roots, canary) == []


def test_store_file_is_not_plain_sqlite(folder: Path, kdf: KdfParams) -> None:
    """Requirement: the store file does not start with ``SQLite format 3`` (nor do backups),
    and a plain sqlite3 connection cannot read it."""
    with _opened(folder) as store:
        _write_entries(store, 3)
    dbs = [p for p in _files(folder) if p.name == DB_NAME]
    assert len(dbs) == 2  # the store and its automatic backup
    for db in dbs:
        head = db.read_bytes()[:16]
        assert head != SQLITE_MAGIC
        assert not head.startswith(b"SQLite format 3")
    conn = sqlite3.connect(folder / DB_NAME)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def test_store_files_are_user_only(folder: Path, kdf: KdfParams) -> None:
    """Requirement: files are mode 0600 (database, slots, audit head, lock note, and the
    rollback journal while a transaction runs); the store folder is 0700."""
    store = _open(folder)
    try:
        with store.transaction():
            store.log("test.write")
            journal = folder / (DB_NAME + "-journal")
            if journal.exists():
                assert stat.S_IMODE(journal.stat().st_mode) == 0o600
        top = [p for p in folder.iterdir() if p.is_file()]
        assert {p.name for p in top} >= {DB_NAME, SLOTS_NAME, "audit.head", LOCK_NAME}
        for path in top:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        store.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_backup_files_are_user_only(folder: Path, kdf: KdfParams, tmp_path: Path) -> None:
    """Requirement: files are mode 0600, also in automatic backups and in an explicit backup
    written into an existing (empty, world-readable) folder."""
    outside = tmp_path / "shared"
    outside.mkdir(mode=0o755)
    outside.chmod(0o755)
    previous = os.umask(0o022)  # the common default; the result must not depend on it
    try:
        with _opened(folder) as store:
            admin.backup(Session(store, kdf), outside)
    finally:
        os.umask(previous)
    files = _files(folder / BACKUP_DIR) + _files(outside)
    assert any(p.name == DB_NAME for p in files)
    modes = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    assert set(modes.values()) == {"0o600"}, modes


# --------------------------------------------------------------------------- wrong passphrase


def test_wrong_passphrase_is_auth_error_and_changes_nothing(folder: Path) -> None:
    """Requirement: a wrong passphrase gives AuthError and leaves the database file (and the
    slot and audit head files) byte-identical."""
    watched = [folder / DB_NAME, folder / SLOTS_NAME, folder / "audit.head"]
    before = [_sha(p) for p in watched]
    with pytest.raises(AuthError) as info:
        _open(folder, passphrase=OTHER_PASSPHRASE)
    assert info.value.code == "auth.failed"
    with pytest.raises(AuthError):
        _open(folder, user="niemand")
    assert [_sha(p) for p in watched] == before
    # The failed attempts left no lock behind.
    with _opened(folder) as store:
        assert not store.lock_info.stale


def test_cli_wrong_passphrase_exit_3_one_line(
    folder: Path, tmp_path: Path, kdf: KdfParams, capfd: pytest.CaptureFixture[str]
) -> None:
    """Requirement: on the CLI a wrong passphrase exits 3 with exactly one line on stderr,
    without SQLCipher noise ("ERROR CORE") and without changing the database file."""
    before = _sha(folder / DB_NAME)
    wrong = _pass_file(tmp_path, OTHER_PASSPHRASE)
    code, err = _cli(["audit", "verify", str(folder), "--user", "beheer",
                      "--passphrase-file", str(wrong)], kdf, capfd)
    assert code == 3
    assert len(err.splitlines()) == 1, err
    assert err.startswith("casustafel: ")
    assert "ERROR CORE" not in err
    assert "Traceback" not in err
    assert _sha(folder / DB_NAME) == before


# --------------------------------------------------------------------------- unusable stores


def _plain_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('plain')")
    conn.commit()
    conn.close()


def _make_unusable(kind: str, folder: Path, tmp_path: Path) -> Path:
    """Damage a copy of ``folder`` (or make a non-store) in the way ``kind`` names."""
    target = tmp_path / kind
    db = target / DB_NAME
    if kind == "missing":
        return tmp_path / "does-not-exist"
    if kind == "not-a-store":
        target.mkdir()
        (target / "notes.txt").write_text("hello")
        return target
    if kind == "plain-file-as-store":
        _plain_sqlite(target)
        return target
    if kind == "other-file-as-store":
        target.write_bytes(b"just some text\n" * 100)
        return target
    shutil.copytree(folder, target)
    if kind == "plain-db":
        db.unlink()
        _plain_sqlite(db)
    elif kind == "truncated-db":
        data = db.read_bytes()
        assert len(data) > 4096
        db.write_bytes(data[: len(data) - 1000])
    elif kind == "random-db":
        db.write_bytes(os.urandom(len(db.read_bytes())))
    elif kind == "missing-slots":
        (target / SLOTS_NAME).unlink()
    return target


UNUSABLE = {
    "plain-db": "store.plaintext",
    "plain-file-as-store": "store.plaintext",
    "truncated-db": "store.truncated",
    "random-db": "store.damaged",
    "missing": "store.missing",
    "not-a-store": "store.not_casustafel",
    "other-file-as-store": "store.not_folder",
    "missing-slots": "store.slots_missing",
}


@pytest.mark.parametrize("case", sorted(UNUSABLE.items()), ids=sorted(UNUSABLE))
def test_unusable_store_gives_clear_store_error(
    case: tuple[str, str], folder: Path, tmp_path: Path, kdf: KdfParams,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Requirement: distinct, clear StoreError codes for a plaintext SQLite file (as the db
    file and as the STORE path), a truncated db file (unaligned cut), a random-bytes db file,
    a missing folder and a folder that is not a store; on the CLI each exits 5 with one
    stderr line and no SQLCipher noise."""
    kind, code = case
    target = _make_unusable(kind, folder, tmp_path)
    with pytest.raises(StoreError) as info:
        _open(target)
    assert info.value.code == code
    assert info.value.exit_code == 5
    passphrase = _pass_file(tmp_path, PASSPHRASE)
    exit_code, err = _cli(["users", "list", str(target), "--user", "beheer",
                           "--passphrase-file", str(passphrase)], kdf, capfd)
    assert exit_code == 5
    assert len(err.splitlines()) == 1, err
    assert "ERROR CORE" not in err
    assert "Traceback" not in err
    assert err.strip() == f"casustafel: {info.value.user_message()}"


def test_unusable_store_codes_are_distinct() -> None:
    """Requirement: the failure kinds are told apart (one code per kind of problem)."""
    by_problem = {
        "plaintext": UNUSABLE["plain-db"], "truncated": UNUSABLE["truncated-db"],
        "random": UNUSABLE["random-db"], "missing": UNUSABLE["missing"],
        "not a store": UNUSABLE["not-a-store"],
    }
    assert len(set(by_problem.values())) == len(by_problem)
    assert UNUSABLE["plain-file-as-store"] == UNUSABLE["plain-db"]


# --------------------------------------------------------------------------- users, rotate


def test_removed_user_and_rotate_void_old_slots(tmp_path: Path, kdf: KdfParams) -> None:
    """Requirement: a removed user cannot open, others still can; after rotate a copy of the
    old keyslots.json saved before the removal opens nothing (neither put back in place nor
    by unlocking the old slot and using its key), while every remaining user still opens."""
    path = tmp_path / "store"
    with _opened_new(path, kdf) as store:
        _add_user(store, kdf, "jan", OTHER_PASSPHRASE)
        _add_user(store, kdf, "piet", THIRD_PASSPHRASE, role=Role.PROCESREGISSEUR,
                  party="gemeente-rotterdam")
        _write_entries(store, 2)
    old_slots = (path / SLOTS_NAME).read_bytes()
    _open(path, "jan", OTHER_PASSPHRASE).close()

    with _opened(path) as store:
        admin.remove_user(Session(store, kdf), "jan")
    with pytest.raises(AuthError):
        _open(path, "jan", OTHER_PASSPHRASE)
    _open(path, "piet", THIRD_PASSPHRASE).close()

    with _opened(path) as store:
        admin.rotate(Session(store, kdf))
    new_slots = (path / SLOTS_NAME).read_bytes()
    assert new_slots != old_slots
    old_key = SlotFile.from_bytes(old_slots).unlock("jan", OTHER_PASSPHRASE)

    # 1. The old slot file put back in place.
    (path / SLOTS_NAME).write_bytes(old_slots)
    for user, passphrase in (("jan", OTHER_PASSPHRASE), ("beheer", PASSPHRASE)):
        with pytest.raises(CasusError):
            _open(path, user, passphrase)
    (path / SLOTS_NAME).write_bytes(new_slots)

    # 2. The key from the old slot, used directly on the database and on every backup.
    with pytest.raises(StoreError) as info:
        open_connection(path / DB_NAME, old_key)
    assert info.value.code == "store.damaged"
    with _raw(path, old_key) as conn, pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    backup_dbs = list((path / BACKUP_DIR).rglob(DB_NAME))
    assert backup_dbs
    for db in backup_dbs:
        with pytest.raises(StoreError):
            open_connection(db, old_key)

    # 3. The users present before the rotation still open the rotated store.
    for user, passphrase in (("beheer", PASSPHRASE), ("piet", THIRD_PASSPHRASE)):
        with _opened(path, user, passphrase) as store:
            assert store.slots.generation == 2
    assert _verify(path) == (True, None)


def test_interrupted_rotate_is_finished_on_open(folder: Path, kdf: KdfParams) -> None:
    """Requirement: rotate is crash-safe.  A crash after the database was rekeyed but before
    keyslots.pending replaced keyslots.json is finished by the next open; a crash before the
    rekey leaves a store that still opens with the old slots."""
    with _opened(folder) as store:
        _add_user(store, kdf, "jan", OTHER_PASSPHRASE)
    old_key = _data_key(folder)
    store = _open(folder)
    new_key = new_data_key()
    store.slots.reseal(new_key)
    atomic_write(folder / PENDING_NAME, store.slots.to_bytes())
    store.conn.execute(key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
    store.close()  # "crash": keyslots.json still holds the old generation
    assert _data_key(folder) == old_key
    with _opened(folder, "jan", OTHER_PASSPHRASE) as reopened:
        assert reopened.data_key == new_key
    assert not (folder / PENDING_NAME).exists()
    assert _data_key(folder) == new_key
    assert SlotFile.read(folder / SLOTS_NAME).generation == 2

    # A crash before the rekey: the pending file is there, the database has the old key.
    store = _open(folder)
    store.slots.reseal(new_data_key())
    atomic_write(folder / PENDING_NAME, store.slots.to_bytes())
    store.close()
    with _opened(folder) as reopened:
        assert reopened.data_key == new_key
        assert reopened.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _verify(folder) == (True, None)


def test_create_refuses_a_non_empty_folder(tmp_path: Path, kdf: KdfParams) -> None:
    """Requirement: a new store is only made in an empty or new folder (never over data)."""
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(StoreError) as info:
        _create(busy, kdf)
    assert info.value.code == "store.folder_not_empty"
    assert [p.name for p in busy.iterdir()] == ["thesis.docx"]


# --------------------------------------------------------------------------- audit tampering


def _tamper(path: Path, key: bytes, how: str) -> None:
    with _raw(path, key) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        if how == "edited":
            conn.execute("UPDATE audit SET object_id = 'vervalst' WHERE seq = 4")
        elif how == "deleted":
            conn.execute("DELETE FROM audit WHERE seq = 4")
        elif how == "reordered":
            conn.execute("BEGIN")
            conn.execute("UPDATE audit SET seq = -4 WHERE seq = 4")
            conn.execute("UPDATE audit SET seq = 4 WHERE seq = 5")
            conn.execute("UPDATE audit SET seq = 5 WHERE seq = -4")
            conn.execute("COMMIT")
        elif how == "cut-off":
            conn.execute("DELETE FROM audit WHERE seq > 5")
        else:  # pragma: no cover
            raise AssertionError(how)


@pytest.mark.parametrize("how", ["edited", "deleted", "reordered", "cut-off"])
def test_audit_verify_detects_tampering(how: str, folder: Path) -> None:
    """Requirement: audit verify detects an edited, a deleted, a reordered and a cut-off
    entry, made through a raw SQLCipher connection holding the store's data key."""
    with _opened(folder) as store:
        _write_entries(store, 8)
        key = store.data_key
    assert _verify(folder) == (True, None)
    _tamper(folder, key, how)
    if how == "cut-off":
        # This computer saw the cut entries: it refuses the store outright (issue 9).
        with pytest.raises(StoreError) as info:
            _verify(folder)
        assert info.value.code == "store.rolled_back"
        os.environ["CASUSTAFEL_WITNESS_DIR"] = str(folder.parent / "another-computer")
    ok, problem = _verify(folder)
    assert not ok
    assert problem
    # Verify keeps reporting it (the verify run itself did not repair anything).
    assert not _verify(folder)[0]


def test_audit_cut_off_stays_visible_after_new_entries(folder: Path) -> None:
    """Requirement: after a cut-off, opening the store again and writing new entries (more
    than were cut) does not hide the cut-off: verify still reports the trail broken."""
    with _opened(folder) as store:
        _write_entries(store, 8)
        key = store.data_key
        head_seq = store.conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
    _tamper(folder, key, "cut-off")
    # On a computer that never saw the cut entries (this one would refuse the store).
    os.environ["CASUSTAFEL_WITNESS_DIR"] = str(folder.parent / "another-computer")
    for _round in range(3):
        with _opened(folder) as store:
            _write_entries(store, 6)
            count = store.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert count > head_seq
    ok, problem = _verify(folder)
    assert not ok
    assert problem == "entry does not match the head file"


# --------------------------------------------------------------------------- SIGKILL

WRITER = """
    import os
    import sys
    from pathlib import Path

    from app.crypto.keyslots import KdfParams
    from app.services.session import Session
    from app.store.store import Store

    session = Session(Store.open(Path(sys.argv[1]), "beheer", os.environ["WRITER_PASSPHRASE"]),
                      KdfParams(1, 8, 1))
    store = session.store
    print("open", flush=True)
    i = 0
    while True:
        with store.transaction():
            seq = store.log("test.write", object_type="row", object_id=str(i),
                            attributes={"i": i, "pad": "x" * (i % 300)})
        print(seq, flush=True)
        i += 1
"""


def _writer_env() -> dict[str, str]:
    env = dict(os.environ)
    env["WRITER_PASSPHRASE"] = PASSPHRASE
    return env


@pytest.mark.slow
def test_sigkill_during_writes_never_damages_the_store(folder: Path, tmp_path: Path) -> None:
    """Requirement: SIGKILL robustness.  A writer process running a stream of write
    transactions is killed at a random moment, 50 times on the same store; after each kill
    the store opens (stale lock taken over), PRAGMA integrity_check is ok, every sequence
    number the writer reported as committed is present, and audit verify is OK."""
    script = _run_script(tmp_path, "writer.py", WRITER)
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    env = _writer_env()
    committed: set[int] = set()
    stale_seen = 0
    for round_no in range(50):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(folder)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=env,
        )
        try:
            if round_no % 5 == 4:
                # Anywhere, also during start-up, unlocking and the login entry.
                time.sleep(rng.uniform(0.0, 0.3))
            else:
                assert proc.stdout is not None
                first = proc.stdout.readline()
                assert first == b"open\n", (first, proc.stderr.read() if proc.stderr else b"")
                time.sleep(rng.uniform(0.0, 0.04))
        finally:
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, (round_no, err)
        lines = out.split(b"\n")[:-1]  # only complete lines
        opened = round_no % 5 != 4 or (bool(lines) and lines[0] == b"open")
        reported = {int(line) for line in lines if line.isdigit()}
        committed |= reported

        store = _open(folder)
        try:
            if opened:
                assert store.lock_info.stale, f"round {round_no} (seed {seed})"
            stale_seen += store.lock_info.stale
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            present = {row[0] for row in store.conn.execute(
                "SELECT seq FROM audit WHERE name = 'test.write'")}
            missing = committed - present
            assert not missing, f"round {round_no} (seed {seed}): lost {sorted(missing)[:5]}"
            result = store.audit.verify()
            assert result.ok, f"round {round_no} (seed {seed}): {result}"
        finally:
            store.close()
    assert stale_seen >= 40
    assert len(committed) >= 10, "the writer hardly wrote anything; the test proves little"


# --------------------------------------------------------------------------- one process only

OPENER = """
    import json
    import os
    import sys
    from pathlib import Path

    from app.errors import CasusError
    from app.store.store import Store

    try:
        store = Store.open(Path(sys.argv[1]), sys.argv[2], os.environ["WRITER_PASSPHRASE"])
    except CasusError as error:
        print(json.dumps({"code": error.code, "message": error.user_message(),
                          "params": error.params}))
    else:
        store.close()
        print(json.dumps({"code": "opened"}))
"""

HOLDER = """
    import os
    import sys
    from pathlib import Path

    from app.store.store import Store

    store = Store.open(Path(sys.argv[1]), "beheer", os.environ["WRITER_PASSPHRASE"])
    print("open", flush=True)
    sys.stdin.read()
"""


def test_second_process_gets_in_use_naming_user_and_time(
    folder: Path, tmp_path: Path
) -> None:
    """Requirement: while one process holds the store open, Store.open in a second process
    gets StoreError ``store.in_use`` whose message names the user and the time; the first
    process's data is intact afterwards."""
    script = _run_script(tmp_path, "opener.py", OPENER)
    store = _open(folder, "BeHeer")
    try:
        seqs = _write_entries(store, 3, name="test.first")
        done = subprocess.run(
            [sys.executable, str(script), str(folder), "beheer"],
            capture_output=True, env=_writer_env(), timeout=60, check=False,
        )
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        assert answer["code"] == "store.in_use"
        assert answer["params"]["user"] == "BeHeer"
        since = answer["params"]["since"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", since)
        assert "BeHeer" in answer["message"]
        assert since in answer["message"]
        # The first process carries on undisturbed.
        seqs += _write_entries(store, 2, name="test.first")
        assert store.audit.verify().ok
    finally:
        store.close()
    with _opened(folder) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = [r[0] for r in store.conn.execute(
            "SELECT seq FROM audit WHERE name = 'test.first' ORDER BY seq")]
        assert present == seqs
        assert store.audit.verify().ok
        assert not store.lock_info.stale


def test_second_open_in_same_process_is_in_use(folder: Path) -> None:
    """Requirement: a second Store.open on the same folder in the same process fails with
    ``store.in_use`` too (flock is per open file description) and the first stays usable."""
    store = _open(folder)
    try:
        with pytest.raises(StoreError) as info:
            _open(folder)
        assert info.value.code == "store.in_use"
        assert info.value.exit_code == 5
        assert info.value.params["user"] == "beheer"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", str(info.value.params["since"]))
        _write_entries(store, 1)
        assert store.audit.verify().ok
    finally:
        store.close()
    _open(folder).close()  # the lock is free again after close


def _killed_holder(folder: Path, tmp_path: Path) -> None:
    """Open ``folder`` in a subprocess, check it is in use, then SIGKILL the holder."""
    script = _run_script(tmp_path, "holder.py", HOLDER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(folder)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_writer_env(),
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"open\n"
        with pytest.raises(StoreError) as info:
            _open(folder)
        assert info.value.code == "store.in_use"
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert json.loads((folder / LOCK_NAME).read_bytes())["user"] == "beheer"


def test_stale_lock_of_killed_process_is_taken_over(folder: Path, tmp_path: Path) -> None:
    """Requirement: a stale lock note left by a killed process is taken over: the next open
    succeeds, ``lock_info.stale`` is True and the audit trail records
    ``stale_lock_taken_over``."""
    _killed_holder(folder, tmp_path)
    with _opened(folder) as store:
        assert store.lock_info.stale
        assert store.lock_info.previous_user == "beheer"
        last = list(store.audit.rows())[-1]
        assert last[4] == "session.login"
        assert json.loads(str(last[15])) == {"stale_lock_taken_over": True}
        assert store.audit.verify().ok
    # A clean close leaves no stale note behind.
    with _opened(folder) as store:
        assert not store.lock_info.stale


def test_stale_lock_survives_a_failed_unlock(folder: Path, tmp_path: Path) -> None:
    """Requirement: a stale lock left by a killed process is taken over and audited, also
    when the first attempt after the crash has a mistyped passphrase."""
    _killed_holder(folder, tmp_path)
    with pytest.raises(AuthError):
        _open(folder, passphrase=OTHER_PASSPHRASE)
    with _opened(folder) as store:
        assert store.lock_info.stale
        logins = [r for r in store.audit.rows() if r[4] == "session.login"]
        assert json.loads(str(logins[-1][15])) == {"stale_lock_taken_over": True}


# --------------------------------------------------------------------------- migrations


def test_schema_v1_fixture_opens_and_migrates(tmp_path: Path) -> None:
    """Requirement: the schema-v1 fixture opens and is migrated to the latest version; the
    old audit entries and the user remain; audit verify is OK."""
    path = tmp_path / "store_v1"
    shutil.copytree(FIXTURE_V1, path)
    key = _data_key(path)
    with _raw(path, key) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        old_entries = conn.execute("SELECT * FROM audit ORDER BY seq").fetchall()
    assert [e[4] for e in old_entries][:1] == ["store.init"]
    # Before envelope keys: nobody works in it until the administrator converts it.
    with pytest.raises(StoreError) as info:
        _opened(path).__enter__()
    assert info.value.code == "store.needs_key_migration"
    keys_migrate.migrate_store(path, "beheer", PASSPHRASE, kdf=TEST_KDF)
    with _opened(path) as store:
        assert store.user.display_name == "Fixture Beheerder"
        assert store.user.role is Role.BEHEERDER
        assert migrations.current_version(store.conn) == migrations.LATEST
        rows = list(store.audit.rows())
        assert [tuple(r) for r in rows[: len(old_entries)]] == [tuple(e) for e in old_entries]
        assert admin.verify_audit(Session(store)).ok
    with _raw(path, key) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert _verify(path) == (True, None)


def test_migrations_are_forward_only(folder: Path, tmp_path: Path, kdf: KdfParams,
                                     capfd: pytest.CaptureFixture[str]) -> None:
    """Requirement: migrations are forward-only: a store whose user_version is above LATEST
    gives StoreError ``store.too_new`` (CLI exit 5) and is left as it was."""
    key = _data_key(folder)
    with _raw(folder, key) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    before = _sha(folder / DB_NAME)
    for _attempt in range(2):  # the failed open released its lock
        with pytest.raises(StoreError) as info:
            _open(folder)
        assert info.value.code == "store.too_new"
    passphrase = _pass_file(tmp_path, PASSPHRASE)
    code, err = _cli(["users", "list", str(folder), "--user", "beheer",
                      "--passphrase-file", str(passphrase)], kdf, capfd)
    assert code == 5
    assert len(err.splitlines()) == 1
    assert _sha(folder / DB_NAME) == before
    with _raw(folder, key) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST + 1


def test_migrate_applies_only_pending_versions(folder: Path) -> None:
    """Requirement: migrations are versioned; a store at LATEST has nothing left to apply."""
    assert [n for n, _sql in migrations.migrations()] == list(range(1, migrations.LATEST + 1))
    with _raw(folder, _data_key(folder)) as conn:
        assert migrations.migrate(conn) == []


def test_a_login_that_fails_after_the_unlock_lets_go_of_the_store(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A login whose key work fails after the unlock (a damaged page met there, say)
    raises, and the store is free at once: the next open in this process does not get
    ``store.in_use`` from a lock left to the garbage collector (whose file then also
    raised a ResourceWarning), and the failed session's logout is in the chain."""
    def broken(self: Session) -> None:
        raise StoreError("store.damaged", "damaged")

    with monkeypatch.context() as patched:
        patched.setattr(Session, "settle_keys", broken)
        with pytest.raises(StoreError) as failed:
            Session.open(folder, "beheer", PASSPHRASE, kdf=TEST_KDF)
        # The traceback keeps the failed session alive: only a real release frees it.
        assert failed.value.code == "store.damaged"
        store = _open(folder)
    try:
        names = [str(r[0]) for r in store.conn.execute(
            "SELECT name FROM audit ORDER BY seq DESC LIMIT 3")]
        assert store.audit.verify().ok
    finally:
        store.close()
    assert names[1:3] == ["session.logout", "session.login"]
