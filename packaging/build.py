"""Build the frozen Casustafel: a PyInstaller *onedir* folder that runs without Python.

    python packaging/build.py [--if-stale] [--dist DIR]
    make package

The result is ``dist/casustafel/``: the ``casustafel`` executable (``casustafel.exe`` on
Windows) with everything it needs beside it in ``_internal/``.  It is the same program as
the console script: the CLI commands, and the desktop app without a command.  The per-user
installers (``packaging/windows/casustafel.iss``, ``packaging/linux/install-linux.sh``)
copy this folder; a ``casustafel-portable`` file put beside the executable makes it a
portable program (``app/paths.py``).

Data the code reads at run time travels along at the same place relative to the code as in
a checkout: ``resources/`` and ``i18n/`` beside the ``app`` package (``sys._MEIPASS``), the
schema files inside ``app/store/schema``; the code finds them through ``__file__``, which
PyInstaller points into that folder.  PyInstaller follows imports, so of Qt only what
``ui`` imports (QtCore, QtGui, QtWidgets, QtPrintSupport) and its plugins come along; the
excludes below stop optional imports of third-party packages from pulling in more.

(Not ``python -m packaging.build``: a ``packaging`` package here would shadow the
``packaging`` library that pip and PyInstaller import.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "casustafel"
DEFAULT_DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"

# What the build is made from: newer files here make a build stale.
SOURCES = ("app", "ui", "resources", "i18n", "packaging/build.py", "packaging/entry.py",
           "packaging/linux", "packaging/casustafel.desktop", "pyproject.toml")

# (source relative to ROOT, destination inside the bundle)
DATA = (
    ("resources", "resources"),
    ("i18n", "i18n"),
    ("app/store/schema", "app/store/schema"),
)

# Python modules the app never needs but optional imports of its dependencies might reach;
# each Qt module left out also leaves out its Qt libraries and plugins.
EXCLUDES = (
    "tkinter", "_tkinter", "unittest", "pydoc_data", "numpy", "IPython", "pytest",
    "hypothesis", "setuptools", "pip",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest", "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick", "PySide6.QtNetwork", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtUiTools", "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets", "PySide6.QtConcurrent", "PySide6.QtXml", "PySide6.QtSvg",
    "PySide6.QtSvgWidgets", "PySide6.QtPdf", "PySide6.QtCharts",
)

# The app speaks Dutch and English only (app/i18n.py: nl_NL, en_GB), so of Babel's CLDR data
# (30 MB, 1,000 locales) and Qt's dialog translations only those stay; en_GB's CLDR parents
# are en_001 and en, and every locale falls back to root.
BABEL_LOCALES = ("root", "en", "en_001", "en_150", "en_GB", "nl", "nl_NL")
QT_LANGUAGES = ("nl", "en")


def executable(dist: Path = DEFAULT_DIST) -> Path:
    """The frozen program inside ``dist``."""
    suffix = ".exe" if sys.platform == "win32" else ""
    return dist / NAME / f"{NAME}{suffix}"


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from (p for p in path.rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts)


def newest_source() -> float:
    """The modification time of the newest file the build is made from."""
    return max(p.stat().st_mtime for p in _files(ROOT / s for s in SOURCES))


def is_stale(dist: Path = DEFAULT_DIST) -> bool:
    """Whether there is no build in ``dist`` or a source is newer than it."""
    exe = executable(dist)
    return not exe.is_file() or exe.stat().st_mtime < newest_source()


def folder_size(folder: Path) -> int:
    """Bytes in the files under ``folder`` (a symbolic link counted once, as its target)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def prune(bundle: Path) -> None:
    """Remove the locale data of languages the app does not offer."""
    babel_data = bundle / "_internal" / "babel" / "locale-data"
    for path in babel_data.glob("*.dat"):
        if path.stem not in BABEL_LOCALES:
            path.unlink()
    qt_translations = bundle / "_internal" / "PySide6" / "Qt" / "translations"
    for path in qt_translations.glob("*.qm"):
        if path.stem.rsplit("_", 1)[-1] not in QT_LANGUAGES:
            path.unlink()


def pyinstaller_args(dist: Path) -> list[str]:
    """The PyInstaller command line for an onedir build into ``dist``."""
    args = [
        str(ROOT / "packaging" / "entry.py"),
        "--name", NAME,
        "--onedir",
        "--noconfirm",
        # A console program: the same executable runs the CLI, prints --version and writes
        # one-line errors to stderr.
        "--console",
        "--distpath", str(dist),
        "--workpath", str(WORK),
        "--specpath", str(WORK),
        "--paths", str(ROOT),
        "--log-level", "WARN",
        # Lazily imported command modules and demo data are found by import analysis; the
        # faker locales the demo uses are loaded by name.
        "--collect-submodules", "app",
        "--collect-submodules", "ui",
        "--collect-data", "faker",
    ]
    for source, dest in DATA:
        args += ["--add-data", f"{ROOT / source}{os.pathsep}{dest}"]
    for module in EXCLUDES:
        args += ["--exclude-module", module]
    return args


def build(dist: Path = DEFAULT_DIST) -> Path:
    """Run PyInstaller; returns the executable."""
    import PyInstaller.__main__

    target = dist / NAME
    if target.exists():
        shutil.rmtree(target)
    PyInstaller.__main__.run(pyinstaller_args(dist))
    prune(target)
    if sys.platform.startswith("linux"):
        # The per-user installer and its desktop entry travel with the bundle, so a copy
        # of dist/casustafel alone can be installed (packaging/linux/install-linux.sh).
        for extra in ("linux/install-linux.sh", "casustafel.desktop"):
            shutil.copy2(ROOT / "packaging" / extra, target / Path(extra).name)
    exe = executable(dist)
    if not exe.is_file():
        raise SystemExit(f"build failed: {exe} was not made")
    # Mark the build with its own finish time, so --if-stale compares against it.
    exe.touch()
    return exe


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or, with ``--if-stale``, only when a source is newer than the build)."""
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__.split("\n")[0])
    parser.add_argument("--if-stale", action="store_true",
                        help="do nothing when the build is newer than every source file")
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST,
                        help="output folder (default: dist/ in the checkout)")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    if args.if_stale and not is_stale(dist):
        sys.stdout.write(f"up to date: {executable(dist)}\n")
        return 0
    started = time.monotonic()
    exe = build(dist)
    seconds = time.monotonic() - started
    size = folder_size(exe.parent) / 1_000_000
    sys.stdout.write(f"built {exe} ({size:.0f} MB) in {seconds:.0f} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
