"""Starting the desktop app: context, translations, main window, demo and screenshots."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import shutil
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app import hardening, paths
from app.demo import DEMO_PASSPHRASE, create_app_demo
from app.i18n import LANGUAGES, _, set_language
from app.logsetup import setup_logging
from app.tasks import Progress
from ui.context import AppContext
from ui.errors import install_excepthooks
from ui.main_window import MainWindow
from ui.platform_check import platform_problem
from ui.widgets import TaskProgress

# ``create_app_demo`` makes ``<temp>/casustafel-demo-XXXX/store``; only such a folder is
# ever removed on quit.
DEMO_PREFIX = "casustafel-demo-"


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="casustafel")
    parser.add_argument("--lang", choices=LANGUAGES)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--screenshot", type=Path)
    parser.add_argument("--view", choices=("meetings", "dashboard", "case", "table"),
                        default="dashboard")
    parser.add_argument("--cases", type=int, default=40, help=argparse.SUPPRESS)
    return parser.parse_args(list(argv))


class Screenshotter:
    """Drives the window to one view, saves a PNG and quits (used by docs and CI)."""

    def __init__(self, window: MainWindow, view: str, out: Path) -> None:
        self.window = window
        self.view = view
        self.out = out
        self.step = 0
        window.ready.connect(self._on_ready)

    def _on_ready(self) -> None:
        # Each step triggers the next asynchronous load; ``ready`` fires when it is shown.
        QTimer.singleShot(50, self._advance)

    def _advance(self) -> None:
        w = self.window
        self.step += 1
        if self.view == "meetings" and self.step == 1:
            w.show_meetings()
            self._save(w)
        elif self.view == "dashboard" and self.step == 1:
            self._save(w)
        elif self.view == "case":
            if self.step == 1:
                self._choose_view_as()
                ref = w.dashboard.current_reference()
                if ref:
                    w.open_case(ref)
            elif self.step == 2:
                w.case_widget.tabs.setCurrentIndex(1)
                self._save(w)
        elif self.view == "table":
            if self.step == 1:
                w.table_mode.enter()
            elif (beamer := w.table_mode.view) is not None:
                # Prefer a case the whole table may see something of; after trying every
                # agenda case, show whatever is on screen (the "must leave" notice).
                view = beamer.case.view
                blocked = view is None or bool(view.blocked_by)
                if blocked and self.step <= w.dashboard.proxy.rowCount():
                    beamer.next_case.emit()
                else:
                    beamer.case.tabs.setCurrentIndex(1)  # the information itself
                    self._save(beamer)

    def _choose_view_as(self) -> None:
        """View as a party invited for the selected case, other than the chair's own and
        the registering one, so the screenshot shows values and placeholders side by side."""
        w = self.window
        combo = w.view_as
        meeting = w.dashboard.meeting
        ref = w.dashboard.current_reference()
        item = next((i for i in meeting.agenda if i.row.reference == ref), None) if meeting \
            else None
        own = w.opened.user.party_id if w.opened else ""
        invited = [p.id for p in item.invited if p.id != own] if item else []
        for party in reversed(invited):
            index = combo.findData(party)
            if index >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
                return

    def _save(self, widget: QWidget) -> None:
        QApplication.processEvents()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        ok = widget.grab().save(str(self.out))
        sys.stdout.write(f"{self.out}\n" if ok else "screenshot failed\n")
        QApplication.instance().exit(0 if ok else 1)  # type: ignore[union-attr]


def start_demo(window: MainWindow, cases: int, then: Callable[[], None] | None = None) -> None:
    """Create a demo store in a temporary folder and unlock it as the demo chair."""
    ctx = window.ctx
    ctx.demo = True

    def create(progress: Progress) -> tuple[Path, str]:
        result = create_app_demo(progress, cases=cases)
        # Noted in the store thread, at once: a quit before the GUI hears of the store
        # (still creating, result queued) must remove its folder all the same.
        ctx.demo_folder = result[0]
        # And if run_app never reaches its ``finally`` (an exception escaping the event
        # loop's teardown, sys.exit from a slot): at interpreter exit.  Removing twice is
        # harmless.
        atexit.register(remove_demo_folder, result[0])
        return result

    def created(result: tuple[Path, str]) -> None:
        folder, chair = result
        window.unlock_page.reset(store=str(folder), user=chair)
        window.unlock(folder, chair, DEMO_PASSPHRASE)
        if then is not None:
            then()

    box = TaskProgress(_("Creating the demo store…"), window)
    box.follow(ctx.worker.submit_task(create, done=box.then(created),
                                      failed=box.then(window.show_error), progress=box.report))


def remove_demo_folder(store: Path | None) -> None:
    """Remove a demo store's temporary folder (after its session is closed)."""
    if store is None:
        return
    folder = store.parent
    # Only what create_app_demo made: never a folder the user chose.
    if store.name == "store" and folder.name.startswith(DEMO_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


def app_settings() -> QSettings:
    """The app's settings: the platform's own place, or in portable mode an ini file
    beside the program (``app.paths``), so that nothing is written to the profile."""
    ini = paths.settings_file()
    if ini is not None:
        return QSettings(str(ini), QSettings.Format.IniFormat)
    return QSettings("Casustafel", "Casustafel")


def _startup_language(args: argparse.Namespace) -> str:
    """The language for messages before the app context exists."""
    if args.lang:
        return str(args.lang)
    value = str(app_settings().value("language", "nl"))
    return value if value in LANGUAGES else "nl"


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C in the terminal or a SIGTERM (logout) quits like the menu does, so the
    session is closed and a demo folder removed.  Python runs signal handlers only when it
    gets control, hence the timer that hands it control twice a second."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda _n, _f: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(500)


def run_app(argv: Sequence[str]) -> int:
    """Run the desktop app; returns the exit code."""
    # Before a store is unlocked (issue 9): no core files, no dumps of this process.
    hardening.harden_process()
    args = _parse(argv)
    with contextlib.suppress(OSError):  # a read-only home only loses the technical log
        setup_logging()
    existing = QApplication.instance()
    if existing is None:
        set_language(_startup_language(args))
        problem = platform_problem()
        if problem is not None:
            # Instead of Qt's abort: one sentence the user can act on.
            sys.stderr.write(problem + "\n")
            return 1
    app = existing if isinstance(existing, QApplication) else QApplication(["casustafel"])
    app.setApplicationName("Casustafel")
    app.setOrganizationName("Casustafel")
    install_excepthooks()
    ctx = AppContext(app, settings=app_settings())
    if args.lang:
        ctx.set_language(args.lang, persist=False)  # this run only
    window = MainWindow(ctx)
    if args.screenshot:
        window.screenshotter = Screenshotter(window, args.view, args.screenshot)  # type: ignore[attr-defined]
        # The smallest screen the app is made for (issue 13, point 4).
        window.resize(1366, 768)
    window.show()
    if args.demo or args.screenshot:
        start_demo(window, args.cases)
    _quit_on_signals(app)
    try:
        code = app.exec()
        window.table_mode.leave()
        ctx.shutdown()
        # Tear the widgets down while Qt is still alive; leaving it to interpreter shutdown
        # can crash PySide6's garbage collection.
        window.deleteLater()
        app.processEvents()
    finally:
        # After shutdown: the store thread has closed the session and stopped.
        remove_demo_folder(ctx.demo_folder)
    return int(code)
