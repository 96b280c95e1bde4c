"""Translations: every user-facing string is in the Dutch catalog and translated.

The test extracts the marked strings (``_``, ``N_``, ``ngettext``) from app/ and ui/ the way
``make i18n`` does and compares them with ``i18n/nl/LC_MESSAGES/casustafel.po``.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.i18n import _, catalog_path, language

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    found: set[str] = set()
    for package in ("app", "ui"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / package), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog(lang: str) -> dict[str, object]:
    with catalog_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}


def test_every_marked_string_is_translated_into_dutch() -> None:
    """No untranslated user-facing string in the nl catalog (Dutch first)."""
    extracted = _extracted()
    assert len(extracted) > 100  # the extraction itself works
    nl = _catalog("nl")
    missing = sorted(extracted - nl.keys())
    assert missing == [], f"not in the nl catalog (run make i18n): {missing[:20]}"
    untranslated = []
    for msgid in sorted(extracted):
        message = nl[msgid]
        string = message.string  # type: ignore[attr-defined]
        strings = string if isinstance(string, tuple) else (string,)
        if not all(strings) or message.fuzzy:  # type: ignore[attr-defined]
            untranslated.append(msgid)
    assert untranslated == [], f"untranslated or fuzzy: {untranslated[:20]}"


def test_placeholders_survive_translation() -> None:
    """Every {placeholder} of a msgid is in its Dutch translation, and no other."""
    pattern = re.compile(r"\{(\w*)\}")
    bad = [
        msgid
        for msgid, message in _catalog("nl").items()
        for text in (message.string if isinstance(message.string, tuple)  # type: ignore[attr-defined]
                     else (message.string,))  # type: ignore[attr-defined]
        if text and set(pattern.findall(msgid)) != set(pattern.findall(text))
    ]
    assert bad == []


def test_runtime_translation_switches_per_thread() -> None:
    """The catalog is used at run time; a report can be rendered in another language."""
    with language("nl"):
        dutch = _("Masked")
    with language("en"):
        english = _("Masked")
    assert english == "Masked"
    assert dutch == "Afgeschermd"


def test_no_translated_literal_hides_inside_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings (before Python 3.12): a
    ``_("...")`` there is never extracted, so it stays English in the Dutch app.  The
    literal must be outside the f-string (assigned first, or concatenated)."""
    import io
    import tokenize

    call = re.compile(r"\b(?:_|N_|ngettext)\(\s*[\"']")
    found = []
    for folder in ("app", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
            for token in tokens:
                prefix = token.string[:3].lower()
                if (token.type == tokenize.STRING and "f" in prefix.split("'")[0].split('"')[0]
                        and call.search(token.string)):
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert found == []
