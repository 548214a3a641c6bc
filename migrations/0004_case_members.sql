-- People with a named part in a child's case beyond allocation: core group members for the life of a plan,
-- conference invitees for a conference's papers, the referrer for feedback on their own referral (issue 7).
-- The access policy reads this table for the 'involved' relation.
CREATE TABLE case_members (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    child_id    TEXT NOT NULL REFERENCES children(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    member_role TEXT NOT NULL,            -- core_group | conference_invitee | referrer | other
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id)
);
CREATE INDEX case_members_child_user ON case_members(child_id, user_id);
