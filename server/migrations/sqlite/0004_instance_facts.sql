-- Facts about this database itself, one row each. `demo` marks a database that demo
-- content filled: QM_DEMO may top such a database up (a new survey wave, new events), but
-- must never write fake events, buyers or survey results beside real ones.
CREATE TABLE instance_facts (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
