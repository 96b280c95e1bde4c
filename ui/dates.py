"""Dates on screen as the ui-guide shows them ("di 24 nov 2026 09:30"), in the app's
language: one pattern for Babel (labels, tables) and the same for Qt's date editors."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit

from app.i18n import current_language, format_date, format_datetime

DATE = "EEE d MMM y"            # Babel (CLDR) pattern: "di 24 nov 2026"
DATETIME = "EEE d MMM y HH:mm"  # "di 24 nov 2026 09:30"
QT_DATE = "ddd d MMM yyyy"      # the same in Qt's pattern language
QT_DATETIME = "ddd d MMM yyyy HH:mm"
_QT_LOCALES = {
    "nl": (QLocale.Language.Dutch, QLocale.Country.Netherlands),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def show_date(value: dt.date | None) -> str:
    """A date as on every screen, or "—" for no date."""
    return format_date(value, DATE) if value is not None else "—"


def show_datetime(value: dt.datetime | None) -> str:
    """A date and time as on every screen, or "—" for none."""
    return format_datetime(value, DATETIME) if value is not None else "—"


def show_moment(value: str | dt.datetime | None) -> str:
    """A stored moment (UTC: ISO text, or a datetime, naive meaning UTC) in local time as
    on every screen, or "—" for none.  Text that is not a time is shown as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        moment = value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return show_datetime(moment.astimezone().replace(tzinfo=None))


def qt_locale() -> QLocale:
    """Qt's locale for the app's language (not the system's): day and month names of date
    editors and calendars."""
    language, country = _QT_LOCALES.get(current_language(), _QT_LOCALES["nl"])
    return QLocale(language, country)


def localise_date_edit(widget: QDateEdit) -> None:
    """Show ``widget`` (and its calendar) in the app's language and the ui-guide's
    format."""
    widget.setLocale(qt_locale())
    widget.setDisplayFormat(QT_DATE)
    calendar = widget.calendarWidget()
    if calendar is not None:
        calendar.setLocale(qt_locale())
