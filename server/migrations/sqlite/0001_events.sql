-- Quality Month events, sign-ups, and the idempotency record of every write.
-- Times are Unix seconds (the app shows them in Beijing time); money of any kind never
-- appears here. This file and its PostgreSQL twin must keep the same tables and columns:
-- one set of queries serves both.

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    category       TEXT    NOT NULL,
    town           TEXT    NOT NULL,
    title_zh       TEXT    NOT NULL,
    title_en       TEXT    NOT NULL,
    venue_zh       TEXT    NOT NULL,
    venue_en       TEXT    NOT NULL,
    address_zh     TEXT    NOT NULL,
    address_en     TEXT    NOT NULL,
    description_zh TEXT    NOT NULL,
    description_en TEXT    NOT NULL,
    organiser_zh   TEXT    NOT NULL,
    organiser_en   TEXT    NOT NULL,
    starts_at      BIGINT  NOT NULL,
    ends_at        BIGINT  NOT NULL CHECK (ends_at >= starts_at),
    -- Capacity counts people, not sign-ups: a party of three takes three places.
    capacity       BIGINT  NOT NULL CHECK (capacity >= 0),
    -- The database, not the application, keeps taken within capacity.
    taken          BIGINT  NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    status         TEXT    NOT NULL DEFAULT 'published'
                           CHECK (status IN ('draft', 'published', 'cancelled')),
    created_at     BIGINT  NOT NULL
);
CREATE INDEX events_by_start ON events (starts_at);

CREATE TABLE registrations (
    id          INTEGER PRIMARY KEY,
    event_id    BIGINT  NOT NULL REFERENCES events (id),
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    phone       TEXT    NOT NULL,
    party_size  BIGINT  NOT NULL CHECK (party_size BETWEEN 1 AND 4),
    status      TEXT    NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
-- One active sign-up per phone per event; a cancelled one does not block signing up again.
CREATE UNIQUE INDEX registrations_one_active_per_phone
    ON registrations (event_id, phone) WHERE status <> 'cancelled';
-- The waitlist is served in arrival order (id).
CREATE INDEX registrations_by_event_status ON registrations (event_id, status, id);

-- Every POST may carry an Idempotency-Key. The key is claimed in the same transaction as
-- the write it guards, so a retry either finds the stored answer or does the write itself.
CREATE TABLE idempotency_keys (
    key          TEXT   PRIMARY KEY,
    fingerprint  TEXT   NOT NULL,
    response     TEXT,
    created_at   BIGINT NOT NULL
);
