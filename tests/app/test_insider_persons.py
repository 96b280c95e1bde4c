"""A forged subject category lifts no consent rule for the keys (issue 9, point 1).

Under the woonoverlast covenant every datum of the melder is shared only with the
melder's consent (WO 3.3d, 5.2).  That rule reads the person's subject category.  An
insider with the data key and a script who rewrites the melder as an overlastgever makes
their own app, which trusts the rows, show the melder's data; the keys follow the signed
category (``person.add``, the root's ``items.vouch``; app.services.vouch_items), so the
provider's next key work seals nothing new to them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from app.domain.records import Item
from app.domain.roles import Role
from app.errors import CasusError
from app.policy.engine import CaseFacts, Level, PolicyContext, Viewer, decide
from app.policy.facts import load_facts
from app.policy.holders import probe_contexts
from app.profiles import load_profile
from app.services import cases, casework, vouch_items
from app.services.redaction import strictest_incident_classes
from app.services.session import Session
from app.store import repo
from tests.app.services import test_services as ts
from tests.app.test_insider import _STORE_IDS, TODAY, _users, attack
from tests.app.test_insider_facts import _as, _queue
from tests.conftest import PASSPHRASE, TEST_KDF, DemoSpec, DemoStoreFactory

WO = "woonoverlast"
SPEC = DemoSpec(WO, cases=12, seed=5, today=TODAY, canary=True)


def _held_back(f: CaseFacts, item: Item, viewer: Viewer, person_id: int,
               base: PolicyContext) -> bool:
    """Whether only the person's being a melder keeps ``item`` from ``viewer``."""
    forged = dataclasses.replace(
        f, person_categories={**f.person_categories, person_id: "overlastgever"})
    probes = probe_contexts(f, base)
    return (not any(decide(viewer, item, f, p).level is Level.FULL for p in probes)
            and any(decide(viewer, item, forged, p).level is Level.FULL for p in probes))


def _target(folder: Path) -> tuple[int, int, str, str, str]:
    """Add, as a participant of one party, an item about a melder that the policy keeps
    from another party's participant only because the person is a melder (WO 3.3d):
    (person id, item id, case reference, attacker, provider)."""
    profile = load_profile(WO)
    base = PolicyContext(profile, SPEC.today, None, strictest_incident_classes())
    conn = _as(folder, "beheer")
    cases = repo.cases(conn)
    facts = load_facts(conn, cases)
    items = repo.items_by_case(conn, None)
    users = [(str(u), Role(r), str(p)) for u, r, p in conn.execute(
        "SELECT username, role, party_id FROM users WHERE removed_at IS NULL"
        " AND role = 'deelnemer' ORDER BY 1")]
    labels = dict(conn.execute("SELECT id, label FROM persons"))
    conn.close()
    for case in cases:
        f = facts[case.id]
        for person_id in sorted(p for p, c in f.person_categories.items() if c == "melder"):
            for template in items.get(case.id, []):
                for provider, _r, source in users:
                    for category in (c.id for c in profile.data_categories):
                        item = template._replace(person_id=person_id, source_party=source,
                                                 category=category, phase=case.phase)
                        for attacker, role, party in users:
                            if party == source or not _held_back(
                                    f, item, Viewer(party, role, attacker), person_id, base):
                                continue
                            added = _add(folder, provider, case.reference, category,
                                         template.legal_basis, str(labels[person_id]))
                            if added is not None:
                                return person_id, added, case.reference, attacker, provider
    raise AssertionError("no melder item held back by consent alone: nothing to test")


def _add(folder: Path, username: str, ref: str, category: str, basis: str,
         label: str) -> int | None:
    """The item through the app, as the provider; None when the app refuses it."""
    with Session.open(folder, username, PASSPHRASE, kdf=TEST_KDF) as session:
        try:
            return casework.add_item(session, ref, category=category, legal_basis=basis,
                                     body="MELDER-CANARY telefoon", person=label)
        except CasusError:
            return None


def test_wo_3_3d_a_melder_rewritten_as_overlastgever_gets_the_attacker_no_key(
        demo_store: DemoStoreFactory) -> None:
    """WO 3.3d, 5.2: the melder's data go only where the melder consented.  A participant
    who rewrites ``persons.category`` of the melder fools their own app (it decides to
    show the item), but after the provider's login the attacker's script decrypts no more
    than before; the signed category is the melder's."""
    folder = demo_store(SPEC)
    person_id, item_id, ref, attacker, provider = _target(folder)
    _users(folder)
    store_id = _STORE_IDS[folder]
    assert item_id not in attack(folder, attacker, store_id).items
    conn = _as(folder, attacker)
    conn.execute("UPDATE persons SET category = 'overlastgever' WHERE id = ?", (person_id,))
    case_id = int(conn.execute("SELECT case_id FROM persons WHERE id = ?",
                               (person_id,)).fetchone()[0])
    _queue(conn, case_id)
    # The forged row fools the policy that trusts rows (the attacker's own app).
    with Session.open(folder, attacker, PASSPHRASE, kdf=TEST_KDF) as session:
        level = ts._levels(cases.show_case(session, ref)).get(item_id)
        signed = vouch_items.vouched_persons(session.store, [case_id])
    assert level in {"FULL", "no_key"}  # shown, or "not readable with your keys"
    assert signed is not None
    assert signed[person_id] == "melder"
    Session.open(folder, provider, PASSPHRASE, kdf=TEST_KDF).close()  # the key work
    assert item_id not in attack(folder, attacker, store_id).items


def _old_store(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A woonoverlast demo store as versions before signed categories wrote it: items
    vouched and marked, but no category in any signed entry and no persons mark."""
    from app.demo import create_demo_store
    from app.store.store import Store

    real = Store.log

    def old_log(self: Store, name: str, **kwargs: Any) -> int:
        if name == vouch_items.PERSONS_MARK:
            return 0
        attributes = dict(kwargs.pop("attributes", None) or {})
        attributes.pop("persons" if name == vouch_items.VOUCH_EVENT else "category", None)
        return real(self, name, attributes=attributes, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(Store, "log", old_log)
        create_demo_store(folder, SPEC.generate(), profile_id=WO, passphrase=PASSPHRASE,
                          kdf=TEST_KDF, admin="beheer", admin_display_name="Beheer")


def _marks(folder: Path) -> int:
    conn = _as(folder, "beheer")
    count = int(conn.execute("SELECT count(*) FROM audit WHERE name = ?",
                             (vouch_items.PERSONS_MARK,)).fetchone()[0])
    conn.close()
    return count


def test_wo_3_3d_an_older_store_gets_its_categories_signed_at_the_roots_login(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WO 3.3d, 5.2 on a store from before signed categories: its rows are trusted until
    the root administrator's first login with this version, which signs every person's
    category as it is then and writes the mark; from then on a melder rewritten as an
    overlastgever gets the attacker no key."""
    folder = tmp_path / "store"
    _old_store(folder, monkeypatch)
    assert _marks(folder) == 0
    conn = _as(folder, "beheer")
    melders = [int(r[0]) for r in conn.execute(
        "SELECT id FROM persons WHERE category = 'melder' ORDER BY id")]
    conn.close()
    assert melders, "the demo store has no melder: nothing to test"
    someone = next(u for u, role, _p in _users(folder) if role is Role.DEELNEMER)
    with Session.open(folder, someone, PASSPHRASE, kdf=TEST_KDF) as session:
        case_ids = [int(r[0]) for r in session.store.conn.execute("SELECT id FROM cases")]
        before = vouch_items.vouched_persons(session.store, case_ids)
    # No signed entry names a category yet; a participant's login changes nothing.
    assert before is not None
    assert not set(melders) & set(before)
    assert _marks(folder) == 0
    Session.open(folder, "beheer", PASSPHRASE, kdf=TEST_KDF).close()
    # The root's first login with this version signed every category as it stood.
    assert _marks(folder) == 1
    with Session.open(folder, "beheer", PASSPHRASE, kdf=TEST_KDF) as session:
        after = vouch_items.vouched_persons(session.store, case_ids)
    assert _marks(folder) == 1  # once
    assert after is not None
    assert all(after[p] == "melder" for p in melders)
    # And the attack of the test above now fails on this store too.
    person_id, item_id, _ref, attacker, provider = _target(folder)
    store_id = _STORE_IDS[folder]
    conn = _as(folder, attacker)
    conn.execute("UPDATE persons SET category = 'overlastgever' WHERE id = ?", (person_id,))
    _queue(conn, int(conn.execute("SELECT case_id FROM persons WHERE id = ?",
                                  (person_id,)).fetchone()[0]))
    Session.open(folder, provider, PASSPHRASE, kdf=TEST_KDF).close()  # the key work
    assert item_id not in attack(folder, attacker, store_id).items
