"""Register lines past their term are destroyed, and the signed chain still verifies
(issue 12; ZVH 17.5, art. 39j Wjsg: OM disclosure records are kept 4 years).

The disclosure register is append-only and cross-checked with the signed audit chain
(app/store/audit.py).  A run deletes the OM lines past their four years in its one
transaction, under a signed ``retention.register_destroyed`` entry of the approver that
names the rows; ``audit verify`` accepts exactly those missing rows.  The attacker tests
do what an insider with ``sqlcipher3`` and the data key (from their own passphrase) can
do: delete a row without such an entry, or forge the entry in another user's name.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

from app import clock
from app.crypto.keyslots import SlotFile
from app.policy.retention import add_months
from app.services import admin, cases, retention, retention_run
from app.store import backup, destruction
from app.store.audit import AuditTrail, entry_hash, sign_entry, write_head
from app.store.connection import open_connection
from app.store.layout import DB_NAME, HEAD_NAME
from app.store.signing import KeySigner
from tests.app.services.test_services import (
    ADMIN,
    OM,
    POLICE,
    POLICE_BASIS,
    PRIVACY_OFFICER,
    RDAM,
    SPEC,
    TODAY,
    _grant,
    _item,
    _new_case,
    _open,
    _user,
    _verify,
)
from tests.conftest import PASSPHRASE, DemoStoreFactory

RULE = "om-disclosure-records"
ARTICLE = "ZVH 17.5; art. 39j Wjsg"
_COLUMNS = ("seq", "trace_id", "span_id", "parent_span_id", "name", "status", "start_time",
            "end_time", "username", "party_id", "object_type", "object_id",
            "processing_activity_id", "data_subject_id", "data_subject_id_type", "attributes")


@pytest.fixture
def folder(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


def _om_disclosures(folder: Path) -> list[tuple[int, int]]:
    """An OM item and a police item shown to the municipality: (row id, audit seq) of the
    OM lines made (the police lines have no term of their own)."""
    return _om_case(folder)[1]


def _om_case(folder: Path) -> tuple[str, list[tuple[int, int]]]:
    """The case of :func:`_om_disclosures` and its OM lines."""
    ref = _new_case(folder, involve=(OM, POLICE))
    om, police = _user(OM), _user(POLICE)
    _item(folder, om, ref, "Justitiële documentatie", category="justice",
          legal_basis="art. 39j Wjsg")
    _grant(folder, om, ref, RDAM, necessity="Nodig voor het plan")
    _item(folder, police, ref, "Politiemutatie", category="police",
          legal_basis=POLICE_BASIS)
    _grant(folder, police, ref, RDAM)
    with _open(folder, _user(RDAM)) as session:
        cases.show_case(session, ref, today=TODAY)
        rows = session.store.conn.execute(
            "SELECT id, audit_seq FROM disclosures WHERE provider_party = ? ORDER BY id",
            (OM,)).fetchall()
    assert rows
    return ref, [(int(i), int(s)) for i, s in rows]


def _after_term() -> AbstractContextManager[None]:
    """The clock one day past the four years of the lines made today (ZVH 17.5)."""
    day = add_months(TODAY, 48) + dt.timedelta(days=1)
    return clock.frozen(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


def _data_key(folder: Path, username: str = ADMIN) -> bytes:
    return SlotFile.read(folder / "keyslots.json").unlock_keys(username, PASSPHRASE).data_key


def _raw(folder: Path, username: str = ADMIN) -> Any:
    """The database opened straight through sqlcipher3 with ``username``'s data key."""
    conn = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{_data_key(folder, username).hex()}'\"")
    return conn


def _verify_raw(folder: Path) -> Any:
    """``audit verify`` of ``folder`` without opening it as a store (no login entry, no
    replay): what a backup says as it lies on disk."""
    conn = open_connection(folder / DB_NAME, _data_key(folder))
    try:
        store_id = str(conn.execute("SELECT value FROM meta WHERE key = 'store_id'")
                       .fetchone()[0])
        return AuditTrail(conn, folder, store_id, signer=None, legacy_key=None).verify()
    finally:
        conn.close()


def _run(folder: Path) -> Any:
    with _after_term(), _open(folder, PRIVACY_OFFICER) as session:
        return retention_run.run(session, lang="en")


def _present(folder: Path, lines: list[tuple[int, int]]) -> list[int]:
    conn = _raw(folder)
    try:
        return [int(r[0]) for r in conn.execute(
            "SELECT id FROM disclosures WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([i for i, _s in lines]),))]
    finally:
        conn.close()


# --------------------------------------------------------------------------- the run


def test_zvh_17_5_a_run_deletes_the_om_lines_past_four_years_under_a_signed_entry(
        folder: Path) -> None:
    """ZVH 17.5: the OM lines past their four years go in the run's transaction, the
    other disclosure lines stay; one signed ``retention.register_destroyed`` entry of the
    approver names exactly those rows (audit seqs and ids as runs, count, digest) under
    the rule and its article; the entries the rows belonged to stay; the chain verifies."""
    lines = _om_disclosures(folder)
    conn = _raw(folder)
    others = int(conn.execute("SELECT count(*) FROM disclosures WHERE provider_party != ?",
                              (OM,)).fetchone()[0])
    conn.close()
    with _open(folder, PRIVACY_OFFICER) as session:
        before = retention.due(session, add_months(TODAY, 48) - dt.timedelta(days=1))
    assert not [line for line in before.lines if line.what == "register"]

    result = _run(folder)

    assert result.register_lines == len(lines)
    assert _present(folder, lines) == []
    conn = _raw(folder)
    try:
        left = int(conn.execute("SELECT count(*) FROM disclosures WHERE provider_party != ?",
                                (OM,)).fetchone()[0])
        entries = conn.execute(
            "SELECT username, object_id, attributes FROM audit WHERE name = ?",
            (destruction.REGISTER_EVENT,)).fetchall()
        kept = conn.execute("SELECT count(*) FROM audit WHERE name = 'disclosure' AND seq IN"
                            " (SELECT value FROM json_each(?))",
                            (json.dumps([s for _i, s in lines]),)).fetchone()[0]
        run_row = conn.execute("SELECT register_lines FROM retention_runs").fetchone()
    finally:
        conn.close()
    assert left == others > 0
    assert kept == len(lines), "the disclosure entries stay in the chain"
    assert run_row[0] == len(lines)
    ((username, _run_uid, raw),) = entries
    attrs = json.loads(raw)
    assert username == PRIVACY_OFFICER
    assert (attrs["register"], attrs["rule"], attrs["article"]) == ("disclosures", RULE,
                                                                    ARTICLE)
    assert attrs["lines"] == len(lines)
    assert attrs["seqs"] == destruction.ranges(s for _i, s in lines)
    assert attrs["ids"] == destruction.ranges(i for i, _s in lines)
    assert attrs["sha256"] == destruction.lines_digest(lines)
    _verify(folder)


def test_zvh_17_5_the_proces_verbaal_counts_the_register_lines_per_rule(
        folder: Path) -> None:
    """ZVH 17.5; DM 000 art. 8: the destruction report names the rule and its article
    with the number of register lines, and no person, case or party user."""
    lines = _om_disclosures(folder)
    result = _run(folder)
    text = "\n".join(page.extract_text()
                     for page in PdfReader(io.BytesIO(result.pdf)).pages)
    flat = " ".join(text.split())
    assert "Register lines" in flat
    # The rule's line in the table (cells may wrap inside a word): cases, items and
    # persons 0, the register lines counted.
    squeezed = flat.replace(" ", "")
    expected = f"{RULE}{ARTICLE}registerlines000{len(lines)}".replace(" ", "")
    assert expected in squeezed, flat[flat.find("per rule"):][:400]
    assert _user(RDAM) not in flat
    assert "Justitiële" not in flat


# --------------------------------------------------------------------------- backups


def test_zvh_17_5_backups_in_the_store_folder_lose_the_lines_and_still_verify(
        folder: Path) -> None:
    """ZVH 17.5; WO 9.8: every backup in the store folder loses the same lines; its chain
    has no entry for that, so the approver's signed ledger entry kept in it is what makes
    it verify as it lies on disk."""
    lines = _om_disclosures(folder)
    with _open(folder, ADMIN) as session:
        backup.auto_backup(session.store)  # one that holds the lines (a day's first close)
    backups = destruction.internal_backups(folder)
    holders = [b for b in backups if _present(b, lines)]
    assert holders
    result = _run(folder)
    assert result.backups_cleaned == len(backups)
    # Closing the run's session may rotate the oldest away and add one made after it.
    survivors = [b for b in holders if b.exists()]
    assert survivors
    for place in sorted({*survivors, *destruction.internal_backups(folder)}):
        assert _present(place, lines) == [], place
        outcome = _verify_raw(place)
        assert outcome.ok, (place, outcome)


def test_zvh_17_5_a_backup_restored_later_does_not_bring_the_lines_back(
        folder: Path, tmp_path: Path) -> None:
    """ZVH 17.5: a backup made before the run, outside the store folder, restored on this
    computer loses the lines again (the signed ledger is replayed on open), names them in
    a signed entry of its own, and verifies."""
    lines = _om_disclosures(folder)
    outside = tmp_path / "usb" / "backup-1"
    with _open(folder, ADMIN) as session:
        admin.backup(session, outside)
    assert _present(outside, lines)
    _run(folder)
    target = tmp_path / "restored"
    with _after_term():
        admin.restore(outside, target, ADMIN, PASSPHRASE)
    assert _present(target, lines) == []
    conn = _raw(target)
    try:
        replayed = [json.loads(r[0]) for r in conn.execute(
            "SELECT attributes FROM audit WHERE name = ?", (destruction.REGISTER_EVENT,))]
    finally:
        conn.close()
    assert [(a["lines"], a["replay"], a["rule"]) for a in replayed] == [
        (len(lines), True, RULE)]
    _verify(target)


# --------------------------------------------------------------------------- attackers


def _insider(folder: Path) -> tuple[Any, KeySigner, str]:
    """An ordinary user's own keys (passphrase) on the raw database: data key, signer."""
    who = _user(RDAM)
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(who, PASSPHRASE)
    assert keys.signing is not None
    conn = sqlcipher3.connect(str(folder / DB_NAME), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{keys.data_key.hex()}'\"")
    return conn, KeySigner.of(keys.signing), who


def _append(conn: Any, folder: Path, signer: KeySigner, *, username: str, name: str,
            attributes: dict[str, object], sign_as: str | None = None) -> int:
    """Append a chained entry the way app.store.audit does, signed by ``signer`` (its key
    id recorded as ``sign_as`` if given), and move the head file along."""
    store_id = str(conn.execute("SELECT value FROM meta WHERE key = 'store_id'")
                   .fetchone()[0])
    seq, previous = conn.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
                                 ).fetchone()
    now = clock.utc_now_iso("microseconds")
    row = (int(seq) + 1, "ab" * 16, "cd" * 8, None, name, "ok", now, now, username,
           None, "retention_run", "forged", None, None, None,
           json.dumps(attributes, sort_keys=True))
    key_id = sign_as or signer.key_id
    digest = entry_hash(str(previous), row, key_id)
    conn.execute(f"INSERT INTO audit ({','.join(_COLUMNS)}, mac, signer, sig)"
                 f" VALUES ({','.join('?' * (len(_COLUMNS) + 3))})",
                 (*row, digest, key_id, sign_entry(signer, store_id, digest)))
    write_head(folder / HEAD_NAME, store_id, signer, int(seq) + 1, digest)
    return int(seq) + 1


def _delete_row(conn: Any, row_id: int) -> None:
    conn.execute("DROP TRIGGER IF EXISTS disclosures_no_delete")
    conn.execute("DELETE FROM disclosures WHERE id = ?", (row_id,))


def _problem(folder: Path) -> tuple[bool, str | None, int | None]:
    with _open(folder, ADMIN) as session:
        result = admin.verify_audit(session)
    return result.ok, result.problem, result.broken_seq


def _attributes_for(lines: list[tuple[int, int]]) -> dict[str, object]:
    cut = destruction.RegisterCut("disclosures", RULE, ARTICLE, tuple(lines))
    return destruction.register_attributes(cut, "forged")


def test_zvh_17_5_an_insider_deleting_a_line_without_the_signed_entry_is_caught(
        folder: Path) -> None:
    """ZVH 17.5, 39j Wjsg: a disclosure line deleted with the data key and no signed
    record of its destruction leaves its entry without its row."""
    lines = _om_disclosures(folder)
    conn, _signer, _who = _insider(folder)
    _delete_row(conn, lines[0][0])
    conn.close()
    assert _problem(folder) == (False, "audit entry without its disclosures row", lines[0][1])


def test_zvh_17_5_an_entry_in_the_approvers_name_signed_by_another_key_is_caught(
        folder: Path) -> None:
    """ZVH 17.5: an insider who deletes lines and writes the ``register_destroyed`` entry
    in the privacy officer's name is caught: signed with their own key, the entry names
    another user than its signer; claiming the officer's key id, the signature fails."""
    lines = _om_disclosures(folder)
    spare = Path(str(folder) + "-spare")
    shutil.copytree(folder, spare)
    for place, claim in ((folder, False), (spare, True)):
        conn, signer, _who = _insider(place)
        officer_key = None
        if claim:
            officer_key = str(conn.execute(
                "SELECT key_id FROM signing_keys WHERE username = ?",
                (PRIVACY_OFFICER,)).fetchone()[0])
        conn.execute("BEGIN")
        for row_id, _seq in lines:
            _delete_row(conn, row_id)
        seq = _append(conn, place, signer, username=PRIVACY_OFFICER,
                      name=destruction.REGISTER_EVENT, attributes=_attributes_for(lines),
                      sign_as=officer_key)
        conn.execute("COMMIT")
        conn.close()
        ok, problem, broken = _problem(place)
        assert not ok
        assert broken == seq
        assert problem == ("signature does not match the entry" if claim else
                           "entry names another user than its signer"), (place, problem)


def test_zvh_17_5_the_run_entry_excuses_only_the_lines_it_names(
        folder: Path) -> None:
    """ZVH 17.5: the run's signed entry excuses only the rows it names: a police line
    (no term of its own) deleted after the run is still caught."""
    lines = _om_disclosures(folder)
    result = _run(folder)
    assert result.register_lines == len(lines)
    conn = _raw(folder)
    other = conn.execute("SELECT id, audit_seq FROM disclosures WHERE provider_party = ?"
                         " ORDER BY id LIMIT 1", (POLICE,)).fetchone()
    _delete_row(conn, int(other[0]))
    conn.close()
    assert _problem(folder) == (False, "audit entry without its disclosures row",
                                int(other[1]))


@pytest.mark.parametrize("flaw", ["count", "after_itself"])
def test_zvh_17_5_a_register_entry_that_does_not_add_up_excuses_nothing(
        folder: Path, flaw: str) -> None:
    """ZVH 17.5: a validly signed entry whose line count disagrees with its runs, or whose
    runs reach past itself, is no record of a destruction: the row it names is still
    missed (an honest run never writes such an entry)."""
    lines = _om_disclosures(folder)
    conn, signer, who = _insider(folder)
    attrs = _attributes_for(lines[:1])
    if flaw == "count":
        attrs["lines"] = 2
    else:
        first = lines[0][1]
        attrs["seqs"], attrs["lines"] = [[first, first + 10_000]], 10_001
    conn.execute("BEGIN")
    _delete_row(conn, lines[0][0])
    _append(conn, folder, signer, username=who, name=destruction.REGISTER_EVENT,
            attributes=attrs)
    conn.execute("COMMIT")
    conn.close()
    assert _problem(folder) == (False, "audit entry without its disclosures row",
                                lines[0][1])


def test_zvh_17_5_a_forged_ledger_in_meta_excuses_nothing(folder: Path) -> None:
    """ZVH 17.5: the ledger entry a cleaned backup keeps counts only when signed by a key
    the store trusts: one an insider signs with a key of their own making is ignored."""
    lines = _om_disclosures(folder)
    conn = _raw(folder)
    store_id = str(conn.execute("SELECT value FROM meta WHERE key = 'store_id'")
                   .fetchone()[0])
    forger = KeySigner.of(Ed25519PrivateKey.generate())
    plan = destruction.Destruction("forged-run", TODAY.isoformat(), registers=(
        destruction.RegisterCut("disclosures", RULE, ARTICLE, tuple(lines)),))
    entry = destruction.ledger_entry(conn, store_id, plan, forger)
    conn.execute("BEGIN")
    destruction.store_ledger(conn, entry)
    for row_id, _seq in lines:
        _delete_row(conn, row_id)
    conn.execute("COMMIT")
    conn.close()
    ok, problem, _broken = _problem(folder)
    assert (ok, problem) == (False, "audit entry without its disclosures row")


def test_zvh_17_5_new_lines_after_the_run_are_checked_as_always(folder: Path) -> None:
    """ZVH 17.5: after the run the case is read again (four years on, still within its
    five years, ZVH 11.2): the new OM lines are recorded and checked against their entries
    as always, the destroyed ones stay excused."""
    ref, lines = _om_case(folder)
    _run(folder)
    with _after_term(), _open(folder, _user(RDAM)) as session:
        cases.show_case(session, ref)
        fresh = session.store.conn.execute(
            "SELECT count(*) FROM disclosures WHERE provider_party = ?", (OM,)).fetchone()[0]
    assert fresh >= 1
    assert _present(folder, lines) == []
    _verify(folder)
