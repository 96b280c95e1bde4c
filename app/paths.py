"""Per-user folders (platformdirs).  Nothing here ever holds case data."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "casustafel"


def log_dir() -> Path:
    """Where the technical log lives (no personal data is ever written there)."""
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def config_dir() -> Path:
    """Settings (language, recent stores, window geometry; never case data)."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False))
