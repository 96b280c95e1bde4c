"""The agenda per invited party and the notulen per party (issue 10, point 7): what each
document holds, who may make it, and how it is registered.

One scenario per test on a private copy of the demo store: a meeting with two cases of the
chair.  Case A is for the municipality and GGZ, case B for the municipality and Halt; GGZ is
involved in B too (it owns an action there) but is not invited for it at this meeting.
Everything written about B carries a canary, so the documents for GGZ can be checked for
the absence of B (ZVH 13.2).  New strings are checked in the English rendering (their
Dutch translations are added to the catalog later).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.errors import AccessDeniedError, InputError
from app.services import agenda, casework, meetings
from app.services.reports import generate_report
from app.services.session import Session
from app.views import ReportRequest, ReportResult
from tests.app.reports.test_reports import _parser
from tests.app.services.test_services import (
    BASIS,
    CHAIR,
    GGZ,
    HALT,
    NOTULIST,
    OTHER_CHAIR,
    OTHER_NOTULIST,
    RDAM,
    SPEC,
    TODAY,
    _at,
    _open,
    _user,
    _walk,
)
from tests.conftest import PASSPHRASE, TEST_KDF, DemoStoreFactory

NAME_A = "Annabel Alfa-Aagje"
CANARIES_B = {
    "name": "CANARY-OTHER-NAME",
    "item": "CANARY-OTHER-ITEM",
    "goal": "CANARY-OTHER-CASEGOAL",
    "plan_goal": "CANARY-OTHER-GOAL",
    "problem": "CANARY-OTHER-PROBLEM",
    "monitoring": "CANARY-OTHER-MONITORING",
    "informing": "CANARY-OTHER-INFORMING",
    "exit_criteria": "CANARY-OTHER-EXIT",
    "action": "CANARY-OTHER-ACTION",
    "progress": "CANARY-OTHER-PROGRESS",
    "decision": "CANARY-OTHER-DECISION",
    "note": "CANARY-OTHER-NOTE",
}
DECISION_A = "Besluit-A huisbezoek"
NOTE_A = "Bespreking-A verliep rustig"
ACTION_A = "Actie-A gesprek"


@dataclass(frozen=True)
class Scenario:
    folder: Path
    meeting_id: int
    case_a: str
    case_b: str
    name_item: int


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _case(session: Session, goal: str) -> str:
    ref = casework.create_case(session, registering_party=RDAM, themes=["overlast"],
                               goal=goal)
    casework.add_person(session, ref, category="cat-i")
    _walk(session, ref, "casusoverleg")
    return ref


def _scenario(folder: Path, *, present: bool = True) -> Scenario:
    with _open(folder, CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=_at(1), place="Stadhuis",
                                      notulist=NOTULIST)
        case_a = _case(session, "Rust in de straat")
        case_b = _case(session, CANARIES_B["goal"])
        meetings.add_to_agenda(session, mid, case_a, [RDAM, GGZ])
        meetings.add_to_agenda(session, mid, case_b, [RDAM, HALT])
    with _open(folder, _user(RDAM)) as session:
        name_item = casework.add_item(session, case_a, category="identity", body=NAME_A,
                                      legal_basis=BASIS, person="B1", field="name")
        casework.grant(session, case_a, recipient=GGZ, legal_basis=BASIS, item_id=name_item,
                       take_away=True)
        casework.add_item(session, case_b, category="identity", body=CANARIES_B["name"],
                          legal_basis=BASIS, person="B1", field="name")
        casework.add_item(session, case_b, category="identity", body=CANARIES_B["item"],
                          legal_basis=BASIS, person="B1")
    with _open(folder, CHAIR) as session:
        meetings.set_plan(session, case_b, problem=CANARIES_B["problem"],
                          monitoring=CANARIES_B["monitoring"],
                          informing=CANARIES_B["informing"],
                          exit_criteria=CANARIES_B["exit_criteria"])
        goal = meetings.add_goal(session, case_b, CANARIES_B["plan_goal"], meeting_id=mid)
        action = meetings.add_action(session, case_b, CANARIES_B["action"], owner_party=GGZ,
                                     goal_id=goal, meeting_id=mid, due_on=TODAY)
        meetings.add_progress(session, case_b, CANARIES_B["progress"], action_id=action)
        meetings.record_decision(session, case_b, CANARIES_B["decision"], meeting_id=mid)
        agenda.add_note(session, mid, case_b, CANARIES_B["note"])
        meetings.record_decision(session, case_a, DECISION_A, meeting_id=mid)
        meetings.add_action(session, case_a, ACTION_A, owner_party=GGZ, meeting_id=mid,
                            due_on=TODAY)
        agenda.add_note(session, mid, case_a, NOTE_A)
        if present:
            for party in (RDAM, GGZ, HALT):
                meetings.set_attendee(session, mid, party, present=True)
            # Each case is discussed with only the parties invited for it (ZVH 13.2).
            meetings.set_left_room(session, mid, case_a, HALT)
            meetings.set_left_room(session, mid, case_b, GGZ)
    return Scenario(folder, mid, case_a, case_b, name_item)


def _report(session: Session, **arguments: object) -> ReportResult:
    arguments.setdefault("lang", "en")
    return generate_report(session, ReportRequest(**arguments),  # type: ignore[arg-type]
                           today=TODAY)


def _text(result: ReportResult) -> str:
    """The text of every page, whitespace collapsed."""
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(result.pdf)).pages]
    return re.sub(r"\s+", " ", "\n".join(pages))


def _absent(result: ReportResult, words: set[str]) -> None:
    """None of ``words`` in the text (also with all whitespace removed: a word broken
    over two lines), nor in the PDF's metadata."""
    text = _text(result)
    squeezed = re.sub(r"\s+", "", text)
    meta = PdfReader(io.BytesIO(result.pdf)).metadata
    about = " ".join(str(v) for v in meta.values()) if meta is not None else ""
    for word in words:
        assert word not in text, word
        assert re.sub(r"\s+", "", word) not in squeezed, word
        assert word not in about, word
        assert word not in result.filename_hint


def _present(result: ReportResult, words: set[str]) -> None:
    squeezed = re.sub(r"\s+", "", _text(result))
    for word in words:
        assert re.sub(r"\s+", "", word) in squeezed, word


# --------------------------------------------------------------------------- the agenda


def test_party_agenda_holds_only_its_invited_cases_canary_zvh_13_2(folder: Path) -> None:
    """ZVH 13.2 (canary): the agenda the chair sends GGZ names the meeting (date and time,
    place, chair, minute taker) and case A with what GGZ may see of its header, and
    contains no reference, name or text of case B, for which GGZ is not invited, though
    GGZ is involved in it: not its items, goal, plan texts, actions, progress, decisions
    or notes.  Halt's agenda holds B and nothing of A."""
    s = _scenario(folder)
    with _open(folder, CHAIR) as session:
        result = _report(session, kind="agenda", meeting_id=s.meeting_id, recipient=GGZ)
        halt = _report(session, kind="agenda", meeting_id=s.meeting_id, recipient=HALT,
                       lang="nl")
        names = session.store.conn.execute(
            "SELECT display_name FROM users WHERE username IN (?, ?)",
            (CHAIR, NOTULIST)).fetchall()
    text = _text(result)
    assert text.startswith("CONFIDENTIAL") or "CONFIDENTIAL" in text
    assert "Agenda" in text
    _present(result, {s.case_a, NAME_A, "Stadhuis", "09:00", "Rust in de straat",
                      *(str(n[0]) for n in names)})
    _absent(result, {s.case_b, *CANARIES_B.values()})
    # Not even case A's own joint record beyond its goal: an agenda is an invitation.
    _absent(result, {DECISION_A, NOTE_A, ACTION_A})
    _present(halt, {s.case_b, CANARIES_B["goal"]})
    _absent(halt, {s.case_a, NAME_A, DECISION_A, NOTE_A, ACTION_A, "Rust in de straat"})


def test_party_agenda_is_registered_like_every_report_zvh_8_1(folder: Path) -> None:
    """ZVH 8.1, 15.3d: the agenda is recorded like every report: one ``report.generate``
    audit entry, a ``reports`` row with its SHA-256, kind ``agenda``, the meeting and the
    recipient, and a disclosure row for the FULL item of another party it shows (the name
    of case A that the municipality let GGZ take away)."""
    s = _scenario(folder, present=False)
    with _open(folder, CHAIR) as session:
        result = _report(session, kind="agenda", meeting_id=s.meeting_id, recipient=GGZ)
        conn = session.store.conn
        row = conn.execute(
            "SELECT kind, recipient, case_reference, meeting_id, sha256, items, created_by"
            " FROM reports WHERE document_id = ?", (result.document_id,)).fetchone()
        assert tuple(row) == ("agenda", GGZ, None, s.meeting_id, result.sha256, 1, CHAIR)
        audit = conn.execute("SELECT name, attributes FROM audit WHERE object_id = ?",
                             (result.document_id,)).fetchall()
        assert [a[0] for a in audit] == ["report.generate"]
        attributes = json.loads(audit[0][1])
        assert (attributes["kind"], attributes["recipient"]) == ("agenda", GGZ)
        assert NAME_A not in audit[0][1]
        disclosed = conn.execute(
            "SELECT item_id, provider_party, recipient_party, channel FROM disclosures"
            " WHERE document_id = ?", (result.document_id,)).fetchall()
        assert [tuple(d) for d in disclosed] == [(s.name_item, RDAM, GGZ, "report")]
    assert result.filename_hint.startswith("agenda-")


def test_cli_writes_the_agenda_for_one_invited_party_zvh_13_2(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ZVH 13.2: ``casustafel report STORE --user U --kind agenda --meeting N --recipient
    PARTY --out FILE.pdf`` writes that party's agenda (only its invited cases); for the
    table it is refused without writing a file."""
    s = _scenario(folder, present=False)
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "agenda.pdf"
    common = ["report", str(folder), "--user", CHAIR, "--passphrase-file", str(secret),
              "--kind", "agenda", "--meeting", str(s.meeting_id), "--lang", "en"]
    args = _parser().parse_args([*common, "--recipient", GGZ, "--out", str(out)])
    assert args.handler(args, TEST_KDF) == 0
    assert out.name in capsys.readouterr().out
    text = re.sub(r"\s+", "", " ".join(p.extract_text() for p in PdfReader(out).pages))
    assert s.case_a in text
    assert s.case_b not in text
    assert not any(c in text for c in CANARIES_B.values())
    refused = tmp_path / "table.pdf"
    args = _parser().parse_args([*common, "--table", "--out", str(refused)])
    with pytest.raises(InputError) as error:
        args.handler(args, TEST_KDF)
    assert error.value.code == "report.agenda_party"
    assert not refused.exists()


def test_only_the_chair_sends_the_agenda_to_an_invited_party_zvh_13_2(folder: Path) -> None:
    """ZVH 13.2, 9.6: only the chair makes the agenda, for one party invited for a case of
    the meeting; not for the table, not for a party invited for nothing; the minute
    taker may not, and another procesregisseur may not even know the meeting."""
    s = _scenario(folder, present=False)
    with _open(folder, CHAIR) as session:
        for arguments, code in (
            ({"recipient": "politie-rotterdam"}, "report.recipient_not_invited"),
            ({"table": True}, "report.agenda_party"),
            ({"recipient": "no-such-party"}, "party.unknown"),
        ):
            with pytest.raises(InputError) as error:
                _report(session, kind="agenda", meeting_id=s.meeting_id, **arguments)
            assert error.value.code == code
        with pytest.raises(InputError) as error:
            _report(session, kind="agenda", case_ref=s.case_a, recipient=GGZ)
        assert error.value.code == "report.meeting_required"
    with _open(folder, NOTULIST) as session, pytest.raises(AccessDeniedError):
        _report(session, kind="agenda", meeting_id=s.meeting_id, recipient=GGZ)
    for other in (OTHER_CHAIR, OTHER_NOTULIST):
        with _open(folder, other) as session, pytest.raises(InputError) as error:
            _report(session, kind="agenda", meeting_id=s.meeting_id, recipient=GGZ)
        assert error.value.code == "meeting.unknown"
    for party in (GGZ, RDAM):
        with _open(folder, _user(party)) as session, pytest.raises(AccessDeniedError):
            _report(session, kind="agenda", meeting_id=s.meeting_id, recipient=party)


# --------------------------------------------------------------------------- the notulen


def test_minute_taker_makes_party_notulen_of_invited_cases_only_zvh_15_2(
        folder: Path) -> None:
    """ZVH 15.2, 13.2: the minute taker makes the notulen for one party too: for GGZ they
    hold case A (what the table saw and GGZ may see: its decision, action and discussion
    note) and nothing of case B, for which GGZ was not invited; Halt's hold B's note and
    decision and nothing of A.  A minute taker of another meeting may not.  (The table
    version shows neither case's content: a party left the room for each.)"""
    s = _scenario(folder)
    with _open(folder, NOTULIST) as session:
        ggz = _report(session, kind="notulen", meeting_id=s.meeting_id, recipient=GGZ)
        halt = _report(session, kind="notulen", meeting_id=s.meeting_id, recipient=HALT)
        table = _report(session, kind="notulen", meeting_id=s.meeting_id, table=True)
        row = session.store.conn.execute(
            "SELECT kind, recipient, created_by FROM reports WHERE document_id = ?",
            (ggz.document_id,)).fetchone()
    assert tuple(row) == ("notulen", GGZ, NOTULIST)
    _present(ggz, {s.case_a, DECISION_A, NOTE_A, ACTION_A})
    _absent(ggz, {s.case_b, *CANARIES_B.values()})
    _present(halt, {s.case_b, CANARIES_B["decision"], CANARIES_B["note"]})
    _absent(halt, {s.case_a, DECISION_A, NOTE_A, ACTION_A, NAME_A})
    # The version for the whole table: each case had a party present that left the room
    # for it, so no content of either, notes included, as for the decisions (ZVH 13.2).
    _present(table, {s.case_a, s.case_b})
    _absent(table, {NOTE_A, DECISION_A, CANARIES_B["note"], CANARIES_B["decision"]})
    with _open(folder, OTHER_NOTULIST) as session, pytest.raises(InputError) as error:
        _report(session, kind="notulen", meeting_id=s.meeting_id, recipient=GGZ)
    assert error.value.code == "meeting.unknown"


def test_discussion_notes_follow_the_decisions_of_the_case_zvh_13_2(folder: Path) -> None:
    """ZVH 13.2, 2.2: a discussion note shows where the case's decisions show: in the
    notulen of the invited party, and in no other party's; the distribution list names
    the recipient and, per case in the document, the parties invited for it."""
    s = _scenario(folder)
    with _open(folder, CHAIR) as session:
        ggz = _report(session, kind="notulen", meeting_id=s.meeting_id, recipient=GGZ)
        rdam = _report(session, kind="notulen", meeting_id=s.meeting_id, recipient=RDAM)
    _present(ggz, {NOTE_A, DECISION_A, "Distribution list", "This document goes to"})
    _absent(ggz, {CANARIES_B["note"], CANARIES_B["decision"]})
    _present(rdam, {NOTE_A, DECISION_A, CANARIES_B["note"], CANARIES_B["decision"]})
    text = _text(ggz)
    distribution = text[text.index("Distribution list"):]
    assert s.case_a in distribution
    assert s.case_b not in distribution
    assert "Halt" not in distribution


def test_notulen_draft_until_closed_then_adopted_with_addenda_zvh_15_2(folder: Path) -> None:
    """ZVH 15.2: the notulen are a draft (concept) while the meeting is planned and adopted
    (vastgesteld) once the chair closed it; what is recorded about the meeting afterwards
    (a decision, an action, a note) shows marked as an addendum."""
    s = _scenario(folder)
    with _open(folder, CHAIR) as session:
        before = _text(_report(session, kind="notulen", meeting_id=s.meeting_id,
                               recipient=GGZ))
        agenda.close_meeting(session, s.meeting_id)
        closed = _text(_report(session, kind="notulen", meeting_id=s.meeting_id,
                               recipient=GGZ))
        meetings.record_decision(session, s.case_a, "Late-besluit", meeting_id=s.meeting_id)
        meetings.add_action(session, s.case_a, "Late-actie", owner_party=GGZ,
                            meeting_id=s.meeting_id)
        agenda.add_note(session, s.meeting_id, s.case_a, "Late-notitie")
        after = _text(_report(session, kind="notulen", meeting_id=s.meeting_id,
                              recipient=GGZ))
    assert "Status Draft" in before
    assert "Adopted" not in before
    assert "[addendum]" not in before
    assert "Status Adopted on" in closed
    assert "[addendum]" not in closed
    squeezed = re.sub(r"\s+", "", after)
    for late in ("Late-besluit", "Late-actie", "Late-notitie"):
        assert f"{late}[addendum]" in squeezed, late
    for earlier in (DECISION_A, NOTE_A, ACTION_A):
        assert re.sub(r"\s+", "", earlier) + "[addendum]" not in squeezed
