-- Schema version 1: store metadata, users, audit trail.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    username      TEXT PRIMARY KEY,          -- normalised (NFC, casefold)
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    party_id      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    removed_at    TEXT
);

-- Audit trail, fields after the Logboek Dataverwerkingen standard plus our own.
CREATE TABLE audit (
    seq                    INTEGER PRIMARY KEY,
    trace_id               TEXT NOT NULL,
    span_id                TEXT NOT NULL,
    parent_span_id         TEXT,
    name                   TEXT NOT NULL,
    status                 TEXT NOT NULL,
    start_time             TEXT NOT NULL,
    end_time               TEXT NOT NULL,
    username               TEXT NOT NULL,
    party_id               TEXT,
    object_type            TEXT,
    object_id              TEXT,
    processing_activity_id TEXT,
    data_subject_id        TEXT,
    data_subject_id_type   TEXT,
    attributes             TEXT NOT NULL,
    mac                    TEXT NOT NULL
);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
