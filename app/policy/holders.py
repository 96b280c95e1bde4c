"""Who holds an item's key: the outer bound the keys enforce (issue 9).

An item's key is sealed to a principal only if the policy shows that principal the item
in full at *some* time under the case's current facts: on one of the days on which the
time-bound rules change (the meeting windows, the access stages after closing, a consent
that starts later) and in one of the case's meetings.  The policy keeps the finer rules;
the keys guarantee, even against a user with a script, that nobody can decrypt more than
the policy could ever have shown them.

Principals are parties (for their participants and case directors) and single users (the
case's procesregisseur and casusregisseur, the minute takers of its meetings).  A party's
key is never sealed to its process directors, minute takers or support roles, so the party
principal is judged as a plain participant of the party.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from app.domain.principals import party_principal, user_principal
from app.domain.records import Item
from app.domain.roles import Role
from app.policy.engine import CaseFacts, Level, PolicyContext, Viewer, decide, decision_key

PARTY_ROLES = frozenset({Role.DEELNEMER, Role.CASUSREGISSEUR})
"""Roles whose users act for their party and so hold its key."""


def probe_contexts(facts: CaseFacts, ctx: PolicyContext) -> list[PolicyContext]:
    """The situations in which the policy is asked: today and every day on which a
    time-bound rule changes, each without and within each of the case's meetings."""
    days = {ctx.today}
    prep = dt.timedelta(days=ctx.profile.preparation_days)
    for table in facts.tables:
        if table.day is not None:
            days.update({table.day, table.day - prep})
    if facts.case.closed_at is not None:
        days.add(facts.case.closed_at)
        days.update(facts.case.closed_at + dt.timedelta(days=31 * s.from_months)
                    for s in ctx.profile.retention.stages)
    days.update(c.given_on for c in facts.consents if c.valid)
    meetings: list[int | None] = [None, *sorted({t.meeting_id for t in facts.tables})]
    return [dataclasses.replace(ctx, today=day, meeting_id=meeting, copy=False)
            for day in sorted(days) for meeting in meetings]


def principal_viewers(facts: CaseFacts, parties: Iterable[str],
                      users: Mapping[str, tuple[Role, str]]) -> dict[str, Viewer]:
    """The candidate principals of a case and the viewer each is judged as.

    ``parties`` are the parties that have a key; ``users`` maps usernames (with a key) to
    their role and party.  Users are candidates only where the case makes them special:
    its procesregisseur and casusregisseur, the minute takers of its meetings.
    """
    viewers = {party_principal(p): Viewer(p, Role.DEELNEMER) for p in parties}
    special = {facts.case.procesregisseur, facts.case.casusregisseur,
               *(t.notulist for t in facts.tables)}
    for username in sorted(u for u in special if u):
        if username in users:
            role, party = users[username]
            viewers[user_principal(username)] = Viewer(party, role, username)
    return viewers


def key_holders(items: Sequence[Item], facts: CaseFacts, ctx: PolicyContext,
                viewers: Mapping[str, Viewer]) -> dict[int, frozenset[str]]:
    """Per item id: the principals the policy shows it in full at some probed time."""
    probes = probe_contexts(facts, ctx)
    holders: dict[int, set[str]] = {item.id: set() for item in items}
    for principal, viewer in viewers.items():
        cache: dict[tuple[object, ...], bool] = {}
        for item in items:
            key = decision_key(item, facts, ctx)
            hit = cache.get(key)
            if hit is None:
                hit = cache[key] = any(
                    decide(viewer, item, facts, probe).level is Level.FULL for probe in probes)
            if hit:
                holders[item.id].add(principal)
    return {k: frozenset(v) for k, v in holders.items()}
