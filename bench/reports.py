"""Report rendering vs. bare ReportLab on the same flowables.

Run: ``.venv/bin/python -m bench.reports [--cases 300] [--pages 50] [--repeat 3]``

Workloads, each timed as (a) the report — flowables built from the redacted views plus the
page decorations (header, footer with "page X of Y", watermark) and PDF metadata — and
(b) bare ReportLab — the same flowables built the same way, laid out by a plain
``SimpleDocTemplate`` without any page decoration:

1. the notulen of a 30-case meeting for the table (as its chair makes them);
2. a plan van aanpak of about 50 pages: one case's view with its items repeated in memory
   until the plan reaches the page count.

Goals: 50 pages in <= 1.5 s, and the report <= 1.5x bare rendering.  The end-to-end time of
``generate_report`` (views, rendering, registers) for the notulen is printed as well.
Building the demo store is done once and not timed.  Best of N repeats, report and
bare interleaved.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import functools
import io
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from app.crypto.keyslots import KdfParams
from app.demo import create_demo_store, generate_demo
from app.profiles import load_profile
from app.reports.data import CaseReport, ReportData
from app.reports.layout import BOTTOM, MARGIN_X, TOP
from app.reports.render import render_report, report_flowables
from app.reports.rl import A4, SimpleDocTemplate
from app.services.reports import generate_report, prepare_report
from app.services.session import Session
from app.views import CaseView, ItemView, ReportRequest
from bench.timing import best_of

GOAL_SECONDS = 1.5
GOAL_RATIO = 1.5
PASSPHRASE = "bench passphrase 2026"
# The bench measures rendering, not key derivation: cheap Argon2 parameters, explicitly.
BENCH_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
TODAY = dt.date(2026, 11, 22)


def bare(data: ReportData) -> int:
    """The report's flowables laid out by plain ReportLab; returns the page count."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=TOP, bottomMargin=BOTTOM)
    doc.build(report_flowables(data))
    return int(doc.page)


def report_vs_bare(data: ReportData, repeat: int) -> tuple[int, float, float, int]:
    """(pages, best report time, best bare time, bare pages), the two interleaved so a
    burst of load elsewhere hits both alike."""
    report_t = bare_t = float("inf")
    pages = bare_pages = 0
    for _ in range(repeat):
        t, rendered = best_of(1, functools.partial(render_report, data))
        report_t, pages = min(report_t, t), rendered.pages
        t, bare_pages = best_of(1, functools.partial(bare, data))
        bare_t = min(bare_t, t)
    return pages, report_t, bare_t, bare_pages


def build_store(folder: Path, cases: int) -> dict[str, Any]:
    """A demo store whose meetings have agendas of up to 30 cases."""
    profile = load_profile("zvh-rotterdam-rijnmond")
    demo = generate_demo(profile, cases=cases, seed=7, today=TODAY, agenda_size=30)
    create_demo_store(folder, demo, profile_id=profile.id, passphrase=PASSPHRASE,
                      kdf=BENCH_KDF)
    return demo.doc


def grown(data: ReportData, items: int) -> ReportData:
    """``data`` with its case's items repeated (new ids) up to ``items`` items."""
    assert data.case is not None
    view: CaseView = data.case.view
    source = list(view.items)
    assert source, "the case has items"
    many: list[ItemView] = []
    while len(many) < items:
        for item in source:
            many.append(item._replace(item_id=100_000 + len(many)))
    bigger = dataclasses.replace(view, items=tuple(many[:items]))
    return dataclasses.replace(data, case=CaseReport(bigger, data.case.close_reason,
                                                     data.case.close_basis))


def plan_of_pages(data: ReportData, pages: int) -> tuple[ReportData, int]:
    """A plan grown to about ``pages`` pages (two probes, then a linear estimate)."""
    small = render_report(grown(data, 200)).pages
    large = render_report(grown(data, 800)).pages
    per_page = 600 / max(1, large - small)
    items = int(800 + (pages - large) * per_page)
    sized = grown(data, items)
    return sized, render_report(sized).pages


def main() -> None:
    """Build the store, run both workloads, print times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casustafel-bench-") as tmp:
        folder = Path(tmp) / "store"
        t0 = time.perf_counter()
        doc = build_store(folder, args.cases)
        print(f"store built in {time.perf_counter() - t0:.1f} s (not timed below)")
        meeting_key = max(doc["meetings"], key=lambda m: len(m.get("agenda", [])))
        chair = meeting_key["chair"]
        with Session.open(folder, chair, PASSPHRASE) as session:
            conn = session.store.conn
            meeting_id = next(
                mid for mid, start in conn.execute("SELECT id, starts_at FROM meetings")
                if start == meeting_key["starts_at"]
                and conn.execute("SELECT count(*) FROM agenda WHERE meeting_id = ?",
                                 (mid,)).fetchone()[0] == len(meeting_key["agenda"]))
            minutes = prepare_report(session, ReportRequest(
                kind="notulen", meeting_id=meeting_id, table=True, lang="nl"), today=TODAY).data
            # The notulen for the party invited for the most agenda cases.
            present = {a["party"] for a in meeting_key["attendees"] if a.get("present", True)}
            frequent = max(sorted(present), key=lambda p: sum(
                p in e["invited"] for e in meeting_key["agenda"]))
            for_party = prepare_report(session, ReportRequest(
                kind="notulen", meeting_id=meeting_id, recipient=frequent, lang="nl"),
                today=TODAY).data
            # A per-case plan for one party: the case with the most visible items.
            best: ReportData | None = None
            most = -1
            for entry in meeting_key["agenda"]:
                for party in sorted(entry["invited"]):
                    data = prepare_report(session, ReportRequest(
                        kind="plan", case_ref=entry["case"], recipient=party, lang="nl"),
                        today=TODAY).data
                    count = len(data.case.view.items) if data.case is not None else 0
                    if count > most:
                        best, most = data, count
            assert best is not None
            plan, plan_pages = plan_of_pages(best, args.pages)
            results = []
            size = len(meeting_key["agenda"])
            for name, data in ((f"notulen, {size}-case meeting (table)", minutes),
                               (f"notulen, {size}-case meeting ({frequent})", for_party),
                               (f"plan, {plan_pages} pages (one party)", plan)):
                results.append((name, *report_vs_bare(data, args.repeat)))
            e2e_t, e2e = best_of(args.repeat, lambda: generate_report(
                session, ReportRequest(kind="notulen", meeting_id=meeting_id, table=True,
                                       lang="nl"), today=TODAY))
            session.close(backup=False)

    print(f"{'workload':<58} {'pages':>5} {'report s':>9} {'bare s':>8} {'ratio':>6}")
    worst_ratio, plan_seconds = 0.0, 0.0
    for name, pages, report_t, bare_t, bare_pages in results:
        ratio = report_t / bare_t if bare_t else float("inf")
        worst_ratio = max(worst_ratio, ratio)
        if name.startswith("plan"):
            plan_seconds = report_t * 50 / max(1, pages)
        print(f"{name:<58} {pages:>5} {report_t:9.3f} {bare_t:8.3f} {ratio:6.2f}"
              f"  (bare: {bare_pages} pages)")
    print(f"generate_report end to end (notulen: views, render, registers): {e2e_t:.3f} s, "
          f"{e2e.pages} pages")
    ok_time = plan_seconds <= GOAL_SECONDS
    ok_ratio = worst_ratio <= GOAL_RATIO
    print(f"goal: 50 pages <= {GOAL_SECONDS:.1f} s  {'PASS' if ok_time else 'MISS'} "
          f"({plan_seconds:.3f} s per 50 pages)")
    print(f"goal: report / bare <= {GOAL_RATIO:.2f}  {'PASS' if ok_ratio else 'MISS'} "
          f"(worst {worst_ratio:.2f})")
    print(f"caveat: one machine ({os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()}); best of {args.repeat}")


if __name__ == "__main__":
    main()
