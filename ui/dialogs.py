"""Small input dialogs for the chair and the minute taker.  They collect input only; what
they offer comes from :mod:`app.services.screens`, and the services validate the input and
decide whether the user may do it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.i18n import _
from app.services import screens
from app.views import CaseView, PartyRef


def ok_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel, wired to ``dialog``'s accept and reject."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class TextDialog(QDialog):
    """One multi-line text (decision, progress entry)."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(label)
        form.addRow(label, self.text)
        form.addRow(ok_cancel_buttons(self))

    def value(self) -> str:
        """The text typed."""
        return self.text.toPlainText()


@dataclass(frozen=True)
class ActionInput:
    """What the action dialog collected."""

    text: str
    owner_party: str
    due_on: dt.date


class ActionDialog(QDialog):
    """An action with owner party and due date."""

    def __init__(self, parties: list[PartyRef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add action"))
        form = QFormLayout(self)
        self.text = QLineEdit()
        self.text.setAccessibleName(_("Action"))
        self.owner = QComboBox()
        self.owner.setAccessibleName(_("Owner"))
        for party in parties:
            self.owner.addItem(party.label(), party.id)
        self.due = QDateEdit(QDate.currentDate().addDays(14))
        self.due.setCalendarPopup(True)
        self.due.setAccessibleName(_("Due"))
        form.addRow(_("Action"), self.text)
        form.addRow(_("Owner"), self.owner)
        form.addRow(_("Due"), self.due)
        form.addRow(ok_cancel_buttons(self))

    def value(self) -> ActionInput:
        """The action typed."""
        return ActionInput(self.text.text(), str(self.owner.currentData()),
                           self.due.date().toPython())  # type: ignore[arg-type]


@dataclass(frozen=True)
class GrantInput:
    """What the sharing dialog collected."""

    recipient: str
    item_id: int | None
    category: str | None
    legal_basis: str


class GrantDialog(QDialog):
    """Share my party's items (all, one category, or one item) with a party."""

    def __init__(self, view: CaseView, own_party: str, parties: list[PartyRef],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Share information"))
        form = QFormLayout(self)
        self.recipient = QComboBox()
        self.recipient.setAccessibleName(_("Shared with"))
        for party in screens.share_recipients(own_party, parties):
            self.recipient.addItem(party.label(), party.id)
        self.scope = QComboBox()
        self.scope.setAccessibleName(_("Scope"))
        self.scope.addItem(_("all my items in this case"), ("all", ""))
        own_items = screens.shareable_items(view, own_party)
        seen: set[str] = set()
        for item in own_items:
            if item.category_id not in seen:
                seen.add(item.category_id)
                self.scope.addItem(
                    _("category: {name}").format(name=item.category.get(_lang())),
                    ("category", item.category_id))
        for item in own_items:
            self.scope.addItem(_("item {id}").format(id=item.item_id), ("item", item.item_id))
        self.basis = QLineEdit(_("Covenant, art. 13.2"))
        self.basis.setAccessibleName(_("Legal basis"))
        form.addRow(_("Shared with"), self.recipient)
        form.addRow(_("Scope"), self.scope)
        form.addRow(_("Legal basis"), self.basis)
        form.addRow(ok_cancel_buttons(self))

    def value(self) -> GrantInput:
        """The grant chosen."""
        kind, key = self.scope.currentData()
        return GrantInput(str(self.recipient.currentData()),
                          int(key) if kind == "item" else None,
                          str(key) if kind == "category" else None, self.basis.text())


def _lang() -> str:
    from app.i18n import current_language

    return current_language()


@dataclass(frozen=True)
class ConsentInput:
    """What the consent dialog collected."""

    person: str
    source_party: str | None
    recipient_party: str | None
    purpose: str


class ConsentDialog(QDialog):
    """Record a consent of a betrokkene."""

    def __init__(self, view: CaseView, parties: list[PartyRef],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Record consent"))
        form = QFormLayout(self)
        self.person = QComboBox()
        self.person.setAccessibleName(_("Person"))
        for person in view.persons:
            self.person.addItem(person.label, person.label)
        self.source = QComboBox()
        self.source.setAccessibleName(_("Source"))
        # Item data is never None: PySide6 6.12 mis-counts references of None item data.
        self.source.addItem(_("any"), "")
        self.recipient = QComboBox()
        self.recipient.setAccessibleName(_("Recipient"))
        self.recipient.addItem(_("parties of the case"), "")
        for party in parties:
            self.source.addItem(party.label(), party.id)
            self.recipient.addItem(party.label(), party.id)
        self.purpose = QLineEdit()
        self.purpose.setAccessibleName(_("Purpose"))
        form.addRow(_("Person"), self.person)
        form.addRow(_("Source"), self.source)
        form.addRow(_("Recipient"), self.recipient)
        form.addRow(_("Purpose"), self.purpose)
        form.addRow(ok_cancel_buttons(self))

    def value(self) -> ConsentInput:
        """The consent typed."""
        return ConsentInput(str(self.person.currentData()), self.source.currentData() or None,
                            self.recipient.currentData() or None, self.purpose.text())
