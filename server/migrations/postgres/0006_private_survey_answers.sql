-- Survey answers that stay private.
--
-- One-response-per-phone used sha256(salt, phone) with the salt beside it: anyone with the
-- database could try all 10^11 mobile numbers in an hour. The hash is now an HMAC under a
-- per-wave key derived from the server's secret, which is never in the database, and it
-- is erased when the wave closes. Hashes made the old way are erased now (a phone that
-- answered the open wave before this change could answer once more; that is the price).
UPDATE survey_responses SET phone_hash = NULL;
ALTER TABLE surveys DROP COLUMN phone_salt;

-- The public results of a wave as last published. They change in steps (at most every
-- 15 minutes, and only after at least 10 new responses), so no two results a visitor can
-- fetch differ by fewer than 10 people. Kept in the database so that every instance
-- publishes the same step.
CREATE TABLE survey_result_snapshots (
    survey_id    BIGINT  PRIMARY KEY REFERENCES surveys (id),
    responses    BIGINT  NOT NULL,
    computed_at  BIGINT  NOT NULL,
    results      TEXT    NOT NULL
);
