"""The one application context passed to every window (no globals, git-cola style).

It owns the store worker, the settings, the language, the idle lock and the clipboard
guard.  Settings hold language, idle minutes, window geometry and recent store folders:
never case data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QLibraryInfo, QObject, QSettings, QTimer, QTranslator
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

from app.i18n import LANGUAGES, set_language
from ui.worker import StoreWorker

CLIPBOARD_CLEAR_MS = 30_000
DEFAULT_IDLE_MINUTES = 5


class AppContext(QObject):
    """Shared services of the running app."""

    def __init__(self, app: QApplication, settings: QSettings | None = None) -> None:
        super().__init__()
        self.app = app
        self.settings = settings or QSettings("Casustafel", "Casustafel")
        self.worker = StoreWorker()
        self._qt_translator: QTranslator | None = None
        self._clipboard_text: str | None = None
        self._clipboard_timer = QTimer(self)
        self._clipboard_timer.setSingleShot(True)
        self._clipboard_timer.timeout.connect(self._clear_clipboard)
        self.demo = False
        # The demo store's folder, removed on quit (set from the store thread).
        self.demo_folder: Path | None = None
        self.set_language(self.language)

    # -- language -----------------------------------------------------------------
    @property
    def language(self) -> str:
        """The UI language from the settings (Dutch by default)."""
        value = str(self.settings.value("language", "nl"))
        return value if value in LANGUAGES else "nl"

    def set_language(self, lang: str, *, persist: bool = True) -> None:
        """Switch the app catalog and Qt's own dialogs (``qtbase_*.qm``)."""
        if persist:
            self.settings.setValue("language", lang)
        set_language(lang)
        if self._qt_translator is not None:
            self.app.removeTranslator(self._qt_translator)
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{lang}", folder):
            self.app.installTranslator(translator)
            self._qt_translator = translator

    # -- settings -------------------------------------------------------------------
    @property
    def idle_minutes(self) -> float:
        """Minutes of inactivity before the app locks itself."""
        try:
            return float(str(self.settings.value("idle_minutes", DEFAULT_IDLE_MINUTES)))
        except ValueError:
            return float(DEFAULT_IDLE_MINUTES)

    def recent_stores(self) -> list[str]:
        """Store folders opened before (paths only)."""
        value = self.settings.value("recent_stores", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember_store(self, folder: Path) -> None:
        """Put ``folder`` first in the recent list."""
        recent = [str(folder)] + [s for s in self.recent_stores() if s != str(folder)]
        self.settings.setValue("recent_stores", recent[:8])

    def geometry(self, key: str) -> QByteArray | None:
        """A saved window geometry."""
        value = self.settings.value(f"geometry/{key}")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, key: str, value: QByteArray) -> None:
        """Remember a window geometry."""
        self.settings.setValue(f"geometry/{key}", value)

    # -- clipboard ----------------------------------------------------------------
    def copy_to_clipboard(self, text: str) -> None:
        """Copy case data; it is wiped from the clipboard after 30 seconds."""
        QGuiApplication.clipboard().setText(text, QClipboard.Mode.Clipboard)
        self._clipboard_text = text
        self._clipboard_timer.start(CLIPBOARD_CLEAR_MS)

    def _clear_clipboard(self) -> None:
        clipboard = QGuiApplication.clipboard()
        # Only wipe what we put there: the user may have copied something else since.
        if self._clipboard_text is not None and clipboard.text() == self._clipboard_text:
            clipboard.clear()
        self._clipboard_text = None

    def clear_clipboard_now(self) -> None:
        """On lock: wipe our copy at once."""
        self._clipboard_timer.stop()
        self._clear_clipboard()

    def shutdown(self) -> None:
        """Close the session and stop the worker."""
        self.clear_clipboard_now()
        self.worker.shutdown()


class IdleWatcher(QObject):
    """Calls ``on_idle`` after ``minutes`` without keyboard or mouse input."""

    def __init__(self, app: QApplication, minutes: float, on_idle: Callable[[], None]) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(on_idle)
        self.set_minutes(minutes)
        app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        """Change the idle time (restarts the countdown)."""
        self._interval = max(1, int(minutes * 60_000))
        self._timer.start(self._interval)

    def restart(self) -> None:
        """Start counting again (after unlock)."""
        self._timer.start(self._interval)

    def eventFilter(self, watched: QObject, event: object) -> bool:  # noqa: N802 - Qt API
        from PySide6.QtCore import QEvent

        if isinstance(event, QEvent) and event.type() in {
            QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
        }:
            self._timer.start(self._interval)
        return False
