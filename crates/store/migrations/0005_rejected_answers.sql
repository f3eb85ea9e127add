-- An answer the stage found unusable (it broke its contract after every correction request) stays on the bill
-- but is never reused: a retry asks again instead of replaying the same paid, unusable answer.
ALTER TABLE provider_calls ADD COLUMN rejected_at_ms INTEGER;
