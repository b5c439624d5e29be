//! The management API under `/api` (the dashboard's backend): login here; keys, providers, combos and aliases,
//! settings in their own files. Every route but login requires an [`AdminSession`].

mod catalog;
mod combos;
mod keys;
mod oauth;
mod providers;
mod settings;
mod usage;

pub(super) use catalog::{catalog, test_connection};
pub(super) use combos::{
    create_alias, create_combo, delete_alias, delete_combo, list_aliases, list_combos, update_combo,
};
pub(super) use keys::{create_key, delete_key, list_keys, update_key};
pub(super) use oauth::{complete as oauth_complete, import as oauth_import, poll as oauth_poll, start as oauth_start};
pub(super) use providers::{create_connection, delete_connection, list_connections, update_connection};
pub(super) use settings::{get_settings, put_settings};
pub(super) use usage::{usage_recent, usage_summary};

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderMap, HeaderValue, Uri};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::extract::is_https;
use super::AppState;
use crate::auth::session;
use crate::error::{ApiError, ErrorKind};

/// The clock as a stored timestamp.
pub(super) fn now_ms(state: &AppState) -> i64 {
    i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX)
}

/// Parses a JSON request body, naming the problem on failure.
pub(super) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::invalid_request(format!("invalid request body: {e}")))
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
