"""Per-user folders (platformdirs), or folders beside the program in portable mode.
Nothing here ever holds case data.

Portable mode is for workstations where only a network share or a USB stick may be
written to: a file named ``casustafel-portable`` beside the program (the frozen
executable's folder, or a checkout's root) makes settings, the technical log and the store
witnesses go into ``casustafel-data/`` beside it, and nothing into the user's profile.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP = "casustafel"
PORTABLE_MARKER = "casustafel-portable"
PORTABLE_DATA = "casustafel-data"


def program_dir() -> Path:
    """The program's folder: the frozen executable's (PyInstaller sets ``sys.frozen``),
    else the checkout or install root that holds ``app/``."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def portable_dir() -> Path | None:
    """The folder beside the program that holds everything it writes, when the portable
    marker is there; ``None`` otherwise."""
    folder = program_dir()
    return folder / PORTABLE_DATA if (folder / PORTABLE_MARKER).exists() else None


def log_dir() -> Path:
    """Where the technical log lives (no personal data is ever written there)."""
    portable = portable_dir()
    if portable is not None:
        return portable / "logs"
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def config_dir() -> Path:
    """Settings (language, recent stores, window geometry; never case data)."""
    portable = portable_dir()
    if portable is not None:
        return portable / "settings"
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    """Per-user data that is not a setting (the store witnesses, ``app.store.witness``)."""
    portable = portable_dir()
    if portable is not None:
        return portable / "data"
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def settings_file() -> Path | None:
    """The ini file the app's settings go to in portable mode; ``None`` means the
    platform's own place (the registry on Windows, ``~/.config`` on Linux)."""
    return config_dir() / "casustafel.ini" if portable_dir() is not None else None
