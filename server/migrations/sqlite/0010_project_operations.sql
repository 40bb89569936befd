-- Running pre-inspection as a sales office (issue 12): what the office tells buyers, its
-- visit plan, the door's check-ins and no-shows, and defects followed to repair. Same
-- tables and columns as the PostgreSQL twin; times are Unix seconds.

ALTER TABLE projects ADD COLUMN instructions_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN instructions_en TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
-- The visit plan (model::VisitPlan as JSON); NULL until the office sets one.
ALTER TABLE projects ADD COLUMN plan_json TEXT;

-- A slot the plan no longer makes, kept because a booking's history points to it; it takes
-- no new booking and is not listed to buyers.
ALTER TABLE slots ADD COLUMN withdrawn BIGINT NOT NULL DEFAULT 0;

ALTER TABLE bookings ADD COLUMN checked_in_at BIGINT;
-- Set by the door after the slot ended without the buyer; cleared by a late check-in.
ALTER TABLE bookings ADD COLUMN no_show_at BIGINT;
-- What the office last told the buyer about a change it made (moved, cancelled), shown
-- in 我的 beside the booking.
ALTER TABLE bookings ADD COLUMN office_notice TEXT;

CREATE TABLE defects (
    id                 INTEGER PRIMARY KEY,
    project_id         BIGINT  NOT NULL REFERENCES projects (id),
    booking_id         BIGINT  NOT NULL REFERENCES bookings (id),
    room               TEXT    NOT NULL,
    category           TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    status             TEXT    NOT NULL
                       CHECK (status IN ('open', 'in_progress', 'repaired', 'confirmed')),
    recorded_by        TEXT    NOT NULL CHECK (recorded_by IN ('buyer', 'staff')),
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    -- The first time the office marked it repaired: the coverage page's days to repair.
    first_repaired_at  BIGINT
);
CREATE INDEX defects_by_booking ON defects (booking_id, id);
CREATE INDEX defects_by_project ON defects (project_id, status);

-- Every state a defect went through, the record itself first.
CREATE TABLE defect_steps (
    id          INTEGER PRIMARY KEY,
    defect_id   BIGINT  NOT NULL REFERENCES defects (id),
    at          BIGINT  NOT NULL,
    by_party    TEXT    NOT NULL CHECK (by_party IN ('buyer', 'staff')),
    -- The staff login; empty for the buyer.
    actor       TEXT    NOT NULL,
    status      TEXT    NOT NULL
                CHECK (status IN ('open', 'in_progress', 'repaired', 'confirmed')),
    note        TEXT    NOT NULL
);
CREATE INDEX defect_steps_by_defect ON defect_steps (defect_id, id);

-- Photos, re-encoded without their metadata, stored as files in the data folder.
CREATE TABLE defect_photos (
    id          INTEGER PRIMARY KEY,
    step_id     BIGINT  NOT NULL REFERENCES defect_steps (id),
    file        TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX defect_photos_by_step ON defect_photos (step_id, id);
