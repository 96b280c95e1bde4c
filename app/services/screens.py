"""What one screen needs, loaded in one store call, and the choices a screen offers.

The desktop app shows a screen from one answer of the store thread, so a screen never
mixes the state of two moments (a case view from before an edit with sharing rows from
after it).  The choices a screen offers (with whom to share, to whom a report may go,
which meeting it binds to) are rules, so they live here and not in the widgets.  Everything
is Qt-free: the CLI ``show`` can use it as well.
"""

from __future__ import annotations

import dataclasses

from app.domain.roles import Role
from app.policy import access
from app.policy.access import Action
from app.profiles import LocalText, load_profile
from app.services import cases, guard, meetings, retention, sharing
from app.services.session import Session
from app.views import (
    CaseCapabilities,
    CaseScreen,
    CaseView,
    CategoryRef,
    ItemView,
    MeetingView,
    OpenedStore,
    PartyRef,
    ReportRequest,
    ViewSpec,
)


def opened_store(session: Session) -> OpenedStore:
    """The first screen after unlocking: the user, the covenant's name, the meetings the
    user may know of, and the covenant's parties (for the choosers)."""
    if session.must_renew:
        raise guard.must_renew_error()
    profile = load_profile(session.profile_id)
    me = guard.actor(session)
    sections = {name for name, action in (("privacy", Action.PRIVACY_WORK),
                                          ("figures", Action.READ_FIGURES))
                if access.allowed(me, action)}
    if session.user.role is Role.PROCESREGISSEUR:
        # Only a procesregisseur searches their cases for a requester (ZVH 18.1) and
        # gets the retention reminders of the cases they direct (ZVH 11.3).
        sections |= {"find_requests", "retention_reminders"}
    if retention.is_approver(session, profile):
        sections.add("retention")  # approves destruction runs (ZVH 11.2-11.8)
    return OpenedStore(session.user, profile.name, meetings.list_meetings(session),
                       cases.party_refs(session), session.folder,
                       [CategoryRef(c.id, c.name) for c in profile.data_categories],
                       frozenset(sections))


def renew_and_open(session: Session, old: str, new: str) -> OpenedStore:
    """First login of a user an administrator added: their own passphrase and new keys
    (:func:`app.services.admin.change_passphrase`), then the first screen."""
    from app.services import admin

    admin.change_passphrase(session, old, new)
    return opened_store(session)


def case_screen(session: Session, reference: str, spec: ViewSpec) -> CaseScreen:
    """The case as the user (or the view-as party, or the table) may see it, with what the
    edit buttons and the sharing tab need.  Raises ``case.unknown`` as
    :func:`app.services.cases.show_case` does."""
    view = cases.show_case(session, reference, spec)
    caps = sharing.capabilities(session, reference, spec.meeting_id)
    return CaseScreen(view, caps, sharing.my_grants(session, reference),
                      sharing.consents(session, reference,
                                       [party.id for party in view.parties]))


def consent_sources(view: CaseView, caps: CaseCapabilities) -> list[PartyRef]:
    """Whose data a consent may be recorded for by this user: their own party's, or, for
    the case's director, any party named in the case (ZVH 7.2; the service checks)."""
    own = [party for party in view.parties if party.id == caps.own_party]
    if not caps.act_for_providers:
        return own or [PartyRef(caps.own_party, LocalText(caps.own_party, caps.own_party))]
    return sorted(view.parties, key=lambda party: party.label())


def consent_recipients(view: CaseView, source: str) -> list[PartyRef]:
    """The parties a consent for ``source``'s data may name: the others of the case."""
    return sorted((p for p in view.parties if p.id != source), key=lambda p: p.label())


def share_recipients(own_party: str, parties: list[PartyRef]) -> list[PartyRef]:
    """The parties my party may share with: every other party (a party needs no grant for
    its own items; :func:`app.services.casework.grant` checks again)."""
    return [party for party in parties if party.id != own_party]


def shareable_items(view: CaseView, own_party: str) -> list[ItemView]:
    """The items on screen my party may share: only its own (ZVH 3.5d; only the providing
    party accords access)."""
    return [item for item in view.items if item.provider.id == own_party]


def report_recipients(on_screen: CaseView | MeetingView) -> list[PartyRef]:
    """The parties a report made on this screen may be addressed to, besides the table:
    a case's parties involved, or the attendees of a meeting (for the minutes).  The
    report service checks the recipient again."""
    if isinstance(on_screen, CaseView):
        return list(on_screen.parties)
    return [attendee.party for attendee in on_screen.attendees]


def report_on_screen(request: ReportRequest, *, case_ref: str | None,
                     meeting_id: int | None) -> ReportRequest:
    """``request`` (kind, recipient, language and period as chosen) for the case on screen,
    or else for the meeting on screen.

    A case report is bound to the meeting on screen only when it is made for the table:
    the table is the parties present at that meeting.  A report for one party shows what
    that party may see outside any meeting, so the case need not be on this agenda.
    """
    if case_ref is not None and not request.table:
        meeting_id = None
    return dataclasses.replace(request, case_ref=case_ref, meeting_id=meeting_id)
