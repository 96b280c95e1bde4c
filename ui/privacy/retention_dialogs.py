"""The retention forms and texts (issue 12) shared by the workbench's Retention tab and
the procesregisseur's reminders: a line of the schedule in words, and the motivated
extension (ZVH 11.3-11.5).

The service decides everything (who may extend, the latest date, whether the clock can be
extended at all); the form only shows its refusal at the field it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from PySide6.QtWidgets import QLabel, QWidget

from app.i18n import _, current_language, ngettext
from app.services import retention
from app.views.retention import WHAT_LABELS, DueLine, DueView
from ui.casework.forms import FormDialog, Job, Runner, date_field, date_of, text_area
from ui.privacy.common import day_text


def what_text(line: DueLine) -> str:
    """What a line destroys: the whole case, items, or register lines."""
    return _(WHAT_LABELS.get(line.what, line.what))


def size_text(line: DueLine) -> str:
    """How much: register lines, or items (and persons for a whole case)."""
    if line.what == "register":
        return ngettext("{n} line", "{n} lines", line.lines).format(n=line.lines)
    text = ngettext("{n} item", "{n} items", line.items).format(n=line.items)
    if line.what == "case":
        text += ", " + ngettext("{n} person", "{n} persons", line.persons).format(
            n=line.persons)
    return text


def categories_text(line: DueLine) -> str:
    """The items per data category, e.g. ``Identity 3, Police 2`` (names, no content)."""
    lang = current_language()
    return ", ".join(f"{c.name.get(lang)} {c.count}" for c in line.categories) or "—"


def state_text(line: DueLine, today: dt.date) -> str:
    """Overdue (since how many days), due today, or due in how many days."""
    days = (line.due_on - today).days
    if days < 0:
        return ngettext("overdue by {n} day", "overdue by {n} days", -days).format(n=-days)
    if days == 0:
        return _("due today")
    return ngettext("due in {n} day", "due in {n} days", days).format(n=days)


def extendable(line: DueLine) -> bool:
    """Whether one more extension may be recorded for the line's case (the service says
    so by giving the latest date; it checks again)."""
    return line.what == "case" and line.case_ref is not None and line.extend_limit is not None


def destroyed_now(view: DueView) -> list[DueLine]:
    """The lines a run today destroys: whole cases and items due today or earlier.
    Register lines are listed but kept (the disclosure register is append-only, see
    app.services.retention_run)."""
    return [line for line in view.lines
            if line.what in ("case", "item") and line.due_on <= view.as_of]


def run_counts(lines: list[DueLine]) -> tuple[int, int, int]:
    """Whole cases, items and persons of ``lines``."""
    return (sum(line.what == "case" for line in lines), sum(line.items for line in lines),
            sum(line.persons for line in lines))


class ExtendDialog(FormDialog):
    """Keep a case past its term: until when, and the motivation of the partners'
    decision, recorded in the file (ZVH 11.3-11.5).  A hint names the latest date the
    service allows; a refusal (no motivation, too late, not after the due date) appears
    at the field."""

    field_of_code: ClassVar[dict[str, str]] = {"retention.motivation": "motivation",
                                               "retention.extension_not_later": "until",
                                               "retention.extension_too_long": "until"}

    def __init__(self, line: DueLine, run: Runner, parent: QWidget | None = None,
                 *, rule: str | None = None, **kwargs: Any) -> None:
        """``rule``: the clock in words (the tab has them); its id otherwise."""
        super().__init__(_("Extend the term of case {case}").format(case=line.case_ref),
                         run, parent, ok_text=_("Record extension"), **kwargs)
        self.setMinimumWidth(520)
        self.line = line
        facts = _("Rule {rule} ({article}); due {due}.").format(
            rule=rule or line.rule, article=line.article, due=day_text(line.due_on))
        if line.extended_until is not None:
            facts += " " + _("Already extended until {day}.").format(
                day=day_text(line.extended_until))
        note = QLabel(facts)
        note.setWordWrap(True)
        self.add_row(note)
        limit = line.extend_limit
        hint = (_("At the latest {day}: each extension at most the covenant's term after "
                  "the current due date ({article}).").format(day=day_text(limit),
                                                               article=line.article)
                if limit is not None else "")
        self.until = self.add_field("until", _("Keep until"),
                                    date_field(limit or line.due_on), help_text=hint)
        self.motivation = self.add_field(
            "motivation", _("Motivation of the partners' decision"), text_area(lines=3),
            help_text=_("Recorded in the file; the audit trail notes only that it was "
                        "given."))
        self.motivation.setFocus()

    def job(self) -> Job:
        reference, until = str(self.line.case_ref), date_of(self.until)
        text = self.motivation.toPlainText()
        return lambda s: retention.extend(s, reference, until, text)
