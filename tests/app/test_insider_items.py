"""Forged item rows bend no keys (issue 9, point 1; app.services.vouch_items): an insider
with the data key who rewrites an item's provider, case or category gets no seal when an
honest holder next does the key work; the providing party keeps control (ZVH 3.5c).

Each test first shows that the forgery fools the policy itself (the attacker's own app
trusts the rows), so it fails if the keys still followed the rows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlcipher3

from app.policy.facts import load_facts
from app.services import joint_edit, meetings, vouch, vouch_items
from app.store import repo
from tests.app.services import test_services as ts
from tests.app.test_insider import _STORE_IDS, _users, attack
from tests.app.test_insider_facts import _as, _case_id, _fooled, _queue
from tests.conftest import DemoStoreFactory


def _forge(conn: sqlcipher3.Connection, sql: str, args: tuple[object, ...],
           case_ids: tuple[int, ...]) -> None:
    conn.execute(sql, args)
    for case_id in case_ids[:-1]:
        conn.execute("INSERT OR IGNORE INTO key_sync_due(case_id, since) VALUES (?, 'x')",
                     (case_id,))
    _queue(conn, case_ids[-1])


def test_zvh_3_5c_an_item_rewritten_as_provided_by_the_attacker_gets_them_no_seal(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5c: the provider decides.  A HALT participant writes HALT into a police
    item's ``source_party``; the police officer's next login seals nothing to HALT, and
    the police keep the item."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.HALT, ts.POLICE))
    police, halt = ts._user(ts.POLICE), ts._user(ts.HALT)
    item_id = ts._item(folder, police, ref, "POLITIE-CANARY-bron", category="police",
                       legal_basis=ts.POLICE_BASIS)
    _users(folder)
    store_id = _STORE_IDS[folder]
    assert item_id in attack(folder, police, store_id).items
    assert item_id not in attack(folder, halt, store_id).items
    conn = _as(folder, halt)
    _forge(conn, "UPDATE items SET source_party = ? WHERE id = ?", (ts.HALT, item_id),
           (_case_id(_as(folder, halt), ref),))
    assert _fooled(folder, halt, ref, item_id)  # the row fools the policy
    ts._open(folder, police).close()  # the provider's login does the key work
    assert item_id not in attack(folder, halt, store_id).items
    assert item_id in attack(folder, police, store_id).items


def test_zvh_3_5d_an_item_moved_into_a_case_where_the_attacker_holds_a_grant_gets_no_seal(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5d: a grant covers what the provider shared in that case.  Moving a
    municipality item (``items.case_id``) into a case where the municipality granted HALT
    the category gives HALT no key to the moved item; an item the municipality really
    provides there is sealed."""
    folder = demo_store(ts.SPEC)
    rdam, halt = ts._user(ts.RDAM), ts._user(ts.HALT)
    home = ts._new_case(folder)
    shared = ts._new_case(folder, involve=(ts.HALT,))
    secret = ts._item(folder, rdam, home, "RDAM-CANARY-verhuisd", category="identity")
    ts._grant(folder, rdam, shared, ts.HALT, category="identity")
    really = ts._item(folder, rdam, shared, "RDAM-CANARY-gedeeld", category="identity")
    _users(folder)
    store_id = _STORE_IDS[folder]
    assert really in attack(folder, halt, store_id).items  # the grant works as such
    assert secret not in attack(folder, halt, store_id).items
    conn = _as(folder, halt)
    target = _case_id(_as(folder, halt), shared)
    person = conn.execute("SELECT id FROM persons WHERE case_id = ?", (target,)).fetchone()[0]
    _forge(conn, "UPDATE items SET case_id = ?, person_id = ? WHERE id = ?",
           (target, person, secret), (target,))
    assert _fooled(folder, halt, shared, secret)
    ts._open(folder, rdam).close()
    assert secret not in attack(folder, halt, store_id).items
    assert really in attack(folder, halt, store_id).items
    assert secret in attack(folder, rdam, store_id).items  # the provider keeps it


def test_zvh_3_5c_a_forged_item_row_involves_its_party_in_nothing(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5c, 9.6: a party takes part in a case by providing.  An item row inserted
    with the data key as "provided by HALT" makes HALT a party of the case for the rows
    (the attacker's own app), but not for the key work's facts."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder)
    halt = ts._user(ts.HALT)
    conn = _as(folder, halt)
    case_id = _case_id(_as(folder, halt), ref)
    _forge(conn, "INSERT INTO items(case_id, kind, field, body, source_party, category,"
           " phase, legal_basis, provided_on, created_by, by_director) VALUES"
           " (?, 'text', '', 'nep', ?, 'identity', 'casusoverleg', ?, '2026-12-01', ?, 0)",
           (case_id, ts.HALT, ts.BASIS, halt), (case_id,))
    with ts._open(folder, ts.CHAIR) as session:
        store = session.store
        cases = repo.cases(store.conn, [case_id])
        items = repo.items_by_case(store.conn, [case_id])[case_id]
        rows = load_facts(store.conn, cases)[case_id]
        assert ts.HALT in rows.involved  # the forged row fools the rows
        signed = vouch.facts_for(store, cases)
        assert signed is not None
        pinned = vouch_items.vouched(store, items)
        assert pinned is not None
        keyed = load_facts(store.conn, cases, dataclasses.replace(signed, items=pinned))
        assert ts.HALT not in keyed[case_id].involved
        assert ts.RDAM in keyed[case_id].involved


def test_honest_items_are_vouched_and_a_rewritten_row_is_not(
        demo_store: DemoStoreFactory) -> None:
    """The digest a signed ``item.add`` carries matches the row the app wrote (an item
    and its correction count); changing one fact of the row (here the legal basis)
    unpins it."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder)
    rdam = ts._user(ts.RDAM)
    item_id = ts._item(folder, rdam, ref, "RDAM-CANARY-vast")
    with ts._open(folder, rdam) as session:
        items = session.store.conn.execute("SELECT id FROM items").fetchall()
        loaded = [i for v in repo.items_by_case(session.store.conn, None).values() for i in v]
        trusted = vouch_items.vouched(session.store, loaded)
        assert trusted is not None
        assert {int(r[0]) for r in items} == set(trusted)
    conn = _as(folder, rdam)
    conn.execute("UPDATE items SET legal_basis = 'verzonnen' WHERE id = ?", (item_id,))
    conn.commit()
    conn.close()
    with ts._open(folder, rdam) as session:
        loaded = [i for v in repo.items_by_case(session.store.conn, None).values() for i in v]
        trusted = vouch_items.vouched(session.store, loaded)
        assert trusted is not None
        assert item_id not in trusted
        assert len(trusted) == len(loaded) - 1


def _keyed_involved(folder: Path, case_id: int) -> tuple[frozenset[str], frozenset[str]]:
    """(parties involved by the rows, parties involved for the key work) of a case."""
    with ts._open(folder, ts.CHAIR) as session:
        store = session.store
        cases = repo.cases(store.conn, [case_id])
        rows = load_facts(store.conn, cases)[case_id].involved
        signed = vouch.facts_for(store, cases)
        assert signed is not None
        items = repo.items_by_case(store.conn, [case_id]).get(case_id, [])
        pinned = dataclasses.replace(
            signed, items=vouch_items.vouched(store, items),
            actions=vouch_items.vouched_actions(store, [case_id]))
        return rows, load_facts(store.conn, cases, pinned)[case_id].involved


def test_zvh_13_2_a_forged_action_owner_involves_no_party_for_the_keys(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 13.2: the table decides who takes part.  An action the chair agreed with GGZ
    involves GGZ for the key work too; rewriting its owner to HALT, or inserting an action
    for HALT with the data key, involves HALT for the rows only; a correction through the
    app that names HALT does involve it."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder)
    with ts._open(folder, ts.CHAIR) as session:
        action_id = meetings.add_action(session, ref, "Huisbezoek", owner_party=ts.GGZ)
    halt = ts._user(ts.HALT)
    case_id = _case_id(_as(folder, halt), ref)
    rows, keyed = _keyed_involved(folder, case_id)
    assert ts.GGZ in rows
    assert ts.GGZ in keyed
    assert ts.HALT not in rows
    conn = _as(folder, halt)
    # The triggers guard against mistakes, not against the data key: the attacker drops them.
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                " AND tbl_name = 'actions'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("UPDATE actions SET owner_party = ? WHERE id = ?", (ts.HALT, action_id))
    conn.execute("INSERT INTO actions(case_id, text, owner_party, created_on)"
                 " VALUES (?, 'nep', ?, '2026-12-01')", (case_id, ts.HALT))
    conn.commit()
    conn.close()
    rows, keyed = _keyed_involved(folder, case_id)
    assert ts.HALT in rows  # the forged rows fool the rows
    assert ts.HALT not in keyed
    assert ts.GGZ not in keyed  # the rewritten row no longer pins GGZ either
    conn = _as(folder, halt)
    conn.execute("UPDATE actions SET owner_party = ? WHERE id = ?", (ts.GGZ, action_id))
    conn.execute("DELETE FROM actions WHERE text = 'nep'")
    conn.commit()
    conn.close()
    with ts._open(folder, ts.CHAIR) as session:
        joint_edit.correct_action(session, ref, action_id, owner_party=ts.HALT,
                                  reason="HALT neemt het over")
    rows, keyed = _keyed_involved(folder, case_id)
    assert ts.HALT in keyed
    assert ts.GGZ not in keyed
