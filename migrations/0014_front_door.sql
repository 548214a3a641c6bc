-- The front door (issue 8 part 3): which team receives the referrals that partner agencies make themselves through
-- the referral question pages (/refer). A contact recorded by a member of staff opens its case in that person's
-- team, as before; a partner referrer belongs to no team of children's social care, so the case of a child they
-- refer is opened, unallocated, in the front door team, where the duty workers pick it up (SET Part A 1.6.22,
-- 2.4.1). With no team marked, such a case has no team and only those who may see every case (service managers)
-- see it: mark one with
--   UPDATE teams SET front_door = 1 WHERE id = '...';
-- Portable dialect: INTEGER flag (0/1).
ALTER TABLE teams ADD COLUMN front_door INTEGER NOT NULL DEFAULT 0;
