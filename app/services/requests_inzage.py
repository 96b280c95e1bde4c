"""The inzage: the data about a requester, found across cases, and the report that answers
the request (ZVH 18.1; AVG 15).

The officer who registered an open inzage request holds, for its lifetime, the keys of the
items about the persons the case directors linked to it, and only where a signed
``request.link`` vouches for the link (:mod:`app.services.keys_requests`).  The view is
built from what that keyring opens: per item its purpose (the processing activity of its
phase), category, source, date, recipients (the disclosure register) and retention.
What a providing party withholds shows as a reasoned placeholder; police and OM items are
not shown at all, the request is routed to them (ZVH 17.5-17.6); an item whose seal has
not been made yet counts as awaiting its provider.  Reading it is logged with counts, the
report is registered in ``reports`` with the SHA-256 of the PDF (kind ``inzage``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable

from app import clock
from app.domain.records import Item
from app.errors import InputError
from app.i18n import LANGUAGES, N_
from app.policy import rights
from app.profiles import LocalText, Profile, ProfileError
from app.reports import inzage as report
from app.services import keys_requests
from app.services.redaction import opener, party_ref, profile_of
from app.services.reports import new_document_id
from app.services.requests import officer_request, open_identity, signed_by
from app.services.session import Session
from app.store import repo
from app.views import ReportResult
from app.views.requests import (
    InzageItemView,
    InzagePersonView,
    InzageView,
    PartyCount,
    RecipientView,
)


def _activity(profile: Profile, phase: str) -> tuple[LocalText, LocalText, LocalText]:
    """Name, purpose and retention of the processing activity of ``phase``."""
    try:
        activity = profile.activity(profile.phase(phase).activity)
    except ProfileError:
        text = LocalText(phase, phase)
        return text, text, LocalText(profile.retention.article, profile.retention.article)
    fallback = LocalText(profile.retention.article, profile.retention.article)
    retention = getattr(activity, "retention", None)
    return (activity.name, activity.purpose,
            retention if isinstance(retention, LocalText) else fallback)


def _recipients(session: Session, profile: Profile, item_ids: Iterable[int]
                ) -> dict[int, list[RecipientView]]:
    """Per item id: the parties the register shows received it, by channel."""
    out: dict[int, list[RecipientView]] = defaultdict(list)
    for item_id, party, channel, first, last in session.store.conn.execute(
            "SELECT item_id, recipient_party, channel, min(disclosed_at), max(disclosed_at)"
            " FROM disclosures WHERE item_id IN (SELECT value FROM json_each(?))"
            " GROUP BY item_id, recipient_party, channel ORDER BY recipient_party, channel",
            (json.dumps(sorted(set(item_ids))),)):
        out[int(item_id)].append(RecipientView(party_ref(profile, str(party)), str(channel),
                                               str(first), str(last)))
    return out


def _merge(views: Iterable[RecipientView]) -> tuple[RecipientView, ...]:
    """Recipients once per (party, channel), with the first and last date."""
    merged: dict[tuple[str, str], RecipientView] = {}
    for v in views:
        key = (v.party.id, v.channel)
        old = merged.get(key)
        merged[key] = v if old is None else RecipientView(
            v.party, v.channel, min(old.first, v.first), max(old.last, v.last))
    return tuple(merged[k] for k in sorted(merged))


def _vouched(session: Session, request_id: int, officer: str) -> list[tuple[int, int]]:
    """(person id, case id) of the links a signed entry by the case's director vouches
    for, under a request the officer signed; a row without them shows nothing."""
    if officer not in signed_by(session, "dsr_request", "request.new", str(request_id)):
        return []
    out = []
    for person_id, case_id, director in session.store.conn.execute(
            "SELECT s.person_id, s.case_id, c.procesregisseur FROM dsr_subjects s"
            " JOIN cases c ON c.id = s.case_id WHERE s.request_id = ? ORDER BY s.person_id",
            (request_id,)).fetchall():
        linked = signed_by(session, "dsr_subject", "request.link",
                           keys_requests.subject_object_id(request_id, int(person_id)))
        if director is not None and director in linked:
            out.append((int(person_id), int(case_id)))
    return out


def _person_view(session: Session, profile: Profile, request_id: int, person_id: int,
                 case_id: int) -> InzagePersonView:
    conn = session.store.conn
    person = next(p for p in repo.persons_by_case(conn, [case_id]).get(case_id, [])
                  if p.id == person_id)
    case = repo.cases(conn, [case_id])[0]
    every = [i for i in repo.items_by_case(conn, [case_id]).get(case_id, [])
             if i.person_id == person_id]
    # An earlier version's recipients received this person's data too.
    current_of = _current_of(every)
    withheld = {int(i): str(r) for i, r in conn.execute(
        "SELECT item_id, reason FROM dsr_withheld WHERE request_id = ?", (request_id,))}
    answered = [i for i in every if not rights.is_routed(profile, i)]
    register = _recipients(session, profile, (i.id for i in answered))
    by_current: dict[int, list[RecipientView]] = defaultdict(list)
    for item in answered:
        by_current[current_of[item.id]] += register.get(item.id, [])
    open_item = opener(session)
    shown: list[InzageItemView] = []
    routed: dict[str, int] = defaultdict(int)
    awaiting: dict[str, int] = defaultdict(int)
    for item in every:
        if item.superseded_by is not None:
            continue
        if rights.is_routed(profile, item):
            routed[item.source_party] += 1
            continue
        reason = withheld.get(item.id)
        content = None
        if reason is None:
            opened = open_item(item)
            if opened is None:
                awaiting[item.source_party] += 1
                continue
            content = opened.body
        name, purpose, retention = _activity(profile, item.phase)
        shown.append(InzageItemView(
            item.id, _category(profile, item), party_ref(profile, item.source_party),
            item.provided_on, name, purpose, retention, _merge(by_current[item.id]), content,
            reason))
    names = {c.id: c.name for c in profile.subject_categories}
    return InzagePersonView(
        person_id, case.reference, person.label,
        names.get(person.category, LocalText(person.category, person.category)),
        tuple(shown),
        tuple(PartyCount(party_ref(profile, p), n) for p, n in sorted(routed.items())),
        tuple(PartyCount(party_ref(profile, p), n) for p, n in sorted(awaiting.items())),
        _merge(v for vs in register.values() for v in vs))


def _current_of(items: list[Item]) -> dict[int, int]:
    """Per item id: the id of its current version."""
    successor = {i.id: i.superseded_by for i in items}
    out = {}
    for item in items:
        current = item.id
        while successor.get(current) is not None:
            current = int(successor[current] or current)
        out[item.id] = current
    return out


def _category(profile: Profile, item: Item) -> LocalText:
    try:
        return profile.data_category(item.category).name
    except ProfileError:
        return LocalText(item.category, item.category)


def _build(session: Session, request_id: int) -> InzageView:
    r = officer_request(session, request_id)
    if r.kind != "inzage":
        raise InputError("request.not_inzage", N_("This is not an inzage request."))
    profile = profile_of(session)
    persons = tuple(_person_view(session, profile, request_id, pid, cid)
                    for pid, cid in _vouched(session, request_id, r.created_by))
    return InzageView(request_id, r.received_on, r.extended_until or r.deadline_on,
                      open_identity(session, request_id), persons, profile.retention,
                      profile.name)


def _counts(view: InzageView) -> dict[str, object]:
    items = [i for p in view.persons for i in p.items]
    return {"persons": len(view.persons),
            "items": sum(i.withheld_reason is None for i in items),
            "withheld": sum(i.withheld_reason is not None for i in items),
            "routed": sum(c.items for p in view.persons for c in p.routed),
            "awaiting": sum(c.items for p in view.persons for c in p.awaiting)}


def inzage(session: Session, request_id: int) -> InzageView:
    """The data about the person of an open inzage request, for the officer who
    registered it (ZVH 18.1); logged with counts only."""
    view = _build(session, request_id)
    store = session.store
    with store.transaction():
        store.log("request.inzage", object_type="dsr_request", object_id=str(request_id),
                  attributes=_counts(view))
    return view


def inzage_report(session: Session, request_id: int, language: str) -> ReportResult:
    """The inzage report as PDF bytes in memory (not written anywhere), registered in
    ``reports`` (kind ``inzage``, recipient ``data-subject``) with its SHA-256 and an
    audit entry in one transaction."""
    if language not in LANGUAGES:
        raise InputError("report.language", N_("Unknown report language."))
    view = _build(session, request_id)
    document_id = new_document_id()
    today = clock.today()
    rendered = report.render_inzage(view, lang=language, document_id=document_id,
                                    today=today, author=session.user.display_name)
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    shown = [i for p in view.persons for i in p.items if i.withheld_reason is None]
    categories = sorted({c for p in view.persons for c in _ids(session, p)})
    counts = _counts(view)
    store = session.store
    with store.transaction():
        seq = store.log(
            "report.generate", object_type="report", object_id=document_id,
            attributes={"kind": report.KIND, "recipient": report.RECIPIENT,
                        "request": request_id, "sha256": digest, "items": len(shown),
                        "categories": categories, "language": language,
                        "pages": rendered.pages, **{k: v for k, v in counts.items()
                                                    if k != "items"}})
        store.conn.execute(
            "INSERT INTO reports(document_id, audit_seq, kind, recipient, case_reference,"
            " meeting_id, language, period_from, period_to, pages, sha256, categories, items,"
            " created_by, created_at) VALUES (?,?,?,?,NULL,NULL,?,NULL,NULL,?,?,?,?,?,?)",
            (document_id, seq, report.KIND, report.RECIPIENT, language, rendered.pages,
             digest, json.dumps(categories), len(shown), session.user.username,
             clock.utc_now_iso()))
    return ReportResult(rendered.pdf, document_id, digest, rendered.pages,
                        f"inzage-{request_id}-{document_id}.pdf")


def _ids(session: Session, person: InzagePersonView) -> set[str]:
    """The category ids of the items shown for a person (for the register row)."""
    ids = [i.item_id for i in person.items if i.withheld_reason is None]
    return {str(c) for c, in session.store.conn.execute(
        "SELECT DISTINCT category FROM items WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),))}
