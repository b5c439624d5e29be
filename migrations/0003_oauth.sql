-- OAuth accounts: the encrypted credentials of each OAuth connection, and pending login flows.
-- Secrets are sealed (ChaCha20-Poly1305, key from TOKEN_ENCRYPTION_KEY / DATA_DIR/token.key) before they reach
-- these tables; the plain columns hold only what the dashboard shows.

-- One row per OAuth connection. `sealed` holds access token, refresh token and provider extras together, so a
-- rotated refresh token is always written in the same statement as its access token.
CREATE TABLE IF NOT EXISTS oauth_tokens (
  connection_id TEXT PRIMARY KEY,
  sealed TEXT NOT NULL,           -- base64(nonce || ciphertext) of the credentials JSON
  status TEXT NOT NULL DEFAULT 'active',   -- active | needs_reauth
  expires_at INTEGER,             -- unix ms when the token the upstream sees expires (NULL = unknown)
  refreshed_at INTEGER,           -- unix ms of the last successful refresh
  updated_at INTEGER NOT NULL
);

-- Login flows in progress (auth code + PKCE, device code). Single-use: completing claims the row with
-- DELETE ... RETURNING; device polls claim their slot with a conditional UPDATE on next_poll_at.
CREATE TABLE IF NOT EXISTS oauth_flows (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  kind TEXT NOT NULL,             -- auth_code | device_code
  sealed TEXT NOT NULL,           -- sealed JSON: state, PKCE verifier, device code, redirect URI
  interval_ms INTEGER NOT NULL DEFAULT 0,
  next_poll_at INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_oauth_flows_expires ON oauth_flows (expires_at);
