"""The writes of the casework (issue 10) on a demo store, and the dashboard refresh after.

Run: ``.venv/bin/python -m bench.casework [--cases 10000] [--repeat 7]``

Per write, the median of ``--repeat`` runs, as the store's procesregisseur (or the police
participant for an item): register a case as the "New case" form does (``register_case``:
case, person and first item in one transaction), register a case with 10 items
(``create_case`` + ``add_person`` + 10 ``add_item``), add one item, change a phase, put a
case on an agenda with two invitations; and after each write the meeting dashboard refresh
(``meeting_view`` of the chair's meeting). The ratio is to a bare insert of the same rows
into the same tables on the same open connection (one transaction, no policy, no audit, no
keys). Goals: each write <= 50 ms and the refresh <= 100 ms (median). Caveat: a 2-core
machine shared with other work is noisy; the store build (its import seals every item) takes
minutes at 10k.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from app.crypto.keyslots import KdfParams
from app.demo import generate_demo
from app.demo.generator import create_demo_store
from app.profiles import load_profile
from app.services import casework, meetings
from app.services.session import Session

PASSPHRASE = "bench casework passphrase"
KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
PROFILE = "zvh-rotterdam-rijnmond"


def _median(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _bare(session: Session, items: int) -> None:
    """The same rows as a registration, inserted bare (no rules, no audit, no keys)."""
    conn = session.store.conn
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute(
        "INSERT INTO cases(reference, phase, registering_party, procesregisseur, opened_at,"
        " updated_at) VALUES (?, 'aanmelding', 'gemeente-rotterdam', ?, ?, ?)",
        (f"BARE-{time.perf_counter_ns()}", session.user.username, "2026-12-01", "now"))
    case_id = cur.lastrowid
    conn.execute("INSERT INTO persons(case_id, category, label) VALUES (?, 'cat-i', 'B1')",
                 (case_id,))
    conn.executemany(
        "INSERT INTO items(case_id, kind, body, source_party, category, phase, legal_basis,"
        " provided_on, created_by) VALUES (?, 'text', 'x', 'politie-rotterdam', 'police',"
        " 'aanmelding', 'b', '2026-12-01', 'x')", [(case_id,)] * items)
    conn.execute("ROLLBACK")


def main(argv: Sequence[str] | None = None) -> int:
    """Build the store, time the writes, print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--store", type=Path, metavar="DIR",
                        help="build the store here, or reuse it when it exists (the build "
                             "takes minutes at 10k; the timed writes change it a little)")
    args = parser.parse_args(argv)
    today = dt.datetime.now().astimezone().date()
    profile = load_profile(PROFILE)
    demo = generate_demo(profile, cases=args.cases, seed=1, today=today)
    users = {u: (role, party) for u, _n, role, party in demo.users}
    chair = sorted(u for u, (r, _p) in users.items() if r == "procesregisseur")[0]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}; {args.cases} cases; median of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.store or Path(tmp) / "store"
        if not folder.exists():
            start = time.perf_counter()
            create_demo_store(folder, demo, profile_id=PROFILE, passphrase=PASSPHRASE,
                              kdf=KDF)
            print(f"store build: {time.perf_counter() - start:.1f} s")
        with Session.open(folder, chair, PASSPHRASE, kdf=KDF) as session:
            mid = meetings.create_meeting(session, starts_at=dt.datetime.combine(
                today + dt.timedelta(days=2), dt.time(9)), place="Bench")
            refs: list[str] = []

            def register() -> None:
                ref = casework.create_case(session, registering_party="gemeente-rotterdam")
                casework.add_person(session, ref, category="cat-i")
                for n in range(10):
                    casework.add_item(session, ref, category="identity", body=f"Item {n}",
                                      legal_basis="PP 6.2", person="B1")
                refs.append(ref)

            def register_form() -> None:
                refs.append(casework.register_case(
                    session, registering_party="gemeente-rotterdam", persons=["cat-i"],
                    reason="Aanmelding", reason_category="identity", legal_basis="PP 6.2"))

            figures = {"register (form: one transaction)": _median(args.repeat,
                                                                   register_form),
                       "register + 10 items (12 writes)": _median(args.repeat, register)}
            figures["bare insert of the same rows"] = _median(args.repeat,
                                                              lambda: _bare(session, 10))
            figures["add an item"] = _median(args.repeat, lambda: casework.add_item(
                session, refs[0], category="identity", body="Nog een", legal_basis="PP 6.2"))
            moved = iter(refs)
            figures["change a phase"] = _median(
                args.repeat, lambda: casework.change_phase(session, next(moved), "triage"))
            queued = iter(refs)
            figures["put a case on an agenda"] = _median(
                args.repeat, lambda: meetings.add_to_agenda(
                    session, mid, next(queued), ["gemeente-rotterdam", "politie-rotterdam"]))
            figures["dashboard refresh"] = _median(
                args.repeat, lambda: meetings.meeting_view(session, mid))
    bare = figures["bare insert of the same rows"]
    for name, seconds in figures.items():
        print(f"{name:34s} {seconds * 1000:8.1f} ms   x{seconds / bare:6.1f} of bare insert")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
