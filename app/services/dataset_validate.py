"""Validation of an import document (``docs/import-format.md``, version 1).

Every problem becomes a :class:`DatasetIssue` naming the record and field, e.g.
``cases[3].items[2].category``.  Messages are English msgids (marked with ``N_``) whose
parameters are only non-personal facts: profile ids, allowed values, the expected form and
indexes of other records.  A value from the document is never quoted, because it may be
personal data (a name in the wrong field, a text body).

Validation runs over the whole document and collects issues up to :data:`MAX_ISSUES`;
it is written for 200,000 items (one pass, set lookups, memoised date parsing).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.crypto.keyslots import normalise_username
from app.domain.roles import Role
from app.i18n import N_, _
from app.profiles import Profile, load_incident_classes
from app.services.dataset_validate_cases import (
    ACTION,
    ACTION_STATUSES,
    ADDRESS,
    ADDRESS_PARTS,
    CONSENT,
    DECISION,
    GOAL,
    GOAL_STATUSES,
    GRANT,
    HISTORY,
    INFORMED,
    INFORMED_STATUSES,
    ITEM,
    ITEM_KINDS,
    PERSON,
    PROGRESS,
    Spec,
    check_case,
    spec,
)

# The case-level record shapes and value lists live in dataset_validate_cases; listing
# them here keeps them importable from this module as before the split.
__all__ = [
    "ACTION",
    "ACTION_STATUSES",
    "ADDRESS",
    "ADDRESS_PARTS",
    "AGENDA",
    "ATTENDEE",
    "CASE",
    "CONSENT",
    "DECISION",
    "FORMAT",
    "GOAL",
    "GOAL_STATUSES",
    "GRANT",
    "HISTORY",
    "INFORMED",
    "INFORMED_STATUSES",
    "ITEM",
    "ITEM_KINDS",
    "MAX_ISSUES",
    "MEETING",
    "MEETING_STATUSES",
    "PERSON",
    "PROGRESS",
    "ROLES",
    "TOP",
    "USER",
    "VERSION",
    "DatasetIssue",
    "validate_dataset",
]

FORMAT = "casustafel-import"
VERSION = 1
MAX_ISSUES = 200

ROLES = tuple(r.value for r in Role)
MEETING_STATUSES = ("planned", "held")

# Keys of the format are lower-case snake case; an unknown key is named in the path only
# when it looks like one (so a name used as a key is never echoed).
_SAFE_KEY = re.compile(r"[a-z_][a-z0-9_]{0,39}")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_DT_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?")
_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?")

TOP = spec("format version profile", "users meetings cases")
USER = spec("username name role party")
MEETING = spec("key starts_at chair", "place notulist status attendees agenda")
ATTENDEE = spec("party", "name present")
AGENDA = spec("case", "invited left_room")
CASE = spec("ref phase registering_party opened_at",
             "procesregisseur casusregisseur casusregisseur_party themes goal closed_at"
             " close_reason close_basis phase_history persons items grants consents goals"
             " actions decisions progress")


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
        text = _(self.message)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text

    def __str__(self) -> str:
        return f"{self.path}: {self.text()}" if self.path else self.text()


class _TooMany(Exception):  # noqa: N818 - internal control flow, not an error
    """Raised when MAX_ISSUES issues are collected."""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass
class _User:
    role: str | None
    party: str | None


class Checker:
    """Typed getters that report into one issue list; ``None`` means absent or invalid."""

    def __init__(self, profile: Profile, users: dict[str, _User],
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
        """Record one issue; stops validation (``_TooMany``) at MAX_ISSUES."""
        self.issues.append(DatasetIssue(path, message, params))
        if len(self.issues) >= MAX_ISSUES:
            raise _TooMany

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
                    self.add(_join(path, key), N_("unknown key"))
                else:
                    self.add(path, N_("has a key that is not part of the format (not shown)"))
        if not required <= keys:
            for key in sorted(required - keys):
                self.add(_join(path, key), N_("missing (required)"))
        return value

    def items(self, rec: Mapping[str, Any], path: str, key: str) -> list[Any]:
        """An optional list (absent or null: empty)."""
        value = rec.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.add(_join(path, key), N_("must be a list"))
            return []
        return list(value)

    def _null(self, rec: Mapping[str, Any], path: str, key: str, required: bool) -> None:
        if required and key in rec:
            self.add(_join(path, key), N_("must not be null"))

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
            self.add(_join(path, key), N_("must be a string"))
            return None
        if not blank and not value.strip():
            self.add(_join(path, key), N_("must not be empty"))
            return None
        return value

    def choice(self, rec: Mapping[str, Any], path: str, key: str, choices: Collection[str],
               *, required: bool = False) -> str | None:
        """One of a fixed list of values."""
        value = self.text(rec, path, key, required=required)
        if value is not None and value not in choices:
            self.add(_join(path, key), N_("must be one of: {allowed}"),
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
            self._unknown(_join(path, key), kind)
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
            where = f"{_join(path, key)}[{j}]"
            if not isinstance(value, str):
                self.add(where, N_("must be a string"))
            elif value not in self.parties:
                self._unknown(where, "party")
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
        self.add(_join(path, key), N_("must be a date YYYY-MM-DD"))
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
        self.add(_join(path, key),
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
        self.add(_join(path, key), N_("must be a date YYYY-MM-DD or a date and time"
                                      " YYYY-MM-DDTHH:MM[:SS] with an optional time zone"))
        return None

    def flag(self, rec: Mapping[str, Any], path: str, key: str) -> bool | None:
        """An optional true/false."""
        value = rec.get(key)
        if value is not None and not isinstance(value, bool):
            self.add(_join(path, key), N_("must be true or false"))
            return None
        return value

    def user(self, rec: Mapping[str, Any], path: str, key: str, *, role: Role | None = None,
             required: bool = False) -> _User | None:
        """A username listed in ``users`` or already in the store (and of ``role``)."""
        value = self.text(rec, path, key, required=required)
        if value is None:
            return None
        user = self.users.get(normalise_username(value))
        if user is None:
            self.add(_join(path, key), N_("unknown user (not in users and not in the store)"))
            return None
        if role is not None and user.role is not None and user.role != role.value:
            self.add(_join(path, key), N_("must be a user with role {role}"), role=role.value)
        return user

    def key(self, rec: Mapping[str, Any], path: str, seen: dict[str, int], what: str,
            index: int) -> str | None:
        """The required local ``key`` of record ``index`` of list ``what``, unique in it."""
        value = self.text(rec, path, "key", required=True)
        if value is None:
            return None
        if value in seen:
            self.add(_join(path, "key"), N_("listed twice (also {what}[{other}])"),
                     what=what, other=seen[value])
            return None
        seen[value] = index
        return value

    def ref(self, rec: Mapping[str, Any], path: str, key: str, known: Mapping[str, object],
            message: str) -> str | None:
        """An optional reference to a local key in ``known``."""
        value = self.text(rec, path, key)
        if value is not None and value not in known:
            self.add(_join(path, key), message)
            return None
        return value


def validate_dataset(
    doc: object,
    profile: Profile,
    existing_usernames: Iterable[str],
    existing_refs: Collection[str],
    *,
    existing_users: Mapping[str, tuple[str, str]] | None = None,
    incident_classes: Collection[str] | None = None,
) -> list[DatasetIssue]:
    """Every problem in ``doc`` (at most :data:`MAX_ISSUES`); empty when it can be loaded.

    ``existing_usernames``: every username in the store, removed users included (none can
    be listed again).  ``existing_users``: the active users as ``username -> (role,
    party)``; when given, references must name one of them or a listed user, and roles and
    parties are checked for them too; when None, every existing username may be referenced
    and its role and party are not checked.  ``existing_refs``: the case references in the
    store.  ``incident_classes``: dagmonitor class codes (default: the shipped list).
    """
    users: dict[str, _User]
    if existing_users is None:
        users = {normalise_username(u): _User(None, None) for u in existing_usernames}
    else:
        users = {normalise_username(u): _User(role, party)
                 for u, (role, party) in existing_users.items()}
    codes = incident_classes if incident_classes is not None else {
        c.code for c in load_incident_classes()}
    checker = Checker(profile, users, codes)
    taken = {normalise_username(u) for u in existing_usernames}
    with contextlib.suppress(_TooMany):
        _check_document(checker, doc, taken, set(existing_refs))
    return checker.issues


def _check_document(c: Checker, doc: object, taken: set[str], existing_refs: set[str]) -> None:
    top = c.record(doc, "", TOP)
    if top is None:
        return
    expected: tuple[tuple[str, object], ...] = (
        ("format", FORMAT), ("version", VERSION), ("profile", c.profile.id))
    usable = True
    for key, want in expected:
        if key not in top:
            usable = False
            continue
        value = top[key]
        if type(value) is not type(want) or value != want:
            usable = False
            if key == "format":
                c.add(key, N_("must be '{expected}'"), expected=FORMAT)
            elif key == "version":
                c.add(key, N_("unsupported version (this program reads version {expected})"),
                      expected=VERSION)
            else:
                c.add(key, N_("must be the store's profile '{expected}'"), expected=c.profile.id)
    if not usable:
        return  # another format, version or profile: the rest cannot be judged
    _check_users(c, c.items(top, "", "users"), taken)
    cases = c.items(top, "", "cases")
    meetings = c.items(top, "", "meetings")
    case_recs = _check_case_refs(c, cases, existing_refs)
    meeting_recs = []
    for i, value in enumerate(meetings):
        path = f"meetings[{i}]"
        rec = c.record(value, path, MEETING)
        if rec is not None:
            c.key(rec, path, c.meeting_keys, "meetings", i)
            meeting_recs.append((path, rec))
    for path, rec in meeting_recs:
        _check_meeting(c, path, rec)
    for path, rec in case_recs:
        check_case(c, path, rec)


def _check_users(c: Checker, users: list[Any], taken: set[str]) -> None:
    seen: dict[str, int] = {}
    for i, value in enumerate(users):
        path = f"users[{i}]"
        rec = c.record(value, path, USER)
        if rec is None:
            continue
        name = c.text(rec, path, "username", required=True)
        c.text(rec, path, "name", required=True)
        role = c.choice(rec, path, "role", ROLES, required=True)
        party = c.ident(rec, path, "party", "party", required=True)
        if name is None:
            continue
        norm = normalise_username(name)
        if norm in seen:
            c.add(f"{path}.username", N_("listed twice, ignoring case (also users[{other}])"),
                  other=seen[norm])
        elif norm in taken:
            c.add(f"{path}.username", N_("a user with this username already exists in the store"))
        else:
            seen[norm] = i
            c.users[norm] = _User(role, party)


def _check_case_refs(c: Checker, cases: list[Any],
                     existing_refs: set[str]) -> list[tuple[str, Mapping[str, Any]]]:
    seen: dict[str, int] = {}
    out = []
    for i, value in enumerate(cases):
        path = f"cases[{i}]"
        rec = c.record(value, path, CASE)
        if rec is None:
            continue
        out.append((path, rec))
        ref = c.text(rec, path, "ref", required=True)
        if ref is None:
            continue
        if ref in seen:
            c.add(f"{path}.ref", N_("listed twice (also cases[{other}])"), other=seen[ref])
        elif ref in existing_refs:
            c.add(f"{path}.ref", N_("a case with this reference already exists in the store"))
        else:
            seen[ref] = i
    c.case_refs = set(seen) | existing_refs
    return out


def _check_meeting(c: Checker, path: str, rec: Mapping[str, Any]) -> None:
    c.local_datetime(rec, path, "starts_at", required=True)
    c.text(rec, path, "place", blank=True)
    c.user(rec, path, "chair", role=Role.PROCESREGISSEUR, required=True)
    c.user(rec, path, "notulist", role=Role.NOTULIST)
    c.choice(rec, path, "status", MEETING_STATUSES)
    parties: dict[str, int] = {}
    for j, value in enumerate(c.items(rec, path, "attendees")):
        ap = f"{path}.attendees[{j}]"
        att = c.record(value, ap, ATTENDEE)
        if att is None:
            continue
        party = c.ident(att, ap, "party", "party", required=True)
        c.text(att, ap, "name", blank=True)
        c.flag(att, ap, "present")
        if party is not None:
            if party in parties:
                c.add(f"{ap}.party", N_("listed twice (also attendees[{other}])"),
                      other=parties[party])
            else:
                parties[party] = j
    cases: dict[str, int] = {}
    for j, value in enumerate(c.items(rec, path, "agenda")):
        ap = f"{path}.agenda[{j}]"
        entry = c.record(value, ap, AGENDA)
        if entry is None:
            continue
        ref = c.text(entry, ap, "case", required=True)
        if ref is not None:
            if ref not in c.case_refs:
                c.add(f"{ap}.case", N_("unknown case (not in cases and not in the store)"))
            elif ref in cases:
                c.add(f"{ap}.case", N_("listed twice (also agenda[{other}])"), other=cases[ref])
            else:
                cases[ref] = j
        c.party_list(entry, ap, "invited")
        c.party_list(entry, ap, "left_room")


