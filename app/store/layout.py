"""The names of the files in a store folder, in one place.

Everything but the lock note is ciphertext or non-personal metadata::

    casustafel.db      SQLCipher database, raw 256-bit data key
    keyslots.json      one slot per user (see app.crypto.keyslots), no usernames in clear
    keyslots.pending   only during/after an interrupted ``rotate``
    audit.head         newest (seq, mac) of the audit chain, MAC'd
    casustafel.lock    OS lock + "in use by ... since ..." note while open
    backups/           automatic rotating backups (same slots, same encryption)
"""

from __future__ import annotations

DB_NAME = "casustafel.db"
SLOTS_NAME = "keyslots.json"
PENDING_NAME = "keyslots.pending"
HEAD_NAME = "audit.head"
LOCK_NAME = "casustafel.lock"
BACKUP_DIR = "backups"
