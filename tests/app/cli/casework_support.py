"""Shared set-up for the casework CLI tests: an empty ZVH store made by the CLI alone
(``init``, ``users add``, each user choosing their own passphrase), and the runner
helpers the tests use to act as one user."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.app.cli.conftest import Run
from tests.conftest import PASSPHRASE

ZVH = "zvh-rotterdam-rijnmond"
FIRST = "set by the administrator 1"  # what the administrator gives a new user

ADMIN = "beheer"
CHAIR = "regie"          # procesregisseur, gemeente-rotterdam
OTHER_CHAIR = "regie2"   # procesregisseur for the hand-over
NOTULIST = "notulist"
AGENT = "agent"          # police
GGZ_USER = "ggzer"       # GGZ Antes
RECLASS_USER = "reclass"  # Reclassering Nederland: invited, receives no grant
HALT_USER = "halter"     # HALT: never invited
WONEN_USER = "wonen"     # the municipality's social development directorate

RDAM = "gemeente-rotterdam"
POLICE = "politie-rotterdam"
GGZ = "ggz-antes"
RECLASS = "reclassering-nederland"
HALT = "halt"
WONEN = "gemeente-rotterdam-mo"

USERS = (
    (CHAIR, "procesregisseur", RDAM),
    (OTHER_CHAIR, "procesregisseur", RDAM),
    (NOTULIST, "notulist", RDAM),
    (AGENT, "deelnemer", POLICE),
    (GGZ_USER, "deelnemer", GGZ),
    (RECLASS_USER, "deelnemer", RECLASS),
    (HALT_USER, "deelnemer", HALT),
    (WONEN_USER, "deelnemer", WONEN),
)

BASIS = "art. 6 lid 1 sub e AVG; PP 6.2"
POLICE_BASIS = "art. 20 Wpg; PP 6.4d"
NECESSITY = "Nodig om de veiligheid in het plan mee te wegen"
POLICE_TEXT = "Drie meldingen van geluidsoverlast in mei"
GGZ_TEXT = "In behandeling bij het FACT-team sinds maart"
HOUSING_TEXT = "Huurachterstand van drie maanden"

Runner = Callable[..., Run]


@dataclass(frozen=True)
class Passes:
    """The passphrase files: ``own`` for every user after the first login, ``first`` as
    the administrator gave it."""

    own: Path
    first: Path


def passes(folder: Path) -> Passes:
    """Write the two passphrase files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    own, first = folder / "own.pass", folder / "first.pass"
    own.write_text(PASSPHRASE + "\n", encoding="utf-8")
    first.write_text(FIRST + "\n", encoding="utf-8")
    return Passes(own, first)


def ok(run: Run) -> Run:
    """Assert exit 0 and an empty stderr."""
    assert run.code == 0, (run.code, run.err)
    assert run.err == "", run.err
    return run


def build_store(cli: Runner, store: Path, pw: Passes) -> None:
    """From nothing to a store with the users, by the CLI alone."""
    ok(cli("init", store, "--profile", ZVH, "--admin", ADMIN, "--name", "Beheerder",
           "--party", RDAM, "--passphrase-file", pw.own))
    for username, role, party in USERS:
        ok(cli("users", "add", store, "--user", ADMIN, "--passphrase-file", pw.own,
               "--username", username, "--name", username.title(), "--role", role,
               "--party", party, "--new-passphrase-file", pw.first))
        # A user the administrator added first chooses their own passphrase (issue 9).
        ok(cli("users", "passwd", store, "--user", username, "--passphrase-file", pw.first,
               "--new-passphrase-file", pw.own))


class Actor:
    """Runs commands on one store as one user: ``act(user, "case", "new", ...)`` becomes
    ``casustafel case new STORE --user USER --passphrase-file OWN ...``."""

    def __init__(self, cli: Runner, store: Path, pw: Passes) -> None:
        self.cli, self.store, self.pw = cli, store, pw

    def __call__(self, user: str, *command: str | Path) -> Run:
        words = [str(c) for c in command]
        # The store and user come after the (sub)command words, before the options.
        split = next((i for i, w in enumerate(words) if w.startswith("-")), len(words))
        return self.cli(*words[:split], self.store, "--user", user, "--passphrase-file",
                        self.pw.own, *words[split:])

    def json(self, user: str, *command: str | Path) -> Any:
        """Run with ``--json``; assert success; the parsed output."""
        return json.loads(ok(self(user, *command, "--json")).out)


def meeting_time(days: int = 1) -> str:
    """A meeting ``days`` from now at 09:00 (within the week of preparation, ZVH 13.2)."""
    day = dt.datetime.now().astimezone().date() + dt.timedelta(days=days)
    return f"{day.isoformat()}T09:00"


@dataclass(frozen=True)
class Overleg:
    """A case in the casusoverleg with a planned meeting: the police item shared with GGZ
    for this phase, a GGZ item shared with nobody (and without consent), a housing item of
    the municipality shared with GGZ only."""

    ref: str
    meeting: int
    police_item: int
    ggz_item: int
    housing_item: int


INVITED = (POLICE, GGZ, RECLASS, WONEN)


def case_in_overleg(act: Actor, *, regrant: bool = True) -> Overleg:
    """Register a case (police as melder) and bring it to the casusoverleg, by the CLI.
    The police share their item with GGZ in the triage; with ``regrant`` they share it
    again for the casusoverleg (a grant does not carry over a phase change, ZVH 3.5b)."""
    ref = act.json(CHAIR, "case", "new", "--registering-party", POLICE, "--themes",
                   "overlast,zorg", "--goal", "Rust in de straat")["reference"]
    act.json(CHAIR, "case", "person", "--case", ref, "--category", "cat-i")
    police_item = act.json(AGENT, "case", "item", "--case", ref, "--category", "police",
                           "--body", POLICE_TEXT, "--basis", POLICE_BASIS,
                           "--person", "B1")["item"]
    act.json(CHAIR, "case", "phase", "--case", ref, "--to", "triage")
    meeting = act.json(CHAIR, "meeting", "new", "--at", meeting_time(), "--place", "Stadhuis",
                       "--notulist", NOTULIST)["meeting"]
    act.json(CHAIR, "meeting", "agenda", "--meeting", str(meeting), "--case", ref,
             "--invite", ",".join(INVITED))
    police_grant = ("case", "grant", "--case", ref, "--item", str(police_item), "--to", GGZ,
                    "--basis", POLICE_BASIS, "--necessity", NECESSITY)
    act.json(AGENT, *police_grant)
    act.json(CHAIR, "case", "phase", "--case", ref, "--to", "casusoverleg")
    if regrant:
        act.json(AGENT, *police_grant)
    ggz_item = act.json(GGZ_USER, "case", "item", "--case", ref, "--category", "health",
                        "--body", GGZ_TEXT, "--basis", BASIS, "--person", "B1")["item"]
    housing_item = act.json(WONEN_USER, "case", "item", "--case", ref, "--category",
                            "housing", "--body", HOUSING_TEXT, "--basis", BASIS,
                            "--person", "B1")["item"]
    act.json(WONEN_USER, "case", "grant", "--case", ref, "--item", str(housing_item),
             "--to", GGZ, "--basis", BASIS)
    return Overleg(ref, meeting, police_item, ggz_item, housing_item)


def items_of(view: dict[str, Any]) -> dict[int, Any]:
    """``show --json`` items: id -> the value (text, or the placeholder dict)."""
    return {i["item"]: i["value"] for i in view["items"]}
