"""The destruction run (issue 12): the approver approves, everything due today is destroyed
in one transaction, and the proces-verbaal is registered.

Always today (the one clock): a run never takes another date.  In order:

1. the schedule of today (:func:`app.services.retention.current_schedule`);
2. the proces-verbaal is rendered in memory from the counts (no personal data, no case
   references; :mod:`app.reports.destruction`);
3. one transaction: the destruction SQL (:func:`app.store.destruction.destroy`), the signed
   ``retention.run`` entry (counts, the SHA-256 of the destroyed ids), the ``retention_runs``
   row, and the report's ``report.generate`` entry and ``reports`` row (kind
   ``vernietiging``);
4. the file is rebuilt (VACUUM; ``secure_delete`` is on), every backup in the store folder
   gets the same destruction and is rebuilt, and this computer's witness ledger remembers
   the run (signed), so that a backup restored later loses the same data again
   (:func:`app.store.destruction.replay`).

Register lines past their term (the OM disclosure records, ZVH 17.5) are deleted in the
same transaction, each cut (register and rule) named in a signed
``retention.register_destroyed`` entry by the approver: ids and audit seqs as runs, their
count and digest, the rule and article.  That entry is what lets ``audit verify`` accept
the missing rows (the registers are cross-checked with the chain); the entries the rows
belonged to stay (docs/security.md, "Retention and destruction").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from pathlib import Path

from app import clock
from app.domain.roles import ROLE_LABELS
from app.errors import InputError
from app.fsutil import atomic_write
from app.i18n import LANGUAGES, N_, _, language
from app.policy.retention import Schedule
from app.profiles import LocalText, Profile
from app.reports import destruction as report
from app.services.redaction import profile_of
from app.services.reports import new_document_id
from app.services.retention import (
    REGISTER_TABLES,
    approver_role,
    authorize_approver,
    category_counts,
    current_schedule,
)
from app.services.session import Session
from app.store import destruction, witness
from app.store.connection import Connection
from app.views.retention import BackupPlace, DestructionReportView, RuleCount, RunResult

log = logging.getLogger(__name__)

_IN = " IN (SELECT value FROM json_each(?))"


def _plan(conn: Connection, today: dt.date, due: Schedule, run_uid: str
          ) -> destruction.Destruction:
    cases: dict[str, list[int]] = {}
    items: dict[str, list[int]] = {}
    for term in due.cases:
        if term.due_on <= today:
            cases.setdefault(term.clock.id, []).append(term.case_id)
    for item_term in due.items:
        if item_term.due_on <= today:
            items.setdefault(item_term.clock.id, []).extend(item_term.item_ids)
    return destruction.Destruction(run_uid, today.isoformat(),
                                   {k: tuple(v) for k, v in cases.items()},
                                   {k: tuple(v) for k, v in items.items()},
                                   _register_cuts(conn, due))


def _register_cuts(conn: Connection, due: Schedule) -> tuple[destruction.RegisterCut, ...]:
    """The register lines of ``due`` (all past their term: the schedule of today), with the
    audit seq each row belongs to (how ``audit verify`` knows the row)."""
    cuts = []
    for term in due.registers:
        if term.clock.register is None:
            continue
        table = REGISTER_TABLES[term.clock.register]
        lines = tuple((int(i), int(s)) for i, s in conn.execute(
            f"SELECT id, audit_seq FROM {table} WHERE id" + _IN + " ORDER BY id",
            (json.dumps(sorted(term.line_ids)),)))
        if lines:
            cuts.append(destruction.RegisterCut(table, term.clock.id, term.clock.article,
                                                lines))
    return tuple(cuts)


def _rule_counts(conn: Connection, profile: Profile, plan: destruction.Destruction
                 ) -> tuple[tuple[RuleCount, ...], dict[str, int]]:
    """Per rule: cases, items, persons; and the items per category (before destroying)."""
    clocks = {c.id: c for c in profile.retention.clocks}
    categories: dict[str, int] = {}
    rules: list[RuleCount] = []
    lines: dict[str, int] = {}
    for cut in plan.registers:
        lines[cut.rule] = lines.get(cut.rule, 0) + len(cut.lines)
    for rule in sorted(set(plan.cases) | set(plan.items) | set(lines)):
        case_ids = json.dumps(sorted(plan.cases.get(rule, ())))
        item_ids = json.dumps(sorted(plan.items.get(rule, ())))
        counts = dict(conn.execute(
            "SELECT category, count(*) FROM items WHERE destroyed_on IS NULL AND (case_id"
            + _IN + " OR id" + _IN + ") GROUP BY category", (case_ids, item_ids)).fetchall())
        persons = int(conn.execute("SELECT count(*) FROM persons WHERE case_id" + _IN,
                                   (case_ids,)).fetchone()[0])
        for cat, n in counts.items():
            categories[str(cat)] = categories.get(str(cat), 0) + int(n)
        clock_ = clocks[rule]
        rules.append(RuleCount(rule, clock_.article, clock_.what, len(plan.cases.get(rule, ())),
                               sum(int(n) for n in counts.values()), persons,
                               lines.get(rule, 0)))
    return tuple(rules), categories


def _outside_backups(conn: Connection) -> tuple[BackupPlace, ...]:
    return tuple(BackupPlace(str(place), dt.date.fromisoformat(str(made)[:10]))
                 for place, made in conn.execute(
                     "SELECT place, max(made_at) FROM backup_places WHERE internal = 0"
                     " GROUP BY place ORDER BY max(made_at)"))


def _unopenable_backups(session: Session) -> tuple[str, ...]:
    """Backups in the store folder the store's key does not open (before the run, so the
    report can say so)."""
    from app.store.connection import open_connection
    from app.store.layout import DB_NAME

    failed = []
    for backup in destruction.internal_backups(session.store.folder):
        try:
            open_connection(backup / DB_NAME, session.store.data_key).close()
        except Exception:  # noqa: BLE001 - any failure to open means: not cleaned
            failed.append(backup.name)
    return tuple(failed)


def _ledger_digest(plan: destruction.Destruction) -> str:
    doc: dict[str, object] = {"cases": {k: sorted(v) for k, v in plan.cases.items()},
                              "items": {k: sorted(v) for k, v in plan.items.items()}}
    if plan.registers:
        doc["registers"] = [cut.to_json() for cut in plan.registers]
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def run(session: Session, approve: bool = True, *, lang: str = "nl") -> RunResult:
    """Destroy everything due today and make the proces-verbaal (PDF in memory; write it
    with :func:`save`).  Approver only; ``approve`` must be given explicitly."""
    profile = profile_of(session)
    authorize_approver(session, profile)
    if not approve:
        raise InputError("retention.not_approved",
                         N_("A destruction run needs the approval (--approve)."))
    if lang not in LANGUAGES:
        raise InputError("report.language", N_("Unknown report language."))
    store = session.store
    signer = store.signer
    if signer is None:  # pragma: no cover - every envelope store has signers
        raise InputError("retention.no_signer", N_("This store cannot record a run."))
    today = clock.today()
    run_uid = uuid.uuid4().hex
    plan = _plan(store.conn, today, current_schedule(session, today), run_uid)
    rules, categories = _rule_counts(store.conn, profile, plan)
    failed = _unopenable_backups(session)
    outside = _outside_backups(store.conn)
    existing = len(destruction.internal_backups(store.folder))
    document_id = new_document_id()
    try:
        agreement: str | None = store.meta("dagmonitor_agreement")
    except KeyError:
        agreement = None
    role = ROLE_LABELS[approver_role(profile)]
    view = DestructionReportView(
        profile.covenant, document_id, today, clock.now(), session.user.display_name,
        LocalText(_translated(role, "nl"), role), rules, category_counts(profile, categories),
        existing - len(failed), failed, outside, agreement)
    rendered = report.render_destruction(view, lang=lang, author=session.user.display_name)
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    # Signed before the transaction (it reads only keys): the backups keep it beside the
    # register lines they lose, and this computer's witness remembers it.
    ledger = destruction.ledger_entry(store.conn, store.store_id, plan, signer)
    with store.transaction():
        done = destruction.destroy(store.conn, plan)
        cases, items = done.cases, done.items
        for cut in done.registers:
            store.log(destruction.REGISTER_EVENT, object_type="retention_run",
                      object_id=run_uid,
                      attributes=destruction.register_attributes(cut, run_uid))
        seq = store.log("retention.run", object_type="retention_run", object_id=run_uid,
                        attributes={"day": plan.day, "cases": cases, "items": items,
                                    "register_lines": done.lines,
                                    "rules": {r.rule: [r.cases, r.items, r.lines]
                                              for r in rules},
                                    "document": document_id,
                                    "ledger_sha256": _ledger_digest(plan),
                                    "backups_outside": len(outside)})
        store.conn.execute(
            "INSERT INTO retention_runs(run_uid, audit_seq, run_on, approved_by, document_id,"
            " cases, items, register_lines, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (run_uid, seq, plan.day, session.user.username, document_id, cases, items,
             done.lines, clock.utc_now_iso()))
        report_seq = store.log(
            "report.generate", object_type="report", object_id=document_id,
            attributes={"kind": report.KIND, "recipient": report.RECIPIENT, "sha256": digest,
                        "items": items, "categories": sorted(categories),
                        "language": lang, "pages": rendered.pages, "run": run_uid})
        store.conn.execute(
            "INSERT INTO reports(document_id, audit_seq, kind, recipient, case_reference,"
            " meeting_id, language, period_from, period_to, pages, sha256, categories, items,"
            " created_by, created_at) VALUES (?,?,?,?,NULL,NULL,?,NULL,NULL,?,?,?,?,?,?)",
            (document_id, report_seq, report.KIND, report.RECIPIENT, lang, rendered.pages,
             digest, json.dumps(sorted(categories)), items, session.user.username,
             clock.utc_now_iso()))
    destruction.compact(store.conn)
    cleaning = destruction.clean_backups(store, plan, ledger)
    try:
        witness.remember_destruction(store.store_id, ledger)
    except OSError as error:
        # The run stands (and is in the store's own ledger); only the replay into a backup
        # restored later on this computer is lost.  No personal data in the message.
        log.warning("destruction ledger not written to the witness folder: %s",
                    type(error).__name__)
    return RunResult(rendered.pdf, document_id, digest, rendered.pages, cases, items,
                     done.lines, len(cleaning.cleaned), cleaning.failed, outside)


def _translated(msgid: str, lang: str) -> str:
    with language(lang):
        return _(msgid)


def save(result: RunResult, path: Path) -> None:
    """Write the proces-verbaal to the file the user chose (atomically, user-only)."""
    atomic_write(path, result.pdf)
