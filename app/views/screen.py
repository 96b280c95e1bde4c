"""Composite views that one screen loads in one store call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.profiles import LocalText
from app.views.case import CaseView
from app.views.meeting import MeetingSummary
from app.views.sharing import CaseCapabilities, ConsentView, GrantView
from app.views.user import UserView
from app.views.values import CategoryRef, PartyRef, safe_repr


@dataclass(frozen=True, repr=False)
class CaseScreen:
    """A case view with what the sharing tab and the edit buttons need."""

    view: CaseView
    capabilities: CaseCapabilities
    grants: list[GrantView]
    consents: list[ConsentView]

    def __repr__(self) -> str:
        return f"CaseScreen(case_id={self.view.case_id!r})"


@dataclass(frozen=True, repr=False)
class OpenedStore:
    """What the window needs right after unlocking: the user, the covenant's name, the
    meetings they may know of and the covenant's parties."""

    user: UserView
    profile_name: LocalText
    meetings: list[MeetingSummary]
    parties: list[PartyRef]
    folder: Path
    categories: list[CategoryRef] = field(default_factory=list)
    # The sections beyond the casework this user may open, decided in app/: "privacy" (the
    # privacy officer's workbench), "figures" (management figures), "find_requests" (find
    # a requester in one's cases), "retention" (approve destruction runs),
    # "retention_reminders" (terms of one's own cases falling due).
    sections: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return safe_repr(self, "user")
