"""Names of key holders (principals): parties and single users (issue 9)."""

from __future__ import annotations


def party_principal(party_id: str) -> str:
    """The principal id of a party."""
    return f"party:{party_id}"


def user_principal(username: str) -> str:
    """The principal id of one user."""
    return f"user:{username}"
