-- RMs, their clients (with aliases), contacts (raw text always kept), needs, follow-ups.
-- Fields later features need (tier, cadence, birthday, phone, company) are here from the start.

CREATE TABLE rms (
    user_id           INTEGER PRIMARY KEY,
    chat_id           INTEGER NOT NULL,
    display_name      TEXT    NOT NULL DEFAULT '',
    language          TEXT    NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    timezone          TEXT    NOT NULL DEFAULT 'Asia/Shanghai',
    digest_time       TEXT    NOT NULL DEFAULT '08:30',
    working_days_only INTEGER NOT NULL DEFAULT 1,
    send_empty_digest INTEGER NOT NULL DEFAULT 1,
    cadence_a         INTEGER NOT NULL DEFAULT 30 CHECK (cadence_a > 0),
    cadence_b         INTEGER NOT NULL DEFAULT 60 CHECK (cadence_b > 0),
    cadence_c         INTEGER NOT NULL DEFAULT 90 CHECK (cadence_c > 0),
    active            INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT    NOT NULL
);

CREATE TABLE clients (
    id              INTEGER PRIMARY KEY,
    rm_id           INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    tier            TEXT    NOT NULL DEFAULT 'C' CHECK (tier IN ('A', 'B', 'C')),
    cadence_days    INTEGER CHECK (cadence_days > 0),
    phone           TEXT,
    company         TEXT,
    birthday        TEXT,              -- YYYY-MM-DD, solar
    lunar_birthday  TEXT,              -- MM-DD, lunar
    notes           TEXT,
    last_contact_on TEXT,              -- baseline from an import; logged contacts live in contacts
    created_at      TEXT    NOT NULL,
    UNIQUE (rm_id, name)
);

CREATE TABLE client_aliases (
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    alias     TEXT    NOT NULL,
    PRIMARY KEY (client_id, alias)
);

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    rm_id          INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    client_id      INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    raw_text       TEXT    NOT NULL,
    client_name    TEXT,               -- the name as written in the note
    channel        TEXT    CHECK (channel IN ('visit', 'call', 'email', 'message')),
    occurred_on    TEXT,               -- NULL for a note that only plans an action
    amount         REAL,
    created_client INTEGER NOT NULL DEFAULT 0,  -- this note created its client (undo removes both)
    message_id     INTEGER,            -- Telegram message id: a re-delivered update is stored once
    created_at     TEXT    NOT NULL,
    UNIQUE (rm_id, message_id)
);
CREATE INDEX contacts_by_client ON contacts (rm_id, client_id, occurred_on);

CREATE TABLE contact_needs (
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    product    TEXT    NOT NULL,
    PRIMARY KEY (contact_id, product)
);

CREATE TABLE follow_ups (
    id            INTEGER PRIMARY KEY,
    rm_id         INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    client_id     INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    contact_id    INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    due_on        TEXT    NOT NULL,
    due_time      TEXT,
    status        TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    snoozed_until TEXT,
    done_at       TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (rm_id, status, due_on);
