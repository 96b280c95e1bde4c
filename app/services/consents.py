"""Consents, and the grounds recorded instead of one (ZVH 6.4l, 7.2, 13.6-13.7; WO 3.3d).

Only the party whose data a consent lets flow records or withdraws it, or the case's
procesregisseur on that party's behalf (logged as such): a recipient can never open data
for itself.  A consent names its source, recipients, categories and purpose, who gave it,
in which form, and that the person was told they may withdraw it.  Withdrawal tells every
party that received data under it (the disclosure register knows which).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from app import clock
from app.domain.records import Case
from app.domain.vocab import ConsentBasis, ConsentForm, ConsentGiver
from app.errors import InputError
from app.i18n import N_
from app.policy.access import Action
from app.policy.engine import CaseFacts
from app.services import casework, guard
from app.services.redaction import profile_of
from app.services.session import Session


def _invalid(code: str, message: str) -> InputError:
    return InputError(code, message, {})


def _acting_for(session: Session, reference: str, source_party: str | None
                ) -> tuple[Case, CaseFacts, str, str | None]:
    """The case, the source party and, when the director acts for it, that party.

    The provider itself contributes to the case; the procesregisseur of the case may act
    on a provider's behalf (ZVH 7.2 with 9.6).  Anyone else, a recipient above all, is
    refused: a consent for another party's data would be a forgery.
    """
    case, facts = guard.case_for(session, reference, Action.READ)
    own = session.user.party_id
    source = source_party or own
    if source == own and guard.may(session, Action.CONTRIBUTE, facts):
        return case, facts, source, None
    if guard.may(session, Action.DIRECT, facts):
        if not profile_of(session).has_party(source):
            raise _invalid("party.unknown", N_("This party is not part of the covenant."))
        return case, facts, source, source
    with session.store.transaction():
        session.store.log("access.denied", status="error", object_type="case",
                          object_id=reference,
                          attributes={"action": "consent", "rule": "consent.not_provider",
                                      "article": "ZVH 7.2"})
    raise _invalid("consent.not_provider",
                   N_("Only the party whose data it concerns, or the process director on its "
                      "behalf, can record or withdraw this consent."))


def record_consent(
    session: Session,
    reference: str,
    person: str,
    *,
    recipients: Iterable[str],
    categories: Iterable[str],
    purpose: str,
    source_party: str | None = None,
    basis: ConsentBasis = ConsentBasis.CONSENT,
    basis_note: str = "",
    given_by: ConsentGiver = ConsentGiver.PERSON,
    form: ConsentForm = ConsentForm.WRITTEN,
    told_withdrawal: bool = False,
    given_on: dt.date | None = None,
) -> int:
    """Record a consent of ``person`` for the data of ``source_party`` (default: the acting
    user's party) in ``categories`` to ``recipients``, or the professional's weighing or a
    reporting right instead (ZVH 7.2, 13.6).  Returns the consent id."""
    case, _facts, source, on_behalf = _acting_for(session, reference, source_party)
    profile = profile_of(session)
    to = sorted(set(recipients))
    cats = sorted(set(categories))
    if not to:
        raise _invalid("consent.recipients", N_("A consent names the parties it allows."))
    if source in to:
        raise _invalid("consent.recipient_is_source",
                       N_("The source party does not need a consent for itself."))
    if any(not profile.has_party(p) for p in to):
        raise _invalid("party.unknown", N_("This party is not part of the covenant."))
    known = {c.id for c in profile.data_categories}
    if not cats or any(c not in known for c in cats):
        raise _invalid("consent.categories", N_("A consent names the data categories it covers."))
    if not purpose.strip():
        raise _invalid("consent.purpose", N_("A consent names its purpose."))
    if basis is ConsentBasis.CONSENT:
        if given_by is ConsentGiver.PROFESSIONAL or form is ConsentForm.NONE:
            raise _invalid("consent.giver", N_("Record who gave the consent and in which form."))
        if not told_withdrawal:
            raise _invalid("consent.not_told",
                           N_("The person must have been told they can withdraw the consent."))
    else:
        if profile.party(source).kind == "slachtofferhulp":
            raise _invalid("consent.explicit_only",
                           N_("This party provides only with the explicit consent of the "
                              "person concerned."))
        if not basis_note.strip():
            raise _invalid("consent.basis_note",
                           N_("A weighing or reporting right needs its basis in writing."))
        given_by, form = ConsentGiver.PROFESSIONAL, ConsentForm.NONE
    person_id = casework.lookup_person(session, case, person)
    store = session.store
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO consents(case_id, person_id, source_party, recipients, categories,"
            " purpose, given_on, recorded_by, basis, basis_note, given_by, form,"
            " told_withdrawal, on_behalf_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (case.id, person_id, source, json.dumps(to), json.dumps(cats), purpose.strip(),
             (given_on or clock.today()).isoformat(), session.user.username, basis.value,
             basis_note.strip(), given_by.value, form.value, int(told_withdrawal), on_behalf),
        )
        store.mark_case(case.id)
        store.log("consent.record", object_type="consent", object_id=str(cur.lastrowid),
                  data_subject_id=str(person_id),
                  attributes={"case": reference, "source": source, "recipients": to,
                              "categories": cats, "basis": basis.value,
                              "on_behalf_of": on_behalf})
    return int(cur.lastrowid)


def withdraw_consent(session: Session, consent_id: int,
                     withdrawn_on: dt.date | None = None) -> int:
    """Record the withdrawal of a consent; what rested on it is hidden at once and every
    party that received data under it gets a notice (ZVH 13.7).  Returns how many parties
    were told."""
    store = session.store
    row = store.conn.execute(
        "SELECT c.case_id, c.person_id, c.withdrawn_on, k.reference, c.source_party,"
        " c.recipients, c.categories FROM consents c JOIN cases k ON k.id = c.case_id"
        " WHERE c.id = ?", (consent_id,)).fetchone()
    if row is None:
        raise _invalid("consent.unknown", N_("No such consent."))
    case_id, person_id, withdrawn, reference, source, recipients, categories = row
    try:
        guard.case_for(session, reference, Action.READ)
    except InputError:
        raise _invalid("consent.unknown", N_("No such consent.")) from None
    _case, _facts, _source, on_behalf = _acting_for(session, reference, source)
    if withdrawn is not None:
        return 0
    told = store.conn.execute(
        "SELECT DISTINCT d.recipient_party FROM disclosures d JOIN items i ON i.id = d.item_id"
        " WHERE i.case_id = ? AND i.person_id = ? AND i.source_party = ?"
        " AND i.category IN (SELECT value FROM json_each(?))"
        " AND d.recipient_party IN (SELECT value FROM json_each(?))"
        " ORDER BY d.recipient_party",
        (case_id, person_id, source, categories or "[]", recipients or "[]")).fetchall()
    now = clock.utc_now_iso()
    with store.transaction():
        store.conn.execute(
            "UPDATE consents SET withdrawn_on = ?, withdrawn_by = ? WHERE id = ?",
            ((withdrawn_on or clock.today()).isoformat(), session.user.username, consent_id))
        for (party,) in told:
            store.conn.execute(
                "INSERT INTO notices(party_id, case_id, kind, object_id, source_party,"
                " created_at) VALUES (?,?,?,?,?,?)",
                (party, case_id, "consent_withdrawn", consent_id, source, now))
        store.mark_case(int(case_id))
        store.log("consent.withdraw", object_type="consent", object_id=str(consent_id),
                  data_subject_id=str(person_id),
                  attributes={"case": reference, "on_behalf_of": on_behalf,
                              "notified": [p for (p,) in told]})
    return len(told)
