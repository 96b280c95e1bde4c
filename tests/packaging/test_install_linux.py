"""The per-user Linux install (issue 13, point 11): packaging/linux/install-linux.sh puts a
frozen bundle under ~/.local/opt/casustafel with its desktop entry in
~/.local/share/applications, writes nothing outside $HOME and needs no root.  Run on a
stand-in bundle, so the quick suite covers the script (the real bundle: test_frozen.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "linux" / "install-linux.sh"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env["HOME"] = str(home)
    return subprocess.run(["sh", str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)


def test_install_update_and_uninstall_stay_in_home(tmp_path: Path) -> None:
    bundle = tmp_path / "dist" / "casustafel"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / "casustafel"
    exe.write_text("#!/bin/sh\necho 'casustafel 0.1.0'\n")
    exe.chmod(0o755)
    (bundle / "_internal" / "lib.so").write_bytes(b"v1")
    home = tmp_path / "home"
    home.mkdir()

    done = _run(home, str(bundle))
    assert done.returncode == 0, done.stderr
    prefix = home / ".local" / "opt" / "casustafel"
    assert (prefix / "_internal" / "lib.so").read_bytes() == b"v1"
    link = home / ".local" / "bin" / "casustafel"
    assert link.is_symlink()
    assert link.resolve() == (prefix / "casustafel").resolve()
    run = subprocess.run([str(link)], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "casustafel 0.1.0"
    entry = home / ".local" / "share" / "applications" / "casustafel.desktop"
    lines = entry.read_text().splitlines()
    assert f'Exec="{prefix}/casustafel"' in lines
    assert "Type=Application" in lines
    assert "Name=Casustafel" in lines

    # An update replaces the old files completely.
    (bundle / "_internal" / "lib.so").unlink()
    (bundle / "_internal" / "lib2.so").write_bytes(b"v2")
    assert _run(home, str(bundle)).returncode == 0
    assert sorted(p.name for p in (prefix / "_internal").iterdir()) == ["lib2.so"]
    # Nothing but the bundle's own files and home's .local were written.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "home"]
    assert sorted(p.name for p in home.iterdir()) == [".local"]

    done = _run(home, "--uninstall")
    assert done.returncode == 0, done.stderr
    assert not prefix.exists()
    assert not entry.exists()
    assert not link.exists()
    assert not link.is_symlink()


def test_a_folder_without_a_build_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    done = _run(home, str(tmp_path))
    assert done.returncode == 1
    assert "no frozen build" in done.stderr
    assert not (home / ".local" / "opt").exists()
