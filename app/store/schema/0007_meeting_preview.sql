-- Schema version 7: what participants may see before the meeting is decided by the
-- procesregisseur with the registering party, and only where the provider accords
-- (ZVH 13.2, sixth indent).  One row per case on an agenda: who decided, with which party.

CREATE TABLE meeting_previews (
    meeting_id  INTEGER NOT NULL,
    case_id     INTEGER NOT NULL,
    decided_by  TEXT NOT NULL,                     -- the case's procesregisseur
    with_party  TEXT NOT NULL,                     -- the registering party
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (meeting_id, case_id),
    FOREIGN KEY (meeting_id, case_id) REFERENCES agenda(meeting_id, case_id)
);
