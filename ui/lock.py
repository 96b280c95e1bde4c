"""What locking does to the app's other windows: Ctrl+L reaches every one of them, and a
lock closes them all and wipes what they showed.

A dialog, the report preview or a message box lives in its own top-level window, where the
main window's shortcut does not reach (Qt matches a window shortcut only in the active
window, and a modal dialog shadows even an application shortcut).  So :class:`LockReach`
adds the lock action to every top-level window as it is shown.  :func:`close_app_windows`
is what the lock calls: every top-level window but the main window is emptied and closed,
because a preview or a half-typed decision must not stay on a locked screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QClipboard, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QTreeWidget,
    QWidget,
)
from shiboken6 import Shiboken


class LockReach(QObject):
    """Adds ``action`` (the lock) to every top-level window of the app when it is shown, so
    its shortcut works in dialogs, the preview and the table view too."""

    def __init__(self, app: QApplication, action: QAction, main: QWidget) -> None:
        super().__init__(main)
        self._action = action
        self._main = main
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow() and watched is not self._main
                and self._action not in watched.actions()
                and _owner(watched) in {self._main, watched}):
            watched.addAction(self._action)
        return False


def _owner(widget: QWidget) -> QWidget:
    """The outermost parent of ``widget`` (itself when it has none)."""
    while (parent := widget.parentWidget()) is not None:
        widget = parent
    return widget


def _wipe(root: QWidget) -> None:
    """Empty every text a window shows or was typed into it."""
    for widget in [root, *root.findChildren(QWidget)]:
        # Signals blocked: the dialog's own slots must not react to being emptied (a
        # combo's "current item changed" would look for an item that is gone).
        blocked = widget.blockSignals(True)
        # A label's clear() drops its pixmap too: the preview's pages.
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QLabel, QComboBox,
                               QTreeWidget)):
            widget.clear()
        elif isinstance(widget, QAbstractItemView):
            widget.clearSelection()
        widget.setToolTip("")
        widget.blockSignals(blocked)


def close_app_windows(main: QMainWindow) -> None:
    """Empty and close every top-level window of the app except ``main``.

    Dialogs are rejected, so an ``exec()`` waiting on one returns "cancelled" and nothing
    typed is saved.  Dialogs made from Python are deleted as well; those Qt made itself (a
    static ``QMessageBox.information`` or ``QFileDialog.get…``) live on a C++ stack frame
    and must only be closed.  Windows of another main window (tests) are left alone.
    """
    QToolTip.hideText()
    for widget in QApplication.topLevelWidgets():
        if widget is main or not Shiboken.isValid(widget):
            continue
        owner = _owner(widget)
        if owner is not widget and owner is not main:
            continue
        if owner is widget and isinstance(widget, QMainWindow):
            continue
        _wipe(widget)
        if isinstance(widget, QDialog):
            widget.reject()
        widget.close()
        widget.hide()
        if isinstance(widget, QDialog) and Shiboken.createdByPython(widget):
            widget.deleteLater()


def clear_selection_clipboard() -> None:
    """Wipe the X11 PRIMARY selection if the app owns it: text selected in a case field
    goes there without any copy, and must not outlive the lock.  What another program
    put there is left alone."""
    clipboard = QGuiApplication.clipboard()
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
