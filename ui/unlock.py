"""The unlock page: recent stores, user, passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _


class UnlockPage(QWidget):
    """Asks for store folder, username and passphrase; emits ``unlock``."""

    unlock = Signal(Path, str, str)

    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch()
        title = QLabel(_("Open a Casustafel store"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        outer.addWidget(title)
        form = QFormLayout()
        self.store = QComboBox()
        self.store.setEditable(True)
        self.store.addItems(recent)
        self.store.setAccessibleName(_("Store folder"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.store, 1)
        row.addWidget(browse)
        form.addRow(_("Store folder"), row)
        self.user = QLineEdit()
        self.user.setAccessibleName(_("Username"))
        form.addRow(_("Username"), self.user)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.returnPressed.connect(self._submit)
        form.addRow(_("Passphrase"), self.passphrase)
        outer.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(_("Error"))
        outer.addWidget(self.error)
        self.open_button = QPushButton(_("Open"))
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._submit)
        outer.addWidget(self.open_button)
        outer.addStretch()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Store folder"))
        if folder:
            self.store.setCurrentText(folder)

    def _submit(self) -> None:
        folder = self.store.currentText().strip()
        if not folder or not self.user.text().strip():
            self.show_error(_("Choose a store folder and enter your username."))
            return
        self.open_button.setEnabled(False)
        self.error.clear()
        self.unlock.emit(Path(folder), self.user.text().strip(), self.passphrase.text())

    def show_error(self, text: str) -> None:
        """Show a translated error; keep what the user typed except the passphrase."""
        self.error.setText(text)
        self.passphrase.clear()
        self.passphrase.setFocus()
        self.open_button.setEnabled(True)

    def reset(self, *, store: str | None = None, user: str | None = None) -> None:
        """Ready for a new unlock (after lock)."""
        if store:
            self.store.setCurrentText(store)
        if user is not None:
            self.user.setText(user)
        self.passphrase.clear()
        self.error.clear()
        self.open_button.setEnabled(True)
