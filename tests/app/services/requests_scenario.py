"""A shared scenario for the data-subject request tests (ZVH 17-20, 18.1).

One requester, "Jan de Vries", is B1 in two cases of the same procesregisseur (CHAIR) and
also appears by name in a case of another director (which CHAIR cannot search).  Every
case has another person, B2, whose items carry unique ``CANARY-`` strings; the requester's
own items carry ``SUBJECT-`` markers.  The municipality shares identity data with the GGZ
and GGZ and police view the case, so the disclosure register has rows for the requester's
items; the police add a police item (routed, ZVH 17.5-17.6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app.services import cases, casework
from app.services.session import Session
from tests.app.services.test_services import (
    BASIS,
    CHAIR,
    GGZ,
    OTHER_CHAIR,
    POLICE,
    POLICE_BASIS,
    PRIVACY_OFFICER,
    RDAM,
    TODAY,
    _new_case,
    _open,
    _user,
)

NAME = "Jan de Vries"
BORN = dt.date(1980, 2, 1)


@dataclass(frozen=True)
class Scenario:
    """The cases, the requester's items (by role) and the other persons' canaries."""

    ref: str            # CHAIR's case: B1 = requester, B2 = another person
    ref2: str           # CHAIR's second case: B1 = requester (no date of birth), B2 other
    foreign: str        # OTHER_CHAIR's case: a namesake with a canary
    name_item: int
    care_item: int
    police_item: int
    subject_items: tuple[int, ...]  # the requester's non-police items, both cases
    canaries: tuple[str, ...]


def _add(session: Session, ref: str, body: str, category: str = "identity", *,
         person: str = "B1", field: str = "", basis: str = BASIS) -> int:
    return casework.add_item(session, ref, category=category, body=body, legal_basis=basis,
                             person=person, field=field)


def build(folder: Path) -> Scenario:
    """Build the scenario in a copy of the demo store."""
    ref = _new_case(folder, CHAIR, involve=(GGZ, POLICE))
    ref2 = _new_case(folder, CHAIR, involve=(GGZ,))
    foreign = _new_case(folder, OTHER_CHAIR, involve=(GGZ,))
    for r in (ref, ref2):
        with _open(folder, CHAIR) as session:
            casework.add_person(session, r, category="cat-ii")
    with _open(folder, OTHER_CHAIR) as session:
        casework.add_person(session, foreign, category="cat-ii")
    with _open(folder, _user(RDAM)) as s:
        name_item = _add(s, ref, f"{NAME}", field="name")
        birth = _add(s, ref, "01-02-1980", field="birth_date")
        addr = _add(s, ref, "Coolsingel 40 SUBJECT-ADDR", "address")
        name2 = _add(s, ref2, "  jan  de vries ", field="name")
        home2 = _add(s, ref2, "Woont bij zijn zus SUBJECT-HOME", "housing")
        _add(s, ref, "Piet Bakker CANARY-OTHER-NAME", person="B2", field="name")
        _add(s, ref, "Schuld bij de woningcorporatie CANARY-OTHER-DEBT", "financial",
             person="B2")
        _add(s, ref2, "Kees Smit CANARY-OTHER2-NAME", person="B2", field="name")
        casework.grant(s, ref, recipient=GGZ, legal_basis=BASIS, category="identity")
        casework.grant(s, ref, recipient=GGZ, legal_basis=BASIS, category="address")
        casework.grant(s, ref2, recipient=GGZ, legal_basis=BASIS, category="housing")
    with _open(folder, _user(RDAM)) as s:
        _add(s, foreign, NAME, field="name")
        _add(s, foreign, "Overlast in het portiek CANARY-FOREIGN", "enforcement")
        _add(s, foreign, "Anna Jansen CANARY-FOREIGN-B2", person="B2", field="name")
    with _open(folder, _user(GGZ)) as s:
        care = _add(s, ref, "In behandeling SUBJECT-CARE", "health")
        _add(s, ref, "Diagnose CANARY-OTHER-CARE", "health", person="B2")
        casework.grant(s, ref, recipient=RDAM, legal_basis=BASIS, item_id=care)
    with _open(folder, _user(POLICE)) as s:
        police = _add(s, ref, "Aanhouding CANARY-POLICE-ITEM", "police", basis=POLICE_BASIS)
        casework.grant(s, ref, recipient=RDAM, legal_basis=POLICE_BASIS, item_id=police,
                       necessity="Nodig om de veiligheid mee te wegen")
    # Who saw what: the register (channel screen).
    for user, r in ((_user(GGZ), ref), (_user(GGZ), ref2), (_user(RDAM), ref)):
        with _open(folder, user) as s:
            cases.show_case(s, r, today=TODAY)
    return Scenario(ref, ref2, foreign, name_item, care, police,
                    (name_item, birth, addr, name2, home2, care),
                    ("CANARY-OTHER-NAME", "CANARY-OTHER-DEBT", "CANARY-OTHER2-NAME",
                     "CANARY-FOREIGN", "CANARY-OTHER-CARE", "CANARY-POLICE-ITEM"))


def register(folder: Path, kind: str = "inzage", *, birth: dt.date | None = BORN) -> int:
    """The officer registers a request by the requester (received three days ago)."""
    from app.services import requests

    with _open(folder, PRIVACY_OFFICER) as s:
        return requests.new_request(s, kind, TODAY - dt.timedelta(days=3),
                                    "Identiteitsbewijs gezien aan de balie", PRIVACY_OFFICER,
                                    "jan de  Vries", birth)


def link_all(folder: Path, request_id: int) -> list[int]:
    """CHAIR finds and links every candidate; returns the person ids linked."""
    from app.services import requests_tasks

    with _open(folder, CHAIR) as s:
        found = requests_tasks.find_matches(s, request_id)
        for candidate in found:
            requests_tasks.link_subject(s, request_id, candidate.person_id)
    return [c.person_id for c in found]


def holders_log_in(folder: Path) -> None:
    """The providers log in: their keyrings make the seals the director could not."""
    for party in (RDAM, GGZ, POLICE):
        _open(folder, _user(party)).close()
