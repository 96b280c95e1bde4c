-- Schema version 8: the key follows the policy (issue 9).  Item content is encrypted with a
-- key of its own, sealed to the principals (parties, single users) that may read it; the
-- audit trail is signed by each acting user.  See app.crypto.envelope, app.store.keyring,
-- app.store.audit and docs/security.md.

-- Parties and users with key pairs.  One row per key version: old versions stay, because
-- seals and signatures made with them must still be checked.
CREATE TABLE principals (
    id           TEXT NOT NULL,            -- 'party:<party id>' or 'user:<username>'
    version      INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('party', 'user')),
    party_id     TEXT NOT NULL,
    box_public   BLOB NOT NULL,            -- X25519, 32 bytes
    certified_by TEXT,                     -- signing key id of who vouches; NULL: the root
    cert_sig     BLOB NOT NULL,            -- Ed25519 over the row (app.store.keyring)
    created_at   TEXT NOT NULL,
    PRIMARY KEY (id, version)
) WITHOUT ROWID;

-- Every signing key a user ever had (audit entries name the key that signed them).
CREATE TABLE signing_keys (
    key_id       TEXT PRIMARY KEY,         -- fingerprint of the public key
    username     TEXT NOT NULL,
    public       BLOB NOT NULL,            -- Ed25519, 32 bytes
    certified_by TEXT,                     -- key id that vouches; NULL: the root
    cert_sig     BLOB NOT NULL,
    created_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX signing_keys_user ON signing_keys(username);

-- A party's private key, sealed to each of its users who act for it (participants and
-- case directors; never support roles, minute takers or process directors).
CREATE TABLE party_key_seals (
    party_id      TEXT NOT NULL,
    party_version INTEGER NOT NULL,
    username      TEXT NOT NULL,
    user_version  INTEGER NOT NULL,
    sealed        BLOB NOT NULL,
    PRIMARY KEY (party_id, party_version, username)
) WITHOUT ROWID;

-- An item's key, sealed by one principal to another.
CREATE TABLE item_keys (
    item_id        INTEGER NOT NULL,
    key_gen        INTEGER NOT NULL,
    holder         TEXT NOT NULL,
    holder_version INTEGER NOT NULL,
    sealer         TEXT NOT NULL,
    sealer_version INTEGER NOT NULL,
    sealed         BLOB NOT NULL,
    PRIMARY KEY (item_id, holder)
) WITHOUT ROWID;
CREATE INDEX item_keys_holder ON item_keys(holder);

-- Items whose holders changed while the acting user could not open them: a holder of the
-- key re-seals (or re-keys) them at the next chance (app.services.keysync).
CREATE TABLE key_sync_due (
    case_id   INTEGER PRIMARY KEY,
    since     TEXT NOT NULL
);

ALTER TABLE items ADD COLUMN content BLOB;               -- AES-GCM of body + parts
ALTER TABLE items ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN has_parts INTEGER NOT NULL DEFAULT 0;
-- A holder lost access while the acting user could not open the item: the next holder
-- of its key re-encrypts it under a new key (app.services.keys).
ALTER TABLE items ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;

ALTER TABLE users ADD COLUMN must_renew INTEGER NOT NULL DEFAULT 0;

-- Signed entries: the hash of the entry (chained), the signing key's id and its signature.
ALTER TABLE audit ADD COLUMN signer TEXT;
ALTER TABLE audit ADD COLUMN sig TEXT;
-- Key work looks up the signed entry that vouches for a grant (app.services.keys).
CREATE INDEX audit_object ON audit(object_type, object_id);
