"""Back where the user was after a lock: which meeting, agenda case, page, case and tab.

Only the position is kept, in memory, never anything shown: after unlocking as the same
user of the same store, the window asks the services again, which decide afresh what
may be seen.  The table view is not entered again by itself: who sits at the table may
have changed while the screen was locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ui.main_window.workspace import VIEW_CASE, VIEW_CASES, VIEW_DASHBOARD, VIEW_MEETINGS

if TYPE_CHECKING:
    from ui.main_window import MainWindow


@dataclass(frozen=True)
class Place:
    """Where the window was when it locked."""

    folder: Path
    username: str
    meeting_id: int | None
    agenda_reference: str | None
    page: int
    reference: str | None
    tab: int
    view_as: str

    def __repr__(self) -> str:  # a reference is not for logs
        return f"Place(page={self.page})"


def capture(window: MainWindow) -> Place | None:
    """The window's position, if a store is open."""
    if window.opened is None:
        return None
    return Place(window.opened.folder, window.opened.user.username, window.meeting_id,
                 window.dashboard.current_reference(), window.views.currentIndex(),
                 window.reference, window.case_widget.tabs.currentIndex(),
                 str(window.view_as.currentData() or ""))


def applies(place: Place | None, window: MainWindow) -> Place | None:
    """``place`` if it was left by the user who just unlocked this store, else ``None``."""
    opened = window.opened
    if place is None or opened is None:
        return None
    if place.folder != opened.folder or place.username != opened.user.username:
        return None
    return place


def restore_meeting(place: Place, window: MainWindow) -> bool:
    """After the meeting is shown again: reselect the agenda case and the view-as party
    and go to the page the user was on.  Returns whether a case is being loaded (its
    screen will tell the window it is ready)."""
    if place.agenda_reference:
        window.dashboard.select_reference(place.agenda_reference)
    if place.view_as:
        index = window.view_as.findData(place.view_as)
        if index >= 0:
            window.view_as.blockSignals(True)
            window.view_as.setCurrentIndex(index)
            window.view_as.blockSignals(False)
    return restore_page(place, window)


def restore_page(place: Place, window: MainWindow) -> bool:
    """Go to the page of ``place``; returns whether a case is being loaded."""
    if place.page == VIEW_CASE and place.reference:
        window.open_case(place.reference, tab=place.tab)
        return True
    if place.page == VIEW_CASES:
        window.show_case_list()
    elif place.page == VIEW_MEETINGS:
        window.show_meetings()
    elif place.page == VIEW_DASHBOARD:
        window.show_dashboard()
    return False
