"""Who sees the table's joint record: goals, actions, decisions, progress (ZVH 2.2).

The joint record belongs to the parties involved in the case; the items it was based on
stay under their own rules (``app.policy.engine``).  Support roles see process metadata
only; the minute taker sees it for meetings they support (ZVH 15.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.roles import SUPPORT_ROLES, Role
from app.i18n import N_
from app.policy.engine import (
    CaseFacts,
    Decision,
    Level,
    PolicyContext,
    Reason,
    Viewer,
    minute_taker_table,
    months_between,
)


def _stage_blocks(viewer: Viewer, facts: CaseFacts, ctx: PolicyContext) -> Decision | None:
    """After afschaling/closing only the users the access stage names keep the joint
    record (ZVH 11.6; OND 11.2) — the minute taker included."""
    if facts.case.closed_at is None:
        return None
    months = months_between(facts.case.closed_at, ctx.today)
    for stage in ctx.profile.retention.stages:
        if stage.from_months <= months and (stage.to_months is None or months < stage.to_months):
            allowed: set[str | None] = set()
            if stage.access in {"procesregisseur", "coordinator_archive",
                                "procesregisseur_casusregisseur"}:
                allowed.add(facts.case.procesregisseur)
            if stage.access == "procesregisseur_casusregisseur":
                allowed.add(facts.case.casusregisseur)
            if viewer.username is not None and viewer.username in allowed:
                return None
            return Decision(Level.HIDDEN, Reason(
                "access_stage", N_("Access closed after scaling down"), stage.article))
    return Decision(Level.HIDDEN, Reason(
        "retention_expired", N_("Retention period has ended"), ctx.profile.retention.article))


def decide_joint(viewer: Viewer, facts: CaseFacts, ctx: PolicyContext) -> Decision:
    """FULL when the viewer may see the joint record of this case, else HIDDEN."""
    if viewer.role in SUPPORT_ROLES:
        return Decision(Level.HIDDEN, Reason(
            "support_role", N_("No access to case content for this role"), "ZVH 9.6, 17.2"))
    blocked = _stage_blocks(viewer, facts, ctx)
    if blocked is not None:
        return blocked
    if viewer.role is Role.NOTULIST:
        # The minute taker sees the joint record through the table, as the items: not
        # while that table is blocked or empty (ZVH 15.2, 13.2).
        table = minute_taker_table(viewer, facts, ctx)
        if isinstance(table, Decision):
            return table
        return Decision(Level.FULL, Reason("notulist", N_("Minute taker"), "ZVH 15.2"))
    own_case = viewer.username is not None and viewer.username == facts.case.procesregisseur
    if viewer.role is Role.PROCESREGISSEUR and not own_case:
        return Decision(Level.HIDDEN, Reason(
            "other_procesregisseur", N_("Case of another process director"), "ZVH 9.6"))
    if viewer.party_id not in facts.involved and not own_case:
        return Decision(Level.HIDDEN, Reason(
            "not_involved", N_("Party not involved in this case"), "ZVH 13.2"))
    return Decision(Level.FULL, Reason("joint_record", N_("Joint record of the table"),
                                       "ZVH 2.2"))


@dataclass(frozen=True)
class JointScope:
    """Which part of the joint record a viewer may see: the decisions and actions of
    ``meetings`` and what was recorded up to ``until``; ``None`` means no limit."""

    meetings: frozenset[int] | None = None
    until: dt.date | None = None

    def covers(self, meeting_id: int | None, on: dt.date) -> bool:
        """Whether an entry of ``meeting_id`` (None: outside a meeting) recorded ``on``
        falls in the scope."""
        if meeting_id is not None and self.meetings is not None:
            return meeting_id in self.meetings
        return self.until is None or on <= self.until


def joint_scope(viewer: Viewer, facts: CaseFacts) -> JointScope:
    """Involvement by invitation ends with the meetings it was for: a party involved only
    because it was invited sees the joint record of those meetings and what was recorded
    up to the last of them, not what later meetings decided (ZVH 13.2)."""
    if viewer.role not in {Role.DEELNEMER, Role.CASUSREGISSEUR} or (
            viewer.party_id not in facts.invited_only):
        return JointScope()
    tables = [t for t in facts.tables if viewer.party_id in t.invited]
    days = [t.day for t in tables if t.day is not None]
    return JointScope(frozenset(t.meeting_id for t in tables), max(days) if days else None)


def narrowest(scopes: Iterable[JointScope]) -> JointScope:
    """What every scope allows (the table view, view-as with the user's own)."""
    meetings: frozenset[int] | None = None
    until: dt.date | None = None
    for scope in scopes:
        if scope.meetings is not None:
            meetings = scope.meetings if meetings is None else meetings & scope.meetings
        if scope.until is not None:
            until = scope.until if until is None else min(until, scope.until)
    return JointScope(meetings, until)
