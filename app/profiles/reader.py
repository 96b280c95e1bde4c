"""Typed reading of one TOML table of a profile, every error naming its key path.

:class:`Reader` gets each value with its type checked (``text``, ``ident``, ``choice``,
``number``, ``local`` ...) and :meth:`Reader.finish` rejects keys nobody read, so a typo in
a profile is an error, never silently ignored (used by :mod:`app.profiles.loader`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.i18n import N_
from app.profiles.model import LocalText, ProfileError

# Ids end up in file names, log attributes and the store, so they are kept to a safe,
# lower-case alphabet; this also stops a profile id from escaping the profiles folder.
ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")


class Reader:
    """One TOML table: typed getters that know their key path and which keys were used."""

    def __init__(self, label: str, path: str, data: Mapping[str, Any]) -> None:
        self.label = label
        self.path = path
        self.data = data
        self.used: set[str] = set()

    def key(self, key: str) -> str:
        """The full key path of ``key`` in this table."""
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> ProfileError:
        """An error for ``key`` of this table."""
        return invalid(self.label, self.key(key), problem)

    def _get(self, key: str, *, optional: bool = False) -> Any:
        self.used.add(key)
        if key not in self.data:
            if optional:
                return None
            raise self.fail(key, "missing key")
        return self.data[key]

    def text(self, key: str) -> str:
        """A non-empty string."""
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty string")
        return value

    def optional_text(self, key: str, default: str) -> str:
        """A non-empty string, or ``default`` when the key is absent."""
        if key not in self.data:
            self.used.add(key)
            return default
        return self.text(key)

    def ident(self, key: str) -> str:
        """An id: lower-case letters, digits, '-' and '_'."""
        value = self.text(key)
        if not ID_RE.fullmatch(value):
            raise self.fail(key, f"'{value}' is not a valid id (a-z, 0-9, '-', '_')")
        return value

    def choice(self, key: str, allowed: frozenset[str]) -> str:
        """A string from a closed vocabulary."""
        value = self.text(key)
        if value not in allowed:
            raise self.fail(key, f"'{value}' is not one of: {', '.join(sorted(allowed))}")
        return value

    def flag(self, key: str) -> bool:
        """A boolean (``true``/``false``; not 0/1)."""
        value = self._get(key)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    def number(self, key: str, *, minimum: int = 0) -> int:
        """A whole number of at least ``minimum``."""
        return self._whole(key, self._get(key), minimum)

    def optional_number(self, key: str, *, minimum: int = 0) -> int | None:
        """A whole number of at least ``minimum``, or ``None`` when absent (TOML has no null)."""
        value = self._get(key, optional=True)
        return None if value is None else self._whole(key, value, minimum)

    def _whole(self, key: str, value: object, minimum: int) -> int:
        # bool is a subclass of int; "true" is never a number of months.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "expected a whole number")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return value

    def local(self, key: str) -> LocalText:
        """A ``{ nl = "...", en = "..." }`` table."""
        table = self.table(key)
        text = LocalText(nl=table.text("nl"), en=table.text("en"))
        table.finish()
        return text

    def idents(self, key: str) -> tuple[str, ...]:
        """A list of distinct ids."""
        value = self._get(key)
        if not isinstance(value, list):
            raise self.fail(key, "expected a list of ids")
        seen: set[str] = set()
        for index, item in enumerate(value):
            item_key = f"{key}[{index}]"
            if not isinstance(item, str) or not ID_RE.fullmatch(item):
                raise self.fail(item_key, "expected an id (a-z, 0-9, '-', '_')")
            if item in seen:
                raise self.fail(item_key, f"'{item}' is listed twice")
            seen.add(item)
        return tuple(value)

    def table(self, key: str) -> Reader:
        """A sub-table."""
        value = self._get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "expected a table")
        return Reader(self.label, self.key(key), value)

    def tables(self, key: str, *, optional: bool = False) -> list[Reader]:
        """An array of tables (``[[key]]``); absent means empty when ``optional``."""
        value = self._get(key, optional=optional)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(key, "expected an array of tables")
        if not value and not optional:
            raise self.fail(key, "must not be empty")
        return [Reader(self.label, f"{self.key(key)}[{i}]", item) for i, item in enumerate(value)]

    def finish(self) -> None:
        """Reject keys nobody asked for: most likely a typo of an optional key."""
        for key in self.data:
            if key not in self.used:
                raise self.fail(key, "unknown key")


def invalid(label: str, key: str, problem: str) -> ProfileError:
    return ProfileError(
        "profile.invalid",
        N_("Profile {profile}: key '{key}': {problem}"),
        {"profile": label, "key": key, "problem": problem},
    )
