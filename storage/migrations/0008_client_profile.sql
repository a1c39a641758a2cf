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

-- Asset reviews (seed 003's third sheet): a dated snapshot of everything the client holds, here and at
-- other banks, each with its currency and risk level, so the next review shows what changed.
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    rm_id       INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    reviewed_on TEXT    NOT NULL,          -- YYYY-MM-DD, the RM's local date
    created_at  TEXT    NOT NULL
);
CREATE INDEX reviews_by_client ON reviews (rm_id, client_id, reviewed_on);

CREATE TABLE review_items (
    review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    source    TEXT    NOT NULL CHECK (source IN ('here', 'other_bank')),
    product   TEXT    NOT NULL,            -- a catalog code
    name      TEXT    NOT NULL DEFAULT '',
    bank      TEXT    NOT NULL DEFAULT '', -- other_bank: the bank when the RM named it
    amount    REAL,
    currency  TEXT    NOT NULL DEFAULT 'CNY',  -- ISO 4217; totals never add currencies together
    risk      INTEGER CHECK (risk BETWEEN 1 AND 5)   -- R level from the catalog, NULL when it has none
);
CREATE INDEX review_items_by_review ON review_items (review_id);
