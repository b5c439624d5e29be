-- 9router initial schema. Applied by `wrangler d1 migrations apply` on the edge and by the native server at
-- start-up (both record applied files in d1_migrations). SQLite dialect only.

CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,           -- JSON
  updated_at INTEGER NOT NULL    -- unix ms
);

-- Client API keys. Only a SHA-256 of the key is stored; `key_prefix` is shown in lists.
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);

-- Provider connections (accounts): several per provider, tried by priority (lower first).
CREATE TABLE IF NOT EXISTS provider_connections (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  name TEXT NOT NULL,
  auth_type TEXT NOT NULL,        -- api_key | oauth
  api_key TEXT,                   -- upstream secret; never returned by list APIs
  base_url TEXT,                  -- overrides the provider's default
  priority INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  models TEXT,                    -- JSON array of model names, NULL = provider defaults
  metadata TEXT,                  -- JSON object (provider-specific: project id, region, ...)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_connections_provider ON provider_connections (provider, enabled, priority);

-- Combos: a named ordered list of `provider/model` strings tried in order.
CREATE TABLE IF NOT EXISTS combos (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  models TEXT NOT NULL,           -- JSON array
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Model aliases: name -> `provider/model`.
CREATE TABLE IF NOT EXISTS aliases (
  alias TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- One row per request.
CREATE TABLE IF NOT EXISTS usage (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,            -- unix ms
  api_key_id TEXT,
  provider TEXT,
  connection_id TEXT,
  requested_model TEXT,
  routed_model TEXT,
  combo TEXT,
  inbound_format TEXT,
  upstream_format TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  reasoning_tokens INTEGER NOT NULL DEFAULT 0,
  ttfb_ms INTEGER,
  total_ms INTEGER,
  status INTEGER,
  error_class TEXT,
  streamed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS idx_usage_ts ON usage (ts);
CREATE INDEX IF NOT EXISTS idx_usage_model_ts ON usage (routed_model, ts);
CREATE INDEX IF NOT EXISTS idx_usage_key_ts ON usage (api_key_id, ts);
