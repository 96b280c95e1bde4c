"""Screenshots of the casework forms (issue 10), in Dutch and English, as they appear on a
1366 px wide screen.

Run offscreen from the repository root::

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_casework.py

It builds a throw-away store in a temporary folder (synthetic users, one synthetic case
taken to the casusoverleg with a meeting), opens each form with what the services offer
and saves ``casework-<form>-<lang>.png`` here.  Each form is drawn centred on a 1366 x 768
canvas, so the picture also shows that it fits that screen.  Two forms are shown with a
refusal at its field (a missing reason, a missing basis), as a user would see it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QLibraryInfo, QLocale, QPoint, QTranslator
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog

from app.crypto.keyslots import KdfParams
from app.domain.roles import Role
from app.i18n import set_language
from app.services import admin, casework, meetings
from app.services.session import Session
from ui.casework import case_dialogs as cd
from ui.casework import meeting_dialogs as md
from ui.casework import plan_dialogs as pd
from ui.casework.choices import case_choices, meeting_choices, store_choices
from ui.casework.forms import Job, set_checked
from ui.casework.inbox import InboxDialog

HERE = Path(__file__).resolve().parent
SCREEN_W, SCREEN_H = 1366, 768
# Cheap key derivation: a throw-away store of synthetic data.
KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
PASSPHRASE = "screenshots only passphrase 1"  # noqa: S105 - a throw-away demo store
PROFILE = "zvh-rotterdam-rijnmond"
RDAM, POLICE, GGZ, HALT = "gemeente-rotterdam", "politie-rotterdam", "ggz-antes", "halt"


def build_store(folder: Path) -> tuple[str, int]:
    """A store with a chair and a minute taker, one case in the casusoverleg with two
    items, and a meeting with the case on its agenda."""
    with admin.init_store(folder, profile_id=PROFILE, admin_username="beheer",
                          admin_display_name="Beheer", admin_party=RDAM,
                          passphrase=PASSPHRASE, kdf=KDF) as session:
        for username, role in (("regisseur", Role.PROCESREGISSEUR), ("notulist", Role.NOTULIST)):
            admin.add_user(session, username=username, display_name=username.title(),
                           role=role, party_id=RDAM, passphrase=PASSPHRASE)
    with Session.open(folder, "regisseur", PASSPHRASE, kdf=KDF) as session:
        admin.change_passphrase(session, PASSPHRASE, PASSPHRASE + "x")
    with Session.open(folder, "regisseur", PASSPHRASE + "x", kdf=KDF) as session:
        ref = casework.create_case(session, registering_party=RDAM, themes=["overlast"])
        casework.add_person(session, ref, category="cat-i")
        casework.add_item(session, ref, category="identity", body="Synthetische melder: "
                          "geluidsoverlast in het portiek", legal_basis=cd.DEFAULT_BASIS,
                          person="B1")
        casework.change_phase(session, ref, "triage")
        casework.change_phase(session, ref, "casusoverleg")
        casework.add_item(session, ref, category="police", body="Synthetisch: drie meldingen",
                          legal_basis=cd.DEFAULT_BASIS, person="B1")
        when = dt.datetime.combine(dt.datetime.now().astimezone().date()
                                   + dt.timedelta(days=2), dt.time(9, 30))
        mid = meetings.create_meeting(session, starts_at=when, place="Stadhuis, kamer 3",
                                      notulist="notulist")
        meetings.add_to_agenda(session, mid, ref, [RDAM, POLICE])
        meetings.set_attendee(session, mid, RDAM, present=True)
    return ref, mid


def on_screen(dialog: QDialog) -> QPixmap:
    """The dialog drawn centred on a 1366 x 768 canvas."""
    dialog.adjustSize()
    dialog.resize(min(dialog.width(), SCREEN_W - 40), min(dialog.height(), SCREEN_H - 40))
    shot = dialog.grab()
    canvas = QPixmap(SCREEN_W, SCREEN_H)
    canvas.fill(QColor("#d9dde3"))
    painter = QPainter(canvas)
    painter.drawPixmap(QPoint((SCREEN_W - shot.width()) // 2,
                              max(0, (SCREEN_H - shot.height()) // 2)), shot)
    painter.end()
    return canvas


def use_language(app: QApplication, lang: str, held: list[QTranslator]) -> None:
    """The app's catalog and Qt's own texts and date formats in ``lang``."""
    set_language(lang)
    QLocale.setDefault(QLocale("nl_NL" if lang == "nl" else "en_GB"))
    for translator in held:
        app.removeTranslator(translator)
    held.clear()
    translator = QTranslator()
    if translator.load(f"qtbase_{lang}",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        held.append(translator)


def main() -> None:
    """Make every screenshot in both languages."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    held: list[QTranslator] = []
    with tempfile.TemporaryDirectory(prefix="casustafel-shots-") as tmp:
        ref, mid = build_store(Path(tmp) / "store")
        session = Session.open(Path(tmp) / "store", "regisseur", PASSPHRASE + "x", kdf=KDF)
        try:
            def run(job: Job, done: Callable[[Any], None],
                    failed: Callable[[BaseException], None]) -> None:
                # Synchronous: the screenshots need each answer before the picture.
                try:
                    result = job(session)
                except Exception as error:  # noqa: BLE001 - shown in the form, as the app does
                    failed(error)
                else:
                    done(result)

            for lang in ("nl", "en"):
                use_language(app, lang, held)
                shots(lang, ref, mid, session, run)
        finally:
            session.close(backup=False)


def shots(lang: str, ref: str, mid: int, session: Session, run: Any) -> None:
    """The forms of one language."""
    store, case = store_choices(session), case_choices(session, ref, mid)
    meeting = meeting_choices(session, mid)
    new = cd.NewCaseDialog(store, run)
    new.themes.setText("overlast, zorg")
    new.reason.setPlainText("Buren melden nachtelijk geschreeuw (synthetisch voorbeeld)")
    new.add_person()
    forms: dict[str, QDialog] = {
        "new-case": new,
        "item": cd.ItemDialog(case, run),
        "correct": cd.CorrectItemDialog(case, run),
        "phase": cd.PhaseDialog(case, run),
        "regisseur": cd.RegisseurDialog(case, run),
        "informed": cd.InformedDialog(case, run),
        "handover": cd.HandOverDialog(case, run),
        "plan-meeting": md.PlanMeetingDialog(run),
        "attendance": md.AttendanceDialog(meeting, run),
        "decision": md.DecisionDialog(ref, meeting.meeting, run),
        "note": md.NoteDialog(ref, mid, run),
        "close-meeting": md.CloseMeetingDialog(meeting.meeting, run),
        "plan": pd.PlanTextsDialog(case.view, run),
        "action": pd.CaseActionDialog(case.view, meeting.meeting, run),
        "progress": pd.ProgressDialog(case.view, meeting.meeting, run),
        "inbox": InboxDialog(run),
    }
    agenda = md.AgendaDialog(meeting, run, reference=ref)
    for party in (RDAM, POLICE, GGZ, HALT):
        set_checked(agenda.parties, party)
    agenda.submit()  # refused: Halt needs a reason; shown at its field
    forms["agenda"] = agenda
    close = cd.CloseCaseDialog(case, run)
    close.reason.setPlainText("Doelen bereikt (synthetisch voorbeeld)")
    close.submit()  # refused: the basis is missing; shown at its field
    forms["close-case"] = close
    for name, dialog in forms.items():
        on_screen(dialog).save(str(HERE / f"casework-{name}-{lang}.png"))
        dialog.deleteLater()
    QApplication.processEvents()


if __name__ == "__main__":
    main()
