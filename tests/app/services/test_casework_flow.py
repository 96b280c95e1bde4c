"""The casework done in the app (issue 10): phases as the covenant's process, closing and
reopening through a new melding, corrections that reach who received the earlier version,
hand-over, invitations with warnings, closing a meeting and its addenda, the plan texts.

Article references: ZVH (seed 002), WO (seed 003, woonoverlast), OND (seed 004).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.errors import CasusError, InputError
from app.i18n import language
from app.profiles import load_profile
from app.services import agenda, casework, corrections, meetings, notices, phases
from app.services.cases import plan_texts
from app.services.session import Session
from app.store import repo
from tests.app.services import test_services as ts
from tests.conftest import DemoSpec, DemoStoreFactory

PROFILES = {
    # The six steps, "geen complexe woonoverlast" only from the joint consultation.
    "woonoverlast": DemoSpec("woonoverlast", cases=2, seed=3, today=ts.TODAY),
    # Intake to closing, scaling up to the RIEC only from the overleg.
    "ondermijning": DemoSpec("ondermijning", cases=2, seed=3, today=ts.TODAY),
    "zvh-rotterdam-rijnmond": DemoSpec("zvh-rotterdam-rijnmond", cases=2, seed=3,
                                       today=ts.TODAY),
}


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the ZVH demo store for one test."""
    return demo_store(ts.SPEC)


def _chair(spec: DemoSpec) -> str:
    return sorted(u for u, _n, role, _p in spec.generate().users if role == "procesregisseur")[0]


def _code(call: object) -> str:
    assert callable(call)
    with pytest.raises(CasusError) as refused:
        call()
    return refused.value.code


def _put_in_phase(session: Session, ref: str, phase: str, closing: bool) -> None:
    """Arrange a case in ``phase`` as an import would (the service under test is the one
    that moves it on)."""
    with session.store.transaction_raw():
        session.store.conn.execute(
            "UPDATE cases SET phase = ?, closed_at = ? WHERE reference = ?",
            (phase, ts.TODAY.isoformat() if closing else None, ref))


def _forbidden_transitions_are_refused(demo_store: DemoStoreFactory, profile_id: str) -> None:
    spec = PROFILES[profile_id]
    profile = load_profile(profile_id)
    folder = demo_store(spec)
    with ts._open(folder, _chair(spec)) as session:
        registering = profile.parties[0].id
        ref = casework.create_case(session, registering_party=registering)
        refused = 0
        for current in profile.phases:
            _put_in_phase(session, ref, current.id, current.closing)
            allowed = {p.id for p in profile.next_phases(current.id)}
            assert set(phases.allowed_next(session, ref)) == allowed
            for target in profile.phases:
                if target.id in allowed or (target.id == current.id and not current.closing):
                    continue
                before = repo.case_by_reference(session.store.conn, ref)
                code = _code(lambda t=target.id: casework.change_phase(session, ref, t))
                if current.closing:
                    # Reopening is a new melding, never a transition (ZVH 11.6).
                    assert code == "case.closed_reopen"
                else:
                    assert code == "phase.not_allowed"
                if target.closing:
                    code = _code(lambda t=target.id: casework.close_case(
                        session, ref, phase=t, reason="r", basis="b"))
                    assert code in {"phase.not_allowed", "case.closed_reopen"}
                assert repo.case_by_reference(session.store.conn, ref) == before
                refused += 1
        assert refused > len(profile.phases)


def test_zvh_pp_1_18_1_21_forbidden_phase_transitions_are_refused(
        demo_store: DemoStoreFactory) -> None:
    """ZVH PP 1.18-1.21, 11.8: aanmelding -> triage -> casusoverleg | niet doorgeleid;
    casusoverleg -> afschaling; nothing else, and nothing from a closed case."""
    _forbidden_transitions_are_refused(demo_store, "zvh-rotterdam-rijnmond")


def test_wo_5_1_9_9_forbidden_phase_transitions_are_refused(
        demo_store: DemoStoreFactory) -> None:
    """WO 5.1 (the six steps) and 9.9: "geen complexe woonoverlast" only from the joint
    consultation."""
    _forbidden_transitions_are_refused(demo_store, "woonoverlast")
    profile = load_profile("woonoverlast")
    assert [p.id for p in profile.phases if "niet_complex" in p.next] == ["gezamenlijk_overleg"]


def test_ond_1_27_1_34_forbidden_phase_transitions_are_refused(
        demo_store: DemoStoreFactory) -> None:
    """OND 1.27-1.34, Bijlage 3: the seven steps; scaling up to the RIEC only from the
    overleg."""
    _forbidden_transitions_are_refused(demo_store, "ondermijning")
    profile = load_profile("ondermijning")
    assert [p.id for p in profile.phases if "opschaling_riec" in p.next] == ["overleg"]


def test_a_refused_transition_names_the_allowed_next_steps_in_the_users_language(
        folder: Path) -> None:
    """ZVH PP 1.19: from the triage the case goes to the casusoverleg or ends "niet
    doorgeleid"; the refusal says so, in Dutch and in English."""
    ref = ts._new_case(folder, phase="triage")
    with ts._open(folder, ts.CHAIR) as session, pytest.raises(InputError) as refused:
        casework.change_phase(session, ref, "afschaling")
    assert refused.value.code == "phase.not_allowed"
    with language("en"):
        assert "Case conference" in refused.value.user_message()
        assert "Not forwarded" in refused.value.user_message()
    with language("nl"):
        assert "Casusoverleg" in refused.value.user_message()


def test_closing_needs_reason_and_basis_zvh_pp_1_21(folder: Path) -> None:
    """ZVH PP 1.21, 9.4: afschaling records the reason and the basis; a closing phase is
    not reached by a plain phase change."""
    ref = ts._new_case(folder)
    with ts._open(folder, ts.CHAIR) as session:
        assert _code(lambda: casework.change_phase(session, ref, "afschaling")) == \
            "phase.close_with_reason"
        assert _code(lambda: casework.close_case(
            session, ref, phase="afschaling", reason=" ", basis="PP 1.21")) == "close.reason"
        assert _code(lambda: casework.close_case(
            session, ref, phase="afschaling", reason="Doelen bereikt", basis="")) == \
            "close.basis"
        casework.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                            basis="PP 1.21")
        case = repo.case_by_reference(session.store.conn, ref)
        assert case is not None
        # The reason is kept with the plan under its key (schema 19), the basis in clear.
        kept = plan_texts(session, case.id)["close_reason"]
    assert (case.phase, case.close_reason, case.close_basis) == ("afschaling", "", "PP 1.21")
    assert kept == "Doelen bereikt"
    assert case.closed_at == ts.TODAY


def test_zvh_11_6_reopening_goes_only_through_a_new_melding(folder: Path) -> None:
    """ZVH 11.6: a closed case is not reopened; a new melding about the person is
    registered and linked to it, and only to a closed case."""
    old = ts._new_case(folder)
    still_open = ts._new_case(folder)
    with ts._open(folder, ts.CHAIR) as session:
        casework.close_case(session, old, phase="afschaling", reason="Klaar", basis="PP 1.21")
        assert _code(lambda: casework.change_phase(session, old, "casusoverleg")) == \
            "case.closed_reopen"
        assert phases.allowed_next(session, old) == []
        assert _code(lambda: casework.create_case(
            session, registering_party=ts.RDAM, follows=still_open)) == "case.not_closed"
        assert _code(lambda: casework.create_case(
            session, registering_party=ts.RDAM, follows="ZVH-0000-NOPE0")) == "case.unknown"
        new = casework.create_case(session, registering_party=ts.RDAM, follows=old)
        casework.add_person(session, new, category="cat-i")
    assert ts._view(folder, ts.CHAIR, new).follows == old
    # A party that may not know the old case does not learn the link from the new one.
    assert ts._view(folder, ts.CHAIR, still_open).follows is None


def _police_sees_rdam_item(folder: Path) -> tuple[str, int]:
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.GGZ, ts.HALT))
    item = ts._item(folder, ts._user(ts.RDAM), ref, "Behandeling loopt sinds maart",
                    category="housing")
    ts._grant(folder, ts._user(ts.RDAM), ref, ts.POLICE, item_id=item)
    # The police look: the disclosure register now holds it; HALT never received it.
    view = ts._view(folder, ts._user(ts.POLICE), ref)
    assert "Behandeling loopt sinds maart" in str(view.to_json())
    return ref, item


def test_wo_7_2_zvh_9_5_a_correction_reaches_exactly_who_received_the_earlier_version(
        folder: Path) -> None:
    """WO 7.2, ZVH 9.5, 10.1: the provider (the municipality) corrects its item; the
    earlier version is kept for the audit and shown to nobody; the police, who received
    it, get a notice in their inbox until acknowledged; HALT and GGZ, at the same table,
    get none, nor does the provider."""
    ref, item = _police_sees_rdam_item(folder)
    with ts._open(folder, ts._user(ts.RDAM)) as session:
        new = corrections.correct_item(session, item, body="Behandeling loopt sinds april",
                                       note="Startmaand was fout")
        assert corrections.versions(session, new) == [item]
        assert notices.inbox(session) == []
    police = ts._view(folder, ts._user(ts.POLICE), ref)
    shown = str(police.to_json())
    assert "sinds april" in shown
    assert "sinds maart" not in shown
    assert [i.item_id for i in police.items] == [new]
    assert "sinds maart" not in str(ts._view(folder, ts.CHAIR, ref).to_json())
    for party in (ts.HALT, ts.GGZ):
        with ts._open(folder, ts._user(party)) as session:
            assert notices.inbox(session) == []
    with ts._open(folder, ts._user(ts.POLICE)) as session:
        inbox = notices.inbox(session)
        assert [(n.case_ref, n.kind) for n in inbox] == [(ref, "item_corrected")]
        notices.acknowledge(session, inbox[0].notice_id)
        assert notices.inbox(session) == []
    with ts._open(folder, ts.ADMIN) as session:
        names = [r[0] for r in session.store.conn.execute(
            "SELECT name FROM audit WHERE name IN ('item.correct', 'notice.acknowledge')")]
        old = session.store.conn.execute(
            "SELECT superseded_by, body, content IS NOT NULL FROM items WHERE id = ?",
            (item,)).fetchone()
    assert names == ["item.correct", "notice.acknowledge"]
    # Kept, encrypted like every version: not in clear in the store.
    assert old == (new, "", 1)
    ts._verify(folder)


def test_zvh_3_5c_only_the_provider_corrects_its_item(folder: Path) -> None:
    """ZVH 3.5c: the recipient cannot correct what it received; the answer does not tell
    it whether the item exists; an item already replaced cannot be corrected again."""
    _ref, item = _police_sees_rdam_item(folder)
    with ts._open(folder, ts._user(ts.POLICE)) as session:
        assert _code(lambda: corrections.correct_item(
            session, item, body="x", note="y")) == "item.unknown"
    with ts._open(folder, ts._user(ts.RDAM)) as session:
        assert _code(lambda: corrections.correct_item(
            session, item, body="Nieuw", note="")) == "correction.note"
        corrections.correct_item(session, item, body="Nieuw", note="Fout")
        assert _code(lambda: corrections.correct_item(
            session, item, body="Nog eens", note="Fout")) == "item.unknown"


def test_zvh_9_6_a_hand_over_moves_the_direction(folder: Path) -> None:
    """ZVH 9.6: the case's director hands it to another procesregisseur; the new one
    directs it, the old one no longer knows it; only to a procesregisseur."""
    ref = ts._new_case(folder)
    with ts._open(folder, ts.CHAIR) as session:
        assert _code(lambda: phases.hand_over(
            session, ref, to=ts._user(ts.POLICE), reason="Verlof")) == "handover.not_director"
        assert _code(lambda: phases.hand_over(
            session, ref, to=ts.OTHER_CHAIR, reason="")) == "handover.reason"
        phases.hand_over(session, ref, to=ts.OTHER_CHAIR, reason="Verlof")
    with ts._open(folder, ts.CHAIR) as session:
        assert _code(lambda: casework.add_person(session, ref, category="cat-i")) == \
            "case.unknown"
    with ts._open(folder, ts.OTHER_CHAIR) as session:
        assert casework.add_person(session, ref, category="cat-i") == "B2"
        row = session.store.conn.execute(
            "SELECT attributes FROM audit WHERE name = 'case.handover'").fetchone()
    assert ts.OTHER_CHAIR in row[0]
    ts._verify(folder)


def test_zvh_6_4d_inviting_a_non_recipient_of_police_data_needs_a_reason(folder: Path) -> None:
    """ZVH 6.4d, 7.1, 13.2: the case holds police data; HALT is no recipient of the art.
    20 Wpg decision: the chair is warned and must record why HALT is invited anyway."""
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    ts._item(folder, ts._user(ts.POLICE), ref, "Aangifte", category="police",
             legal_basis=ts.POLICE_BASIS)
    with ts._open(folder, ts.CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=ts._at(2), place="Stadhuis")
        warnings = agenda.invitation_warnings(session, mid, ref, [ts.HALT, ts.POLICE])
        assert [(w.party.id, w.code, w.needs_reason) for w in warnings] == [
            (ts.HALT, "invite.police", True), (ts.HALT, "invite.not_involved", False)]
        with pytest.raises(InputError) as refused:
            agenda.invite(session, mid, ref, [ts.HALT, ts.POLICE])
        assert refused.value.code == "invite.reason_needed"
        with language("en"):
            assert "Halt" in refused.value.user_message()
        assert session.store.conn.execute(
            "SELECT count(*) FROM agenda WHERE meeting_id = ?", (mid,)).fetchone()[0] == 0
        agenda.invite(session, mid, ref, [ts.HALT, ts.POLICE],
                      reasons={ts.HALT: "Jeugdige betrokken; alleen het jeugddeel"})
        # Kept under a key of the case's directors (schema 20), shown to them.
        reason = {e.row.reference: e.invited_anyway
                  for e in meetings.meeting_view(session, mid).agenda}[ref][0][1]
        logged = session.store.conn.execute(
            "SELECT attributes FROM audit WHERE name = 'meeting.agenda' ORDER BY seq DESC"
        ).fetchone()[0]
    assert reason.startswith("Jeugdige")
    assert "Jeugdige" not in logged  # free text stays out of the audit trail
    assert ts.HALT in logged


def test_zvh_15_2_closing_the_meeting_locks_its_record(folder: Path) -> None:
    """ZVH 15.2: closing the meeting marks it held; what is recorded about it afterwards
    is an addendum, shown as such; nothing more is put on its agenda."""
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    other = ts._new_case(folder)
    with ts._open(folder, ts.CHAIR) as session:
        mid = session.store.conn.execute(
            "SELECT meeting_id FROM agenda a JOIN cases c ON c.id = a.case_id"
            " WHERE c.reference = ?", (ref,)).fetchone()[0]
        assert _code(lambda: agenda.close_meeting(session, mid)) == "report.nobody_present"
        meetings.set_attendee(session, mid, ts.RDAM)
        meetings.set_attendee(session, mid, ts.POLICE)
        before = meetings.record_decision(session, ref, "Huisbezoek", meeting_id=mid)
        note = agenda.add_note(session, mid, ref, "Besproken: de situatie thuis")
        agenda.close_meeting(session, mid)
        assert _code(lambda: agenda.close_meeting(session, mid)) == "meeting.held"
        after = meetings.record_decision(session, ref, "Ook de school", meeting_id=mid)
        action = meetings.add_action(session, ref, "Bellen", owner_party=ts.RDAM,
                                     meeting_id=mid)
        late_note = agenda.add_note(session, mid, ref, "Nagekomen")
        assert _code(lambda: agenda.invite(session, mid, other, [ts.RDAM])) == "meeting.held"
        flags = dict(session.store.conn.execute(
            "SELECT id, addendum FROM agenda_notes").fetchall())
        status = session.store.conn.execute(
            "SELECT status, held_by FROM meetings WHERE id = ?", (mid,)).fetchone()
    assert status == ("held", ts.CHAIR)
    assert (flags[note], flags[late_note]) == (0, 1)
    view = ts._view(folder, ts.CHAIR, ref)
    decisions = {d.decision_id: d.addendum for d in view.decisions}
    assert decisions == {before: False, after: True}
    assert [a.addendum for a in view.actions if a.action_id == action] == [True]


def test_zvh_1_20_the_plan_van_aanpak_texts(folder: Path) -> None:
    """ZVH PP 1.20, WO 1.21: the plan names the problem, how it is monitored, how and by
    whom the betrokkenen and the melder are told, and the criteria for afschaling; the
    table's joint record, not shown to a party outside it."""
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    with ts._open(folder, ts.CHAIR) as session:
        assert _code(lambda: meetings.set_plan(session, ref, colour="rood")) == "plan.field"
        meetings.set_plan(session, ref, problem="Overlast en schulden",
                          monitoring="Elke maand in het overleg",
                          informing="Procesregisseur belt de melder",
                          exit_criteria="Drie maanden geen meldingen")
    plan = ts._view(folder, ts.CHAIR, ref).plan
    assert plan is not None
    assert (plan.problem, plan.exit_criteria) == ("Overlast en schulden",
                                                  "Drie maanden geen meldingen")
    with ts._open(folder, ts._user(ts.HALT)) as session, pytest.raises(InputError) as unknown:
        meetings.set_plan(session, ref, problem="x")
    assert unknown.value.code == "case.unknown"


def test_a_case_cannot_be_registered_in_the_future(folder: Path) -> None:
    """Bad input loses nothing: a melding dated ahead is refused and nothing is written."""
    with ts._open(folder, ts.CHAIR) as session:
        count = session.store.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        assert _code(lambda: casework.create_case(
            session, registering_party=ts.RDAM,
            opened_at=ts.TODAY + dt.timedelta(days=3))) == "case.opened_future"
        assert session.store.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == count


def test_registration_is_one_transaction_zvh_pp_1_18(folder: Path) -> None:
    """ZVH PP 1.18, 9.2: the aanmelding (case, betrokkenen, reason) is stored whole or not
    at all: a refused first item leaves no case, no person and no audit entry behind."""
    with ts._open(folder, ts.CHAIR) as session:
        conn = session.store.conn
        before = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("cases", "persons", "items", "audit")]
        assert _code(lambda: casework.register_case(
            session, registering_party=ts.RDAM, persons=["cat-i", "cat-ii"],
            reason="Zorgen over de woonsituatie", reason_category="identity",
            legal_basis=" ")) == "item.basis"
        after = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("cases", "persons", "items", "audit")]
        assert after == before
        ref = casework.register_case(
            session, registering_party=ts.RDAM, persons=["cat-i", "cat-ii"],
            reason="Zorgen over de woonsituatie", reason_category="identity",
            legal_basis="PP 6.2")
        case = repo.case_by_reference(conn, ref)
        assert case is not None
        labels = [r[0] for r in conn.execute(
            "SELECT label FROM persons WHERE case_id = ? ORDER BY id", (case.id,))]
        items = conn.execute("SELECT count(*) FROM items WHERE case_id = ?",
                             (case.id,)).fetchone()[0]
    assert labels == ["B1", "B2"]
    assert items == 1
    assert case.procesregisseur == ts.CHAIR
