-- Schema version 9: the casework done in the app, from melding to afschaling and the
-- meeting from planning to minutes (issue "Run the casework in Casustafel").

-- A new melding about a person known from a closed case is linked to it (ZVH 11.6).
ALTER TABLE cases ADD COLUMN follows_case_id INTEGER REFERENCES cases(id);

-- A correction or completion is a new version of the item; the earlier one is kept for the
-- audit and points at its successor (WO 7.2, ZVH 9.5, 10.1).
ALTER TABLE items ADD COLUMN superseded_by INTEGER REFERENCES items(id);
ALTER TABLE items ADD COLUMN correction_note TEXT NOT NULL DEFAULT '';
-- Entered by the case's procesregisseur (intake, triage): the procesregisseur's, not their
-- party's (ZVH 9.6).  Kept as a fact of the item so a hand-over moves it to the new
-- director instead of handing it to the old director's party.
ALTER TABLE items ADD COLUMN by_director INTEGER NOT NULL DEFAULT 0;
UPDATE items SET by_director = (created_by = (SELECT procesregisseur FROM cases
                                             WHERE cases.id = items.case_id));
CREATE INDEX items_superseded ON items(superseded_by);

-- Closing a meeting marks it held and locks what it recorded: later entries are addenda.
ALTER TABLE meetings ADD COLUMN held_at TEXT;
ALTER TABLE meetings ADD COLUMN held_by TEXT;
ALTER TABLE decisions ADD COLUMN addendum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN addendum INTEGER NOT NULL DEFAULT 0;

-- Why the chair invited a party the app warned about (ZVH 13.2; art. 20 Wpg).
ALTER TABLE invitations ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- The discussion of an agenda case, besides decisions and actions (ZVH 15.2).
CREATE TABLE agenda_notes (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    addendum    INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (meeting_id, case_id) REFERENCES agenda(meeting_id, case_id)
);
CREATE INDEX agenda_notes_case ON agenda_notes(case_id);

-- The plan van aanpak as a working document (WO 1.21, ZVH 1.20, 9.4): besides the goal,
-- goals and actions, the problem, how the plan is monitored, how and by whom the
-- betrokkenen and the melder are told, and the criteria for afschaling (joint record).
ALTER TABLE cases ADD COLUMN plan_problem TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN plan_monitoring TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN plan_informing TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN plan_exit_criteria TEXT NOT NULL DEFAULT '';

-- The agenda for one invited party is a report of its own kind (issue 10, point 7).  SQLite
-- cannot change a CHECK constraint in place: the register is rebuilt with its rows.
CREATE TABLE reports_new (
    document_id     TEXT PRIMARY KEY,
    audit_seq       INTEGER NOT NULL,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('plan', 'voortgang', 'afsluiting', 'notulen', 'agenda')),
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
