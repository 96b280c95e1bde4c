"""The in-process CLI runner shared by the CLI tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.main import main
from app.crypto.keyslots import KdfParams
from app.i18n import current_language, set_language


@dataclass
class Run:
    """Exit code and captured output of one CLI call."""

    code: int
    out: str
    err: str


Cli = Callable[..., Run]


@pytest.fixture
def cli(kdf: KdfParams, capfd: pytest.CaptureFixture[str]) -> Cli:
    """Run ``main([...], kdf=TEST_KDF)`` and capture stdout/stderr at the fd level."""

    def run(*argv: str | Path) -> Run:
        capfd.readouterr()
        # ``--lang`` sets the process's language, as it should for a real command; a
        # test must not leave it to the tests after it in the same worker.
        language = current_language()
        try:
            code = main([str(a) for a in argv], kdf=kdf)
        finally:
            set_language(language)
        captured = capfd.readouterr()
        return Run(code, captured.out, captured.err)

    return run
