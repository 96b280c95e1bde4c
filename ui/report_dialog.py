"""Making a report from the app: choose kind, recipient and language; preview in memory;
save where the user chooses; print.  The PDF never touches the disk before "Save": pages
are rasterised in memory (pypdfium2) for the preview and for printing."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pypdfium2
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QStandardItemModel,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.i18n import LANGUAGES, _, format_msgid
from app.services.reports import save_report
from app.views import (
    MeetingView,
    PartyRef,
    ReportKind,
    ReportOption,
    ReportRequest,
    ReportResult,
)
from ui.casework.forms import date_field, date_of
from ui.dialogs import ok_cancel_buttons

TABLE = "\x00table"  # combo data for "the table as a whole" (never None, see PySide6 note)


def invited_parties(meeting: MeetingView) -> list[PartyRef]:
    """The parties invited for a case on the agenda as the user sees it (the recipients of
    its agenda), in agenda order."""
    found: dict[str, PartyRef] = {}
    for entry in meeting.agenda:
        for party in entry.invited:
            found.setdefault(party.id, party)
    return list(found.values())


class ReportDialog(QDialog):
    """Choose kind, recipient (a party or the table), language and period.

    ``options``: the kinds of this screen with the recipients the user may choose, decided
    in ``app`` (:func:`app.services.report_options.report_options`); a kind or recipient
    the user may not choose is shown disabled with the reason, never left out silently.
    ``parties``: the parties the screen shows (a case's parties, a meeting's attendees);
    ``meeting``: the meeting on screen, whose invited parties are the agenda's recipients.
    The service checks every choice again.
    """

    def __init__(self, options: Sequence[ReportOption], parties: Sequence[PartyRef],
                 ui_lang: str, parent: QWidget | None = None, *,
                 meeting: MeetingView | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Make a report"))
        form = QFormLayout(self)
        self._options = {option.kind: option for option in options}
        self._parties = list(parties)
        self._invited = invited_parties(meeting) if meeting is not None else []
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Report"))
        for option in options:
            self.kind.addItem(_(option.kind.label), option.kind.value)
            if not option.allowed:
                _disable(self.kind, self.kind.count() - 1, _reason(option.reason, option))
        self.recipient = QComboBox()
        self.recipient.setAccessibleName(_("Recipient"))
        self.lang = QComboBox()
        self.lang.setAccessibleName(_("Language of the report"))
        for lang, label in (("nl", "Nederlands"), ("en", "English")):
            self.lang.addItem(label, lang)
        self.lang.setCurrentIndex(LANGUAGES.index(ui_lang) if ui_lang in LANGUAGES else 0)
        self.date_from = date_field(clock.today() - dt.timedelta(days=91))
        self.date_from.setAccessibleName(_("Period from"))
        self.date_to = date_field(clock.today())
        self.date_to.setAccessibleName(_("Period to"))
        # Why the current choice cannot be made (the reason of a disabled kind/recipient).
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(_("Why this report cannot be made"))
        form.addRow(_("Report"), self.kind)
        form.addRow(_("Recipient"), self.recipient)
        form.addRow(_("Language of the report"), self.lang)
        form.addRow(_("From"), self.date_from)
        form.addRow(_("To"), self.date_to)
        form.addRow(self.reason)
        self.buttons = ok_cancel_buttons(self)
        form.addRow(self.buttons)
        first = next((i for i, o in enumerate(options) if o.allowed), 0)
        self.kind.setCurrentIndex(first)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.recipient.currentIndexChanged.connect(lambda _i: self._update_reason())
        self._kind_changed()

    def _chosen_kind(self) -> ReportKind:
        return ReportKind(str(self.kind.currentData()))

    def _option(self) -> ReportOption | None:
        if self.kind.currentIndex() < 0:
            return None
        return self._options.get(self._chosen_kind())

    def _kind_changed(self) -> None:
        option = self._option()
        period = option is not None and option.kind.has_period
        self.date_from.setEnabled(period)
        self.date_to.setEnabled(period)
        self._fill_recipients(option)
        self._update_reason()

    def _fill_recipients(self, option: ReportOption | None) -> None:
        """The recipients of this kind, disabled with the reason where the user may not
        choose them; the choice is kept where it still fits."""
        chosen = self.recipient.currentData()
        self.recipient.blockSignals(True)
        self.recipient.clear()
        if option is not None and option.allowed:
            if option.kind.for_table:
                self.recipient.addItem(_("The table (every party present)"), TABLE)
                if not option.table:
                    _disable(self.recipient, 0, _reason(option.table_reason, option))
            for party in (self._invited if option.kind is ReportKind.AGENDA
                          else self._parties):
                self.recipient.addItem(party.label(), party.id)
                if party.id not in option.parties:
                    _disable(self.recipient, self.recipient.count() - 1,
                             _reason(option.party_reason, option))
        enabled = [i for i in range(self.recipient.count()) if _enabled(self.recipient, i)]
        index = self.recipient.findData(chosen) if chosen is not None else -1
        if index not in enabled:
            index = enabled[0] if enabled else -1
        self.recipient.setCurrentIndex(index)
        self.recipient.blockSignals(False)

    def _update_reason(self) -> None:
        option = self._option()
        if option is None:
            text = _("No report can be made on this screen.")
        elif not option.allowed:
            text = _reason(option.reason, option)
        elif self.recipient.currentIndex() < 0:
            text = _("Nobody may receive this report from you.")
        else:
            text = ""
        self.reason.setText(text)
        self.reason.setVisible(bool(text))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(not text)

    def can_accept(self) -> bool:
        """Whether the current choice may be made (OK is enabled)."""
        return not self.reason.text()

    def value(self) -> ReportRequest:
        """The request as chosen; the case or meeting it is about is added by the caller
        (:func:`app.services.screens.report_on_screen`)."""
        kind = self._chosen_kind()
        recipient = str(self.recipient.currentData())
        period = kind.has_period
        return ReportRequest(
            kind=kind.value,
            lang=str(self.lang.currentData()),
            recipient=None if recipient == TABLE else recipient,
            table=recipient == TABLE,
            date_from=date_of(self.date_from) if period else None,
            date_to=date_of(self.date_to) if period else None,
        )


def _reason(message: str, option: ReportOption) -> str:
    return format_msgid(message, {"article": option.article}) if message else ""


def _disable(combo: QComboBox, index: int, reason: str) -> None:
    """Grey out one entry of ``combo`` with ``reason`` as its tooltip."""
    model = combo.model()
    if isinstance(model, QStandardItemModel):
        item = model.item(index)
        if item is not None:
            item.setEnabled(False)
    combo.setItemData(index, reason, Qt.ItemDataRole.ToolTipRole)
    combo.setItemData(index, reason, Qt.ItemDataRole.AccessibleDescriptionRole)


def _enabled(combo: QComboBox, index: int) -> bool:
    model = combo.model()
    if isinstance(model, QStandardItemModel):
        item = model.item(index)
        return item is not None and item.isEnabled()
    return True


def render_pages(pdf: bytes, scale: float) -> list[QImage]:
    """Rasterise every page in memory."""
    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            bitmap = document[index].render(scale=scale)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes()
            image = QImage(data, pil.width, pil.height, pil.width * 3,
                           QImage.Format.Format_RGB888)
            images.append(image.copy())  # detach from the Python buffer
    finally:
        document.close()
    return images


# Pages are rasterised once at this resolution (pypdfium2's scale is dpi / 72): sharp at
# 150 % zoom on a 96 dpi screen and at 100 % on a 2x screen, and never below 150 dpi.
RENDER_DPI = 200
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
FIT_WIDTH = 0.0  # zoom combo data: the page as wide as the view


class PreviewDialog(QDialog):
    """Shows the pages one at a time, with zoom and page navigation; Save writes the PDF
    where the user chooses, Print sends it; both say where it went."""

    def __init__(self, result: ReportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # ``None`` once wiped (lock): nothing can be saved or printed from then on.
        self.report: ReportResult | None = result
        self.saved_to: Path | None = None
        self.printed_to: Path | None = None
        self.page = 0
        self.setWindowTitle(_("Preview — document {id}").format(id=result.document_id))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{pages} pages · document {id} · SHA-256 {sha}").format(
            pages=result.pages, id=result.document_id, sha=result.sha256[:16] + "…")))
        self.images = render_pages(result.pdf, RENDER_DPI / 72)
        bar = QHBoxLayout()
        self.previous_page = QPushButton(_("Previous page"))
        self.previous_page.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_page = QPushButton(_("Next page"))
        self.next_page.clicked.connect(lambda: self.show_page(self.page + 1))
        self.page_label = QLabel()
        self.zoom = QComboBox()
        self.zoom.setAccessibleName(_("Zoom"))
        self.zoom.addItem(_("Fit width"), FIT_WIDTH)
        for zoom in ZOOMS:
            self.zoom.addItem(f"{round(zoom * 100)} %", zoom)
        self.zoom.currentIndexChanged.connect(lambda _i: self._paint())
        bar.addWidget(self.previous_page)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_page)
        bar.addStretch(1)
        bar.addWidget(QLabel(_("Zoom")))
        bar.addWidget(self.zoom)
        layout.addLayout(bar)
        self.pages_area = QScrollArea()
        self.pages_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_area.setAccessibleName(_("Page"))
        self.page_view = QLabel()
        self.page_view.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_area.setWidget(self.page_view)
        layout.addWidget(self.pages_area, 1)
        # Where the file went after Save or Print (issue 13, point 8).
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Where the report went"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        save = QPushButton(_("Save…"))
        save.clicked.connect(self._save)
        print_button = QPushButton(_("Print…"))
        print_button.clicked.connect(self._print)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for keys, step in ((QKeySequence.StandardKey.MoveToNextPage, 1),
                           (QKeySequence.StandardKey.MoveToPreviousPage, -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self.show_page(self.page + step))
        for keys, step in ((QKeySequence.StandardKey.ZoomIn, 1),
                           (QKeySequence.StandardKey.ZoomOut, -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self._zoom_step(step))
        self._fit_screen()
        self.show_page(0)

    def _fit_screen(self) -> None:
        """A size that fits the available screen (1366 x 768 included), up to 900 x 1000."""
        room = self.screen().availableGeometry()
        self.resize(min(900, room.width() - 40), min(1000, room.height() - 60))

    def show_page(self, number: int) -> None:
        """Show page ``number`` (0-based, clamped)."""
        if not self.images:
            return
        self.page = max(0, min(number, len(self.images) - 1))
        self.page_label.setText(_("Page {page} of {pages}").format(
            page=self.page + 1, pages=len(self.images)))
        self.previous_page.setEnabled(self.page > 0)
        self.next_page.setEnabled(self.page < len(self.images) - 1)
        self._paint()

    def _zoom_step(self, step: int) -> None:
        index = max(1, self.zoom.currentIndex()) + step
        self.zoom.setCurrentIndex(max(1, min(index, self.zoom.count() - 1)))

    def shown_width(self) -> int:
        """The width (device-independent px) the page is shown at."""
        image = self.images[self.page]
        zoom = float(self.zoom.currentData() or FIT_WIDTH)
        if zoom == FIT_WIDTH:
            return max(200, self.pages_area.viewport().width() - 8)
        points = image.width() * 72 / RENDER_DPI
        return round(points * zoom * self.logicalDpiX() / 72)

    def _paint(self) -> None:
        if not self.images:
            return
        image = self.images[self.page]
        ratio = self.devicePixelRatioF()
        width = self.shown_width()
        pixmap = QPixmap.fromImage(image.scaledToWidth(
            round(width * ratio), Qt.TransformationMode.SmoothTransformation))
        pixmap.setDevicePixelRatio(ratio)
        self.page_view.setPixmap(pixmap)
        self.page_view.resize(pixmap.size() / ratio)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.zoom.currentData() == FIT_WIDTH:
            self._paint()

    def _save(self) -> None:
        if self.report is None:
            return
        # Opened, not exec'd, and Qt's own dialog, not the desktop's: a lock must be able
        # to close it (a native dialog is out of the app's reach) and the preview must
        # not be deleted under a nested event loop.
        dialog = QFileDialog(self, _("Save report"), self.report.filename_hint,
                             "PDF (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.save_chosen)
        dialog.open()

    def save_chosen(self, path: str) -> None:
        """Save to the file chosen in the save dialog, unless the preview was wiped."""
        if path and self.report is not None:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the PDF to ``path`` (the only place it is ever written) and say so."""
        if self.report is None:
            return
        save_report(self.report, path)
        self.saved_to = path
        self.status.setText(_("Saved to {path} (readable by you only).").format(
            path=os.fspath(path.resolve())))

    def _print(self) -> None:
        if self.report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The connected lambda keeps the printer alive as long as the dialog.
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def print_to(self, printer: QPrinter) -> None:
        """Print, and say where it went.  "Print to file" writes the report's own PDF
        like Save (user-only, the same SHA-256), not a copy Qt would write world-readable
        with the umask."""
        if self.report is None:
            return
        target = printer.outputFileName()
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and target:
            path = Path(target)
            save_report(self.report, path)
            self.printed_to = path
            self.status.setText(_("Printed to the file {path} (readable by you only).")
                                .format(path=os.fspath(path.resolve())))
            return
        print_pdf(self.report.pdf, printer)
        self.status.setText(_("Sent to the printer {printer}.").format(
            printer=printer.printerName() or _("(default printer)")))

    def wipe(self) -> None:
        """Forget the report and its pages (lock): the PDF exists nowhere any more."""
        self.report = None
        self.images = []
        for label in self.findChildren(QLabel):
            label.clear()
        self.setWindowTitle("Casustafel")


def print_pdf(pdf: bytes, printer: QPrinter) -> None:
    """Draw every page, rasterised at 200 dpi, onto the printer."""
    painter = QPainter(printer)
    try:
        for number, image in enumerate(render_pages(pdf, 200 / 72)):
            if number:
                printer.newPage()
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
