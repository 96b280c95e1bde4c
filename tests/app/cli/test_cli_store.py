"""The ``casustafel`` store commands: exit codes, output, one-line errors, role checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from app.crypto.keyslots import SlotFile
from app.store.connection import key_pragma
from app.store.layout import BACKUP_DIR, DB_NAME, SLOTS_NAME
from app.store.store import Store
from tests.app.cli.conftest import Cli, Run
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE

PROFILE = "zvh-rotterdam-rijnmond"
THIRD_PASSPHRASE = "third passphrase for the test"






@pytest.fixture
def pw(tmp_path: Path) -> dict[str, Path]:
    """Passphrase files: admin, jan, piet, and a too-short one."""
    files = {}
    for name, text in (("admin", PASSPHRASE), ("jan", OTHER_PASSPHRASE),
                       ("piet", THIRD_PASSPHRASE), ("short", "te kort"),
                       ("first", "set by the administrator 1")):
        path = tmp_path / f"{name}.pass"
        path.write_text(text + "\n", encoding="utf-8")
        files[name] = path
    return files


@pytest.fixture
def store(tmp_path: Path, cli: Cli, pw: dict[str, Path]) -> Path:
    """A store made through ``casustafel init`` with user beheer, plus deelnemer jan."""
    folder = tmp_path / "store"
    result = cli("init", folder, "--profile", PROFILE, "--admin", "beheer",
                 "--name", "Beheerder", "--party", "gemeente-rotterdam",
                 "--passphrase-file", pw["admin"])
    assert result.code == 0, result.err
    result = cli("users", "add", folder, "--user", "beheer", "--passphrase-file", pw["admin"],
                 "--username", "jan", "--name", "Jan Deelnemer", "--role", "deelnemer",
                 "--party", "politie-rotterdam", "--new-passphrase-file", pw["first"])
    assert result.code == 0, result.err
    _choose_own(cli, folder, "jan", pw["first"], pw["jan"])
    return folder


def _choose_own(cli: Cli, folder: Path, user: str, first: Path, own: Path) -> None:
    """The first login of a user the administrator added: their own passphrase."""
    result = cli("users", "passwd", folder, "--user", user, "--passphrase-file", first,
                 "--new-passphrase-file", own)
    assert result.code == 0, result.err


def _one_line_error(run: Run, code: int) -> str:
    """Assert exit ``code`` with exactly one stderr line, no traceback; return the line."""
    assert run.code == code, (run.code, run.err)
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("casustafel: ")
    assert "Traceback" not in run.err
    assert "ERROR CORE" not in run.err
    return lines[0]


def _as(store: Path, user: str, passfile: Path) -> tuple[str, ...]:
    return (str(store), "--user", user, "--passphrase-file", str(passfile))


# --------------------------------------------------------------------------- init


def test_init_creates_a_store(tmp_path: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """init makes a store bound to the profile; the administrator can open it."""
    folder = tmp_path / "new"
    result = cli("init", folder, "--profile", PROFILE, "--admin", "beheer",
                 "--passphrase-file", pw["admin"])
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.startswith("Store created; administrator beheer (")
    party = result.out.split("(", 1)[1].split(")", 1)[0]
    assert party.startswith("gemeente-")  # the default is a municipality of the covenant
    assert {DB_NAME, SLOTS_NAME}.issubset(p.name for p in folder.iterdir())
    with Store.open(folder, "beheer", PASSPHRASE) as opened:
        assert opened.meta("profile_id") == PROFILE
        assert opened.user.party_id == party
        assert opened.user.display_name == "beheer"


def test_init_errors(tmp_path: Path, store: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """init refuses an existing store (5), an unknown profile or party and a short passphrase
    (4), and a missing --profile (usage, 2) - each with one line on stderr."""
    base = ("--admin", "beheer", "--passphrase-file", str(pw["admin"]))
    _one_line_error(cli("init", store, "--profile", PROFILE, *base), 5)
    _one_line_error(cli("init", tmp_path / "a", "--profile", "no-such-profile", *base), 4)
    _one_line_error(cli("init", tmp_path / "b", "--profile", PROFILE, "--party",
                        "no-such-party", *base), 4)
    _one_line_error(cli("init", tmp_path / "c", "--profile", PROFILE, "--admin", "beheer",
                        "--passphrase-file", pw["short"]), 4)
    _one_line_error(cli("init", tmp_path / "d", *base), 2)
    for name in ("b", "c", "d"):
        assert not (tmp_path / name / SLOTS_NAME).exists()


# --------------------------------------------------------------------------- users


def test_a_new_user_must_choose_their_own_passphrase_and_keys(
        store: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """Issue 9, hardening: a user the administrator added (who knows the first passphrase)
    can do nothing but choose their own; that also gives them new key pairs, so the first
    passphrase opens nothing afterwards."""
    assert cli("users", "add", *_as(store, "beheer", pw["admin"]), "--username", "kees",
               "--name", "Kees", "--role", "deelnemer", "--party", "politie-rotterdam",
               "--new-passphrase-file", pw["first"]).code == 0
    before = SlotFile.read(store / SLOTS_NAME).find("kees")
    assert before is not None
    line = _one_line_error(cli("users", "list", *_as(store, "kees", pw["first"])), 4)
    assert "own passphrase" in line
    _choose_own(cli, store, "kees", pw["first"], pw["piet"])
    after = SlotFile.read(store / SLOTS_NAME).find("kees")
    assert after is not None
    assert after.public_key != before.public_key
    assert after.signing_public != before.signing_public
    # Now past the renewal (a participant may not list users: the role answers) ...
    assert "role" in _one_line_error(cli("users", "list", *_as(store, "kees", pw["piet"])), 3)
    # ... and the first passphrase no longer opens anything.
    refused = _one_line_error(cli("users", "list", *_as(store, "kees", pw["first"])), 3)
    assert "role" not in refused
    assert cli("audit", "verify", *_as(store, "beheer", pw["admin"])).code == 0


def test_users_add_and_list(store: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """users add (beheerder) adds a user with their own slot; users list shows them."""
    result = cli("users", "add", *_as(store, "beheer", pw["admin"]), "--username", "Piet",
                 "--name", "Piet Regisseur", "--role", "procesregisseur",
                 "--party", "gemeente-rotterdam", "--new-passphrase-file", pw["first"])
    assert result.code == 0, result.err
    assert result.out.strip() == "User added."
    _choose_own(cli, store, "piet", pw["first"], pw["piet"])
    listed = cli("users", "list", *_as(store, "beheer", pw["admin"]), "--json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert rows == [
        {"username": "beheer", "name": "Beheerder", "role": "beheerder",
         "party": "gemeente-rotterdam"},
        {"username": "jan", "name": "Jan Deelnemer", "role": "deelnemer",
         "party": "politie-rotterdam"},
        {"username": "piet", "name": "Piet Regisseur", "role": "procesregisseur",
         "party": "gemeente-rotterdam"},
    ]
    plain = cli("users", "list", *_as(store, "piet", pw["piet"]))
    assert plain.code == 0, plain.err
    lines = plain.out.splitlines()
    assert len(lines) == 3
    assert lines[1].split()[:3] == ["jan", "deelnemer", "politie-rotterdam"]
    assert lines[1].endswith("Jan Deelnemer")


def test_users_add_errors(store: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """users add: an existing name, unknown party or short passphrase exits 4; a role not in
    the list is a usage error (2); nothing is added."""
    base = ("users", "add", *_as(store, "beheer", pw["admin"]))
    new = ("--new-passphrase-file", str(pw["piet"]))
    _one_line_error(cli(*base, "--username", "JAN", "--name", "X", "--role", "deelnemer",
                        "--party", "politie-rotterdam", *new), 4)
    _one_line_error(cli(*base, "--username", "piet", "--name", "X", "--role", "deelnemer",
                        "--party", "no-such-party", *new), 4)
    _one_line_error(cli(*base, "--username", "piet", "--name", "X", "--role", "deelnemer",
                        "--party", "politie-rotterdam", "--new-passphrase-file",
                        pw["short"]), 4)
    _one_line_error(cli(*base, "--username", "piet", "--name", "X", "--role", "koning",
                        "--party", "politie-rotterdam", *new), 2)
    listed = cli("users", "list", *_as(store, "beheer", pw["admin"]), "--json")
    assert [r["username"] for r in json.loads(listed.out)] == ["beheer", "jan"]
    assert len(SlotFile.read(store / SLOTS_NAME).slots) == 2


@pytest.mark.parametrize("command", [
    ("users", "add", "--username", "piet", "--name", "P", "--role", "beheerder",
     "--party", "politie-rotterdam"),
    ("users", "list"),
    ("users", "remove", "--username", "beheer"),
    ("rotate",),
    ("audit", "verify"),
    ("backup", "--out", "{tmp}/bk"),
])
def test_deelnemer_is_not_allowed(
    command: tuple[str, ...], store: Path, tmp_path: Path, cli: Cli, pw: dict[str, Path]
) -> None:
    """The acting user must be allowed: a deelnemer cannot manage users, rotate, verify the
    audit trail or make backups (exit 3, one line); the refusal is itself audited."""
    head = command[:2] if command[0] in {"users", "audit"} else command[:1]
    tail = tuple(c.replace("{tmp}", str(tmp_path)) for c in command[len(head):])
    before = (store / SLOTS_NAME).read_bytes()
    extra = ("--new-passphrase-file", str(pw["piet"])) if command[1:2] == ("add",) else ()
    line = _one_line_error(cli(*head, *_as(store, "jan", pw["jan"]), *tail, *extra), 3)
    assert "role" in line
    assert (store / SLOTS_NAME).read_bytes() == before
    assert not (tmp_path / "bk").exists()
    with Store.open(store, "beheer", PASSPHRASE) as opened:
        denied = [r for r in opened.audit.rows() if r[4] == "access.denied"]
        assert len(denied) == 1
        assert denied[0][8] == "jan"


def test_users_remove(store: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """users remove: the user can no longer open (3); removing yourself or an unknown user
    exits 4."""
    result = cli("users", "remove", *_as(store, "beheer", pw["admin"]), "--username", "jan")
    assert result.code == 0, result.err
    assert "rotate" in result.out
    _one_line_error(cli("users", "list", *_as(store, "jan", pw["jan"])), 3)
    _one_line_error(cli("users", "remove", *_as(store, "beheer", pw["admin"]),
                        "--username", "beheer"), 4)
    _one_line_error(cli("users", "remove", *_as(store, "beheer", pw["admin"]),
                        "--username", "jan"), 4)
    listed = cli("users", "list", *_as(store, "beheer", pw["admin"]), "--json")
    assert [r["username"] for r in json.loads(listed.out)] == ["beheer"]


def test_users_passwd(store: Path, cli: Cli, pw: dict[str, Path],
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """users passwd changes only the acting user's passphrase (file or environment); a short
    new passphrase exits 4 and changes nothing; the old passphrase then fails (3)."""
    slots_before = SlotFile.read(store / SLOTS_NAME)
    jan_slot = json.dumps(slots_before.find("jan").to_json())  # type: ignore[union-attr]
    _one_line_error(cli("users", "passwd", *_as(store, "beheer", pw["admin"]),
                        "--new-passphrase-file", pw["short"]), 4)
    assert (store / SLOTS_NAME).read_bytes() == slots_before.to_bytes()
    result = cli("users", "passwd", *_as(store, "beheer", pw["admin"]),
                 "--new-passphrase-file", pw["piet"])
    assert result.code == 0, result.err
    assert result.out.strip() == "Passphrase changed."
    _one_line_error(cli("audit", "verify", *_as(store, "beheer", pw["admin"])), 3)
    assert cli("audit", "verify", *_as(store, "beheer", pw["piet"])).code == 0
    after = SlotFile.read(store / SLOTS_NAME)
    assert json.dumps(after.find("jan").to_json()) == jan_slot  # type: ignore[union-attr]
    # Through the environment variables instead of files.
    monkeypatch.setenv("CASUSTAFEL_PASSPHRASE", OTHER_PASSPHRASE)
    monkeypatch.setenv("CASUSTAFEL_NEW_PASSPHRASE", "jan's brand new passphrase")
    result = cli("users", "passwd", store, "--user", "jan")
    assert result.code == 0, result.err
    assert result.out.strip() == "Passphrase changed."
    with Store.open(store, "jan", "jan's brand new passphrase") as opened:
        assert opened.user.username == "jan"
    _one_line_error(cli("users", "passwd", store, "--user", "jan"), 3)  # old one is void


# --------------------------------------------------------------------------- rotate, audit


def test_rotate(store: Path, tmp_path: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """rotate: every current user keeps access; a removed user's saved slot file and the old
    automatic backups open nothing."""
    old_slots = (store / SLOTS_NAME).read_bytes()
    old_key = SlotFile.from_bytes(old_slots).unlock("jan", OTHER_PASSPHRASE)
    assert cli("users", "remove", *_as(store, "beheer", pw["admin"]),
               "--username", "jan").code == 0
    old_backups = sorted(p.name for p in (store / BACKUP_DIR).iterdir())
    assert old_backups
    result = cli("rotate", *_as(store, "beheer", pw["admin"]))
    assert result.code == 0, result.err
    assert result.out.strip() == "Data key rotated; every current user keeps access."
    assert SlotFile.read(store / SLOTS_NAME).generation == 2
    assert not set(old_backups) & {p.name for p in (store / BACKUP_DIR).iterdir()}
    assert cli("audit", "verify", *_as(store, "beheer", pw["admin"])).code == 0
    conn = sqlcipher3.connect(str(store / DB_NAME))
    try:
        conn.execute(key_pragma(old_key))
        conn.execute("PRAGMA cipher_log_level = NONE")
        with pytest.raises(sqlcipher3.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    copy = tmp_path / "with-old-slots"
    shutil.copytree(store, copy)
    (copy / SLOTS_NAME).write_bytes(old_slots)
    _one_line_error(cli("users", "list", *_as(copy, "jan", pw["jan"])), 5)


def test_audit_verify_ok_and_broken(store: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """audit verify: OK prints the entry count (exit 0); a tampered trail exits 5 with one
    line naming the broken entry."""
    result = cli("audit", "verify", *_as(store, "beheer", pw["admin"]))
    assert result.code == 0, result.err
    assert result.out.startswith("Audit trail OK: ")
    assert int(result.out.split(": ")[1].split()[0]) >= 4
    key = SlotFile.read(store / SLOTS_NAME).unlock("beheer", PASSPHRASE)
    conn = sqlcipher3.connect(str(store / DB_NAME), isolation_level=None)
    try:
        conn.execute(key_pragma(key))
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET username = 'iemand' WHERE seq = 2")
    finally:
        conn.close()
    line = _one_line_error(cli("audit", "verify", *_as(store, "beheer", pw["admin"])), 5)
    assert "BROKEN at entry 2" in line


# --------------------------------------------------------------------------- backup, restore


def test_restore_over_a_store_asks_its_own_passphrase(store: Path, tmp_path: Path, cli: Cli,
                                                      pw: dict[str, Path]) -> None:
    """§9.9, ZVH 9.6: replacing a store asks that store who administers it.  After the
    administrator changed their passphrase, the backup opens with the old one and the store
    only with the new one: without --store-passphrase-file the restore is refused (exit 3,
    one translated line, nothing replaced); with it, the store is restored."""
    out = tmp_path / "bk"
    assert cli("backup", *_as(store, "beheer", pw["admin"]), "--out", out).code == 0
    result = cli("users", "passwd", *_as(store, "beheer", pw["admin"]),
                 "--new-passphrase-file", pw["piet"])
    assert result.code == 0, result.err
    before = (store / SLOTS_NAME).read_bytes()
    line = _one_line_error(cli("restore", out, store, "--user", "beheer",
                               "--passphrase-file", pw["admin"], "--force"), 3)
    assert ("Only an administrator of the store in the target folder may replace it"
            in line)
    assert (store / SLOTS_NAME).read_bytes() == before
    line = _one_line_error(cli("--lang", "nl", "restore", out, store, "--user", "beheer",
                               "--passphrase-file", pw["admin"], "--force"), 3)
    assert "Alleen een beheerder van de opslag in de doelmap" in line
    result = cli("restore", out, store, "--user", "beheer", "--passphrase-file", pw["admin"],
                 "--store-passphrase-file", pw["piet"], "--force")
    assert result.code == 0, result.err
    assert (store / SLOTS_NAME).read_bytes() != before
    assert cli("audit", "verify", *_as(store, "beheer", pw["admin"])).code == 0



def test_backup_and_restore(store: Path, tmp_path: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """backup writes an encrypted copy (exit 0); a non-empty target exits 5; restore into a
    new folder works; onto an existing store it needs --force (5 without)."""
    out = tmp_path / "bk"
    result = cli("backup", *_as(store, "beheer", pw["admin"]), "--out", out)
    assert result.code == 0, result.err
    assert str(out) in result.out
    assert (out / DB_NAME).read_bytes()[:16] != b"SQLite format 3\x00"
    _one_line_error(cli("backup", *_as(store, "beheer", pw["admin"]), "--out", out), 5)

    restored = tmp_path / "restored"
    # Restoring is the administrator's act (ZVH 9.6): a deelnemer who can open the backup
    # is refused (exit 3) and nothing is written.
    line = _one_line_error(cli("restore", out, restored, "--user", "jan",
                               "--passphrase-file", pw["jan"]), 3)
    assert "Only the administrator may restore a backup." in line
    assert not restored.exists()
    result = cli("restore", out, restored, "--user", "beheer", "--passphrase-file", pw["admin"])
    assert result.code == 0, result.err
    assert result.out.strip() == "Store restored."
    assert cli("audit", "verify", *_as(restored, "beheer", pw["admin"])).code == 0

    before = (store / DB_NAME).read_bytes()
    _one_line_error(cli("restore", out, store, "--user", "beheer",
                        "--passphrase-file", pw["admin"]), 5)
    assert (store / DB_NAME).read_bytes() == before
    _one_line_error(cli("restore", out, store, "--user", "beheer",
                        "--passphrase-file", pw["jan"]), 3)
    result = cli("restore", out, store, "--user", "beheer", "--passphrase-file", pw["admin"],
                 "--force")
    assert result.code == 0, result.err
    aside = [p for p in (store / BACKUP_DIR).iterdir() if p.name.startswith("pre-restore-")]
    assert len(aside) == 1
    assert (aside[0] / DB_NAME).read_bytes() == before


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_existing_file_as_destination_is_a_clear_error(
    command: str, store: Path, tmp_path: Path, cli: Cli, pw: dict[str, Path]
) -> None:
    """A file where a folder is expected (backup --out, restore target) is invalid input:
    exit 4 or 5 with one clear line, not an internal error; the file is left alone."""
    victim = tmp_path / "notes.txt"
    victim.write_text("keep me")
    if command == "backup":
        result = cli("backup", *_as(store, "beheer", pw["admin"]), "--out", victim)
    else:
        backup = next(p for p in (store / BACKUP_DIR).iterdir() if p.is_dir())
        result = cli("restore", backup, victim, "--user", "beheer",
                     "--passphrase-file", pw["admin"])
    assert victim.read_text() == "keep me"
    line = _one_line_error(result, result.code)
    assert result.code in {4, 5}
    assert "internal error" not in line


# --------------------------------------------------------------------------- usage, input


@pytest.mark.parametrize("argv", [
    ("users",),
    ("users", "frobnicate"),
    ("users", "list", "{store}"),  # --user is required
    ("audit",),
    ("no-such-command",),
    ("rotate", "{store}", "--user", "beheer", "--no-such-option"),
    ("--lang", "fr", "users", "list", "{store}", "--user", "beheer"),
    ("backup", "{store}", "--user", "beheer"),  # --out is required
])
def test_usage_errors_exit_2(argv: tuple[str, ...], store: Path, cli: Cli) -> None:
    """Usage errors exit 2 with one line on stderr (no usage dump, no traceback)."""
    line = _one_line_error(cli(*(a.replace("{store}", str(store)) for a in argv)), 2)
    assert "usage error" in line


def test_no_command_prints_help_and_exits_2(cli: Cli) -> None:
    """Without a command the help goes to stdout and the exit code is 2."""
    result = cli()
    assert result.code == 2
    assert "usage:" in result.out
    assert "init" in result.out
    assert result.err == ""


def test_passphrase_file_problems(store: Path, tmp_path: Path, cli: Cli) -> None:
    """An unreadable passphrase file exits 4; an empty one fails authentication (3)."""
    _one_line_error(cli("users", "list", *_as(store, "beheer", tmp_path / "missing.pass")), 4)
    binary = tmp_path / "binary.pass"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    _one_line_error(cli("users", "list", *_as(store, "beheer", binary)), 4)
    empty = tmp_path / "empty.pass"
    empty.write_text("")
    _one_line_error(cli("users", "list", *_as(store, "beheer", empty)), 3)


def test_passphrase_file_uses_first_line_only(store: Path, tmp_path: Path, cli: Cli) -> None:
    """Only the first line of a passphrase file counts (an editor's newline is no part)."""
    path = tmp_path / "crlf.pass"
    path.write_bytes(PASSPHRASE.encode() + b"\r\nsecond line\n")
    assert cli("users", "list", *_as(store, "beheer", path)).code == 0


def test_unknown_user_and_wrong_passphrase_same_output(
    store: Path, cli: Cli, pw: dict[str, Path]
) -> None:
    """Unknown user and wrong passphrase give the same exit code and the same line."""
    unknown = _one_line_error(cli("users", "list", *_as(store, "niemand", pw["admin"])), 3)
    wrong = _one_line_error(cli("users", "list", *_as(store, "beheer", pw["jan"])), 3)
    assert unknown == wrong


def test_store_in_use_exit_5(store: Path, cli: Cli, pw: dict[str, Path]) -> None:
    """A store open elsewhere exits 5 with a line naming who holds it."""
    holder = Store.open(store, "beheer", PASSPHRASE)
    try:
        line = _one_line_error(cli("users", "list", *_as(store, "beheer", pw["admin"])), 5)
        assert "beheer" in line
    finally:
        holder.close()


# --------------------------------------------------------------------------- real console script


def _console_script() -> Path:
    found = shutil.which("casustafel", path=str(Path(sys.executable).parent))
    script = Path(found) if found else Path(sys.executable).parent / "casustafel"
    assert script.is_file(), script
    return script


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CASUSTAFEL_PASSPHRASE", None)
    env.pop("CASUSTAFEL_NEW_PASSPHRASE", None)
    env["CASUSTAFEL_LANG"] = "en"
    return env


def _console(*argv: str | Path) -> Run:
    done = subprocess.run(
        [str(_console_script()), *(str(a) for a in argv)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=_subprocess_env(),
        timeout=120, check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def test_console_script_without_passphrase_source_exits_2(store: Path) -> None:
    """The real console script, with no passphrase file, no environment variable and no tty,
    exits 2 with one line pointing at the alternatives."""
    line = _one_line_error(_console("users", "list", store, "--user", "beheer"), 2)
    assert "--passphrase-file" in line
    assert "CASUSTAFEL_PASSPHRASE" in line


def test_console_script_lists_users(store: Path, pw: dict[str, Path]) -> None:
    """The real console script runs a command end to end (exit 0, JSON on stdout)."""
    result = _console("users", "list", *_as(store, "beheer", pw["admin"]), "--json")
    assert result.code == 0, result.err
    assert result.err == ""
    assert [r["username"] for r in json.loads(result.out)] == ["beheer", "jan"]


def test_console_script_errors_are_one_line(store: Path, tmp_path: Path,
                                            pw: dict[str, Path]) -> None:
    """The real console script: a wrong passphrase exits 3 and a random-bytes database
    exits 5, each with one line and no SQLCipher noise from the C library."""
    before = (store / DB_NAME).read_bytes()
    _one_line_error(_console("audit", "verify", *_as(store, "beheer", pw["jan"])), 3)
    assert (store / DB_NAME).read_bytes() == before
    broken = tmp_path / "broken"
    shutil.copytree(store, broken)
    (broken / DB_NAME).write_bytes(os.urandom(len(before)))
    _one_line_error(_console("audit", "verify", *_as(broken, "beheer", pw["admin"])), 5)
