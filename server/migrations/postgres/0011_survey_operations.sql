-- Running survey waves as staff (issue 13): a wave's status, answers entered from paper
-- questionnaires, and the marks analysts put on free-text comments. Same tables and
-- columns in both databases; times are Unix seconds.

-- draft, open, closed, published (model::survey_wave::WaveStatus). Waves so far were
-- opened by the demo or by hand: open, or closed once their dates passed.
ALTER TABLE surveys ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE surveys ADD COLUMN published_at BIGINT;
UPDATE surveys SET status = 'closed' WHERE closes_at <= EXTRACT(EPOCH FROM now())::BIGINT;

-- online or paper (model::survey_wave::Channel); a paper questionnaire also keeps the
-- staff member who typed it in.
ALTER TABLE survey_responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'online';
ALTER TABLE survey_responses ADD COLUMN entered_by BIGINT REFERENCES staff_accounts (id);

-- Tags (comma-separated model::survey_wave::CommentTag slugs) and the hidden flag of one
-- free-text answer. Comments are never public; hidden ones are also left out of reading.
CREATE TABLE survey_comment_marks (
    response_id BIGINT  NOT NULL REFERENCES survey_responses (id),
    question    TEXT    NOT NULL,
    tags        TEXT    NOT NULL DEFAULT '',
    hidden      BIGINT  NOT NULL DEFAULT 0,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (response_id, question)
);
