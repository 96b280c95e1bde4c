"""Data-subject requests (app/services/requests.py, requests_tasks.py; ZVH 17-20, 18.1).

Registering with the verification and the four-week deadline (edges with the one clock),
the extension (AVG 12(3)), the director's search and link, the providers' tasks and the
notices to recipients (ZVH 9.5, 10.1), closing, and the key rules around the officer's
request key: a forged link gives no key, closing takes the keys away, a support role
without a request opens nothing (ZVH 9.6).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app import clock
from app.domain.principals import user_principal
from app.errors import AccessDeniedError, InputError
from app.services import admin, corrections, requests, requests_tasks
from app.store import repo
from app.views.requests import RequestRowView
from tests.app.services import requests_scenario as sc
from tests.app.services.test_services import (
    ADMIN,
    CHAIR,
    GGZ,
    OTHER_CHAIR,
    POLICE,
    PRIVACY_OFFICER,
    RDAM,
    SPEC,
    TODAY,
    _open,
    _user,
    _verify,
)
from tests.conftest import DemoStoreFactory


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12)).astimezone()


def _audit(folder: Path, name: str) -> list[dict[str, object]]:
    with _open(folder, ADMIN) as s:
        return [json.loads(str(a)) for a, in s.store.conn.execute(
            "SELECT attributes FROM audit WHERE name = ? ORDER BY seq", (name,))]


# --------------------------------------------------------------------------- registering


def test_new_request_records_verification_and_deadline_without_personal_data_zvh_18_1(
        folder: Path) -> None:
    """ZVH 18.1: kind, date received, how and by whom the identity was verified, the
    four-week deadline; the identity is encrypted and in neither the audit nor clear."""
    rid = sc.register(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        detail = requests.request_detail(s, rid)
        raw = s.store.conn.execute("SELECT identity FROM dsr_requests WHERE id = ?",
                                   (rid,)).fetchone()[0]
        holders = {str(h) for h, in s.store.conn.execute(
            "SELECT holder FROM dsr_keys WHERE request_id = ?", (rid,))}
        entries = [str(a) for a, in s.store.conn.execute(
            "SELECT attributes FROM audit WHERE object_type = 'dsr_request'")]
    received = TODAY - dt.timedelta(days=3)
    assert detail.row.received_on == received
    assert detail.row.deadline_on == received + dt.timedelta(weeks=4)
    assert detail.verified_by == PRIVACY_OFFICER
    assert detail.identity is not None
    assert detail.identity.name == "jan de Vries"
    assert detail.identity.birth_date == sc.BORN
    assert b"Vries" not in bytes(raw)
    assert user_principal(PRIVACY_OFFICER) in holders
    assert user_principal(CHAIR) in holders
    assert user_principal(OTHER_CHAIR) in holders
    assert not any("Vries" in e or "1980" in e for e in entries)
    assert "Vries" not in repr(detail)


def test_new_request_refuses_bad_input_and_other_roles_zvh_18_1(folder: Path) -> None:
    """ZVH 18.1: only the privacy officer registers; kind, verification, date checked."""
    with _open(folder, PRIVACY_OFFICER) as s:
        for args, code in (
                (("delete-all", TODAY, "ID", PRIVACY_OFFICER, "X"), "request.kind"),
                (("inzage", TODAY + dt.timedelta(days=1), "ID", PRIVACY_OFFICER, "X"),
                 "request.received_future"),
                (("inzage", TODAY, "  ", PRIVACY_OFFICER, "X"), "request.verified_how"),
                (("inzage", TODAY, "ID", "nobody-here", "X"), "request.verified_by_unknown"),
                (("inzage", TODAY, "ID", PRIVACY_OFFICER, " "), "request.name")):
            with pytest.raises(InputError) as bad:
                requests.new_request(s, *args)
            assert bad.value.code == code
            assert "X" not in bad.value.user_message()
    for user in (CHAIR, _user(RDAM), ADMIN):
        with _open(folder, user) as s, pytest.raises(AccessDeniedError):
            requests.new_request(s, "inzage", TODAY, "ID", PRIVACY_OFFICER, "Jan")
        with _open(folder, user) as s, pytest.raises(AccessDeniedError):
            requests.list_requests(s)


def test_deadline_four_weeks_due_and_late_at_the_edges_zvh_18_1(folder: Path) -> None:
    """ZVH 18.1 (AVG 12(3)): answered within four weeks; the list shows a request as due
    from a week before its deadline, and late from the day after it (app.clock)."""
    received = dt.date(2030, 3, 4)
    deadline = dt.date(2030, 4, 1)
    with _open(folder, PRIVACY_OFFICER) as s:
        with clock.frozen(_at(received)):
            rid = requests.new_request(s, "correction", received, "ID", PRIVACY_OFFICER, "A")

        def row(day: dt.date) -> RequestRowView:
            with clock.frozen(_at(day)):
                return next(r for r in requests.list_requests(s, status="open")
                            if r.request_id == rid)

        assert row(received).deadline_on == deadline
        assert (row(deadline - dt.timedelta(days=8)).due, row(deadline - dt.timedelta(
            days=8)).late) == (False, False)
        assert (row(deadline - dt.timedelta(days=7)).due,
                row(deadline - dt.timedelta(days=7)).late) == (True, False)
        assert (row(deadline).due, row(deadline).late) == (True, False)
        assert (row(deadline + dt.timedelta(days=1)).due,
                row(deadline + dt.timedelta(days=1)).late) == (False, True)


def test_extension_once_with_reason_up_to_two_months_avg_12_3(folder: Path) -> None:
    """AVG 12(3): extended once, with a reason, after the deadline and at most two months
    beyond it; an extended request is late only after the extension."""
    received = dt.date(2030, 3, 4)
    deadline = dt.date(2030, 4, 1)
    latest = dt.date(2030, 6, 1)
    with _open(folder, PRIVACY_OFFICER) as s, clock.frozen(_at(received)):
        rid = requests.new_request(s, "inzage", received, "ID", PRIVACY_OFFICER, "A")
        for until, reason, code in ((latest, " ", "request.extension_reason"),
                                    (deadline, "complex", "request.extension_early"),
                                    (latest + dt.timedelta(days=1), "complex",
                                     "request.extension_late")):
            with pytest.raises(InputError) as bad:
                requests.extend(s, rid, until, reason)
            assert bad.value.code == code
        requests.extend(s, rid, latest, "Veel partijen betrokken")
        with pytest.raises(InputError) as twice:
            requests.extend(s, rid, latest, "nog eens")
        assert twice.value.code == "request.extended"
        with clock.frozen(_at(deadline + dt.timedelta(days=1))):
            view = next(r for r in requests.list_requests(s) if r.request_id == rid)
        assert view.effective_deadline == latest
        assert not view.late
        assert not view.due
        with clock.frozen(_at(latest + dt.timedelta(days=1))):
            view = next(r for r in requests.list_requests(s) if r.request_id == rid)
        assert view.late


# --------------------------------------------------------------------------- finding


def test_director_finds_the_person_in_own_cases_only_zvh_18_1(folder: Path) -> None:
    """ZVH 18.1: the procesregisseur compares the identity with the names in their own
    cases (case-folded, spaces normalised, the date of birth where known); a namesake in
    another director's case is not found, other persons are not candidates."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    with _open(folder, CHAIR) as s:
        asked = requests_tasks.requests_for_director(s)
        found = requests_tasks.find_matches(s, rid)
    assert [a.request_id for a in asked] == [rid]
    assert {(c.case_ref, c.person_label, c.birth_date_matches) for c in found} == {
        (s_.ref, "B1", True), (s_.ref2, "B1", None)}
    with _open(folder, OTHER_CHAIR) as s:
        assert {c.case_ref for c in requests_tasks.find_matches(s, rid)} == {s_.foreign}
    # A different date of birth rules the person in the first case out.
    other = sc.register(folder, birth=dt.date(1981, 2, 1))
    with _open(folder, CHAIR) as s:
        assert {c.case_ref for c in requests_tasks.find_matches(s, other)} == {s_.ref2}
    for user in (_user(RDAM), PRIVACY_OFFICER):
        with _open(folder, user) as s, pytest.raises(AccessDeniedError):
            requests_tasks.find_matches(s, rid)
    search = _audit(folder, "request.search")
    assert search
    assert all(set(a) == {"cases", "candidates"} for a in search)


def test_link_creates_decide_and_routed_tasks_zvh_17_5(folder: Path) -> None:
    """ZVH 17.5-17.6, 18.1: linking a person gives each providing party a task; police
    get the request routed, not a decision here; another director cannot link."""
    s_ = sc.build(folder)
    rid = sc.register(folder, "correction")
    linked = sc.link_all(folder, rid)
    assert len(linked) == 2
    with _open(folder, PRIVACY_OFFICER) as s:
        detail = requests.request_detail(s, rid)
    tasks = {(t.case_ref, t.party.id, t.kind) for t in detail.tasks}
    assert tasks == {(s_.ref, RDAM, "decide"), (s_.ref, GGZ, "decide"),
                     (s_.ref, POLICE, "routed"), (s_.ref2, RDAM, "decide")}
    assert all(sub.vouched for sub in detail.subjects)
    with _open(folder, OTHER_CHAIR) as s, pytest.raises(InputError):
        requests_tasks.link_subject(s, rid, linked[0])
    with _open(folder, CHAIR) as s, pytest.raises(InputError) as again:
        requests_tasks.link_subject(s, rid, linked[0])
    assert again.value.code == "request.linked"


def test_provider_acts_and_the_recipients_are_told_zvh_9_5_10_1(folder: Path) -> None:
    """ZVH 9.5, 10.1: a correction goes through correct_item (its recipients get a
    notice); an erasure tells every party that received the person's items from the
    provider, and nobody else; the task records the outcome."""
    s_ = sc.build(folder)
    rid = sc.register(folder, "erasure")
    sc.link_all(folder, rid)
    with _open(folder, _user(RDAM)) as s:
        mine = requests_tasks.tasks_for_party(s)
        assert {t.case_ref for t in mine} == {s_.ref, s_.ref2}
        assert all("Vries" not in repr(t) for t in mine)
        task = next(t for t in mine if t.case_ref == s_.ref)
        assert s_.name_item in task.item_ids
        assert s_.care_item not in task.item_ids
        with pytest.raises(InputError) as wrong:
            requests_tasks.complete_task(s, task.task_id, "corrected")
        assert wrong.value.code == "request.outcome_kind"
        requests_tasks.complete_task(s, task.task_id, "erased")
        received = {str(p) for p, in s.store.conn.execute(
            "SELECT DISTINCT d.recipient_party FROM disclosures d JOIN items i"
            " ON i.id = d.item_id JOIN persons p ON p.id = i.person_id"
            " WHERE i.case_id = (SELECT id FROM cases WHERE reference = ?)"
            " AND p.label = 'B1' AND d.provider_party = ?", (s_.ref, RDAM))}
        told = {str(p) for p, in s.store.conn.execute(
            "SELECT DISTINCT party_id FROM notices WHERE kind = 'item_erased'")}
        with pytest.raises(InputError) as done:
            requests_tasks.complete_task(s, task.task_id, "erased")
        assert done.value.code == "request.task_done"
    assert received == {GGZ}
    assert told == received
    with _open(folder, _user(GGZ)) as s:
        other = next(t for t in requests_tasks.tasks_for_party(s))
    with _open(folder, _user(RDAM)) as s, pytest.raises(InputError) as foreign:
        requests_tasks.complete_task(s, other.task_id, "erased")
    assert foreign.value.code == "request.task_unknown"
    # A correction request: the provider corrects (which notifies) and completes.
    cid = sc.register(folder, "correction")
    sc.link_all(folder, cid)
    with _open(folder, _user(RDAM)) as s:
        task = next(t for t in requests_tasks.tasks_for_party(s)
                    if t.request_id == cid and t.case_ref == s_.ref)
        new = corrections.correct_item(s, s_.name_item, body="Jan de Vries",
                                       note="Spelling op verzoek van betrokkene")
        requests_tasks.complete_task(s, task.task_id, "corrected")
        corrected = s.store.conn.execute(
            "SELECT party_id FROM notices WHERE kind = 'item_corrected' AND object_id = ?",
            (new,)).fetchall()
    assert [p for p, in corrected] == [GGZ]
    done_attrs = _audit(folder, "request.task_done")
    assert [a["outcome"] for a in done_attrs] == ["erased", "corrected"]


def test_close_records_answer_and_removes_the_officers_keys_zvh_18_1(folder: Path) -> None:
    """ZVH 18.1, 9.6: closing records the answer and its date; the officer's seals go at
    once, the items are re-keyed by the next holder, and the officer opens nothing."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    sc.link_all(folder, rid)
    sc.holders_log_in(folder)
    officer = user_principal(PRIVACY_OFFICER)
    with _open(folder, PRIVACY_OFFICER) as s:
        gens = dict(s.store.conn.execute(
            "SELECT item_id, key_gen FROM item_keys WHERE holder = ?", (officer,)).fetchall())
        assert set(s_.subject_items) <= set(gens)
        with pytest.raises(InputError) as early:
            requests.close_request(s, rid, "Inzage verstrekt", TODAY - dt.timedelta(days=4))
        assert early.value.code == "request.answered_on"
        requests.close_request(s, rid, "Inzage verstrekt per brief", TODAY)
        assert s.store.conn.execute("SELECT count(*) FROM item_keys WHERE holder = ?",
                                    (officer,)).fetchone()[0] == 0
        detail = requests.request_detail(s, rid)
        assert detail.row.status == "closed"
        assert detail.row.answered_on == TODAY
        assert detail.answer == "Inzage verstrekt per brief"
        assert detail.identity is None
        with pytest.raises(InputError) as closed:
            requests.close_request(s, rid, "nogmaals", TODAY)
        assert closed.value.code == "request.closed"
    sc.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        keyring = s.store.keyring
        assert keyring is not None
        for item_id in s_.subject_items:
            item = repo.item_by_id(s.store.conn, item_id)
            assert item is not None
            assert item.key_gen > gens[item_id]
            assert keyring.item_key(item_id, item.key_gen) is None
            assert keyring.item_key(item_id, gens[item_id]) is None
        assert s.store.conn.execute("SELECT count(*) FROM item_keys WHERE holder = ?",
                                    (officer,)).fetchone()[0] == 0
    _verify(folder)


def test_forged_subject_row_gives_the_officer_no_key_zvh_9_6(folder: Path) -> None:
    """ZVH 9.6: a dsr_subjects row inserted without a signed request.link (anyone with
    the data key can insert one) gives the officer no key at a holder's sync, and the
    inzage shows nothing of that person."""
    from app.services import requests_inzage

    s_ = sc.build(folder)
    rid = sc.register(folder)
    with _open(folder, CHAIR) as s:
        conn = s.store.conn
        case_id = int(conn.execute("SELECT id FROM cases WHERE reference = ?",
                                   (s_.ref,)).fetchone()[0])
        b2 = int(conn.execute("SELECT id FROM persons WHERE case_id = ? AND label = 'B2'",
                              (case_id,)).fetchone()[0])
        conn.execute("INSERT INTO dsr_subjects(request_id, person_id, case_id, linked_by,"
                     " linked_at) VALUES (?,?,?,?,?)", (rid, b2, case_id, CHAIR, "2030"))
        conn.execute("INSERT OR IGNORE INTO key_sync_due(case_id, since) VALUES (?, '')",
                     (case_id,))
    sc.holders_log_in(folder)
    _open(folder, CHAIR).close()
    with _open(folder, PRIVACY_OFFICER) as s:
        keyring = s.store.keyring
        assert keyring is not None
        forged = [i for i in repo.items_by_case(s.store.conn, [case_id])[case_id]
                  if i.person_id == b2]
        assert forged
        assert all(keyring.item_key(i.id, i.key_gen) is None for i in forged)
        view = requests_inzage.inzage(s, rid)
    assert view.persons == ()
    assert "CANARY" not in repr(view)
    # The same request with a signed link for B1: B1's items are sealed, B2's still not.
    b1 = next(p for p in sc.link_all(folder, rid) if p != b2)
    sc.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        keyring = s.store.keyring
        assert keyring is not None
        items = repo.items_by_case(s.store.conn, [case_id])[case_id]
        assert any(keyring.item_key(i.id, i.key_gen) for i in items if i.person_id == b1)
        assert all(keyring.item_key(i.id, i.key_gen) is None for i in items
                   if i.person_id == b2)
        view = requests_inzage.inzage(s, rid)
    assert b2 not in {p.person_id for p in view.persons}
    assert "CANARY" not in repr(view) + "".join(
        i.content or "" for p in view.persons for i in p.items)


def test_support_role_without_a_request_opens_nothing_zvh_9_6(folder: Path) -> None:
    """ZVH 9.6: the officer and the administrator hold no item key in daily work."""
    sc.build(folder)
    for user in (PRIVACY_OFFICER, ADMIN):
        with _open(folder, user) as s:
            keyring = s.store.keyring
            assert keyring is not None
            items = [i for v in repo.items_by_case(s.store.conn, None).values() for i in v]
            assert items
            assert all(keyring.item_key(i.id, i.key_gen) is None for i in items)
            assert s.store.conn.execute("SELECT count(*) FROM item_keys WHERE holder = ?",
                                        (user_principal(user),)).fetchone()[0] == 0


def test_withhold_needs_reason_and_own_item_zvh_18_1(folder: Path) -> None:
    """ZVH 18.1 (AVG 23): a provider withholds only its own items about a linked person,
    with a reason."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    sc.link_all(folder, rid)
    with _open(folder, _user(GGZ)) as s:
        with pytest.raises(InputError) as blank:
            requests_tasks.withhold(s, rid, s_.care_item, "  ")
        assert blank.value.code == "request.withhold_reason"
        with pytest.raises(InputError) as foreign:
            requests_tasks.withhold(s, rid, s_.name_item, "Lopend onderzoek")
        assert foreign.value.code == "item.unknown"
        requests_tasks.withhold(s, rid, s_.care_item, "Lopend onderzoek")
    with _open(folder, PRIVACY_OFFICER) as s:
        assert requests.request_detail(s, rid).withheld == 1
    assert admin is not None
