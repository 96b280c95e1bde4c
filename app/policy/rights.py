"""Rules of the data subject's rights and of the breach clock (ZVH 14, 17-20; AVG 12, 33).

Pure functions over dates and profile data, so the workbench, the key layer and the
retention run read the same rules.  The clocks take their "now" from the caller, which
reads :mod:`app.clock`.
"""

from __future__ import annotations

import datetime as dt

from app.domain.records import Item
from app.profiles import Profile, ProfileError

ANSWER_WEEKS = 4
"""A request is answered within four weeks of receipt (ZVH 18.1; AVG 12(3): one month)."""

MAX_EXTENSION_MONTHS = 2
"""The term may be extended once, by at most two months, with a reason (AVG 12(3))."""

OFFICER_HOURS = 24
"""A breach is reported to the privacy officer within 24 hours of discovery (ZVH 14)."""

AP_HOURS = 72
"""The Autoriteit Persoonsgegevens is notified within 72 hours (ZVH 14; AVG 33(1))."""

ROUTED_REGIMES = frozenset({"wpg", "wjsg"})
"""Requests about police (Wpg) and justice/OM (Wjsg) data are handled by those parties
under their own law, not by the table (ZVH 17.5-17.6)."""


def answer_deadline(received_on: dt.date) -> dt.date:
    """The last day to answer a request received on ``received_on`` (ZVH 18.1)."""
    return received_on + dt.timedelta(weeks=ANSWER_WEEKS)


def latest_extension(received_on: dt.date) -> dt.date:
    """The latest date an extension may reach: the term plus two months (AVG 12(3))."""
    deadline = answer_deadline(received_on)
    month = deadline.month - 1 + MAX_EXTENSION_MONTHS
    year = deadline.year + month // 12
    month = month % 12 + 1
    # The same day of the month, or the month's last day when it has fewer days.
    for day in (deadline.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_routed(profile: Profile, item: Item) -> bool:
    """Whether a request about ``item`` goes to its police or OM provider instead of being
    answered here (ZVH 17.5-17.6): police or justice data, or data of a Wpg/Wjsg party."""
    if profile.has_party(item.source_party) and (
            profile.party(item.source_party).regime in ROUTED_REGIMES):
        return True
    try:
        category = profile.data_category(item.category)
    except ProfileError:  # an unknown category is not ours to answer either
        return True
    return category.police or category.justice


def breach_due(discovered_at: dt.datetime, hours: int) -> dt.datetime:
    """When a breach discovered at ``discovered_at`` must be reported (``hours`` later)."""
    return discovered_at + dt.timedelta(hours=hours)
