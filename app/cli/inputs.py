"""Parsing and printing shared by the casework CLI commands (case, plan, meeting, inbox).

Every value a command takes from its arguments is parsed here *before* the store is
opened, so bad input is refused with one translated line that names the option (exit 4,
:class:`app.errors.InputError`) and nothing is written.  ``--json`` output is one object
with the id and state of what the command created or changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from app.errors import InputError
from app.i18n import N_, current_language
from app.profiles import Profile

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_date(value: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` (None for None); ``input.date`` naming ``option`` otherwise."""
    if value is None:
        return None
    text = value.strip()
    error = InputError("input.date", N_("{option}: write dates as YYYY-MM-DD."),
                       {"option": option})
    if not _DATE.fullmatch(text):
        raise error
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise error from None


def parse_datetime(value: str, option: str) -> dt.datetime:
    """``YYYY-MM-DDTHH:MM`` (local wall-clock time); ``input.datetime`` otherwise."""
    text = value.strip()
    if _DATETIME.fullmatch(text):
        try:
            return dt.datetime.fromisoformat(text.replace(" ", "T"))
        except ValueError:
            pass
    raise InputError("input.datetime",
                     N_("{option}: write date and time as YYYY-MM-DDTHH:MM."),
                     {"option": option})


def parse_parties(value: str | None, option: str, *, required: bool = True) -> list[str]:
    """A comma-separated list of party ids, without blanks and duplicates, in order."""
    parties: list[str] = []
    for part in (value or "").split(","):
        party = part.strip()
        if party and party not in parties:
            parties.append(party)
    if required and not parties:
        raise InputError("input.parties", N_("{option}: name at least one party id."),
                         {"option": option})
    return parties


def parse_pairs(values: Iterable[str] | None, option: str) -> dict[str, str]:
    """Repeated ``KEY=TEXT`` options as a mapping; a pair without ``=`` or key is refused."""
    pairs: dict[str, str] = {}
    for raw in values or ():
        key, sep, text = raw.partition("=")
        if not sep or not key.strip():
            raise InputError("input.pair", N_("{option}: write it as KEY=TEXT."),
                             {"option": option})
        pairs[key.strip()] = text
    return pairs


def require_text(value: str | None, option: str) -> str:
    """A text option that must not be blank."""
    if value is None or not value.strip():
        raise InputError("input.empty", N_("{option} must not be empty."), {"option": option})
    return value


def positive_id(value: int | None, option: str) -> int | None:
    """An id option (None for None); zero or negative is refused."""
    if value is not None and value < 1:
        raise InputError("input.id", N_("{option}: an id is a positive number."),
                         {"option": option})
    return value


def required_id(value: int, option: str) -> int:
    """An id option argparse requires; zero or negative is refused."""
    if value < 1:
        raise InputError("input.id", N_("{option}: an id is a positive number."),
                         {"option": option})
    return value


def phase_json(profile: Profile, phase_id: str) -> dict[str, str]:
    """A phase as ``{"phase": id, "name": name in the current language}``."""
    return {"phase": phase_id, "name": profile.phase(phase_id).name.get(current_language())}


def emit(as_json: bool, payload: Mapping[str, Any] | list[Any], line: str) -> None:
    """Print ``payload`` as JSON with ``--json``, else the one translated ``line``."""
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif line:
        print(line)
