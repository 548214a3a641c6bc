-- Rules of spec procedures-A1-5 section 5 completed on the front and back half of the pathway: the pre-birth
-- referral's gestation and the manager's pre-birth assessment decision (R-94, 2.6.5), the pre-birth strategy
-- discussion's 2.6.10 decisions with the emergency protection instruction for the delivery suite (R-96) and the
-- medical advice behind not telling the parents (R-98, 2.6.11), the paediatric consent details (R-45, 3.8.7-3.8.15),
-- joint visit discussions recorded by both the police and children's social care (R-40, 3.3.5-3.3.7), and each
-- agency's acceptance of its plan responsibilities (R-76, 5.3.11).
-- Portable dialect: TEXT ids, TEXT ISO-8601 moments, INTEGER flags (0/1); ADD COLUMN with no default constraints
-- beyond constants.

-- R-94 (2.6.5): gestation in whole weeks when the referral came in (from the expected date of delivery unless the
-- referrer gave it), and the manager's decision whether to carry out a pre-birth assessment.
ALTER TABLE referrals ADD COLUMN gestation_weeks_at_referral INTEGER;
ALTER TABLE referrals ADD COLUMN prebirth_assessment_decision TEXT;    -- prebirth_assessment_decision
ALTER TABLE referrals ADD COLUMN prebirth_decision_rationale TEXT;
ALTER TABLE referrals ADD COLUMN prebirth_risks TEXT;
ALTER TABLE referrals ADD COLUMN prebirth_strengths TEXT;
ALTER TABLE referrals ADD COLUMN prebirth_decided_by TEXT REFERENCES users(id);
ALTER TABLE referrals ADD COLUMN prebirth_decided_at TEXT;
ALTER TABLE referrals ADD COLUMN prebirth_gestation_weeks_at_decision INTEGER;

-- R-96, R-98 (2.6.9-2.6.11): what a pre-birth strategy discussion must decide.
ALTER TABLE strategy_discussions ADD COLUMN venue TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_s47_and_assessment TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_assessment_areas TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_who_involved TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_parents_told_how_when TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_parents_not_told INTEGER NOT NULL DEFAULT 0;
ALTER TABLE strategy_discussions ADD COLUMN pb_medical_advice TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_medical_advice_by TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_adult_services_actions TEXT;
ALTER TABLE strategy_discussions ADD COLUMN pb_birth_actions TEXT;
ALTER TABLE strategy_discussions ADD COLUMN epo_at_delivery INTEGER NOT NULL DEFAULT 0;
ALTER TABLE strategy_discussions ADD COLUMN epo_instruction TEXT;
ALTER TABLE strategy_discussions ADD COLUMN midwifery_manager_name TEXT;
ALTER TABLE strategy_discussions ADD COLUMN midwifery_manager_told_at TEXT;

-- R-98 on the enquiry (2.6.11): who gave the medical advice not to tell the parents of an unborn child.
ALTER TABLE s47_enquiries ADD COLUMN parents_not_informed_medical_by TEXT;

-- R-45 (3.8.7-3.8.15): paediatric consent.
ALTER TABLE paediatric_assessments ADD COLUMN s20_general_consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE paediatric_assessments ADD COLUMN legal_advice_at TEXT;
ALTER TABLE paediatric_assessments ADD COLUMN legal_advice_summary TEXT;
ALTER TABLE paediatric_assessments ADD COLUMN parental_permission TEXT;          -- paediatric_parental_permission
ALTER TABLE paediatric_assessments ADD COLUMN parental_permission_reason TEXT;
ALTER TABLE paediatric_assessments ADD COLUMN emergency_record TEXT;
ALTER TABLE paediatric_assessments ADD COLUMN court_order_considered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE paediatric_assessments ADD COLUMN court_order_decision TEXT;
ALTER TABLE paediatric_assessments ADD COLUMN court_order_considered_by TEXT REFERENCES users(id);

-- R-40 (3.3.5-3.3.7): a joint visit discussion between the police and children's social care, each side's record
-- of it, and the visit's actions and decisions, recorded and shared.
CREATE TABLE s47_joint_visits (
    id                    TEXT PRIMARY KEY,
    s47_id                TEXT NOT NULL REFERENCES s47_enquiries(id),
    case_id               TEXT NOT NULL REFERENCES cases(id),
    child_id              TEXT NOT NULL REFERENCES children(id),
    allegation            TEXT NOT NULL,              -- police_matter
    discussed_at          TEXT NOT NULL,
    location              TEXT NOT NULL,              -- joint_visit_location
    decision              TEXT NOT NULL,              -- joint_visit_decision
    decision_reason       TEXT,
    immediate_risk        INTEGER NOT NULL DEFAULT 0,
    partner_unavailable   INTEGER NOT NULL DEFAULT 0,
    csc_record            TEXT NOT NULL,
    csc_recorded_by       TEXT REFERENCES users(id),
    police_officer_name   TEXT,
    police_reference      TEXT,
    police_record         TEXT,
    police_recorded_at    TEXT,
    police_recorded_by    TEXT REFERENCES users(id),
    visited_at            TEXT,
    visit_outcome         TEXT,
    actions_after         TEXT,
    actions_shared_at     TEXT,
    actions_shared_with   TEXT,
    created_at            TEXT NOT NULL,
    created_by            TEXT REFERENCES users(id),
    updated_at            TEXT NOT NULL,
    updated_by            TEXT REFERENCES users(id)
);
CREATE INDEX s47_joint_visits_s47 ON s47_joint_visits(s47_id);
CREATE INDEX s47_joint_visits_case ON s47_joint_visits(case_id);

-- R-76 (5.3.11): an agency's acceptance of its responsibilities under the plan, by signature or email, kept on the
-- children's social care record (the signed page or the email itself as a document of the child, or its reference).
CREATE TABLE plan_acceptances (
    id                 TEXT PRIMARY KEY,
    plan_id            TEXT NOT NULL REFERENCES cp_plans(id),
    agency_name        TEXT NOT NULL,
    agency_id          TEXT REFERENCES agencies(id),
    accepted_by_name   TEXT NOT NULL,
    responsibilities   TEXT NOT NULL,
    method             TEXT NOT NULL,                 -- acceptance_method
    accepted_at        TEXT NOT NULL,
    document_id        TEXT REFERENCES documents(id),
    evidence_reference TEXT,
    created_at         TEXT NOT NULL,
    created_by         TEXT REFERENCES users(id)
);
CREATE INDEX plan_acceptances_plan ON plan_acceptances(plan_id);
