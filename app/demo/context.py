"""What the demo's writers may use of one run: the :class:`DemoContext`.

:class:`app.demo.generator.Generator` implements it; :mod:`app.demo.cases` and
:mod:`app.demo.meetings` see only this protocol, so the three modules import one way
(generator → cases → meetings → context) instead of each reaching into the whole generator.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any, Protocol

from app.demo.texts import CovenantText
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
