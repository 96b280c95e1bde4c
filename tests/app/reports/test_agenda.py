"""The renderers of the agenda, the notulen and the plan van aanpak on views built by hand
(no store): what each document prints of what it is given (issue 10, points 5 and 7).

What a recipient may be given at all is the service's (tests/app/services/
test_report_agenda.py); here: the agenda prints only the header of its cases, never their
items or joint record; the notulen print the status, the discussion notes, addenda marked
and the distribution list; the plan prints its texts, goals with statuses, actions with
responsible party, deadline, status and progress, and the casusregisseur.  New strings are
checked in English (their Dutch translations are added to the catalog later).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from app.domain.vocab import ActionStatus, GoalStatus, InformedStatus
from app.profiles import LocalText
from app.reports.data import (
    AgendaCase,
    AgendaNote,
    CaseReport,
    MeetingReport,
    Recipient,
    ReportData,
)
from app.reports.render import render_report
from app.views import (
    ActionView,
    CaseView,
    DecisionView,
    GoalView,
    ItemView,
    PartyRef,
    PersonView,
    PlanView,
    ProgressView,
    ReportKind,
    kinds_for,
)

TODAY = dt.date(2026, 11, 22)
MEETING = 7
GGZ = PartyRef("ggz-antes", LocalText("Antes (ggz)", "Antes (mental health care)"))
RDAM = PartyRef("gemeente-rotterdam", LocalText("Gemeente Rotterdam", "Municipality"))
STARTS = dt.datetime.combine(dt.date(2026, 11, 24), dt.time(9, 30))


def _view(ref: str, word: str, *, with_plan: bool = True) -> CaseView:
    """A case view whose every text carries ``word``."""
    category = LocalText("Identiteit", "Identity")
    return CaseView(
        case_id=int(ref[-1]), reference=ref, phase=LocalText("Casusoverleg", "Case meeting"),
        phase_id="casusoverleg", registering_party=RDAM, procesregisseur="Fenne Lelijveld",
        casusregisseur="Gijs Gerritsen", casusregisseur_party=GGZ, themes=("overlast",),
        opened_at=TODAY, closed_at=None, viewer="as:ggz-antes", content_visible=True,
        goal=f"{word}-casegoal", parties=(RDAM, GGZ),
        persons=(PersonView(1, "B1", category, f"{word}-name", InformedStatus.INFORMED,
                            TODAY, None),),
        items=(ItemView(11, category, "identity", RDAM, "B1", "", f"{word}-item", TODAY,
                        "art. 6 AVG", "casusoverleg"),),
        goals=(GoalView(1, f"{word}-goal-reached", GoalStatus.REACHED),
               GoalView(2, f"{word}-goal-open", GoalStatus.OPEN)),
        actions=(ActionView(21, f"{word}-action", GGZ, dt.date(2026, 12, 1), ActionStatus.OPEN,
                            False, 1, MEETING),
                 ActionView(22, f"{word}-late-action", RDAM, None, ActionStatus.DONE, False,
                            None, MEETING, addendum=True)),
        decisions=(DecisionView(31, MEETING, f"{word}-decision", TODAY),
                   DecisionView(32, MEETING, f"{word}-late-decision", TODAY, addendum=True)),
        progress=(ProgressView(41, 21, f"{word}-progress", TODAY),),
        plan=PlanView(f"{word}-problem", f"{word}-monitoring", f"{word}-informing",
                      f"{word}-exit") if with_plan else None,
    )


def _meeting(*cases: AgendaCase, held: bool = False) -> MeetingReport:
    return MeetingReport(MEETING, STARTS, "Stadhuis", "Fenne Lelijveld", "Bryan Jansen",
                         agenda=cases, held=held, held_on=TODAY if held else None)


def _render(kind: ReportKind, *, meeting: MeetingReport | None = None,
            case: CaseView | None = None, table: bool = False) -> str:
    data = ReportData(
        kind=kind, lang="en", document_id="CT-TEST-0000-0001",
        covenant=LocalText("Convenant", "Covenant"),
        recipient=Recipient((RDAM, GGZ) if table else (GGZ,), table), today=TODAY,
        author="Fenne Lelijveld", meeting=meeting,
        case=CaseReport(case) if case is not None else None)
    pdf = render_report(data).pdf
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def _has(text: str, *words: str) -> bool:
    return all(re.sub(r"\s+", "", w) in text for w in words)


def test_agenda_kind_is_for_a_meeting_and_one_party_zvh_13_2() -> None:
    """ZVH 13.2: the agenda is a meeting document for one invited party (never for the
    table); the meeting screen offers it to the chair only."""
    assert not ReportKind.AGENDA.per_case
    assert not ReportKind.AGENDA.for_table
    assert ReportKind.AGENDA.label == "Agenda"
    assert ReportKind.AGENDA in kinds_for(on_case=False)
    assert ReportKind.AGENDA not in kinds_for(on_case=False, chair=False)
    assert ReportKind.MINUTES in kinds_for(on_case=False, chair=False)
    assert ReportKind.AGENDA not in kinds_for(on_case=True)


def test_agenda_prints_the_meeting_and_only_the_case_headers_zvh_13_2() -> None:
    """ZVH 13.2: the agenda names the meeting (date and time, place, chair, minute taker)
    and per case its reference, phase, registering party, goal, case director, invited
    parties and persons; none of the case's items, decisions, actions or plan texts."""
    view = _view("ZVH-2026-AAAA1", "Alpha")
    text = _render(ReportKind.AGENDA, meeting=_meeting(
        AgendaCase(1, CaseReport(view), (RDAM, GGZ), ())))
    assert _has(text, "Agenda", "24 Nov 2026, 09:30", "Stadhuis", "Fenne Lelijveld",
                "Bryan Jansen", "ZVH-2026-AAAA1", "Case meeting", "Alpha-casegoal",
                "Alpha-name", "Gijs Gerritsen", "Antes (mental health care)", "Municipality",
                "Agenda item 1")
    for absent in ("Alpha-item", "Alpha-decision", "Alpha-action", "Alpha-problem",
                   "Alpha-goal", "Alpha-progress", "Status"):
        assert absent not in text, absent


def test_notulen_status_notes_addenda_and_distribution_zvh_15_2() -> None:
    """ZVH 15.2: the notulen say draft while the meeting is planned and adopted once it is
    closed; each agenda case shows its discussion notes besides its decisions and
    actions, addenda marked as such; the distribution list names the recipient and per
    case the parties invited for it."""
    view = _view("ZVH-2026-AAAA1", "Alpha")
    notes = (AgendaNote(1, "Alpha-note", TODAY), AgendaNote(2, "Alpha-late-note", TODAY, True))
    entry = AgendaCase(1, CaseReport(view), (RDAM, GGZ), (), notes)
    draft = _render(ReportKind.MINUTES, meeting=_meeting(entry))
    adopted = _render(ReportKind.MINUTES, meeting=_meeting(entry, held=True))
    assert _has(draft, "Status Draft")
    assert not _has(draft, "Adopted")
    assert _has(adopted, "Status Adopted on 22 Nov 2026")
    for text in (draft, adopted):
        assert _has(text, "Discussion", "Alpha-note", "Alpha-late-note[addendum]",
                    "Alpha-decision", "Alpha-late-decision[addendum]",
                    "Alpha-late-action[addendum]", "Distribution list",
                    "This document goes to Antes (mental health care)",
                    "ZVH-2026-AAAA1 Municipality; Antes (mental health care)")
        assert not _has(text, "Alpha-note[addendum]")
        assert not _has(text, "Alpha-decision[addendum]")


def test_plan_prints_texts_goals_actions_progress_and_director_wo_1_21_zvh_9_4() -> None:
    """WO 1.21, ZVH 1.20, 9.4, 14: the plan van aanpak prints its problem, how it is
    monitored, how and by whom the persons concerned and the reporter are told and the
    criteria for scaling down; the goals with their statuses; the actions with the
    responsible party, deadline, status and their progress entries; the casusregisseur;
    addenda marked."""
    text = _render(ReportKind.PLAN, case=_view("ZVH-2026-AAAA1", "Alpha"))
    assert _has(text, "Problem", "Alpha-problem", "How the plan is monitored",
                "Alpha-monitoring",
                "How and by whom the persons concerned and the reporter are told",
                "Alpha-informing", "Agreed criteria", "Alpha-exit",
                "Alpha-goal-reached reached", "Alpha-goal-open open",
                # the progress entry under its action, then responsible, deadline, status
                "Alpha-action (goal 1) 22/11/2026: Alpha-progress Antes (mental health care)"
                " 01/12/2026 open", "Alpha-late-action[addendum]",
                "Gijs Gerritsen (Antes (mental health care))")
    # Without the joint record's plan (not visible to the recipient) no plan text shows.
    bare = _render(ReportKind.PLAN, case=_view("ZVH-2026-AAAA2", "Beta", with_plan=False))
    assert not _has(bare, "Beta-problem")
    assert not _has(bare, "How the plan is monitored")
