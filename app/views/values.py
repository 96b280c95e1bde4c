"""The values of a view: a field holds its value or a :class:`Redacted` marker.

A MASKED field is a :class:`Redacted` placeholder that explains itself; HIDDEN data is
simply absent, and counts are made over what is present.  Labels keep both languages
(``LocalText``) so a report can be rendered in another language than the screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.domain.reprs import safe_repr
from app.i18n import _, current_language, format_date
from app.profiles import LocalText

__all__ = ["PartyRef", "Redacted", "Value", "display_text", "safe_repr", "value_json"]


@dataclass(frozen=True, repr=False)
class PartyRef:
    """A party with its name in both languages."""

    id: str
    name: LocalText

    def __repr__(self) -> str:
        return safe_repr(self, "id")

    def label(self, lang: str | None = None) -> str:
        """The party's name in ``lang`` (default: current language)."""
        return self.name.get(lang or current_language())

    def __str__(self) -> str:
        # In a message parameter: the name in the language the message is shown in.
        return self.label()


class CategoryRef(PartyRef):
    """A data category of the covenant with its name in both languages."""


@dataclass(frozen=True, repr=False)
class Redacted:
    """The explained placeholder of a MASKED value: what exists, from whom, and why not.

    ``destroyed_on``: the value was destroyed by a retention run that day (code
    ``destroyed``, ``article`` the retention rule's): it is gone, not withheld."""

    category: LocalText
    provider: PartyRef
    reason: str          # English msgid; translate with ``_``
    article: str
    code: str
    destroyed_on: dt.date | None = None

    def short(self) -> str:
        """One line, e.g. ``Afgeschermd · Politiegegevens · bron: Politie · art. 20 Wpg``;
        for a destroyed value ``Vernietigd op 2 dec 2030 (bewaartermijn, DM 001 ...)``."""
        lang = current_language()
        if self.destroyed_on is not None:
            return _("Destroyed on {date} (retention term, {article})").format(
                date=format_date(self.destroyed_on, "medium"), article=self.article)
        return " · ".join((
            _("Masked"),
            self.category.get(lang),
            _("source: {party}").format(party=self.provider.label(lang)),
            self.article,
        ))

    def explanation(self) -> str:
        """The full reason with its article (tooltip, "Why?" popover, PDF footnote)."""
        return f"{_(self.reason)} ({self.article})"

    def __repr__(self) -> str:
        return safe_repr(self, "code", "article")

    def to_json(self) -> dict[str, Any]:
        """The placeholder for JSON output (``show --json``)."""
        return {
            "redacted": True,
            "category": self.category.get(current_language()),
            "provider": self.provider.id,
            "reason": _(self.reason),
            "article": self.article,
            "code": self.code,
            **({"destroyed_on": self.destroyed_on.isoformat()}
               if self.destroyed_on is not None else {}),
        }


Value = str | Redacted


def value_json(value: Value | None) -> Any:
    """A field value for JSON output."""
    return value.to_json() if isinstance(value, Redacted) else value




def display_text(value: Value | None, empty: str = "") -> str:
    """A field value as one line of text: the value, the placeholder's short line, or
    ``empty`` when there is no value (the screen's and the CLI's one way to show a field)."""
    if value is None:
        return empty
    if isinstance(value, Redacted):
        return value.short()
    return value
