-- User-defined providers: an OpenAI-, Responses- or Anthropic-compatible endpoint with its own model prefix.
-- Connections (`provider_connections.provider`) and usage rows refer to `id`, clients to `prefix/model`.
CREATE TABLE IF NOT EXISTS custom_providers (
  id TEXT PRIMARY KEY,
  prefix TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  format TEXT NOT NULL,           -- openai | responses | anthropic
  base_url TEXT NOT NULL,
  chat_path TEXT,                 -- NULL = the format's default
  headers TEXT,                   -- JSON object of extra headers
  models TEXT,                    -- JSON array of model names
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
