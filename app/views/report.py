"""What a user asks a report for, and what comes back (the PDF in memory)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import N_
from app.views.values import safe_repr


class ReportKind(StrEnum):
    """The documents the table produces: plan van aanpak, voortgangsrapportage,
    afsluitrapportage (per case), the notulen and the agenda for one invited party (per
    meeting)."""

    PLAN = "plan"
    PROGRESS = "voortgang"
    CLOSING = "afsluiting"
    MINUTES = "notulen"
    AGENDA = "agenda"

    @property
    def label(self) -> str:
        """English msgid of the document's name (translate with ``_``)."""
        return _KIND_LABELS[self]

    @property
    def per_case(self) -> bool:
        """Made for a case (else for a meeting)."""
        return self not in {ReportKind.MINUTES, ReportKind.AGENDA}

    @property
    def for_table(self) -> bool:
        """May be made for the table (the agenda goes to one invited party only)."""
        return self is not ReportKind.AGENDA

    @property
    def has_period(self) -> bool:
        """Covers a period (only the progress report)."""
        return self is ReportKind.PROGRESS


_KIND_LABELS = {
    ReportKind.PLAN: N_("Action plan"),
    ReportKind.PROGRESS: N_("Progress report"),
    ReportKind.CLOSING: N_("Closing report"),
    ReportKind.MINUTES: N_("Minutes"),
    ReportKind.AGENDA: N_("Agenda"),
}


def kinds_for(*, on_case: bool, chair: bool = True) -> tuple[ReportKind, ...]:
    """The kinds that apply on a case screen, or on a meeting screen; ``chair``: the
    user may chair that meeting (``MeetingView.is_chair``), for the agenda that only the
    chair sends (the service checks again)."""
    return tuple(k for k in ReportKind if k.per_case == on_case
                 and (chair or k is not ReportKind.AGENDA))


@dataclass(frozen=True)
class ReportOption:
    """One kind of report on a screen and for whom the acting user may make it, decided in
    ``app`` (:func:`app.services.report_options.report_options`); the UI only shows it.

    ``table``: the table version may be made; ``parties``: the party ids it may be made
    for.  The reasons are English msgids (translate with ``_``; ``{article}`` is filled
    from ``article``): ``reason`` when the kind may not be made at all, ``table_reason``
    when only the table version is refused, ``party_reason`` for a party not in
    ``parties``.
    """

    kind: ReportKind
    table: bool
    parties: frozenset[str]
    reason: str = ""
    table_reason: str = ""
    party_reason: str = ""
    article: str = ""

    @property
    def allowed(self) -> bool:
        """At least one recipient may get this kind."""
        return self.table or bool(self.parties)


@dataclass(frozen=True)
class ReportRequest:
    """One report asked for: its kind, for whom (one ``recipient`` party, or ``table``),
    in which language, about which case or meeting, and for the progress report a period.

    A per-case report for the table uses ``meeting_id`` or else the latest meeting with the
    case on its agenda; the service alone decides that binding and checks the rest.
    """

    kind: str
    lang: str = "nl"
    case_ref: str | None = None
    meeting_id: int | None = None
    recipient: str | None = None
    table: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True, repr=False)
class ReportResult:
    """A generated report: the PDF bytes (not yet written anywhere) and its identity."""

    pdf: bytes
    document_id: str
    sha256: str
    pages: int
    filename_hint: str

    def __repr__(self) -> str:
        return safe_repr(self, "document_id", "pages")
