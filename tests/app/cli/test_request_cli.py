"""Data-subject requests from the command line (app/cli/request_commands.py; ZVH 17-20,
18.1), in-process on a copy of the demo store with the request scenario of the service
tests: the officer registers (the name read from stdin), the procesregisseur finds and
links, the providers withhold and complete, the officer writes the inzage report to the
path given and closes.  Exit codes are the documented ones; no output names another
person's canary.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.principals import user_principal
from tests.app.cli.casework_support import Actor, Passes, ok
from tests.app.cli.conftest import Cli
from tests.app.services import requests_scenario as sc
from tests.app.services.test_services import (
    CHAIR,
    GGZ,
    PRIVACY_OFFICER,
    RDAM,
    SPEC,
    TODAY,
    _open,
    _user,
)
from tests.conftest import PASSPHRASE, DemoStoreFactory


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


def test_request_flow_from_registration_to_closing_zvh_18_1(
        act: Actor, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ZVH 18.1, 17.5-17.6: the whole flow by the CLI; the PDF goes only to --out."""
    s_ = sc.build(store)
    received = (TODAY - dt.timedelta(days=2)).isoformat()
    monkeypatch.setattr("sys.stdin", io.StringIO("Jan de Vries\n"))
    new = act.json(PRIVACY_OFFICER, "request", "new", "--kind", "inzage", "--received-on",
                   received, "--verified-how", "Paspoort gezien", "--verified-by",
                   PRIVACY_OFFICER, "--birth-date", "1980-02-01")
    rid = new["request"]
    assert new["deadline"] == (TODAY + dt.timedelta(days=26)).isoformat()
    assert "Vries" not in str(new)
    asked = act.json(CHAIR, "request", "asked")
    assert [(a["request"], a["name"]) for a in asked] == [(rid, "Jan de Vries")]
    found = act.json(CHAIR, "request", "find", "--request", str(rid))
    assert {f["case"] for f in found} == {s_.ref, s_.ref2}
    for f in found:
        ok(act(CHAIR, "request", "link", "--request", str(rid), "--person", str(f["person"])))
    tasks = act.json(_user(GGZ), "request", "tasks")
    assert [t["case"] for t in tasks] == [s_.ref]
    assert s_.care_item in tasks[0]["items"]
    ok(act(_user(GGZ), "request", "withhold", "--request", str(rid), "--item",
           str(s_.care_item), "--reason", "Lopend behandeltraject"))
    ok(act(_user(GGZ), "request", "done", "--task", str(tasks[0]["task"]), "--outcome",
           "none"))
    sc.holders_log_in(store)
    listed = act.json(PRIVACY_OFFICER, "request", "list", "--status", "open")
    assert [(r["request"], r["subjects"], r["due"], r["late"]) for r in listed] == [
        (rid, 2, False, False)]
    shown = act.json(PRIVACY_OFFICER, "request", "show", "--request", str(rid))
    assert shown["identity"]["name"] == "Jan de Vries"
    assert shown["withheld"] == 1
    assert {t["kind"] for t in shown["tasks"]} == {"decide", "routed"}
    out = tmp_path / "chosen" / "inzage.pdf"
    out.parent.mkdir()
    report = act.json(PRIVACY_OFFICER, "request", "inzage", "--request", str(rid), "--out",
                      out, "--lang", "en")
    assert out.is_file()
    assert report["pages"] >= 1
    assert stat.S_IMODE(out.stat().st_mode) & 0o077 == 0
    text = " ".join(p.extract_text() or "" for p in PdfReader(out).pages)
    assert "SUBJECT-ADDR" in text
    assert "Lopend behandeltraject" in text
    assert "CANARY" not in text
    assert "SUBJECT-CARE" not in text
    assert set(store.rglob("*.pdf")) == set()
    ok(act(PRIVACY_OFFICER, "request", "close", "--request", str(rid), "--answer",
           "Inzage per post verstrekt"))
    closed = act.json(PRIVACY_OFFICER, "request", "list", "--status", "closed")
    assert [(r["request"], r["answered_on"]) for r in closed] == [(rid, TODAY.isoformat())]
    with _open(store, PRIVACY_OFFICER) as s:
        assert s.store.conn.execute("SELECT count(*) FROM item_keys WHERE holder = ?",
                                    (user_principal(PRIVACY_OFFICER),)).fetchone()[0] == 0


def test_request_cli_errors_are_one_line_with_the_documented_codes_zvh_18_1(
        act: Actor, tmp_path: Path) -> None:
    """Bad input exits 4, a role without the right exits 3, usage errors exit 2; one
    line on stderr, no personal data."""
    bad = act(PRIVACY_OFFICER, "request", "new", "--kind", "inzage", "--received-on",
              "gisteren", "--verified-how", "Paspoort", "--verified-by", PRIVACY_OFFICER,
              "--name", "Jan de Vries")
    assert bad.code == 4
    assert len(bad.err.splitlines()) == 1
    assert "--received-on" in bad.err
    assert "Vries" not in bad.err
    denied = act(_user(RDAM), "request", "list")
    assert denied.code == 3
    assert len(denied.err.splitlines()) == 1
    usage = act(PRIVACY_OFFICER, "request", "new", "--kind", "wipe", "--received-on",
                TODAY.isoformat(), "--verified-how", "x", "--verified-by", PRIVACY_OFFICER)
    assert usage.code == 2
    unknown = act(PRIVACY_OFFICER, "request", "show", "--request", "999")
    assert unknown.code == 4
    assert "Traceback" not in unknown.err
    out = tmp_path / "x.pdf"
    missing = act(PRIVACY_OFFICER, "request", "inzage", "--request", "999", "--out", out)
    assert missing.code == 4
    assert not out.exists()
    assert ok(act(PRIVACY_OFFICER, "request", "list")).out.strip() == "No requests."
