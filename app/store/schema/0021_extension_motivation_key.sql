-- Schema version 21: the motivation of a retention extension under a row key (issue 9,
-- point 1).  The partners' motivated decision to keep a case longer (ZVH 11.3-11.5) is
-- free text about the case, kept in the file and shown nowhere; it was readable under the
-- data key.  As the case's own notes (schema 18): ``content`` is AES-256-GCM of
-- {"motivation": ...} under a row key sealed to the case's directors, who record it, and
-- the clear ``motivation`` becomes ''.  Kind 'extension' in joint_keys.

ALTER TABLE retention_extensions ADD COLUMN content BLOB;
ALTER TABLE retention_extensions ADD COLUMN key_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE retention_extensions ADD COLUMN rekey_due INTEGER NOT NULL DEFAULT 0;

-- Motivations still in clear: the key work before each commit finds them through this.
CREATE INDEX retention_extensions_clear ON retention_extensions(case_id)
    WHERE content IS NULL AND motivation != '';
