"""For whom a view is built: the acting user, "view as" a party, or the table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class ViewKind(StrEnum):
    """Whose eyes a view is built for (never more than the acting user may see)."""

    SELF = "self"
    AS_PARTY = "as_party"
    TABLE = "table"


@dataclass(frozen=True)
class ViewSpec:
    """For whom a view is built: ``kind``, the parties looked as (or present at the
    table), and the meeting whose meeting-scoped grants count."""

    kind: ViewKind = ViewKind.SELF
    parties: frozenset[str] = field(default_factory=frozenset)
    meeting_id: int | None = None

    @classmethod
    def as_party(cls, party: str, meeting_id: int | None = None) -> ViewSpec:
        """The user looks as ``party`` would (never more than the user may see)."""
        return cls(ViewKind.AS_PARTY, frozenset({party}), meeting_id)

    @classmethod
    def table(cls, parties: Iterable[str], meeting_id: int | None = None) -> ViewSpec:
        """The table view for the parties present."""
        return cls(ViewKind.TABLE, frozenset(parties), meeting_id)
