-- Schema version 2: the casework of the casusoverleg (issue "Cases, covenant profiles and
-- the policy engine").  Parties, phases and categories are ids from the store's profile.

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    reference             TEXT NOT NULL UNIQUE,
    phase                 TEXT NOT NULL,
    registering_party     TEXT NOT NULL,            -- aanmeldende partij
    procesregisseur       TEXT REFERENCES users(username),
    casusregisseur        TEXT REFERENCES users(username),
    casusregisseur_party  TEXT,
    themes                TEXT NOT NULL DEFAULT '[]', -- JSON list of theme codes
    goal                  TEXT NOT NULL DEFAULT '',   -- goal of the overleg (joint record)
    opened_at             TEXT NOT NULL,
    closed_at             TEXT,                      -- afschaling / afsluiting date
    close_reason          TEXT,
    close_basis           TEXT,
    updated_at            TEXT NOT NULL
);
CREATE INDEX cases_phase ON cases(phase);
CREATE INDEX cases_updated ON cases(updated_at);

CREATE TABLE phase_history (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    phase       TEXT NOT NULL,
    entered_at  TEXT NOT NULL,
    entered_by  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX phase_history_case ON phase_history(case_id);

-- Betrokkenen: identity data lives in items (so it passes the policy like any other data).
CREATE TABLE persons (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    category            TEXT NOT NULL,              -- profile subject category
    label               TEXT NOT NULL,              -- pseudonymous label, e.g. "B1"
    informed_status     TEXT NOT NULL DEFAULT 'unknown'
                        CHECK (informed_status IN ('unknown', 'informed', 'not_informed')),
    informed_on         TEXT,
    not_informed_reason TEXT,
    informed_expected   TEXT,
    review_on           TEXT,
    review_interval_days INTEGER
);
CREATE INDEX persons_case ON persons(case_id);

CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    person_id       INTEGER REFERENCES persons(id),
    kind            TEXT NOT NULL CHECK (kind IN ('text', 'field', 'address')),
    field           TEXT NOT NULL DEFAULT '',       -- structured field name (name, phone, ...)
    body            TEXT NOT NULL,
    structured      TEXT,                           -- JSON, e.g. address parts
    source_party    TEXT NOT NULL,
    category        TEXT NOT NULL,
    phase           TEXT NOT NULL,                  -- phase in which it was provided
    legal_basis     TEXT NOT NULL,
    provided_on     TEXT NOT NULL,
    incident_class  TEXT,                           -- dagmonitor class for addresses
    created_by      TEXT NOT NULL,
    corrected_at    TEXT
);
CREATE INDEX items_case ON items(case_id);

CREATE TABLE grants (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    item_id         INTEGER REFERENCES items(id),   -- NULL: all the provider's items
    category        TEXT,                           -- NULL: every category
    provider_party  TEXT NOT NULL,
    recipient_party TEXT NOT NULL,
    phase           TEXT,                           -- grant for a phase ...
    meeting_id      INTEGER REFERENCES meetings(id),-- ... or for one meeting
    legal_basis     TEXT NOT NULL,
    granted_by      TEXT NOT NULL,
    granted_at      TEXT NOT NULL,
    revoked_at      TEXT,
    revoked_by      TEXT
);
CREATE INDEX grants_case ON grants(case_id);

CREATE TABLE consents (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    source_party    TEXT,                           -- whose data may flow; NULL: any
    recipient_party TEXT,                           -- to whom; NULL: parties of the case
    category        TEXT,                           -- NULL: every category
    purpose         TEXT NOT NULL DEFAULT '',
    given_on        TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    withdrawn_on    TEXT,
    withdrawn_by    TEXT
);
CREATE INDEX consents_case ON consents(case_id);

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    starts_at   TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    chair       TEXT REFERENCES users(username),
    notulist    TEXT REFERENCES users(username),
    status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held'))
);
CREATE INDEX meetings_start ON meetings(starts_at);

CREATE TABLE attendees (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    party_id    TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',           -- delegate's name (a professional)
    present     INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (meeting_id, party_id)
);

CREATE TABLE agenda (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, case_id)
);
CREATE INDEX agenda_case ON agenda(case_id);

CREATE TABLE invitations (          -- parties invited per agenda case (ZVH 13.2)
    meeting_id  INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    party_id    TEXT NOT NULL,
    invited     INTEGER NOT NULL DEFAULT 1,        -- 0: present, not invited, left the room
    left_room   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, case_id, party_id),
    FOREIGN KEY (meeting_id, case_id) REFERENCES agenda(meeting_id, case_id)
);
CREATE INDEX invitations_case ON invitations(case_id);

CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    meeting_id  INTEGER REFERENCES meetings(id),
    text        TEXT NOT NULL,
    decided_on  TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX decisions_case ON decisions(case_id);

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    text        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reached', 'not_reached')),
    created_on  TEXT NOT NULL
);
CREATE INDEX goals_case ON goals(case_id);

CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    goal_id     INTEGER REFERENCES goals(id),
    meeting_id  INTEGER REFERENCES meetings(id),
    text        TEXT NOT NULL,
    owner_party TEXT NOT NULL,
    due_on      TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    created_on  TEXT NOT NULL
);
CREATE INDEX actions_case ON actions(case_id);

CREATE TABLE progress (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    action_id   INTEGER REFERENCES actions(id),
    text        TEXT NOT NULL,
    entry_on    TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX progress_case ON progress(case_id);

-- Verstrekkingenregister (ZVH 8.1): one row per disclosure of FULL content to another party.
CREATE TABLE disclosures (
    id              INTEGER PRIMARY KEY,
    audit_seq       INTEGER NOT NULL,               -- the chained audit entry it belongs to
    item_id         INTEGER NOT NULL REFERENCES items(id),
    case_id         INTEGER NOT NULL,
    provider_party  TEXT NOT NULL,
    recipient_party TEXT NOT NULL,
    username        TEXT NOT NULL,
    purpose         TEXT NOT NULL,                  -- phase / processing activity
    legal_basis     TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('screen', 'report', 'export')),
    document_id     TEXT,
    disclosed_at    TEXT NOT NULL
);
CREATE INDEX disclosures_item ON disclosures(item_id);
CREATE INDEX disclosures_recipient ON disclosures(recipient_party);
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosure register is append-only'); END;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosure register is append-only'); END;
