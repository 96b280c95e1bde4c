"""The technical log: user-only permissions, codes and counts, never personal data.

Callers log error *codes* and object ids, not names or text from the store; exception
tracebacks are logged because their messages come from our own code or sqlite, which
never quote stored values.
"""

from __future__ import annotations

import logging
import logging.handlers
import os

from app.paths import log_dir

_configured = False


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    """Every log file, also after rotation, is created user-only (0600)."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding)


def setup_logging(level: int = logging.INFO) -> None:
    """Send the ``app``/``ui`` loggers to ``<log dir>/casustafel.log`` (0600), rotating."""
    global _configured  # noqa: PLW0603 - configure once per process
    if _configured:
        return
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "casustafel.log"
    handler = _PrivateRotatingHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("app", "ui"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
        logger.propagate = False
    _configured = True
