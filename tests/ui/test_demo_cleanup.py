"""Demo stores are cleaned up (issue 13, point 13): no ``casustafel-demo-*`` folder is left
in the temp directory after a ``--demo`` run — quit by a signal (logout, Ctrl+C) while the
store is being made or after it was opened, an exception in the teardown, a cancelled or
failed creation.  (The normal quit after ``--screenshot``: tests/ui/test_app.py and
tests/packaging/test_frozen.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from app.demo import desktop
from app.tasks import Cancelled, Progress


def _leftovers(temp: Path) -> list[Path]:
    return sorted(temp.glob("casustafel-demo-*"))


def _env(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    temp = tmp_path / "temp"
    witness = tmp_path / "witness"
    temp.mkdir()
    witness.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp),
           "CASUSTAFEL_WITNESS_DIR": str(witness), "CASUSTAFEL_LANG": "en"}
    return env, temp, witness


def _wait_for(check: Any, proc: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("when", ["while_creating", "after_unlock"])
def test_sigterm_removes_the_demo_folder(tmp_path: Path, when: str) -> None:
    env, temp, witness = _env(tmp_path)
    exe = Path(sys.executable).with_name("casustafel")
    proc = subprocess.Popen([str(exe), "--demo", "--cases=6"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    try:
        if when == "while_creating":
            _wait_for(lambda: bool(_leftovers(temp)), proc)
        else:
            # The store is open once this computer's witness of it is written.
            _wait_for(lambda: any(witness.glob("*.json")), proc)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    assert _leftovers(temp) == []


def test_an_exception_in_the_teardown_still_removes_it(tmp_path: Path) -> None:
    env, temp, _witness = _env(tmp_path)
    out = tmp_path / "shot.png"
    child = (
        "import ui.context as c\n"
        "original = c.AppContext.shutdown\n"
        "def broken(self):\n"
        "    original(self)\n"
        "    raise RuntimeError('teardown failed')\n"
        "c.AppContext.shutdown = broken\n"
        "from ui.launcher import main\n"
        f"raise SystemExit(main(['--demo', '--cases=6', '--screenshot', {str(out)!r},"
        " '--view', 'meetings']))\n")
    done = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True,
                          text=True, timeout=180, check=False, stdin=subprocess.DEVNULL)
    assert out.is_file(), done.stderr[-2000:]  # the demo store was made and shown
    assert done.returncode != 0  # the exception ended the run (its detail: the log only)
    assert _leftovers(temp) == []


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_cancelled_creation_leaves_no_folder(temp: Path) -> None:
    # Cancel (the progress box's button, or the quit) right after the folder was made.
    progress: Progress

    def on_update(fraction: float, _text: str) -> None:
        if fraction >= 0.3:
            progress.cancel()

    progress = Progress(on_update)
    with pytest.raises(Cancelled):
        desktop.create_app_demo(progress, cases=3)
    assert _leftovers(temp) == []


def test_a_failed_creation_leaves_no_folder(temp: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def half_written(folder: Path, *args: object, **kwargs: object) -> None:
        folder.mkdir(parents=True)
        (folder / "casustafel.db").write_bytes(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(desktop, "create_demo_store", half_written)
    with pytest.raises(OSError, match="disk full"):
        desktop.create_app_demo(Progress(), cases=3)
    assert _leftovers(temp) == []
