"""The forms of the breach register (ZVH 14; AVG 33-34): register, update, close.

The service names the field of every refusal in the error's ``field`` parameter; the
forms show it there.  Times are the workstation's local wall-clock time (the service
stores UTC).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QHBoxLayout, QLabel, QWidget

from app.i18n import _
from app.services import breaches
from app.views.oversight import BreachView, ClockState
from ui.casework.forms import FormDialog, Job, Runner, datetime_field, datetime_of, text_area


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(tzinfo=None, second=0, microsecond=0)


class OptionalTime(QWidget):
    """A moment that may be left out: a check box and a date-and-time field."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.known = QCheckBox(_("recorded"))
        self.known.setAccessibleName(_("{field} recorded").format(field=label))
        self.when: QDateTimeEdit = datetime_field(_now())
        self.when.setAccessibleName(label)
        self.when.setEnabled(False)
        self.known.toggled.connect(self.when.setEnabled)
        row.addWidget(self.known)
        row.addWidget(self.when, 1)

    def value(self) -> dt.datetime | None:
        """The local time chosen, or None."""
        return datetime_of(self.when) if self.known.isChecked() else None

    def set_value(self, when: dt.datetime) -> None:
        """Record ``when`` (local wall-clock time)."""
        self.known.setChecked(True)
        self.when.setDateTime(QDateTime(QDate(when.year, when.month, when.day),
                                        QTime(when.hour, when.minute)))


class _BreachForm(FormDialog):
    """A breach form: the service's ``field`` parameter names the field of a refusal."""

    def field_for(self, error: BaseException) -> str | None:
        params = getattr(error, "params", {}) or {}
        key = str(params.get("field", ""))
        return key if key in self.fields else super().field_for(error)


class NewBreachDialog(_BreachForm):
    """Enter a breach: when it was discovered (both clocks start then), what happened,
    which data and which kinds of persons (no names), consequences, measures, the text of
    any notification, and when the privacy officer was informed if already known."""

    def __init__(self, run: Runner, parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Register a data breach"), run, parent, ok_text=_("Register"),
                         **kwargs)
        self.setMinimumWidth(600)
        self.discovered_at = self.add_field("discovered_at", _("Discovered at"),
                                            datetime_field(_now()))
        self.nature = self.add_field("nature", _("Nature of the breach"), text_area(lines=2))
        self.data_concerned = self.add_field("data_concerned", _("Personal data concerned"),
                                             text_area(lines=2))
        self.persons_concerned = self.add_field(
            "persons_concerned", _("Persons concerned (kinds and number, no names)"),
            text_area(lines=2))
        self.consequences = self.add_field("consequences", _("Consequences"),
                                           text_area(lines=2))
        self.measures = self.add_field("measures", _("Corrective measures"), text_area(lines=2))
        self.notification_text = self.add_field("notification_text", _("Notification text"),
                                                text_area(lines=2))
        self.officer_informed_at = self.add_field(
            "officer_informed_at", _("Privacy officer informed at"),
            OptionalTime(_("Privacy officer informed at")))

    def job(self) -> Job:
        found, informed = datetime_of(self.discovered_at), self.officer_informed_at.value()
        texts = [w.toPlainText() for w in (self.nature, self.data_concerned,
                                           self.persons_concerned, self.consequences,
                                           self.measures, self.notification_text)]
        return lambda s: breaches.register_breach(s, found, *texts,
                                                  officer_informed_at=informed)


class UpdateBreachDialog(_BreachForm):
    """Record what happened since: the officer informed, the AP notified (or why no
    notification is needed), and the consequences, measures and notification text."""

    def __init__(self, view: BreachView, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Update breach {id}").format(id=view.breach_id), run, parent,
                         ok_text=_("Save"), **kwargs)
        self.setMinimumWidth(600)
        self.view = view
        self.officer_informed_at = self.add_field(
            "officer_informed_at", _("Privacy officer informed at"),
            OptionalTime(_("Privacy officer informed at")))
        self.officer_informed_at.setEnabled(view.officer.state is not ClockState.DONE)
        self.ap_notified_at = self.add_field(
            "ap_notified_at", _("AP notified at"), OptionalTime(_("AP notified at")))
        self.ap_not_required = self.add_field(
            "ap_not_required", _("Or: why the AP need not be notified"), text_area(lines=2))
        ap_open = view.ap.state in {ClockState.DUE, ClockState.LATE}
        self.ap_notified_at.setEnabled(ap_open)
        self.ap_not_required.setEnabled(ap_open)
        self.consequences = self.add_field("consequences", _("Consequences"),
                                           text_area(view.consequences, lines=2))
        self.measures = self.add_field("measures", _("Corrective measures"),
                                       text_area(view.measures, lines=2))
        self.notification_text = self.add_field("notification_text", _("Notification text"),
                                                text_area(view.notification_text, lines=2))

    def job(self) -> Job:
        bid, view = self.view.breach_id, self.view
        informed, notified = self.officer_informed_at.value(), self.ap_notified_at.value()
        reason = self.ap_not_required.toPlainText().strip() or None

        def changed(new: str, old: str) -> str | None:
            # Only what the user changed is sent: the service refuses an empty change.
            return None if new.strip() == old.strip() else new

        consequences = changed(self.consequences.toPlainText(), view.consequences)
        measures = changed(self.measures.toPlainText(), view.measures)
        text = changed(self.notification_text.toPlainText(), view.notification_text)
        return lambda s: breaches.update_breach(
            s, bid, officer_informed_at=informed, ap_notified_at=notified,
            ap_not_required=reason, consequences=consequences, measures=measures,
            notification_text=text)


class CloseBreachDialog(_BreachForm):
    """Close the entry (the service checks the reports and the measures are recorded)."""

    def __init__(self, view: BreachView, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Close breach {id}").format(id=view.breach_id), run, parent,
                         ok_text=_("Close breach"), **kwargs)
        self.breach_id = view.breach_id
        note = QLabel(_("Closing records that the privacy officer was informed, the AP "
                        "question is settled and the corrective measures are written down."))
        note.setWordWrap(True)
        self.add_row(note)

    def job(self) -> Job:
        bid = self.breach_id
        return lambda s: breaches.close_breach(s, bid)
