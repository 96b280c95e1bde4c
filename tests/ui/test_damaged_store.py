"""A damaged store in the desktop app (issue 9, hardening; the CLI's exit 5 "store damaged").

A page damaged in the middle of the database file passes the key check at unlock and fails
its SQLCipher HMAC only when a query reads it.  The desktop app then says "store damaged"
in the user's language with what to do (close, ask the administrator to restore a backup),
on the unlock page or in a message box, never the generic "something went wrong", the
driver's text or a traceback.  The page is damaged as tests/app/cli/test_cli_hardening.py
does: 200 bytes in the middle of a table's root page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import StoreError
from app.i18n import _, language
from app.services.damage import store_damage
from tests.app.cli.test_cli_hardening import _connect, _damage_table
from tests.conftest import PASSPHRASE
from tests.ui.support import TIMEOUT, World, unlock, wait_idle
from ui import errors
from ui.main_window import PAGE_UNLOCK, MainWindow

DAMAGED_EN = ("Store damaged: part of the store's database file cannot be read. Close "
              "Casustafel and ask the administrator to restore the store from a backup; do "
              "not go on working in it or copy files over it yourself.")


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]


def _no_internals(text: str) -> None:
    for word in ("Traceback", "DatabaseError", "sqlcipher", "malformed", "HMAC",
                 _(errors.GENERIC)):
        assert word not in text


def test_the_sentence_says_store_damaged_and_what_to_do(store: Path) -> None:
    """The driver's own error (as a query raises it on a damaged page) and the CLI's
    ``store.damaged`` both become the one desktop sentence, in English and in Dutch; any
    other failure stays the generic one."""
    _damage_table(store, "cases")
    conn = _connect(store)
    try:
        with pytest.raises(sqlcipher3.DatabaseError) as raised:
            conn.execute("SELECT * FROM cases").fetchall()
    finally:
        conn.close()
    assert store_damage(raised.value) is not None
    assert errors.message_for(raised.value) == DAMAGED_EN
    cli_error = StoreError("store.damaged", "The store's database file is damaged; restore "
                           "it from a backup.")
    assert errors.message_for(cli_error) == DAMAGED_EN
    assert errors.message_for(RuntimeError("no such table")) == _(errors.GENERIC)
    with language("nl"):
        dutch = errors.message_for(raised.value)
        assert dutch == _(errors.DAMAGED)
    _no_internals(dutch)


@pytest.mark.parametrize("table", ["meetings", "cases"])
def test_a_damaged_page_met_after_unlock_shows_store_damaged(
        qtbot: Any, make_window: Any, store: Path, world: World, table: str) -> None:
    """Issue 9, hardening: the chair unlocks a store whose ``table`` has a damaged page;
    the first screen that reads it shows "store damaged" with what to do (on the unlock
    page or in a message box), never the generic message or the driver's text."""
    _damage_table(store, table)
    window: MainWindow = make_window()
    window.unlock(store, world.chair, PASSPHRASE)

    def shown() -> str:
        boxes = _boxes()
        if boxes:
            return "\n".join(b.text() + b.informativeText() + b.detailedText() for b in boxes)
        if window.pages.currentIndex() == PAGE_UNLOCK:
            return str(window.unlock_page.error.text())
        return ""

    qtbot.waitUntil(lambda: shown() != "", timeout=TIMEOUT)
    wait_idle(qtbot, window)
    text = shown()
    assert text == DAMAGED_EN
    _no_internals(text)
    for box in _boxes():
        box.button(QMessageBox.StandardButton.Ok).click()


def test_a_damaged_page_met_while_working_shows_store_damaged_in_a_box(
        qtbot: Any, make_window: Any, store: Path, world: World) -> None:
    """Issue 9, hardening: the unlock and the meeting read fine, the goals of the plan van
    aanpak lie on a damaged page; opening a case shows one message box saying "store
    damaged" with what to do, and no traceback or driver text anywhere."""
    _damage_table(store, "goals")
    window: MainWindow = make_window()
    unlock(qtbot, window, store, world.chair)
    assert not _boxes()
    window.open_case(world.agenda_refs()[0])
    qtbot.waitUntil(lambda: len(_boxes()) == 1, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    (box,) = _boxes()
    assert box.text() == DAMAGED_EN
    _no_internals("\n".join((box.text(), box.informativeText(), box.detailedText(),
                             box.toolTip(), box.accessibleDescription())))
    box.button(QMessageBox.StandardButton.Ok).click()
