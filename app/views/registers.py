"""The privacy officer's registers as views: filters in, rows and lines out.

The disclosure register (verstrekkingenregister, ZVH 8.1), its lines in the field model of
the Logboek Dataverwerkingen standard (LDV), the audit trail viewer, the verdict of a
check of the chain, and the processing register (ZVH 24.3).  Filters are frozen values the
UI and the CLI build; rows carry ids, codes, party names and labels only: never item
content, never a person's name (a person is an id and a label such as "B1").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.domain.reprs import safe_repr
from app.profiles import LocalText
from app.views.values import CategoryRef, PartyRef

CHANNELS = ("screen", "report", "export")
"""The channels of the disclosure register (schema 2: screen, including the table's
beamer view, a report, an export)."""

LDV_SUBJECT_TYPE = "betrokkene-id"
"""``dpl.core.data_subject_id_type`` of a person of a case (the type the audit trail gives
its ``data_subject_id``): the store's own person id, not a BSN."""


def _period_fields(date_from: dt.date | None, date_to: dt.date | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if date_from is not None:
        out["from"] = date_from.isoformat()
    if date_to is not None:
        out["to"] = date_to.isoformat()
    return out


@dataclass(frozen=True)
class DisclosureFilter:
    """What to select from the disclosure register; ``None`` leaves a field open.

    ``person_id``: the data subject (a ``persons`` id); an item about the case as a whole
    concerns every person of the case, so it is selected for each of them.  ``date_from``
    and ``date_to`` are local calendar days, both included.
    """

    person_id: int | None = None
    provider: str | None = None
    recipient: str | None = None
    channel: str | None = None
    legal_basis: str | None = None
    case_ref: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def is_empty(self) -> bool:
        """No field set: the whole register (refused for an export, see the service)."""
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)

    def log_fields(self) -> dict[str, object]:
        """The filter for the audit entry: ids, codes and dates; of the legal basis (free
        text a provider typed) only that it was used."""
        fields = (("person", self.person_id), ("provider", self.provider),
                  ("recipient", self.recipient), ("channel", self.channel),
                  ("case", self.case_ref))
        out: dict[str, object] = {k: v for k, v in fields if v is not None}
        if self.legal_basis is not None:
            out["legal_basis"] = True
        out.update(_period_fields(self.date_from, self.date_to))
        return out


@dataclass(frozen=True, repr=False)
class SubjectRef:
    """A data subject as the registers show them: the person id and the case's label."""

    id: int
    label: str

    def __repr__(self) -> str:
        return safe_repr(self, "id")


@dataclass(frozen=True, repr=False)
class DisclosureRow:
    """One row of the disclosure register: who received which item of whom, when, why.

    ``person`` is None when the item concerns the case as a whole.  ``activity`` is the
    processing activity (the row's purpose, ZVH 3.5a); ``activity_name`` its name in the
    processing register (None for a purpose the profile does not know).  ``document_id``:
    the report or export the row came from (:class:`ReportRef` via the service).
    """

    id: int
    audit_seq: int
    disclosed_at: str
    case_ref: str
    item_id: int
    person: SubjectRef | None
    provider: PartyRef
    recipient: PartyRef
    username: str
    activity: str
    activity_name: LocalText | None
    legal_basis: str
    necessity: str
    channel: str
    document_id: str | None

    def __repr__(self) -> str:
        return safe_repr(self, "id", "audit_seq", "item_id", "channel")


@dataclass(frozen=True, repr=False)
class ReportRef:
    """The report a register row came from, as the report register holds it: its document
    id (printed on every page) and the SHA-256 of the PDF, to identify a copy."""

    document_id: str
    sha256: str
    kind: str
    recipient: str
    case_ref: str | None
    meeting_id: int | None
    pages: int
    created_at: str

    def __repr__(self) -> str:
        return safe_repr(self, "document_id", "kind")


LDV_COLUMNS = (
    "trace_id", "span_id", "parent_span_id", "name", "status", "start_time", "end_time",
    "dpl.core.processing_activity_id", "dpl.core.data_subject_id",
    "dpl.core.data_subject_id_type", "provider_party", "recipient_party", "legal_basis",
    "channel", "case", "item_id", "document_id", "audit_seq",
)
"""The CSV columns of an LDV line, in order."""


@dataclass(frozen=True, repr=False)
class LdvLine:
    """One line per data subject per disclosure, in the LDV field model.

    Trace, span, name, status and times are those of the disclosure's chained audit entry
    (``audit_seq`` links to it, and through it to the user, who is never in the line).
    Ours: providing and receiving party, legal basis, channel, case reference, item id and
    document id.  ``data_subject_id`` is None only for an item about a case without any
    person registered.
    """

    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    status: str
    start_time: str
    end_time: str
    processing_activity_id: str
    data_subject_id: str | None
    data_subject_id_type: str | None
    provider_party: str
    recipient_party: str
    legal_basis: str
    channel: str
    case_ref: str
    item_id: int
    document_id: str | None
    audit_seq: int

    def __repr__(self) -> str:
        return safe_repr(self, "audit_seq", "data_subject_id")

    def flat(self) -> dict[str, Any]:
        """The line as CSV columns (:data:`LDV_COLUMNS`)."""
        values = (self.trace_id, self.span_id, self.parent_span_id, self.name, self.status,
                  self.start_time, self.end_time, self.processing_activity_id,
                  self.data_subject_id, self.data_subject_id_type, self.provider_party,
                  self.recipient_party, self.legal_basis, self.channel, self.case_ref,
                  self.item_id, self.document_id, self.audit_seq)
        return dict(zip(LDV_COLUMNS, values, strict=True))

    def record(self) -> dict[str, Any]:
        """The line as an LDV record: the span fields and ``attributes`` with the
        ``dpl.core.*`` keys and ours under ``casustafel.*``."""
        return {
            "trace_id": self.trace_id, "span_id": self.span_id,
            "parent_span_id": self.parent_span_id, "name": self.name, "status": self.status,
            "start_time": self.start_time, "end_time": self.end_time,
            "attributes": {
                "dpl.core.processing_activity_id": self.processing_activity_id,
                "dpl.core.data_subject_id": self.data_subject_id,
                "dpl.core.data_subject_id_type": self.data_subject_id_type,
                "casustafel.provider_party": self.provider_party,
                "casustafel.recipient_party": self.recipient_party,
                "casustafel.legal_basis": self.legal_basis,
                "casustafel.channel": self.channel,
                "casustafel.case": self.case_ref,
                "casustafel.item_id": self.item_id,
                "casustafel.document_id": self.document_id,
                "casustafel.audit_seq": self.audit_seq,
            },
        }


@dataclass(frozen=True)
class AuditFilter:
    """What to select from the audit trail; ``None`` leaves a field open.

    ``name``: an entry name such as ``case.read``; ending in ``*`` it is a prefix
    (``request.*``).  ``case_ref``: entries about the case (its reads and writes, its
    disclosures and reports).  Dates are local calendar days, both included.
    """

    username: str | None = None
    name: str | None = None
    case_ref: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def is_empty(self) -> bool:
        """No field set: the whole chain."""
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)

    def log_fields(self) -> dict[str, object]:
        """The filter for the audit entry (a username is a user of the store, not a data
        subject; codes and dates otherwise)."""
        fields = (("user", self.username), ("name", self.name), ("case", self.case_ref))
        out: dict[str, object] = {k: v for k, v in fields if v is not None}
        out.update(_period_fields(self.date_from, self.date_to))
        return out


@dataclass(frozen=True, repr=False)
class AuditRow:
    """One entry of the audit trail in the LDV fields plus ours (user, party, object,
    attributes: ids and codes only, as every entry is written)."""

    seq: int
    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    status: str
    start_time: str
    end_time: str
    username: str
    party: PartyRef | None
    object_type: str | None
    object_id: str | None
    processing_activity_id: str | None
    data_subject_id: str | None
    data_subject_id_type: str | None
    attributes: tuple[tuple[str, str], ...] = field(default=())
    # In words, for the screen (the raw name and ids above stay for the tooltip):
    label: str = ""                         # the entry, translated ("Information shared")
    object_label: str | None = None         # "Sharing, case ZVH-0012", "Request 3"
    object_when: dt.datetime | None = None  # a meeting's start, formatted by the screen
    subject_label: str | None = None        # the data subject: "B1, case ZVH-0012"
    activity_name: LocalText | None = None  # the processing activity's name

    def __repr__(self) -> str:
        return safe_repr(self, "seq", "name")


@dataclass(frozen=True)
class WitnessResult:
    """What one witness of the chain outside the database says.

    ``kind``: ``head_file`` (the signed ``audit.head`` in the store folder) or
    ``this_computer`` (the witness in this user's data folder).  ``ok`` None: this
    computer remembers nothing of the store yet.  ``seq``: the entry the witness names.
    """

    kind: str
    ok: bool | None
    seq: int | None = None
    problem: str | None = None


@dataclass(frozen=True)
class AuditVerdict:
    """A check of the audit trail in plain words (see the service for ``sentence``).

    ``problem`` is an English text for the log, translated when shown.
    """

    ok: bool
    entries: int
    first_bad_seq: int | None
    problem: str | None
    witnesses: tuple[WitnessResult, ...]
    sentence: str


@dataclass(frozen=True)
class ControllerView:
    """The controller(s) and the contact of the processing register (ZVH 24.3a)."""

    name: LocalText
    contact: LocalText
    article: str


@dataclass(frozen=True)
class ActivityView:
    """One processing activity (ZVH 24.3 b-e): purpose, categories of data and of persons,
    recipients, retention, and the phases whose processing it covers."""

    id: str
    name: LocalText
    purpose: LocalText
    data_categories: tuple[CategoryRef, ...]
    subject_categories: tuple[CategoryRef, ...]
    recipients: tuple[PartyRef, ...]
    retention: LocalText
    phases: tuple[CategoryRef, ...]


@dataclass(frozen=True)
class ProcessingRegisterView:
    """The processing register of the store's covenant profile (ZVH 24.3, OND 24.2)."""

    profile_id: str
    profile_version: str
    covenant: LocalText
    controller: ControllerView
    retention_article: str
    activities: tuple[ActivityView, ...]
