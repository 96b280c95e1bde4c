"""``casustafel register ...``, ``audit list|export`` and ``processing-register``
(app/cli/register_commands.py, issue 11 point 8), on the scripted meeting of
tests/app/services/test_registers.py.  Articles: ZVH 8.1 (disclosure register), 24.3
(processing register), 15.3d (who reads them).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from app.errors import ExitCode
from app.services import registers
from app.views.registers import DisclosureFilter
from tests.app.cli.conftest import Cli
from tests.app.services.test_registers import (
    ADMIN,
    OFFICER,
    PARTICIPANT,
    PROFILE,
    SPEC,
    USERS,
    Scripted,
    open_session,
    scripted_meeting,
)
from tests.conftest import PASSPHRASE, DemoStoreFactory


@pytest.fixture
def setup(demo_store: DemoStoreFactory, tmp_path: Path) -> tuple[Scripted, Path]:
    pass_file = tmp_path / "pass.txt"
    pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return scripted_meeting(demo_store(SPEC)), pass_file


def _as(user: str, scripted: Scripted, pass_file: Path) -> list[str | Path]:
    return [scripted.folder, "--user", user, "--passphrase-file", pass_file]


def test_register_view_export_and_refusals_zvh_8_1(
    cli: Cli, setup: tuple[Scripted, Path], tmp_path: Path,
) -> None:
    scripted, pass_file = setup
    ref = scripted.refs[0]
    shown = cli("register", "disclosures", *_as(OFFICER, scripted, pass_file), "--case", ref,
                "--limit", "5")
    assert shown.code == ExitCode.OK, shown.err
    with open_session(scripted.folder, OFFICER) as session:
        count = registers.count_disclosures(session, DisclosureFilter(case_ref=ref))
        person = next(line.data_subject_id for line in registers.ldv_lines(
            session, DisclosureFilter(case_ref=ref)) if line.data_subject_id)
        expected = registers.ldv_lines(session, DisclosureFilter(person_id=int(person)))
    assert shown.out.splitlines()[0] == f"{count} disclosures; showing 1 to 5."
    assert len(shown.out.splitlines()) == 6

    out = tmp_path / "lines.jsonl"
    exported = cli("register", "disclosures", *_as(OFFICER, scripted, pass_file),
                   "--person", person, "--format", "ldv", "--out", out)
    assert exported.code == ExitCode.OK, exported.err
    text = out.read_text(encoding="utf-8")
    records = [json.loads(x) for x in text.splitlines()]
    assert records == [line.record() for line in expected]
    assert {r["attributes"]["dpl.core.data_subject_id"] for r in records} == {person}
    assert not [u for u in USERS if u in text], "no user in the lines"

    table = cli("register", "disclosures", *_as(OFFICER, scripted, pass_file),
                "--case", ref, "--format", "csv")
    assert table.code == ExitCode.OK
    assert next(iter(csv.reader(io.StringIO(table.out))))[:2] == ["trace_id", "span_id"]

    bulk = cli("register", "disclosures", *_as(OFFICER, scripted, pass_file),
               "--format", "json")
    assert bulk.code == ExitCode.INVALID
    assert "at least one filter" in bulk.err
    bad = cli("register", "disclosures", *_as(OFFICER, scripted, pass_file),
              "--from", "2026-13-01")
    assert bad.code == ExitCode.INVALID
    assert "--from" in bad.err
    refused = cli("register", "disclosures", *_as(PARTICIPANT, scripted, pass_file))
    assert refused.code == ExitCode.AUTH

    report = cli("register", "report", *_as(OFFICER, scripted, pass_file), scripted.report_id)
    assert report.code == ExitCode.OK
    assert json.loads(report.out)["sha256"] == scripted.report_sha256


def test_audit_list_and_export_with_signed_head(
    cli: Cli, setup: tuple[Scripted, Path], tmp_path: Path,
) -> None:
    scripted, pass_file = setup
    listed = cli("audit", "list", *_as(ADMIN, scripted, pass_file), "--name", "case.read",
                 "--case", scripted.refs[0], "--json")
    assert listed.code == ExitCode.OK, listed.err
    data = json.loads(listed.out)
    assert data["count"] == len(data["entries"]) > 0
    assert {e["name"] for e in data["entries"]} == {"case.read"}
    assert {e["object_id"] for e in data["entries"]} == {scripted.refs[0]}

    chain, head = tmp_path / "chain.jsonl", tmp_path / "head.json"
    exported = cli("audit", "export", *_as(OFFICER, scripted, pass_file), "--out", chain,
                   "--head", head)
    assert exported.code == ExitCode.OK, exported.err
    entries = [json.loads(x) for x in chain.read_text(encoding="utf-8").splitlines()]
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    document = json.loads(head.read_bytes())
    assert document["kind"] == "casustafel-audit-head"
    assert document["seq"] > entries[-1]["seq"]  # the export's own entry comes after
    assert not list(tmp_path.glob("*.partial"))
    checked = cli("audit", "check-head", *_as(OFFICER, scripted, pass_file), head)
    assert checked.code == ExitCode.OK, checked.err


def test_processing_register_formats_zvh_24_3(
    cli: Cli, setup: tuple[Scripted, Path],
) -> None:
    scripted, pass_file = setup
    as_json = cli("processing-register", *_as(PARTICIPANT, scripted, pass_file),
                  "--format", "json")
    assert as_json.code == ExitCode.OK, as_json.err
    data = json.loads(as_json.out)
    assert [a["id"] for a in data["activities"]] == [a.id for a in PROFILE.activities]
    as_csv = cli("processing-register", *_as(PARTICIPANT, scripted, pass_file),
                 "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.out)))
    assert len(rows) == len(PROFILE.activities)
    as_text = cli("processing-register", *_as(PARTICIPANT, scripted, pass_file))
    assert as_text.code == ExitCode.OK
    assert PROFILE.activities[0].id in as_text.out
