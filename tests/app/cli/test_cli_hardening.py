"""The CLI on a damaged store and on a restore onto itself (issue 9, hardening).

A page damaged in the middle of the database file passes the key check at open and fails
its SQLCipher HMAC only when a command reads it.  That must be exit 5 with one translated
line ("store damaged"), never exit 1 ("internal error") or a traceback; ``audit verify``
looks for such damage on purpose and reports it in plain words.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from app.cli.main import main
from app.crypto.keyslots import SlotFile
from app.store.connection import PAGE_SIZE, key_pragma
from app.store.layout import BACKUP_DIR, DB_NAME, SLOTS_NAME
from tests.app.cli.conftest import Cli, Run
from tests.conftest import PASSPHRASE, TEST_KDF

DAMAGED = "The store's database file is damaged; restore it from a backup."
AUDIT_DAMAGED = ("Store damaged: parts of the database file are damaged or were altered. "
                 "Restore it from a backup.")




@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo store with a few cases (``casustafel demo``) and its passphrase file."""
    base = tmp_path_factory.mktemp("cli-hardening")
    pass_file = base / "pass"
    pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    folder = base / "store"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(["demo", str(folder), "--cases", "3", "--seed", "1",
                     "--passphrase-file", str(pass_file)], kdf=TEST_KDF)
    assert code == 0
    return folder, pass_file


@pytest.fixture
def store(pristine: tuple[Path, Path], tmp_path: Path) -> Path:
    """A private copy of the demo store."""
    return Path(shutil.copytree(pristine[0], tmp_path / "store"))


@pytest.fixture
def pass_file(pristine: tuple[Path, Path]) -> Path:
    return pristine[1]




def _one_line_error(run: Run, code: int) -> str:
    """Assert exit ``code`` with exactly one stderr line, no traceback; return the line."""
    assert run.code == code, (run.code, run.err)
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("casustafel: ")
    assert "Traceback" not in run.err
    assert "internal error" not in run.err
    return lines[0].removeprefix("casustafel: ")


def _connect(store: Path) -> sqlcipher3.Connection:
    key = SlotFile.read(store / SLOTS_NAME).unlock("beheer", PASSPHRASE)
    conn = sqlcipher3.connect(str(store / DB_NAME))
    conn.execute(key_pragma(key))
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def _damage_table(store: Path, table: str) -> None:
    """Overwrite 200 bytes in the middle of the root page of ``table`` (not page 1, so the
    key check at open still passes), and show that reading the table now fails."""
    conn = _connect(store)
    try:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table'"
                               " AND name = ?", (table,)).fetchone()
    finally:
        conn.close()
    assert root > 1
    with (store / DB_NAME).open("r+b") as fh:
        fh.seek((root - 1) * PAGE_SIZE + 100)
        fh.write(b"\xff" * 200)
    conn = _connect(store)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens fine
        with pytest.raises(sqlcipher3.DatabaseError):
            conn.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        conn.close()


def _as(store: Path, passfile: Path) -> tuple[str, ...]:
    return (str(store), "--user", "beheer", "--passphrase-file", str(passfile))


@pytest.mark.parametrize(("table", "command"), [
    ("cases", ("list", "{as}", "cases")),
    ("cases", ("show", "{as}", "--case", "{ref}")),
    ("audit", ("audit", "verify", "{as}")),
    ("audit", ("list", "{as}", "cases")),
    ("users", ("users", "list", "{as}")),
    ("meta", ("list", "{as}", "meetings")),
])
def test_damaged_page_is_exit_5_store_damaged(
    table: str, command: tuple[str, ...], store: Path, pass_file: Path, cli: Cli
) -> None:
    """issue 9, hardening: a page damaged after the key check (here the root page of
    ``table``) makes a command that reads it exit 5 with the one translated "store damaged"
    line - before the fix sqlcipher3.DatabaseError escaped as exit 1, internal error."""
    ref = _connect(store).execute("SELECT reference FROM cases LIMIT 1").fetchone()[0]
    _damage_table(store, table)
    argv: list[str] = []
    for arg in command:
        argv.extend(_as(store, pass_file) if arg == "{as}" else [arg.replace("{ref}", ref)])
    line = _one_line_error(cli(*argv), 5)
    if command[:2] == ("audit", "verify") and table != "audit":
        assert line == AUDIT_DAMAGED
    else:
        assert line == DAMAGED


def test_audit_verify_reports_damage_outside_the_audit_table(
    store: Path, pass_file: Path, cli: Cli
) -> None:
    """issue 9, hardening: ``audit verify`` on a store whose audit chain is intact but whose
    cases table has a damaged page says so in plain words (exit 5), where before it printed
    "Audit trail OK" and exit 0; on an intact store it still says OK.  The damaged store is
    not copied into a new automatic backup on the way out."""
    ok = cli("audit", "verify", *_as(store, pass_file))
    assert ok.code == 0, ok.err
    assert ok.out.startswith("Audit trail OK: ")
    _damage_table(store, "cases")
    backups_before = sorted(p.name for p in (store / BACKUP_DIR).iterdir())
    assert _one_line_error(cli("audit", "verify", *_as(store, pass_file)), 5) == AUDIT_DAMAGED
    assert sorted(p.name for p in (store / BACKUP_DIR).iterdir()) == backups_before
    dutch = _one_line_error(cli("--lang", "nl", "audit", "verify", *_as(store, pass_file)), 5)
    assert dutch == ("Opslag beschadigd: delen van het databasebestand zijn beschadigd of "
                     "gewijzigd. Herstel de opslag vanuit een back-up.")


def test_audit_verify_on_damaged_store_still_checks_the_role(
    store: Path, pass_file: Path, cli: Cli
) -> None:
    """issue 9, hardening: the integrity check runs only for users who may verify the
    audit trail; anyone else is refused (exit 3) as before, damaged store or not."""
    deelnemer = _connect(store).execute(
        "SELECT username FROM users WHERE role = 'deelnemer' LIMIT 1").fetchone()[0]
    _damage_table(store, "cases")
    line = _one_line_error(cli("audit", "verify", str(store), "--user", deelnemer,
                               "--passphrase-file", str(pass_file)), 3)
    assert "role" in line


def test_damaged_store_through_the_console_script(store: Path, pass_file: Path) -> None:
    """issue 9, hardening: the real console script in its own process: exit 5, one Dutch
    line on stderr, no traceback and no SQLCipher noise from the C library."""
    _damage_table(store, "cases")
    script = shutil.which("casustafel", path=str(Path(sys.executable).parent))
    assert script is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASUSTAFEL_")}
    done = subprocess.run([script, "list", *_as(store, pass_file), "cases"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    line = _one_line_error(Run(done.returncode, done.stdout, done.stderr), 5)
    assert line == ("Het databasebestand van de opslag is beschadigd; herstel het vanuit een "
                    "back-up.")


@pytest.mark.parametrize("spelling", ["same", "dot", "relative", "symlink"])
def test_restore_onto_itself_is_refused(
    spelling: str, store: Path, pass_file: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 9, hardening: ``restore S S --force`` moved the store's own files aside and
    then had nothing to copy back, leaving a folder that is no store.  Now it is refused as
    invalid input (exit 4, one line) however the same folder is spelled, and nothing moves."""
    target: str | Path = store
    if spelling == "dot":
        target = store / "."
    elif spelling == "relative":
        monkeypatch.chdir(store.parent)
        target = store.name
    elif spelling == "symlink":
        target = store.parent / "link"
        target.symlink_to(store, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in store.iterdir() if p.is_file()}
    line = _one_line_error(cli("restore", store, target, "--user", "beheer",
                               "--passphrase-file", pass_file, "--force"), 4)
    assert line == ("The backup and the store folder are the same folder; restore into "
                    "another folder.")
    assert {p.name: p.read_bytes() for p in store.iterdir() if p.is_file()} == before
    assert not any(p.name.startswith("pre-restore-") for p in (store / BACKUP_DIR).iterdir())
