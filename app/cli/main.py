"""The ``casustafel`` command.

Exit codes (documented in README): 0 ok, 1 internal error (details in the log, none on
screen), 2 usage, 3 authentication failed or not allowed, 4 invalid input, 5 store unusable
or in use (also a damaged page that a query meets after the store opened: ``store.damaged``).
Errors are one translated line on stderr, never a traceback or personal data.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__, hardening
from app.cli import argparse_texts
from app.crypto.keyslots import PRODUCTION_KDF, KdfParams
from app.errors import CasusError, ExitCode
from app.i18n import LANGUAGES, _, set_language
from app.logsetup import setup_logging
from app.store import integrity

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, KdfParams], int]


class _Parser(argparse.ArgumentParser):
    """argparse that speaks our language (its own texts through our catalog, see
    :mod:`app.cli.argparse_texts`) and reports usage errors as one translated line with
    exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse_texts.Formatter)
        add_help = bool(kwargs.get("add_help", True))
        kwargs["add_help"] = False  # ours, with our text (argparse_texts.localise)
        super().__init__(*args, **kwargs)
        argparse_texts.localise(self, add_help=add_help)

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write("casustafel: " + _("usage error") + ": "
                         + argparse_texts.translate_error(message) + "\n")
        raise SystemExit(ExitCode.USAGE)


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("store", type=Path, metavar="STORE", help=_("store folder"))


def _user_args(p: argparse.ArgumentParser) -> None:
    _store_arg(p)
    p.add_argument("--user", required=True, metavar="NAME", help=_("acting user"))
    p.add_argument("--passphrase-file", type=Path, metavar="PATH",
                   help=_("read the passphrase from the first line of this file"))


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar (built after the language is set)."""
    from app.cli import (
        case_commands,
        casework_commands,
        meeting_commands,
        oversight_commands,
        register_commands,
        report_commands,
        request_commands,
        retention_commands,
        signal_commands,
        store_commands,
    )

    parser = _Parser(prog="casustafel", description=_("Casustafel: the casusoverleg table."))
    parser.add_argument("--version", action="version", version=f"casustafel {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language (nl or en)"))
    parser.add_argument("--demo", action="store_true",
                        help=_("open the app on a fresh synthetic demo store"))
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help=_("with --demo: render a view offscreen, save it and exit"))
    parser.add_argument("--view", choices=("meetings", "dashboard", "case", "table"),
                        default="dashboard", help=_("view for --screenshot"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    store_commands.register(sub, _user_args, _store_arg)
    case_commands.register(sub, _user_args, _store_arg)
    report_commands.register(sub, _user_args, _store_arg)
    casework_commands.register(sub, _user_args, _store_arg)
    meeting_commands.register(sub, _user_args, _store_arg)
    signal_commands.register(sub, _user_args, _store_arg)
    request_commands.register(sub, _user_args, _store_arg)
    oversight_commands.register(sub, _user_args, _store_arg)
    register_commands.register(sub, _user_args, _store_arg)
    retention_commands.register(sub, _user_args, _store_arg)
    return parser


def main(argv: Sequence[str] | None = None, *, kdf: KdfParams = PRODUCTION_KDF) -> int:
    """Run the CLI; return the exit code.  ``kdf`` applies to slots created by this run."""
    # Before anything can hold a key or a record in memory (issue 9): no core files.
    hardening.harden_process()
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(args_list))
    # A read-only home must not stop the app; we only lose the technical log.
    with contextlib.suppress(OSError):
        setup_logging()
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as stop:
        return int(stop.code or 0)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        # The desktop app (no command, or --demo) is started by ui.launcher, which owns
        # the console script; app/ cannot import the Qt layer.
        parser.print_help()
        return ExitCode.USAGE
    try:
        return handler(args, kdf)
    except CasusError as error:
        log.info("command failed: %s", error.code)
        sys.stderr.write(f"casustafel: {error.user_message()}\n")
        return int(error.exit_code)
    except BrokenPipeError:
        # Output piped into e.g. `head`: not an error of ours.
        return int(ExitCode.OK)
    except KeyboardInterrupt:
        sys.stderr.write("casustafel: " + _("interrupted") + "\n")
        return int(ExitCode.USAGE)
    except Exception as error:
        damage = integrity.damage_error(error)
        if damage is not None:
            # A page of the database file failed its check on reading: the store needs a
            # restore (exit 5), it is not a bug of ours (issue 9, hardening).
            log.warning("command failed: %s", damage.code)
            sys.stderr.write(f"casustafel: {damage.user_message()}\n")
            return int(damage.exit_code)
        log.exception("internal error")
        sys.stderr.write(
            "casustafel: " + _("internal error; details are in the technical log.") + "\n"
        )
        return 1


def _language_from(argv: list[str]) -> str:
    """The language for this run: ``--lang``, else ``CASUSTAFEL_LANG``, else Dutch.  An
    unknown ``--lang`` (refused by the parser) does not decide the language of that very
    refusal: it falls back like no ``--lang`` at all."""
    for i, arg in enumerate(argv):
        value = (argv[i + 1] if arg == "--lang" and i + 1 < len(argv)
                 else arg.split("=", 1)[1] if arg.startswith("--lang=") else None)
        if value in LANGUAGES:
            return value
    env = os.environ.get("CASUSTAFEL_LANG", "nl")
    return env if env in LANGUAGES else "nl"
