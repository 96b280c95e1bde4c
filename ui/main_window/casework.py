"""The "Case" and "Meeting" menus: the casework forms of :mod:`ui.casework`, wired to the
window.

An entry is enabled when the service capabilities say the user may (the case's
:class:`app.views.CaseCapabilities`, the meeting's ``is_chair``); the services check every
write again, and a refusal is shown in the open form.  Each entry first loads what its
form offers in one store call (:mod:`ui.casework.choices`), then opens the form
window-modally (``open()``, not ``exec()``: the store thread and the idle lock go on).
After a write the case or the meeting is shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu
from shiboken6 import Shiboken

from app.i18n import _
from app.services import meetings
from ui.casework import case_dialogs as cd
from ui.casework import edit_dialogs as ed
from ui.casework import meeting_dialogs as md
from ui.casework import plan_dialogs as pd
from ui.casework.choices import (
    CaseChoices,
    MeetingChoices,
    StoreChoices,
    case_choices,
    meeting_choices,
    store_choices,
)
from ui.casework.forms import Done, Failed, Job
from ui.casework.inbox import InboxDialog
from ui.main_window.workspace import VIEW_CASE

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# Which capability enables an entry: a CaseCapabilities field, "chair" (of the meeting on
# screen), "joint_meeting" (record_joint with a meeting on screen) or "store" (any user
# with an open store; the service refuses a role that may not).
_CASE_CAPS = ("act_for_providers", "share_own_items", "record_joint", "joint_meeting")


class Casework(QObject):
    """The casework menus and forms of ``window``."""

    dialog_shown = Signal(object)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None
        self._needs: dict[QAction, str] = {}
        case = window.menuBar().addMenu(_("&Case"))
        self.case_menu = case
        self.a_new_case = self._action(case, _("&New case…"), "Ctrl+N", "store", self.new_case)
        self.a_person = self._action(case, _("Add &person concerned…"), "Ctrl+Shift+B",
                                     "act_for_providers", self._case_form(cd.PersonDialog))
        self.a_item = self._action(case, _("Add &information…"), "Ctrl+I",
                                   "share_own_items", self._case_form(cd.ItemDialog))
        self.a_correct = self._action(case, _("C&orrect information…"), "Ctrl+Shift+I",
                                      "share_own_items", self._case_form(cd.CorrectItemDialog))
        case.addSeparator()
        self.a_phase = self._action(case, _("Next p&hase…"), "Ctrl+Shift+F",
                                    "act_for_providers", self._case_form(cd.PhaseDialog))
        self.a_close = self._action(case, _("&Close case (scale down)…"), None,
                                    "act_for_providers", self._case_form(cd.CloseCaseDialog))
        self.a_regisseur = self._action(case, _("Case &director…"), None, "act_for_providers",
                                        self._case_form(cd.RegisseurDialog))
        self.a_informed = self._action(case, _("Information d&uty…"), None,
                                       "act_for_providers", self._case_form(cd.InformedDialog))
        self.a_handover = self._action(case, _("&Hand over…"), None, "act_for_providers",
                                       self._case_form(cd.HandOverDialog))
        case.addSeparator()
        self.a_plan = self._action(case, _("&Action plan…"), "Ctrl+Shift+P", "record_joint",
                                   self._case_form(lambda ch, run, parent, **kw:
                                                   pd.PlanTextsDialog(ch.view, run, parent,
                                                                      **kw)))
        self.a_goal = self._action(case, _("Add &goal…"), "Ctrl+Shift+G", "record_joint",
                                   self._case_form(lambda ch, run, parent, **kw: pd.GoalDialog(
                                       ch.view.reference, self._meeting(), run, parent, **kw)))
        self.a_action = self._action(case, _("Add ac&tion…"), "Ctrl+Shift+A", "record_joint",
                                     self._case_form(lambda ch, run, parent, **kw:
                                                     pd.CaseActionDialog(
                                                         ch.view, self._meeting(), run,
                                                         parent, **kw)))
        self.a_progress = self._action(case, _("Add progre&ss…"), "Ctrl+Shift+V",
                                       "record_joint",
                                       self._case_form(lambda ch, run, parent, **kw:
                                                       pd.ProgressDialog(
                                                           ch.view, self._meeting(), run,
                                                           parent, **kw)))
        self.a_status = self._action(case, _("Goal or action stat&us…"), None, "record_joint",
                                     self._case_form(lambda ch, run, parent, **kw:
                                                     pd.StatusDialog(ch.view, run, parent,
                                                                     **kw)))
        self.a_decision = self._action(case, _("Record &decision…"), "Ctrl+D", "record_joint",
                                       self._case_form(lambda ch, run, parent, **kw:
                                                       md.DecisionDialog(
                                                           ch.view.reference, self._meeting(),
                                                           run, parent, **kw)))
        self.a_joint = self._action(case, _("&Edit joint record…"), "Ctrl+Shift+J",
                                    "record_joint", self._case_form(self._joint_dialog))
        case.addSeparator()
        self.a_inbox = self._action(case, _("In&box…"), "Ctrl+Shift+M", "store", self.inbox)

        meeting = window.menuBar().addMenu(_("&Meeting"))
        self.meeting_menu = meeting
        self.a_plan_meeting = self._action(meeting, _("&Plan meeting…"), "Ctrl+Shift+N",
                                           "store", self.plan_meeting)
        self.a_agenda = self._action(meeting, _("Put case on the &agenda…"), "Ctrl+Shift+E",
                                     "chair", self._meeting_form(self._agenda_dialog))
        self.a_attendance = self._action(meeting, _("A&ttendance…"), "Ctrl+Shift+T", "chair",
                                         self._meeting_form(md.AttendanceDialog))
        self.a_note = self._action(meeting, _("Discussion &note…"), "Ctrl+Shift+O",
                                   "joint_meeting", self.note)
        meeting.addSeparator()
        self.a_close_meeting = self._action(meeting, _("&Close meeting…"), None, "chair",
                                            self.close_meeting)
        window.ready.connect(self.update_enabled)
        window.locked.connect(self.update_enabled)
        window.views.currentChanged.connect(lambda _index: self.update_enabled())
        self.update_enabled()

    # -- plumbing -------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, keys: str | None, needs: str,
                slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self._needs[action] = needs
        return action

    def run(self, job: Job, done: Done, failed: Failed) -> None:
        """The forms' runner: ``job`` in the store thread; answers from before a lock are
        dropped (the lock closed the form anyway)."""
        window = self.window
        window.ctx.worker.submit(job, done=window._current(done),
                                 failed=window._current(failed))

    def update_enabled(self) -> None:
        """Enable each entry as the capabilities of the case and meeting on screen say."""
        window = self.window
        unlocked = window.opened is not None
        caps = window.case_widget.caps if (unlocked and window.on_case_screen()
                                           and window.views.currentIndex() == VIEW_CASE) \
            else None
        meeting = self._meeting()
        for action, needs in self._needs.items():
            if needs == "store":
                enabled = unlocked
            elif needs == "chair":
                enabled = unlocked and meeting is not None and meeting.is_chair
            elif needs == "joint_meeting":
                enabled = bool(caps and caps.record_joint) and window.meeting_id is not None
            else:
                enabled = bool(caps and getattr(caps, needs))
            action.setEnabled(enabled)

    def _meeting(self) -> Any:
        meeting = self.window.dashboard.meeting
        if meeting is None or meeting.meeting_id != self.window.meeting_id:
            return None
        return meeting

    def show(self, dialog: QDialog) -> QDialog:
        """Open ``dialog`` window-modally (the previous form, if any, is deleted)."""
        # The lock may have deleted the previous form already (ui.lock).
        if self.dialog is not None and Shiboken.isValid(self.dialog):
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        self.dialog_shown.emit(dialog)
        return dialog

    def _case_written(self, _result: object = None) -> None:
        self.window._after_edit()

    def _meeting_written(self, _result: object = None) -> None:
        if self.window.meeting_id is not None:
            self.window.load_meeting(self.window.meeting_id)

    # -- case forms -----------------------------------------------------------------------
    def _case_form(self, factory: Callable[..., QDialog]) -> Callable[[], None]:
        def open_form() -> None:
            ref, mid = self.window.reference, self.window.meeting_id
            if not ref:
                return

            def loaded(choices: CaseChoices) -> None:
                self.show(factory(choices, self.run, self.window, done=self._case_written))

            self.window._run(lambda s: case_choices(s, ref, mid), loaded)

        return open_form

    def _joint_dialog(self, choices: CaseChoices, run: Any, parent: Any,
                      **kwargs: Any) -> QDialog:
        """The joint record row by row with Edit… (issue 13, point 7)."""
        ref, mid = choices.view.reference, self.window.meeting_id
        return ed.JointRecordDialog(choices.view, self._meeting(), run, parent,
                                    reload=lambda s: case_choices(s, ref, mid).view,
                                    add_goal=self.a_goal.trigger, **kwargs)

    def new_case(self) -> None:
        """Register a new case (aanmelding); afterwards it is shown."""
        def loaded(choices: StoreChoices) -> None:
            self.show(cd.NewCaseDialog(choices, self.run, self.window,
                                       done=lambda ref: self.window.open_case(str(ref))))

        self.window._run(store_choices, loaded)

    def inbox(self) -> None:
        """The party's open notices and request tasks; for a procesregisseur also the
        data-subject requests to find in their cases (the service refuses anyone else,
        so the tab is not offered to them)."""
        opened = self.window.opened
        director = opened is not None and "find_requests" in opened.sections
        self.show(InboxDialog(self.run, self.window, director=director,
                              tasks=opened is not None))

    # -- meeting forms --------------------------------------------------------------------
    def _meeting_form(self, factory: Callable[..., QDialog]) -> Callable[[], None]:
        def open_form() -> None:
            mid = self.window.meeting_id
            if mid is None:
                return

            def loaded(choices: MeetingChoices) -> None:
                self.show(factory(choices, self.run, self.window, done=self._meeting_written))

            self.window._run(lambda s: meeting_choices(s, mid), loaded)

        return open_form

    def _agenda_dialog(self, choices: MeetingChoices, run: Any, parent: Any,
                       **kwargs: Any) -> QDialog:
        return md.AgendaDialog(choices, run, parent, reference=self.window.reference, **kwargs)

    def plan_meeting(self) -> None:
        """Plan a meeting; afterwards the meeting list and its dashboard are shown."""
        self.show(md.PlanMeetingDialog(self.run, self.window, done=self._meeting_planned))

    def _meeting_planned(self, meeting_id: object) -> None:
        window, mid = self.window, int(str(meeting_id))

        def listed(found: list[Any]) -> None:
            window.meeting_model.set_meetings(found)
            ids = [m.meeting_id for m in found]
            if mid in ids:
                window.meeting_list.setCurrentIndex(window.meeting_model.index(ids.index(mid)))
            window.load_meeting(mid)

        window._run(meetings.list_meetings, listed)

    def note(self) -> None:
        """A discussion note on the case on screen, in the meeting on screen."""
        ref, mid = self.window.reference, self.window.meeting_id
        if ref and mid is not None:
            self.show(md.NoteDialog(ref, mid, self.run, self.window,
                                    done=self._case_written))

    def close_meeting(self) -> None:
        """Close the meeting on screen, after a confirmation."""
        meeting = self._meeting()
        if meeting is not None:
            self.show(md.CloseMeetingDialog(meeting, self.run, self.window,
                                            done=self._meeting_written))
