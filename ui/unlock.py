"""The unlock page: store folder, user and passphrase; after a lock, only the passphrase.

After a lock the page says whose session it is ("Locked — unlock as j.bakker"), keeps the
store and the user fixed and puts the focus in the passphrase field: a passphrase typed
from habit must never land in a clear-text field (and from there in a completion list or
the X11 selection).  Another user is a deliberate step, through a link.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
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
        self.locked_as: str | None = None
        outer = QVBoxLayout(self)
        outer.addStretch()
        self.title = QLabel(_("Open a Casustafel store"))
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        form = QFormLayout()
        self.store = QComboBox()
        self.store.setEditable(True)
        self.store.addItems(recent)
        # Nothing typed is added to the list (which the completer offers): whatever lands
        # here by mistake is never offered back; only folders once opened are.
        self.store.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.store.setAccessibleName(_("Store folder"))
        self.browse = QPushButton(_("Browse…"))
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.store, 1)
        row.addWidget(self.browse)
        form.addRow(_("Store folder"), row)
        self.user = QLineEdit()
        self.user.setAccessibleName(_("Username"))
        form.addRow(_("Username"), self.user)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.returnPressed.connect(self._submit)
        form.addRow(_("Passphrase"), self.passphrase)
        # Enter in a clear-text field moves on instead of submitting.
        line = self.store.lineEdit()
        if line is not None:
            line.returnPressed.connect(self.user.setFocus)
        self.user.returnPressed.connect(self.passphrase.setFocus)
        outer.addLayout(form)
        self.other_user = QLabel('<a href="other">' + _("Unlock as another user…") + "</a>")
        self.other_user.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.other_user.setAccessibleName(_("Unlock as another user…"))
        self.other_user.linkActivated.connect(lambda _link: self.show_open(user=""))
        self.other_user.hide()
        outer.addWidget(self.other_user)
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
        self.open_button.setEnabled(True)
        self.focus_first_empty()

    def _set_fixed(self, fixed: bool) -> None:
        # Disabled, not only read-only: a disabled field takes no focus and no keys.
        for widget in (self.store, self.browse, self.user):
            widget.setEnabled(not fixed)
        self.other_user.setVisible(fixed)

    def _fill(self, store: str | None, user: str | None) -> None:
        if store:
            self.store.setCurrentText(store)
        if user is not None:
            self.user.setText(user)
        self.passphrase.clear()
        self.error.clear()
        self.open_button.setEnabled(True)

    def show_locked(self, *, store: str, user: str) -> None:
        """After a lock: unlock as ``user`` of ``store``, only the passphrase to type."""
        self.locked_as = user
        self._fill(store, user)
        self.title.setText(_("Locked — unlock as {user}").format(user=user))
        self._set_fixed(True)
        self.passphrase.setFocus()

    def show_open(self, *, store: str | None = None, user: str | None = None) -> None:
        """The full form: any store folder and user (first start, another user)."""
        self.locked_as = None
        self._fill(store, user)
        self.title.setText(_("Open a Casustafel store"))
        self._set_fixed(False)
        self.focus_first_empty()

    def reset(self, *, store: str | None = None, user: str | None = None) -> None:
        """Ready for a new unlock with the full form (the demo's first unlock)."""
        self.show_open(store=store, user=user)

    def focus_first_empty(self) -> None:
        """The focus in the first field still to fill; the passphrase once the store and
        the user are known."""
        if self.locked_as is None and not self.store.currentText().strip():
            self.store.setFocus()
        elif self.locked_as is None and not self.user.text().strip():
            self.user.setFocus()
        else:
            self.passphrase.setFocus()
