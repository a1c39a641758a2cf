-- A note whose date phrase read two ways (`12/3`, `上午10点…` said after ten) was stored with the
-- question asked: date_asked = 1 until a reading is tapped. /due and the digest list such notes
-- under "Date to confirm" (bot/open_dates.py reads the readings again from the raw text), so the
-- question is never lost, also when the client was asked first.
ALTER TABLE contacts ADD COLUMN date_asked INTEGER NOT NULL DEFAULT 0;
CREATE INDEX contacts_date_asked ON contacts (rm_id) WHERE date_asked = 1;
