"""Screenshots of the privacy officer's workbench (issue 11), in Dutch and English, as the
main window shows it on a 1366 x 768 screen.

Run offscreen from the repository root (re-runnable; it overwrites the pictures)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_workbench.py

It builds a throw-away demo store in a temporary folder (synthetic data only), lets every
participant open the cases they know (so the disclosure register has rows), registers a
few data-subject requests and breaches as the privacy officer, ages a few cases past (or
nearly past) their retention term, then opens the real main window as the privacy officer
and saves ``workbench-<tab>-<lang>.png`` here for the disclosure register, the requests,
the breaches, the retention schedule and the figures.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from app import clock
from app.crypto.keyslots import KdfParams
from app.demo import create_demo_store, generate_demo
from app.policy.retention import add_months
from app.profiles import load_profile
from app.services import breaches, caselist, casework, requests, retention, screens
from app.services.session import Session
from app.views import ViewSpec
from ui.context import AppContext
from ui.main_window import MainWindow

HERE = Path(__file__).resolve().parent
SCREEN_W, SCREEN_H = 1366, 768
KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)  # a throw-away synthetic store
PASSPHRASE = "screenshots only passphrase 1"  # noqa: S105 - a throw-away demo store
PROFILE = "zvh-rotterdam-rijnmond"
TABS = ("registers", "requests", "breaches", "retention", "figures")


def build_store(folder: Path) -> str:
    """A demo store with a filled disclosure register, three requests and two breaches;
    returns the privacy officer's username."""
    demo = generate_demo(load_profile(PROFILE), cases=30, seed=3, today=clock.today())
    create_demo_store(folder, demo, profile_id=PROFILE, passphrase=PASSPHRASE, kdf=KDF)
    users = demo.doc["users"]
    for user in users:
        if user["role"] in ("deelnemer", "casusregisseur"):
            with Session.open(folder, user["username"], PASSPHRASE, kdf=KDF) as session:
                for row in caselist.rows_for_ids(session, caselist.known_case_ids(session)):
                    screens.case_screen(session, row.reference, ViewSpec())
    officer = str(next(u["username"] for u in users if u["role"] == "privacy-officer"))
    today = clock.today()
    now = dt.datetime.now().astimezone().replace(second=0, microsecond=0)
    with Session.open(folder, officer, PASSPHRASE, kdf=KDF) as session:
        for kind, days, name in (("inzage", 25, "Synthetische Persoon"),
                                 ("correction", 33, "Voorbeeld Betrokkene"),
                                 ("erasure", 2, "Demo Aanvrager")):
            requests.new_request(session, kind, today - dt.timedelta(days=days),
                                 "Paspoort gezien aan de balie (synthetisch)", officer, name)
        breaches.register_breach(
            session, now - dt.timedelta(hours=30),
            "Overzicht per e-mail naar een verkeerde ontvanger (synthetisch)",
            "Namen en casusnummers", "Ongeveer 12 betrokkenen, geen bijzondere gegevens",
            measures="Ontvanger gevraagd de e-mail te verwijderen")
        old = breaches.register_breach(
            session, now - dt.timedelta(days=6), "Laptop verloren (synthetisch)",
            "Geen: de schijf is versleuteld", "Geen", officer_informed_at=now
            - dt.timedelta(days=6) + dt.timedelta(hours=3))
        breaches.update_breach(session, old, ap_not_required="Versleutelde schijf: geen "
                               "risico voor betrokkenen (AVG 33 lid 1)",
                               measures="Wachtwoord ingetrokken, laptop op afstand gewist")
        breaches.close_breach(session, old)
    age_cases(folder, str(next(u["username"] for u in users
                               if u["role"] == "procesregisseur")))
    return officer


def age_cases(folder: Path, director: str) -> None:
    """Cases registered long ago (synthetic): two past the five years of ZVH 11.2, one
    falling due within the month, and one kept longer by a recorded extension (11.3)."""
    today = clock.today()
    with Session.open(folder, director, PASSPHRASE, kdf=KDF) as session:
        refs = []
        for opened in (add_months(today, -63), add_months(today, -61),
                       add_months(today, -60) + dt.timedelta(days=12),
                       add_months(today, -62)):
            ref = casework.create_case(session, registering_party="gemeente-rotterdam",
                                       themes=["overlast"], goal="Synthetische casus",
                                       opened_at=opened)
            casework.add_person(session, ref, category="cat-i")
            refs.append(ref)
        retention.extend(session, refs[-1], today + dt.timedelta(days=20),
                         "Partners: het plan van aanpak loopt nog (synthetisch)")


def use_language(app: QApplication, lang: str, held: list[QTranslator]) -> None:
    """Qt's own texts and date formats in ``lang`` (the app's catalog: the context)."""
    QLocale.setDefault(QLocale("nl_NL" if lang == "nl" else "en_GB"))
    for translator in held:
        app.removeTranslator(translator)
    held.clear()
    translator = QTranslator()
    if translator.load(f"qtbase_{lang}",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        held.append(translator)


def settle(app: QApplication, window: MainWindow, seconds: float = 0.4) -> None:
    """Until the store thread is idle and the views have painted (lazy pages)."""
    deadline = time.monotonic() + 30
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        app.processEvents()
        if window.ctx.worker.idle:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= seconds:
                return
        else:
            quiet_since = None
        time.sleep(0.02)


def save(widget: QWidget, name: str) -> None:
    """Grab the whole window."""
    path = HERE / name
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not save {path}")
    sys.stdout.write(f"{path}\n")


def shots(app: QApplication, lang: str, folder: Path, officer: str, tmp: Path) -> None:
    """The pictures of one language, from a fresh window."""
    settings = QSettings(str(tmp / f"settings-{lang}.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", lang)
    ctx = AppContext(app, settings)
    try:
        window = MainWindow(ctx)
        window.resize(SCREEN_W, SCREEN_H)
        window.show()
        window.unlock(folder, officer, PASSPHRASE)
        settle(app, window)
        window.show_privacy()
        settle(app, window)
        bench = window.workbench
        bench.disclosures.view.selectRow(0)
        settle(app, window)
        save(window, f"workbench-registers-{lang}.png")
        bench.setCurrentWidget(bench.requests)
        settle(app, window)
        bench.requests.table.selectRow(0)
        settle(app, window)
        save(window, f"workbench-requests-{lang}.png")
        bench.setCurrentWidget(bench.breaches)
        settle(app, window)
        bench.breaches.table.selectRow(0)
        settle(app, window)
        save(window, f"workbench-breaches-{lang}.png")
        bench.setCurrentWidget(bench.retention)
        settle(app, window)
        bench.retention.ahead.setChecked(True)
        settle(app, window)
        bench.retention.table.selectRow(0)
        settle(app, window)
        save(window, f"workbench-retention-{lang}.png")
        bench.setCurrentWidget(bench.figures)
        settle(app, window)
        save(window, f"workbench-figures-{lang}.png")
        window.lock()
        settle(app, window)
        window.idle._timer.stop()
        app.removeEventFilter(window.idle)
        window.close()
        window.deleteLater()
    finally:
        ctx.shutdown()


def main() -> None:
    """Make every screenshot in both languages."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    held: list[QTranslator] = []
    with tempfile.TemporaryDirectory(prefix="casustafel-shots-") as tmp:
        folder = Path(tmp) / "store"
        officer = build_store(folder)
        for lang in ("nl", "en"):
            use_language(app, lang, held)
            shots(app, lang, folder, officer, Path(tmp))


if __name__ == "__main__":
    main()
