"""The casework from the command line (issue 10, point 10): ``case``, ``plan``,
``meeting`` and ``inbox`` (app/cli/casework_commands.py, meeting_commands.py).

The first test starts from nothing: ``casustafel init``, ``users add`` and every user
choosing their own passphrase, and then the CLI alone takes a ZVH case from aanmelding
through triage and a casusoverleg to afschaling, and checks what each party sees.  The
other tests run on a copy of one store built the same way (once per module).  Test names
cite the article of the ZVH privacy protocol (seed 003) they check.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.cli.main import main
from app.services import cases
from app.services.session import Session
from tests.app.cli.casework_support import (
    ADMIN,
    AGENT,
    BASIS,
    CHAIR,
    GGZ,
    GGZ_TEXT,
    GGZ_USER,
    HALT,
    HALT_USER,
    HOUSING_TEXT,
    INVITED,
    NECESSITY,
    NOTULIST,
    OTHER_CHAIR,
    POLICE,
    POLICE_BASIS,
    POLICE_TEXT,
    RECLASS,
    RECLASS_USER,
    WONEN,
    WONEN_USER,
    Actor,
    Passes,
    build_store,
    case_in_overleg,
    items_of,
    meeting_time,
    ok,
    passes,
)
from tests.app.cli.conftest import Cli, Run
from tests.conftest import PASSPHRASE, TEST_KDF

TODAY = dt.datetime.now().astimezone().date()


def _one_line_error(run: Run, code: int = 4) -> str:
    """Exit ``code``, nothing on stdout, one ``casustafel:`` line on stderr, no traceback."""
    assert run.code == code, (run.code, run.out, run.err)
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("casustafel: ")
    assert "Traceback" not in run.err
    return lines[0]


_TABLES = ("cases", "persons", "items", "grants", "phase_history", "meetings", "agenda",
           "invitations", "attendees", "decisions", "goals", "actions", "progress",
           "agenda_notes", "notices", "consents", "users")


def _snapshot(store: Path) -> dict[str, Any]:
    """Every row of the casework tables (read as the administrator, in-process): what a
    refused command must leave as it was."""
    with Session.open(store, ADMIN, PASSPHRASE, kdf=TEST_KDF) as session:
        conn = session.store.conn
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                for t in _TABLES}


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Passes]:
    """An empty store with the users, made by the CLI (once per module)."""
    base = tmp_path_factory.mktemp("casework-cli")
    pw = passes(base / "pw")

    def run(*argv: str | Path) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in argv], kdf=TEST_KDF)
        return Run(code, out.getvalue(), err.getvalue())

    build_store(run, base / "store", pw)
    return base / "store", pw


@pytest.fixture
def act(pristine: tuple[Path, Passes], tmp_path: Path, cli: Cli) -> Actor:
    """A private copy of the module's store and a runner acting on it."""
    folder, pw = pristine
    store = tmp_path / "store"
    shutil.copytree(folder, store, ignore=shutil.ignore_patterns("backups"))
    return Actor(cli, store, pw)


# --------------------------------------------------------------------------- the flow


@dataclass
class _Flow:
    """What the flow test made, step by step."""

    act: Actor
    ref: str = ""
    mid: str = ""
    police_item: int = 0
    ggz_item: int = 0
    housing: int = 0
    action: int = 0


def _aanmelding_and_triage(flow: _Flow) -> None:
    """PP 1.18-1.19: register, a betrokkene, the melder's item; triage plans the meeting
    and invites the parties."""
    act = flow.act
    made = act.json(CHAIR, "case", "new", "--registering-party", POLICE, "--themes",
                    "overlast, zorg", "--goal", "Rust in de straat")
    flow.ref = ref = made["reference"]
    assert made == {"reference": ref, "phase": "aanmelding", "name": "Referral and intake",
                    "registering_party": POLICE, "procesregisseur": CHAIR, "follows": None}
    assert ref.startswith(f"ZVH-{TODAY.year}-")
    assert act.json(CHAIR, "case", "person", "--case", ref, "--category", "cat-i") == {
        "reference": ref, "person": "B1", "category": "cat-i"}
    flow.police_item = act.json(AGENT, "case", "item", "--case", ref, "--category", "police",
                                "--body", POLICE_TEXT, "--basis", POLICE_BASIS,
                                "--person", "B1")["item"]
    assert act.json(CHAIR, "case", "next", "--case", ref)["next"] == [
        {"phase": "triage", "name": "Triage"}]
    moved = act.json(CHAIR, "case", "phase", "--case", ref, "--to", "triage")
    assert moved["phase"] == "triage"
    assert {p["phase"] for p in moved["next"]} == {"casusoverleg", "niet_doorgeleid"}
    meeting = act.json(CHAIR, "meeting", "new", "--at", meeting_time(), "--place",
                       "Stadhuis", "--notulist", NOTULIST)
    assert meeting["status"] == "planned"
    flow.mid = mid = str(meeting["meeting"])
    warned = act.json(CHAIR, "meeting", "warnings", "--meeting", mid, "--case", ref,
                      "--invite", ",".join(INVITED))["warnings"]
    # Police data in the case, but every invited party is an art. 20 Wpg recipient: only
    # the "not involved yet" notes, none needing a reason.
    assert {(w["party"], w["code"], w["needs_reason"]) for w in warned} == {
        (p, "invite.not_involved", False) for p in (GGZ, RECLASS, WONEN)}
    agenda = act.json(CHAIR, "meeting", "agenda", "--meeting", mid, "--case", ref,
                      "--invite", ",".join(INVITED))
    assert agenda["invited"] == sorted(INVITED)


def _casusoverleg(flow: _Flow) -> None:
    """PP 1.20, 9.3, 15.2: providers add and share; the meeting records attendance,
    decisions, a note, the plan; the casusregisseur and the information duty."""
    act, ref, mid = flow.act, flow.ref, flow.mid
    act.json(CHAIR, "case", "phase", "--case", ref, "--to", "casusoverleg")
    grant = act.json(AGENT, "case", "grant", "--case", ref, "--item", str(flow.police_item),
                     "--to", GGZ, "--basis", POLICE_BASIS, "--necessity", NECESSITY)
    assert (grant["recipient"], grant["revoked"]) == (GGZ, False)
    flow.ggz_item = act.json(GGZ_USER, "case", "item", "--case", ref, "--category", "health",
                             "--body", GGZ_TEXT, "--basis", BASIS, "--person", "B1")["item"]
    flow.housing = act.json(WONEN_USER, "case", "item", "--case", ref, "--category",
                            "housing", "--body", HOUSING_TEXT, "--basis", BASIS,
                            "--person", "B1")["item"]
    act.json(WONEN_USER, "case", "grant", "--case", ref, "--item", str(flow.housing),
             "--to", GGZ, "--basis", BASIS)
    assert act.json(CHAIR, "meeting", "attend", "--meeting", mid, "--present",
                    ",".join(INVITED), "--absent", HALT)["attendance"] == {
        **dict.fromkeys(INVITED, True), HALT: False}
    decision = act.json(NOTULIST, "meeting", "decide", "--meeting", mid, "--case", ref,
                        "--text", "GGZ Antes voert de regie")
    assert decision["addendum"] is False
    act.json(NOTULIST, "meeting", "note", "--meeting", mid, "--case", ref, "--text",
             "Overlast en zorg besproken")
    goal = act.json(NOTULIST, "plan", "goal", "--meeting", mid, "--case", ref, "--text",
                    "Geen overlast meer")["goal"]
    action = act.json(NOTULIST, "plan", "action", "--meeting", mid, "--case", ref, "--text",
                      "Huisbezoek", "--owner", GGZ, "--due", "2099-01-31",
                      "--goal", str(goal))
    assert (action["status"], action["owner"], action["due_on"]) == (
        "open", GGZ, "2099-01-31")
    flow.action = action["action"]
    act.json(CHAIR, "plan", "set", "--case", ref, "--problem", "Ernstige overlast",
             "--monitoring", "Maandelijks in het casusoverleg", "--informing",
             "GGZ informeert B1, de gemeente de melder", "--exit-criteria",
             "Drie maanden geen meldingen")
    act.json(CHAIR, "case", "regisseur", "--case", ref, "--party", GGZ, "--username",
             GGZ_USER)
    act.json(CHAIR, "case", "informed", "--case", ref, "--person", "B1", "--status",
             "informed", "--on", TODAY.isoformat())
    act.json(CHAIR, "plan", "progress", "--case", ref, "--action", str(flow.action),
             "--text", "Eerste huisbezoek afgelegd")


def _notulen_and_close(flow: _Flow, tmp_path: Path) -> None:
    """Notulen for the table and for one party (only what it may see), then the meeting
    is closed: later decisions are addenda."""
    act, ref, mid = flow.act, flow.ref, flow.mid
    notulen = tmp_path / "notulen-reclassering.pdf"
    ok(act(NOTULIST, "report", "--kind", "notulen", "--meeting", mid, "--table",
           "--out", tmp_path / "notulen-tafel.pdf"))
    ok(act(CHAIR, "report", "--kind", "notulen", "--meeting", mid, "--recipient", RECLASS,
           "--out", notulen))
    text = _pdf_text(notulen)
    assert "GGZ Antes voert de regie" in text
    for secret in (POLICE_TEXT, GGZ_TEXT, HOUSING_TEXT):
        assert secret not in text
    assert act.json(CHAIR, "meeting", "close", "--meeting", mid) == {
        "meeting": int(mid), "status": "held"}
    assert act.json(CHAIR, "meeting", "decide", "--meeting", mid, "--case", ref, "--text",
                    "Nagekomen: huisarts betrekken")["addendum"] is True


def _what_each_party_sees(flow: _Flow) -> None:
    """ZVH 3.5d, 13.2: the provider its own item, the recipient of a grant the text,
    a party without a grant a placeholder, the uninvited party nothing at all."""
    act, ref = flow.act, flow.ref
    police_view = act.json(AGENT, "show", "--case", ref)
    assert items_of(police_view)[flow.police_item] == POLICE_TEXT
    assert flow.ggz_item not in items_of(police_view)  # health data, no consent: absent
    placeholder = items_of(police_view)[flow.housing]  # shared with GGZ only
    assert (placeholder["redacted"], placeholder["code"]) == (True, "not_granted")
    assert HOUSING_TEXT not in str(police_view)
    ggz_view = act.json(GGZ_USER, "show", "--case", ref)
    assert items_of(ggz_view) == {flow.police_item: POLICE_TEXT, flow.ggz_item: GGZ_TEXT,
                                  flow.housing: HOUSING_TEXT}
    assert ggz_view["casusregisseur_party"] == GGZ
    assert [a["text"] for a in ggz_view["actions"]] == ["Huisbezoek"]
    assert [d["text"] for d in ggz_view["decisions"]] == [
        "GGZ Antes voert de regie", "Nagekomen: huisarts betrekken"]
    assert ggz_view["persons"][0]["informed_status"] == "informed"
    reclass_view = act.json(RECLASS_USER, "show", "--case", ref)
    assert set(items_of(reclass_view)) == {flow.housing}
    assert items_of(reclass_view)[flow.housing]["redacted"] is True
    # HALT was never invited: it may not know the case exists (ZVH 13.2).
    unknown = _one_line_error(act(HALT_USER, "show", "--case", ref, "--json"))
    assert "No case with this reference is available to you" in unknown
    as_halt = act.json(CHAIR, "show", "--case", ref, "--as-party", HALT)
    assert (as_halt["unknown_to_party"], as_halt["items"]) == (True, [])
    # The plan texts are not in ``show --json`` (CaseView.to_json): read the view.
    with Session.open(act.store, CHAIR, PASSPHRASE, kdf=TEST_KDF) as session:
        plan = cases.show_case(session, ref).plan
    assert plan is not None
    assert (plan.problem, plan.exit_criteria) == ("Ernstige overlast",
                                                  "Drie maanden geen meldingen")


def _afschaling(flow: _Flow) -> None:
    """PP 1.21, 9.4: the case closes with reason and basis; afterwards only the
    procesregisseur keeps the file, and a new melding is linked to it (ZVH 11.6)."""
    act, ref = flow.act, flow.ref
    act.json(CHAIR, "plan", "action", "--case", ref, "--id", str(flow.action),
             "--status", "done")
    closed = act.json(CHAIR, "case", "close", "--case", ref, "--reason", "Doelen bereikt",
                      "--basis", "PP 1.21, 9.4; besluit casusoverleg")
    assert closed == {"reference": ref, "phase": "afschaling", "name": "Scaling down",
                      "closed": True, "closed_on": TODAY.isoformat()}
    assert act.json(CHAIR, "case", "next", "--case", ref)["next"] == []
    for user in (AGENT, GGZ_USER, RECLASS_USER):
        after = act.json(user, "show", "--case", ref)
        assert after["phase"] == "Scaling down"
        assert after["items"] == [], user
    assert set(items_of(act.json(CHAIR, "show", "--case", ref))) == {flow.police_item,
                                                                     flow.housing}
    refused = _one_line_error(act(CHAIR, "case", "phase", "--case", ref, "--to", "triage"))
    assert "new melding" in refused
    follow = act.json(CHAIR, "case", "new", "--registering-party", POLICE, "--follows", ref)
    assert (follow["follows"], follow["phase"]) == (ref, "aanmelding")


def test_zvh_cli_alone_takes_a_case_from_aanmelding_to_afschaling(
        tmp_path: Path, cli: Cli) -> None:
    """Issue 10, "Done when": from an empty store, the CLI alone runs a ZVH case through
    aanmelding (PP 1.18), triage (1.19), a casusoverleg with a planned meeting, agenda,
    invitations, attendance, decisions, actions, the plan van aanpak and notulen (1.20,
    9.3, 15.2) to afschaling (1.21, 9.4); each party then sees what it may (ZVH 3.5d,
    13.2) and after afschaling only the procesregisseur keeps the file (ZVH 11.6)."""
    pw = passes(tmp_path / "pw")
    store = tmp_path / "store"
    build_store(cli, store, pw)
    flow = _Flow(Actor(cli, store, pw))
    _aanmelding_and_triage(flow)
    _casusoverleg(flow)
    _notulen_and_close(flow, tmp_path)
    _what_each_party_sees(flow)
    _afschaling(flow)
    ok(flow.act(ADMIN, "audit", "verify"))


# --------------------------------------------------------------------------- phases


def test_zvh_pp_1_18_1_21_forbidden_transition_names_the_allowed_phases(act: Actor) -> None:
    """ZVH PP 1.18-1.21 as data: aanmelding goes only to triage; a forbidden step exits 4
    naming the allowed phases, a closing phase needs ``case close``; nothing is written."""
    ref = act.json(CHAIR, "case", "new", "--registering-party", POLICE)["reference"]
    before = _snapshot(act.store)
    line = _one_line_error(act(CHAIR, "case", "phase", "--case", ref, "--to", "casusoverleg"))
    assert line == ("casustafel: From Referral and intake the case can only go to: Triage.")
    line = _one_line_error(act(CHAIR, "case", "close", "--case", ref, "--phase", "afschaling",
                               "--reason", "r", "--basis", "b"))
    assert "can only go to: Triage" in line
    _one_line_error(act(CHAIR, "case", "phase", "--case", ref, "--to", "no-such-phase"))
    # Without --phase, close looks for the closing phase allowed now: there is none.
    assert "--phase" in _one_line_error(act(CHAIR, "case", "close", "--case", ref,
                                            "--reason", "r", "--basis", "b"))
    assert _snapshot(act.store) == before
    act.json(CHAIR, "case", "phase", "--case", ref, "--to", "triage")
    line = _one_line_error(act(CHAIR, "case", "phase", "--case", ref, "--to",
                               "niet_doorgeleid"))
    assert "reason and the basis" in line
    closed = act.json(CHAIR, "case", "close", "--case", ref, "--phase", "niet_doorgeleid",
                      "--reason", "Geen casus voor het ZVH", "--basis", "PP 11.8")
    assert (closed["phase"], closed["closed"]) == ("niet_doorgeleid", True)


def test_zvh_9_6_only_the_cases_procesregisseur_directs_it(act: Actor) -> None:
    """ZVH 9.6: a participant cannot register a case or move its phase (exit 3, the role
    answers); a party that may not know the case gets the unknown-case answer (exit 4);
    after a hand-over the new director directs and the old one no longer knows it."""
    assert "role" in _one_line_error(
        act(AGENT, "case", "new", "--registering-party", POLICE), 3)
    ref = act.json(CHAIR, "case", "new", "--registering-party", POLICE)["reference"]
    assert "role" in _one_line_error(
        act(AGENT, "case", "phase", "--case", ref, "--to", "triage"), 3)
    _one_line_error(act(HALT_USER, "case", "next", "--case", ref))
    _one_line_error(act(OTHER_CHAIR, "case", "phase", "--case", ref, "--to", "triage"))
    assert act.json(CHAIR, "case", "handover", "--case", ref, "--to", OTHER_CHAIR,
                    "--reason", "Verlof") == {"reference": ref, "procesregisseur": OTHER_CHAIR,
                                              "from": CHAIR}
    assert act.json(OTHER_CHAIR, "case", "phase", "--case", ref, "--to", "triage")[
        "phase"] == "triage"
    _one_line_error(act(CHAIR, "case", "next", "--case", ref))


def test_zvh_3_5b_a_triage_grant_is_reassessed_after_the_phase_change(act: Actor) -> None:
    """ZVH 3.5b: what the police shared for the triage is a placeholder "to be
    re-assessed" in the casusoverleg until they share it again for that phase."""
    case = case_in_overleg(act, regrant=False)
    stale = items_of(act.json(GGZ_USER, "show", "--case", case.ref))[case.police_item]
    assert (stale["redacted"], stale["code"]) == (True, "reassess")
    act.json(AGENT, "case", "grant", "--case", case.ref, "--item", str(case.police_item),
             "--to", GGZ, "--basis", POLICE_BASIS, "--necessity", NECESSITY)
    assert items_of(act.json(GGZ_USER, "show", "--case", case.ref))[
        case.police_item] == POLICE_TEXT


# --------------------------------------------------------------------------- corrections


def test_wo_7_2_zvh_9_5_correction_reaches_only_the_parties_that_received_it(
        act: Actor) -> None:
    """WO 7.2, ZVH 9.5, 10.1: the provider corrects an item; the party that was shown the
    earlier version (``show`` registers the disclosure) gets a notice in its inbox until
    it acknowledges it; a party that saw only a placeholder, and the provider, get none."""
    case = case_in_overleg(act)
    assert items_of(act.json(GGZ_USER, "show", "--case", case.ref))[
        case.housing_item] == HOUSING_TEXT
    assert items_of(act.json(RECLASS_USER, "show", "--case", case.ref))[
        case.housing_item]["redacted"] is True
    corrected = act.json(WONEN_USER, "case", "correct", "--item", str(case.housing_item),
                         "--body", "Huurachterstand van vier maanden", "--note",
                         "aantal maanden")
    new_item = corrected["item"]
    assert corrected == {"item": new_item, "replaces": case.housing_item,
                         "versions": [case.housing_item]}
    ggz_inbox = act.json(GGZ_USER, "inbox")
    assert [(n["case"], n["kind"], n["source"]) for n in ggz_inbox["notices"]] == [
        (case.ref, "item_corrected", WONEN)]
    for user in (RECLASS_USER, AGENT, WONEN_USER, CHAIR):
        assert act.json(user, "inbox")["notices"] == [], user
    # The current version is shown in place of the earlier one, still shared with GGZ.
    shown = items_of(act.json(GGZ_USER, "show", "--case", case.ref))
    assert shown[new_item] == "Huurachterstand van vier maanden"
    assert case.housing_item not in shown
    notice = ggz_inbox["notices"][0]["notice"]
    # Another party cannot acknowledge it; GGZ can, and then it is gone.
    _one_line_error(act(RECLASS_USER, "inbox", "--ack", str(notice)))
    assert act.json(GGZ_USER, "inbox", "--ack", str(notice)) == {
        "acknowledged": [notice], "notices": []}
    # Only the provider corrects its item: for anyone else it does not exist.
    _one_line_error(act(GGZ_USER, "case", "correct", "--item", str(new_item), "--body", "x",
                        "--note", "y"))


# --------------------------------------------------------------------------- invitations


def test_zvh_13_2_inviting_a_warned_party_needs_a_recorded_reason(act: Actor) -> None:
    """ZVH 13.2, 6.4d, 7.1: HALT is no recipient of the art. 20 Wpg decision; inviting it
    for a case with police data without ``--reason`` prints the warning and exits 4 with
    nothing written; with a reason it is invited, knows the case, and still sees no
    police data."""
    case = case_in_overleg(act)
    mid = str(case.meeting)
    warnings = act.json(CHAIR, "meeting", "warnings", "--meeting", mid, "--case", case.ref,
                        "--invite", HALT)["warnings"]
    assert {(w["party"], w["code"], w["needs_reason"]) for w in warnings} == {
        (HALT, "invite.police", True), (HALT, "invite.not_involved", False)}
    before = _snapshot(act.store)
    line = _one_line_error(act(CHAIR, "meeting", "agenda", "--meeting", mid, "--case",
                               case.ref, "--invite", HALT))
    assert "Halt" in line
    assert "art. 20 Wpg" in line
    assert "--reason" in _one_line_error(act(
        CHAIR, "meeting", "agenda", "--meeting", mid, "--case", case.ref, "--invite", HALT,
        "--reason", f"{GGZ}=niet uitgenodigd"))
    assert _snapshot(act.store) == before
    _one_line_error(act(HALT_USER, "show", "--case", case.ref))
    done = act.json(CHAIR, "meeting", "agenda", "--meeting", mid, "--case", case.ref,
                    "--invite", HALT, "--reason", f"{HALT}=Jeugdige betrokken bij de overlast")
    police = next(w for w in done["warnings"] if w["code"] == "invite.police")
    assert police["reason"] == "Jeugdige betrokken bij de overlast"
    halt_view = act.json(HALT_USER, "show", "--case", case.ref)
    assert case.police_item not in items_of(halt_view)
    assert POLICE_TEXT not in str(halt_view)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("command", "option"), [
    (("case", "new", "--registering-party", POLICE, "--opened-on", "2026-13-01"),
     "--opened-on"),
    (("case", "new", "--registering-party", POLICE, "--opened-on", "1-5-2026"), "--opened-on"),
    (("meeting", "new", "--at", "2099-05-01", "--place", "Stadhuis"), "--at"),
    (("meeting", "new", "--at", "2099-05-01T25:00", "--place", "Stadhuis"), "--at"),
    (("meeting", "new", "--at", "2099-05-01T09:00", "--place", " "), "--place"),
    (("plan", "action", "--case", "{ref}", "--text", "Huisbezoek", "--owner", GGZ,
      "--due", "morgen"), "--due"),
    (("plan", "action", "--case", "{ref}", "--text", "Huisbezoek"), "--owner"),
    (("plan", "goal", "--case", "{ref}", "--status", "reached"), "--status"),
    (("plan", "progress", "--case", "{ref}", "--text", "x", "--on", "2026/05/01"), "--on"),
    (("plan", "set", "--case", "{ref}"), "--problem"),
    (("case", "informed", "--case", "{ref}", "--person", "B1", "--status", "informed",
      "--on", "gisteren"), "--on"),
    (("case", "informed", "--case", "{ref}", "--person", "B1", "--status", "not_informed",
      "--reason", "Gevaar", "--review-on", "2099-02-30"), "--review-on"),
    (("case", "close", "--case", "{ref}", "--reason", "r", "--basis", "b", "--closed-on",
      "x"), "--closed-on"),
    (("case", "item", "--case", "{ref}", "--category", "housing", "--body", "  ",
      "--basis", BASIS), "--body"),
    (("case", "item", "--case", "{ref}", "--category", "housing", "--body", "x",
      "--basis", BASIS, "--structured", "straat"), "--structured"),
    (("meeting", "decide", "--case", "{ref}", "--text", "x", "--on", "01-01-2026"), "--on"),
    (("meeting", "agenda", "--meeting", "{mid}", "--case", "{ref}", "--invite", " , "),
     "--invite"),
    (("meeting", "agenda", "--meeting", "{mid}", "--case", "{ref}", "--invite", HALT,
      "--reason", "halt"), "--reason"),
    (("meeting", "attend", "--meeting", "{mid}"), "--present"),
    (("meeting", "attend", "--meeting", "{mid}", "--present", GGZ, "--absent", GGZ),
     "--absent"),
    (("meeting", "close", "--meeting", "0"), "--meeting"),
    (("inbox", "--ack", "-1"), "--ack"),
])
def test_bad_dates_and_fields_exit_4_naming_the_option_and_write_nothing(
        act: Actor, command: tuple[str, ...], option: str) -> None:
    """Bad input is one translated line naming the option (exit 4), no traceback, and not
    a single row changes."""
    ref = act.json(CHAIR, "case", "new", "--registering-party", POLICE)["reference"]
    act.json(CHAIR, "case", "person", "--case", ref, "--category", "cat-i")
    mid = act.json(CHAIR, "meeting", "new", "--at", meeting_time(), "--place", "Zaal")[
        "meeting"]
    before = _snapshot(act.store)
    words = [w.format(ref=ref, mid=mid) for w in command]
    user = AGENT if words[0] == "inbox" else CHAIR
    assert option in _one_line_error(act(user, *words))
    assert _snapshot(act.store) == before


@pytest.mark.parametrize(("command", "message"), [
    (("case", "person", "--case", "{ref}", "--category", "cat-x"),
     "Unknown category of person concerned."),
    (("case", "item", "--case", "{ref}", "--category", "nonsense", "--body", "x",
      "--basis", BASIS), "Unknown data category."),
    (("case", "regisseur", "--case", "{ref}", "--party", "no-such-party"),
     "This party is not part of the covenant."),
    (("meeting", "attend", "--meeting", "{mid}", "--present", f"{GGZ},no-such-party"),
     "This party is not part of the covenant."),
    (("case", "informed", "--case", "{ref}", "--person", "B1", "--status", "not_informed"),
     "Not informing needs a written motivation and a review date."),
    (("case", "new", "--registering-party", POLICE, "--follows", "{ref}"),
     "A new melding is linked only to a closed case."),
])
def test_bad_values_are_refused_by_the_services_with_one_line(
        act: Actor, command: tuple[str, ...], message: str) -> None:
    """What only the store can judge (profile ids, the information duty's motivation,
    ZVH 16.6; linking a melding, ZVH 11.6) is refused by the service: exit 4, its one
    line, nothing written; ``meeting attend`` checks every party before the first write."""
    ref = act.json(CHAIR, "case", "new", "--registering-party", POLICE)["reference"]
    act.json(CHAIR, "case", "person", "--case", ref, "--category", "cat-i")
    mid = act.json(CHAIR, "meeting", "new", "--at", meeting_time(), "--place", "Zaal")[
        "meeting"]
    before = _snapshot(act.store)
    line = _one_line_error(act(CHAIR, *[w.format(ref=ref, mid=mid) for w in command]))
    assert line == f"casustafel: {message}"
    assert _snapshot(act.store) == before


@pytest.mark.parametrize("command", [
    ("plan", "goal", "--case", "{ref}", "--id", "999", "--status", "reached"),
    ("plan", "action", "--case", "{ref}", "--id", "999", "--status", "done"),
    ("plan", "progress", "--case", "{ref}", "--action", "999", "--text", "x"),
    ("plan", "action", "--case", "{ref}", "--text", "x", "--owner", GGZ, "--goal", "999"),
    ("meeting", "left-room", "--meeting", "{mid}", "--case", "{ref}", "--party", "nobody"),
])
def test_unknown_ids_and_parties_are_refused_with_exit_4(
        act: Actor, command: tuple[str, ...]) -> None:
    """A goal, action or party that does not exist (in this case) is bad input: exit 4,
    one line, nothing written (the status changes once succeeded without changing
    anything, and an unknown id ended in an internal error on a foreign key)."""
    ref = act.json(CHAIR, "case", "new", "--registering-party", POLICE)["reference"]
    mid = act.json(CHAIR, "meeting", "new", "--at", meeting_time(), "--place", "Zaal")[
        "meeting"]
    act.json(CHAIR, "meeting", "agenda", "--meeting", str(mid), "--case", ref, "--invite",
             POLICE)
    before = _snapshot(act.store)
    _one_line_error(act(CHAIR, *[w.format(ref=ref, mid=mid) for w in command]))
    assert _snapshot(act.store) == before


# --------------------------------------------------------------------------- --json


def test_each_subcommand_prints_its_object_and_state_as_json(act: Actor) -> None:
    """Every new subcommand's ``--json`` is the id and state of what it made or changed."""
    case = case_in_overleg(act)
    ref, mid = case.ref, case.meeting
    assert act.json(CHAIR, "case", "person", "--case", ref, "--category", "cat-ii",
                    "--label", "Moeder") == {"reference": ref, "person": "Moeder",
                                             "category": "cat-ii"}
    item = act.json(AGENT, "case", "item", "--case", ref, "--category", "police", "--body",
                    "Aanhouding in juni", "--basis", POLICE_BASIS, "--person", "B1",
                    "--provided-on", TODAY.isoformat())
    assert item == {"item": item["item"], "reference": ref, "category": "police",
                    "provider": POLICE, "person": "B1"}
    grant = act.json(AGENT, "case", "grant", "--case", ref, "--category", "police", "--to",
                     RECLASS, "--basis", POLICE_BASIS, "--necessity", NECESSITY,
                     "--meeting", str(mid))
    assert grant == {"grant": grant["grant"], "reference": ref, "provider": POLICE,
                     "recipient": RECLASS, "item": None, "category": "police",
                     "phase": None, "meeting": mid, "take_away": False, "revoked": False}
    assert act.json(AGENT, "case", "revoke", "--grant", str(grant["grant"])) == {
        "grant": grant["grant"], "revoked": True}
    informed = act.json(CHAIR, "case", "informed", "--case", ref, "--person", "B1",
                        "--status", "not_informed", "--reason", "Zou de aanpak schaden",
                        "--review-on", "2099-03-01", "--review-interval", "90")
    assert informed == {"reference": ref, "person": "B1", "informed_status": "not_informed",
                        "informed_on": None, "review_on": "2099-03-01"}
    assert act.json(CHAIR, "case", "regisseur", "--case", ref, "--party", GGZ) == {
        "reference": ref, "casusregisseur_party": GGZ, "casusregisseur": None}
    assert act.json(CHAIR, "meeting", "left-room", "--meeting", str(mid), "--case", ref,
                    "--party", RECLASS) == {"meeting": mid, "reference": ref,
                                            "party": RECLASS, "left_room": True}
    assert act.json(CHAIR, "meeting", "left-room", "--meeting", str(mid), "--case", ref,
                    "--party", RECLASS, "--returned")["left_room"] is False
    goal = act.json(CHAIR, "plan", "goal", "--case", ref, "--text", "Schuldhulp gestart")
    assert goal == {"goal": goal["goal"], "reference": ref, "status": "open"}
    assert act.json(CHAIR, "plan", "goal", "--case", ref, "--id", str(goal["goal"]),
                    "--status", "reached") == {"goal": goal["goal"], "reference": ref,
                                               "status": "reached"}
    action = act.json(CHAIR, "plan", "action", "--case", ref, "--text", "Budgetcoach",
                      "--owner", WONEN)
    assert action == {"action": action["action"], "reference": ref, "status": "open",
                      "owner": WONEN, "due_on": None, "goal": None, "meeting": None,
                      "addendum": False}
    assert act.json(CHAIR, "plan", "action", "--case", ref, "--id", str(action["action"]),
                    "--status", "cancelled") == {"action": action["action"],
                                                 "reference": ref, "status": "cancelled"}
    progress = act.json(CHAIR, "plan", "progress", "--case", ref, "--text", "Gestart",
                        "--on", TODAY.isoformat())
    assert progress == {"progress": progress["progress"], "reference": ref, "action": None,
                        "entry_on": TODAY.isoformat()}
    assert act.json(CHAIR, "plan", "set", "--case", ref, "--goal", " Rust ") == {
        "reference": ref, "plan": {"goal": "Rust"}}
    act.json(CHAIR, "meeting", "attend", "--meeting", str(mid), "--present", ",".join(INVITED))
    note = act.json(CHAIR, "meeting", "note", "--meeting", str(mid), "--case", ref, "--text",
                    "Besproken")
    assert note == {"note": note["note"], "reference": ref, "meeting": mid, "addendum": False}
    decision = act.json(CHAIR, "meeting", "decide", "--meeting", str(mid), "--case", ref,
                        "--text", "Doorgaan", "--on", TODAY.isoformat())
    assert decision == {"decision": decision["decision"], "reference": ref, "meeting": mid,
                        "decided_on": TODAY.isoformat(), "addendum": False}
    new = act.json(CHAIR, "meeting", "new", "--at", "2099-05-01 14:30", "--place", " Zaal 2 ")
    assert new == {"meeting": new["meeting"], "starts_at": "2099-05-01T14:30",
                   "place": "Zaal 2", "chair": CHAIR, "notulist": None, "status": "planned"}
    assert act.json(AGENT, "inbox") == {"acknowledged": [], "notices": []}
    grown = act.json(GGZ_USER, "show", "--case", ref)
    assert [p["label"] for p in grown["persons"]] == ["B1", "Moeder"]
    assert [(g["text"], g["status"]) for g in grown["goals"]] == [
        ("Schuldhulp gestart", "reached")]


def test_plain_output_is_one_translated_line(act: Actor) -> None:
    """Without ``--json`` a write prints one line (scripts can rely on the exit code)."""
    made = ok(act(CHAIR, "case", "new", "--registering-party", POLICE, "--reference",
                  "ZVH-TEST-1"))
    assert made.out == "Case ZVH-TEST-1 registered; you direct it.\n"
    assert ok(act(CHAIR, "case", "next", "--case", "ZVH-TEST-1")).out == (
        "Next phases for ZVH-TEST-1: Triage.\n")
    assert ok(act(CHAIR, "case", "phase", "--case", "ZVH-TEST-1", "--to", "triage")).out == (
        "ZVH-TEST-1 is now in phase Triage.\n")
    assert ok(act(AGENT, "inbox")).out == "No notices.\n"


def test_a_user_with_the_administrators_passphrase_must_choose_their_own_first(
        act: Actor) -> None:
    """Issue 9: a procesregisseur just added by the administrator can do no casework until
    they chose their own passphrase (exit 4, the line says how)."""
    ok(act(ADMIN, "users", "add", "--username", "nieuw", "--name", "Nieuw", "--role",
           "procesregisseur", "--party", "gemeente-rotterdam", "--new-passphrase-file",
           act.pw.first))
    line = _one_line_error(act.cli("case", "new", act.store, "--user", "nieuw",
                                   "--passphrase-file", act.pw.first, "--registering-party",
                                   POLICE))
    assert "own passphrase" in line
