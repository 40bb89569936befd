-- Pre-inspection visits (预看房): housing projects, their buyer lists, visit slots and
-- bookings. Same tables and columns as the PostgreSQL twin; times are Unix seconds.

CREATE TABLE projects (
    id                   INTEGER PRIMARY KEY,
    town                 TEXT    NOT NULL,
    name_zh              TEXT    NOT NULL,
    name_en              TEXT    NOT NULL,
    developer_zh         TEXT    NOT NULL,
    developer_en         TEXT    NOT NULL,
    address_zh           TEXT    NOT NULL,
    address_en           TEXT    NOT NULL,
    -- YYYY-MM-DD in Beijing; bookings close at midnight starting this day.
    handover_on          TEXT    NOT NULL,
    opens_days_before    BIGINT  NOT NULL CHECK (opens_days_before >= 0),
    cutoff_hours         BIGINT  NOT NULL CHECK (cutoff_hours >= 0),
    created_at           BIGINT  NOT NULL
);

-- The buyer list staff import: one row per flat and buyer. A flat may have joint buyers.
CREATE TABLE buyers (
    id          INTEGER PRIMARY KEY,
    project_id  BIGINT  NOT NULL REFERENCES projects (id),
    building    TEXT    NOT NULL,
    unit        TEXT    NOT NULL,
    room        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    phone       TEXT    NOT NULL,
    UNIQUE (project_id, building, unit, room, phone)
);

CREATE TABLE slots (
    id          INTEGER PRIMARY KEY,
    project_id  BIGINT  NOT NULL REFERENCES projects (id),
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT  NOT NULL CHECK (ends_at > starts_at),
    -- Capacity counts flats: one booking takes one place whatever its party size.
    capacity    BIGINT  NOT NULL CHECK (capacity >= 0),
    taken       BIGINT  NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    UNIQUE (project_id, starts_at)
);

CREATE TABLE bookings (
    id          INTEGER PRIMARY KEY,
    project_id  BIGINT  NOT NULL REFERENCES projects (id),
    -- The flat as "building/unit/room", the key of the one-active-booking rule.
    flat        TEXT    NOT NULL,
    slot_id     BIGINT  NOT NULL REFERENCES slots (id),
    code        TEXT    NOT NULL UNIQUE,
    buyer_name  TEXT    NOT NULL,
    phone       TEXT    NOT NULL,
    party_size  BIGINT  NOT NULL CHECK (party_size BETWEEN 1 AND 3),
    notes       TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'checked_in')),
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
-- One active booking per flat; a cancelled one does not block booking again.
CREATE UNIQUE INDEX bookings_one_active_per_flat
    ON bookings (project_id, flat) WHERE status <> 'cancelled';

-- Every change to a booking, for the buyer and for staff at the door.
CREATE TABLE booking_changes (
    id           INTEGER PRIMARY KEY,
    booking_id   BIGINT  NOT NULL REFERENCES bookings (id),
    action       TEXT    NOT NULL
                 CHECK (action IN ('booked', 'rescheduled', 'cancelled', 'checked_in')),
    slot_id      BIGINT  NOT NULL REFERENCES slots (id),
    at           BIGINT  NOT NULL
);
CREATE INDEX booking_changes_by_booking ON booking_changes (booking_id, id);

-- Failed buyer checks, counted per client and per flat as typed, so that guessing who
-- bought which flat is slowed down wherever the guesses come from.
CREATE TABLE buyer_check_failures (
    id      INTEGER PRIMARY KEY,
    client  TEXT    NOT NULL,
    flat    TEXT    NOT NULL,
    at      BIGINT  NOT NULL
);
CREATE INDEX buyer_check_failures_by_client ON buyer_check_failures (client, at);
CREATE INDEX buyer_check_failures_by_flat ON buyer_check_failures (flat, at);
