"""The app at the table and on a locked-down workstation (issue 13): a lock closes every
window and leaves nothing of a case behind, the passphrase goes where it belongs and the
user comes back where they were, the window fits a 1366 x 768 screen, and the beamer keeps
its case when the attendance changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from shiboken6 import Shiboken

import ui.lock
from app.domain.roles import Role
from app.i18n import _
from app.profiles import load_profile
from tests.conftest import PASSPHRASE
from tests.ui.support import (
    CANARY_RE,
    PROFILE,
    TIMEOUT,
    World,
    agenda_refs,
    leaf_items,
    open_case,
    unlock,
    wait_idle,
    widget_texts,
)
from ui.casework.meeting_dialogs import DecisionDialog
from ui.dialogs import ConsentDialog, GrantDialog
from ui.main_window import MainWindow
from ui.main_window import reports as mw_reports
from ui.main_window.workspace import VIEW_CASE
from ui.report_dialog import PreviewDialog, ReportDialog

PROFILE_PARTIES = load_profile(PROFILE)
SCREEN_W, SCREEN_H = 1366, 768
# What a 768 px high screen leaves a window: a task bar and the title bar.
ROOM_H = SCREEN_H - 70


def label(party: str) -> str:
    """A party's English name (the tests run the UI in English)."""
    return PROFILE_PARTIES.party(party).name.get("en")


def _open_without_waiting(monkeypatch: pytest.MonkeyPatch, *classes: type[QDialog]) -> None:
    """Let ``exec()`` of these dialogs open them and return at once ("cancelled"), so the
    test can lock while they are on screen."""
    def exec_(self: QDialog) -> int:
        self.open()
        return 0

    for cls in classes:
        monkeypatch.setattr(cls, "exec", exec_)


def _make_preview(qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
                  ) -> PreviewDialog:
    class Accepting(ReportDialog):
        def exec(self) -> int:  # OK on the defaults
            return 1

    monkeypatch.setattr(mw_reports, "ReportDialog", Accepting)
    window.reporting.make_report()
    # The dialog opens once the service said which kinds and recipients are allowed; a
    # table version that would be empty is made after a warning (issue 13, point 8).
    qtbot.waitUntil(lambda: window.reporting.preview is not None
                    or window.reporting.warning is not None, timeout=30_000)
    if window.reporting.preview is None:
        warning = window.reporting.warning
        assert warning is not None
        warning.accept()
        qtbot.waitUntil(lambda: window.reporting.preview is not None, timeout=30_000)
    monkeypatch.setattr(mw_reports, "ReportDialog", ReportDialog)
    preview = window.reporting.preview
    assert preview is not None
    qtbot.waitExposed(preview)
    return preview


def _app_windows(window: MainWindow) -> list[QWidget]:
    """Every live top-level widget: ours, and any other this test left."""
    return [w for w in QApplication.topLevelWidgets() if Shiboken.isValid(w) and w is not window]


def _texts(root: QWidget) -> list[str]:
    out: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        out += [str(v) for v in widget_texts(widget) if v]
    return out


def test_lock_closes_every_dialog_and_the_preview_and_leaves_no_case_text(
        qtbot: Any, world: World, store: Path, make_window: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    refs = agenda_refs(window)
    open_case(qtbot, window, refs[0])
    values = [item.text(0) for item in leaf_items(window.case_widget.items)]
    secret = f"{refs[0]} {next(v for v in values if CANARY_RE.search(v))}"
    preview = _make_preview(qtbot, window, monkeypatch)
    assert preview.report is not None
    preview._save()  # the "Save…" button: the file dialog is open, nothing chosen yet
    save = preview.findChild(QFileDialog)
    assert save is not None
    assert save.isVisible()
    # Decision, progress and action are casework forms, opened with open() already.
    _open_without_waiting(monkeypatch, GrantDialog, ConsentDialog, ReportDialog)
    for slot in (window.edits.record_decision, window.edits.add_progress,
                 window.edits.add_action, window.edits.share, window.edits.record_consent,
                 window.reporting.make_report):
        slot()
    # The report dialog opens after the store thread answered which reports are allowed.
    qtbot.waitUntil(lambda: any(isinstance(w, ReportDialog) and w.isVisible()
                                for w in _app_windows(window)), timeout=TIMEOUT)
    box = QMessageBox(QMessageBox.Icon.Warning, "Casustafel", secret,
                      QMessageBox.StandardButton.Ok, window)
    box.open()
    dialogs = [w for w in _app_windows(window) if isinstance(w, QDialog) and w.isVisible()]
    kinds = {type(d).__name__ for d in dialogs}
    assert {"DecisionDialog", "ProgressDialog", "CaseActionDialog", "GrantDialog",
            "ConsentDialog", "ReportDialog", "PreviewDialog", "QFileDialog",
            "QMessageBox"} <= kinds, kinds
    for dialog in dialogs:  # the user was typing case text into every one of them
        for field in dialog.findChildren(QPlainTextEdit):
            field.setPlainText(secret)
        for line in dialog.findChildren(QLineEdit):
            line.setText(secret)

    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        window.lock()
    # "Save" chosen after the lock saves nothing: the PDF is gone from the preview.
    assert preview.report is None
    late = tmp_path / "after-lock.pdf"
    preview.save_chosen(str(late))
    wait_idle(qtbot, window)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(20)
    assert not late.exists()
    assert not Shiboken.isValid(preview)  # closed and deleted
    assert window.reporting.preview is None
    def case_text(text: str) -> bool:
        return bool(CANARY_RE.search(text)) or secret in text or any(r in text for r in refs)

    leftovers = []
    for widget in _app_windows(window):
        assert not widget.isVisible(), type(widget).__name__
        leftovers += [(type(widget).__name__, t) for t in _texts(widget) if case_text(t)]
        assert not [label for label in widget.findChildren(QLabel)
                    if not label.pixmap().isNull()], "a page of the preview is still there"
    leftovers += [("MainWindow", t) for t in _texts(window) if case_text(t)]
    assert leftovers == []


@pytest.mark.parametrize("where", ["dialog", "preview"])
def test_ctrl_l_locks_from_every_window(qtbot: Any, world: World, store: Path,
                                        make_window: Any, monkeypatch: pytest.MonkeyPatch,
                                        where: str) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, agenda_refs(window)[0])
    if where == "preview":
        target: QWidget = _make_preview(qtbot, window, monkeypatch)
    else:
        window.edits.record_decision()
        (target,) = [w for w in _app_windows(window)
                     if isinstance(w, DecisionDialog) and w.isVisible()]
        qtbot.waitExposed(target)
    target.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is target, timeout=TIMEOUT)
    focus = QApplication.focusWidget() or target
    with qtbot.waitSignal(window.locked, timeout=2_000):
        qtbot.keyClick(focus, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not target.isVisible()


def test_after_a_lock_the_passphrase_goes_into_the_passphrase_field(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    page = window.unlock_page
    unlock(qtbot, window, store, world.chair)
    reference = agenda_refs(window)[1]
    open_case(qtbot, window, reference)
    window.case_widget.tabs.setCurrentIndex(1)  # Information
    window.activateWindow()
    window.case_widget.items.setFocus()
    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        qtbot.keyClick(window.case_widget.items, Qt.Key.Key_L,
                       Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert page.title.text() == _("Locked — unlock as {user}").format(user=world.chair)
    assert not page.store.isEnabled()
    assert not page.user.isEnabled()
    assert page.other_user.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.passphrase, timeout=TIMEOUT)
    # The password manager's habit: type, Enter, wherever the focus is.
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.keyClicks(QApplication.focusWidget(), PASSPHRASE)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert page.store.currentText() == str(store)
    assert all(PASSPHRASE not in page.store.itemText(i) for i in range(page.store.count()))
    assert page.user.text() == world.chair
    # Back where the user was: the same case, on the same tab.
    assert window.views.currentIndex() == VIEW_CASE
    assert window.reference == reference
    assert window.case_widget.title.text().startswith(reference)
    assert window.case_widget.tabs.currentIndex() == 1


def test_another_user_is_a_deliberate_step(qtbot: Any, world: World, store: Path,
                                           make_window: Any) -> None:
    window = make_window()
    page = window.unlock_page
    unlock(qtbot, window, store, world.chair)
    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        window.lock()
    page.other_user.linkActivated.emit("other")
    assert page.store.isEnabled()
    assert page.user.isEnabled()
    assert page.user.text() == ""
    assert page.store.currentText() == str(store)
    other = world.deelnemers["politie-rotterdam"]
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        page.user.setText(other)
        page.passphrase.setText(PASSPHRASE)
        page.open_button.click()
    wait_idle(qtbot, window)
    assert window.opened is not None
    assert window.opened.user.username == other
    assert window.views.currentIndex() != VIEW_CASE  # nothing of the chair's place


def test_lock_clears_the_primary_selection_the_app_owns(
        qtbot: Any, world: World, store: Path, make_window: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The offscreen platform has no X11 selection: a stand-in clipboard that has one.
    cleared: list[QClipboard.Mode] = []

    class Clipboard:
        def supportsSelection(self) -> bool:  # noqa: N802 - Qt API
            return True

        def ownsSelection(self) -> bool:  # noqa: N802 - Qt API
            return True

        def clear(self, mode: QClipboard.Mode = QClipboard.Mode.Clipboard) -> None:
            cleared.append(mode)

    class App:
        @staticmethod
        def clipboard() -> Clipboard:
            return Clipboard()

    monkeypatch.setattr(ui.lock, "QGuiApplication", App)
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    with qtbot.waitSignal(window.locked, timeout=TIMEOUT):
        window.lock()
    assert QClipboard.Mode.Selection in cleared


# --------------------------------------------------------------------------- the screen

@pytest.mark.parametrize("language", ["nl", "en"])
def test_main_window_fits_1366_by_768(qtbot: Any, world: World, store: Path,
                                      make_window: Any, language: str) -> None:
    window = make_window(language=language)
    window.resize(SCREEN_W, ROOM_H)
    unlock(qtbot, window, store, world.chair)
    refs = agenda_refs(window)

    def check(where: str) -> None:
        QApplication.processEvents()
        for size in (window.minimumSizeHint(), window.minimumSize()):
            assert size.width() <= SCREEN_W, (where, size)
            assert size.height() <= ROOM_H, (where, size)
        window.resize(SCREEN_W, ROOM_H)
        QApplication.processEvents()
        assert window.width() == SCREEN_W, where  # not pushed wider by its contents
        bar = window.statusBar()
        assert bar.isVisible()
        assert window.rect().contains(bar.geometry()), where
        status = window.status
        assert status.isVisible()
        # The viewer's own role and organisation, in full, inside the window.
        assert status.width() >= status.sizeHint().width(), where
        assert status.mapTo(window, status.rect().bottomRight()).x() <= window.width()
        assert _(Role.PROCESREGISSEUR.label) in status.text()

    check("dashboard")
    open_case(qtbot, window, refs[0])
    for tab in range(window.case_widget.tabs.count()):
        window.case_widget.tabs.setCurrentIndex(tab)
        check(f"case tab {tab}")
    window.show_case_list()
    wait_idle(qtbot, window)
    check("case list")
    window.show_meetings()
    check("meetings")


def test_attendance_is_a_compact_scrolling_list(qtbot: Any, world: World, store: Path,
                                                make_window: Any) -> None:
    window = make_window()
    window.resize(SCREEN_W, ROOM_H)
    unlock(qtbot, window, store, world.chair)
    attendance = window.dashboard.attendance
    meeting = window.dashboard.meeting
    assert meeting is not None
    assert attendance.count() == len(meeting.attendees)
    assert attendance.height() <= 100
    assert attendance.minimumSizeHint().width() < 400


# --------------------------------------------------------------------------- the beamer

def _enter_table(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.table_mode.enter()
    wait_idle(qtbot, window)
    assert window.table_mode.view is not None
    qtbot.waitExposed(window.table_mode.view)


def test_beamer_keeps_its_case_across_an_attendance_change(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    refs = agenda_refs(window)
    _enter_table(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    for _step in range(2):
        with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
            table.next_case.emit()
        wait_idle(qtbot, window)
    assert window.dashboard.current_reference() == refs[2]
    # The chair marks a party absent (it leaves the meeting): the view is recomputed.
    item = window.dashboard.attendance_item(world.present[0])
    assert item is not None
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        item.setCheckState(Qt.CheckState.Unchecked)
    wait_idle(qtbot, window)
    assert window.dashboard.meeting is not None
    assert not next(a for a in window.dashboard.meeting.attendees
                    if a.party.id == world.present[0]).present
    assert window.dashboard.current_reference() == refs[2]
    assert table.case.title.text().startswith(refs[2])


def test_beamer_keys_switch_tabs_and_the_notice_is_large(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    reference, party = world.stay  # present, not invited: must leave the room
    window.dashboard.select_reference(reference)
    _enter_table(qtbot, window)
    table = window.table_mode.view
    assert table is not None
    notice = table.case.notice
    assert notice.isVisible()
    assert label(party) in notice.text()
    assert notice.font().pointSize() >= 28
    assert notice.wordWrap()
    # The header does not call the screen safe for the party that must leave.
    assert _("Table view — visible to everyone present: {parties}").split("{")[0] \
        not in table.safe_for.text()
    # A case with content: Tab and the digits switch tabs, the arrows scroll.
    shown = next(r for r in agenda_refs(window) if r != reference)
    window.dashboard.select_reference(shown)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.table_mode.refresh()
    table.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is table, timeout=TIMEOUT)
    if not table.case.tabs.isVisible():
        pytest.skip("the first other case is withheld at this table")
    tabs = table.case.tabs
    start = tabs.currentIndex()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert tabs.currentIndex() != start
    qtbot.keyClick(table, Qt.Key.Key_2)
    assert tabs.currentIndex() == 1
    items = table.case.items
    assert items.wordWrap()
    assert items.horizontalScrollBar().maximum() == 0  # source, date, category: no scrolling
