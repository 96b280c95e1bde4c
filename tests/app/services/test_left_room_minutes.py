"""Leaving the room per case and the table notulen (ZVH 13.2, 15.2; issue 13, point 6).

A party present at the meeting that is not invited for one case leaves the room for that
case only.  The notulen name it as having left for that case; the other cases keep their
content in the table version.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.services import meetings
from app.services.reports import generate_report, prepare_report
from app.views import ReportRequest
from tests.app.services.test_services import (
    CHAIR,
    HALT,
    NOTULIST,
    POLICE,
    RDAM,
    SPEC,
    TODAY,
    _at,
    _new_case,
    _open,
    _verify,
)
from tests.conftest import DemoStoreFactory


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _meeting_with_two_cases(folder: Path) -> tuple[int, str, str]:
    """Case A invites HALT, case B does not; HALT is present and leaves the room for B."""
    ref_a, ref_b = _new_case(folder), _new_case(folder)
    with _open(folder, CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=_at(1), place="Stadhuis",
                                      notulist=NOTULIST)
        for party in (RDAM, POLICE, HALT):
            meetings.set_attendee(session, mid, party, present=True)
        meetings.add_to_agenda(session, mid, ref_a, [RDAM, POLICE, HALT])
        meetings.add_to_agenda(session, mid, ref_b, [RDAM, POLICE])
        meetings.record_decision(session, ref_a, "Besluit-ALFA huisbezoek", meeting_id=mid)
        meetings.record_decision(session, ref_b, "Besluit-BRAVO woonbegeleiding",
                                 meeting_id=mid)
        meetings.set_left_room(session, mid, ref_b, HALT)
    return mid, ref_a, ref_b


def test_table_notulen_record_a_party_that_left_the_room_for_one_case_zvh_13_2(
        folder: Path) -> None:
    """ZVH 13.2, 15.2: HALT left the room for case B only.  The table version of the
    notulen holds case A's content (HALT was invited for A) and, for B, says that HALT
    left the room.  B's own content is not in it: this version goes to every party
    present, HALT included (its distribution list says so), so it holds nothing HALT may
    not see; the parties that stayed get B's content in their own notulen."""
    mid, ref_a, ref_b = _meeting_with_two_cases(folder)
    request = ReportRequest(kind="notulen", meeting_id=mid, table=True, lang="nl")
    with _open(folder, NOTULIST) as session:
        prepared = prepare_report(session, request, today=TODAY)
        assert prepared.data.meeting is not None
        assert HALT in {p.id for p in prepared.data.recipient.parties}
        by_ref = {e.case.view.reference: e for e in prepared.data.meeting.agenda}
        assert by_ref[ref_a].case.view.content_visible
        assert by_ref[ref_a].left_room == ()
        assert [p.id for p in by_ref[ref_b].case.view.blocked_by] == [HALT]
        assert [p.id for p in by_ref[ref_b].left_room] == [HALT]
        result = generate_report(session, request, today=TODAY)
        police = generate_report(session, ReportRequest(
            kind="notulen", meeting_id=mid, recipient=POLICE, lang="nl"), today=TODAY)
    flat = _text(result.pdf)
    assert "Besluit-ALFA" in flat
    assert "Besluit-BRAVO" not in flat
    block_b = flat[flat.index(ref_b):]
    # It left: the notice says so, not that it must still leave (before, the notulen
    # read "must leave the room" and "Left the room: —").
    assert "Niet uitgenodigd voor deze casus en verliet de ruimte: HALT Nederland" in block_b
    assert "Verliet de ruimte HALT Nederland" in block_b
    assert "moet de ruimte verlaten" not in block_b
    # The police stayed for B: its own notulen hold B's decision.
    assert "Besluit-BRAVO" in _text(police.pdf)
    _verify(folder)


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text()
                              for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_party_that_came_back_blocks_the_case_again_zvh_13_2(folder: Path) -> None:
    """ZVH 13.2: the chair records that HALT came back in for case B (``left=False``);
    from then on B's table version holds no content again, only that HALT must leave."""
    mid, _ref_a, ref_b = _meeting_with_two_cases(folder)
    with _open(folder, CHAIR) as session:
        meetings.set_left_room(session, mid, ref_b, HALT, left=False)
        entry = next(e for e in meetings.meeting_view(session, mid, today=TODAY).agenda
                     if e.row.reference == ref_b)
        assert [p.id for p in entry.must_leave] == [HALT]
    with _open(folder, NOTULIST) as session:
        prepared = prepare_report(session, ReportRequest(
            kind="notulen", meeting_id=mid, table=True, lang="nl"), today=TODAY)
    assert prepared.data.meeting is not None
    entry_b = next(e for e in prepared.data.meeting.agenda
                   if e.case.view.reference == ref_b)
    assert not entry_b.case.view.content_visible
    assert [p.id for p in entry_b.case.view.blocked_by] == [HALT]
