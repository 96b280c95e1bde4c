"""The report dialog offers what ``app`` allows (issue 13, point 8): the kinds and recipients
come from app.services.report_options (ZVH 13.2, 15.2), refused ones are disabled with the
reason; a table version that would be empty is made only after a warning; the preview is
sharp (>= 150 dpi), zooms, pages and fits 1366 x 768; Save and Print say where the file
went, and both files are readable by the user only."""

from __future__ import annotations

import hashlib
import io
import stat
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialogButtonBox

from app.views import ReportKind
from tests.ui.support import TIMEOUT, World, open_case, unlock, wait_idle
from ui.main_window import MainWindow
from ui.main_window import reports as mw
from ui.report_dialog import RENDER_DPI, TABLE, PreviewDialog, ReportDialog


def _capture(monkeypatch: pytest.MonkeyPatch, choose: Any = None) -> list[ReportDialog]:
    """Replace the dialog class: record each dialog; accept it after ``choose(dialog)``
    (or cancel it without ``choose``)."""
    made: list[ReportDialog] = []

    class Capturing(ReportDialog):
        def exec(self) -> int:
            made.append(self)
            if choose is None:
                return 0
            choose(self)
            return 1

    monkeypatch.setattr(mw, "ReportDialog", Capturing)
    return made


def _enabled(combo: Any, index: int) -> bool:
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    return bool(model.item(index).isEnabled())


def _ok(dialog: ReportDialog) -> bool:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    return bool(button.isEnabled())


def test_chair_is_offered_minutes_and_agenda_zvh_13_2(qtbot: Any, world: World, store: Path,
                                                      make_window: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """ZVH 13.2, 15.2: the chair may make the notulen (table or a party present) and send
    the agenda to an invited party; the service's answer enables them."""
    made = _capture(monkeypatch)
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    window.reporting.make_report()
    qtbot.waitUntil(lambda: bool(made), timeout=TIMEOUT)
    dialog = made[0]
    kinds = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    assert kinds == [ReportKind.MINUTES.value, ReportKind.AGENDA.value]
    assert all(_enabled(dialog.kind, i) for i in range(dialog.kind.count()))
    assert dialog.recipient.currentData() == TABLE
    assert _ok(dialog)
    assert dialog.reason.isHidden()
    present = set(world.present)
    for i in range(dialog.recipient.count()):
        party = dialog.recipient.itemData(i)
        if party != TABLE:  # only parties present may get their notulen (ZVH 15.2)
            assert _enabled(dialog.recipient, i) == (party in present)


def test_deelnemer_sees_kinds_disabled_with_reason_zvh_15_2(
        qtbot: Any, world: World, store: Path, make_window: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """ZVH 15.2: reports are made by the procesregisseur and the minute taker; a deelnemer
    sees the kinds greyed out, the reason with its article, and no OK."""
    made = _capture(monkeypatch)
    window = make_window()
    party = next(p for p in world.present if p in world.deelnemers)
    unlock(qtbot, window, store, world.deelnemers[party])
    assert window.dashboard.meeting is not None
    window.reporting.make_report()
    qtbot.waitUntil(lambda: bool(made), timeout=TIMEOUT)
    dialog = made[0]
    assert dialog.kind.count() == 2
    assert not any(_enabled(dialog.kind, i) for i in range(dialog.kind.count()))
    tooltip = str(dialog.kind.itemData(0, Qt.ItemDataRole.ToolTipRole))
    assert "ZVH 15.2" in tooltip
    assert "ZVH 15.2" in dialog.reason.text()
    assert not dialog.reason.isHidden()
    assert not _ok(dialog)
    assert dialog.recipient.count() == 0


def _preview(qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
             recipient: str) -> PreviewDialog:
    def choose(dialog: ReportDialog) -> None:
        dialog.recipient.setCurrentIndex(dialog.recipient.findData(recipient))

    _capture(monkeypatch, choose)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.reporting.make_report()
    preview = window.reporting.preview
    assert preview is not None
    return preview


def test_preview_is_sharp_zooms_pages_and_fits(qtbot: Any, world: World, store: Path,
                                               make_window: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages are rasterised at >= 150 dpi (pypdfium2 scale = dpi / 72), the zoom changes
    the shown size, PgDn / Next go to the next page, and the preview fits 1366 x 768."""
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    preview = _preview(qtbot, window, monkeypatch, world.present[0])
    assert preview.report is not None
    width_pt = float(PdfReader(io.BytesIO(preview.report.pdf)).pages[0]
                     .mediabox.width)
    dpi = preview.images[0].width() / (width_pt / 72)
    assert dpi >= 150
    assert RENDER_DPI >= 150
    assert len(preview.images) == preview.report.pages
    preview.zoom.setCurrentIndex(preview.zoom.findData(1.0))
    at_100 = preview.page_view.width()
    preview.zoom.setCurrentIndex(preview.zoom.findData(2.0))
    assert preview.page_view.width() > at_100 * 1.8
    if preview.report.pages > 1:
        preview.next_page.click()
        assert preview.page == 1
        assert "2" in preview.page_label.text()
    preview.show_page(999)
    assert preview.page == preview.report.pages - 1
    assert not preview.next_page.isEnabled()
    hint = preview.minimumSizeHint()
    assert hint.width() <= 1366
    assert hint.height() <= 768
    room = preview.screen().availableGeometry().size()
    assert preview.size().boundedTo(room) == preview.size()
    assert preview.size().boundedTo(QSize(900, 1000)) == preview.size()


def test_save_and_print_to_file_confirm_and_are_user_only(
        qtbot: Any, world: World, store: Path, make_window: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Save and "print to file" say where the PDF went, and both files are 0600 (the
    report holds personal data) with the report's own SHA-256."""
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    preview = _preview(qtbot, window, monkeypatch, world.present[0])
    report = preview.report
    assert report is not None
    saved = tmp_path / "saved.pdf"
    preview.save_to(saved)
    assert str(saved.resolve()) in preview.status.text()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    preview.print_to(printer)
    assert str(printed.resolve()) in preview.status.text()
    assert stat.S_IMODE(printed.stat().st_mode) == 0o600
    assert hashlib.sha256(printed.read_bytes()).hexdigest() == report.sha256
    preview.wipe()
    preview.print_to(printer)  # after a lock nothing is printed any more
    assert preview.status.text() == ""


def test_empty_table_version_warns_first_zvh_13_2(qtbot: Any, world: World, store: Path,
                                                  make_window: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """ZVH 13.2: a party present but not invited for the case blocks the table version's
    content; the chair is warned before it is made, and "No" makes nothing."""
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    reference, _party = world.stay
    open_case(qtbot, window, reference)

    def choose(dialog: ReportDialog) -> None:
        dialog.recipient.setCurrentIndex(dialog.recipient.findData(TABLE))

    _capture(monkeypatch, choose)
    window.reporting.make_report()
    qtbot.waitUntil(lambda: window.reporting.warning is not None, timeout=TIMEOUT)
    warning = window.reporting.warning
    assert warning is not None
    assert "empty" in warning.text()
    warning.reject()
    wait_idle(qtbot, window)
    assert window.reporting.preview is None
    window.reporting.make_report()
    qtbot.waitUntil(lambda: window.reporting.warning is not None
                    and window.reporting.warning is not warning, timeout=TIMEOUT)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.reporting.warning.accept()
    assert window.reporting.preview is not None


def test_minute_taker_makes_minutes_not_the_agenda_zvh_15_2(
        qtbot: Any, world: World, store: Path, make_window: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """ZVH 15.2 / 13.2: the minute taker of the meeting makes its notulen (table or a party
    present); the agenda stays with the chair (ZVH 13.2), shown disabled with the article."""
    made = _capture(monkeypatch)
    window = make_window()
    unlock(qtbot, window, store, world.meeting["notulist"])
    assert window.dashboard.meeting is not None
    window.reporting.make_report()
    qtbot.waitUntil(lambda: bool(made), timeout=TIMEOUT)
    dialog = made[0]
    minutes = dialog.kind.findData(ReportKind.MINUTES.value)
    agenda = dialog.kind.findData(ReportKind.AGENDA.value)
    assert _enabled(dialog.kind, minutes)
    assert not _enabled(dialog.kind, agenda)
    # The article of the rule that refused it (app.policy.access), not one the UI picked.
    assert "(ZVH 15.2)" in str(dialog.kind.itemData(agenda, Qt.ItemDataRole.ToolTipRole))
    assert dialog.kind.currentIndex() == minutes
    assert dialog.recipient.currentData() == TABLE
    assert _ok(dialog)
