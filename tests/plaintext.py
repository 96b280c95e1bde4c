"""Ground truth for tests: every item's content as its holders can open it.

Since issue 9 no single key opens all content (the administrator's opens none), so tests
that need to know what every item says (the canary sweeps) open each item with the keys
of the users who hold it.  Items nobody holds stay empty: no view can show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from app.crypto.keyslots import SlotFile
from app.domain.records import Item
from app.store.connection import Connection
from app.store.keyring import Keyring
from tests.conftest import PASSPHRASE


def open_items(folder: Path, conn: Connection,
               grouped: Mapping[int, Sequence[Item]]) -> dict[int, list[Item]]:
    """``grouped`` (items per case, as loaded from ``conn``) with their content opened."""
    store_id = str(conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0])
    slots = SlotFile.read(folder / "keyslots.json")
    users = [str(r[0]) for r in conn.execute(
        "SELECT username FROM users WHERE removed_at IS NULL ORDER BY username")]
    rings = []
    for username in users:
        keys = slots.unlock_keys(username, PASSPHRASE)
        if conn.execute("SELECT 1 FROM principals WHERE id = ?",
                        (f"user:{username}",)).fetchone():
            rings.append(Keyring(conn, store_id, username, keys.box))
    out: dict[int, list[Item]] = {}
    for cid, items in grouped.items():
        opened = []
        for item in items:
            shown = item
            if item.content is not None:
                for ring in rings:
                    plain = ring.decrypt(item.id, item.key_gen, item.content)
                    if plain is not None:
                        shown = item._replace(body=plain[0], structured=plain[1])
                        break
            opened.append(shown)
        out[cid] = opened
    return out
