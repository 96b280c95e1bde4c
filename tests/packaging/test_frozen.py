"""The frozen build (issue 13, point 11): made by packaging/build.py and run without the
venv's Python — ``--version``, the four views rendered offscreen on a demo store, and
portable mode writing nothing to the profile.

Marked ``frozen``: CI runs it (``CI`` is set there); the quick local suite skips it
(``CI=1 make test`` or ``CI=1 pytest tests/packaging`` runs it here).  The build is reused
while it is newer than every source file (``--if-stale``).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import app
from app.paths import PORTABLE_DATA, PORTABLE_MARKER

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "casustafel"
EXE = BUNDLE / ("casustafel.exe" if sys.platform == "win32" else "casustafel")
VIEWS = ("meetings", "dashboard", "case", "table")


@pytest.fixture(scope="module")
def frozen() -> Path:
    """The frozen executable, built first when a source is newer than it.  Under xdist
    the workers take turns through a lock file: one builds, the others find it fresh."""
    lock_path = ROOT / "build" / "frozen-test.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"),
                               "--if-stale"], cwd=ROOT, capture_output=True, text=True,
                              timeout=900, check=False, stdin=subprocess.DEVNULL)
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert EXE.is_file()
    return EXE


def _clean_env(profile: Path) -> dict[str, str]:
    """No trace of the venv (the frozen program must not need it), the app's default
    language (Dutch), and every per-user folder and the temp directory inside ``profile``."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CASUSTAFEL_WITNESS_DIR",
                        "CASUSTAFEL_LANG"}}
    env["PATH"] = "/usr/bin:/bin"
    env["QT_QPA_PLATFORM"] = "offscreen"
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_STATE_HOME", "state"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("TMPDIR", "tmp")):
        (profile / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(profile / sub)
    return env


def _run(exe: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], env=env, cwd=env["HOME"], capture_output=True,
                          text=True, timeout=300, check=False, stdin=subprocess.DEVNULL)


def _assert_screenshot(path: Path, min_width: int, min_height: int) -> None:
    assert path.is_file()
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() >= min_width
    assert image.height() >= min_height
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 29)}
    assert len(colours) > 8  # a rendered view, not a blank frame


def test_version(frozen: Path, tmp_path: Path) -> None:
    done = _run(frozen, "--version", env=_clean_env(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"casustafel {app.__version__}"


@pytest.mark.parametrize("view", VIEWS)
def test_renders_each_view_offscreen(frozen: Path, tmp_path: Path, view: str) -> None:
    env = _clean_env(tmp_path / "profile")
    out = tmp_path / f"{view}.png"
    done = _run(frozen, "--demo", "--screenshot", str(out), "--view", view, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    # The beamer window has its own size; the main window is resized to 1366x768.
    _assert_screenshot(out, *((600, 500) if view == "table" else (1000, 600)))
    # Point 13: the demo store's temporary folder went with the quit.
    assert list(Path(env["TMPDIR"]).glob("casustafel-demo-*")) == []


def test_english_catalog_and_cli_in_the_bundle(frozen: Path, tmp_path: Path) -> None:
    # The .po catalogs travel in the bundle and are compiled at run time: the CLI's help
    # is Dutch by default and English with --lang en.
    env = _clean_env(tmp_path)
    dutch = _run(frozen, "--help", env=env)
    english = _run(frozen, "--lang", "en", "--help", env=env)
    assert dutch.returncode == english.returncode == 0
    assert "Casustafel: the casusoverleg table." in english.stdout
    assert "Casustafel: the casusoverleg table." not in dutch.stdout
    assert "casusoverleg" in dutch.stdout


def test_portable_mode_writes_only_beside_the_program(frozen: Path, tmp_path: Path) -> None:
    # A copy on a "USB stick" (hard links: the same files, no copying of 250 MB), so the
    # marker does not change the shared build other tests run.
    stick = tmp_path / "stick" / "casustafel"
    stick.parent.mkdir()
    try:
        shutil.copytree(frozen.parent, stick, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.copytree(frozen.parent, stick, symlinks=True)
    (stick / PORTABLE_MARKER).write_text("")
    profile = tmp_path / "profile"
    env = _clean_env(profile)
    out = tmp_path / "shot" / "dashboard.png"
    done = _run(stick / frozen.name, "--demo", "--screenshot", str(out), "--view",
                "dashboard", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    _assert_screenshot(out, 1000, 600)
    data = stick / PORTABLE_DATA
    assert (data / "logs" / "casustafel.log").is_file()
    assert (data / "settings" / "casustafel.ini").is_file()
    assert list((data / "data" / "witness").glob("*.json"))
    # The profile, the home folder and the temp directory hold nothing afterwards.
    assert [p for p in profile.rglob("*") if p.is_file()] == []
