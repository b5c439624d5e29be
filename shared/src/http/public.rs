//! Client-facing routes: health, model list, chat completions.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use axum::Json;
use http::{HeaderMap, Uri};
use serde_json::{json, Value};

use super::{AppState, ClientKey, RequestSinks};
use crate::error::{ApiError, ErrorKind};
use crate::formats::Format;
use crate::pipeline;
use crate::pipeline::proxy::UrlRequest;
use crate::request_log::RequestCapture;
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
    uri: Uri,
    headers: HeaderMap,
    sinks: Option<Extension<RequestSinks>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let inbound = Inbound { headers: &headers, uri: &uri, sinks };
    serve(&state, Format::OpenAiChat, key, inbound, body, UrlRequest::default()).await
}

/// `POST /v1/messages` (Anthropic clients: Claude Code and the Anthropic SDKs).
pub(super) async fn messages(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    uri: Uri,
    headers: HeaderMap,
    sinks: Option<Extension<RequestSinks>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let inbound = Inbound { headers: &headers, uri: &uri, sinks };
    serve(&state, Format::Anthropic, key, inbound, body, UrlRequest::default()).await
}

/// `POST /v1/responses` and `/codex/responses` (OpenAI Responses clients: Codex CLI, the OpenAI SDKs).
pub(super) async fn responses(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    uri: Uri,
    headers: HeaderMap,
    sinks: Option<Extension<RequestSinks>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let inbound = Inbound { headers: &headers, uri: &uri, sinks };
    serve(&state, Format::OpenAiResponses, key, inbound, body, UrlRequest::default()).await
}

/// `POST /v1beta/models/{model}:{generateContent|streamGenerateContent|countTokens}` (Gemini clients). The model
/// may itself contain `/` (`openai/gpt-4o-mini`).
pub(super) async fn gemini(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    Path(rest): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    sinks: Option<Extension<RequestSinks>>,
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
        "countTokens" => return count_tokens_in(&state, Format::Gemini, key, &headers, body, Some(model)).await,
        other => return as_gemini(ApiError::new(ErrorKind::NotFound, format!("unknown method `{other}`"))),
    };
    let url = UrlRequest { model: Some(model.to_owned()), stream, json_array: stream && !alt_sse };
    serve(&state, Format::Gemini, key, Inbound { headers: &headers, uri: &uri, sinks }, body, url).await
}

/// `POST /v1/messages/count_tokens`: counted by the routed upstream where it can, else a local estimate (see
/// [`pipeline::count_upstream`]).
pub(super) async fn count_tokens(
    State(state): State<Arc<AppState>>,
    key: Result<ClientKey, ApiError>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    count_tokens_in(&state, Format::Anthropic, key, &headers, body, None).await
}

/// A count for an Anthropic or Gemini client, in its format (`input_tokens` / `totalTokens`); the response
/// header `x-9router-token-count` says whether the upstream counted or the estimate answered.
async fn count_tokens_in(
    state: &AppState,
    format: Format,
    key: Result<ClientKey, ApiError>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    url_model: Option<&str>,
) -> Response {
    let result = async {
        key?;
        let body = body.map_err(|rejection| body_rejection(&rejection))?;
        pipeline::count_upstream::count(state, format, &body, url_model, headers).await
    }
    .await;
    match result {
        Ok(counted) => {
            let body = if format == Format::Gemini {
                json!({ "totalTokens": counted.tokens })
            } else {
                json!({ "input_tokens": counted.tokens })
            };
            let mut response = Json(body).into_response();
            response
                .headers_mut()
                .insert("x-9router-token-count", http::HeaderValue::from_static(counted.source.name()));
            response
        }
        Err(err) => err.in_format(format.client_format()).into_response(),
    }
}

/// What `serve` needs of the inbound request besides its body.
struct Inbound<'a> {
    headers: &'a HeaderMap,
    uri: &'a Uri,
    /// The request's own sinks, if the platform gave it some.
    sinks: Option<Extension<RequestSinks>>,
}

/// Authorises, reads and proxies one request; every error is rendered in the client's format.
async fn serve(
    state: &AppState,
    format: Format,
    key: Result<ClientKey, ApiError>,
    inbound: Inbound<'_>,
    body: Result<Bytes, BytesRejection>,
    url: UrlRequest,
) -> Response {
    let Inbound { headers, uri, sinks } = inbound;
    let (usage_sink, log_sink) = match sinks {
        Some(Extension(sinks)) => (sinks.usage, sinks.request_logs),
        None => (Arc::clone(&state.usage), Arc::clone(&state.request_logs)),
    };
    let key = match key {
        Ok(ClientKey(record)) => record,
        Err(err) => return err.in_format(format.client_format()).into_response(),
    };
    let record =
        UsageRecord { api_key_id: Some(key.id), inbound_format: format.name().to_owned(), ..UsageRecord::default() };
    let mut tracker = UsageTracker::start(record, Arc::clone(&state.clock), usage_sink);
    // Request logs: decided once per request; when off nothing below copies anything for them.
    if let Ok(body) = &body {
        if super::admin::logs_enabled(state).await {
            let now = i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX);
            let endpoint = uri.path_and_query().map_or_else(|| uri.path().to_owned(), ToString::to_string);
            let capture = RequestCapture::start(now, format.name(), endpoint, headers, body.clone());
            tracker = tracker.with_capture(capture, log_sink);
        }
    }
    let mut tracker = Some(tracker);
    let result = match body {
        Ok(body) => pipeline::proxy::proxy(state, format, &body, &url, headers, &mut tracker).await,
        Err(rejection) => Err(body_rejection(&rejection)),
    };
    match result {
        // A streamed response took the tracker along; anything else is recorded now (on drop).
        Ok(response) => response,
        Err(err) => {
            let err = err.in_format(format.client_format());
            if let Some(t) = &mut tracker {
                t.respond(err.kind.status().as_u16(), false);
                t.error(err.code.unwrap_or("error"));
                if let Some(c) = t.capture() {
                    c.client_status(err.kind.status().as_u16());
                    c.client_bytes(err.body().to_string().as_bytes());
                    c.error_message(&err.message);
                }
            }
            err.into_response()
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
