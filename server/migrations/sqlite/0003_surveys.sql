-- The citizen quality-satisfaction survey: waves, their versioned definitions, and
-- anonymous responses. Same tables and columns as the PostgreSQL twin.

CREATE TABLE surveys (
    id          INTEGER PRIMARY KEY,
    wave_zh     TEXT    NOT NULL,
    wave_en     TEXT    NOT NULL,
    opens_at    BIGINT  NOT NULL,
    closes_at   BIGINT  NOT NULL CHECK (closes_at > opens_at),
    -- Random per wave: a phone number is kept only as sha256(salt, number), which serves
    -- one-response-per-phone within the wave and means nothing outside it.
    phone_salt  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- Each version's questions as JSON (model::survey::SurveyDefinition), validated before
-- it is stored. Responses name the version they answered.
CREATE TABLE survey_versions (
    survey_id   BIGINT  NOT NULL REFERENCES surveys (id),
    version     BIGINT  NOT NULL,
    definition  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (survey_id, version)
);

CREATE TABLE survey_responses (
    id          INTEGER PRIMARY KEY,
    survey_id   BIGINT  NOT NULL REFERENCES surveys (id),
    version     BIGINT  NOT NULL,
    reference   TEXT    NOT NULL UNIQUE,
    town        TEXT    NOT NULL,
    answers     TEXT    NOT NULL,
    phone_hash  TEXT,
    created_at  BIGINT  NOT NULL,
    FOREIGN KEY (survey_id, version) REFERENCES survey_versions (survey_id, version)
);
-- One response per phone per wave, for those who give a phone number.
CREATE UNIQUE INDEX survey_responses_one_per_phone
    ON survey_responses (survey_id, phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX survey_responses_by_survey ON survey_responses (survey_id);
