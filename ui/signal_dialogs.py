"""The forms of OND signal handling (OND 1.21-1.34): intake, weight, source research, the
overleg's decision and what the RIEC receives.

Each dialog collects input and builds one job calling :mod:`app.services.signals`; the
lists it offers (Bijlagen 1, 7 and 9, the municipal sources) come from
:func:`app.services.signals.lists`, loaded before the form opens.  The offer is a
convenience only: the service checks every choice again.  Error codes map to the field
they are about (``field_of_code``), so a refusal shows at the field and nothing typed is
lost.  Not yet wired into the main window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QListWidget, QWidget

from app.i18n import N_, _, current_language
from app.services import signals
from app.views.signal import CodeRef, SignalLists
from ui.casework.forms import (
    FormDialog,
    Job,
    Runner,
    checked_ids,
    checklist,
    chosen,
    date_field,
    date_of,
    filter_rows,
    party_options,
    picker,
    text_area,
)

DEFAULT_BASIS = "art. 6 lid 1 sub e AVG; OND 6.1"

# What each kind of source is called in the intake form (OND 1.22, Bijlage 6).
SOURCE_KIND_LABELS = {
    "party": N_("A party of the covenant"),
    "burger": N_("A citizen"),
    "professional": N_("A professional outside the covenant"),
    "mma": N_("Meld Misdaad Anoniem"),
    "anoniem": N_("Anonymous"),
}

OUTCOME_LABELS = {
    "casus": N_("The signal becomes a casus (OND 1.23)"),
    "geen_casus": N_("The signal does not become a casus"),
    "riec": N_("Scale up to the RIEC (OND 1.34)"),
}


def _none() -> str:
    return _("— choose —")


def _code_options(codes: Sequence[CodeRef]) -> list[tuple[str, str]]:
    lang = current_language()
    return [(c.id, f"{c.text.get(lang)} ({c.id})") for c in codes]


def _yes_no(none: bool = False) -> QComboBox:
    combo = QComboBox()
    if none:
        combo.addItem(_("— not applicable —"), None)
    combo.addItem(_("Yes"), True)
    combo.addItem(_("No"), False)
    return combo


def _filtered(dialog: FormDialog, key: str, label: str, widget: QListWidget) -> QListWidget:
    """A checklist with a search line above it (Bijlage 1 has 120 indicators)."""
    search = QLineEdit()
    search.setPlaceholderText(_("Search"))
    search.textChanged.connect(lambda text: filter_rows(widget, text))
    dialog.add_field(f"{key}_search", _("Search {what}").format(what=label), search)
    dialog.add_field(key, label, widget)
    return widget


class _SignalForm(FormDialog):
    """A form whose ``field_of_code`` keys may also be code prefixes ending in ``_``
    (``signal.source_`` covers ``signal.source_police``, ...); the longest match wins."""

    def field_for(self, error: BaseException) -> str | None:
        """The key of the field ``error`` is about, or None (shown at the top)."""
        code = getattr(error, "code", "")
        keys = [k for k in self.field_of_code
                if k == code or (k.endswith(("_", ".")) and code.startswith(k))]
        return self.field_of_code[max(keys, key=len)] if keys else None


class IntakeDialog(_SignalForm):
    """Ontvangst en intake (OND 1.27, Bijlage 6): who brought the signal and when, the
    cause and the description (stored as items), the indicators of Bijlage 1, the
    municipal task of Bijlage 9 and whether it concerns the municipality's territory."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "signal.source_kind": "source_kind", "signal.source_party": "source_party",
        "signal.reported_future": "reported_on", "signal.cause_empty": "cause",
        "signal.indicator_": "indicators", "signal.task_unknown": "task",
        "item.basis": "basis", "item.empty": "cause", "person.": "person"}

    def __init__(self, lists: SignalLists, reference: str, run: Runner,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Intake of the signal"), run, parent, ok_text=_("Register"),
                         **kwargs)
        self.setMinimumWidth(680)
        self.reference = reference
        self.source_kind = self.add_field("source_kind", _("Brought by"), QComboBox())
        for kind in signals.SOURCE_KINDS:
            self.source_kind.addItem(_(SOURCE_KIND_LABELS[kind]), kind)
        self.source_party = self.add_field(
            "source_party", _("Party that brought it"),
            picker(party_options(lists.parties), none=_none()))
        self.reported_on = self.add_field("reported_on", _("Date of the report"), date_field())
        self.cause = self.add_field("cause", _("Cause"), text_area(lines=3),
                                    help_text=_("Stored as an item of your party."))
        self.description = self.add_field("description", _("Description of the signal"),
                                          text_area(lines=3))
        self.person = self.add_field("person", _("About person"), QLineEdit("B1"))
        self.indicators = _filtered(self, "indicators", _("Indicators (Bijlage 1)"),
                                    checklist(_code_options(lists.indicators), height=200))
        self.task = self.add_field(
            "task", _("Municipal task or power (Bijlage 9)"),
            picker(_code_options(lists.tasks), none=_("none applies")))
        self.territory = self.add_field("territory", _("On the municipality's territory"),
                                        QCheckBox(_("Yes")))
        self.basis = self.add_field("basis", _("Legal basis"), QLineEdit(DEFAULT_BASIS))

    def job(self) -> Job:
        ref = self.reference
        kind = str(self.source_kind.currentData() or "")
        party = chosen(self.source_party) or None
        day, cause = date_of(self.reported_on), self.cause.toPlainText()
        description, person = self.description.toPlainText(), self.person.text().strip() or None
        indicators, task = checked_ids(self.indicators), chosen(self.task) or None
        territory, basis = self.territory.isChecked(), self.basis.text()
        return lambda s: signals.intake(
            s, ref, source_kind=kind, source_party=party, reported_on=day, cause=cause,
            description=description, indicators=indicators, municipal_task=task,
            on_territory=territory, legal_basis=basis, person=person)


class WeightDialog(_SignalForm):
    """Zwaarte signaal (OND 1.28, Bijlage 7): the criteria met and the explanation; a
    signal that meets one criterion is heavy enough for the source research."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "signal.criterion_unknown": "criteria", "signal.weight_no_criterion": "criteria",
        "signal.weight_contradicts": "criteria", "signal.explanation_empty": "explanation",
        "item.basis": "basis", "person.": "person"}

    def __init__(self, lists: SignalLists, reference: str, run: Runner,
                 parent: QWidget | None = None, *, suggested: Sequence[str] = (),
                 **kwargs: Any) -> None:
        super().__init__(_("Weight of the signal"), run, parent, ok_text=_("Record"), **kwargs)
        self.setMinimumWidth(680)
        self.reference = reference
        self.criteria = self.add_field(
            "criteria", _("Criteria met (Bijlage 7)"),
            checklist(_code_options(lists.criteria), checked=frozenset(suggested)),
            help_text=_("Ticked in advance: what the intake already shows."))
        self.explanation = self.add_field("explanation", _("Explanation"), text_area(lines=4),
                                          help_text=_("Stored as an item of your party."))
        self.person = self.add_field("person", _("About person"), QLineEdit("B1"))
        self.basis = self.add_field("basis", _("Legal basis"), QLineEdit(DEFAULT_BASIS))

    def job(self) -> Job:
        ref, criteria = self.reference, checked_ids(self.criteria)
        explanation, basis = self.explanation.toPlainText(), self.basis.text()
        person = self.person.text().strip() or None
        return lambda s: signals.weigh(s, ref, criteria=criteria, explanation=explanation,
                                       legal_basis=basis, person=person)


class SourceDialog(_SignalForm):
    """Bronnenonderzoek (OND 1.29): one municipal source, hit or no hit, and relevance."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "signal.source_": "source", "signal.register_unknown": "register",
        "signal.relevance_": "relevant", "signal.checked_future": "checked_on"}

    def __init__(self, lists: SignalLists, reference: str, run: Runner,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Source research"), run, parent, ok_text=_("Record"), **kwargs)
        self.reference = reference
        self.source = self.add_field("source", _("Source (department)"),
                                     picker(party_options(lists.sources), none=_none()))
        lang = current_language()
        self.register = self.add_field(
            "register", _("Kind of data consulted"),
            picker([(r.id, r.text.get(lang)) for r in lists.registers], none=_none()))
        self.hit = self.add_field("hit", _("Answer"), QComboBox())
        self.hit.addItem(_("Hit"), True)
        self.hit.addItem(_("No hit"), False)
        self.relevant = self.add_field("relevant", _("Relevant to the signal"),
                                       _yes_no(none=True))
        self.checked_on = self.add_field("checked_on", _("Consulted on"), date_field())

    def job(self) -> Job:
        ref, src, reg = self.reference, chosen(self.source), chosen(self.register)
        hit, relevant = bool(self.hit.currentData()), self.relevant.currentData()
        day = date_of(self.checked_on)
        return lambda s: signals.source(s, ref, source=src, register=reg, hit=hit,
                                        relevant=relevant, checked_on=day)


class DecisionDialog(_SignalForm):
    """The overleg's decision (OND 1.23, 1.31, 1.34) and the Bijlage 9 tasks to be used."""

    field_of_code: ClassVar[Mapping[str, str]] = {
        "signal.outcome": "outcome", "signal.task_unknown": "tasks",
        "signal.decided_future": "decided_on"}

    def __init__(self, lists: SignalLists, reference: str, run: Runner,
                 parent: QWidget | None = None, *, meeting_id: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(_("Decision of the overleg"), run, parent, ok_text=_("Record"),
                         **kwargs)
        self.setMinimumWidth(640)
        self.reference, self.meeting_id = reference, meeting_id
        self.outcome = self.add_field("outcome", _("Decision"), QComboBox())
        for outcome in signals.OUTCOMES:
            self.outcome.addItem(_(OUTCOME_LABELS[outcome]), outcome)
        self.tasks = _filtered(self, "tasks", _("Tasks and powers to use (Bijlage 9)"),
                               checklist(_code_options(lists.tasks), height=160))
        self.decided_on = self.add_field("decided_on", _("Decided on"), date_field())

    def job(self) -> Job:
        ref, meeting = self.reference, self.meeting_id
        outcome, tasks = str(self.outcome.currentData() or ""), checked_ids(self.tasks)
        day = date_of(self.decided_on)
        return lambda s: signals.decide(s, ref, outcome=outcome, meeting_id=meeting,
                                        decided_on=day, tasks=tasks)


class RiecDialog(_SignalForm):
    """What the RIEC receives on opschaling (OND 1.34, 23.1): the items chosen; only what
    the providing department shared with the RIEC to keep can go (OND 23.2)."""

    field_of_code: ClassVar[Mapping[str, str]] = {"signal.riec_": "items"}

    def __init__(self, items: Sequence[tuple[int, str]], reference: str, run: Runner,
                 parent: QWidget | None = None, **kwargs: Any) -> None:
        super().__init__(_("Scale up to the RIEC"), run, parent, ok_text=_("Record"), **kwargs)
        self.setMinimumWidth(600)
        self.reference = reference
        self.add_row(QLabel(_("Each item is entered in the disclosure register.")))
        self.items = self.add_field(
            "items", _("Items the RIEC receives"),
            checklist([(str(item_id), label) for item_id, label in items]))

    def job(self) -> Job:
        ref, chosen_ids = self.reference, [int(i) for i in checked_ids(self.items)]
        return lambda s: signals.riec(s, ref, item_ids=chosen_ids)
