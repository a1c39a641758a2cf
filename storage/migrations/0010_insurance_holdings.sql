-- Insurance holdings (issue 19, seed 003's coverage table): a holding of product INSURANCE carries
-- who is insured, the kind of cover, the sum insured and the premium (integer cents of the holding's
-- currency: exact, never a float), whether the premium is yearly or single, and the term (years, or
-- to an age). insured_relation is 'self' for the client, a relation for a family member
-- (bot/parsing/profile.py RELATIONS), NULL while the RM has not said whose it is (the bot asks).
-- contact_id: the note it came from, so Undo of the note takes the holding with it.
ALTER TABLE holdings ADD COLUMN cover_kind TEXT;
ALTER TABLE holdings ADD COLUMN insured_relation TEXT;
ALTER TABLE holdings ADD COLUMN insured_name TEXT;
ALTER TABLE holdings ADD COLUMN sum_insured_cents INTEGER CHECK (sum_insured_cents >= 0);
ALTER TABLE holdings ADD COLUMN premium_cents INTEGER CHECK (premium_cents >= 0);
ALTER TABLE holdings ADD COLUMN premium_period TEXT CHECK (premium_period IN ('year', 'single'));
ALTER TABLE holdings ADD COLUMN term_years INTEGER CHECK (term_years BETWEEN 1 AND 99);
ALTER TABLE holdings ADD COLUMN term_to_age INTEGER CHECK (term_to_age BETWEEN 1 AND 120);
ALTER TABLE holdings ADD COLUMN contact_id INTEGER REFERENCES contacts (id) ON DELETE CASCADE;
CREATE INDEX holdings_by_contact ON holdings (contact_id) WHERE contact_id IS NOT NULL;

-- Cover noted before this as a profile fact (client_facts kind 'cover', JSON) becomes an insurance
-- holding when it can be read unambiguously: a known kind and person, numbers that are numbers, the
-- only fact about that person's cover of that kind, and not possibly the same policy as an imported
-- INSURANCE holding (a fact without a note beside such a holding). The rest stay facts (the card
-- still shows them).
CREATE TEMP TABLE cover_facts_moved AS
SELECT f.id, f.rm_id, f.client_id, f.contact_id, f.created_at,
       json_extract(f.value, '$.kind') AS kind, json_extract(f.value, '$.insured') AS insured,
       json_extract(f.value, '$.name') AS name, json_extract(f.value, '$.sum') AS sum_insured,
       json_extract(f.value, '$.premium') AS premium, json_extract(f.value, '$.term') AS term,
       json_extract(f.value, '$.currency') AS currency
FROM client_facts f
WHERE f.kind = 'cover' AND f.client_id IS NOT NULL AND json_valid(f.value)
  AND json_extract(f.value, '$.kind') IN ('critical_illness', 'life', 'medical', 'accident', 'property', 'annuity',
                                           'education')
  AND json_extract(f.value, '$.insured') IN ('self', 'spouse', 'wife', 'husband', 'daughter', 'son', 'child', 'father',
      'mother', 'father_in_law', 'mother_in_law', 'brother', 'sister', 'grandson', 'granddaughter', 'son_in_law',
      'daughter_in_law')
  AND coalesce(json_type(f.value, '$.name'), 'null') IN ('null', 'text')
  AND (coalesce(json_type(f.value, '$.sum'), 'null') = 'null'
       OR (json_type(f.value, '$.sum') IN ('integer', 'real') AND json_extract(f.value, '$.sum') BETWEEN 0 AND 1e13))
  AND (coalesce(json_type(f.value, '$.premium'), 'null') = 'null'
       OR (json_type(f.value, '$.premium') IN ('integer', 'real') AND json_extract(f.value, '$.premium') BETWEEN 0 AND 1e13))
  AND (coalesce(json_type(f.value, '$.term'), 'null') = 'null'
       OR (json_type(f.value, '$.term') = 'integer' AND json_extract(f.value, '$.term') BETWEEN 1 AND 99))
  AND (coalesce(json_type(f.value, '$.currency'), 'null') = 'null'
       OR (json_type(f.value, '$.currency') = 'text' AND length(json_extract(f.value, '$.currency')) = 3))
  AND NOT EXISTS (SELECT 1 FROM client_facts o
                  WHERE o.kind = 'cover' AND o.id != f.id AND o.rm_id = f.rm_id AND o.client_id = f.client_id
                    AND json_valid(o.value)
                    AND json_extract(o.value, '$.kind') IS json_extract(f.value, '$.kind')
                    AND json_extract(o.value, '$.insured') IS json_extract(f.value, '$.insured')
                    AND json_extract(o.value, '$.name') IS json_extract(f.value, '$.name'))
  AND (f.contact_id IS NOT NULL
       OR NOT EXISTS (SELECT 1 FROM holdings h WHERE h.rm_id = f.rm_id AND h.client_id = f.client_id
                                               AND h.product = 'INSURANCE'));

INSERT INTO holdings (rm_id, client_id, product, name, currency, cover_kind, insured_relation, insured_name,
                      sum_insured_cents, premium_cents, premium_period, term_years, contact_id, created_at, updated_at)
SELECT rm_id, client_id, 'INSURANCE', 'cover #' || id,
       CASE WHEN sum_insured IS NOT NULL OR premium IS NOT NULL THEN coalesce(upper(currency), 'CNY') END,
       kind, insured, name, CAST(round(sum_insured * 100) AS INTEGER), CAST(round(premium * 100) AS INTEGER),
       CASE WHEN premium IS NOT NULL THEN 'year' END, term, contact_id, created_at, created_at
FROM cover_facts_moved;

DELETE FROM client_facts WHERE id IN (SELECT id FROM cover_facts_moved);
DROP TABLE cover_facts_moved;
