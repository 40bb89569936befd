-- Reminders and calendar feeds (issue 16). Same tables and columns as the PostgreSQL twin;
-- times are Unix seconds.

-- The evening-before reminder's time of day, chosen by staff: minutes after midnight in
-- Beijing (model::reminder::ReminderTime; 1080 = 18:00).
ALTER TABLE events ADD COLUMN reminder_minute BIGINT NOT NULL DEFAULT 1080;
ALTER TABLE projects ADD COLUMN reminder_minute BIGINT NOT NULL DEFAULT 1080;

-- What calendar feeds need of an event: SEQUENCE (bumped by every staff change a calendar
-- shows) and DTSTAMP (when it last changed; NULL: when it was made).
ALTER TABLE events ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN changed_at BIGINT;

-- A reminder's message is worth sending only until then (before the next quiet hours and
-- before the start): a gateway that failed until later drops it instead of texting at night.
ALTER TABLE notifications ADD COLUMN send_before BIGINT;

-- A person turned reminders of this one sign-up or visit off.
ALTER TABLE registrations ADD COLUMN reminders_off BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN reminders_off BIGINT NOT NULL DEFAULT 0;

-- Every reminder decided: one row per item, kind and the start it was about (a visit moved
-- to another day is reminded again). The unique key is what makes two instances' workers
-- send one message: the second insert finds the first. No phone here: the row outlives the
-- message, for the staff's figures.
CREATE TABLE reminders (
    id               INTEGER PRIMARY KEY,
    item             TEXT    NOT NULL CHECK (item IN ('registration', 'booking')),
    item_id          BIGINT  NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('day_before', 'two_hours', 'promoted')),
    for_start        BIGINT  NOT NULL,
    outcome          TEXT    NOT NULL CHECK (outcome IN ('queued', 'sent', 'failed', 'turned_off')),
    notification_id  BIGINT,
    created_at       BIGINT  NOT NULL,
    UNIQUE (item, item_id, kind, for_start)
);
CREATE INDEX reminders_by_notification ON reminders (notification_id);
-- The worker reads the reminders decided for starts still ahead, every minute.
CREATE INDEX reminders_by_start ON reminders (for_start);

-- Phones that asked for no reminders, as a keyed hash (the server secret): the list never
-- holds a readable number, and is kept as long as the wish.
CREATE TABLE reminder_optouts (
    phone_key  TEXT    PRIMARY KEY,
    at         BIGINT  NOT NULL
);

-- A phone's own calendar feed. Its token is derived from the phone and a random `nonce`
-- under the server secret, so 我的 can show the same address again while the database
-- alone cannot make it; the table keeps the token's SHA-256 to find the phone. A reset (or
-- a feed made again after the sweep removed it) takes a new nonce: no address ever returns.
CREATE TABLE calendar_feeds (
    phone       TEXT    PRIMARY KEY,
    nonce       TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);
