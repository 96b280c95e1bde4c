"""Process hardening (app/hardening.py; issue 9, hardening): no core files, not dumpable.

A crash once wrote the raw data key into a core file.  ``harden_process`` runs first thing
in the CLI and the desktop app; it is checked in a child process of its own, because it
changes the process for good (the hard core limit cannot be raised again).
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from app import hardening
from app.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import ctypes, resource
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
# Make sure there is something to lower: raise the soft limit as far as allowed.
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
libc = ctypes.CDLL(None)
print(resource.getrlimit(resource.RLIMIT_CORE), libc.prctl(3, 0, 0, 0, 0))
from app.hardening import harden_process
harden_process()
print(resource.getrlimit(resource.RLIMIT_CORE), libc.prctl(3, 0, 0, 0, 0))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_harden_process_disables_core_files_and_dumping() -> None:
    """issue 9, hardening: after harden_process the core limit is (0, 0), soft and hard,
    and prctl(PR_GET_DUMPABLE) answers 0; before it the child was dumpable."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    before, after = done.stdout.splitlines()
    assert before.endswith(" 1")  # dumpable until hardened
    assert after == "(0, 0) 0"
    assert done.stderr == ""


def test_harden_process_never_raises(monkeypatch: pytest.MonkeyPatch,
                                     caplog: pytest.LogCaptureFixture) -> None:
    """issue 9, hardening: where the platform refuses (no rlimit, no prctl), the app
    still starts; the reason is logged at debug level, with nothing personal in it."""

    def refuse(*_args: object) -> None:
        raise OSError("not permitted")

    def no_libc(*_args: object, **_kwargs: object) -> None:
        raise OSError("no libc")

    monkeypatch.setattr(resource, "setrlimit", refuse)
    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    caplog.set_level("DEBUG", logger="app.hardening")
    assert hardening.harden_process() is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert hardening.harden_process() is None
    assert any("RLIMIT_CORE" in r.getMessage() for r in caplog.records)
    assert any("prctl" in r.getMessage() for r in caplog.records)
    assert all(r.levelname == "DEBUG" for r in caplog.records)


def test_cli_hardens_the_process_first(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """issue 9, hardening: the CLI entry point calls harden_process once, before it
    does anything else (here: before the language is set and --help is printed)."""
    calls: list[str] = []
    monkeypatch.setattr(hardening, "harden_process", lambda: calls.append("harden"))
    real_set_language = cli_main.set_language
    monkeypatch.setattr(cli_main, "set_language",
                        lambda lang: (calls.append("language"), real_set_language(lang)))
    assert cli_main.main(["--help"]) == 0
    assert "usage:" in capsys.readouterr().out
    assert calls[:2] == ["harden", "language"]
    assert calls.count("harden") == 1
