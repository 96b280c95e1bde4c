"""The privacy officer's workbench (issue 11): one page of tabs in the main window.

Verstrekkingen (the disclosure register), Audittrail, Verwerkingsregister, Verzoeken
(data-subject requests), Datalekken (breaches), Informatieplicht (information duty) and
Cijfers (figures), and Bewaartermijnen (retention, issue 12).  The window shows the page
only when the opened store's ``sections`` hold ``"privacy"`` (decided by
:mod:`app.policy.access`); the Retention tab only when they hold ``"retention"`` (the
profile's approver, :mod:`app.services.screens`); every service checks again.

A tab fetches what it shows the first time it is shown after unlocking, through the
window's runner (store thread).  :meth:`Workbench.clear` forgets every row, form and
detail; the window calls it on lock.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTabWidget, QWidget
from shiboken6 import Shiboken

from app.i18n import _
from app.views import OpenedStore
from ui.casework.forms import Runner
from ui.privacy.audit_tab import AuditTab
from ui.privacy.breaches_tab import BreachesTab
from ui.privacy.common import Tab
from ui.privacy.overview_tab import FiguresTab, InfoDutyTab, ProcessingTab
from ui.privacy.registers_tab import DisclosuresTab
from ui.privacy.requests_tab import RequestsTab
from ui.privacy.retention_tab import RetentionTab


class Workbench(QTabWidget):
    """The workbench's tabs."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Privacy workbench"))
        self.setDocumentMode(True)
        self.disclosures = DisclosuresTab(run)
        self.audit = AuditTab(run)
        self.processing = ProcessingTab(run)
        self.requests = RequestsTab(run)
        self.breaches = BreachesTab(run)
        self.info_duty = InfoDutyTab(run)
        self.retention = RetentionTab(run)
        self.figures = FiguresTab(run)
        for tab, title in ((self.disclosures, _("Disclosures")),
                           (self.audit, _("Audit trail")),
                           (self.processing, _("Processing register")),
                           (self.requests, _("Requests")),
                           (self.breaches, _("Breaches")),
                           (self.info_duty, _("Information duty")),
                           (self.retention, _("Retention")),
                           (self.figures, _("Figures"))):
            self.addTab(tab, title)
        self.setTabVisible(self.indexOf(self.retention), False)
        self.currentChanged.connect(lambda _index: self.load_current())
        self.started = False

    def tabs(self) -> list[Tab]:
        """Every tab, in order."""
        return [self.disclosures, self.audit, self.processing, self.requests,
                self.breaches, self.info_duty, self.retention, self.figures]

    def start(self, opened: OpenedStore) -> None:
        """A store was unlocked: the covenant's parties for the choosers, the officer's
        own username as the default verifier.  Nothing is fetched until shown."""
        self.disclosures.set_parties(list(opened.parties))
        self.requests.officer = opened.user.username
        self.setTabVisible(self.indexOf(self.retention), "retention" in opened.sections)
        self.started = True

    def load_current(self) -> None:
        """Fetch the current tab's content if it has not been fetched since unlocking."""
        tab = self.currentWidget()
        if self.started and self.isVisible() and isinstance(tab, Tab) and not tab.loaded:
            tab.load()

    def dialogs(self) -> list[QDialog]:
        """The forms the tabs opened (still alive)."""
        found = [getattr(tab, "dialog", None) for tab in self.tabs()]
        return [d for d in found if isinstance(d, QDialog) and Shiboken.isValid(d)]

    def clear(self) -> None:
        """Forget every row, detail, filter and form (lock)."""
        self.started = False
        for dialog in self.dialogs():
            dialog.reject()
        for tab in self.tabs():
            tab.clear()
        self.requests.officer = ""
        self.setTabVisible(self.indexOf(self.retention), False)
