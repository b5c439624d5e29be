//! One attempt at one account: send, then decide between delivering to the client and falling back.
//!
//! Everything that can still fail invisibly to the client is checked here: the status, a missing or stalled
//! response, a JSON body that breaks off, carries an error or cannot be read, a stream that fails before its
//! first content. Responses are translated to the client's format unless both sides speak the same one.

use std::sync::Arc;

use axum::body::Body;
use axum::response::{IntoResponse as _, Response};
use bytes::{Bytes, BytesMut};
use futures::future::{select, Either};
use futures::StreamExt as _;
use http::{header, HeaderValue, StatusCode};
use serde_json::Value;

use super::sse_relay::{Aggregated, SseRelay};
use crate::formats::dispatch::{self, EncoderOptions, StreamEncoder};
use crate::formats::Format;
use crate::http::AppState;
use crate::platform::{ByteStream, Clock, UpstreamRequest, UpstreamResponse};
use crate::request_log::RequestCapture;
use crate::routing::policy::{self, FailureClass, Outcome};
use crate::usage::UsageTracker;

/// Largest non-streaming upstream response accepted.
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// The formats and mode of one exchange.
#[derive(Debug, Clone, Copy)]
pub(super) struct Exchange {
    /// What the client speaks.
    pub client: Format,
    /// What the upstream speaks.
    pub upstream: Format,
    /// Streamed response.
    pub stream: bool,
    /// The upstream is asked for a stream (also for a JSON client when the provider only streams; the stream
    /// is then aggregated).
    pub upstream_stream: bool,
    /// OpenAI clients: send a usage chunk at the end of the stream.
    pub include_usage: bool,
    /// Gemini clients that stream without `alt=sse`: a JSON array (upstreams are always asked for SSE).
    pub json_array: bool,
}

impl Exchange {
    /// Whether the upstream's bytes go to the client untouched.
    pub(super) fn passthrough(&self) -> bool {
        self.client == self.upstream && !(self.stream && self.json_array)
    }
}

/// How an attempt ended.
pub(super) enum AttemptResult {
    /// The response is on its way to the client: a success, or an error caused by the request itself.
    Delivered {
        /// The client's response.
        response: Response,
        /// Whether the upstream succeeded (2xx), which clears the account's failure count.
        success: bool,
    },
    /// The account could not serve the request; try the next one.
    Failed {
        /// Failure class.
        class: FailureClass,
        /// The upstream's retry hint.
        retry_after_ms: Option<u64>,
        /// What happened, for the client's final error (no secrets).
        detail: String,
    },
}

fn failed(class: FailureClass, detail: String) -> AttemptResult {
    AttemptResult::Failed { class, retry_after_ms: None, detail }
}

fn delivered(response: Response) -> AttemptResult {
    AttemptResult::Delivered { response, success: true }
}

/// The request's log capture, when request logs are on (one branch per tap when they are off).
pub(super) fn capture(tracker: &mut Option<UsageTracker>) -> Option<&mut RequestCapture> {
    tracker.as_mut().and_then(UsageTracker::capture)
}

/// A JSON response to the client, noted in the request log (stage 5).
fn logged_json(tracker: &mut Option<UsageTracker>, body: Bytes) -> AttemptResult {
    if let Some(c) = capture(tracker) {
        c.client_status(200);
        c.client_bytes(&body);
    }
    delivered(json_response(body))
}

/// Sends `request` to the account named `account` and classifies the outcome. A delivered stream takes the
/// usage `tracker` with it (it records when the stream ends); otherwise the tracker stays with the caller.
pub(super) async fn attempt(
    state: &AppState,
    account: &str,
    request: UpstreamRequest,
    exchange: Exchange,
    tracker: &mut Option<UsageTracker>,
) -> AttemptResult {
    let idle_ms = state.config.upstream_idle_timeout_ms;
    let sent = match select(state.http.send(request), state.clock.sleep(idle_ms)).await {
        Either::Left((sent, _)) => sent,
        Either::Right(((), _)) => {
            return failed(
                FailureClass::Unreachable,
                format!("account `{account}`: no response within {} s", idle_ms / 1000),
            );
        }
    };
    let upstream = match sent {
        Ok(upstream) => upstream,
        Err(err) => return failed(FailureClass::Unreachable, format!("account `{account}`: {err}")),
    };
    let status = upstream.status;
    if let Some(c) = capture(tracker) {
        c.provider_status(status);
    }
    match policy::classify_status(status) {
        Outcome::Fallback(class) => {
            let retry_after_ms = policy::retry_after_ms(&upstream.headers);
            // Only with request logs on: the failed account's answer is read for stage 4 (else it is dropped).
            if let Some(c) = capture(tracker) {
                let body = read_bounded(upstream.body, state.clock.as_ref(), idle_ms).await.unwrap_or_default();
                c.provider_bytes(&body);
            }
            AttemptResult::Failed {
                class,
                retry_after_ms,
                detail: format!("account `{account}`: upstream answered {status}"),
            }
        }
        Outcome::Deliver if !(200..300).contains(&status) => {
            if let Some(t) = tracker {
                t.respond(status, false);
                t.error("request_error");
            }
            let response = request_error(upstream, exchange, state.clock.as_ref(), idle_ms, capture(tracker)).await;
            AttemptResult::Delivered { response, success: false }
        }
        Outcome::Deliver if !exchange.stream && exchange.upstream_stream => {
            aggregated(state, account, upstream.body, exchange, tracker).await
        }
        Outcome::Deliver if exchange.stream => {
            let options = EncoderOptions {
                created_secs: state.clock.now_ms() / 1000,
                include_usage: exchange.include_usage,
                json_array: exchange.json_array,
            };
            let encoder = (!exchange.passthrough()).then(|| StreamEncoder::new(exchange.client, options));
            let mut relay = SseRelay::new(
                upstream.body,
                exchange.upstream,
                exchange.client,
                encoder,
                Arc::clone(&state.clock),
                idle_ms,
                tracker.take(),
            )
            .stripping_usage_chunk(exchange.client == Format::OpenAiChat && !exchange.include_usage);
            match relay.first_events().await {
                Ok(first) => delivered(sse_response(Body::from_stream(relay.into_body(first)), exchange.json_array)),
                Err(early) => {
                    *tracker = relay.take_tracker();
                    failed(early.class, format!("account `{account}`: {}", early.detail))
                }
            }
        }
        Outcome::Deliver => match read_json(upstream.body, state.clock.as_ref(), idle_ms).await {
            Ok(bytes) => match dispatch::decode_response(exchange.upstream, &bytes) {
                Ok(decoded) => {
                    if let Some(t) = tracker {
                        t.usage(&decoded.usage);
                        t.respond(200, false);
                    }
                    if let Some(c) = capture(tracker) {
                        c.provider_bytes(&bytes);
                    }
                    if exchange.passthrough() {
                        return logged_json(tracker, bytes);
                    }
                    let created = state.clock.now_ms() / 1000;
                    let body = dispatch::encode_response(exchange.client, &decoded, created);
                    logged_json(tracker, Bytes::from(body))
                }
                Err(err) => failed(
                    FailureClass::ServerError,
                    format!("account `{account}`: upstream reply could not be read: {err}"),
                ),
            },
            Err((class, why)) => failed(class, format!("account `{account}`: {why}")),
        },
    }
}

/// A JSON client served from an upstream stream: the whole stream is read and aggregated (nothing reaches the
/// client before it ends, so every failure can still fall back, except one the request itself caused).
async fn aggregated(
    state: &AppState,
    account: &str,
    body: ByteStream,
    exchange: Exchange,
    tracker: &mut Option<UsageTracker>,
) -> AttemptResult {
    let idle_ms = state.config.upstream_idle_timeout_ms;
    let clock = Arc::clone(&state.clock);
    // The relay holds the tracker while it reads (its log capture records the upstream's bytes), then gives it back.
    let mut relay = SseRelay::new(body, exchange.upstream, exchange.client, None, clock, idle_ms, tracker.take());
    let aggregated = relay.aggregate().await;
    *tracker = relay.take_tracker();
    match aggregated {
        Ok(response) => {
            if let Some(t) = tracker {
                t.usage(&response.usage);
                t.respond(200, false);
            }
            let created = state.clock.now_ms() / 1000;
            logged_json(tracker, Bytes::from(dispatch::encode_response(exchange.client, &response, created)))
        }
        Err(Aggregated::RequestError(error)) => {
            if let Some(t) = tracker {
                t.respond(error.kind.status().as_u16(), false);
                t.error("request_error");
            }
            let error = error.in_format(exchange.client.client_format());
            if let Some(c) = capture(tracker) {
                c.client_status(error.kind.status().as_u16());
                c.client_bytes(error.body().to_string().as_bytes());
                c.error_message(&error.message);
            }
            let response = error.into_response();
            AttemptResult::Delivered { response, success: false }
        }
        Err(Aggregated::Failed(early)) => failed(early.class, format!("account `{account}`: {}", early.detail)),
    }
}

/// An upstream error caused by the request: relayed untouched to a client of the same format, otherwise read
/// and re-rendered in the client's format with the matching status. With request logs on, the body is read
/// first (also when relayed untouched) and noted in stages 4 and 5.
async fn request_error(
    upstream: UpstreamResponse,
    exchange: Exchange,
    clock: &dyn Clock,
    idle_ms: u64,
    capture: Option<&mut RequestCapture>,
) -> Response {
    if exchange.passthrough() && capture.is_none() {
        return passthrough(upstream);
    }
    let status = upstream.status;
    let content_type = upstream.headers.get(header::CONTENT_TYPE).cloned();
    let body = read_bounded(upstream.body, clock, idle_ms).await.unwrap_or_default();
    let (client_status, client_body, response) = if exchange.passthrough() {
        let mut response = Response::new(Body::from(body.clone()));
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
        let content_type = content_type.unwrap_or_else(|| HeaderValue::from_static("application/json"));
        response.headers_mut().insert(header::CONTENT_TYPE, content_type);
        (status, body.clone(), response)
    } else {
        let error = dispatch::decode_error(exchange.upstream, status, &body).in_format(exchange.client.client_format());
        let client_body = Bytes::from(error.body().to_string());
        (error.kind.status().as_u16(), client_body, error.into_response())
    };
    if let Some(c) = capture {
        c.provider_bytes(&body);
        c.client_status(client_status);
        c.client_bytes(&client_body);
        c.error_message(&format!("upstream answered {status}: the request was refused"));
    }
    response
}

/// Reads a whole JSON response and checks it is a complete object that is not an error wrapped in a 200.
async fn read_json(body: ByteStream, clock: &dyn Clock, idle_ms: u64) -> Result<Bytes, (FailureClass, String)> {
    let buffer = read_bounded(body, clock, idle_ms).await?;
    let value: Value = serde_json::from_slice(&buffer)
        .map_err(|_| (FailureClass::ServerError, "upstream sent an incomplete or invalid JSON body".to_owned()))?;
    if let Some(error) = value.get("error").filter(|_| value.get("choices").is_none()) {
        let rate_limited = error.to_string().contains("rate_limit");
        let class = if rate_limited { FailureClass::RateLimited } else { FailureClass::ServerError };
        return Err((class, "upstream answered 200 with an error body".into()));
    }
    Ok(buffer)
}

/// Reads a whole body, bounded in size and idle time.
async fn read_bounded(mut body: ByteStream, clock: &dyn Clock, idle_ms: u64) -> Result<Bytes, (FailureClass, String)> {
    let mut buffer = BytesMut::new();
    loop {
        match select(body.next(), clock.sleep(idle_ms)).await {
            Either::Left((Some(Ok(chunk)), _)) => {
                if buffer.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err((FailureClass::ServerError, "upstream response too large".into()));
                }
                buffer.extend_from_slice(&chunk);
            }
            Either::Left((Some(Err(err)), _)) => return Err((FailureClass::Unreachable, err.to_string())),
            Either::Left((None, _)) => return Ok(buffer.freeze()),
            Either::Right(((), _)) => {
                return Err((FailureClass::Unreachable, format!("upstream body stalled for {} s", idle_ms / 1000)));
            }
        }
    }
}

fn json_response(body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn sse_response(body: Body, json_array: bool) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    let content_type = if json_array { "application/json" } else { "text/event-stream" };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Relays an upstream error response (caused by the request) with its status and body.
fn passthrough(upstream: UpstreamResponse) -> Response {
    let status = StatusCode::from_u16(upstream.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let content_type = upstream
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("application/json"));
    let mut response = Response::new(Body::from_stream(upstream.body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    response
}
