-- Questions asked of the FAQ, so curators see what it could not answer (/faq_gaps).
CREATE TABLE faq_questions (
    id         INTEGER PRIMARY KEY,
    rm_id      INTEGER NOT NULL REFERENCES rms (user_id) ON DELETE CASCADE,
    question   TEXT    NOT NULL,
    answer_id  TEXT,               -- NULL: the bot abstained
    created_at TEXT    NOT NULL
);
CREATE INDEX faq_questions_unanswered ON faq_questions (answer_id, created_at);
