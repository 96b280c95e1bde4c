"""Write services for casework: cases, betrokkenen, items, grants, consents, phases.

Each function checks who may do it (:mod:`app.policy.access`, through
:mod:`app.services.guard`: a case the user may not know of answers ``case.unknown``),
validates against the store's covenant profile, writes in one transaction and leaves an
audit entry.  Meetings and the joint record are in
``app.services.meetings``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence

from app import clock
from app.domain.records import Case
from app.domain.vocab import InformedStatus, ItemKind
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.services import guard, phases, vouch_items
from app.services.phases import change_phase, close_case
from app.services.redaction import profile_of
from app.services.session import Session
from app.store import repo

__all__ = ["add_item", "add_person", "change_phase", "close_case", "create_case", "grant",
           "revoke_grant", "set_casusregisseur", "set_informed"]


def _invalid(code: str, message: str, **params: object) -> InputError:
    return InputError(code, message, params)


def _touch(session: Session, case_id: int) -> None:
    # The case's last-change time is shown to everyone who may know the case, so only
    # changes they may all know move it (phase, persons, direction); an item or a grant
    # of one provider never does: it would betray a hidden item (ZVH 13.2).
    session.store.conn.execute("UPDATE cases SET updated_at = ? WHERE id = ?",
                               (clock.utc_now_iso(), case_id))


def _check_party(session: Session, party: str) -> None:
    if not profile_of(session).has_party(party):
        raise _invalid("party.unknown", N_("This party is not part of the covenant."))


# Crockford's base32 without I, L, O and U: read aloud at the table without confusion.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def next_reference(session: Session) -> str:
    """A free case reference such as ``ZVH-2026-7K3QD``: the year and five random
    characters.  A running number would tell anyone who sees one reference how many cases
    the store holds (ZVH 13.2)."""
    prefix = profile_of(session).reference_prefix
    year = clock.today().year
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(5))
        reference = f"{prefix}-{year}-{code}"
        if repo.case_by_reference(session.store.conn, reference) is None:
            return reference


def create_case(
    session: Session,
    *,
    registering_party: str,
    reference: str | None = None,
    themes: Iterable[str] = (),
    goal: str = "",
    opened_at: dt.date | None = None,
    follows: str | None = None,
) -> str:
    """Register a case (aanmelding); the acting procesregisseur becomes its director.
    ``follows``: the reference of a closed case about the same person, which this new
    melding is linked to (ZVH 11.6)."""
    guard.authorize(session, Action.CREATE_CASE)
    _check_party(session, registering_party)
    follows_id = phases.linkable(session, follows) if follows else None
    themes = [theme.strip() for theme in themes if theme.strip()]
    if opened_at is not None and opened_at > clock.today():
        raise _invalid("case.opened_future", N_("A case cannot be registered on a future date."))
    profile = profile_of(session)
    reference = (reference or next_reference(session)).strip()
    if not reference:
        raise _invalid("case.reference_empty", N_("The case reference must not be empty."))
    store = session.store
    if repo.case_by_reference(store.conn, reference) is not None:
        raise _invalid("case.exists", N_("A case with this reference already exists."))
    first = profile.first_phase().id
    now = clock.utc_now_iso()
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO cases(reference, phase, registering_party, procesregisseur, themes,"
            " goal, opened_at, updated_at, follows_case_id) VALUES (?,?,?,?,?,?,?,?,?)",
            (reference, first, registering_party, session.user.username,
             json.dumps(themes), goal, (opened_at or clock.today()).isoformat(), now,
             follows_id),
        )
        store.conn.execute(
            "INSERT INTO phase_history(case_id, phase, entered_at, entered_by) VALUES (?,?,?,?)",
            (cur.lastrowid, first, now, session.user.username),
        )
        store.log("case.create", object_type="case", object_id=reference,
                  processing_activity_id=profile.first_phase().activity,
                  # The first phase and its moment are signed too: the key work takes
                  # the phase from the chain, not from the row (app.services.vouch).
                  attributes={"registering_party": registering_party, "phase": first,
                              "at": now, **({"follows": follows} if follows else {})})
    return reference


def add_person(session: Session, reference: str, *, category: str,
               label: str | None = None) -> str:
    """Add a betrokkene with a pseudonymous label (B1, B2, ...); returns the label."""
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    profile = profile_of(session)
    if category not in {c.id for c in profile.subject_categories}:
        raise _invalid("person.category", N_("Unknown category of person concerned."))
    store = session.store
    existing = repo.persons_by_case(store.conn, [case.id]).get(case.id, [])
    label = label or f"B{len(existing) + 1}"
    if any(p.label == label for p in existing):
        raise _invalid("person.exists", N_("This case already has a person with this label."))
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO persons(case_id, category, label) VALUES (?,?,?)",
            (case.id, category, label))
        # The category (a code, no personal data) is signed: the key work takes it from
        # here, not from the row (app.services.vouch_items).
        store.log("person.add", object_type="person", object_id=str(cur.lastrowid),
                  data_subject_id=str(cur.lastrowid),
                  attributes={"case": reference, "category": category})
        _touch(session, case.id)
    return label


def lookup_person(session: Session, case: Case, label: str | None) -> int | None:
    """The id of the case's betrokkene ``label`` (None for None); ``person.unknown``."""
    if label is None:
        return None
    for p in repo.persons_by_case(session.store.conn, [case.id]).get(case.id, []):
        if p.label == label:
            return p.id
    raise _invalid("person.unknown", N_("This case has no person with this label."))


def add_item(
    session: Session,
    reference: str,
    *,
    category: str,
    body: str,
    legal_basis: str,
    person: str | None = None,
    kind: ItemKind = ItemKind.TEXT,
    field: str = "",
    structured: Mapping[str, str] | None = None,
    provided_on: dt.date | None = None,
    incident_class: str | None = None,
) -> int:
    """Provide an item on behalf of the acting user's party (the source party)."""
    case, _facts = guard.case_for(session, reference, Action.CONTRIBUTE)
    profile = profile_of(session)
    if category not in {c.id for c in profile.data_categories}:
        raise _invalid("item.category", N_("Unknown data category."))
    if not body.strip():
        raise _invalid("item.empty", N_("An information item must not be empty."))
    if not legal_basis.strip():
        raise _invalid("item.basis", N_("Every information item needs a legal basis."))
    if case.closed_at is not None:
        raise _invalid("case.closed", N_("This case is closed."))
    if category not in profile.activity(profile.phase(case.phase).activity).data_categories:
        # Strict purpose binding: the phase's processing activity names the data it
        # processes (ZVH PP 3.5a; OND 9.2-9.5).
        raise _invalid("item.category_not_in_phase",
                       N_("This kind of information is not processed in the current phase."))
    person_id = lookup_person(session, case, person)
    store = session.store
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO items(case_id, person_id, kind, field, body, structured, source_party,"
            " category, phase, legal_basis, provided_on, incident_class, created_by,"
            " by_director) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (case.id, person_id, kind.value, field, body,
             json.dumps(dict(structured)) if structured else None, session.user.party_id,
             category, case.phase, legal_basis, (provided_on or clock.today()).isoformat(),
             incident_class, session.user.username,
             int(case.procesregisseur == session.user.username)),
        )
        store.mark_case(case.id)
        store.log("item.add", object_type="item", object_id=str(cur.lastrowid),
                  data_subject_id=str(person_id) if person_id else None,
                  attributes={"case": reference, "category": category,
                              # What the key work holds the row to (app.services.vouch_items).
                              "facts": vouch_items.facts_attribute(store, cur.lastrowid)})
    return int(cur.lastrowid)


def _police_grant_allowed(session: Session, recipient: str, item_id: int | None,
                          category: str | None) -> bool:
    profile = profile_of(session)
    if recipient in profile.police_recipients:
        return True
    provider_regime = profile.party(session.user.party_id).regime
    if item_id is not None:
        item = repo.item_by_id(session.store.conn, item_id)
        cat = profile.data_category(item.category) if item else None
        return not (provider_regime == "wpg" or (cat is not None and cat.police))
    if category is not None:
        return not (provider_regime == "wpg" or profile.data_category(category).police)
    return provider_regime != "wpg"


def _regime_of_grant(session: Session, item_id: int | None, category: str | None) -> str | None:
    """``wpg`` for police data, ``wjsg`` for OM/justice data, else None: the regimes whose
    every provision is registered with its basis and necessity (ZVH 8.1, 17.5)."""
    profile = profile_of(session)
    regime = profile.party(session.user.party_id).regime
    if item_id is not None:
        item = repo.item_by_id(session.store.conn, item_id)
        category = item.category if item is not None else category
    cat = profile.data_category(category) if category is not None else None
    if regime == "wpg" or (cat is not None and cat.police):
        return "wpg"
    if regime == "wjsg" or (cat is not None and cat.justice):
        return "wjsg"
    return None


def grant(
    session: Session,
    reference: str,
    *,
    recipient: str,
    legal_basis: str,
    item_id: int | None = None,
    category: str | None = None,
    phase: str | None = None,
    meeting_id: int | None = None,
    necessity: str = "",
    take_away: bool = False,
) -> int:
    """The acting user's party accords that its item(s) may be seen by ``recipient``
    (ZVH 3.5d, 13.2).  Police data only to the art. 20 Wpg recipients, on an art. 20 Wpg
    decision the grant cites; police and OM provisions name their necessity (ZVH 6.4d,
    7.1, 8.1).  ``take_away``: the recipient may also use the data for its own tasks (its
    own copy); otherwise only at the table and on screen (ZVH 3.5d)."""
    case, _facts = guard.case_for(session, reference, Action.CONTRIBUTE)
    _check_party(session, recipient)
    provider = session.user.party_id
    if recipient == provider:
        raise _invalid("grant.self", N_("A party does not need a grant for its own items."))
    if item_id is not None:
        item = repo.item_by_id(session.store.conn, item_id)
        if item is None or item.case_id != case.id or item.source_party != provider:
            raise _invalid("grant.not_own_item",
                           N_("Only the providing party can share this item."))
    if category is not None and category not in {c.id for c in profile_of(session).data_categories}:
        raise _invalid("item.category", N_("Unknown data category."))
    if not _police_grant_allowed(session, recipient, item_id, category):
        raise _invalid("grant.police_recipient",
                       N_("Police data may only go to the recipients of the art. 20 Wpg decision."))
    if not legal_basis.strip():
        raise _invalid("grant.basis", N_("Every grant needs a legal basis."))
    regime = _regime_of_grant(session, item_id, category)
    if regime == "wpg" and "20 wpg" not in " ".join(legal_basis.lower().split()):
        raise _invalid("grant.wpg_decision",
                       N_("Police data are provided on an art. 20 Wpg decision: cite it."))
    if regime is not None and not necessity.strip():
        raise _invalid("grant.necessity",
                       N_("A provision of police or justice data states why it is necessary."))
    if meeting_id is not None and not session.store.conn.execute(
            "SELECT 1 FROM agenda WHERE meeting_id = ? AND case_id = ?",
            (meeting_id, case.id)).fetchone():
        raise _invalid("meeting.unknown", N_("No such meeting."))
    if phase is not None and phase not in {p.id for p in profile_of(session).phases}:
        raise _invalid("phase.unknown", N_("Unknown phase."))
    if phase is not None and phase != case.phase:
        # A grant is for the phase the case is in (or for a meeting): what a later phase
        # may use is assessed again when it comes (ZVH 3.5b).
        raise _invalid("grant.phase_not_current",
                       N_("A grant is for the current phase of the case or for a meeting."))
    if meeting_id is None:
        phase = phase or case.phase
    store = session.store
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO grants(case_id, item_id, category, provider_party, recipient_party,"
            " phase, meeting_id, legal_basis, granted_by, granted_at, necessity, take_away)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (case.id, item_id, category, provider, recipient, phase, meeting_id, legal_basis,
             session.user.username, clock.utc_now_iso(), necessity.strip(), int(take_away)),
        )
        store.mark_case(case.id)
        store.log("grant.add", object_type="grant", object_id=str(cur.lastrowid),
                  attributes={"case": reference, "recipient": recipient, "item": item_id,
                              "category": category, "phase": phase, "meeting": meeting_id})
    return int(cur.lastrowid)


def revoke_grant(session: Session, grant_id: int) -> None:
    """Withdraw a grant; only the providing party can (ZVH 3.5c)."""
    store = session.store
    row = store.conn.execute(
        "SELECT case_id, provider_party, revoked_at FROM grants WHERE id = ?", (grant_id,)
    ).fetchone()
    if row is None or row[1] != session.user.party_id:
        raise _invalid("grant.unknown", N_("No such grant of your party."))
    if row[2] is not None:
        return
    with store.transaction():
        store.conn.execute("UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                           (clock.utc_now_iso(), session.user.username, grant_id))
        store.mark_case(int(row[0]))
        store.log("grant.revoke", object_type="grant", object_id=str(grant_id))


def set_casusregisseur(session: Session, reference: str, *, party: str,
                       username: str | None = None) -> None:
    """Appoint the casusregisseur (ZVH 14): a party, optionally a named user of it."""
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    _check_party(session, party)
    store = session.store
    if username is not None:
        row = store.conn.execute("SELECT party_id FROM users WHERE username = ?",
                                 (username,)).fetchone()
        if row is None or row[0] != party:
            raise _invalid("user.unknown", N_("There is no such user in this store."))
    with store.transaction():
        store.conn.execute(
            "UPDATE cases SET casusregisseur = ?, casusregisseur_party = ? WHERE id = ?",
            (username, party, case.id))
        store.mark_case(case.id)
        store.log("case.casusregisseur", object_type="case", object_id=reference,
                  attributes={"party": party, "user": username})
        _touch(session, case.id)


def set_informed(
    session: Session,
    reference: str,
    person: str,
    *,
    status: InformedStatus,
    informed_on: dt.date | None = None,
    reason: str | None = None,
    expected: dt.date | None = None,
    review_on: dt.date | None = None,
    review_interval_days: int | None = None,
) -> None:
    """Record whether a betrokkene was informed, or why not and when to review
    (ZVH 16.6-16.7, OND 16.5)."""
    case, _facts = guard.case_for(session, reference, Action.DIRECT)
    try:
        status = InformedStatus(status)
    except ValueError:
        raise _invalid("informed.status", N_("Unknown status.")) from None
    if status is InformedStatus.NOT_INFORMED and not (reason and reason.strip() and review_on):
        raise _invalid("informed.motivation",
                       N_("Not informing needs a written motivation and a review date."))
    person_id = lookup_person(session, case, person)
    store = session.store
    with store.transaction():
        store.conn.execute(
            "UPDATE persons SET informed_status = ?, informed_on = ?, not_informed_reason = ?,"
            " informed_expected = ?, review_on = ?, review_interval_days = ? WHERE id = ?",
            (status.value, informed_on and informed_on.isoformat(), reason,
             expected and expected.isoformat(), review_on and review_on.isoformat(),
             review_interval_days, person_id))
        store.log("person.informed", object_type="person", object_id=str(person_id),
                  data_subject_id=str(person_id), attributes={"status": status.value})
        _touch(session, case.id)


def register_case(
    session: Session,
    *,
    registering_party: str,
    themes: Iterable[str] = (),
    goal: str = "",
    opened_at: dt.date | None = None,
    follows: str | None = None,
    persons: Sequence[str] = (),
    reason: str = "",
    reason_category: str = "",
    legal_basis: str = "",
) -> str:
    """The whole aanmelding in one transaction (ZVH PP 1.18, 9.2): the case, its
    betrokkenen (subject categories, labelled B1, B2, ...) and the reason for the melding
    as its first item, about B1 (when ``reason_category`` is given).  Any refusal leaves
    nothing behind (the form keeps what was typed); one commit, one key sync.  Returns the
    reference."""
    with session.store.transaction():
        reference = create_case(session, registering_party=registering_party, themes=themes,
                                goal=goal, opened_at=opened_at, follows=follows)
        for category in persons:
            add_person(session, reference, category=category)
        if reason_category:
            add_item(session, reference, category=reason_category, body=reason,
                     legal_basis=legal_basis, person="B1" if persons else None)
    return reference
