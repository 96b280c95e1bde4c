"""The disclosure register (verstrekkingenregister, ZVH 8.1; app/services/disclosure.py).

Every FULL item shown on screen to a party other than its provider gets exactly one row in
``disclosures`` per (item, receiving party, channel) and session, together with a chained
audit entry named ``disclosure`` (its ``seq`` is the row's ``audit_seq``): item, providing
party, receiving party, user, purpose (the processing activity of the case's phase), legal
basis, channel ``screen`` and time.  Own items, MASKED and HIDDEN items are never
registered.  The privacy officer and the beheerder read the register; nobody else may.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.domain.roles import Role
from app.errors import AccessDeniedError, InputError
from app.profiles import load_profile
from app.services import admin, caselist, cases, disclosure
from app.services.session import Session
from app.store import repo
from app.views import CaseView, ViewSpec
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStoreFactory

ZVH = "zvh-rotterdam-rijnmond"
PROFILE = load_profile(ZVH)
TODAY = dt.datetime.now().astimezone().date()
ADMIN = "beheer"
PRIVACY_OFFICER = "fg.jacobi"
POLICE, OM = "politie-rotterdam", "om-rotterdam"
CANARY = re.compile(r"CANARY-[A-Z]+-\d+-I\d{3}")
SPEC = DemoSpec(ZVH, cases=24, seed=7, today=TODAY, canary=True)
DEMO = SPEC.generate()
USERS = {u: (Role(role), party) for u, _n, role, party in DEMO.users}
DOC_CASES = {c["ref"]: c for c in DEMO.doc["cases"]}
REFS = sorted(DOC_CASES)

Key = tuple[int, str]  # (item id, receiving party)


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for a test that writes."""
    return demo_store(SPEC)


def _open(folder: Path, username: str) -> Session:
    return Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)


def _last_id(session: Session) -> int:
    return int(session.store.conn.execute(
        "SELECT coalesce(max(id), 0) FROM disclosures").fetchone()[0])


def _last_seq(session: Session) -> int:
    return int(session.store.conn.execute(
        "SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0])


_ROW = ("id", "audit_seq", "item_id", "case_id", "provider_party", "recipient_party",
        "username", "purpose", "legal_basis", "channel", "document_id", "disclosed_at",
        "grant_id", "necessity")
_AUDIT = ("seq", "trace_id", "name", "status", "username", "party_id", "object_type",
          "object_id", "processing_activity_id", "data_subject_id", "attributes")


def _rows_since(session: Session, last_id: int) -> list[dict[str, Any]]:
    rows = session.store.conn.execute(
        f"SELECT {', '.join(_ROW)} FROM disclosures WHERE id > ? ORDER BY id", (last_id,))
    return [dict(zip(_ROW, r, strict=True)) for r in rows]


def _audit_since(session: Session, seq: int) -> list[dict[str, Any]]:
    rows = session.store.conn.execute(
        f"SELECT {', '.join(_AUDIT)} FROM audit WHERE seq > ? ORDER BY seq", (seq,))
    out = []
    for r in rows:
        entry = dict(zip(_AUDIT, r, strict=True))
        entry["attributes"] = json.loads(entry["attributes"])
        out.append(entry)
    return out


def _visible(session: Session) -> list[str]:
    # The SQL id list shows no names, so it registers no disclosure of its own (the case
    # list's names are tested separately below).
    ids = caselist.visible_case_ids(session)
    return [c.reference for c in repo.cases(session.store.conn, ids)]


def _full_foreign(view: CaseView, recipients: set[str]) -> collections.Counter[Key]:
    """What the register must hold for this view: FULL items x recipients, provider
    excluded."""
    return collections.Counter(
        (i.item_id, party) for i in view.items if not i.masked
        for party in recipients if party != i.provider.id)


def _check_rows(session: Session, view: CaseView, rows: list[dict[str, Any]],
                audit: list[dict[str, Any]], started: str) -> None:
    """Every field of every new row and its chained audit entry."""
    conn = session.store.conn
    case = repo.case_by_reference(conn, view.reference)
    assert case is not None
    activity = PROFILE.phase(case.phase).activity
    by_seq = {a["seq"]: a for a in audit}
    reads = [a for a in audit if a["name"] == "case.read"]
    assert len(reads) == 1
    assert reads[0]["object_id"] == view.reference
    disclosures = [a for a in audit if a["name"] == "disclosure"]
    assert len(disclosures) == len(rows)
    shown = {i.item_id: i for i in view.items}
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for row in rows:
        item = repo.item_by_id(conn, row["item_id"])
        assert item is not None
        assert item.case_id == case.id == row["case_id"]
        assert not shown[item.id].masked, "only FULL items are registered"
        assert row["provider_party"] == item.source_party != row["recipient_party"]
        assert row["username"] == session.user.username
        assert row["purpose"] == activity
        # ZVH 8.1: the basis and necessity of the grant that let it flow to this party;
        # the item's own basis only where no grant was needed (the case's director).
        basis, necessity = item.legal_basis, ""
        if row["grant_id"] is not None:
            basis, necessity, to, by = conn.execute(
                "SELECT legal_basis, necessity, recipient_party, provider_party FROM grants"
                " WHERE id = ?", (row["grant_id"],)).fetchone()
            assert (to, by) == (row["recipient_party"], item.source_party)
        assert (row["legal_basis"], row["necessity"]) == (basis, necessity)
        assert row["channel"] == "screen"
        assert row["document_id"] is None
        assert started <= row["disclosed_at"] <= now
        entry = by_seq[row["audit_seq"]]
        assert entry["name"] == "disclosure"
        assert entry["status"] == "ok"
        assert entry["trace_id"] == reads[0]["trace_id"], "one trace for the whole look"
        assert (entry["object_type"], entry["object_id"]) == ("item", str(item.id))
        assert entry["username"] == session.user.username
        assert entry["party_id"] == session.user.party_id
        assert entry["processing_activity_id"] == activity
        assert entry["data_subject_id"] == (
            str(item.person_id) if item.person_id is not None else None)
        assert entry["attributes"] == {
            "provider": item.source_party, "recipient": row["recipient_party"],
            "legal_basis": basis, "channel": "screen", "document": None,
            "grant": row["grant_id"], "case": case.id}
        assert not CANARY.search(json.dumps(entry)), "the audit trail holds no content"


def _show_and_check(session: Session, ref: str, spec: ViewSpec | None = None,
                    recipients: set[str] | None = None) -> tuple[CaseView, int]:
    """Show ``ref``; assert exactly one row per FULL item and recipient; return the count."""
    spec = spec or ViewSpec()
    last_id, last_seq = _last_id(session), _last_seq(session)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    view = cases.show_case(session, ref, spec, today=TODAY)
    rows = _rows_since(session, last_id)
    expected = _full_foreign(view, recipients or {session.user.party_id})
    got = collections.Counter((r["item_id"], r["recipient_party"]) for r in rows)
    assert got == expected, ref
    _check_rows(session, view, rows, _audit_since(session, last_seq), started)
    return view, len(rows)


def _verify(folder: Path) -> None:
    with _open(folder, ADMIN) as session:
        result = admin.verify_audit(session)
    assert result.ok, result


# --------------------------------------------------------------------------- per view

@pytest.mark.parametrize("username", [
    "politie.kirpenstein", "om.deruiter", "rdam.duivenvoorde", "ggz.dachgelder",
    "cr.rijntjes", "pr.vanginneke", "notulist.jansen",
])
def test_every_full_disclosure_to_another_party_is_registered_once(
    folder: Path, username: str,
) -> None:
    """ZVH 8.1: one register row and one chained ``disclosure`` audit entry per FULL item
    of another party; none for the viewer's own party's items, none for MASKED or HIDDEN
    items; purpose = the processing activity of the phase, channel ``screen``."""
    total = 0
    with _open(folder, username) as session:
        for ref in _visible(session):
            _view, written = _show_and_check(session, ref)
            total += written
        rows = _rows_since(session, 0)
    assert total > 0, "the demo shows this user items of other parties"
    assert len(rows) == total
    with _open(folder, PRIVACY_OFFICER) as session:
        entries = disclosure.entries(session)
    assert [(e.item_id, e.case_id, e.provider_party, e.recipient_party, e.username,
             e.purpose, e.legal_basis, e.channel, e.document_id, e.disclosed_at)
            for e in entries] == [
        (r["item_id"], r["case_id"], r["provider_party"], r["recipient_party"],
         r["username"], r["purpose"], r["legal_basis"], r["channel"], r["document_id"],
         r["disclosed_at"]) for r in reversed(rows)]
    _verify(folder)


def test_support_roles_disclose_nothing(folder: Path) -> None:
    """ZVH 9.6: the beheerder and the privacy officer see no content, so nothing is
    disclosed to them."""
    for username in (ADMIN, PRIVACY_OFFICER):
        with _open(folder, username) as session:
            before = _last_id(session)
            for ref in REFS:
                view = cases.show_case(session, ref, today=TODAY)
                assert not view.content_visible
            assert _last_id(session) == before


def test_repeated_views_in_one_session_are_registered_once(folder: Path) -> None:
    """Documented in disclosure.py: on screen, repeated views of the same item by the same
    party in one session are logged once; a new session logs again."""
    user = "politie.kirpenstein"
    first: dict[str, int] = {}
    with _open(folder, user) as session:
        for ref in _visible(session):
            _view, first[ref] = _show_and_check(session, ref)
        before = _last_id(session)
        for ref in first:
            cases.show_case(session, ref, today=TODAY)
            cases.show_case(session, ref, today=TODAY)
        assert _last_id(session) == before, "nothing new within the session"
    assert sum(first.values()) > 0
    with _open(folder, user) as session:
        for ref, count in first.items():
            _view, again = _show_and_check(session, ref)
            assert again == count, "a new session registers again"
    _verify(folder)


def _agenda(folder: Path) -> list[tuple[str, str, int, frozenset[str]]]:
    """(chair, case ref, meeting id, invited parties) of every agenda entry."""
    with _open(folder, ADMIN) as session:
        conn = session.store.conn
        return [(str(chair), str(ref), int(mid), frozenset(json.loads(invited)))
                for chair, ref, mid, invited in conn.execute(
                    "SELECT m.chair, c.reference, m.id, (SELECT json_group_array(party_id)"
                    " FROM invitations i WHERE i.meeting_id = m.id AND i.case_id = c.id"
                    " AND i.invited) FROM agenda a JOIN meetings m ON m.id = a.meeting_id"
                    " JOIN cases c ON c.id = a.case_id ORDER BY m.id, a.position")]


def test_table_view_registers_each_party_at_the_table(folder: Path) -> None:
    """ZVH 8.1, 13.2: the beamer view discloses each FULL item to every party present
    except its provider (the chair's own party is at the table too): one row each."""
    total = 0
    for chair, ref, meeting_id, invited in _agenda(folder):
        with _open(folder, chair) as session:
            present = set(invited)
            spec = ViewSpec.table(present, meeting_id)
            view, written = _show_and_check(
                session, ref, spec, present | {session.user.party_id})
            assert view.content_visible
            total += written
            # The same table again in the same session: nothing new.
            before = _last_id(session)
            cases.show_case(session, ref, spec, today=TODAY)
            assert _last_id(session) == before
    assert total > 0
    _verify(folder)


def test_blocked_table_discloses_nothing(folder: Path) -> None:
    """ZVH 13.2: while an uninvited party is present the table shows no content, so no
    disclosure is registered."""
    chair, ref, meeting_id, invited = _agenda(folder)[0]
    outsider = next(p.id for p in PROFILE.parties if p.id not in invited)
    with _open(folder, chair) as session:
        before = _last_id(session)
        view = cases.show_case(session, ref, ViewSpec.table({*invited, outsider}, meeting_id),
                               today=TODAY)
        assert not view.content_visible
        assert not view.items
        assert _last_id(session) == before


def test_police_and_om_disclosures_are_always_registered(folder: Path) -> None:
    """ZVH 8.1 (art. 32 Wpg, art. 39j Wjsg): every police and OM item any user of another
    party sees FULL is in the register with that user, their party and the legal basis."""
    shown: set[tuple[int, str, str]] = set()
    for username, (role, party) in sorted(USERS.items()):
        if role in {Role.PRIVACY_OFFICER}:
            continue
        with _open(folder, username) as session:
            for ref in _visible(session):
                view = cases.show_case(session, ref, today=TODAY)
                shown |= {(i.item_id, party, username) for i in view.items
                          if not i.masked and i.provider.id in {POLICE, OM}
                          and i.provider.id != party}
    providers = set()
    with _open(folder, PRIVACY_OFFICER) as session:
        entries = disclosure.entries(session)
        registered = {(e.item_id, e.recipient_party, e.username) for e in entries}
        for item_id, _party, _user in shown:
            item = repo.item_by_id(session.store.conn, item_id)
            assert item is not None
            providers.add(item.source_party)
            assert any(e.item_id == item_id and e.provider_party == item.source_party
                       for e in entries)
    assert providers == {POLICE, OM}, "the demo shows police and OM items to others"
    assert shown <= registered
    _verify(folder)


def test_case_list_names_of_other_parties_are_registered(folder: Path) -> None:
    """ZVH 8.1 and disclosure.py: "Whenever FULL content of an item reaches a party other
    than its provider (on screen, ...), one row is written".  The case list shows the
    betrokkene's name, an item, in full."""
    with _open(folder, "politie.kirpenstein") as session:
        before = _last_id(session)
        rows = cases.list_cases(session, today=TODAY)
        names = [r.name for r in rows if isinstance(r.name, str)]
        foreign = [n for n in names if not _provided_by(session, n, POLICE)]
        assert foreign, "the list shows names provided by other parties"
        recorded = {r["item_id"] for r in _rows_since(session, before)}
        assert len(recorded) >= len(foreign)


def _provided_by(session: Session, body: str, party: str) -> bool:
    row = session.store.conn.execute(
        "SELECT source_party FROM items WHERE body = ?", (body,)).fetchone()
    return bool(row and row[0] == party)


# --------------------------------------------------------------------------- reading it

@pytest.mark.parametrize("username", [
    "politie.kirpenstein", "pr.vanginneke", "cr.rijntjes", "notulist.jansen"])
def test_only_privacy_officer_and_beheerder_read_the_register(
    folder: Path, username: str,
) -> None:
    """ZVH 15.3d, 24: the register is for the privacy officer (and the beheerder); other
    roles are refused, and the refusal is itself in the audit trail."""
    with _open(folder, username) as session:
        seq = _last_seq(session)
        with pytest.raises(AccessDeniedError) as refused:
            disclosure.entries(session)
        assert refused.value.code == "access.role"
        denied = [a for a in _audit_since(session, seq) if a["name"] == "access.denied"]
        assert len(denied) == 1
        assert denied[0]["status"] == "error"
        assert denied[0]["username"] == username


def test_register_as_the_privacy_officer_reads_it(folder: Path) -> None:
    """Newest first, filterable per item (to tell recipients of a correction, WO 7.2)."""
    with _open(folder, "om.deruiter") as session:
        for ref in _visible(session):
            cases.show_case(session, ref, today=TODAY)
        expected = _rows_since(session, 0)
    assert expected
    for reader in (PRIVACY_OFFICER, ADMIN):
        with _open(folder, reader) as session:
            entries = disclosure.entries(session)
            assert [(e.item_id, e.recipient_party, e.username) for e in entries] == [
                (r["item_id"], r["recipient_party"], r["username"]) for r in reversed(expected)]
            assert all(e.channel == "screen" and e.username == "om.deruiter"
                       and e.recipient_party == OM for e in entries)
            one = expected[0]["item_id"]
            assert {e.item_id for e in disclosure.entries(session, item_id=one)} == {one}
            assert disclosure.entries(session, item_id=10**9) == []
    _verify(folder)


def test_unknown_case_discloses_nothing(folder: Path) -> None:
    """A refused look (unknown or invisible case) writes no register rows."""
    with _open(folder, "dji.dubois") as session:
        before = _last_id(session)
        invisible = next(r for r in REFS if r not in _visible(session))
        for ref in ("ZVH-9999", invisible):
            with pytest.raises(InputError):
                cases.show_case(session, ref, today=TODAY)
        assert _last_id(session) == before
