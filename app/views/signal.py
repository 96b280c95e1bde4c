"""The OND signal record of one case as its coordinator sees it (OND 1.21-1.34).

Plain frozen data: codes from the profile with their texts in both languages, dates,
yes/no answers and item ids.  No value of an item is here; the cause, the description and
the explanations are items of the case, shown (redacted as always) by the case view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.profiles import LocalText
from app.views.values import PartyRef, safe_repr


@dataclass(frozen=True, repr=False)
class CodeRef:
    """An entry of a profile list (Bijlage 1, 7 or 9): id, text and where it comes from."""

    id: str
    text: LocalText
    article: str = ""

    def __repr__(self) -> str:
        return safe_repr(self, "id")

    def to_json(self, lang: str) -> dict[str, str]:
        """``{"id", "text"}`` (and ``article`` when known) in ``lang``."""
        out = {"id": self.id, "text": self.text.get(lang)}
        if self.article:
            out["article"] = self.article
        return out


@dataclass(frozen=True, repr=False)
class IntakeView:
    """Ontvangst en intake (OND 1.27; Bijlage 6): who brought the signal and when, the
    items holding its cause and description, the indicators, the municipal task and
    whether it concerns the municipality's territory."""

    intake_id: int
    source_kind: str
    source_party: PartyRef | None
    reported_on: dt.date
    cause_item_id: int
    description_item_id: int | None
    indicators: tuple[CodeRef, ...]
    municipal_task: CodeRef | None
    on_territory: bool

    def __repr__(self) -> str:
        return safe_repr(self, "intake_id", "source_kind")


@dataclass(frozen=True, repr=False)
class WeightView:
    """One weight assessment (OND 1.28; Bijlage 7)."""

    assessment_id: int
    heavy: bool
    criteria: tuple[CodeRef, ...]
    explanation_item_id: int
    assessed_on: dt.date

    def __repr__(self) -> str:
        return safe_repr(self, "assessment_id", "heavy")


@dataclass(frozen=True, repr=False)
class SourceCheckView:
    """One hit / no hit question to a municipal source (OND 1.29, 9.4)."""

    check_id: int
    source: PartyRef
    register: CodeRef
    hit: bool
    relevant: bool | None
    checked_on: dt.date

    def __repr__(self) -> str:
        return safe_repr(self, "check_id", "hit")


@dataclass(frozen=True, repr=False)
class OverlegDecisionView:
    """The overleg's decision about the signal (OND 1.23, 1.31, 1.34)."""

    decision_id: int
    outcome: str                     # casus | geen_casus | riec
    meeting_id: int | None
    decided_on: dt.date
    tasks: tuple[CodeRef, ...]

    def __repr__(self) -> str:
        return safe_repr(self, "decision_id", "outcome")


@dataclass(frozen=True, repr=False)
class RiecTransferView:
    """What the RIEC received (OND 1.34, 23.1): the items and their data categories, and
    the document id under which the disclosure register lists them."""

    transfer_id: int
    decision_id: int
    recipient: PartyRef
    document_id: str
    item_ids: tuple[int, ...]
    categories: tuple[CodeRef, ...]
    transferred_on: dt.date

    def __repr__(self) -> str:
        return safe_repr(self, "transfer_id", "document_id")


@dataclass(frozen=True, repr=False)
class SignalView:
    """The signal record of one case; ``heavy_enough`` and ``outcome`` are the latest
    assessment's conclusion and the latest decision (None: none yet)."""

    reference: str
    phase_id: str
    intake: IntakeView | None
    weights: tuple[WeightView, ...]
    sources: tuple[SourceCheckView, ...]
    decisions: tuple[OverlegDecisionView, ...]
    riec: tuple[RiecTransferView, ...]
    suggested_criteria: tuple[str, ...]

    def __repr__(self) -> str:
        return safe_repr(self, "reference", "phase_id")

    @property
    def heavy_enough(self) -> bool | None:
        """The conclusion of the latest weight assessment."""
        return self.weights[-1].heavy if self.weights else None

    @property
    def outcome(self) -> str | None:
        """The latest overleg decision's outcome."""
        return self.decisions[-1].outcome if self.decisions else None

    def to_json(self, lang: str) -> dict[str, Any]:
        """The record as JSON-ready data, texts in ``lang`` (``--json`` of the CLI)."""
        intake = self.intake
        return {
            "reference": self.reference,
            "phase": self.phase_id,
            "intake": None if intake is None else {
                "id": intake.intake_id, "source_kind": intake.source_kind,
                "source_party": intake.source_party.id if intake.source_party else None,
                "reported_on": intake.reported_on.isoformat(),
                "cause_item": intake.cause_item_id,
                "description_item": intake.description_item_id,
                "indicators": [i.to_json(lang) for i in intake.indicators],
                "municipal_task": (intake.municipal_task.to_json(lang)
                                   if intake.municipal_task else None),
                "on_territory": intake.on_territory,
            },
            "weights": [{"id": w.assessment_id, "heavy": w.heavy,
                         "criteria": [c.to_json(lang) for c in w.criteria],
                         "explanation_item": w.explanation_item_id,
                         "assessed_on": w.assessed_on.isoformat()} for w in self.weights],
            "heavy_enough": self.heavy_enough,
            "sources": [{"id": s.check_id, "source": s.source.id, "register": s.register.id,
                         "hit": s.hit, "relevant": s.relevant,
                         "checked_on": s.checked_on.isoformat()} for s in self.sources],
            "decisions": [{"id": d.decision_id, "outcome": d.outcome, "meeting": d.meeting_id,
                           "decided_on": d.decided_on.isoformat(),
                           "tasks": [t.to_json(lang) for t in d.tasks]}
                          for d in self.decisions],
            "outcome": self.outcome,
            "riec": [{"id": r.transfer_id, "decision": r.decision_id,
                      "recipient": r.recipient.id, "document_id": r.document_id,
                      "items": list(r.item_ids), "categories": [c.id for c in r.categories],
                      "transferred_on": r.transferred_on.isoformat()} for r in self.riec],
            "suggested_criteria": list(self.suggested_criteria),
        }


@dataclass(frozen=True, repr=False)
class SignalLists:
    """What the signal forms offer: the covenant's lists (Bijlage 1 with the group as
    ``article``, Bijlage 7, Bijlage 9), its parties, the municipal sources and the
    registers (data categories) the source research may consult."""

    indicators: tuple[CodeRef, ...]
    criteria: tuple[CodeRef, ...]
    tasks: tuple[CodeRef, ...]
    parties: tuple[PartyRef, ...]
    sources: tuple[PartyRef, ...]
    registers: tuple[CodeRef, ...]

    def __repr__(self) -> str:
        return f"SignalLists(indicators={len(self.indicators)})"
