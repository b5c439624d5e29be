-- User price overrides for cost estimates (USD per 1M tokens). `model` is a model name or a `prefix*` pattern;
-- built-in prices live in the code (shared/src/usage/price_table.rs), so deleting a row reverts to them.
CREATE TABLE IF NOT EXISTS model_prices (
  model TEXT PRIMARY KEY,
  input REAL NOT NULL,
  output REAL NOT NULL,
  cache_read REAL NOT NULL,
  cache_write REAL NOT NULL,
  updated_at INTEGER NOT NULL    -- unix ms
);
