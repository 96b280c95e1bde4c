"""The retention commands (app/cli/retention_commands.py): ``retention due|upcoming|extend|
run`` (ZVH 11.2-11.8), in-process on a copy of the demo store.

Exit codes are the documented ones (0 ok, 3 not allowed, 4 invalid input); the
proces-verbaal is written only to ``--out``, readable by the user alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from pathlib import Path

import pytest

from app.policy.retention import add_months
from app.services import casework
from tests.app.cli.casework_support import Actor, Passes, ok
from tests.app.cli.conftest import Cli
from tests.app.services.test_services import CHAIR, PRIVACY_OFFICER, RDAM, SPEC, TODAY, _open
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


def _old_case(store: Path) -> str:
    with _open(store, CHAIR) as session:
        return casework.create_case(session, registering_party=RDAM, goal="Rust",
                                    opened_at=add_months(TODAY, -61))


def test_zvh_11_2_due_extend_and_run_by_the_cli(act: Actor, store: Path,
                                                tmp_path: Path) -> None:
    """ZVH 11.2-11.4: ``due`` lists the case past five years; an extension beyond two years
    or without motivation is refused (exit 4); a valid one takes it off today's list; the
    run writes the registered proces-verbaal to ``--out`` only."""
    ref = _old_case(store)
    due = act.json(PRIVACY_OFFICER, "retention", "due")
    assert ref in {line["case"] for line in due["lines"]}
    later = act.json(PRIVACY_OFFICER, "retention", "due", "--as-of",
                     add_months(TODAY, -2).isoformat())
    assert ref not in {line["case"] for line in later["lines"]}
    due_on = dt.date.fromisoformat(next(line["due_on"] for line in due["lines"]
                                        if line["case"] == ref))
    too_far = add_months(due_on, 24) + dt.timedelta(days=1)
    assert act(CHAIR, "retention", "extend", "--case", ref, "--until", too_far.isoformat(),
               "--motivation", "Nodig").code == 4
    assert act(CHAIR, "retention", "extend", "--case", ref, "--until",
               add_months(TODAY, 1).isoformat(), "--motivation", " ").code == 4
    assert act(CHAIR, "retention", "due").code == 3
    ext = act.json(CHAIR, "retention", "extend", "--case", ref, "--until",
                   add_months(TODAY, 1).isoformat(), "--motivation", "Partners: nog nodig")
    assert ext["rule"] == "zvh-max-term"
    assert ref not in {line["case"] for line in
                       act.json(PRIVACY_OFFICER, "retention", "due")["lines"]}
    upcoming = act.json(CHAIR, "retention", "upcoming", "--days", "40")
    assert ref in {line["case"] for line in upcoming["lines"]}

    out = tmp_path / "pv.pdf"
    assert act(PRIVACY_OFFICER, "retention", "run", "--out", out).code != 0
    assert not out.exists()
    result = act.json(PRIVACY_OFFICER, "retention", "run", "--approve", "--out", out)
    assert out.read_bytes()[:5] == b"%PDF-"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert hashlib.sha256(out.read_bytes()).hexdigest() == result["sha256"]
    text = ok(act(PRIVACY_OFFICER, "retention", "due")).out
    assert ref not in text
