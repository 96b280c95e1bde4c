"""Write sample reports from synthetic demo data into ``docs/samples``.

Run: ``.venv/bin/python docs/samples/make_samples.py`` (the project installed in ``.venv``)

Each kind (plan van aanpak, voortgangsrapportage, afsluitrapportage, notulen) in Dutch and
English, for one party and for the table, from a demo store built in a temporary folder
(synthetic data, no canaries).  The meeting and case are chosen so that the table version
shows content and the party version shows a masked item where the demo has one.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from app.crypto.keyslots import KdfParams
from app.dataset import load_dataset
from app.demo import generate_demo
from app.profiles import load_profile
from app.services import admin
from app.services.cases import case_views
from app.services.reports import generate_report, save_report
from app.services.session import Session
from app.store import repo
from app.views import ReportKind, ReportRequest, ViewSpec

OUT = Path(__file__).resolve().parent
ROOT = OUT.parents[1]
TODAY = dt.date(2026, 11, 22)
PASSPHRASE = "sample passphrase 2026"  # noqa: S105 - a throw-away demo store
KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)  # cheap: the store is discarded


def _choose(session: Session) -> tuple[int, str, str]:
    """(meeting id, case reference, party): the agenda case whose table view shows the most,
    and a party at that table that sees a masked item (else the first party)."""
    conn = session.store.conn
    best: tuple[int, int, str, str] | None = None
    for meeting in repo.meetings(conn):
        if meeting.chair != session.user.username:
            continue
        present = {a.party_id for a in repo.attendees(conn, meeting.id) if a.present}
        table = ViewSpec.table(present, meeting.id)
        entries = {e.case_id: e for e in repo.agenda(conn, meeting.id)}
        cases = repo.cases(conn, list(entries))
        shown = sum(bool(v.items) and not v.blocked_by for v, _s in case_views(
            session, cases, table, today=TODAY))
        for case in cases:
            at_table = sorted(present - entries[case.id].left_room)
            parties = [p for p in at_table if p in entries[case.id].invited]
            if not parties:
                continue
            masked = [p for p in parties for v, _s in case_views(
                session, [case], ViewSpec.as_party(p, meeting.id), today=TODAY)
                if any(i.masked for i in v.items)]
            (view, _shown), = case_views(session, [case], ViewSpec.table(
                at_table, meeting.id), today=TODAY)
            score = shown * 100 + len(view.items) + (50 if masked else 0)
            if best is None or score > best[0]:
                best = (score, meeting.id, case.reference, (masked or parties)[0])
    if best is None:
        raise SystemExit("the demo has no meeting with an agenda for this chair")
    return best[1], best[2], best[3]


def main() -> None:
    """Build the demo store and write the samples."""
    profile = load_profile("zvh-rotterdam-rijnmond")
    demo = generate_demo(profile, cases=40, seed=1, today=TODAY, agenda_size=6)
    with tempfile.TemporaryDirectory(prefix="casustafel-samples-") as tmp:
        folder = Path(tmp) / "store"
        with admin.init_store(folder, profile_id=profile.id, admin_username="beheer",
                              admin_display_name="Beheer", admin_party=None,
                              passphrase=PASSPHRASE, kdf=KDF) as session:
            load_dataset(session, demo.doc, new_user_passphrase=PASSPHRASE)
        chair = demo.doc["meetings"][0]["chair"]
        with Session.open(folder, chair, PASSPHRASE, kdf=KDF) as session:
            meeting_id, reference, party = _choose(session)
            for kind in ReportKind:
                case_ref = reference if kind.per_case else None
                for lang in ("nl", "en"):
                    for who, table in (("partij", False), ("tafel", True)):
                        # A report for one party shows what it may see outside any meeting
                        # (app.services.screens.report_on_screen); the table is a meeting's.
                        request = ReportRequest(
                            kind=kind.value, lang=lang, case_ref=case_ref,
                            meeting_id=meeting_id if table or not kind.per_case else None,
                            recipient=None if table else party, table=table)
                        result = generate_report(session, request, today=TODAY)
                        path = OUT / f"{kind.value}-{who}-{lang}.pdf"
                        save_report(result, path)
                        print(f"{path.relative_to(ROOT)}: {result.pages} pages")


if __name__ == "__main__":
    main()
