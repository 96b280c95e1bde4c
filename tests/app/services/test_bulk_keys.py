"""Opening the keys of many rows at once (issue 9, bench): a look at every case opens
the seals of its items and of its joint record in a few queries, and remembers for that
look alone which rows this user holds no key for.  It must show exactly what opening one
seal at a time shows, to every user."""

from __future__ import annotations

import json

import pytest

from app.domain.roles import SUPPORT_ROLES
from app.services import cases
from app.store import joint_keys
from app.store.keyring import Keyring
from app.views import ViewSpec
from tests.app.services import test_services as ts
from tests.conftest import DemoStoreFactory

USERS = (ts.CHAIR, ts._user(ts.POLICE), ts._user(ts.HALT), ts._user(ts.GGZ),
         ts._user(ts.RDAM), ts.PRIVACY_OFFICER)


def _looks(folder: object, username: str) -> tuple[list[str], int, int]:
    """The JSON of every case view ``username`` gets, the items shown in full, and the
    queries of the look that read seals."""
    queries: list[str] = []
    with ts._open(folder, username) as session:  # type: ignore[arg-type]
        session.store.conn.set_trace_callback(queries.append)
        try:
            views = cases.case_views(session, None, ViewSpec(), today=ts.TODAY)
        finally:
            session.store.conn.set_trace_callback(None)
    texts = [json.dumps(view.to_json(), sort_keys=True, default=str) for view, _s in views]
    full = sum(len(shown) for _v, shown in views)
    seals = sum(1 for q in queries if "FROM item_keys" in q or "FROM joint_keys" in q)
    return texts, full, seals


def _no_prime(*_args: object) -> None:
    """Opens nothing ahead: every seal is then opened on its own."""


def test_zvh_3_5c_a_look_at_every_case_shows_what_one_seal_at_a_time_shows(
        demo_store: DemoStoreFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """ZVH 3.5c: for each user, the views of every case built with the keys opened in
    bulk equal those built opening each seal on its own: nothing the keys open is lost,
    nothing they do not open appears; and the bulk look reads the seals in fewer
    queries."""
    folder = demo_store(ts.SPEC)
    bulk = {u: _looks(folder, u) for u in USERS}
    with monkeypatch.context() as patch:
        patch.setattr(Keyring, "prime", _no_prime)
        patch.setattr(joint_keys, "prime", _no_prime)
        single = {u: _looks(folder, u) for u in USERS}
    for user in USERS:
        assert bulk[user][:2] == single[user][:2], user
    participants = [u for u in USERS if ts.USERS[u][0] not in SUPPORT_ROLES]
    assert all(bulk[u][1] > 0 for u in participants), "some user sees nothing in full"
    for user in participants:
        assert bulk[user][2] < single[user][2], (user, bulk[user][2], single[user][2])


def test_issue_9_what_a_look_found_missing_is_forgotten_when_it_ends(
        demo_store: DemoStoreFactory) -> None:
    """Issue 9: a row found sealed to others only counts as missing for the one look;
    afterwards the user asks for its seal again (a colleague may have sealed it since)."""
    folder = demo_store(ts.SPEC)
    with ts._open(folder, ts._user(ts.HALT)) as session:
        keyring = session.store.keyring
        assert keyring is not None
        conn = session.store.conn
        case_ids = [int(r[0]) for r in conn.execute("SELECT id FROM cases")]
        with keyring.looking():
            joint_keys.prime(keyring, conn, case_ids)
            missing = [(str(k), int(r)) for k, r in conn.execute(
                "SELECT DISTINCT kind, row_id FROM joint_keys") if keyring.missing((k, r))]
        assert missing, "HALT holds every row: the test proves nothing"
        assert not any(keyring.missing(ref) for ref in missing)


@pytest.mark.parametrize("who", ["police", "chair as the police"])
def test_zvh_3_5c_a_look_at_every_case_opens_keys_only_for_what_it_shows_in_full(
        demo_store: DemoStoreFactory, who: str) -> None:
    """ZVH 3.5c, issue 9: the look decides every item first and opens, together, the
    keys of the items it shows in full, and no other item key: after it the keys in
    memory are exactly those of the items shown in full, although the user holds seals
    of more (the chair holds every item of their cases, ZVH 9.6, and looks as the police
    would)."""
    folder = demo_store(ts.SPEC)
    username, spec = ((ts._user(ts.POLICE), ViewSpec()) if who == "police"
                      else (ts.CHAIR, ViewSpec.as_party(ts.POLICE)))
    party = ts.USERS[username][1]
    with ts._open(folder, username) as session:
        keyring = session.store.keyring
        assert keyring is not None
        views = cases.case_views(session, None, spec, today=ts.TODAY)
        shown = {(item.id, item.key_gen) for _v, full in views for item, _d in full}
        held = {(int(i), int(g)) for i, g in session.store.conn.execute(
            "SELECT i.id, i.key_gen FROM items i JOIN item_keys k ON k.item_id = i.id"
            " AND k.key_gen = i.key_gen WHERE k.holder IN (?, ?)",
            (f"user:{username}", f"party:{party}"))}
        opened = {ref for ref in held if keyring.remembered(ref) is not None}
    assert shown, "nothing shown in full: the test proves nothing"
    assert opened == shown
    if who != "police":
        assert held - shown, "every held key is shown: the test proves nothing"
