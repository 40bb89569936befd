-- Organisations sign up too (issue 17). Same tables and columns as the PostgreSQL twin.

-- Who may sign up for an event (model::Audience), and the organisation hosting it.
ALTER TABLE events ADD COLUMN audience TEXT NOT NULL DEFAULT 'residents'
    CHECK (audience IN ('residents', 'organisations', 'both'));
ALTER TABLE events ADD COLUMN host_zh TEXT;
ALTER TABLE events ADD COLUMN host_en TEXT;

-- An organisation sends up to ten people (model::Attendees), where a person brings at most
-- four: party_size's CHECK widens. SQLite cannot change a CHECK in place, so the table is
-- made again with every column in the same order and its rows copied over (no table
-- refers to registrations, so nothing else moves).
CREATE TABLE registrations_new (
    id             INTEGER PRIMARY KEY,
    event_id       BIGINT  NOT NULL REFERENCES events (id),
    code           TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    phone          TEXT    NOT NULL,
    party_size     BIGINT  NOT NULL CHECK (party_size BETWEEN 1 AND 10),
    status         TEXT    NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    checked_in_at  BIGINT,
    walk_in        BIGINT  NOT NULL DEFAULT 0,
    reminders_off  BIGINT  NOT NULL DEFAULT 0,
    -- The organisation signing up (both or neither); name and phone are then its
    -- contact's. Not personal data: both are in the public business register, and they
    -- stay when retention erases the contact, for the year's figures.
    org_name       TEXT,
    org_code       TEXT,
    CHECK ((org_name IS NULL) = (org_code IS NULL))
);
INSERT INTO registrations_new
    (id, event_id, code, name, phone, party_size, status, created_at, updated_at,
     checked_in_at, walk_in, reminders_off)
SELECT id, event_id, code, name, phone, party_size, status, created_at, updated_at,
       checked_in_at, walk_in, reminders_off
FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE UNIQUE INDEX registrations_one_active_per_phone
    ON registrations (event_id, phone) WHERE status <> 'cancelled';
CREATE INDEX registrations_by_event_status ON registrations (event_id, status, id);

-- One active sign-up per organisation per event, whoever its contact.
CREATE UNIQUE INDEX registrations_one_active_per_organisation
    ON registrations (event_id, org_code) WHERE status <> 'cancelled' AND org_code IS NOT NULL;
