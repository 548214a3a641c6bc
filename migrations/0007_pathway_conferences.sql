-- The back half of the child protection pathway (issue 5; spec procedures-A1-5 ST-15 to ST-28, entities 4.13-4.20):
-- conferences and everything around them, child protection plans, core groups, visits, and the warnings the rules
-- raise without blocking. Portable dialect: TEXT ids, TEXT ISO dates and moments, INTEGER flags (0/1).
-- Stage changes live with the front half's stage history; clock events in case_events (0005).

-- 4.13 Conference. One conference may cover several children of a family (4.1.5); what is decided for each child
-- is in conference_children.
CREATE TABLE conferences (
    id                              TEXT PRIMARY KEY,
    conf_type                       TEXT NOT NULL,           -- 3.15 conference_type
    status                          TEXT NOT NULL DEFAULT 'scheduled',  -- scheduled | held
    scheduled_at                    TEXT NOT NULL,           -- ISO moment of the meeting
    held_at                         TEXT,
    venue                           TEXT,
    childcare_offered               INTEGER NOT NULL DEFAULT 0,          -- 4.3.8
    chair_user_id                   TEXT REFERENCES users(id),
    chair_independence_confirmed    INTEGER NOT NULL DEFAULT 0,          -- 4.8.1
    minute_taker                    TEXT,                    -- 4.14.3
    parents_not_invited_reason      TEXT,                    -- 4.4.1: only when inviting them would prejudice the child
    brought_forward_trigger         TEXT,                    -- 3.17 review_trigger
    previous_conference_id          TEXT REFERENCES conferences(id),
    originating_la                  TEXT,                    -- transfer-in (4.1.16)
    reschedule_count                INTEGER NOT NULL DEFAULT 0,
    reschedule_reason               TEXT,
    police_caution_note             TEXT,                    -- 4.5.7
    quorum_met                      INTEGER,                 -- set when the conference is held (4.3.10)
    police_present                  INTEGER,
    csc_present                     INTEGER,
    inquorate_no_three_agencies     INTEGER NOT NULL DEFAULT 0,          -- the three 4.3.11 conditions
    inquorate_enough_information    INTEGER NOT NULL DEFAULT 0,
    inquorate_delay_harmful         INTEGER NOT NULL DEFAULT 0,
    inquorate_reason                TEXT,
    recommendations                 TEXT,                    -- for the decision letter (4.14.13)
    decision_letter_sent_at         TEXT,
    record_sent_at                  TEXT,
    record_version                  INTEGER NOT NULL DEFAULT 0,
    record_amendments_received_at   TEXT,
    record_discussed_with_parents_at TEXT,
    created_at                      TEXT NOT NULL,
    created_by                      TEXT REFERENCES users(id),
    updated_at                      TEXT NOT NULL,
    updated_by                      TEXT REFERENCES users(id),
    CHECK (status IN ('scheduled', 'held'))
);
CREATE INDEX conferences_scheduled ON conferences(scheduled_at);

-- The children a conference is about, each with their own case, participation and decision (4.9.6).
CREATE TABLE conference_children (
    id                          TEXT PRIMARY KEY,
    conference_id               TEXT NOT NULL REFERENCES conferences(id),
    child_id                    TEXT NOT NULL REFERENCES children(id),
    case_id                     TEXT NOT NULL REFERENCES cases(id),
    participation               TEXT,                    -- 3.15 child_participation
    child_wish                  TEXT,                    -- 4.4.6, 4.4.8
    parents_view_on_attending   TEXT,
    decision                    TEXT,                    -- 3.16 conference_decision
    decision_reasons            TEXT,
    category                    TEXT,                    -- 3.1 cp_category: exactly one with a plan
    likelihood_basis            TEXT,                    -- 4.9.2
    risks_stated                TEXT,
    what_needs_to_change        TEXT,
    significant_harm_judgement  TEXT,                    -- 4.1.19 (every review)
    consider_legal_proceedings  INTEGER NOT NULL DEFAULT 0,
    new_assessment_required     INTEGER NOT NULL DEFAULT 0,
    step_down_considered        INTEGER NOT NULL DEFAULT 0,          -- 4.8.3, 4.10.1
    full_assessment_completed   INTEGER NOT NULL DEFAULT 0,          -- transfer-in without a plan (4.1.18)
    cin_recommendations         TEXT,
    lead_sw_user_id             TEXT REFERENCES users(id),
    first_core_group_at         TEXT,
    core_group_frequency_weeks  INTEGER,
    visit_frequency_weeks       INTEGER,
    next_review_at              TEXT,
    contingency_plan            TEXT,
    outline_outcomes            TEXT,                    -- one outcome per line (4.9.8)
    plan_id                     TEXT,
    decided_at                  TEXT,
    decided_by                  TEXT REFERENCES users(id),
    UNIQUE (conference_id, child_id)
);
CREATE INDEX conference_children_child ON conference_children(child_id);
CREATE INDEX conference_children_case ON conference_children(case_id);

-- Invitations and attendance (4.3, 4.4.1, 4.14.2).
CREATE TABLE conference_invitations (
    id                          TEXT PRIMARY KEY,
    conference_id               TEXT NOT NULL REFERENCES conferences(id),
    user_id                     TEXT REFERENCES users(id),
    person_id                   TEXT REFERENCES persons(id),
    name                        TEXT NOT NULL,
    attendee_role               TEXT NOT NULL,           -- 3.15 conference_attendee_role
    agency_id                   TEXT REFERENCES agencies(id),
    sent_at                     TEXT,
    direct_contact              INTEGER NOT NULL DEFAULT 0,          -- the agency has seen each subject child (4.3.10)
    attendance                  TEXT,                    -- 3.15 attendance_mode
    delegate_name               TEXT,                    -- 4.3.6
    pre_meeting_offered         INTEGER NOT NULL DEFAULT 0,          -- parents (4.4.1)
    interpreter_needed          INTEGER NOT NULL DEFAULT 0,
    observer_chair_consent      INTEGER NOT NULL DEFAULT 0,          -- 4.3.5
    observer_family_consent     INTEGER NOT NULL DEFAULT 0,
    case_member_ids             TEXT,                    -- the case_members rows that give an invited user the papers
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id),
    updated_at                  TEXT NOT NULL,
    updated_by                  TEXT REFERENCES users(id)
);
CREATE INDEX conference_invitations_conf ON conference_invitations(conference_id);

-- 4.15 Conference report.
CREATE TABLE conference_reports (
    id                          TEXT PRIMARY KEY,
    conference_id               TEXT NOT NULL REFERENCES conferences(id),
    report_type                 TEXT NOT NULL,
    agency_id                   TEXT REFERENCES agencies(id),
    author_user_id              TEXT REFERENCES users(id),
    title                       TEXT NOT NULL,
    content                     TEXT NOT NULL,
    fact_opinion_distinguished  INTEGER NOT NULL DEFAULT 0,          -- 4.7.1
    each_child_considered       INTEGER NOT NULL DEFAULT 0,          -- 4.7.3, 4.7.6
    submitted_at                TEXT NOT NULL,
    shared_with_family_at       TEXT,
    withheld_from_family        INTEGER NOT NULL DEFAULT 0,
    withholding_reason          TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX conference_reports_conf ON conference_reports(conference_id);

-- 4.14 Conference exclusion: asked for by an agency or the social worker, decided by the chair alone (4.5.8).
CREATE TABLE conference_exclusions (
    id                          TEXT PRIMARY KEY,
    conference_id               TEXT NOT NULL REFERENCES conferences(id),
    person_id                   TEXT NOT NULL REFERENCES persons(id),
    requested_by                TEXT REFERENCES users(id),
    requested_at                TEXT NOT NULL,
    grounds                     TEXT NOT NULL,           -- comma-separated 3.14 exclusion_ground codes
    evidence                    TEXT NOT NULL,
    legal_advice_taken          INTEGER NOT NULL DEFAULT 0,
    representative              TEXT,                    -- a friend or advocate (4.5.1)
    decision                    TEXT,                    -- 3.14 exclusion_extent
    decided_by                  TEXT REFERENCES users(id),
    decided_at                  TEXT,
    period                      TEXT,                    -- for how long: the minimum necessary (4.5.5)
    communicated_in_writing_at  TEXT,                    -- 4.5.9
    views_arrangements          TEXT,                    -- how their views are recorded and presented (4.5.10)
    receives_record             TEXT,                    -- FULL | PARTIAL | NONE (4.4.1, 4.5.10)
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX conference_exclusions_conf ON conference_exclusions(conference_id);

-- Each agency's view on each child, and any dissent with its escalation (4.11, 4.20).
CREATE TABLE conference_views (
    id                          TEXT PRIMARY KEY,
    conference_id               TEXT NOT NULL REFERENCES conferences(id),
    child_id                    TEXT NOT NULL REFERENCES children(id),
    agency_id                   TEXT REFERENCES agencies(id),
    professional_name           TEXT NOT NULL,
    view                        TEXT NOT NULL,           -- agency_view
    dissent_position            TEXT,                    -- derived from the view against the decision
    designated_lead_at          TEXT,                    -- 4.11.2
    designated_lead_concurs     INTEGER,
    chair_manager_alerted_at    TEXT,                    -- 4.11.3
    manager_user_id             TEXT REFERENCES users(id),
    manager_decision            TEXT,                    -- dissent_manager_decision (4.11.4)
    manager_decided_at          TEXT,
    director_referral_at        TEXT,                    -- 4.11.5
    director_decision           TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX conference_views_conf ON conference_views(conference_id);

-- The body of the conference record, in sections; the chair may withhold a section from the parents' copy
-- (4.14.5, spec 5.11). Both copies are generated from these rows, never by editing a document.
CREATE TABLE conference_notes (
    id                          TEXT PRIMARY KEY,
    conference_id               TEXT NOT NULL REFERENCES conferences(id),
    heading                     TEXT NOT NULL,
    body                        TEXT NOT NULL,
    withheld_from_parents       INTEGER NOT NULL DEFAULT 0,
    withholding_reason          TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX conference_notes_conf ON conference_notes(conference_id);

-- The letters and records generated for a conference, one document per child (each child's file holds its copy).
CREATE TABLE conference_documents (
    id                          TEXT PRIMARY KEY,
    conference_id               TEXT NOT NULL REFERENCES conferences(id),
    child_id                    TEXT NOT NULL REFERENCES children(id),
    document_id                 TEXT NOT NULL REFERENCES documents(id),
    kind                        TEXT NOT NULL,           -- decision_letter | record | parents_copy
    version                     INTEGER NOT NULL,
    created_at                  TEXT NOT NULL,
    CHECK (kind IN ('decision_letter', 'record', 'parents_copy'))
);
CREATE INDEX conference_documents_conf ON conference_documents(conference_id);

-- 4.16 Child protection plan.
CREATE TABLE cp_plans (
    id                          TEXT PRIMARY KEY,
    child_id                    TEXT NOT NULL REFERENCES children(id),
    case_id                     TEXT NOT NULL REFERENCES cases(id),
    conference_id               TEXT REFERENCES conferences(id),     -- the conference that made it (NULL: temporary)
    status                      TEXT NOT NULL,           -- cp_plan_status
    category                    TEXT,
    lead_sw_user_id             TEXT REFERENCES users(id),
    contingency_plan            TEXT,
    legal_action_triggers       TEXT,
    visit_frequency_weeks       INTEGER,
    core_group_frequency_weeks  INTEGER,
    next_review_at              TEXT,
    originating_la              TEXT,                    -- transfer-in (4.1.17)
    transfer_notified_at        TEXT,
    start_date                  TEXT,
    activated_at                TEXT,
    activated_by                TEXT REFERENCES users(id),
    end_date                    TEXT,
    end_reason                  TEXT,                    -- discontinuation_reason
    ended_by                    TEXT REFERENCES users(id),
    end_conference_id           TEXT REFERENCES conferences(id),
    consultation_record         TEXT,                    -- 4.10.6, 4.10.7
    receiving_la_confirmed_at   TEXT,                    -- 4.10.5: written confirmation after its conference
    step_down_cin               INTEGER NOT NULL DEFAULT 0,
    post_plan_meeting_at        TEXT,                    -- 4.10.3
    post_plan_meeting_notes     TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id),
    updated_at                  TEXT NOT NULL,
    updated_by                  TEXT REFERENCES users(id)
);
CREATE INDEX cp_plans_child ON cp_plans(child_id);
CREATE INDEX cp_plans_case ON cp_plans(case_id);

-- Core group membership for the life of the plan (5.2.3). A member who signs in also has a case_members row,
-- which is what gives them access; it is ended with the plan.
CREATE TABLE plan_members (
    id                          TEXT PRIMARY KEY,
    plan_id                     TEXT NOT NULL REFERENCES cp_plans(id),
    user_id                     TEXT REFERENCES users(id),
    person_id                   TEXT REFERENCES persons(id),
    name                        TEXT NOT NULL,
    member_role                 TEXT NOT NULL,           -- conference_attendee_role
    agency_id                   TEXT REFERENCES agencies(id),
    contact_frequency           TEXT,                    -- how often they see the child (5.2.1, 4.9.8)
    case_member_id              TEXT,
    start_date                  TEXT NOT NULL,
    end_date                    TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX plan_members_plan ON plan_members(plan_id);

CREATE TABLE plan_outcomes (
    id                          TEXT PRIMARY KEY,
    plan_id                     TEXT NOT NULL REFERENCES cp_plans(id),
    description                 TEXT NOT NULL,
    measure                     TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX plan_outcomes_plan ON plan_outcomes(plan_id);

-- 4.18 Action.
CREATE TABLE plan_actions (
    id                          TEXT PRIMARY KEY,
    plan_id                     TEXT NOT NULL REFERENCES cp_plans(id),
    outcome_id                  TEXT REFERENCES plan_outcomes(id),
    description                 TEXT NOT NULL,
    owner_name                  TEXT NOT NULL,
    owner_user_id               TEXT REFERENCES users(id),
    owner_agency_id             TEXT REFERENCES agencies(id),
    due_date                    TEXT NOT NULL,
    status                      TEXT NOT NULL DEFAULT 'OPEN',
    completed_at                TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id),
    updated_at                  TEXT NOT NULL,
    updated_by                  TEXT REFERENCES users(id)
);
CREATE INDEX plan_actions_plan ON plan_actions(plan_id);

-- 4.17 Core group meeting.
CREATE TABLE core_group_meetings (
    id                          TEXT PRIMARY KEY,
    plan_id                     TEXT NOT NULL REFERENCES cp_plans(id),
    sequence_no                 INTEGER NOT NULL,
    scheduled_at                TEXT,
    held_at                     TEXT,
    chair_name                  TEXT,
    venue                       TEXT,
    attendees                   TEXT,
    apologies                   TEXT,
    progress_review             TEXT,                    -- 5.3.3
    risk_analysis               TEXT,                    -- 5.2.1
    new_household_members       TEXT,                    -- 5.2.1
    plan_changes                TEXT,
    disagreements               TEXT,                    -- 5.3.11
    outcome                     TEXT,                    -- core_group_outcome
    next_meeting_at             TEXT,
    reschedule_count            INTEGER NOT NULL DEFAULT 0,
    written_confirmation_sent_at TEXT,                   -- 5.2.7
    notes_circulated_at         TEXT,                    -- 5.3.10
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id),
    updated_at                  TEXT NOT NULL,
    updated_by                  TEXT REFERENCES users(id)
);
CREATE INDEX core_group_meetings_plan ON core_group_meetings(plan_id);

-- 4.19 Visit.
CREATE TABLE plan_visits (
    id                          TEXT PRIMARY KEY,
    plan_id                     TEXT NOT NULL REFERENCES cp_plans(id),
    child_id                    TEXT NOT NULL REFERENCES children(id),
    case_id                     TEXT NOT NULL REFERENCES cases(id),
    visitor_user_id             TEXT REFERENCES users(id),
    visit_at                    TEXT NOT NULL,
    visit_type                  TEXT NOT NULL,
    outcome                     TEXT NOT NULL,           -- visit_outcome
    bedroom_seen                INTEGER NOT NULL DEFAULT 0,
    infant_seen_awake           INTEGER,
    others_present              TEXT,
    child_views                 TEXT,
    observations                TEXT,
    no_access_reason            TEXT,
    consecutive_no_access       INTEGER NOT NULL DEFAULT 0,          -- 5.5.2
    follow_up_actions           TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX plan_visits_plan ON plan_visits(plan_id, visit_at);

-- Warnings a rule raises without blocking, and alerts (two failed visits), shown and kept (spec section 5).
CREATE TABLE pathway_warnings (
    id                          TEXT PRIMARY KEY,
    child_id                    TEXT NOT NULL REFERENCES children(id),
    case_id                     TEXT REFERENCES cases(id),
    subject_type                TEXT NOT NULL,
    subject_id                  TEXT,
    severity                    TEXT NOT NULL,           -- warning | alert
    rule_ref                    TEXT NOT NULL,           -- spec section 5 rule (R-xx)
    citation                    TEXT NOT NULL,
    message                     TEXT NOT NULL,
    raised_at                   TEXT NOT NULL,
    raised_by                   TEXT REFERENCES users(id),
    CHECK (severity IN ('warning', 'alert'))
);
CREATE INDEX pathway_warnings_child ON pathway_warnings(child_id, raised_at);
