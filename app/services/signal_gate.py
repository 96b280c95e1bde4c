"""Which steps of the OND signal process need which recorded facts (OND 1.27-1.34).

The phase service asks :func:`check_transition` before it moves a case: in the
ondermijning profile the bronnenonderzoek may start only after a weight assessment that
found the signal heavy enough (OND 1.28, 9.3; Bijlage 7), and so on.  This module reads
the signal tables only and imports no other service, so :mod:`app.services.phases` can
import it without an import cycle (``signals`` uses ``casework``, which uses ``phases``).
"""

from __future__ import annotations

from app.domain.records import Case
from app.errors import InputError
from app.i18n import N_
from app.profiles import Profile
from app.services.redaction import profile_of
from app.services.session import Session
from app.store.connection import Connection

# The OND phase ids the gates are about (resources/profiles/ondermijning.toml).
INTAKE, WEIGHT, SOURCES, PREPARE, OVERLEG, REGIE, CLOSE, RIEC = (
    "intake", "zwaarte", "bronnenonderzoek", "voorbereiden_overleg", "overleg", "regie",
    "afsluiten", "opschaling_riec")


def has_signals(profile: Profile) -> bool:
    """Whether the covenant handles signals (OND: it lists Bijlage 1 and Bijlage 7)."""
    return bool(profile.indicators and profile.weight_criteria)


def riec_recipient(profile: Profile) -> str:
    """Who receives on opschaling: the processing register names it (OND 1.34)."""
    recipients = profile.activity(profile.phase(RIEC).activity).recipients
    if len(recipients) != 1:  # pragma: no cover - the shipped profile names one
        raise InputError("signal.riec_recipient", N_("The covenant names no single RIEC."))
    return recipients[0]


def intake_id(conn: Connection, case_id: int) -> int | None:
    """The id of the case's intake, or None."""
    row = conn.execute("SELECT id FROM ond_intakes WHERE case_id = ?", (case_id,)).fetchone()
    return int(row[0]) if row else None


def latest_heavy(conn: Connection, case_id: int) -> bool | None:
    """The conclusion of the latest weight assessment (None: not assessed)."""
    row = conn.execute("SELECT heavy FROM ond_weight_assessments WHERE case_id = ?"
                       " ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()
    return None if row is None else bool(row[0])


def latest_decision(conn: Connection, case_id: int) -> tuple[int, str] | None:
    """The id and outcome of the latest overleg decision, or None."""
    row = conn.execute("SELECT id, outcome FROM ond_decisions WHERE case_id = ?"
                       " ORDER BY id DESC LIMIT 1", (case_id,)).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def has_riec_transfer(conn: Connection, case_id: int, decision_id: int) -> bool:
    """Whether what the RIEC receives was recorded under this decision (OND 1.34, 23.1)."""
    return conn.execute("SELECT 1 FROM ond_riec_transfers WHERE case_id = ? AND"
                        " decision_id = ?", (case_id, decision_id)).fetchone() is not None


def check_transition(session: Session, case: Case, target: str) -> None:
    """Refuse moving ``case`` to ``target`` while the signal process lacks what that step
    rests on; other covenants and other steps pass.

    - ``zwaarte``: the intake is registered (OND 1.27; Bijlage 3: at least one indicator);
    - ``bronnenonderzoek``: the latest weight assessment found the signal heavy enough
      (OND 1.28; Bijlage 7) - ``signal.weight_missing`` / ``signal.weight_not_heavy``;
    - ``regie``: the overleg decided that the signal becomes a casus (OND 1.23, 1.31);
    - ``opschaling_riec``: the overleg decided to scale up and what the RIEC receives is
      recorded (OND 1.34, 23.1).
    ``afsluiten`` is always open: a signal may end at any step.
    """
    if not has_signals(profile_of(session)):
        return
    conn = session.store.conn
    if target == WEIGHT and intake_id(conn, case.id) is None:
        raise InputError("signal.intake_missing",
                         N_("Register the intake of the signal first (OND 1.27)."))
    if target == SOURCES:
        heavy = latest_heavy(conn, case.id)
        if heavy is None:
            raise InputError(
                "signal.weight_missing",
                N_("Assess the weight of the signal first: the source research needs a "
                   "signal heavy enough (OND 1.28, Bijlage 7)."))
        if not heavy:
            raise InputError(
                "signal.weight_not_heavy",
                N_("The weight assessment found the signal not heavy enough for source "
                   "research (OND 1.28, Bijlage 7)."))
    decision = latest_decision(conn, case.id)
    if target == REGIE and (decision is None or decision[1] != "casus"):
        raise InputError("signal.decision_missing",
                         N_("The overleg has not decided that the signal becomes a casus "
                            "(OND 1.23, 1.31)."))
    if target == RIEC and (decision is None or decision[1] != "riec"
                           or not has_riec_transfer(conn, case.id, decision[0])):
        raise InputError("signal.riec_missing",
                         N_("Scaling up needs the overleg's decision and a record of what "
                            "the RIEC receives (OND 1.34, 23.1)."))
