-- Schema version 12: retention and destruction (issue 12).  The clocks are profile data
-- (resources/profiles/*.toml [[retention.clocks]]); app.policy.retention computes what is
-- due, app.services.retention destroys it, app.store.destruction holds the SQL that
-- destroys (also applied to the backups in the store folder and replayed on restore).
-- See docs/security.md, "Retention and destruction".

-- A motivated decision to keep a case longer, recorded in the file (ZVH 11.3-11.5), each
-- time for at most extension_years (11.4).  The motivation is part of the file: it is
-- destroyed with the case.
CREATE TABLE retention_extensions (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    rule         TEXT NOT NULL,                 -- the clock id of the profile
    due_before   TEXT NOT NULL,                 -- the due date this extension moves
    until_on     TEXT NOT NULL,                 -- the new due date
    motivation   TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    audit_seq    INTEGER NOT NULL               -- the retention.extend entry
);
CREATE INDEX retention_extensions_case ON retention_extensions(case_id);

-- One row per destruction run (and per run replayed from this computer's ledger into a
-- restored copy).  run_uid names the run in the ledgers; no personal data.
CREATE TABLE retention_runs (
    id           INTEGER PRIMARY KEY,
    run_uid      TEXT NOT NULL UNIQUE,
    audit_seq    INTEGER NOT NULL,              -- retention.run / retention.replay entry
    run_on       TEXT NOT NULL,                 -- the day the run applied the clocks to
    approved_by  TEXT NOT NULL,                 -- username (a professional)
    document_id  TEXT,                          -- the proces-verbaal (reports register)
    cases        INTEGER NOT NULL DEFAULT 0,
    items        INTEGER NOT NULL DEFAULT 0,
    register_lines INTEGER NOT NULL DEFAULT 0,
    replayed     INTEGER NOT NULL DEFAULT 0,    -- 1: replayed from the ledger
    created_at   TEXT NOT NULL
);

-- The destruction ledger: what was destroyed, by which run and rule.  Ids only.
CREATE TABLE destroyed (
    kind         TEXT NOT NULL CHECK (kind IN ('case', 'item')),
    object_id    INTEGER NOT NULL,
    run_uid      TEXT NOT NULL,
    rule         TEXT NOT NULL,
    PRIMARY KEY (kind, object_id)
) WITHOUT ROWID;

-- What remains of a destroyed case or item is non-personal management metadata (ZVH 11.7);
-- the date says it was destroyed (views show "destroyed", the key work leaves it alone).
ALTER TABLE cases ADD COLUMN destroyed_on TEXT;
ALTER TABLE items ADD COLUMN destroyed_on TEXT;

-- Every backup made, with its place and date: a backup outside the store folder may still
-- hold copies under the old keys after a destruction, so the proces-verbaal lists them.
CREATE TABLE backup_places (
    id           INTEGER PRIMARY KEY,
    place        TEXT NOT NULL,                 -- the folder as resolved when made
    internal     INTEGER NOT NULL,              -- 1: inside <store>/backups (cleaned by runs)
    made_at      TEXT NOT NULL
);
