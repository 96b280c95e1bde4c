"""The oversight commands (app/cli/oversight_commands.py): ``breach``, ``figures`` and
``information-duty`` (ZVH 14, 12.3, 16.6-16.7), in-process on a copy of the demo store.

Exit codes are the documented ones (0 ok, 2 usage, 3 not allowed, 4 invalid input); the
export is written only to ``--out``, readable by the user alone; no output of these
commands carries a name item's canary.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from pathlib import Path

import pytest

from app import clock
from app.domain.vocab import InformedStatus, ItemKind
from app.services import casework
from tests.app.cli.casework_support import Actor, Passes, ok
from tests.app.cli.conftest import Cli
from tests.app.services.test_services import (
    CHAIR,
    POLICE,
    PRIVACY_OFFICER,
    SPEC,
    TODAY,
    _new_case,
    _open,
    _user,
)
from tests.conftest import PASSPHRASE, DemoStoreFactory

CANARY = "CANARY-NAME-CLI-93KD"
MOTIVATION = "Informeren brengt de melder in gevaar"


@pytest.fixture
def store(demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(SPEC)


@pytest.fixture
def act(cli: Cli, store: Path, tmp_path: Path) -> Actor:
    """Run commands on the store as one demo user (every user has PASSPHRASE)."""
    own = tmp_path / "own.pass"
    own.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return Actor(cli, store, Passes(own, own))


def _local(at: dt.datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%dT%H:%M")


def test_breach_commands_from_discovery_to_export_zvh_14(act: Actor, tmp_path: Path) -> None:
    """ZVH 14.3, 14.8: register a breach discovered 25 hours ago (the officer's 24 hours
    have passed, the AP's 72 have not), record the reports and measures, close it and
    export the register as CSV and JSON to the file named, readable by the user only."""
    found = clock.now().replace(second=0, microsecond=0) - dt.timedelta(hours=25)
    new = act.json(PRIVACY_OFFICER, "breach", "new", "--discovered", _local(found),
                   "--nature", "USB-stick verloren", "--data", "identiteit, zorg",
                   "--persons", "3 betrokkenen")
    breach = new["breach"]
    assert (new["officer"]["state"], new["ap"]["state"]) == ("late", "due")
    assert new["ap"]["due_at"] == (found + dt.timedelta(hours=72)).astimezone(
        dt.UTC).isoformat()
    listing = ok(act(PRIVACY_OFFICER, "breach", "list")).out
    due = (found + dt.timedelta(hours=72)).astimezone().strftime("%Y-%m-%d %H:%M")
    assert f"{breach:>5}" in listing
    assert "LATE: was due" in listing
    assert f"due by {due}" in listing
    informed = _local(found + dt.timedelta(hours=2))
    updated = act.json(PRIVACY_OFFICER, "breach", "update", "--id", str(breach),
                       "--officer-informed", informed, "--measures", "Stick op afstand gewist")
    assert (updated["officer"]["state"], updated["officer"]["on_time"]) == ("done", True)
    refused = act(PRIVACY_OFFICER, "breach", "close", "--id", str(breach))
    assert refused.code == 4
    assert refused.err.count("\n") == 1
    act.json(PRIVACY_OFFICER, "breach", "update", "--id", str(breach),
             "--ap-not-required", "Versleuteld: geen risico")
    closed = act.json(PRIVACY_OFFICER, "breach", "close", "--id", str(breach))
    assert closed["status"] == "closed"
    assert closed["ap"]["state"] == "not_required"
    shown = ok(act(PRIVACY_OFFICER, "breach", "show", "--id", str(breach))).out
    assert "USB-stick verloren" in shown
    assert "Versleuteld: geen risico" in shown
    for fmt in ("csv", "json"):
        out = tmp_path / "export" / f"register.{fmt}"
        ok(act(PRIVACY_OFFICER, "breach", "export", "--format", fmt, "--out", out))
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        text = out.read_text(encoding="utf-8")
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text)))
            assert [(r["breach"], r["status"], r["ap_state"]) for r in rows] == [
                (str(breach), "closed", "not_required")]
        else:
            assert [b["breach"] for b in json.loads(text)["breaches"]] == [breach]
    assert sorted(p.name for p in (tmp_path / "export").iterdir()) == [
        "register.csv", "register.json"]


def test_breach_refusals_and_bad_input_exit_codes_zvh_14(act: Actor, tmp_path: Path) -> None:
    """ZVH 14, 17.2: a procesregisseur or a delegate is not allowed (exit 3); a bad time,
    an empty required text or a folder as ``--out`` is invalid input (exit 4); a missing
    ``--out`` is a usage error (exit 2).  Each error is one line, and nothing is written."""
    now = _local(clock.now())
    for user in (CHAIR, _user(POLICE)):
        run = act(user, "breach", "new", "--discovered", now, "--nature", "n", "--data", "d",
                  "--persons", "p")
        assert run.code == 3
        assert run.out == ""
        assert act(user, "breach", "list").code == 3
    for args in (("--discovered", "gisteren"), ("--discovered", now, "--nature", " ")):
        full = {"--discovered": now, "--nature": "n", "--data": "d", "--persons": "p"}
        full.update(dict(zip(args[::2], args[1::2], strict=True)))
        run = act(PRIVACY_OFFICER, "breach", "new", *[w for kv in full.items() for w in kv])
        assert run.code == 4, run.err
        assert run.err.count("\n") == 1, run.err
    run = act(PRIVACY_OFFICER, "breach", "export", "--format", "csv", "--out", tmp_path)
    assert run.code == 4
    assert act(PRIVACY_OFFICER, "breach", "export", "--format", "csv").code == 2
    assert json.loads(ok(act(PRIVACY_OFFICER, "breach", "list", "--json")).out) == {
        "breaches": []}


def test_figures_command_prints_suppressed_cells_as_below_five_zvh_12_3(act: Actor) -> None:
    """ZVH 12.3, 11.7: text, JSON and CSV show the same figures; a suppressed cell is
    ``<5`` in text and CSV and null in JSON, no shown count is below 5; a delegate is not
    allowed (exit 3)."""
    year = str(TODAY.year)
    data = json.loads(ok(act(CHAIR, "figures", "--year", year, "--format", "json")).out)
    values = [*data["totals"].values(), *(p["entered"] for p in data["phases"])]
    assert all(v is None or v >= 5 for v in values)
    assert None in values  # a 12-case demo store has small cells
    text = ok(act(CHAIR, "figures", "--year", year)).out
    assert "<5" in text
    assert "Cases registered" in text
    rows = list(csv.DictReader(io.StringIO(ok(act(CHAIR, "figures", "--year", year,
                                                  "--format", "csv")).out)))
    assert {r["key"]: r["value"] for r in rows if r["kind"] == "total"} == {
        k: "<5" if v is None else str(v) for k, v in data["totals"].items()}
    assert act(_user(POLICE), "figures", "--year", year).code == 3
    assert act(CHAIR, "figures", "--year", str(TODAY.year + 1)).code == 4


def test_information_duty_command_never_shows_a_name_zvh_16_7(act: Actor, store: Path) -> None:
    """ZVH 16.7, 9.6, 17.2: the overview shows the case, the label, the category, the
    status, the motivation and the review date, for the officer and the case's director,
    with and without ``--week``; a name item's canary appears in no output of the
    oversight commands."""
    ref = _new_case(store)
    with _open(store, CHAIR) as session:
        casework.add_item(session, ref, category="identity", body=f"De Vries {CANARY}",
                          legal_basis="art. 6 lid 1 sub e AVG", person="B1",
                          kind=ItemKind.FIELD, field="name")
        casework.set_informed(session, ref, "B1", status=InformedStatus.NOT_INFORMED,
                              reason=MOTIVATION, review_on=TODAY,
                              expected=TODAY + dt.timedelta(days=30))
    outputs = []
    for user in (PRIVACY_OFFICER, CHAIR):
        for extra in ((), ("--week",)):
            text = ok(act(user, "information-duty", *extra)).out
            data = act.json(user, "information-duty", *extra)
            row = next(p for p in data["persons"] if p["case"] == ref)
            assert (row["person"], row["category"], row["status"], row["motivation"],
                    row["review_on"], row["due_this_week"]) == (
                "B1", "cat-i", "not_informed", MOTIVATION, TODAY.isoformat(), True)
            assert ref in text
            assert MOTIVATION in text
            outputs += [text, json.dumps(data)]
    outputs.append(ok(act(CHAIR, "figures", "--year", str(TODAY.year), "--format",
                          "json")).out)
    act.json(PRIVACY_OFFICER, "breach", "new", "--discovered", _local(clock.now()),
             "--nature", "n", "--data", "d", "--persons", "p")
    outputs += [ok(act(PRIVACY_OFFICER, "breach", "list")).out,
                ok(act(PRIVACY_OFFICER, "breach", "show", "--id", "1")).out]
    joined = "\n".join(outputs)
    assert CANARY not in joined
    assert "De Vries" not in joined
    assert act(_user(POLICE), "information-duty").code == 3
