//! Client-facing routes: health, model list, chat completions.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use http::{HeaderMap, Uri};
use serde_json::{json, Value};

use super::{AppState, ClientKey};
use crate::error::{ApiError, ErrorKind};
use crate::formats::Format;
use crate::pipeline;
use crate::pipeline::proxy::UrlRequest;
use crate::usage::{UsageRecord, UsageTracker};

/// `GET /health`.
pub(super) async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "version": crate::VERSION }))
}

/// `GET /`: the dashboard.
pub(super) async fn root() -> Redirect {
    Redirect::temporary("/dashboard")
}

/// Unknown routes: an OpenAI-format 404.
pub(super) async fn not_found(uri: http::Uri) -> ApiError {
    ApiError::new(ErrorKind::NotFound, format!("no route for `{}`", uri.path())).with_code("not_found")
}

/// `POST /v1/chat/completions` (OpenAI Chat clients).
pub(super) async fn chat_completions(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    serve(&state, Format::OpenAiChat, key, &headers, body, UrlRequest::default()).await
}

/// `POST /v1/messages` (Anthropic clients: Claude Code and the Anthropic SDKs).
pub(super) async fn messages(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    serve(&state, Format::Anthropic, key, &headers, body, UrlRequest::default()).await
}

/// `POST /v1/responses` and `/codex/responses` (OpenAI Responses clients: Codex CLI, the OpenAI SDKs).
pub(super) async fn responses(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    serve(&state, Format::OpenAiResponses, key, &headers, body, UrlRequest::default()).await
}

/// `POST /v1beta/models/{model}:{generateContent|streamGenerateContent|countTokens}` (Gemini clients). The model
/// may itself contain `/` (`openai/gpt-4o-mini`).
pub(super) async fn gemini(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    Path(rest): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let as_gemini = |err: ApiError| err.in_format(Format::Gemini.client_format()).into_response();
    let Some((model, method)) = rest.rsplit_once(':') else {
        return as_gemini(ApiError::new(
            ErrorKind::NotFound,
            format!("no method in `{rest}`; expected `model:method`"),
        ));
    };
    let alt_sse = uri.query().is_some_and(|q| q.split('&').any(|pair| pair == "alt=sse"));
    let stream = match method {
        "generateContent" => false,
        "streamGenerateContent" => true,
        "countTokens" => return gemini_count_tokens(key, body).unwrap_or_else(as_gemini),
        other => return as_gemini(ApiError::new(ErrorKind::NotFound, format!("unknown method `{other}`"))),
    };
    let url = UrlRequest { model: Some(model.to_owned()), stream, json_array: stream && !alt_sse };
    serve(&state, Format::Gemini, key, &headers, body, url).await
}

/// Gemini `countTokens`: the same local estimate as Anthropic's (see [`pipeline::count_tokens`]).
fn gemini_count_tokens(
    key: Result<ClientKey, ApiError>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    key?;
    let body = body.map_err(|rejection| body_rejection(&rejection))?;
    let request: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid_request(format!("request body is not valid JSON: {e}")))?;
    let as_anthropic = json!({
        "system": request.get("systemInstruction").cloned().unwrap_or(Value::Null),
        "messages": request.get("contents").cloned().unwrap_or_else(|| json!([])),
        "tools": request.get("tools").cloned().unwrap_or(Value::Null),
    });
    Ok(Json(json!({ "totalTokens": pipeline::count_tokens::estimate(&as_anthropic) })).into_response())
}

/// `POST /v1/messages/count_tokens`: a local estimate (see [`pipeline::count_tokens`]).
pub(super) async fn count_tokens(key: Result<ClientKey, ApiError>, body: Result<Bytes, BytesRejection>) -> Response {
    let result = (|| {
        key?;
        let body = body.map_err(|rejection| body_rejection(&rejection))?;
        let request: Value = serde_json::from_slice(&body)
            .map_err(|e| ApiError::invalid_request(format!("request body is not valid JSON: {e}")))?;
        if !request.get("messages").is_some_and(Value::is_array) {
            return Err(ApiError::invalid_request("missing required field `messages` (an array)"));
        }
        Ok(Json(json!({ "input_tokens": pipeline::count_tokens::estimate(&request) })).into_response())
    })();
    result.unwrap_or_else(|err| err.in_format(Format::Anthropic.client_format()).into_response())
}

/// Authorises, reads and proxies one request; every error is rendered in the client's format.
async fn serve(
    state: &AppState,
    format: Format,
    key: Result<ClientKey, ApiError>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    url: UrlRequest,
) -> Response {
    let key = match key {
        Ok(ClientKey(record)) => record,
        Err(err) => return err.in_format(format.client_format()).into_response(),
    };
    let record =
        UsageRecord { api_key_id: Some(key.id), inbound_format: format.name().to_owned(), ..UsageRecord::default() };
    let mut tracker = Some(UsageTracker::start(record, Arc::clone(&state.clock), Arc::clone(&state.usage)));
    let result = match body {
        Ok(body) => pipeline::proxy::proxy(state, format, &body, &url, headers, &mut tracker).await,
        Err(rejection) => Err(body_rejection(&rejection)),
    };
    match result {
        // A streamed response took the tracker along; anything else is recorded now (on drop).
        Ok(response) => response,
        Err(err) => {
            if let Some(t) = &mut tracker {
                t.respond(err.kind.status().as_u16(), false);
                t.error(err.code.unwrap_or("error"));
            }
            err.in_format(format.client_format()).into_response()
        }
    }
}

fn body_rejection(rejection: &BytesRejection) -> ApiError {
    if rejection.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(ErrorKind::TooLarge, "request body exceeds the size limit (MAX_BODY_MB)")
    } else {
        ApiError::invalid_request(format!("could not read the request body: {}", rejection.body_text()))
    }
}
