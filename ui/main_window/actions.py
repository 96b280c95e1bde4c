"""The main window's toolbar and menus: the view-as chooser, the actions, and the slots of
the settings menu.

Built onto the window as Qt Designer's ``setupUi`` would: the window declares the
attributes, :func:`setup_actions` creates them.  Each action is one ``_action`` line: text,
shortcut, slot.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QMessageBox

from app.i18n import _
from app.services import meetings
from app.views import MeetingView, ViewSpec
from ui.main_window.workspace import VIEW_CASE

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Keys = str | QKeySequence.StandardKey


def setup_actions(window: MainWindow) -> None:
    """Create the toolbar (view as, table view, lock, report) and the menus on ``window``."""

    def _action(text: str, keys: Keys | None, slot: Callable[[], object]) -> QAction:
        action = QAction(text, window)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        # ``triggered`` passes ``checked``; the slots take no argument.
        action.triggered.connect(lambda _checked=False: slot())
        return action

    toolbar = window.addToolBar(_("View"))
    toolbar.setObjectName("main-toolbar")
    toolbar.addWidget(QLabel(_("View as") + " "))
    window.view_as = QComboBox()
    window.view_as.setAccessibleName(_("View as"))
    window.view_as.currentIndexChanged.connect(lambda _index: view_as_changed(window))
    toolbar.addWidget(window.view_as)
    window.a_table = _action(_("Table view"), "Ctrl+T", window.table_mode.enter)
    window.a_lock = _action(_("Lock"), "Ctrl+L", window.lock)
    window.a_report = _action(_("Make report…"), "Ctrl+R", window.reporting.make_report)
    window.a_back = _action(_("Back to the meeting"), "Alt+Left", window.show_dashboard)
    for action in (window.a_table, window.a_lock, window.a_report):
        toolbar.addAction(action)

    menu = window.menuBar().addMenu(_("&File"))
    menu.addAction(window.a_report)
    menu.addAction(window.a_lock)
    menu.addAction(_action(_("Quit"), QKeySequence.StandardKey.Quit, window.close))
    view_menu = window.menuBar().addMenu(_("&View"))
    view_menu.addAction(window.a_table)
    view_menu.addAction(window.a_back)
    settings = window.menuBar().addMenu(_("&Settings"))
    for lang, label in (("nl", "Nederlands"), ("en", "English")):
        settings.addAction(_action(label, None, functools.partial(set_language, window, lang)))
    settings.addAction(_action(_("Lock after inactivity…"), None,
                               lambda: ask_idle_minutes(window)))


def fill_view_as(window: MainWindow, meeting: MeetingView | None) -> None:
    """The chooser's entries: "Myself", and for the chair each party at ``meeting``."""
    combo = window.view_as
    combo.blockSignals(True)
    combo.clear()
    if meeting is not None:
        combo.addItem(_("Myself"), "")  # never None: PySide6 6.12 mis-counts None item data
        if meeting.is_chair:
            for attendee in meeting.attendees:
                combo.addItem(attendee.party.label(), attendee.party.id)
    combo.blockSignals(False)


def view_as_spec(window: MainWindow) -> ViewSpec:
    """The user's own view, or "view as" the party chosen in the toolbar."""
    party = window.view_as.currentData()
    if party:
        return ViewSpec.as_party(str(party), window.meeting_id)
    return ViewSpec(meeting_id=window.meeting_id)


def view_as_changed(window: MainWindow) -> None:
    """Show the case on screen and the agenda again, as the chosen party sees them."""
    if window.reference and window.views.currentIndex() == VIEW_CASE:
        window.open_case(window.reference)
    if window.meeting_id is not None:
        def shown(meeting: MeetingView) -> None:
            window.dashboard.show_meeting(meeting, can_edit_attendance=meeting.is_chair)
            window.ready.emit()

        meeting_id, spec = window.meeting_id, view_as_spec(window)
        window._run(lambda s: meetings.meeting_view(s, meeting_id, spec), shown)


def set_language(window: MainWindow, lang: str) -> None:
    """Remember the UI language; it applies from the next start."""
    window.ctx.set_language(lang)
    QMessageBox.information(window, "Casustafel",
                            _("The language changes when Casustafel starts again."))


def ask_idle_minutes(window: MainWindow) -> None:
    """Ask after how many minutes without input the window locks itself."""
    minutes, ok = QInputDialog.getInt(
        window, "Casustafel", _("Lock after this many minutes without input:"),
        int(window.ctx.idle_minutes), 1, 60)
    if ok:
        window.ctx.settings.setValue("idle_minutes", minutes)
        window.idle.set_minutes(minutes)
