"""The envelope-key layer (issue 9) against the code before it, on a 10k-case demo store.

Run: ``.venv/bin/python -m bench.envelope [--cases 10000] [--repeat 5] [--before 669af3f]``

Issue 9 encrypts every item's content with its own AES-GCM key, seals that key to the
parties and users the policy allows (X25519), and signs the audit trail (Ed25519).  This
bench measures what that costs, in one run on one machine: the code *before* the change
(``--before``, unpacked with ``git archive`` into a temporary folder) and the working tree
*after* it each run in their own subprocess (``python -P`` with ``PYTHONPATH`` set to the
one tree; each subprocess prints which ``app`` it imported and refuses another), and each
builds its own demo store from the same profile, seed and case count.  The after store is
a post-issue-9 store: ``create_demo_store`` imports through the new code, which seals
every item.

Figures per side, each the median of ``--repeat`` runs (the dashboard and the case view,
which take milliseconds, of four times as many):

1. unlock: ``Session.open`` (key derivation and the login's key work included) of a
   participant (police) and of a procesregisseur, both added after the build by the
   administrator with the production Argon2 parameters (``PRODUCTION_KDF``) and having
   chosen their own passphrase; the demo users themselves get cheap parameters so that
   the build does not spend minutes in Argon2;
2. the meeting dashboard (``meeting_view``) of the 40-case meeting, as its chair;
3. one case view (``show_case``) of a case with many items, as the police participant;
4. a plan van aanpak of about 50 pages, as in ``bench.reports``: ``prepare_report`` from
   the real views, the case's items repeated in memory up to 50 pages, ``render_report``;
   and ``generate_report`` end to end (views, rendering, registers) for the notulen of the
   40-case meeting for the table;
5. all cases for a party: the case list (``list_cases``) of the police participant, and
   the full views of every case (``case_views``) as in ``bench.policy``.

Also printed: the time to build each store (generation untimed; the import, which on the
after side seals every item).  The two stores are built one after the other; then both
subprocesses stay up and every run of every operation alternates between them (which
side goes first alternates too), so a burst of load elsewhere hits both alike.  Goals:
after / before <= 1.3 for every operation, and unlock <= 0.5 s after.  Caveat: a 2-core
machine shared with other work is noisy; the median of N damps that, it does not remove
it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.reports.data import ReportData
    from app.services.session import Session

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "669af3f"
GOAL_RATIO = 1.3
GOAL_UNLOCK_S = 0.5
PASSPHRASE = "bench passphrase 2026"
OWN_PASSPHRASE = "bench own passphrase 2026"  # what the two new users choose
TODAY = dt.date(2026, 11, 22)
SEED = 7
PROFILE = "zvh-rotterdam-rijnmond"
PAGES = 50
CANDIDATES = 20  # the cases with the most items, of which the case view takes the fullest
FAST = 4  # the millisecond operations run this many times as often
PROTOCOL = "@@"  # prefix of the lines a side writes to the parent on stdout

# (key, label, runs as a multiple of --repeat), in print order.
OPERATIONS = (
    ("unlock_participant", "unlock, participant (production KDF)", 1),
    ("unlock_procesregisseur", "unlock, procesregisseur (production KDF)", 1),
    ("dashboard", "meeting dashboard (chair)", FAST),
    ("case_view", "case view (participant)", FAST),
    ("plan_50", "plan, ~50 pages (prepare + render)", 1),
    ("notulen", "notulen for the table, generate_report", 1),
    ("case_list", "case list (participant)", 1),
    ("all_views", "all case views (participant)", 1),
)


# -- one side, in its own process ------------------------------------------------------

def _meeting_id(conn: Any, meeting: dict[str, Any]) -> int:
    """The store id of the demo document's ``meeting`` (as in ``bench.reports``)."""
    return next(
        int(mid) for mid, start in conn.execute("SELECT id, starts_at FROM meetings")
        if start == meeting["starts_at"]
        and conn.execute("SELECT count(*) FROM agenda WHERE meeting_id = ?",
                         (mid,)).fetchone()[0] == len(meeting["agenda"]))


def _meeting(doc: dict[str, Any]) -> dict[str, Any]:
    """The soonest upcoming meeting with the largest agenda (40 cases).  Not simply the
    largest: in a 10k store that is a meeting held two months before ``TODAY``, whose
    meeting grants have lapsed, so its plans show no items at all."""
    def day(meeting: dict[str, Any]) -> int:
        return dt.date.fromisoformat(meeting["starts_at"][:10]).toordinal()

    upcoming = [m for m in doc["meetings"] if day(m) >= TODAY.toordinal()]
    return max(upcoming or doc["meetings"],
               key=lambda m: (len(m.get("agenda", [])), -day(m)))


def _grown(data: ReportData, items: int) -> ReportData:
    """``data`` with its case's items repeated (new ids) up to ``items`` items (as in
    ``bench.reports``)."""
    from app.reports.data import CaseReport
    from app.views import ItemView

    assert data.case is not None
    view = data.case.view
    assert view.items, "the case has items"
    many: list[ItemView] = []
    while len(many) < items:
        for item in view.items:
            many.append(item._replace(item_id=100_000 + len(many)))
    bigger = dataclasses.replace(view, items=tuple(many[:items]))
    return dataclasses.replace(data, case=CaseReport(bigger, data.case.close_reason,
                                                     data.case.close_basis))


class Side:
    """A demo store and the operations on it, for one version of the code."""

    def __init__(self, folder: Path, cases: int) -> None:
        from app.crypto.keyslots import KdfParams
        from app.demo import create_demo_store, generate_demo
        from app.profiles import load_profile

        self.folder = folder
        profile = load_profile(PROFILE)
        demo = generate_demo(profile, cases=cases, seed=SEED, today=TODAY, agenda_size=40)
        self.doc: dict[str, Any] = demo.doc
        # Cheap Argon2 for the demo users (the build would spend minutes in it); the two
        # users whose unlock is timed get production parameters (add_production_users).
        start = time.perf_counter()
        create_demo_store(folder, demo, profile_id=profile.id, passphrase=PASSPHRASE,
                          kdf=KdfParams(time_cost=1, memory_kib=8, parallelism=1))
        self.build = time.perf_counter() - start
        self.items = self.count("items") or 0
        self.meeting = _meeting(self.doc)
        police = next(u for u in self.doc["users"]
                      if u["party"].startswith("politie") and u["role"] == "deelnemer")
        self.police, self.police_party = str(police["username"]), str(police["party"])
        self.session: Session | None = None
        self.meeting_id = 0
        self.reference = ""
        self.plan: tuple[str, str, int] = ("", "", 0)  # case, recipient, items for PAGES

    # sessions: one open at a time (the store lock), switched between operations only
    def login(self, username: str | None) -> Session | None:
        from app.services.session import Session

        if self.session is not None and (username is None
                                         or self.session.user.username != username):
            self.session.close(backup=False)
            self.session = None
        if username is not None and self.session is None:
            self.session = Session.open(self.folder, username, PASSPHRASE)
        return self.session

    def _as(self, username: str) -> Session:
        session = self.login(username)
        assert session is not None
        return session

    def count(self, table: str, where: str = "", *params: object) -> int | None:
        """Rows of ``table``, read as the administrator outside the timers; None when the
        table does not exist (the before side has no envelope tables)."""
        from app.services.session import Session

        session = Session.open(self.folder, "beheer", PASSPHRASE)
        try:
            conn = session.store.conn
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone() is None:
                return None
            sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
            return int(conn.execute(sql, params).fetchone()[0])
        finally:
            session.close(backup=False)

    def production_slots(self) -> int:
        """Slots in the key-slot file with the production Argon2 parameters (expected: the
        two added users)."""
        from dataclasses import asdict

        from app.crypto.keyslots import PRODUCTION_KDF

        doc = json.loads((self.folder / "keyslots.json").read_text(encoding="utf-8"))
        return sum(slot["kdf"] == asdict(PRODUCTION_KDF) for slot in doc["slots"])

    def add_production_users(self) -> None:
        """Two users with production-KDF slots, as a real new colleague comes in: added by
        the administrator, then each chooses their own passphrase (after the change: new
        key pairs too), then the demo's police participant logs in, which after the change
        hands the police key to the new colleague."""
        from app.crypto.keyslots import PRODUCTION_KDF
        from app.domain.roles import Role
        from app.services import admin
        from app.services.session import Session

        director = next(u for u in self.doc["users"] if u["role"] == "procesregisseur")
        new_users = (("bench.deelnemer", Role.DEELNEMER, self.police_party),
                     ("bench.regie", Role.PROCESREGISSEUR, str(director["party"])))
        session = Session.open(self.folder, "beheer", PASSPHRASE, kdf=PRODUCTION_KDF)
        try:
            for username, role, party in new_users:
                admin.add_user(session, username=username, display_name=username.title(),
                               role=role, party_id=party, passphrase=PASSPHRASE)
        finally:
            session.close(backup=False)
        for username, _role, _party in new_users:
            session = Session.open(self.folder, username, PASSPHRASE, kdf=PRODUCTION_KDF)
            try:
                admin.change_passphrase(session, PASSPHRASE, OWN_PASSPHRASE)
            finally:
                session.close(backup=False)
        self.login(self.police)
        self.login(None)

    def choose(self) -> None:
        """The meeting, the case and the plan the operations use (untimed)."""
        from app.reports.render import render_report
        from app.services.cases import case_views
        from app.services.reports import prepare_report
        from app.store import repo
        from app.views import ReportRequest, ViewSpec

        chair = self._as(self.meeting["chair"])
        self.meeting_id = _meeting_id(chair.store.conn, self.meeting)
        # The plan for one party with the most visible items (as bench.reports chooses).
        best: tuple[int, str, str] | None = None
        for entry in self.meeting["agenda"]:
            for party in sorted(entry["invited"]):
                data = prepare_report(chair, ReportRequest(
                    kind="plan", case_ref=entry["case"], recipient=party, lang="nl"),
                    today=TODAY).data
                count = len(data.case.view.items) if data.case is not None else 0
                if best is None or count > best[0]:
                    best = (count, entry["case"], party)
        assert best is not None
        assert best[0] > 0, "no plan of the meeting shows any item"
        sample = prepare_report(chair, ReportRequest(
            kind="plan", case_ref=best[1], recipient=best[2], lang="nl"), today=TODAY).data
        small = render_report(_grown(sample, 200)).pages
        large = render_report(_grown(sample, 800)).pages
        self.plan = (best[1], best[2],
                     int(800 + (PAGES - large) * 600 / max(1, large - small)))

        police = self._as(self.police)
        conn = police.store.conn
        top = [str(r[0]) for r in conn.execute(
            "SELECT c.reference FROM items i JOIN cases c ON c.id = i.case_id"
            " GROUP BY c.id ORDER BY count(*) DESC, c.reference LIMIT ?", (CANDIDATES,))]
        views = case_views(police, [c for c in repo.cases(conn) if c.reference in top],
                           ViewSpec(), today=TODAY)
        self.reference = max(views, key=lambda v: (len(v[0].items), v[0].reference))[0].reference
        self.login(None)

    def operation(self, key: str) -> Callable[[], str]:
        """The timed call for ``key`` (sessions it needs are opened first, untimed); it
        returns a note on what it did."""
        from app.reports.render import render_report
        from app.services.cases import case_views, list_cases, show_case
        from app.services.meetings import meeting_view
        from app.services.reports import generate_report, prepare_report
        from app.services.session import Session
        from app.views import ReportRequest, ViewSpec

        if key.startswith("unlock_"):
            self.login(None)
            username = "bench.deelnemer" if key == "unlock_participant" else "bench.regie"

            def unlock() -> str:
                Session.open(self.folder, username, OWN_PASSPHRASE).close(backup=False)
                return username
            return unlock
        if key in {"dashboard", "plan_50", "notulen"}:
            chair = self._as(self.meeting["chair"])
            if key == "dashboard":
                return lambda: (f"{len(meeting_view(chair, self.meeting_id, today=TODAY).agenda)}"
                                " agenda cases")
            if key == "plan_50":
                case, party, items = self.plan
                request = ReportRequest(kind="plan", case_ref=case, recipient=party, lang="nl")

                def plan() -> str:
                    data = prepare_report(chair, request, today=TODAY).data
                    pages = render_report(_grown(data, items)).pages
                    return f"{pages} pages, {case} for {party}"
                return plan
            minutes = ReportRequest(kind="notulen", meeting_id=self.meeting_id, table=True,
                                    lang="nl")
            return lambda: f"{generate_report(chair, minutes, today=TODAY).pages} pages"
        police = self._as(self.police)
        if key == "case_view":
            return lambda: (f"{self.reference}, "
                            f"{len(show_case(police, self.reference, today=TODAY).items)}"
                            " items shown")
        if key == "case_list":
            return lambda: f"{len(list_cases(police, today=TODAY))} cases"

        def every() -> str:
            views = case_views(police, None, ViewSpec(), today=TODAY)
            return f"{len(views)} cases, {sum(len(v[0].items) for v in views)} items shown"
        return every


def _send(message: dict[str, Any]) -> None:
    print(PROTOCOL + json.dumps(message), flush=True)


def run_side(args: argparse.Namespace) -> None:
    """One side: build its store, say it is ready, then run one operation per line on
    stdin (``quit`` ends) and answer each with its time."""
    import app

    tree = Path(args.tree).resolve()
    origin = Path(app.__file__).resolve()
    print(f"[{args.side}] app imported from {origin}", file=sys.stderr, flush=True)
    if not origin.is_relative_to(tree):
        raise SystemExit(f"[{args.side}] app is not from {tree}")
    with tempfile.TemporaryDirectory(prefix=f"casustafel-bench-{args.side}-") as tmp:
        side = Side(Path(tmp) / "store", args.cases)
        print(f"[{args.side}] store built in {side.build:.1f} s ({args.cases} cases, "
              f"{side.items} items)", file=sys.stderr, flush=True)
        step = time.perf_counter()
        side.add_production_users()
        # Whether the new participant holds the police key (after: handed over by the demo
        # colleague), and how many cases wait for key work at each login.
        seals = side.count("party_key_seals", "username = ?", "bench.deelnemer")
        due = side.count("key_sync_due")
        print(f"[{args.side}] production-KDF users added in {time.perf_counter() - step:.1f} s",
              file=sys.stderr, flush=True)
        step = time.perf_counter()
        side.choose()
        print(f"[{args.side}] meeting, case and plan chosen in "
              f"{time.perf_counter() - step:.1f} s", file=sys.stderr, flush=True)
        _send({"app": str(origin), "build": side.build, "items": side.items,
               "keys": "" if seals is None else f"police key seals {seals}, cases due {due}",
               "production_slots": side.production_slots(),
               "db_mb": (side.folder / "casustafel.db").stat().st_size / 1e6})
        for line in sys.stdin:
            key = line.strip()
            if key == "quit":
                break
            call = side.operation(key)
            start = time.perf_counter()
            note = call()
            _send({"t": time.perf_counter() - start, "note": note})
        side.login(None)


# -- the parent: both sides, interleaved, then the table -------------------------------

def unpack(commit: str, dest: Path) -> None:
    """``git archive <commit> | tar -x -C dest`` (read-only use of the repository)."""
    git = shutil.which("git")
    if git is None:
        raise SystemExit("git is needed to unpack the code before the change")
    archive = subprocess.run([git, "-C", str(ROOT), "archive", commit],  # noqa: S603
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


class Child:
    """One side's subprocess, importing ``app`` from ``tree`` only."""

    def __init__(self, side: str, tree: Path, work: Path, args: argparse.Namespace) -> None:
        self.side = side
        env = dict(os.environ)
        env["PYTHONPATH"] = str(tree)
        # The after code remembers each store's chain head per computer: keep that in the
        # bench's temporary folder, not in the user's data folder.
        env["CASUSTAFEL_WITNESS_DIR"] = str(work / f"witness-{side}")
        # -P: no script directory on sys.path, so ``app`` resolves through PYTHONPATH
        # alone (it comes before the editable install's finder).
        command = [sys.executable, "-P", str(Path(__file__).resolve()), "--side", side,
                   "--tree", str(tree), "--cases", str(args.cases)]
        self.proc = subprocess.Popen(command, env=env, cwd=tree, text=True,  # noqa: S603
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.ready = self.receive()

    def receive(self) -> dict[str, Any]:
        stdout: IO[str] | None = self.proc.stdout
        assert stdout is not None
        for line in stdout:
            if line.startswith(PROTOCOL):
                message: dict[str, Any] = json.loads(line.removeprefix(PROTOCOL))
                return message
            print(f"[{self.side}] {line}", end="", flush=True)
        raise SystemExit(f"[{self.side}] ended early (exit {self.proc.wait()})")

    def run(self, key: str) -> tuple[float, str]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(key + "\n")
        self.proc.stdin.flush()
        answer = self.receive()
        return float(answer["t"]), str(answer["note"])

    def close(self) -> None:
        if self.proc.stdin is not None and self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        self.proc.wait()


Figures = dict[str, dict[str, tuple[list[float], str]]]


def measure(children: dict[str, Child], repeat: int) -> Figures:
    """Every run of every operation, alternating the sides (and which goes first)."""
    figures: Figures = {side: {} for side in children}
    order = list(children)
    for key, label, times in OPERATIONS:
        runs: dict[str, list[float]] = {side: [] for side in children}
        notes: dict[str, str] = {}
        for _ in range(repeat * times):
            for side in order:
                seconds, notes[side] = children[side].run(key)
                runs[side].append(seconds)
            order.reverse()
        for side in children:
            figures[side][key] = (runs[side], notes[side])
        print(f"  {label}: done", flush=True)
    return figures


def report(ready: dict[str, dict[str, Any]], figures: Figures,
           args: argparse.Namespace) -> None:
    """The table, the goals and the caveat."""
    before, after = figures["before"], figures["after"]
    print()
    print(f"store: {args.cases} cases, {ready['after']['items']} items "
          f"(before: {ready['before']['items']}); median of {args.repeat} runs "
          f"({args.repeat * FAST} for the dashboard and the case view), sides interleaved")
    print(f"before: {args.before} ({ready['before']['app']})")
    print(f"after:  working tree ({ready['after']['app']})")
    print(f"{'operation':<42} {'before s':>9} {'after s':>9} {'ratio':>6}  note (after)")
    worst, worst_name = 0.0, ""
    medians: dict[str, float] = {}
    for key, label, _times in OPERATIONS:
        b, a = statistics.median(before[key][0]), statistics.median(after[key][0])
        medians[key] = a
        ratio = a / b if b else float("inf")
        if ratio > worst:
            worst, worst_name = ratio, label
        note = after[key][1]
        if before[key][1] != note:
            note += f" (before: {before[key][1]})"
        print(f"{label:<42} {b:9.3f} {a:9.3f} {ratio:6.2f}  {note}")
    b, a = ready["before"]["build"], ready["after"]["build"]
    print(f"{'build store (import; once, not a goal)':<42} {b:9.1f} {a:9.1f} {a / b:6.2f}")
    print(f"database file: before {ready['before']['db_mb']:.0f} MB, after "
          f"{ready['after']['db_mb']:.0f} MB")
    print(f"slots with PRODUCTION_KDF: before {ready['before']['production_slots']}, after "
          f"{ready['after']['production_slots']}; after-side keys of the new participant: "
          f"{ready['after']['keys']}")
    print("every run (s), before | after:")
    for key, label, _times in OPERATIONS:
        runs_b = " ".join(f"{t:.3f}" for t in before[key][0])
        runs_a = " ".join(f"{t:.3f}" for t in after[key][0])
        print(f"  {label:<40} {runs_b} | {runs_a}")
    unlock = max(medians["unlock_participant"], medians["unlock_procesregisseur"])
    print(f"goal: after / before <= {GOAL_RATIO:.2f}  "
          f"{'PASS' if worst <= GOAL_RATIO else 'MISS'} (worst {worst:.2f}: {worst_name})")
    print(f"goal: unlock <= {GOAL_UNLOCK_S:.2f} s (after, median)  "
          f"{'PASS' if unlock <= GOAL_UNLOCK_S else 'MISS'} (slowest {unlock:.3f} s)")
    print(f"caveat: one machine ({os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()}), shared with other work; each side in its "
          f"own process with its own store, runs interleaved; median of {args.repeat}")


def main() -> None:
    """Parent: unpack the before code, start both sides, interleave, print the table.
    With ``--side``: one side (the subprocess)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default=BEFORE, help="commit of the code before")
    parser.add_argument("--side", choices=("before", "after"), help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cases < 1 or args.repeat < 1:
        parser.error("--cases and --repeat must be at least 1")
    if args.side is not None:
        run_side(args)
        return
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="casustafel-bench-envelope-") as tmp:
        work = Path(tmp)
        tree = work / "before"
        tree.mkdir()
        unpack(args.before, tree)
        children: dict[str, Child] = {}
        try:
            # Built one after the other: the build times do not share the CPUs.
            for side, root in (("before", tree), ("after", ROOT)):
                children[side] = Child(side, root, work, args)
            figures = measure(children, args.repeat)
        finally:
            for child in children.values():
                child.close()
    ready = {side: child.ready for side, child in children.items()}
    report(ready, figures, args)
    print(f"(whole bench: {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
