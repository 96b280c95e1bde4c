"""The forms of data-subject requests (ZVH 17-20, 18.1 a-h): register, extend, close.

Each is a :class:`ui.casework.forms.FormDialog`: the service checks every value, a refusal
appears at its field and nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QWidget

from app.i18n import N_, _
from app.services import requests
from app.views.requests import REQUEST_KINDS, RequestRowView
from ui.casework.forms import FormDialog, Job, Runner, date_field, date_of, text_area

KIND_LABELS = {
    "inzage": N_("Access (inzage)"),
    "correction": N_("Correction"),
    "completion": N_("Completion"),
    "erasure": N_("Erasure"),
    "restriction": N_("Restriction"),
    "objection": N_("Objection"),
}
"""English msgids of the request kinds (translate with ``_``)."""


def kind_text(kind: str) -> str:
    """The kind of a request in the current language."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _today() -> dt.date:
    return dt.datetime.now().astimezone().date()


class OptionalDate(QWidget):
    """A date that may be left out: a check box and a date field."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.known = QCheckBox(_("known"))
        self.known.setAccessibleName(_("{field} known").format(field=label))
        self.day = date_field(_today())
        self.day.setAccessibleName(label)
        self.day.setEnabled(False)
        self.known.toggled.connect(self.day.setEnabled)
        row.addWidget(self.known)
        row.addWidget(self.day, 1)

    def value(self) -> dt.date | None:
        """The date, or None when not known."""
        return date_of(self.day) if self.known.isChecked() else None

    def set_value(self, day: dt.date | None) -> None:
        """Set (or leave out) the date."""
        self.known.setChecked(day is not None)
        if day is not None:
            self.day.setDate(QDate(day.year, day.month, day.day))


class NewRequestDialog(FormDialog):
    """Register a request: kind, date received, how and by whom the identity was
    verified, and who it is from (name, date of birth).  The deadline follows (4 weeks)."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "request.kind": "kind", "request.received_future": "received_on",
        "request.verified_how": "verified_how", "request.verified_by": "verified_by",
        "request.verified_by_unknown": "verified_by", "request.name": "name",
        "request.birth_date": "birth_date"}

    def __init__(self, officer: str, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("New data-subject request"), run, parent,
                         ok_text=_("Register"), **kwargs)
        self.setMinimumWidth(520)
        self.kind = self.add_field("kind", _("Kind of request"), QComboBox())
        for kind in REQUEST_KINDS:
            self.kind.addItem(kind_text(kind), kind)
        self.received_on = self.add_field("received_on", _("Received on"),
                                          date_field(_today()))
        self.verified_how = self.add_field(
            "verified_how", _("How the identity was verified"), QLineEdit(),
            help_text=_("For example: passport shown at the desk, checked against the BRP."))
        self.verified_by = self.add_field("verified_by", _("Verified by (username)"),
                                          QLineEdit(officer))
        self.name = self.add_field("name", _("Name of the person"), QLineEdit())
        self.birth_date = self.add_field("birth_date", _("Date of birth"),
                                         OptionalDate(_("Date of birth")))

    def job(self) -> Job:
        kind, received = str(self.kind.currentData() or ""), date_of(self.received_on)
        how, by = self.verified_how.text(), self.verified_by.text().strip()
        name, born = self.name.text(), self.birth_date.value()
        return lambda s: requests.new_request(s, kind, received, how, by, name, born)


class ExtendDialog(FormDialog):
    """Extend the term once, with a reason (AVG 12(3): at most two months more)."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "request.extension_reason": "reason", "request.extension_early": "until",
        "request.extension_late": "until", "request.extended": "until",
        "request.closed": "until"}

    def __init__(self, row: RequestRowView, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Extend the term of request {id}").format(id=row.request_id), run,
                         parent, ok_text=_("Extend"), **kwargs)
        self.request_id = row.request_id
        self.until = self.add_field("until", _("Extended until"),
                                    date_field(row.deadline_on + dt.timedelta(days=28)))
        self.reason = self.add_field("reason", _("Reason for the extension"),
                                     text_area(lines=3))

    def job(self) -> Job:
        rid, until, reason = self.request_id, date_of(self.until), self.reason.toPlainText()
        return lambda s: requests.extend(s, rid, until, reason)


class CloseRequestDialog(FormDialog):
    """Close a request with the answer given and its date."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "request.answer": "answer", "request.answered_on": "answered_on"}

    def __init__(self, row: RequestRowView, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Close request {id}").format(id=row.request_id), run, parent,
                         ok_text=_("Close request"), **kwargs)
        self.request_id = row.request_id
        self.answer = self.add_field("answer", _("Answer given"), text_area(lines=4))
        self.answered_on = self.add_field("answered_on", _("Answered on"),
                                          date_field(_today()))

    def job(self) -> Job:
        rid, answer, day = self.request_id, self.answer.toPlainText(), date_of(self.answered_on)
        return lambda s: requests.close_request(s, rid, answer, day)
