-- Schema version 13: editing and correcting the joint record (issue 13 point 7).
-- app.services.joint_edit writes a correction of a goal, an action, a decision or a
-- progress entry as a new row; the corrected row keeps its text and points to its
-- successor (superseded_by), with when, by whom and why it was corrected, as items do
-- (app.services.corrections).  Views and reports show the current rows; the history
-- stays for the audit and the notulen.  A correction of what a closed meeting recorded
-- is an addendum (addendum = 1 on the new row): the notulen keep the version as agreed.

ALTER TABLE goals ADD COLUMN superseded_by INTEGER REFERENCES goals(id);
ALTER TABLE goals ADD COLUMN corrected_at TEXT;           -- UTC ISO
ALTER TABLE goals ADD COLUMN corrected_by TEXT;           -- username
ALTER TABLE goals ADD COLUMN correction_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE actions ADD COLUMN superseded_by INTEGER REFERENCES actions(id);
ALTER TABLE actions ADD COLUMN corrected_at TEXT;
ALTER TABLE actions ADD COLUMN corrected_by TEXT;
ALTER TABLE actions ADD COLUMN correction_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE decisions ADD COLUMN superseded_by INTEGER REFERENCES decisions(id);
ALTER TABLE decisions ADD COLUMN corrected_at TEXT;
ALTER TABLE decisions ADD COLUMN corrected_by TEXT;
ALTER TABLE decisions ADD COLUMN correction_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE progress ADD COLUMN superseded_by INTEGER REFERENCES progress(id);
ALTER TABLE progress ADD COLUMN corrected_at TEXT;
ALTER TABLE progress ADD COLUMN corrected_by TEXT;
ALTER TABLE progress ADD COLUMN correction_reason TEXT NOT NULL DEFAULT '';
-- The meeting a progress entry was recorded at (NULL before version 13 and outside a
-- meeting), so that its correction after the meeting closed is an addendum too.
ALTER TABLE progress ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);
ALTER TABLE progress ADD COLUMN addendum INTEGER NOT NULL DEFAULT 0;

CREATE INDEX goals_superseded ON goals(superseded_by) WHERE superseded_by IS NOT NULL;
CREATE INDEX actions_superseded ON actions(superseded_by) WHERE superseded_by IS NOT NULL;
CREATE INDEX decisions_superseded ON decisions(superseded_by)
    WHERE superseded_by IS NOT NULL;
CREATE INDEX progress_superseded ON progress(superseded_by) WHERE superseded_by IS NOT NULL;

-- The store's guarantees, per table:
-- * *_correct_once: a row is corrected once, by a later row of the same case;
-- * *_kept: a corrected row stays as it was (only destruction may blank its free text,
--   app.store.destruction, ZVH 11.7);
-- * *_no_overwrite: the words (and for actions the owner and deadline, for decisions
--   and progress the date) of a row are never changed in place: a correction is a new
--   row.  Destruction blanks the text ('') and is let through.  Statuses stay settable
--   on the current row (open, reached, done, cancelled).

CREATE TRIGGER goals_correct_once BEFORE UPDATE OF superseded_by ON goals
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL OR NOT EXISTS (
    SELECT 1 FROM goals n WHERE n.id = NEW.superseded_by AND n.case_id = OLD.case_id
    AND n.id > OLD.id)
BEGIN SELECT RAISE(ABORT, 'a joint record row is corrected once, by a later row'); END;
CREATE TRIGGER goals_kept BEFORE UPDATE ON goals
WHEN OLD.superseded_by IS NOT NULL AND (
    NEW.case_id IS NOT OLD.case_id OR NEW.status IS NOT OLD.status
    OR NEW.created_on IS NOT OLD.created_on OR NEW.corrected_at IS NOT OLD.corrected_at
    OR NEW.corrected_by IS NOT OLD.corrected_by
    OR (NEW.text IS NOT OLD.text AND NEW.text != '')
    OR (NEW.correction_reason IS NOT OLD.correction_reason AND NEW.correction_reason != ''))
BEGIN SELECT RAISE(ABORT, 'a corrected row of the joint record stays as it was'); END;
CREATE TRIGGER goals_no_overwrite BEFORE UPDATE OF text ON goals
WHEN NEW.text IS NOT OLD.text AND NEW.text != ''
BEGIN SELECT RAISE(ABORT, 'the joint record is corrected by a new row, not overwritten');
END;

CREATE TRIGGER actions_correct_once BEFORE UPDATE OF superseded_by ON actions
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL OR NOT EXISTS (
    SELECT 1 FROM actions n WHERE n.id = NEW.superseded_by AND n.case_id = OLD.case_id
    AND n.id > OLD.id)
BEGIN SELECT RAISE(ABORT, 'a joint record row is corrected once, by a later row'); END;
CREATE TRIGGER actions_kept BEFORE UPDATE ON actions
WHEN OLD.superseded_by IS NOT NULL AND (
    NEW.case_id IS NOT OLD.case_id OR NEW.status IS NOT OLD.status
    OR NEW.goal_id IS NOT OLD.goal_id OR NEW.meeting_id IS NOT OLD.meeting_id
    OR NEW.owner_party IS NOT OLD.owner_party OR NEW.due_on IS NOT OLD.due_on
    OR NEW.created_on IS NOT OLD.created_on OR NEW.addendum IS NOT OLD.addendum
    OR NEW.corrected_at IS NOT OLD.corrected_at OR NEW.corrected_by IS NOT OLD.corrected_by
    OR (NEW.text IS NOT OLD.text AND NEW.text != '')
    OR (NEW.correction_reason IS NOT OLD.correction_reason AND NEW.correction_reason != ''))
BEGIN SELECT RAISE(ABORT, 'a corrected row of the joint record stays as it was'); END;
CREATE TRIGGER actions_no_overwrite BEFORE UPDATE OF text, owner_party, due_on, meeting_id
ON actions
WHEN (NEW.text IS NOT OLD.text AND NEW.text != '') OR NEW.owner_party IS NOT OLD.owner_party
    OR NEW.due_on IS NOT OLD.due_on OR NEW.meeting_id IS NOT OLD.meeting_id
BEGIN SELECT RAISE(ABORT, 'the joint record is corrected by a new row, not overwritten');
END;

CREATE TRIGGER decisions_correct_once BEFORE UPDATE OF superseded_by ON decisions
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL OR NOT EXISTS (
    SELECT 1 FROM decisions n WHERE n.id = NEW.superseded_by AND n.case_id = OLD.case_id
    AND n.id > OLD.id)
BEGIN SELECT RAISE(ABORT, 'a joint record row is corrected once, by a later row'); END;
CREATE TRIGGER decisions_kept BEFORE UPDATE ON decisions
WHEN OLD.superseded_by IS NOT NULL AND (
    NEW.case_id IS NOT OLD.case_id OR NEW.meeting_id IS NOT OLD.meeting_id
    OR NEW.decided_on IS NOT OLD.decided_on OR NEW.recorded_by IS NOT OLD.recorded_by
    OR NEW.addendum IS NOT OLD.addendum
    OR NEW.corrected_at IS NOT OLD.corrected_at OR NEW.corrected_by IS NOT OLD.corrected_by
    OR (NEW.text IS NOT OLD.text AND NEW.text != '')
    OR (NEW.correction_reason IS NOT OLD.correction_reason AND NEW.correction_reason != ''))
BEGIN SELECT RAISE(ABORT, 'a corrected row of the joint record stays as it was'); END;
CREATE TRIGGER decisions_no_overwrite BEFORE UPDATE OF text, decided_on, meeting_id
ON decisions
WHEN (NEW.text IS NOT OLD.text AND NEW.text != '') OR NEW.decided_on IS NOT OLD.decided_on
    OR NEW.meeting_id IS NOT OLD.meeting_id
BEGIN SELECT RAISE(ABORT, 'the joint record is corrected by a new row, not overwritten');
END;

CREATE TRIGGER progress_correct_once BEFORE UPDATE OF superseded_by ON progress
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL OR NOT EXISTS (
    SELECT 1 FROM progress n WHERE n.id = NEW.superseded_by AND n.case_id = OLD.case_id
    AND n.id > OLD.id)
BEGIN SELECT RAISE(ABORT, 'a joint record row is corrected once, by a later row'); END;
CREATE TRIGGER progress_kept BEFORE UPDATE ON progress
WHEN OLD.superseded_by IS NOT NULL AND (
    NEW.case_id IS NOT OLD.case_id OR NEW.action_id IS NOT OLD.action_id
    OR NEW.entry_on IS NOT OLD.entry_on OR NEW.recorded_by IS NOT OLD.recorded_by
    OR NEW.meeting_id IS NOT OLD.meeting_id OR NEW.addendum IS NOT OLD.addendum
    OR NEW.corrected_at IS NOT OLD.corrected_at OR NEW.corrected_by IS NOT OLD.corrected_by
    OR (NEW.text IS NOT OLD.text AND NEW.text != '')
    OR (NEW.correction_reason IS NOT OLD.correction_reason AND NEW.correction_reason != ''))
BEGIN SELECT RAISE(ABORT, 'a corrected row of the joint record stays as it was'); END;
CREATE TRIGGER progress_no_overwrite BEFORE UPDATE OF text, entry_on, meeting_id
ON progress
WHEN (NEW.text IS NOT OLD.text AND NEW.text != '') OR NEW.entry_on IS NOT OLD.entry_on
    OR NEW.meeting_id IS NOT OLD.meeting_id
BEGIN SELECT RAISE(ABORT, 'the joint record is corrected by a new row, not overwritten');
END;
