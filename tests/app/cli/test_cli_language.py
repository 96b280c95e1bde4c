"""argparse's own texts in the CLI go through our catalog (issue 13, point 9): the usage
prefix, the group titles, the help option and the error messages.  A marking catalog
stands in for the Dutch one (the lead translates), so every text that reaches it shows."""

from __future__ import annotations

import argparse
import gettext
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import i18n
from app.cli import argparse_texts
from app.i18n import current_language, set_language
from tests.app.cli.conftest import Cli


class _Marking(gettext.NullTranslations):
    """Every msgid comes back as ``«msgid»``: proof it was looked up in our catalog."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    language = current_language()
    monkeypatch.setitem(i18n._cache, "nl", _Marking())
    yield
    set_language(language)


def test_help_texts_come_from_our_catalog(cli: Cli, marked: None) -> None:
    """--help: "usage:", "positional arguments", "options" and "show this help message and
    exit" are our msgids, not argparse's untranslated English."""
    run = cli("--lang", "nl", "--help")
    assert run.code == 0
    assert run.out.startswith("«usage: »")
    assert "«positional arguments»:" in run.out
    assert "«options»:" in run.out
    assert "«show this help message and exit»" in run.out
    assert "\nusage:" not in run.out
    assert "\noptions:" not in run.out


def test_subcommand_help_is_translated_too(cli: Cli, marked: None) -> None:
    """A subcommand's parser is made by argparse from our parser class: same texts."""
    run = cli("--lang", "nl", "list", "--help")
    assert run.code == 0
    assert run.out.startswith("«usage: »")
    assert "«show this help message and exit»" in run.out


def test_errors_are_translated_with_their_values(cli: Cli, marked: None,
                                                 tmp_path: Path) -> None:
    """Usage errors: the template goes through the catalog, the values stay as typed;
    exit code 2."""
    run = cli("--lang", "nl", "nosuchcommand")
    assert run.code == 2
    assert "«argument %(argument_name)s: %(message)s»" not in run.err  # filled in
    assert "«argument COMMAND: «invalid choice: 'nosuchcommand' (choose from" in run.err
    run = cli("--lang", "nl", "list", str(tmp_path))
    assert run.code == 2
    assert "«the following arguments are required: --user" in run.err


def test_translate_error_fills_named_and_positional_fields(marked: None) -> None:
    set_language("nl")
    assert argparse_texts.translate_error("unrecognized arguments: --x y") == \
        "«unrecognized arguments: --x y»"
    assert argparse_texts.translate_error("argument --n: invalid int value: 'a'") == \
        "«argument --n: «invalid int value: 'a'»»"
    assert argparse_texts.translate_error("something argparse never says") == \
        "something argparse never says"


def test_the_msgids_are_the_ones_argparse_uses() -> None:
    """Each marked msgid occurs in this Python's argparse, so a Python upgrade that
    changes one shows here instead of silently going untranslated."""
    source = inspect.getsource(argparse)
    texts = (argparse_texts.USAGE, argparse_texts.POSITIONALS, argparse_texts.OPTIONS,
             argparse_texts.HELP, *argparse_texts.ERRORS)
    missing = [t for t in texts if repr(t)[1:-1] not in source and t not in source]
    assert missing == []
