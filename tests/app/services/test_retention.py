"""Retention and destruction under the ZVH profile (issue 12; app/services/retention.py,
retention_run.py, app/store/destruction.py): each clock at its edge, motivated
extensions, and a destruction run whose data are really gone: from the store file, from
every backup in the store folder, from what every key in the store opens, and from a
backup made before the run when it is restored.

Test names cite the article of the clock or rule (ZVH = seed 003, DM = seeds 000/001).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
import sqlcipher3
from pypdf import PdfReader

from app import clock
from app.crypto.keyslots import SlotFile
from app.errors import AccessDeniedError, InputError
from app.policy.retention import add_months
from app.services import admin, casework, retention, retention_run
from app.store import repo
from app.store.joint_keys import field_sql
from app.store.layout import BACKUP_DIR
from tests.app.services.test_services import (
    ADMIN,
    BASIS,
    CHAIR,
    OM,
    OTHER_CHAIR,
    PRIVACY_OFFICER,
    RDAM,
    TODAY,
    _grant,
    _item,
    _new_case,
    _open,
    _user,
    _verify,
    _walk,
)
from tests.app.services.test_services import SPEC as _SPEC
from tests.app.test_insider import attack
from tests.app.test_insider_joint import joint_loot
from tests.conftest import PASSPHRASE, DemoStoreFactory

SPEC = _SPEC
CANARY = "KANARIE-VERNIETIGD-7Q4Z"


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _due_refs(folder: Path, as_of: dt.date, user: str = PRIVACY_OFFICER
              ) -> dict[str | None, tuple[str, ...]]:
    """Case reference (None: a register) -> the rules of its lines due on ``as_of``."""
    with _open(folder, user) as session:
        view = retention.due(session, as_of)
    out: dict[str | None, tuple[str, ...]] = {}
    for line in view.lines:
        out[line.case_ref] = (*out.get(line.case_ref, ()), line.rule)
    return out


def _old_case(folder: Path, months_ago: int, *, goal: str = "Rust in de straat",
              chair: str = CHAIR) -> str:
    """A case of ``chair`` opened ``months_ago`` months ago, at the table (casusoverleg)."""
    with _open(folder, chair) as session:
        ref = casework.create_case(session, registering_party=RDAM, themes=["overlast"],
                                   goal=goal,
                                   opened_at=add_months(TODAY, -months_ago))
        casework.add_person(session, ref, category="cat-i")
        _walk(session, ref, "casusoverleg")
    return ref


# --------------------------------------------------------------------------- the clocks


def test_zvh_11_2_a_case_falls_due_five_years_after_processing_started(folder: Path) -> None:
    """ZVH 11.2: at the latest 5 years after processing started (the melding): not due
    the day before, due on the day and after."""
    ref = _new_case(folder)
    due_on = add_months(TODAY, 60)
    assert ref not in _due_refs(folder, due_on - dt.timedelta(days=1))
    assert _due_refs(folder, due_on)[ref] == ("zvh-max-term",)
    assert _due_refs(folder, due_on + dt.timedelta(days=1))[ref] == ("zvh-max-term",)


def test_zvh_11_8_a_triage_not_forwarded_falls_due_one_year_after_the_decision(
        folder: Path) -> None:
    """ZVH 11.8: a triage that is not forwarded is kept at most 1 year after that decision
    (earlier than the 5 years of 11.2)."""
    ref = _new_case(folder, phase="triage")
    with _open(folder, CHAIR) as session:
        casework.close_case(session, ref, phase="niet_doorgeleid", reason="Geen casus",
                            basis="PP 11.8")
    due_on = add_months(TODAY, 12)
    assert ref not in _due_refs(folder, due_on - dt.timedelta(days=1))
    assert _due_refs(folder, due_on + dt.timedelta(days=1))[ref] == ("zvh-not-forwarded",)


def test_zvh_17_5_om_disclosure_records_fall_due_after_four_years(folder: Path) -> None:
    """ZVH 17.5 (art. 39j Wjsg): disclosures by the OM are recorded and kept 4 years; the
    schedule lists the register lines past that term (no case reference)."""
    ref = _new_case(folder, involve=(OM,))
    om = _user(OM)
    _item(folder, om, ref, "Justitiële documentatie", category="justice",
          legal_basis="art. 39j Wjsg")
    _grant(folder, om, ref, RDAM, necessity="Nodig voor het plan")
    from app.services import cases

    with _open(folder, _user(RDAM)) as session:
        cases.show_case(session, ref, today=TODAY)
        made = int(session.store.conn.execute(
            "SELECT count(*) FROM disclosures WHERE provider_party = ?", (OM,)).fetchone()[0])
    assert made >= 1
    due_on = add_months(TODAY, 48)
    with _open(folder, PRIVACY_OFFICER) as session:
        before = retention.due(session, due_on - dt.timedelta(days=1))
        after = retention.due(session, due_on + dt.timedelta(days=1))
    assert not [line for line in before.lines if line.what == "register"]
    lines = [line for line in after.lines if line.what == "register"]
    assert [(line.rule, line.case_ref, line.lines) for line in lines] == [
        ("om-disclosure-records", None, made)]


def _dagmonitor_edge(folder: Path) -> tuple[dt.date, set[str]]:
    """The earliest provision day of the demo's dagmonitor items and their cases."""
    with _open(folder, ADMIN) as session:
        rows = session.store.conn.execute(
            "SELECT c.reference, i.provided_on FROM items i JOIN cases c ON c.id = i.case_id"
            " WHERE i.incident_class IS NOT NULL").fetchall()
    first = min(dt.date.fromisoformat(p) for _r, p in rows)
    return first, {r for r, p in rows if dt.date.fromisoformat(p) == first}


@pytest.mark.parametrize(("agreement", "months", "rule"), [
    ("000", 26, "dagmonitor-000"), ("001", 12, "dagmonitor-001"), (None, 12, "dagmonitor-001")])
def test_dm_000_001_dagmonitor_items_fall_due_per_agreement(
        folder: Path, agreement: str | None, months: int, rule: str) -> None:
    """DM 000 art. 5.6 (2 years 2 months) and DM 001 (1 year) after provision, per the
    agreement the store records; without one the shorter term applies."""
    if agreement is not None:
        with _open(folder, ADMIN) as session:
            admin.set_dagmonitor_agreement(session, agreement)
    first, refs = _dagmonitor_edge(folder)
    due_on = add_months(first, months)
    before = _due_refs(folder, due_on - dt.timedelta(days=1))
    after = _due_refs(folder, due_on + dt.timedelta(days=1))
    for ref in refs:
        assert rule not in before.get(ref, ())
        # The whole case may fall due earlier under its own clock; else the items do.
        assert rule in after.get(ref, ()) or "zvh-max-term" in after.get(ref, ())


# --------------------------------------------------------------------------- extensions


def test_zvh_11_3_an_extension_needs_a_motivation(folder: Path) -> None:
    """ZVH 11.3, 11.5: longer only by a motivated decision recorded in the file."""
    ref = _new_case(folder)
    with _open(folder, CHAIR) as session, pytest.raises(InputError) as refused:
        retention.extend(session, ref, add_months(TODAY, 61), "   ")
    assert refused.value.code == "retention.motivation"


def test_zvh_11_4_an_extension_is_at_most_two_years(folder: Path) -> None:
    """ZVH 11.4: each extension at most 2 years past the current due date; and it must
    move the date later."""
    ref = _new_case(folder)
    due_on = add_months(TODAY, 60)
    with _open(folder, CHAIR) as session:
        with pytest.raises(InputError) as too_long:
            retention.extend(session, ref, add_months(due_on, 24) + dt.timedelta(days=1),
                             "Nodig voor het plan")
        with pytest.raises(InputError) as not_later:
            retention.extend(session, ref, due_on, "Nodig voor het plan")
        retention.extend(session, ref, add_months(due_on, 24), "Nodig voor het plan")
    assert too_long.value.code == "retention.extension_too_long"
    assert not_later.value.code == "retention.extension_not_later"


def test_zvh_11_3_an_extension_is_in_the_file_and_the_audit_trail(folder: Path) -> None:
    """ZVH 11.3-11.4: the extension is recorded in the file (with its motivation) and in
    the signed audit trail (without it); the case is no longer due at the old date, and
    again after the extension (then a new decision is needed)."""
    ref = _new_case(folder)
    due_on = add_months(TODAY, 60)
    until = add_months(due_on, 12)
    motivation = "Partners: nodig om de veiligheid van het gezin te borgen"
    with _open(folder, CHAIR) as session:
        view = retention.extend(session, ref, until, motivation)
        conn = session.store.conn
        # The motivation is under a key of the case's directors (schema 21).
        row = conn.execute("SELECT rule, until_on, " + field_sql("extension", "motivation")
                           + ", audit_seq FROM retention_extensions").fetchone()
        clear = conn.execute("SELECT motivation FROM retention_extensions").fetchone()[0]
        entry = conn.execute("SELECT name, attributes FROM audit WHERE seq = ?",
                             (row[3],)).fetchone()
    assert view.until == until
    assert view.rule == "zvh-max-term"
    assert tuple(row[:3]) == ("zvh-max-term", until.isoformat(), motivation)
    assert clear == ""
    assert entry[0] == "retention.extend"
    assert motivation not in entry[1]
    assert ref not in _due_refs(folder, due_on + dt.timedelta(days=1))
    line = _due_refs(folder, until)
    assert line[ref] == ("zvh-max-term",)
    _verify(folder)


def test_zvh_11_8_the_not_forwarded_term_cannot_be_extended(folder: Path) -> None:
    """ZVH 11.3 extends the term of 11.2, not the year of 11.8."""
    ref = _new_case(folder, phase="triage")
    with _open(folder, CHAIR) as session:
        casework.close_case(session, ref, phase="niet_doorgeleid", reason="Geen casus",
                            basis="PP 11.8")
        with pytest.raises(InputError) as refused:
            retention.extend(session, ref, add_months(TODAY, 13), "Nog nodig")
    assert refused.value.code == "retention.not_extendable"


# --------------------------------------------------------------------------- roles


def test_zvh_9_6_only_the_approver_sees_the_schedule_and_runs(folder: Path) -> None:
    """ZVH 9.6, 15.3d: the schedule and the run are the privacy officer's; a
    procesregisseur gets the reminders of their own cases only; the refusal is audited."""
    own = _old_case(folder, 61)
    other = _old_case(folder, 61, chair=OTHER_CHAIR)
    with _open(folder, CHAIR) as session:
        with pytest.raises(AccessDeniedError):
            retention.due(session)
        with pytest.raises(AccessDeniedError):
            retention_run.run(session)
        mine = retention.upcoming(session)
    assert own in {line.case_ref for line in mine.lines}
    assert other not in {line.case_ref for line in mine.lines}
    assert all(line.what != "register" for line in mine.lines)
    with _open(folder, PRIVACY_OFFICER) as session:
        every = retention.upcoming(session)
    assert {own, other} <= {line.case_ref for line in every.lines}


# --------------------------------------------------------------------------- the run


def _canary_item(folder: Path, ref: str) -> int:
    return _item(folder, _user(RDAM), ref, f"{CANARY} woont op Dorpsstraat 1",
                 legal_basis=BASIS)


def _every_text(folder: Path) -> str:
    """Every value of every table, decrypted with the store's data key (what anyone with a
    passphrase of this store reads with sqlcipher3, before the item keys)."""
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(ADMIN, PASSPHRASE)
    conn = sqlcipher3.connect(str(folder / "casustafel.db"))
    conn.execute(f"PRAGMA key = \"x'{keys.data_key.hex()}'\"")
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type ="
                                             " 'table'")]
        parts = [repr(row) for table in tables
                 for row in conn.execute(f'SELECT * FROM "{table}"')]
        assert int(conn.execute("PRAGMA freelist_count").fetchone()[0]) == 0
    finally:
        conn.close()
    return "\n".join(parts)


def _loot(folder: Path) -> list[str]:
    """Everything every user of ``folder`` decrypts with their own passphrase and a script,
    trying every seal with every key they reach (the insider tests, issue 9): items, the
    joint record and the plan."""
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(ADMIN, PASSPHRASE)
    conn = sqlcipher3.connect(str(folder / "casustafel.db"))
    conn.execute(f"PRAGMA key = \"x'{keys.data_key.hex()}'\"")
    store_id = str(conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0])
    users = [str(r[0]) for r in conn.execute("SELECT username FROM users")]
    conn.close()
    texts: list[str] = []
    for username in users:
        texts += attack(folder, username, store_id).texts
        # And the joint record's rows and plans under their row keys (schema 14, 15).
        texts += joint_loot(folder, username, store_id).values()
    return texts


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _check_report(pdf: bytes, ref: str, outside: Path) -> None:
    """The proces-verbaal: articles and the backup outside, no canary, case or person."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Destruction report" in text
    assert "ZVH 11.2-11.4" in text
    assert CANARY not in text
    assert ref not in text
    assert "Dorpsstraat" not in text
    assert str(outside.resolve()) in text.replace("\n", "")



def test_zvh_11_2_wo_9_8_a_run_destroys_everything_due_in_the_store_and_its_backups(
        folder: Path, tmp_path: Path) -> None:
    """ZVH 11.2, 11.7; WO 9.8; DM 000 art. 8: a case past its term is destroyed in one
    run: no user's key opens its items any more, in the store or in any backup in the
    store folder, the file holds no trace of its text, a backup made before the run and
    restored brings nothing back, the audit chain still verifies, and the proces-verbaal
    is registered without personal data."""
    ref = _old_case(folder, 61, goal=f"{CANARY} doel")
    item_id = _canary_item(folder, ref)
    keep = _new_case(folder)
    kept_item = _item(folder, _user(RDAM), keep, "Blijft bestaan", legal_basis=BASIS)
    outside = tmp_path / "usb" / "backup-1"
    with _open(folder, ADMIN) as session:
        admin.backup(session, outside)
    assert any(CANARY in t for t in _loot(folder)), "the canary opens before the run"
    # The case goal is under the plan's row key (schema 15): it opens before the run too.
    assert any(f"{CANARY} doel" in t for t in _loot(folder))
    assert any(CANARY in t for t in _loot(outside))
    backups = sorted((folder / BACKUP_DIR).iterdir())
    assert backups, "closing the sessions made automatic backups"

    with _open(folder, PRIVACY_OFFICER) as session:
        view = retention.due(session)
        result = retention_run.run(session, lang="en")
        report_row = session.store.conn.execute(
            "SELECT kind, sha256, recipient FROM reports WHERE document_id = ?",
            (result.document_id,)).fetchone()
    assert ref in {line.case_ref for line in view.lines}
    assert result.cases >= 1
    assert result.items >= 1
    assert result.backups_cleaned == len(backups)
    assert not result.backups_failed
    assert [b.place for b in result.outside_backups] == [str(outside.resolve())]
    assert tuple(report_row) == ("vernietiging", hashlib.sha256(result.pdf).hexdigest(),
                                 "controller")

    # Gone: in the store and in each backup of its folder, for every key it holds.
    for place in [folder, *backups]:
        assert not any(CANARY in t for t in _loot(place)), place
        assert CANARY not in _every_text(place), place
    for path in _files(folder):
        assert CANARY.encode() not in path.read_bytes(), path
    with _open(folder, ADMIN) as session:
        conn = session.store.conn
        item = repo.item_by_id(conn, item_id)
        seals = conn.execute("SELECT count(*) FROM item_keys WHERE item_id = ?",
                             (item_id,)).fetchone()[0]
        # The joint record's row keys and the plan's content go with the case.
        joint_left = tuple(conn.execute(
            "SELECT (SELECT count(*) FROM joint_keys k WHERE k.case_id = c.id),"
            " plan_content FROM cases c WHERE reference = ?", (ref,)).fetchone())
        destroyed = conn.execute("SELECT destroyed_on, phase, opened_at FROM cases"
                                 " WHERE reference = ?", (ref,)).fetchone()
        kept = conn.execute("SELECT destroyed_on FROM items WHERE id = ?",
                            (kept_item,)).fetchone()[0]
    assert item is not None
    assert item.content is None
    assert item.body == ""
    assert seals == 0
    assert joint_left == (0, None)
    # What remains is management metadata (ZVH 11.7): phase and dates.
    assert destroyed[0] == clock.today().isoformat()
    assert destroyed[1] == "casusoverleg"
    assert kept is None
    _verify(folder)

    _check_report(result.pdf, ref, outside)

    # A backup made before the run, restored, brings nothing back (the ledger replays).
    target = tmp_path / "restored"
    admin.restore(outside, target, ADMIN, PASSPHRASE)
    assert not any(CANARY in t for t in _loot(target))
    assert CANARY not in _every_text(target)
    _verify(target)


def test_zvh_11_3_an_extended_case_survives_the_run(folder: Path) -> None:
    """ZVH 11.3: a case past its five years with a recorded extension is not destroyed;
    its procesregisseur recorded the decision."""
    ref = _old_case(folder, 61)
    with _open(folder, CHAIR) as session:
        retention.extend(session, ref, add_months(TODAY, 6), "Nog nodig voor het plan")
    with _open(folder, PRIVACY_OFFICER) as session:
        retention_run.run(session)
        row = session.store.conn.execute("SELECT destroyed_on FROM cases WHERE reference = ?",
                                         (ref,)).fetchone()
    assert row[0] is None


def test_a_run_needs_approval(folder: Path) -> None:
    """Nothing is destroyed without the approver's explicit approval."""
    _old_case(folder, 61)
    with _open(folder, PRIVACY_OFFICER) as session, pytest.raises(InputError) as refused:
        retention_run.run(session, approve=False)
    assert refused.value.code == "retention.not_approved"

