-- After /review NAME the bot asks for the client's assets at other banks or not yet on file, and takes
-- the RM's answers (issue 19). The question stays open across a restart: one open prompt per RM, for
-- one review, until the RM taps Done, the next /review replaces it, or it expires.
CREATE TABLE review_prompts (
    rm_id      INTEGER PRIMARY KEY REFERENCES rms (user_id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    review_id  INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    asked_at   TEXT    NOT NULL,           -- ISO 8601 with offset
    expires_at TEXT    NOT NULL,           -- ISO 8601 with offset: answers after this are notes again
    answers    INTEGER NOT NULL DEFAULT 0  -- answers taken so far (Done redraws the review when any)
);
