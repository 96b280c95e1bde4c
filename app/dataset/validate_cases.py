"""Validation of the case records of an import document (``cases[i]`` and everything in
it: phase history, persons, items, grants, consents and the joint record).

Part of :mod:`app.dataset.validate`, which checks the document as a whole and
calls :func:`check_case` per case; the same rules apply (messages are msgids, values from
the document are never quoted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.dataset.issues import Checker, spec
from app.domain.roles import Role
from app.domain.vocab import (
    ActionStatus,
    ConsentBasis,
    ConsentForm,
    ConsentGiver,
    GoalStatus,
    InformedStatus,
    ItemKind,
    values,
)
from app.i18n import N_

ITEM_KINDS = values(ItemKind)
INFORMED_STATUSES = values(InformedStatus)
GOAL_STATUSES = values(GoalStatus)
ACTION_STATUSES = values(ActionStatus)
ADDRESS_PARTS = ("street", "number", "postcode", "city")



HISTORY = spec("phase at", "by note")
PERSON = spec("key category", "informed")
INFORMED = spec("status", "on reason expected review_on review_interval_days")
ITEM = spec("key body source_party category legal_basis provided_on",
             "person kind field structured phase incident_class created_by")
ADDRESS = spec("", " ".join(ADDRESS_PARTS))
GRANT = spec("provider_party recipient_party legal_basis granted_at",
             "item category phase meeting granted_by revoked_at necessity take_away")
CONSENT = spec("person given_on source_party recipients categories purpose",
               "basis basis_note given_by form told_withdrawal recorded_by withdrawn_on")
GOAL = spec("key text created_on", "status")
ACTION = spec("key text owner_party created_on", "goal meeting due_on status")
DECISION = spec("text decided_on", "meeting recorded_by")
PROGRESS = spec("text entry_on", "action recorded_by")


@dataclass
class _CaseKeys:
    """The local keys of one case seen so far (person and item keys with their index)."""

    persons: dict[str, int] = field(default_factory=dict)
    item_index: dict[str, int] = field(default_factory=dict)
    items: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def check_case(c: Checker, path: str, rec: Mapping[str, Any]) -> None:
    """Check case record ``rec`` at ``path``; its ref was checked with the other refs."""
    phase = c.ident(rec, path, "phase", "phase", required=True)
    c.ident(rec, path, "registering_party", "party", required=True)
    c.user(rec, path, "procesregisseur", role=Role.PROCESREGISSEUR)
    director = c.user(rec, path, "casusregisseur")
    director_party = c.ident(rec, path, "casusregisseur_party", "party")
    if (director is not None and director_party is not None and director.party is not None
            and director.party != director_party):
        c.add(f"{path}.casusregisseur", N_("must be a user of casusregisseur_party"))
    for j, theme in enumerate(c.items(rec, path, "themes")):
        if not isinstance(theme, str) or not theme.strip():
            c.add(f"{path}.themes[{j}]", N_("must be a non-empty string"))
    c.text(rec, path, "goal", blank=True)
    opened = c.date(rec, path, "opened_at", required=True)
    closed = c.date(rec, path, "closed_at")
    c.text(rec, path, "close_reason", blank=True)
    c.text(rec, path, "close_basis", blank=True)
    _check_closing(c, path, rec, phase, opened=opened, closed=closed)
    _check_history(c, path, rec, phase)
    keys = _CaseKeys()
    for j, value in enumerate(c.items(rec, path, "persons")):
        _check_person(c, f"{path}.persons[{j}]", value, keys.persons, j)
    for j, value in enumerate(c.items(rec, path, "items")):
        _check_item(c, f"{path}.items[{j}]", value, keys, j)
    for j, value in enumerate(c.items(rec, path, "grants")):
        _check_grant(c, f"{path}.grants[{j}]", value, keys.items)
    for j, value in enumerate(c.items(rec, path, "consents")):
        _check_consent(c, f"{path}.consents[{j}]", value, keys.persons)
    _check_joint(c, path, rec)


def _check_closing(c: Checker, path: str, rec: Mapping[str, Any], phase: str | None, *,
                   opened: dt.date | None, closed: dt.date | None) -> None:
    has_closed = rec.get("closed_at") is not None
    if phase is not None:
        closing = c.profile.phase(phase).closing
        if closing and not has_closed:
            c.add(f"{path}.closed_at", N_("required: phase {phase} closes the case"),
                  phase=phase)
        elif has_closed and not closing:
            c.add(f"{path}.closed_at",
                  N_("must be null: phase {phase} does not close the case"), phase=phase)
    if opened is not None and closed is not None and closed < opened:
        c.add(f"{path}.closed_at", N_("must not be before opened_at"))
    if not has_closed:
        for key in ("close_reason", "close_basis"):
            if rec.get(key) is not None:
                c.add(f"{path}.{key}", N_("only allowed together with closed_at"))


def _check_history(c: Checker, path: str, rec: Mapping[str, Any], phase: str | None) -> None:
    history = c.items(rec, path, "phase_history")
    last: str | None = None
    for j, value in enumerate(history):
        hp = f"{path}.phase_history[{j}]"
        entry = c.record(value, hp, HISTORY)
        if entry is None:
            last = None
            continue
        last = c.ident(entry, hp, "phase", "phase", required=True)
        c.timestamp(entry, hp, "at", required=True)
        c.user(entry, hp, "by")
        c.text(entry, hp, "note", blank=True)
    if history and phase is not None and last is not None and last != phase:
        c.add(f"{path}.phase_history[{len(history) - 1}].phase",
              N_("the last entry must be the case's current phase"))


def _check_person(c: Checker, path: str, value: object, persons: dict[str, int],
                  index: int) -> None:
    rec = c.record(value, path, PERSON)
    if rec is None:
        return
    c.key(rec, path, persons, "persons", index)
    c.ident(rec, path, "category", "subject", required=True)
    if rec.get("informed") is None:
        return
    ip = f"{path}.informed"
    informed = c.record(rec["informed"], ip, INFORMED)
    if informed is None:
        return
    status = c.choice(informed, ip, "status", INFORMED_STATUSES, required=True)
    c.date(informed, ip, "on")
    reason = c.text(informed, ip, "reason")
    c.date(informed, ip, "expected")
    review = c.date(informed, ip, "review_on")
    interval = informed.get("review_interval_days")
    if interval is not None and (type(interval) is not int or interval < 1):
        c.add(f"{ip}.review_interval_days", N_("must be a whole number of at least 1"))
    if status == "not_informed":
        if reason is None and informed.get("reason") is None:
            c.add(f"{ip}.reason", N_("required when status is not_informed (ZVH 16.6)"))
        if review is None and informed.get("review_on") is None:
            c.add(f"{ip}.review_on", N_("required when status is not_informed (ZVH 16.7)"))


def _check_item(c: Checker, path: str, value: object, keys: _CaseKeys, index: int) -> None:
    rec = c.record(value, path, ITEM)
    if rec is None:
        return
    key = c.key(rec, path, keys.item_index, "items", index)
    c.ref(rec, path, "person", keys.persons,
          N_("unknown person (not a key in persons of this case)"))
    kind = c.choice(rec, path, "kind", ITEM_KINDS)
    field_name = c.text(rec, path, "field", blank=True)
    if kind == "field" and (rec.get("field") is None
                            or (field_name is not None and not field_name.strip())):
        c.add(f"{path}.field", N_("required (not empty) when kind is field"))
    c.text(rec, path, "body", required=True)
    kind_known = kind is not None or rec.get("kind") is None
    for extra in ("structured", "incident_class"):
        if kind_known and kind != "address" and rec.get(extra) is not None:
            c.add(f"{path}.{extra}", N_("only allowed for kind address"))
    if kind == "address":
        if rec.get("structured") is not None:
            sp = f"{path}.structured"
            parts = c.record(rec["structured"], sp, ADDRESS)
            for part in ADDRESS_PARTS:
                if parts is not None:
                    c.text(parts, sp, part, blank=True)
        c.ident(rec, path, "incident_class", "incident")
    source = c.ident(rec, path, "source_party", "party", required=True)
    category = c.ident(rec, path, "category", "data", required=True)
    c.ident(rec, path, "phase", "phase")
    c.text(rec, path, "legal_basis", required=True)
    c.date(rec, path, "provided_on", required=True)
    author = c.user(rec, path, "created_by")
    if author is not None and source is not None and author.party not in {None, source}:
        c.add(f"{path}.created_by", N_("must be a user of source_party"))
    if key is not None:
        keys.items[key] = (source, category)


def _check_grant(c: Checker, path: str, value: object,
                 items: Mapping[str, tuple[str | None, str | None]]) -> None:
    rec = c.record(value, path, GRANT)
    if rec is None:
        return
    c.flag(rec, path, "take_away")
    item_key = c.ref(rec, path, "item", items, N_("unknown item (not a key in items of this case)"))
    category = c.ident(rec, path, "category", "data")
    provider = c.ident(rec, path, "provider_party", "party", required=True)
    recipient = c.ident(rec, path, "recipient_party", "party", required=True)
    has_phase = rec.get("phase") is not None
    has_meeting = rec.get("meeting") is not None
    if has_phase and has_meeting:
        c.add(f"{path}.meeting", N_("not allowed together with phase (give exactly one)"))
    elif not has_phase and not has_meeting:
        c.add(path, N_("needs exactly one of phase and meeting"))
    c.ident(rec, path, "phase", "phase")
    c.ref(rec, path, "meeting", c.meeting_keys, N_("unknown meeting (not a key in meetings)"))
    c.text(rec, path, "legal_basis", required=True)
    c.user(rec, path, "granted_by")
    c.timestamp(rec, path, "granted_at", required=True)
    c.timestamp(rec, path, "revoked_at")
    if provider is not None and recipient is not None and provider == recipient:
        c.add(f"{path}.recipient_party",
              N_("must differ from provider_party (a party needs no grant for its own items)"))
    item_category: str | None = None
    if item_key is not None:
        item_source, item_category = items[item_key]
        if provider is not None and item_source is not None and item_source != provider:
            c.add(f"{path}.item", N_("the item was not provided by provider_party"))
        if category is not None and item_category is not None and category != item_category:
            c.add(f"{path}.category", N_("differs from the category of the item"))
    if provider is None or recipient is None or recipient in c.police_recipients:
        return
    checked = item_category if item_key is not None else category
    police_data = checked is not None and c.data_categories[checked].police
    if c.profile.party(provider).regime == "wpg" or police_data:
        c.add(f"{path}.recipient_party",
              N_("police data may only go to the recipients of the art. 20 Wpg decision"
                 " (police_recipients of profile {profile})"), profile=c.profile.id)


def _check_consent(c: Checker, path: str, value: object, persons: Mapping[str, int]) -> None:
    rec = c.record(value, path, CONSENT)
    if rec is None:
        return
    if c.text(rec, path, "person", required=True) is not None and rec["person"] not in persons:
        c.add(f"{path}.person", N_("unknown person (not a key in persons of this case)"))
    source = c.ident(rec, path, "source_party", "party", required=True)
    recipients = c.party_list(rec, path, "recipients")
    if not recipients and "recipients" in rec:
        c.add(f"{path}.recipients", N_("a consent names the parties it allows"))
    elif source in recipients:
        c.add(f"{path}.recipients", N_("must not include source_party"))
    if not c.ident_list(rec, path, "categories", "data") and "categories" in rec:
        c.add(f"{path}.categories", N_("a consent names the data categories it covers"))
    c.text(rec, path, "purpose", required=True)
    basis = c.choice(rec, path, "basis", values(ConsentBasis)) or ConsentBasis.CONSENT
    c.choice(rec, path, "given_by", values(ConsentGiver))
    c.choice(rec, path, "form", values(ConsentForm))
    told = c.flag(rec, path, "told_withdrawal")
    if basis == ConsentBasis.CONSENT and told is not True:
        c.add(f"{path}.told_withdrawal",
              N_("must be true: the person was told they can withdraw the consent"))
    if basis != ConsentBasis.CONSENT and not (rec.get("basis_note") or "").strip():
        c.add(f"{path}.basis_note", N_("a weighing or reporting right needs its basis"))
    given = c.date(rec, path, "given_on", required=True)
    c.user(rec, path, "recorded_by")
    withdrawn = c.date(rec, path, "withdrawn_on")
    if given is not None and withdrawn is not None and withdrawn < given:
        c.add(f"{path}.withdrawn_on", N_("must not be before given_on"))


def _check_joint(c: Checker, path: str, rec: Mapping[str, Any]) -> None:
    goals: dict[str, int] = {}
    for j, value in enumerate(c.items(rec, path, "goals")):
        gp = f"{path}.goals[{j}]"
        goal = c.record(value, gp, GOAL)
        if goal is not None:
            c.key(goal, gp, goals, "goals", j)
            c.text(goal, gp, "text", required=True)
            c.choice(goal, gp, "status", GOAL_STATUSES)
            c.date(goal, gp, "created_on", required=True)
    actions: dict[str, int] = {}
    for j, value in enumerate(c.items(rec, path, "actions")):
        ap = f"{path}.actions[{j}]"
        action = c.record(value, ap, ACTION)
        if action is not None:
            c.key(action, ap, actions, "actions", j)
            c.ref(action, ap, "goal", goals, N_("unknown goal (not a key in goals of this case)"))
            c.ref(action, ap, "meeting", c.meeting_keys,
                  N_("unknown meeting (not a key in meetings)"))
            c.text(action, ap, "text", required=True)
            c.ident(action, ap, "owner_party", "party", required=True)
            c.date(action, ap, "due_on")
            c.choice(action, ap, "status", ACTION_STATUSES)
            c.date(action, ap, "created_on", required=True)
    for j, value in enumerate(c.items(rec, path, "decisions")):
        dp = f"{path}.decisions[{j}]"
        decision = c.record(value, dp, DECISION)
        if decision is not None:
            c.ref(decision, dp, "meeting", c.meeting_keys,
                  N_("unknown meeting (not a key in meetings)"))
            c.text(decision, dp, "text", required=True)
            c.date(decision, dp, "decided_on", required=True)
            c.user(decision, dp, "recorded_by")
    for j, value in enumerate(c.items(rec, path, "progress")):
        pp = f"{path}.progress[{j}]"
        entry = c.record(value, pp, PROGRESS)
        if entry is not None:
            c.ref(entry, pp, "action", actions,
                  N_("unknown action (not a key in actions of this case)"))
            c.text(entry, pp, "text", required=True)
            c.date(entry, pp, "entry_on", required=True)
            c.user(entry, pp, "recorded_by")
