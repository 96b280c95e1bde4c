-- Schema version 11: the privacy officer's workbench (issue 11).  Data-subject requests
-- (ZVH 17-20), the breach register (ZVH 14), and the indexes the registers are filtered by.
-- See app.services.requests, app.services.breaches, app.services.registers.

-- A data-subject request (ZVH 18.1 a-h).  The identity the person gave (name, date of
-- birth) is personal data: it is encrypted (AES-GCM, like item content) with a key of the
-- request's own, sealed in dsr_keys to the privacy officers and the procesregisseurs who
-- look for the person in their cases; the rest is process metadata.
CREATE TABLE dsr_requests (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('inzage', 'correction', 'completion',
                                                    'erasure', 'restriction', 'objection')),
    received_on       TEXT NOT NULL,               -- date the request came in
    verified_how      TEXT NOT NULL,               -- how the identity was verified
    verified_by       TEXT NOT NULL,               -- username of who verified it
    deadline_on       TEXT NOT NULL,               -- received_on + 4 weeks (ZVH 18.1)
    extended_until    TEXT,                        -- a recorded extension ...
    extension_reason  TEXT,                        -- ... and its reason
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'closed')),
    answer            TEXT,                        -- the answer given, on closing
    answered_on       TEXT,
    identity          BLOB NOT NULL,               -- AES-GCM of the identity JSON
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX dsr_requests_status ON dsr_requests(status, deadline_on);

-- The request's key, sealed to one principal ('user:<name>') by another.
CREATE TABLE dsr_keys (
    request_id     INTEGER NOT NULL REFERENCES dsr_requests(id),
    holder         TEXT NOT NULL,
    holder_version INTEGER NOT NULL,
    sealer         TEXT NOT NULL,
    sealer_version INTEGER NOT NULL,
    sealed         BLOB NOT NULL,
    PRIMARY KEY (request_id, holder)
) WITHOUT ROWID;

-- The persons (per case) a request is about, as the case's procesregisseur found them.
-- While an inzage request is open, the keys of these persons' items (not police or OM
-- items, ZVH 17.5-17.6) are sealed to the officer who registered it (app.services.keys),
-- and only when a signed ``request.link`` entry by that director vouches for the row.
CREATE TABLE dsr_subjects (
    request_id  INTEGER NOT NULL REFERENCES dsr_requests(id),
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    linked_by   TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (request_id, person_id)
) WITHOUT ROWID;
CREATE INDEX dsr_subjects_person ON dsr_subjects(person_id);

-- Work a request puts with a party: a providing party decides on correction, completion,
-- erasure, restriction or objection for its items, or whether to withhold an item from an
-- inzage (ZVH 9.5, 10.1, 18.1); police and OM get the request routed (ZVH 17.5-17.6).
CREATE TABLE dsr_tasks (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES dsr_requests(id),
    party_id    TEXT NOT NULL,
    case_id     INTEGER REFERENCES cases(id),
    kind        TEXT NOT NULL CHECK (kind IN ('decide', 'routed')),
    created_at  TEXT NOT NULL,
    done_at     TEXT,
    done_by     TEXT,
    outcome     TEXT                               -- e.g. 'corrected', 'refused', 'none'
);
CREATE INDEX dsr_tasks_party ON dsr_tasks(party_id, done_at);

-- What a providing party withholds from an inzage, with its reason (ZVH 18.1; AVG 23).
CREATE TABLE dsr_withheld (
    request_id  INTEGER NOT NULL REFERENCES dsr_requests(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    party_id    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (request_id, item_id)
) WITHOUT ROWID;

-- Breach register (ZVH 14; AVG 33-34).  No personal data of the persons concerned: the
-- fields describe kinds and numbers.  The clock runs from discovered_at.
CREATE TABLE breaches (
    id                  INTEGER PRIMARY KEY,
    discovered_at       TEXT NOT NULL,             -- UTC, when the breach was discovered
    reported_by         TEXT NOT NULL,             -- username who registered it
    nature              TEXT NOT NULL,
    data_concerned      TEXT NOT NULL,
    persons_concerned   TEXT NOT NULL,             -- kinds and number, no names
    consequences        TEXT NOT NULL DEFAULT '',
    measures            TEXT NOT NULL DEFAULT '',
    notification_text   TEXT NOT NULL DEFAULT '',
    officer_informed_at TEXT,                      -- within 24 hours (ZVH 14)
    ap_notified_at      TEXT,                      -- within 72 hours (AVG 33)
    ap_not_required     TEXT,                      -- why no notification is needed
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at           TEXT,
    created_at          TEXT NOT NULL
);

-- The registers are filtered by these (the 10k store holds hundreds of thousands of
-- disclosure rows; no filter may need a full scan).
CREATE INDEX IF NOT EXISTS items_person ON items(person_id);
CREATE INDEX disclosures_case ON disclosures(case_id);
CREATE INDEX disclosures_time ON disclosures(disclosed_at);
CREATE INDEX disclosures_provider ON disclosures(provider_party);
CREATE INDEX audit_user ON audit(username, seq);
CREATE INDEX audit_name ON audit(name, seq);
CREATE INDEX audit_time ON audit(start_time);
-- The audit viewer's case filter: most entries name their case in the attributes (the
-- reference; a disclosure its case id).  An expression index keeps that filter off a scan
-- of the whole trail.
CREATE INDEX audit_case ON audit(json_extract(attributes, '$.case'));

-- The inzage report (ZVH 18.1) and the destruction report (proces-verbaal van
-- vernietiging, issue 12) are reports of their own kinds.  SQLite cannot change a CHECK
-- constraint in place: the register is rebuilt with its rows (as in schema 9).
CREATE TABLE reports_new (
    document_id     TEXT PRIMARY KEY,
    audit_seq       INTEGER NOT NULL,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('plan', 'voortgang', 'afsluiting', 'notulen', 'agenda',
                                    'inzage', 'vernietiging')),
    recipient       TEXT NOT NULL,
    case_reference  TEXT,
    meeting_id      INTEGER,
    language        TEXT NOT NULL,
    period_from     TEXT,
    period_to       TEXT,
    pages           INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    categories      TEXT NOT NULL DEFAULT '[]',
    items           INTEGER NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
INSERT INTO reports_new(document_id, audit_seq, kind, recipient, case_reference, meeting_id,
                        language, period_from, period_to, pages, sha256, categories, items,
                        created_by, created_at)
    SELECT document_id, audit_seq, kind, recipient, case_reference, meeting_id, language,
           period_from, period_to, pages, sha256, categories, items, created_by, created_at
    FROM reports ORDER BY rowid;
-- DROP TABLE fires no triggers: the append-only triggers go with the old table.
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_case ON reports(case_reference);
CREATE INDEX reports_meeting ON reports(meeting_id);
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'report register is append-only'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'report register is append-only'); END;

-- When a providing party acts on a request (erasure, restriction, objection), the parties
-- that received the item are told, as for a correction (ZVH 9.5, 10.1).  The notices table
-- is rebuilt with the new kinds.
CREATE TABLE notices_new (
    id              INTEGER PRIMARY KEY,
    party_id        TEXT NOT NULL,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    kind            TEXT NOT NULL CHECK (kind IN ('consent_withdrawn', 'item_corrected',
                                                  'item_erased', 'item_restricted',
                                                  'item_objected')),
    object_id       INTEGER NOT NULL,
    source_party    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
);
INSERT INTO notices_new(id, party_id, case_id, kind, object_id, source_party, created_at,
                        acknowledged_at, acknowledged_by)
    SELECT id, party_id, case_id, kind, object_id, source_party, created_at, acknowledged_at,
           acknowledged_by FROM notices ORDER BY id;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_party ON notices(party_id, acknowledged_at);
