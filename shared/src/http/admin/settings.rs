//! `/api/settings`: read all, replace some (unknown keys are refused, values validated, nothing partial).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde_json::Value;

use super::{now_ms, parse_json};
use crate::error::ApiError;
use crate::http::{AdminSession, AppState};
use crate::store::Settings;

/// `GET /api/settings`.
pub(crate) async fn get_settings(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Settings>, ApiError> {
    Ok(Json(state.repo.settings().await?))
}

/// `PUT /api/settings` with any subset of the settings.
pub(crate) async fn put_settings(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<Json<Settings>, ApiError> {
    let changes: serde_json::Map<String, Value> = parse_json(&body)?;
    // Each change on its own first, so the error names the setting at fault.
    for (key, value) in &changes {
        let single = Value::Object(serde_json::Map::from_iter([(key.clone(), value.clone())]));
        serde_json::from_value::<Settings>(single)
            .map_err(|e| ApiError::invalid_request(format!("invalid setting `{key}`: {e}")))?;
    }
    let mut merged = serde_json::to_value(state.repo.settings().await?)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    merged.extend(changes);
    let settings: Settings = serde_json::from_value(Value::Object(merged))
        .map_err(|e| ApiError::invalid_request(format!("invalid settings: {e}")))?;
    settings.validate().map_err(ApiError::invalid_request)?;
    state.repo.save_settings(&settings, now_ms(&state)).await?;
    Ok(Json(settings))
}
