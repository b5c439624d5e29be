-- Routing state of each provider (cooldowns, round-robin cursors, conversation stickings) as the native server
-- keeps it across restarts. The edge keeps the same state in its RoutingState Durable Objects instead and never
-- touches this table.
CREATE TABLE IF NOT EXISTS routing_state (
  provider TEXT PRIMARY KEY,
  state TEXT NOT NULL,           -- JSON of routing::state::ProviderRoutingState
  updated_at INTEGER NOT NULL    -- unix ms
);
