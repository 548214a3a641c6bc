-- Accounts and sessions (issue 7). Portable dialect: TEXT ids, TEXT ISO-8601 UTC moments ("YYYY-MM-DDTHH:MM:SSZ",
-- fixed width, so comparing the text compares the moments), INTEGER counters. The users table is in 0001_core.sql.

-- When the password was last set: lets an administrator see stale passwords and lets a session created before a
-- password change be recognised as older than it.
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

-- Server-side sessions. id is the hex SHA-256 of the random token in the cookie, never the token itself, so a copy
-- of this table cannot be replayed as cookies. expires_at is the idle deadline (moved forward as the user works, never
-- past absolute_expires_at); absolute_expires_at is fixed at sign-in.
CREATE TABLE sessions (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users(id),
    csrf_token          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    last_seen_at        TEXT NOT NULL,
    expires_at          TEXT NOT NULL,
    absolute_expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Failed sign-ins per normalised username, known or not (so lock-out behaves the same for names that do not exist
-- and cannot be used to discover accounts). Rows older than the counting window are pruned as new ones arrive.
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures(username, at);
CREATE INDEX login_failures_at ON login_failures(at);

-- A username is locked until locked_until; a later successful sign-in after that moment clears the row.
CREATE TABLE login_lockouts (
    username     TEXT PRIMARY KEY,
    locked_at    TEXT NOT NULL,
    locked_until TEXT NOT NULL
);

-- TOTP second factor (RFC 6238). secret is base32. confirmed_at stays NULL until the user has proved a code from
-- their authenticator, and only a confirmed secret is demanded at sign-in. last_step is the newest time step
-- accepted, so a code cannot be replayed within its validity window (RFC 6238 section 5.2).
CREATE TABLE user_totp (
    user_id      TEXT PRIMARY KEY REFERENCES users(id),
    secret       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    confirmed_at TEXT,
    last_step    INTEGER NOT NULL DEFAULT 0
);
