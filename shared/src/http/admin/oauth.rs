//! `/api/oauth/{provider}/…`: connecting OAuth accounts (the dashboard drives these). Thin wrappers over
//! [`crate::oauth::flows`]; responses carry the new connection, never a token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::parse_json;
use crate::error::ApiError;
use crate::http::{AdminSession, AppState};
use crate::oauth::flows;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompleteRequest {
    flow_id: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    redirect_url: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PollRequest {
    flow_id: String,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ImportRequest {
    credentials: Value,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    connection_id: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartRequest {
    /// Reconnect this existing OAuth connection instead of adding one.
    #[serde(default)]
    connection_id: Option<String>,
}

/// `POST /api/oauth/{provider}/start [{connectionId?}]` → `{flowId, kind, …}`; with `connectionId`, the flow
/// reconnects that account (its credentials are replaced, everything else kept).
pub(crate) async fn start(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(provider): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: StartRequest =
        if body.iter().all(u8::is_ascii_whitespace) { StartRequest::default() } else { parse_json(&body)? };
    Ok(Json(flows::start(&state, &provider, request.connection_id.as_deref()).await?))
}

/// `POST /api/oauth/{provider}/complete {flowId, code? | redirectUrl?, name?}` → `{connection}`.
pub(crate) async fn complete(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(provider): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: CompleteRequest = parse_json(&body)?;
    let pasted = request
        .redirect_url
        .filter(|u| !u.trim().is_empty())
        .or(request.code)
        .ok_or_else(|| ApiError::invalid_request("give `code` (or `code#state`) or `redirectUrl`"))?;
    let connection = flows::complete(&state, &provider, &request.flow_id, &pasted, request.name).await?;
    Ok(Json(json!({ "connection": connection })))
}

/// `POST /api/oauth/{provider}/poll {flowId, name?}` → `{status, connection?}`.
pub(crate) async fn poll(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(provider): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: PollRequest = parse_json(&body)?;
    Ok(Json(flows::poll(&state, &provider, &request.flow_id, request.name).await?))
}

/// `POST /api/oauth/{provider}/import {credentials, name?, connectionId?}` → `{connection}`.
pub(crate) async fn import(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(provider): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: ImportRequest = parse_json(&body)?;
    let reconnect = request.connection_id.as_deref();
    let connection = flows::import(&state, &provider, &request.credentials, request.name, reconnect).await?;
    Ok(Json(json!({ "connection": connection })))
}
