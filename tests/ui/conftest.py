"""Fixtures for the UI tests: one demo store per module, a fresh copy per test, windows
with their own ini-file settings, torn down with their store thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from app.i18n import current_language, set_language
from tests.conftest import DemoStoreFactory, DemoStores
from tests.ui.support import UI_DEMO, World, build_world
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture(scope="module")
def world(demo_stores: DemoStores) -> World:
    """The pristine demo store of this module (tests copy it before opening it)."""
    return build_world(demo_stores.pristine(UI_DEMO))


@pytest.fixture
def store(world: World, demo_store: DemoStoreFactory) -> Path:
    """A private copy of the demo store for one test."""
    return demo_store(UI_DEMO)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in an ini file of this test (English UI unless a test says otherwise)."""
    values = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    values.setValue("language", "en")
    return values


@pytest.fixture
def make_context(qapp: Any, settings: QSettings) -> Iterator[Callable[..., AppContext]]:
    """AppContext factory: ``make_context(idle_minutes=0.005, language="nl")``."""
    made: list[AppContext] = []
    language = current_language()

    def make(**values: object) -> AppContext:
        for key, value in values.items():
            settings.setValue(key, value)
        ctx = AppContext(qapp, settings)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.shutdown()
        translator = getattr(ctx, "_qt_translator", None)
        if translator is not None:
            qapp.removeTranslator(translator)
    set_language(language)


@pytest.fixture
def make_window(qtbot: Any, qapp: Any,
                make_context: Callable[..., AppContext]) -> Iterator[Callable[..., MainWindow]]:
    """MainWindow factory (shown); the store thread is shut down after the test."""
    made: list[MainWindow] = []

    def make(**values: object) -> MainWindow:
        window = MainWindow(make_context(**values))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        # The idle watcher is an application-wide event filter with its own timer: stop it
        # so it cannot lock a window of a later test.
        window.idle._timer.stop()
        qapp.removeEventFilter(window.idle)
        window.table_mode.leave()
