"""The consent dialog names whose data, to whom and which data; it offers no blanket
consent and ticks nothing by default (ZVH 7.2, 13.7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.support import TIMEOUT, World, open_case, unlock, wait_idle
from tests.ui.test_app import drive_dialog, label
from ui.dialogs import ConsentDialog


def test_zvh_7_2_consent_dialog_names_source_recipients_and_categories(
        qtbot: Any, world: World, store: Path, make_window: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reference = world.agenda_refs()[0]
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    open_case(qtbot, window, reference)
    case = window.case_widget
    assert not case.b_consent.isHidden()
    parties = [p.id for p in case.view.parties]
    source, recipient = parties[0], parties[1]
    before = case.consents.topLevelItemCount()
    offered: list[ConsentDialog] = []

    def fill(d: ConsentDialog) -> None:
        # Nothing is ticked and nothing stands for "any": the chair names every party.
        sources = [d.source.itemData(i) for i in range(d.source.count())]
        assert "" not in sources
        assert set(sources) == set(parties)
        assert all(d.recipients.item(i).checkState() == Qt.CheckState.Unchecked
                   for i in range(d.recipients.count()))
        assert all(d.categories.item(i).checkState() == Qt.CheckState.Unchecked
                   for i in range(d.categories.count()))
        d.source.setCurrentIndex(d.source.findData(source))
        recipients = [d.recipients.item(i).data(Qt.ItemDataRole.UserRole)
                      for i in range(d.recipients.count())]
        assert source not in recipients
        d.recipients.item(recipients.index(recipient)).setCheckState(Qt.CheckState.Checked)
        d.categories.item(0).setCheckState(Qt.CheckState.Checked)
        d.purpose.setText("Casusoverleg")
        d.told.setChecked(True)

    drive_dialog(monkeypatch, ConsentDialog, fill, offered)
    case.tabs.setCurrentWidget(case.sharing_tab)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        qtbot.mouseClick(case.b_consent, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert offered, "the dialog ran"
    assert case.consents.topLevelItemCount() == before + 1
    rows = [case.consents.topLevelItem(i) for i in range(case.consents.topLevelItemCount())]
    assert any(r.text(1) == label(source) and r.text(2) == label(recipient) for r in rows)
