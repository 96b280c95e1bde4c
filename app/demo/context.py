"""What the demo's writers may use of one run: the :class:`DemoContext`.

:class:`app.demo.generator.Generator` implements it; :mod:`app.demo.cases` and
:mod:`app.demo.meetings` see only this protocol, so the three modules import one way
(generator → cases → meetings → context) instead of each reaching into the whole generator.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from app.demo.covenants import CovenantText
from app.profiles import DataCategory, Party, Profile

Json = dict[str, Any]


@dataclass(frozen=True)
class PhaseInfo:
    """What a phase allows in the demo: its order, whether it closes, and the data
    categories, subject categories and recipients of its processing activity."""

    order: int
    closing: bool
    categories: frozenset[str]
    subjects: frozenset[str]
    recipients: frozenset[str]


@dataclass(slots=True)
class Fill:
    """What a text template may refer to: the day, the city and the providing party."""

    day: dt.date
    city: str
    party: str

def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the end of a short month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def stamp(day: dt.date, hour: int = 9, minute: int = 0) -> str:
    """A local timestamp ``YYYY-MM-DDTHH:MM`` as the import format expects."""
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def nl(day: dt.date) -> str:
    """A date as written in Dutch texts: ``DD-MM-YYYY``."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def slug(name: str) -> str:
    """``name`` as lower-case ASCII letters only (usernames, e-mail addresses)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch in string.ascii_lowercase)


class DemoContext(Protocol):
    """The members of one demo run that the case and meeting writers read.

    All draws come from the one ``rng``, in a fixed order, so the demo is deterministic.
    """

    p: Profile
    today: dt.date
    canary: bool
    rng: random.Random
    cov: CovenantText
    party_ids: list[str]
    parties: dict[str, Party]
    categories: dict[str, DataCategory]
    info: dict[str, PhaseInfo]
    police_recipients: frozenset[str]
    pr_party: str
    grant_modes: list[str]
    unused: set[str]
    first_names: list[str]
    last_names: list[str]
    streets: list[str]
    staff_names: list[str]
    incident_kinds: list[list[str]]
    prs: list[str]
    notulists: list[str]
    user_of: dict[str, str]
    delegates: dict[str, str]

    def count(self, name: str) -> int:
        """The next value of counter ``name`` (0, 1, ...), for cycles across cases."""

    def fill(self, template: str, fill: Fill) -> str:
        """``template`` with its fields filled from the word lists and ``fill``."""
