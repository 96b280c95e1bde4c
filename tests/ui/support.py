"""Helpers for the UI tests: the demo world, expected visibility from the services, waiting
for the store thread, and the canary sweep over everything the window can show."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.services import guard, meetings
from app.services.cases import case_views
from app.services.session import Session
from app.views import Redacted, ViewSpec
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStore
from ui.models import REDACTED_ROLE

PROFILE = "zvh-rotterdam-rijnmond"
# Items carry I and their key; the rows of the joint record J, the kind and the key
# (app.demo.cases, issue 9).
CANARY_RE = re.compile(r"CANARY-[A-Z]+-\d+-(?:I\d+|J[GADP]\d+|JPLAN)")


def item_canaries(tokens: Iterable[str]) -> set[str]:
    """The items' canaries among ``tokens`` (the joint record's left out)."""
    return {t for t in tokens if re.search(r"-I\d+$", t)}
TIMEOUT = 15_000

Role = Qt.ItemDataRole
SWEEP_ROLES: tuple[int, ...] = (
    Role.DisplayRole, Role.ToolTipRole, Role.StatusTipRole, Role.WhatsThisRole,
    Role.AccessibleTextRole, Role.AccessibleDescriptionRole, Role.EditRole,
    *(Role.UserRole + i for i in range(6)),
)


# --------------------------------------------------------------------------- the world

@dataclass(frozen=True)
class World:
    """A pristine demo store (never opened by a window) and what its document says."""

    folder: Path
    doc: dict[str, Any]
    meeting: dict[str, Any]          # the first upcoming (planned) meeting of the document
    chair: str                       # its chair (a procesregisseur)
    present: tuple[str, ...]         # parties present at it
    stay: tuple[str, str]            # (case ref, party): present, not invited, still in the room
    deelnemers: dict[str, str]       # party -> username of a deelnemer of that party

    def user(self, username: str) -> dict[str, Any]:
        """The document's user record."""
        return next(u for u in self.doc["users"] if u["username"] == username)

    def agenda_refs(self) -> list[str]:
        """Case references on the first upcoming meeting's agenda, in order."""
        return [entry["case"] for entry in self.meeting["agenda"]]

    def left_room(self, reference: str) -> set[str]:
        """Parties that left the room for ``reference`` in the first upcoming meeting."""
        entry = next(e for e in self.meeting["agenda"] if e["case"] == reference)
        return set(entry.get("left_room") or ())

    def at_table(self, reference: str) -> tuple[str, ...]:
        """Parties present for ``reference``: present minus those that left the room."""
        entry = next(e for e in self.meeting["agenda"] if e["case"] == reference)
        left = set(entry.get("left_room") or ())
        return tuple(p for p in self.present if p not in left)

    def invited(self, reference: str) -> set[str]:
        """Parties invited for ``reference`` in the first upcoming meeting."""
        entry = next(e for e in self.meeting["agenda"] if e["case"] == reference)
        return set(entry["invited"])


# The UI tests' demo: small, with canaries, laid out around the local day.
UI_DEMO = DemoSpec(PROFILE, cases=24, seed=5,
                   today=dt.date.today(),  # noqa: DTZ011 - the demo is laid out around the local day
                   canary=True, agenda_size=8)


def build_world(pristine: DemoStore) -> World:
    """What the tests need to know of the UI demo store (built by ``tests/conftest.py``)."""
    folder, demo = pristine.folder, pristine.demo
    doc = demo.doc
    planned = sorted((m for m in doc["meetings"] if m.get("status") == "planned"),
                     key=lambda m: m["starts_at"])
    meeting = planned[0]
    present = tuple(a["party"] for a in meeting["attendees"] if a.get("present", True))
    stay = next((entry["case"], party)
                for entry in meeting["agenda"]
                for party in sorted(set(present) - set(entry["invited"])
                                    - set(entry.get("left_room", ()))))
    deelnemers: dict[str, str] = {}
    for user in doc["users"]:
        if user["role"] == "deelnemer":
            deelnemers.setdefault(user["party"], user["username"])
    return World(folder, doc, meeting, meeting["chair"], present, stay, deelnemers)


# --------------------------------------------------------------------------- expectations

def strings(obj: object) -> Iterator[str]:
    """Every plain string inside a JSON-like structure."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from strings(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from strings(value)


@dataclass
class Expected:
    """What one viewer (spec) may see, computed with the services."""

    full: set[str] = field(default_factory=set)             # canaries shown FULL anywhere
    per_case: dict[str, set[str]] = field(default_factory=dict)
    masked: dict[str, int] = field(default_factory=dict)    # placeholders per case
    content: set[str] = field(default_factory=set)          # cases with content shown
    blocked: set[str] = field(default_factory=set)          # cases blocked at the table
    refs: set[str] = field(default_factory=set)             # cases the viewer may know of

    @property
    def any_masked(self) -> bool:
        """Whether some placeholder must show."""
        return any(self.masked.values())


def open_session(folder: Path, username: str) -> Session:
    """A test-thread session (close it before a window opens the same store)."""
    return Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF)


def first_meeting_id(session: Session) -> int | None:
    """The meeting the window opens first (the first of the user's meeting list)."""
    listed = meetings.list_meetings(session)
    return listed[0].meeting_id if listed else None


def expected_for(session: Session, spec: ViewSpec) -> Expected:
    """The canaries ``spec`` may see FULL, per case, and the placeholders it gets."""
    out = Expected()
    # The same rule as the screens: a meeting context only for those at that meeting.
    spec = guard.checked_spec(session, spec)
    for view, _shown in case_views(session, None, spec):
        tokens = {t for s in strings(view.to_json()) for t in CANARY_RE.findall(s)}
        out.per_case[view.reference] = tokens
        out.full |= tokens
        out.refs.add(view.reference)
        out.masked[view.reference] = (
            sum(isinstance(i.value, Redacted) for i in view.items)
            + sum(isinstance(p.name, Redacted) for p in view.persons))
        if view.content_visible:
            out.content.add(view.reference)
        if view.blocked_by:
            out.blocked.add(view.reference)
    return out


def expectations(folder: Path, username: str,
                 specs: dict[str, ViewSpec | None]) -> dict[str, Expected]:
    """Expected visibility for several specs of one user; ``None`` means the user's own
    view in the first meeting the window opens."""
    session = open_session(folder, username)
    try:
        mid = first_meeting_id(session)
        return {name: expected_for(session, spec if spec is not None
                                   else ViewSpec(meeting_id=mid))
                for name, spec in specs.items()}
    finally:
        session.close(backup=False)


def meeting_id_of(folder: Path, username: str) -> int | None:
    """The id of the first meeting in ``username``'s list."""
    session = open_session(folder, username)
    try:
        return first_meeting_id(session)
    finally:
        session.close(backup=False)


# --------------------------------------------------------------------------- the sweep

def columns(model: QAbstractItemModel, parent: QModelIndex | QPersistentModelIndex) -> int:
    """Column count; a QAbstractListModel keeps ``columnCount`` private (one column)."""
    if isinstance(model, QAbstractListModel):
        return 0 if parent.isValid() else 1
    return int(model.columnCount(parent))


def _decodings(raw: bytes) -> Iterable[str]:
    yield raw.decode("utf-8", "ignore")
    yield raw.decode("utf-16-be", "ignore")
    yield raw[1:].decode("utf-16-be", "ignore")


def widget_texts(widget: QWidget) -> list[object]:
    """Everything a widget shows or tells assistive technology, as values."""
    out: list[object] = [widget.toolTip(), widget.statusTip(), widget.whatsThis(),
                         widget.accessibleName(), widget.accessibleDescription(),
                         widget.windowTitle()]
    if isinstance(widget, QLabel):
        out.append(widget.text())
    elif isinstance(widget, QLineEdit):
        out += [widget.text(), widget.placeholderText()]
    elif isinstance(widget, QAbstractButton):
        out.append(widget.text())
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        out.append(widget.toPlainText())
    elif isinstance(widget, QComboBox):
        out.append(widget.currentText())
        for i in range(widget.count()):
            out += [widget.itemText(i), widget.itemData(i)]
    if isinstance(widget, (QTabWidget, QTabBar)):
        for i in range(widget.count()):
            out += [widget.tabText(i), widget.tabToolTip(i), widget.tabWhatsThis(i)]
    return out


class Sweep:
    """Collects every CANARY token the UI exposes, by where it was seen."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.partial: list[tuple[str, str]] = []
        self.redacted = 0
        self.values = 0

    # -- text -----------------------------------------------------------------------
    def text(self, where: str, value: object) -> None:
        """Record the canaries in one value (any type is turned into text)."""
        if value is None:
            return
        if isinstance(value, (bytes, bytearray)):
            for decoded in _decodings(bytes(value)):
                self.text(where, decoded)
            return
        text = value if isinstance(value, str) else str(value)
        self.values += 1
        tokens = CANARY_RE.findall(text)
        self.seen[where].update(tokens)
        if text.count("CANARY") != len(tokens):
            self.partial.append((where, text))

    def tokens(self, *wheres: str) -> set[str]:
        """Canaries seen in the given places (prefix match), or everywhere."""
        found: set[str] = set()
        for where, tokens in self.seen.items():
            if not wheres or any(where.startswith(w) for w in wheres):
                found |= tokens
        return found

    # -- models ---------------------------------------------------------------------
    def model(self, where: str, model: QAbstractItemModel | None) -> int:
        """Walk every row (recursively), column and role, the headers and the MIME data.
        Returns the number of cells walked."""
        if model is None:
            return 0
        root = QModelIndex()
        for orientation, count in ((Qt.Orientation.Horizontal, columns(model, root)),
                                   (Qt.Orientation.Vertical, model.rowCount(root))):
            for section in range(count):
                for role in SWEEP_ROLES:
                    self.text(f"{where}/header", model.headerData(section, orientation, role))
        indexes: list[QModelIndex] = []
        self._walk(where, model, QModelIndex(), indexes)
        if indexes:
            mime = model.mimeData(indexes)
            if mime is not None:
                self.text(f"{where}/mime", mime.text())
                self.text(f"{where}/mime", mime.html())
                for fmt in mime.formats():
                    self.text(f"{where}/mime", bytes(mime.data(fmt).data()))
        return len(indexes)

    def _walk(self, where: str, model: QAbstractItemModel,
              parent: QModelIndex | QPersistentModelIndex, out: list[QModelIndex]) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(columns(model, parent)):
                index = model.index(row, column, parent)
                out.append(index)
                for role in SWEEP_ROLES:
                    value = model.data(index, role)
                    if role == REDACTED_ROLE and value is True:
                        self.redacted += 1
                    self.text(where, value)
            first = model.index(row, 0, parent)
            if model.rowCount(first) > 0:
                self._walk(where, model, first, out)

    # -- widgets --------------------------------------------------------------------
    def widgets(self, where: str, root: QWidget) -> None:
        """Texts, tooltips, accessible names and descriptions of ``root`` and all its
        descendants; item views' models; actions."""
        for widget in [root, *root.findChildren(QWidget)]:
            name = type(widget).__name__
            for value in widget_texts(widget):
                self.text(f"{where}/{name}", value)
            if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
                self.model(f"{where}/view:{widget.accessibleName() or name}", widget.model())
        for action in root.findChildren(QAction):
            for value in (action.text(), action.toolTip(), action.statusTip(),
                          action.whatsThis(), action.iconText()):
                self.text(f"{where}/action", value)

    def clipboard(self, where: str) -> None:
        """What the clipboard holds now."""
        clipboard = QGuiApplication.clipboard()
        self.text(where, clipboard.text())
        mime = clipboard.mimeData()
        if mime is not None:
            for fmt in mime.formats():
                self.text(where, bytes(mime.data(fmt).data()))

    def titles(self, where: str) -> None:
        """Every top-level window title."""
        from PySide6.QtWidgets import QApplication

        for widget in QApplication.topLevelWidgets():
            self.text(where, widget.windowTitle())


# --------------------------------------------------------------------------- driving

def wait_idle(qtbot: Any, window: Any, timeout: int = TIMEOUT) -> None:
    """Until the store thread has delivered every pending result."""
    qtbot.waitUntil(lambda: window.ctx.worker.idle, timeout=timeout)


def unlock(qtbot: Any, window: Any, folder: Path, username: str,
           passphrase: str = PASSPHRASE) -> None:
    """Unlock through the window and wait until the first meeting is shown."""
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.unlock(folder, username, passphrase)
    wait_idle(qtbot, window)


def open_case(qtbot: Any, window: Any, reference: str) -> None:
    """Open a case and wait until it is shown."""
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.open_case(reference)
    wait_idle(qtbot, window)


def load_case_list(qtbot: Any, window: Any) -> int:
    """Show the case list and fetch every page; returns the number of rows."""
    model = window.case_list_model
    window.show_case_list()
    wait_idle(qtbot, window)
    for row in range(model.rowCount()):
        model.data(model.index(row, 0))
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: model.cached() == model.rowCount(), timeout=TIMEOUT)
    return int(model.rowCount())


def agenda_refs(window: Any) -> list[str]:
    """References in the dashboard's agenda, in the order shown."""
    from ui.models import ID_ROLE

    proxy = window.dashboard.proxy
    return [str(proxy.index(r, 0).data(ID_ROLE)) for r in range(proxy.rowCount())]


def tree_texts(tree: Any) -> list[str]:
    """Every column text of every row (recursively) of a QTreeWidget."""
    out: list[str] = []

    def walk(item: Any) -> None:
        for i in range(item.childCount()):
            child = item.child(i)
            out.extend(child.text(c) for c in range(tree.columnCount()))
            walk(child)

    walk(tree.invisibleRootItem())
    return out


def leaf_items(tree: Any) -> list[Any]:
    """Rows without children (the information items under their category groups)."""
    out: list[Any] = []

    def walk(item: Any) -> None:
        for i in range(item.childCount()):
            child = item.child(i)
            if child.childCount():
                walk(child)
            else:
                out.append(child)

    walk(tree.invisibleRootItem())
    return out
