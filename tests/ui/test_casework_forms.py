"""The validated form (ui/casework/forms.py, issue 13 point 7): a refusal is shown in the
open dialog at the field it names, nothing typed is lost, Ctrl+Enter submits, Tab moves on,
and every field says which field it is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from app.errors import AccessDeniedError, InputError
from app.i18n import N_
from ui.casework.forms import FormDialog, Job
from ui.casework.meeting_dialogs import DecisionDialog, NoteDialog, PlanMeetingDialog

TEXT = "Politie en GGZ gaan samen op huisbezoek"


class FakeRunner:
    """Answers each job with the next error (or success) given, synchronously."""

    def __init__(self, *answers: BaseException | object) -> None:
        self.answers = list(answers)
        self.jobs: list[Job] = []

    def __call__(self, job: Job, done: Any, failed: Any) -> None:
        self.jobs.append(job)
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            failed(answer)
        else:
            done(answer)


def _shown(qtbot: Any, dialog: FormDialog) -> FormDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def test_a_refusal_stays_in_the_dialog_at_its_field_with_the_text_kept(qtbot: Any) -> None:
    """The service's sentence appears under the field its code names, the focus goes
    there, the dialog stays open with what was typed; the next OK that succeeds closes
    it and hands the result on."""
    results: list[object] = []
    run = FakeRunner(InputError("decision.empty", N_("A decision must not be empty.")), 7)
    dialog = _shown(qtbot, DecisionDialog("ZVH-1", None, run, done=results.append))
    dialog.text.setPlainText(TEXT)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("text") == "A decision must not be empty."
    assert dialog.error_text() == ""
    assert dialog.text.toPlainText() == TEXT
    assert dialog.text.accessibleDescription() == "A decision must not be empty."
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == FormDialog.DialogCode.Accepted
    assert results == [7]
    assert dialog.error_text("text") == ""


def test_an_error_naming_no_field_is_shown_at_the_top(qtbot: Any) -> None:
    """A refusal of the role names no field: one line at the top, the dialog open."""
    run = FakeRunner(AccessDeniedError("access.role", N_("Your role may not do this.")))
    dialog = _shown(qtbot, NoteDialog("ZVH-1", 3, run))
    dialog.text.setPlainText(TEXT)
    dialog.submit()
    assert dialog.isVisible()
    assert dialog.error_text() == "Your role may not do this."
    assert dialog.top_error.isVisible()
    assert dialog.text.toPlainText() == TEXT


def test_ctrl_enter_submits_from_a_multi_line_field_and_tab_moves_on(qtbot: Any) -> None:
    """Keyboard only: Tab leaves the text field for the next one (no tab typed), and
    Ctrl+Enter inside the text field submits."""
    run = FakeRunner(1)
    dialog = _shown(qtbot, DecisionDialog("ZVH-1", None, run))
    dialog.text.setFocus()
    qtbot.waitUntil(dialog.text.hasFocus)
    QTest.keyClicks(dialog.text, TEXT)
    QTest.keyClick(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == TEXT
    qtbot.waitUntil(lambda: dialog.decided_on.hasFocus()
                    or dialog.decided_on.isAncestorOf(QApplication.focusWidget()))
    QTest.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(run.jobs) == 1
    assert not dialog.isVisible()


def test_enter_in_a_line_field_submits_once_and_keeps_the_form_on_error(qtbot: Any) -> None:
    """Enter submits (the default button) and a refusal about the minute taker is shown
    at that field; the place typed stays."""
    run = FakeRunner(InputError("meeting.notulist", N_("This user is not a minute taker.")))
    dialog = _shown(qtbot, PlanMeetingDialog(run))
    dialog.place.setText("Stadhuis")
    dialog.notulist.setText("nobody")
    dialog.place.setFocus()
    qtbot.waitUntil(dialog.place.hasFocus)
    QTest.keyClick(dialog.place, Qt.Key.Key_Return)
    assert len(run.jobs) == 1
    assert dialog.isVisible()
    assert dialog.error_text("notulist") == "This user is not a minute taker."
    assert dialog.place.text() == "Stadhuis"


def test_every_field_is_named_by_its_label(qtbot: Any) -> None:
    """Each field's accessible name is its label's text and the label is its buddy."""
    for dialog in (PlanMeetingDialog(FakeRunner()), DecisionDialog("ZVH-1", None, FakeRunner()),
                   NoteDialog("ZVH-1", 1, FakeRunner())):
        qtbot.addWidget(dialog)
        captions = {label.buddy(): label.text() for label in dialog.findChildren(QLabel)
                    if label.buddy() is not None}
        assert dialog.fields
        for key, widget in dialog.fields.items():
            assert widget.accessibleName(), key
            assert captions[widget] == widget.accessibleName(), key
