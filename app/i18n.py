"""Runtime translation (gettext) and locale-aware formatting (Babel).

Strings are marked with ``_`` (translate now) or ``N_`` (mark for extraction, translate
later, e.g. in declarative tables).  One catalog, ``i18n/<lang>/LC_MESSAGES/casustafel.po``,
serves the CLI, the Qt app and the reports.  Dutch is the default language; the source
strings are English so the English catalog may stay thin.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import threading
from collections.abc import Mapping
from pathlib import Path

from babel import dates as babel_dates
from babel.messages import mofile, pofile

DOMAIN = "casustafel"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

_state = threading.local()
_cache: dict[str, gettext.NullTranslations] = {}
_default_language = DEFAULT_LANGUAGE


def catalog_path(lang: str) -> Path:
    """The ``.po`` file of ``lang``."""
    return I18N_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _translations(lang: str) -> gettext.NullTranslations:
    # The .po files are the only source: they are compiled in memory at first use, so no
    # generated .mo file can go stale or be forgotten in a commit.
    if lang not in _cache:
        path = catalog_path(lang)
        if path.is_file():
            with path.open("rb") as fh:
                catalog = pofile.read_po(fh, locale=lang, domain=DOMAIN)
            buffer = io.BytesIO()
            mofile.write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            _cache[lang] = gettext.GNUTranslations(buffer)
        else:
            _cache[lang] = gettext.NullTranslations()
    return _cache[lang]


def set_language(lang: str) -> None:
    """Set the process-wide default language (``nl`` or ``en``)."""
    global _default_language  # noqa: PLW0603 - the one process-wide UI language
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    _default_language = lang


def current_language() -> str:
    """The language in force on this thread (a report may override the UI language)."""
    return getattr(_state, "lang", None) or _default_language


class language:  # noqa: N801 - used as a context manager, reads like a keyword
    """Temporarily switch the language on this thread, e.g. to render an English report."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.previous: str | None = None

    def __enter__(self) -> None:
        self.previous = getattr(_state, "lang", None)
        _state.lang = self.lang

    def __exit__(self, *exc: object) -> None:
        _state.lang = self.previous


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with plural forms."""
    return _translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it yet."""
    return message


def format_date(value: dt.date, fmt: str = "medium") -> str:
    """A date in the current language, e.g. ``24 nov 2026``."""
    return babel_dates.format_date(value, format=fmt, locale=_LOCALES[current_language()])


def format_datetime(value: dt.datetime, fmt: str = "medium") -> str:
    """A date and time in the current language."""
    return babel_dates.format_datetime(value, format=fmt, locale=_LOCALES[current_language()])


def format_msgid(message: str, params: Mapping[str, object]) -> str:
    """``message`` (an English msgid) translated and filled with ``params``.

    A translation whose placeholders do not match ``params`` falls back to the translated
    text unfilled: an error message must never fail while being shown.
    """
    text = _(message)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
