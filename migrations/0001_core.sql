-- Core records shared by every pathway (spec procedures-A1-5 section 4: 4.1-4.4, 4.21, 4.22).
-- Portable dialect: TEXT ids (opaque, random), TEXT ISO-8601 dates and UTC moments, INTEGER flags (0/1).
-- Every record carries who created and last changed it; the audit log (a later migration) holds the full trail.

CREATE TABLE agencies (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    agency_type  TEXT NOT NULL,           -- spec 3.23
    la_area      TEXT,
    out_of_hours_contact TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT
);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    manager_id  TEXT,                      -- a user id; set once users exist
    created_at  TEXT NOT NULL
);

-- Professionals are people who work with children (4.3); a user is a professional who can sign in.
CREATE TABLE professionals (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    job_role           TEXT NOT NULL,      -- spec 3.22 role code
    agency_id          TEXT NOT NULL REFERENCES agencies(id),
    team_id            TEXT REFERENCES teams(id),
    email              TEXT,
    phone              TEXT,
    is_qualified_sw    INTEGER NOT NULL DEFAULT 0,
    line_manager_id    TEXT REFERENCES professionals(id),
    created_at         TEXT NOT NULL,
    created_by         TEXT
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL,         -- access role (rules/roles.json)
    professional_id TEXT REFERENCES professionals(id),
    team_id         TEXT REFERENCES teams(id),
    password_hash   TEXT,                  -- argon2id (libsodium crypto_pwhash_str)
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE children (
    id                     TEXT PRIMARY KEY,
    forenames              TEXT NOT NULL,
    surname                TEXT NOT NULL,
    aliases                TEXT,            -- free text, one per line
    dob                    TEXT,            -- NULL for an unborn child
    is_unborn              INTEGER NOT NULL DEFAULT 0,
    edd                    TEXT,            -- expected date of delivery (2.6, 4.1.14)
    gender                 TEXT,
    ethnicity              TEXT,
    first_language         TEXT,
    religion               TEXT,
    nhs_number             TEXT,
    upn                    TEXT,
    address                TEXT,
    postcode               TEXT,
    address_restricted     INTEGER NOT NULL DEFAULT 0,  -- e.g. a refuge address (5.10)
    disabilities           TEXT,
    communication_needs    TEXT,
    interpreter_required   INTEGER NOT NULL DEFAULT 0,
    home_la                TEXT,
    legal_status           TEXT,
    is_looked_after        INTEGER NOT NULL DEFAULT 0,
    cp_plan_status         TEXT NOT NULL DEFAULT 'none',  -- none | active | temporary | ended (4.1.17, 4.10)
    cin_status             TEXT NOT NULL DEFAULT 'none',
    date_of_death          TEXT,
    created_at             TEXT NOT NULL,
    created_by             TEXT REFERENCES users(id),
    updated_at             TEXT NOT NULL,
    updated_by             TEXT REFERENCES users(id),
    CHECK (is_unborn IN (0, 1)),
    CHECK ((is_unborn = 1 AND edd IS NOT NULL) OR (is_unborn = 0 AND dob IS NOT NULL))
);
CREATE INDEX children_surname ON children(surname);
CREATE INDEX children_dob ON children(dob);
CREATE INDEX children_nhs ON children(nhs_number);

-- Parents, carers, household members, frequent visitors, alleged perpetrators (4.2).
CREATE TABLE persons (
    id                       TEXT PRIMARY KEY,
    forenames                TEXT NOT NULL,
    surname                  TEXT NOT NULL,
    aliases                  TEXT,
    dob                      TEXT,
    gender                   TEXT,
    ethnicity                TEXT,
    first_language           TEXT,
    interpreter_required     INTEGER NOT NULL DEFAULT 0,
    address                  TEXT,
    postcode                 TEXT,
    address_restricted       INTEGER NOT NULL DEFAULT 0,
    contact_details          TEXT,
    known_to_adult_services  INTEGER NOT NULL DEFAULT 0,
    poses_risk_to_children   INTEGER NOT NULL DEFAULT 0,
    risk_basis               TEXT,
    previous_concerns        TEXT,
    created_at               TEXT NOT NULL,
    created_by               TEXT REFERENCES users(id),
    updated_at               TEXT NOT NULL,
    updated_by               TEXT REFERENCES users(id)
);
CREATE INDEX persons_surname ON persons(surname);

-- Child <-> person relationship (4.2 "Relationship").
CREATE TABLE relationships (
    id                          TEXT PRIMARY KEY,
    child_id                    TEXT NOT NULL REFERENCES children(id),
    person_id                   TEXT NOT NULL REFERENCES persons(id),
    relationship_type           TEXT NOT NULL,
    has_parental_responsibility INTEGER NOT NULL DEFAULT 0,
    resident_in_household       INTEGER NOT NULL DEFAULT 0,
    start_date                  TEXT,
    end_date                    TEXT,
    created_at                  TEXT NOT NULL,
    created_by                  TEXT REFERENCES users(id),
    UNIQUE (child_id, person_id, relationship_type)
);
CREATE INDEX relationships_person ON relationships(person_id);

CREATE TABLE households (
    id          TEXT PRIMARY KEY,
    address     TEXT,
    postcode    TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id)
);

CREATE TABLE household_members (
    household_id TEXT NOT NULL REFERENCES households(id),
    child_id     TEXT REFERENCES children(id),
    person_id    TEXT REFERENCES persons(id),
    start_date   TEXT,
    end_date     TEXT,
    CHECK ((child_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX household_members_hh ON household_members(household_id);
CREATE INDEX household_members_child ON household_members(child_id);

-- A case is one episode of involvement with a child, from referral (or contact) to closure.
CREATE TABLE cases (
    id                TEXT PRIMARY KEY,
    child_id          TEXT NOT NULL REFERENCES children(id),
    stage             TEXT NOT NULL,           -- pathway state (spec section 7)
    opened_at         TEXT NOT NULL,
    closed_at         TEXT,
    closure_reason    TEXT,
    allocated_user_id TEXT REFERENCES users(id),
    team_id           TEXT REFERENCES teams(id),
    created_at        TEXT NOT NULL,
    created_by        TEXT REFERENCES users(id),
    updated_at        TEXT NOT NULL,
    updated_by        TEXT REFERENCES users(id)
);
CREATE INDEX cases_child ON cases(child_id);
CREATE INDEX cases_allocated ON cases(allocated_user_id);
CREATE INDEX cases_team ON cases(team_id);

-- The chronology is written as events happen, never typed up afterwards (4.21; usability U5).
CREATE TABLE chronology (
    id            TEXT PRIMARY KEY,
    child_id      TEXT NOT NULL REFERENCES children(id),
    case_id       TEXT REFERENCES cases(id),
    event_date    TEXT NOT NULL,           -- when it happened (ISO moment or date)
    event_type    TEXT NOT NULL,
    summary       TEXT NOT NULL,
    significance  TEXT NOT NULL DEFAULT 'routine',   -- routine | significant | critical
    source_type   TEXT,                    -- the kind of record that produced it
    source_id     TEXT,
    agency_id     TEXT REFERENCES agencies(id),
    created_by    TEXT REFERENCES users(id),   -- who entered it
    created_at    TEXT NOT NULL                -- when it was entered
);
CREATE INDEX chronology_child_date ON chronology(child_id, event_date);

-- Documents are stored with their SHA-256 so a later copy can be proved identical (4.22).
CREATE TABLE documents (
    id                    TEXT PRIMARY KEY,
    child_id              TEXT NOT NULL REFERENCES children(id),
    case_id               TEXT REFERENCES cases(id),
    doc_type              TEXT NOT NULL,
    title                 TEXT NOT NULL,
    filename              TEXT,
    mime_type             TEXT NOT NULL,
    size_bytes            INTEGER NOT NULL,
    sha256                TEXT NOT NULL,
    content               BLOB,                  -- written with a typed bind right after the row
    confidential          INTEGER NOT NULL DEFAULT 0,
    withheld_from_family  INTEGER NOT NULL DEFAULT 0,
    withholding_reason    TEXT,
    redacted_version_of   TEXT REFERENCES documents(id),
    created_at            TEXT NOT NULL,
    created_by            TEXT REFERENCES users(id)
);
CREATE INDEX documents_child ON documents(child_id);
