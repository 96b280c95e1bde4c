"""The desktop app hardens its process before anything else (issue 9, hardening)."""

from __future__ import annotations

import pytest

from app import hardening
from ui import app as ui_app


class _HardenedError(Exception):
    pass


class _TooLateError(Exception):
    pass


def test_desktop_app_hardens_the_process_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """issue 9, hardening: run_app calls harden_process before it even parses its
    arguments (so before any window, store or key exists); the stand-ins stop it there."""

    def hardened() -> None:
        raise _HardenedError

    def parse(_argv: object) -> None:
        raise _TooLateError

    monkeypatch.setattr(hardening, "harden_process", hardened)
    monkeypatch.setattr(ui_app, "_parse", parse)
    with pytest.raises(_HardenedError):
        ui_app.run_app(["--demo"])
