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
