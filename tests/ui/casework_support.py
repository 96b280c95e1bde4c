"""Helpers for the casework UI tests: a store with users but no cases, and driving the
casework forms of the window."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog

from app.domain.roles import Role
from app.services import admin
from app.services.session import Session
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui.support import TIMEOUT, wait_idle

PROFILE = "zvh-rotterdam-rijnmond"
FIRST = "set by the administrator 1"
OWN = "my very own passphrase 2"
CHAIR, NOTULIST = "regisseur", "notulist"
RDAM, POLICE, GGZ, HALT, SCHIEDAM = ("gemeente-rotterdam", "politie-rotterdam", "ggz-antes",
                                     "halt", "gemeente-schiedam")
# username -> (role, party)
USERS = {
    CHAIR: (Role.PROCESREGISSEUR, RDAM),
    NOTULIST: (Role.NOTULIST, RDAM),
    "agent": (Role.DEELNEMER, POLICE),
    "ggz": (Role.DEELNEMER, GGZ),
    "halt": (Role.DEELNEMER, HALT),
    "schiedam": (Role.DEELNEMER, SCHIEDAM),
}

D = TypeVar("D", bound=QDialog)


def build_empty_store(folder: Path) -> Path:
    """A store with its administrator and the users above, no cases; every user has
    chosen their own passphrase ``OWN`` (first login after the administrator added them)."""
    with admin.init_store(folder, profile_id=PROFILE, admin_username="beheer",
                          admin_display_name="Beheer", admin_party=RDAM,
                          passphrase=PASSPHRASE, kdf=TEST_KDF) as session:
        for username, (role, party) in USERS.items():
            admin.add_user(session, username=username, display_name=username.title(),
                           role=role, party_id=party, passphrase=FIRST)
    for username in USERS:
        with Session.open(folder, username, FIRST, kdf=TEST_KDF) as session:
            admin.change_passphrase(session, FIRST, OWN)
    return folder


def copy_store(pristine: Path, dest: Path) -> Path:
    """A private copy of the pristine store (without backups)."""
    shutil.copytree(pristine, dest, ignore=shutil.ignore_patterns("backups"))
    return dest


def open_as(folder: Path, username: str) -> Session:
    """A test-thread session (the window must be locked)."""
    return Session.open(folder, username, OWN, kdf=TEST_KDF)


def open_form(qtbot: Any, window: Any, action: QAction, cls: type[D]) -> D:
    """Trigger a menu entry and wait until its form is open."""
    assert action.isEnabled(), action.text()
    wait_idle(qtbot, window)
    before = window.casework.dialog
    action.trigger()
    qtbot.waitUntil(lambda: window.casework.dialog is not before
                    and isinstance(window.casework.dialog, cls)
                    and window.casework.dialog.isVisible(), timeout=TIMEOUT)
    dialog: D = window.casework.dialog
    return dialog


def choose(combo: QComboBox, key: str) -> None:
    """Choose the entry with data ``key``."""
    index = combo.findData(key)
    assert index >= 0, key
    combo.setCurrentIndex(index)


def combo_ids(combo: QComboBox) -> list[str]:
    """The ids a chooser offers (without an empty "choose" entry)."""
    return [str(combo.itemData(i)) for i in range(combo.count()) if combo.itemData(i)]
