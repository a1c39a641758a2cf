-- Telegram updates the bot has handled, so one delivered again after a crash is not handled twice.
-- 'applied': a non-idempotent effect of the update committed (in the same transaction);
-- 'done': its handlers finished and replied. Ids only; pruned after two days.
CREATE TABLE update_log (
    user_id    INTEGER NOT NULL,
    update_id  INTEGER NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('applied', 'done')),
    at         TEXT    NOT NULL,
    PRIMARY KEY (user_id, update_id)
) WITHOUT ROWID;
CREATE INDEX update_log_by_time ON update_log (at);

-- The access configuration ([access] in config.toml) the bot last started with: a change
-- between two starts is written to audit_log, as the issue of who may see client data.
CREATE TABLE access_config (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    snapshot    TEXT    NOT NULL,         -- JSON: allowed, admins, supervisors (ids only)
    recorded_at TEXT    NOT NULL
);
