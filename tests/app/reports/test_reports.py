"""Reports as redacted PDFs: plan van aanpak, voortgangsrapportage, afsluitrapportage, notulen.

Requirements (issue "Reports ..."): every report is made for one recipient and holds only
what that recipient may see, through the same redacted views as the screens; every page
carries the marking, the document id and "page X of Y"; each report is recorded in the
disclosure register, the report register and the audit trail; nothing is written but the
chosen file; cancelling writes and logs nothing.  The demo store puts a unique canary in
every item, so the text of each PDF can be checked against the views.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.cli import report_commands
from app.errors import AccessDeniedError, InputError
from app.i18n import LANGUAGES, format_date, language
from app.profiles import LocalText, load_profile
from app.reports.data import CaseReport, Recipient, ReportData
from app.reports.render import render_report
from app.services.cases import case_views
from app.services.reports import generate_report, save_report
from app.services.session import Session
from app.store import repo
from app.tasks import Cancelled, Progress
from app.views import (
    CaseView,
    ItemView,
    PartyRef,
    ReportRequest,
    ReportResult,
    ViewKind,
    ViewSpec,
)
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStores

TODAY = dt.date(2026, 11, 22)
SPEC = DemoSpec("zvh-rotterdam-rijnmond", cases=12, seed=3, today=TODAY, canary=True,
                agenda_size=8)
CANARY = re.compile(r"CANARY-[A-Z]+-\d+-I\d+")
MARKING = {"nl": "VERTROUWELIJK", "en": "CONFIDENTIAL"}
PAGE_LABEL = {"nl": "pagina {page} van {pages}", "en": "page {page} of {pages}"}
TITLES = {
    "nl": {"plan": "Plan van aanpak", "voortgang": "Voortgangsrapportage",
           "afsluiting": "Afsluitrapportage", "notulen": "Notulen"},
    "en": {"plan": "Action plan", "voortgang": "Progress report",
           "afsluiting": "Closing report", "notulen": "Minutes"},
}
CASE_KINDS = ("plan", "voortgang", "afsluiting")
STORE_FILES = {"casustafel.db", "casustafel.db-journal", "casustafel.db-wal",
               "casustafel.db-shm", "casustafel.lock", "audit.head"}


@dataclass(frozen=True)
class MeetingInfo:
    meeting_id: int
    chair: str
    notulist: str
    present: frozenset[str]
    agenda: tuple[tuple[str, frozenset[str]], ...]  # (case reference, parties that left)


@dataclass(frozen=True)
class Demo:
    folder: Path
    doc: dict[str, Any]
    all_canaries: frozenset[str]
    meetings: tuple[MeetingInfo, ...]


@pytest.fixture(scope="module")
def demo(demo_stores: DemoStores, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """One copy of the demo store for the whole module: its tests open it in turn."""
    folder = demo_stores.copy(SPEC, tmp_path_factory.mktemp("reports") / "store")
    data = demo_stores.pristine(SPEC).demo
    session = Session.open(folder, "beheer", PASSPHRASE, kdf=TEST_KDF)
    try:
        infos = tuple(meetings_of(session))
    finally:
        session.close(backup=False)
    found = set(CANARY.findall(json.dumps(data.doc, ensure_ascii=False)))
    assert found, "the demo has canaries"
    assert len(infos) >= 2
    return Demo(folder, data.doc, frozenset(found), infos)


@pytest.fixture
def open_as(demo: Demo) -> Iterator[Any]:
    opened: list[Session] = []

    def opener(username: str) -> Session:
        for previous in opened:  # one session holds the store at a time
            previous.close(backup=False)
        session = Session.open(demo.folder, username, PASSPHRASE, kdf=TEST_KDF)
        opened.append(session)
        return session

    yield opener
    for session in opened:
        session.close(backup=False)


def meetings_of(session: Session) -> list[MeetingInfo]:
    conn = session.store.conn
    out = []
    for meeting in repo.meetings(conn):
        entries = repo.agenda(conn, meeting.id)
        if not entries or meeting.chair is None or meeting.notulist is None:
            continue
        refs = {c.id: c.reference for c in repo.cases(conn, [e.case_id for e in entries])}
        present = frozenset(a.party_id for a in repo.attendees(conn, meeting.id) if a.present)
        out.append(MeetingInfo(meeting.id, meeting.chair, meeting.notulist, present,
                               tuple((refs[e.case_id], e.left_room) for e in entries)))
    return out


def pdf_pages(result: ReportResult) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(result.pdf)).pages]


def canaries(pages: list[str]) -> set[str]:
    return set(CANARY.findall("\n".join(pages)))


def full_canaries(items: Any) -> set[str]:
    return {c for item in items if not item.masked for c in CANARY.findall(item.value)}


def name_items(view: CaseView) -> list[ItemView]:
    """The items whose values are the persons' names in the view (PersonView.name)."""
    first: dict[str, ItemView] = {}
    for item in view.items:
        if item.field == "name" and item.person_label is not None:
            first.setdefault(item.person_label, item)
    labels = {p.label for p in view.persons}
    return [item for label, item in first.items() if label in labels]


def shows_content(view: CaseView) -> bool:
    return view.content_visible and not view.blocked_by


def expected(kind: str, view: CaseView, period: tuple[dt.date, dt.date] | None = None
             ) -> set[str]:
    """The FULL canaries a report of ``kind`` must show for this view."""
    if not shows_content(view):
        return set()
    names = full_canaries(name_items(view))
    if kind == "plan":
        return full_canaries(view.items)
    if kind == "voortgang":
        start, end = period or (view.opened_at, TODAY)
        return names | full_canaries(i for i in view.items if start <= i.provided_on <= end)
    return names


def view_of(session: Session, ref: str, spec: ViewSpec, *, copy: bool | None = None
            ) -> CaseView:
    """What a report for ``spec`` may show: a report for one party is its own copy, so only
    what the providers let it take away is FULL (ZVH 3.5d); ``copy=False`` for what the
    party sees at the table and on screen."""
    case = repo.case_by_reference(session.store.conn, ref)
    assert case is not None
    ((view, _shown),) = case_views(session, [case], spec, today=TODAY,
                                   copy=spec.kind is ViewKind.AS_PARTY if copy is None
                                   else copy)
    return view


def assert_pages(result: ReportResult, pages: list[str], lang: str) -> None:
    assert len(pages) == result.pages >= 1
    for number, text in enumerate(pages, start=1):
        assert MARKING[lang] in text
        assert result.document_id in text
        assert PAGE_LABEL[lang].format(page=number, pages=len(pages)) in text


def assert_only_visible(found: set[str], demo: Demo, allowed: set[str]) -> None:
    """No canary of a MASKED or HIDDEN item: everything shown is FULL for the viewer."""
    assert found <= allowed
    assert not (found & (demo.all_canaries - allowed))


# --------------------------------------------------------------------------- content


def shown(session: Session, **arguments: Any) -> tuple[set[str], ReportResult]:
    """Generate a Dutch report, check its pages; return its canaries and the result."""
    result = generate_report(session, ReportRequest(lang="nl", **arguments), today=TODAY)
    pages = pdf_pages(result)
    assert_pages(result, pages, "nl")
    return canaries(pages), result


def check_parties(session: Session, demo: Demo, info: MeetingInfo
                  ) -> tuple[dict[tuple[str, str], set[str]], int]:
    """Every kind for every present party; returns each party's FULL canaries per case."""
    own = {r: view_of(session, r, ViewSpec()) for r, _left in info.agenda}
    party_full: dict[tuple[str, str], set[str]] = {}
    shown_any = 0
    for party in sorted(info.present):
        spec = ViewSpec.as_party(party, info.meeting_id)
        notulen_expected: set[str] = set()
        for ref, _left in info.agenda:
            view = view_of(session, ref, spec)
            # The table never shows more than each party present sees at the table.
            party_full[(party, ref)] = full_canaries(
                view_of(session, ref, spec, copy=False).items)
            if party not in {p.id for p in own[ref].parties}:
                continue
            notulen_expected |= expected("notulen", view)
            for kind in CASE_KINDS:
                found, _result = shown(session, kind=kind, case_ref=ref,
                                       meeting_id=info.meeting_id, recipient=party)
                assert expected(kind, view) <= found, (kind, ref, party)
                assert_only_visible(found, demo, full_canaries(view.items))
                shown_any += bool(found)
        found, _result = shown(session, kind="notulen", meeting_id=info.meeting_id,
                               recipient=party)
        assert notulen_expected <= found
        assert_only_visible(found, demo, {c for (p, _r), s in party_full.items()
                                          if p == party for c in s})
    return party_full, shown_any


def check_table(session: Session, demo: Demo, info: MeetingInfo,
                party_full: dict[tuple[str, str], set[str]]) -> int:
    """The table versions; returns how many showed canaries."""
    # The notulen of the table go to every party present.
    table_spec = ViewSpec.table(info.present, info.meeting_id)
    table_views = {r: view_of(session, r, table_spec) for r, _left in info.agenda}
    found, _result = shown(session, kind="notulen", meeting_id=info.meeting_id, table=True)
    assert set().union(*(expected("notulen", v) for v in table_views.values())) <= found
    for party in info.present:
        assert found <= {c for (p, _r), s in party_full.items() if p == party for c in s}
    # A per-case report for the table goes to the parties at the table for that case:
    # present and not left the room.
    shown_any = 0
    for ref, left in info.agenda:
        at_table = info.present - left
        view = view_of(session, ref, ViewSpec.table(at_table, info.meeting_id))
        for kind in CASE_KINDS:
            found, result = shown(session, kind=kind, case_ref=ref,
                                  meeting_id=info.meeting_id, table=True)
            assert expected(kind, view) <= found
            assert_only_visible(found, demo, full_canaries(view.items))
            for party in at_table:
                assert found <= party_full[(party, ref)]
            row = session.store.conn.execute(
                "SELECT recipient FROM reports WHERE document_id = ?",
                (result.document_id,)).fetchone()
            assert row[0] == "table:" + ",".join(sorted(at_table))
            shown_any += bool(found)
    return shown_any


def test_every_recipient_sees_exactly_its_full_items(demo: Demo, open_as: Any) -> None:
    """Requirement: for every kind and every recipient of every demo meeting (each present
    party, and the table) the PDF shows every FULL canary of the recipient's view that the
    kind includes, and no canary of a MASKED or HIDDEN item; the table version shows
    nothing that a single party at the table may not see.  Every page carries the marking,
    the document id and "pagina X van Y"."""
    party_shown = table_shown = 0
    for info in demo.meetings:
        session = open_as(info.chair)
        party_full, count = check_parties(session, demo, info)
        party_shown += count
        table_shown += check_table(session, demo, info, party_full)
    assert party_shown, "the party sweep was not vacuous"
    assert table_shown, "the table sweep was not vacuous"


def test_masked_items_show_the_placeholder_of_the_screen(demo: Demo, open_as: Any) -> None:
    """Requirement: a MASKED item appears as the same explained placeholder as on screen
    (short line and reason with article), never with its content."""
    for info in demo.meetings:
        session = open_as(info.chair)
        for ref, _left in info.agenda:
            for party in sorted(info.present):
                view = view_of(session, ref, ViewSpec.as_party(party, info.meeting_id))
                masked = [i for i in view.items if i.masked]
                if not masked or not shows_content(view):
                    continue
                result = generate_report(session, ReportRequest(
                    kind="plan", case_ref=ref, meeting_id=info.meeting_id, recipient=party,
                    lang="en"), today=TODAY)
                text = re.sub(r"\s+", " ", " ".join(pdf_pages(result)))
                with language("en"):
                    first = masked[0].value
                    assert not isinstance(first, str)
                    short, why = first.short(), first.explanation()
                assert short in text
                assert f"Why: {why}" in text
                return
    pytest.fail("the demo has no masked item for a party")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["plan", "voortgang", "afsluiting", "notulen"])
def test_each_kind_in_dutch_and_english(demo: Demo, open_as: Any, kind: str,
                                        lang: str) -> None:
    """Requirement: every kind renders in Dutch and in English, independent of the UI
    language, with the translated marking, title and "page X of Y", and PDF metadata
    (title, language, author "Casustafel", subject) without personal data."""
    info = demo.meetings[0]
    session = open_as(info.chair)
    ref = info.agenda[0][0]
    party = next(p for p in sorted(info.present) if p not in info.agenda[0][1])
    target: dict[str, Any] = ({"meeting_id": info.meeting_id} if kind == "notulen"
                              else {"case_ref": ref})
    result = generate_report(session, ReportRequest(kind=kind, recipient=party, lang=lang,
                                                    **target), today=TODAY)
    pages = pdf_pages(result)
    assert_pages(result, pages, lang)
    assert TITLES[lang][kind] in pages[0]
    other = "en" if lang == "nl" else "nl"
    assert TITLES[other][kind] not in pages[0]
    reader = PdfReader(io.BytesIO(result.pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.author == "Casustafel"
    assert meta.title is not None
    assert TITLES[lang][kind] in meta.title
    assert meta.subject is not None
    assert MARKING[lang] in meta.subject
    assert not CANARY.search(f"{meta.title} {meta.subject} {meta.get('/Keywords')}")
    assert str(reader.trailer["/Root"]["/Lang"]).startswith(lang)
    assert not CANARY.search(result.filename_hint)


def test_voortgang_period_limits_the_new_information(demo: Demo, open_as: Any) -> None:
    """Requirement: the voortgangsrapportage covers a period from..to: information added in
    the period is shown; information from before it is not."""
    info = demo.meetings[0]
    session = open_as(info.chair)
    ref = info.agenda[0][0]
    view = view_of(session, ref, ViewSpec.as_party(sorted(info.present - info.agenda[0][1])[0],
                                                   info.meeting_id))
    days = sorted({i.provided_on for i in view.items if not i.masked})
    start, end = days[len(days) // 2], TODAY
    party = sorted(info.present - info.agenda[0][1])[0]
    result = generate_report(session, ReportRequest(
        kind="voortgang", case_ref=ref, recipient=party, meeting_id=info.meeting_id,
        date_from=start, date_to=end, lang="en"), today=TODAY)
    found = canaries(pdf_pages(result))
    assert expected("voortgang", view, (start, end)) <= found
    before = full_canaries(i for i in view.items if i.provided_on < start) - full_canaries(
        name_items(view))
    assert before
    assert not (found & before)


def test_closing_report_of_a_closed_case(demo: Demo, open_as: Any) -> None:
    """Requirement: the afsluitrapportage gives the date and basis of the closing decision;
    after closing, parties see no content of the case any more (ZVH 11.6)."""
    closed = [c for c in demo.doc["cases"] if c.get("closed_at")]
    assert closed
    case = closed[0]
    session = open_as(case["procesregisseur"])
    party = case["registering_party"]
    for lang in LANGUAGES:
        result = generate_report(session, ReportRequest(
            kind="afsluiting", case_ref=case["ref"], recipient=party, lang=lang), today=TODAY)
        text = " ".join(pdf_pages(result))
        assert case["close_basis"] in re.sub(r"\s+", " ", text)
        closed_on = dt.date.fromisoformat(case["closed_at"])
        with language(lang):
            assert format_date(closed_on) in text
        assert not canaries([text])


# --------------------------------------------------------------------------- registers


def test_report_is_recorded_in_disclosure_register_and_audit(demo: Demo, open_as: Any,
                                                             tmp_path: Path) -> None:
    """Requirement: each report writes one disclosure row per FULL item of another party
    and recipient (channel "report", with the document id), a row in ``reports`` whose
    sha256 is that of the saved file, and a "report.generate" audit entry."""
    info = demo.meetings[0]
    session = open_as(info.chair)
    ref, left = info.agenda[0]
    party = sorted(info.present - left)[0]
    conn = session.store.conn
    for table in (False, True):
        recipients = sorted(info.present - left) if table else [party]
        spec = (ViewSpec.table(recipients, info.meeting_id) if table
                else ViewSpec.as_party(party, info.meeting_id))
        view = view_of(session, ref, spec)
        full = [i for i in view.items if not i.masked] if shows_content(view) else []
        result = generate_report(session, ReportRequest(
            kind="plan", case_ref=ref, meeting_id=info.meeting_id, lang="nl",
            **({"table": True} if table else {"recipient": party})), today=TODAY)
        out = tmp_path / f"plan-{table}.pdf"
        save_report(result, out)
        assert out.read_bytes() == result.pdf
        rows = conn.execute(
            "SELECT item_id, provider_party, recipient_party, channel, username FROM"
            " disclosures WHERE document_id = ?", (result.document_id,)).fetchall()
        want = sorted((i.item_id, i.provider.id, r) for i in full for r in recipients
                      if r != i.provider.id)
        assert sorted((r[0], r[1], r[2]) for r in rows) == want
        assert {r[3] for r in rows} <= {"report"}
        assert {r[4] for r in rows} <= {info.chair}
        report = conn.execute(
            "SELECT kind, recipient, case_reference, meeting_id, language, sha256,"
            " categories, items, created_by, pages, audit_seq FROM reports"
            " WHERE document_id = ?", (result.document_id,)).fetchone()
        assert report is not None
        key = "table:" + ",".join(recipients) if table else party
        assert tuple(report[:5]) == ("plan", key, ref, info.meeting_id, "nl")
        assert report[5] == hashlib.sha256(out.read_bytes()).hexdigest() == result.sha256
        assert json.loads(report[6]) == sorted({i.category_id for i in full})
        assert report[7] == len(full)
        assert report[8] == info.chair
        assert report[9] == result.pages
        audit = conn.execute(
            "SELECT seq, name, object_type, attributes, trace_id FROM audit"
            " WHERE object_id = ?", (result.document_id,)).fetchall()
        assert len(audit) == 1
        seq, name, object_type, attributes, trace = audit[0]
        assert (name, object_type, seq) == ("report.generate", "report", report[10])
        attrs = json.loads(attributes)
        assert attrs["kind"] == "plan"
        assert attrs["recipient"] == key
        assert attrs["sha256"] == result.sha256
        assert attrs["items"] == len(full)
        assert attrs["categories"] == sorted({i.category_id for i in full})
        disclosed = conn.execute(
            "SELECT count(*) FROM audit WHERE name = 'disclosure' AND trace_id = ?",
            (trace,)).fetchone()[0]
        assert disclosed == len(want)
        assert not CANARY.search(attributes)


def test_no_file_but_the_chosen_one(demo: Demo, open_as: Any, sandbox: Path,
                                    tmp_path: Path) -> None:
    """Requirement: no plaintext outside the chosen file: rendering happens in memory; the
    only new file anywhere (sandbox state, config, cache, data and temp folders, the store
    folder, the output folder) is the chosen output path."""
    info = demo.meetings[0]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    roots = [sandbox, demo.folder, out_dir]

    def snapshot() -> dict[Path, tuple[int, int]]:
        files = {}
        for root in roots:
            for path in root.rglob("*"):
                if path.is_file() and not (path.parent == demo.folder
                                           and path.name in STORE_FILES):
                    stat = path.stat()
                    files[path] = (stat.st_size, stat.st_mtime_ns)
        return files

    session = open_as(info.chair)
    before = snapshot()
    chosen = out_dir / "plan.pdf"
    result = generate_report(session, ReportRequest(
        kind="plan", case_ref=info.agenda[0][0], table=True, lang="nl"), today=TODAY)
    for kind in CASE_KINDS:
        generate_report(session, ReportRequest(
            kind=kind, case_ref=info.agenda[0][0], table=True, lang="en"), today=TODAY)
    generate_report(session, ReportRequest(
        kind="notulen", meeting_id=info.meeting_id, table=True, lang="nl"), today=TODAY)
    save_report(result, chosen)
    after = snapshot()
    assert set(after) - set(before) == {chosen}
    assert {p for p in before if after.get(p) != before[p]} == set()
    assert chosen.stat().st_mode & 0o077 == 0


def test_cancel_writes_and_logs_nothing(demo: Demo, open_as: Any, tmp_path: Path) -> None:
    """Requirement: cancelling through Progress during rendering raises Cancelled; no file,
    no disclosure, report or audit row is written."""
    info = demo.meetings[0]
    session = open_as(info.chair)
    conn = session.store.conn
    counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("audit", "disclosures", "reports")]
    seen: list[float] = []

    def on_progress(fraction: float, text: str) -> None:
        assert text
        seen.append(fraction)
        if fraction > 0.1:
            progress.cancel()

    progress = Progress(on_progress)
    ref, left = info.agenda[0]
    party = sorted(info.present - left)[0]
    with pytest.raises(Cancelled):
        generate_report(session, ReportRequest(
            kind="plan", case_ref=ref, recipient=party, lang="nl"), progress=progress,
            today=TODAY)
    assert any(0.1 < f < 0.95 for f in seen), "cancelled while rendering"
    assert list(tmp_path.iterdir()) == []
    assert [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("audit", "disclosures", "reports")] == counts
    # Without cancelling, the same progress object reports up to the end.
    done: list[float] = []
    result = generate_report(session, ReportRequest(
        kind="plan", case_ref=ref, recipient=party, lang="nl"),
        progress=Progress(lambda f, _t: done.append(f)), today=TODAY)
    assert result.pages >= 1
    assert done == sorted(done)
    assert done[-1] >= 0.95


# --------------------------------------------------------------------------- rights


def test_who_may_generate_which_report(demo: Demo, open_as: Any) -> None:
    """Requirement: the case's procesregisseur makes any kind for parties involved or the
    table; the minute taker the notulen of their meeting, for the table and for a party
    present (ZVH 15.2), but not its agenda; other roles and other procesregisseurs get
    nothing (and no hint that a case exists)."""
    info = demo.meetings[0]
    ref = info.agenda[0][0]
    notulist = open_as(info.notulist)
    result = generate_report(notulist, ReportRequest(
        kind="notulen", meeting_id=info.meeting_id, table=True, lang="nl"), today=TODAY)
    assert result.pages >= 1
    result = generate_report(notulist, ReportRequest(
        kind="notulen", meeting_id=info.meeting_id, recipient=sorted(info.present)[0],
        lang="nl"), today=TODAY)
    assert result.pages >= 1
    with pytest.raises(AccessDeniedError):
        generate_report(notulist, ReportRequest(
            kind="agenda", meeting_id=info.meeting_id, recipient=sorted(info.present)[0],
            lang="nl"), today=TODAY)
    with pytest.raises(AccessDeniedError):
        generate_report(notulist, ReportRequest(
            kind="plan", case_ref=ref, table=True, lang="nl"), today=TODAY)
    other_meeting = next((m for m in demo.meetings if m.notulist != info.notulist), None)
    if other_meeting is not None:
        with pytest.raises(InputError) as error:
            generate_report(notulist, ReportRequest(
                kind="notulen", meeting_id=other_meeting.meeting_id, table=True,
                lang="nl"), today=TODAY)
        assert error.value.code == "meeting.unknown"
    participant = next(u for u in demo.doc["users"] if u["role"] == "deelnemer")
    with pytest.raises(AccessDeniedError):
        generate_report(open_as(participant["username"]), ReportRequest(
            kind="plan", case_ref=ref, recipient=participant["party"], lang="nl"), today=TODAY)
    other_pr = next(u["username"] for u in demo.doc["users"]
                    if u["role"] == "procesregisseur" and u["username"] != info.chair)
    other = open_as(other_pr)
    with pytest.raises(InputError) as error:
        generate_report(other, ReportRequest(
            kind="plan", case_ref=ref, table=True, lang="nl"), today=TODAY)
    assert error.value.code == "case.unknown"
    with pytest.raises(InputError) as error:
        generate_report(other, ReportRequest(
            kind="notulen", meeting_id=info.meeting_id, table=True, lang="nl"), today=TODAY)
    assert error.value.code == "meeting.unknown"


def test_table_notulen_of_minute_taker_match_the_chairs(demo: Demo, open_as: Any) -> None:
    """Requirement: the minute taker's table notulen (built from the minute taker's own
    rights, ZVH 15.2) show the same content as the chair's."""
    names = {u["username"]: u["name"] for u in demo.doc["users"]}
    for info in demo.meetings:
        texts = []
        for user in (info.chair, info.notulist):
            result = generate_report(open_as(user), ReportRequest(
                kind="notulen", meeting_id=info.meeting_id, table=True, lang="en"), today=TODAY)
            text = "\n".join(pdf_pages(result)).replace(result.document_id, "DOCUMENT")
            assert names[user] in text
            text = re.sub(r"(Prepared by\s*\n)[^\n]*", r"\1AUTHOR", text)
            texts.append(re.sub(r"\s+", "", text))  # the rotated watermark spaces vary
        assert texts[0] == texts[1]
        assert "Agendaitem1" in texts[0]


@pytest.mark.parametrize(("arguments", "code"), [
    ({"kind": "brief", "case_ref": "ZVH-0001", "table": True}, "report.kind"),
    ({"kind": "plan", "case_ref": "ZVH-0001"}, "report.recipient"),
    ({"kind": "plan", "case_ref": "ZVH-0001", "table": True, "recipient": "politie-rotterdam"},
     "report.recipient"),
    ({"kind": "plan", "table": True}, "report.case_required"),
    ({"kind": "notulen", "case_ref": "ZVH-0001", "table": True}, "report.meeting_required"),
    ({"kind": "plan", "case_ref": "ZVH-0001", "table": True, "date_from": TODAY},
     "report.period_unused"),
    ({"kind": "voortgang", "case_ref": "ZVH-0001", "table": True, "date_from": TODAY,
      "date_to": TODAY - dt.timedelta(days=1)}, "report.period"),
    ({"kind": "plan", "case_ref": "ZVH-0001", "table": True, "lang": "de"},
     "report.language"),
])
def test_invalid_arguments(demo: Demo, open_as: Any, arguments: dict[str, Any],
                           code: str) -> None:
    """Requirement: invalid kind, recipient, target, period or language give a clear
    InputError code and a message without personal data."""
    session = open_as(next(u["username"] for u in demo.doc["users"]
                           if u["role"] == "procesregisseur"))
    arguments = {"lang": "nl", **arguments}
    with pytest.raises(InputError) as error:
        generate_report(session, ReportRequest(**arguments), today=TODAY)
    assert error.value.code == code
    assert not CANARY.search(error.value.user_message())


def test_recipient_must_be_involved_or_present(demo: Demo, open_as: Any) -> None:
    """Requirement: the recipient is a party of the covenant, involved in the case (per-case
    reports) or present at the meeting (notulen)."""
    info = demo.meetings[0]
    session = open_as(info.chair)
    ref, _left = info.agenda[0]
    own = view_of(session, ref, ViewSpec())
    involved = {p.id for p in own.parties}
    outsider = next(p.id for p in load_profile("zvh-rotterdam-rijnmond").parties
                    if p.id not in involved and p.id not in info.present)
    cases_to_codes = [
        ({"kind": "plan", "case_ref": ref, "recipient": "no-such-party"}, "party.unknown"),
        ({"kind": "plan", "case_ref": ref, "recipient": outsider},
         "report.recipient_not_involved"),
        ({"kind": "notulen", "meeting_id": info.meeting_id, "recipient": outsider},
         "report.recipient_absent"),
        ({"kind": "notulen", "meeting_id": 99999, "table": True}, "meeting.unknown"),
        ({"kind": "plan", "case_ref": "ZVH-9999", "table": True}, "case.unknown"),
    ]
    for arguments, code in cases_to_codes:
        with pytest.raises(InputError) as error:
            generate_report(session, ReportRequest(lang="nl", **arguments), today=TODAY)
        assert error.value.code == code


# --------------------------------------------------------------------------- fonts, CLI


def test_unicode_names_and_euro_render_with_the_embedded_font() -> None:
    """Requirement: an embedded Unicode TTF: names like Çelik, Nguyễn, Wójcik, Ørsted and
    the euro sign render and extract."""
    words = "Çelik Nguyễn Wójcik Ørsted €"
    party = PartyRef("politie-rotterdam", LocalText("Politie", "Police"))
    view = CaseView(
        case_id=1, reference="ZVH-0001", phase=LocalText("Casusoverleg", "Case meeting"),
        phase_id="casusoverleg", registering_party=party, procesregisseur="A. Çelik",
        casusregisseur=None, casusregisseur_party=None, themes=(), opened_at=TODAY,
        closed_at=None, viewer="as:politie-rotterdam", content_visible=True,
        goal=f"Schuld van {words} 1.250 aflossen", parties=(party,),
    )
    data = ReportData(kind="plan", lang="nl", document_id="CT-TEST-0000-0001",
                      covenant=LocalText("Convenant", "Covenant"),
                      recipient=Recipient((party,), table=False), today=TODAY,
                      author="Wójcik", case=CaseReport(view))
    rendered = render_report(data)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    for word in words.split():
        assert word in text
    assert b"/FontFile2" in rendered.pdf  # the TTF is embedded (subset)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casustafel")
    sub = parser.add_subparsers(dest="command")

    def store_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("store", type=Path)

    def user_args(p: argparse.ArgumentParser) -> None:
        store_arg(p)
        p.add_argument("--user", required=True)
        p.add_argument("--passphrase-file", type=Path)

    report_commands.register(sub, user_args, store_arg)
    return parser


def test_cli_report_command(demo: Demo, open_as: Any, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    """Requirement: ``casustafel report STORE --user U --kind ... (--case | --meeting)
    (--recipient | --table) [--from --to] [--lang] --out FILE.pdf`` writes the PDF."""
    info = demo.meetings[0]
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "voortgang.pdf"
    args = _parser().parse_args([
        "report", str(demo.folder), "--user", info.chair, "--passphrase-file", str(secret),
        "--kind", "voortgang", "--case", info.agenda[0][0], "--table",
        "--from", "2026-01-01", "--to", "2026-11-22", "--lang", "en", "--out", str(out)])
    assert args.handler(args, TEST_KDF) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "page 1 of" in PdfReader(out).pages[0].extract_text()
    assert out.name in capsys.readouterr().out
    args = _parser().parse_args([
        "report", str(demo.folder), "--user", info.chair, "--passphrase-file", str(secret),
        "--kind", "notulen", "--meeting", str(info.meeting_id), "--table",
        "--out", str(tmp_path / "n.pdf")])
    assert args.handler(args, TEST_KDF) == 0
    args = _parser().parse_args([
        "report", str(demo.folder), "--user", info.chair, "--passphrase-file", str(secret),
        "--kind", "voortgang", "--case", info.agenda[0][0], "--table", "--from", "22-11-2026",
        "--out", str(tmp_path / "x.pdf")])
    with pytest.raises(InputError) as error:
        args.handler(args, TEST_KDF)
    assert error.value.code == "report.date"
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(SystemExit):
        _parser().parse_args(["report", str(demo.folder), "--user", "x", "--kind", "plan",
                              "--case", "A", "--meeting", "1", "--table", "--out", "o.pdf"])
