"""Jobs for the store thread: each takes the runner (with its session) and returns views.

Keeping them here keeps the widgets free of service plumbing; every job returns view
objects only.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import views
from app.services import caselist, cases, casework, meetings, sharing
from app.services.session import Session
from app.tasks import Progress
from app.views import CaseRowView, CaseView, PartyRef, UserView, ViewSpec

DEMO_PASSPHRASE = "casustafel-demo"  # noqa: S105 - documented passphrase of throwaway demo stores


@dataclass(frozen=True)
class Opened:
    """What the window needs after unlocking."""

    user: UserView
    profile_name: Any
    meetings: list[views.MeetingSummary]
    parties: list[PartyRef]
    folder: Path


def _session(runner: Any) -> Session:
    session = runner.session
    if session is None:
        from app.errors import StoreError
        from app.i18n import N_

        raise StoreError("session.locked", N_("The store is locked."))
    return session  # type: ignore[no-any-return]


def open_store(runner: Any, folder: Path, username: str, passphrase: str) -> Opened:
    """Unlock a store in this thread and return the first screen's data."""
    if runner.session is not None:
        runner.session.close(backup=False)
        runner.session = None
    runner.session = Session.open(folder, username, passphrase)
    return _opened(runner.session)


def _opened(session: Session) -> Opened:
    from app.profiles import load_profile

    profile = load_profile(session.profile_id)
    return Opened(session.user, profile.name, meetings.list_meetings(session),
                  cases.party_refs(session), session.folder)


def create_demo(runner: Any, *, progress: Progress, cases_count: int = 40,
                seed: int = 1) -> tuple[Path, str]:
    """A fresh demo store in a new temporary folder (it is encrypted like any store)."""
    from app.demo import create_demo_store, generate_demo
    from app.profiles import load_profile

    progress.update(0.05, "profile")
    profile = load_profile("zvh-rotterdam-rijnmond")
    today = dt.datetime.now().astimezone().date()
    # A few meetings per chair, past and upcoming, so the app has history to show.
    demo = generate_demo(profile, cases=cases_count, seed=seed, today=today, meetings=9)
    progress.update(0.3, "store")
    folder = Path(tempfile.mkdtemp(prefix="casustafel-demo-")) / "store"
    progress.update(0.5, "data")
    create_demo_store(folder, demo, profile_id=profile.id, passphrase=DEMO_PASSPHRASE)
    progress.update(1.0, "done")
    return folder, demo_chair(demo.doc)


def demo_chair(doc: dict[str, Any]) -> str:
    """The chair of the first upcoming meeting of a demo document."""
    planned = [m for m in doc.get("meetings", []) if m.get("status", "planned") == "planned"]
    chosen = sorted(planned or doc.get("meetings", []), key=lambda m: m["starts_at"])
    return str(chosen[0]["chair"])


def meeting(runner: Any, meeting_id: int, spec: ViewSpec | None = None
            ) -> views.MeetingView:
    """The dashboard of a meeting."""
    return meetings.meeting_view(_session(runner), meeting_id, spec)


@dataclass(frozen=True)
class CaseScreen:
    """A case view with what the sharing tab and the edit buttons need."""

    view: CaseView
    capabilities: views.CaseCapabilities
    grants: list[views.GrantView]
    consents: list[views.ConsentView]


def case_screen(runner: Any, reference: str, spec: ViewSpec) -> CaseScreen:
    """The case as the user (or view-as party / table) may see it."""
    session = _session(runner)
    view = cases.show_case(session, reference, spec)
    caps = sharing.capabilities(session, reference, spec.meeting_id)
    return CaseScreen(view, caps, sharing.my_grants(session, reference),
                      sharing.consents(session, reference))


def table_case(runner: Any, reference: str, spec: ViewSpec) -> CaseView:
    """The table view of one case."""
    return cases.show_case(_session(runner), reference, spec)


def case_ids(runner: Any, sort: str, descending: bool, text: str) -> list[int]:
    """Ordered ids for the case list."""
    return caselist.visible_case_ids(_session(runner), sort=sort, descending=descending,
                                     text=text)


def case_page(runner: Any, ids: list[int]) -> list[CaseRowView]:
    """Display rows for a page of the case list."""
    return caselist.rows_for_ids(_session(runner), ids)


def set_presence(runner: Any, meeting_id: int, party: str, present: bool) -> None:
    """The chair marks a party present or absent."""
    meetings.set_attendee(_session(runner), meeting_id, party, present=present)


def record_decision(runner: Any, reference: str, text: str, meeting_id: int | None) -> None:
    """Record a decision."""
    meetings.record_decision(_session(runner), reference, text, meeting_id=meeting_id)


def add_action(runner: Any, reference: str, text: str, owner: str, due: dt.date,
               meeting_id: int | None) -> None:
    """Agree an action."""
    meetings.add_action(_session(runner), reference, text, owner_party=owner, due_on=due,
                        meeting_id=meeting_id)


def add_progress(runner: Any, reference: str, text: str, meeting_id: int | None) -> None:
    """Add a progress entry."""
    meetings.add_progress(_session(runner), reference, text, meeting_id=meeting_id)


def grant(runner: Any, reference: str, recipient: str, item_id: int | None,
          category: str | None, basis: str) -> None:
    """Share my party's items."""
    casework.grant(_session(runner), reference, recipient=recipient, item_id=item_id,
                   category=category, legal_basis=basis)


def revoke(runner: Any, grant_id: int) -> None:
    """Withdraw a grant."""
    casework.revoke_grant(_session(runner), grant_id)


def record_consent(runner: Any, reference: str, person: str, source: str | None,
                   recipient: str | None, purpose: str) -> None:
    """Record a consent."""
    casework.record_consent(_session(runner), reference, person, purpose=purpose,
                            source_party=source, recipient_party=recipient)


def withdraw_consent(runner: Any, consent_id: int) -> None:
    """Withdraw a consent."""
    casework.withdraw_consent(_session(runner), consent_id)


def report(runner: Any, kind: str, case_ref: str | None, meeting_id: int | None,
           recipient: str | None, table: bool, lang: str, date_from: dt.date | None,
           date_to: dt.date | None, *, progress: Progress) -> Any:
    """Render a report (in memory) and record it in the registers."""
    from app.services.reports import generate_report

    return generate_report(_session(runner), views.ReportRequest(
        kind=kind, lang=lang, case_ref=case_ref, meeting_id=meeting_id, recipient=recipient,
        table=table, date_from=date_from, date_to=date_to), progress=progress)
