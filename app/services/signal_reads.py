"""Reading the OND signal record of a case and the lists its forms offer (OND 1.21-1.34).

Only the case's coordinator reads the record: until the overleg only the coordinator works
on a signal (OND 9.2-9.5, 9.10).  The record holds codes, dates, yes/no answers and item
ids; the items themselves are shown (redacted) by the case view.  Reading writes no audit
entry: nothing of a person's data is shown here.
"""

from __future__ import annotations

import datetime as dt

from app.domain.records import Case
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.profiles import LocalText, Profile
from app.services import guard
from app.services.redaction import party_ref, profile_of
from app.services.session import Session
from app.services.signal_gate import SOURCES, has_signals, riec_recipient
from app.store.connection import Connection
from app.views.signal import (
    CodeRef,
    IntakeView,
    OverlegDecisionView,
    RiecTransferView,
    SignalLists,
    SignalView,
    SourceCheckView,
    WeightView,
)

__all__ = ["lists", "signal_view"]


def _invalid(code: str, message: str, **params: object) -> InputError:
    return InputError(code, message, params)


def _code(text: LocalText | None, code: str, article: str = "") -> CodeRef:
    # An id the profile no longer lists keeps its id as text (a record outlives a profile
    # version).
    return CodeRef(code, text or LocalText(code, code), article)


def _indicator(profile: Profile, code: str) -> CodeRef:
    known = {i.id: i for i in profile.indicators}
    return _code(known[code].text if code in known else None, code, "OND Bijlage 1")


def _criterion(profile: Profile, code: str) -> CodeRef:
    known = {w.id: w for w in profile.weight_criteria}
    hit = known.get(code)
    return _code(hit.text if hit else None, code, hit.article if hit else "")


def _task(profile: Profile, code: str) -> CodeRef:
    known = {t.id: t for t in profile.tasks_powers}
    hit = known.get(code)
    return _code(hit.text if hit else None, code, hit.article if hit else "")


def _category(profile: Profile, code: str) -> CodeRef:
    known = {c.id: c for c in profile.data_categories}
    return _code(known[code].name if code in known else None, code)


def _current(conn: Connection, item_id: int) -> int:
    """The current version of an item: a correction by its provider replaces it (WO 7.2,
    ZVH 9.5), and the record points at what the case view shows."""
    seen = {item_id}
    while True:
        row = conn.execute("SELECT superseded_by FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None or row[0] is None or int(row[0]) in seen:
            return item_id
        item_id = int(row[0])
        seen.add(item_id)


def _day(stamp: str) -> dt.date:
    return dt.date.fromisoformat(stamp[:10])


def _suggested(profile: Profile, view: IntakeView | None) -> tuple[str, ...]:
    """Bijlage 7 criteria the intake already shows (a help for the form, not a rule)."""
    if view is None:
        return ()
    found = []
    kind = profile.party(view.source_party.id).kind if view.source_party else None
    if kind == "politie":
        found.append("gemeld-door-politie")
    elif view.source_party and view.source_party.id == riec_recipient(profile):
        found.append("gemeld-door-riec")
    elif view.source_kind == "professional" or kind is not None:
        found.append("gemeld-door-professional")
    if len(view.indicators) > 1:
        found.append("meerdere-aanknopingspunten")
    known = {w.id for w in profile.weight_criteria}
    return tuple(c for c in found if c in known)


def signal_view(session: Session, reference: str) -> SignalView:
    """The signal record of the case, for its coordinator only: until the overleg only
    the coordinator works on a signal (OND 9.2-9.5, 9.10)."""
    case, profile = _case_readable(session, reference)
    conn = session.store.conn
    intake_view = None
    row = conn.execute(
        "SELECT id, source_kind, source_party, reported_on, cause_item_id,"
        " description_item_id, municipal_task, on_territory FROM ond_intakes"
        " WHERE case_id = ?", (case.id,)).fetchone()
    if row is not None:
        codes = [str(r[0]) for r in conn.execute(
            "SELECT indicator FROM ond_intake_indicators WHERE intake_id = ? ORDER BY"
            " indicator", (row[0],))]
        intake_view = IntakeView(
            int(row[0]), str(row[1]), party_ref(profile, row[2]) if row[2] else None,
            _day(row[3]), _current(conn, int(row[4])),
            None if row[5] is None else _current(conn, int(row[5])),
            tuple(_indicator(profile, c) for c in codes),
            _task(profile, row[6]) if row[6] else None, bool(row[7]))
    weights = []
    for wid, heavy, item_id, at in conn.execute(
            "SELECT id, heavy, explanation_item_id, assessed_at FROM ond_weight_assessments"
            " WHERE case_id = ? ORDER BY id", (case.id,)).fetchall():
        crits = [str(r[0]) for r in conn.execute(
            "SELECT criterion FROM ond_weight_criteria WHERE assessment_id = ?", (wid,))]
        order = [w.id for w in profile.weight_criteria]
        crits.sort(key=lambda c: order.index(c) if c in order else len(order))
        weights.append(WeightView(wid, bool(heavy), tuple(_criterion(profile, c) for c in crits),
                                  _current(conn, item_id), _day(at)))
    sources = tuple(
        SourceCheckView(cid, party_ref(profile, src), _category(profile, reg), bool(hit),
                        None if rel is None else bool(rel), _day(on))
        for cid, src, reg, hit, rel, on in conn.execute(
            "SELECT id, source, register, hit, relevant, checked_on FROM ond_source_checks"
            " WHERE case_id = ? ORDER BY id", (case.id,)).fetchall())
    decisions = []
    for did, outcome, mid, on in conn.execute(
            "SELECT id, outcome, meeting_id, decided_on FROM ond_decisions WHERE case_id = ?"
            " ORDER BY id", (case.id,)).fetchall():
        tasks = [str(r[0]) for r in conn.execute(
            "SELECT task FROM ond_decision_tasks WHERE decision_id = ? ORDER BY task", (did,))]
        decisions.append(OverlegDecisionView(did, outcome, mid, _day(on),
                                             tuple(_task(profile, t) for t in tasks)))
    transfers = []
    for tid, did, recipient, doc, at in conn.execute(
            "SELECT id, decision_id, recipient, document_id, transferred_at"
            " FROM ond_riec_transfers WHERE case_id = ? ORDER BY id", (case.id,)).fetchall():
        rows = conn.execute("SELECT item_id, category FROM ond_riec_items WHERE transfer_id = ?"
                            " ORDER BY item_id", (tid,)).fetchall()
        transfers.append(RiecTransferView(
            tid, did, party_ref(profile, recipient), doc, tuple(int(r[0]) for r in rows),
            tuple(_category(profile, c) for c in sorted({str(r[1]) for r in rows})), _day(at)))
    return SignalView(case.reference, case.phase, intake_view, tuple(weights), sources,
                      tuple(decisions), tuple(transfers), _suggested(profile, intake_view))


def _case_readable(session: Session, reference: str) -> tuple[Case, Profile]:
    # Reading is allowed in every phase, also after closing (the record of an opschaling).
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    profile = profile_of(session)
    if not has_signals(profile):
        raise _invalid("signal.not_covered",
                       N_("This covenant has no signal handling (OND 1.21-1.34)."))
    return case, profile


def lists(session: Session) -> SignalLists:
    """The profile's lists for the signal forms: Bijlage 1, 7 and 9, the municipal
    sources and the registers of the source research."""
    guard.actor(session)
    profile = profile_of(session)
    if not has_signals(profile):
        return SignalLists((), (), (), (), (), ())
    activity = profile.activity(profile.phase(SOURCES).activity)
    return SignalLists(
        indicators=tuple(CodeRef(i.id, i.text, i.group) for i in profile.indicators),
        criteria=tuple(CodeRef(w.id, w.text, w.article) for w in profile.weight_criteria),
        tasks=tuple(CodeRef(t.id, t.text, t.article) for t in profile.tasks_powers),
        parties=tuple(party_ref(profile, p.id) for p in profile.parties),
        sources=tuple(party_ref(profile, p.id) for p in profile.parties
                      if p.kind == "afdeling"),
        registers=tuple(_category(profile, c) for c in activity.data_categories
                        if not profile.data_category(c).police),
    )
