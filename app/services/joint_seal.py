"""Keeping the joint record's row keys in line with the policy (issue 9, point 1).

The joint record of a case (goals, actions, decisions, progress, the discussion notes of
its meetings) belongs to the parties involved in it (ZVH 2.2).  Each row has a key of its
own (:mod:`app.store.joint_keys`); it is sealed to the principals that
:func:`app.policy.joint.decide_joint` shows the joint record in full at some probed time
*and* whose scope covers the row: a party involved only by an invitation holds the keys
of what its meetings recorded, not of what later meetings decided (ZVH 13.2).  A
correction is judged on the row it corrects, as the case view does
(:mod:`app.services.joint_history`).

The case's own notes (schema 18) follow the screens that show them: a phase note goes to
whoever sees the table's record, as the plan does; a consent's purpose and basis to
whom the sharing tab shows the consent (:mod:`app.policy.consent_view`).

Run by :func:`app.services.keys.sync_cases` for every case whose access changed and
every case with a row still in clear.  As for items: who gains access gets a seal; when
someone loses it the row is encrypted again under a new key for those who remain, by a
user who can open it, or else their seals go at once and the next holder re-keys it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

from app.domain.records import Item
from app.policy.access import Action, allowed
from app.policy.consent_view import consent_holders, named_at_some_time
from app.policy.engine import CaseFacts, Level, PolicyContext, Viewer
from app.policy.holders import probe_contexts
from app.policy.joint import JointScope, decide_joint, joint_scope
from app.store import joint_keys
from app.store.joint_keys import Row
from app.store.store import Store


def _day(row: Row) -> dt.date:
    if row.kind != "note":
        return dt.date.fromisoformat(row.day)
    moment = dt.datetime.fromisoformat(row.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().date()


def providers_seen(items: Sequence[Item], holders: Mapping[int, frozenset[str]]
                   ) -> dict[str, frozenset[str]]:
    """Per principal: the parties whose items it holds a key to (``holders``: per item
    id, its holders)."""
    seen: dict[str, set[str]] = {}
    for item in items:
        for principal in holders.get(item.id, frozenset()):
            seen.setdefault(principal, set()).add(item.source_party)
    return {principal: frozenset(parties) for principal, parties in seen.items()}


def joint_holders(rows: Sequence[Row], facts: CaseFacts, ctx: PolicyContext,
                  viewers: Mapping[str, Viewer], items: Sequence[Item] = (),
                  item_holders: Mapping[int, frozenset[str]] | None = None
                  ) -> dict[tuple[str, int], frozenset[str]]:
    """Per (kind, row id): the principals the policy shows that row at some probed
    time.  ``items`` and ``item_holders`` (the case's items and who holds their keys)
    tell the consents which parties each principal sees named."""
    probes = probe_contexts(facts, ctx)
    named_to = named_at_some_time(facts, items, probes,
                                  providers_seen(items, item_holders or {}))
    scopes: dict[str, JointScope] = {
        principal: joint_scope(viewer, facts) for principal, viewer in viewers.items()
        if any(decide_joint(viewer, facts, p).level is Level.FULL for p in probes)}
    by_id = {(r.kind, r.id): r for r in rows}

    def origin(row: Row) -> Row:
        seen = 0
        while row.supersedes is not None and seen < len(rows):
            earlier = by_id.get((row.kind, row.supersedes))
            if earlier is None:
                break
            row, seen = earlier, seen + 1
        return row

    consents = {c.id: c for c in facts.recorded_consents}
    directors = frozenset(p for p, viewer in viewers.items()
                          if allowed(viewer, Action.DIRECT, facts))
    out: dict[tuple[str, int], frozenset[str]] = {}
    for row in rows:
        if row.kind in {"invitation", "extension"}:
            # Why a warned party is invited anyway names the warning (police data in the
            # case, ZVH 6.4d): only the case's directors, who invite and see every item
            # anyway (ZVH 9.6, 13.2), are shown it on the meeting dashboard.  Why the case
            # is kept longer is theirs too: they record it (ZVH 11.3-11.5).
            out[(row.kind, row.id)] = directors
            continue
        if row.kind in {joint_keys.PLAN, "phase"}:
            # The case view shows the goal, the plan and the phase notes to everyone who
            # sees the table's record, whatever the scope of their invitation.
            out[(row.kind, row.id)] = frozenset(scopes)
            continue
        if row.kind == "consent":
            # A consent's words: to whom the sharing tab shows it (ZVH 7.2, OND 7.2).
            consent = consents.get(row.id)
            out[(row.kind, row.id)] = (frozenset() if consent is None
                                       else consent_holders(consent, facts, viewers,
                                                            named_to))
            continue
        first = origin(row)
        # Progress is judged on its day only, as the case view does.
        meeting = None if row.kind == "progress" else first.meeting_id
        day = _day(first)
        out[(row.kind, row.id)] = frozenset(
            p for p, scope in scopes.items() if scope.covers(meeting, day))
    return out


def sync_case(store: Store, rows: Sequence[Row], want: Mapping[tuple[str, int], frozenset[str]],
              have: Mapping[tuple[str, int], set[str]]) -> bool:
    """Seal, re-key and encrypt one case's rows so their holders are ``want``.  False
    when some row waits for a holder of its key."""
    keyring = store.keyring
    if keyring is None or not keyring.can_seal:
        # Encrypting with no key to seal it under would lose the words.
        return False
    conn = store.conn
    done = True
    for row in rows:
        ref = (row.kind, row.id)
        wanted = want.get(ref, frozenset())
        held = have.get(ref, set())
        if row.kind == joint_keys.PLAN and row.content is not None and row.reason:
            # A close reason in clear beside the encrypted plan (before schema 19): the
            # plan is written again with it, by a holder of its key.
            opened = joint_keys.open_text(keyring, conn, row.kind, row.id, row.key_gen,
                                          row.content)
            if opened is None:
                done = False
                continue
            doc = {**json.loads(opened), "close_reason": row.reason}
            joint_keys.write(keyring, conn, row, json.dumps(doc), row.key_gen + 1, wanted)
            continue
        if row.content is None:
            if row.text or row.reason:
                # Still in clear: written in this transaction or before this version.
                joint_keys.write(keyring, conn, row, row.text, row.key_gen + 1, wanted,
                                 row.reason)
            continue
        if wanted == held and not row.rekey_due and not row.reason:
            continue
        lost = held - wanted
        key = joint_keys.row_key(keyring, conn, row.kind, row.id, row.key_gen)
        if key is None:
            if lost or row.rekey_due:
                conn.execute(
                    "DELETE FROM joint_keys WHERE kind = ? AND row_id = ? AND holder IN"
                    " (SELECT value FROM json_each(?))",
                    (row.kind, row.id, json.dumps(sorted(lost))))
                joint_keys.mark_rekey_due(conn, row)
            # A reason in clear on a row this user cannot open waits for a holder too
            # (a correction itself needs the key: app.services.joint_edit).
            done = False
            continue
        if lost or row.rekey_due:
            text = joint_keys.open_text(keyring, conn, row.kind, row.id, row.key_gen,
                                        row.content)
            reason = joint_keys.open_reason(keyring, conn, row)
            if text is None or reason is None:
                done = False
                continue
            joint_keys.write(keyring, conn, row, text, row.key_gen + 1, wanted, reason)
            store.log("key.rekey", object_type=row.kind, object_id=str(row.id),
                      attributes={"generation": row.key_gen + 1, "lost": len(lost)})
            continue
        joint_keys.seal_reason(keyring, conn, row, key)
        joint_keys.seal(keyring, conn, row.ref, row.key_gen, key, wanted - held)
    return done
