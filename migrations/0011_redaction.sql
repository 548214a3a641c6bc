-- Redaction (issue 7, part 6): copies for other agencies are generated from the live record with the restricted
-- and withheld parts left out, never edited by hand (spec procedures-A1-5 5.10, 5.11; procedures-B 3.4.4).
-- Portable dialect: TEXT ids, TEXT ISO moments, INTEGER flags and counts.

-- Who may see a chronology entry and whether it may leave the agency (codes from the chronology_restriction list):
--   none         may be shared when a sharing decision covers it
--   restricted   seen only by those on the child's restricted list (or with break-glass access); never shared
--   third_party  about or from someone other than the child and family (a non-professional referrer, a
--                neighbour); never shared without that person's consent (5.11; Part A 1.7.5, 2.4.8)
--   withheld     may be seen inside the agency but not passed on (it would put the child at risk or jeopardise a
--                police investigation: 5.11; Part A 2.1.13, 3.4.2)
ALTER TABLE chronology ADD COLUMN restriction TEXT NOT NULL DEFAULT 'none';

-- One information pack made for a decision to share (procedures-B 3.4.4, 3.4.5): the agency copy that goes, and
-- the file copy it was redacted from (documents.redacted_version_of links the two as well). The scope it was
-- made with is kept so anyone can see why an entry was or was not in it.
CREATE TABLE sharing_packs (
    id                   TEXT PRIMARY KEY,
    sharing_decision_id  TEXT NOT NULL REFERENCES sharing_decisions(id),
    child_id             TEXT NOT NULL REFERENCES children(id),
    document_id          TEXT NOT NULL REFERENCES documents(id),   -- the agency copy
    full_document_id     TEXT NOT NULL REFERENCES documents(id),   -- the file copy (confidential)
    date_from            TEXT,                                     -- inclusive ISO dates; NULL = open
    date_to              TEXT,
    event_types          TEXT,                                     -- comma-separated codes; NULL = every type
    include_reports      INTEGER NOT NULL DEFAULT 1,
    entries_included     INTEGER NOT NULL,
    items_left_out       INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL REFERENCES users(id),
    CHECK (include_reports IN (0, 1))
);
CREATE INDEX sharing_packs_decision ON sharing_packs(sharing_decision_id, created_at);
CREATE INDEX sharing_packs_child ON sharing_packs(child_id, created_at);
