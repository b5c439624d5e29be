-- Dashboard login: the changed password and failed-login records (rate limiting that holds across Worker
-- isolates). SQLite dialect only.

-- At most one row (id = 1). No row: the password is still INITIAL_PASSWORD and must be changed.
CREATE TABLE IF NOT EXISTS admin_password (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  hash TEXT NOT NULL,             -- pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>
  version INTEGER NOT NULL,       -- bumped on every change; sessions issued for an older version are refused
  updated_at INTEGER NOT NULL     -- unix ms
);

-- One row per failed login (wrong password), per client address; rows older than the window are pruned.
CREATE TABLE IF NOT EXISTS login_failures (
  client TEXT NOT NULL,           -- client IP address
  ts INTEGER NOT NULL             -- unix ms
);
CREATE INDEX IF NOT EXISTS idx_login_failures_client_ts ON login_failures (client, ts);
CREATE INDEX IF NOT EXISTS idx_login_failures_ts ON login_failures (ts);
