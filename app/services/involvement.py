"""Who is involved in a case, and what a party would get to see once it becomes involved
(ZVH 2.2, 3.5d, 13.2; issue 13, point 3).

Making a party the owner of an action, the case director or an invitee makes it involved
(:mod:`app.policy.facts`): from then on it knows the case exists and sees the table's
joint record — goals, actions, decisions, progress — and a placeholder for every item of
another party it may not read.  A grant to a party not involved shows it nothing yet, but
everything shared once it is.  The forms offer the case's own parties first and ask
before they make another party involved; these read-only functions tell them which
parties are involved and what a new one would see.

They work on the :class:`app.views.CaseView` the user already has (no store read, so
nothing to audit): a party the view does not name as involved counts as new, so when in
doubt the user is asked.  The writing services check every choice again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.i18n import N_, _, current_language
from app.views import CaseView, PartyRef

# What a newly involved party gets to see, in the order the confirmation names it.
SEES_EXISTENCE = N_("that this case exists, its phase and who is involved")
SEES_GOALS = N_("the goals and the texts of the action plan")
SEES_ACTIONS = N_("the agreed actions and who carries them out")
SEES_DECISIONS = N_("the decisions and the progress entries")
SEES_PLACEHOLDERS = N_("a placeholder (masked) for each item of information of the other "
                       "parties, with its category and source")
SEES_SHARED = N_("the information shared with it")


def _sorted(parties: Iterable[PartyRef]) -> list[PartyRef]:
    lang = current_language()
    return sorted(parties, key=lambda p: (p.label(lang).casefold(), p.id))


def involved_parties(view: CaseView) -> list[PartyRef]:
    """The case's parties as the viewer may see them named, sorted by name."""
    return _sorted({p.id: p for p in view.parties}.values())


def other_parties(view: CaseView, covenant: Sequence[PartyRef]) -> list[PartyRef]:
    """The covenant's parties not named as involved in the case, sorted by name."""
    named = {p.id for p in view.parties}
    return _sorted(p for p in covenant if p.id not in named)


def is_involved(view: CaseView, party: str) -> bool:
    """Whether ``party`` is named as involved in the case."""
    return any(p.id == party for p in view.parties)


def would_see(view: CaseView, party: str, *, shared: bool = False) -> list[str]:
    """What ``party`` would get to see of the case once involved, translated, as short
    phrases; empty when it is involved already.  ``shared``: the question is a grant to
    it, so once involved it also sees what is shared with it."""
    if is_involved(view, party):
        return []
    # Only kinds the viewer sees in the case are named: naming a kind the viewer may not
    # see (hidden items) would betray it (OND 7.2).
    kinds = [SEES_EXISTENCE]
    if view.goals or view.plan is not None or view.goal:
        kinds.append(SEES_GOALS)
    if view.actions:
        kinds.append(SEES_ACTIONS)
    if view.decisions or view.progress:
        kinds.append(SEES_DECISIONS)
    if any(item.provider.id != party for item in view.items):
        kinds.append(SEES_PLACEHOLDERS)
    if shared:
        kinds.append(SEES_SHARED)
    return [_(kind) for kind in kinds]
