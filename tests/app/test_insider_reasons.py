"""Why the joint record was corrected, under the row's key (issue 9, point 1; schema 17).

The reason a user gives for correcting a goal, an action, a decision or a progress entry
is kept on the row it replaced (ZVH 15.2) and may say as much about the case as the words
did.  It is encrypted under that row's key: a user's script opens it exactly when it
opens the row's words, the data key alone shows nothing, and a re-key (closing, ZVH 11.6)
takes the reason along, so a seal saved before opens no current reason.
"""

from __future__ import annotations

from pathlib import Path

from app.crypto.keyslots import SlotFile
from app.services import joint_edit, meetings
from tests.app import test_insider as ins
from tests.app.services import test_services as ts
from tests.app.test_insider_joint import (
    _seals,
    _store_id,
    joint_loot,
    row_keys,
    saved_goal_key,
)
from tests.conftest import PASSPHRASE, DemoStoreFactory

REASONED = {"goal": "goals", "action": "actions", "decision": "decisions",
            "progress": "progress"}


def reason_loot(folder: Path, username: str, store_id: str) -> dict[tuple[str, int], str]:
    """Every correction reason ``username`` decrypts with a script: (kind, id) -> reason."""
    conn, keys = row_keys(folder, username, store_id)
    loot: dict[tuple[str, int], str] = {}
    for kind, table in REASONED.items():
        for row_id, gen, blob in conn.execute(
                f"SELECT id, key_gen, reason_content FROM {table}"
                " WHERE reason_content IS NOT NULL"):
            key = keys.get((kind, int(row_id), int(gen)))
            plain = None if key is None else ins._open_gcm(
                key, bytes(blob), f"joint-reason|{store_id}|{kind}|{row_id}|{gen}".encode())
            if plain is not None:
                loot[(kind, int(row_id))] = plain.decode()
    conn.close()
    return loot


def _clear_reasons(folder: Path) -> list[str]:
    """Every correction reason the data key alone reads."""
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(folder, admin.data_key)
    found = [str(r[0]) for table in REASONED.values() for r in conn.execute(
        f"SELECT correction_reason FROM {table} WHERE correction_reason != ''")]
    conn.close()
    return found


def test_zvh_2_2_a_correction_reason_opens_for_whom_the_row_opens(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 2.2, 15.2: the reasons for correcting a goal and a decision are in no column
    the data key reads; the police at the table decrypt them with a script, GGZ (not
    involved) does not, and the app shows them in the history."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    with ts._open(folder, ts.CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Rust in de straat")
        decision = meetings.record_decision(session, ref, "Buurtbemiddeling",
                                            decided_on=ts.TODAY)
        joint_edit.correct_goal(session, ref, goal, text="Rust in de portiek",
                                reason="REDEN-1 de melder woont op nummer 5")
        joint_edit.correct_decision(session, ref, decision, text="Mediation",
                                    reason="REDEN-2 betrokkene weigert bemiddeling")
    store_id = _store_id(folder)
    assert _clear_reasons(folder) == []
    police = reason_loot(folder, ts._user(ts.POLICE), store_id)
    ggz = reason_loot(folder, ts._user(ts.GGZ), store_id)
    assert police == {("goal", goal): "REDEN-1 de melder woont op nummer 5",
                      ("decision", decision): "REDEN-2 betrokkene weigert bemiddeling"}
    assert ggz == {}
    # The reason opens exactly where the words open.
    words = joint_loot(folder, ts._user(ts.POLICE), store_id)
    assert set(police) <= set(words)
    with ts._open(folder, ts.CHAIR) as session:
        history = joint_edit.history(session, ref, "goal", goal)
    assert [v.reason for v in history] == ["REDEN-1 de melder woont op nummer 5", ""]


def test_zvh_11_6_closing_re_keys_the_reason_with_the_words(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 11.6: after afschaling the corrected goal is encrypted again for the
    procesregisseur alone, its reason with it: the seal HALT saved opens the old key,
    which opens neither the current words nor the current reason."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.HALT))
    with ts._open(folder, ts.CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Rust in de straat")
        joint_edit.correct_goal(session, ref, goal, text="Rust in de portiek",
                                reason="REDEN-3 verhuisd naar de overkant")
    store_id = _store_id(folder)
    halt = ts._user(ts.HALT)
    assert reason_loot(folder, halt, store_id) == {("goal", goal):
                                                   "REDEN-3 verhuisd naar de overkant"}
    party = f"party:{ts.HALT}"
    saved = _seals(folder, "goal", goal, party)
    assert saved
    with ts._open(folder, ts.CHAIR) as session:
        ts.casework.close_case(session, ref, phase="afschaling", reason="Doelen bereikt",
                               basis="PP 1.21")
    assert reason_loot(folder, halt, store_id) == {}
    old_key, gens, blob = saved_goal_key(folder, halt, store_id, goal, saved[0],
                                         "reason_content")
    for g in gens:
        assert ins._open_gcm(old_key, blob,
                             f"joint-reason|{store_id}|goal|{goal}|{g}".encode()) is None
    # The procesregisseur keeps the history, reason included (ZVH 11.6).
    with ts._open(folder, ts.CHAIR) as session:
        history = joint_edit.history(session, ref, "goal", goal)
    assert history[0].reason == "REDEN-3 verhuisd naar de overkant"
    assert _clear_reasons(folder) == []


def test_a_reason_left_in_clear_is_encrypted_by_a_holder_of_the_row(
        demo_store: DemoStoreFactory) -> None:
    """Schema 17 on a store from before it: a correction whose reason is in clear on an
    encrypted row, and one whose words and reason are both in clear, are encrypted by the
    next transaction of a user who holds the row's key (the procesregisseur's login)."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE,))
    with ts._open(folder, ts.CHAIR) as session:
        goal = meetings.add_goal(session, ref, "Rust in de straat")
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    conn = ins._connect(folder, admin.data_key)
    (case_id,) = conn.execute("SELECT id FROM cases WHERE reference = ?", (ref,)).fetchone()
    day = ts.TODAY.isoformat()
    # As schema 16 left a correction: the new row (here in clear), the reason in clear.
    newer = conn.execute("INSERT INTO goals(case_id, text, status, created_on)"
                         " VALUES (?, 'Rust in de portiek', 'open', ?)",
                         (case_id, day)).lastrowid
    conn.execute("UPDATE goals SET superseded_by = ?, corrected_at = ?, corrected_by = ?,"
                 " correction_reason = 'REDEN-4 oud' WHERE id = ?",
                 (newer, day, ts.CHAIR, goal))
    # And from before row keys: words and reason both in clear.
    older = conn.execute("INSERT INTO goals(case_id, text, status, created_on)"
                         " VALUES (?, 'Oude regel', 'open', ?)", (case_id, day)).lastrowid
    latest = conn.execute("INSERT INTO goals(case_id, text, status, created_on)"
                          " VALUES (?, 'Nieuwe regel', 'open', ?)", (case_id, day)).lastrowid
    conn.execute("UPDATE goals SET superseded_by = ?, corrected_at = ?, corrected_by = ?,"
                 " correction_reason = 'REDEN-5 heel oud' WHERE id = ?",
                 (latest, day, ts.CHAIR, older))
    conn.commit()
    conn.close()
    assert sorted(_clear_reasons(folder)) == ["REDEN-4 oud", "REDEN-5 heel oud"]
    with ts._open(folder, ts.CHAIR):
        pass
    assert _clear_reasons(folder) == []
    police = reason_loot(folder, ts._user(ts.POLICE), _store_id(folder))
    assert police == {("goal", goal): "REDEN-4 oud", ("goal", older): "REDEN-5 heel oud"}
    with ts._open(folder, ts.CHAIR) as session:
        reasons = [v.reason for v in joint_edit.history(session, ref, "goal", older)]
    assert reasons == ["REDEN-5 heel oud", ""]
