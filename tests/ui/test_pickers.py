"""Party pickers that do not widen who knows the case (issue 13, point 3; ZVH 13.2).

The owner of an action and the recipient of a grant are chosen from the case's own
parties, sorted by name and searchable by typing; a typed name selects exactly that party
or nothing; another covenant party is offered only after ticking "other parties", and
choosing it asks first, naming what it will see — No changes nothing.  The share dialog
starts with no recipient and nothing to share, and refuses OK until both are chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

from app.i18n import _
from app.services import involvement
from app.views import CaseView, PartyRef
from tests.ui.support import TIMEOUT, World, agenda_refs, open_case, unlock, wait_idle
from ui.casework.forms import chosen
from ui.casework.plan_dialogs import CaseActionDialog
from ui.dialogs import ActionDialog, GrantDialog
from ui.main_window import MainWindow


def _case(qtbot: Any, window: MainWindow, store: Path, world: World
          ) -> tuple[CaseView, list[PartyRef]]:
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, agenda_refs(window)[0])
    view, opened = window.case_widget.view, window.opened
    assert view is not None
    assert opened is not None
    return view, list(opened.parties)


def _offered(combo: Any) -> list[tuple[str, str]]:
    return [(str(combo.itemData(i)), combo.itemText(i)) for i in range(combo.count())
            if combo.itemData(i)]


def _type(qtbot: Any, combo: Any, text: str) -> None:
    line = combo.lineEdit()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)


def _new_party(view: CaseView, covenant: list[PartyRef]) -> PartyRef:
    """A party not involved whose name begins like another's (the slip of the issue)."""
    others = involvement.other_parties(view, covenant)
    for party in others:
        head = party.label().split()[0]
        if sum(p.label().startswith(head) for p in covenant) > 1:
            return party
    return others[0]


def test_owner_picker_is_sorted_limited_to_the_case_and_filters_on_typed_text_zvh_13_2(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    view, covenant = _case(qtbot, window, store, world)
    dialog = ActionDialog(view, covenant, window)
    qtbot.addWidget(dialog)
    offered = _offered(dialog.owner)
    labels = [label for _id, label in offered]
    assert labels == sorted(labels, key=str.casefold)
    assert {key for key, _l in offered} == {p.id for p in view.parties}
    assert len(covenant) > len(offered)  # the covenant's other parties are not offered
    assert chosen(dialog.owner) == ""  # nothing chosen until the user chooses
    # Typing part of a name (not its start) offers the names containing it.
    target = labels[-1]
    part = target[2:6]
    dialog.show()
    _type(qtbot, dialog.owner, part)
    completer = dialog.owner.completer()
    assert completer.filterMode() == Qt.MatchFlag.MatchContains
    found = []
    for row in range(completer.completionCount()):
        completer.setCurrentRow(row)
        found.append(completer.currentCompletion())
    assert target in found
    assert all(part.casefold() in name.casefold() for name in found)
    # The other parties come only with the box ticked, after the case's own.
    dialog.owner_choice.others.setChecked(True)
    offered_all = _offered(dialog.owner)
    assert offered_all[:len(offered)] == offered
    assert {k for k, _l in offered_all} == {p.id for p in covenant}


def test_typed_party_name_selects_exactly_that_party_or_nothing_zvh_13_2(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    view, covenant = _case(qtbot, window, store, world)
    dialog = ActionDialog(view, covenant, window)
    qtbot.addWidget(dialog)
    dialog.show()
    for key, label in _offered(dialog.owner):
        _type(qtbot, dialog.owner, label)
        assert chosen(dialog.owner) == key, label
    new = _new_party(view, covenant)
    # Not offered: typing its full name chooses nothing, never another party.
    _type(qtbot, dialog.owner, new.label())
    assert chosen(dialog.owner) == ""
    _type(qtbot, dialog.owner, new.label().split()[0])  # only its first word
    assert chosen(dialog.owner) == ""
    dialog.owner_choice.others.setChecked(True)
    _type(qtbot, dialog.owner, new.label())
    assert chosen(dialog.owner) == new.id
    _type(qtbot, dialog.owner, new.label().split()[0])
    assert chosen(dialog.owner) in {"", *(p.id for p in covenant
                                          if p.label() == new.label().split()[0])}
    # Keyboard only: type a part, pick the completion with ↓ and Enter.
    _type(qtbot, dialog.owner, new.label()[1:])
    popup = dialog.owner.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=TIMEOUT)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert chosen(dialog.owner) == new.id


def _drive(qtbot: Any, window: MainWindow, fill: Callable[[CaseActionDialog], None],
           answer: QMessageBox.StandardButton, seen: dict[str, Any]) -> CaseActionDialog:
    """"Add action…" on the case screen: fill its form, press OK and answer the
    confirmation; returns the form (open after No, closing once the write succeeded)."""
    form = window.edits.add_action()
    assert isinstance(form, CaseActionDialog)
    qtbot.waitExposed(form)
    fill(form)

    def reply() -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        seen["question"] = box.text() + "\n" + box.informativeText()
        seen["default"] = box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        box.button(answer).click()

    QTimer.singleShot(0, reply)
    form.ok_button.click()  # the question is asked (and answered) before anything runs
    assert "question" in seen
    return form


def test_choosing_a_party_not_involved_asks_naming_what_it_will_see_and_no_changes_nothing(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    """ZVH 13.2: owning an action makes a party involved; that is an explicit act."""
    window = make_window()
    view, covenant = _case(qtbot, window, store, world)
    new = _new_party(view, covenant)
    actions_before = len(view.actions)

    def fill(dialog: CaseActionDialog) -> None:
        dialog.text.setPlainText("Actie picker-test")
        dialog.owner_choice.others.setChecked(True)
        _type(qtbot, dialog.owner, new.label())

    seen: dict[str, Any] = {}
    form = _drive(qtbot, window, fill, QMessageBox.StandardButton.No, seen)
    wait_idle(qtbot, window)
    seen["open_after"] = form.isVisible()
    form.reject()
    assert new.label() in seen["question"]
    for kind in involvement.would_see(view, new.id):
        assert kind in seen["question"]
    assert _(involvement.SEES_ACTIONS) in seen["question"] or not view.actions
    assert seen["default"], "No is the default answer"
    assert seen["open_after"], "No keeps the dialog open, nothing written"
    open_case(qtbot, window, view.reference)
    after = window.case_widget.view
    assert after is not None
    assert not involvement.is_involved(after, new.id)
    assert len(after.actions) == actions_before
    # Yes: the action is written and the party is involved from then on.
    seen.clear()
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        form = _drive(qtbot, window, fill, QMessageBox.StandardButton.Yes, seen)
    wait_idle(qtbot, window)
    assert not form.isVisible()
    after = window.case_widget.view
    assert after is not None
    assert involvement.is_involved(after, new.id)
    assert any(a.owner.id == new.id for a in after.actions)


def test_share_dialog_starts_with_no_recipient_and_refuses_ok_without_one_zvh_3_5d(
        qtbot: Any, world: World, store: Path, make_window: Any) -> None:
    window = make_window()
    view, covenant = _case(qtbot, window, store, world)
    opened = window.opened
    assert opened is not None
    dialog = GrantDialog(view, opened.user.party_id, covenant, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert chosen(dialog.recipient) == ""
    assert dialog.scope.currentData() is None  # not "all my items"
    offered = {key for key, _l in _offered(dialog.recipient)}
    assert offered <= {p.id for p in view.parties}
    assert opened.user.party_id not in offered
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == _("Choose the party to share with.")
    # With a recipient but still nothing chosen to share: refused as well.
    key, label = _offered(dialog.recipient)[0]
    _type(qtbot, dialog.recipient, label)
    assert chosen(dialog.recipient) == key
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.error.text() == _("Choose what to share.")
