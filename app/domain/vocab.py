"""The status vocabularies of the casework, each value with its translatable label.

One spelling and one label per status, for services, import validation, reports and
screens alike: a screen shows ``status.label`` (translated with ``_``), never the raw
value.  The values are what the store and the import format hold.
"""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_


class _Labelled(StrEnum):
    """A StrEnum whose members carry an English msgid as ``label``."""

    @property
    def label(self) -> str:
        """English msgid of the value's name (translate with ``_``)."""
        return _LABELS[self]


class ItemKind(_Labelled):
    """How an information item is shaped."""

    TEXT = "text"
    FIELD = "field"
    ADDRESS = "address"


class InformedStatus(_Labelled):
    """Information duty towards a betrokkene (ZVH 16.6-16.7, OND 16.5)."""

    UNKNOWN = "unknown"
    INFORMED = "informed"
    NOT_INFORMED = "not_informed"


class GoalStatus(_Labelled):
    """Whether a goal of the plan van aanpak was reached."""

    OPEN = "open"
    REACHED = "reached"
    NOT_REACHED = "not_reached"


class ActionStatus(_Labelled):
    """Where an agreed action stands."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class MeetingStatus(_Labelled):
    """A meeting ahead or held."""

    PLANNED = "planned"
    HELD = "held"


class ConsentBasis(_Labelled):
    """The ground on which consent-bound data may flow (ZVH 7.2, 13.6; WO 3.3d)."""

    CONSENT = "consent"
    WEIGHING = "weighing"      # the professional's own weighing (ZVH 7.2)
    MELDRECHT = "meldrecht"    # a legal reporting right, e.g. art. 5.2.6 Wmo 2015


class ConsentGiver(_Labelled):
    """Who gave the consent (ZVH 7.2: by whom)."""

    PERSON = "person"
    REPRESENTATIVE = "representative"
    PROFESSIONAL = "professional"  # weighing or meldrecht: nobody consented


class ConsentForm(_Labelled):
    """In which form the consent was given."""

    WRITTEN = "written"
    ORAL = "oral"
    DIGITAL = "digital"
    NONE = "none"  # weighing or meldrecht


_LABELS: dict[_Labelled, str] = {
    ConsentBasis.CONSENT: N_("consent of the person concerned"),
    ConsentBasis.WEIGHING: N_("professional's own weighing"),
    ConsentBasis.MELDRECHT: N_("legal reporting right"),
    ConsentGiver.PERSON: N_("the person concerned"),
    ConsentGiver.REPRESENTATIVE: N_("their representative"),
    ConsentGiver.PROFESSIONAL: N_("the professional"),
    ConsentForm.WRITTEN: N_("in writing"),
    ConsentForm.ORAL: N_("orally"),
    ConsentForm.DIGITAL: N_("digitally"),
    ConsentForm.NONE: N_("not applicable"),
    ItemKind.TEXT: N_("text"),
    ItemKind.FIELD: N_("field"),
    ItemKind.ADDRESS: N_("address"),
    InformedStatus.UNKNOWN: N_("not yet recorded"),
    InformedStatus.INFORMED: N_("informed"),
    InformedStatus.NOT_INFORMED: N_("not informed"),
    GoalStatus.OPEN: N_("open"),
    GoalStatus.REACHED: N_("reached"),
    GoalStatus.NOT_REACHED: N_("not reached"),
    ActionStatus.OPEN: N_("open"),
    ActionStatus.DONE: N_("done"),
    ActionStatus.CANCELLED: N_("cancelled"),
    MeetingStatus.PLANNED: N_("planned"),
    MeetingStatus.HELD: N_("held"),
}


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of a vocabulary, in declaration order (for validation)."""
    return tuple(member.value for member in vocabulary)
