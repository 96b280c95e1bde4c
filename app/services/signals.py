"""Signal handling in the ondermijning profile (OND 1.21-1.34; Bijlagen 1, 3, 6, 7, 9).

The coordinator (the case's procesregisseur) registers the intake of a signal, assesses
its weight against Bijlage 7, records the hit / no hit answer of each municipal source,
records the overleg's decision (signal becomes casus, or not, or goes to the RIEC) and,
on opschaling, what the RIEC receives.  The signal tables hold non-personal facts only
(codes, dates, yes/no, ids): the cause, the description and every explanation are items
of the case (``casework.add_item``), encrypted per item by the key layer (OND 9.2-9.4:
only what the step needs is registered).

Each write checks who may do it (:mod:`app.services.guard`), validates against the
profile, writes in one transaction and leaves one ``signal.*`` audit entry (plus the
entries of the items it adds and, for the RIEC, the disclosure register's).  The phase
gates are in :mod:`app.services.signal_gate`, the reading in
:mod:`app.services.signal_reads` (both re-exported here).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence

from app import clock
from app.domain.records import Case, Item
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.policy.engine import Decision, Level, Reason, grant_is_current, grant_matches
from app.policy.facts import load_facts
from app.profiles import Profile
from app.services import casework, disclosure, guard
from app.services.phases import PhaseNames
from app.services.redaction import profile_of
from app.services.session import Session
from app.services.signal_gate import (
    INTAKE,
    OVERLEG,
    RIEC,
    SOURCES,
    WEIGHT,
    check_transition,
    has_signals,
    intake_id,
    latest_decision,
    riec_recipient,
)
from app.services.signal_reads import lists, signal_view
from app.store import repo
from app.store.audit import new_trace_id

__all__ = ["OUTCOMES", "SOURCE_KINDS", "check_transition", "decide", "intake", "lists",
           "riec", "signal_view", "source", "weigh"]

SOURCE_KINDS = ("party", "burger", "professional", "mma", "anoniem")
"""Who brought the signal (OND 1.22, Bijlage 6): a covenant party, a citizen, an outside
professional, Meld Misdaad Anoniem, or anonymous."""

OUTCOMES = ("casus", "geen_casus", "riec")
"""The overleg's decision (OND 1.23, 1.31, 1.34; Bijlage 3 'Overleg')."""

# Where a signal is stored: the data category of the cause, description and explanations.
_SIGNAL_CATEGORY = "signal"


def _invalid(code: str, message: str, **params: object) -> InputError:
    return InputError(code, message, params)


def _case(session: Session, reference: str, phase: str | None,
          action: Action = Action.DIRECT, meeting_id: int | None = None) -> tuple[Case, Profile]:
    """The case once the user may act on it, in an OND store, in ``phase`` (if given)."""
    case, _facts = guard.case_for(session, reference, action, meeting_id=meeting_id)
    profile = profile_of(session)
    if not has_signals(profile):
        raise _invalid("signal.not_covered",
                       N_("This covenant has no signal handling (OND 1.21-1.34)."))
    if case.closed_at is not None:
        raise _invalid("case.closed", N_("This case is closed."))
    if phase is not None and case.phase != phase:
        # Each step processes only what its phase needs (OND 9.2-9.6, Bijlage 3).
        raise _invalid("signal.wrong_phase", N_("This step belongs to the phase {phase}."),
                       phase=PhaseNames(profile, [phase]))
    return case, profile


def _not_future(day: dt.date | None, code: str, message: str) -> dt.date:
    day = day or clock.today()
    if day > clock.today():
        raise _invalid(code, message)
    return day


def _unknown_ids(ids: Iterable[str], known: set[str]) -> list[str]:
    return [i for i in ids if i not in known]


def _ids(values: Iterable[str]) -> list[str]:
    """Stripped, without blanks and duplicates, in order."""
    out: list[str] = []
    for raw in values:
        value = raw.strip()
        if value and value not in out:
            out.append(value)
    return out


# --------------------------------------------------------------------------- intake


def intake(
    session: Session,
    reference: str,
    *,
    source_kind: str,
    cause: str,
    indicators: Sequence[str],
    on_territory: bool,
    legal_basis: str,
    source_party: str | None = None,
    reported_on: dt.date | None = None,
    municipal_task: str | None = None,
    description: str = "",
    person: str | None = None,
) -> int:
    """Register the intake of the signal (OND 1.27, 9.2; Bijlage 3, 6); returns its id.

    ``cause`` (and ``description``) become items of the coordinator's party about
    ``person``; at least one Bijlage 1 indicator is required ("Het Signaal is voldoende
    als het tenminste één ondermijningssignaal bevat").  ``municipal_task``: the Bijlage 9
    task or power, None when none applies (1.24: then it is not a municipal matter).
    """
    case, profile = _case(session, reference, INTAKE)
    conn = session.store.conn
    if intake_id(conn, case.id) is not None:
        raise _invalid("signal.intake_exists",
                       N_("The intake of this signal is already registered."))
    if source_kind not in SOURCE_KINDS:
        raise _invalid("signal.source_kind",
                       N_("Brought by: choose a party, a citizen, a professional, Meld Misdaad "
                          "Anoniem or anonymous."))
    if (source_kind == "party") != bool(source_party):
        raise _invalid("signal.source_party",
                       N_("Brought by: name the party exactly when a party brought the signal."))
    if source_party and not profile.has_party(source_party):
        raise _invalid("signal.source_party", N_("Brought by: this party is not part of the "
                                                 "covenant."))
    day = _not_future(reported_on, "signal.reported_future",
                      N_("Date of the report: it cannot lie in the future."))
    if not cause.strip():
        raise _invalid("signal.cause_empty", N_("Cause: describe what led to the signal."))
    chosen = _ids(indicators)
    if not chosen:
        raise _invalid("signal.indicator_missing",
                       N_("Indicators: name at least one indicator of Bijlage 1 (OND 1.25)."),
                       field="indicators")
    unknown = _unknown_ids(chosen, {i.id for i in profile.indicators})
    if unknown:
        raise _invalid("signal.indicator_unknown",
                       N_("Indicators: {ids} is not on the list of Bijlage 1."),
                       ids=", ".join(unknown), field="indicators")
    if municipal_task is not None and municipal_task not in {
            t.id for t in profile.tasks_powers}:
        raise _invalid("signal.task_unknown",
                           N_("Municipal task: this is not a task or power of Bijlage 9."))
    store = session.store
    with store.transaction():
        # The items first, in the same transaction: a refusal by add_item leaves nothing.
        cause_id = casework.add_item(session, reference, category=_SIGNAL_CATEGORY,
                                     body=cause, legal_basis=legal_basis, person=person,
                                     provided_on=day)
        description_id = (casework.add_item(
            session, reference, category=_SIGNAL_CATEGORY, body=description,
            legal_basis=legal_basis, person=person, provided_on=day)
            if description.strip() else None)
        cur = conn.execute(
            "INSERT INTO ond_intakes(case_id, source_kind, source_party, reported_on,"
            " cause_item_id, description_item_id, municipal_task, on_territory, recorded_by,"
            " recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (case.id, source_kind, source_party, day.isoformat(), cause_id, description_id,
             municipal_task, int(on_territory), session.user.username, clock.utc_now_iso()))
        new_id = int(cur.lastrowid)
        conn.executemany("INSERT INTO ond_intake_indicators(intake_id, indicator) VALUES (?,?)",
                         [(new_id, i) for i in chosen])
        store.log("signal.intake", object_type="case", object_id=reference,
                  processing_activity_id=profile.phase(INTAKE).activity,
                  attributes={"intake": new_id, "source_kind": source_kind,
                              "source_party": source_party, "indicators": chosen,
                              "municipal_task": municipal_task,
                              "on_territory": on_territory})
    return new_id


# --------------------------------------------------------------------------- weight


def weigh(
    session: Session,
    reference: str,
    *,
    criteria: Sequence[str],
    explanation: str,
    legal_basis: str,
    heavy: bool | None = None,
    person: str | None = None,
) -> int:
    """Assess the weight of the signal against Bijlage 7 (OND 1.28, 9.3); returns its id.

    Bijlage 7: a signal that meets one of the criteria is heavy enough for source research,
    so ``heavy`` follows from ``criteria``; when given it must agree.  The explanation
    ("wordt vastgelegd en toegelicht") becomes an item.  A later assessment replaces the
    conclusion of an earlier one; both stay recorded.
    """
    case, profile = _case(session, reference, WEIGHT)
    chosen = _ids(criteria)
    unknown = _unknown_ids(chosen, {w.id for w in profile.weight_criteria})
    if unknown:
        raise _invalid("signal.criterion_unknown",
                       N_("Criteria: {ids} is not a criterion of Bijlage 7."),
                       ids=", ".join(unknown), field="criteria")
    derived = bool(chosen)
    if heavy is True and not derived:
        raise _invalid("signal.weight_no_criterion",
                       N_("Criteria: a signal is heavy enough only when it meets at least one "
                          "criterion of Bijlage 7."), field="criteria")
    if heavy is False and derived:
        raise _invalid("signal.weight_contradicts",
                       N_("Conclusion: a signal that meets a criterion of Bijlage 7 is heavy "
                          "enough for source research."), field="heavy")
    if not explanation.strip():
        raise _invalid("signal.explanation_empty",
                       N_("Explanation: Bijlage 7 asks for the assessment to be explained."))
    store = session.store
    conn = store.conn
    with store.transaction():
        item_id = casework.add_item(session, reference, category=_SIGNAL_CATEGORY,
                                    body=explanation, legal_basis=legal_basis, person=person)
        cur = conn.execute(
            "INSERT INTO ond_weight_assessments(case_id, heavy, explanation_item_id,"
            " assessed_by, assessed_at) VALUES (?,?,?,?,?)",
            (case.id, int(derived), item_id, session.user.username, clock.utc_now_iso()))
        new_id = int(cur.lastrowid)
        conn.executemany("INSERT INTO ond_weight_criteria(assessment_id, criterion)"
                         " VALUES (?,?)", [(new_id, c) for c in chosen])
        store.log("signal.weigh", object_type="case", object_id=reference,
                  processing_activity_id=profile.phase(WEIGHT).activity,
                  attributes={"assessment": new_id, "heavy": derived, "criteria": chosen})
    return new_id


# --------------------------------------------------------------------------- sources


def source(
    session: Session,
    reference: str,
    *,
    source: str,
    register: str,
    hit: bool,
    relevant: bool | None = None,
    checked_on: dt.date | None = None,
) -> int:
    """Record the hit / no hit answer of one municipal source (OND 1.29, 9.4); returns
    its id.  ``source``: the department holding the source; ``register``: the data
    category consulted; ``relevant``: for a hit only, whether it matters for the signal.
    No hit / no hit question is asked about police data held by the mayor (OND 7.2)."""
    case, profile = _case(session, reference, SOURCES)
    if not profile.has_party(source):
        raise _invalid("signal.source_unknown", N_("Source: this party is not part of the "
                                                   "covenant."))
    kind = profile.party(source).kind
    if kind in {"burgemeester", "politie"}:
        raise _invalid("signal.source_police",
                       N_("Source: no hit / no hit question may be asked about police data "
                          "(OND 7.2)."))
    if kind != "afdeling":
        raise _invalid("signal.source_not_municipal",
                       N_("Source: the source research consults municipal departments only "
                          "(OND 1.29)."))
    activity = profile.activity(profile.phase(SOURCES).activity)
    if register not in activity.data_categories or profile.data_category(register).police:
        raise _invalid("signal.register_unknown",
                       N_("Register: this kind of data is not consulted in the source research "
                          "(OND 9.4)."))
    if hit and relevant is None:
        raise _invalid("signal.relevance_missing",
                       N_("Relevance: say whether the hit is relevant to the signal."))
    if not hit and relevant is not None:
        raise _invalid("signal.relevance_without_hit",
                       N_("Relevance: only a hit can be relevant."))
    day = _not_future(checked_on, "signal.checked_future",
                      N_("Date: the source cannot be consulted in the future."))
    store = session.store
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO ond_source_checks(case_id, source, register, hit, relevant,"
            " checked_on, recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?)",
            (case.id, source, register, int(hit), None if relevant is None else int(relevant),
             day.isoformat(), session.user.username, clock.utc_now_iso()))
        new_id = int(cur.lastrowid)
        store.log("signal.source", object_type="case", object_id=reference,
                  processing_activity_id=activity.id,
                  attributes={"check": new_id, "source": source, "register": register,
                              "hit": hit, "relevant": relevant})
    return new_id


# --------------------------------------------------------------------------- overleg


def decide(
    session: Session,
    reference: str,
    *,
    outcome: str,
    meeting_id: int | None = None,
    decided_on: dt.date | None = None,
    tasks: Sequence[str] = (),
) -> int:
    """Record the overleg's decision: the signal becomes a casus, does not, or is scaled up
    to the RIEC (OND 1.23, 1.31, 1.34); ``tasks``: the Bijlage 9 tasks and powers the
    municipality will use.  Recorded like the joint record (the chair, the casusregisseur,
    the minute taker of that meeting); returns its id."""
    case, profile = _case(session, reference, OVERLEG, Action.RECORD_JOINT, meeting_id)
    if outcome not in OUTCOMES:
        raise _invalid("signal.outcome",
                       N_("Decision: choose casus, no casus or scaling up to the RIEC."))
    chosen = _ids(tasks)
    unknown = _unknown_ids(chosen, {t.id for t in profile.tasks_powers})
    if unknown:
        raise _invalid("signal.task_unknown",
                       N_("Municipal task: {ids} is not a task or power of Bijlage 9."),
                       ids=", ".join(unknown))
    conn = session.store.conn
    if meeting_id is not None and not conn.execute(
            "SELECT 1 FROM agenda WHERE meeting_id = ? AND case_id = ?",
            (meeting_id, case.id)).fetchone():
        raise guard.unknown_meeting()
    day = _not_future(decided_on, "signal.decided_future",
                      N_("Date: a decision cannot be recorded for a future date."))
    store = session.store
    with store.transaction():
        cur = conn.execute(
            "INSERT INTO ond_decisions(case_id, outcome, meeting_id, decided_on, recorded_by,"
            " recorded_at) VALUES (?,?,?,?,?,?)",
            (case.id, outcome, meeting_id, day.isoformat(), session.user.username,
             clock.utc_now_iso()))
        new_id = int(cur.lastrowid)
        conn.executemany("INSERT INTO ond_decision_tasks(decision_id, task) VALUES (?,?)",
                         [(new_id, t) for t in chosen])
        store.log("signal.decide", object_type="case", object_id=reference,
                  processing_activity_id=profile.phase(OVERLEG).activity,
                  attributes={"decision": new_id, "outcome": outcome, "meeting": meeting_id,
                              "tasks": chosen})
    return new_id


# --------------------------------------------------------------------------- RIEC


def riec(
    session: Session,
    reference: str,
    *,
    item_ids: Sequence[int] = (),
    categories: Sequence[str] = (),
) -> int:
    """Record what the RIEC receives on opschaling (OND 1.34, 23.1; Bijlage 3 'Afsluiten')
    and register each item in the disclosure register (channel ``export``); returns the
    transfer id.  ``categories`` adds every current item of those data categories.

    Provision to a third party is each department's own assessment (OND 23.2): every item
    must carry a live grant of its provider to the RIEC, made in this phase, that lets the
    RIEC keep it (take-away, ZVH 3.5d).  Police data never go (OND 7.1).
    """
    case, profile = _case(session, reference, OVERLEG)
    conn = session.store.conn
    decision = latest_decision(conn, case.id)
    if decision is None or decision[1] != "riec":
        raise _invalid("signal.riec_not_decided",
                       N_("The overleg has not decided to scale up to the RIEC (OND 1.34)."))
    if conn.execute("SELECT 1 FROM ond_riec_transfers WHERE decision_id = ?",
                    (decision[0],)).fetchone():
        raise _invalid("signal.riec_exists",
                       N_("What the RIEC receives is already recorded for this decision."))
    known = {c.id for c in profile.data_categories}
    wanted_categories = _ids(categories)
    if _unknown_ids(wanted_categories, known):
        raise _invalid("item.category", N_("Unknown data category."))
    current = repo.items_by_case(conn, [case.id], current=True).get(case.id, [])
    by_id = {i.id: i for i in current}
    wanted = list(dict.fromkeys(int(i) for i in item_ids))
    missing = [i for i in wanted if i not in by_id]
    if missing:
        raise _invalid("signal.riec_item_unknown",
                       N_("Items: {ids} is not a current item of this case."),
                       ids=", ".join(str(i) for i in missing), field="items")
    wanted += [i.id for i in current if i.category in wanted_categories and i.id not in wanted]
    if not wanted:
        raise _invalid("signal.riec_empty",
                       N_("Items: name what the RIEC receives (items or data categories)."),
                       field="items")
    recipient = riec_recipient(profile)
    facts = load_facts(conn, [case])[case.id]
    pairs: list[tuple[Item, Decision]] = []
    police, ungranted = [], []
    for item_id in wanted:
        item = by_id[item_id]
        if profile.data_category(item.category).police or (
                profile.party(item.source_party).regime == "wpg"):
            police.append(item_id)
            continue
        grant = next((g for g in facts.grants if grant_matches(g, item, recipient)
                      and g.phase == case.phase and g.take_away
                      and grant_is_current(g, facts)), None)
        if grant is None:
            ungranted.append(item_id)
            continue
        pairs.append((item, Decision(Level.FULL, Reason(
            "riec_transfer", N_("Provided to the RIEC on scaling up"), "OND 1.34, 23.1"),
            grant=grant)))
    if police:
        raise _invalid("signal.riec_police",
                       N_("Items: {ids} are police data, which are not passed on (OND 7.1)."),
                       ids=", ".join(map(str, police)), field="items")
    if ungranted:
        raise _invalid("signal.riec_not_granted",
                       N_("Items: the providing department has not shared {ids} with the RIEC "
                          "to keep (OND 23.2): it grants that first."),
                       ids=", ".join(map(str, ungranted)), field="items")
    document_id = "RIEC-" + secrets.token_hex(6).upper()
    trace = new_trace_id()
    store = session.store
    with store.transaction():
        cur = conn.execute(
            "INSERT INTO ond_riec_transfers(case_id, decision_id, recipient, document_id,"
            " transferred_by, transferred_at) VALUES (?,?,?,?,?,?)",
            (case.id, decision[0], recipient, document_id, session.user.username,
             clock.utc_now_iso()))
        new_id = int(cur.lastrowid)
        conn.executemany(
            "INSERT INTO ond_riec_items(transfer_id, item_id, category) VALUES (?,?,?)",
            [(new_id, item.id, item.category) for item, _d in pairs])
        store.log("signal.riec", object_type="case", object_id=reference, trace_id=trace,
                  processing_activity_id=profile.phase(RIEC).activity,
                  attributes={"transfer": new_id, "document": document_id,
                              "recipient": recipient, "items": len(pairs),
                              "categories": sorted({i.category for i, _d in pairs})})
        # The register's purpose is the opschaling, the activity under which the RIEC
        # receives (OND 1.34), although the case is still in the overleg.
        disclosure.record(session, pairs, [recipient], phase=RIEC, profile=profile,
                          channel="export", document_id=document_id, trace_id=trace)
    return new_id
