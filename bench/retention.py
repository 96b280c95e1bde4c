"""Retention on the 10k demo store (issue 12): ``retention due`` and a destruction run of
1,000 cases, with the backups in the store folder cleaned as well.

Run: ``.venv/bin/python -m bench.retention [--store DIR] [--cases 10000] [--destroy 1000]``

``--store DIR``: a built demo store (``bench/casework.py --store DIR`` builds one), which is
*copied* first (the run destroys data); without it a store of ``--cases`` is built in a
temporary folder (minutes at 10k).  To have ``--destroy`` cases due today, the bench moves
their opening date back past the five years of ZVH 11.2 with raw SQL (bench set-up only; a
test creates such cases through the services).  Timed, as the privacy officer: ``due``
(today, and ``--as-of`` five years on, when every case is due), and the run: the
transaction, the VACUUM of the store, the cleaning of each backup in its folder, and the
proces-verbaal.  Caveat: a 2-core machine shared with other work is noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from app import clock
from app.crypto.keyslots import KdfParams
from app.demo import generate_demo
from app.demo.generator import create_demo_store
from app.policy.retention import add_months
from app.profiles import load_profile
from app.services import retention, retention_run
from app.services.session import Session
from app.store import destruction
from app.store.layout import BACKUP_DIR

PASSPHRASE = "bench casework passphrase"
KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
PROFILE = "zvh-rotterdam-rijnmond"


def _size(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _age_cases(session: Session, count: int) -> None:
    """Bench set-up: the first ``count`` open cases opened 61 months ago (due today)."""
    conn = session.store.conn
    old = add_months(clock.today(), -61).isoformat()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE cases SET opened_at = ? WHERE id IN (SELECT id FROM cases WHERE"
                 " destroyed_on IS NULL ORDER BY id LIMIT ?)", (old, count))
    conn.execute("COMMIT")


_CALLS: dict[str, list[float]] = {}


def _timed(name: str) -> None:
    """Record the duration of each call of ``destruction.<name>`` (the run and the backup
    cleaning look the functions up on the module, so both are seen)."""
    inner = getattr(destruction, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            _CALLS.setdefault(name, []).append(time.perf_counter() - start)

    setattr(destruction, name, wrapper)


def main(argv: Sequence[str] | None = None) -> int:
    """Copy or build the store, time due and the run, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--destroy", type=int, default=1_000)
    parser.add_argument("--store", type=Path, metavar="DIR",
                        help="a built demo store to copy (it is never changed)")
    args = parser.parse_args(argv)
    for name in ("destroy", "compact", "clean_backups"):
        _timed(name)
    today = clock.today()
    demo = generate_demo(load_profile(PROFILE), cases=args.cases, seed=1, today=today)
    officer = next(u for u, _n, role, _p in demo.users if role == "privacy-officer")
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}; {args.cases} cases; destroy {args.destroy}")
    with tempfile.TemporaryDirectory(dir=args.store.parent if args.store else None) as tmp:
        # This computer's witnesses and destruction ledger: the bench's own.
        os.environ["CASUSTAFEL_WITNESS_DIR"] = str(Path(tmp) / "witness")
        folder = Path(tmp) / "store"
        start = time.perf_counter()
        if args.store is not None:
            shutil.copytree(args.store, folder, ignore=shutil.ignore_patterns("*.lock"))
            print(f"store copy: {time.perf_counter() - start:.1f} s")
        else:
            create_demo_store(folder, demo, profile_id=PROFILE, passphrase=PASSPHRASE,
                              kdf=KDF)
            print(f"store build: {time.perf_counter() - start:.1f} s")
        backups = sorted((folder / BACKUP_DIR).glob("*")) if (folder / BACKUP_DIR).is_dir() \
            else []
        print(f"store folder: {_size(folder):.0f} MB, {len(backups)} backup(s) in it")
        start = time.perf_counter()
        with Session.open(folder, officer, PASSPHRASE, kdf=KDF) as session:
            print(f"open (migrate to schema 12 on a first open): "
                  f"{time.perf_counter() - start:.2f} s")
            _age_cases(session, args.destroy)
            for label, as_of in (("due today", None),
                                 ("due --as-of +5 years", add_months(today, 60))):
                start = time.perf_counter()
                view = retention.due(session, as_of)
                print(f"{label}: {time.perf_counter() - start:.2f} s "
                      f"({len(view.lines)} lines, {view.cases} cases, {view.items} items)")
            start = time.perf_counter()
            result = retention_run.run(session)
            run_s = time.perf_counter() - start
            print(f"run: {run_s:.1f} s ({result.cases} cases, {result.items} items, "
                  f"{result.backups_cleaned} backups cleaned, {result.pages} page(s) report)")
            for name, calls in _CALLS.items():
                print(f"  {name}: " + ", ".join(f"{c:.1f} s" for c in calls))
            start = time.perf_counter()
            view = retention.due(session)
            print(f"due after the run: {time.perf_counter() - start:.2f} s "
                  f"({view.cases} cases left due)")
        start = time.perf_counter()
        with Session.open(folder, officer, PASSPHRASE, kdf=KDF) as session:
            print(f"reopen (ledger checked, nothing to replay): "
                  f"{time.perf_counter() - start:.2f} s")
        print(f"store folder after: {_size(folder):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
