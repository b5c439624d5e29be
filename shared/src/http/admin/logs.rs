//! `/api/logs`: request logs — list (newest first), one with its stages, clear all.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, ErrorKind};
use crate::http::{AdminSession, AppState};
use crate::request_log::LogStoreError;

/// Most logs listed at once.
const MAX_LIST: usize = 500;

fn api_error(err: LogStoreError) -> ApiError {
    match err {
        LogStoreError::BadId(id) => ApiError::invalid_request(format!("invalid log id `{id}`")),
        LogStoreError::Store(err) => err.into(),
        LogStoreError::Io(_) => ApiError::new(ErrorKind::Internal, err.to_string()),
    }
}

/// Whether request logs are being written (the environment switch or the setting).
pub(crate) async fn logs_enabled(state: &AppState) -> bool {
    state.config.request_logs || state.repo.settings().await.is_ok_and(|s| s.request_logs)
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    limit: Option<usize>,
}

/// `GET /api/logs?limit=100`: `{ enabled, env_enabled, logs: [summary] }`.
pub(crate) async fn list_logs(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Query(query): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_LIST);
    let logs = state.request_logs.list(limit).await.map_err(api_error)?;
    let enabled = logs_enabled(&state).await;
    Ok(Json(json!({ "enabled": enabled, "env_enabled": state.config.request_logs, "logs": logs })))
}

/// `GET /api/logs/{id}`: the summary and its stages.
pub(crate) async fn get_log(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    match state.request_logs.get(&id).await.map_err(api_error)? {
        Some(detail) => Ok(Json(json!(detail))),
        None => Err(ApiError::new(ErrorKind::NotFound, format!("no request log `{id}`")).with_code("not_found")),
    }
}

/// `DELETE /api/logs`: deletes every log.
pub(crate) async fn clear_logs(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    let deleted = state.request_logs.clear().await.map_err(api_error)?;
    Ok(Json(json!({ "deleted": deleted })))
}
