"""The main window's toolbar and menus: the view-as chooser, the actions, and the slots of
the settings menu.

Built onto the window as Qt Designer's ``setupUi`` would: the window declares the
attributes, :func:`setup_actions` creates them.  Each action is one ``_action`` line: text,
shortcut, slot.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QMenu, QMessageBox

from app import __version__
from app.i18n import _, current_language
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
    languages = settings.addMenu(_("Language"))
    group = QActionGroup(window)
    group.setExclusive(True)
    window.language_actions = {}
    in_force = current_language()
    for lang, label in LANGUAGE_NAMES.items():
        action = _action(label, None, functools.partial(set_language, window, lang))
        action.setCheckable(True)
        # The language on screen is checked; a change applies from the next start.
        action.setChecked(lang == in_force)
        group.addAction(action)
        languages.addAction(action)
        window.language_actions[lang] = action
    settings.addAction(_action(_("Lock after inactivity…"), None,
                               lambda: ask_idle_minutes(window)))
    help_menu = window.menuBar().addMenu(_("&Help"))
    help_menu.addAction(_action(_("Keyboard shortcuts"), QKeySequence.StandardKey.HelpContents,
                                lambda: show_shortcuts(window)))
    help_menu.addAction(_action(_("About Casustafel"), None, lambda: show_about(window)))


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


LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def set_language(window: MainWindow, lang: str) -> None:
    """Remember the UI language for the next start; nothing changes before it.

    Switching in the running app would leave a mix (the widgets already built in one
    language, each new dialog in the other), so the choice is stored and said clearly,
    and the menu keeps the language on screen checked until the restart.
    """
    in_force = current_language()
    window.ctx.settings.setValue("language", lang)
    for code, action in window.language_actions.items():
        action.setChecked(code == in_force)
        pending = code == lang and code != in_force
        action.setText(_("{language} (after restart)").format(language=LANGUAGE_NAMES[code])
                       if pending else LANGUAGE_NAMES[code])
    if lang == in_force:
        text = _("Casustafel stays in {language}.").format(language=LANGUAGE_NAMES[lang])
    else:
        text = _("Casustafel will be in {language} from its next start. Until then "
                 "everything stays in {current}.").format(
                     language=LANGUAGE_NAMES[lang], current=LANGUAGE_NAMES[in_force])
    window.language_notice = _notice(window, _("Language"), text)


def _notice(window: MainWindow, title: str, text: str) -> QMessageBox:
    """A message opened, not exec'd: a lock can close it, and tests can read it."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def shortcut_lines(window: MainWindow) -> list[tuple[str, str]]:
    """``(keys, what)`` for every menu action with a shortcut, then the keys of the
    screens themselves; keys in the platform's notation."""
    lines: list[tuple[str, str]] = []
    seen: set[QAction] = set()
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys and action not in seen:
                seen.add(action)
                lines.append((keys, action.text().replace("&", "")))
    lines += [
        ("Ctrl+Enter", _("Save a form, also from a text field")),
        ("Tab / Shift+Tab", _("Next / previous field")),
        ("Ctrl+C", _("Copy (the clipboard is cleared after 30 seconds and on lock)")),
        (_("PgDn / PgUp, → / ←"), _("Table view: next / previous case")),
        ("Esc", _("Leave the table view; close a dialog")),
    ]
    return lines


def show_shortcuts(window: MainWindow) -> None:
    """The keyboard shortcuts, in a message the lock can close."""
    rows = "".join(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
                   for keys, what in shortcut_lines(window))
    box = _notice(window, _("Keyboard shortcuts"), f"<table cellspacing='4'>{rows}</table>")
    box.setTextFormat(Qt.TextFormat.RichText)
    window.help_box = box


def about_text(window: MainWindow) -> str:
    """Version, covenant profile of the open store, and what the app never does."""
    opened = window.opened
    covenant = (opened.profile_name.get(current_language()) if opened is not None
                else _("no store open"))
    return "\n".join((
        _("Casustafel {version}").format(version=__version__),
        _("Covenant profile: {covenant}").format(covenant=covenant),
        _("Works offline, with no telemetry: nothing leaves this computer unless you save "
          "or print it."),
    ))


def show_about(window: MainWindow) -> None:
    """The About box."""
    window.help_box = _notice(window, _("About Casustafel"), about_text(window))


def ask_idle_minutes(window: MainWindow) -> None:
    """Ask after how many minutes without input the window locks itself."""
    minutes, ok = QInputDialog.getInt(
        window, "Casustafel", _("Lock after this many minutes without input:"),
        int(window.ctx.idle_minutes), 1, 60)
    if ok:
        window.ctx.settings.setValue("idle_minutes", minutes)
        window.idle.set_minutes(minutes)
