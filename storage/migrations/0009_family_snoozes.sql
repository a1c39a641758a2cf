-- A family member's birthday in the digest snoozes apart from the client's own (issue 19): snooze
-- kind 'family', item_id = the client_facts row that first named the member. SQLite cannot alter a
-- CHECK, so the table is rebuilt with its rows.
CREATE TABLE reminder_snoozes_new (
    rm_id   INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL CHECK (kind IN ('contact', 'birthday', 'maturity', 'family')),
    item_id INTEGER NOT NULL,                -- the client (contact, birthday), holding (maturity) or fact (family)
    until   TEXT    NOT NULL,                -- YYYY-MM-DD: hidden before this day
    PRIMARY KEY (rm_id, kind, item_id)
);
INSERT INTO reminder_snoozes_new (rm_id, kind, item_id, until) SELECT rm_id, kind, item_id, until FROM reminder_snoozes;
DROP TABLE reminder_snoozes;
ALTER TABLE reminder_snoozes_new RENAME TO reminder_snoozes;
