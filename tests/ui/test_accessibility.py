"""Accessibility and habits (issue 13, point 10): every field says which field it is, the
tab order follows the screen, a Help menu with the shortcuts and an About box, a visible
way back from a case, and a demo banner that lists the demo users by role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app import __version__
from app.services import admin
from app.views import ReportKind, ReportOption
from tests.ui.support import TIMEOUT, World, open_case, open_session, unlock, wait_idle
from ui.case_view import CaseWidget
from ui.casework.meeting_dialogs import PlanMeetingDialog
from ui.main_window.actions import about_text, shortcut_lines
from ui.main_window.demo import banner_text
from ui.main_window.workspace import VIEW_CASE, VIEW_DASHBOARD
from ui.report_dialog import ReportDialog
from ui.widgets import ValueLabel

FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox,
          QAbstractItemView)
GENERIC = {"", "Field", "Veld", "Masked field", "Afgeschermd veld"}


def _fields(root: QWidget) -> list[QWidget]:
    found = [w for w in root.findChildren(QWidget) if isinstance(w, FIELDS)
             and not isinstance(w, QHeaderView)]  # a header is part of its view
    # The line edit inside an editable combo or a spin box is part of that field.
    def inner(widget: QWidget) -> bool:
        parent = widget.parentWidget()
        return isinstance(parent, (QComboBox, QAbstractSpinBox)) or (
            isinstance(widget, QAbstractItemView) and parent is not None
            and parent.inherits("QComboBoxPrivateContainer"))

    return [w for w in found if not inner(w) and w.window() is root.window()]


def test_case_screen_fields_say_which_field_they_are(qtbot: Any, world: World, store: Path,
                                                     make_window: Any) -> None:
    """Each value on the overview tab is named after its row ("Process director"), never
    "Field"; every input and list of the window has a name of its own."""
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, world.agenda_refs()[0])
    case = window.case_widget
    labels = case.findChildren(ValueLabel)
    assert labels
    for label in labels:
        assert label.accessibleName() not in GENERIC
        form = label.parentWidget().layout()
        assert isinstance(form, QFormLayout)
        caption = form.labelForField(label)
        assert isinstance(caption, QLabel)
        assert caption.text() in label.accessibleName()
    unnamed = [f"{type(f).__name__}:{f.objectName()}"
               for f in _fields(window) if f.accessibleName() in GENERIC]
    assert unnamed == []


def _chain(dialog: QWidget, first: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``first`` until it comes round again."""
    seen: list[QWidget] = []
    widget: QWidget | None = first
    while widget is not None and widget not in seen:
        seen.append(widget)
        widget = widget.nextInFocusChain()
        while widget is not None and not (
                widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                and widget.isEnabled() and widget.focusProxy() is None
                and widget.window() is dialog):
            widget = widget.nextInFocusChain()
    return seen


def test_tab_order_follows_the_screen(qtbot: Any) -> None:
    """In a form, Tab goes down the fields in the order they are shown, then to the
    buttons; every field on the way has its label's name."""
    dialog = PlanMeetingDialog(lambda *_args: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fields = list(dialog.fields.values())
    chain = _chain(dialog, fields[0])
    inputs = [w for w in chain if not isinstance(w, QAbstractButton)]
    assert inputs[:len(fields)] == fields
    tops = [w.mapTo(dialog, QPoint(0, 0)).y() for w in chain]
    assert tops == sorted(tops)  # never back up the screen
    assert isinstance(chain[-1], QAbstractButton)
    for key, widget in dialog.fields.items():
        assert widget.accessibleName() not in GENERIC, key


def test_report_dialog_fields_are_named_and_in_order(qtbot: Any) -> None:
    options = (ReportOption(ReportKind.PLAN, True, frozenset()),
               ReportOption(ReportKind.PROGRESS, True, frozenset()))
    dialog = ReportDialog(options, [], "en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.kind.setCurrentIndex(1)  # the progress report: the period fields are enabled
    for field in _fields(dialog):
        assert field.accessibleName() not in GENERIC
    chain = _chain(dialog, dialog.kind)
    tops = [w.mapTo(dialog, QPoint(0, 0)).y() for w in chain]
    assert tops == sorted(tops)


def test_help_menu_has_shortcuts_and_about(qtbot: Any, world: World, store: Path,
                                           make_window: Any) -> None:
    """Help lists the shortcuts (from the menus, so none is forgotten) and the About box
    says the version, the covenant profile and that the app is offline, no telemetry."""
    window = make_window()
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert "Help" in menus
    entries = [a.text() for a in menus["Help"].actions()]
    assert entries == ["Keyboard shortcuts", "About Casustafel"]
    keys = dict(shortcut_lines(window))
    assert keys["Ctrl+L"] == window.a_lock.text()
    assert keys["Ctrl+R"] == window.a_report.text()
    assert "Ctrl+Enter" in keys
    assert "no store open" in about_text(window)
    unlock(qtbot, window, store, world.chair)
    about = about_text(window)
    assert __version__ in about
    assert window.opened.profile_name.get("en") in about
    assert "offline" in about
    assert "no telemetry" in about
    menus["Help"].actions()[1].trigger()
    assert window.help_box is not None
    assert window.help_box.text() == about
    window.help_box.reject()
    menus["Help"].actions()[0].trigger()
    assert "Ctrl+L" in window.help_box.text()
    window.help_box.reject()


def test_case_screen_has_a_visible_way_back(qtbot: Any, world: World, store: Path,
                                            make_window: Any) -> None:
    """A Back button on the case screen itself (not only the toolbar action); not on the
    beamer, where Esc leaves."""
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, world.agenda_refs()[0])
    assert window.views.currentIndex() == VIEW_CASE
    back = window.case_widget.back_button
    assert back.isVisible()
    assert back.accessibleName()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert window.views.currentIndex() == VIEW_DASHBOARD
    beamer = CaseWidget(large=True)
    qtbot.addWidget(beamer)
    assert beamer.back_button.isHidden()


def test_demo_banner_lists_the_demo_users_by_role(qtbot: Any, world: World, store: Path,
                                                  make_window: Any) -> None:
    """The banner names every demo user under their role, with the shared passphrase."""
    session = open_session(store, world.chair)
    try:
        users = admin.list_users(session)
    finally:
        session.close(backup=False)
    window = make_window()
    window.ctx.demo = True
    unlock(qtbot, window, store, world.chair)
    qtbot.waitUntil(lambda: window.demo_users is not None, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    text = window.demo_banner.text()
    assert text == banner_text(users)
    assert window.demo_banner.isVisible()
    assert "Process director: " in text
    # The roles after the heading, one segment each: "Role: user, user; Role: ...".
    segments = text.splitlines()[1].split(": ", 1)[1].split("; ")
    for user in users:
        segment = next(s for s in segments
                       if s.startswith(user.role.label.capitalize() + ": "))
        assert user.username in segment.split(": ", 1)[1].split(", ")
