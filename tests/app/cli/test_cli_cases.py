"""The ``casustafel`` case commands (app/cli/case_commands.py): demo, list, show, import.

Once through the real console script in a subprocess (production key derivation: the demo
takes a few seconds), otherwise in-process through ``app.cli.main.main([...],
kdf=TEST_KDF)`` with a passphrase file.  Exit codes are the documented ones: 0 ok, 3 not
allowed, 4 invalid input; errors are one line on stderr and never say whether a case
exists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.main import main
from app.demo import generate_demo
from app.policy.access import Action
from app.policy.facts import load_facts
from app.profiles import load_profile
from app.services import cases, guard
from app.services.session import Session
from app.store import repo
from app.views import ViewSpec
from tests.conftest import PASSPHRASE, TEST_KDF

ZVH = "zvh-rotterdam-rijnmond"
TODAY = dt.datetime.now().astimezone().date()
DEMO = generate_demo(load_profile(ZVH), cases=12, seed=2, today=TODAY)
USERS = [(u, role, party) for u, _n, role, party in DEMO.users]
ADMIN = "beheer"
CHAIR = next(u for u, role, _p in USERS if role == "procesregisseur")
POLICE_DEELNEMER = next(u for u, role, p in USERS if role == "deelnemer"
                        and p == "politie-rotterdam")
DEELNEMER = next(u for u, role, p in USERS if role == "deelnemer" and p == "reclassering-nederland")
OWN_CASES = sorted(c["ref"] for c in DEMO.doc["cases"] if c["procesregisseur"] == CHAIR)


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class DemoStore:
    folder: Path
    pass_file: Path
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoStore:
    """``casustafel demo STORE --cases 12 --seed 2 --passphrase-file F``, in-process."""
    base = tmp_path_factory.mktemp("cli-cases")
    pass_file = base / "pass"
    pass_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    folder = base / "store"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["demo", str(folder), "--cases", "12", "--seed", "2",
                     "--passphrase-file", str(pass_file)], kdf=TEST_KDF)
    return DemoStore(folder, pass_file, code, out.getvalue(), err.getvalue())


Cli = Callable[..., Run]


@pytest.fixture
def cli(demo: DemoStore, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run a command against the demo store as ``user`` (in-process, captured)."""

    def run(command: str, user: str, *args: str) -> Run:
        capsys.readouterr()
        code = main([command, str(demo.folder), "--user", user, "--passphrase-file",
                     str(demo.pass_file), *args], kdf=TEST_KDF)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def _visible_refs(folder: Path, user: str) -> set[str]:
    with Session.open(folder, user, PASSPHRASE, kdf=TEST_KDF) as session:
        conn = session.store.conn
        all_cases = repo.cases(conn)
        facts = load_facts(conn, all_cases)
        return {c.reference for c in all_cases
                if guard.may(session, Action.READ, facts[c.id])}


def _view_json(folder: Path, user: str, ref: str, spec: ViewSpec) -> object:
    with Session.open(folder, user, PASSPHRASE, kdf=TEST_KDF) as session:
        view = cases.show_case(session, ref, spec)
    return json.loads(json.dumps(view.to_json(), ensure_ascii=False))


# --------------------------------------------------------------------------- the script

def test_console_script_demo_show_and_list(tmp_path: Path) -> None:
    """The installed ``casustafel`` script with production key derivation: ``demo`` builds
    a store that ``list`` and ``show`` then read (passphrase from CASUSTAFEL_PASSPHRASE)."""
    script = Path(sys.executable).parent / "casustafel"
    assert script.exists()
    env = {**os.environ, "CASUSTAFEL_PASSPHRASE": PASSPHRASE, "CASUSTAFEL_LANG": "en"}
    folder = tmp_path / "store"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], env=env, capture_output=True, text=True,
                              timeout=300, check=False, stdin=subprocess.DEVNULL)

    made = run("demo", str(folder), "--cases", "12", "--seed", "2")
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""
    for username, role, party in USERS:
        assert f"{username:<24} {role:<16} {party}" in made.stdout
    listed = run("list", str(folder), "--user", CHAIR, "cases", "--json")
    assert listed.returncode == 0, listed.stderr
    refs = [r["reference"] for r in json.loads(listed.stdout)]
    assert refs == OWN_CASES
    shown = run("show", str(folder), "--user", CHAIR, "--case", refs[0], "--json")
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    assert view["reference"] == refs[0]
    assert view["content_visible"] is True
    assert view["viewer"].startswith("procesregisseur@")
    text = run("show", str(folder), "--user", CHAIR, "--case", refs[0])
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(refs[0])
    unknown = run("show", str(folder), "--user", CHAIR, "--case", "ZVH-9999")
    assert unknown.returncode == 4
    assert unknown.stdout == ""
    assert len(unknown.stderr.splitlines()) == 1
    assert "Traceback" not in unknown.stderr


# --------------------------------------------------------------------------- demo

def test_demo_prints_every_user_with_role_and_party(demo: DemoStore) -> None:
    """``demo`` lists every demo user (and the administrator it creates) with role and
    party, so people know whom to log in as; nothing on stderr."""
    assert demo.code == 0, demo.err
    assert demo.err == ""
    lines = demo.out.splitlines()
    assert "12" in lines[0]
    table = [line.split() for line in lines[2:]]
    assert table[0][:2] == [ADMIN, "beheerder"]
    assert [tuple(row) for row in table[1:]] == USERS
    assert len({u for u, _r, _p in USERS}) == len(USERS)


# --------------------------------------------------------------------------- list

def test_list_cases_json_is_exactly_what_each_user_may_see(
    demo: DemoStore, cli: Cli,
) -> None:
    """``list --json`` returns exactly the cases the READ rule (``guard.may``) allows, for every
    demo user and the administrator (ZVH 9.6, 13.2)."""
    users = [ADMIN, *(u for u, _r, _p in USERS)]
    expected = {u: _visible_refs(demo.folder, u) for u in users}
    assert expected[ADMIN] == {c["ref"] for c in DEMO.doc["cases"]}
    assert expected[CHAIR] == set(OWN_CASES)
    for user in users:
        run = cli("list", user, "cases", "--json")
        assert run.code == 0, run.err
        rows = json.loads(run.out)
        refs = [r["reference"] for r in rows]
        assert len(refs) == len(set(refs))
        assert set(refs) == expected[user], user
        if user == ADMIN:
            assert all(r["name"] is None for r in rows)
    plain = cli("list", DEELNEMER, "cases")
    assert plain.code == 0
    assert sorted(line.split()[0] for line in plain.out.splitlines()) == sorted(
        expected[DEELNEMER])


# --------------------------------------------------------------------------- show

def test_show_as_party_and_table_as_the_chair(demo: DemoStore, cli: Cli) -> None:
    """The chair (procesregisseur) looks "as" a party or shows the table view; the output is
    exactly the service's redacted view for that spec."""
    ref = OWN_CASES[0]
    case = next(c for c in DEMO.doc["cases"] if c["ref"] == ref)
    parties = sorted({case["registering_party"], "politie-rotterdam"})
    for args, spec, viewer in (
        (["--as-party", "politie-rotterdam"], ViewSpec.as_party("politie-rotterdam"),
         "as:politie-rotterdam"),
        (["--as-party", "halt"], ViewSpec.as_party("halt"), "as:halt"),
        (["--table", ",".join(parties)], ViewSpec.table(parties), "table:" + ",".join(parties)),
        (["--table", f" {parties[0]} ,"], ViewSpec.table(parties[:1]), "table:" + parties[0]),
    ):
        run = cli("show", CHAIR, "--case", ref, "--json", *args)
        assert run.code == 0, run.err
        shown = json.loads(run.out)
        assert shown["viewer"] == viewer
        assert shown == _view_json(demo.folder, CHAIR, ref, spec)
        text = cli("show", CHAIR, "--case", ref, *args)
        assert text.code == 0
        assert text.out.startswith(ref)
    both = cli("show", CHAIR, "--case", ref, "--as-party", "halt", "--table", "halt")
    assert both.code == 2


@pytest.mark.parametrize("args", [["--as-party", "politie-rotterdam"],
                                  ["--table", "politie-rotterdam,halt"]])
def test_view_as_or_table_is_refused_for_a_deelnemer(
    demo: DemoStore, cli: Cli, args: list[str],
) -> None:
    """Only the chair looks as another party or shows the table (ZVH 13.2): a deelnemer
    gets exit 3 with one line, whatever the case."""
    own = sorted(_visible_refs(demo.folder, POLICE_DEELNEMER))
    assert own
    for ref in (own[0], "ZVH-9999"):
        run = cli("show", POLICE_DEELNEMER, "--case", ref, "--json", *args)
        assert run.code == 3
        assert run.out == ""
        assert len(run.err.splitlines()) == 1
        assert run.err.startswith("casustafel: ")


def test_show_unknown_or_invisible_case_says_nothing_about_existence(
    demo: DemoStore, cli: Cli,
) -> None:
    """A missing case and a case the user may not know give the same exit 4 and the same
    one line (ZVH 9.6, 13.2: even the existence of a case is not disclosed)."""
    for user in (DEELNEMER, CHAIR):
        visible = _visible_refs(demo.folder, user)
        invisible = sorted({c["ref"] for c in DEMO.doc["cases"]} - visible)
        assert invisible
        answers = set()
        for ref in (invisible[0], invisible[-1], "ZVH-9999", "ZVH-0000"):
            for extra in ([], ["--json"]):
                run = cli("show", user, "--case", ref, *extra)
                assert run.code == 4, (user, ref)
                assert run.out == ""
                assert len(run.err.splitlines()) == 1
                assert ref not in run.err
                answers.add(run.err)
        assert len(answers) == 1, answers


# --------------------------------------------------------------------------- import

def test_import_of_a_bad_file_names_record_and_field(
    demo: DemoStore, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """``import`` of an invalid document: exit 4, one ``path: problem`` line per issue on
    stderr, then the summary; nothing imported.  A file that is not JSON: exit 4, one
    line."""
    bad = {
        "format": "casustafel-import", "version": 1, "profile": ZVH,
        "cases": [{
            "ref": DEMO.doc["cases"][0]["ref"], "phase": "geen-fase",
            "registering_party": "gemeente-nergens", "procesregisseur": CHAIR,
            "opened_at": "2025-13-01",
            "items": [{"key": "i1", "body": "Jan", "source_party": "gemeente-rotterdam",
                       "category": "geen-categorie", "legal_basis": "AVG",
                       "provided_on": "2025-01-10"}],
        }],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    before = _visible_refs(demo.folder, ADMIN)

    def run(file: Path) -> Run:
        capsys.readouterr()
        code = main(["import", str(demo.folder), str(file), "--user", ADMIN,
                     "--passphrase-file", str(demo.pass_file)], kdf=TEST_KDF)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    result = run(path)
    assert result.code == 4
    assert result.out == ""
    lines = result.err.splitlines()
    paths = {line.split(":", 1)[0] for line in lines[:-1]}
    assert {"cases[0].ref", "cases[0].phase", "cases[0].registering_party",
            "cases[0].opened_at", "cases[0].items[0].category"} <= paths
    assert lines[-1].startswith("casustafel: ")
    assert str(len(lines) - 1) in lines[-1]
    assert "Jan" not in result.err
    assert _visible_refs(demo.folder, ADMIN) == before
    not_json = tmp_path / "not.json"
    not_json.write_text("{ this is not json", encoding="utf-8")
    result = run(not_json)
    assert result.code == 4
    assert len(result.err.splitlines()) == 1
    missing = run(tmp_path / "missing.json")
    assert missing.code == 4
    assert len(missing.err.splitlines()) == 1
