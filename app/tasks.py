"""Qt-free progress and cancellation for long work (napari/Orange3 style).

A service that may take long accepts a :class:`Progress`; the UI wraps it in a dialog, the
CLI ignores it.  Cancelling raises :class:`Cancelled` at the next check point, inside the
service's transaction, so nothing half-done is committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):  # noqa: N818 - a signal, not an error users see
    """The user cancelled the task."""


class Progress:
    """Reports fractions 0..1 with a short status text; checks for cancellation."""

    def __init__(self, callback: Callable[[float, str], None] | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the task to stop at its next check point (thread-safe)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked."""
        return self._cancel.is_set()

    def update(self, fraction: float, text: str = "") -> None:
        """Report progress; raises Cancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled
        if self._callback is not None:
            self._callback(max(0.0, min(1.0, fraction)), text)
