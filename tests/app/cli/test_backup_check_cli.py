"""``audit verify --backup`` and ``audit check-head --backup`` (app/store/backup_check.py):
a backup is checked without a byte of it changing (issue 9, docs/security.md §9.9).

Checking is the privacy officer's and the administrator's work (ZVH 15.3d); the backup
is the evidence, so the check opens no session in it: no login entry, no check entry,
no moved head, no automatic backup inside it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.errors import ExitCode
from app.services import admin
from tests.app.cli.conftest import Cli
from tests.app.services import test_services as ts
from tests.conftest import DEMO_ADMIN, PASSPHRASE, DemoStoreFactory


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def pass_file(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def _as(user: str, folder: Path, pass_file: Path) -> list[str | Path]:
    return [folder, "--user", user, "--passphrase-file", pass_file]


def test_zvh_15_3d_a_backup_is_checked_without_writing_into_it(
        cli: Cli, demo_store: DemoStoreFactory, tmp_path: Path, pass_file: Path) -> None:
    """The privacy officer verifies a backup and checks it against a head exported
    before it was made: both OK, and every file of the backup keeps its bytes.  The same
    check through a session (without ``--backup``) does write into it, which is why the
    flag exists."""
    folder = demo_store(ts.SPEC)
    head = tmp_path / "head.json"
    assert cli("audit", "export-head", *_as(ts.PRIVACY_OFFICER, folder, pass_file),
               "--out", head).code == ExitCode.OK
    with ts._open(folder, DEMO_ADMIN) as session:
        backup = admin.backup(session, tmp_path / "backup")
    before = _fingerprint(backup)

    verified = cli("audit", "verify", *_as(ts.PRIVACY_OFFICER, backup, pass_file),
                   "--backup")
    assert verified.code == ExitCode.OK, verified.err
    assert "Audit trail OK" in verified.out
    checked = cli("audit", "check-head", *_as(ts.PRIVACY_OFFICER, backup, pass_file),
                  head, "--backup")
    assert checked.code == ExitCode.OK, checked.err
    assert "continues it" in checked.out
    assert _fingerprint(backup) == before

    through_a_session = cli("audit", "check-head", *_as(ts.PRIVACY_OFFICER, backup, pass_file),
                            head)
    assert through_a_session.code == ExitCode.OK
    assert _fingerprint(backup) != before


def test_a_backup_behind_the_kept_head_is_reported_read_only(
        cli: Cli, demo_store: DemoStoreFactory, tmp_path: Path, pass_file: Path) -> None:
    """Issue 9: a backup made before the head was exported is behind it: exit code 5,
    the missing entries named, the backup unchanged."""
    folder = demo_store(ts.SPEC)
    with ts._open(folder, DEMO_ADMIN) as session:
        backup = admin.backup(session, tmp_path / "backup")
    ts._new_case(folder)
    head = tmp_path / "head.json"
    assert cli("audit", "export-head", *_as(ts.PRIVACY_OFFICER, folder, pass_file),
               "--out", head).code == ExitCode.OK
    before = _fingerprint(backup)
    result = admin.check_backup(backup, ts.PRIVACY_OFFICER, PASSPHRASE, head.read_bytes())
    assert not result.ok
    assert result.gap is not None
    assert result.gap[0] == result.entries + 1
    checked = cli("audit", "check-head", *_as(ts.PRIVACY_OFFICER, backup, pass_file),
                  head, "--backup")
    assert checked.code == ExitCode.STORE
    assert "behind the kept head" in checked.err
    dutch = cli("--lang", "nl", "audit", "check-head",
                *_as(ts.PRIVACY_OFFICER, backup, pass_file), head, "--backup")
    assert "De opslag sluit niet aan op de bewaarde kop: opslag loopt achter" in dutch.err
    assert _fingerprint(backup) == before


def test_zvh_15_3d_a_participant_may_not_check_a_backup(
        cli: Cli, demo_store: DemoStoreFactory, tmp_path: Path, pass_file: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """ZVH 15.3d: only the support roles check the audit trail, in a backup too (by the
    role the backup gives the user); a participant is refused, translated, and the backup
    is unchanged.  The refusal is in the local log, without names (§9.9)."""
    folder = demo_store(ts.SPEC)
    with ts._open(folder, DEMO_ADMIN) as session:
        backup = admin.backup(session, tmp_path / "backup")
    before = _fingerprint(backup)
    refused = cli("audit", "verify", *_as(ts._user(ts.POLICE), backup, pass_file), "--backup")
    assert refused.code == ExitCode.AUTH
    assert "may check a backup" in refused.err
    dutch = cli("--lang", "nl", "audit", "verify", *_as(ts._user(ts.POLICE), backup, pass_file),
                "--backup")
    assert dutch.code == ExitCode.AUTH
    assert "may check a backup" not in dutch.err
    assert _fingerprint(backup) == before
    refusals = [r.getMessage() for r in caplog.records if r.name == "app.services.admin"]
    refused_line = "a refused check of a backup was not recorded: a backup is only read"
    assert refusals == [refused_line, refused_line]
    assert not any(ts._user(ts.POLICE) in message for message in refusals)
