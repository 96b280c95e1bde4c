"""Who provided items to a case: what a user's script reads that their app never shows.

Run: ``.venv/bin/python -m bench.provider_leaks [--cases 60] [--seed 11]``

Issue 9 asks that the process metadata every user of a store can read with a script (under
the SQLCipher data key, which every user's slot opens) hold at most what a support role
sees anyway, and *not* which parties provided items to a case.  This version does not meet
that yet (``docs/security.md`` §9.3).  This script measures the gap, so that each step
towards closing it can show its effect, channel by channel; the goal is 0 everywhere.

It builds a demo store (``app.demo``), then reads it as an attacker would: straight
through ``sqlcipher3`` with the data key, no policy.  The *facts* are the pairs (case,
party) where the party provided an item of the case (items the case's process director
entered are theirs, not their party's: ZVH 9.6).  A user *may know* a pair when the app
can show it to them: a support role (the audit trail and the registers, ZVH 15.3d, 8.1),
the case's process director, a minute taker of a meeting about the case (ZVH 15.2), or a
user of a party involved in the case, which sees a placeholder with the source of every
item (ZVH 13.2; a process director only their own cases, ZVH 9.6).  Every other pair a
channel names is a leak for that user.  Printed per channel: the fact pairs the channel
names, and, per role, the most and the mean leaked pairs of one user.  The same data key
opens every channel for every user, so what differs between users is only what they may
know.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from app.crypto.keyslots import KdfParams, SlotFile
from app.domain.roles import SUPPORT_ROLES, Role
from app.errors import CasusError
from app.policy.facts import load_facts
from app.profiles import load_profile
from app.store import repo
from app.store.connection import Connection as Conn
from app.store.connection import key_pragma
from app.store.layout import DB_NAME, SLOTS_NAME

PROFILE = "zvh-rotterdam-rijnmond"
PASSPHRASE = "bench passphrase 2026"
CHEAP = KdfParams(time_cost=1, memory_kib=8, parallelism=1)

Pairs = set[tuple[int, str]]

# Each channel: SQL giving (case id, party) pairs a script reads as "this party is tied to
# this case's items".  Users map usernames to parties (the users table is clear too).
CHANNELS: dict[str, str] = {
    "items.source_party": "SELECT case_id, source_party FROM items",
    "items.created_by": "SELECT i.case_id, u.party_id FROM items i"
                        " JOIN users u ON u.username = i.created_by",
    "item_keys.holder": "SELECT i.case_id, substr(k.holder, 7) FROM item_keys k"
                        " JOIN items i ON i.id = k.item_id WHERE k.holder LIKE 'party:%'",
    "item_keys.sealer": "SELECT i.case_id, coalesce(u.party_id, substr(k.sealer, 7))"
                        " FROM item_keys k JOIN items i ON i.id = k.item_id"
                        " LEFT JOIN users u ON 'user:' || u.username = k.sealer"
                        " WHERE k.sealer NOT LIKE 'eph:%'",
    "joint_keys.holder": "SELECT case_id, substr(holder, 7) FROM joint_keys"
                         " WHERE holder LIKE 'party:%'",
    "grants.provider_party": "SELECT case_id, provider_party FROM grants",
    "notices.source_party": "SELECT case_id, source_party FROM notices",
    "consents.source_party": "SELECT case_id, source_party FROM consents"
                             " WHERE source_party IS NOT NULL",
    "disclosures.provider_party": "SELECT case_id, provider_party FROM disclosures",
    "audit item.add (actor)": "SELECT i.case_id, u.party_id FROM audit a"
                              " JOIN items i ON a.object_type = 'item'"
                              " AND i.id = CAST(a.object_id AS INTEGER)"
                              " JOIN users u ON u.username = a.username"
                              " WHERE a.name = 'item.add'",
    "audit grant.add (actor)": "SELECT g.case_id, u.party_id FROM audit a"
                               " JOIN grants g ON a.object_type = 'grant'"
                               " AND g.id = CAST(a.object_id AS INTEGER)"
                               " JOIN users u ON u.username = a.username"
                               " WHERE a.name = 'grant.add'",
}


def _audit_pairs(conn: Conn) -> Pairs:
    """Every audit entry whose object leads to a case: its actor's party, and every party
    id among its attributes (a script needs no more than the clear tables for either)."""
    parties = {p.id for p in load_profile(PROFILE).parties}
    user_party = dict(conn.execute("SELECT username, party_id FROM users"))
    case_of: dict[tuple[str, str], int] = {}
    for table, kind in (("items", "item"), ("grants", "grant"), ("consents", "consent")):
        case_of.update({(kind, str(i)): int(c) for i, c in conn.execute(
            f"SELECT id, case_id FROM {table}")})
    for cid, ref in conn.execute("SELECT id, reference FROM cases"):
        case_of[("case", str(cid))] = case_of[("case", str(ref))] = int(cid)
    out: Pairs = set()
    for name, user, kind, object_id, attributes in conn.execute(
            "SELECT name, username, object_type, object_id, attributes FROM audit"):
        case = case_of.get((str(kind), str(object_id)))
        if case is None:
            continue
        if name != "items.vouch" and user in user_party:
            out.add((case, str(user_party[user])))
        out |= {(case, word) for word in _strings(json.loads(attributes or "{}"))
                if word in parties}
    return out


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for v in [*value.keys(), *value.values()] for s in _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return set()


def _build(folder: Path, cases: int, seed: int) -> None:
    from app.demo import create_demo_store, generate_demo

    today = dt.datetime.now().astimezone().date()
    demo = generate_demo(load_profile(PROFILE), cases=cases, seed=seed, today=today)
    create_demo_store(folder, demo, profile_id=PROFILE, passphrase=PASSPHRASE, kdf=CHEAP)


def _use(folder: Path) -> None:
    """A day at the table, so that the registers and the audit trail hold what daily use
    writes: every participant and case director looks at each case they may see (reads,
    disclosures), and adds one item to the first case where their party provided one."""
    from app.services import casework
    from app.services.cases import list_cases, show_case
    from app.services.session import Session

    conn = _connect(folder, "beheer")
    users = [(str(u), str(p)) for u, p in conn.execute(
        "SELECT username, party_id FROM users WHERE role IN ('deelnemer', 'casusregisseur')"
        " AND removed_at IS NULL ORDER BY 1")]
    own = {(str(p), str(ref)): (str(cat), str(basis)) for p, ref, cat, basis in conn.execute(
        "SELECT i.source_party, c.reference, i.category, i.legal_basis FROM items i"
        " JOIN cases c ON c.id = i.case_id WHERE i.created_by IS NOT c.procesregisseur")}
    conn.close()
    for username, party in users:
        with Session.open(folder, username, PASSPHRASE, kdf=CHEAP) as session:
            refs = [row.reference for row in list_cases(session)]
            for ref in refs:
                show_case(session, ref)
            for ref in (r for r in refs if (party, r) in own):
                category, basis = own[(party, ref)]
                try:
                    casework.add_item(session, ref, category=category, body="bench",
                                      legal_basis=basis)
                except CasusError:  # a closed case, a phase that takes no items
                    continue
                break


def _connect(folder: Path, username: str) -> Conn:
    """The database as ``username``'s script opens it: their own slot, no app."""
    key = SlotFile.read(folder / SLOTS_NAME).unlock(username, PASSPHRASE)
    conn = sqlcipher3.connect(str(folder / DB_NAME))
    conn.execute(key_pragma(key))
    return conn


def _facts(conn: Conn) -> Pairs:
    return {(int(c), str(p)) for c, p in conn.execute(
        "SELECT i.case_id, i.source_party FROM items i JOIN cases c ON c.id = i.case_id"
        " WHERE i.created_by IS NOT c.procesregisseur")}


def _may_know(conn: Conn) -> Callable[[str, Role, str], set[int]]:
    """Per user: the cases whose providers the app can show them."""
    cases = repo.cases(conn)
    facts = load_facts(conn, cases)

    def known(username: str, role: Role, party: str) -> set[int]:
        if role in SUPPORT_ROLES:
            return {c.id for c in cases}
        # A process director and a minute taker know their own cases and meetings only;
        # a party's users, the cases their party is involved in.
        party_wide = role not in {Role.PROCESREGISSEUR, Role.NOTULIST}
        return {case.id for case in cases
                if username == case.procesregisseur
                or any(t.notulist == username for t in facts[case.id].tables)
                or (party_wide and party in facts[case.id].involved)}

    return known


def measure(folder: Path) -> None:
    """Print the leaked pairs per channel and role for the store in ``folder``."""
    conn = _connect(folder, "beheer")
    truth = _facts(conn)
    known = _may_know(conn)
    users = [(str(u), Role(r), str(p)) for u, r, p in conn.execute(
        "SELECT username, role, party_id FROM users WHERE removed_at IS NULL ORDER BY 1")]
    conn.close()
    print(f"store: {len(truth)} (case, providing party) pairs, {len(users)} users")
    # Every user's own key opens the same database: read each channel once, as one of
    # them (a participant), to show that no support key is needed.
    reader = next(u for u, r, _p in users if r is Role.DEELNEMER)
    conn = _connect(folder, reader)
    channels = {name: {(int(c), str(p)) for c, p in conn.execute(sql)} & truth
                for name, sql in CHANNELS.items()}
    channels["audit, any entry about a case"] = _audit_pairs(conn) & truth
    conn.close()
    channels["any of them"] = set().union(*channels.values())
    by_role: dict[Role, list[tuple[str, set[int]]]] = defaultdict(list)
    for username, role, party in users:
        by_role[role].append((username, known(username, role, party)))
    print(f"read as {reader!r} with their own slot, straight through sqlcipher3")
    print(f"{'channel':28s} {'names':>6s}  " + "  ".join(
        f"{role.value[:12]:>12s}" for role in sorted(by_role, key=lambda r: r.value)))
    for name, pairs in channels.items():
        cells = []
        for role in sorted(by_role, key=lambda r: r.value):
            leaks = [len({pc for pc in pairs if pc[0] not in may}) for _u, may in by_role[role]]
            cells.append(f"{max(leaks):>5d}/{statistics.mean(leaks):>6.1f}")
        print(f"{name:28s} {len(pairs):>6d}  " + "  ".join(f"{c:>12s}" for c in cells))
    print("cells: most / mean pairs one user of the role reads but may not know (goal 0)")


def main() -> None:
    """Build a demo store in a temporary folder and measure it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casustafel-leaks-") as tmp:
        folder = Path(tmp) / "store"
        _build(folder, args.cases, args.seed)
        _use(folder)
        measure(folder)


if __name__ == "__main__":
    main()
