//! `GET /api/stats`: database round trips since the process (natively) or the Worker isolate started, so the
//! number of D1 reads and writes per request can be measured (two readings around a known number of requests).

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::http::{AdminSession, AppState};

/// `GET /api/stats` → `{db: {queries, executes, batches}}`.
pub(crate) async fn stats(State(state): State<Arc<AppState>>, _session: AdminSession) -> Json<Value> {
    Json(json!({ "db": state.db_counters.snapshot() }))
}
