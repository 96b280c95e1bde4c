"""The case screen: tabs Overzicht · Informatie · Plan van aanpak · Voortgang · Besluiten ·
Delen.  Renders one :class:`app.views.CaseView`; knows nothing of the policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, current_language
from app.views import (
    CaseCapabilities,
    CaseView,
    ConsentView,
    CorrectionMark,
    GrantView,
    Redacted,
    Value,
)
from ui.dates import show_date, show_datetime
from ui.models import NOT_APPOINTED, REDACTED_ROLE, value_text, value_tooltip
from ui.widgets import Banner, RedactedDelegate, ValueLabel

COLUMN_CAP = 240        # px: the widest a column other than the text column is sized
COLUMN_CAP_LARGE = 380  # the same on the beamer (20 pt)


class _ColumnFit(QObject):
    """Sizes a tree's columns after each change of its rows: the text column takes the
    rest of the width and wraps; every other column fits its contents up to a cap and
    wraps beyond it.  So a long source name or decision never needs horizontal scrolling
    and never widens the window."""

    def __init__(self, tree: QTreeWidget, text_column: int, cap: int) -> None:
        super().__init__(tree)
        self._tree = tree
        self._text = text_column
        self._cap = cap
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        model = tree.model()
        for signal in (model.rowsInserted, model.modelReset, model.dataChanged):
            signal.connect(self._timer.start)
        # A new width (the window, the stretched column) changes the wrapped row heights.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(tree.doItemsLayout)
        tree.header().sectionResized.connect(lambda *_args: self._relayout.start())
        tree.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self._timer.start()  # the caps follow the width
        return False

    def fit(self) -> None:
        tree = self._tree
        header = tree.header()
        # On a narrow screen the other columns give way, so the text column keeps at
        # least as much room as any two of them.
        cap = min(self._cap, max(80, tree.viewport().width() // (tree.columnCount() + 1)))
        for column in range(tree.columnCount()):
            if column == self._text:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            tree.resizeColumnToContents(column)
            tree.setColumnWidth(column, min(tree.columnWidth(column), cap))
        tree.doItemsLayout()  # the row heights follow the wrapped text


class _WrapDelegate(RedactedDelegate):
    """Rows as high as their wrapped text: QTreeView asks the delegate for a row's height
    without telling it the column's width, so a wrapped cell would be cut to one line."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        styled = QStyleOptionViewItem(option)
        self.initStyleOption(styled, index)
        width = max(self._tree.columnWidth(index.column()) - 12, 16)  # less the margins
        text = styled.fontMetrics.boundingRect(
            QRect(0, 0, width, 1_000_000), int(Qt.TextFlag.TextWordWrap), styled.text)
        return QSize(size.width(), max(size.height(), text.height() + 6))


def _tree(headers: list[str], name: str, *, large: bool = False,
          text_column: int = 0) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setItemDelegate(_WrapDelegate(tree))
    tree.setAccessibleName(name)
    tree.setWordWrap(True)
    tree.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrap, never cut a value short
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    _ColumnFit(tree, text_column, COLUMN_CAP_LARGE if large else COLUMN_CAP).fit()
    return tree


def _set_value(row: QTreeWidgetItem, column: int, value: Value | None) -> None:
    row.setText(column, value_text(value))
    if isinstance(value, Redacted):
        row.setData(column, REDACTED_ROLE, True)
        row.setToolTip(column, value_tooltip(value) or "")


def _phase_day(entered_at: str) -> str:
    """The day a phase began, as on every screen ("di 24 nov 2026"); stored text that is
    no date is shown as it is."""
    try:
        return show_date(dt.date.fromisoformat(entered_at[:10]))
    except ValueError:
        return entered_at


def mark_text(mark: CorrectionMark) -> str:
    """"corrected on di 24 nov 2026 by A. Jansen" (the words of the reports and the edit
    list)."""
    return mark.describe(show_date(mark.corrected_on))


def _set_mark(row: QTreeWidgetItem, mark: CorrectionMark | None) -> None:
    """A row of the joint record that replaced an earlier version says so in its last
    column, and with the reason in the tooltip of each cell: the text shown is not the
    one first recorded (issue 13, point 7)."""
    if mark is None:
        return
    column = row.columnCount() - 1
    text = mark_text(mark)
    row.setText(column, "✎ " + text)
    tip = text if not mark.reason else "\n".join(
        (text, _("reason: {reason}").format(reason=mark.reason)))
    for cell in range(column + 1):
        row.setToolTip(cell, tip)


class CaseWidget(QWidget):
    """Shows a case view; emits requests for edits (the window runs them via services)."""

    record_decision = Signal()
    add_action = Signal()
    add_progress = Signal()
    share = Signal()
    revoke_grant = Signal(int)
    record_consent = Signal()
    withdraw_consent = Signal(int)
    back = Signal()  # the visible way back from a case (issue 13, point 10)

    def __init__(self, *, large: bool = False,
                 copy: Callable[[str], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._large = large
        self._copy = copy
        self.view: CaseView | None = None
        self.caps: CaseCapabilities | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("case-title")
        title_font = QFont(self.title.font())
        title_font.setPointSize(26 if large else 15)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        header = QHBoxLayout()
        # A visible way back, first in the tab order; not on the beamer (Esc leaves it).
        self.back_button = QPushButton(_("← Back to the meeting"))
        self.back_button.setAccessibleName(_("Back to the meeting"))
        self.back_button.setToolTip(_("Back to the meeting (Alt+Left)"))
        self.back_button.clicked.connect(self.back)
        self.back_button.setVisible(not large)
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.title, 1)
        layout.addLayout(header)
        self.notice = Banner("", "warning")
        self.notice.hide()
        layout.addWidget(self.notice)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Case tabs"))
        layout.addWidget(self.tabs)
        self._build_tabs()
        if large:
            font = QFont(self.font())
            font.setPointSize(20)
            self.tabs.setFont(font)
        copy_shortcut = QShortcut(QKeySequence.StandardKey.Copy, self)
        copy_shortcut.activated.connect(self._copy_selection)

    # -- construction -------------------------------------------------------------
    def _tree(self, headers: list[str], name: str, *, text_column: int = 0) -> QTreeWidget:
        return _tree(headers, name, large=self._large, text_column=text_column)

    def _build_tabs(self) -> None:
        overview = QWidget()
        form = QFormLayout(overview)
        self.f_registered = ValueLabel(name=_("Registered by"))
        self.f_director = ValueLabel(name=_("Process director"))
        self.f_case_director = ValueLabel(name=_("Case director"))
        self.f_themes = ValueLabel(name=_("Themes"))
        self.f_goal = ValueLabel(name=_("Goal of the meeting"))
        self.f_goal.setWordWrap(True)
        self.f_parties = ValueLabel(name=_("Parties involved"))
        for label in (self.f_registered, self.f_director, self.f_case_director,
                      self.f_themes, self.f_goal, self.f_parties):
            label.setWordWrap(True)  # a long name or placeholder must not widen the window
        form.addRow(_("Registered by"), self.f_registered)
        form.addRow(_("Process director"), self.f_director)
        form.addRow(_("Case director"), self.f_case_director)
        form.addRow(_("Themes"), self.f_themes)
        form.addRow(_("Goal of the meeting"), self.f_goal)
        form.addRow(_("Parties involved"), self.f_parties)
        self.persons = self._tree([_("Person concerned"), _("Category"), _("Name"),
                              _("Informed")], _("Persons concerned"))
        form.addRow(self.persons)
        # The note is the free text that wraps; phase and date stay narrow.
        self.history = self._tree([_("Phase"), _("Since"), _("Note")], _("Phase history"),
                                  text_column=2)
        form.addRow(self.history)
        # Scrolls rather than setting the window's minimum height (1366 x 768 at 150 %).
        scroll = QScrollArea()
        scroll.setWidget(overview)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.addTab(scroll, _("Overview"))

        # Flat (one row per item, grouped by sorting on the category column): a two-level
        # QTreeWidget's internal model does not pass Qt's own model tester.
        self.items = self._tree([_("Information"), _("Person"), _("Source"), _("Date"),
                            _("Category")], _("Information items"))
        self.tabs.addTab(self.items, _("Information"))

        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        # The last column of the four trees of the joint record: the "corrected" mark,
        # hidden while no row of the tree was corrected.
        self.goals = self._tree([_("Goal"), _("Status"), _("Corrected")], _("Goals"))
        self.action_tree = self._tree([_("Action"), _("Owner"), _("Due"), _("Status"),
                                       _("Corrected")], _("Actions"))
        plan_layout.addWidget(self.goals)
        plan_layout.addWidget(self.action_tree)
        self.plan_buttons = QHBoxLayout()
        self.b_action = QPushButton(_("Add action…"))
        self.b_action.clicked.connect(self.add_action)
        self.plan_buttons.addWidget(self.b_action)
        self.plan_buttons.addStretch()
        plan_layout.addLayout(self.plan_buttons)
        self.tabs.addTab(plan, _("Action plan"))

        progress = QWidget()
        progress_layout = QVBoxLayout(progress)
        self.progress = self._tree([_("Date"), _("Progress"), _("Corrected")], _("Progress"),
                                   text_column=1)
        progress_layout.addWidget(self.progress)
        self.b_progress = QPushButton(_("Add progress…"))
        self.b_progress.clicked.connect(self.add_progress)
        progress_layout.addWidget(self.b_progress, alignment=Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(progress, _("Progress"))

        decisions = QWidget()
        decisions_layout = QVBoxLayout(decisions)
        self.decisions = self._tree([_("Date"), _("Decision"), _("Corrected")], _("Decisions"),
                                    text_column=1)
        decisions_layout.addWidget(self.decisions)
        self.b_decision = QPushButton(_("Record decision…"))
        self.b_decision.clicked.connect(self.record_decision)
        decisions_layout.addWidget(self.b_decision, alignment=Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(decisions, _("Decisions"))

        sharing = QWidget()
        sharing_layout = QVBoxLayout(sharing)
        self.grants = _tree([_("Shared with"), _("Scope"), _("Phase or meeting"),
                             _("Status")], _("Sharing of my party's information"))
        self.consents = _tree([_("Person"), _("Whose data"), _("To whom"), _("Purpose"),
                               _("Ground"), _("Status")], _("Consents"))
        sharing_layout.addWidget(QLabel(_("Sharing of my party's information")))
        sharing_layout.addWidget(self.grants)
        row = QHBoxLayout()
        self.b_share = QPushButton(_("Share…"))
        self.b_share.clicked.connect(self.share)
        self.b_revoke = QPushButton(_("Withdraw sharing"))
        self.b_revoke.clicked.connect(self._revoke_selected)
        row.addWidget(self.b_share)
        row.addWidget(self.b_revoke)
        row.addStretch()
        sharing_layout.addLayout(row)
        sharing_layout.addWidget(QLabel(_("Consents")))
        sharing_layout.addWidget(self.consents)
        row2 = QHBoxLayout()
        self.b_consent = QPushButton(_("Record consent…"))
        self.b_consent.clicked.connect(self.record_consent)
        self.b_withdraw = QPushButton(_("Withdraw consent"))
        self.b_withdraw.clicked.connect(self._withdraw_selected)
        row2.addWidget(self.b_consent)
        row2.addWidget(self.b_withdraw)
        row2.addStretch()
        sharing_layout.addLayout(row2)
        self.sharing_tab = sharing
        self.tabs.addTab(sharing, _("Sharing"))
        self.set_capabilities(None)

    # -- content ------------------------------------------------------------------
    def trees(self) -> list[QTreeWidget]:
        """Every tree (models) on this screen, for sweeps and clearing."""
        return [self.persons, self.history, self.items, self.goals, self.action_tree,
                self.progress, self.decisions, self.grants, self.consents]

    def clear(self) -> None:
        """Forget everything shown (lock, leaving table view)."""
        self.view = None
        self.title.clear()
        self.notice.hide()
        self.notice.clear()
        self.tabs.setVisible(True)
        for tree in self.trees():
            tree.clear()
        for tree in (self.goals, self.action_tree, self.progress, self.decisions):
            tree.setColumnHidden(tree.columnCount() - 1, True)  # no "corrected" column
        for label in (self.f_registered, self.f_director, self.f_case_director, self.f_themes,
                      self.f_goal, self.f_parties):
            label.set_value(None)

    def set_capabilities(self, caps: CaseCapabilities | None) -> None:
        """Show only the edit controls that make sense for this user (services enforce)."""
        self.caps = caps
        joint = bool(caps and caps.record_joint) and not self._large
        for button in (self.b_action, self.b_progress, self.b_decision):
            button.setVisible(joint)
        share = bool(caps and caps.share_own_items) and not self._large
        self.b_share.setVisible(share)
        self.b_revoke.setVisible(share)
        consent = bool(caps and caps.record_consent) and not self._large
        self.b_consent.setVisible(consent)
        self.b_withdraw.setVisible(consent)
        self.tabs.setTabVisible(self.tabs.indexOf(self.sharing_tab), not self._large)

    def show_case(self, view: CaseView) -> None:
        """Render ``view``: values, placeholders, or only the metadata and a notice."""
        self.clear()
        self.view = view
        lang = current_language()
        self.title.setText(f"{view.reference} · {view.phase.get(lang)}")
        notice = view.withheld_notice()
        hold_back = notice is not None
        self.tabs.setVisible(not hold_back)
        if notice is not None:
            self.notice.setText(notice)
            self.notice.show()
        self.f_registered.set_value(view.registering_party.label())
        self.f_director.set_value(view.procesregisseur)
        case_director = " · ".join(
            x for x in (view.casusregisseur, view.casusregisseur_party.label()
                        if view.casusregisseur_party else None) if x)
        # Held back, the view carries no casusregisseur: withheld, not "no data" and not
        # "none appointed"; otherwise none means none appointed yet (issue 13, point 9).
        self.f_case_director.set_value(
            case_director or ("▒ " + _("Masked") if hold_back else _(NOT_APPOINTED)))
        self.f_themes.set_value(", ".join(view.themes) or None)
        self.f_parties.set_value(", ".join(p.label() for p in view.parties) or None)
        if hold_back:
            return
        for step in view.phase_history:
            QTreeWidgetItem(self.history, [step.phase.get(lang), _phase_day(step.entered_at),
                                           step.note])
        if not view.content_visible:
            return
        self.f_goal.set_value(view.goal or None)
        for person in view.persons:
            row = QTreeWidgetItem(self.persons, [person.label, person.category.get(lang), "",
                                                 _(person.informed_status.label)])
            _set_value(row, 2, person.name)
        for category, items in view.items_by_category():
            for item in items:
                row = QTreeWidgetItem(self.items, ["", item.person_label or "",
                                                   item.provider.label(),
                                                   show_date(item.provided_on),
                                                   category.get(lang)])
                _set_value(row, 0, item.value)
                row.setData(0, Qt.ItemDataRole.UserRole, item.item_id)
        self._show_joint(view)

    def _show_joint(self, view: CaseView) -> None:
        """The joint record: goals, actions, progress and decisions, each corrected row
        with its mark."""
        for goal in view.goals:
            _set_mark(QTreeWidgetItem(self.goals, [goal.text, _(goal.status.label), ""]),
                      goal.corrected)
        for action in view.actions:
            due = show_date(action.due_on)
            status = _(action.status.label) + (" · " + _("overdue") if action.overdue else "")
            row = QTreeWidgetItem(self.action_tree, [action.text, action.owner.label(), due,
                                                 status, ""])
            row.setData(0, Qt.ItemDataRole.UserRole, action.action_id)
            _set_mark(row, action.corrected)
        for entry in view.progress:
            _set_mark(QTreeWidgetItem(self.progress, [show_date(entry.entry_on), entry.text,
                                                      ""]), entry.corrected)
        for decision in view.decisions:
            _set_mark(QTreeWidgetItem(self.decisions, [show_date(decision.decided_on),
                                                       decision.text, ""]),
                      decision.corrected)
        for tree, rows in ((self.goals, view.goals), (self.action_tree, view.actions),
                           (self.progress, view.progress), (self.decisions, view.decisions)):
            if any(shown.corrected for shown in rows):
                tree.setColumnHidden(tree.columnCount() - 1, False)

    def show_sharing(self, grants: list[GrantView], consents: list[ConsentView]) -> None:
        """Fill the sharing tab (metadata only)."""
        self.grants.clear()
        self.consents.clear()
        lang = current_language()
        # Names, never ids (issue 13, point 9): an item by its category and date as this
        # screen shows it, a meeting by its date and place, a phase by its name.
        items = {item.item_id: f"{category.get(lang)} · {show_date(item.provided_on)}"
                 for category, shown in (self.view.items_by_category() if self.view else ())
                 for item in shown}
        for grant in grants:
            if grant.item_id:
                scope = items.get(grant.item_id) or _("one item")
            elif grant.category:
                scope = (grant.category_name.get(lang) if grant.category_name
                         else _("one category"))
            else:
                scope = _("all my items")
            if grant.meeting_id:
                when = (_("meeting of {when} · {place}").format(
                    when=show_datetime(grant.meeting_at), place=grant.meeting_place)
                    if grant.meeting_at else _("one meeting"))
            elif grant.phase:
                when = grant.phase_name.get(lang) if grant.phase_name else _("one phase")
            else:
                when = "—"
            row = QTreeWidgetItem(self.grants, [grant.recipient.label(), scope, when,
                                                _("withdrawn") if grant.revoked else _("active")])
            row.setData(0, Qt.ItemDataRole.UserRole, grant.grant_id)
        for consent in consents:
            row = QTreeWidgetItem(self.consents, [
                consent.person_label,
                consent.source.label(),
                ", ".join(p.label() for p in consent.recipients),
                consent.purpose,
                _(consent.basis.label),
                _("withdrawn") if consent.withdrawn_on else _("given"),
            ])
            row.setData(0, Qt.ItemDataRole.UserRole, consent.consent_id)

    # -- actions ------------------------------------------------------------------
    def _revoke_selected(self) -> None:
        item = self.grants.currentItem()
        if item is not None:
            self.revoke_grant.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def _withdraw_selected(self) -> None:
        item = self.consents.currentItem()
        if item is not None:
            self.withdraw_consent.emit(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def _copy_selection(self) -> None:
        """Copy the selected value; placeholders copy as their placeholder text."""
        tree = self.items if self.items.hasFocus() else None
        for candidate in self.trees():
            if candidate.hasFocus():
                tree = candidate
        item = tree.currentItem() if tree is not None else None
        if tree is None or item is None or self._copy is None:
            return
        self._copy("\t".join(item.text(c) for c in range(tree.columnCount())).strip())
