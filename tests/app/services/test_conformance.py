"""Leaks a hostile review found, each closed at its root and tested as the attacker or the
careless chair would meet it: through the services the app and the CLI call.

Every test is named after the article it checks ("ZVH" = seed 003) and failed on the code
before its fix.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app import clock
from app.cli.main import main
from app.domain.roles import Role
from app.domain.vocab import ConsentBasis, ConsentForm, ConsentGiver, ItemKind
from app.errors import AccessDeniedError, InputError
from app.services import (
    admin,
    caselist,
    cases,
    casework,
    consents,
    disclosure,
    meetings,
    notices,
)
from app.services.reports import prepare_report
from app.services.session import Session
from app.views import ReportRequest, ViewSpec
from tests.app.services.test_services import (
    ADMIN,
    CHAIR,
    GGZ,
    HALT,
    NOTULIST,
    POLICE,
    POLICE_BASIS,
    PRIVACY_OFFICER,
    PROFILE,
    RDAM,
    SPEC,
    TODAY,
    USERS,
    _at,
    _grant,
    _item,
    _levels,
    _new_case,
    _open,
    _user,
    _verify,
    _view,
)
from tests.conftest import PASSPHRASE, TEST_KDF, DemoStoreFactory

SLACHTOFFERHULP = "slachtofferhulp"


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the services demo store (the one test_services uses)."""
    return demo_store(SPEC)


def _meeting_with(folder: Path, ref: str, invited: list[str], present: list[str],
                  *, notulist: str | None = None) -> int:
    """A meeting of CHAIR with ``ref`` on the agenda, ``invited`` for it and ``present``."""
    with _open(folder, CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=_at(3), place="Stadhuis",
                                      notulist=notulist)
        meetings.add_to_agenda(session, mid, ref, invited)
        for party in present:
            meetings.set_attendee(session, mid, party, present=True)
    return mid


def test_empty_table_shows_nothing_but_a_notice_zvh_13_2(folder: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """ZVH 13.2: the table view shows what every party present may see.  With nobody at
    the table (all unticked, or all left the room) it shows nothing but a notice, never
    the chair's own view: no items, no joint record, no parties, no themes."""
    ref = _new_case(folder, involve=(POLICE,))
    secret = _item(folder, _user(POLICE), ref, "Aanhouding CANARY-EMPTY-TABLE",
                   category="police", legal_basis=POLICE_BASIS)
    mid = _meeting_with(folder, ref, [RDAM, POLICE], [])
    with _open(folder, CHAIR) as session:
        meetings.record_decision(session, ref, "Besluit CANARY-EMPTY-TABLE", meeting_id=mid)
        own = cases.show_case(session, ref, today=TODAY)
        assert secret in {i.item_id for i in own.items}  # the chair does see it
        for spec in (ViewSpec.table((), mid), ViewSpec.table(())):
            view = cases.show_case(session, ref, spec, today=TODAY)
            assert view.nobody_at_table
            assert not view.content_visible
            assert (view.items, view.persons, view.decisions, view.goals, view.actions,
                    view.parties, view.themes) == ((), (), (), (), (), (), ())
            assert "CANARY" not in json.dumps(view.to_json())
        dashboard = meetings.meeting_view(session, mid, ViewSpec.table((), mid), today=TODAY)
        assert all(e.row.name is None and not e.row.content_visible for e in dashboard.agenda)
    pass_file = tmp_path / "pass"
    pass_file.write_text(PASSPHRASE)
    capsys.readouterr()
    code = main(["show", str(folder), "--user", CHAIR, "--passphrase-file", str(pass_file),
                 "--case", ref, "--table", ",", "--json"], kdf=TEST_KDF)
    shown = capsys.readouterr().out
    assert code == 0
    assert json.loads(shown)["nobody_at_table"] is True
    assert "CANARY" not in shown
    _verify(folder)


def test_party_notulen_hold_only_cases_it_was_invited_for_zvh_13_2(folder: Path) -> None:
    """ZVH 13.2, 15.2: a party's notulen hold the cases it was invited for at that meeting,
    not every case it is involved in; the table version of a blocked case names no
    invited parties and nobody who left the room."""
    ref = _new_case(folder, involve=(POLICE,))  # the police are involved (earlier meeting)
    other = _new_case(folder)
    mid = _meeting_with(folder, ref, [RDAM], [RDAM, POLICE])
    with _open(folder, CHAIR) as session:
        meetings.add_to_agenda(session, mid, other, [RDAM, POLICE])
        police = prepare_report(session, ReportRequest(
            kind="notulen", meeting_id=mid, recipient=POLICE, lang="nl"), today=TODAY).data
        assert police.meeting is not None
        assert [a.case.view.reference for a in police.meeting.agenda] == [other]
        table = prepare_report(session, ReportRequest(
            kind="notulen", meeting_id=mid, table=True, lang="nl"), today=TODAY).data
        assert table.meeting is not None
        blocked = next(a for a in table.meeting.agenda if a.case.view.reference == ref)
        assert blocked.case.view.blocked_by  # the police are present, not invited for it
        assert (blocked.invited, blocked.left_room) == ((), ())
        open_case = next(a for a in table.meeting.agenda if a.case.view.reference == other)
        assert {p.id for p in open_case.invited} == {RDAM, POLICE}


def test_minute_taker_sees_no_joint_record_through_a_blocked_table_zvh_15_2(
    folder: Path,
) -> None:
    """ZVH 15.2, 13.2: the minute taker sees what the table sees, the joint record
    included: while an uninvited party is present, not the decisions either."""
    ref = _new_case(folder)
    mid = _meeting_with(folder, ref, [RDAM], [RDAM], notulist=NOTULIST)
    with _open(folder, NOTULIST) as session:
        meetings.record_decision(session, ref, "Huisbezoek", meeting_id=mid)
        assert [d.text for d in cases.show_case(
            session, ref, ViewSpec(meeting_id=mid), today=TODAY).decisions] == ["Huisbezoek"]
    with _open(folder, CHAIR) as session:
        meetings.set_attendee(session, mid, HALT, present=True)
    with _open(folder, NOTULIST) as session:
        view = cases.show_case(session, ref, ViewSpec(meeting_id=mid), today=TODAY)
        assert (view.decisions, view.goals, view.actions, view.progress) == ((), (), (), ())


def test_view_as_registers_the_party_and_shows_nothing_of_unknown_cases_zvh_8_1(
    folder: Path,
) -> None:
    """ZVH 8.1, 13.2: "view as" a party is the chair showing that party its view (often on
    a shared screen), so what it shows in full is registered for that party; viewing as a
    party that is not involved shows nothing of the case: no themes, parties, history."""
    ref = _new_case(folder, involve=(POLICE,))
    item = _item(folder, _user(RDAM), ref, "Inschrijving BRP")
    with _open(folder, _user(RDAM)) as session:
        casework.grant(session, ref, recipient=POLICE, legal_basis="PP 13.2", item_id=item)
    with _open(folder, CHAIR) as session:
        as_police = cases.show_case(session, ref, ViewSpec.as_party(POLICE), today=TODAY)
        assert item in {i.item_id for i in as_police.items if not i.masked}
        as_halt = cases.show_case(session, ref, ViewSpec.as_party(HALT), today=TODAY)
        assert as_halt.unknown_to_party
        assert not as_halt.content_visible
        assert (as_halt.themes, as_halt.parties, as_halt.phase_history, as_halt.items) == (
            (), (), (), ())
        assert as_halt.withheld_notice()
    with _open(folder, PRIVACY_OFFICER) as session:
        rows = disclosure.entries(session, item_id=item)
    assert {(r.recipient_party, r.channel) for r in rows} >= {(POLICE, "screen")}


def test_agenda_sizes_and_positions_count_only_known_cases_zvh_13_2(folder: Path) -> None:
    """ZVH 13.2: a meeting list that counts the cases a party may not know, or agenda
    positions that start at 2, betray that other cases are discussed; both are counted
    over what the viewer may see."""
    hidden_case = _new_case(folder)
    shown_case = _new_case(folder)
    mid = _meeting_with(folder, hidden_case, [RDAM], [RDAM, GGZ])
    with _open(folder, CHAIR) as session:
        meetings.add_to_agenda(session, mid, shown_case, [RDAM, GGZ])
        chair_sizes = {m.meeting_id: m.cases for m in meetings.list_meetings(session)}
    assert chair_sizes[mid] == 2
    with _open(folder, _user(GGZ)) as session:
        sizes = {m.meeting_id: m.cases for m in meetings.list_meetings(session)}
        agenda = meetings.meeting_view(session, mid, today=TODAY).agenda
    assert sizes[mid] == 1
    assert [(e.position, e.row.reference) for e in agenda] == [(1, shown_case)]


def test_grants_do_not_cross_phases_zvh_3_5b(folder: Path) -> None:
    """ZVH 3.5b: a grant is for the phase the case is in (or a meeting); a grant for
    another phase is refused; in the next phase the provider is asked again (MASKED "to
    be re-assessed"), and the case cannot go back to the phase the grant was for."""
    ref = _new_case(folder, involve=(POLICE,), phase="triage")
    item = _item(folder, _user(RDAM), ref, "Inschrijving BRP")
    first = "triage"
    start = dt.datetime(2030, 2, 1, 9, tzinfo=dt.UTC)
    with _open(folder, _user(RDAM)) as session:
        with pytest.raises(InputError) as refused:
            casework.grant(session, ref, recipient=POLICE, legal_basis="PP 13.2",
                           item_id=item, phase="casusoverleg")
        assert refused.value.code == "grant.phase_not_current"
        with clock.frozen(start):
            casework.grant(session, ref, recipient=POLICE, legal_basis="PP 13.2",
                           item_id=item)
    levels = {i.item_id: i.masked for i in _view(folder, _user(POLICE), ref).items}
    assert levels[item] is False  # shared for this phase: FULL
    with _open(folder, CHAIR) as session:
        with clock.frozen(start + dt.timedelta(days=1)):
            casework.change_phase(session, ref, "casusoverleg")
        with clock.frozen(start + dt.timedelta(days=2)), pytest.raises(InputError) as back:
            casework.change_phase(session, ref, first)
        assert back.value.code == "phase.not_allowed"
    back = {i.item_id: i for i in _view(folder, _user(POLICE), ref).items}
    assert back[item].masked
    assert back[item].value.code == "reassess"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- point 1

def _consent(session: Session, ref: str, **kwargs: object) -> int:
    terms: dict[str, object] = {"recipients": [RDAM], "categories": ["health"],
                                "purpose": "casusoverleg", "told_withdrawal": True}
    terms.update(kwargs)
    return consents.record_consent(session, ref, "B1", **terms)  # type: ignore[arg-type]


def test_zvh_7_2_a_recipient_cannot_forge_or_withdraw_consent(folder: Path) -> None:
    """ZVH 6.4l, 7.2, 13.7: only the providing party (or the director on its behalf)
    records or withdraws consent for that party's data.  The municipality, after the person
    withdrew consent for GGZ data, cannot record one itself and read the item again; a
    police user cannot open Slachtofferhulp data with a blanket consent."""
    ref = _new_case(folder, involve=(GGZ, POLICE))
    secret = _item(folder, _user(GGZ), ref, "Diagnose CANARY-FORGED", category="health")
    _grant(folder, _user(GGZ), ref, RDAM)
    with _open(folder, _user(GGZ)) as session:
        given = _consent(session, ref)
    assert secret in _levels(_view(folder, _user(RDAM), ref))
    with _open(folder, _user(GGZ)) as session:
        assert consents.withdraw_consent(session, given) >= 0
    assert secret not in _levels(_view(folder, _user(RDAM), ref))
    with _open(folder, _user(RDAM)) as session:
        count = session.store.conn.execute("SELECT count(*) FROM consents").fetchone()[0]
        for source in (GGZ, None):
            with pytest.raises(InputError) as forged:
                _consent(session, ref, source_party=source)
            # Without a source it is a consent for the municipality's own data, which
            # names itself as recipient: refused as well, and nothing opens.
            assert forged.value.code in {"consent.not_provider", "consent.recipient_is_source"}
        assert session.store.conn.execute(
            "SELECT count(*) FROM consents").fetchone()[0] == count
        denied = session.store.conn.execute(
            "SELECT count(*) FROM audit WHERE name = 'access.denied'"
            " AND attributes LIKE '%consent.not_provider%'").fetchone()[0]
        assert denied >= 1
    assert secret not in _levels(_view(folder, _user(RDAM), ref))
    with _open(folder, _user(GGZ)) as session:
        again = _consent(session, ref)
    with _open(folder, _user(RDAM)) as session, pytest.raises(InputError) as withdraw:
        consents.withdraw_consent(session, again)
    assert withdraw.value.code == "consent.not_provider"


def test_zvh_7_2_director_records_on_behalf_of_the_provider_and_it_is_logged(
        folder: Path) -> None:
    ref = _new_case(folder, involve=(GGZ,))
    with _open(folder, CHAIR) as session:
        cid = _consent(session, ref, source_party=GGZ, given_by=ConsentGiver.REPRESENTATIVE,
                       form=ConsentForm.ORAL)
        row = session.store.conn.execute(
            "SELECT source_party, on_behalf_of, given_by, form, told_withdrawal, recorded_by"
            " FROM consents WHERE id = ?", (cid,)).fetchone()
        assert row == (GGZ, GGZ, "representative", "oral", 1, CHAIR)
        attrs = json.loads(session.store.conn.execute(
            "SELECT attributes FROM audit WHERE name = 'consent.record' ORDER BY seq DESC"
            " LIMIT 1").fetchone()[0])
        assert (attrs["on_behalf_of"], attrs["source"]) == (GGZ, GGZ)


@pytest.mark.parametrize(("terms", "code"), [
    ({"recipients": []}, "consent.recipients"),
    ({"categories": []}, "consent.categories"),
    ({"purpose": "  "}, "consent.purpose"),
    ({"told_withdrawal": False}, "consent.not_told"),
    ({"basis": ConsentBasis.WEIGHING}, "consent.basis_note"),
    ({"recipients": [GGZ]}, "consent.recipient_is_source"),
])
def test_zvh_7_2_a_consent_names_source_recipients_categories_purpose_and_withdrawal(
        folder: Path, terms: dict[str, object], code: str) -> None:
    ref = _new_case(folder, involve=(GGZ,))
    with _open(folder, _user(GGZ)) as session, pytest.raises(InputError) as refused:
        _consent(session, ref, **terms)
    assert refused.value.code == code


def test_zvh_6_4l_slachtofferhulp_needs_explicit_consent_not_a_weighing(folder: Path) -> None:
    ref = _new_case(folder, involve=(SLACHTOFFERHULP,))
    with _open(folder, _user(SLACHTOFFERHULP)) as session:
        with pytest.raises(InputError) as refused:
            _consent(session, ref, categories=["identity"], basis=ConsentBasis.WEIGHING,
                     basis_note="eigen afweging")
        assert refused.value.code == "consent.explicit_only"
        assert _consent(session, ref, categories=["identity"]) > 0


def test_zvh_7_2_weighing_instead_of_consent_opens_ggz_data(folder: Path) -> None:
    ref = _new_case(folder, involve=(GGZ,))
    secret = _item(folder, _user(GGZ), ref, "Behandeling CANARY-WEIGHED", category="health")
    _grant(folder, _user(GGZ), ref, RDAM)
    assert secret not in _levels(_view(folder, _user(RDAM), ref))
    with _open(folder, _user(GGZ)) as session:
        _consent(session, ref, basis=ConsentBasis.WEIGHING, told_withdrawal=False,
                 basis_note="Wgbo art. 7:457: eigen afweging, conflict van plichten")
    assert secret in _levels(_view(folder, _user(RDAM), ref))


def test_zvh_7_2_a_consent_dated_ahead_is_not_valid_yet(folder: Path) -> None:
    ref = _new_case(folder, involve=(GGZ,))
    secret = _item(folder, _user(GGZ), ref, "Behandeling CANARY-AHEAD", category="health")
    _grant(folder, _user(GGZ), ref, RDAM)
    with _open(folder, _user(GGZ)) as session:
        _consent(session, ref, given_on=TODAY + dt.timedelta(days=7))
    assert secret not in _levels(_view(folder, _user(RDAM), ref))
    assert secret in _levels(_view(folder, _user(RDAM), ref,
                                   today=TODAY + dt.timedelta(days=7)))


def test_zvh_13_7_withdrawal_notifies_the_parties_that_received_the_data(folder: Path) -> None:
    ref = _new_case(folder, involve=(GGZ, POLICE))
    _item(folder, _user(GGZ), ref, "Behandeling CANARY-TOLD", category="health")
    _grant(folder, _user(GGZ), ref, RDAM)
    _grant(folder, _user(GGZ), ref, POLICE)
    with _open(folder, _user(GGZ)) as session:
        cid = _consent(session, ref, recipients=[RDAM, POLICE])
    _view(folder, _user(RDAM), ref)  # the municipality saw it; the police did not look
    with _open(folder, _user(GGZ)) as session:
        assert consents.withdraw_consent(session, cid) == 1
        told = session.store.conn.execute(
            "SELECT party_id, kind, object_id, source_party FROM notices").fetchall()
        assert told == [(RDAM, "consent_withdrawn", cid, GGZ)]
    with _open(folder, _user(RDAM)) as session:
        inbox = notices.inbox(session)
        assert [(n.kind, n.case_ref, n.source.id) for n in inbox] == [
            ("consent_withdrawn", ref, GGZ)]
        notices.acknowledge(session, inbox[0].notice_id)
        assert notices.inbox(session) == []
    with _open(folder, _user(POLICE)) as session:
        assert notices.inbox(session) == []


# --------------------------------------------------------------------------- point 4

def test_zvh_9_6_a_colleague_of_the_director_neither_lists_nor_reads_the_intake(
        folder: Path) -> None:
    """ZVH 9.6: only procesregisseurs have access to personal data, for their own cases.
    A participant of the party the procesregisseurs belong to does not list every case of
    every procesregisseur, nor read what the director entered at intake (health data
    included); being invited makes the case known, not the intake."""
    own_party = USERS[CHAIR][1]
    with _open(folder, ADMIN) as session:
        admin.add_user(session, username="collega", display_name="Collega", role=Role.DEELNEMER,
                       party_id=own_party, passphrase="set by the administrator")
    with Session.open(folder, "collega", "set by the administrator", kdf=TEST_KDF) as session:
        admin.change_passphrase(session, "set by the administrator", PASSPHRASE)
    ref = _new_case(folder)
    intake = _item(folder, CHAIR, ref, "Intake CANARY-INTAKE", category="health")
    assert intake in _levels(_view(folder, CHAIR, ref))
    with _open(folder, "collega") as session:
        assert ref not in {r.reference for r in caselist.rows_for_ids(
            session, caselist.visible_case_ids(session))}
        with pytest.raises(InputError) as unknown:
            cases.show_case(session, ref, today=TODAY)
        assert unknown.value.code == "case.unknown"
    mid = _meeting_with(folder, ref, [RDAM, own_party], [])
    with _open(folder, "collega") as session:
        view = cases.show_case(session, ref, today=TODAY)
        assert intake not in {i.item_id for i in view.items}
        assert "CANARY-INTAKE" not in json.dumps(view.to_json())
    assert mid > 0


# --------------------------------------------------------------------------- point 7

def test_zvh_15_2_minute_taker_reads_a_meeting_only_from_its_preparation_window(
        folder: Path) -> None:
    """ZVH 13.2, 15.2: a minute taker does not read the cases of a meeting two weeks ahead,
    and a meeting-scoped grant is not readable once the meeting is closed."""
    ref = _new_case(folder)
    item = _item(folder, _user(RDAM), ref, "Adres CANARY-WINDOW")
    far = TODAY + dt.timedelta(days=PROFILE.preparation_days + 7)
    with _open(folder, CHAIR) as session:
        mid = meetings.create_meeting(
            session, starts_at=dt.datetime.combine(far, dt.time(9)), place="Stadhuis",
            notulist=NOTULIST)
        meetings.add_to_agenda(session, mid, ref, [RDAM, HALT])
        for party in (RDAM, HALT):
            meetings.set_attendee(session, mid, party, present=True)
    _grant(folder, _user(RDAM), ref, HALT, meeting_id=mid)
    spec = ViewSpec(meeting_id=mid)
    assert item not in _levels(_view(folder, NOTULIST, ref, spec))
    on_the_day = _view(folder, NOTULIST, ref, spec, today=far)
    assert _levels(on_the_day)[item] == "FULL"
    assert _levels(_view(folder, _user(HALT), ref, spec, today=far))[item] == "FULL"
    with _open(folder, CHAIR) as session, session.store.transaction():
        session.store.conn.execute("UPDATE meetings SET status = 'held' WHERE id = ?", (mid,))
    after = far + dt.timedelta(days=2)
    assert item not in _levels(_view(folder, NOTULIST, ref, spec, today=after))
    assert _levels(_view(folder, _user(HALT), ref, spec, today=after)).get(item) != "FULL"


# --------------------------------------------------------------------------- point 8

def test_zvh_13_2_involvement_by_invitation_ends_with_those_meetings(folder: Path) -> None:
    """ZVH 13.2: a party invited once for a case does not read the decisions of later
    meetings it was not invited to; the joint record shows it the part made while it was
    involved.  A party involved in a lasting way (its action) sees the whole record."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session:
        first = meetings.create_meeting(session, starts_at=_at(1), place="Stadhuis")
        meetings.add_to_agenda(session, first, ref, [RDAM, HALT])
        meetings.record_decision(session, ref, "Besluit met HALT", meeting_id=first)
        later = meetings.create_meeting(session, starts_at=_at(3), place="Stadhuis")
        meetings.add_to_agenda(session, later, ref, [RDAM])
        meetings.record_decision(session, ref, "Besluit zonder HALT", meeting_id=later)
    seen = [d.text for d in _view(folder, _user(HALT), ref).decisions]
    assert seen == ["Besluit met HALT"]
    assert [d.text for d in _view(folder, _user(RDAM), ref).decisions] == [
        "Besluit met HALT", "Besluit zonder HALT"]
    with _open(folder, CHAIR) as session:
        table = cases.show_case(session, ref, ViewSpec.table((RDAM, HALT), first),
                                today=TODAY)
        assert [d.text for d in table.decisions] == ["Besluit met HALT"]
        meetings.add_action(session, ref, "Gesprek", owner_party=HALT, due_on=TODAY)
    assert len(_view(folder, _user(HALT), ref).decisions) == 2


# --------------------------------------------------------------------------- point 14

def test_zvh_3_5a_an_item_of_a_category_the_phase_does_not_process_is_refused(
        folder: Path) -> None:
    ref = _new_case(folder, phase=None)  # in aanmelding
    allowed = set(PROFILE.activity(PROFILE.phase("aanmelding").activity).data_categories)
    refused = next(c.id for c in PROFILE.data_categories if c.id not in allowed)
    with _open(folder, _user(RDAM)) as session:
        count = session.store.conn.execute("SELECT count(*) FROM items").fetchone()[0]
        with pytest.raises(InputError) as error:
            casework.add_item(session, ref, category=refused, body="x", legal_basis="AVG")
        assert error.value.code == "item.category_not_in_phase"
        assert session.store.conn.execute("SELECT count(*) FROM items").fetchone()[0] == count


# --------------------------------------------------------------------------- point 17

def test_zvh_8_1_police_provision_cites_the_art_20_wpg_decision_and_its_necessity(
        folder: Path) -> None:
    """ZVH 6.4d, 7.1, 8.1: a police provision rests on an art. 20 Wpg decision the grant
    cites, with the necessity given; the register records the grant's basis and that
    necessity, not the item's own text."""
    ref = _new_case(folder, involve=(POLICE,))
    item = _item(folder, _user(POLICE), ref, "Aanhouding CANARY-WPG", category="police",
                 legal_basis="eigen tekst CANARY-BASIS")
    with _open(folder, _user(POLICE)) as session:
        for terms, code in (({"legal_basis": "PP 13.2", "necessity": "x"}, "grant.wpg_decision"),
                            ({"legal_basis": POLICE_BASIS}, "grant.necessity")):
            with pytest.raises(InputError) as refused:
                casework.grant(session, ref, recipient=RDAM, item_id=item,
                               **terms)  # type: ignore[arg-type]
            assert refused.value.code == code
        gid = casework.grant(session, ref, recipient=RDAM, item_id=item,
                             legal_basis=POLICE_BASIS, necessity="Dreiging bij huisbezoek")
    _view(folder, _user(RDAM), ref)
    with _open(folder, CHAIR) as session:
        rows = session.store.conn.execute(
            "SELECT legal_basis, necessity, grant_id FROM disclosures WHERE item_id = ?"
            " AND recipient_party = ?", (item, RDAM)).fetchall()
    assert rows == [(POLICE_BASIS, "Dreiging bij huisbezoek", gid)]


# --------------------------------------------------------------------------- point 9

def test_dm_001_bijlage_1_ter_hoogte_van_occurs_under_the_stores_agreement(
        folder: Path) -> None:
    """DM 000 art. 4.3, 001 Bijlage 1: the store names the dagmonitor agreement its data
    come under.  Under 001 a car break-in (A10) goes out as "ter hoogte van" street and
    number; under 000, or when the store names none (the strictest of both), at postcode
    level only."""
    ref = _new_case(folder, involve=(POLICE,))
    parts = {"street": "Coolsingel", "number": "40", "postcode": "3011 AD",
             "city": "Rotterdam"}
    with _open(folder, _user(POLICE)) as session:
        item = casework.add_item(
            session, ref, category="address", body="Coolsingel 40, 3011 AD Rotterdam",
            legal_basis=POLICE_BASIS, kind=ItemKind.ADDRESS, structured=parts,
            incident_class="A10", person="B1")
    _grant(folder, _user(POLICE), ref, RDAM, item_id=item)

    def shown() -> str:
        view = _view(folder, _user(RDAM), ref)
        return str(next(i.value for i in view.items if i.item_id == item))

    assert shown() == "3011 AD Rotterdam"
    with _open(folder, ADMIN) as session:
        with pytest.raises(InputError):
            admin.set_dagmonitor_agreement(session, "002")
        admin.set_dagmonitor_agreement(session, "001")
    assert "Coolsingel 40" in shown()
    assert shown() != "Coolsingel 40, 3011 AD Rotterdam"
    with _open(folder, ADMIN) as session:
        admin.set_dagmonitor_agreement(session, "000")
    assert shown() == "3011 AD Rotterdam"
    with _open(folder, _user(RDAM)) as session, pytest.raises(AccessDeniedError):
        admin.set_dagmonitor_agreement(session, "001")


# --------------------------------------------------------------------------- point 16

def test_zvh_3_5d_a_partys_own_report_copy_shows_only_what_it_may_take_away(
        folder: Path) -> None:
    """ZVH 3.5d: a grant for the table and the screen does not put the item into the
    recipient's own PDF copy; a grant with take_away does."""
    ref = _new_case(folder, involve=(HALT,))
    seen = _item(folder, _user(RDAM), ref, "Inschrijving CANARY-TABLE-ONLY")
    kept = _item(folder, _user(RDAM), ref, "Huurachterstand CANARY-TAKE-AWAY",
                 category="housing")
    _grant(folder, _user(RDAM), ref, HALT, item_id=seen)
    _grant(folder, _user(RDAM), ref, HALT, item_id=kept, take_away=True)
    on_screen = _levels(_view(folder, _user(HALT), ref))
    assert (on_screen[seen], on_screen[kept]) == ("FULL", "FULL")
    with _open(folder, CHAIR) as session:
        report = prepare_report(session, ReportRequest(
            kind="plan", case_ref=ref, recipient=HALT, lang="nl"), today=TODAY).data
    assert report.case is not None
    levels = _levels(report.case.view)
    assert (levels[seen], levels[kept]) == ("table_only", "FULL")


# --------------------------------------------------------------------------- point 15

def test_zvh_13_2_before_the_meeting_needs_the_directors_decision_and_the_providers_accord(
        folder: Path) -> None:
    """ZVH 13.2, sixth indent: what participants may see before the meeting is decided by
    the procesregisseur with the registering party, and only where the provider accords
    (its grant for the meeting).  Both are needed; the decision names who decided."""
    ref = _new_case(folder)
    item = _item(folder, _user(RDAM), ref, "Adres CANARY-PREVIEW")
    with _open(folder, CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=_at(4), place="Stadhuis")
        meetings.add_to_agenda(session, mid, ref, [RDAM, HALT])
        for party in (RDAM, HALT):
            meetings.set_attendee(session, mid, party, present=True)
    spec = ViewSpec(meeting_id=mid)
    _grant(folder, _user(RDAM), ref, HALT, meeting_id=mid, item_id=item)
    assert _levels(_view(folder, _user(HALT), ref, spec))[item] == "not_granted"
    with _open(folder, _user(HALT)) as session, pytest.raises(AccessDeniedError):
        meetings.decide_preview(session, mid, ref)
    with _open(folder, CHAIR) as session:
        meetings.decide_preview(session, mid, ref)
        row = session.store.conn.execute(
            "SELECT decided_by, with_party FROM meeting_previews WHERE meeting_id = ?",
            (mid,)).fetchone()
        assert row == (CHAIR, RDAM)
    assert _levels(_view(folder, _user(HALT), ref, spec))[item] == "FULL"
    other = _item(folder, _user(RDAM), ref, "Telefoon CANARY-NO-ACCORD", category="contact")
    assert _levels(_view(folder, _user(HALT), ref, spec)).get(other) != "FULL"
