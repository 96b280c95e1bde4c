"""First login of a user an administrator added: choose one's own passphrase (issue 9).

The passphrase the administrator set opens the store once more, for this: until the user
has chosen their own, with new key pairs, the services refuse everything else
(``passphrase.must_renew``).  The dialog only collects the two entries; the check and the
key renewal happen in :func:`app.services.screens.renew_and_open`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from app.i18n import _
from ui.dialogs import ok_cancel_buttons


class OwnPassphraseDialog(QDialog):
    """Two password fields and an explanation; nothing is echoed or remembered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose your own passphrase"))
        form = QFormLayout(self)
        note = QLabel(_("Your passphrase was set by the administrator. Choose your own "
                        "(at least 12 characters): only it will open your keys."))
        note.setWordWrap(True)
        form.addRow(note)
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, label in ((self.first, _("New passphrase")),
                             (self.second, _("Repeat the new passphrase"))):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(label)
            form.addRow(label, field)
        self.error = QLabel()
        self.error.setWordWrap(True)
        form.addRow(self.error)
        form.addRow(ok_cancel_buttons(self))

    def accept(self) -> None:
        """Refuse two different entries at the field, keeping what was typed."""
        if self.first.text() != self.second.text():
            self.error.setText(_("The two passphrases differ."))
            self.second.setFocus()
            return
        super().accept()

    def passphrase(self) -> str:
        """The passphrase typed (then the fields are cleared)."""
        text = self.first.text()
        self.first.clear()
        self.second.clear()
        return text


def ask_own_passphrase(parent: QWidget, submit: Callable[[str], None]) -> None:
    """Show the dialog; ``submit(new)`` when the user confirms."""
    dialog = OwnPassphraseDialog(parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        submit(dialog.passphrase())
