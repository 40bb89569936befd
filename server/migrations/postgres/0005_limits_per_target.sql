-- Limits keyed on what is attacked.
--
-- Buyer checks: the old table counted failures per flat from anywhere, so five wrong
-- guesses by anyone paused the real buyer, and per client address, so one carrier NAT
-- locked out a whole city. Now one row per (client, flat): the failures there and the
-- back-off they earned. The row is taken (upserted) before the check, in the check's own
-- transaction, so parallel guesses queue on it instead of all reading a stale count.
DROP TABLE buyer_check_failures;
CREATE TABLE buyer_check_backoff (
    client          TEXT    NOT NULL,
    -- "<project id>:<building>/<unit>/<room>" as typed.
    flat            TEXT    NOT NULL,
    failures        BIGINT  NOT NULL DEFAULT 0,
    last_failure_at BIGINT  NOT NULL DEFAULT 0,
    -- No check for this (client, flat) before this time.
    blocked_until   BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (client, flat)
);
CREATE INDEX buyer_check_backoff_by_last_failure ON buyer_check_backoff (last_failure_at);

-- Failed attempts on a sign-up or booking code (a look-up, cancel or reschedule with a
-- phone that is not the code's), per code as typed. An attempt is counted before it is
-- tried and given back when it succeeds, so parallel guesses cannot slip past the limit.
CREATE TABLE code_attempts (
    code          TEXT    PRIMARY KEY,
    failures      BIGINT  NOT NULL,
    window_start  BIGINT  NOT NULL
);
CREATE INDEX code_attempts_by_window ON code_attempts (window_start);
