"""The validated form: a dialog whose OK runs a service call and stays open on a refusal.

A :class:`FormDialog` collects input only.  On OK (or Enter, or Ctrl+Enter from inside a
multi-line field) it builds one *job* — a function of the session with the values typed
bound beforehand — and hands it to its runner, which runs it in the store thread.  When the
service refuses (:class:`app.errors.InputError`, :class:`app.errors.AccessDeniedError`),
the translated sentence appears in the dialog, under the field the error code names (or at
the top), the focus goes to that field, and everything typed stays (issue 13, point 7).
Only a success closes the dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import CasusError
from app.i18n import _, current_language
from app.services.session import Session
from app.tasks import Cancelled
from app.views import PartyRef
from ui import errors
from ui.dates import QT_DATETIME, localise_date_edit, qt_locale

Job = Callable[[Session], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
# Runs a job in the store thread and answers on the GUI thread (the window's worker).
Runner = Callable[[Job, Done, Failed], None]

W = TypeVar("W", bound=QWidget)

ERROR_STYLE = "color: #a4000f; font-weight: bold;"
INVALID_PROPERTY = "invalid"


class FormDialog(QDialog):
    """A form whose OK runs :meth:`job` through ``run``; refusals are shown at the field.

    Subclasses add their fields with :meth:`add_field` and implement :meth:`job`.
    ``field_of_code`` maps a service error code (or a code prefix ending in ``.``) to the
    key of the field it is about; :meth:`field_for` may look at the error's parameters too.
    ``done`` gets the job's result after the dialog closed (the window refreshes its views).
    """

    field_of_code: ClassVar[Mapping[str, str]] = {}

    def __init__(self, title: str, run: Runner, parent: QWidget | None = None, *,
                 done: Done | None = None, ok_text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._run = run
        self._done = done
        self.busy = False
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        # The top line: errors that name no field (a refusal of the role, a closed case).
        self.top_error = QLabel()
        self.top_error.setWordWrap(True)
        self.top_error.setStyleSheet(ERROR_STYLE)
        self.top_error.setAccessibleName(_("Error"))
        self.top_error.hide()
        outer.addWidget(self.top_error)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok_text:
            self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        # Ctrl+Enter submits from anywhere in the form, multi-line fields included, where
        # a plain Enter starts a new line.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.submit)

    # -- building -------------------------------------------------------------------------
    def add_field(self, key: str, label: str, widget: W, *, help_text: str = "") -> W:
        """Add ``widget`` as the field ``key`` with its label (also its accessible name,
        so assistive technology says which field it is) and a hidden error line."""
        widget.setAccessibleName(label)
        if isinstance(widget, QPlainTextEdit):
            # Tab moves on to the next field instead of typing a tab character.
            widget.setTabChangesFocus(True)
        caption = QLabel(label)
        caption.setBuddy(widget)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if help_text:
            hint = QLabel(help_text)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(mid);")
            column.addWidget(hint)
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        column.addWidget(error)
        self.form.addRow(caption, cell)
        self.fields[key] = widget
        self._errors[key] = error
        return widget

    def add_row(self, widget: QWidget) -> None:
        """A row without a field of its own (a note, a group of fields)."""
        self.form.addRow(widget)

    # -- submitting -----------------------------------------------------------------------
    def job(self) -> Job:
        """The service call for what was typed, its values bound now (subclasses)."""
        raise NotImplementedError

    def accept(self) -> None:
        """Enter on the default button submits; only a success closes the dialog."""
        self.submit()

    def submit(self) -> None:
        """Run the job; the dialog closes when it succeeds and stays open otherwise."""
        if self.busy:
            return
        self.clear_errors()
        try:
            job = self.job()
        except CasusError as error:  # a value the form itself could not read
            self.show_error(error)
            return
        self.busy = True
        self.ok_button.setEnabled(False)
        self._run(job, self._succeeded, self._failed)

    def _succeeded(self, result: Any) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.result_value = result
        super().accept()
        if self._done is not None:
            self._done(result)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.show_error(error)

    # -- errors ---------------------------------------------------------------------------
    def field_for(self, error: BaseException) -> str | None:
        """The key of the field ``error`` is about, or None (shown at the top)."""
        code = getattr(error, "code", "")
        if code in self.field_of_code:
            return self.field_of_code[code]
        prefixes = [p for p in self.field_of_code if p.endswith(".") and code.startswith(p)]
        return self.field_of_code[max(prefixes, key=len)] if prefixes else None

    def show_error(self, error: BaseException) -> None:
        """One translated sentence, at the field it names or at the top."""
        if isinstance(error, Cancelled):
            return
        message = errors.message_for(error)
        key = self.field_for(error)
        if key is not None and key in self._errors:
            label = self._errors[key]
            label.setText(message)
            label.show()
            widget = self.fields[key]
            widget.setProperty(INVALID_PROPERTY, True)
            widget.setAccessibleDescription(message)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.top_error.setText(message)
            self.top_error.show()

    def clear_errors(self) -> None:
        """Hide every error line (before the next try)."""
        self.top_error.clear()
        self.top_error.hide()
        for key, label in self._errors.items():
            label.clear()
            label.hide()
            self.fields[key].setProperty(INVALID_PROPERTY, False)
            self.fields[key].setAccessibleDescription("")

    def error_text(self, key: str | None = None) -> str:
        """The error shown at field ``key`` (or at the top): for tests and screenshots."""
        return self.top_error.text() if key is None else self._errors[key].text()


# --------------------------------------------------------------------------- field widgets

def text_area(text: str = "", *, lines: int = 4) -> QPlainTextEdit:
    """A multi-line field of about ``lines`` lines."""
    widget = QPlainTextEdit(text)
    widget.setTabChangesFocus(True)
    widget.setMinimumHeight(widget.fontMetrics().lineSpacing() * lines + 12)
    return widget


def picker(options: list[tuple[str, str]], *, none: str | None = None) -> QComboBox:
    """A sorted, searchable chooser of ``(id, label)``; with ``none`` a first empty choice,
    so that nothing is chosen unless the user chooses (issue 13, point 3)."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if none is not None:
        combo.addItem(none, "")
    for key, label in sorted(options, key=lambda option: option[1].casefold()):
        combo.addItem(label, key)
    completer = combo.completer()
    if completer is not None:
        # Typing a part of a name finds it anywhere in the name, not only at the start.
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCurrentIndex(0)
    combo.currentIndexChanged.connect(lambda _i: _show_start(combo))
    _show_start(combo)
    return combo


def _show_start(combo: QComboBox) -> None:
    # A long name (a subject category) shows its beginning, not its end.
    line = combo.lineEdit()
    if line is not None:
        line.setCursorPosition(0)


def party_options(parties: list[PartyRef] | tuple[PartyRef, ...]) -> list[tuple[str, str]]:
    """``(id, name)`` of parties in the current language."""
    lang = current_language()
    return [(p.id, p.label(lang)) for p in parties]


def chosen(combo: QComboBox) -> str:
    """The id chosen in a :func:`picker`; what the user typed must match a name exactly,
    else nothing is chosen (the service then names the field)."""
    index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchFixedString)
    if index < 0:
        return ""
    return str(combo.itemData(index) or "")


def date_field(day: dt.date | None = None) -> QDateEdit:
    """A date editor with a calendar, in the app's language (Qt's locale)."""
    widget = QDateEdit(QDate(day.year, day.month, day.day) if day else QDate.currentDate())
    # The app's language and the ui-guide's format ("di 24 nov 2026"), not the system
    # locale's (which gave "2 12 2026" in an English session).
    widget.setCalendarPopup(True)
    localise_date_edit(widget)
    widget.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return widget


def date_of(widget: QDateEdit) -> dt.date:
    """The date chosen."""
    value = widget.date()
    return dt.date(value.year(), value.month(), value.day())


def datetime_field(when: dt.datetime) -> QDateTimeEdit:
    """A date-and-time editor with a calendar."""
    widget = QDateTimeEdit(QDateTime(QDate(when.year, when.month, when.day),
                                     QTime(when.hour, when.minute)))
    widget.setLocale(qt_locale())
    widget.setCalendarPopup(True)
    widget.setDisplayFormat(QT_DATETIME)
    return widget


def datetime_of(widget: QDateTimeEdit) -> dt.datetime:
    """The local wall-clock time chosen (meeting times are local, see app.clock)."""
    value = widget.dateTime()
    day, time = value.date(), value.time()
    return dt.datetime(day.year(), day.month(), day.day(), time.hour(),  # noqa: DTZ001
                       time.minute())


def checklist(options: list[tuple[str, str]], *, checked: frozenset[str] = frozenset(),
              height: int = 180) -> QListWidget:
    """Checkable rows of ``(id, label)``, sorted by label; Space ticks the current row."""
    widget = QListWidget()
    widget.setMinimumHeight(height)
    for key, label in sorted(options, key=lambda option: option[1].casefold()):
        row = QListWidgetItem(label, widget)
        row.setData(Qt.ItemDataRole.UserRole, key)
        row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        row.setCheckState(Qt.CheckState.Checked if key in checked
                          else Qt.CheckState.Unchecked)
    if widget.count():
        widget.setCurrentRow(0)
    return widget


def checked_ids(widget: QListWidget) -> list[str]:
    """The ids of the ticked rows, in the order shown."""
    return [str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def set_checked(widget: QListWidget, key: str, on: bool = True) -> None:
    """Tick (or untick) the row of ``key`` (tests and keyboard helpers)."""
    for i in range(widget.count()):
        if widget.item(i).data(Qt.ItemDataRole.UserRole) == key:
            widget.item(i).setCheckState(Qt.CheckState.Checked if on
                                         else Qt.CheckState.Unchecked)


def filter_rows(widget: QListWidget, text: str) -> None:
    """Show only the rows whose label contains ``text`` (ticked rows stay visible)."""
    needle = text.casefold().strip()
    for i in range(widget.count()):
        row = widget.item(i)
        row.setHidden(bool(needle) and needle not in row.text().casefold()
                      and row.checkState() != Qt.CheckState.Checked)
