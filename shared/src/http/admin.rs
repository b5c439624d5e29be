//! The management API under `/api` (the dashboard's backend): login, client keys, provider connections.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::extract::is_https;
use super::{AdminSession, AppState};
use crate::auth::{client_keys, session};
use crate::error::{ApiError, ErrorKind};
use crate::providers;
use crate::store::{new_id, ApiKeyRecord, Connection, NewConnection};

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid_request(format!("invalid request body: {e}")))
}

#[derive(Deserialize)]
struct LoginRequest {
    password: String,
}

/// `POST /api/auth/login` `{password}` → session cookie (and the token, for non-browser clients).
pub(super) async fn login(
    State(state): State<Arc<AppState>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: LoginRequest = parse_json(&body)?;
    if !session::password_matches(&request.password, &state.config.initial_password) {
        return Err(ApiError::new(ErrorKind::Authentication, "wrong password"));
    }
    let token = session::issue(&state.config.jwt_secret, state.clock.now_ms() / 1000)
        .map_err(|e| ApiError::new(ErrorKind::Internal, e.to_string()))?;
    let cookie = HeaderValue::from_str(&session::cookie(&token, is_https(&uri, &headers)))
        .map_err(|_| ApiError::new(ErrorKind::Internal, "could not build the session cookie"))?;
    let mut response = Json(json!({ "ok": true, "token": token })).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /api/auth/logout`: clears the cookie.
pub(super) async fn logout() -> Response {
    let mut response = Json(json!({ "ok": true })).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&session::clearing_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Deserialize)]
struct CreateKeyRequest {
    #[serde(default)]
    name: Option<String>,
}

/// `POST /api/keys` `{name}` → the new key, shown this once.
pub(super) async fn create_key(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let request: CreateKeyRequest = if body.is_empty() {
        CreateKeyRequest { name: None }
    } else {
        parse_json(&body)?
    };
    let generated = client_keys::generate(state.random.as_ref());
    let record = ApiKeyRecord {
        id: new_id(state.random.as_ref()),
        name: request
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "default".into()),
        key_prefix: generated.display_prefix,
        enabled: true,
        created_at: i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX),
    };
    state.repo.insert_api_key(&record, &generated.hash).await?;
    let mut value = serde_json::to_value(&record)
        .map_err(|e| ApiError::new(ErrorKind::Internal, e.to_string()))?;
    value["key"] = Value::String(generated.plaintext);
    Ok((StatusCode::CREATED, Json(value)))
}

/// `GET /api/keys`: keys without their secret.
pub(super) async fn list_keys(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "keys": state.repo.list_api_keys().await? })))
}

/// `DELETE /api/keys/{id}`.
pub(super) async fn delete_key(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if state.repo.delete_api_key(&id).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(
            ErrorKind::NotFound,
            format!("no API key with id `{id}`"),
        ))
    }
}

/// `POST /api/providers` `{provider, api_key, base_url?, name?, priority?, models?}` → the connection.
pub(super) async fn create_connection(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<(StatusCode, Json<Connection>), ApiError> {
    let request: NewConnection = parse_json(&body)?;
    let provider = providers::find(&request.provider).ok_or_else(|| {
        ApiError::invalid_request(format!(
            "unknown provider `{}`; known: {}",
            request.provider,
            providers::known_prefixes().join(", ")
        ))
    })?;
    let api_key = request.api_key.filter(|k| !k.trim().is_empty());
    if api_key.is_none() {
        return Err(ApiError::invalid_request(format!(
            "provider `{}` needs an `api_key`",
            provider.id
        )));
    }
    if let Some(base) = request.base_url.as_deref() {
        url::Url::parse(base)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                ApiError::invalid_request(format!("`base_url` is not an http(s) URL: {base}"))
            })?;
    }
    let now = i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX);
    let connection = Connection {
        id: new_id(state.random.as_ref()),
        provider: provider.id.to_owned(),
        name: request
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| provider.name.to_owned()),
        auth_type: "api_key".into(),
        api_key,
        base_url: request.base_url,
        priority: request.priority,
        enabled: true,
        models: request.models,
        created_at: now,
    };
    state.repo.insert_connection(&connection).await?;
    Ok((StatusCode::CREATED, Json(connection)))
}

/// `GET /api/providers`: the provider table and every connection (secrets omitted).
pub(super) async fn list_connections(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({
        "providers": providers::PROVIDERS,
        "connections": state.repo.list_connections().await?,
    })))
}

/// `DELETE /api/providers/{id}`.
pub(super) async fn delete_connection(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if state.repo.delete_connection(&id).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(
            ErrorKind::NotFound,
            format!("no connection with id `{id}`"),
        ))
    }
}
