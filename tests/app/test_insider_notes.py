"""The case's own notes under row keys, tested as a hostile insider would (issue 9,
point 1; schema 18).

A consent's purpose and the written basis of a weighing or reporting right (ZVH 7.2,
13.6) are shown to the party whose data it covers, the parties it names and the case's
director (the sharing tab); a phase change's note to whoever sees the table's record
(ZVH 2.2).  Each user opens the store with their own passphrase and ``sqlcipher3``, tries
every seal with every key they reach, and must decrypt only what that rule shows them,
and everything the app shows them; the data key alone reads none of it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.crypto.keyslots import SlotFile
from app.domain.roles import SUPPORT_ROLES
from app.policy.consent_view import shows_consent
from app.policy.engine import Viewer
from app.policy.facts import load_facts
from app.services import cases, consents, phases, sharing
from app.store import repo
from tests.app import test_insider as ins
from tests.app.services import test_services as ts
from tests.app.test_insider_joint import _store_id, joint_allowed, joint_loot, row_keys
from tests.conftest import PASSPHRASE, DemoStoreFactory

NOTES = {"consent": "consents", "phase": "phase_history"}
TODAY = ins.TODAY


@pytest.fixture(scope="module")
def demo_folder(demo_stores: object) -> Path:
    """The pristine canary demo store (read only here)."""
    return demo_stores.pristine(ts.SPEC).folder  # type: ignore[attr-defined]


def note_loot(folder: Path, username: str, store_id: str,
              kinds: Mapping[str, str] = NOTES) -> dict[tuple[str, int], dict[str, str]]:
    """Every note of ``kinds`` (kind -> table) ``username`` decrypts with a script:
    (kind, id) -> its fields."""
    conn, keys = row_keys(folder, username, store_id)
    loot: dict[tuple[str, int], dict[str, str]] = {}
    for kind, table in kinds.items():
        for row_id, gen, content in conn.execute(
                f"SELECT id, key_gen, content FROM {table} WHERE content IS NOT NULL"):
            key = keys.get((kind, int(row_id), int(gen)))
            plain = None if key is None else ins._open_gcm(
                key, bytes(content), f"joint|{store_id}|{kind}|{row_id}|{gen}".encode())
            if plain is not None:
                loot[(kind, int(row_id))] = json.loads(plain)
    conn.close()
    return loot


def _admin_conn(folder: Path) -> sqlcipher3.Connection:
    admin = SlotFile.read(folder / "keyslots.json").unlock_keys("beheer", PASSPHRASE)
    return ins._connect(folder, admin.data_key)


def _clear_notes(folder: Path) -> tuple[int, int, int]:
    """(consents, phase changes, rows with a note in clear)."""
    conn = _admin_conn(folder)
    counts = (int(conn.execute("SELECT count(*) FROM consents").fetchone()[0]),
              int(conn.execute("SELECT count(*) FROM phase_history").fetchone()[0]),
              int(conn.execute(
                  "SELECT (SELECT count(*) FROM consents WHERE purpose != ''"
                  " OR basis_note != '') + (SELECT count(*) FROM phase_history"
                  " WHERE note != '')").fetchone()[0]))
    conn.close()
    return counts


def test_zvh_7_2_each_user_decrypts_only_the_consents_the_sharing_tab_could_show(
        demo_folder: Path) -> None:
    """ZVH 7.2, 13.6, OND 7.2: with their own key and a script, a user decrypts a
    consent's purpose only where the rule of the sharing tab lets them see the consent
    (the source party, a named recipient, the case's director; never a support role),
    and every consent the app shows them today opens with their keys."""
    store_id = ins._STORE_IDS.get(demo_folder) or _store_id(demo_folder)
    users = ins._users(demo_folder)
    conn = _admin_conn(demo_folder)
    facts = load_facts(conn, repo.cases(conn))
    conn.close()
    by_id = {c.id: (f, c) for f in facts.values() for c in f.recorded_consents}
    assert by_id, "the demo store has no consents: the test proves nothing"
    opened: set[int] = set()
    partial = False
    for username, role, party in users:
        loot = {i for (kind, i) in note_loot(demo_folder, username, store_id)
                if kind == "consent"}
        if role in SUPPORT_ROLES:
            assert loot == set(), username
            continue
        viewer = Viewer(party, role, username)
        could = {i for i, (f, c) in by_id.items() if shows_consent(viewer, c, f)}
        assert loot <= could, (username, sorted(loot - could)[:5])
        with ts._open(demo_folder, username) as session:
            shown = {c.consent_id for case in cases.list_cases(session, today=TODAY)
                     for c in sharing.consents(session, case.reference, [
                         p.id for p in cases.show_case(session, case.reference,
                                                       today=TODAY).parties])}
        assert shown <= loot, (username, sorted(shown - loot)[:5])
        opened |= loot
        partial = partial or bool(loot and loot != set(by_id))
    assert opened, "nobody decrypted a consent"
    assert partial, "no user decrypts some consents and not others"


def test_the_notes_are_not_in_clear_for_the_data_key(demo_folder: Path) -> None:
    """Issue 9: no consent's purpose or basis and no phase note is in a column the data
    key opens."""
    consents_n, changes, clear = _clear_notes(demo_folder)
    assert consents_n > 0
    assert changes > 0
    assert clear == 0


def test_zvh_2_2_a_phase_note_is_the_tables(demo_store: DemoStoreFactory) -> None:
    """ZVH 2.2: the note given with a phase change is sealed to whoever sees the table's
    record: the police at the table decrypt it with a script and see it in the case
    view, GGZ (not involved) does not, and the column is empty."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE,), phase="triage")
    with ts._open(folder, ts.CHAIR) as session:
        phases.change_phase(session, ref, "casusoverleg", note="NOTITIE-1 melder verhuisd")
    store_id = _store_id(folder)
    police = note_loot(folder, ts._user(ts.POLICE), store_id)
    ggz = note_loot(folder, ts._user(ts.GGZ), store_id)
    notes = [v["note"] for (kind, _i), v in police.items() if kind == "phase"]
    assert "NOTITIE-1 melder verhuisd" in notes
    assert not any("NOTITIE-1" in json.dumps(v) for v in ggz.values())
    assert _clear_notes(folder)[2] == 0
    view = ts._view(folder, ts.CHAIR, ref)
    assert [s.note for s in view.phase_history][-1] == "NOTITIE-1 melder verhuisd"


def test_zvh_7_2_a_consents_purpose_goes_to_its_source_recipients_and_director(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 7.2, 13.6: a consent for the municipality's data to the police: the police
    and the procesregisseur decrypt its purpose and see it on the sharing tab; HALT,
    at the same table but neither source nor recipient, decrypts nothing of it."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.HALT))
    with ts._open(folder, ts.CHAIR) as session:
        consent = consents.record_consent(
            session, ref, "B1", source_party=ts.RDAM, recipients=[ts.POLICE],
            categories=["identity"], purpose="DOEL-1 schuldhulp via wijkteam",
            told_withdrawal=True)
    store_id = _store_id(folder)
    key = ("consent", consent)
    assert note_loot(folder, ts._user(ts.POLICE), store_id)[key]["purpose"] == (
        "DOEL-1 schuldhulp via wijkteam")
    assert note_loot(folder, ts.CHAIR, store_id)[key]["purpose"] == (
        "DOEL-1 schuldhulp via wijkteam")
    assert key not in note_loot(folder, ts._user(ts.HALT), store_id)
    assert _clear_notes(folder)[2] == 0
    with ts._open(folder, ts._user(ts.POLICE)) as session:
        shown = sharing.consents(session, ref)
    assert [(c.consent_id, c.purpose) for c in shown] == [
        (consent, "DOEL-1 schuldhulp via wijkteam")]


def test_zvh_11_6_the_reason_for_closing_is_kept_with_the_plan(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 11.6, PP 1.21 (schema 19): the procesregisseur's reason for afschaling is
    encrypted with the plan, which after closing only the procesregisseur holds: their
    script opens it, the police and HALT who sat at the table do not, the column is
    empty, and the app still gives it to the director (the afsluitrapportage's source).
    A reason left in clear beside an encrypted plan, as before schema 19, is folded into
    the plan by the director's next login."""
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.HALT))
    other = ts._new_case(folder, involve=(ts.POLICE,))
    reason = "REDEN-SLUIT betrokkene verhuisd naar Zeeland"
    with ts._open(folder, ts.CHAIR) as session:
        ts.casework.close_case(session, ref, phase="afschaling", reason=reason,
                               basis="PP 1.21")
    store_id = _store_id(folder)
    conn = _admin_conn(folder)
    (case_id, clear, basis) = conn.execute(
        "SELECT id, close_reason, close_basis FROM cases WHERE reference = ?",
        (ref,)).fetchone()
    (other_id,) = conn.execute("SELECT id FROM cases WHERE reference = ?",
                               (other,)).fetchone()
    # As a store before schema 19 left a closing: the reason in clear beside the plan.
    conn.execute("UPDATE cases SET close_reason = 'REDEN-OUD klaar' WHERE id = ?",
                 (other_id,))
    conn.commit()
    conn.close()
    assert (clear, basis) == ("", "PP 1.21")
    plan = json.loads(joint_loot(folder, ts.CHAIR, store_id)[("plan", case_id)])
    assert plan["close_reason"] == reason
    for party in (ts.POLICE, ts.HALT):
        assert ("plan", case_id) not in joint_loot(folder, ts._user(party), store_id)
    with ts._open(folder, ts.CHAIR) as session:
        assert cases.plan_texts(session, case_id)["close_reason"] == reason
    conn = _admin_conn(folder)
    left = conn.execute("SELECT close_reason FROM cases WHERE id = ?",
                        (other_id,)).fetchone()[0]
    conn.close()
    assert left == ""
    police = joint_loot(folder, ts._user(ts.POLICE), store_id)
    assert json.loads(police[("plan", other_id)])["close_reason"] == "REDEN-OUD klaar"


def _apply(folder: Path, ref: str, ops: list[str]) -> None:
    """Run the generated consents, withdrawals and phase changes on ``ref``."""
    made: list[int] = []
    for op in ops:
        if op.startswith("consent") or op == "withdraw":
            source = ts.GGZ if op == "consent_ggz" else ts.RDAM
            # The director withdraws on the source's behalf (ZVH 13.7).
            actor = ts.CHAIR if op == "withdraw" else ts._user(source)
            with ts._open(folder, actor) as session:
                if op == "withdraw":
                    if made:
                        consents.withdraw_consent(session, made.pop(0))
                    continue
                made.append(consents.record_consent(
                    session, ref, "B1", source_party=source,
                    recipients=[ts.HALT] if source == ts.GGZ else [ts.POLICE],
                    categories=["health" if source == ts.GGZ else "identity"],
                    purpose=f"DOEL-{op}", told_withdrawal=True))
            continue
        with ts._open(folder, ts.CHAIR) as session:
            current = repo.case_by_reference(session.store.conn, ref)
            assert current is not None
            if op == "phase_next" and current.phase == "triage":
                phases.change_phase(session, ref, "casusoverleg", note="NOTITIE-volgende")
            elif op == "phase_close" and current.closed_at is None:
                ts.casework.close_case(session, ref, phase=(
                    "afschaling" if current.phase == "casusoverleg" else "niet_doorgeleid"),
                    reason="NOTITIE-sluiten", basis="PP 1.21")


NOTE_OPS = st.lists(st.sampled_from(["consent_ggz", "consent_rdam", "withdraw",
                                     "phase_next", "phase_close"]), min_size=1, max_size=4)


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(ops=NOTE_OPS)
@example(ops=["consent_ggz", "phase_next", "withdraw", "phase_close"])
def test_zvh_7_2_generated_consents_and_phases_keep_the_notes_keys_in_bounds(
        demo_store: DemoStoreFactory, ops: list[str]) -> None:
    """ZVH 7.2, 13.7, 11.6, 2.2: after any sequence of consents, withdrawals and phase
    changes (each with a note), every user's script decrypts only consents the sharing
    tab's rule could show them and only phase notes of a case whose table's record the
    policy shows them at some time; support roles none; the data key reads no note."""
    os.environ["CASUSTAFEL_WITNESS_DIR"] = tempfile.mkdtemp()
    folder = demo_store(ts.SPEC)
    ref = ts._new_case(folder, involve=(ts.POLICE, ts.GGZ, ts.HALT), phase="triage")
    _apply(folder, ref, ops)
    store_id = _store_id(folder)
    conn = _admin_conn(folder)
    facts = load_facts(conn, repo.cases(conn))
    phase_case = dict(conn.execute("SELECT id, case_id FROM phase_history"))
    conn.close()
    by_id = {c.id: (f, c) for f in facts.values() for c in f.recorded_consents}
    assert _clear_notes(folder)[2] == 0
    watched = {ts._user(p) for p in (ts.GGZ, ts.POLICE, ts.HALT, ts.RDAM)} | {
        ts.CHAIR, "beheer", ts.PRIVACY_OFFICER}
    opened: set[tuple[str, int]] = set()
    for username, role, party in ins._users(folder):
        if username not in watched:
            continue
        loot = note_loot(folder, username, store_id)
        opened |= set(loot)
        if role in SUPPORT_ROLES:
            assert loot == {}, username
            continue
        viewer = Viewer(party, role, username)
        ever, _today = joint_allowed(folder, username, role, party)
        for kind, row_id in loot:
            if kind == "consent":
                f, consent = by_id[row_id]
                assert shows_consent(viewer, consent, f), (username, ops, row_id)
            else:
                assert ("plan", phase_case[row_id]) in ever, (username, ops, row_id)
    if set(ops) - {"withdraw"}:
        assert opened, "a note was written and nobody decrypts it: the test proves nothing"
