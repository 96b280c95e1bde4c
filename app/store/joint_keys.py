"""The joint record's rows under keys of their own (schema 14; issue 9, point 1).

Each row of ``goals``, ``actions``, ``decisions``, ``progress`` and ``agenda_notes`` keeps
its words in ``content``: AES-256-GCM under a row key, bound to the store, the kind, the
row and the key generation.  The row key is sealed per holder in ``joint_keys`` exactly as
item keys are (:meth:`app.store.keyring.Keyring.seal_for`).  Who the holders are is the
policy's business (:mod:`app.services.joint_seal`); this module only seals, opens and
reads.

Reading goes through the SQL function ``joint_text(kind, id, key_gen, content, text)``
that :func:`install` puts on the store's connection: queries select it instead of the
``text`` column, so every reader (case view, history, notulen, edit forms) gets the words
when the acting user holds the key, the clear text of a row from before encryption, and
otherwise :data:`NOT_READABLE` translated.

The case's own notes (schema 18: a consent's purpose and written basis, a phase
change's note; schema 20: why a warned party is invited anyway; schema 21: why a case is
kept longer) are kinds of their own in :data:`NOTES`, their content a JSON object of
their fields, read one field at a time through ``joint_field``.

Why a row was corrected (schema 17) is kept on the replaced row in ``reason_content``,
under the same row key and generation with a label of its own, and read through
``joint_reason``: whoever holds the words holds the reason, and a re-key carries both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from app.crypto import envelope
from app.crypto.envelope import EnvelopeError
from app.i18n import N_, _
from app.store.connection import Connection
from app.store.keyring import Keyring

TABLES = {"goal": "goals", "action": "actions", "decision": "decisions",
          "progress": "progress", "note": "agenda_notes"}
"""Per kind of row: its table.  Table names come from here only, never from a caller."""

REASONED = ("goal", "action", "decision", "progress")
"""The kinds a correction replaces, which keep the reason for it (schema 13, 17)."""

NOTES = {"consent": ("consents", ("purpose", "basis_note")),
         "phase": ("phase_history", ("note",)),
         "invitation": ("invitation_reasons", ("reason",)),
         "extension": ("retention_extensions", ("motivation",))}
"""Per kind of note (schema 18; the reason for inviting a warned party since schema 20,
the motivation of a retention extension since schema 21): its table and its fields in
clear.  Its content is a JSON
object of those fields; the columns ``content``, ``key_gen`` and ``rekey_due`` are named
as in the joint record's tables."""

PLAN = "plan"
"""The kind of the plan van aanpak's own words: one per case, its row id the case id."""

PLAN_FIELDS = ("goal", "plan_problem", "plan_monitoring", "plan_informing",
               "plan_exit_criteria", "close_reason")
"""The columns of ``cases`` the plan's content holds (the reason for closing since
schema 19: it is the table's words about the case as much as the plan's)."""

_PLAN_CLEAR = ("plan_content IS NULL AND (goal != '' OR plan_problem != ''"
               " OR plan_monitoring != '' OR plan_informing != ''"
               " OR plan_exit_criteria != '' OR coalesce(close_reason, '') != '')")
# A close reason in clear beside an encrypted plan (a store from before schema 19).
_CLOSE_CLEAR = "plan_content IS NOT NULL AND coalesce(close_reason, '') != ''"

NOT_READABLE = N_("Masked · not readable with your keys · ZVH 3.5c")
"""What a reader sees of a row whose key was not sealed to them."""


@dataclass(frozen=True)
class Row:
    """One row of the joint record as the key work sees it: what its scope is judged on
    (the meeting, the day, the row it corrects) and its stored words."""

    kind: str
    id: int
    case_id: int
    meeting_id: int | None
    day: str
    supersedes: int | None
    key_gen: int
    content: bytes | None
    text: str
    rekey_due: bool
    reason: str = ""
    """Why the row was corrected, while still in clear (schema 17)."""
    reason_content: bytes | None = None
    """That reason encrypted under the row's key."""

    def __repr__(self) -> str:
        return f"Row(kind={self.kind!r}, id={self.id!r})"

    @property
    def ref(self) -> tuple[str, int, int]:
        """(kind, row id, case id): what a seal names."""
        return self.kind, self.id, self.case_id


# Per kind: the meeting and the day a row is judged on (a note's moment is UTC ISO), and
# the row it corrects.  Column names come from here only.
_SCOPE = {
    "goal": ("NULL", "created_on"),
    "action": ("meeting_id", "created_on"),
    "decision": ("meeting_id", "decided_on"),
    "progress": ("meeting_id", "entry_on"),
    "note": ("meeting_id", "recorded_at"),
}


def seal_aad(store_id: str, kind: str, row_id: int, key_gen: int, holder: str) -> bytes:
    """What a row key's seal is bound to."""
    return f"joint-key|{store_id}|{kind}|{row_id}|{key_gen}|{holder}".encode()


def content_aad(store_id: str, kind: str, row_id: int, key_gen: int) -> bytes:
    """What a row's content is bound to."""
    return f"joint|{store_id}|{kind}|{row_id}|{key_gen}".encode()


def reason_aad(store_id: str, kind: str, row_id: int, key_gen: int) -> bytes:
    """What a row's correction reason is bound to."""
    return f"joint-reason|{store_id}|{kind}|{row_id}|{key_gen}".encode()


def rows(conn: Connection, case_ids: Iterable[int]) -> list[Row]:
    """Every row of the joint record of ``case_ids`` (current and corrected)."""
    ids = json.dumps(sorted(set(case_ids)))
    out: list[Row] = []
    for kind, table in TABLES.items():
        meeting, day = _SCOPE[kind]
        # Which row a correction replaces: the one that names it as its successor.
        before = ("(SELECT o.id FROM " + table + " o WHERE o.superseded_by = t.id)"
                  if kind != "note" else "NULL")
        why = ("t.correction_reason, t.reason_content" if kind in REASONED
               else "'', NULL")
        out.extend(Row(kind, int(i), int(c), None if m is None else int(m), str(d),
                       None if s is None else int(s), int(g),
                       None if b is None else bytes(b), str(t), bool(r), str(w or ""),
                       None if wb is None else bytes(wb))
                   for i, c, m, d, s, g, b, t, r, w, wb in conn.execute(
            f"SELECT t.id, t.case_id, {meeting}, t.{day}, {before}, t.key_gen,"
            f" t.content, t.text, t.rekey_due, {why} FROM {table} t"
            " WHERE t.case_id IN (SELECT value FROM json_each(?))", (ids,)))
    # The plan: its words in clear are the JSON of the five columns (schema 15).
    clear = ("json_object(" + ", ".join(f"'{f}', coalesce({f}, '')" for f in PLAN_FIELDS)
             + ")")
    out.extend(Row(PLAN, int(i), int(i), None, str(d), None, int(g),
                   None if b is None else bytes(b), str(t), bool(r), str(w))
               for i, d, g, b, t, r, w in conn.execute(
        f"SELECT id, opened_at, plan_gen, plan_content, CASE WHEN {_PLAN_CLEAR} THEN {clear}"
        f" ELSE '' END, plan_rekey_due, CASE WHEN {_CLOSE_CLEAR} THEN close_reason ELSE ''"
        " END FROM cases WHERE id IN (SELECT value FROM json_each(?))", (ids,)))
    return out + _note_rows(conn, ids)


def _note_clear(fields: tuple[str, ...]) -> str:
    return "content IS NULL AND (" + " OR ".join(f"{f} != ''" for f in fields) + ")"


def _note_rows(conn: Connection, ids: str) -> list[Row]:
    out: list[Row] = []
    for kind, (table, fields) in NOTES.items():
        clear = "json_object(" + ", ".join(f"'{f}', {f}" for f in fields) + ")"
        out.extend(Row(kind, int(i), int(c), None, "", None, int(g),
                       None if b is None else bytes(b), str(t), bool(r))
                   for i, c, g, b, t, r in conn.execute(
            f"SELECT id, case_id, key_gen, content, CASE WHEN {_note_clear(fields)}"
            f" THEN {clear} ELSE '' END, rekey_due FROM {table}"
            " WHERE case_id IN (SELECT value FROM json_each(?))", (ids,)))
    return out


def clear_cases(conn: Connection) -> set[int]:
    """Cases with rows still in clear (found through the partial indexes of schema 14)."""
    found = {int(r[0]) for kind, table in TABLES.items() for r in conn.execute(
        f"SELECT case_id FROM {table} WHERE content IS NULL AND text != ''")}
    found |= {int(r[0]) for kind in REASONED for r in conn.execute(
        f"SELECT case_id FROM {TABLES[kind]} WHERE correction_reason != ''")}
    found |= {int(r[0]) for table, fields in NOTES.values() for r in conn.execute(
        f"SELECT case_id FROM {table} WHERE {_note_clear(fields)}")}
    # One query per partial index (schema 15, 19): an OR of the two scans every case.
    return found | {int(r[0]) for where in (_PLAN_CLEAR, _CLOSE_CLEAR)
                    for r in conn.execute(f"SELECT id FROM cases WHERE {where}")}


def holders_of(conn: Connection, case_ids: Iterable[int]) -> dict[tuple[str, int], set[str]]:
    """Per (kind, row id): the principals holding a seal of the row's current key."""
    out: dict[tuple[str, int], set[str]] = {}
    ids = json.dumps(sorted(set(case_ids)))
    tables = {**TABLES, **{kind: table for kind, (table, _f) in NOTES.items()}}
    for kind, table in tables.items():
        for row_id, holder in conn.execute(
                f"SELECT k.row_id, k.holder FROM joint_keys k JOIN {table} t"
                " ON t.id = k.row_id AND t.key_gen = k.key_gen WHERE k.kind = ?"
                " AND k.case_id IN (SELECT value FROM json_each(?))", (kind, ids)):
            out.setdefault((kind, int(row_id)), set()).add(str(holder))
    for row_id, holder in conn.execute(
            "SELECT k.row_id, k.holder FROM joint_keys k JOIN cases c ON c.id = k.row_id"
            " AND c.plan_gen = k.key_gen WHERE k.kind = ?"
            " AND k.case_id IN (SELECT value FROM json_each(?))", (PLAN, ids)):
        out.setdefault((PLAN, int(row_id)), set()).add(str(holder))
    return out


def row_key(keyring: Keyring, conn: Connection, kind: str, row_id: int,
            key_gen: int) -> bytes | None:
    """The row's key if one of this user's principals holds a seal for it."""
    ref = (kind, row_id, key_gen)
    cached = keyring.remembered(ref)
    if cached is not None:
        return cached
    if keyring.missing((kind, row_id)):
        return None
    for holder, holder_version, sealer, sealer_version, sealed in conn.execute(
            "SELECT holder, holder_version, sealer, sealer_version, sealed FROM joint_keys"
            " WHERE kind = ? AND row_id = ? AND key_gen = ? AND holder IN"
            " (SELECT value FROM json_each(?))",
            (kind, row_id, key_gen, json.dumps(sorted(keyring.acts_as)))).fetchall():
        key = keyring.open_seal(str(holder), int(holder_version), str(sealer),
                                int(sealer_version), bytes(sealed),
                                seal_aad(keyring.store_id, kind, row_id, key_gen, str(holder)))
        if key is not None:
            keyring.remember(ref, key)
            return key
    return None


def prime(keyring: Keyring, conn: Connection, case_ids: Iterable[int]) -> None:
    """Open this user's seals of every joint-record row of the cases in a few queries, not
    one per row (a look at many cases; see :meth:`Keyring.prime`).  Within
    :meth:`Keyring.looking`, rows sealed only to others are then not asked for again."""
    ids = json.dumps(sorted(set(case_ids)))
    if ids == "[]" or not keyring.acts_as:
        return
    mine = json.dumps(sorted(keyring.acts_as))
    # From the case index alone: per row, whether one of its seals is this user's.  A row
    # has one key generation at a time (a re-key drops every older seal), so a row sealed
    # to others only has no key for this user.
    held: dict[str, list[int]] = {}
    others: list[tuple[str, int]] = []
    for kind, row_id, is_mine in conn.execute(
            "SELECT kind, row_id, max(holder IN (SELECT value FROM json_each(?1)))"
            " FROM joint_keys WHERE case_id IN (SELECT value FROM json_each(?2))"
            " GROUP BY kind, row_id", (mine, ids)):
        if is_mine:
            held.setdefault(str(kind), []).append(int(row_id))
        else:
            others.append((str(kind), int(row_id)))
    keyring.not_held(others)
    # The blobs only of rows with no key in memory yet (a second look reads none).
    cached = keyring.rows_in_memory()
    for kind, rows in held.items():
        wanted = [r for r in rows if (kind, r) not in cached]
        if not wanted:
            continue
        seals = conn.execute(
            "SELECT row_id, key_gen, holder, holder_version, sealer, sealer_version, sealed"
            " FROM joint_keys WHERE kind = ? AND row_id IN (SELECT value FROM json_each(?))"
            " AND holder IN (SELECT value FROM json_each(?))",
            (kind, json.dumps(wanted), mine)).fetchall()
        keyring.open_many(
            ((kind, int(row_id), int(gen)), str(holder), int(holder_version), str(sealer),
             int(sealer_version), bytes(sealed),
             seal_aad(keyring.store_id, kind, int(row_id), int(gen), str(holder)))
            for row_id, gen, holder, holder_version, sealer, sealer_version, sealed in seals)


def seal(keyring: Keyring, conn: Connection, row: tuple[str, int, int], key_gen: int,
         key: bytes, holders: Iterable[str]) -> set[str]:
    """Seal the key of ``row`` (kind, row id, case id) to each trustworthy holder; returns
    those sealed."""
    kind, row_id, case_id = row
    done: set[str] = set()
    for holder in sorted(set(holders)):
        made = keyring.seal_for(holder, key, seal_aad(keyring.store_id, kind, row_id,
                                                      key_gen, holder))
        if made is None:
            continue
        version, sealer, sealer_version, blob = made
        conn.execute(
            "INSERT INTO joint_keys(kind, row_id, case_id, key_gen, holder, holder_version,"
            " sealer, sealer_version, sealed) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(kind, row_id, holder) DO UPDATE SET key_gen = excluded.key_gen,"
            " holder_version = excluded.holder_version, sealer = excluded.sealer,"
            " sealer_version = excluded.sealer_version, sealed = excluded.sealed",
            (kind, row_id, case_id, key_gen, holder, version, sealer, sealer_version, blob))
        done.add(holder)
    keyring.remember((kind, row_id, key_gen), key)
    return done


def write(keyring: Keyring, conn: Connection, row: Row, text: str, key_gen: int,
          holders: Iterable[str], reason: str = "") -> None:
    """Encrypt ``text`` (and the row's correction ``reason``, if any) as generation
    ``key_gen`` of the row under a fresh key, sealed to ``holders`` (every older seal of
    the row goes)."""
    key = envelope.new_key()
    blob = envelope.aead_encrypt(key, text.encode(), content_aad(
        keyring.store_id, row.kind, row.id, key_gen))
    conn.execute("DELETE FROM joint_keys WHERE kind = ? AND row_id = ?", (row.kind, row.id))
    if row.kind == PLAN:
        # An open case keeps NULL as its close reason: NULL is "not closed", '' is "kept
        # in the plan's content".
        blank = ", ".join(f"{f} = CASE WHEN {f} IS NULL THEN NULL ELSE '' END"
                          for f in PLAN_FIELDS)
        conn.execute(f"UPDATE cases SET plan_content = ?, plan_gen = ?, {blank},"
                     " plan_rekey_due = 0 WHERE id = ?", (blob, key_gen, row.id))
    elif row.kind in NOTES:
        table, fields = NOTES[row.kind]
        blank = ", ".join(f"{f} = ''" for f in fields)
        conn.execute(f"UPDATE {table} SET content = ?, key_gen = ?, {blank}, rekey_due = 0"
                     " WHERE id = ?", (blob, key_gen, row.id))
    else:
        conn.execute(f"UPDATE {TABLES[row.kind]} SET content = ?, key_gen = ?, text = '',"
                     " rekey_due = 0 WHERE id = ?", (blob, key_gen, row.id))
        if row.kind in REASONED:
            _put_reason(keyring, conn, row, key, key_gen, reason)
    seal(keyring, conn, row.ref, key_gen, key, holders)


def _put_reason(keyring: Keyring, conn: Connection, row: Row, key: bytes, key_gen: int,
                reason: str) -> None:
    blob = None if not reason else envelope.aead_encrypt(
        key, reason.encode(), reason_aad(keyring.store_id, row.kind, row.id, key_gen))
    conn.execute(f"UPDATE {TABLES[row.kind]} SET reason_content = ?, correction_reason = ''"
                 " WHERE id = ?", (blob, row.id))


def seal_reason(keyring: Keyring, conn: Connection, row: Row, key: bytes) -> None:
    """Encrypt the row's reason, still in clear, under its current key (``key``)."""
    if row.kind in REASONED and row.reason:
        _put_reason(keyring, conn, row, key, row.key_gen, row.reason)


def open_reason(keyring: Keyring | None, conn: Connection, row: Row) -> str | None:
    """Why the row was corrected: '' when it was not, None when this user cannot read
    it."""
    if row.reason_content is None:
        return row.reason
    return _open(keyring, conn, row.kind, row.id, row.key_gen, row.reason_content,
                 reason_aad)


def open_text(keyring: Keyring | None, conn: Connection, kind: str, row_id: int,
              key_gen: int, content: bytes) -> str | None:
    """The words of an encrypted row, or None when this user holds no key for it."""
    return _open(keyring, conn, kind, row_id, key_gen, content, content_aad)


def _open(keyring: Keyring | None, conn: Connection, kind: str, row_id: int, key_gen: int,
          blob: bytes, aad: Callable[[str, str, int, int], bytes]) -> str | None:
    if keyring is None:
        return None
    key = row_key(keyring, conn, kind, row_id, key_gen)
    if key is None:
        return None
    try:
        return envelope.aead_decrypt(key, blob, aad(keyring.store_id, kind, row_id,
                                                    key_gen)).decode()
    except EnvelopeError:
        return None


def install(conn: Connection, keyring_of: Callable[[], Keyring | None]) -> None:
    """Put ``joint_text`` and ``joint_readable`` on ``conn``: the words of a row for the
    acting user (``keyring_of`` gives their keyring now, so a lock takes effect at once),
    and whether they can read them."""

    def joint_text(kind: str, row_id: int, key_gen: int, content: bytes | None,
                   text: str) -> str:
        if content is None:
            return text
        opened = open_text(keyring_of(), conn, kind, int(row_id), int(key_gen),
                           bytes(content))
        return _(NOT_READABLE) if opened is None else opened

    def joint_readable(kind: str, row_id: int, key_gen: int, content: bytes | None) -> int:
        if content is None:
            return 1
        return int(open_text(keyring_of(), conn, kind, int(row_id), int(key_gen),
                             bytes(content)) is not None)

    def joint_reason(kind: str, row_id: int, key_gen: int, content: bytes | None,
                     reason: str | None) -> str:
        if content is None:
            return str(reason or "")
        opened = _open(keyring_of(), conn, kind, int(row_id), int(key_gen), bytes(content),
                       reason_aad)
        return _(NOT_READABLE) if opened is None else opened

    def joint_field(kind: str, row_id: int, key_gen: int, content: bytes | None,
                    name: str, clear: str | None) -> str:
        if content is None:
            return str(clear or "")
        opened = open_text(keyring_of(), conn, kind, int(row_id), int(key_gen),
                           bytes(content))
        if opened is None:
            return _(NOT_READABLE)
        return str(json.loads(opened).get(name, ""))

    conn.create_function("joint_text", 5, joint_text)
    conn.create_function("joint_field", 6, joint_field)
    conn.create_function("joint_readable", 4, joint_readable)
    conn.create_function("joint_reason", 5, joint_reason)


def text_sql(kind: str, alias: str = "") -> str:
    """The SQL expression that reads a row's words (see :func:`install`)."""
    if kind not in TABLES:
        raise ValueError("not a kind of the joint record")
    p = f"{alias}." if alias else ""
    return f"joint_text('{kind}', {p}id, {p}key_gen, {p}content, {p}text)"


def reason_sql(kind: str, alias: str = "") -> str:
    """The SQL expression that reads why a row was corrected (see :func:`install`)."""
    if kind not in REASONED:
        raise ValueError("not a kind a correction replaces")
    p = f"{alias}." if alias else ""
    return (f"joint_reason('{kind}', {p}id, {p}key_gen, {p}reason_content,"
            f" {p}correction_reason)")


def field_sql(kind: str, name: str, alias: str = "") -> str:
    """The SQL expression that reads one field of a note (see :func:`install`)."""
    if kind not in NOTES or name not in NOTES[kind][1]:
        raise ValueError("not a field of a note")
    p = f"{alias}." if alias else ""
    return f"joint_field('{kind}', {p}id, {p}key_gen, {p}content, '{name}', {p}{name})"


def readable(conn: Connection, kind: str, row_id: int) -> bool:
    """Whether the acting user can read the row's words (see :func:`install`)."""
    table = TABLES[kind]
    row = conn.execute(f"SELECT joint_readable('{kind}', id, key_gen, content)"
                       f" FROM {table} WHERE id = ?", (row_id,)).fetchone()
    return bool(row and row[0])


def mark_rekey_due(conn: Connection, row: Row) -> None:
    """The row waits for a holder of its key to encrypt it again."""
    if row.kind == PLAN:
        conn.execute("UPDATE cases SET plan_rekey_due = 1 WHERE id = ?", (row.id,))
    elif row.kind in NOTES:
        conn.execute(f"UPDATE {NOTES[row.kind][0]} SET rekey_due = 1 WHERE id = ?", (row.id,))
    else:
        conn.execute(f"UPDATE {TABLES[row.kind]} SET rekey_due = 1 WHERE id = ?", (row.id,))


PlanRow = tuple[Any, ...]
"""A case's plan as stored: generation, content, then the clear :data:`PLAN_FIELDS`."""


def plan_rows(conn: Connection, case_ids: Iterable[int]) -> dict[int, PlanRow]:
    """The stored plans of the cases in one query (for :func:`plan_of`)."""
    cols = ", ".join(PLAN_FIELDS)
    return {int(row[0]): tuple(row[1:]) for row in conn.execute(
        f"SELECT id, plan_gen, plan_content, {cols} FROM cases"
        " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(case_ids))),))}


def plan_of(keyring: Keyring | None, conn: Connection, case_id: int,
            row: PlanRow | None = None) -> dict[str, str] | None:
    """The plan's five texts of a case (keys: :data:`PLAN_FIELDS`) for the acting user;
    None when they are encrypted and this user holds no key for them.  ``row``: the
    case's plan from :func:`plan_rows`, else it is read now."""
    if row is None:
        row = plan_rows(conn, [case_id]).get(case_id)
    if row is None:
        return None
    if row[1] is None:
        return {f: str(v or "") for f, v in zip(PLAN_FIELDS, row[2:], strict=True)}
    opened = open_text(keyring, conn, PLAN, case_id, int(row[0]), bytes(row[1]))
    if opened is None:
        return None
    doc = json.loads(opened)
    # A close reason still in clear beside the plan (before schema 19) counts too.
    clear_reason = str(row[2 + PLAN_FIELDS.index("close_reason")] or "")
    return {f: str(doc.get(f, "")) or (clear_reason if f == "close_reason" else "")
            for f in PLAN_FIELDS}
