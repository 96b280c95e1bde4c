"""Language and words on screen (issue 13, point 9): a language switch applies from the next
start and says so (nothing changes before, so no mix), the language in force is checked
in the menu; no raw ids (a meeting by its date and place, a phase by its name); dates as in
the ui-guide ("di 24 nov 2026 09:30"), Qt's date editors included; "—" only for no data,
never for withheld data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt

from app.i18n import current_language, format_date, set_language
from app.profiles import LocalText
from app.views import AgendaItemView, CaseFlags, CaseRowView, GrantView, PartyRef
from tests.ui.support import World, open_case, unlock
from ui.case_view import CaseWidget
from ui.casework.forms import date_field, datetime_field
from ui.dates import DATE, show_date, show_datetime
from ui.models import AgendaModel

POLICE = PartyRef("politie-rotterdam", LocalText("Politie", "Police"))
CASE_MEETING = LocalText("Casusoverleg", "Case meeting")
# Meeting times are local wall-clock times (app.clock), naive like in the views.
MEETING_AT = dt.datetime(2026, 11, 24, 9, 30)  # noqa: DTZ001


def test_language_switch_applies_after_restart_and_says_so(make_window: Any,
                                                           settings: QSettings) -> None:
    """The menu checks the language on screen (English here); choosing Nederlands stores
    it for the next start, changes nothing now (no half-Dutch window) and says so."""
    window = make_window()
    actions = window.language_actions
    assert actions["en"].isChecked()
    assert not actions["nl"].isChecked()
    lock_text = window.a_lock.text()
    actions["nl"].trigger()
    assert settings.value("language") == "nl"
    assert current_language() == "en"  # the catalog in force did not switch
    assert window.a_lock.text() == lock_text
    assert actions["en"].isChecked()  # still the language on screen
    assert "restart" in actions["nl"].text()
    notice = window.language_notice
    assert notice is not None
    assert "Nederlands" in notice.text()
    assert "English" in notice.text()
    assert "next start" in notice.text()
    notice.reject()
    actions["en"].trigger()  # back: nothing pending any more
    assert settings.value("language") == "en"
    assert actions["nl"].text() == "Nederlands"
    window.language_notice.reject()


def test_date_editors_speak_the_app_language(qapp: Any) -> None:
    """Qt's date editors follow the app's language and the ui-guide's format, not the
    system locale (which showed "2 12 2026" in English)."""
    language = current_language()
    try:
        set_language("nl")
        editor = date_field(dt.date(2026, 11, 24))
        assert editor.text() == "di 24 nov 2026"
        assert editor.calendarWidget().locale().name() == "nl_NL"
        assert datetime_field(MEETING_AT).text() == "di 24 nov 2026 09:30"
        set_language("en")
        assert date_field(dt.date(2026, 11, 24)).text() == "Tue 24 Nov 2026"
        assert show_datetime(MEETING_AT) == "Tue 24 Nov 2026 09:30"
        set_language("nl")
        assert show_datetime(MEETING_AT) == "di 24 nov 2026 09:30"
    finally:
        set_language(language)


def test_grants_name_meeting_phase_and_item_never_their_ids(qtbot: Any) -> None:
    """The sharing tab names a meeting by its date and place and a phase by its name; an
    item unknown to the screen is "one item", never "item 17" or "meeting 7"."""
    widget = CaseWidget()
    qtbot.addWidget(widget)
    grants = [
        GrantView(1, None, None, POLICE, None, 7, False,
                  meeting_at=MEETING_AT, meeting_place="Stadhuis"),
        GrantView(2, None, "zorg", POLICE, "casusoverleg", None, False,
                  phase_name=CASE_MEETING, category_name=LocalText("Zorg", "Care")),
        GrantView(3, 17, None, POLICE, None, None, True),
    ]
    widget.show_sharing(grants, [])
    rows = [widget.grants.topLevelItem(i) for i in range(widget.grants.topLevelItemCount())]
    texts = [[row.text(c) for c in range(4)] for row in rows if row is not None]
    assert texts[0][2] == "meeting of " + show_datetime(MEETING_AT) \
        + " · Stadhuis"
    assert texts[1][1] == "Care"
    assert texts[1][2] == "Case meeting"
    assert texts[2][1] == "one item"
    flat = " ".join(" ".join(t) for t in texts)
    for raw in ("casusoverleg", "zorg", "17", "meeting 7"):
        assert raw not in flat


def _agenda_row(*, content_visible: bool) -> AgendaModel:
    row = CaseRowView(1, "ZVH-2026-0001", None, CASE_MEETING, "casusoverleg", None, 2, 1,
                      CaseFlags(), "2026-11-24T08:30:00+00:00", content_visible)
    model = AgendaModel()
    model.set_items([AgendaItemView(1, row, (POLICE,), (), ())])
    return model


def _cells(model: AgendaModel) -> dict[str, str]:
    return {str(model.headerData(c, Qt.Orientation.Horizontal,
                                 Qt.ItemDataRole.DisplayRole)):
            str(model.data(model.index(0, c), Qt.ItemDataRole.DisplayRole))
            for c in range(model.columnCount())}


def test_withheld_is_the_placeholder_not_the_dash(qapp: Any) -> None:
    """"—" means no data: a row whose content is withheld shows the masked placeholder in
    its counts; its phase is the phase's name and its date in the ui-guide's format."""
    shown = _cells(_agenda_row(content_visible=True))
    withheld = _cells(_agenda_row(content_visible=False))
    assert shown["Actions"] == "2 (1!)"
    assert withheld["Actions"] != "—"
    assert "Masked" in withheld["Actions"]
    assert shown["Phase"] == "Case meeting"
    assert "casusoverleg" not in " ".join(shown.values())
    assert "2026-11-24" not in " ".join(shown.values())
    assert any(v.startswith("Tue 24 Nov 2026") for v in shown.values())


def test_case_dates_as_in_the_ui_guide(qtbot: Any, world: World, store: Path,
                                       make_window: Any) -> None:
    """The case screen shows its dates as "Tue 24 Nov 2026" (format_date with the guide's
    pattern), never an ISO date."""
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    checked = 0
    for reference in world.agenda_refs():
        open_case(qtbot, window, reference)
        case = window.case_widget
        view = case.view
        assert view is not None
        shown = {case.items.topLevelItem(i).text(3)
                 for i in range(case.items.topLevelItemCount())}
        expected = {format_date(item.provided_on, DATE) for item in view.items}
        assert shown == expected == {show_date(item.provided_on) for item in view.items}
        for i, action in enumerate(view.actions):
            row = case.action_tree.topLevelItem(i)
            assert row is not None
            assert row.text(2) == show_date(action.due_on)
        checked += len(view.items) + len(view.actions)
        if checked:
            break
    assert checked
