"""Forged facts bend no keys (issue 9, point 1): an insider with the data key and a script
who rewrites who directs a case, who sits at a meeting or what role they have gets no seal
when an honest holder next does the key work.  The keys follow the signed entries
(app.services.vouch), not the rows (ZVH 3.5c: the providing party keeps control).

Each test first shows that the forgery fools the policy itself (the attacker's own app,
which trusts the rows, decides to show the item), so the test fails if the keys still
followed the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from app.crypto.keyslots import SlotFile
from app.services import meetings, phases, vouch
from app.store.store import Store
from app.views import ViewSpec
from tests.app.services import test_services as ts
from tests.app.test_insider import _STORE_IDS, _connect, _users, attack
from tests.conftest import PASSPHRASE, TEST_KDF, DemoStoreFactory


def _as(folder: Path, username: str) -> sqlcipher3.Connection:
    """The attacker's own route into the store: their slot's data key, sqlcipher3."""
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(username, PASSPHRASE)
    return _connect(folder, keys.data_key)


def _case_id(conn: sqlcipher3.Connection, ref: str) -> int:
    return int(conn.execute("SELECT id FROM cases WHERE reference = ?", (ref,)).fetchone()[0])


def _queue(conn: sqlcipher3.Connection, case_id: int) -> None:
    conn.execute("INSERT OR IGNORE INTO key_sync_due(case_id, since) VALUES (?, 'x')",
                 (case_id,))
    conn.commit()
    conn.close()


def _fooled(folder: Path, username: str, ref: str, item_id: int) -> bool:
    """Whether the attacker's own app, which trusts the rows, decides to show the item
    (in full, or as "not readable with your keys" for want of the key)."""
    return ts._levels(ts._view(folder, username, ref)).get(item_id) in {"FULL", "no_key"}


def test_zvh_9_6_a_participant_who_makes_themselves_director_gets_no_seal(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 9.6: only the procesregisseur directs.  A HALT participant who writes
    themselves into ``cases.procesregisseur`` and ``users.role`` gets none of the case's
    keys at the provider's next login; a real hand-over through the app does give the new
    director the key."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder)
    rdam_user, halt_user = ts._user(ts.RDAM), ts._user(ts.HALT)
    item_id = ts._item(folder, rdam_user, ref, "RDAM-CANARY-regie", category="identity")
    _users(folder)
    store_id = _STORE_IDS[folder]
    assert item_id not in attack(folder, halt_user, store_id).items
    conn = _as(folder, halt_user)
    conn.execute("UPDATE users SET role = 'procesregisseur' WHERE username = ?", (halt_user,))
    conn.execute("UPDATE cases SET procesregisseur = ? WHERE reference = ?", (halt_user, ref))
    _queue(conn, _case_id(_as(folder, halt_user), ref))
    assert _fooled(folder, halt_user, ref, item_id)  # the rows fool the policy
    ts._open(folder, rdam_user).close()  # the provider's login does the key work
    assert item_id not in attack(folder, halt_user, store_id).items
    # The forged role is no role either: no other case's director key reaches HALT.
    assert not attack(folder, halt_user, store_id).items & attack(
        folder, ts.CHAIR, store_id).items - attack(folder, halt_user, store_id).items
    # Undo the forgery; a signed hand-over to another procesregisseur seals to them.
    conn = _as(folder, halt_user)
    conn.execute("UPDATE users SET role = 'deelnemer' WHERE username = ?", (halt_user,))
    conn.execute("UPDATE cases SET procesregisseur = ? WHERE reference = ?", (ts.CHAIR, ref))
    conn.commit()
    conn.close()
    assert item_id not in attack(folder, ts.OTHER_CHAIR, store_id).items
    with ts._open(folder, ts.CHAIR) as session:
        phases.hand_over(session, ref, to=ts.OTHER_CHAIR, reason="verlof")
    assert item_id in attack(folder, ts.OTHER_CHAIR, store_id).items


def test_zvh_9_6_another_procesregisseur_who_takes_a_case_over_by_script_gets_no_seal(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 9.6: a procesregisseur of the same store directs only the cases handed to
    them.  Writing oneself into a colleague's case gives no director's key."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder)
    rdam_user = ts._user(ts.RDAM)
    item_id = ts._item(folder, rdam_user, ref, "RDAM-CANARY-overgenomen")
    _users(folder)
    store_id = _STORE_IDS[folder]
    conn = _as(folder, ts.OTHER_CHAIR)
    conn.execute("UPDATE cases SET procesregisseur = ? WHERE reference = ?",
                 (ts.OTHER_CHAIR, ref))
    _queue(conn, _case_id(_as(folder, ts.OTHER_CHAIR), ref))
    assert _fooled(folder, ts.OTHER_CHAIR, ref, item_id)
    ts._open(folder, rdam_user).close()
    assert item_id not in attack(folder, ts.OTHER_CHAIR, store_id).items
    assert item_id in attack(folder, ts.CHAIR, store_id).items  # the real director keeps it


def _meeting_case(folder: Path) -> tuple[str, int, int]:
    """A case on a meeting's agenda with the police and the municipality at the table and
    a police item shared with the municipality for that meeting."""
    ref = ts._new_case(folder)
    with ts._open(folder, ts.CHAIR) as session:
        mid = meetings.create_meeting(session, starts_at=ts._at(1), place="Stadhuis",
                                      notulist=ts.NOTULIST)
        for party in (ts.RDAM, ts.POLICE):
            meetings.set_attendee(session, mid, party, present=True)
        meetings.add_to_agenda(session, mid, ref, [ts.RDAM, ts.POLICE])
    police_user = ts._user(ts.POLICE)
    item_id = ts._item(folder, police_user, ref, "POLITIE-CANARY-tafel", category="police",
                       legal_basis=ts.POLICE_BASIS)
    ts._grant(folder, police_user, ref, ts.RDAM, item_id=item_id, meeting_id=mid)
    return ref, mid, item_id


def test_zvh_13_2_a_party_written_into_a_meeting_gets_no_seal_of_what_the_table_shares(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 13.2: who sits at the table for a case is the chair's decision, and what the
    a party shared for a meeting reaches only the parties at it.  The municipality
    shared its item with HALT for the meeting, but HALT was not invited.  A HALT participant
    who writes HALT into the attendance and the invitations gets no key for it."""
    folder = demo_store(ts.SPEC)
    ref, mid, _police_item = _meeting_case(folder)
    rdam_user = ts._user(ts.RDAM)
    item_id = ts._item(folder, rdam_user, ref, "RDAM-CANARY-tafel")
    ts._grant(folder, rdam_user, ref, ts.HALT, item_id=item_id, meeting_id=mid)
    halt_user = ts._user(ts.HALT)
    _users(folder)
    store_id = _STORE_IDS[folder]
    before = attack(folder, halt_user, store_id).items
    assert item_id not in before
    conn = _as(folder, halt_user)
    case_id = _case_id(conn, ref)
    conn.execute("INSERT INTO attendees(meeting_id, party_id, name, present)"
                 " VALUES (?, ?, '', 1)", (mid, ts.HALT))
    conn.execute("INSERT INTO invitations(meeting_id, case_id, party_id, invited, reason)"
                 " VALUES (?, ?, ?, 1, '')", (mid, case_id, ts.HALT))
    _queue(conn, case_id)
    fooled = ts._levels(ts._view(folder, halt_user, ref, ViewSpec(meeting_id=mid)))
    assert fooled.get(item_id) in {"FULL", "no_key"}, "the forged seat fools the policy"
    for user in (ts._user(ts.POLICE), ts.CHAIR, ts._user(ts.RDAM)):
        ts._open(folder, user).close()
    assert attack(folder, halt_user, store_id).items == before
    assert item_id in attack(folder, ts._user(ts.RDAM), store_id).items
    # Seated by the chair through the app, HALT does get what was shared with it.
    with ts._open(folder, ts.CHAIR) as session:
        meetings.set_attendee(session, mid, ts.HALT, present=True)
        meetings.add_to_agenda(session, mid, ref, [ts.HALT],
                               {ts.HALT: "jeugdhulp bespreekt alleen het plan"})
    assert item_id in attack(folder, halt_user, store_id).items


def test_zvh_15_2_a_minute_taker_written_into_a_meeting_gets_no_seal(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 15.2: the minute taker of a meeting is the one the chair named.  Another
    minute taker who writes themselves into ``meetings.notulist`` gets no key."""
    folder = demo_store(ts.SPEC)
    ref, mid, item_id = _meeting_case(folder)
    _users(folder)
    store_id = _STORE_IDS[folder]
    assert item_id in attack(folder, ts.NOTULIST, store_id).items  # named: the key
    own = attack(folder, ts.NOTULIST, store_id).items
    assert attack(folder, ts.OTHER_NOTULIST, store_id).items == set()
    conn = _as(folder, ts.OTHER_NOTULIST)
    conn.execute("UPDATE meetings SET notulist = ? WHERE id = ?", (ts.OTHER_NOTULIST, mid))
    _queue(conn, _case_id(_as(folder, ts.OTHER_NOTULIST), ref))
    ts._open(folder, ts.CHAIR).close()
    ts._open(folder, ts._user(ts.POLICE)).close()
    assert attack(folder, ts.OTHER_NOTULIST, store_id).items == set()
    # The minute taker the chair named keeps what they held.
    assert attack(folder, ts.NOTULIST, store_id).items >= own


def test_deleting_the_mark_does_not_bring_back_trust_in_the_rows(
        demo_store: DemoStoreFactory) -> None:
    """The mark after which only signed facts count cannot be removed: deleting its
    entry leaves a gap in the chain, which counts as marked."""
    folder = demo_store(ts.SPEC)
    with ts._open(folder, ts.CHAIR) as session:
        assert vouch.required(session.store)
        seqs = session.store.audit.entries_named(vouch.MARK)
    assert seqs
    conn = _as(folder, ts._user(ts.HALT))
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for name, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                              " AND tbl_name = 'audit'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.executemany("DELETE FROM audit WHERE seq = ?", [(s,) for s in seqs])
    conn.commit()
    conn.close()
    store = Store.open(folder, ts.CHAIR, PASSPHRASE, legacy=True)
    try:
        assert vouch.required(store)
    finally:
        store.close()


def test_a_store_from_before_signed_facts_is_vouched_at_its_root_login(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store made before this rule has no mark and no vouching entries: its rows are
    trusted until the root administrator logs in once.  That login vouches for the rows
    as they are and marks the store, so a director forged after it gets nothing."""
    from app.demo import create_demo_store
    from app.store import store as store_module

    plain_log = store_module.Store.log

    def old_log(self: Store, name: str, **kwargs: object) -> int:
        if name in {vouch.MARK, "admin.user_vouch", "case.vouch", "meeting.vouch"}:
            return 0  # what the code before the rule did not write
        return plain_log(self, name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.Store, "log", old_log)
    folder = tmp_path / "old"
    create_demo_store(folder, ts.DEMO, profile_id=ts.SPEC.profile_id, passphrase=PASSPHRASE,
                      kdf=TEST_KDF, admin="beheer", admin_display_name="Beheer")
    monkeypatch.setattr(store_module.Store, "log", plain_log)
    with ts._open(folder, ts.CHAIR) as session:
        assert not vouch.required(session.store)
        assert vouch.roles(session.store) is None
    with ts._open(folder, "beheer") as session:
        assert vouch.required(session.store)
        roles = vouch.roles(session.store)
    assert roles is not None
    assert {u: roles.get(u) for u in ts.USERS} == ts.USERS
    ref = ts._new_case(folder)
    rdam_user, halt_user = ts._user(ts.RDAM), ts._user(ts.HALT)
    item_id = ts._item(folder, rdam_user, ref, "RDAM-CANARY-oud")
    _users(folder)
    conn = _as(folder, halt_user)
    conn.execute("UPDATE users SET role = 'procesregisseur' WHERE username = ?", (halt_user,))
    conn.execute("UPDATE cases SET procesregisseur = ? WHERE reference = ?", (halt_user, ref))
    _queue(conn, _case_id(_as(folder, halt_user), ref))
    ts._open(folder, rdam_user).close()
    assert item_id not in attack(folder, halt_user, _STORE_IDS[folder]).items


def test_zvh_3_5b_a_closed_case_written_back_into_its_phase_gets_no_seal(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5b: what is shared in a phase does not carry over.  The municipality grants
    HALT an item in the casusoverleg; the procesregisseur closes the case (afschaling) and
    HALT loses the key.  HALT writes the case back into ``casusoverleg`` (phase, no closing
    day): the procesregisseur's next login seals nothing to HALT again."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.HALT,))
    rdam, halt = ts._user(ts.RDAM), ts._user(ts.HALT)
    item_id = ts._item(folder, rdam, ref, "RDAM-CANARY-terug")
    ts._grant(folder, rdam, ref, ts.HALT, item_id=item_id)
    _users(folder)
    store_id = _STORE_IDS[folder]
    assert item_id in attack(folder, halt, store_id).items
    with ts._open(folder, ts.CHAIR) as session:
        phases.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                          basis="ZVH 1.21")
    ts._open(folder, rdam).close()
    assert item_id not in attack(folder, halt, store_id).items
    conn = _as(folder, halt)
    conn.execute("UPDATE cases SET phase = 'casusoverleg', closed_at = NULL"
                 " WHERE reference = ?", (ref,))
    case_id = _case_id(conn, ref)
    conn.execute("DELETE FROM phase_history WHERE case_id = ? AND phase = 'afschaling'",
                 (case_id,))
    _queue(conn, case_id)
    assert _fooled(folder, halt, ref, item_id)  # the rows fool the policy
    # After the afschaling only the procesregisseur holds the key: their login does the
    # key work.
    ts._open(folder, ts.CHAIR).close()
    assert item_id not in attack(folder, halt, store_id).items
    assert item_id in attack(folder, ts.CHAIR, store_id).items
