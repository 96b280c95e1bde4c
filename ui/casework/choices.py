"""What the casework forms offer, loaded in one store call before a form opens.

These functions run in the store thread (as jobs) and return plain data: the covenant's
parties and categories, the phases a case may move to now (:func:`app.services.phases.
allowed_next`: the profile's ``next``), the case as the user sees it.  The offer is a
convenience only: the services check every choice again, so nothing here is a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import current_language
from app.profiles import LocalText, load_profile
from app.services import cases, meetings, phases, screens, sharing
from app.services.session import Session
from app.views import (
    CaseCapabilities,
    CaseRowView,
    CaseView,
    MeetingView,
    PartyRef,
    ViewSpec,
)


@dataclass(frozen=True)
class Option:
    """One choice: a stable id and its name in both languages."""

    id: str
    name: LocalText

    def label(self) -> str:
        """The name in the current language."""
        return self.name.get(current_language())


def options(items: list[Option] | tuple[Option, ...]) -> list[tuple[str, str]]:
    """``(id, label)`` pairs for the pickers."""
    return [(o.id, o.label()) for o in items]


@dataclass(frozen=True)
class StoreChoices:
    """Covenant-wide choices: parties, categories of persons and of data."""

    parties: tuple[PartyRef, ...]
    subject_categories: tuple[Option, ...]
    data_categories: tuple[Option, ...]
    first_phase_categories: tuple[str, ...]
    closed_cases: tuple[str, ...]


@dataclass(frozen=True)
class CaseChoices:
    """What the forms about one case offer."""

    view: CaseView
    caps: CaseCapabilities
    next_phases: tuple[Option, ...]        # ordinary transitions (change phase)
    closing_phases: tuple[Option, ...]     # transitions that close the case (close)
    item_categories: tuple[Option, ...]    # data processed in the current phase
    subject_categories: tuple[Option, ...]
    all_parties: tuple[PartyRef, ...]


@dataclass(frozen=True)
class MeetingChoices:
    """What the forms about one meeting offer."""

    meeting: MeetingView
    cases: tuple[CaseRowView, ...]
    parties: tuple[PartyRef, ...]


def store_choices(session: Session) -> StoreChoices:
    """The choices of the new-case form."""
    profile = load_profile(session.profile_id)
    first = profile.first_phase()
    rows = cases.list_cases(session)
    closed = tuple(r.reference for r in rows
                   if profile.phase(r.phase_id).closing) if rows else ()
    return StoreChoices(
        tuple(cases.party_refs(session)),
        tuple(Option(c.id, c.name) for c in profile.subject_categories),
        tuple(Option(c.id, c.name) for c in profile.data_categories),
        profile.activity(first.activity).data_categories,
        closed)


def case_choices(session: Session, reference: str, meeting_id: int | None = None
                 ) -> CaseChoices:
    """The choices of the forms about case ``reference`` (``case.unknown`` when the user
    may not know of it)."""
    profile = load_profile(session.profile_id)
    view = cases.show_case(session, reference, ViewSpec(meeting_id=meeting_id))
    caps = sharing.capabilities(session, reference, meeting_id)
    allowed = [profile.phase(p) for p in phases.allowed_next(session, reference)]
    phase = profile.phase(view.phase_id)
    names = {c.id: c.name for c in profile.data_categories}
    return CaseChoices(
        view, caps,
        tuple(Option(p.id, p.name) for p in allowed if not p.closing),
        tuple(Option(p.id, p.name) for p in allowed if p.closing),
        tuple(Option(c, names[c]) for c in profile.activity(phase.activity).data_categories
              if c in names),
        tuple(Option(c.id, c.name) for c in profile.subject_categories),
        tuple(cases.party_refs(session)))


def meeting_choices(session: Session, meeting_id: int) -> MeetingChoices:
    """The choices of the forms about meeting ``meeting_id``."""
    return MeetingChoices(meetings.meeting_view(session, meeting_id),
                          tuple(cases.list_cases(session)),
                          tuple(cases.party_refs(session)))


def opened_again(session: Session) -> object:
    """The first screen's data again (after a new meeting: the meeting list)."""
    return screens.opened_store(session)
