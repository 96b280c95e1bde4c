"""The information duty overview (ZVH 16.6-16.7, OND 16.5): who has not been informed.

Every betrokkene whose status is not ``informed`` (``not_informed`` with the written
motivation and the review date of ZVH 16.7, or ``unknown``: nothing recorded yet), with
the case reference, the pseudonymous label, the subject category, when informing is
expected and when the motivation is reviewed.  Flags: ``due_this_week`` (the review date
falls in the ISO week, Monday to Sunday, of :func:`app.clock.today` or of ``week_of``)
and ``overdue`` (the review date is before today).

Who sees it: the privacy officer, who monitors the duty for the whole store (ZVH 15.3d,
24), and a procesregisseur for the cases they direct (they record the duty, ZVH 16.7,
and must see their own reviews coming).  Nobody else.  The rows carry no name and no
item: nothing is decrypted, only the ``persons`` and ``cases`` metadata are read.
"""

from __future__ import annotations

import datetime as dt
import json

from app import clock
from app.domain.roles import Role
from app.domain.vocab import InformedStatus
from app.policy.access import Action
from app.profiles import LocalText
from app.services import caselist, guard
from app.services.redaction import profile_of
from app.services.session import Session
from app.views.oversight import InfoDutyRow, InfoDutyView

__all__ = ["iso_week", "overview"]


def iso_week(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def overview(session: Session, *, week_of: dt.date | None = None) -> InfoDutyView:
    """The persons not (yet) informed in the cases the user may oversee (logged).

    Without ``week_of``: all of them, flagged against this week.  With ``week_of``: only
    what is due for review in that date's ISO week or already overdue ("this week":
    ``week_of=clock.today()``)."""
    if guard.actor(session).role is not Role.PROCESREGISSEUR:
        guard.authorize(session, Action.PRIVACY_WORK)
    # The same visibility as the case list (the READ rule in SQL): all cases for the
    # privacy officer, their own for a procesregisseur.
    ids = caselist.known_case_ids(session)
    today = clock.today()
    monday, sunday = iso_week(week_of or today)
    profile = profile_of(session)
    names = {c.id: c.name for c in profile.subject_categories}
    rows: list[InfoDutyRow] = []
    for (ref, closed_at, label, category, status, reason, expected, review,
         interval) in session.store.conn.execute(
            "SELECT c.reference, c.closed_at, p.label, p.category, p.informed_status,"
            " p.not_informed_reason, p.informed_expected, p.review_on,"
            " p.review_interval_days FROM persons p JOIN cases c ON c.id = p.case_id"
            " WHERE p.informed_status != 'informed'"
            " AND p.case_id IN (SELECT value FROM json_each(?))"
            " ORDER BY p.review_on IS NULL, p.review_on, c.reference, p.label",
            (json.dumps(ids),)):
        review_on = _day(review)
        due = review_on is not None and monday <= review_on <= sunday
        overdue = review_on is not None and review_on < today
        # The week's list: a review in the week, or one before its end that was missed.
        if week_of is not None and not (due or (overdue and review_on is not None
                                                and review_on <= sunday)):
            continue
        rows.append(InfoDutyRow(
            ref, closed_at is not None, label, category,
            names.get(category, LocalText(category, category)), InformedStatus(status),
            reason, _day(expected), review_on, interval, due, overdue))
    with session.store.transaction():
        session.store.log("info_duty.overview",
                          attributes={"count": len(rows), "week": week_of is not None,
                                      "cases": len(ids)})
    return InfoDutyView(monday, sunday, week_of is not None, tuple(rows))
