-- What the bot waits for the RM to type next (an Edit's new value, a card field, the note after a
-- Log tap), kept across restarts: one per RM, the latest ask wins, with an expiry so a value typed
-- long after the tap is read as a new note. kind: note_edit (target = contact, field = note field),
-- client_field (target = client, field = card field), log_for (target = client, field '').
CREATE TABLE awaited_values (
    rm_id      INTEGER PRIMARY KEY REFERENCES rms (user_id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('note_edit', 'client_field', 'log_for')),
    target_id  INTEGER NOT NULL,
    field      TEXT    NOT NULL DEFAULT '',
    expires_at TEXT    NOT NULL            -- ISO 8601 UTC: after this the ask is forgotten
);
