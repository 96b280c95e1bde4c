"""The processing register (ZVH 24.3, OND 24.2; app/services/processing_register.py).

Per profile: every activity with purpose, categories of data and persons, recipients,
retention (citing the covenant's retention article) and the phases it covers; the
controller and the contact; viewable by every user, exportable as text, JSON and CSV; and
every log line of a scripted meeting points at one of its activities.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from app.profiles import load_profile
from app.services import processing_register
from tests.app.services.test_registers import (
    ADMIN,
    PARTICIPANT,
    PROFILE,
    SPEC,
    Scripted,
    open_session,
    scripted_meeting,
)
from tests.conftest import DemoStoreFactory

PROFILES = ("zvh-rotterdam-rijnmond", "woonoverlast", "ondermijning")
# The retention article of each covenant (ZVH PP 11, WO 9, OND 11).
RETENTION = {"zvh-rotterdam-rijnmond": r"art\. 11\.\d", "woonoverlast": r"art\. 9\.\d",
             "ondermijning": r"art\. 11\.\d"}


@pytest.mark.parametrize("profile_id", PROFILES)
def test_register_covers_every_activity_zvh_24_3(profile_id: str) -> None:
    """ZVH 24.3 a-e (OND 24.2 a-g): controller and contact, and per activity its purpose,
    categories of data and persons, recipients and retention, with the phases it covers."""
    profile = load_profile(profile_id)
    view = processing_register.register_of(profile)
    assert [a.id for a in view.activities] == [a.id for a in profile.activities]
    assert view.controller.name.nl
    assert view.controller.contact.en
    assert view.controller.article
    covered = set()
    for activity, source in zip(view.activities, profile.activities, strict=True):
        assert activity.purpose == source.purpose
        assert [c.id for c in activity.data_categories] == list(source.data_categories)
        assert [c.id for c in activity.subject_categories] == list(source.subject_categories)
        assert [p.id for p in activity.recipients] == list(source.recipients)
        assert all(p.name == profile.party(p.id).name for p in activity.recipients)
        for lang in (activity.retention.nl, activity.retention.en):
            assert re.search(RETENTION[profile_id], lang), activity.id
        covered |= {p.id for p in activity.phases}
    assert covered == {p.id for p in profile.phases}, "every phase is under an activity"


def test_formats_text_json_csv() -> None:
    view = processing_register.register_of(PROFILE)
    data = json.loads(processing_register.render(view, "json", "en"))
    assert [a["id"] for a in data["activities"]] == [a.id for a in PROFILE.activities]
    assert data["controller"]["article"] == PROFILE.controller.article
    rows = list(csv.DictReader(io.StringIO(processing_register.render(view, "csv", "nl"))))
    assert [r["activity"] for r in rows] == [a.id for a in PROFILE.activities]
    assert rows[0]["retention"] == PROFILE.activities[0].retention.nl
    text = processing_register.render(view, "text", "en")
    for activity in PROFILE.activities:
        assert f"[{activity.id}] {activity.name.en}" in text
    assert PROFILE.controller.contact.en in text


def test_every_user_reads_it_and_the_look_is_logged(demo_store: DemoStoreFactory) -> None:
    """ZVH 24.3: the register is open to every user of the covenant; a look is logged."""
    folder = demo_store(SPEC)
    for username in (PARTICIPANT, ADMIN):
        with open_session(folder, username) as session:
            view = processing_register.processing_register(session)
            assert view.profile_id == PROFILE.id
            name, object_id = session.store.conn.execute(
                "SELECT name, object_id FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            assert (name, object_id) == ("processing_register.read", PROFILE.id)


def test_every_log_line_points_at_an_activity(demo_store: DemoStoreFactory) -> None:
    """ZVH 24.3, 3.5a: after a scripted meeting every disclosure row's purpose and every
    audit entry's processing activity is an activity of the register."""
    scripted: Scripted = scripted_meeting(demo_store(SPEC))
    activities = {a.id for a in PROFILE.activities}
    with open_session(Path(scripted.folder), ADMIN) as session:
        conn = session.store.conn
        purposes = {str(r[0]) for r in conn.execute("SELECT DISTINCT purpose FROM disclosures")}
        logged = {str(r[0]) for r in conn.execute(
            "SELECT DISTINCT processing_activity_id FROM audit"
            " WHERE processing_activity_id IS NOT NULL")}
    assert purposes
    assert logged
    assert purposes <= activities
    assert logged <= activities
