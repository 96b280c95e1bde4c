"""The building blocks of import validation: issues, record shapes and the :class:`Checker`.

Every problem becomes a :class:`DatasetIssue` naming the record and field, e.g.
``cases[3].items[2].category``.  Messages are English msgids (marked with ``N_``) whose
parameters are only non-personal facts: profile ids, allowed values, the expected form and
indexes of other records.  A value from the document is never quoted, because it may be
personal data (a name in the wrong field, a text body).

:mod:`app.dataset.validate` (the document) and :mod:`app.dataset.validate_cases` (each
case) both build on this module, one way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.crypto.keyslots import normalise_username
from app.domain.roles import Role
from app.i18n import N_, format_msgid
from app.profiles import Profile

FORMAT = "casustafel-import"
VERSION = 1
MAX_ISSUES = 200

# Keys of the format are lower-case snake case; an unknown key is named in the path only
# when it looks like one (so a name used as a key is never echoed).
_SAFE_KEY = re.compile(r"[a-z_][a-z0-9_]{0,39}")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_DT_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?")
_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?")

Spec = tuple[frozenset[str], frozenset[str]]


def spec(required: str, optional: str = "") -> Spec:
    """A record shape: the required keys and all allowed keys (required and optional)."""
    req = frozenset(required.split())
    return req, req | frozenset(optional.split())


@dataclass(frozen=True)
class DatasetIssue:
    """One problem in an import document: where (``path``) and what (``message``).

    ``message`` is an English msgid; ``params`` fill its placeholders and hold only
    non-personal facts (profile ids, allowed values, record indexes).
    """

    path: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def text(self) -> str:
        """The message in the current language, without the path."""
        return format_msgid(self.message, self.params)

    def __str__(self) -> str:
        return f"{self.path}: {self.text()}" if self.path else self.text()


class TooMany(Exception):  # noqa: N818 - internal control flow, not an error
    """Raised when MAX_ISSUES issues are collected."""


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass
class UserFacts:
    """What the document or the store says about a user: role and party (None: unchecked)."""

    role: str | None
    party: str | None


class Checker:
    """Typed getters that report into one issue list; ``None`` means absent or invalid."""

    def __init__(self, profile: Profile, users: dict[str, UserFacts],
                 incident_classes: Collection[str]) -> None:
        self.profile = profile
        self.users = users
        self.issues: list[DatasetIssue] = []
        self.parties = frozenset(p.id for p in profile.parties)
        self.phases = frozenset(p.id for p in profile.phases)
        self.subject_categories = frozenset(c.id for c in profile.subject_categories)
        self.data_categories = {c.id: c for c in profile.data_categories}
        self.police_recipients = frozenset(profile.police_recipients)
        self.incident_classes = frozenset(incident_classes)
        self._dates: dict[str, dt.date] = {}
        self._known: dict[str, Collection[str]] = {
            "party": self.parties,
            "phase": self.phases,
            "subject": self.subject_categories,
            "data": self.data_categories,
            "incident": self.incident_classes,
        }
        self.meeting_keys: dict[str, int] = {}
        self.case_refs: set[str] = set()

    # -- reporting ------------------------------------------------------------
    def add(self, path: str, message: str, **params: object) -> None:
        """Record one issue; stops validation (``TooMany``) at MAX_ISSUES."""
        self.issues.append(DatasetIssue(path, message, params))
        if len(self.issues) >= MAX_ISSUES:
            raise TooMany

    # -- structure ------------------------------------------------------------
    def record(self, value: object, path: str, spec: Spec) -> Mapping[str, Any] | None:
        """``value`` as an object with only known keys and every required key."""
        if not isinstance(value, dict):
            self.add(path, N_("must be an object"))
            return None
        required, allowed = spec
        keys = value.keys()
        if not keys <= allowed:
            for key in sorted((k for k in keys if k not in allowed), key=str):
                if isinstance(key, str) and _SAFE_KEY.fullmatch(key):
                    self.add(join(path, key), N_("unknown key"))
                else:
                    self.add(path, N_("has a key that is not part of the format (not shown)"))
        if not required <= keys:
            for key in sorted(required - keys):
                self.add(join(path, key), N_("missing (required)"))
        return value

    def items(self, rec: Mapping[str, Any], path: str, key: str) -> list[Any]:
        """An optional list (absent or null: empty)."""
        value = rec.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.add(join(path, key), N_("must be a list"))
            return []
        return list(value)

    def _null(self, rec: Mapping[str, Any], path: str, key: str, required: bool) -> None:
        if required and key in rec:
            self.add(join(path, key), N_("must not be null"))

    # -- values -----------------------------------------------------------------
    def text(self, rec: Mapping[str, Any], path: str, key: str, *, required: bool = False,
             blank: bool = False) -> str | None:
        """A string; not empty (after trimming spaces) unless ``blank``."""
        value = rec.get(key)
        if type(value) is str and (blank or (value and not value.isspace())):
            return value  # the common case, kept cheap for 200,000 items
        if value is None:
            self._null(rec, path, key, required)
            return None
        if not isinstance(value, str):
            self.add(join(path, key), N_("must be a string"))
            return None
        if not blank and not value.strip():
            self.add(join(path, key), N_("must not be empty"))
            return None
        return value

    def choice(self, rec: Mapping[str, Any], path: str, key: str, choices: Collection[str],
               *, required: bool = False) -> str | None:
        """One of a fixed list of values."""
        value = self.text(rec, path, key, required=required)
        if value is not None and value not in choices:
            self.add(join(path, key), N_("must be one of: {allowed}"),
                     allowed=", ".join(choices))
            return None
        return value

    def ident(self, rec: Mapping[str, Any], path: str, key: str, kind: str, *,
              required: bool = False) -> str | None:
        """An id from the profile: ``kind`` is party, phase, subject, data or incident."""
        value = self.text(rec, path, key, required=required)
        if value is None:
            return None
        if value not in self._known[kind]:
            self._unknown(join(path, key), kind)
            return None
        return value

    def _unknown(self, path: str, kind: str) -> None:
        profile = self.profile.id
        if kind == "party":
            self.add(path, N_("unknown party (not a party of profile {profile})"),
                     profile=profile)
        elif kind == "phase":
            self.add(path, N_("unknown phase (not a phase of profile {profile})"),
                     profile=profile)
        elif kind == "subject":
            self.add(path, N_("unknown category of persons concerned (not in profile {profile})"),
                     profile=profile)
        elif kind == "data":
            self.add(path, N_("unknown data category (not in profile {profile})"),
                     profile=profile)
        else:
            self.add(path, N_("unknown dagmonitor incident class (expected a code such as A20"
                              " from the incident class list)"))

    def party_list(self, rec: Mapping[str, Any], path: str, key: str) -> list[str]:
        """An optional list of distinct party ids."""
        seen: dict[str, int] = {}
        for j, value in enumerate(self.items(rec, path, key)):
            where = f"{join(path, key)}[{j}]"
            if not isinstance(value, str):
                self.add(where, N_("must be a string"))
            elif value not in self.parties:
                self._unknown(where, "party")
            elif value in seen:
                self.add(where, N_("listed twice (also at index {other})"), other=seen[value])
            else:
                seen[value] = j
        return list(seen)

    def ident_list(self, rec: Mapping[str, Any], path: str, key: str, kind: str) -> list[str]:
        """An optional list of distinct profile ids of ``kind`` (see :meth:`ident`)."""
        seen: dict[str, int] = {}
        for j, value in enumerate(self.items(rec, path, key)):
            where = f"{join(path, key)}[{j}]"
            if not isinstance(value, str):
                self.add(where, N_("must be a string"))
            elif value not in self._known[kind]:
                self._unknown(where, kind)
            elif value in seen:
                self.add(where, N_("listed twice (also at index {other})"), other=seen[value])
            else:
                seen[value] = j
        return list(seen)

    def date(self, rec: Mapping[str, Any], path: str, key: str, *,
             required: bool = False) -> dt.date | None:
        """A date ``YYYY-MM-DD``."""
        value = rec.get(key)
        if value is None:
            self._null(rec, path, key, required)
            return None
        if isinstance(value, str):
            day = self._dates.get(value)
            if day is not None:
                return day
            if _DATE_RE.fullmatch(value):
                try:
                    day = self._dates[value] = dt.date.fromisoformat(value)
                except ValueError:
                    pass
                else:
                    return day
        self.add(join(path, key), N_("must be a date YYYY-MM-DD"))
        return None

    def local_datetime(self, rec: Mapping[str, Any], path: str, key: str, *,
                       required: bool = False) -> dt.datetime | None:
        """A local wall-clock date and time ``YYYY-MM-DDTHH:MM[:SS]`` (no time zone)."""
        value = rec.get(key)
        if value is None:
            self._null(rec, path, key, required)
            return None
        if isinstance(value, str) and _LOCAL_DT_RE.fullmatch(value):
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        self.add(join(path, key),
                 N_("must be a local date and time YYYY-MM-DDTHH:MM[:SS] without a time zone"))
        return None

    def timestamp(self, rec: Mapping[str, Any], path: str, key: str, *,
                  required: bool = False) -> str | None:
        """A date ``YYYY-MM-DD`` or a date and time ``YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]``."""
        value = rec.get(key)
        if value is None:
            self._null(rec, path, key, required)
            return None
        if isinstance(value, str) and _TIMESTAMP_RE.fullmatch(value):
            try:
                if len(value) == 10:
                    dt.date.fromisoformat(value)
                else:
                    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                pass
            else:
                return value
        self.add(join(path, key), N_("must be a date YYYY-MM-DD or a date and time"
                                      " YYYY-MM-DDTHH:MM[:SS] with an optional time zone"))
        return None

    def flag(self, rec: Mapping[str, Any], path: str, key: str) -> bool | None:
        """An optional true/false."""
        value = rec.get(key)
        if value is not None and not isinstance(value, bool):
            self.add(join(path, key), N_("must be true or false"))
            return None
        return value

    def user(self, rec: Mapping[str, Any], path: str, key: str, *, role: Role | None = None,
             required: bool = False) -> UserFacts | None:
        """A username listed in ``users`` or already in the store (and of ``role``)."""
        value = self.text(rec, path, key, required=required)
        if value is None:
            return None
        user = self.users.get(normalise_username(value))
        if user is None:
            self.add(join(path, key), N_("unknown user (not in users and not in the store)"))
            return None
        if role is not None and user.role is not None and user.role != role.value:
            self.add(join(path, key), N_("must be a user with role {role}"), role=role.value)
        return user

    def key(self, rec: Mapping[str, Any], path: str, seen: dict[str, int], what: str,
            index: int) -> str | None:
        """The required local ``key`` of record ``index`` of list ``what``, unique in it."""
        value = self.text(rec, path, "key", required=True)
        if value is None:
            return None
        if value in seen:
            self.add(join(path, "key"), N_("listed twice (also {what}[{other}])"),
                     what=what, other=seen[value])
            return None
        seen[value] = index
        return value

    def ref(self, rec: Mapping[str, Any], path: str, key: str, known: Mapping[str, object],
            message: str) -> str | None:
        """An optional reference to a local key in ``known``."""
        value = self.text(rec, path, key)
        if value is not None and value not in known:
            self.add(join(path, key), message)
            return None
        return value

