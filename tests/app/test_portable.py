"""Portable mode (issue 13, point 11): with ``casustafel-portable`` beside the program,
settings, the technical log and the store witnesses go beside it and nothing is written to
the user's profile — for workstations where only a share or a USB stick may be written.

The program is "frozen" here the way PyInstaller makes it (``sys.frozen``, ``sys.executable``
the program file); tests/packaging/test_frozen.py runs the real frozen build the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import paths
from tests.conftest import PASSPHRASE

PYTHON = sys.executable  # before the fixture pretends to be the frozen program

# A child that runs the real console-script dispatch as a frozen program in PROGRAM.
_CHILD = """\
import sys
sys.frozen = True
sys.executable = sys.argv[1]
from ui.launcher import main
raise SystemExit(main(sys.argv[2:]))
"""


def _profile_env(profile: Path) -> dict[str, str]:
    """An environment whose every per-user folder is inside ``profile``."""
    env = {k: v for k, v in os.environ.items() if k != "CASUSTAFEL_WITNESS_DIR"}
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_STATE_HOME", "state"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache")):
        (profile / sub).mkdir(parents=True)
        env[var] = str(profile / sub)
    return env


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A program folder (as on a USB stick) with the portable marker; this process runs
    as the frozen program in it."""
    folder = tmp_path / "stick" / "casustafel"
    folder.mkdir(parents=True)
    (folder / paths.PORTABLE_MARKER).write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "casustafel"))
    return folder


def test_with_the_marker_every_folder_is_beside_the_program(program: Path) -> None:
    data = program / paths.PORTABLE_DATA
    assert paths.program_dir() == program.resolve()
    assert paths.portable_dir() == data.resolve()
    for folder in (paths.log_dir(), paths.config_dir(), paths.data_dir()):
        assert folder.is_relative_to(data.resolve())
    assert paths.settings_file() == data.resolve() / "settings" / "casustafel.ini"


def test_without_the_marker_the_profile_folders_are_used(program: Path) -> None:
    (program / paths.PORTABLE_MARKER).unlink()
    assert paths.portable_dir() is None
    assert paths.settings_file() is None
    for folder in (paths.log_dir(), paths.config_dir(), paths.data_dir()):
        assert not folder.is_relative_to(program.resolve())


def test_cli_writes_its_log_and_witness_beside_the_program_only(
        program: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    env = {**_profile_env(profile), "CASUSTAFEL_PASSPHRASE": PASSPHRASE,
           "CASUSTAFEL_LANG": "en"}
    store = tmp_path / "share" / "store"
    exe = str(program / "casustafel")
    for args in (["init", str(store), "--profile", "zvh-rotterdam-rijnmond", "--admin",
                  "beheer"],
                 ["users", "list", str(store), "--user", "beheer"]):
        done = subprocess.run([PYTHON, "-c", _CHILD, exe, *args], env=env,
                              capture_output=True, text=True, timeout=180, check=False,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr[-2000:]
    data = program / paths.PORTABLE_DATA
    assert (data / "logs" / "casustafel.log").is_file()
    assert list((data / "data" / "witness").glob("*.json"))  # this computer saw the store
    assert _files(profile) == []
    # Only the chosen store folder and the portable folder were written.
    assert {p.relative_to(tmp_path).parts[0] for p in _files(tmp_path)} == {"stick", "share"}


def test_the_app_settings_are_an_ini_file_beside_the_program(
        program: Path, sandbox: Path) -> None:
    from ui.app import app_settings

    before = _files(sandbox / "config")
    settings = app_settings()
    settings.setValue("language", "en")
    settings.sync()
    ini = program / paths.PORTABLE_DATA / "settings" / "casustafel.ini"
    assert ini.is_file()
    assert "language=en" in ini.read_text()
    assert _files(sandbox / "config") == before  # not the profile's Casustafel.conf
