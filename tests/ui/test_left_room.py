"""Leaving the room per agenda case, from the dashboard and from the beamer (ZVH 13.2;
issue 13, point 6).

The chair records that a party present but not invited for one case left the room for it
(and came back), instead of marking it absent for the whole meeting.  Every such party is
flagged, not only one; the table view of that case, and only of that case, then shows
its content; the table notulen name the party as having left the room for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt

from app.profiles import load_profile
from app.services import meetings
from app.services.reports import prepare_report
from app.services.session import Session
from app.views import AgendaItemView, ReportRequest
from tests.ui.support import PROFILE, TIMEOUT, World, agenda_refs, unlock, wait_idle
from ui.main_window import MainWindow

T = TypeVar("T")
PARTIES = load_profile(PROFILE)


def label(party: str) -> str:
    """A party's English name (the tests run the UI in English)."""
    return PARTIES.party(party).name.get("en")


def _call(qtbot: Any, window: MainWindow, job: Callable[[Session], T]) -> T:
    """Run ``job`` in the window's store thread and wait for its answer."""
    out: list[T] = []
    window.ctx.worker.submit(job, done=out.append, failed=out.append)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(out), timeout=TIMEOUT)
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def _entry(window: MainWindow, reference: str) -> AgendaItemView:
    meeting = window.dashboard.meeting
    assert meeting is not None
    return next(i for i in meeting.agenda if i.row.reference == reference)


def _reload(qtbot: Any, window: MainWindow) -> None:
    assert window.meeting_id is not None
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.load_meeting(window.meeting_id)
    wait_idle(qtbot, window)


def _two_must_leave(qtbot: Any, window: MainWindow, world: World) -> tuple[str, list[str]]:
    """The case of ``world.stay`` with a second party present that is not invited for it."""
    reference, _party = world.stay
    mid = window.meeting_id
    assert mid is not None
    entry = _entry(window, reference)
    here = {a.party.id for a in window.dashboard.meeting.attendees if a.present}  # type: ignore[union-attr]
    invited = {p.id for p in entry.invited}
    extra = next(p.id for p in PARTIES.parties
                 if p.id not in here and p.id not in invited)
    _call(qtbot, window, lambda s: meetings.set_attendee(s, mid, extra, present=True))
    _reload(qtbot, window)
    assert window.dashboard.select_reference(reference)
    must_leave = [p.id for p in _entry(window, reference).must_leave]
    assert len(must_leave) >= 2
    return reference, must_leave


def test_every_present_party_not_invited_is_flagged_zvh_13_2(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    reference, must_leave = _two_must_leave(qtbot, window, world)
    banner = window.dashboard.must_leave
    assert banner.isVisible()
    for party in must_leave:
        assert label(party) in banner.text()
        row = window.dashboard.room_item(party)
        assert row is not None
        assert "must leave the room" in row.text()
        assert row.checkState() == Qt.CheckState.Unchecked
        assert row.flags() & Qt.ItemFlag.ItemIsUserCheckable
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.table_mode.enter()
    wait_idle(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    assert table.case.title.text().startswith(reference)
    for party in must_leave:
        assert label(party) in table.case.notice.text()
        assert label(party) in table.safe_for.text()  # named as the ones to leave first


def test_left_room_from_the_dashboard_changes_that_case_only_and_the_notulen_zvh_13_2(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    reference, party = world.stay
    others_before = {r: (_entry(window, r).left_room, _entry(window, r).must_leave)
                     for r in agenda_refs(window) if r != reference}
    assert window.dashboard.select_reference(reference)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.table_mode.enter()
    wait_idle(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    assert table.case.notice.isVisible()
    # The chair ticks "left the room" for this case on the dashboard.
    row = window.dashboard.room_item(party)
    assert row is not None
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        row.setCheckState(Qt.CheckState.Checked)
    wait_idle(qtbot, window)
    entry = _entry(window, reference)
    assert party in {p.id for p in entry.left_room}
    assert party not in {p.id for p in entry.must_leave}
    assert party not in {p.id for p in entry.at_table}
    # Still present at the meeting: not unticked for the whole meeting.
    meeting = window.dashboard.meeting
    assert meeting is not None
    assert next(a for a in meeting.attendees if a.party.id == party).present
    # Only this case changed.
    assert {r: (_entry(window, r).left_room, _entry(window, r).must_leave)
            for r in others_before} == others_before
    assert window.dashboard.current_reference() == reference
    if not entry.must_leave:  # nobody else must leave: the beamer shows the content now
        assert table.case.view is not None
        assert table.case.view.content_visible
        assert not table.case.notice.isVisible()
        assert label(party) not in table.safe_for.text()
    # The table notulen name the party as having left the room for this case.
    mid = window.meeting_id
    prepared = _call(qtbot, window, lambda s: prepare_report(s, ReportRequest(
        kind="notulen", meeting_id=mid, table=True, lang="en")))
    assert prepared.data.meeting is not None
    minutes = next(e for e in prepared.data.meeting.agenda
                   if e.case.view.reference == reference)
    assert party in {p.id for p in minutes.left_room}
    # Came back in: the case is blocked again, on the dashboard and the beamer.
    row = window.dashboard.room_item(party)
    assert row is not None
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        row.setCheckState(Qt.CheckState.Unchecked)
    wait_idle(qtbot, window)
    assert party in {p.id for p in _entry(window, reference).must_leave}
    assert table.case.notice.isVisible()


def test_left_room_from_the_beamer_l_and_b_for_the_case_on_screen_zvh_13_2(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    reference, must_leave = _two_must_leave(qtbot, window, world)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.table_mode.enter()
    wait_idle(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    assert table.case.notice.isVisible()
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.keyClick(table, Qt.Key.Key_L)
    wait_idle(qtbot, window)
    entry = _entry(window, reference)
    assert entry.must_leave == ()
    assert set(must_leave) <= {p.id for p in entry.left_room}
    assert window.dashboard.current_reference() == reference
    assert table.case.title.text().startswith(reference)
    assert table.case.view is not None
    assert table.case.view.content_visible
    assert not table.case.notice.isVisible()
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.keyClick(table, Qt.Key.Key_B)
    wait_idle(qtbot, window)
    assert set(must_leave) <= {p.id for p in _entry(window, reference).must_leave}
    assert table.case.notice.isVisible()
