//! `/api/auth/*`: login (rate-limited per client address), logout, status and password change.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderMap, HeaderValue, Uri};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{now_ms, parse_json};
use crate::auth::{login_limit, password, session};
use crate::error::{ApiError, ErrorKind};
use crate::http::extract::{is_https, ClientIp};
use crate::http::{AdminSession, AppState};

#[derive(Deserialize)]
struct LoginRequest {
    password: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ChangePasswordRequest {
    current_password: String,
    new_password: String,
}

fn internal(err: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorKind::Internal, err.to_string())
}

/// 429 when `client` has used up its failed logins.
async fn refuse_if_limited(state: &AppState, client: &str, now: i64) -> Result<(), ApiError> {
    let failures = state.repo.recent_login_failures(client, now - login_limit::WINDOW_MS).await?;
    match login_limit::retry_after_secs(failures, now) {
        None => Ok(()),
        Some(secs) => {
            Err(ApiError::new(ErrorKind::RateLimited, format!("too many failed logins; try again in {secs} seconds"))
                .with_retry_after(secs))
        }
    }
}

/// The password version `candidate` logs in to, or `None` when it is wrong (the failure is recorded).
async fn check_password(state: &AppState, client: &str, candidate: &str) -> Result<Option<i64>, ApiError> {
    let matched = match state.repo.admin_password().await? {
        None => session::password_matches(candidate, &state.config.initial_password).then_some(0),
        Some(stored) => password::verify(state.kdf.as_ref(), &stored.hash, candidate)
            .await
            .map_err(internal)?
            .then_some(stored.version),
    };
    if matched.is_none() {
        let now = now_ms(state);
        state.repo.record_login_failure(client, now, now - login_limit::WINDOW_MS).await?;
    }
    Ok(matched)
}

/// `body` with a fresh session for `version` in its cookie.
fn with_session(
    state: &AppState,
    version: i64,
    uri: &Uri,
    headers: &HeaderMap,
    mut body: Value,
) -> Result<Response, ApiError> {
    let token = session::issue(&state.config.jwt_secret, state.clock.now_ms() / 1000, version).map_err(internal)?;
    let cookie = HeaderValue::from_str(&session::cookie(&token, is_https(uri, headers)))
        .map_err(|_| internal("could not build the session cookie"))?;
    body["token"] = Value::String(token);
    let mut response = Json(body).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /api/auth/login` `{password}` → session cookie (and the token, for non-browser clients). Five wrong
/// passwords per client address in 15 minutes → 429 with `Retry-After`.
pub(crate) async fn login(
    State(state): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    refuse_if_limited(&state, &client, now_ms(&state)).await?;
    let request: LoginRequest = parse_json(&body)?;
    let Some(version) = check_password(&state, &client, &request.password).await? else {
        return Err(ApiError::new(ErrorKind::Authentication, "wrong password"));
    };
    state.repo.clear_login_failures(&client).await?;
    with_session(&state, version, &uri, &headers, json!({ "ok": true }))
}

/// `POST /api/auth/logout`: clears the cookie.
pub(crate) async fn logout() -> Response {
    let mut response = Json(json!({ "ok": true })).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&session::clearing_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /api/auth/status` (no session needed) → `{authenticated, mustChangePassword}`; the latter is true
/// while the password has never been changed from `INITIAL_PASSWORD`.
pub(crate) async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let version = state.repo.password_version().await?;
    let authenticated = session::presented_token(&headers)
        .is_some_and(|token| session::verify(&state.config.jwt_secret, token).is_ok_and(|pv| pv == version));
    Ok(Json(json!({ "authenticated": authenticated, "mustChangePassword": version == 0 })))
}

/// `POST /api/auth/password` `{currentPassword, newPassword}` → a fresh session; sessions issued before are
/// refused from now on. A wrong current password counts as a failed login.
pub(crate) async fn change_password(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    ClientIp(client): ClientIp,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: ChangePasswordRequest = parse_json(&body)?;
    password::check_new(&request.current_password, &request.new_password)
        .map_err(|e| ApiError::invalid_request(e.to_string()))?;
    refuse_if_limited(&state, &client, now_ms(&state)).await?;
    let Some(version) = check_password(&state, &client, &request.current_password).await? else {
        return Err(ApiError::new(ErrorKind::Authentication, "the current password is wrong"));
    };
    let hash =
        password::hash(state.kdf.as_ref(), state.random.as_ref(), &request.new_password).await.map_err(internal)?;
    if !state.repo.set_admin_password(&hash, version, now_ms(&state)).await? {
        return Err(ApiError::new(ErrorKind::Authentication, "the password was changed meanwhile; log in again"));
    }
    with_session(&state, version + 1, &uri, &headers, json!({ "ok": true }))
}
