"""Validation of an import document (``docs/import-format.md``, version 1).

Problems are :class:`app.dataset.issues.DatasetIssue` s naming the record and field; a
value from the document is never quoted (see :mod:`app.dataset.issues`).

Validation runs over the whole document and collects issues up to :data:`MAX_ISSUES`;
it is written for 200,000 items (one pass, set lookups, memoised date parsing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from app.crypto.keyslots import normalise_username
from app.dataset.issues import (
    FORMAT,
    VERSION,
    Checker,
    DatasetIssue,
    TooMany,
    UserFacts,
    spec,
)
from app.dataset.validate_cases import check_case
from app.domain.roles import Role
from app.domain.vocab import MeetingStatus, values
from app.i18n import N_
from app.profiles import Profile, load_incident_classes

ROLES = tuple(r.value for r in Role)
MEETING_STATUSES = values(MeetingStatus)

TOP = spec("format version profile", "users meetings cases")
USER = spec("username name role party")
MEETING = spec("key starts_at chair", "place notulist status attendees agenda")
ATTENDEE = spec("party", "name present")
AGENDA = spec("case", "invited left_room preview")
CASE = spec("ref phase registering_party opened_at",
             "procesregisseur casusregisseur casusregisseur_party themes goal closed_at"
             " close_reason close_basis phase_history persons items grants consents goals"
             " actions decisions progress")


def validate_dataset(
    doc: object,
    profile: Profile,
    existing_usernames: Iterable[str],
    existing_refs: Collection[str],
    *,
    existing_users: Mapping[str, tuple[str, str]] | None = None,
    incident_classes: Collection[str] | None = None,
) -> list[DatasetIssue]:
    """Every problem in ``doc`` (at most :data:`MAX_ISSUES`); empty when it can be loaded.

    ``existing_usernames``: every username in the store, removed users included (none can
    be listed again).  ``existing_users``: the active users as ``username -> (role,
    party)``; when given, references must name one of them or a listed user, and roles and
    parties are checked for them too; when None, every existing username may be referenced
    and its role and party are not checked.  ``existing_refs``: the case references in the
    store.  ``incident_classes``: dagmonitor class codes (default: the shipped list).
    """
    users: dict[str, UserFacts]
    if existing_users is None:
        users = {normalise_username(u): UserFacts(None, None) for u in existing_usernames}
    else:
        users = {normalise_username(u): UserFacts(role, party)
                 for u, (role, party) in existing_users.items()}
    codes = incident_classes if incident_classes is not None else {
        c.code for c in load_incident_classes()}
    checker = Checker(profile, users, codes)
    taken = {normalise_username(u) for u in existing_usernames}
    with contextlib.suppress(TooMany):
        _check_document(checker, doc, taken, set(existing_refs))
    return checker.issues


def _check_document(c: Checker, doc: object, taken: set[str], existing_refs: set[str]) -> None:
    top = c.record(doc, "", TOP)
    if top is None:
        return
    expected: tuple[tuple[str, object], ...] = (
        ("format", FORMAT), ("version", VERSION), ("profile", c.profile.id))
    usable = True
    for key, want in expected:
        if key not in top:
            usable = False
            continue
        value = top[key]
        if type(value) is not type(want) or value != want:
            usable = False
            if key == "format":
                c.add(key, N_("must be '{expected}'"), expected=FORMAT)
            elif key == "version":
                c.add(key, N_("unsupported version (this program reads version {expected})"),
                      expected=VERSION)
            else:
                c.add(key, N_("must be the store's profile '{expected}'"), expected=c.profile.id)
    if not usable:
        return  # another format, version or profile: the rest cannot be judged
    _check_users(c, c.items(top, "", "users"), taken)
    cases = c.items(top, "", "cases")
    meetings = c.items(top, "", "meetings")
    case_recs = _check_case_refs(c, cases, existing_refs)
    meeting_recs = []
    for i, value in enumerate(meetings):
        path = f"meetings[{i}]"
        rec = c.record(value, path, MEETING)
        if rec is not None:
            c.key(rec, path, c.meeting_keys, "meetings", i)
            meeting_recs.append((path, rec))
    for path, rec in meeting_recs:
        _check_meeting(c, path, rec)
    for path, rec in case_recs:
        check_case(c, path, rec)


def _check_users(c: Checker, users: list[Any], taken: set[str]) -> None:
    seen: dict[str, int] = {}
    for i, value in enumerate(users):
        path = f"users[{i}]"
        rec = c.record(value, path, USER)
        if rec is None:
            continue
        name = c.text(rec, path, "username", required=True)
        c.text(rec, path, "name", required=True)
        role = c.choice(rec, path, "role", ROLES, required=True)
        party = c.ident(rec, path, "party", "party", required=True)
        if name is None:
            continue
        norm = normalise_username(name)
        if norm in seen:
            c.add(f"{path}.username", N_("listed twice, ignoring case (also users[{other}])"),
                  other=seen[norm])
        elif norm in taken:
            c.add(f"{path}.username", N_("a user with this username already exists in the store"))
        else:
            seen[norm] = i
            c.users[norm] = UserFacts(role, party)


def _check_case_refs(c: Checker, cases: list[Any],
                     existing_refs: set[str]) -> list[tuple[str, Mapping[str, Any]]]:
    seen: dict[str, int] = {}
    out = []
    for i, value in enumerate(cases):
        path = f"cases[{i}]"
        rec = c.record(value, path, CASE)
        if rec is None:
            continue
        out.append((path, rec))
        ref = c.text(rec, path, "ref", required=True)
        if ref is None:
            continue
        if ref in seen:
            c.add(f"{path}.ref", N_("listed twice (also cases[{other}])"), other=seen[ref])
        elif ref in existing_refs:
            c.add(f"{path}.ref", N_("a case with this reference already exists in the store"))
        else:
            seen[ref] = i
    c.case_refs = set(seen) | existing_refs
    return out


def _check_meeting(c: Checker, path: str, rec: Mapping[str, Any]) -> None:
    c.local_datetime(rec, path, "starts_at", required=True)
    c.text(rec, path, "place", blank=True)
    c.user(rec, path, "chair", role=Role.PROCESREGISSEUR, required=True)
    c.user(rec, path, "notulist", role=Role.NOTULIST)
    c.choice(rec, path, "status", MEETING_STATUSES)
    parties: dict[str, int] = {}
    for j, value in enumerate(c.items(rec, path, "attendees")):
        ap = f"{path}.attendees[{j}]"
        att = c.record(value, ap, ATTENDEE)
        if att is None:
            continue
        party = c.ident(att, ap, "party", "party", required=True)
        c.text(att, ap, "name", blank=True)
        c.flag(att, ap, "present")
        if party is not None:
            if party in parties:
                c.add(f"{ap}.party", N_("listed twice (also attendees[{other}])"),
                      other=parties[party])
            else:
                parties[party] = j
    cases: dict[str, int] = {}
    for j, value in enumerate(c.items(rec, path, "agenda")):
        ap = f"{path}.agenda[{j}]"
        entry = c.record(value, ap, AGENDA)
        if entry is None:
            continue
        ref = c.text(entry, ap, "case", required=True)
        if ref is not None:
            if ref not in c.case_refs:
                c.add(f"{ap}.case", N_("unknown case (not in cases and not in the store)"))
            elif ref in cases:
                c.add(f"{ap}.case", N_("listed twice (also agenda[{other}])"), other=cases[ref])
            else:
                cases[ref] = j
        c.party_list(entry, ap, "invited")
        c.party_list(entry, ap, "left_room")
        c.flag(entry, ap, "preview")


