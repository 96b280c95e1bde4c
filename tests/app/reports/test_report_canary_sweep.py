"""A canary sweep over every report kind, the case lists and the meeting lists (issue 14,
"Done when": no HIDDEN canary and no party name that only a hidden item put there).

The demo store is built with ``canary=True``: every item body ends with a unique marker
``CANARY-<ref>-<key>``.  For every report kind (plan, voortgang, afsluiting per case; the
notulen per meeting, by its chair and by its minute taker; the agenda per meeting for each
invited party, covering only the cases that party is invited for), for every party a
report may go to, and for the table version, the report is generated in memory as the
app does it (``generate_report``) and its PDF text is searched:

(a) no marker of an item that is not FULL for the recipient appears: the expected level
    is computed independently, straight from ``app.policy.engine.decide`` for the acting
    user and every receiving party (the strictest over the table for table versions), on
    facts from ``load_facts``;
(b) no party is named whose only connection to a case in the document is an item that
    every receiving party may not see (HIDDEN).  "Connected only by items" is computed
    from the store in SQL: the items' source parties minus the registering party, the
    parties invited at any meeting, the action owners, the casusregisseur's party and the
    procesregisseur's party; the names come from the covenant profile (both languages).

The same two checks run over what every demo user gets in lists: the case list (both
services), the meeting list, every meeting dashboard they may open (and the chair's table
and "view as" dashboards), and the case views they may open.  Reports are also refused to
every user whose role does not make them.

Violations are collected over the whole sweep and reported together, so one run names
every leak.  Every user has a private copy of the store with a session held open for the
module; the clock stands still at noon of the demo's day.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from app import clock
from app.domain.records import AgendaEntry, Case, Item, Meeting
from app.domain.roles import Role
from app.errors import CasusError
from app.policy import access
from app.policy.engine import CaseFacts, Level, PolicyContext, Viewer, combine, decide
from app.policy.facts import load_facts
from app.profiles import Profile, load_profile
from app.services import caselist, cases, meetings
from app.services.redaction import strictest_incident_classes
from app.services.reports import generate_report
from app.services.session import Session
from app.store import repo
from app.views import PartyRef, ReportKind, ReportRequest, ViewSpec, kinds_for
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStores
from tests.plaintext import open_items

ZVH = "zvh-rotterdam-rijnmond"
TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC)
SPEC = DemoSpec(ZVH, cases=12, seed=3, today=TODAY, canary=True, agenda_size=8)
DEMO = SPEC.generate()
ADMIN = "beheer"
USERS: dict[str, tuple[Role, str]] = {u: (Role(r), p) for u, _n, r, p in DEMO.users}
USERNAMES = [ADMIN, *sorted(USERS)]
CANARY = re.compile(r"CANARY-[A-Z]+-\d+-I\d+")
CASE_KINDS = kinds_for(on_case=True)
LANG = "nl"


# --------------------------------------------------------------------------- the truth

@dataclass(frozen=True)
class Truth:
    """What the store holds, read once (reports and lists change none of it)."""

    profile: Profile
    cases: dict[int, Case]
    facts: dict[int, CaseFacts]
    items: dict[int, list[Item]]
    marker: dict[int, str]
    item_only: dict[int, frozenset[str]]
    meetings: dict[int, Meeting]
    attendees: dict[int, frozenset[str]]
    present: dict[int, frozenset[str]]
    agenda: dict[int, list[AgendaEntry]]
    user_party: dict[str, str]

    def ref(self, case_id: int) -> str:
        return self.cases[case_id].reference

    def meetings_of(self, case_id: int) -> list[int]:
        return [m for m, entries in self.agenda.items()
                if any(e.case_id == case_id for e in entries)]

    def entry(self, meeting_id: int, case_id: int) -> AgendaEntry:
        return next(e for e in self.agenda[meeting_id] if e.case_id == case_id)


def item_only_parties(session: Session) -> dict[int, frozenset[str]]:
    """Per case: the parties connected to it only through items they provided (SQL, not
    ``load_facts``: the reference must not share the code under test)."""
    conn = session.store.conn
    sources: dict[int, set[str]] = {}
    for case_id, party in conn.execute("SELECT DISTINCT case_id, source_party FROM items"):
        sources.setdefault(int(case_id), set()).add(str(party))
    declared: dict[int, set[str]] = {}
    for sql in (
        "SELECT id, registering_party FROM cases",
        "SELECT id, casusregisseur_party FROM cases WHERE casusregisseur_party IS NOT NULL",
        "SELECT c.id, u.party_id FROM cases c JOIN users u ON u.username = c.procesregisseur",
        "SELECT DISTINCT case_id, party_id FROM invitations WHERE invited",
        "SELECT DISTINCT case_id, owner_party FROM actions",
    ):
        for case_id, party in conn.execute(sql):
            declared.setdefault(int(case_id), set()).add(str(party))
    return {cid: frozenset(parties - declared.get(cid, set()))
            for cid, parties in sources.items()}


def load_truth(folder: Path) -> Truth:
    session = Session.open(folder, ADMIN, PASSPHRASE, kdf=TEST_KDF)
    try:
        conn = session.store.conn
        case_list = repo.cases(conn)
        items = open_items(folder, conn, repo.items_by_case(conn, None))
        marker: dict[int, str] = {}
        for group in items.values():
            for item in group:
                if not item.body:
                    # Nobody holds its key: no view can show it (a name found nowhere).
                    marker[item.id] = f"UNREADABLE-{item.id}"
                    continue
                found = CANARY.findall(item.body)
                assert len(found) == 1, "every demo item carries exactly one marker"
                marker[item.id] = found[0]
        all_meetings = {m.id: m for m in repo.meetings(conn)}
        attendees = {m: repo.attendees(conn, m) for m in all_meetings}
        return Truth(
            profile=load_profile(session.profile_id),
            cases={c.id: c for c in case_list},
            facts=load_facts(conn, case_list),
            items=items,
            marker=marker,
            item_only=item_only_parties(session),
            meetings=all_meetings,
            attendees={m: frozenset(a.party_id for a in rows) for m, rows in attendees.items()},
            present={m: frozenset(a.party_id for a in rows if a.present)
                     for m, rows in attendees.items()},
            agenda={m: repo.agenda(conn, m) for m in all_meetings},
            user_party=dict(conn.execute("SELECT username, party_id FROM users")),
        )
    finally:
        session.close(backup=False)


@pytest.fixture(scope="module")
def truth(demo_stores: DemoStores, tmp_path_factory: pytest.TempPathFactory) -> Truth:
    found = load_truth(demo_stores.copy(SPEC, tmp_path_factory.mktemp("truth") / "store"))
    assert any(found.item_only.values()), "the demo has parties known only by items"
    return found


@pytest.fixture(scope="module")
def sessions(demo_stores: DemoStores, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[dict[str, Session]]:
    """One open session per demo user (and the administrator), each on its own copy."""
    base = tmp_path_factory.mktemp("users")
    opened: dict[str, Session] = {}
    try:
        for username in USERNAMES:
            folder = demo_stores.copy(SPEC, base / username)
            opened[username] = Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)
        yield opened
    finally:
        for session in opened.values():
            session.close(backup=False)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


# --------------------------------------------------------------------------- the reference

Viewers = tuple[Viewer, ...]


def actor(truth: Truth, username: str) -> Viewer:
    if username == ADMIN:
        return Viewer(truth.user_party[ADMIN], Role.BEHEERDER, ADMIN)
    role, party = USERS[username]
    return Viewer(party, role, username)


def parties_as_viewers(parties: Iterable[str]) -> Viewers:
    return tuple(Viewer.party(p) for p in sorted(set(parties)))


@functools.cache
def _ctx(profile_id: str, meeting_id: int | None) -> PolicyContext:
    return PolicyContext(load_profile(profile_id), TODAY, meeting_id,
                         strictest_incident_classes())


def levels(truth: Truth, case_id: int, viewers: Viewers, meeting_id: int | None
           ) -> dict[int, Level]:
    """Item id -> the strictest level over ``viewers``, straight from the engine."""
    ctx = _ctx(truth.profile.id, meeting_id)
    facts = truth.facts[case_id]
    return {item.id: combine(decide(v, item, facts, ctx) for v in viewers).level
            for item in truth.items.get(case_id, [])}


def full_markers(truth: Truth, case_id: int, viewers: Viewers, meeting_id: int | None
                 ) -> set[str]:
    return {truth.marker[i] for i, level in levels(truth, case_id, viewers,
                                                   meeting_id).items()
            if level is Level.FULL}


def forbidden_parties(truth: Truth, case_id: int, viewers: Viewers,
                      meeting_id: int | None) -> set[str]:
    """Parties connected to the case only by items, none of which ``viewers`` may see:
    each of those items is HIDDEN for at least one of them."""
    hidden = levels(truth, case_id, viewers, meeting_id)
    out = set()
    for party in truth.item_only.get(case_id, frozenset()):
        own = [i.id for i in truth.items[case_id] if i.source_party == party]
        if own and all(hidden[i] is Level.HIDDEN for i in own):
            out.add(party)
    return out


def named_legitimately(truth: Truth, case_id: int, viewers: Viewers,
                       meeting_id: int | None) -> set[str]:
    """Parties a view of the case may name: those involved other than by items, and the
    providers of the items that are not HIDDEN for ``viewers``."""
    facts = truth.facts[case_id]
    seen = levels(truth, case_id, viewers, meeting_id)
    providers = {i.source_party for i in truth.items.get(case_id, [])
                 if seen[i.id] is not Level.HIDDEN}
    return set(facts.involved - truth.item_only.get(case_id, frozenset())) | providers


def context_for(truth: Truth, username: str, meeting_id: int | None) -> int | None:
    """The meeting whose grants count for this user looking at it: only for those at the
    meeting (ZVH 13.2), decided by the access rules, not by the services."""
    if meeting_id is None:
        return None
    m = truth.meetings[meeting_id]
    facts = access.MeetingFacts(m.id, m.chair, m.notulist, truth.attendees[m.id],
                                truth.present[m.id])
    permit = access.allowed(actor(truth, username), access.Action.MEETING_CONTEXT, facts)
    return meeting_id if permit.allowed else None


# --------------------------------------------------------------------------- text search

def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pattern(name: str) -> re.Pattern[str]:
    """A name as a pattern that survives line breaks in the PDF text."""
    return re.compile(r"\s*".join(re.escape(token) for token in name.split()))


def names_of(profile: Profile, party: str) -> set[str]:
    if not profile.has_party(party):
        return {party}
    name = profile.party(party).name
    return {name.nl, name.en}


def unexplained_mentions(text: str, forbidden: Iterable[str], legit: Iterable[str],
                         profile: Profile) -> dict[str, list[str]]:
    """Forbidden parties whose name occurs in ``text`` other than inside a name that may
    occur (e.g. "Gemeente Rotterdam" inside "Gemeente Rotterdam, Directie Veiligheid")."""
    legit_names = {n for p in legit for n in names_of(profile, p)}
    legit_names |= {profile.name.nl, profile.name.en}
    found: dict[str, list[str]] = {}
    for party in sorted(forbidden):
        for name in sorted(names_of(profile, party)):
            pattern = _pattern(name)
            covering = [(m.start(), m.end()) for outer in legit_names
                        if outer != name and pattern.search(outer)
                        for m in _pattern(outer).finditer(text)]
            for match in pattern.finditer(text):
                if not any(s <= match.start() and match.end() <= e for s, e in covering):
                    start = max(0, match.start() - 60)
                    found.setdefault(party, []).append(text[start:match.end() + 30])
    return found


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF (pdfium, a runtime dependency: an order of magnitude faster than
    pypdf here; ``test_pdfium_reads_what_pypdf_reads`` checks they agree)."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_bounded() for i in range(len(document))]
    finally:
        document.close()
    return "\n".join(pages)


def plain(value: Any) -> Any:
    """A view as nested plain data: every field of every dataclass and named tuple."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: plain(getattr(value, name)) for name in value._fields}
    if isinstance(value, (frozenset, set)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime, Path)):
        return str(value)
    return value


def dump(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, default=str)


def party_refs(value: Any) -> set[str]:
    """The ids of every party a view names (every PartyRef in it, placeholders included)."""
    if isinstance(value, PartyRef):
        return {value.id}
    out: set[str] = set()
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            out |= party_refs(getattr(value, f.name))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            out |= party_refs(v)
    elif isinstance(value, dict):
        for v in value.values():
            out |= party_refs(v)
    return out


# --------------------------------------------------------------------------- report jobs

@dataclass(frozen=True)
class Job:
    """One report: who makes it, the request, who receives it, in which meeting's
    context its decisions are taken, and the cases it covers."""

    username: str
    request: ReportRequest
    recipients: frozenset[str]
    meeting_id: int | None
    case_ids: tuple[int, ...]

    def label(self) -> str:
        r = self.request
        target = r.case_ref or f"meeting {r.meeting_id}"
        whom = "table" if r.table else r.recipient
        at = f" @meeting {r.meeting_id}" if r.case_ref and r.meeting_id else ""
        return f"{r.kind} {target}{at} for {whom} by {self.username}"


def report_jobs(truth: Truth) -> list[Job]:
    """Every report kind for every recipient a report may go to, and the table."""
    jobs: list[Job] = []
    for case_id, case in sorted(truth.cases.items()):
        chair = case.procesregisseur
        assert chair is not None
        involved = sorted(truth.facts[case_id].involved)
        on_agenda = truth.meetings_of(case_id)
        latest = max(on_agenda, key=lambda m: (truth.meetings[m].starts_at, m), default=None)
        for kind in CASE_KINDS:
            base = ReportRequest(kind=kind.value, lang=LANG, case_ref=case.reference)
            jobs += [Job(chair, _with(base, recipient=party), frozenset({party}), None,
                         (case_id,)) for party in involved]
            jobs += [Job(chair, _with(base, recipient=party, meeting_id=mid),
                         frozenset({party}), mid, (case_id,))
                     for mid in on_agenda for party in sorted(set(involved) & truth.present[mid])]
            for mid in [None, *on_agenda]:
                bound = mid if mid is not None else latest
                at_table = (truth.present[bound] - truth.entry(bound, case_id).left_room
                            if bound is not None else frozenset(involved))
                if at_table:
                    jobs.append(Job(chair, _with(base, table=True, meeting_id=mid), at_table,
                                    bound, (case_id,)))
    for mid, meeting in sorted(truth.meetings.items()):
        base = ReportRequest(kind=ReportKind.MINUTES.value, lang=LANG, meeting_id=mid)
        covered = tuple(e.case_id for e in truth.agenda[mid])
        if meeting.chair is not None:
            jobs += [Job(meeting.chair, _with(base, recipient=party), frozenset({party}), mid,
                         covered) for party in sorted(truth.present[mid])]
        jobs += [Job(maker, _with(base, table=True), truth.present[mid], mid, covered)
                 for maker in (meeting.chair, meeting.notulist)
                 if maker is not None and truth.present[mid]]
        if meeting.notulist is not None:
            # The minute taker's version for a party: the cases it was invited for only.
            jobs += [Job(meeting.notulist, _with(base, recipient=party), frozenset({party}),
                         mid, invited_cases(truth, mid, party))
                     for party in sorted(truth.present[mid])]
        if meeting.chair is not None:
            agenda = ReportRequest(kind=ReportKind.AGENDA.value, lang=LANG, meeting_id=mid)
            invited = sorted({p for e in truth.agenda[mid] for p in e.invited})
            jobs += [Job(meeting.chair, _with(agenda, recipient=party), frozenset({party}),
                         mid, invited_cases(truth, mid, party)) for party in invited]
    return jobs


def invited_cases(truth: Truth, meeting_id: int, party: str) -> tuple[int, ...]:
    """The cases of the meeting ``party`` is invited for: all a document for that party
    about the meeting may show (ZVH 13.2)."""
    return tuple(e.case_id for e in truth.agenda[meeting_id] if party in e.invited)


def _with(request: ReportRequest, **changes: Any) -> ReportRequest:
    values = {f.name: getattr(request, f.name) for f in fields(request)}
    values.update(changes)
    return ReportRequest(**values)


@dataclass(frozen=True)
class Rendered:
    job: Job
    text: str
    pdf: bytes


@pytest.fixture(scope="module")
def rendered(truth: Truth, sessions: dict[str, Session]) -> list[Rendered]:
    """Every report of :func:`report_jobs`, generated as the app does (in memory)."""
    out = []
    with clock.frozen(NOW):
        for job in report_jobs(truth):
            result = generate_report(sessions[job.username], job.request, today=TODAY)
            out.append(Rendered(job, normalise(pdf_text(result.pdf)), result.pdf))
    return out


def _describe(truth: Truth, marker: str, meeting_id: int | None, viewers: Viewers) -> str:
    item_id = next(i for i, m in truth.marker.items() if m == marker)
    case_id = next(c for c, group in truth.items.items() if any(i.id == item_id
                                                                for i in group))
    item = next(i for i in truth.items[case_id] if i.id == item_id)
    level = levels(truth, case_id, viewers, meeting_id)[item_id]
    return (f"{marker} (item {item_id}, {item.source_party}/{item.category}, "
            f"{level.name} for {sorted(v.party_id for v in viewers)})")


# --------------------------------------------------------------------------- reports

def test_every_report_kind_shows_no_canary_the_recipient_may_not_see(
    truth: Truth, rendered: list[Rendered],
) -> None:
    """(a) For every kind, recipient and table version: every marker in the PDF belongs
    to an item FULL for the acting user and for every receiving party; so no HIDDEN and
    no MASKED item's marker appears (ZVH 3.5d, 13.2; OND 7.2)."""
    leaks: list[str] = []
    with_markers = 0
    kinds = set()
    for report in rendered:
        job = report.job
        kinds.add(job.request.kind)
        viewers = (actor(truth, job.username), *parties_as_viewers(job.recipients))
        allowed: set[str] = set()
        for case_id in job.case_ids:
            allowed |= full_markers(truth, case_id, viewers, job.meeting_id)
        found = set(CANARY.findall(report.text))
        with_markers += bool(found)
        leaks += [f"{job.label()}: {_describe(truth, m, job.meeting_id, viewers)}"
                  for m in sorted(found - allowed)]
    assert kinds == {k.value for k in ReportKind}
    assert with_markers > len(rendered) // 4, "the sweep is not vacuous"
    assert not leaks, f"{len(leaks)} canaries of items not FULL for the recipient:\n" + (
        "\n".join(leaks))


def test_no_report_names_a_party_known_only_by_hidden_items(
    truth: Truth, rendered: list[Rendered],
) -> None:
    """(b) A party whose only connection to the cases of a report is an item every
    receiving party may not see is not named in it: being a GGZ client, a victim or known
    to the police is itself sensitive (OND 7.2, ZVH 13.2)."""
    leaks: list[str] = []
    searched = 0
    for report in rendered:
        job = report.job
        recipients = parties_as_viewers(job.recipients)
        viewers = (actor(truth, job.username), *recipients)
        forbidden: set[str] = set()
        legit: set[str] = set(job.recipients)
        if job.request.kind == ReportKind.MINUTES:
            assert job.meeting_id is not None
            legit |= truth.attendees[job.meeting_id]
        for case_id in job.case_ids:
            forbidden |= forbidden_parties(truth, case_id, recipients, job.meeting_id)
            legit |= named_legitimately(truth, case_id, viewers, job.meeting_id)
        forbidden -= legit
        searched += len(forbidden)
        for party, contexts in unexplained_mentions(report.text, forbidden, legit,
                                                    truth.profile).items():
            leaks.append(f"{job.label()}: names {party}: …{contexts[0]}…")
    assert searched > 0, "the sweep is not vacuous"
    assert not leaks, f"{len(leaks)} reports name a party known only by hidden items:\n" + (
        "\n".join(leaks))


def test_pdfium_reads_what_pypdf_reads(rendered: list[Rendered]) -> None:
    """The sweep reads PDF text with pdfium; the other report tests use pypdf.  On the
    reports with markers both find the same markers."""
    sample = [r for r in rendered if CANARY.search(r.text)][:6]
    assert sample
    for report in sample:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf)).pages)
        assert set(CANARY.findall(text)) == set(CANARY.findall(report.text))


def test_reports_are_refused_to_every_other_user(truth: Truth,
                                                 sessions: dict[str, Session]) -> None:
    """Only the case's procesregisseur makes a case report, only the meeting's chair its
    agenda, and its chair or minute taker the notulen, for a party or the table (ZVH 9.6,
    13.2, 15.2): every other user of every role is refused and gets no document."""
    asked = 0
    for username, session in sessions.items():
        for case_id, case in sorted(truth.cases.items()):
            if username == case.procesregisseur:
                continue
            # Who may make a case report does not depend on its kind: one kind per case,
            # in turn, so every kind is asked of every user.
            kind = CASE_KINDS[case_id % len(CASE_KINDS)]
            for request in (
                ReportRequest(kind=kind.value, lang=LANG, case_ref=case.reference,
                              recipient=case.registering_party),
                ReportRequest(kind=kind.value, lang=LANG, case_ref=case.reference,
                              table=True),
            ):
                with pytest.raises(CasusError):
                    generate_report(session, request, today=TODAY)
                asked += 1
        for mid, meeting in sorted(truth.meetings.items()):
            party = min(truth.present[mid], default="gemeente-rotterdam")
            guest = min((p for e in truth.agenda[mid] for p in e.invited),
                        default="gemeente-rotterdam")
            if username != meeting.chair:
                with pytest.raises(CasusError):
                    generate_report(session, ReportRequest(
                        kind="agenda", lang=LANG, meeting_id=mid, recipient=guest),
                        today=TODAY)
                asked += 1
            if username not in {meeting.chair, meeting.notulist}:
                with pytest.raises(CasusError):
                    generate_report(session, ReportRequest(
                        kind="notulen", lang=LANG, meeting_id=mid, recipient=party),
                        today=TODAY)
                with pytest.raises(CasusError):
                    generate_report(session, ReportRequest(
                        kind="notulen", lang=LANG, meeting_id=mid, table=True), today=TODAY)
                asked += 2
    assert asked > 400


# --------------------------------------------------------------------------- lists

@dataclass(frozen=True)
class Look:
    """One thing a user saw: a label, the view object, the case it is about, the
    viewers whose rights bound it, the meeting context and parties it may name anyway."""

    label: str
    view: Any
    case_id: int
    viewers: Viewers
    meeting_id: int | None
    legit: frozenset[str] = frozenset()


def _case_id(truth: Truth, reference: str) -> int:
    return next(c for c, case in truth.cases.items() if case.reference == reference)


def lists_of(truth: Truth, username: str, session: Session) -> Iterator[Look]:
    """Every row, agenda entry and case view the user gets, one look per case."""
    me = (actor(truth, username),)
    for row in cases.list_cases(session, today=TODAY):
        yield Look(f"{username} case list", row, row.case_id, me, None)
    for row in caselist.rows_for_ids(session, caselist.visible_case_ids(session)):
        yield Look(f"{username} case list (paged)", row, row.case_id, me, None)
    listed = meetings.list_meetings(session)
    specs: list[tuple[str, ViewSpec | None, Viewers]] = [("", None, me)]
    for summary in listed:
        mid = summary.meeting_id
        if truth.meetings[mid].chair == username:
            specs_here = [("table", ViewSpec.table(truth.present[mid], mid),
                           me + parties_as_viewers(truth.present[mid]))]
            specs_here += [(f"as {p}", ViewSpec.as_party(p, mid), me + parties_as_viewers([p]))
                           for p in sorted(truth.present[mid])]
        else:
            specs_here = []
        for name, spec, viewers in [*specs, *specs_here]:
            try:
                view = meetings.meeting_view(session, mid, spec, today=TODAY)
            except CasusError:
                continue
            context = context_for(truth, username, mid)
            for entry in view.agenda:
                yield Look(f"{username} meeting {mid} {name}".rstrip(), entry,
                           entry.row.case_id, viewers, context, truth.attendees[mid])
    for case_id, case in sorted(truth.cases.items()):
        try:
            case_view = cases.show_case(session, case.reference, today=TODAY)
        except CasusError:
            continue
        yield Look(f"{username} case view", case_view, case_id, me, None)


@pytest.fixture(scope="module")
def looks(truth: Truth, sessions: dict[str, Session]) -> list[Look]:
    with clock.frozen(NOW):
        return [look for username, session in sessions.items()
                for look in lists_of(truth, username, session)]


def test_lists_and_meeting_views_show_no_canary_the_viewer_may_not_see(
    truth: Truth, looks: list[Look],
) -> None:
    """(a) on the case lists, the meeting dashboards (own, table, "view as") and the case
    views of every demo user: a marker shows only for an item FULL for the viewer in the
    meeting context the viewer may have (ZVH 13.2: only those at a meeting get its
    grants)."""
    leaks = []
    for look in looks:
        found = set(CANARY.findall(dump(look.view)))
        allowed = full_markers(truth, look.case_id, look.viewers, look.meeting_id)
        leaks += [f"{look.label} {truth.ref(look.case_id)}: "
                  f"{_describe(truth, marker, look.meeting_id, look.viewers)}"
                  for marker in sorted(found - allowed)]
    assert any(CANARY.search(dump(look.view)) for look in looks), "not vacuous"
    assert not leaks, f"{len(leaks)} canaries of items not FULL for the viewer:\n" + (
        "\n".join(leaks))


def test_lists_and_meeting_views_name_no_party_known_only_by_hidden_items(
    truth: Truth, looks: list[Look],
) -> None:
    """(b) on the same looks: no row, agenda entry or case view names a party whose only
    connection to the case is an item the viewer may not see (OND 7.2, ZVH 13.2); a
    meeting's attendees may be named on its agenda."""
    leaks = []
    searched = 0
    for look in looks:
        forbidden = forbidden_parties(truth, look.case_id, look.viewers, look.meeting_id)
        if look.meeting_id is not None:
            forbidden &= forbidden_parties(truth, look.case_id, look.viewers, None)
        forbidden -= look.legit
        forbidden -= {v.party_id for v in look.viewers}
        searched += len(forbidden)
        named = party_refs(look.view) & forbidden
        if named:
            leaks.append(f"{look.label} {truth.ref(look.case_id)}: names {sorted(named)}")
    assert searched > 0, "the sweep is not vacuous"
    assert not leaks, f"{len(leaks)} views name a party known only by hidden items:\n" + (
        "\n".join(leaks))
