-- The supervisors' team summary joins the delivery log; an audit trail of sensitive actions.

CREATE TABLE deliveries_new (
    id         INTEGER PRIMARY KEY,
    rm_id      INTEGER NOT NULL,         -- the recipient (an RM or a supervisor)
    kind       TEXT    NOT NULL CHECK (kind IN ('digest', 'follow_up', 'team')),
    item_key   TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER,
    error      TEXT,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    UNIQUE (rm_id, kind, item_key)
);
INSERT INTO deliveries_new SELECT * FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_by_status ON deliveries (status, created_at);

-- Who exported, forgot, imported or changed access, and when. Ids only: never note text.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor_id   INTEGER NOT NULL,         -- the Telegram user who did it (an RM, an admin, the operator: 0)
    action     TEXT    NOT NULL,         -- export, mydata, forget, import, access, backup, restore
    subject    TEXT,                     -- e.g. the client id forgotten, the file kind imported
    created_at TEXT    NOT NULL
);
CREATE INDEX audit_by_time ON audit_log (created_at);
