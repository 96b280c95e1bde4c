"""Retention in daily work (issue 12): what is due for destruction, motivated extensions,
and the reminders of the workbench and the procesregisseur's dashboard.

The clocks are profile data (``[[retention.clocks]]``), the arithmetic is
:mod:`app.policy.retention`; this module loads the facts (process metadata only) and
checks who asks.  The destruction run itself is :mod:`app.services.retention_run`.

Who: the role the profile names as approver (the privacy officer in the shipped
profiles; ZVH 15.3d, 24) sees the whole schedule and approves; an extension is recorded by
the case's procesregisseur (ZVH 11.3: "door de procesregisseur in het dossier opgetekend")
or by the approver; a procesregisseur sees the reminders of their own cases (ZVH 9.4, 9.6).
Every look is audited with counts only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable

from app import clock
from app.domain.records import Case
from app.domain.roles import Role
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action, Permit
from app.policy.retention import (
    CaseClockFacts,
    CaseTerm,
    ItemClockFacts,
    RegisterLine,
    Schedule,
    case_term,
    extension_limit,
    schedule,
)
from app.profiles import LocalText, Profile
from app.services import guard
from app.services.redaction import profile_of
from app.services.session import Session
from app.store import repo
from app.store.connection import Connection
from app.views.retention import CategoryCount, DueLine, DueView, ExtensionView

_IN = " IN (SELECT value FROM json_each(?))"


def _json(values: Iterable[int] | Iterable[str]) -> str:
    """Values as the JSON list the ``json_each`` filters take."""
    return json.dumps(sorted(set(values)))


REMINDER_DAYS = 30
"""How far ahead the workbench and the dashboard look (issue 12, point 4)."""

REGISTER_TABLES = {"om_disclosures": "disclosures"}
"""The table of each register a profile clock may name (``RetentionClock.register``).  The
report register has no term in any shipped profile; a clock for it would add its table
(``reports``) here and its lines to :func:`register_lines`."""


# --------------------------------------------------------------------------- who asks


def approver_role(profile: Profile) -> Role:
    """The role that approves destruction runs under ``profile``."""
    return Role(profile.retention.approver)


def authorize_approver(session: Session, profile: Profile) -> None:
    """Return when the acting user has the profile's approver role; else log and raise."""
    role = approver_role(profile)
    if role is Role.PRIVACY_OFFICER:
        guard.authorize(session, Action.PRIVACY_WORK)
        return
    if guard.actor(session).role is not role:
        guard.refuse(session, Action.PRIVACY_WORK,
                     Permit(False, "retention_approver", profile.retention.article))


def is_approver(session: Session, profile: Profile) -> bool:
    """Whether the acting user may see the whole schedule and approve (no logging)."""
    return not session.must_renew and session.user.role is approver_role(profile)


# --------------------------------------------------------------------------- facts


def _agreement(session: Session) -> str | None:
    try:
        return session.store.meta("dagmonitor_agreement")
    except KeyError:
        return None


def _extensions(conn: Connection) -> dict[int, dict[str, dt.date]]:
    out: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for case_id, rule, until in conn.execute(
            "SELECT case_id, rule, max(until_on) FROM retention_extensions"
            " GROUP BY case_id, rule"):
        out[int(case_id)][str(rule)] = dt.date.fromisoformat(str(until))
    return out


def case_facts(conn: Connection, only: Iterable[int] | None = None) -> list[CaseClockFacts]:
    """The clock facts of every case not yet destroyed (or of ``only``)."""
    extensions = _extensions(conn)
    sql = ("SELECT id, reference, phase, opened_at, closed_at, procesregisseur FROM cases"
           " WHERE destroyed_on IS NULL")
    params: tuple[object, ...] = ()
    if only is not None:
        sql += " AND id" + _IN
        params = (_json(only),)
    return [CaseClockFacts(int(cid), str(ref), str(phase), dt.date.fromisoformat(opened[:10]),
                           dt.date.fromisoformat(closed[:10]) if closed else None,
                           director, extensions.get(int(cid), {}))
            for cid, ref, phase, opened, closed, director in conn.execute(sql + " ORDER BY id",
                                                                          params)]


def item_facts(conn: Connection) -> list[ItemClockFacts]:
    """Dagmonitor items (with an incident class) not yet destroyed."""
    return [ItemClockFacts(int(iid), int(cid), str(cat), dt.date.fromisoformat(provided[:10]))
            for iid, cid, cat, provided in conn.execute(
                "SELECT id, case_id, category, provided_on FROM items"
                " WHERE destroyed_on IS NULL AND incident_class IS NOT NULL")]


def register_lines(conn: Connection, profile: Profile) -> list[RegisterLine]:
    """The register lines the profile's register clocks apply to: the disclosures by the
    Public Prosecution Service (ZVH 17.5)."""
    if not any(c.register == "om_disclosures" for c in profile.retention.clocks):
        return []
    om = [p.id for p in profile.parties if p.kind == "om"]
    return [RegisterLine("om_disclosures", int(rid), dt.date.fromisoformat(str(at)[:10]))
            for rid, at in conn.execute(
                "SELECT id, disclosed_at FROM disclosures WHERE provider_party" + _IN,
                (_json(om),))]


def current_schedule(session: Session, as_of: dt.date, until: dt.date | None = None
                     ) -> Schedule:
    """The schedule of the session's store on ``as_of`` (no checks, no logging)."""
    conn = session.store.conn
    profile = profile_of(session)
    return schedule(profile, as_of, case_facts(conn), item_facts(conn),
                    register_lines(conn, profile), agreement=_agreement(session),
                    until=until)


# --------------------------------------------------------------------------- lines


def _counts(conn: Connection, case_ids: list[int]
            ) -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    items: dict[int, dict[str, int]] = defaultdict(dict)
    for cid, cat, n in conn.execute(
            "SELECT case_id, category, count(*) FROM items WHERE destroyed_on IS NULL"
            " AND case_id" + _IN + " GROUP BY case_id, category", (_json(case_ids),)):
        items[int(cid)][str(cat)] = int(n)
    persons = {int(cid): int(n) for cid, n in conn.execute(
        "SELECT case_id, count(*) FROM persons WHERE case_id" + _IN + " GROUP BY case_id",
        (_json(case_ids),))}
    return items, persons


def category_counts(profile: Profile, counts: dict[str, int]) -> tuple[CategoryCount, ...]:
    """Counts per data category, with the category's name (unknown ids keep the id)."""
    names = {c.id: c.name for c in profile.data_categories}
    return tuple(CategoryCount(cat, names.get(cat, LocalText(cat, cat)), n)
                 for cat, n in sorted(counts.items()))


def lines_of(session: Session, plan: Schedule, *, only_director: str | None = None
             ) -> tuple[DueLine, ...]:
    """The view lines of ``plan`` (for ``only_director``: their own cases only)."""
    conn = session.store.conn
    profile = profile_of(session)
    refs = {c.case_id: c for c in case_facts(conn, {t.case_id for t in plan.cases}
                                                 | {t.case_id for t in plan.items})}
    mine = {cid for cid, c in refs.items()
            if only_director is None or c.procesregisseur == only_director}
    items, persons = _counts(conn, [t.case_id for t in plan.cases if t.case_id in mine])
    out: list[DueLine] = []
    for term in plan.cases:
        if term.case_id not in mine:
            continue
        per = items.get(term.case_id, {})
        out.append(DueLine("case", term.clock.id, term.clock.article,
                           refs[term.case_id].reference, category_counts(profile, per),
                           sum(per.values()), persons.get(term.case_id, 0), 0, term.starts_on,
                           term.due_on, term.extended_until, extension_limit(profile, term),
                           term.due_on <= plan.as_of))
    for item_term in plan.items:
        if item_term.case_id not in mine:
            continue
        out.append(DueLine("item", item_term.clock.id, item_term.clock.article,
                           refs[item_term.case_id].reference,
                           category_counts(profile, dict(item_term.categories)),
                           len(item_term.item_ids), 0, 0, None, item_term.due_on, None, None,
                           item_term.due_on <= plan.as_of))
    if only_director is None:
        out.extend(DueLine("register", reg.clock.id, reg.clock.article, None, (), 0, 0,
                           len(reg.line_ids), None, reg.due_on, None, None,
                           reg.due_on <= plan.as_of) for reg in plan.registers)
    out.sort(key=lambda line: (line.due_on, line.case_ref or ""))
    return tuple(out)


# --------------------------------------------------------------------------- services


def due(session: Session, as_of: dt.date | None = None) -> DueView:
    """What a destruction run would destroy on ``as_of`` (default today): per line the
    case reference or the register, the items per category (no content), the rule and
    its article, the due date and any extension.  ``as_of`` only checks schedules; a run
    always uses today (:func:`app.services.retention_run.run`).  Approver only."""
    profile = profile_of(session)
    authorize_approver(session, profile)
    day = as_of or clock.today()
    lines = lines_of(session, current_schedule(session, day))
    view = DueView(day, lines, _agreement(session), profile.retention.approver)
    with session.store.transaction():
        session.store.log("retention.due", attributes={
            "as_of": day.isoformat(), "lines": len(lines), "cases": view.cases,
            "items": view.items})
    return view


def upcoming(session: Session, days: int = REMINDER_DAYS) -> DueView:
    """What falls due in the next ``days`` days (and what is overdue): for the approver
    every line, for a procesregisseur the lines of their own cases (a case they still need
    past its term needs a recorded extension, ZVH 11.3).  Others are refused."""
    profile = profile_of(session)
    me = guard.actor(session)
    director: str | None = None
    if me.role is Role.PROCESREGISSEUR and approver_role(profile) is not Role.PROCESREGISSEUR:
        director = me.username
    else:
        authorize_approver(session, profile)
    if days < 0:
        raise InputError("retention.days", N_("The number of days must not be negative."))
    today = clock.today()
    plan = current_schedule(session, today, today + dt.timedelta(days=days))
    lines = lines_of(session, plan, only_director=director)
    with session.store.transaction():
        session.store.log("retention.upcoming", attributes={"days": days,
                                                            "lines": len(lines)})
    return DueView(today, lines, _agreement(session), profile.retention.approver)


def _case_for_extension(session: Session, profile: Profile, reference: str) -> Case:
    if is_approver(session, profile):
        authorize_approver(session, profile)
        case = repo.case_by_reference(session.store.conn, reference)
        if case is None:
            raise guard.unknown_case()
        return case
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    return case


def _term(session: Session, profile: Profile, case: Case) -> CaseTerm | None:
    facts = case_facts(session.store.conn, [case.id])
    return case_term(profile, facts[0]) if facts else None


def extend(session: Session, reference: str, until: dt.date, motivation: str
           ) -> ExtensionView:
    """Record a motivated decision to keep the case longer (ZVH 11.3-11.5), in the file
    and the audit trail.  Refused without motivation, for a clock that cannot be extended,
    for a date not after the current due date, and beyond ``extension_years`` after it
    (11.4: "telkens niet langer dan 2 jaar")."""
    profile = profile_of(session)
    case = _case_for_extension(session, profile, reference)
    text = motivation.strip()
    if not text:
        raise InputError("retention.motivation",
                         N_("An extension needs the motivation of the partners' decision "
                            "(ZVH 11.3, 11.5)."))
    term = _term(session, profile, case)
    limit = extension_limit(profile, term) if term is not None else None
    if term is None or limit is None:
        raise InputError("retention.not_extendable",
                         N_("The term of this case cannot be extended under its covenant."))
    if until <= term.due_on:
        raise InputError("retention.extension_not_later",
                         N_("An extension must end after the current due date {due}."),
                         {"due": term.due_on.isoformat()})
    if until > limit:
        years = profile.retention.extension_years
        raise InputError("retention.extension_too_long",
                         N_("An extension may run to {limit} at the latest: each time at "
                            "most {years} years (ZVH 11.4)."),
                         {"limit": limit.isoformat(), "years": years})
    store = session.store
    with store.transaction():
        seq = store.log("retention.extend", object_type="case", object_id=str(case.id),
                        attributes={"case": reference, "rule": term.clock.id,
                                    "due_before": term.due_on.isoformat(),
                                    "until": until.isoformat(),
                                    "motivation_chars": len(text)})
        store.conn.execute(
            "INSERT INTO retention_extensions(case_id, rule, due_before, until_on, motivation,"
            " recorded_by, recorded_at, audit_seq) VALUES (?,?,?,?,?,?,?,?)",
            (case.id, term.clock.id, term.due_on.isoformat(), until.isoformat(), text,
             session.user.username, clock.utc_now_iso(), seq))
    return ExtensionView(reference, term.clock.id, term.clock.article, term.due_on, until,
                         session.user.username)
