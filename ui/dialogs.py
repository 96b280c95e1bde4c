"""Small input dialogs for the chair and the minute taker.  They collect input only; what
they offer comes from :mod:`app.services.screens`, and the services validate the input and
decide whether the user may do it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.i18n import _
from app.services import screens
from app.views import (
    CaseCapabilities,
    CaseView,
    CategoryRef,
    ConsentBasis,
    ConsentForm,
    ConsentGiver,
    PartyRef,
)
from ui.casework.parties import PartyChoice, agreed, none_text
from ui.dates import localise_date_edit, show_date


def ok_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel, wired to ``dialog``'s accept and reject."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


@dataclass(frozen=True)
class ActionInput:
    """What the action dialog collected."""

    text: str
    owner_party: str
    due_on: dt.date


def _error_line() -> QLabel:
    line = QLabel()
    line.setWordWrap(True)
    line.setStyleSheet("color: #a4000f; font-weight: bold;")
    line.setAccessibleName(_("Error"))
    line.hide()
    return line


class ActionDialog(QDialog):
    """An action with owner party and due date.  The owner is one of the case's parties
    (sorted, searchable, none chosen); another party only after "other parties" and a
    confirmation naming what it will see, since owning an action makes it involved
    (issue 13, point 3; ZVH 13.2)."""

    def __init__(self, view: CaseView, parties: Sequence[PartyRef],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add action"))
        form = QFormLayout(self)
        self.error = _error_line()
        form.addRow(self.error)
        self.text = QLineEdit()
        self.text.setAccessibleName(_("Action"))
        self.owner_choice = PartyChoice(view, parties)
        self.owner = self.owner_choice.combo
        self.owner.setAccessibleName(_("Owner"))
        self.due = QDateEdit(QDate.currentDate().addDays(14))
        self.due.setCalendarPopup(True)
        localise_date_edit(self.due)
        self.due.setAccessibleName(_("Due"))
        form.addRow(_("Action"), self.text)
        form.addRow(_("Owner"), self.owner)
        form.addRow("", self.owner_choice.others)
        form.addRow(_("Due"), self.due)
        form.addRow(ok_cancel_buttons(self))

    def accept(self) -> None:
        """OK: only with an owner chosen, and a party not involved yet only after Yes."""
        if not self.owner_choice.party():
            self.error.setText(_("Choose the party responsible for the action."))
            self.error.show()
            self.owner.setFocus()
            return
        if not agreed(self, self.owner_choice):
            return  # No: nothing is written, the dialog stays open
        super().accept()

    def value(self) -> ActionInput:
        """The action typed."""
        return ActionInput(self.text.text(), self.owner_choice.party(),
                           self.due.date().toPython())  # type: ignore[arg-type]


@dataclass(frozen=True)
class GrantInput:
    """What the sharing dialog collected."""

    recipient: str
    item_id: int | None
    category: str | None
    legal_basis: str
    necessity: str = ""


class GrantDialog(QDialog):
    """Share my party's items (all, one category, or one item) with a party.  Nothing is
    chosen to begin with, neither the recipient nor what is shared: the user names both
    (ZVH 3.5d).  Recipients are the case's parties; another party only after "other
    parties" and a confirmation (issue 13, point 3)."""

    def __init__(self, view: CaseView, own_party: str, parties: Sequence[PartyRef],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Share information"))
        form = QFormLayout(self)
        self.error = _error_line()
        form.addRow(self.error)
        self.recipient_choice = PartyChoice(view, parties, exclude=frozenset({own_party}))
        self.recipient = self.recipient_choice.combo
        self.recipient.setAccessibleName(_("Shared with"))
        self.scope = QComboBox()
        self.scope.setAccessibleName(_("Scope"))
        self.scope.addItem(none_text(), None)
        own_items = screens.shareable_items(view, own_party)
        seen: set[str] = set()
        for item in own_items:
            if item.category_id not in seen:
                seen.add(item.category_id)
                self.scope.addItem(
                    _("category: {name}").format(name=item.category.get(_lang())),
                    ("category", item.category_id))
        for item in own_items:
            # The item by its category and date, not its database id (issue 13, point 9).
            self.scope.addItem(_("item: {category} · {date}").format(
                category=item.category.get(_lang()), date=show_date(item.provided_on)),
                ("item", item.item_id))
        self.scope.addItem(_("all my items in this case"), ("all", ""))
        self.basis = QLineEdit(_("Covenant, art. 13.2"))
        self.basis.setAccessibleName(_("Legal basis"))
        form.addRow(_("Shared with"), self.recipient)
        form.addRow("", self.recipient_choice.others)
        form.addRow(_("Scope"), self.scope)
        form.addRow(_("Legal basis"), self.basis)
        # Police and OM provisions state why they are necessary (ZVH 8.1); the service
        # says when it is missing.
        self.necessity = QLineEdit()
        self.necessity.setAccessibleName(_("Necessity"))
        form.addRow(_("Necessity"), self.necessity)
        form.addRow(ok_cancel_buttons(self))

    def accept(self) -> None:
        """OK: only with a recipient and a scope chosen; a party not involved yet only
        after Yes."""
        if not self.recipient_choice.party():
            self._refuse(_("Choose the party to share with."), self.recipient)
            return
        if self.scope.currentData() is None:
            self._refuse(_("Choose what to share."), self.scope)
            return
        if not agreed(self, self.recipient_choice, shared=True):
            return
        super().accept()

    def _refuse(self, message: str, field: QWidget) -> None:
        self.error.setText(message)
        self.error.show()
        field.setFocus()

    def value(self) -> GrantInput:
        """The grant chosen."""
        kind, key = self.scope.currentData() or ("", "")
        return GrantInput(self.recipient_choice.party(),
                          int(key) if kind == "item" else None,
                          str(key) if kind == "category" else None, self.basis.text(),
                          self.necessity.text())


def _lang() -> str:
    from app.i18n import current_language

    return current_language()


@dataclass(frozen=True)
class ConsentInput:
    """What the consent dialog collected."""

    person: str
    source_party: str
    recipients: tuple[str, ...]
    categories: tuple[str, ...]
    purpose: str
    basis: ConsentBasis
    basis_note: str
    given_by: ConsentGiver
    form: ConsentForm
    told_withdrawal: bool
    given_on: dt.date


def _checklist(name: str, refs: list[PartyRef] | list[CategoryRef]) -> QListWidget:
    """A list of checkable rows, none ticked: the user names every recipient and category
    (ZVH 7.2: no blanket consent, no default)."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setMaximumHeight(140)
    for ref in refs:
        row = QListWidgetItem(ref.label(), widget)
        row.setData(Qt.ItemDataRole.UserRole, ref.id)
        row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        row.setCheckState(Qt.CheckState.Unchecked)
    return widget


def _checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(str(widget.item(i).data(Qt.ItemDataRole.UserRole))
                 for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


class ConsentDialog(QDialog):
    """Record a consent of a betrokkene for one source party's data, or the professional's
    weighing or a reporting right instead (ZVH 7.2).  The choices come from
    :mod:`app.services.screens`; the service checks who may and what is complete."""

    def __init__(self, view: CaseView, caps: CaseCapabilities, categories: list[CategoryRef],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Record consent"))
        self._view = view
        form = QFormLayout(self)
        self.person = QComboBox()
        self.person.setAccessibleName(_("Person"))
        for person in view.persons:
            self.person.addItem(person.label, person.label)
        self.source = QComboBox()
        self.source.setAccessibleName(_("Whose data"))
        for party in screens.consent_sources(view, caps):
            self.source.addItem(party.label(), party.id)
        self.recipients = _checklist(_("To whom"), [])
        self.source.currentIndexChanged.connect(self._fill_recipients)
        self._fill_recipients()
        self.categories = _checklist(_("Which data"), categories)
        self.purpose = QLineEdit()
        self.purpose.setAccessibleName(_("Purpose"))
        self.basis = _vocab_combo(_("Ground"), ConsentBasis)
        self.basis_note = QLineEdit()
        self.basis_note.setAccessibleName(_("Basis of the weighing or reporting right"))
        self.given_by = _vocab_combo(_("Given by"), ConsentGiver, skip=ConsentGiver.PROFESSIONAL)
        self.form = _vocab_combo(_("Form"), ConsentForm, skip=ConsentForm.NONE)
        self.told = QCheckBox(_("Told that the consent can be withdrawn at any time"))
        self.given_on = QDateEdit(QDate.currentDate())
        self.given_on.setAccessibleName(_("Given on"))
        self.given_on.setCalendarPopup(True)
        localise_date_edit(self.given_on)
        form.addRow(_("Person"), self.person)
        form.addRow(_("Whose data"), self.source)
        form.addRow(_("To whom"), self.recipients)
        form.addRow(_("Which data"), self.categories)
        form.addRow(_("Purpose"), self.purpose)
        form.addRow(_("Ground"), self.basis)
        form.addRow(_("Basis"), self.basis_note)
        form.addRow(_("Given by"), self.given_by)
        form.addRow(_("Form"), self.form)
        form.addRow("", self.told)
        form.addRow(_("Given on"), self.given_on)
        form.addRow(ok_cancel_buttons(self))

    def _fill_recipients(self) -> None:
        self.recipients.clear()
        source = str(self.source.currentData() or "")
        for party in screens.consent_recipients(self._view, source):
            row = QListWidgetItem(party.label(), self.recipients)
            row.setData(Qt.ItemDataRole.UserRole, party.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)

    def value(self) -> ConsentInput:
        """The consent typed."""
        return ConsentInput(
            str(self.person.currentData()), str(self.source.currentData()),
            _checked(self.recipients), _checked(self.categories), self.purpose.text(),
            ConsentBasis(self.basis.currentData()), self.basis_note.text(),
            ConsentGiver(self.given_by.currentData()), ConsentForm(self.form.currentData()),
            self.told.isChecked(), self.given_on.date().toPython())  # type: ignore[arg-type]


def _vocab_combo(name: str, vocabulary: type[ConsentBasis] | type[ConsentGiver]
                 | type[ConsentForm], skip: object = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for member in vocabulary:
        if member is not skip:
            combo.addItem(_(member.label), member.value)
    return combo
