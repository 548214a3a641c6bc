-- Search (usability goal U6): index tables that let one search box find a child by a name typed with a typo, by a
-- name that sounds alike, by an alias or a related adult's name, by NHS number, postcode or address word, without
-- scanning every child. src/search/search_index.c keeps them in step with the records inside the same transaction;
-- docs/internals/search.md has the design. Portable dialect: plain tables and indexes, no vendor functions.

-- One row per name token of a child: the child's own names (source 'name'), the aliases and previous names
-- ('alias'), and the names of adults related to the child ('adult'). token is lower-case ASCII with accents folded;
-- phonetic is its sound key (search_phonetic).
CREATE TABLE search_names (
    child_id  TEXT NOT NULL REFERENCES children(id),
    source    TEXT NOT NULL,
    token     TEXT NOT NULL,
    phonetic  TEXT NOT NULL,
    CHECK (source IN ('name', 'alias', 'adult'))
);
CREATE INDEX search_names_token ON search_names(token, child_id);
CREATE INDEX search_names_phonetic ON search_names(phonetic, child_id);
CREATE INDEX search_names_child ON search_names(child_id);

-- Other keys: 'nhs' (ten digits), 'postcode' (upper case, no spaces), 'area' (the outward code), 'address' (a word
-- of the address). A restricted address (a refuge, procedures-A1-5 5.10) is never written here, so no search can
-- match it or reveal it.
CREATE TABLE search_keys (
    child_id  TEXT NOT NULL REFERENCES children(id),
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    CHECK (kind IN ('nhs', 'postcode', 'area', 'address'))
);
CREATE INDEX search_keys_key ON search_keys(kind, key, child_id);
CREATE INDEX search_keys_child ON search_keys(child_id);

-- Which version of the key functions built the index: a newer binary rebuilds it at start-up (search_index_refresh).
CREATE TABLE search_index_state (
    version  INTEGER NOT NULL
);
INSERT INTO search_index_state (version) VALUES (0);
