-- The front half of the child protection pathway (issue 5; spec procedures-A1-5 stages ST-01..ST-14, entities 4.5-4.12,
-- 4.23, 4.24): contacts, referrals, the communication log, assessments, child in need plans, emergency action, police
-- notifications, strategy meetings/discussions, section 47 enquiries, paediatric assessments, missing or obstructed
-- children and hospital holds; and the stage_transitions table every pathway command writes (src/pathway/stage.c).
-- Portable dialect: TEXT ids, TEXT ISO-8601 moments (Europe/London with offset), INTEGER flags (0/1).

-- Who moved a case from which stage to which, when, by which command and why; warnings that did not block.
CREATE TABLE stage_transitions (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    child_id      TEXT NOT NULL REFERENCES children(id),
    seq           INTEGER NOT NULL,          -- 1, 2, 3 ... within the case (1 = the opening)
    from_stage    TEXT,                      -- NULL for the opening of the case
    to_stage      TEXT NOT NULL,
    command       TEXT NOT NULL,
    reason        TEXT,
    warnings      TEXT,                      -- JSON array of {rule, citation, message}
    source_type   TEXT,
    source_id     TEXT,
    consumed_event_id TEXT,                  -- the case_events row an event guard used (used once only)
    actor_user_id TEXT REFERENCES users(id),
    at            TEXT NOT NULL,
    at_epoch      INTEGER NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX stage_transitions_case ON stage_transitions(case_id, seq);

-- 4.5 Contact: any approach to children's social care (2.1.1). Referrer details of a non-professional are
-- protected (1.7.5, 2.4.8): they never leave the system without identity_disclosure_consent.
CREATE TABLE contacts (
    id                          TEXT PRIMARY KEY,
    received_at                 TEXT NOT NULL,
    channel                     TEXT NOT NULL,            -- contact_channel
    contact_type                TEXT NOT NULL,            -- contact_type
    referrer_type               TEXT NOT NULL,            -- referrer_type
    out_of_hours                INTEGER NOT NULL DEFAULT 0,
    anonymous                   INTEGER NOT NULL DEFAULT 0,
    anonymity_requested         INTEGER NOT NULL DEFAULT 0,
    identity_disclosure_consent INTEGER NOT NULL DEFAULT 0,
    referrer_name               TEXT,
    referrer_role               TEXT,
    referrer_agency_id          TEXT REFERENCES agencies(id),
    referrer_agency_name        TEXT,
    referrer_phone              TEXT,
    referrer_email              TEXT,
    referrer_relationship       TEXT,                     -- to the child and family (2.4.4)
    referrer_user_id            TEXT REFERENCES users(id), -- a signed-in partner referrer, for feedback
    feedback_wanted             INTEGER NOT NULL DEFAULT 1,
    feedback_method             TEXT,                     -- feedback_method
    interview_offered           INTEGER NOT NULL DEFAULT 0,
    concern_summary             TEXT NOT NULL,            -- what was said and seen (fact)
    referrer_opinion            TEXT,                     -- opinion, kept apart (1.7.1)
    immediate_danger            INTEGER NOT NULL DEFAULT 0,
    parental_agreement          TEXT,                     -- parental_agreement
    parental_not_sought_reason  TEXT,                     -- consent_not_sought_reason (1.6.14)
    parental_reason_detail      TEXT,
    status                      TEXT NOT NULL DEFAULT 'open', -- open | converted | closed
    closed_reason               TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id),
    updated_at                  TEXT NOT NULL,
    updated_by                  TEXT REFERENCES users(id)
);
CREATE INDEX contacts_received ON contacts(received_at);

-- The children a contact is about; each gets a case, and decisions are made per child (2.2.19).
CREATE TABLE contact_children (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    child_id    TEXT NOT NULL REFERENCES children(id),
    case_id     TEXT NOT NULL REFERENCES cases(id),
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id),
    UNIQUE (contact_id, child_id)
);
CREATE INDEX contact_children_child ON contact_children(child_id);

-- 4.6 Referral: one per child (per case); received_at starts T-06, T-08 and T-16.
CREATE TABLE referrals (
    id                                TEXT PRIMARY KEY,
    contact_id                        TEXT REFERENCES contacts(id),
    case_id                           TEXT NOT NULL REFERENCES cases(id),
    child_id                          TEXT NOT NULL REFERENCES children(id),
    received_at                       TEXT NOT NULL,
    verbal                            INTEGER NOT NULL DEFAULT 0,
    written_confirmation_at           TEXT,
    route                             TEXT,              -- referral_route
    concern_description               TEXT,
    concern_identified_at             TEXT,
    child_location                    TEXT,
    immediate_protection_needed       INTEGER NOT NULL DEFAULT 0,
    paediatric_same_day               INTEGER NOT NULL DEFAULT 0,  -- severe neglect, injury or penetrative abuse (3.8.22)
    child_views                       TEXT,
    interpreter_need                  TEXT,
    parental_agreement                TEXT,
    parental_not_sought_reason        TEXT,
    parental_reason_detail            TEXT,
    checks_without_consent            INTEGER NOT NULL DEFAULT 0,
    checks_without_consent_reason     TEXT,              -- checks_without_consent_reason (2.5.5)
    checks_without_consent_detail     TEXT,
    checks_authorised_by              TEXT REFERENCES users(id),
    checks_authorised_at              TEXT,
    acknowledged_at                   TEXT,
    expected_decision_by              TEXT,
    decision                          TEXT,              -- referral_outcome
    decision_at                       TEXT,
    decided_by                        TEXT REFERENCES users(id),
    decision_reasons                  TEXT,
    needs_immediate_protection        INTEGER,
    is_cin                            INTEGER,
    reasonable_cause_s47              INTEGER,
    specialist_assessment_required    INTEGER,
    see_child_asap                    INTEGER,
    services_required                 TEXT,
    agreed_actions                    TEXT,
    alternative_support               TEXT,
    family_feedback_by                TEXT,
    family_informed                   INTEGER,
    family_not_informed_reason        TEXT,              -- family_not_told_reason (2.1.13)
    created_at                        TEXT NOT NULL,
    created_by                        TEXT REFERENCES users(id),
    updated_at                        TEXT NOT NULL,
    updated_by                        TEXT REFERENCES users(id)
);
CREATE INDEX referrals_case ON referrals(case_id);
CREATE INDEX referrals_contact ON referrals(contact_id);

-- 4.23 Notification and communication log: evidence for T-05, T-08, T-46 and every feedback duty.
CREATE TABLE communications (
    id                          TEXT PRIMARY KEY,
    case_id                     TEXT NOT NULL REFERENCES cases(id),
    child_id                    TEXT NOT NULL REFERENCES children(id),
    direction                   TEXT NOT NULL DEFAULT 'out',   -- out | in
    recipient_type              TEXT NOT NULL,                 -- communication_party
    recipient_name              TEXT,
    purpose                     TEXT NOT NULL,                 -- communication_purpose
    channel                     TEXT NOT NULL,                 -- communication_channel
    sent_at                     TEXT NOT NULL,
    summary                     TEXT,
    linked_type                 TEXT,
    linked_id                   TEXT,
    rule_id                     TEXT,                          -- the timescale or rule it evidences (T-08, R-49)
    discloses_referrer_identity INTEGER NOT NULL DEFAULT 0,
    content_agreed_with_police  INTEGER NOT NULL DEFAULT 0,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX communications_case ON communications(case_id, sent_at);

-- 4.7 Assessment (s17 / single assessment), continuing alongside any s47 enquiry (3.3.3).
CREATE TABLE assessments (
    id                           TEXT PRIMARY KEY,
    case_id                      TEXT NOT NULL REFERENCES cases(id),
    child_id                     TEXT NOT NULL REFERENCES children(id),
    referral_id                  TEXT REFERENCES referrals(id),
    assessment_type              TEXT NOT NULL,
    started_at                   TEXT NOT NULL,
    plan                         TEXT,
    who_seen                     TEXT,
    child_seen_at                TEXT,
    child_seen_alone             INTEGER NOT NULL DEFAULT 0,
    child_seen_alone_at          TEXT,
    child_not_seen_reason        TEXT,
    child_not_seen_decided_by    TEXT REFERENCES users(id),
    child_views                  TEXT,
    parents_seen                 INTEGER NOT NULL DEFAULT 0,
    parents_views                TEXT,
    household_children_seen      INTEGER NOT NULL DEFAULT 0,
    home_visited_at              TEXT,
    bedroom_seen                 INTEGER NOT NULL DEFAULT 0,
    factors                      TEXT,
    developmental_needs          TEXT,
    parenting_capacity           TEXT,
    family_environment           TEXT,
    analysis                     TEXT,
    if_nothing_changes           TEXT,
    is_cin                       INTEGER,
    reasonable_cause_s47         INTEGER,
    accommodation_needed         INTEGER,
    interpreter_used             INTEGER NOT NULL DEFAULT 0,
    interpreter_name             TEXT,
    interpreter_is_family_member INTEGER NOT NULL DEFAULT 0,
    outcome                      TEXT,                  -- assessment_outcome
    outcome_reasons              TEXT,
    outcome_recorded_at          TEXT,
    outcome_recorded_by          TEXT REFERENCES users(id),
    chk_child_alone_views        INTEGER NOT NULL DEFAULT 0,
    chk_all_children_seen        INTEGER NOT NULL DEFAULT 0,
    chk_home_and_bedroom         INTEGER NOT NULL DEFAULT 0,
    chk_parent_seen_views        INTEGER NOT NULL DEFAULT 0,
    chk_histories_considered     INTEGER NOT NULL DEFAULT 0,
    chk_analysis_complete        INTEGER NOT NULL DEFAULT 0,
    chk_evidence_for_services    INTEGER NOT NULL DEFAULT 0,
    chk_records_chronology       INTEGER NOT NULL DEFAULT 0,
    chk_review_planned           INTEGER NOT NULL DEFAULT 0,
    chk_plan_distributed         INTEGER NOT NULL DEFAULT 0,
    authorised_by                TEXT REFERENCES users(id),
    authorised_at                TEXT,
    status                       TEXT NOT NULL DEFAULT 'open',  -- open | completed
    created_at                   TEXT NOT NULL,
    created_by                   TEXT REFERENCES users(id),
    updated_at                   TEXT NOT NULL,
    updated_by                   TEXT REFERENCES users(id)
);
CREATE INDEX assessments_case ON assessments(case_id);

-- T-16 extensions: the social worker's reasons and the first line manager's new date (2.2.36, 2.5.2, A-05).
CREATE TABLE assessment_extensions (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    clock_id      TEXT NOT NULL,
    sw_reason     TEXT NOT NULL,
    manager_reason TEXT NOT NULL,
    new_due       TEXT NOT NULL,
    approved_by   TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    created_by    TEXT REFERENCES users(id)
);

-- 4.24 Child in need plan (2.2.30-2.2.32).
CREATE TABLE cin_plans (
    id                   TEXT PRIMARY KEY,
    case_id              TEXT NOT NULL REFERENCES cases(id),
    child_id             TEXT NOT NULL REFERENCES children(id),
    source               TEXT,
    services             TEXT NOT NULL,
    actions              TEXT,
    purpose              TEXT,
    measurable_outcomes  TEXT NOT NULL,
    parent_expectations  TEXT,
    review_points        TEXT,
    agreed_at            TEXT NOT NULL,
    next_review_date     TEXT,
    created_at           TEXT NOT NULL,
    created_by           TEXT REFERENCES users(id)
);
CREATE INDEX cin_plans_case ON cin_plans(case_id);

-- 4.12 Emergency action / legal order (3.2).
CREATE TABLE emergency_actions (
    id                        TEXT PRIMARY KEY,
    case_id                   TEXT NOT NULL REFERENCES cases(id),
    child_id                  TEXT NOT NULL REFERENCES children(id),
    means                     TEXT NOT NULL,          -- protection_means
    taken_at                  TEXT NOT NULL,
    agency                    TEXT,
    officers                  TEXT,
    designated_officer_name   TEXT,
    designated_officer_rank   TEXT,                   -- police_rank
    last_resort_reason        TEXT,
    legal_advice_at           TEXT,
    manager_agreement_by      TEXT REFERENCES users(id),
    manager_agreement_at      TEXT,
    order_made_at             TEXT,
    order_expires_at          TEXT,
    court                     TEXT,
    other_children_considered TEXT,
    child_location            TEXT,
    proceedings_decision      TEXT,
    created_at                TEXT NOT NULL,
    created_by                TEXT REFERENCES users(id)
);
CREATE INDEX emergency_actions_case ON emergency_actions(case_id);

-- ST-09 police notification (2.4.19, 3.5).
CREATE TABLE police_notifications (
    id                      TEXT PRIMARY KEY,
    case_id                 TEXT NOT NULL REFERENCES cases(id),
    child_id                TEXT NOT NULL REFERENCES children(id),
    notified_at             TEXT NOT NULL,
    channel                 TEXT NOT NULL,         -- communication_channel
    matters                 TEXT,                  -- police_matter
    police_decision         TEXT,                  -- police_decision
    investigation_mode      TEXT,                  -- investigation_mode
    police_reference        TEXT,
    confirmed_in_writing_at TEXT,
    notes                   TEXT,
    created_at              TEXT NOT NULL,
    created_by              TEXT REFERENCES users(id)
);
CREATE INDEX police_notifications_case ON police_notifications(case_id);

-- 4.9 Strategy meeting/discussion (3.4).
CREATE TABLE strategy_discussions (
    id                          TEXT PRIMARY KEY,
    case_id                     TEXT NOT NULL REFERENCES cases(id),
    child_id                    TEXT NOT NULL REFERENCES children(id),
    sequence_no                 INTEGER NOT NULL,
    previous_smd_id             TEXT REFERENCES strategy_discussions(id),
    format                      TEXT NOT NULL,       -- smd_format
    smd_trigger                 TEXT,                -- smd_trigger
    category                    TEXT NOT NULL,       -- smd_category (drives T-33..T-36)
    held_at                     TEXT NOT NULL,
    chair_name                  TEXT NOT NULL,
    chair_is_flm                INTEGER NOT NULL DEFAULT 0,
    medical_implications        INTEGER NOT NULL DEFAULT 0,
    child_in_hospital           INTEGER NOT NULL DEFAULT 0,
    access_refused              INTEGER NOT NULL DEFAULT 0,
    information_shared          TEXT,
    decision_s47                TEXT NOT NULL,       -- smd_s47_decision
    investigation_mode          TEXT,
    criminal_investigation_plan TEXT,
    s47_plan                    TEXT,
    child_seen_alone_plan       TEXT,
    interpreter_needed          INTEGER NOT NULL DEFAULT 0,
    other_children_considered   TEXT,
    paediatric_assessment_needed INTEGER NOT NULL DEFAULT 0,
    paediatric_timing           TEXT,
    immediate_actions           TEXT,
    decisions                   TEXT,
    family_sharing_decision     TEXT,
    withheld_reason             TEXT,
    legal_action_required       INTEGER NOT NULL DEFAULT 0,
    further_smd_due             TEXT,
    s47_authorised_by           TEXT REFERENCES users(id),
    police_consulted_at         TEXT,
    attendance_override_reason  TEXT,
    record_authorised_by        TEXT REFERENCES users(id),
    circulated_at               TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX strategy_discussions_case ON strategy_discussions(case_id, sequence_no);

CREATE TABLE strategy_participants (
    id                  TEXT PRIMARY KEY,
    smd_id              TEXT NOT NULL REFERENCES strategy_discussions(id),
    name                TEXT NOT NULL,
    agency_type         TEXT NOT NULL,               -- agency_type
    role                TEXT,
    invited             INTEGER NOT NULL DEFAULT 1,
    attended            INTEGER NOT NULL DEFAULT 0,
    is_chair            INTEGER NOT NULL DEFAULT 0,
    is_referrer         INTEGER NOT NULL DEFAULT 0,
    seniority_confirmed INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    created_by          TEXT REFERENCES users(id)
);
CREATE INDEX strategy_participants_smd ON strategy_participants(smd_id);

-- 4.10 Section 47 enquiry.
CREATE TABLE s47_enquiries (
    id                            TEXT PRIMARY KEY,
    case_id                       TEXT NOT NULL REFERENCES cases(id),
    child_id                      TEXT NOT NULL REFERENCES children(id),
    initiating_smd_id             TEXT NOT NULL REFERENCES strategy_discussions(id),
    started_at                    TEXT NOT NULL,
    authorised_by                 TEXT REFERENCES users(id),
    police_consulted_at           TEXT,
    investigation_mode            TEXT,
    police_reference              TEXT,
    family_informed_plan          TEXT,
    parents_informed_at           TEXT,
    parents_not_informed_reason   TEXT,              -- s47_not_informed_reason (3.4.25)
    parents_not_informed_detail   TEXT,
    parents_not_informed_by       TEXT REFERENCES users(id),
    parent_permission_for_checks  TEXT,              -- parental_agreement
    proceed_despite_refusal_reason TEXT,
    child_seen_at                 TEXT,
    child_seen_alone              INTEGER NOT NULL DEFAULT 0,
    child_seen_present            TEXT,
    joint_visit_discussed         INTEGER NOT NULL DEFAULT 0,
    joint_visit_notes             TEXT,
    risk_assessment               TEXT,
    views_considered              TEXT,
    outcome                       TEXT,              -- s47_outcome
    outcome_at                    TEXT,
    outcome_authorised_by         TEXT REFERENCES users(id),
    all_children_and_carers_seen  INTEGER NOT NULL DEFAULT 0,
    agencies_agree_safety_plan    INTEGER NOT NULL DEFAULT 0,
    icpc_decision                 INTEGER,
    icpc_decision_reasons         TEXT,
    interim_safety_arrangements   TEXT,
    status                        TEXT NOT NULL DEFAULT 'open',  -- open | outcome | closed
    created_at                    TEXT NOT NULL,
    created_by                    TEXT REFERENCES users(id),
    updated_at                    TEXT NOT NULL,
    updated_by                    TEXT REFERENCES users(id)
);
CREATE INDEX s47_enquiries_case ON s47_enquiries(case_id);

CREATE TABLE s47_agency_checks (
    id                 TEXT PRIMARY KEY,
    s47_id             TEXT NOT NULL REFERENCES s47_enquiries(id),
    agency_name        TEXT NOT NULL,
    professional_name  TEXT NOT NULL,
    contacted_directly INTEGER NOT NULL DEFAULT 1,
    reason_given       TEXT NOT NULL,
    consent_status     TEXT NOT NULL,                -- parental_agreement
    response           TEXT,
    checked_at         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    created_by         TEXT REFERENCES users(id)
);
CREATE INDEX s47_agency_checks_s47 ON s47_agency_checks(s47_id);

-- 4.11 Paediatric assessment (3.8).
CREATE TABLE paediatric_assessments (
    id                         TEXT PRIMARY KEY,
    case_id                    TEXT NOT NULL REFERENCES cases(id),
    child_id                   TEXT NOT NULL REFERENCES children(id),
    record_kind                TEXT NOT NULL,        -- paediatric_record_kind
    urgency                    TEXT,                 -- paediatric_urgency
    purpose                    TEXT,                 -- paediatric_purpose
    examiner_type              TEXT,                 -- examiner_type
    examiner_name              TEXT NOT NULL,
    examined_at                TEXT NOT NULL,
    place                      TEXT,
    consent_given_by           TEXT,                 -- paediatric_consent_by
    consent_method             TEXT,                 -- consent_method
    emergency_without_consent  INTEGER NOT NULL DEFAULT 0,
    parents_informed_at        TEXT,
    interview_before_exam      INTEGER NOT NULL DEFAULT 1,
    exam_first_agreed_reason   TEXT,
    findings                   TEXT,
    report_signed_by           TEXT,
    report_signed_at           TEXT,
    report_sent_to             TEXT,
    sarc_referral              INTEGER NOT NULL DEFAULT 0,
    created_at                 TEXT NOT NULL,
    created_by                 TEXT REFERENCES users(id)
);
CREATE INDEX paediatric_assessments_case ON paediatric_assessments(case_id);

-- 4.24 Missing / whereabouts episode, and access refused (3.6.2, 3.6.3).
CREATE TABLE whereabouts_episodes (
    id                    TEXT PRIMARY KEY,
    case_id               TEXT NOT NULL REFERENCES cases(id),
    child_id              TEXT NOT NULL REFERENCES children(id),
    kind                  TEXT NOT NULL,            -- whereabouts_kind
    recorded_at           TEXT NOT NULL,            -- starts T-41 (A-17)
    last_seen_at          TEXT,
    attempts              TEXT,
    smd_id                TEXT REFERENCES strategy_discussions(id),
    manager_agreement_by  TEXT REFERENCES users(id),
    location_plan         TEXT,
    located_at            TEXT,
    outcome               TEXT,
    created_at            TEXT NOT NULL,
    created_by            TEXT REFERENCES users(id),
    updated_at            TEXT NOT NULL,
    updated_by            TEXT REFERENCES users(id)
);
CREATE INDEX whereabouts_episodes_case ON whereabouts_episodes(case_id);

-- Hospital discharge hold (1.6.19, R-14).
CREATE TABLE hospital_holds (
    id                          TEXT PRIMARY KEY,
    case_id                     TEXT NOT NULL REFERENCES cases(id),
    child_id                    TEXT NOT NULL REFERENCES children(id),
    hospital_name               TEXT NOT NULL,
    placed_at                   TEXT NOT NULL,
    smd_not_appropriate_reason  TEXT,
    released_at                 TEXT,
    released_by                 TEXT REFERENCES users(id),
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id)
);
CREATE INDEX hospital_holds_case ON hospital_holds(case_id);
