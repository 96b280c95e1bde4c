-- Schema version 10: signal handling in the ondermijning profile (OND 1.21-1.34, Bijlagen 1,
-- 3, 7 and 9).  These tables hold only non-personal facts: codes from the profile, dates,
-- yes/no answers and ids.  Everything told about a person (the cause of the signal, its
-- description, the explanation of the weight assessment) is an item of the case, which the
-- key layer encrypts per item (issue 9); the rows here point at those items.

-- Ontvangst en intake (OND 1.27, 9.2; Bijlage 3, Bijlage 6): one per case.  Who brought
-- the signal (1.22): a covenant party, or a kind of outside source (the protocol names the
-- citizen, the professional and Meld Misdaad Anoniem; Bijlage 6 also "anoniem").
CREATE TABLE ond_intakes (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    source_kind         TEXT NOT NULL
                        CHECK (source_kind IN ('party', 'burger', 'professional', 'mma',
                                               'anoniem')),
    source_party        TEXT,
    reported_on         TEXT NOT NULL,                -- melddatum
    cause_item_id       INTEGER NOT NULL REFERENCES items(id),
    description_item_id INTEGER REFERENCES items(id),
    municipal_task      TEXT,                         -- Bijlage 9 id; NULL: none applies
    on_territory        INTEGER NOT NULL CHECK (on_territory IN (0, 1)),
    recorded_by         TEXT NOT NULL,
    recorded_at         TEXT NOT NULL,
    CHECK ((source_kind = 'party') = (source_party IS NOT NULL))
);

-- Bijlage 3: "Het Signaal is voldoende als het tenminste één ondermijningssignaal bevat".
CREATE TABLE ond_intake_indicators (
    intake_id INTEGER NOT NULL REFERENCES ond_intakes(id),
    indicator TEXT NOT NULL,                          -- Bijlage 1 id
    PRIMARY KEY (intake_id, indicator)
);

-- Zwaarte signaal (OND 1.28, 9.3; Bijlage 7): each assessment is kept; the latest counts.
-- Bijlage 7: "wordt vastgelegd en toegelicht": the explanation is an item.
CREATE TABLE ond_weight_assessments (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    heavy               INTEGER NOT NULL CHECK (heavy IN (0, 1)),
    explanation_item_id INTEGER NOT NULL REFERENCES items(id),
    assessed_by         TEXT NOT NULL,
    assessed_at         TEXT NOT NULL
);
CREATE INDEX ond_weight_case ON ond_weight_assessments(case_id);

CREATE TABLE ond_weight_criteria (
    assessment_id INTEGER NOT NULL REFERENCES ond_weight_assessments(id),
    criterion     TEXT NOT NULL,                      -- Bijlage 7 id
    PRIMARY KEY (assessment_id, criterion)
);

-- Bronnenonderzoek (OND 1.29, 9.4): per municipal source consulted, the answer to the
-- hit / no hit question and, for a hit, whether it is relevant to the signal.  What a hit
-- found is provided by the department as an item of its own, not written here.
CREATE TABLE ond_source_checks (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    source      TEXT NOT NULL,                        -- the department (party id)
    register    TEXT NOT NULL,                        -- data category consulted
    hit         INTEGER NOT NULL CHECK (hit IN (0, 1)),
    relevant    INTEGER CHECK (relevant IN (0, 1)),
    checked_on  TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK ((hit = 1) = (relevant IS NOT NULL))
);
CREATE INDEX ond_source_case ON ond_source_checks(case_id);

-- Overleg (OND 1.23, 1.31, 1.34; Bijlage 3 'Overleg'): the signal becomes a casus, does not,
-- or goes to the RIEC.  A later overleg (after regie) may decide again: the latest counts.
CREATE TABLE ond_decisions (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    outcome     TEXT NOT NULL CHECK (outcome IN ('casus', 'geen_casus', 'riec')),
    meeting_id  INTEGER REFERENCES meetings(id),
    decided_on  TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX ond_decisions_case ON ond_decisions(case_id);

-- Bijlage 3 'Overleg': which tasks and powers of Bijlage 9 the municipality will use.
CREATE TABLE ond_decision_tasks (
    decision_id INTEGER NOT NULL REFERENCES ond_decisions(id),
    task        TEXT NOT NULL,
    PRIMARY KEY (decision_id, task)
);

-- Opschaling (OND 1.34, 23.1): what the RIEC receives, recorded in writing by the
-- coordinator.  Each item also gets a row in the disclosure register (channel 'export',
-- document_id as here); this table says which items went together and on what basis.
CREATE TABLE ond_riec_transfers (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    decision_id    INTEGER NOT NULL REFERENCES ond_decisions(id),
    recipient      TEXT NOT NULL,
    document_id    TEXT NOT NULL UNIQUE,
    transferred_by TEXT NOT NULL,
    transferred_at TEXT NOT NULL
);
CREATE INDEX ond_riec_case ON ond_riec_transfers(case_id);

CREATE TABLE ond_riec_items (
    transfer_id INTEGER NOT NULL REFERENCES ond_riec_transfers(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    category    TEXT NOT NULL,
    PRIMARY KEY (transfer_id, item_id)
);

-- The registers above record what happened; like the disclosure register they are never
-- rewritten.  A new assessment or decision is a new row.
CREATE TRIGGER ond_weight_no_update BEFORE UPDATE ON ond_weight_assessments
BEGIN SELECT RAISE(ABORT, 'weight assessments are append-only'); END;
CREATE TRIGGER ond_decisions_no_update BEFORE UPDATE ON ond_decisions
BEGIN SELECT RAISE(ABORT, 'overleg decisions are append-only'); END;
CREATE TRIGGER ond_riec_no_update BEFORE UPDATE ON ond_riec_transfers
BEGIN SELECT RAISE(ABORT, 'RIEC transfers are append-only'); END;
