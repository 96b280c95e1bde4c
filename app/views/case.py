"""The case as one viewer may see it: the case view, its rows, items, persons and the
joint record (goals, actions, decisions, progress).

Every view is plain frozen data whose repr names ids and codes only (never a name, a
text or a value), as records do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from app.domain.vocab import ActionStatus, GoalStatus, InformedStatus
from app.i18n import _, current_language
from app.profiles import LocalText
from app.views.joint import CorrectionMark
from app.views.values import PartyRef, Redacted, Value, safe_repr, value_json


class ItemView(NamedTuple):
    """One information item as this viewer may see it (FULL value or Redacted).

    A NamedTuple for the same reason as :class:`app.domain.records.Item`: cheap to build in
    bulk.  Its repr names the item, never its value."""

    item_id: int
    category: LocalText
    category_id: str
    provider: PartyRef
    person_label: str | None
    field: str
    value: Value
    provided_on: dt.date
    legal_basis: str
    phase: str

    @property
    def masked(self) -> bool:
        """Whether the value is a placeholder."""
        return isinstance(self.value, Redacted)

    @property
    def destroyed_on(self) -> dt.date | None:
        """The day a retention run destroyed the item (None: not destroyed)."""
        return self.value.destroyed_on if isinstance(self.value, Redacted) else None

    @property
    def destroyed_article(self) -> str | None:
        """The article of the retention rule the item was destroyed under."""
        value = self.value
        return value.article if isinstance(value, Redacted) and value.destroyed_on else None

    def __repr__(self) -> str:
        return f"ItemView(item_id={self.item_id!r}, category_id={self.category_id!r})"

    def to_json(self) -> dict[str, Any]:
        lang = current_language()
        return {
            "item": self.item_id,
            "category": self.category.get(lang),
            "provider": self.provider.id,
            "person": self.person_label,
            "field": self.field,
            "value": value_json(self.value),
            "provided_on": self.provided_on.isoformat(),
            "legal_basis": self.legal_basis if not self.masked else None,
            "phase": self.phase,
        }


@dataclass(frozen=True, repr=False)
class PersonView:
    """A betrokkene: label, category, name as the viewer may see it, information duty."""

    person_id: int
    label: str
    category: LocalText
    name: Value | None
    informed_status: InformedStatus
    informed_on: dt.date | None
    review_on: dt.date | None

    def __repr__(self) -> str:
        return safe_repr(self, 'person_id', 'label')

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "category": self.category.get(current_language()),
            "name": value_json(self.name),
            "informed_status": self.informed_status,
            "informed_on": self.informed_on.isoformat() if self.informed_on else None,
            "review_on": self.review_on.isoformat() if self.review_on else None,
        }


@dataclass(frozen=True, repr=False)
class GoalView:
    """A goal of the plan."""

    goal_id: int
    text: str
    status: GoalStatus
    # A corrected version: when, by whom (app.services.joint_edit).
    corrected: CorrectionMark | None = None

    def __repr__(self) -> str:
        return safe_repr(self, 'goal_id', 'status')


@dataclass(frozen=True, repr=False)
class ActionView:
    """An action with owner party, due date and status."""

    action_id: int
    text: str
    owner: PartyRef
    due_on: dt.date | None
    status: ActionStatus
    overdue: bool
    goal_id: int | None
    meeting_id: int | None
    # Agreed after the meeting was closed (an addendum to its record).
    addendum: bool = False
    corrected: CorrectionMark | None = None
    # For a correction made after its meeting was closed: the version as agreed there,
    # which the notulen keep showing (before this addendum).
    as_agreed: ActionView | None = None

    def __repr__(self) -> str:
        return safe_repr(self, 'action_id', 'status')


@dataclass(frozen=True, repr=False)
class DecisionView:
    """A decision of the table."""

    decision_id: int
    meeting_id: int | None
    text: str
    decided_on: dt.date
    # Recorded after the meeting was closed (an addendum to its record).
    addendum: bool = False
    corrected: CorrectionMark | None = None
    # For a correction made after its meeting was closed: the decision as agreed there,
    # which the notulen keep showing (before this addendum).
    as_agreed: DecisionView | None = None

    def __repr__(self) -> str:
        return safe_repr(self, 'decision_id', 'meeting_id')


@dataclass(frozen=True, repr=False)
class PlanView:
    """The plan van aanpak beyond its goals and actions (WO 1.21, ZVH 1.20, 9.4)."""

    problem: str
    monitoring: str
    informing: str
    exit_criteria: str

    def __repr__(self) -> str:
        return "PlanView(...)"


@dataclass(frozen=True, repr=False)
class ProgressView:
    """A progress entry."""

    entry_id: int
    action_id: int | None
    text: str
    entry_on: dt.date
    # The meeting it was recorded at, and whether after that meeting was closed.
    meeting_id: int | None = None
    addendum: bool = False
    corrected: CorrectionMark | None = None

    def __repr__(self) -> str:
        return safe_repr(self, 'entry_id', 'action_id')


@dataclass(frozen=True, repr=False)
class PhaseStep:
    """One step of the phase history."""

    phase: LocalText
    phase_id: str
    entered_at: str
    note: str = ""
    """Why the phase changed, as given; shown with the table's record only."""

    def __repr__(self) -> str:
        return safe_repr(self, 'phase_id')


@dataclass(frozen=True)
class CaseFlags:
    """Flags for the chair (counted over what the viewer may see)."""

    consent_missing: bool = False
    reassessment_needed: bool = False


@dataclass(frozen=True, repr=False)
class CaseView:
    """A case as one viewer may see it.

    ``content_visible`` False means process metadata only (support roles, blocked table):
    no names, items or joint record are present then.  ``blocked_by`` lists parties present
    that are not invited for this case: while it is non-empty the table view shows no
    content, only the notice that they must leave the room (ZVH 13.2).
    """

    case_id: int
    reference: str
    phase: LocalText
    phase_id: str
    registering_party: PartyRef
    procesregisseur: str | None
    casusregisseur: str | None
    casusregisseur_party: PartyRef | None
    themes: tuple[str, ...]
    opened_at: dt.date
    closed_at: dt.date | None
    viewer: str
    content_visible: bool
    goal: str | None = None
    phase_history: tuple[PhaseStep, ...] = ()
    persons: tuple[PersonView, ...] = ()
    items: tuple[ItemView, ...] = ()
    goals: tuple[GoalView, ...] = ()
    actions: tuple[ActionView, ...] = ()
    decisions: tuple[DecisionView, ...] = ()
    progress: tuple[ProgressView, ...] = ()
    plan: PlanView | None = None
    # The reference of the closed case this melding follows (ZVH 11.6), joint record.
    follows: str | None = None
    parties: tuple[PartyRef, ...] = ()
    flags: CaseFlags = field(default_factory=CaseFlags)
    blocked_by: tuple[PartyRef, ...] = ()
    # A table view with nobody at the table: nothing is shown but a notice (ZVH 13.2).
    nobody_at_table: bool = False
    # A "view as" a party that may not know this case exists: nothing is shown (ZVH 13.2).
    unknown_to_party: bool = False

    def __repr__(self) -> str:
        return safe_repr(self, 'case_id', 'reference', 'phase_id', 'content_visible')

    def withheld_notice(self) -> str | None:
        """Why this view shows nothing of the case, translated; None when it shows what
        the viewer may see (ZVH 13.2: an uninvited party present, nobody at the table, or a
        party looked as that may not know the case)."""
        if self.blocked_by:
            return _("Not invited for this case: {parties} — must leave the room before "
                     "anything is shown.").format(
                parties=", ".join(p.label() for p in self.blocked_by))
        if self.unknown_to_party:
            return _("This party is not involved in this case and may not know that it "
                     "exists: nothing is shown.")
        if self.nobody_at_table:
            return _("Nobody is at the table for this case: the table view shows nothing "
                     "until a party is marked present.")
        return None

    def items_by_category(self) -> list[tuple[LocalText, list[ItemView]]]:
        """Items grouped by category, in first-seen order."""
        groups: dict[str, tuple[LocalText, list[ItemView]]] = {}
        for item in self.items:
            groups.setdefault(item.category_id, (item.category, []))[1].append(item)
        return list(groups.values())

    def to_json(self) -> dict[str, Any]:
        lang = current_language()
        return {
            "reference": self.reference,
            "phase": self.phase.get(lang),
            "registering_party": self.registering_party.id,
            "procesregisseur": self.procesregisseur,
            "casusregisseur": self.casusregisseur,
            "casusregisseur_party": (self.casusregisseur_party.id
                                     if self.casusregisseur_party else None),
            "themes": list(self.themes),
            "opened_at": self.opened_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "viewer": self.viewer,
            "content_visible": self.content_visible,
            "blocked_by": [p.id for p in self.blocked_by],
            "nobody_at_table": self.nobody_at_table,
            "unknown_to_party": self.unknown_to_party,
            "goal": self.goal,
            "phase_history": [{"phase": s.phase.get(lang), "at": s.entered_at,
                               "note": s.note} for s in self.phase_history],
            "parties": [p.id for p in self.parties],
            "persons": [p.to_json() for p in self.persons],
            "items": [i.to_json() for i in self.items],
            "goals": [{"id": g.goal_id, "text": g.text, "status": g.status,
                       "corrected": _corrected(g.corrected)} for g in self.goals],
            "actions": [{"id": a.action_id, "text": a.text, "owner": a.owner.id,
                         "due_on": a.due_on.isoformat() if a.due_on else None,
                         "status": a.status, "overdue": a.overdue, "goal": a.goal_id,
                         "addendum": a.addendum, "corrected": _corrected(a.corrected)}
                        for a in self.actions],
            "decisions": [{"id": d.decision_id, "text": d.text,
                           "decided_on": d.decided_on.isoformat(), "meeting": d.meeting_id,
                           "addendum": d.addendum, "corrected": _corrected(d.corrected)}
                          for d in self.decisions],
            "progress": [{"id": p.entry_id, "action": p.action_id, "text": p.text,
                          "entry_on": p.entry_on.isoformat(), "addendum": p.addendum,
                          "corrected": _corrected(p.corrected)} for p in self.progress],
            "plan": None if self.plan is None else {
                "problem": self.plan.problem, "monitoring": self.plan.monitoring,
                "informing": self.plan.informing, "exit_criteria": self.plan.exit_criteria},
            "follows": self.follows,
            "flags": {"consent_missing": self.flags.consent_missing,
                      "reassessment_needed": self.flags.reassessment_needed},
        }


def _corrected(mark: CorrectionMark | None) -> str | None:
    return mark.corrected_on.isoformat() if mark is not None else None


@dataclass(frozen=True, repr=False)
class CaseRowView:
    """One row of a case list or agenda (display data only; ids for navigation)."""

    case_id: int
    reference: str
    name: Value | None
    phase: LocalText
    phase_id: str
    casusregisseur_party: PartyRef | None
    open_actions: int
    overdue_actions: int
    flags: CaseFlags
    updated_at: str
    content_visible: bool

    def __repr__(self) -> str:
        return safe_repr(self, 'case_id', 'reference', 'phase_id')

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "name": value_json(self.name),
            "phase": self.phase.get(current_language()),
            "casusregisseur_party": (self.casusregisseur_party.id
                                     if self.casusregisseur_party else None),
            "open_actions": self.open_actions,
            "overdue_actions": self.overdue_actions,
            "flags": {"consent_missing": self.flags.consent_missing,
                      "reassessment_needed": self.flags.reassessment_needed},
            "updated_at": self.updated_at,
        }
