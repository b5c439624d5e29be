-- Request logs on the edge (ENABLE_REQUEST_LOGS=true or the `request_logs` setting): one row per request with its
-- six stages as redacted text, each capped by the writer. The trigger keeps the newest 200 rows, so the insert
-- is the only write a request makes for its log. The native server writes files under DATA_DIR/logs instead.
CREATE TABLE IF NOT EXISTS request_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,                 -- unix ms when the request arrived
  inbound_format TEXT NOT NULL,
  upstream_format TEXT,
  model TEXT NOT NULL,
  status INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  streamed INTEGER NOT NULL,
  stages TEXT NOT NULL                 -- JSON array of {"name", "content"}
);

CREATE TRIGGER IF NOT EXISTS request_logs_keep_newest AFTER INSERT ON request_logs
BEGIN
  DELETE FROM request_logs WHERE id <= NEW.id - 200;
END;
