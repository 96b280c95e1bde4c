"""argparse's own texts through our catalog (issue 13, point 9).

argparse translates with the stdlib ``gettext`` and its own msgids, which our single
in-memory catalog (:mod:`app.i18n`) never sees.  Rather than patching argparse's module
globals, the CLI's parser passes our strings where argparse lets it (the usage prefix via
:class:`Formatter`, the group titles and the help option via :func:`localise`) and
translates the error messages it reports by matching them against argparse's templates
(:func:`translate_error`).  The msgids below are argparse's own (Python 3.11-3.13), marked
with ``N_`` so Babel extracts them into ``casustafel.po``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable

from app.i18n import N_, _

USAGE = N_("usage: ")
POSITIONALS = N_("positional arguments")
OPTIONS = N_("options")
HELP = N_("show this help message and exit")

# The error templates argparse formats before it calls ``parser.error``.
ERRORS = (
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)

_FIELD = re.compile(r"%(?:\((\w+)\))?[rsd]")


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    last = 0
    for index, found in enumerate(_FIELD.finditer(template)):
        parts.append(re.escape(template[last:found.start()]))
        parts.append(f"(?P<{found.group(1) or f'_{index}'}>.+?)")
        last = found.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS = tuple((template, _pattern(template)) for template in ERRORS)


def _fill(template: str, values: dict[str, str]) -> str:
    """``template`` (translated) with the matched texts, which already carry their quotes
    (``%r`` was applied by argparse)."""
    positional = iter(v for k, v in values.items() if k.startswith("_"))

    def one(found: re.Match[str]) -> str:
        name = found.group(1)
        if name is not None:
            return values.get(name, found.group(0))
        return next(positional, found.group(0))

    return _FIELD.sub(one, template)


def translate_error(message: str) -> str:
    """argparse's English error ``message`` in the current language (unchanged when it
    matches no known template)."""
    for template, pattern in _PATTERNS:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        values = {k: v for k, v in found.groupdict().items() if v is not None}
        if "message" in values:  # "argument --x: <inner message>"
            values["message"] = translate_error(values["message"])
        return _fill(_(template), values)
    return message


class Formatter(argparse.HelpFormatter):
    """The help formatter with our usage prefix."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _(USAGE) if prefix is None else prefix)


def localise(parser: argparse.ArgumentParser, *, add_help: bool = True) -> None:
    """Our titles for argparse's two default groups and, with ``add_help``, our help
    option (the parser itself is made with ``add_help=False``)."""
    parser._positionals.title = _(POSITIONALS)
    parser._optionals.title = _(OPTIONS)
    if add_help:
        parser.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                            help=_(HELP))
