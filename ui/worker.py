"""One thread owns the store: every service call runs there, results come back as signals.

SQLite connections belong to the thread that opened them, so the session is opened *in*
the worker thread and never touched elsewhere.  The GUI submits ``fn(session, *args)`` and
gets the result (or the error) in a callback on the GUI thread; long calls get a
:class:`app.tasks.Progress` whose cancel button stops them at the next check point.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.errors import CasusError
from app.services.session import Session
from app.tasks import Cancelled, Progress

log = logging.getLogger(__name__)

Job = Callable[..., Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Runner(QObject):
    """Lives in the worker thread; runs jobs in submission order."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, float, str)

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None

    @Slot(int, object, object, object)
    def run(self, ticket: int, fn: Job, args: tuple[Any, ...],
            boxed_progress: tuple[Progress | None]) -> None:
        progress = boxed_progress[0]
        try:
            kwargs = {"progress": progress} if progress is not None else {}
            result = fn(self, *args, **kwargs)
        except (CasusError, Cancelled) as error:
            self.failed.emit(ticket, error)
        except Exception as error:
            log.exception("background task failed")
            self.failed.emit(ticket, error)
        else:
            # Boxed: PySide6 6.12 mis-counts references of a bare None passed through an
            # ``object`` signal argument, which crashes the interpreter at exit.
            self.finished.emit(ticket, (result,))


class StoreWorker(QObject):
    """The GUI-side handle: submit jobs, receive results on the GUI thread."""

    _submit = Signal(int, object, object, object)
    busy_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self._thread = QThread()
        self._thread.setObjectName("casustafel-store")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.progressed.connect(self._on_progress)
        self._tickets = itertools.count(1)
        self._pending: dict[int, tuple[Done | None, Failed | None,
                                       Callable[[float, str], None] | None]] = {}
        self._thread.start()

    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Done | None = None,
        failed: Failed | None = None,
        progress: Callable[[float, str], None] | None = None,
    ) -> Progress | None:
        """Run ``fn(runner, *args)`` in the store thread; returns the Progress if any.

        ``fn`` receives the runner (``runner.session`` is the open session or None).
        """
        ticket = next(self._tickets)
        self._pending[ticket] = (done, failed, progress)
        token: Progress | None = None
        if progress is not None:
            runner = self._runner
            token = Progress(lambda f, t: runner.progressed.emit(ticket, f, t))
        self.busy_changed.emit(True)
        self._submit.emit(ticket, fn, args, (token,))
        return token

    def _take(self, ticket: int) -> tuple[Done | None, Failed | None,
                                          Callable[[float, str], None] | None]:
        entry = self._pending.pop(ticket, (None, None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        return entry

    def _on_finished(self, ticket: int, boxed: tuple[object]) -> None:
        done, _failed, _progress = self._take(ticket)
        if done is not None:
            done(boxed[0])

    def _on_failed(self, ticket: int, error: object) -> None:
        _done, failed, _progress = self._take(ticket)
        if failed is not None and isinstance(error, BaseException):
            failed(error)

    def _on_progress(self, ticket: int, fraction: float, text: str) -> None:
        entry = self._pending.get(ticket)
        if entry and entry[2] is not None:
            entry[2](fraction, text)

    @property
    def idle(self) -> bool:
        """No job pending."""
        return not self._pending

    def shutdown(self) -> None:
        """Close the session in its own thread and stop the thread."""
        self.call(_close_session)
        self._thread.quit()
        self._thread.wait(10_000)


def _close_session(runner: _Runner, backup: bool = True) -> None:
    if runner.session is not None:
        runner.session.close(backup=backup)
        runner.session = None


def close_session(runner: _Runner, backup: bool = False) -> None:
    """Job: log out (used by lock, which makes no backup to stay fast)."""
    _close_session(runner, backup)
