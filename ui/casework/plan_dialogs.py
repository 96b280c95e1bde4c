"""The plan van aanpak as a working document: its texts, goals, actions with the party
responsible and a deadline, statuses, and progress entries (WO 1.21, ZVH 1.20, 9.4).

The owner of an action is chosen only from the case's own parties, sorted and searchable,
with nothing chosen by default: a slip in a long list must not make another party
involved (issue 13, point 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtWidgets import QComboBox, QWidget

from app.i18n import N_, _
from app.services import meetings
from app.services.session import Session
from app.views import CaseView, MeetingView, PartyRef
from ui.casework.forms import (
    FormDialog,
    Job,
    Runner,
    chosen,
    date_field,
    date_of,
    text_area,
)
from ui.casework.parties import PartyChoice, agreed

PLAN_PARTS = (("problem", N_("Problem")), ("goal", N_("Goal")),
              ("monitoring", N_("How the plan is monitored")),
              ("informing", N_("How and by whom the persons concerned and the reporter "
                               "are told")),
              ("exit_criteria", N_("Criteria for scaling down")))


def _day(meeting: MeetingView | None) -> dt.date | None:
    return meeting.starts_at.date() if meeting else None


class PlanTextsDialog(FormDialog):
    """The texts of the plan van aanpak, starting from what is written now."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "plan.": "problem"}

    def __init__(self, view: CaseView, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Action plan"), run, parent, **kwargs)
        self.setMinimumWidth(640)
        self.reference = view.reference
        plan = view.plan
        now = {"goal": view.goal or "",
               "problem": plan.problem if plan else "",
               "monitoring": plan.monitoring if plan else "",
               "informing": plan.informing if plan else "",
               "exit_criteria": plan.exit_criteria if plan else ""}
        self.texts = {key: self.add_field(key, _(label), text_area(now[key], lines=3))
                      for key, label in PLAN_PARTS}

    def job(self) -> Job:
        ref = self.reference
        texts = {key: widget.toPlainText() for key, widget in self.texts.items()}
        return lambda s: meetings.set_plan(s, ref, **texts)


class GoalDialog(FormDialog):
    """A goal of the plan."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "goal.": "text"}

    def __init__(self, reference: str, meeting: MeetingView | None, run: Runner,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Add goal"), run, parent, **kwargs)
        self.reference, self.meeting_id = reference, meeting.meeting_id if meeting else None
        self.text = self.add_field("text", _("Goal"), text_area(lines=3))

    def job(self) -> Job:
        ref, mid, text = self.reference, self.meeting_id, self.text.toPlainText()
        return lambda s: meetings.add_goal(s, ref, text, meeting_id=mid)


class CaseActionDialog(FormDialog):
    """An action with the party responsible (a party of the case) and a deadline."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "action.": "text", "party.unknown": "owner"}

    def __init__(self, view: CaseView, meeting: MeetingView | None, run: Runner,
                 parent: QWidget | None = None, *, covenant: Sequence[PartyRef] = (),
                 **kwargs: Any) -> None:
        super().__init__(_("Add action"), run, parent, **kwargs)
        self.setMinimumWidth(560)
        self.reference, self.meeting_id = view.reference, meeting.meeting_id if meeting else None
        self.text = self.add_field("text", _("Action"), text_area(lines=3))
        # The case's own parties; others only when the covenant's list is given, after
        # ticking "other parties" and a Yes to the question naming what it will see.
        self.owner_choice = PartyChoice(view, covenant)
        self.owner = self.add_field("owner", _("Responsible party"), self.owner_choice.combo)
        if covenant:
            self.add_row(self.owner_choice.others)
        start = _day(meeting) or _today()
        self.due = self.add_field("due", _("Deadline"),
                                  date_field(start + dt.timedelta(days=14)))
        self.goal = self.add_field("goal", _("For goal"), QComboBox())
        self.goal.addItem(_("none"), 0)
        for goal in view.goals:
            self.goal.addItem(goal.text[:80], goal.goal_id)

    def submit(self) -> None:
        """A party not involved yet becomes the owner only after Yes; No changes nothing."""
        if self.busy or not agreed(self, self.owner_choice):
            return
        super().submit()

    def job(self) -> Job:
        ref, mid, text = self.reference, self.meeting_id, self.text.toPlainText()
        owner, due, goal = chosen(self.owner), date_of(self.due), int(self.goal.currentData())
        return lambda s: meetings.add_action(s, ref, text, owner_party=owner, due_on=due,
                                             goal_id=goal or None, meeting_id=mid)


class ProgressDialog(FormDialog):
    """A progress entry on the plan or one action, dated the meeting's day by default."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "progress.": "text"}

    def __init__(self, view: CaseView, meeting: MeetingView | None, run: Runner,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Add progress"), run, parent, **kwargs)
        self.reference, self.meeting_id = view.reference, meeting.meeting_id if meeting else None
        self.action = self.add_field("action", _("For action"), QComboBox())
        self.action.addItem(_("the plan as a whole"), 0)
        for action in view.actions:
            self.action.addItem(action.text[:80], action.action_id)
        self.text = self.add_field("text", _("Progress"), text_area())
        self.entry_on = self.add_field("entry_on", _("Date"), date_field(_day(meeting)))

    def job(self) -> Job:
        ref, mid, text = self.reference, self.meeting_id, self.text.toPlainText()
        action, day = int(self.action.currentData()), date_of(self.entry_on)
        return lambda s: meetings.add_progress(s, ref, text, action_id=action or None,
                                               entry_on=day, meeting_id=mid)


class StatusDialog(FormDialog):
    """Set the status of a goal or an action (reached, done, cancelled, ...)."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "goal.": "status", "action.": "status"}

    def __init__(self, view: CaseView, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Goal or action status"), run, parent, **kwargs)
        self.reference = view.reference
        self.target = self.add_field("target", _("Goal or action"), QComboBox())
        for goal in view.goals:
            self.target.addItem(_("Goal: {text}").format(text=goal.text[:70]),
                                ("goal", goal.goal_id, goal.status))
        for action in view.actions:
            self.target.addItem(_("Action: {text}").format(text=action.text[:70]),
                                ("action", action.action_id, action.status))
        self.status = self.add_field("status", _("Status"), QComboBox())
        self.target.currentIndexChanged.connect(self._fill)
        self._fill()

    def _fill(self) -> None:
        self.status.clear()
        data = self.target.currentData()
        if data:
            # The status vocabulary comes with the view (the service's own values).
            for member in type(data[2]):
                self.status.addItem(_(member.label), member.value)
            self.status.setCurrentIndex(self.status.findData(data[2].value))

    def job(self) -> Job:
        ref, data, value = self.reference, self.target.currentData(), self.status.currentData()

        def record(session: Session) -> None:
            if data is None:
                return
            kind, object_id, _status = data
            if kind == "goal":
                meetings.set_goal_status(session, ref, object_id, str(value))
            else:
                meetings.set_action_status(session, ref, object_id, str(value))

        return record


def _today() -> dt.date:
    """The local day (form defaults)."""
    return dt.datetime.now().astimezone().date()
