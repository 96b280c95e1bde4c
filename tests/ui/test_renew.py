"""First login of a user an administrator added: the window asks for their own
passphrase, renews their keys, and then opens as usual (issue 9, hardening)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.domain.roles import Role
from app.services import admin
from app.services.session import Session
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui.support import TIMEOUT, World, wait_idle
from ui import main_window as main_window_module
from ui.renew import OwnPassphraseDialog

FIRST = "set by the administrator 1"
OWN = "my very own passphrase"


def _add_participant(store: Path) -> str:
    with Session.open(store, "beheer", PASSPHRASE, kdf=TEST_KDF) as session:
        admin.add_user(session, username="nieuw", display_name="Nieuwe Collega",
                       role=Role.DEELNEMER, party_id="politie-rotterdam", passphrase=FIRST)
    return "nieuw"


def test_a_new_user_chooses_their_own_passphrase_at_first_login(
        qtbot: Any, world: World, store: Path, make_window: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The window does not stop at "choose your own passphrase first": it asks for one,
    renews the keys and opens; afterwards only the new passphrase opens the store."""
    del world
    user = _add_participant(store)
    asked: list[bool] = []

    def answer(_parent: object, submit: Any) -> None:
        asked.append(True)
        submit(OWN)

    monkeypatch.setattr(main_window_module, "ask_own_passphrase", answer)
    window = make_window()
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.unlock(store, user, FIRST)
    wait_idle(qtbot, window)
    assert asked == [True]
    assert window.opened is not None
    assert window.opened.user.username == user
    window.lock()
    wait_idle(qtbot, window)
    with Session.open(store, user, OWN, kdf=TEST_KDF) as session:
        assert not session.must_renew


def test_the_dialog_keeps_what_was_typed_when_the_two_entries_differ(qapp: Any) -> None:
    """Two different entries are refused at the field, nothing typed is lost."""
    del qapp
    dialog = OwnPassphraseDialog()
    dialog.first.setText(OWN)
    dialog.second.setText(OWN + "x")
    dialog.accept()
    assert dialog.result() != OwnPassphraseDialog.DialogCode.Accepted
    assert dialog.error.text()
    assert dialog.first.text() == OWN
    dialog.second.setText(OWN)
    dialog.accept()
    assert dialog.result() == OwnPassphraseDialog.DialogCode.Accepted
    assert dialog.passphrase() == OWN
    assert dialog.first.text() == ""
