-- Personal data kept only as long as needed (PIPL's minimum-necessary rule).
--
-- A stored answer to a write repeats a name, a flat and a masked phone: those answers are
-- forgotten 24 hours after the write, while anonymous ones (a survey's reference) are kept
-- for the key's full lifetime, so a phone that was offline for days still gets its answer.
ALTER TABLE idempotency_keys ADD COLUMN holds_personal_data BIGINT NOT NULL DEFAULT 1;
