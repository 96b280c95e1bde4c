"""The acting user, as it may be shown (status bar, report author)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.roles import Role
from app.views.values import safe_repr


@dataclass(frozen=True, repr=False)
class UserView:
    """What may be shown about a user: display name, role and party."""

    username: str
    display_name: str
    role: Role
    party_id: str

    def __repr__(self) -> str:
        return safe_repr(self, "role", "party_id")
