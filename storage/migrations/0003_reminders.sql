-- Holdings (products a client holds, with maturity), snoozed digest items and the delivery log
-- that makes every digest and timed reminder go out exactly once.

CREATE TABLE holdings (
    id            INTEGER PRIMARY KEY,
    rm_id         INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    client_id     INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    product       TEXT    NOT NULL,          -- a code from catalog/products.toml
    name          TEXT    NOT NULL DEFAULT '',
    amount        REAL,
    start_date    TEXT,                      -- YYYY-MM-DD
    maturity_date TEXT,                      -- YYYY-MM-DD; maturity, expiry, renewal or due date
    handled_on    TEXT,                      -- the RM marked this maturity handled: no more reminders
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (rm_id, client_id, product, name)
);
CREATE INDEX holdings_by_maturity ON holdings (rm_id, maturity_date);

-- A digest item the RM snoozed: a client due for contact, a birthday, a maturity.
CREATE TABLE reminder_snoozes (
    rm_id   INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL CHECK (kind IN ('contact', 'birthday', 'maturity')),
    item_id INTEGER NOT NULL,                -- the client (contact, birthday) or holding (maturity)
    until   TEXT    NOT NULL,                -- YYYY-MM-DD: hidden before this day
    PRIMARY KEY (rm_id, kind, item_id)
);

-- One row per push: claimed before sending, so a re-run or a restart never sends twice.
CREATE TABLE deliveries (
    id         INTEGER PRIMARY KEY,
    rm_id      INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('digest', 'follow_up')),
    item_key   TEXT    NOT NULL,             -- the digest's local date, or the follow-up's id
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER,
    error      TEXT,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    UNIQUE (rm_id, kind, item_key)
);
CREATE INDEX deliveries_by_status ON deliveries (status, created_at);
