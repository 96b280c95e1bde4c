-- Schema version 20: why a warned party is invited anyway, under a row key (issue 9,
-- point 1).  The chair records why a party is invited for a case although it may not
-- lawfully be present as things stand (ZVH 13.2; police data only to the recipients of the
-- art. 20 Wpg decision, ZVH 6.4d, 7.1).  That reason is free text about the case, and it
-- was readable under the data key.  ``invitations`` has no row id that survives a VACUUM
-- (its key is meeting, case, party), so the reasons move to a table of their own that has
-- one, as a note of kind 'invitation' (schema 18): ``content`` is AES-256-GCM of
-- {"reason": ...} under a row key sealed to whoever sees the table's record, as a phase
-- note is; the clear ``reason`` becomes ''.

CREATE TABLE invitation_reasons (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    party_id    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    content     BLOB,
    key_gen     INTEGER NOT NULL DEFAULT 0,
    rekey_due   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (meeting_id, case_id, party_id)
);
CREATE INDEX invitation_reasons_case ON invitation_reasons(case_id);
-- Reasons still in clear: the key work before each commit finds them through this.
CREATE INDEX invitation_reasons_clear ON invitation_reasons(case_id)
    WHERE content IS NULL AND reason != '';

INSERT INTO invitation_reasons(meeting_id, case_id, party_id, reason)
    SELECT meeting_id, case_id, party_id, reason FROM invitations WHERE reason != '';
-- secure_delete is on: the page keeps no copy of the words.
UPDATE invitations SET reason = '' WHERE reason != '';
