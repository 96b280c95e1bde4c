"""The retention clocks in words, for the retention tab (issue 13, point 9: no raw ids).

A clock of the covenant (``[[retention.clocks]]`` in the profile, :mod:`app.policy.retention`)
has an id such as ``zvh-max-term`` and an article; the screen shows what the clock says
("Case file: 5 years after processing started, can be extended") beside the article, built
from the clock's own fields so every profile's clocks have words without a label per id.
Profile data only: no case, no person, nothing to log.
"""

from __future__ import annotations

from app.i18n import N_, _, ngettext
from app.profiles import RetentionClock
from app.services.redaction import profile_of
from app.services.session import Session

_WHAT = {"case": N_("Case file"), "item": N_("Dagmonitor items"),
         "register": N_("Register lines")}
_REGISTERS = {"om_disclosures": N_("disclosures by the Public Prosecution Service")}
_STARTS = {
    "opened": N_("{term} after processing started"),
    "closed": N_("{term} after the case was closed"),
    "decision_not_forwarded": N_("{term} after the decision not to forward it"),
    "decision_not_complex": N_("{term} after the decision that it is not complex"),
    "provided": N_("{term} after they were provided"),
}


def term_text(months: int) -> str:
    """``months`` in years and months: "5 years", "2 years and 2 months", "1 month"."""
    years, rest = divmod(months, 12)
    year_text = ngettext("{n} year", "{n} years", years).format(n=years)
    month_text = ngettext("{n} month", "{n} months", rest).format(n=rest)
    if years and rest:
        return _("{years} and {months}").format(years=year_text, months=month_text)
    return year_text if years else month_text


def clock_label(clock: RetentionClock) -> str:
    """What ``clock`` says, in the current language (without its article)."""
    what = _(_WHAT[clock.what]) if clock.what in _WHAT else clock.what
    if clock.register in _REGISTERS:
        what = _("{what} ({register})").format(what=what, register=_(_REGISTERS[clock.register]))
    elif clock.agreement is not None:
        what = _("{what} (agreement {agreement})").format(what=what, agreement=clock.agreement)
    term = term_text(clock.months)
    when = (_(_STARTS[clock.starts]) if clock.starts in _STARTS
            else "{term}").format(term=term)
    text = _("{what}: {when}").format(what=what, when=when)
    if clock.extendable:
        text += ", " + _("can be extended")
    return text


def rule_labels(session: Session) -> dict[str, str]:
    """Clock id -> :func:`clock_label` for every clock of the store's covenant."""
    return {clock.id: clock_label(clock) for clock in profile_of(session).retention.clocks}
