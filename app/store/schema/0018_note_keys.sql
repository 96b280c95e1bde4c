-- Schema version 18: the case's own notes under row keys (issue 9, point 1).
-- A consent's purpose and the written basis of a weighing or reporting right (ZVH 7.2,
-- 13.6), and the note a user gives with a phase change, are free text about the person
-- and the case.  As the joint record's rows (schema 14) they are encrypted per row:
-- ``content`` is AES-256-GCM of a JSON object of the row's note fields under a key of
-- its own (generation ``key_gen``), and the clear columns become ''.  A consent's key
-- is sealed to whom the case view shows the consent (its source party, the parties it
-- names, the case's director: app.policy.consent_view); a phase note's key to whoever
-- sees the table's record (as the plan, schema 15).  Kinds 'consent' and 'phase' in
-- joint_keys.

ALTER TABLE consents ADD COLUMN content BLOB;
ALTER TABLE consents ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consents ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;
ALTER TABLE phase_history ADD COLUMN content BLOB;
ALTER TABLE phase_history ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE phase_history ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;

-- Notes still in clear: the key work before each commit finds them through these.
CREATE INDEX consents_clear ON consents(case_id)
    WHERE content IS NULL AND (purpose != '' OR basis_note != '');
CREATE INDEX phase_history_clear ON phase_history(case_id)
    WHERE content IS NULL AND note != '';
