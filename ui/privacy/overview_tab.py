"""The read-only lists of the workbench: the processing register (ZVH 24.3), the
information duty overview (ZVH 16.6-16.7) and the management figures (ZVH 12.3, 11.7).

None of them holds case content: activities, labels, statuses, dates and counts.  The
figures tab is also the procesregisseur's "Figures" page (``READ_FIGURES``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from app.fsutil import atomic_write
from app.i18n import _, current_language
from app.services import figures, info_duty, processing_register
from app.services.session import Session
from app.views import PartyRef
from app.views.oversight import FIGURE_LABELS, FiguresView, InfoDutyView
from app.views.registers import ProcessingRegisterView
from ui.casework.forms import Runner
from ui.privacy.common import Tab, ask_save_path, cell, day_text, fit_columns, paint_badge, table


def _names(refs: tuple[PartyRef, ...]) -> str:
    lang = current_language()
    return "; ".join(r.label(lang) for r in refs)


def _fill(widget: QTableWidget, rows: list[list[str]]) -> None:
    widget.setRowCount(0)
    widget.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            widget.setItem(r, c, cell(text, tooltip=text if len(text) > 40 else None))
    fit_columns(widget)


class ProcessingTab(Tab):
    """The processing activities of the covenant, read-only, with an export."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(_("Controller"))
        self.outer.addWidget(self.heading)
        self.table = table([_("Activity"), _("Purpose"), _("Personal data"), _("Persons"),
                            _("Recipients"), _("Retention"), _("Phases")],
                           _("Processing register"))
        self.outer.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.format = QComboBox()
        self.format.setAccessibleName(_("Export format"))
        for code, label in (("csv", "CSV"), ("json", "JSON"), ("text", _("Text"))):
            self.format.addItem(label, code)
        row.addWidget(self.format)
        self.export_button = QPushButton(_("Export…"))
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.export_button)
        self.outer.addLayout(row)
        self.finish_layout()

    def load(self) -> None:
        super().load()
        self.call(processing_register.processing_register, self.show_register)

    def show_register(self, view: ProcessingRegisterView) -> None:
        """The controller line and one row per activity."""
        lang = current_language()
        c = view.controller
        self.heading.setText(_("{covenant} · controller: {name} · contact: {contact} · {article}"
                               ).format(covenant=view.covenant.get(lang), name=c.name.get(lang),
                                        contact=c.contact.get(lang), article=c.article))
        _fill(self.table, [[a.name.get(lang), a.purpose.get(lang), _names(a.data_categories),
                            _names(a.subject_categories), _names(a.recipients),
                            a.retention.get(lang), _names(a.phases)]
                           for a in view.activities])
        self.status.setText(_("{n} processing activities (profile {profile} {version}).").format(
            n=len(view.activities), profile=view.profile_id, version=view.profile_version))

    def export(self) -> None:
        """Ask where to save the register."""
        fmt = str(self.format.currentData())
        suffix = "txt" if fmt == "text" else fmt
        ask_save_path(self, _("Export processing register"), f"verwerkingsregister.{suffix}",
                      f"{fmt.upper()} (*.{suffix})", suffix,
                      lambda path: self.export_to(path, fmt))

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the register in ``fmt`` to ``path``."""
        lang = current_language()

        def job(session: Session) -> None:
            view = processing_register.processing_register(session)
            atomic_write(path, processing_register.render(view, fmt, lang).encode("utf-8"))

        self.call(job, lambda _r: self.status.setText(
            _("Written to {path}.").format(path=path)))

    def clear(self) -> None:
        super().clear()
        self.heading.clear()
        self.table.setRowCount(0)


class InfoDutyTab(Tab):
    """Persons not (yet) informed, with the motivation and the review date; this week's
    reviews on their own with one tick."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        row = QHBoxLayout()
        self.week_only = QCheckBox(_("Only what is due for review this week (or overdue)"))
        self.week_only.setAccessibleName(_("This week only"))
        self.week_only.toggled.connect(lambda _on: self.load())
        row.addWidget(self.week_only)
        row.addStretch(1)
        reload_button = QPushButton(_("Refresh"))
        reload_button.clicked.connect(self.load)
        row.addWidget(reload_button)
        self.outer.addLayout(row)
        self.table = table([_("Case"), _("Person"), _("Category"), _("Status"),
                            _("Motivation"), _("Expected"), _("Review on"), _("Review")],
                           _("Information duty"))
        self.outer.addWidget(self.table, 1)
        self.finish_layout()

    def load(self) -> None:
        super().load()
        week = dt.datetime.now().astimezone().date() if self.week_only.isChecked() else None
        self.call(lambda s: info_duty.overview(s, week_of=week), self.show_overview)

    def show_overview(self, view: InfoDutyView) -> None:
        """One row per person not informed; due and overdue reviews as badges."""
        lang = current_language()
        self.table.setRowCount(0)
        self.table.setRowCount(len(view.rows))
        for r, row in enumerate(view.rows):
            state, kind = ((_("overdue"), "late") if row.overdue else
                           (_("this week"), "due") if row.due_this_week else ("", None))
            values = [row.case_ref + (" " + _("(closed)") if row.case_closed else ""),
                      row.person_label, row.category.get(lang), _(row.status.label),
                      row.motivation or "—", day_text(row.informed_expected),
                      day_text(row.review_on), state]
            for c, text in enumerate(values):
                item = cell(text, tooltip=text if c == 4 and len(text) > 40 else None)
                if c == 7:
                    paint_badge(item, kind)
                self.table.setItem(r, c, item)
        fit_columns(self.table)
        self.status.setText(_("{n} persons not informed · week {start} to {end}.").format(
            n=len(view.rows), start=day_text(view.week_start), end=day_text(view.week_end)))

    def clear(self) -> None:
        super().clear()
        self.table.setRowCount(0)


class FiguresTab(Tab):
    """Management figures of one year without personal data; suppressed cells as "<5"."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(run, parent)
        row = QHBoxLayout()
        caption = QLabel(_("Year"))
        self.year = QSpinBox()
        this_year = dt.datetime.now().astimezone().year
        self.year.setRange(1970, this_year)
        self.year.setValue(this_year)
        self.year.setAccessibleName(_("Year"))
        caption.setBuddy(self.year)
        self.year.valueChanged.connect(lambda _y: self.load())
        row.addWidget(caption)
        row.addWidget(self.year)
        row.addStretch(1)
        self.outer.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.outer.addWidget(self.note)
        self.table = table([_("Figure"), _("Count")], _("Figures"))
        self.outer.addWidget(self.table, 1)
        self.finish_layout()

    def load(self) -> None:
        super().load()
        year = self.year.value()
        self.call(lambda s: figures.figures(s, year), self.show_figures)

    def show_figures(self, view: FiguresView) -> None:
        """The totals, then the cases per phase."""
        lang = current_language()
        rows = [[_(FIGURE_LABELS.get(c.key, c.key)), view.display(c)] for c in view.totals]
        rows += [[_("Entered phase: {phase}").format(phase=p.name.get(lang)),
                  view.display(p.entered)] for p in view.phases]
        _fill(self.table, rows)
        self.note.setText(_("{profile}, {year}. Counts below {n} are shown as \"<{n}\"; no "
                            "police or dagmonitor data are counted.").format(
                                profile=view.profile_name.get(lang), year=view.year,
                                n=view.threshold))

    def clear(self) -> None:
        super().clear()
        self.note.clear()
        self.table.setRowCount(0)
