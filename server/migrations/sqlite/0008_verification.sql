-- Phone verification and the notification outbox.

-- The live one-time code of each phone (at most one), kept as an HMAC, never as typed,
-- with what limits its sending: one a minute and five an hour per phone.
CREATE TABLE verification_codes (
    phone            TEXT    PRIMARY KEY,
    code_hash        TEXT    NOT NULL,
    expires_at       BIGINT  NOT NULL,
    wrong_tries      BIGINT  NOT NULL DEFAULT 0,
    last_sent_at     BIGINT  NOT NULL,
    hour_started_at  BIGINT  NOT NULL,
    sent_this_hour   BIGINT  NOT NULL
);

-- Messages to send. A write that should tell someone inserts a row in its own
-- transaction; a worker sends due rows through the configured sender, retrying with
-- back-off, so a gateway outage never loses or blocks a write. A worker leases a row by
-- moving its next_attempt_at forward, so several instances never send one row twice at
-- once. Rows hold a phone number and are deleted a day after they are sent.
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    channel          TEXT    NOT NULL CHECK (channel IN ('sms')),
    recipient        TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    next_attempt_at  BIGINT  NOT NULL,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    sent_at          BIGINT,
    gave_up_at       BIGINT,
    last_error       TEXT
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
