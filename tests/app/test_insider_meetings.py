"""What a script reads of the meetings under the data key, against what the app shows a
support role anyway (issue 9, point 1: what stays readable to every user is at most what
a support role may see).

The meeting place and the delegates at the table (professionals, not the person
concerned) are in clear columns.  That is allowed only as long as the privacy officer's
own meeting dashboard shows the same for every meeting (ZVH 9.6: support roles know the
meetings as process metadata); this test pins it.
"""

from __future__ import annotations

from app.services import meetings
from tests.app.services import test_services as ts
from tests.app.test_insider_notes import _admin_conn
from tests.conftest import DemoStoreFactory


def test_zvh_9_6_the_clear_meeting_metadata_is_what_the_privacy_officer_is_shown(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 9.6: for every meeting of the demo store, the place and the delegate names a
    script reads with the data key are exactly those the privacy officer's meeting
    dashboard shows, so the data key gives no user more of them than a support role
    sees in the app."""
    folder = demo_store(ts.SPEC)
    conn = _admin_conn(folder)
    clear = {int(mid): (str(place), sorted(
        (str(p), str(n)) for p, n in conn.execute(
            "SELECT party_id, name FROM attendees WHERE meeting_id = ?", (mid,))))
        for mid, place in conn.execute("SELECT id, place FROM meetings")}
    assert clear, "no meetings: the test proves nothing"
    assert any(names for _place, names in clear.values())
    with ts._open(folder, ts.PRIVACY_OFFICER) as session:
        shown = {}
        for mid in clear:
            view = meetings.meeting_view(session, mid, today=ts.TODAY)
            shown[mid] = (view.place, sorted((a.party.id, a.name) for a in view.attendees))
    assert shown == clear
