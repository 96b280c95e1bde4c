"""Making a report from the app: choose kind, recipient and language; preview in memory;
save where the user chooses; print.  The PDF never touches the disk before "Save": pages
are rasterised in memory (pypdfium2) for the preview and for printing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import LANGUAGES, _
from app.services.reports import save_report
from app.views import MeetingView, PartyRef, ReportKind, ReportRequest, ReportResult
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

    ``meeting``: the meeting on screen.  Only with it is the agenda offered, and only to
    its chair (``MeetingView.is_chair``, decided by the service), addressed to a party
    invited for one of its cases; the service checks every choice again.
    """

    def __init__(self, kinds: Sequence[ReportKind], parties: Sequence[PartyRef], ui_lang: str,
                 parent: QWidget | None = None, *, meeting: MeetingView | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Make a report"))
        form = QFormLayout(self)
        self._parties = list(parties)
        self._invited = invited_parties(meeting) if meeting is not None else []
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Report"))
        for kind in kinds:
            if kind is ReportKind.AGENDA and not (meeting is not None and meeting.is_chair
                                                  and self._invited):
                continue
            self.kind.addItem(_(kind.label), kind.value)
        self.recipient = QComboBox()
        self.recipient.setAccessibleName(_("Recipient"))
        self.lang = QComboBox()
        self.lang.setAccessibleName(_("Language of the report"))
        for lang, label in (("nl", "Nederlands"), ("en", "English")):
            self.lang.addItem(label, lang)
        self.lang.setCurrentIndex(LANGUAGES.index(ui_lang) if ui_lang in LANGUAGES else 0)
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-3))
        self.date_from.setCalendarPopup(True)
        self.date_from.setAccessibleName(_("From"))
        self.date_to = QDateEdit(QDate.currentDate())
        self.date_to.setCalendarPopup(True)
        self.date_to.setAccessibleName(_("To"))
        form.addRow(_("Report"), self.kind)
        form.addRow(_("Recipient"), self.recipient)
        form.addRow(_("Language of the report"), self.lang)
        form.addRow(_("From"), self.date_from)
        form.addRow(_("To"), self.date_to)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        form.addRow(ok_cancel_buttons(self))

    def _chosen_kind(self) -> ReportKind:
        return ReportKind(str(self.kind.currentData()))

    def _kind_changed(self) -> None:
        kind = self._chosen_kind()
        self.date_from.setEnabled(kind.has_period)
        self.date_to.setEnabled(kind.has_period)
        self._fill_recipients(kind)

    def _fill_recipients(self, kind: ReportKind) -> None:
        """The recipients this kind may go to; the choice is kept where it still fits."""
        chosen = self.recipient.currentData()
        self.recipient.clear()
        if kind.for_table:
            self.recipient.addItem(_("The table (every party present)"), TABLE)
        for party in self._invited if kind is ReportKind.AGENDA else self._parties:
            self.recipient.addItem(party.label(), party.id)
        index = self.recipient.findData(chosen) if chosen is not None else -1
        self.recipient.setCurrentIndex(max(index, 0))

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
            date_from=self.date_from.date().toPython() if period else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if period else None,  # type: ignore[arg-type]
        )


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


class PreviewDialog(QDialog):
    """Shows the pages; Save writes the PDF where the user chooses; Print sends it."""

    def __init__(self, result: ReportResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # ``None`` once wiped (lock): nothing can be saved or printed from then on.
        self.report: ReportResult | None = result
        self.saved_to: Path | None = None
        self.setWindowTitle(_("Preview — document {id}").format(id=result.document_id))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{pages} pages · document {id} · SHA-256 {sha}").format(
            pages=result.pages, id=result.document_id, sha=result.sha256[:16] + "…")))
        scroll = QScrollArea()
        pages = QWidget()
        pages_layout = QVBoxLayout(pages)
        for image in render_pages(result.pdf, 1.0):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            pages_layout.addWidget(label)
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        save = QPushButton(_("Save…"))
        save.clicked.connect(self._save)
        print_button = QPushButton(_("Print…"))
        print_button.clicked.connect(self._print)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 1000)

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
        """Write the PDF to ``path`` (the only place it is ever written)."""
        if self.report is None:
            return
        save_report(self.report, path)
        self.saved_to = path

    def _print(self) -> None:
        if self.report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The connected lambda keeps the printer alive as long as the dialog.
        dialog.accepted.connect(lambda: self._print_to(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()

    def _print_to(self, printer: QPrinter) -> None:
        if self.report is not None:
            print_pdf(self.report.pdf, printer)

    def wipe(self) -> None:
        """Forget the report and its pages (lock): the PDF exists nowhere any more."""
        self.report = None
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
