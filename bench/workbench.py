"""The privacy officer's registers (issue 11) on a large demo store.

Run: ``.venv/bin/python -m bench.workbench [--cases 10000] [--recipients 3] [--repeat 7]``

The demo import writes no disclosures, so after building the store the bench fills the
register the way the app does: :func:`app.services.disclosure.record` for every item of
every case to ``--recipients`` parties other than its provider (one chained, signed audit
entry per row), in one transaction per 200 cases.  Then, as the privacy officer, the median
of ``--repeat`` runs of:

* the register view: ``count_disclosures`` + the first page (``disclosure_page``, 50 rows)
  with a receiving-party filter, and with a case filter;
* the export of one data subject's lines (``ldv_lines`` with ``person_id``);
* the audit viewer's first page and count for one user.

The ratio is to the same SQL run bare on the same connection (no role check, no audit
entry, no views).  Goal: register view and one subject's export <= 0.3 s.  Caveat: a
2-core machine shared with other work is noisy, and the store build takes minutes at 10k.
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
from app.policy.engine import Decision, Level, Reason
from app.profiles import load_profile
from app.services import disclosure, registers, registers_audit
from app.services.session import Session
from app.store import repo
from app.views.registers import AuditFilter, DisclosureFilter

PASSPHRASE = "bench workbench passphrase"
KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
PROFILE = "zvh-rotterdam-rijnmond"
BATCH = 200


def _median(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fill_register(session: Session, recipients: int) -> int:
    """One disclosure row per item and recipient, through the register's own writer."""
    profile = load_profile(PROFILE)
    parties = [p.id for p in profile.parties]
    full = Decision(Level.FULL, Reason("bench", "bench", "ZVH 8.1"))
    store = session.store
    by_case = repo.items_by_case(store.conn, None, current=True)
    phases = dict(store.conn.execute("SELECT id, phase FROM cases").fetchall())
    written = 0
    case_ids = sorted(by_case)
    for start in range(0, len(case_ids), BATCH):
        with store.transaction():
            for case_id in case_ids[start:start + BATCH]:
                for n, item in enumerate(by_case[case_id]):
                    others = [p for p in parties if p != item.source_party]
                    chosen = [others[(case_id + n + k * 7) % len(others)]
                              for k in range(recipients)]
                    written += disclosure.record(session, [(item, full)], chosen,
                                                 phase=str(phases[case_id]), profile=profile,
                                                 channel="screen")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Build the store, fill the register, time the reads, print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--recipients", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    today = dt.datetime.now().astimezone().date()
    profile = load_profile(PROFILE)
    demo = generate_demo(profile, cases=args.cases, seed=1, today=today)
    users = {u: (role, party) for u, _n, role, party in demo.users}
    chair = sorted(u for u, (r, _p) in users.items() if r == "procesregisseur")[0]
    officer = sorted(u for u, (r, _p) in users.items() if r == "privacy-officer")[0]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}; {args.cases} cases; median of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "store"
        start = time.perf_counter()
        create_demo_store(folder, demo, profile_id=PROFILE, passphrase=PASSPHRASE, kdf=KDF)
        print(f"store build: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        with Session.open(folder, chair, PASSPHRASE, kdf=KDF) as session:
            rows = _fill_register(session, args.recipients)
        print(f"register fill: {rows} rows in {time.perf_counter() - start:.1f} s")
        with Session.open(folder, officer, PASSPHRASE, kdf=KDF) as session:
            figures = _time_reads(session, args.repeat)
    for name, (seconds, bare) in figures.items():
        print(f"{name:44s} {seconds * 1000:8.1f} ms   x{seconds / bare:6.1f} of bare SQL")
    return 0


def _time_reads(session: Session, repeat: int) -> dict[str, tuple[float, float]]:
    conn = session.store.conn
    recipient = str(conn.execute(
        "SELECT recipient_party FROM disclosures GROUP BY recipient_party"
        " ORDER BY count(*) DESC LIMIT 1").fetchone()[0])
    case_ref, case_id = conn.execute(
        "SELECT c.reference, c.id FROM cases c JOIN disclosures d ON d.case_id = c.id"
        " GROUP BY c.id ORDER BY count(*) DESC LIMIT 1").fetchone()
    person, person_case = conn.execute(
        "SELECT p.id, p.case_id FROM persons p WHERE p.case_id = ? ORDER BY p.id LIMIT 1",
        (case_id,)).fetchone()
    user = str(conn.execute("SELECT username FROM audit GROUP BY username"
                            " ORDER BY count(*) DESC LIMIT 1").fetchone()[0])
    total = int(conn.execute("SELECT count(*) FROM disclosures").fetchone()[0])
    print(f"register rows: {total}; busiest recipient {recipient}: "
          + str(conn.execute("SELECT count(*) FROM disclosures WHERE recipient_party = ?",
                             (recipient,)).fetchone()[0]))

    def view(f: DisclosureFilter) -> Callable[[], object]:
        return lambda: (registers.count_disclosures(session, f),
                        registers.disclosure_page(session, f, 0, 50))

    def bare_view(where: str, value: object) -> Callable[[], object]:
        return lambda: (
            conn.execute(f"SELECT count(*) FROM disclosures WHERE {where} = ?",
                         (value,)).fetchone(),
            conn.execute(f"SELECT * FROM disclosures d WHERE {where} = ?"
                         " ORDER BY id DESC LIMIT 50", (value,)).fetchall())

    subject = DisclosureFilter(person_id=int(person))
    lines = len(registers.ldv_lines(session, subject))
    print(f"one subject's lines: {lines}")

    def bare_subject() -> object:
        return conn.execute(
            "SELECT * FROM disclosures d JOIN audit a ON a.seq = d.audit_seq WHERE d.item_id"
            " IN (SELECT id FROM items WHERE person_id = ? OR (person_id IS NULL"
            " AND case_id = ?))", (person, person_case)).fetchall()

    audit = AuditFilter(username=user)
    return {
        "register view, recipient filter (count+page)": (
            _median(repeat, view(DisclosureFilter(recipient=recipient))),
            _median(repeat, bare_view("recipient_party", recipient))),
        "register view, case filter (count+page)": (
            _median(repeat, view(DisclosureFilter(case_ref=str(case_ref)))),
            _median(repeat, bare_view("case_id", case_id))),
        "export of one subject's LDV lines": (
            _median(repeat, lambda: registers.ldv_lines(session, subject)),
            _median(repeat, bare_subject)),
        "audit view, user filter (count+page)": (
            _median(repeat, lambda: (registers_audit.count_audit(session, audit),
                                     registers_audit.audit_page(session, audit, 0, 50))),
            _median(repeat, lambda: (
                conn.execute("SELECT count(*) FROM audit WHERE username = ?",
                             (user,)).fetchone(),
                conn.execute("SELECT * FROM audit WHERE username = ? ORDER BY seq DESC"
                             " LIMIT 50", (user,)).fetchall()))),
    }


if __name__ == "__main__":
    raise SystemExit(main())
