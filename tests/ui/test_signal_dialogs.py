"""The OND signal forms (ui/signal_dialogs.py) against a real OND store: a refusal of the
service shows at the field it names with everything typed kept, and the next OK that
succeeds registers the step (OND 1.27, 1.28, Bijlagen 1 and 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from app.errors import CasusError
from app.services import casework, signals
from app.services.session import Session
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStoreFactory
from ui.casework.forms import FormDialog, Job, checked_ids, set_checked
from ui.signal_dialogs import IntakeDialog, WeightDialog

SPEC = DemoSpec("ondermijning", cases=2, seed=17,
                today=dt.datetime.now().astimezone().date())
CHAIR = sorted(u for u, _n, role, _p in SPEC.generate().users if role == "procesregisseur")[0]
CAUSE = "Buren zien 's nachts busjes achterstevoren bij de loods"


class SessionRunner:
    """Runs each job at once on the session, as the store thread would."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __call__(self, job: Job, done: Any, failed: Any) -> None:
        try:
            result = job(self.session)
        except CasusError as error:
            failed(error)
        else:
            done(result)


def _shown(qtbot: Any, dialog: FormDialog) -> FormDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_ond_bijlage_3_intake_form_names_the_indicator_field_and_keeps_the_text(
        qtbot: Any, demo_store: DemoStoreFactory) -> None:
    """Bijlage 3: no signal without an indicator of Bijlage 1; the refusal shows under
    the indicator list, the cause typed stays; then weigh with the suggested criteria."""
    folder = demo_store(SPEC)
    with Session.open(folder, CHAIR, PASSPHRASE, kdf=TEST_KDF) as session:
        ref = casework.create_case(session, registering_party="afdeling-oov")
        casework.add_person(session, ref, category="subject")
        lists = signals.lists(session)
        run = SessionRunner(session)
        dialog = _shown(qtbot, IntakeDialog(lists, ref, run))
        assert isinstance(dialog, IntakeDialog)
        dialog.source_kind.setCurrentIndex(dialog.source_kind.findData("party"))
        dialog.source_party.setCurrentIndex(dialog.source_party.findData("politie"))
        dialog.cause.setPlainText(CAUSE)
        dialog.territory.setChecked(True)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "Bijlage 1" in dialog.error_text("indicators")
        assert dialog.error_text() == ""
        assert dialog.cause.toPlainText() == CAUSE
        set_checked(dialog.indicators, "dr-25")
        set_checked(dialog.indicators, "dr-23")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        view = signals.signal_view(session, ref)
        assert view.intake is not None
        assert {i.id for i in view.intake.indicators} == {"dr-23", "dr-25"}

        casework.change_phase(session, ref, "zwaarte")
        weight = _shown(qtbot, WeightDialog(lists, ref, run,
                                            suggested=view.suggested_criteria))
        assert isinstance(weight, WeightDialog)
        assert set(checked_ids(weight.criteria)) == {
            "gemeld-door-politie", "meerdere-aanknopingspunten"}
        qtbot.mouseClick(weight.ok_button, Qt.MouseButton.LeftButton)
        assert weight.error_text("explanation")  # Bijlage 7: explained
        weight.explanation.setPlainText("Gemeld door de politie, twee aanknopingspunten")
        qtbot.mouseClick(weight.ok_button, Qt.MouseButton.LeftButton)
        assert not weight.isVisible()
        assert signals.signal_view(session, ref).heavy_enough is True
