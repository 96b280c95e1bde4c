"""The beamer: the main window's table view of the agenda case selected on the dashboard.

It shows, full screen, only what every party at the table for that case may see (present,
minus those that left the room); the chair steps through the agenda from the beamer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services import cases, meetings
from app.services.session import Session
from app.views import CaseView, ViewSpec
from ui.table_view import TableView

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class TableMode:
    """Enters, leaves, steps and refreshes the table view of ``window``."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.view: TableView | None = None

    def enter(self) -> None:
        """Full screen, only what every party present may see."""
        if self.window.dashboard.meeting is None:
            return
        if self.view is None:
            self.view = TableView()
            self.view.next_case.connect(lambda: self.step(1))
            self.view.previous_case.connect(lambda: self.step(-1))
            self.view.leave.connect(self.leave)
            self.view.parties_left.connect(lambda: self.record_left_room(True))
            self.view.parties_back.connect(lambda: self.record_left_room(False))
            self.view.addAction(self.window.a_lock)
        self.view.clear()
        self.view.showFullScreen()
        self.refresh()

    def leave(self) -> None:
        """Back to the workstation; nothing is asked."""
        if self.view is not None:
            self.view.clear()
            self.view.close()
            self.view = None

    def clear(self) -> None:
        """Show nothing until recomputed (when in doubt, show less)."""
        if self.view is not None:
            self.view.clear()

    def step(self, step: int) -> None:
        """Select the next (``1``) or previous (``-1``) agenda case, round the agenda."""
        table = self.window.dashboard.table
        rows = self.window.dashboard.proxy.rowCount()
        if rows == 0:
            return
        row = (max(table.currentIndex().row(), 0) + step) % rows
        table.selectRow(row)
        self.refresh()

    def record_left_room(self, left: bool) -> None:
        """From the beamer, for the agenda case on screen only: every party present that
        is not invited left the room (``True``), or those that left came back in
        (``False``).  The services check that the user chairs the meeting."""
        window = self.window
        meeting = window.dashboard.meeting
        reference = window.dashboard.current_reference()
        if meeting is None or reference is None or not meeting.is_chair:
            return
        item = next((i for i in meeting.agenda if i.row.reference == reference), None)
        if item is None:
            return
        parties = [p.id for p in (item.must_leave if left else item.left_room)]
        if not parties:
            return
        mid = meeting.meeting_id
        self.clear()  # when in doubt show less, until recomputed

        def record(session: Session) -> None:
            for party in parties:
                meetings.set_left_room(session, mid, reference, party, left=left)

        window._run(record, lambda _r: window.load_meeting(mid))

    def refresh(self) -> None:
        """Load the table view of the selected agenda case, if the table view is on."""
        window = self.window
        meeting = window.dashboard.meeting
        reference = window.dashboard.current_reference()
        if self.view is None or meeting is None or reference is None:
            return
        item = next((i for i in meeting.agenda if i.row.reference == reference), None)
        at_table = list(item.at_table) if item else []
        spec = ViewSpec.table([p.id for p in at_table], meeting.meeting_id)
        shown_in = self.view

        def shown(view: CaseView) -> None:
            # Not left (or left and entered again) meanwhile, and still the agenda case
            # on screen: a late answer for another case must not replace it.
            if self.view is shown_in and window.dashboard.current_reference() == reference:
                shown_in.show_case(view, at_table)
                window.ready.emit()

        window._run(lambda s: cases.show_case(s, reference, spec), shown)
