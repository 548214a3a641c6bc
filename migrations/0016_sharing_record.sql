-- The complete information-sharing record (issue 7, part 4; spec B-ch01-07 digest 3d and guards 3f): how the
-- exchange started and who asked, the risk at the time, who consent was asked of, whether the subject and the
-- source were told afterwards, the channel and its safeguards (call-back for an unknown caller, the address checked
-- by a second person), what the recipient means to do with it, and the details the chosen lawful basis needs.
-- Every column is nullable or defaulted, so decisions recorded before this migration stay valid; the page shows
-- "not recorded" for what they lack. Codes: direction, risk_level, consent_of, subject_informed and source_informed
-- from rules/enums.d/access_control.json; channel from rules/sharing_channels.json.
ALTER TABLE sharing_decisions ADD COLUMN direction TEXT;                    -- request_received | request_made | proactive
ALTER TABLE sharing_decisions ADD COLUMN requester_name TEXT;               -- who asked (a request received)
ALTER TABLE sharing_decisions ADD COLUMN requester_agency TEXT;
ALTER TABLE sharing_decisions ADD COLUMN purpose TEXT;                      -- the purpose the request gave
ALTER TABLE sharing_decisions ADD COLUMN risk_level TEXT;                   -- risk of harm when decided (3.5.1)
ALTER TABLE sharing_decisions ADD COLUMN risk_prompt TEXT;                  -- what prompted a disclosure (3.5.8)
ALTER TABLE sharing_decisions ADD COLUMN consent_of TEXT;                   -- whose consent was asked for (3.5.2)
ALTER TABLE sharing_decisions ADD COLUMN subject_informed TEXT;             -- yes | no | not_yet (3.5.3, 3.5.5)
ALTER TABLE sharing_decisions ADD COLUMN subject_informed_on TEXT;          -- YYYY-MM-DD, when yes
ALTER TABLE sharing_decisions ADD COLUMN subject_not_informed_reason TEXT;  -- when no
ALTER TABLE sharing_decisions ADD COLUMN subject_informed_by TEXT REFERENCES users(id); -- who settled a "not yet"
ALTER TABLE sharing_decisions ADD COLUMN source_informed TEXT;              -- yes | no | not_applicable (3.4.4)
ALTER TABLE sharing_decisions ADD COLUMN channel TEXT;                      -- how it went (3.5.4-3.5.7)
ALTER TABLE sharing_decisions ADD COLUMN recipient_address TEXT;            -- email, portal or postal address
ALTER TABLE sharing_decisions ADD COLUMN security_assurance TEXT;           -- how the recipient keeps it safe (3.5.6)
ALTER TABLE sharing_decisions ADD COLUMN caller_known INTEGER;              -- a phone request: caller already known
ALTER TABLE sharing_decisions ADD COLUMN callback_verified INTEGER;         -- rang their agency back first (3.5.4)
ALTER TABLE sharing_decisions ADD COLUMN address_check_required INTEGER NOT NULL DEFAULT 0; -- four-eyes (3.5.6)
ALTER TABLE sharing_decisions ADD COLUMN address_checked_by TEXT REFERENCES users(id);
ALTER TABLE sharing_decisions ADD COLUMN address_checked_at TEXT;           -- UTC moment
ALTER TABLE sharing_decisions ADD COLUMN onward_sharing TEXT;               -- will the recipient pass it on (3.4.4)
ALTER TABLE sharing_decisions ADD COLUMN consent_limits_explained INTEGER;  -- told the limits of the consent
ALTER TABLE sharing_decisions ADD COLUMN basis_detail TEXT;                 -- what the chosen basis needs (3.3.1-3.4.3)
ALTER TABLE sharing_decisions ADD COLUMN subject_can_consent INTEGER;       -- vital interests with special category data
ALTER TABLE sharing_decisions ADD COLUMN outside_public_task INTEGER;       -- legitimate interests by a public body
CREATE INDEX sharing_decisions_not_yet ON sharing_decisions(child_id, subject_informed);
