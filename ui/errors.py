"""How failures reach the user: one translated sentence, never a traceback.

A :class:`app.errors.CasusError` says what went wrong in the user's language and carries
no personal data; anything else is a bug, whose detail goes to the technical log only
(:mod:`app.logsetup`), because an exception's text may quote what was on screen.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import CasusError
from app.i18n import N_, _
from app.services.damage import store_damage
from app.tasks import Cancelled

log = logging.getLogger(__name__)

GENERIC = N_("Something went wrong; details are in the technical log.")
# A damaged database file is not a bug (the CLI's exit 5): the user must stop and get the
# store restored, which only the administrator may do (issue 9, hardening).
DAMAGED = N_("Store damaged: part of the store's database file cannot be read. Close "
             "Casustafel and ask the administrator to restore the store from a backup; "
             "do not go on working in it or copy files over it yourself.")


def message_for(error: BaseException) -> str:
    """The sentence to show for ``error``: "store damaged" with what to do, its own
    message, or the generic one."""
    if store_damage(error) is not None:
        return _(DAMAGED)
    return error.user_message() if isinstance(error, CasusError) else _(GENERIC)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Show one translated sentence for ``error`` (nothing for a cancelled task)."""
    if isinstance(error, Cancelled):
        return
    _show(parent, message_for(error))


# Parentless boxes, kept referenced while open: Python owns a widget without a parent, so
# dropping the last reference would close it at once.
_open_boxes: set[QMessageBox] = set()


def _show(parent: QWidget | None, text: str) -> QMessageBox:
    # Window-modal but not blocking: the store thread and any timers go on.
    box = QMessageBox(QMessageBox.Icon.Warning, "Casustafel", text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        _open_boxes.add(box)
        box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
    return box


class _Reporter(QObject):
    """Brings uncaught exceptions of any thread to the GUI thread, one box at a time."""

    uncaught = Signal(str)  # the sentence: no exception crosses to the GUI thread

    def __init__(self) -> None:
        super().__init__()
        self._box: QMessageBox | None = None
        # Queued when emitted from another thread: widgets live in the GUI thread only.
        self.uncaught.connect(self._show)

    def _show(self, text: str) -> None:
        if self._box is not None:
            return  # one is open already: an exception in a paint event would repeat
        self._box = _show(QApplication.activeWindow(), text)
        self._box.finished.connect(self._closed)

    def _closed(self, _result: int) -> None:
        self._box = None


_reporter: _Reporter | None = None


def _on_uncaught(kind: type[BaseException], error: BaseException,
                 trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    log.error("uncaught exception", exc_info=(kind, error, trace))
    if _reporter is not None:
        _reporter.uncaught.emit(_(DAMAGED) if store_damage(error) is not None
                                else _(GENERIC))


def _on_thread_uncaught(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    _on_uncaught(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthooks() -> None:
    """Route every uncaught exception (GUI thread, Qt slots, other threads) to the
    technical log and one translated sentence on screen.  Call once, after the
    QApplication exists and on its thread."""
    global _reporter  # noqa: PLW0603 - one reporter for the process, like the hooks
    if _reporter is None:
        _reporter = _Reporter()
    sys.excepthook = _on_uncaught
    threading.excepthook = _on_thread_uncaught
