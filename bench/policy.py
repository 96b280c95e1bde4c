"""Redacted views vs. the raw fetch of the same rows, on a 10k-case / 200k-item demo store.

Run: ``.venv/bin/python -m bench.policy [--cases 10000] [--repeat 3]``

Two workloads, each timed as (a) the raw fetch — the same bulk SQL the view builder runs,
``fetchall`` into tuples — and (b) the redacted views — the same SQL plus records, policy
decisions and view objects:

1. the 40 agenda cases of one meeting, as that meeting's chair would open them;
2. every case in the store, as one participant (a police delegate) would see them.

The ratio (views / raw) is the price of the policy.  Goal: <= 1.25.  Building the demo
store (generation + import) is done once and not timed.  Best of N repeats, because a
2-core machine shared with other work gives noisy single runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from app.crypto.keyslots import KdfParams
from app.demo import create_demo_store, generate_demo
from app.policy.facts import load_facts
from app.profiles import load_profile
from app.services.cases import case_views
from app.services.session import Session
from app.store import repo
from app.views import ViewSpec
from bench.timing import best_of

GOAL = 1.25
PASSPHRASE = "bench passphrase 2026"
# The bench measures views, not key derivation: cheap Argon2 parameters, passed explicitly.
BENCH_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
TODAY = dt.date(2026, 11, 22)

RAW_QUERIES = (
    ("SELECT id, reference, phase, registering_party, procesregisseur, casusregisseur,"
    " casusregisseur_party, themes, goal, opened_at, closed_at, close_reason, close_basis,"
    " updated_at FROM cases{where_id}"),
    ("SELECT id, case_id, person_id, kind, field, body, structured, source_party, category,"
    " phase, legal_basis, provided_on, incident_class FROM items{where}"),
    ("SELECT id, case_id, category, label, informed_status, informed_on, not_informed_reason,"
    " informed_expected, review_on, review_interval_days FROM persons{where}"),
    ("SELECT id, case_id, item_id, category, provider_party, recipient_party, phase,"
    " meeting_id, legal_basis, revoked_at IS NOT NULL FROM grants{where}"),
    ("SELECT id, case_id, person_id, source_party, recipient_party, category, purpose,"
    " given_on, withdrawn_on FROM consents{where}"),
    "SELECT DISTINCT case_id, party_id FROM invitations{where}",
    "SELECT id, case_id, text, status, created_on FROM goals{where}",
    ("SELECT id, case_id, goal_id, meeting_id, text, owner_party, due_on, status, created_on"
    " FROM actions{where}"),
    "SELECT id, case_id, meeting_id, text, decided_on FROM decisions{where}",
    "SELECT id, case_id, action_id, text, entry_on FROM progress{where}",
    "SELECT case_id, phase, entered_at FROM phase_history{where}",
)


def raw_fetch(session: Session, ids: list[int] | None) -> int:
    """The same rows the view builder reads, fetched as tuples."""
    conn = session.store.conn
    rows = 0
    for sql in RAW_QUERIES:
        if ids is None:
            query = sql.format(where="", where_id="")
            rows += len(conn.execute(query).fetchall())
        else:
            query = sql.format(
                where=" WHERE case_id IN (SELECT value FROM json_each(?))",
                where_id=" WHERE id IN (SELECT value FROM json_each(?))")
            rows += len(conn.execute(query, (json.dumps(ids),)).fetchall())
    return rows


def build_store(folder: Path, cases: int) -> dict[str, Any]:
    """A demo store of ``cases`` cases; returns the demo document (for user names)."""
    profile = load_profile("zvh-rotterdam-rijnmond")
    demo = generate_demo(profile, cases=cases, seed=7, today=TODAY, agenda_size=40)
    create_demo_store(folder, demo, profile_id=profile.id, passphrase=PASSPHRASE,
                      kdf=BENCH_KDF)
    return demo.doc


def main() -> None:
    """Build the store, run both workloads, print times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casustafel-bench-") as tmp:
        folder = Path(tmp) / "store"
        t0 = time.perf_counter()
        doc = build_store(folder, args.cases)
        print(f"store built in {time.perf_counter() - t0:.1f} s (not timed below)")
        meeting = max((m for m in doc["meetings"]), key=lambda m: len(m.get("agenda", [])))
        chair = meeting["chair"]
        police_user = next(u["username"] for u in doc["users"]
                           if u["party"].startswith("politie") and u["role"] == "deelnemer")
        refs = [a["case"] for a in meeting["agenda"]]

        with Session.open(folder, chair, PASSPHRASE) as session:
            conn = session.store.conn
            agenda_cases = [c for c in repo.cases(conn) if c.reference in refs]
            ids = [c.id for c in agenda_cases]
            spec = ViewSpec()
            raw_t, raw_rows = best_of(args.repeat, lambda: raw_fetch(session, ids))
            view_t, views = best_of(args.repeat, lambda: case_views(
                session, agenda_cases, spec, today=TODAY))
            results = [(f"meeting (chair, {len(ids)} cases)", raw_t, view_t, raw_rows,
                        len(views))]
            session.close(backup=False)

        with Session.open(folder, police_user, PASSPHRASE) as session:
            raw_t, raw_rows = best_of(args.repeat, lambda: raw_fetch(session, None))
            view_t, views = best_of(args.repeat, lambda: case_views(
                session, None, ViewSpec(), today=TODAY))
            items = session.store.conn.execute(
                "SELECT count(*) FROM items").fetchone()[0]
            results.append((f"all cases (police delegate, {items} items)", raw_t, view_t,
                            raw_rows, len(views)))
            facts_t, _ = best_of(1, lambda: load_facts(session.store.conn,
                                                       repo.cases(session.store.conn)))
            session.close(backup=False)

    print(f"{'workload':<44} {'raw s':>8} {'views s':>8} {'ratio':>6}  rows / views")
    worst = 0.0
    for name, raw_t, view_t, raw_rows, n_views in results:
        ratio = view_t / raw_t if raw_t else float("inf")
        worst = max(worst, ratio)
        print(f"{name:<44} {raw_t:8.3f} {view_t:8.3f} {ratio:6.2f}  {raw_rows} / {n_views}")
    print(f"(of which policy facts for all cases: {facts_t:.3f} s)")
    print(f"goal: ratio <= {GOAL:.2f}  {'PASS' if worst <= GOAL else 'MISS'} (worst {worst:.2f})")
    print(f"caveat: one machine ({os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()}); best of {args.repeat}")


if __name__ == "__main__":
    main()
