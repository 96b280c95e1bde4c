"""Roles a user can have (ZVH 9, 14, 15)."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_


class Role(StrEnum):
    """A user's role at the table; one per user."""

    PROCESREGISSEUR = "procesregisseur"
    CASUSREGISSEUR = "casusregisseur"
    DEELNEMER = "deelnemer"
    NOTULIST = "notulist"
    PRIVACY_OFFICER = "privacy-officer"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        """English msgid of the role's name (translate with ``_``)."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PROCESREGISSEUR: N_("process director"),
    Role.CASUSREGISSEUR: N_("case director"),
    Role.DEELNEMER: N_("participant"),
    Role.NOTULIST: N_("minute taker"),
    Role.PRIVACY_OFFICER: N_("privacy officer"),
    Role.BEHEERDER: N_("administrator"),
}

SUPPORT_ROLES = frozenset({Role.BEHEERDER, Role.PRIVACY_OFFICER})
"""Roles that see no case content in daily work (ZVH 9.6, 17.2)."""
