-- Schema version 17: why a row of the joint record was corrected, under the row's key
-- (issue 9, point 1).  The reason a user gives for a correction (schema 13) is kept on the
-- row it replaced and may describe the case as much as the words did.  ``reason_content``
-- is AES-256-GCM of the reason under that row's key and generation (bound to store, kind,
-- row and generation, with its own label), and ``correction_reason`` becomes '': whoever
-- holds the row's words holds why they were replaced, and nobody else.  Re-keying a row
-- encrypts its reason again with its words.  The triggers of schema 13 already let the
-- reason become '' on a kept row and say nothing about the new column.

ALTER TABLE goals ADD COLUMN reason_content BLOB;
ALTER TABLE actions ADD COLUMN reason_content BLOB;
ALTER TABLE decisions ADD COLUMN reason_content BLOB;
ALTER TABLE progress ADD COLUMN reason_content BLOB;

-- Reasons still in clear: the key work before each commit finds them through these.
CREATE INDEX goals_reason_clear ON goals(case_id) WHERE correction_reason != '';
CREATE INDEX actions_reason_clear ON actions(case_id) WHERE correction_reason != '';
CREATE INDEX decisions_reason_clear ON decisions(case_id) WHERE correction_reason != '';
CREATE INDEX progress_reason_clear ON progress(case_id) WHERE correction_reason != '';
