"""One thread owns the store: every service call runs there, results come back as signals.

SQLite connections belong to the thread that opened them, so the session is opened *in*
the worker thread and never touched elsewhere.  The GUI submits ``job(session)`` — usually
a lambda around one service function — and gets the result (or the error) in a callback on
the GUI thread; long calls get a :class:`app.tasks.Progress` whose cancel button stops them
at the next check point.  Jobs run one at a time, in submission order.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, overload

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.errors import CasusError, StoreError
from app.i18n import N_
from app.services.session import Session
from app.tasks import Cancelled, Progress

log = logging.getLogger(__name__)

T = TypeVar("T")
Failed = Callable[[BaseException], None]
Report = Callable[[float, str], None]
# What the runner executes: the runner itself (for the session) and the Progress, if any.
_Task = Callable[["_Runner", Progress | None], Any]
_Pending = tuple[Callable[[Any], None] | None, Failed | None, Report | None]


class _Runner(QObject):
    """Lives in the worker thread; holds the session and runs tasks in submission order."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, float, str)

    def __init__(self) -> None:
        super().__init__()
        self.session: Session | None = None

    @Slot(int, object, object)
    def run(self, ticket: int, task: _Task, boxed_progress: tuple[Progress | None]) -> None:
        try:
            result = task(self, boxed_progress[0])
        except (CasusError, Cancelled) as error:
            self.failed.emit(ticket, error)
        except Exception as error:
            log.exception("background task failed")
            self.failed.emit(ticket, error)
        else:
            # Boxed: PySide6 6.12 mis-counts references of a bare None passed through an
            # ``object`` signal argument, which crashes the interpreter at exit.
            self.finished.emit(ticket, (result,))

    def open_session(self, folder: Path, username: str, passphrase: str) -> Session:
        """Close any open session (without a backup), then unlock ``folder``."""
        self.close_session(backup=False)
        self.session = Session.open(folder, username, passphrase)
        return self.session

    def close_session(self, *, backup: bool) -> None:
        """Log out, if logged in."""
        if self.session is not None:
            self.session.close(backup=backup)
            self.session = None

    def require_session(self) -> Session:
        """The open session; ``session.locked`` when the store is locked."""
        if self.session is None:
            raise StoreError("session.locked", N_("The store is locked."))
        return self.session


class StoreWorker(QObject):
    """The GUI-side handle: submit jobs, receive results on the GUI thread."""

    _submit = Signal(int, object, object)
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
        self._pending: dict[int, _Pending] = {}
        self._thread.start()

    # -- what the window submits ----------------------------------------------------------
    @overload
    def submit(self, job: Callable[[Session], T], *,
               done: Callable[[T], None] | None = None, failed: Failed | None = None,
               progress: None = None) -> None: ...

    @overload
    def submit(self, job: Callable[[Session, Progress], T], *,
               done: Callable[[T], None] | None = None, failed: Failed | None = None,
               progress: Report) -> Progress: ...

    def submit(self, job: Callable[..., Any], *, done: Callable[[Any], None] | None = None,
               failed: Failed | None = None, progress: Report | None = None
               ) -> Progress | None:
        """Run ``job(session)`` in the store thread, or ``job(session, progress)`` when a
        ``progress`` callback is given (then the :class:`Progress` to cancel is returned).

        ``done`` gets the result and ``failed`` the error, both on the GUI thread; a locked
        store fails with ``session.locked``.
        """
        if progress is None:
            return self._send(lambda runner, _p: job(runner.require_session()), done, failed)
        return self._send(lambda runner, p: job(runner.require_session(), p),
                          done, failed, progress)

    def submit_task(self, task: Callable[[Progress], T], *, done: Callable[[T], None],
                    failed: Failed, progress: Report) -> Progress | None:
        """Run ``task(progress)``, which needs no session (creating the demo store), in the
        store thread: so it is queued before the unlock that follows it."""
        return self._send(lambda _runner, p: task(p or Progress()), done, failed, progress)

    def open_session(self, folder: Path, username: str, passphrase: str, *,
                     then: Callable[[Session], T], done: Callable[[T], None],
                     failed: Failed) -> None:
        """Unlock ``folder`` as ``username`` (closing any session first) and answer with
        ``then(session)``, the first screen's data, from the same store call."""
        self._send(lambda runner, _p: then(runner.open_session(folder, username, passphrase)),
                   done, failed)

    def close_session(self, *, backup: bool) -> None:
        """Log out in the store thread; lock passes ``backup=False`` to stay instant."""
        self._send(lambda runner, _p: runner.close_session(backup=backup), None, None)

    # -- plumbing -------------------------------------------------------------------------
    def _send(self, task: _Task, done: Callable[[Any], None] | None, failed: Failed | None,
              progress: Report | None = None) -> Progress | None:
        ticket = next(self._tickets)
        self._pending[ticket] = (done, failed, progress)
        token: Progress | None = None
        if progress is not None:
            runner = self._runner
            token = Progress(lambda f, t: runner.progressed.emit(ticket, f, t))
        self.busy_changed.emit(True)
        self._submit.emit(ticket, task, (token,))
        return token

    def _take(self, ticket: int) -> _Pending:
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
        """Close the session in its own thread (with the automatic backup when due) and
        stop the thread."""
        self.close_session(backup=True)
        self._thread.quit()
        # A job still running (the demo store being made, the closing backup) finishes
        # first: on a busy machine that took over 10 s, and a QThread destroyed while
        # running aborts the process, skipping the demo folder's removal (issue 13, 13).
        self._thread.wait(120_000)
