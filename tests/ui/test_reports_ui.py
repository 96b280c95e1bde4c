"""Reports from the app: the chair makes the minutes for one party, previews them in
memory, and saves them where chosen; nothing is written anywhere else (issue: reports)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.ui.support import World, unlock

TIMEOUT = 30_000


def _files(*roots: Path) -> set[Path]:
    return {p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()}


def test_chair_makes_saves_the_minutes(qtbot: Any, world: World, store: Path,
                                       make_window: Any, tmp_path: Path, sandbox: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    unlock(qtbot, window, store, world.chair)
    meeting = window.dashboard.meeting
    assert meeting is not None
    party = meeting.attendees[0].party

    from ui.main_window import reports as mw

    class Accepting(mw.ReportDialog):
        def exec(self) -> int:  # the user picks one party as recipient and presses OK
            self.recipient.setCurrentIndex(self.recipient.findData(party.id))
            self.lang.setCurrentIndex(self.lang.findData("en"))
            return 1

    monkeypatch.setattr(mw, "ReportDialog", Accepting)
    before = _files(sandbox, store)
    with qtbot.waitSignal(window.ready, timeout=TIMEOUT):
        window.reporting.make_report()
    preview = window.reporting.preview
    assert preview is not None
    report = preview.report
    assert report is not None
    assert report.pdf.startswith(b"%PDF")
    assert report.pages >= 1
    # Preview in memory: no new file yet, other than the store's own bookkeeping.
    new = {p for p in _files(sandbox, store) - before
           if p.parent != store and "backups" not in p.parts}
    assert new == set()
    out = tmp_path / "chosen" / "notulen.pdf"
    preview.save_to(out)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == report.sha256
    text = "".join(page.extract_text() or "" for page in PdfReader(str(out)).pages)
    assert report.document_id in text
    assert party.label() in text
