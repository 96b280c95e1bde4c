"""Editing and correcting the joint record (issue 13, point 7; app/services/joint_edit.py).

A correction is a new version: the earlier one stays in the store, pointed to its
successor, and is shown to nobody but in the history; a correction of what a closed
meeting recorded is an addendum, and the notulen keep the version the meeting agreed
(ZVH 15.2).  Who may correct is who may record the joint record (ZVH 9.6, 14, 15.2).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlcipher3
from pypdf import PdfReader

from app.errors import AccessDeniedError, CasusError, InputError
from app.services import agenda, joint_edit, meetings
from app.services.reports import generate_report
from app.services.session import Session
from app.views import ReportRequest
from tests.app.services.test_services import (
    CHAIR,
    NOTULIST,
    OTHER_CHAIR,
    OTHER_NOTULIST,
    POLICE,
    RDAM,
    SPEC,
    TODAY,
    _at,
    _new_case,
    _open,
    _seq,
    _user,
    _verify,
    _view,
)
from tests.conftest import DemoStoreFactory

EARLIER = TODAY - dt.timedelta(days=3)


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _meeting(session: Session, ref: str) -> int:
    """A meeting about ``ref`` with the municipality and the police present, minuted by
    NOTULIST."""
    mid = meetings.create_meeting(session, starts_at=_at(1), place="Stadhuis",
                                  notulist=NOTULIST)
    meetings.add_to_agenda(session, mid, ref, [RDAM, POLICE])
    meetings.set_attendee(session, mid, RDAM)
    meetings.set_attendee(session, mid, POLICE)
    return mid


def _audit(session: Session, after: int) -> list[tuple[str, dict[str, object]]]:
    return [(str(n), json.loads(a)) for n, a in session.store.conn.execute(
        "SELECT name, attributes FROM audit WHERE seq > ? ORDER BY seq", (after,))]


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text()
                              for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _code(call: object) -> str:
    assert callable(call)
    with pytest.raises(CasusError) as refused:
        call()
    return refused.value.code


def test_a_corrected_goal_keeps_its_history_and_shows_only_the_current_text(
        folder: Path) -> None:
    """A correction never overwrites: the goal's first text stays in the store, points
    to its successor with when, by whom and why; the view shows the current goal only,
    marked corrected; the history holds both; the audit entry names the replaced row and
    no text."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Schulden op orde")
        seq = _seq(session)
        new = joint_edit.correct_goal(session, ref, goal, text="Schulden in beeld",
                                      reason="Haalbaar doel")
        old_row = session.store.conn.execute(
            "SELECT text, joint_text('goal', id, key_gen, content, text), superseded_by,"
            " corrected_by, correction_reason,"
            " joint_reason('goal', id, key_gen, reason_content, correction_reason),"
            " reason_content IS NOT NULL FROM goals WHERE id = ?", (goal,)).fetchone()
        versions = joint_edit.history(session, ref, "goal", new)
        logged = _audit(session, seq)
    assert new != goal
    # The words are under the row's key (schema 14), and so is the reason (schema 17);
    # the procesregisseur's keyring opens them, the columns themselves are empty.
    assert tuple(old_row) == ("", "Schulden op orde", new, CHAIR, "", "Haalbaar doel", 1)
    view = _view(folder, CHAIR, ref)
    assert [(g.goal_id, g.text) for g in view.goals] == [(new, "Schulden in beeld")]
    mark = view.goals[0].corrected
    assert mark is not None
    assert (mark.corrected_on, mark.versions, mark.reason) == (TODAY, 1, "Haalbaar doel")
    assert mark.corrected_by  # the display name of the chair
    assert "Schulden op orde" not in json.dumps(view.to_json())
    assert [(v.row_id, v.text, v.current) for v in versions] == [
        (goal, "Schulden op orde", False), (new, "Schulden in beeld", True)]
    names = [n for n, _a in logged]
    assert "goal.correct" in names
    attributes = next(a for n, a in logged if n == "goal.correct")
    assert attributes == {"case": ref, "replaces": goal, "fields": ["text"],
                          "addendum": False}
    assert "Schulden" not in json.dumps(logged)
    _verify(folder)


def test_the_store_refuses_to_overwrite_the_joint_record(folder: Path) -> None:
    """Schema 13's triggers: the words of a row are never changed in place, a corrected
    row stays as it was, and a row is corrected once; destruction may still blank the
    text (ZVH 11.7)."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        decision = meetings.record_decision(session, ref, "Huisbezoek")
        new = joint_edit.correct_decision(session, ref, decision, text="Huisbezoek samen")
        conn = session.store.conn
        for sql, params in (
                ("UPDATE decisions SET text = 'Anders' WHERE id = ?", (new,)),
                ("UPDATE decisions SET decided_on = '2000-01-01' WHERE id = ?", (new,)),
                ("UPDATE decisions SET superseded_by = ? WHERE id = ?", (new, decision)),
                ("UPDATE decisions SET superseded_by = ? WHERE id = ?", (decision, new))):
            with pytest.raises(sqlcipher3.IntegrityError), session.store.transaction_raw():
                conn.execute(sql, params)
        with session.store.transaction_raw():
            conn.execute("UPDATE decisions SET text = '', correction_reason = ''"
                         " WHERE id IN (?, ?)", (decision, new))
        assert conn.execute("SELECT count(*) FROM decisions WHERE id IN (?, ?) AND"
                            " text = ''", (decision, new)).fetchone()[0] == 2


def test_an_action_is_edited_and_closed_and_its_progress_follows_it(folder: Path) -> None:
    """An action's text, owner party and deadline are corrected in one new version (the
    new owner's keys are brought in line); closing it is a status on the current row, no
    new version; its progress entries stay with it; nothing changed is refused."""
    ref = _new_case(folder)
    due = TODAY + dt.timedelta(days=7)
    with _open(folder, CHAIR) as session:
        action = meetings.add_action(session, ref, "Bellen", owner_party=RDAM, due_on=due)
        entry = meetings.add_progress(session, ref, "Gebeld", action_id=action)
        seq = _seq(session)
        new = joint_edit.correct_action(session, ref, action, text="Bellen en mailen",
                                        owner_party=POLICE, due_on=due + dt.timedelta(days=7))
        assert ("action.correct", {"case": ref, "replaces": action, "addendum": False,
                                   "fields": ["due_on", "owner", "text"],
                                   "owner": POLICE}) in _audit(session, seq)
        assert _code(lambda: joint_edit.correct_action(
            session, ref, new, text="Bellen en mailen")) == "joint.unchanged"
        assert _code(lambda: joint_edit.correct_action(
            session, ref, action, text="Oud")) == "joint.corrected"
        assert _code(lambda: joint_edit.correct_action(
            session, ref, new, owner_party="geen-partij")) == "party.unknown"
        assert joint_edit.correct_action(session, ref, new, status="done") == new
        count = session.store.conn.execute(
            "SELECT count(*) FROM actions WHERE case_id = (SELECT id FROM cases"
            " WHERE reference = ?)", (ref,)).fetchone()[0]
    assert count == 2
    view = _view(folder, CHAIR, ref)
    [shown] = view.actions
    assert (shown.action_id, shown.text, shown.owner.id, shown.due_on, shown.status) == (
        new, "Bellen en mailen", POLICE, due + dt.timedelta(days=7), "done")
    assert shown.corrected is not None
    assert [(p.entry_id, p.action_id) for p in view.progress] == [(entry, new)]


def test_zvh_15_2_a_correction_after_the_meeting_closed_is_an_addendum(
        folder: Path) -> None:
    """ZVH 15.2: the meeting agreed a decision; after the chair closed it, the minute
    taker corrects it.  The correction is an addendum with its own date; the case view
    shows the current text, marked, with the version as agreed; the notulen show the
    decision as agreed and the addendum after it."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        mid = _meeting(session, ref)
    with _open(folder, NOTULIST) as session:
        decision = meetings.record_decision(session, ref, "Besluit-ORIGINEEL huisbezoek",
                                            meeting_id=mid, decided_on=EARLIER)
    with _open(folder, CHAIR) as session:
        agenda.close_meeting(session, mid)
    with _open(folder, NOTULIST) as session:
        seq = _seq(session)
        new = joint_edit.correct_decision(session, ref, decision,
                                          text="Besluit-ADDENDUM huisbezoek met GGD",
                                          reason="GGD vergeten")
        logged = _audit(session, seq)
    with _open(folder, CHAIR) as session:
        # The minute taker's access ended with the notulen (ZVH 15.2): the chair makes
        # the party's copy now.
        result = generate_report(session, ReportRequest(
            kind="notulen", meeting_id=mid, recipient=RDAM, lang="en"), today=TODAY)
    assert ("decision.correct", {"case": ref, "replaces": decision,
                                 "fields": ["decided_on", "text"], "addendum": True}) in logged
    view = _view(folder, CHAIR, ref)
    [shown] = view.decisions
    assert (shown.decision_id, shown.addendum, shown.decided_on) == (new, True, TODAY)
    assert shown.as_agreed is not None
    assert (shown.as_agreed.text, shown.as_agreed.decided_on) == (
        "Besluit-ORIGINEEL huisbezoek", EARLIER)
    flat = _text(result.pdf)
    original = flat.index("Besluit-ORIGINEEL")
    addendum = flat.index("Besluit-ADDENDUM")
    assert original < addendum
    assert "[addendum]" in flat[addendum:]
    assert "[corrected on" in flat[addendum:]
    _verify(folder)


def test_a_correction_before_the_meeting_closed_replaces_the_decision_in_the_notulen(
        folder: Path) -> None:
    """ZVH 15.2: while the meeting is open the notulen are a draft: a corrected decision
    replaces the earlier text there (no addendum), marked corrected."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        mid = _meeting(session, ref)
        decision = meetings.record_decision(session, ref, "Besluit-EERST", meeting_id=mid)
        new = joint_edit.correct_decision(session, ref, decision, text="Besluit-DAARNA")
        result = generate_report(session, ReportRequest(
            kind="notulen", meeting_id=mid, recipient=RDAM, lang="en"), today=TODAY)
    [shown] = _view(folder, CHAIR, ref).decisions
    assert (shown.decision_id, shown.addendum, shown.as_agreed) == (new, False, None)
    flat = _text(result.pdf)
    assert "Besluit-DAARNA" in flat
    assert "Besluit-EERST" not in flat


def test_zvh_9_6_15_2_only_who_may_record_may_correct(folder: Path) -> None:
    """ZVH 9.6, 13.2, 15.2: an involved party's delegate may see the joint record but not
    correct it (refused, and the refusal is logged); another procesregisseur does not
    even learn the case exists; a minute taker corrects what the meetings they support
    recorded and nothing of another meeting."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        mid = _meeting(session, ref)
        decision = meetings.record_decision(session, ref, "Huisbezoek", meeting_id=mid)
        outside = meetings.record_decision(session, ref, "Buiten het overleg")
        goal = meetings.add_goal(session, ref, "Rust")
    with _open(folder, _user(POLICE)) as session:
        seq = _seq(session)
        with pytest.raises(AccessDeniedError):
            joint_edit.correct_decision(session, ref, decision, text="Anders")
        with pytest.raises(AccessDeniedError):
            joint_edit.correct_goal(session, ref, goal, text="Anders")
        assert [n for n, _a in _audit(session, seq)].count("access.denied") == 2
    with _open(folder, OTHER_CHAIR) as session:
        assert _code(lambda: joint_edit.correct_goal(
            session, ref, goal, text="Anders")) == "case.unknown"
    with _open(folder, OTHER_NOTULIST) as session:
        with pytest.raises(CasusError):
            joint_edit.correct_decision(session, ref, decision, text="Anders",
                                        meeting_id=mid)
    with _open(folder, NOTULIST) as session:
        # Its own meeting's decision, yes; one recorded outside a meeting, no.
        joint_edit.correct_decision(session, ref, decision, text="Huisbezoek samen")
        with pytest.raises(AccessDeniedError):
            joint_edit.correct_decision(session, ref, outside, text="Anders")
    # Another case's row answers as a missing one.
    other = _new_case(folder)
    with _open(folder, CHAIR) as session:
        assert _code(lambda: joint_edit.correct_goal(
            session, other, goal, text="Anders")) == "goal.unknown"
    texts = [d.text for d in _view(folder, CHAIR, ref).decisions]
    assert sorted(texts) == ["Buiten het overleg", "Huisbezoek samen"]


def test_the_involved_party_sees_the_current_row_and_its_mark(folder: Path) -> None:
    """ZVH 13.2: the police, invited for the case, see the corrected progress entry and
    its mark, never the earlier text; the plan van aanpak shows the current text."""
    ref = _new_case(folder, involve=(POLICE,))
    with _open(folder, CHAIR) as session:
        entry = meetings.add_progress(session, ref, "Voortgang-FOUT", entry_on=EARLIER)
        new = joint_edit.correct_progress(session, ref, entry, text="Voortgang-GOED")
        plan = generate_report(session, ReportRequest(
            kind="plan", case_ref=ref, recipient=POLICE, lang="en"), today=TODAY)
    view = _view(folder, _user(POLICE), ref)
    [shown] = view.progress
    assert (shown.entry_id, shown.text, shown.entry_on) == (new, "Voortgang-GOED", EARLIER)
    assert shown.corrected is not None
    assert "FOUT" not in json.dumps(view.to_json())
    flat = _text(plan.pdf)
    assert "Voortgang-GOED" in flat
    assert "FOUT" not in flat
    assert "[corrected on" in flat


def test_views_never_carry_the_history(folder: Path) -> None:
    """The earlier version reaches no view but the history: not the case view's rows nor
    the mark's repr (which names counts only)."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Doel-OUD")
        joint_edit.correct_goal(session, ref, goal, text="Doel-NIEUW")
        with pytest.raises(InputError):
            joint_edit.history(session, ref, "elsewhere", goal)
    view = _view(folder, CHAIR, ref)
    assert "Doel-OUD" not in repr(dataclasses.asdict(view))
    assert "Doel" not in repr(view.goals[0].corrected)
