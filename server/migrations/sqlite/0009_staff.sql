-- Staff: accounts, server-side sessions, login throttling, the append-only audit log,
-- and what running events needs (cancel reasons, sign-up deadlines, check-ins, walk-ins).

CREATE TABLE staff_accounts (
    id             INTEGER PRIMARY KEY,
    login          TEXT    NOT NULL UNIQUE,
    -- argon2id, PHC string format.
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL
                           CHECK (role IN ('admin', 'organiser', 'project_office', 'door', 'analyst')),
    -- Space-separated scopes: town:nanqiao event:12 project:3.
    scopes         TEXT    NOT NULL DEFAULT '',
    -- Base32 TOTP secret (RFC 6238) once the account has confirmed it; pending until then.
    -- The last time step used: a code is good once, so an overheard one cannot be replayed.
    totp_secret    TEXT,
    totp_pending   TEXT,
    totp_last_step BIGINT,
    disabled       BIGINT  NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL
);

-- A session is known by the SHA-256 of its cookie; the cookie itself is never stored.
CREATE TABLE staff_sessions (
    token_hash    TEXT    PRIMARY KEY,
    account_id    BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    ended_at      BIGINT
);
CREATE INDEX staff_sessions_by_account ON staff_sessions (account_id);

-- Failed logins per key (`login:<name>` or `client:<address>`), with the back-off they
-- earned. A success clears the login's row.
CREATE TABLE staff_login_failures (
    key             TEXT    PRIMARY KEY,
    failures        BIGINT  NOT NULL,
    last_failed_at  BIGINT  NOT NULL,
    blocked_until   BIGINT  NOT NULL
);

-- Who did what, when, from where, before → after. Rows are only ever added: the
-- triggers below make the database refuse UPDATE and DELETE. No personal data goes in
-- (subjects are ids and codes, never phone numbers).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          BIGINT  NOT NULL,
    actor_id    BIGINT,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    client      TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at);

ALTER TABLE events ADD COLUMN cancel_reason TEXT;
ALTER TABLE events ADD COLUMN signup_closes_at BIGINT;
ALTER TABLE registrations ADD COLUMN checked_in_at BIGINT;
ALTER TABLE registrations ADD COLUMN walk_in BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
