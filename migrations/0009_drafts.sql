-- Drafts of forms being filled in (issue 8; usability goal U4, "nothing typed is ever lost"). The browser posts a
-- form's fields here as the user types; the form's page pre-fills from its draft when it is opened again (after a
-- session time-out and a new sign-in, say), and the draft is deleted when the form is submitted successfully.
-- A draft belongs to one user and is never shown to anyone else. form_key is the path of the form's page
-- ("/children/new"); data is the fields as a JSON object text; updated_at is seconds since the Unix epoch.
CREATE TABLE drafts (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    form_key   TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (user_id, form_key)
);
CREATE INDEX drafts_updated ON drafts(updated_at);
