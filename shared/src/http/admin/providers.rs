//! `/api/providers`: the provider table and provider connections (accounts). Upstream secrets are accepted
//! but never returned.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde_json::{json, Value};

use super::{now_ms, parse_json};
use crate::error::{ApiError, ErrorKind};
use crate::http::{AdminSession, AppState};
use crate::providers;
use crate::store::{new_id, Connection, ConnectionPatch, NewConnection};

fn check_base_url(base: Option<&str>) -> Result<(), ApiError> {
    if let Some(base) = base {
        url::Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| ApiError::invalid_request(format!("`base_url` is not an http(s) URL: {base}")))?;
    }
    Ok(())
}

fn check_models(models: Option<&Vec<String>>) -> Result<(), ApiError> {
    if models.is_some_and(|m| m.iter().any(|name| name.trim().is_empty())) {
        return Err(ApiError::invalid_request("`models` must not contain empty names"));
    }
    Ok(())
}

/// `POST /api/providers` `{provider, api_key, base_url?, name?, priority?, models?, metadata?}` → the connection.
pub(crate) async fn create_connection(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<(StatusCode, Json<Connection>), ApiError> {
    let request: NewConnection = parse_json(&body)?;
    // A built-in id or alias, or a custom provider's id or prefix.
    let provider = match state.repo.provider_by_id(&request.provider).await? {
        Some(provider) => Some(provider),
        None => state.repo.provider_by_prefix(&request.provider).await?,
    };
    let Some(provider) = provider else {
        return Err(ApiError::invalid_request(format!(
            "unknown provider `{}`; known: {}",
            request.provider,
            state.repo.known_prefixes().await?.join(", ")
        )));
    };
    let api_key = request.api_key.filter(|k| !k.trim().is_empty());
    if api_key.is_none() {
        return Err(ApiError::invalid_request(format!("provider `{}` needs an `api_key`", provider.id())));
    }
    if request.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid_request("`name` must not be empty"));
    }
    check_base_url(request.base_url.as_deref())?;
    check_models(request.models.as_ref())?;
    let now = i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX);
    let connection = Connection {
        id: new_id(state.random.as_ref()),
        provider: provider.id().to_owned(),
        name: request.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| provider.name().to_owned()),
        auth_type: "api_key".into(),
        api_key,
        base_url: request.base_url,
        priority: request.priority,
        enabled: true,
        models: request.models,
        metadata: request.metadata,
        created_at: now,
    };
    state.repo.insert_connection(&connection).await?;
    Ok((StatusCode::CREATED, Json(connection)))
}

/// `GET /api/providers`: the provider table, the custom providers and every connection (secrets omitted).
pub(crate) async fn list_connections(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    let statuses = state.repo.oauth_statuses().await?;
    let mut connections = Vec::new();
    for connection in state.repo.list_connections().await? {
        let mut entry = serde_json::to_value(&connection).unwrap_or(Value::Null);
        if connection.auth_type == "oauth" {
            let status = statuses.iter().find(|s| s.connection_id == connection.id);
            if let Value::Object(map) = &mut entry {
                // No stored credentials at all also means the user must connect it again.
                let label = status.map_or(crate::store::STATUS_NEEDS_REAUTH, |s| s.status.as_str());
                map.insert("status".into(), json!(label));
                map.insert("expiresAt".into(), json!(status.and_then(|s| s.expires_at)));
            }
        }
        connections.push(entry);
    }
    let custom: Vec<Value> =
        state.repo.custom_providers().await?.iter().map(|p| super::custom_providers::to_json(p)).collect();
    Ok(Json(json!({
        "providers": providers::PROVIDERS,
        "customProviders": custom,
        "connections": connections,
    })))
}

/// `DELETE /api/providers/{id}`.
pub(crate) async fn delete_connection(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if state.repo.delete_connection(&id).await? {
        state.repo.delete_oauth_tokens(&id).await?;
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(ErrorKind::NotFound, format!("no connection with id `{id}`")))
    }
}

/// `PATCH /api/providers/{id}`: any of `name`, `api_key`, `base_url`, `priority`, `enabled`, `models`,
/// `metadata`.
pub(crate) async fn update_connection(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Connection>, ApiError> {
    let patch: ConnectionPatch = parse_json(&body)?;
    if patch.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid_request("`name` must not be empty"));
    }
    if patch.api_key.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return Err(ApiError::invalid_request("`api_key` must not be empty"));
    }
    check_base_url(patch.base_url.as_ref().and_then(Option::as_deref))?;
    check_models(patch.models.as_ref().and_then(Option::as_ref))?;
    let not_found = || ApiError::new(ErrorKind::NotFound, format!("no connection with id `{id}`"));
    let mut connection = state.repo.connection(&id).await?.ok_or_else(not_found)?;
    connection.patch(patch);
    if state.repo.update_connection(&connection, now_ms(&state)).await? {
        Ok(Json(connection))
    } else {
        Err(not_found())
    }
}
