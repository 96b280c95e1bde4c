"""The forms about one case: registering it, its persons and items, its phase, closing,
its case director, the information duty and the hand-over.

Each dialog collects input and builds one job calling :mod:`app.services`; what it offers
comes from :mod:`.choices` (the phases offered are only those the profile allows next).
Error codes map to the field they are about (``field_of_code``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.errors import InputError
from app.i18n import N_, _
from app.services import casework, corrections, phases
from app.services.session import Session
from app.views import ItemView, Redacted
from ui.casework.choices import CaseChoices, StoreChoices, options
from ui.casework.forms import (
    FormDialog,
    Job,
    Runner,
    chosen,
    date_field,
    date_of,
    party_options,
    picker,
    text_area,
)

DEFAULT_BASIS = "art. 6 lid 1 sub e AVG; PP 6.2"


def _none() -> str:
    return _("— choose —")


class NewCaseDialog(FormDialog):
    """Aanmelding: registering party, themes, reason (the first item), persons concerned
    with their category, and optionally the closed case this melding follows (ZVH 11.6).

    Registering takes several service calls (case, persons, item).  When a later one is
    refused, the case made so far is remembered, so the next OK goes on with it instead of
    registering the case twice.
    """

    field_of_code: ClassVar[Mapping[str, str]] = {
        "party.unknown": "registering", "case.opened_future": "opened_on",
        "case.not_closed": "follows", "case.unknown": "follows", "person.": "persons",
        "item.category": "reason_category", "item.category_not_in_phase": "reason_category",
        "item.empty": "reason", "item.basis": "basis",
        }

    def __init__(self, choices: StoreChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("New case"), run, parent, ok_text=_("Register"), **kwargs)
        self.setMinimumWidth(760)
        self.registering = self.add_field(
            "registering", _("Registering party"),
            picker(party_options(choices.parties), none=_none()))
        self.themes = self.add_field("themes", _("Themes"), QLineEdit(),
                                     help_text=_("Separate themes with commas."))
        self.reason = self.add_field("reason", _("Reason for the referral"), text_area())
        first = [o for o in choices.data_categories if o.id in choices.first_phase_categories]
        self.reason_category = self.add_field(
            "reason_category", _("Kind of information"), picker(options(first), none=_none()))
        self.basis = self.add_field("basis", _("Legal basis"), QLineEdit(DEFAULT_BASIS))
        self.opened_on = self.add_field("opened_on", _("Registered on"), date_field())
        # Persons concerned: a category chooser and a list, added one by one.
        self._subjects = choices.subject_categories
        persons = QWidget()
        row = QHBoxLayout(persons)
        row.setContentsMargins(0, 0, 0, 0)
        self.person_category = picker(options(choices.subject_categories))
        self.person_category.setAccessibleName(_("Category of the person concerned"))
        add = QPushButton(_("Add person"))
        add.clicked.connect(self.add_person)
        remove = QPushButton(_("Remove"))
        remove.clicked.connect(self._remove_person)
        row.addWidget(self.person_category, 1)
        row.addWidget(add)
        row.addWidget(remove)
        self.add_field("person_category", _("Add a person of category"), persons)
        self.persons = self.add_field("persons", _("Persons concerned"), QListWidget())
        self.persons.setMaximumHeight(110)
        self.follows = self.add_field(
            "follows", _("Follows closed case"),
            picker([(r, r) for r in choices.closed_cases], none=_("none")),
            help_text=_("A new referral about a person of a closed case is linked to it."))

    def add_person(self) -> None:
        """Add a person concerned of the chosen category to the list."""
        key = chosen(self.person_category)
        if key:
            label = next(o.label() for o in self._subjects if o.id == key)
            row = QListWidgetItem(f"B{self.persons.count() + 1} · {label}", self.persons)
            row.setData(Qt.ItemDataRole.UserRole, key)

    def _remove_person(self) -> None:
        row = self.persons.currentRow()
        # Nothing is stored before the whole registration succeeds (one transaction), so
        # any person can still be taken off the list.
        if row >= 0:
            self.persons.takeItem(row)
            # The labels the service gives are B1, B2, ... in order: show them so.
            for i in range(self.persons.count()):
                item = self.persons.item(i)
                item.setText(f"B{i + 1} · {item.text().split(' · ', 1)[-1]}")

    def job(self) -> Job:
        party, follows = chosen(self.registering), chosen(self.follows) or None
        themes = [t for t in self.themes.text().split(",") if t.strip()]
        reason, category = self.reason.toPlainText(), chosen(self.reason_category)
        basis, opened = self.basis.text(), date_of(self.opened_on)
        persons = [str(self.persons.item(i).data(Qt.ItemDataRole.UserRole))
                   for i in range(self.persons.count())]

        def register(session: Session) -> str:
            # One transaction: a refusal leaves no half-registered case, and the form
            # keeps what was typed for the next try.
            return casework.register_case(
                session, registering_party=party, themes=themes, opened_at=opened,
                follows=follows, persons=persons, reason=reason, reason_category=category,
                legal_basis=basis)

        return register


class PersonDialog(FormDialog):
    """Add a person concerned with their subject category."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "person.": "category"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Add person concerned"), run, parent, **kwargs)
        self.reference = choices.view.reference
        self.category = self.add_field("category", _("Category of the person concerned"),
                                       picker(options(choices.subject_categories),
                                              none=_none()))

    def job(self) -> Job:
        ref, category = self.reference, chosen(self.category)
        return lambda s: casework.add_person(s, ref, category=category)


class ItemDialog(FormDialog):
    """Add information as the provider (the user's own party): kind of data, the person,
    the text, legal basis, date, and for dagmonitor data the incident class and address."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "item.category": "category", "item.category_not_in_phase": "category",
        "item.empty": "body", "item.basis": "basis", "person.": "person",
        "item.incident": "incident_class", "item.address": "street"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Add information"), run, parent, **kwargs)
        self.setMinimumWidth(600)
        self.reference = choices.view.reference
        self.category = self.add_field("category", _("Kind of information"),
                                       picker(options(choices.item_categories), none=_none()))
        self.person = self.add_field(
            "person", _("About person"),
            picker([(p.label, p.label) for p in choices.view.persons], none=_("the case")))
        self.body = self.add_field("body", _("Information"), text_area())
        self.basis = self.add_field("basis", _("Legal basis"), QLineEdit(DEFAULT_BASIS))
        self.provided_on = self.add_field("provided_on", _("Date"), date_field())
        self.incident_class = self.add_field(
            "incident_class", _("Incident class (dagmonitor)"), QLineEdit(),
            help_text=_("Only for dagmonitor data; leave empty otherwise."))
        self.street = self.add_field("street", _("Street and number (dagmonitor)"),
                                     QLineEdit())
        self.place = self.add_field("place", _("Place (dagmonitor)"), QLineEdit())

    def job(self) -> Job:
        ref, category, person = self.reference, chosen(self.category), chosen(self.person)
        body, basis, day = self.body.toPlainText(), self.basis.text(), date_of(self.provided_on)
        incident = self.incident_class.text().strip() or None
        address = {k: v for k, v in (("street", self.street.text().strip()),
                                     ("place", self.place.text().strip())) if v}
        return lambda s: casework.add_item(
            s, ref, category=category, body=body, legal_basis=basis, person=person or None,
            provided_on=day, incident_class=incident, structured=address or None)


def item_text(item: ItemView) -> str:
    """The item's text as the user sees it (a placeholder is never offered)."""
    return "" if isinstance(item.value, Redacted) else str(item.value or "")


class CorrectItemDialog(FormDialog):
    """Correct or complete an item of the user's own party; the text starts as the current
    text the user sees.  The earlier version is kept for the audit and its recipients get
    a notice (:func:`app.services.corrections.correct_item`)."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "item.unknown": "item", "item.empty": "body", "correction.": "note",
        "item.basis": "basis"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 item_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(_("Correct information"), run, parent, **kwargs)
        self.setMinimumWidth(600)
        own = choices.caps.own_party
        self._items = {i.item_id: i for i in choices.view.items
                       if not i.masked and i.provider.id == own}
        self.item = self.add_field("item", _("Information item"), QComboBox())
        for item in self._items.values():
            self.item.addItem(f"{item.category.get(_lang())} · {item_text(item)[:60]}",
                              item.item_id)
        self.body = self.add_field("body", _("Information"), text_area())
        self.note = self.add_field("note", _("What the correction changes"), QLineEdit())
        self.basis = self.add_field("basis", _("Legal basis"), QLineEdit())
        self.item.currentIndexChanged.connect(self._prefill)
        if item_id is not None and (index := self.item.findData(item_id)) >= 0:
            self.item.setCurrentIndex(index)
        self._prefill()

    def _prefill(self) -> None:
        item = self._items.get(self.item.currentData())
        if item is not None:
            self.body.setPlainText(item_text(item))
            self.basis.setText(item.legal_basis)

    def job(self) -> Job:
        item_id = self.item.currentData()
        body, note, basis = self.body.toPlainText(), self.note.text(), self.basis.text()
        return lambda s: corrections.correct_item(
            s, int(item_id if item_id is not None else -1), body=body, note=note,
            legal_basis=basis or None)


def _lang() -> str:
    from app.i18n import current_language

    return current_language()


class PhaseDialog(FormDialog):
    """Move the case on: only the phases the covenant's process allows next are offered;
    closing phases go through :class:`CloseCaseDialog`."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "phase.": "phase", "case.closed_reopen": "phase"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Next phase"), run, parent, **kwargs)
        self.reference = choices.view.reference
        self.add_row(QLabel(_("Now: {phase}").format(phase=choices.view.phase.get(_lang()))))
        self.phase = self.add_field("phase", _("Next phase"), QComboBox())
        for option in choices.next_phases:
            self.phase.addItem(option.label(), option.id)
        if not choices.next_phases:
            self.add_row(QLabel(_("No further phase: the case can only be closed.")
                                if choices.closing_phases else _("The case is closed.")))
        self.note = self.add_field("note", _("Note"), QLineEdit())

    def job(self) -> Job:
        ref, phase, note = self.reference, str(self.phase.currentData() or ""), self.note.text()
        return lambda s: phases.change_phase(s, ref, phase, note)


class CloseCaseDialog(FormDialog):
    """Afschaling / closing with the reason and the basis of the decision."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "phase.": "phase", "case.closed_reopen": "phase", "close.reason": "reason",
        "close.basis": "basis", "close.future": "closed_on"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Close case"), run, parent, ok_text=_("Close case"), **kwargs)
        self.setMinimumWidth(560)
        self.reference = choices.view.reference
        self.phase = self.add_field("phase", _("Closing as"), QComboBox())
        for option in choices.closing_phases:
            self.phase.addItem(option.label(), option.id)
        self.reason = self.add_field("reason", _("Reason"), text_area(lines=3))
        self.basis = self.add_field("basis", _("Basis of the decision"), QLineEdit())
        self.closed_on = self.add_field("closed_on", _("Closed on"), date_field())

    def job(self) -> Job:
        ref, phase = self.reference, str(self.phase.currentData() or "")
        reason, basis, day = self.reason.toPlainText(), self.basis.text(), date_of(self.closed_on)
        return lambda s: phases.close_case(s, ref, phase=phase, reason=reason, basis=basis,
                                           closed_on=day)


class RegisseurDialog(FormDialog):
    """Appoint the case director: a party of the case, optionally a named user of it."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "party.unknown": "party", "user.unknown": "username"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Case director"), run, parent, **kwargs)
        self.reference = choices.view.reference
        # Limited to the case's own parties: appointing one makes it carry the case.
        self.party = self.add_field("party", _("Party of the case director"),
                                    picker(party_options(choices.view.parties), none=_none()))
        current = choices.view.casusregisseur_party
        if current is not None and (index := self.party.findData(current.id)) >= 0:
            self.party.setCurrentIndex(index)
        self.username = self.add_field("username", _("User (optional)"),
                                       QLineEdit(choices.view.casusregisseur or ""))

    def job(self) -> Job:
        ref, party, user = self.reference, chosen(self.party), self.username.text().strip()
        return lambda s: casework.set_casusregisseur(s, ref, party=party, username=user or None)


class InformedDialog(FormDialog):
    """The information duty for one person concerned: informed on a date, or not informed
    with the written motivation, the expected date and the review date and interval."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "informed.": "reason", "person.": "person"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Information duty"), run, parent, **kwargs)
        self.setMinimumWidth(560)
        self.reference = choices.view.reference
        persons = choices.view.persons
        self.person = self.add_field("person", _("Person concerned"), QComboBox())
        for person in persons:
            self.person.addItem(f"{person.label} · {person.category.get(_lang())}",
                                person.label)
        # The status vocabulary comes with the view (its values are the service's own).
        self._vocabulary = type(persons[0].informed_status) if persons else None
        self.status = self.add_field("status", _("Status"), QComboBox())
        for member in self._vocabulary or ():
            if member.value != "unknown":
                self.status.addItem(_(member.label), member.value)
        self.informed_on = self.add_field("informed_on", _("Informed on"), date_field())
        self.reason = self.add_field("reason", _("Why not (written motivation)"),
                                     text_area(lines=3))
        self.expected = self.add_field("expected", _("Expected to inform on"), date_field())
        self.review_on = self.add_field("review_on", _("Review on"),
                                        date_field(_today() + dt.timedelta(days=28)))
        self.interval = self.add_field("interval", _("Review every (days)"), QSpinBox())
        self.interval.setRange(0, 365)
        self.interval.setValue(28)
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()

    def _status_changed(self) -> None:
        informed = self.status.currentData() == "informed"
        self.informed_on.setEnabled(informed)
        for widget in (self.reason, self.expected, self.review_on, self.interval):
            widget.setEnabled(not informed)

    def job(self) -> Job:
        ref, person = self.reference, str(self.person.currentData() or "")
        vocabulary, value = self._vocabulary, str(self.status.currentData() or "")
        informed = value == "informed"
        on, reason = date_of(self.informed_on), self.reason.toPlainText()
        expected, review, every = (date_of(self.expected), date_of(self.review_on),
                                   self.interval.value())

        if vocabulary is None or not person:
            # No person concerned yet: the same sentence the service gives for one.
            raise InputError("person.unknown", N_("This case has no person with this label."))

        def record(session: Session) -> None:
            status = vocabulary(value)
            if informed:
                casework.set_informed(session, ref, person, status=status, informed_on=on)
            else:
                casework.set_informed(session, ref, person, status=status, reason=reason,
                                      expected=expected, review_on=review,
                                      review_interval_days=every or None)

        return record


class HandOverDialog(FormDialog):
    """Hand the case over to another process director (leave, workload), with a reason."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "handover.not_director": "to", "handover.same": "to",
        "handover.reason": "reason"}

    def __init__(self, choices: CaseChoices, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Hand over case"), run, parent, ok_text=_("Hand over"), **kwargs)
        self.reference = choices.view.reference
        self.to = self.add_field("to", _("To process director (username)"), QLineEdit())
        self.reason = self.add_field("reason", _("Reason"), text_area(lines=3))

    def job(self) -> Job:
        ref, to, reason = self.reference, self.to.text().strip(), self.reason.toPlainText()
        return lambda s: phases.hand_over(s, ref, to=to, reason=reason)


def _today() -> dt.date:
    """The local day (form defaults)."""
    return dt.datetime.now().astimezone().date()
