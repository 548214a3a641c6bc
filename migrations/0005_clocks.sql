-- Statutory clocks on cases (issue 4; spec procedures-A1-5 section 2 and 2.1, 4.24 "deadline instance").
-- Moments are seconds since the Unix epoch (INTEGER, portable to BIGINT) so that due/overdue queries are range
-- scans; due_day is the London date of the due moment, for "due today" and calendar views.

-- Every event that can start or stop a clock, as it happened: the clocks can always be explained from these.
CREATE TABLE case_events (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    child_id     TEXT NOT NULL REFERENCES children(id),
    event        TEXT NOT NULL,          -- rules/clocks/events.json code
    at           INTEGER NOT NULL,
    subject_id   TEXT,                   -- the conference, plan, ... it concerns
    variants     TEXT,                   -- comma-separated variant codes that applied (e.g. a strategy category)
    recorded_by  TEXT REFERENCES users(id),
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, at);

CREATE TABLE clocks (
    id                   TEXT PRIMARY KEY,
    case_id              TEXT NOT NULL REFERENCES cases(id),
    child_id             TEXT NOT NULL REFERENCES children(id),
    rule_id              TEXT NOT NULL,   -- T-xx
    variant              TEXT NOT NULL,   -- the driving variant's code
    variants             TEXT,            -- every variant code considered
    subject_id           TEXT,
    title                TEXT NOT NULL,
    citation             TEXT NOT NULL,
    start_event          TEXT,
    started_at           INTEGER NOT NULL,
    due_at               INTEGER NOT NULL,
    due_day              TEXT NOT NULL,
    original_due_at      INTEGER NOT NULL,
    state                TEXT NOT NULL,   -- running | met | met_late | stopped
    met_at               INTEGER,
    stop_event           TEXT,
    responsible_user_id  TEXT REFERENCES users(id),
    responsible_role     TEXT,
    extended             INTEGER NOT NULL DEFAULT 0,
    extension_reason     TEXT,
    extension_by         TEXT REFERENCES users(id),
    breach_reason        TEXT,
    stop_reason          TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    CHECK (state IN ('running', 'met', 'met_late', 'stopped'))
);
CREATE INDEX clocks_case_state ON clocks(case_id, state);
CREATE INDEX clocks_state_due ON clocks(state, due_at);
CREATE INDEX clocks_user_state_due ON clocks(responsible_user_id, state, due_at);
CREATE INDEX clocks_child ON clocks(child_id);

CREATE TABLE clock_history (
    id         TEXT PRIMARY KEY,
    clock_id   TEXT NOT NULL REFERENCES clocks(id),
    at         INTEGER NOT NULL,
    change     TEXT NOT NULL,            -- started | recomputed | moved | met | met_late | extended | stopped | breach_reason
    detail     TEXT,
    due_at     INTEGER,
    actor      TEXT REFERENCES users(id)
);
CREATE INDEX clock_history_clock ON clock_history(clock_id, at);
