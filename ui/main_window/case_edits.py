"""The edit slots: on the case screen decisions, actions, progress, sharing and consents;
on the dashboard the chair's attendance.

Each slot asks with a dialog, binds what it needs (the reference, the meeting, the values
typed) and calls one service function in the store thread through the window's ``_run``;
afterwards the window shows the case again.  The services check whether the user may.

Decisions, progress and actions use the casework forms (:class:`ui.casework.forms.FormDialog`,
the same as the Case menu's): a refusal is shown in the open form and what was typed stays;
decisions and progress are dated the day of the meeting on screen (issue 13, point 7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiboken6 import Shiboken

from app.services import casework, consents, meetings
from app.views import MeetingView
from ui.casework.forms import Done, Failed, FormDialog, Job
from ui.casework.meeting_dialogs import DecisionDialog
from ui.casework.plan_dialogs import CaseActionDialog, ProgressDialog
from ui.dialogs import ConsentDialog, GrantDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class CaseEdits:
    """Runs the edit requests (signals) of the case screen and the dashboard of ``window``."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.form: FormDialog | None = None  # the last form opened by a button
        case = window.case_widget
        case.record_decision.connect(self.record_decision)
        case.add_action.connect(self.add_action)
        case.add_progress.connect(self.add_progress)
        case.share.connect(self.share)
        case.revoke_grant.connect(self.revoke)
        case.record_consent.connect(self.record_consent)
        case.withdraw_consent.connect(self.withdraw_consent)
        window.dashboard.presence_changed.connect(self.set_presence)
        window.dashboard.left_room_changed.connect(self.set_left_room)

    def set_presence(self, party: str, present: bool) -> None:
        """The chair marks a party present or absent; the dashboard is loaded again."""
        window, meeting_id = self.window, self.window.meeting_id
        if meeting_id is None:
            return
        window.table_mode.clear()  # when in doubt show less, until recomputed
        window._run(lambda s: meetings.set_attendee(s, meeting_id, party, present=present),
                    lambda _r: window.load_meeting(meeting_id))

    def set_left_room(self, reference: str, party: str, left: bool) -> None:
        """The chair records that ``party`` left the room for the agenda case
        ``reference`` (or came back in), for that case only; the dashboard and the
        beamer are loaded again."""
        window, meeting_id = self.window, self.window.meeting_id
        if meeting_id is None:
            return
        window.table_mode.clear()  # when in doubt show less, until recomputed
        window._run(lambda s: meetings.set_left_room(s, meeting_id, reference, party,
                                                     left=left),
                    lambda _r: window.load_meeting(meeting_id))

    # -- the joint record: forms that stay open on a refusal ------------------------------
    def _meeting(self) -> MeetingView | None:
        """The meeting on screen (the dashboard's), if it is the window's current one."""
        meeting = self.window.dashboard.meeting
        if meeting is None or meeting.meeting_id != self.window.meeting_id:
            return None
        return meeting

    def _open(self, form: FormDialog) -> FormDialog:
        """Open ``form`` window-modally (``open()``: the store thread and the idle lock go
        on).  A form closed before is deleted; the lock closes and deletes an open one."""
        old = self.form
        if old is not None and Shiboken.isValid(old) and not old.isVisible():
            old.deleteLater()
        self.form = form
        form.open()
        return form

    def _runner(self, job: Job, done: Done, failed: Failed) -> None:
        # Answers from before a lock are dropped, refusals included: the lock closed the form.
        window = self.window
        window.ctx.worker.submit(job, done=window._current(done),
                                 failed=window._current(failed))

    def record_decision(self) -> FormDialog | None:
        """Record a decision of the meeting on the case, dated the meeting's day."""
        ref = self.window.reference
        if not ref or self.window.case_widget.view is None:
            return None
        return self._open(DecisionDialog(ref, self._meeting(), self._runner, self.window,
                                         done=self.window._after_edit))

    def add_progress(self) -> FormDialog | None:
        """Add a progress entry to the case (or one action), dated the meeting's day."""
        view = self.window.case_widget.view
        if not self.window.reference or view is None:
            return None
        return self._open(ProgressDialog(view, self._meeting(), self._runner, self.window,
                                         done=self.window._after_edit))

    def add_action(self) -> FormDialog | None:
        """Agree an action with the party responsible and a deadline.  The owner is one of
        the case's parties; another covenant party only after "other parties" and a Yes
        naming what it will see (issue 13, point 3)."""
        opened, view = self.window.opened, self.window.case_widget.view
        if not opened or not self.window.reference or view is None:
            return None
        return self._open(CaseActionDialog(view, self._meeting(), self._runner, self.window,
                                           covenant=opened.parties,
                                           done=self.window._after_edit))

    def share(self) -> None:
        """Share my party's items (all, a category, or one item) with a party."""
        opened, ref = self.window.opened, self.window.reference
        view = self.window.case_widget.view
        if not opened or not ref or view is None:
            return
        dialog = GrantDialog(view, opened.user.party_id, opened.parties, self.window)
        if dialog.exec():
            value = dialog.value()
            self.window._run(lambda s: casework.grant(
                s, ref, recipient=value.recipient, item_id=value.item_id,
                category=value.category, legal_basis=value.legal_basis,
                necessity=value.necessity))

    def revoke(self, grant_id: int) -> None:
        """Withdraw a grant of my party."""
        self.window._run(lambda s: casework.revoke_grant(s, grant_id))

    def record_consent(self) -> None:
        """Record a consent of a person concerned."""
        opened, ref = self.window.opened, self.window.reference
        view = self.window.case_widget.view
        if not opened or not ref or view is None:
            return
        caps = self.window.case_widget.caps
        if caps is None:
            return
        dialog = ConsentDialog(view, caps, opened.categories, self.window)
        if dialog.exec():
            v = dialog.value()
            self.window._run(lambda s: consents.record_consent(
                s, ref, v.person, source_party=v.source_party, recipients=v.recipients,
                categories=v.categories, purpose=v.purpose, basis=v.basis,
                basis_note=v.basis_note, given_by=v.given_by, form=v.form,
                told_withdrawal=v.told_withdrawal, given_on=v.given_on))

    def withdraw_consent(self, consent_id: int) -> None:
        """Withdraw a consent."""
        self.window._run(lambda s: consents.withdraw_consent(s, consent_id))
