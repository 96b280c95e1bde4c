"""Uncaught exceptions: the detail goes to the technical log, the screen shows one
translated sentence, never the exception's text or a traceback (ui/errors.py)."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import InputError
from app.i18n import N_, _, language
from ui import errors

SECRET = "CANARY-NAME-1-I1 Jansen, Kerkstraat 1"


def boxes() -> list[QMessageBox]:
    """The message boxes on screen."""
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def box_texts(box: QMessageBox) -> str:
    """Everything a message box shows or tells assistive technology."""
    return "\n".join((box.text(), box.informativeText(), box.detailedText(), box.toolTip(),
                      box.windowTitle(), box.accessibleDescription()))


@pytest.fixture
def hooks(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[logging.LogRecord]]:
    """The app's excepthooks, installed for one test; yields the records logged."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("ui.errors")
    logger.addHandler(handler)
    errors.install_excepthooks()
    yield records
    logger.removeHandler(handler)
    for box in boxes():
        box.button(QMessageBox.StandardButton.Ok).click()


def _raise() -> None:
    raise RuntimeError(SECRET)


def _assert_generic(qtbot: Any, records: list[logging.LogRecord]) -> None:
    qtbot.waitUntil(lambda: len(boxes()) == 1, timeout=5_000)
    (box,) = boxes()
    assert box.text() == _(errors.GENERIC)
    shown = box_texts(box)
    assert "CANARY" not in shown
    assert "Jansen" not in shown
    assert "Traceback" not in shown
    assert "RuntimeError" not in shown
    # The detail is in the technical log.
    assert records, "the uncaught exception is logged"
    exc_info = records[-1].exc_info
    assert exc_info is not None
    assert exc_info[0] is RuntimeError


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_one_generic_sentence(
        qtbot: Any, hooks: list[logging.LogRecord]) -> None:
    with language("nl"):
        QTimer.singleShot(0, _raise)   # uncaught in a Qt slot: PySide6 calls sys.excepthook
        QTimer.singleShot(0, _raise)   # a second one does not stack a second box
        _assert_generic(qtbot, hooks)
        assert _(errors.GENERIC) != errors.GENERIC  # it is the Dutch sentence
        qtbot.wait(50)
        assert len(boxes()) == 1
    assert len(hooks) == 2


def test_an_exception_in_another_thread_shows_one_generic_sentence(
        qtbot: Any, hooks: list[logging.LogRecord]) -> None:
    thread = threading.Thread(target=_raise, name="probe")
    thread.start()
    thread.join()
    _assert_generic(qtbot, hooks)


def test_show_error_shows_a_casus_error_in_its_own_words(qtbot: Any, qapp: Any) -> None:
    error = InputError("probe.code", N_("The number of cases must be at least 1."))
    errors.show_error(None, error)
    try:
        (box,) = boxes()
        assert box.text() == error.user_message()
        assert "probe.code" not in box_texts(box)
    finally:
        for box in boxes():
            box.button(QMessageBox.StandardButton.Ok).click()
