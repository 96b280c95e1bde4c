-- Schema version 14: the joint record under its own keys (issue 9, point 1).
-- The words of the joint record (goals, actions, decisions, progress entries and the
-- discussion notes of a meeting) are encrypted per row, as items are: ``content`` is
-- AES-256-GCM of the text under a key of its own (generation ``key_gen``), ``text``
-- becomes ''.  The row key is sealed in ``joint_keys`` to each principal the policy
-- shows that row at some time (app.services.joint_seal), so a user with the data key
-- and a script reads only the joint record of the cases their party sits at.  Dates,
-- statuses, owner parties and the links between rows stay readable: the key work and
-- the process metadata need them.  The triggers of schema 13 already let ``text``
-- become '' and say nothing about the new columns, so encrypting an existing row and
-- re-keying it are allowed and overwriting its words is still refused.

ALTER TABLE goals ADD COLUMN content BLOB;
ALTER TABLE goals ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE goals ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN content BLOB;
ALTER TABLE actions ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN content BLOB;
ALTER TABLE decisions ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN content BLOB;
ALTER TABLE progress ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE progress ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agenda_notes ADD COLUMN content BLOB;
ALTER TABLE agenda_notes ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agenda_notes ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;

-- One seal per row and holder, as item_keys: kind is goal, action, decision, progress
-- or note; case_id lets destruction and the key work find a case's seals at once.
CREATE TABLE joint_keys (
    kind           TEXT NOT NULL,
    row_id         INTEGER NOT NULL,
    case_id        INTEGER NOT NULL,
    key_gen        INTEGER NOT NULL,
    holder         TEXT NOT NULL,
    holder_version INTEGER NOT NULL,
    sealer         TEXT NOT NULL,
    sealer_version INTEGER NOT NULL,
    sealed         BLOB NOT NULL,
    PRIMARY KEY (kind, row_id, holder)
) WITHOUT ROWID;
CREATE INDEX joint_keys_case ON joint_keys(case_id);

-- Rows still in clear (written since the last key work, or from before this version):
-- the key work before each commit finds them through these small indexes.
CREATE INDEX goals_clear ON goals(case_id) WHERE content IS NULL AND text != '';
CREATE INDEX actions_clear ON actions(case_id) WHERE content IS NULL AND text != '';
CREATE INDEX decisions_clear ON decisions(case_id) WHERE content IS NULL AND text != '';
CREATE INDEX progress_clear ON progress(case_id) WHERE content IS NULL AND text != '';
CREATE INDEX agenda_notes_clear ON agenda_notes(case_id)
    WHERE content IS NULL AND text != '';
