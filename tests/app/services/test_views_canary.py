"""No content leaks from redacted views: canary properties over a synthetic demo store.

A demo store is built once per module with ``generate_demo(..., canary=True)``: every item
body (names included) and every street of a structured address ends with a unique marker
``CANARY-<ref>-<key>``.  Hypothesis then draws looks at it: a demo user of any role on any
case, or a procesregisseur (the chair) looking "as" a party or showing the table view for
a random set of parties, optionally within a meeting.  For every look the expected level of
each item is computed independently from the policy engine (``decide`` per viewer, the
strictest of all), and the view is searched for markers:

(a) a HIDDEN item's marker appears nowhere: not in ``json.dumps(view.to_json())``, not in
    ``repr(view)`` or ``str(view)``;
(b) a MASKED item's marker never appears in the JSON; its placeholder names category,
    provider, reason and article, not content;
(c) the table view shows no marker that any single present party's "as party" view does not
    show FULL;
(d) withdrawing a consent or revoking a grant never makes more markers visible to anyone;
(e) the SQL case list (``caselist.visible_case_ids``) equals the Python predicate
    the READ rule of ``app.policy.access`` for every user;
(f) records (``app.domain.records``) never print content.

Each demo user gets a private copy of the store with a session held open for the whole
module (one session per store folder, the lock file), so drawing viewers costs no unlock.
The ``show --json`` CLI is run in-process for a few viewers on another copy.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from app.cli.main import main
from app.domain.records import (
    Action,
    Case,
    Consent,
    Goal,
    InformedStatus,
    Item,
    ItemKind,
    Person,
    ProgressEntry,
    TableDecision,
)
from app.domain.roles import Role
from app.errors import InputError
from app.policy import access
from app.policy.engine import Decision, Level, Viewer, combine, decide
from app.policy.facts import load_facts
from app.services import caselist, cases, casework, guard, meetings
from app.services.consents import withdraw_consent
from app.services.redaction import blocked_parties, context
from app.services.session import Session
from app.store import repo
from app.views import CaseView, ViewSpec
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStoreFactory, DemoStores
from tests.plaintext import open_items

ZVH = "zvh-rotterdam-rijnmond"
TODAY = dt.datetime.now().astimezone().date()
CANARY = re.compile(r"CANARY-[A-Z]+-\d+-I\d{3}")
ADMIN = "beheer"

# The demo document is cheap and deterministic: strategies are built from it at import.
SPEC = DemoSpec(ZVH, cases=24, seed=7, today=TODAY, canary=True)
DEMO = SPEC.generate()
DOC_CASES = {c["ref"]: c for c in DEMO.doc["cases"]}
REFS = sorted(DOC_CASES)
USERS = [(u, role, party) for u, _n, role, party in DEMO.users]
USERNAMES = [ADMIN, *(u for u, _r, _p in USERS)]
CHAIRS = sorted(u for u, role, _p in USERS if role == Role.PROCESREGISSEUR.value)
USER_PARTY = {u: p for u, _r, p in USERS}
OWN_CASES = [(c["procesregisseur"], ref) for ref, c in DOC_CASES.items()]
OTHER_CASES = [(chair, ref) for chair in CHAIRS for ref, c in DOC_CASES.items()
               if c["procesregisseur"] != chair]
MEETING_KEYS: dict[str, list[str]] = {ref: [] for ref in REFS}
INVITED: dict[tuple[str, str], frozenset[str]] = {}
for _m in DEMO.doc["meetings"]:
    for _entry in _m["agenda"]:
        MEETING_KEYS[_entry["case"]].append(_m["key"])
        INVITED[(_m["key"], _entry["case"])] = frozenset(_entry["invited"])
# Parties with rules of their own, added to every case's pool so tables and views-as often
# include an uninvolved, a police, an OM, a secrecy-bound or a consent-bound party.
NOTABLE = ("politie-rotterdam", "om-rotterdam", "ggz-antes", "slachtofferhulp", "halt",
           "leger-des-heils", "reclassering-nederland")


def _involved(case: dict[str, Any]) -> set[str]:
    parties = {case["registering_party"], *(i["source_party"] for i in case["items"]),
               *(a["owner_party"] for a in case["actions"])}
    if case.get("casusregisseur_party"):
        parties.add(case["casusregisseur_party"])
    parties |= {p for (_k, ref), inv in INVITED.items() if ref == case["ref"] for p in inv}
    # The director's party is not involved by the director (ZVH 9.6); it stays in the
    # pool so that draws include it.
    parties.add(USER_PARTY.get(case["procesregisseur"], "gemeente-rotterdam-veiligheid"))
    return parties


INVOLVED = {ref: frozenset(_involved(c)) for ref, c in DOC_CASES.items()}
POOL = {ref: sorted(INVOLVED[ref] | set(NOTABLE)) for ref in REFS}

PROPERTY = settings(max_examples=500, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


# --------------------------------------------------------------------------- the store

@dataclass(frozen=True)
class Truth:
    """What the store holds, loaded once: items by id, the marker of each item, meeting ids."""

    items: dict[int, Item]
    canary: dict[int, str]
    meeting_ids: dict[str, int]
    case_ids: dict[str, int]


@pytest.fixture(scope="module")
def truth(demo_stores: DemoStores, tmp_path_factory: pytest.TempPathFactory) -> Truth:
    return _load_truth(demo_stores.copy(SPEC, tmp_path_factory.mktemp("truth") / "store"),
                       DEMO.doc)


def _load_truth(folder: Path, doc: dict[str, Any]) -> Truth:
    """Items and their markers as stored in ``folder`` (loaded from ``doc``)."""
    session = Session.open(folder, ADMIN, PASSPHRASE, kdf=TEST_KDF)
    try:
        conn = session.store.conn
        grouped = open_items(folder, conn, repo.items_by_case(conn, None))
        items = {i.id: i for group in grouped.values() for i in group}
        starts = {m.starts_at.isoformat(timespec="minutes"): m.id for m in repo.meetings(conn)}
        case_ids = {c.reference: c.id for c in repo.cases(conn)}
    finally:
        session.close(backup=False)
    canary = {}
    for iid, item in items.items():
        if not item.body:
            # Nobody holds this item's key, so no view can show it; its marker is not
            # known, and a name that appears nowhere keeps the checks below meaningful.
            canary[iid] = f"UNREADABLE-{iid}"
            continue
        found = CANARY.findall(item.body)
        assert len(found) == 1, "every demo item carries exactly one marker"
        canary[iid] = found[0]
        if item.structured:
            assert item.structured["street"].endswith(found[0])
    assert len(set(canary.values())) == len(canary)
    meeting_ids = {m["key"]: starts[m["starts_at"]] for m in doc["meetings"]}
    return Truth(items, canary, meeting_ids, case_ids)


@pytest.fixture(scope="module")
def sessions(demo_stores: DemoStores, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        dict[str, Session]]:
    """One open session per demo user (and the administrator), each on its own copy."""
    base = tmp_path_factory.mktemp("viewers")
    opened: dict[str, Session] = {}
    try:
        for username in USERNAMES:
            folder = demo_stores.copy(SPEC, base / username)
            opened[username] = Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)
        yield opened
    finally:
        for session in opened.values():
            session.close(backup=False)


# --------------------------------------------------------------------------- the reference

def expected_levels(session: Session, ref: str, spec: ViewSpec) -> dict[int, Decision]:
    """Per item of the case: the strictest decision over the user and the spec's parties,
    straight from the policy engine (HIDDEN for all while the table is blocked)."""
    conn = session.store.conn
    case = repo.case_by_reference(conn, ref)
    assert case is not None
    facts = load_facts(conn, [case])[case.id]
    ctx = context(session, spec.meeting_id, TODAY)
    viewers = [guard.actor(session)]
    if spec.kind != "self":
        viewers += [Viewer.party(p) for p in sorted(spec.parties)]
    blocked = bool(blocked_parties(spec, facts))
    out = {}
    for item in repo.items_by_case(conn, [case.id]).get(case.id, []):
        decision = combine(decide(v, item, facts, ctx) for v in viewers)
        if blocked:
            decision = Decision(Level.HIDDEN, decision.reason)
        out[item.id] = decision
    return out


def markers(text: str) -> set[str]:
    """Every canary marker in ``text``."""
    return set(CANARY.findall(text))


def shown_markers(truth: Truth, item_id: int, decision: Decision) -> set[str]:
    """The marker a FULL item may show (none when the address is cut to postcode level)."""
    if decision.level is not Level.FULL:
        return set()
    item = truth.items[item_id]
    if item.kind is ItemKind.ADDRESS and decision.transform == "postcode":
        return set()
    return {truth.canary[item_id]}


def check_view(view: CaseView, levels: dict[int, Decision], truth: Truth) -> set[str]:
    """Assert (a) and (b) for one view; return the markers its JSON shows."""
    text = json.dumps(view.to_json(), ensure_ascii=False)
    printed = repr(view) + str(view)
    seen = markers(text)
    allowed: set[str] = set()
    for item_id, decision in levels.items():
        allowed |= shown_markers(truth, item_id, decision)
        marker = truth.canary[item_id]
        if decision.level is Level.HIDDEN:
            assert marker not in text, f"HIDDEN item {item_id} in the JSON"
            assert marker not in printed, f"HIDDEN item {item_id} in repr/str"
        elif decision.level is Level.MASKED:
            assert marker not in text, f"MASKED item {item_id} in the JSON"
    assert seen <= allowed
    # The view agrees with the engine item by item: HIDDEN absent, MASKED a placeholder.
    by_id = {i.item_id: i for i in view.items}
    if view.content_visible:
        assert set(by_id) == {i for i, d in levels.items() if d.level is not Level.HIDDEN}
    else:
        assert not by_id
        assert not view.persons
        assert not seen
    for item_id, item_view in by_id.items():
        decision = levels[item_id]
        assert item_view.masked == (decision.level is Level.MASKED)
        if item_view.masked:
            placeholder = item_view.to_json()["value"]
            assert placeholder["redacted"] is True
            assert placeholder["category"]
            assert placeholder["provider"] == truth.items[item_id].source_party
            assert placeholder["reason"]
            assert placeholder["article"]
            assert placeholder["code"] == decision.reason.code
            assert item_view.to_json()["legal_basis"] is None
            assert not markers(json.dumps(placeholder, ensure_ascii=False))
    return seen


def _event(text: str) -> None:
    """Hypothesis statistics (``--hypothesis-show-statistics``), outside examples a no-op."""
    if currently_in_test_context():
        event(text)


def _look(sessions: dict[str, Session], truth: Truth, username: str, ref: str,
          spec: ViewSpec) -> set[str] | None:
    """Show the case; check (a) and (b); None when the user may not know the case."""
    session = sessions[username]
    conn = session.store.conn
    case = repo.case_by_reference(conn, ref)
    assert case is not None
    if spec.meeting_id is not None and not guard.meeting_context_allowed(session, spec.meeting_id):
        # Only those at a meeting may look in its context (meeting-scoped grants, ZVH 13.2):
        # the chair's other views are refused, anyone's own view loses the context.
        if spec.kind != "self":
            with pytest.raises(InputError) as refused:
                cases.show_case(session, ref, spec, today=TODAY)
            assert refused.value.code == "meeting.unknown"
            _event(f"{spec.kind}: meeting context refused")
            return None
        spec = ViewSpec(spec.kind, spec.parties, None)
    if not guard.may(session, access.Action.READ, load_facts(conn, [case])[case.id]):
        with pytest.raises(InputError) as raised:
            cases.show_case(session, ref, spec, today=TODAY)
        assert raised.value.code == "case.unknown"
        assert not markers(str(raised.value) + repr(raised.value))
        _event(f"{spec.kind}: case unknown to the user")
        return None
    view = cases.show_case(session, ref, spec, today=TODAY)
    seen = check_view(view, expected_levels(session, ref, spec), truth)
    _event(f"{spec.kind}: {'content' if view.content_visible else 'metadata'}"
          f"{', markers' if seen else ''}")
    return seen


# --------------------------------------------------------------------------- strategies

@st.composite
def meeting_for(draw: st.DrawFn, ref: str) -> str | None:
    return draw(st.sampled_from([None, *MEETING_KEYS[ref]]))


@st.composite
def looks(draw: st.DrawFn) -> tuple[str, str, str, frozenset[str], str | None]:
    """(username, case ref, spec kind, parties, meeting key)."""
    kind = draw(st.sampled_from(["self", "self", "as_party", "table"]))
    if kind == "self":
        username = draw(st.sampled_from(USERNAMES))
        ref = draw(st.sampled_from(REFS))
        meeting = draw(st.sampled_from([None, None, None, *MEETING_KEYS[ref]]))
        return username, ref, kind, frozenset(), meeting
    chair, ref = draw(st.sampled_from(OWN_CASES) if draw(st.integers(0, 9)) else
                      st.sampled_from(OTHER_CASES))
    meeting = draw(meeting_for(ref))
    if kind == "as_party":
        return chair, ref, kind, frozenset({draw(st.sampled_from(POOL[ref]))}), meeting
    return chair, ref, kind, draw(table_parties(ref, meeting)), meeting


@st.composite
def table_parties(draw: st.DrawFn, ref: str, meeting: str | None) -> frozenset[str]:
    """Mostly invited parties (an unblocked table), sometimes with an uninvited one."""
    keys = MEETING_KEYS[ref]
    key = meeting or (max(keys) if keys else None)
    invited = sorted(INVITED[(key, ref)] if key else INVOLVED[ref])
    parties = draw(st.sets(st.sampled_from(invited), min_size=1, max_size=5))
    if draw(st.integers(0, 4)) == 0:
        parties |= {draw(st.sampled_from(POOL[ref]))}
    return frozenset(parties)


def _spec(truth: Truth, kind: str, parties: frozenset[str], meeting: str | None) -> ViewSpec:
    meeting_id = truth.meeting_ids[meeting] if meeting else None
    if kind == "as_party":
        return ViewSpec.as_party(next(iter(parties)), meeting_id)
    if kind == "table":
        return ViewSpec.table(parties, meeting_id)
    return ViewSpec(meeting_id=meeting_id)


# --------------------------------------------------------------------------- (a), (b)

@PROPERTY
@given(look=looks())
def test_hidden_and_masked_items_leave_no_trace(
    sessions: dict[str, Session], truth: Truth,
    look: tuple[str, str, str, frozenset[str], str | None],
) -> None:
    """(a) HIDDEN: no marker in JSON, repr or str; (b) MASKED: no marker in the JSON, an
    explained placeholder instead (ZVH 3.5d, 13.2; view levels of Samen onder Handbereik)."""
    username, ref, kind, parties, meeting = look
    _look(sessions, truth, username, ref, _spec(truth, kind, parties, meeting))


def test_every_user_and_case_once(sessions: dict[str, Session], truth: Truth) -> None:
    """(a) and (b) exhaustively for self views, and the case list shows no more names than
    the case view does FULL (ZVH 9.6, 13.2)."""
    shown_any = False
    for username in USERNAMES:
        visible = {}
        for ref in REFS:
            seen = _look(sessions, truth, username, ref, ViewSpec())
            if seen is not None:
                visible[ref] = seen
                shown_any = shown_any or bool(seen)
        rows = cases.list_cases(sessions[username], today=TODAY)
        assert {r.reference for r in rows} == set(visible)
        for row in rows:
            assert markers(json.dumps(row.to_json(), ensure_ascii=False)) <= visible[
                row.reference]
    assert shown_any


# --------------------------------------------------------------------------- (c)

@PROPERTY
@given(data=st.data())
def test_table_shows_nothing_a_present_party_does_not_see_full(
    sessions: dict[str, Session], truth: Truth, data: st.DataObject,
) -> None:
    """(c) The beamer view shows a marker only if every present party's "as party" view
    shows that item FULL (ZVH 13.2: the table sees what each party at it may see)."""
    chair, ref = data.draw(st.sampled_from(OWN_CASES))
    meeting = data.draw(meeting_for(ref))
    parties = data.draw(table_parties(ref, meeting))
    meeting_id = truth.meeting_ids[meeting] if meeting else None
    session = sessions[chair]
    conn = session.store.conn
    case = repo.case_by_reference(conn, ref)
    assert case is not None
    facts = load_facts(conn, [case])[case.id]
    ctx = context(session, meeting_id, TODAY)
    # The builder show_case uses, without its audit and register writes (show_case itself
    # is drawn with table specs in test_hidden_and_masked_items_leave_no_trace).
    spec = ViewSpec.table(parties, meeting_id)
    view, _shown = cases.build_case_view(session, case, facts, ctx, spec)
    table = check_view(view, expected_levels(session, ref, spec), truth)
    _event(f"table of {min(len(parties), 3)}+ parties: {'markers' if table else 'none'}")
    for party in sorted(parties):
        spec = ViewSpec.as_party(party, meeting_id)
        as_party, _shown = cases.build_case_view(session, case, facts, ctx, spec)
        full = {truth.canary[i.item_id] for i in as_party.items if not i.masked}
        assert table <= full, f"table shows what {party} does not see FULL"
        assert table <= markers(json.dumps(as_party.to_json(), ensure_ascii=False))


# --------------------------------------------------------------------------- (d)

def _viewer_markers(folder: Path, ref: str, meeting_ids: dict[str, int]) -> dict[str, set[str]]:
    """Markers visible in ``ref`` to every demo user, and to its chair as each involved
    party and as the table of each meeting (with and without the meeting context)."""
    chair = DOC_CASES[ref]["procesregisseur"]
    out: dict[str, set[str]] = {}
    # Users who may know the case; no withdrawal changes who is involved.
    viewers = [u for u, role, party in USERS
               if u == chair or role == Role.NOTULIST.value or party in INVOLVED[ref]]
    for username in viewers:
        specs = {"self": ViewSpec()}
        if username == chair:
            for key in [None, *MEETING_KEYS[ref]]:
                meeting_id = meeting_ids[key] if key else None
                for party in sorted(INVOLVED[ref]):
                    specs[f"as:{party}@{key}"] = ViewSpec.as_party(party, meeting_id)
                if key:
                    specs[f"table@{key}"] = ViewSpec.table(INVITED[(key, ref)], meeting_id)
                    specs[f"table-now@{key}"] = ViewSpec.table(INVITED[(key, ref)])
        session = Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)
        try:
            conn = session.store.conn
            case = repo.case_by_reference(conn, ref)
            assert case is not None
            facts = load_facts(conn, [case])[case.id]
            for label, spec in specs.items():
                if not guard.may(session, access.Action.READ, facts):
                    out[f"{username}/{label}"] = set()
                    continue
                ctx = context(session, spec.meeting_id, TODAY)
                view, _shown = cases.build_case_view(session, case, facts, ctx, spec)
                out[f"{username}/{label}"] = markers(json.dumps(view.to_json(),
                                                                ensure_ascii=False))
        finally:
            session.close(backup=False)
    return out


def _live(folder: Path) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Live grants whose provider has a user: (id, case ref, provider); valid consents."""
    session = Session.open(folder, ADMIN, PASSPHRASE, kdf=TEST_KDF)
    try:
        conn = session.store.conn
        grants = [(int(g), str(r), str(p)) for g, r, p in conn.execute(
            "SELECT g.id, c.reference, g.provider_party FROM grants g JOIN cases c"
            " ON c.id = g.case_id WHERE g.revoked_at IS NULL ORDER BY g.id")]
        consents = [(int(k), str(r)) for k, r in conn.execute(
            "SELECT k.id, c.reference FROM consents k JOIN cases c ON c.id = k.case_id"
            " WHERE k.withdrawn_on IS NULL ORDER BY k.id")]
    finally:
        session.close(backup=False)
    return grants, consents


def _spread(pairs: list[Any], n: int) -> list[Any]:
    """``n`` elements spread over ``pairs`` (first element differs between cases)."""
    by_case: dict[str, Any] = {}
    for pair in pairs:
        by_case.setdefault(pair[1], pair)
    chosen = list(by_case.values())
    step = max(1, len(chosen) // n)
    return chosen[::step][:n]


def test_withdrawal_and_revocation_never_show_more(
    demo_store: DemoStoreFactory, truth: Truth,
) -> None:
    """(d) Revoking a grant (by a user of the providing party, ZVH 3.5c) or withdrawing a
    consent (by the case's procesregisseur, ZVH 13.7) never increases what any viewer sees;
    over the sample, something visible disappears."""
    folder = demo_store(SPEC)
    grants, consents = _live(folder)
    party_user: dict[str, str] = {}
    for username, role, party in USERS:
        if role in {"deelnemer", "procesregisseur", "casusregisseur"}:
            party_user.setdefault(party, username)
    grants = [g for g in grants if g[2] in party_user]
    lost = 0
    changes: list[tuple[str, int, str, str]] = [
        *(("grant", gid, ref, party_user[provider])
          for gid, ref, provider in _spread(grants, 4)),
        *(("consent", cid, ref, DOC_CASES[ref]["procesregisseur"])
          for cid, ref in _spread(consents, 4)),
    ]
    assert len(changes) == 8
    for what, object_id, ref, actor in changes:
        before = _viewer_markers(folder, ref, truth.meeting_ids)
        session = Session.open(folder, actor, PASSPHRASE, kdf=TEST_KDF)
        try:
            if what == "grant":
                casework.revoke_grant(session, object_id)
            else:
                withdraw_consent(session, object_id, TODAY)
        finally:
            session.close(backup=False)
        after = _viewer_markers(folder, ref, truth.meeting_ids)
        for viewer, seen in after.items():
            assert seen <= before[viewer], f"{what} {object_id}: {viewer} sees more"
            lost += len(before[viewer] - seen)
    assert lost > 0


# --------------------------------------------------------------------------- (e)

def test_sql_case_list_equals_the_python_predicate(sessions: dict[str, Session]) -> None:
    """(e) ``visible_case_ids`` (SQL) and the READ rule (``guard.may``) (Python) agree for every
    user (ZVH 9.6: support roles see process metadata of all cases, procesregisseurs their
    own, the minute taker the cases of their meetings, parties the cases they are in)."""
    for username, session in sessions.items():
        conn = session.store.conn
        all_cases = repo.cases(conn)
        facts = load_facts(conn, all_cases)
        python = {c.id for c in all_cases if guard.may(session, access.Action.READ, facts[c.id])}
        sql = caselist.visible_case_ids(session)
        assert len(sql) == len(set(sql))
        assert set(sql) == python, username
        for sort in ("reference", "phase", "updated"):
            assert set(caselist.visible_case_ids(session, sort=sort, descending=True)) == python
        rows = caselist.rows_for_ids(session, sql)
        assert {r.case_id for r in rows} == python


# --------------------------------------------------------------------------- other covenants

@pytest.mark.parametrize("profile_id", ["woonoverlast", "ondermijning"])
def test_other_covenants_every_user_and_case(
    profile_id: str, demo_stores: DemoStores, demo_store: DemoStoreFactory,
) -> None:
    """(a), (b) and (e) on the woonoverlast (melder's consent, WO 3.3d, 5.2) and ondermijning
    (police data stay with the mayor, OND 7.2) demos: every user on every case, and each
    chair's table of the invited parties."""
    spec = DemoSpec(profile_id, cases=12, seed=5, today=TODAY, canary=True)
    demo = demo_stores.pristine(spec).demo
    folder = demo_store(spec)
    truth = _load_truth(folder, demo.doc)
    invited = {(e["case"], m["key"]): e["invited"] for m in demo.doc["meetings"]
               for e in m["agenda"]}
    shown = 0
    for username in [ADMIN, *(u for u, *_rest in demo.users)]:
        session = Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)
        try:
            looks = [(c["ref"], ViewSpec()) for c in demo.doc["cases"]]
            looks += [(ref, ViewSpec.table(parties, truth.meeting_ids[key]))
                      for (ref, key), parties in invited.items()
                      if next(c for c in demo.doc["cases"] if c["ref"] == ref)[
                          "procesregisseur"] == username]
            for ref, spec in looks:
                seen = _look({username: session}, truth, username, ref, spec)
                shown += bool(seen)
            conn = session.store.conn
            all_cases = repo.cases(conn)
            facts = load_facts(conn, all_cases)
            assert set(caselist.visible_case_ids(session)) == {
                c.id for c in all_cases if guard.may(session, access.Action.READ, facts[c.id])}
        finally:
            session.close(backup=False)
    assert shown > 0


# --------------------------------------------------------------------------- (f)

TEXT = st.text(min_size=0, max_size=12)


@st.composite
def canary_text(draw: st.DrawFn) -> str:
    return f"{draw(TEXT)}CANARY-ZVH-{draw(st.integers(1, 9999)):04d}-I{draw(st.integers(0, 999)):03d}{draw(TEXT)}"  # noqa: E501


DAY = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@PROPERTY
@given(text=canary_text(), ids=st.tuples(st.integers(1, 10**6), st.integers(1, 10**6)),
       day=DAY)
def test_records_never_print_content(text: str, ids: tuple[int, int], day: dt.date) -> None:
    """(f) ``repr`` of records shows ids and codes only, so a stray log line or traceback
    cannot leak content (app/domain/model.py)."""
    a, b = ids
    records: list[object] = [
        Case(a, "ZVH-0001", "triage", "gemeente-rotterdam", text, text, "gemeente-rotterdam",
             (text,), text, day, day, text, text, text),
        Item(a, b, a, ItemKind.ADDRESS, text, text, {"street": text, "city": text},
             "politie-rotterdam", "police", "triage", text, day, "A01"),
        Person(a, b, "cat-i", text, InformedStatus.NOT_INFORMED, day, text, day, day, 30),
        TableDecision(a, b, a, text, day),
        Goal(a, b, text, "open", day),
        Action(a, b, a, a, text, "halt", day, "open", day),
        ProgressEntry(a, b, a, text, day),
    ]
    for record in records:
        assert not markers(repr(record)), type(record).__name__
        assert not markers(str(record)), type(record).__name__
        assert not markers(f"{record!r} {[record]}")


def test_consent_record_never_prints_its_purpose() -> None:
    """(f) A consent's purpose is free text about the betrokkene (ZVH 7.2)."""
    marker = "CANARY-ZVH-0001-I001"
    consent = Consent(1, 1, 1, "ggz-antes", None, "health", f"behandeling {marker}",
                      TODAY, None)
    assert marker not in repr(consent)


def test_stored_records_never_print_content(sessions: dict[str, Session]) -> None:
    """(f) on every record of the demo store."""
    conn = sessions[ADMIN].store.conn
    bundles = repo.load_bundles(conn, None)
    printed = repr(repo.cases(conn)) + repr(list(bundles.values()))
    assert "CANARY" not in printed
    for bundle in bundles.values():
        for record in (*bundle.items, *bundle.persons, *bundle.goals, *bundle.actions,
                       *bundle.decisions, *bundle.progress):
            assert "CANARY" not in repr(record)
    assert any(b.items for b in bundles.values())


def test_views_never_print_what_the_viewer_saw(sessions: dict[str, Session]) -> None:
    """(f) for views: every view a user gets (case views with their items, persons and
    joint record; list rows; meetings and their agenda) has a repr of ids and codes only,
    while the same views' JSON does hold the canaries the user may see (so the sweep is
    not vacuous)."""
    seen_in_json = False
    for session in sessions.values():
        built = [view for view, _shown in cases.case_views(session, None, ViewSpec())]
        rows = cases.list_cases(session, today=SPEC.today)
        shown_meetings = [meetings.meeting_view(session, m.meeting_id, today=SPEC.today)
                          for m in meetings.list_meetings(session)]
        for view in built:
            parts = (view, *view.items, *view.persons, *view.goals, *view.actions,
                     *view.decisions, *view.progress, *view.parties, *view.phase_history)
            for part in parts:
                assert "CANARY" not in repr(part), type(part).__name__
            seen_in_json |= "CANARY" in json.dumps(view.to_json())
        for row in rows:
            assert "CANARY" not in repr(row)
        for meeting in shown_meetings:
            assert "CANARY" not in repr(meeting) + repr(meeting.agenda)
            assert "CANARY" not in repr(meeting.attendees)
    assert seen_in_json


# --------------------------------------------------------------------------- the CLI

CLI_LOOKS = [
    ("politie.kirpenstein", [], None),
    ("rdam.duivenvoorde", [], None),
    ("ggz.dachgelder", [], None),
    ("sh.vannoordeloo", [], None),
    ("notulist.jansen", [], None),
    ("fg.jacobi", [], None),
    (ADMIN, [], None),
    ("chair", ["--as-party", "politie-rotterdam"], ViewSpec.as_party("politie-rotterdam")),
    ("chair", ["--as-party", "halt"], ViewSpec.as_party("halt")),
    ("chair", ["--table", "invited"], None),
]


def test_cli_show_json_follows_the_same_rules(
    demo_store: DemoStoreFactory, truth: Truth, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``casustafel show --json`` prints the redacted view only: (a) and (b) on its output."""
    folder = demo_store(SPEC)
    pass_file = tmp_path / "pass"
    pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    refs = [r for r in REFS if MEETING_KEYS[r]][:3] + REFS[:2]
    checked = 0
    for ref in refs:
        case = DOC_CASES[ref]
        for username, extra, spec in CLI_LOOKS:
            user = case["procesregisseur"] if username == "chair" else username
            args = list(extra)
            look = spec or ViewSpec()
            if extra[-1:] == ["invited"]:
                key = max(MEETING_KEYS[ref]) if MEETING_KEYS[ref] else None
                parties = sorted(INVITED[(key, ref)] if key else INVOLVED[ref])
                args = ["--table", ",".join(parties)]
                look = ViewSpec.table(parties)
            capsys.readouterr()
            code = main(["show", str(folder), "--user", user, "--passphrase-file",
                         str(pass_file), "--case", ref, "--json", *args], kdf=TEST_KDF)
            out, err = capsys.readouterr()
            session = Session.open(folder, user, PASSPHRASE, kdf=TEST_KDF)
            try:
                conn = session.store.conn
                found = repo.case_by_reference(conn, ref)
                assert found is not None
                visible = guard.may(session, access.Action.READ,
                                    load_facts(conn, [found])[found.id])
                levels = expected_levels(session, ref, look)
            finally:
                session.close(backup=False)
            if not visible:
                assert code == 4
                assert out == ""
                assert not markers(err)
                continue
            assert code == 0, err
            shown = json.loads(out)
            assert shown["reference"] == ref
            for item_id, decision in levels.items():
                if decision.level is not Level.FULL:
                    assert truth.canary[item_id] not in out
            allowed = set().union(*(shown_markers(truth, i, d) for i, d in levels.items()))
            assert markers(out) <= allowed
            checked += 1
    assert checked >= 20
