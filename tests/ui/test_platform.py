"""Starting on a bare Linux machine (issue 13, point 12) and leaving no demo folder behind
(point 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import platform_check
from ui.app import remove_demo_folder


def test_xcb_is_checked_only_where_qt_would_use_it() -> None:
    assert platform_check.uses_xcb({}, "linux")
    assert platform_check.uses_xcb({"QT_QPA_PLATFORM": "xcb:nomitshm"}, "linux")
    assert not platform_check.uses_xcb({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not platform_check.uses_xcb({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux")
    assert not platform_check.uses_xcb(
        {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not platform_check.uses_xcb({}, "win32")


def test_missing_libraries_are_named_by_their_packages_in_one_sentence() -> None:
    missing = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"}
    problem = platform_check.platform_problem(
        {"DISPLAY": ":0"}, loads=lambda soname: soname not in missing, platform="linux")
    assert problem is not None
    assert "\n" not in problem
    assert problem.endswith("apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")
    assert platform_check.platform_problem(
        {"DISPLAY": ":0"}, loads=lambda _soname: True, platform="linux") is None
    no_display = platform_check.platform_problem({}, loads=lambda _soname: True,
                                                 platform="linux")
    assert no_display is not None
    assert "DISPLAY" in no_display


def test_every_library_qt_xcb_needs_is_checked() -> None:
    # What Qt's xcb plugin links against here; a new Qt may need more.
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        pytest.skip("no xcb plugin in this PySide6 build")
    needed: set[str] = set()
    for lib in (plugin, plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6"):
        data = lib.read_bytes()
        needed |= {name for name in platform_check.XCB_LIBRARIES if name.encode() in data}
        needed |= {token.decode() for token in data.split(b"\0")
                   if token.startswith((b"libxcb", b"libxkbcommon", b"libX11-xcb"))
                   and b".so." in token}
    assert needed <= set(platform_check.XCB_LIBRARIES)


def test_the_app_says_so_instead_of_qt_aborting() -> None:
    # A child process where one library is "missing"; Qt itself must never start there.
    code = ("import ui.platform_check as p\n"
            "p._loads = lambda soname: soname != 'libxcb-keysyms.so.1'\n"
            "from ui.launcher import main\n"
            "raise SystemExit(main(['--demo']))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":99", "CASUSTAFEL_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "libxcb-keysyms1" in lines[0]
    assert "platform plugin" not in done.stderr


def test_only_a_demo_folder_is_removed(tmp_path: Path) -> None:
    mine = tmp_path / "casustafel-demo-abc" / "store"
    mine.mkdir(parents=True)
    (mine / "casustafel.db").write_bytes(b"x")
    chosen = tmp_path / "my-store" / "store"
    chosen.mkdir(parents=True)
    remove_demo_folder(chosen)
    remove_demo_folder(tmp_path / "casustafel-demo-abc" / "elsewhere")
    remove_demo_folder(None)
    assert chosen.is_dir()
    assert mine.is_dir()
    remove_demo_folder(mine)
    assert not mine.parent.exists()
