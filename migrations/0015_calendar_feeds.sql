-- Private calendar feeds (issue 4, part 4: an iCalendar feed per user of their upcoming deadlines). A calendar
-- application cannot sign in, so each user may turn on one secret feed address; it works until they turn it off or
-- replace it, or their account is disabled. Only the SHA-256 of the secret is kept (as for sessions), so a copy of
-- this table cannot be turned into working addresses. Times are seconds since the Unix epoch.
CREATE TABLE calendar_feeds (
    user_id      TEXT PRIMARY KEY REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
