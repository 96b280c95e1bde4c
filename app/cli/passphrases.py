"""Where the CLI gets passphrases: a file, an environment variable, or a prompt.

``CASUSTAFEL_PASSPHRASE`` and ``CASUSTAFEL_NEW_PASSPHRASE`` exist for automation (scripts,
CI, demo set-up) only: environment variables can leak into process listings and crash
reports, so people should use the prompt.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from app.errors import CasusError, ExitCode, InputError
from app.i18n import N_, _

ENV_PASSPHRASE = "CASUSTAFEL_PASSPHRASE"  # noqa: S105 - a variable name
ENV_NEW_PASSPHRASE = "CASUSTAFEL_NEW_PASSPHRASE"  # noqa: S105


def _from_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InputError(
            "passphrase.file_unreadable", N_("The passphrase file cannot be read.")
        ) from None
    # The first line is the passphrase; a trailing newline from an editor is not part of it.
    return text.splitlines()[0] if text else ""


def read_passphrase(file: Path | None, env: str, prompt: str, *, confirm: bool = False) -> str:
    """A passphrase from ``file``, else ``$env``, else an interactive prompt."""
    if file is not None:
        return _from_file(file)
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise CasusError(
            "passphrase.none",
            N_("No passphrase given: use the prompt, --passphrase-file or {env}."),
            {"env": env},
            exit_code=ExitCode.USAGE,
        )
    first = getpass.getpass(_(prompt) + " ")
    if confirm:
        second = getpass.getpass(_("Repeat the passphrase:") + " ")
        if first != second:
            raise InputError("passphrase.mismatch", N_("The passphrases do not match."))
    return first
