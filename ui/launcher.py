"""The ``casustafel`` console script: CLI commands, or the desktop app.

``casustafel`` alone opens the unlock window; ``casustafel --demo`` opens the app on a
fresh demo store; ``--screenshot OUT.png [--view ...]`` renders a view offscreen and exits.
Any command (``init``, ``show``, ...) goes to the Qt-free CLI without loading Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_FLAGS = {"--demo", "--screenshot", "--view"}


def _wants_gui(argv: Sequence[str]) -> bool:
    if any(a in {"-h", "--help", "--version"} for a in argv):
        return False  # the CLI answers these without loading Qt
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in {"--lang", "--screenshot", "--view"}:
            skip = True
            continue
        if not arg.startswith("-"):
            return False  # a CLI command
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the CLI or the app; return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(args):
        from ui.app import run_app

        return run_app(args)
    from app.cli.main import main as cli_main

    return cli_main(args)


def entry_point() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
