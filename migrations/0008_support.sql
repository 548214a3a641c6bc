-- Decision support (issue 6; docs/internals/support.md): concerns with the alerting features ticked, vulnerability
-- factors, neglect assessments, capacity-to-change reviews with written agreements, interventions, and the
-- dismissals of prompts. Catalogue ids (features, factors, domains, interventions) are the ids in rules/support/*.json;
-- they are checked against the loaded catalogues by the commands, not by foreign keys, so a catalogue can be
-- edited without a migration. Prompts themselves are not stored: they are computed from these rows every time.

-- A concern a professional recorded: the signs observed, and the response Safeguard showed.
CREATE TABLE support_concerns (
    id               TEXT PRIMARY KEY,
    child_id         TEXT NOT NULL REFERENCES children(id),
    case_id          TEXT REFERENCES cases(id),          -- the case open when it was recorded, if any
    observed_on      TEXT NOT NULL,                      -- ISO date the signs were seen or reported
    summary          TEXT NOT NULL,
    immediate_danger INTEGER NOT NULL DEFAULT 0,
    level            TEXT NOT NULL,                      -- immediate | special | suspect | refer_elsewhere | consider
    review_by        TEXT,                               -- ISO date; NG76 asks for a review after a 'consider' sign
    agency_id        TEXT REFERENCES agencies(id),
    recorder_role    TEXT NOT NULL,                      -- the recorder's access role when recorded
    clocks_started   INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    created_by       TEXT REFERENCES users(id),
    CHECK (immediate_danger IN (0, 1))
);
CREATE INDEX support_concerns_child ON support_concerns(child_id, observed_on);

CREATE TABLE support_concern_features (
    concern_id TEXT NOT NULL REFERENCES support_concerns(id),
    child_id   TEXT NOT NULL REFERENCES children(id),
    feature_id TEXT NOT NULL,                             -- alerting_features.json id, e.g. NG76-1.3.24
    position   INTEGER NOT NULL,
    PRIMARY KEY (concern_id, feature_id)
);
CREATE INDEX support_concern_features_child ON support_concern_features(child_id, feature_id);

-- A vulnerability factor noted for the child or the household; ended_on is set when it no longer applies.
CREATE TABLE support_factors (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES children(id),
    factor_id   TEXT NOT NULL,                            -- vulnerability_factors.json id
    about       TEXT NOT NULL,                            -- child | parent_or_carer | family
    person_id   TEXT REFERENCES persons(id),              -- the parent or carer it is about, when known
    noted_on    TEXT NOT NULL,
    evidence    TEXT NOT NULL,
    ended_on    TEXT,
    end_reason  TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id),
    updated_at  TEXT NOT NULL,
    updated_by  TEXT REFERENCES users(id)
);
CREATE INDEX support_factors_child ON support_factors(child_id);

-- A graded assessment of the care the child receives, repeated over time (neglect.json care_domains).
CREATE TABLE support_neglect_assessments (
    id           TEXT PRIMARY KEY,
    child_id     TEXT NOT NULL REFERENCES children(id),
    case_id      TEXT REFERENCES cases(id),
    assessed_on  TEXT NOT NULL,
    overall_view TEXT NOT NULL,                           -- improving | no_change | worse | not_sure
    summary      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT REFERENCES users(id)
);
CREATE INDEX support_neglect_assessments_child ON support_neglect_assessments(child_id, assessed_on);

CREATE TABLE support_neglect_ratings (
    assessment_id TEXT NOT NULL REFERENCES support_neglect_assessments(id),
    domain_id     TEXT NOT NULL,
    rating        INTEGER NOT NULL,
    evidence      TEXT,
    PRIMARY KEY (assessment_id, domain_id),
    CHECK (rating >= 1)
);

-- Signs of the kinds of neglect, adolescent signs and significant-harm descriptors marked at an assessment.
CREATE TABLE support_neglect_marks (
    assessment_id TEXT NOT NULL REFERENCES support_neglect_assessments(id),
    mark_id       TEXT NOT NULL,
    PRIMARY KEY (assessment_id, mark_id)
);

-- Capacity to change, recorded at a review (capacity_to_change.json factors).
CREATE TABLE support_capacity_reviews (
    id          TEXT PRIMARY KEY,
    child_id    TEXT NOT NULL REFERENCES children(id),
    person_id   TEXT REFERENCES persons(id),              -- the parent the review is about, when given
    reviewed_on TEXT NOT NULL,
    summary     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id)
);
CREATE INDEX support_capacity_reviews_child ON support_capacity_reviews(child_id, reviewed_on);

CREATE TABLE support_capacity_answers (
    review_id TEXT NOT NULL REFERENCES support_capacity_reviews(id),
    factor_id TEXT NOT NULL,
    answer    TEXT NOT NULL,                              -- present | absent | not_known
    evidence  TEXT,
    PRIMARY KEY (review_id, factor_id)
);

-- A time-limited written agreement: what must change, by when, and what follows if it does not. Its clock runs
-- from created_at to due_on and stops when an outcome is recorded.
CREATE TABLE support_agreements (
    id               TEXT PRIMARY KEY,
    child_id         TEXT NOT NULL REFERENCES children(id),
    review_id        TEXT REFERENCES support_capacity_reviews(id),
    what_must_change TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    consequence      TEXT NOT NULL,
    agreed_with      TEXT NOT NULL,
    outcome          TEXT,                                -- met | partly_met | not_met
    outcome_on       TEXT,
    outcome_note     TEXT,
    created_at       TEXT NOT NULL,
    created_by       TEXT REFERENCES users(id),
    updated_at       TEXT NOT NULL,
    updated_by       TEXT REFERENCES users(id)
);
CREATE INDEX support_agreements_child ON support_agreements(child_id, due_on);

-- An intervention from interventions.json offered to the child or family, and what came of it.
CREATE TABLE support_interventions (
    id                TEXT PRIMARY KEY,
    child_id          TEXT NOT NULL REFERENCES children(id),
    intervention_id   TEXT NOT NULL,
    provider          TEXT,
    status            TEXT NOT NULL,                      -- offered | declined | taken_up | completed | stopped
    offered_on        TEXT NOT NULL,
    taken_up_on       TEXT,
    completed_on      TEXT,
    stopped_on        TEXT,
    sessions_attended INTEGER,
    result            TEXT,                               -- improved | some_improvement | no_change | worse | not_known
    result_note       TEXT,
    created_at        TEXT NOT NULL,
    created_by        TEXT REFERENCES users(id),
    updated_at        TEXT NOT NULL,
    updated_by        TEXT REFERENCES users(id)
);
CREATE INDEX support_interventions_child ON support_interventions(child_id);

-- A prompt dismissed, with the reason and a copy of the prompt as it was shown.
CREATE TABLE support_prompt_dismissals (
    id           TEXT PRIMARY KEY,
    child_id     TEXT NOT NULL REFERENCES children(id),
    prompt_id    TEXT NOT NULL,
    rule_id      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    snapshot     TEXT NOT NULL,                           -- the prompt as JSON when it was dismissed
    dismissed_at TEXT NOT NULL,
    dismissed_by TEXT REFERENCES users(id),
    UNIQUE (child_id, prompt_id)
);
