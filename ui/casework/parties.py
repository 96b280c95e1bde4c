"""Choosing a party for a case: the case's own parties, sorted and searchable, nothing
chosen by default; another covenant party only after ticking "other parties" and saying
yes to a question that names what it will then see (issue 13, point 3; ZVH 13.2).

What is involved and what a new party would see comes from
:mod:`app.services.involvement`; the writing services check the choice again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QMessageBox, QWidget

from app.i18n import _
from app.services import involvement
from app.views import CaseView, PartyRef
from ui.casework.forms import chosen, party_options, picker


def none_text() -> str:
    """The empty first choice of a party picker."""
    return _("— choose —")


class PartyChoice:
    """A party picker (``combo``) limited to the case's parties, and the box that also
    offers the covenant's other parties (``others``, unticked)."""

    def __init__(self, view: CaseView, covenant: Sequence[PartyRef], *,
                 exclude: frozenset[str] = frozenset()) -> None:
        self.view = view
        self._involved = [p for p in involvement.involved_parties(view) if p.id not in exclude]
        self._others = [p for p in involvement.other_parties(view, covenant)
                        if p.id not in exclude]
        self.combo: QComboBox = picker(party_options(self._involved), none=none_text())
        self.others = QCheckBox(_("Also other parties (not involved in this case yet)"))
        self.others.setAccessibleName(_("Also offer parties not involved in this case"))
        self.others.setEnabled(bool(self._others))
        self.others.toggled.connect(self._fill)

    def _fill(self, with_others: bool) -> None:
        keep = chosen(self.combo)
        self.combo.clear()
        self.combo.addItem(none_text(), "")
        for key, label in sorted(party_options(self._involved), key=lambda o: o[1].casefold()):
            self.combo.addItem(label, key)
        if with_others and self._others:
            self.combo.insertSeparator(self.combo.count())
            for key, label in sorted(party_options(self._others),
                                     key=lambda o: o[1].casefold()):
                self.combo.addItem(label, key)
        index = self.combo.findData(keep) if keep else 0
        self.combo.setCurrentIndex(max(index, 0))

    def party(self) -> str:
        """The id chosen, or "" (nothing chosen, or typed text that names no party)."""
        return chosen(self.combo)

    def label(self, party: str) -> str:
        """The name of ``party`` as offered."""
        index = self.combo.findData(party)
        return self.combo.itemText(index) if index >= 0 else party

    def is_new(self, party: str) -> bool:
        """Whether choosing ``party`` would make it involved in the case."""
        return bool(party) and not involvement.is_involved(self.view, party)


def confirm_new_party(parent: QWidget | None, party: str, seen: Sequence[str]) -> bool:
    """Ask whether ``party`` (a name) may become involved, naming what it will see; the
    default answer is No."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Make a party involved?"),
                      _("{party} is not involved in this case yet.").format(party=party),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setInformativeText(_("Once involved, {party} will see:").format(party=party)
                           + "\n• " + "\n• ".join(seen))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(_("Make involved"))
    return box.exec() == QMessageBox.StandardButton.Yes


def agreed(parent: QWidget | None, choice: PartyChoice, *, shared: bool = False) -> bool:
    """True when the chosen party is involved already, or the user agreed to make it so."""
    party = choice.party()
    if not choice.is_new(party):
        return True
    seen = involvement.would_see(choice.view, party, shared=shared)
    return confirm_new_party(parent, choice.label(party), seen)
