-- Schema version 4: a consent names its source, recipients, categories and purpose, who gave
-- it, in which form, and that the person was told they may withdraw it (ZVH 6.4l, 7.2,
-- 13.7).  A professional's own weighing or a legal reporting right (meldrecht) can be
-- recorded instead, with its basis.  Notices tell a party what changed about data it
-- received (consent withdrawn; later: item corrected, WO 7.2, ZVH 9.5, 10.1).

ALTER TABLE consents ADD COLUMN recipients TEXT;          -- JSON list of party ids
ALTER TABLE consents ADD COLUMN categories TEXT;          -- JSON list of data categories
ALTER TABLE consents ADD COLUMN basis TEXT NOT NULL DEFAULT 'consent'
    CHECK (basis IN ('consent', 'weighing', 'meldrecht'));
ALTER TABLE consents ADD COLUMN basis_note TEXT NOT NULL DEFAULT '';
ALTER TABLE consents ADD COLUMN given_by TEXT NOT NULL DEFAULT 'person'
    CHECK (given_by IN ('person', 'representative', 'professional'));
ALTER TABLE consents ADD COLUMN form TEXT NOT NULL DEFAULT 'written'
    CHECK (form IN ('written', 'oral', 'digital', 'none'));
ALTER TABLE consents ADD COLUMN told_withdrawal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consents ADD COLUMN on_behalf_of TEXT;        -- provider, when the director recorded it

-- Version 3 consents named one recipient and one category, or none ("any"): a blanket
-- consent without source or recipient is no consent (ZVH 7.2), so those rows get no list
-- and cover nothing from now on.
UPDATE consents SET
    recipients = CASE WHEN recipient_party IS NULL THEN '[]' ELSE json_array(recipient_party) END,
    categories = CASE WHEN category IS NULL THEN '[]' ELSE json_array(category) END;

CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    party_id        TEXT NOT NULL,                  -- the party told
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    kind            TEXT NOT NULL CHECK (kind IN ('consent_withdrawn', 'item_corrected')),
    object_id       INTEGER NOT NULL,               -- the consent or item concerned
    source_party    TEXT NOT NULL,                  -- whose data
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
);
CREATE INDEX notices_party ON notices(party_id, acknowledged_at);
