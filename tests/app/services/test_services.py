"""Casework and meeting services (app/services/casework.py, meetings.py): who may do what,
what a write changes in the views, and that every write is audited.

Each test runs on a private copy of one demo store (built once per module) and mostly on
a fresh case it creates itself, so the scenario is explicit.  Test names and docstrings
cite the article of the ZVH privacy protocol (seed 003) they check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from app.domain.roles import Role
from app.domain.vocab import InformedStatus
from app.errors import AccessDeniedError, CasusError, InputError
from app.profiles import load_profile
from app.services import admin, cases, casework, consents, meetings
from app.services.redaction import profile_of
from app.services.session import Session
from app.store import repo
from app.views import CaseView, ViewSpec
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStoreFactory

T = TypeVar("T")
ZVH = "zvh-rotterdam-rijnmond"
PROFILE = load_profile(ZVH)
TODAY = dt.datetime.now().astimezone().date()
ADMIN = "beheer"
SPEC = DemoSpec(ZVH, cases=12, seed=7, today=TODAY, canary=True)
DEMO = SPEC.generate()
USERS = {u: (Role(role), party) for u, _n, role, party in DEMO.users}

POLICE = "politie-rotterdam"
RDAM = "gemeente-rotterdam"
HALT = "halt"
GGZ = "ggz-antes"
OM = "om-rotterdam"
BASIS = "art. 6 lid 1 sub e AVG; PP 6.2"
POLICE_BASIS = "art. 20 Wpg; PP 6.4d"
NECESSITY = "Nodig om de veiligheid van de betrokkene in het plan mee te wegen"


def _at(day: int) -> dt.datetime:
    """A meeting time ``day - 1`` days from today, 09:00 (local wall-clock time): within
    the profiles' preparation window of a week for ``day`` up to 8 (ZVH 13.2, 15.2)."""
    return dt.datetime.combine(TODAY + dt.timedelta(days=day - 1), dt.time(9))


def _user(party: str, role: Role = Role.DEELNEMER) -> str:
    return next(u for u, (r, p) in sorted(USERS.items()) if r is role and p == party)


def _users(role: Role) -> list[str]:
    return sorted(u for u, (r, _p) in USERS.items() if r is role)


CHAIR, OTHER_CHAIR = _users(Role.PROCESREGISSEUR)[:2]
NOTULIST, OTHER_NOTULIST = _users(Role.NOTULIST)[:2]
PRIVACY_OFFICER = _users(Role.PRIVACY_OFFICER)[0]


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _open(folder: Path, username: str) -> Session:
    return Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)


def _seq(session: Session) -> int:
    return int(session.store.conn.execute("SELECT coalesce(max(seq), 0) FROM audit")
               .fetchone()[0])


def _events(session: Session, after: int) -> list[str]:
    return [str(r[0]) for r in session.store.conn.execute(
        "SELECT name FROM audit WHERE seq > ? ORDER BY seq", (after,))]


def _verify(folder: Path) -> None:
    with _open(folder, ADMIN) as session:
        result = admin.verify_audit(session)
    assert result.ok, result


def _walk(session: Session, ref: str, phase: str) -> None:
    """Move the case along its covenant's process (the shortest way) to ``phase``."""
    profile = profile_of(session)
    case = repo.case_by_reference(session.store.conn, ref)
    assert case is not None
    start = case.phase
    paths = {start: [start]}
    todo = [start]
    while todo and phase not in paths:
        current = todo.pop(0)
        for step in profile.next_phases(current):
            if step.id not in paths:
                paths[step.id] = [*paths[current], step.id]
                todo.append(step.id)
    for step in paths[phase][1:]:
        casework.change_phase(session, ref, step)


def _new_case(folder: Path, chair: str = CHAIR, involve: tuple[str, ...] = (),
              phase: str | None = "casusoverleg") -> str:
    """A fresh case of ``chair`` registered by the municipality, with betrokkene B1, moved
    on to ``phase`` (the casusoverleg: intake shares nothing, ZVH 3.5a); the parties in
    ``involve`` are invited for it in a meeting (so they are involved)."""
    with _open(folder, chair) as session:
        ref = casework.create_case(session, registering_party=RDAM, themes=["overlast"],
                                   goal="Rust in de straat")
        casework.add_person(session, ref, category="cat-i")
        if phase is not None:
            _walk(session, ref, phase)
        if involve:
            mid = meetings.create_meeting(session, starts_at=_at(1),
                                          place="Stadhuis")
            meetings.add_to_agenda(session, mid, ref, [RDAM, *involve])
    return ref


def _item(folder: Path, username: str, ref: str, body: str, category: str = "identity",
          *, legal_basis: str = BASIS, field: str = "") -> int:
    with _open(folder, username) as session:
        return casework.add_item(session, ref, category=category, body=body,
                                 legal_basis=legal_basis, person="B1", field=field)


def _grant(folder: Path, username: str, ref: str, recipient: str, **kwargs: object) -> int:
    with _open(folder, username) as session:
        police = USERS[username][1] == POLICE
        kwargs.setdefault("necessity", NECESSITY if police else "")
        return casework.grant(session, ref, recipient=recipient,
                              legal_basis=POLICE_BASIS if police else BASIS,
                              **kwargs)  # type: ignore[arg-type]


def _view(folder: Path, username: str, ref: str, spec: ViewSpec | None = None,
          today: dt.date | None = None) -> CaseView:
    with _open(folder, username) as session:
        return cases.show_case(session, ref, spec, today=today or TODAY)


def _levels(view: CaseView) -> dict[int, str]:
    """Item id -> "FULL" or the MASKED reason code (HIDDEN items are absent)."""
    return {i.item_id: i.value.code if i.masked else "FULL"  # type: ignore[union-attr]
            for i in view.items}


def _case_row(session: Session, ref: str) -> tuple[object, ...]:
    return tuple(session.store.conn.execute(
        "SELECT phase, closed_at, casusregisseur_party FROM cases WHERE reference = ?",
        (ref,)).fetchone())


# --------------------------------------------------------------------------- roles

def test_deelnemer_cannot_create_a_case_zvh_9_6(folder: Path) -> None:
    """ZVH 9.6, 13.2: intake and registration are the procesregisseur's; a delegate of a
    party cannot open a case.  The refusal is audited."""
    for username in (_user(POLICE), _user(RDAM), NOTULIST, PRIVACY_OFFICER, ADMIN):
        with _open(folder, username) as session:
            count = session.store.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
            seq = _seq(session)
            with pytest.raises(AccessDeniedError) as refused:
                casework.create_case(session, registering_party=RDAM)
            assert refused.value.code == "access.role"
            assert _events(session, seq) == ["access.denied"]
            assert session.store.conn.execute(
                "SELECT count(*) FROM cases").fetchone()[0] == count


def test_deelnemer_cannot_change_a_phase_zvh_9_6(folder: Path) -> None:
    """ZVH 9.6, 3.5b: only the case's own procesregisseur moves it to another phase, even a
    delegate of the registering party (involved in the case) cannot."""
    ref = _new_case(folder)
    for username in (_user(RDAM), _user(RDAM, Role.CASUSREGISSEUR), NOTULIST, ADMIN):
        # The minute taker supports no meeting about this case and may not know of it: the
        # refusal then answers like a missing case (app.services.guard).
        refusal = InputError if username == NOTULIST else AccessDeniedError
        with _open(folder, username) as session:
            before = _case_row(session, ref)
            with pytest.raises(refusal):
                casework.change_phase(session, ref, "triage")
            with pytest.raises(refusal):
                casework.close_case(session, ref, phase="afschaling", reason="klaar",
                                    basis="PP 11.6")
            assert _case_row(session, ref) == before


def test_procesregisseur_cannot_change_another_directors_case_zvh_9_6(folder: Path) -> None:
    """ZVH 9.6: a procesregisseur has access to, and directs, their own cases only."""
    ref = _new_case(folder, CHAIR)
    with _open(folder, OTHER_CHAIR) as session:
        before = _case_row(session, ref)
        for attempt in (
            lambda: casework.change_phase(session, ref, "triage"),
            lambda: casework.add_person(session, ref, category="cat-ii"),
            lambda: casework.set_casusregisseur(session, ref, party=RDAM),
            lambda: casework.close_case(session, ref, phase="afschaling", reason="x",
                                        basis="PP 11.6"),
            lambda: casework.set_informed(session, ref, "B1", status=InformedStatus.INFORMED,
                                          informed_on=TODAY),
            lambda: meetings.record_decision(session, ref, "besluit"),
            lambda: meetings.add_goal(session, ref, "doel"),
        ):
            # Another director's case is one they may not know of: every change answers
            # like a missing case, so it betrays nothing (app.services.guard).
            with pytest.raises(InputError) as unknown:
                attempt()
            assert unknown.value.code == "case.unknown"
        assert _case_row(session, ref) == before
        with pytest.raises(InputError) as unknown:
            cases.show_case(session, ref, today=TODAY)
        assert unknown.value.code == "case.unknown"
    with _open(folder, CHAIR) as session:
        casework.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                            basis="PP 1.21")
        assert _case_row(session, ref)[0] == "afschaling"
    _verify(folder)


def test_only_the_provider_can_grant_its_own_items_zvh_3_5d(folder: Path) -> None:
    """ZVH 3.5c-d, 17.2: the providing party keeps control; another party cannot share its
    item, whatever its role."""
    ref = _new_case(folder, involve=(POLICE,))
    police_item = _item(folder, _user(POLICE), ref, "Aanhouding 2024", category="police",
                        legal_basis=POLICE_BASIS)
    other_ref = _new_case(folder)
    rdam_elsewhere = _item(folder, _user(RDAM), other_ref, "Naam elders", field="name")
    for username in (_user(RDAM), CHAIR, _user(RDAM, Role.CASUSREGISSEUR)):
        with _open(folder, username) as session:
            for item_id in (police_item, rdam_elsewhere, 10**9):
                with pytest.raises(InputError) as refused:
                    casework.grant(session, ref, recipient=HALT, legal_basis=BASIS,
                                   item_id=item_id)
                assert refused.value.code == "grant.not_own_item"
            with pytest.raises(InputError) as self_grant:
                casework.grant(session, ref, recipient=USERS[username][1], legal_basis=BASIS)
            assert self_grant.value.code == "grant.self"
    for username in (PRIVACY_OFFICER, ADMIN):
        with _open(folder, username) as session, pytest.raises(AccessDeniedError):
            casework.grant(session, ref, recipient=HALT, legal_basis=BASIS)
    # A minute taker of no meeting about the case may not know it exists.
    with _open(folder, NOTULIST) as session, pytest.raises(InputError) as unknown:
        casework.grant(session, ref, recipient=HALT, legal_basis=BASIS)
    assert unknown.value.code == "case.unknown"
    with _open(folder, _user(POLICE)) as session:
        assert session.store.conn.execute("SELECT count(*) FROM grants g JOIN cases c"
                                          " ON c.id = g.case_id WHERE c.reference = ?",
                                          (ref,)).fetchone()[0] == 0


def test_police_grants_only_to_art_20_wpg_recipients(folder: Path) -> None:
    """Art. 20 Wpg, ZVH 6.4d, 7.1: police data go only to the recipients of the art. 20 Wpg
    decision (``profile.police_recipients``); anything else is refused with
    ``grant.police_recipient``, whoever grants it and however it is scoped."""
    assert HALT not in PROFILE.police_recipients
    assert RDAM in PROFILE.police_recipients
    ref = _new_case(folder, involve=(HALT, POLICE))
    police_item = _item(folder, _user(POLICE), ref, "Aanhouding 2024", category="police",
                        legal_basis=POLICE_BASIS)
    with _open(folder, _user(POLICE)) as session:
        seq = _seq(session)
        for recipient in (HALT,):
            for scope in ({"item_id": police_item}, {"category": "police"},
                          {"category": "identity"}, {}):
                with pytest.raises(InputError) as refused:
                    casework.grant(session, ref, recipient=recipient,
                                   legal_basis=POLICE_BASIS, **scope)
                assert refused.value.code == "grant.police_recipient"
        assert "grant.add" not in _events(session, seq)
        casework.grant(session, ref, recipient=RDAM, legal_basis=POLICE_BASIS,
                       item_id=police_item, necessity=NECESSITY)
    with _open(folder, _user(RDAM)) as session:
        with pytest.raises(InputError) as refused:
            casework.grant(session, ref, recipient=HALT, legal_basis=BASIS, category="police")
        assert refused.value.code == "grant.police_recipient"
    assert _levels(_view(folder, _user(RDAM), ref)) == {police_item: "FULL"}
    assert _levels(_view(folder, _user(HALT), ref)) == {}
    _verify(folder)


def test_revoking_another_partys_grant_is_refused_zvh_3_5c(folder: Path) -> None:
    """ZVH 3.5c: only the providing party withdraws what it shared."""
    ref = _new_case(folder, involve=(HALT,))
    item = _item(folder, _user(RDAM), ref, "Naam Jansen", field="name")
    grant = _grant(folder, _user(RDAM), ref, HALT, item_id=item)
    assert _levels(_view(folder, _user(HALT), ref)) == {item: "FULL"}
    for username in (_user(HALT), _user(POLICE), CHAIR):
        with _open(folder, username) as session:
            seq = _seq(session)
            with pytest.raises(InputError) as refused:
                casework.revoke_grant(session, grant)
            assert refused.value.code == "grant.unknown"
            assert "grant.revoke" not in _events(session, seq)
    assert _levels(_view(folder, _user(HALT), ref)) == {item: "FULL"}
    with _open(folder, _user(RDAM)) as session:
        casework.revoke_grant(session, grant)
        casework.revoke_grant(session, grant)  # twice: nothing more happens
        assert _events(session, 0).count("grant.revoke") == 1
    assert _levels(_view(folder, _user(HALT), ref)) == {item: "not_granted"}
    _verify(folder)


# --------------------------------------------------------------------------- purpose binding

def _reassess_scenario(folder: Path) -> tuple[str, int]:
    """RDAM provides a name in "triage" and shares it with HALT for that phase; the
    case then moves on to the casusoverleg."""
    ref = _new_case(folder, involve=(HALT,), phase="triage")
    item = _item(folder, _user(RDAM), ref, "Naam Jansen", field="name")
    _grant(folder, _user(RDAM), ref, HALT, item_id=item)
    view = _view(folder, _user(HALT), ref)
    assert _levels(view) == {item: "FULL"}
    with _open(folder, CHAIR) as session:
        casework.change_phase(session, ref, "casusoverleg", note="casusoverleg")
    return ref, item


def test_phase_change_marks_earlier_grants_for_reassessment_zvh_3_5b(folder: Path) -> None:
    """ZVH 3.5b: a grant for the old phase does not carry over: the item shows MASKED with
    reason "reassess" (and the article) until the provider grants again for the new phase;
    the chair's view is flagged ``reassessment_needed``."""
    ref, item = _reassess_scenario(folder)
    view = _view(folder, _user(HALT), ref)
    assert _levels(view) == {item: "reassess"}
    placeholder = view.items[0].to_json()["value"]
    assert placeholder["article"] == "ZVH 3.5b"
    assert "Jansen" not in json.dumps(view.to_json())
    chair = _view(folder, CHAIR, ref)
    assert chair.flags.reassessment_needed
    assert _levels(chair) == {item: "FULL"}
    assert _view(folder, CHAIR, ref, ViewSpec.as_party(HALT)).items[0].masked
    _grant(folder, _user(RDAM), ref, HALT, item_id=item)  # granted for "triage"
    assert _levels(_view(folder, _user(HALT), ref)) == {item: "FULL"}
    assert not _view(folder, CHAIR, ref).flags.reassessment_needed
    _verify(folder)


def test_blank_motivation_for_not_informing_is_refused_zvh_16_6(folder: Path) -> None:
    """ZVH 16.6: whitespace is not a written motivation (other inputs use ``strip()``)."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session, pytest.raises(InputError):
        casework.set_informed(session, ref, "B1", status=InformedStatus.NOT_INFORMED,
                              reason="   ", review_on=TODAY + dt.timedelta(days=30))


# --------------------------------------------------------------------------- minutes

def test_notulist_records_decisions_only_in_meetings_they_support_zvh_15_2(
    folder: Path,
) -> None:
    """ZVH 15.2: the minute taker records decisions and actions for the cases on the agenda
    of the meetings they support, and nowhere else."""
    ref = _new_case(folder)
    off_agenda = _new_case(folder)
    with _open(folder, CHAIR) as session:
        supported = meetings.create_meeting(session, starts_at=_at(1),
                                            place="Stadhuis", notulist=NOTULIST)
        other = meetings.create_meeting(session, starts_at=_at(8),
                                        place="Stadhuis", notulist=OTHER_NOTULIST)
        meetings.add_to_agenda(session, supported, ref, [RDAM])
        meetings.add_to_agenda(session, supported, ref, [RDAM])  # idempotent
        meetings.add_to_agenda(session, other, ref, [RDAM])
        with pytest.raises(InputError):
            meetings.create_meeting(session, starts_at=_at(1),
                                    place="X", notulist=_user(RDAM))
    with _open(folder, NOTULIST) as session:
        seq = _seq(session)
        decision = meetings.record_decision(session, ref, "Huisbezoek plannen",
                                            meeting_id=supported)
        goal = meetings.add_goal(session, ref, "Geen overlast", meeting_id=supported)
        meetings.add_action(session, ref, "Huisbezoek", owner_party=RDAM,
                            meeting_id=supported, due_on=TODAY)
        meetings.add_progress(session, ref, "Gesprek gevoerd", meeting_id=supported)
        assert _events(session, seq) == ["decision.add", "goal.add", "action.add",
                                         "progress.add"]
        for attempt in (
            lambda: meetings.record_decision(session, ref, "x"),
            lambda: meetings.record_decision(session, ref, "x", meeting_id=other),
            lambda: meetings.add_goal(session, ref, "x", meeting_id=other),
            lambda: meetings.set_goal_status(session, ref, goal, "reached"),
        ):
            with pytest.raises(AccessDeniedError):
                attempt()
        # A case on none of their agendas they may not even know of: it answers like a
        # missing case (the guard's rule, app.services.guard).
        with pytest.raises(InputError) as unknown:
            meetings.record_decision(session, off_agenda, "x", meeting_id=supported)
        assert unknown.value.code == "case.unknown"
        with pytest.raises(AccessDeniedError):
            casework.add_item(session, ref, category="identity", body="x", legal_basis=BASIS)
    with _open(folder, OTHER_NOTULIST) as session, pytest.raises(AccessDeniedError):
        meetings.record_decision(session, ref, "x", meeting_id=supported)
    decisions = _view(folder, CHAIR, ref).decisions
    assert [(d.decision_id, d.meeting_id, d.text) for d in decisions] == [
        (decision, supported, "Huisbezoek plannen")]
    # The minute taker sees the joint record through the table of that meeting: with an
    # invited party present it shows; with nobody present, or an uninvited party in the
    # room, it does not (ZVH 15.2, 13.2).
    assert _view(folder, NOTULIST, ref, ViewSpec(meeting_id=supported)).decisions == ()
    with _open(folder, CHAIR) as session:
        meetings.set_attendee(session, supported, RDAM, present=True)
    assert [d.text for d in _view(folder, NOTULIST, ref, ViewSpec(meeting_id=supported))
            .decisions] == ["Huisbezoek plannen"]
    with _open(folder, CHAIR) as session:
        meetings.set_attendee(session, supported, HALT, present=True)
    assert _view(folder, NOTULIST, ref, ViewSpec(meeting_id=supported)).decisions == ()
    _verify(folder)


# --------------------------------------------------------------------------- retention

def _closed_case(folder: Path) -> tuple[str, dict[str, int]]:
    ref = _new_case(folder, involve=(POLICE,))
    items = {
        RDAM: _item(folder, _user(RDAM), ref, "Naam Jansen", field="name"),
        POLICE: _item(folder, _user(POLICE), ref, "Aanhouding", category="police",
                      legal_basis=POLICE_BASIS),
    }
    _grant(folder, _user(RDAM), ref, POLICE)
    _grant(folder, _user(POLICE), ref, RDAM)
    with _open(folder, CHAIR) as session:
        meetings.add_goal(session, ref, "Geen overlast")
        casework.set_casusregisseur(session, ref, party=RDAM,
                                    username=_user(RDAM, Role.CASUSREGISSEUR))
        casework.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                            basis="PP 11.6", closed_on=TODAY)
    return ref, items


def _no_content(view: CaseView) -> None:
    assert not view.items
    assert (view.goals, view.actions, view.decisions, view.progress) == ((), (), (), ())
    assert all(p.name is None for p in view.persons)
    text = json.dumps(view.to_json())
    for content in ("Jansen", "Aanhouding", "Geen overlast"):
        assert content not in text


def test_access_stages_after_closing_zvh_11_6(folder: Path) -> None:
    """ZVH 11.6: after afschaling only the procesregisseur keeps access, for six months;
    from 6 to 24 months access is withdrawn for everyone, the procesregisseur included;
    after that it is for data-subject requests only.  As implemented, ``show_case`` still
    answers with process metadata (the case is known to those involved) but shows no items,
    names or joint record."""
    ref, items = _closed_case(folder)
    everyone = (CHAIR, _user(RDAM), _user(RDAM, Role.CASUSREGISSEUR), _user(POLICE))
    # Before the stage runs out the chair sees all, the parties their own and shared data:
    # the access stage "procesregisseur" withholds it from the parties at once.
    assert _levels(_view(folder, CHAIR, ref)) == dict.fromkeys(items.values(), "FULL")
    for username in everyone[1:]:
        _no_content(_view(folder, username, ref))
    four_months = TODAY + dt.timedelta(days=122)
    assert _levels(_view(folder, CHAIR, ref, today=four_months)) == dict.fromkeys(
        items.values(), "FULL")
    for months in (8, 14, 30):
        later = TODAY + dt.timedelta(days=months * 31)
        for username in everyone:
            view = _view(folder, username, ref, today=later)
            assert view.reference == ref
            _no_content(view)
        with _open(folder, CHAIR) as session:
            rows = {r.reference: r for r in cases.list_cases(session, today=later)}
        assert rows[ref].name is None
        assert rows[ref].open_actions == 0
    # A demo case closed nine months ago: nothing for its own procesregisseur either.
    nine = next(c for c in DEMO.doc["cases"] if c.get("closed_at") and (
        TODAY - dt.date.fromisoformat(c["closed_at"])).days in range(240, 330))
    _no_content(_view(folder, nine["procesregisseur"], nine["ref"]))


# --------------------------------------------------------------------------- support roles

def test_support_roles_see_process_metadata_only_zvh_9_6(folder: Path) -> None:
    """ZVH 9.6, 17.2: the beheerder and the privacy officer see process metadata (reference,
    phase, parties, dates) of every case, never content: no items, no names, no joint
    record; ``content_visible`` is False; case lists and meeting agendas carry no names."""
    refs = [c["ref"] for c in DEMO.doc["cases"]]
    for username in (ADMIN, PRIVACY_OFFICER):
        with _open(folder, username) as session:
            for ref in refs:
                view = cases.show_case(session, ref, today=TODAY)
                assert view.reference == ref
                assert view.content_visible is False
                assert view.parties
                assert view.goal is None
                assert (view.items, view.persons, view.goals, view.actions,
                        view.decisions) == ((), (), (), (), ())
                assert "CANARY" not in json.dumps(view.to_json())
            rows = cases.list_cases(session, today=TODAY)
            assert {r.reference for r in rows} == set(refs)
            assert all(r.name is None and not r.content_visible for r in rows)
            for summary in meetings.list_meetings(session):
                dashboard = meetings.meeting_view(session, summary.meeting_id)
                assert all(e.row.name is None for e in dashboard.agenda)
            for spec in (ViewSpec.as_party(RDAM), ViewSpec.table({RDAM})):
                with pytest.raises(AccessDeniedError):
                    cases.show_case(session, refs[0], spec, today=TODAY)


# --------------------------------------------------------------------------- meetings

def test_meeting_dashboard_marks_present_uninvited_parties_must_leave_zvh_13_2(
    folder: Path,
) -> None:
    """ZVH 13.2: the chair invites per case only the parties that may be present; a party
    present but not invited for an agenda case must leave the room (absent parties and
    parties that left are not listed), and until it has, the table shows no content."""
    ref = _new_case(folder)
    item = _item(folder, _user(RDAM), ref, "Naam Jansen", field="name")
    with _open(folder, CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=_at(1),
                                      place="Stadhuis", notulist=NOTULIST)
        for party, present in ((RDAM, True), (POLICE, True), (HALT, True), (OM, False)):
            meetings.set_attendee(session, mid, party, name=f"Afgevaardigde {party}",
                                  present=present)
        meetings.add_to_agenda(session, mid, ref, [RDAM, POLICE, OM])
        dashboard = meetings.meeting_view(session, mid, today=TODAY)
        assert dashboard.is_chair
        (entry,) = dashboard.agenda
        assert entry.row.reference == ref
        assert [p.id for p in entry.invited] == sorted([RDAM, POLICE, OM])
        assert [p.id for p in entry.must_leave] == [HALT]
        assert entry.left_room == ()
        blocked = cases.show_case(session, ref, ViewSpec.table({RDAM, POLICE, HALT}, mid),
                                  today=TODAY)
        assert not blocked.content_visible
        assert [p.id for p in blocked.blocked_by] == [HALT]
        assert "Jansen" not in json.dumps(blocked.to_json())
        meetings.set_left_room(session, mid, ref, HALT)
        (entry,) = meetings.meeting_view(session, mid, today=TODAY).agenda
        assert entry.must_leave == ()
        assert [p.id for p in entry.left_room] == [HALT]
        table = cases.show_case(session, ref, ViewSpec.table({RDAM, POLICE}, mid), today=TODAY)
        assert table.content_visible
        assert item in {i.item_id for i in table.items}
    with _open(folder, OTHER_CHAIR) as session:
        with pytest.raises(InputError):
            meetings.meeting_view(session, mid, today=TODAY)
        # Another chair may not know this meeting, so changing it answers like a missing
        # meeting would (ZVH 9.6).
        with pytest.raises(InputError) as unknown:
            meetings.set_attendee(session, mid, HALT, present=False)
        assert unknown.value.code == "meeting.unknown"
    with _open(folder, _user(HALT)) as session:
        agenda = meetings.meeting_view(session, mid, today=TODAY).agenda
        assert ref not in {e.row.reference for e in agenda}, "HALT may not know this case"
    _verify(folder)


# --------------------------------------------------------------------------- audit

def test_every_service_write_is_audited_and_the_chain_verifies(folder: Path) -> None:
    """ZVH 8.1, 24.3 and the Logboek Dataverwerkingen: each write leaves its own audit
    entry (by the acting user), and the chain verifies afterwards."""
    steps: list[tuple[str, str, object]] = []

    def run(username: str, expected: str, action: Callable[[Session], T]) -> T:
        with _open(folder, username) as session:
            seq = _seq(session)
            result = action(session)
            names = _events(session, seq)
            users = {str(r[0]) for r in session.store.conn.execute(
                "SELECT username FROM audit WHERE seq > ?", (seq,))}
        assert expected in names, (expected, names)
        assert users == {username}
        steps.append((username, expected, result))
        return result

    ref = run(CHAIR, "case.create", lambda s: casework.create_case(
        s, registering_party=RDAM, themes=["overlast"]))
    run(CHAIR, "person.add", lambda s: casework.add_person(s, ref, category="cat-i"))
    item = run(_user(RDAM), "item.add", lambda s: casework.add_item(
        s, ref, category="identity", body="Naam", legal_basis=BASIS, person="B1",
        field="name"))
    grant = run(_user(RDAM), "grant.add", lambda s: casework.grant(
        s, ref, recipient=HALT, legal_basis=BASIS, item_id=item))
    run(_user(RDAM), "grant.revoke", lambda s: casework.revoke_grant(s, grant))
    consent = run(CHAIR, "consent.record", lambda s: consents.record_consent(
        s, ref, "B1", source_party=RDAM, recipients=[HALT], categories=["identity"],
        purpose="casusoverleg", told_withdrawal=True))
    run(CHAIR, "consent.withdraw", lambda s: consents.withdraw_consent(s, consent))
    run(CHAIR, "case.phase", lambda s: casework.change_phase(s, ref, "triage"))
    run(CHAIR, "case.casusregisseur", lambda s: casework.set_casusregisseur(
        s, ref, party=RDAM))
    run(CHAIR, "person.informed", lambda s: casework.set_informed(
        s, ref, "B1", status=InformedStatus.INFORMED, informed_on=TODAY))
    mid = run(CHAIR, "meeting.create", lambda s: meetings.create_meeting(
        s, starts_at=_at(1), place="Stadhuis", notulist=NOTULIST))
    run(CHAIR, "meeting.attendance", lambda s: meetings.set_attendee(s, mid, RDAM))
    run(CHAIR, "meeting.agenda", lambda s: meetings.add_to_agenda(s, mid, ref, [RDAM]))
    run(CHAIR, "meeting.left_room", lambda s: meetings.set_left_room(s, mid, ref, HALT))
    run(NOTULIST, "decision.add", lambda s: meetings.record_decision(
        s, ref, "Besluit", meeting_id=mid))
    goal = run(CHAIR, "goal.add", lambda s: meetings.add_goal(s, ref, "Doel"))
    run(CHAIR, "goal.status", lambda s: meetings.set_goal_status(s, ref, goal, "reached"))
    action = run(CHAIR, "action.add", lambda s: meetings.add_action(
        s, ref, "Actie", owner_party=RDAM, due_on=TODAY))
    run(CHAIR, "action.status", lambda s: meetings.set_action_status(s, ref, action, "done"))
    run(CHAIR, "progress.add", lambda s: meetings.add_progress(s, ref, "Voortgang"))
    run(CHAIR, "case.phase", lambda s: casework.close_case(
        s, ref, phase="niet_doorgeleid", reason="Geen casus", basis="PP 11.8"))
    assert len(steps) == 21
    with _open(folder, ADMIN) as session:
        rows = session.store.conn.execute(
            "SELECT name, attributes FROM audit ORDER BY seq").fetchall()
        assert all("Naam" not in str(a) for _n, a in rows), "no content in the trail"
        assert admin.verify_audit(session).ok
    _verify(folder)


# --------------------------------------------------------------------------- bugs found

def test_uninvolved_party_cannot_add_items_to_a_case_it_may_not_know_zvh_13_2(
    folder: Path,
) -> None:
    """ZVH 13.2, 9.6: a party not involved gets the same answer for an existing case as for
    a missing one, and cannot make itself involved by writing to it."""
    ref = _new_case(folder)
    outsider = _user(HALT)
    with _open(folder, outsider) as session:
        with pytest.raises(InputError) as missing:
            cases.show_case(session, ref, today=TODAY)
        assert missing.value.code == "case.unknown"
        count = session.store.conn.execute("SELECT count(*) FROM items").fetchone()[0]
        with pytest.raises(CasusError) as refused:
            casework.add_item(session, ref, category="identity", body="x", legal_basis=BASIS)
        assert refused.value.code == "case.unknown"
        assert session.store.conn.execute("SELECT count(*) FROM items").fetchone()[0] == count


def test_uninvolved_party_cannot_withdraw_a_consent_zvh_13_7(folder: Path) -> None:
    """ZVH 7.2, 13.7: withdrawal is recorded in the case by someone who may know it."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        consent = consents.record_consent(
            session, ref, "B1", source_party=RDAM, recipients=[HALT], categories=["identity"],
            purpose="casusoverleg", told_withdrawal=True)
    with _open(folder, _user(HALT)) as session:
        with pytest.raises(CasusError):
            consents.withdraw_consent(session, consent)
        assert session.store.conn.execute(
            "SELECT withdrawn_on FROM consents WHERE id = ?", (consent,)).fetchone()[0] is None


def test_meeting_only_grant_not_visible_to_an_absent_party_outside_the_table_zvh_13_2(
    folder: Path,
) -> None:
    """ZVH 13.2: what is shared for one meeting is seen at that table, not by a party that
    was absent from it by claiming the meeting in its own view."""
    ref = _new_case(folder)
    item = _item(folder, _user(RDAM), ref, "Naam Jansen", field="name")
    with _open(folder, CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=_at(1),
                                      place="Stadhuis")
        meetings.set_attendee(session, mid, RDAM)
        meetings.set_attendee(session, mid, HALT, present=False)
        meetings.add_to_agenda(session, mid, ref, [RDAM, HALT])
    _grant(folder, _user(RDAM), ref, HALT, item_id=item, meeting_id=mid)
    assert _levels(_view(folder, _user(HALT), ref)) == {item: "not_granted"}
    # Claiming the meeting in one's own view does not count for a party not present at it.
    view = _view(folder, _user(HALT), ref, ViewSpec(meeting_id=mid))
    assert _levels(view) == {item: "not_granted"}

