-- Organisations sign up too (issue 17). Same tables and columns as the SQLite twin.

-- Who may sign up for an event (model::Audience), and the organisation hosting it.
ALTER TABLE events ADD COLUMN audience TEXT NOT NULL DEFAULT 'residents'
    CHECK (audience IN ('residents', 'organisations', 'both'));
ALTER TABLE events ADD COLUMN host_zh TEXT;
ALTER TABLE events ADD COLUMN host_en TEXT;

-- An organisation sends up to ten people (model::Attendees), where a person brings at most
-- four.
ALTER TABLE registrations DROP CONSTRAINT registrations_party_size_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_party_size_check
    CHECK (party_size BETWEEN 1 AND 10);

-- The organisation signing up (both or neither); name and phone are then its contact's.
-- Not personal data: both are in the public business register, and they stay when
-- retention erases the contact, for the year's figures.
ALTER TABLE registrations ADD COLUMN org_name TEXT;
ALTER TABLE registrations ADD COLUMN org_code TEXT;
ALTER TABLE registrations ADD CONSTRAINT registrations_organisation_whole
    CHECK ((org_name IS NULL) = (org_code IS NULL));

-- One active sign-up per organisation per event, whoever its contact.
CREATE UNIQUE INDEX registrations_one_active_per_organisation
    ON registrations (event_id, org_code) WHERE status <> 'cancelled' AND org_code IS NOT NULL;
