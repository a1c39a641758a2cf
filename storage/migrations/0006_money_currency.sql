-- Money is amount plus currency (ISO 4217); nothing converts, so every stored amount keeps the
-- currency it was written in. Amounts stored before this were all read as yuan.
-- A note's amount may be a range (200-300万): amount is its lower end, amount_max its upper.
ALTER TABLE contacts ADD COLUMN currency TEXT;
ALTER TABLE contacts ADD COLUMN amount_max REAL;
ALTER TABLE holdings ADD COLUMN currency TEXT;
UPDATE contacts SET currency = 'CNY' WHERE amount IS NOT NULL;
UPDATE holdings SET currency = 'CNY' WHERE amount IS NOT NULL;
