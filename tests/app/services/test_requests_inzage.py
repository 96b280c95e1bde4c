"""The inzage and its report (app/services/requests_inzage.py, app/reports/inzage.py;
ZVH 17.5-17.6, 18.1; AVG 15).

Canary tests: every other person (in the same case, in the requester's other case, in
another director's case) carries unique ``CANARY-`` strings; none appears in the view or
in the text of the PDF.  The recipients the report names are exactly those the disclosure
register knows for the person's items answered here; police and OM items are routed, not
listed; withheld items show the party's reason, not the data.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.principals import user_principal
from app.domain.roles import Role
from app.errors import AccessDeniedError, InputError
from app.services import cases, requests, requests_inzage, requests_tasks
from app.services.session import Session
from app.views.requests import InzageView
from tests.app.services import requests_scenario as sc
from tests.app.services.test_services import (
    ADMIN,
    CHAIR,
    DEMO,
    GGZ,
    POLICE,
    PRIVACY_OFFICER,
    RDAM,
    SPEC,
    TODAY,
    USERS,
    _open,
    _user,
    _verify,
)
from tests.conftest import DemoStoreFactory

DEMO_CANARY = re.compile(r"CANARY-[A-Z]+-\d+-I\d{3}")


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _text(view: InzageView) -> str:
    """Every string the view holds (content, reasons, labels)."""
    parts: list[str] = [repr(view)]
    if view.identity is not None:
        parts.append(view.identity.name)
    for person in view.persons:
        parts += [person.case_ref, person.person_label, repr(person)]
        for item in person.items:
            parts += [item.content or "", item.withheld_reason or "", repr(item)]
    return "\n".join(parts)


def _pdf_text(pdf: bytes) -> str:
    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def _register_recipients(session: Session, person_ids: list[int], *,
                         routed: bool) -> set[str]:
    """The recipient parties the disclosure register holds for the persons' items,
    of the routed (police/OM) items or of the others."""
    from app.policy.rights import is_routed
    from app.services.redaction import profile_of
    from app.store import repo

    profile = profile_of(session)
    conn = session.store.conn
    out = set()
    for item_id, party in conn.execute(
            "SELECT d.item_id, d.recipient_party FROM disclosures d JOIN items i"
            " ON i.id = d.item_id WHERE i.person_id IN (SELECT value FROM json_each(?))",
            (json.dumps(person_ids),)):
        item = repo.item_by_id(conn, int(item_id))
        assert item is not None
        if is_routed(profile, item) == routed:
            out.add(str(party))
    return out


def test_inzage_canary_shows_only_the_requesters_data_zvh_18_1(folder: Path) -> None:
    """ZVH 18.1: the inzage holds the requester's data across cases and no datum of any
    other person: no canary of B2 (same case, other case) or of another director's
    namesake appears in the view or in the PDF's text."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    sc.link_all(folder, rid)
    sc.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        view = requests_inzage.inzage(s, rid)
        result = requests_inzage.inzage_report(s, rid, "nl")
    text = _text(view)
    pdf_text = _pdf_text(result.pdf)
    for canary in s_.canaries:
        assert canary not in text
        assert canary not in re.sub(r"\s+", "", pdf_text)
    assert "CANARY" not in text
    assert "CANARY" not in pdf_text
    assert {p.case_ref for p in view.persons} == {s_.ref, s_.ref2}
    shown = {i.item_id for p in view.persons for i in p.items}
    assert shown == set(s_.subject_items)
    for marker in ("SUBJECT-CARE", "SUBJECT-ADDR", "SUBJECT-HOME"):
        assert marker in text
        assert marker in pdf_text
    assert "Vries" in pdf_text  # the requester's own name, in the title block


def test_inzage_recipients_are_complete_against_the_register_zvh_8_1_18_1(
        folder: Path) -> None:
    """ZVH 8.1, 18.1: every recipient the disclosure register knows for the person's
    items (answered here) is named, per item and per person; none other."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    persons = sc.link_all(folder, rid)
    sc.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        view = requests_inzage.inzage(s, rid)
        expected = _register_recipients(s, persons, routed=False)
        result = requests_inzage.inzage_report(s, rid, "en")
        per_item = {int(i): {str(p) for p, in s.store.conn.execute(
            "SELECT DISTINCT recipient_party FROM disclosures WHERE item_id = ?", (i,))}
            for i in s_.subject_items}
    assert expected == {GGZ}  # the scenario's register is not empty
    assert {r.party.id for p in view.persons for r in p.recipients} == expected
    for person in view.persons:
        for item in person.items:
            assert {r.party.id for r in item.recipients} == per_item[item.item_id]
    pdf_text = _pdf_text(result.pdf)
    from app.services.redaction import party_ref, profile_of

    with _open(folder, ADMIN) as s:
        profile = profile_of(s)
    for party in expected:
        assert party_ref(profile, party).label("en") in pdf_text


def test_police_and_om_data_are_routed_not_listed_zvh_17_5_17_6(folder: Path) -> None:
    """ZVH 17.5-17.6: the police item is neither sealed to the officer nor listed; the
    view and the report say the request was routed to the police."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    persons = sc.link_all(folder, rid)
    sc.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        assert s.store.conn.execute(
            "SELECT count(*) FROM item_keys WHERE holder = ? AND item_id = ?",
            (user_principal(PRIVACY_OFFICER), s_.police_item)).fetchone()[0] == 0
        view = requests_inzage.inzage(s, rid)
        result = requests_inzage.inzage_report(s, rid, "en")
        police_only = (_register_recipients(s, persons, routed=True)
                       - _register_recipients(s, persons, routed=False))
    assert s_.police_item not in {i.item_id for p in view.persons for i in p.items}
    assert [p.id for p in view.routed_parties] == [POLICE]
    first = next(p for p in view.persons if p.case_ref == s_.ref)
    assert [(c.party.id, c.items) for c in first.routed] == [(POLICE, 1)]
    pdf_text = re.sub(r"\s+", " ", _pdf_text(result.pdf))
    assert "ZVH 17.5-17.6" in pdf_text
    assert "forwarded" in pdf_text
    assert "Aanhouding" not in pdf_text
    # The municipality received only the police item: the police answer for that.
    assert police_only == {RDAM}
    assert RDAM not in {r.party.id for p in view.persons for r in p.recipients}


def test_withheld_item_is_marked_and_reasoned_not_shown_zvh_18_1(folder: Path) -> None:
    """ZVH 18.1 (AVG 23): what a providing party withholds shows as a placeholder with
    its reason, never the data."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    sc.link_all(folder, rid)
    sc.holders_log_in(folder)
    with _open(folder, _user(GGZ)) as s:
        requests_tasks.withhold(s, rid, s_.care_item, "Lopend behandeltraject")
    with _open(folder, PRIVACY_OFFICER) as s:
        view = requests_inzage.inzage(s, rid)
        result = requests_inzage.inzage_report(s, rid, "nl")
    item = next(i for p in view.persons for i in p.items if i.item_id == s_.care_item)
    assert item.content is None
    assert item.withheld_reason == "Lopend behandeltraject"
    pdf_text = _pdf_text(result.pdf)
    assert "SUBJECT-CARE" not in pdf_text
    assert "SUBJECT-CARE" not in _text(view)
    assert "Lopend behandeltraject" in pdf_text


def test_report_is_registered_with_sha256_and_logged_with_counts_zvh_18_1(
        folder: Path) -> None:
    """ZVH 18.1: the PDF is made in memory, registered (kind inzage, recipient the data
    subject) with its SHA-256; the audit names counts, no personal data."""
    sc.build(folder)
    rid = sc.register(folder)
    sc.link_all(folder, rid)
    sc.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        before = set((folder).rglob("*"))
        result = requests_inzage.inzage_report(s, rid, "nl")
        row = s.store.conn.execute(
            "SELECT kind, recipient, sha256, pages, items FROM reports WHERE document_id = ?",
            (result.document_id,)).fetchone()
        entries = [str(a) for a, in s.store.conn.execute(
            "SELECT attributes FROM audit WHERE name IN ('request.inzage', 'report.generate',"
            " 'request.link', 'request.new', 'request.search')")]
    assert result.pdf.startswith(b"%PDF")
    assert tuple(row[:3]) == ("inzage", "data-subject",
                              hashlib.sha256(result.pdf).hexdigest())
    assert row[3] == result.pages
    assert row[4] == 6
    assert not any(re.search(r"Vries|SUBJECT|CANARY|1980", e) for e in entries)
    assert {p for p in folder.rglob("*") if p.suffix == ".pdf"} == set()
    assert before  # nothing was written next to the store by the render
    _verify(folder)


def test_inzage_is_the_registering_officers_and_for_inzage_only_zvh_9_6(
        folder: Path) -> None:
    """ZVH 9.6, 18.1: only the privacy officer who registered an open inzage request
    sees it; a correction request has no inzage; other roles are refused."""
    sc.build(folder)
    rid = sc.register(folder)
    correction = sc.register(folder, "correction")
    for user in (CHAIR, _user(RDAM), ADMIN):
        with _open(folder, user) as s, pytest.raises(AccessDeniedError):
            requests_inzage.inzage(s, rid)
    with _open(folder, PRIVACY_OFFICER) as s:
        with pytest.raises(InputError) as kind:
            requests_inzage.inzage(s, correction)
        assert kind.value.code == "request.not_inzage"
        with pytest.raises(InputError) as lang:
            requests_inzage.inzage_report(s, rid, "de")
        assert lang.value.code == "report.language"
        requests.close_request(s, rid, "Geen gegevens gevonden", TODAY)
        with pytest.raises(InputError) as closed:
            requests_inzage.inzage(s, rid)
        assert closed.value.code == "request.closed"


def test_items_without_the_officers_seal_are_awaiting_not_shown_zvh_18_1(
        folder: Path) -> None:
    """ZVH 18.1: before the providers' keyrings made the officer's seals, their items are
    counted as awaiting the providing party, with no content; after, they show."""
    s_ = sc.build(folder)
    rid = sc.register(folder)
    sc.link_all(folder, rid)
    with _open(folder, PRIVACY_OFFICER) as s:
        sealed = {int(i) for i, in s.store.conn.execute(
            "SELECT item_id FROM item_keys WHERE holder = ?", (user_principal(
                PRIVACY_OFFICER),))}
        before = requests_inzage.inzage(s, rid)
    waiting = sum(c.items for p in before.persons for c in p.awaiting)
    shown = {i.item_id for p in before.persons for i in p.items}
    assert shown == sealed & set(s_.subject_items)
    assert shown, "the director's keyring sealed what it holds at the link"
    assert waiting == len(set(s_.subject_items) - shown)
    sc.holders_log_in(folder)
    with _open(folder, PRIVACY_OFFICER) as s:
        after = requests_inzage.inzage(s, rid)
    assert not any(p.awaiting for p in after.persons)
    assert {i.item_id for p in after.persons for i in p.items} == set(s_.subject_items)


def test_demo_person_report_names_every_recipient_of_the_register_zvh_18_1(
        folder: Path) -> None:
    """ZVH 8.1, 18.1 on a demo person: after the involved parties looked at a demo case,
    the report for its B1 names every recipient the register knows for B1's items answered
    here, and none of the canaries of the case's other persons."""
    doc = next(c for c in DEMO.doc["cases"] if c["procesregisseur"] == CHAIR
               and len(c["persons"]) > 1 and any(i.get("person") == "B2"
                                                  for i in c["items"]))
    ref = doc["ref"]
    with _open(folder, CHAIR) as s:
        conn = s.store.conn
        case_id = int(conn.execute("SELECT id FROM cases WHERE reference = ?",
                                   (ref,)).fetchone()[0])
        person = int(conn.execute("SELECT id FROM persons WHERE case_id = ? AND label = 'B1'",
                                  (case_id,)).fetchone()[0])
        parties = sorted({str(p) for p, in conn.execute(
            "SELECT source_party FROM items WHERE case_id = ?", (case_id,))})
        involved = {str(p) for p, in conn.execute(
            "SELECT recipient_party FROM grants WHERE case_id = ?", (case_id,))}
    for party in sorted({*parties, *involved}):
        user = next((u for u, (r, p) in sorted(USERS.items())
                     if p == party and r is Role.DEELNEMER), None)
        if user is not None:
            with _open(folder, user) as s:
                cases.show_case(s, ref, today=TODAY)
    rid = sc.register(folder)
    with _open(folder, CHAIR) as s:
        requests_tasks.link_subject(s, rid, person)
    for party in parties:
        user = next((u for u, (r, p) in sorted(USERS.items())
                     if p == party and r is not Role.PRIVACY_OFFICER
                     and r is not Role.BEHEERDER), None)
        if user is not None:
            _open(folder, user).close()
    with _open(folder, PRIVACY_OFFICER) as s:
        inzage = requests_inzage.inzage(s, rid)
        result = requests_inzage.inzage_report(s, rid, "en")
        expected = _register_recipients(s, [person], routed=False)
    assert expected, "the demo case's register has rows for B1"
    assert {r.party.id for p in inzage.persons for r in p.recipients} == expected
    b1 = {f"CANARY-{ref}-{i['key']}" for i in doc["items"] if i.get("person") == "B1"}
    others = {f"CANARY-{ref}-{i['key']}" for i in doc["items"] if i.get("person") != "B1"}
    found = set(DEMO_CANARY.findall(_text(inzage))) | set(DEMO_CANARY.findall(
        re.sub(r"\s+", "", _pdf_text(result.pdf))))
    assert found, "the demo person's own data are shown"
    assert not found & others
    assert found <= b1
