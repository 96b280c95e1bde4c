"""A member who leaves keeps the party key they saved; it opens nothing afterwards
(issue 9, point 1; docs/security.md §9.5), tested as the leaver would try it.

Every participant holds their party's private key.  When the root administrator removes
one, the party's key is renewed for the others in the same transaction
(app.services.party_keys); at the next login of a remaining member every seal made for
the old version is made again for the new one, and the old version's own seals go.  The
leaver's saved copy of the old key then opens no seal in the store: not of what was
there, and not of what comes later.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.crypto.keyslots import SlotFile
from app.domain.roles import Role
from app.services import admin, cases
from app.views import ViewSpec
from tests.app import test_insider as ins
from tests.app.services import test_services as ts
from tests.app.test_insider_joint import _store_id
from tests.conftest import DEMO_ADMIN, PASSPHRASE, TEST_KDF, DemoStoreFactory

LEAVER = "politie.vertrekker"
FIRST = "door de beheerder gekozen 2026"
PARTY = f"party:{ts.POLICE}"


def _join_police(folder: Path) -> None:
    """A second police participant, who chooses their own passphrase and then gets the
    party key from their colleague at the colleague's next login."""
    with ts._open(folder, DEMO_ADMIN) as session:
        admin.add_user(session, username=LEAVER, display_name="P. Vertrekker",
                       role=Role.DEELNEMER, party_id=ts.POLICE, passphrase=FIRST)
    with ts.Session.open(folder, LEAVER, FIRST, kdf=TEST_KDF) as session:
        admin.change_passphrase(session, FIRST, PASSPHRASE)
    ts._open(folder, ts._user(ts.POLICE)).close()


def _opened_with(privates: list[X25519PrivateKey], folder: Path, store_id: str
                 ) -> tuple[set[int], set[tuple[str, int]]]:
    """The items and joint-record rows whose seals, as they are in the store now, open
    with ``privates`` (read with the data key: the leaver got hold of a later copy)."""
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(DEMO_ADMIN, PASSPHRASE)
    conn = ins._connect(folder, keys.data_key)
    publics = {(str(p), int(v)): bytes(b) for p, v, b in conn.execute(
        "SELECT id, version, box_public FROM principals")}
    items: set[int] = set()
    for item_id, gen, holder, sealer, sealer_version, sealed in conn.execute(
            "SELECT item_id, key_gen, holder, sealer, sealer_version, sealed FROM item_keys"):
        aad = f"item-key|{store_id}|{item_id}|{gen}|{holder}".encode()
        if ins.open_seal(privates, publics, sealer, sealer_version, sealed, aad) is not None:
            items.add(int(item_id))
    rows: set[tuple[str, int]] = set()
    for kind, row_id, gen, holder, sealer, sealer_version, sealed in conn.execute(
            "SELECT kind, row_id, key_gen, holder, sealer, sealer_version, sealed"
            " FROM joint_keys"):
        aad = f"joint-key|{store_id}|{kind}|{row_id}|{gen}|{holder}".encode()
        if ins.open_seal(privates, publics, sealer, sealer_version, sealed, aad) is not None:
            rows.add((str(kind), int(row_id)))
    conn.close()
    return items, rows


def _views(folder: Path, username: str) -> list[str]:
    with ts._open(folder, username) as session:
        return [json.dumps(view.to_json(), sort_keys=True, default=str)
                for view, _s in cases.case_views(session, None, ViewSpec(), today=ts.TODAY)]


def test_zvh_3_5c_a_leavers_saved_party_key_opens_nothing_after_the_renewal(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5c (the providing party keeps control of its information): the leaver's
    script saves every key their passphrase reaches, the police party key among them.
    The root administrator removes them; the police party key is renewed.  After the
    remaining participant's login no seal in the store opens with the saved keys, the
    participant sees exactly what they saw before, and a police item added afterwards is
    shown to them and opens for nobody with the saved keys."""
    folder = demo_store(ts.SPEC)
    store_id = _store_id(folder)
    _join_police(folder)
    conn, saved, _publics = ins.reach(folder, LEAVER, store_id)
    conn.close()
    before_items, before_rows = _opened_with(saved, folder, store_id)
    assert before_items, "the leaver's keys open nothing even now: the test proves nothing"
    assert before_rows
    police = ts._user(ts.POLICE)
    seen = _views(folder, police)

    with ts._open(folder, DEMO_ADMIN) as session:
        assert admin.remove_user(session, LEAVER)
    keys = SlotFile.read(folder / "keyslots.json").unlock_keys(DEMO_ADMIN, PASSPHRASE)
    raw = ins._connect(folder, keys.data_key)
    assert raw.execute("SELECT max(version) FROM principals WHERE id = ?",
                       (PARTY,)).fetchone()[0] == 2
    assert raw.execute("SELECT count(*) FROM party_key_seals WHERE username = ?"
                       " AND party_version = 2", (LEAVER,)).fetchone()[0] == 0
    raw.close()

    assert _views(folder, police) == seen  # the login moved every seal to version 2
    raw = ins._connect(folder, keys.data_key)
    for table in ("item_keys", "joint_keys"):
        assert raw.execute(f"SELECT count(*) FROM {table} WHERE holder = ?"
                           " AND holder_version = 1", (PARTY,)).fetchone()[0] == 0, table
    assert raw.execute("SELECT count(*) FROM party_key_seals WHERE party_id = ?"
                       " AND party_version = 1", (ts.POLICE,)).fetchone()[0] == 0
    names = [str(r[0]) for r in raw.execute("SELECT name FROM audit WHERE object_id = ?"
                                            " ORDER BY seq", (ts.POLICE,))]
    raw.close()
    assert "key.party_renewed" in names
    assert "key.party_moved" in names
    assert _opened_with(saved, folder, store_id) == (set(), set())

    ref = ts._new_case(folder, involve=(ts.POLICE,))
    new_item = ts._item(folder, police, ref, "KANARIE-NA-VERTREK proces-verbaal",
                        legal_basis=ts.POLICE_BASIS)
    with ts._open(folder, police) as session:
        shown = cases.show_case(session, ref, today=ts.TODAY)
    assert new_item in {i.item_id for i in shown.items}
    assert any("KANARIE-NA-VERTREK" in str(i.value) for i in shown.items)
    assert new_item not in _opened_with(saved, folder, store_id)[0]


def test_zvh_3_5c_a_member_another_administrator_removed_is_renewed_at_the_roots_login(
        demo_store: DemoStoreFactory) -> None:
    """ZVH 3.5c: a second administrator removes the leaver; only the root certifies
    parties, so that removal renews nothing yet.  At the root administrator's next login
    the police key is renewed from the signed removal, once; the participant's next
    login moves the seals and the leaver's saved keys open nothing."""
    folder = demo_store(ts.SPEC)
    store_id = _store_id(folder)
    _join_police(folder)
    conn, saved, _publics = ins.reach(folder, LEAVER, store_id)
    conn.close()
    with ts._open(folder, DEMO_ADMIN) as session:
        admin.add_user(session, username="beheer.twee", display_name="B. Twee",
                       role=Role.BEHEERDER, party_id=ts.RDAM, passphrase=FIRST)
    with ts.Session.open(folder, "beheer.twee", FIRST, kdf=TEST_KDF) as session:
        admin.change_passphrase(session, FIRST, PASSPHRASE)
    with ts._open(folder, "beheer.twee") as session:
        assert not admin.remove_user(session, LEAVER)

    def versions() -> int:
        keys = SlotFile.read(folder / "keyslots.json").unlock_keys(DEMO_ADMIN, PASSPHRASE)
        raw = ins._connect(folder, keys.data_key)
        try:
            return int(raw.execute("SELECT max(version) FROM principals WHERE id = ?",
                                   (PARTY,)).fetchone()[0])
        finally:
            raw.close()

    assert versions() == 1
    ts._open(folder, DEMO_ADMIN).close()
    assert versions() == 2
    ts._open(folder, DEMO_ADMIN).close()
    assert versions() == 2, "renewed once, not at every login"
    ts._open(folder, ts._user(ts.POLICE)).close()
    assert _opened_with(saved, folder, store_id) == (set(), set())
