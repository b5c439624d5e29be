//! `/api/keys`: client API keys (shown once at creation, stored hashed).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{now_ms, parse_json};
use crate::auth::client_keys;
use crate::error::{ApiError, ErrorKind};
use crate::http::{AdminSession, AppState};
use crate::store::{new_id, ApiKeyRecord};

#[derive(Deserialize)]
struct CreateKeyRequest {
    #[serde(default)]
    name: Option<String>,
}

/// `POST /api/keys` `{name}` → the new key, shown this once.
pub(crate) async fn create_key(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let request: CreateKeyRequest = if body.is_empty() { CreateKeyRequest { name: None } } else { parse_json(&body)? };
    if request.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid_request("`name` must not be empty (leave it out for `default`)"));
    }
    let generated = client_keys::generate(state.random.as_ref());
    let record = ApiKeyRecord {
        id: new_id(state.random.as_ref()),
        name: request.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "default".into()),
        key_prefix: generated.display_prefix,
        enabled: true,
        created_at: now_ms(&state),
    };
    state.repo.insert_api_key(&record, &generated.hash).await?;
    let mut value = serde_json::to_value(&record).map_err(|e| ApiError::new(ErrorKind::Internal, e.to_string()))?;
    value["key"] = Value::String(generated.plaintext);
    Ok((StatusCode::CREATED, Json(value)))
}

/// `GET /api/keys`: keys without their secret.
pub(crate) async fn list_keys(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "keys": state.repo.list_api_keys().await? })))
}

/// `DELETE /api/keys/{id}`.
pub(crate) async fn delete_key(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if state.repo.delete_api_key(&id).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(ErrorKind::NotFound, format!("no API key with id `{id}`")))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateKeyRequest {
    name: Option<String>,
    enabled: Option<bool>,
}

/// `PATCH /api/keys/{id}` `{name?, enabled?}`.
pub(crate) async fn update_key(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: UpdateKeyRequest = parse_json(&body)?;
    if request.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid_request("`name` must not be empty"));
    }
    if state.repo.update_api_key(&id, request.name.as_deref(), request.enabled).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(ErrorKind::NotFound, format!("no API key with id `{id}`")))
    }
}
