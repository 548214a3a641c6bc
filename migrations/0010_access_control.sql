-- Who may see what (issue 7): emergency ("break-glass") access to restricted details, the alerts it raises, and the
-- record of every decision to share or not to share information about a child.
-- Portable dialect: TEXT ids, INTEGER seconds since the Unix epoch for moments that are range-queried (a grant is
-- live while expires_at is in the future), INTEGER flags (0/1).

-- One use of emergency access: who, which child, why, and until when. While now < expires_at the policy treats the
-- user as on the restricted list for that child (src/policy/policy.c, the "unlocks" field of an access action).
-- A grant is never changed or deleted by the application: expiry ends it, and the rows are the break-glass report.
CREATE TABLE break_glass_grants (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    child_id    TEXT NOT NULL REFERENCES children(id),
    reason      TEXT NOT NULL,
    granted_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    CHECK (expires_at > granted_at)
);
CREATE INDEX break_glass_user_child ON break_glass_grants(user_id, child_id, expires_at);
CREATE INDEX break_glass_granted ON break_glass_grants(granted_at);

-- Messages to one user, shown on their "My work" page until read. kind says what raised it ("break_glass");
-- source_id is the record that did (a grant id). The text is built when shown, from the ids, so names stay current.
CREATE TABLE alerts (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    child_id    TEXT REFERENCES children(id),
    source_id   TEXT,
    actor_id    TEXT REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX alerts_user_unread ON alerts(user_id, read_at, created_at);

-- Every decision to share information about a child, or not to (procedures-B 3.1.4, 3.4.5, 3.5.1-3.5.8): what,
-- with whom, why, on which lawful basis (codes from rules/lawful_bases.json), whether consent was sought and, if not
-- or if it was refused, why (codes from the sharing_no_consent_reason list, spec procedures-A1-5 3.8).
CREATE TABLE sharing_decisions (
    id                          TEXT PRIMARY KEY,
    child_id                    TEXT NOT NULL REFERENCES children(id),
    decision                    TEXT NOT NULL,      -- shared | partly_shared | refused
    information                 TEXT NOT NULL,      -- what was shared, or asked for and refused
    recipient_type              TEXT NOT NULL,      -- agency | parent | court | other
    recipient_name              TEXT NOT NULL,
    reason                      TEXT NOT NULL,      -- why, for a share and for a refusal alike
    lawful_basis                TEXT,               -- UK GDPR Article 6 code; required unless refused
    special_category_condition  TEXT,               -- UK GDPR Article 9 code, when special category data went
    schedule1_condition         TEXT,               -- DPA 2018 Schedule 1 code, when the Article 9 code needs one
    consent_sought              INTEGER NOT NULL,
    consent_given               INTEGER,            -- NULL when not sought
    no_consent_reason           TEXT,
    no_consent_detail           TEXT,
    decided_by                  TEXT NOT NULL REFERENCES users(id),
    decided_at                  TEXT NOT NULL,      -- UTC moment, contemporaneous
    CHECK (consent_sought IN (0, 1)),
    CHECK (decision IN ('shared', 'partly_shared', 'refused'))
);
CREATE INDEX sharing_decisions_child ON sharing_decisions(child_id, decided_at);
