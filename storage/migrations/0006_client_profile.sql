-- What the RM knows about a client beyond contacts (issue 19): family members, hobbies, risk level,
-- preferred channel and time, cautions, assets at other banks. One row per fact, with the note it
-- came from (Undo of the note takes it away) or NULL when typed on the card or imported. The client
-- follows the note: NULL while the note waits for the RM to pick its client.
-- kind: family | hobby | risk | channel | time | caution | other_bank (bot/client_profile.py);
-- value: JSON for family and other_bank, text otherwise.
CREATE TABLE client_facts (
    id         INTEGER PRIMARY KEY,
    rm_id      INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    client_id  INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    noted_on   TEXT    NOT NULL,           -- YYYY-MM-DD: when the RM learnt it (a risk level's assessment date)
    created_at TEXT    NOT NULL
);
CREATE INDEX client_facts_by_client ON client_facts (rm_id, client_id, kind);
