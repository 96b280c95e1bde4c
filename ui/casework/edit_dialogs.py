"""Editing the joint record: one dialog lists the case's goals, actions, decisions and
progress entries, each row with "Edit…" (also Enter or a double-click), which opens a
form prefilled with the row (issue 13, point 7).

The forms are :class:`ui.casework.forms.FormDialog`: a refusal is shown in the form, what
was typed stays, Ctrl+Enter submits and Tab moves on.  They only collect what was typed;
:mod:`app.services.joint_edit` decides whether it is a correction (a new version, an
addendum after the meeting closed), a status change or nothing at all, and who may.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from app.services import joint_edit
from app.views import (
    ActionView,
    CaseView,
    CorrectionMark,
    DecisionView,
    GoalView,
    JointVersionView,
    MeetingView,
    PartyRef,
    ProgressView,
)
from ui.casework.forms import (
    Done,
    FormDialog,
    Job,
    Runner,
    chosen,
    date_field,
    date_of,
    text_area,
)
from ui.casework.parties import PartyChoice, agreed
from ui.dates import show_date

Row = GoalView | ActionView | DecisionView | ProgressView


def _mid(meeting: MeetingView | None) -> int | None:
    return meeting.meeting_id if meeting else None


def mark_text(mark: CorrectionMark | None) -> str:
    """"corrected on di 24 nov 2026 by A. Jansen", or ""."""
    return mark.describe(show_date(mark.corrected_on)) if mark is not None else ""


def version_text(version: JointVersionView) -> str:
    """One version of a row in the history, in one line."""
    parts = [show_date(version.on), version.text]
    if version.owner is not None:
        parts.append(version.owner.label())
    if version.addendum:
        parts.append(_("addendum"))
    if version.current:
        parts.append(_("current version"))
    else:
        parts.append(_("corrected on {date} by {name}").format(
            date=show_date(version.replaced_on), name=version.replaced_by or "—"))
        if version.reason:
            parts.append(_("reason: {reason}").format(reason=version.reason))
    return " · ".join(parts)


class _EditDialog(FormDialog):
    """What the four edit forms share: the reason field and, for a row corrected before,
    its mark and its earlier versions on request."""

    kind: ClassVar[str] = ""

    def __init__(self, title: str, reference: str, row_id: int, mark: CorrectionMark | None,
                 meeting: MeetingView | None, run: Runner, parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(title, run, parent, ok_text=_("Save"), **kwargs)
        self.setMinimumWidth(560)
        self.reference, self.row_id, self.meeting_id = reference, row_id, _mid(meeting)
        self.mark = mark
        self.history_box: QPlainTextEdit | None = None

    def add_reason(self) -> None:
        """The reason field (last, before the history)."""
        self.reason = self.add_field(
            "reason", _("Reason for the correction"), QLineEdit(),
            help_text=_("Optional. Kept with the earlier version, which is not overwritten."))
        if self.mark is None:
            return
        note = QLabel(_("This entry was {mark}.").format(mark=mark_text(self.mark)))
        note.setWordWrap(True)
        self.add_row(note)
        self.history_button = QPushButton(_("Show earlier versions"))
        self.history_button.clicked.connect(self.load_history)
        self.add_row(self.history_button)

    def load_history(self) -> None:
        """Ask the service for the row's versions and show them, oldest first."""
        ref, kind, row, mid = self.reference, self.kind, self.row_id, self.meeting_id
        self._run(lambda s: joint_edit.history(s, ref, kind, row, meeting_id=mid),
                  self.show_history, self.show_error)

    def show_history(self, versions: Sequence[JointVersionView]) -> None:
        """Show ``versions`` (read-only; Tab moves on)."""
        if self.history_box is None:
            self.history_box = text_area(lines=4)
            self.history_box.setReadOnly(True)
            self.history_box.setAccessibleName(_("Earlier versions"))
            self.add_row(self.history_box)
        self.history_box.setPlainText("\n".join(version_text(v) for v in versions))


def _status_combo(current: Any) -> QComboBox:
    combo = QComboBox()
    # The status vocabulary comes with the view (the service's own values).
    for member in type(current):
        combo.addItem(_(member.label), member.value)
    combo.setCurrentIndex(combo.findData(current.value))
    return combo


class GoalEditDialog(_EditDialog):
    """Correct a goal's text, or close it (reached, not reached)."""

    kind = "goal"
    field_of_code: ClassVar[Mapping[str, str]] = {
        "goal.empty": "text", "goal.status": "status"}

    def __init__(self, reference: str, goal: GoalView, meeting: MeetingView | None,
                 run: Runner, parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Edit goal"), reference, goal.goal_id, goal.corrected, meeting,
                         run, parent, **kwargs)
        self.text = self.add_field("text", _("Goal"), text_area(goal.text, lines=3))
        self.status = self.add_field("status", _("Status"), _status_combo(goal.status))
        self.add_reason()

    def job(self) -> Job:
        ref, row, mid = self.reference, self.row_id, self.meeting_id
        text, status = self.text.toPlainText(), str(self.status.currentData())
        reason = self.reason.text()
        return lambda s: joint_edit.correct_goal(s, ref, row, text=text, status=status,
                                                 reason=reason, meeting_id=mid)


class ActionEditDialog(_EditDialog):
    """Correct an action (text, party responsible, deadline, goal), or close it (done,
    cancelled)."""

    kind = "action"
    field_of_code: ClassVar[Mapping[str, str]] = {
        "action.empty": "text", "party.unknown": "owner", "goal.unknown": "goal",
        "action.status": "status"}

    def __init__(self, view: CaseView, action: ActionView, meeting: MeetingView | None,
                 run: Runner, parent: QWidget | None = None, *,
                 covenant: Sequence[PartyRef] = (), **kwargs: Any) -> None:
        super().__init__(_("Edit action"), view.reference, action.action_id,
                         action.corrected, meeting, run, parent, **kwargs)
        self.text = self.add_field("text", _("Action"), text_area(action.text, lines=3))
        # The case's own parties, the current owner chosen; another only after "other
        # parties" and a Yes naming what it will see (issue 13, point 3).
        self.owner_choice = PartyChoice(view, covenant)
        self.owner = self.add_field("owner", _("Responsible party"), self.owner_choice.combo)
        index = self.owner.findData(action.owner.id)
        if index < 0:
            self.owner.addItem(action.owner.label(), action.owner.id)
            index = self.owner.count() - 1
        self.owner.setCurrentIndex(index)
        if covenant:
            self.add_row(self.owner_choice.others)
        self.due = self.add_field("due", _("Deadline"), date_field(action.due_on))
        self.no_due = QCheckBox(_("No deadline"))
        self.no_due.setChecked(action.due_on is None)
        self.no_due.toggled.connect(lambda on: self.due.setEnabled(not on))
        self.due.setEnabled(action.due_on is not None)
        self.add_row(self.no_due)
        self.goal = self.add_field("goal", _("For goal"), QComboBox())
        self.goal.addItem(_("none"), 0)
        for goal in view.goals:
            self.goal.addItem(goal.text[:80], goal.goal_id)
        self.goal.setCurrentIndex(max(self.goal.findData(action.goal_id or 0), 0))
        self.status = self.add_field("status", _("Status"), _status_combo(action.status))
        self.add_reason()

    def submit(self) -> None:
        """A party not involved yet becomes the owner only after Yes; No changes nothing."""
        if self.busy or not agreed(self, self.owner_choice):
            return
        super().submit()

    def job(self) -> Job:
        ref, row, mid = self.reference, self.row_id, self.meeting_id
        text, owner = self.text.toPlainText(), chosen(self.owner)
        due = None if self.no_due.isChecked() else date_of(self.due)
        goal, status = int(self.goal.currentData() or 0), str(self.status.currentData())
        reason = self.reason.text()
        return lambda s: joint_edit.correct_action(
            s, ref, row, text=text, owner_party=owner, due_on=due, goal_id=goal or None,
            status=status, reason=reason, meeting_id=mid)


_ADDENDUM_NOTE = N_("Once its meeting is closed, a correction is an addendum dated today: "
                   "the minutes keep the version the meeting agreed.")


class DecisionEditDialog(_EditDialog):
    """Correct a decision; its date stays unless changed (an addendum has its own)."""

    kind = "decision"
    field_of_code: ClassVar[Mapping[str, str]] = {"decision.empty": "text"}

    def __init__(self, reference: str, decision: DecisionView, meeting: MeetingView | None,
                 run: Runner, parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Edit decision"), reference, decision.decision_id,
                         decision.corrected, meeting, run, parent, **kwargs)
        self.text = self.add_field("text", _("Decision"), text_area(decision.text))
        self.decided_on = self.add_field("decided_on", _("Decided on"),
                                         date_field(decision.decided_on))
        if decision.meeting_id is not None:
            note = QLabel(_(_ADDENDUM_NOTE))
            note.setWordWrap(True)
            self.add_row(note)
        self.add_reason()

    def job(self) -> Job:
        ref, row, mid = self.reference, self.row_id, self.meeting_id
        text, day, reason = self.text.toPlainText(), date_of(self.decided_on), self.reason.text()
        return lambda s: joint_edit.correct_decision(s, ref, row, text=text, decided_on=day,
                                                     reason=reason, meeting_id=mid)


class ProgressEditDialog(_EditDialog):
    """Correct a progress entry; its date stays unless changed."""

    kind = "progress"
    field_of_code: ClassVar[Mapping[str, str]] = {"progress.empty": "text"}

    def __init__(self, reference: str, entry: ProgressView, meeting: MeetingView | None,
                 run: Runner, parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Edit progress"), reference, entry.entry_id, entry.corrected,
                         meeting, run, parent, **kwargs)
        self.text = self.add_field("text", _("Progress"), text_area(entry.text))
        self.entry_on = self.add_field("entry_on", _("Date"), date_field(entry.entry_on))
        if entry.meeting_id is not None:
            note = QLabel(_(_ADDENDUM_NOTE))
            note.setWordWrap(True)
            self.add_row(note)
        self.add_reason()

    def job(self) -> Job:
        ref, row, mid = self.reference, self.row_id, self.meeting_id
        text, day, reason = self.text.toPlainText(), date_of(self.entry_on), self.reason.text()
        return lambda s: joint_edit.correct_progress(s, ref, row, text=text, entry_on=day,
                                                     reason=reason, meeting_id=mid)


# --------------------------------------------------------------------------- the list

ROW_ROLE = Qt.ItemDataRole.UserRole


def _line(row: Row) -> str:
    text = " ".join(row.text.split())
    text = text if len(text) <= 140 else text[:139] + "…"
    extra = []
    if isinstance(row, ActionView):
        extra += [row.owner.label(), show_date(row.due_on), _(row.status.label)]
    elif isinstance(row, GoalView):
        extra.append(_(row.status.label))
    elif isinstance(row, DecisionView):
        text = f"{show_date(row.decided_on)} · {text}"
    else:
        text = f"{show_date(row.entry_on)} · {text}"
    if getattr(row, "addendum", False):
        extra.append(_("addendum"))
    if row.corrected is not None:
        extra.append(mark_text(row.corrected))
    return " · ".join([text, *extra])


class JointRecordDialog(QDialog):
    """The case's joint record, row by row, with Edit… per row and Add goal….

    ``reload`` is a job returning the case view again (after an edit); ``done`` tells the
    window an edit was saved."""

    def __init__(self, view: CaseView, meeting: MeetingView | None, run: Runner,
                 parent: QWidget | None = None, *, covenant: Sequence[PartyRef] = (),
                 reload: Job | None = None, done: Done | None = None,
                 add_goal: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Joint record"))
        self.setMinimumSize(640, 420)
        self.view, self.meeting, self._run = view, meeting, run
        self.covenant, self._reload, self._done = tuple(covenant), reload, done
        self.editor: QDialog | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(_("Choose a row and press Edit (or Enter). A correction keeps the "
                         "earlier version; after the meeting was closed it is an addendum."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(_("Joint record"))
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(lambda _row, _col: self.edit_selected())
        self.tree.currentItemChanged.connect(lambda *_a: self._update_buttons())
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.edit_button = buttons.addButton(_("Edit…"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.edit_button.clicked.connect(self.edit_selected)
        self.add_goal_button = buttons.addButton(_("Add goal…"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.add_goal_button.setVisible(add_goal is not None)
        if add_goal is not None:
            self.add_goal_button.clicked.connect(add_goal)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.show_view(view)

    def show_view(self, view: CaseView) -> None:
        """Fill the list from ``view`` (the current rows only)."""
        self.view = view
        self.tree.clear()
        groups: list[tuple[str, Sequence[Row]]] = [
            (_("Goals"), view.goals), (_("Actions"), view.actions),
            (_("Decisions"), view.decisions), (_("Progress"), view.progress)]
        first: QTreeWidgetItem | None = None
        for title, rows in groups:
            group = QTreeWidgetItem(self.tree, [f"{title} ({len(rows)})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for row in rows:
                item = QTreeWidgetItem(group, [_line(row)])
                item.setData(0, ROW_ROLE, row)
                item.setToolTip(0, row.text)
                first = first or item
            group.setExpanded(True)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected() is not None)

    def selected(self) -> Row | None:
        """The row chosen, or None (a group heading, or nothing)."""
        item = self.tree.currentItem()
        return item.data(0, ROW_ROLE) if item is not None else None

    def editor_for(self, row: Row) -> FormDialog:
        """The prefilled form for ``row``."""
        ref, meeting, kw = self.view.reference, self.meeting, {"done": self._edited}
        if isinstance(row, GoalView):
            return GoalEditDialog(ref, row, meeting, self._run, self, **kw)
        if isinstance(row, ActionView):
            return ActionEditDialog(self.view, row, meeting, self._run, self,
                                    covenant=self.covenant, **kw)
        if isinstance(row, DecisionView):
            return DecisionEditDialog(ref, row, meeting, self._run, self, **kw)
        return ProgressEditDialog(ref, row, meeting, self._run, self, **kw)

    def edit_selected(self) -> FormDialog | None:
        """Open the form for the row chosen (window-modal; the store thread goes on)."""
        row = self.selected()
        if row is None:
            return None
        editor = self.editor_for(row)
        self.editor = editor
        editor.open()
        return editor

    def _edited(self, result: object) -> None:
        if self._done is not None:
            self._done(result)
        if self._reload is not None:
            self._run(self._reload, self.show_view, lambda _e: None)
