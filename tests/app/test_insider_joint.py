"""The joint record under keys, tested as a hostile insider would (issue 9, point 1).

The joint record (goals, actions, decisions, progress, a meeting's discussion notes)
belongs to the parties involved in the case (ZVH 2.2); a party involved only by an
invitation sees what its meetings recorded (ZVH 13.2); support roles see none of it
(ZVH 9.6, 17.2).  Each user of a canary demo store opens the database with their own
passphrase and ``sqlcipher3``, tries every row seal with every key they reach, and must
decrypt only rows the policy shows them at some time, and every row it shows them today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
import sqlcipher3

from app.crypto.keyslots import SlotFile
from app.domain.principals import party_principal
from app.domain.roles import SUPPORT_ROLES, Role
from app.i18n import language
from app.policy.engine import Level, PolicyContext, Viewer
from app.policy.facts import load_facts
from app.policy.holders import probe_contexts
from app.policy.joint import decide_joint, joint_scope
from app.profiles import load_profile
from app.services import joint_edit, meetings
from app.services.redaction import strictest_incident_classes
from app.store import repo
from tests.app import test_insider as ins
from tests.app.services import test_services as ts
from tests.conftest import PASSPHRASE, DemoStoreFactory

SPEC = ins.SPEC
TODAY = ins.TODAY
KINDS = {"goal": ("goals", "NULL", "created_on"),
         "action": ("actions", "meeting_id", "created_on"),
         "decision": ("decisions", "meeting_id", "decided_on"),
         "progress": ("progress", "NULL", "entry_on")}


@pytest.fixture(scope="module")
def demo_folder(demo_stores: object) -> Path:
    """The pristine canary demo store (read only here)."""
    return demo_stores.pristine(SPEC).folder  # type: ignore[attr-defined]


def row_keys(folder: Path, username: str, store_id: str
             ) -> tuple[sqlcipher3.Connection, dict[tuple[str, int, int], bytes]]:
    """The store opened with ``username``'s own key, and every row key (kind, row id,
    generation) their script opens from the seals in ``joint_keys``."""
    conn, privates, publics = ins.reach(folder, username, store_id)
    keys: dict[tuple[str, int, int], bytes] = {}
    for kind, row_id, gen, holder, sealer, sealer_version, sealed in conn.execute(
            "SELECT kind, row_id, key_gen, holder, sealer, sealer_version, sealed"
            " FROM joint_keys"):
        aad = f"joint-key|{store_id}|{kind}|{row_id}|{gen}|{holder}".encode()
        key = ins.open_seal(privates, publics, sealer, sealer_version, sealed, aad)
        if key is not None:
            keys[(str(kind), int(row_id), int(gen))] = key
    return conn, keys


def joint_loot(folder: Path, username: str, store_id: str) -> dict[tuple[str, int], str]:
    """Every row of the joint record ``username`` decrypts with a script: (kind, id) ->
    words."""
    conn, keys = row_keys(folder, username, store_id)
    loot: dict[tuple[str, int], str] = {}
    # The plan's own words (the case goal and the plan's texts) are kind "plan", one per
    # case (schema 15).
    stored = [(kind, f"SELECT id, key_gen, content FROM {table} WHERE content IS NOT NULL")
              for kind, (table, _m, _d) in KINDS.items()]
    plan = "SELECT id, plan_gen, plan_content FROM cases WHERE plan_content IS NOT NULL"
    stored.append(("plan", plan))
    for kind, query in stored:
        for row_id, gen, content in conn.execute(query):
            key = keys.get((kind, int(row_id), int(gen)))
            plain = None if key is None else ins._open_gcm(
                key, bytes(content), f"joint|{store_id}|{kind}|{row_id}|{gen}".encode())
            if plain is not None:
                loot[(kind, int(row_id))] = plain.decode()
    conn.close()
    return loot


def joint_allowed(folder: Path, username: str, role: Role, party: str
                  ) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(rows the policy shows ``username`` at some probed time, rows it shows today
    outside any meeting), judged as the user is, with the scope of their invitations."""
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(folder, admin.data_key)
    profile = load_profile(ins.ZVH)
    cases = repo.cases(conn)
    facts = load_facts(conn, cases)
    rows: dict[int, list[tuple[str, int, int | None, dt.date]]] = {}
    for kind, (table, meeting, day) in KINDS.items():
        for row_id, case_id, mid, on in conn.execute(
                f"SELECT id, case_id, {meeting}, {day} FROM {table}"):
            rows.setdefault(int(case_id), []).append(
                (kind, int(row_id), mid, dt.date.fromisoformat(str(on))))
    for case in cases:
        rows.setdefault(case.id, []).append(("plan", case.id, None, case.opened_at))
    conn.close()
    viewer = Viewer(party, role, username)
    base = PolicyContext(profile, TODAY, None, strictest_incident_classes())
    ever: set[tuple[str, int]] = set()
    today: set[tuple[str, int]] = set()
    for case in cases:
        f = facts[case.id]
        probes = probe_contexts(f, base) + [
            dataclasses.replace(base, today=TODAY + dt.timedelta(days=d), meeting_id=m)
            for d in (-365, -30, 30, 365) for m in (None, *(t.meeting_id for t in f.tables))]
        scope = joint_scope(viewer, f)
        some = any(decide_joint(viewer, f, p).level is Level.FULL for p in probes)
        now = decide_joint(viewer, f, base).level is Level.FULL
        for kind, row_id, mid, on in rows.get(case.id, []):
            # The case view shows the goal and the plan whatever the invitation's scope.
            if kind != "plan" and not scope.covers(None if kind == "progress" else mid, on):
                continue
            if some:
                ever.add((kind, row_id))
            if now:
                today.add((kind, row_id))
    return ever, today


def test_zvh_2_2_each_user_decrypts_only_the_joint_record_the_policy_shows(
        demo_folder: Path) -> None:
    """ZVH 2.2, 13.2, 9.6: with their own key and a script, a user decrypts the joint
    record only of cases whose table the policy lets them see at some time (within the
    scope of their invitations); support roles decrypt none of it; and what the policy
    shows them today, their keys open."""
    users = ins._users(demo_folder)
    store_id = ins._STORE_IDS[demo_folder]
    anyone: set[tuple[str, int]] = set()
    partial: list[str] = []  # users who decrypt some of the joint record, not all
    for username, role, party in users:
        loot = joint_loot(demo_folder, username, store_id)
        anyone |= set(loot)
        assert all("CANARY-" in words for words in loot.values()), username
        if role in SUPPORT_ROLES:
            assert loot == {}, (username, len(loot))
            continue
        ever, today = joint_allowed(demo_folder, username, role, party)
        assert set(loot) <= ever, (username, sorted(set(loot) - ever)[:5])
        assert today <= set(loot), (username, sorted(today - set(loot))[:5])
        if loot:
            partial.append(username)
    assert anyone, "nobody decrypted any of the joint record: the test proves nothing"
    # Some user who decrypts part of the joint record does not decrypt all of it.
    assert any(set(joint_loot(demo_folder, u, store_id)) != anyone for u in partial)


def test_the_joint_record_is_not_in_clear_for_the_data_key(demo_folder: Path) -> None:
    """Issue 9: the joint record's words, the case goal and the plan's texts included,
    are in no column the data key opens."""
    admin = SlotFile.read(demo_folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(demo_folder, admin.data_key)
    counts = {kind: conn.execute(
        f"SELECT count(*), sum(text != ''), sum(content IS NULL) FROM {table}").fetchone()
        for kind, (table, _m, _d) in KINDS.items()}
    counts["plan"] = conn.execute(
        "SELECT count(*), sum(goal != '' OR plan_problem != '' OR plan_monitoring != ''"
        " OR plan_informing != '' OR plan_exit_criteria != ''), sum(plan_content IS NULL)"
        " FROM cases").fetchone()
    conn.close()
    for kind, (total, clear, bare) in counts.items():
        assert total > 0, kind
        assert (clear, bare) == (0, 0), kind


def _store_id(folder: Path) -> str:
    ins._users(folder)
    return ins._STORE_IDS[folder]


def _seals(folder: Path, kind: str, row_id: int, holder: str) -> list[tuple[object, ...]]:
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(folder, admin.data_key)
    rows = conn.execute("SELECT key_gen, sealer, sealer_version, sealed FROM joint_keys"
                        " WHERE kind = ? AND row_id = ? AND holder = ?",
                        (kind, row_id, holder)).fetchall()
    content = conn.execute(f"SELECT key_gen, content FROM {KINDS[kind][0]} WHERE id = ?",
                           (row_id,)).fetchone()
    conn.close()
    return [(*r, *content) for r in rows]


def test_zvh_13_2_an_invited_party_holds_no_key_to_what_later_meetings_decide(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 13.2: a party involved by an invitation sees the joint record of that meeting
    and what was recorded up to it; a decision of a later meeting it is not invited to is
    sealed to the parties there, not to it, even for a script."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.HALT))
    with ts._open(folder, ts.CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Rust in de straat")
        later = meetings.create_meeting(session, starts_at=ts._at(8), place="Stadhuis")
        meetings.add_to_agenda(session, later, ref, [ts.RDAM, ts.POLICE])
        decision = meetings.record_decision(session, ref, "Woonbegeleiding inzetten",
                                            meeting_id=later, decided_on=TODAY)
    store_id = _store_id(folder)
    halt = joint_loot(folder, ts._user(ts.HALT), store_id)
    police = joint_loot(folder, ts._user(ts.POLICE), store_id)
    assert halt[("goal", goal)] == "Rust in de straat"
    assert ("decision", decision) not in halt
    assert police[("decision", decision)] == "Woonbegeleiding inzetten"
    # And the app says the same: HALT's case view has the goal, not the decision.
    view = ts._view(folder, ts._user(ts.HALT), ref)
    assert [g.text for g in view.goals] == ["Rust in de straat"]
    assert [d.decision_id for d in view.decisions] == []


def saved_goal_key(folder: Path, username: str, store_id: str, goal: int,
                   seal: tuple[object, ...], column: str
                   ) -> tuple[bytes, tuple[int, int], bytes]:
    """What a seal of ``username``'s party (from :func:`_seals`), saved before a re-key,
    still opens: the goal's old key, (the current generation, the saved one), and the
    goal's current ``column`` (``content`` or ``reason_content``).  The current
    generation is one later."""
    (old_gen, sealer, sealer_version, sealed, _g, _c) = seal
    holder = party_principal(next(p for u, _r, p in ins._users(folder) if u == username))
    conn, privates, publics = ins.reach(folder, username, store_id)
    gen, blob = conn.execute(f"SELECT key_gen, {column} FROM goals WHERE id = ?",
                             (goal,)).fetchone()
    conn.close()
    old_key = ins.open_seal(
        privates, publics, sealer, sealer_version, sealed,
        f"joint-key|{store_id}|goal|{goal}|{old_gen}|{holder}".encode())
    assert old_key is not None
    assert int(gen) == int(str(old_gen)) + 1
    assert blob is not None
    return old_key, (int(gen), int(str(old_gen))), bytes(blob)


def test_zvh_11_6_closing_re_keys_the_joint_record_for_those_who_keep_it(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 11.6, 3.5b: after afschaling only the procesregisseur keeps the joint record.
    The rows are encrypted again under new keys, so a seal a participant saved before
    opens nothing current, and the participant's script decrypts none of it."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.HALT))
    with ts._open(folder, ts.CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Rust in de straat")
    store_id = _store_id(folder)
    halt_user = ts._user(ts.HALT)
    assert ("goal", goal) in joint_loot(folder, halt_user, store_id)
    party = f"party:{ts.HALT}"
    saved = _seals(folder, "goal", goal, party)
    assert saved, "HALT held a seal: the test needs one to save"
    with ts._open(folder, ts.CHAIR) as session:
        ts.casework.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                               basis="PP 1.21")
    assert ("goal", goal) not in joint_loot(folder, halt_user, store_id)
    assert _seals(folder, "goal", goal, party) == []
    # The saved seal still opens the old key, which opens no current content.
    old_key, gens, content = saved_goal_key(folder, halt_user, store_id, goal, saved[0],
                                            "content")
    for g in gens:
        assert ins._open_gcm(old_key, content,
                             f"joint|{store_id}|goal|{goal}|{g}".encode()) is None
    # The procesregisseur keeps it (ZVH 11.6) and reads it in the app.
    view = ts._view(folder, ts.CHAIR, ref)
    assert [g.text for g in view.goals] == ["Rust in de straat"]


def test_a_row_the_user_cannot_read_is_shown_as_such_and_cannot_be_corrected(
        demo_store: DemoStoreFactory) -> None:
    """Issue 9: where the policy would show a row but its key was never sealed to the
    reader (here: the seal deleted with a script), the app shows the placeholder, not the
    words, and refuses to correct what it cannot read."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder)
    with ts._open(folder, ts.CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Rust in de straat")
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(folder, admin.data_key)
    conn.execute("DELETE FROM joint_keys WHERE row_id = ? AND kind = 'goal'", (goal,))
    conn.commit()
    conn.close()
    with ts._open(folder, ts.CHAIR) as session:
        texts = [g.text for g in ts.cases.show_case(session, ref, today=TODAY).goals]
        with language("nl"):
            dutch = [g.text for g in ts.cases.show_case(session, ref, today=TODAY).goals]
        with pytest.raises(ts.InputError) as refused:
            joint_edit.correct_goal(session, ref, goal, text="Iets anders")
    assert texts == ["Masked · not readable with your keys · ZVH 3.5c"]
    assert dutch == ["Afgeschermd · niet leesbaar met uw sleutels · ZVH 3.5c"]
    assert refused.value.code == "joint.no_key"


def test_a_row_left_in_clear_is_encrypted_by_the_next_transaction(
        demo_store: DemoStoreFactory) -> None:
    """Schema 14: a row of the joint record in clear (a store from before row keys, or
    any code path that writes one) is encrypted and sealed by the next transaction of a
    user with keys (the login is one), and then reads as before."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(folder, admin.data_key)
    (case_id,) = conn.execute("SELECT id FROM cases WHERE reference = ?", (ref,)).fetchone()
    conn.execute("INSERT INTO goals(case_id, text, status, created_on)"
                 " VALUES (?, 'Oude regel in klare tekst', 'open', ?)",
                 (case_id, TODAY.isoformat()))
    conn.commit()
    (goal,) = conn.execute("SELECT max(id) FROM goals").fetchone()
    conn.close()
    with ts._open(folder, ts.CHAIR):
        pass
    conn = ins._connect(folder, admin.data_key)
    stored = conn.execute("SELECT text, content IS NOT NULL, key_gen FROM goals WHERE id = ?",
                          (goal,)).fetchone()
    conn.close()
    assert tuple(stored) == ("", 1, 1)
    police = joint_loot(folder, ts._user(ts.POLICE), _store_id(folder))
    assert police[("goal", goal)] == "Oude regel in klare tekst"
    view = ts._view(folder, ts.CHAIR, ref)
    assert "Oude regel in klare tekst" in [g.text for g in view.goals]


def test_zvh_2_2_the_plan_van_aanpak_is_sealed_to_the_table_and_re_keyed_at_closing(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 2.2, 1.20, 11.6: the case goal and the plan's texts are encrypted together;
    the parties at the table decrypt them with a script, a party not involved does not;
    a change by the procesregisseur is a new key; after afschaling only the
    procesregisseur keeps them."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.HALT))
    with ts._open(folder, ts.CHAIR) as session:
        meetings.set_plan(session, ref, problem="Overlast in de portiek",
                          exit_criteria="Drie maanden rust")
    store_id = _store_id(folder)
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(folder, admin.data_key)
    (case_id, clear, gen) = conn.execute(
        "SELECT id, goal || plan_problem || plan_exit_criteria, plan_gen FROM cases"
        " WHERE reference = ?", (ref,)).fetchone()
    conn.close()
    assert clear == ""
    assert gen == 2  # the goal at creation, then the plan written whole
    halt = joint_loot(folder, ts._user(ts.HALT), store_id)
    ggz = joint_loot(folder, ts._user(ts.GGZ), store_id)
    words = json.loads(halt[("plan", case_id)])
    assert words["goal"] == "Rust in de straat"
    assert words["plan_problem"] == "Overlast in de portiek"
    assert words["plan_exit_criteria"] == "Drie maanden rust"
    assert ("plan", case_id) not in ggz
    view = ts._view(folder, ts.CHAIR, ref)
    assert view.goal == "Rust in de straat"
    assert view.plan is not None
    assert view.plan.problem == "Overlast in de portiek"
    with ts._open(folder, ts.CHAIR) as session:
        ts.casework.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                               basis="PP 1.21")
    assert ("plan", case_id) not in joint_loot(folder, ts._user(ts.HALT), store_id)
    assert ts._view(folder, ts.CHAIR, ref).goal == "Rust in de straat"
