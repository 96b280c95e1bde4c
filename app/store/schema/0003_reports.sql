-- Schema version 3: the register of generated reports (issue "Reports: Plan van aanpak,
-- voortgangsrapportage, afsluitrapportage and notulen as redacted PDFs").  One row per PDF
-- made, next to its chained audit entry and its rows in the disclosure register (which
-- carry the same document_id).  The PDF itself is never stored: only its SHA-256, so a
-- copy that turns up can be identified and checked.

CREATE TABLE reports (
    document_id     TEXT PRIMARY KEY,                -- printed on every page
    audit_seq       INTEGER NOT NULL,                -- the "report.generate" audit entry
    kind            TEXT NOT NULL
                    CHECK (kind IN ('plan', 'voortgang', 'afsluiting', 'notulen')),
    recipient       TEXT NOT NULL,                   -- party id, or "table:" + sorted ids
    case_reference  TEXT,                            -- per-case reports
    meeting_id      INTEGER,                         -- notulen, or the table's meeting
                                                     -- (no FK: destruction may remove it)
    language        TEXT NOT NULL,
    period_from     TEXT,                            -- voortgangsrapportage
    period_to       TEXT,
    pages           INTEGER NOT NULL,
    sha256          TEXT NOT NULL,                   -- of the PDF bytes
    categories      TEXT NOT NULL DEFAULT '[]',      -- JSON: data categories shown in full
    items           INTEGER NOT NULL DEFAULT 0,      -- items shown in full
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX reports_case ON reports(case_reference);
CREATE INDEX reports_meeting ON reports(meeting_id);
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'report register is append-only'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'report register is append-only'); END;
