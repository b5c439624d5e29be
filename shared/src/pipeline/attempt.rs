//! One attempt at one account: send, then decide between delivering to the client and falling back.
//!
//! Everything that can still fail invisibly to the client is checked here: the status, a missing or stalled
//! response, a JSON body that breaks off or carries an error, a stream that fails before its first event.

use std::sync::Arc;

use axum::body::Body;
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use futures::future::{select, Either};
use futures::StreamExt as _;
use http::{header, HeaderValue, StatusCode};
use serde_json::Value;

use super::sse_relay::SseRelay;
use crate::http::AppState;
use crate::platform::{ByteStream, Clock, UpstreamRequest, UpstreamResponse};
use crate::routing::policy::{self, FailureClass, Outcome};

/// Largest non-streaming upstream response accepted.
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

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
    AttemptResult::Failed {
        class,
        retry_after_ms: None,
        detail,
    }
}

/// Sends `request` to the account named `account` and classifies the outcome.
pub(super) async fn attempt(
    state: &AppState,
    account: &str,
    request: UpstreamRequest,
    stream: bool,
) -> AttemptResult {
    let idle_ms = state.config.upstream_idle_timeout_ms;
    let sent = match select(state.http.send(request), state.clock.sleep(idle_ms)).await {
        Either::Left((sent, _)) => sent,
        Either::Right(((), _)) => {
            return failed(
                FailureClass::Unreachable,
                format!(
                    "account `{account}`: no response within {} s",
                    idle_ms / 1000
                ),
            );
        }
    };
    let upstream = match sent {
        Ok(upstream) => upstream,
        Err(err) => {
            return failed(
                FailureClass::Unreachable,
                format!("account `{account}`: {err}"),
            )
        }
    };
    let status = upstream.status;
    match policy::classify_status(status) {
        Outcome::Fallback(class) => AttemptResult::Failed {
            class,
            retry_after_ms: policy::retry_after_ms(&upstream.headers),
            detail: format!("account `{account}`: upstream answered {status}"),
        },
        Outcome::Deliver if !(200..300).contains(&status) => AttemptResult::Delivered {
            response: passthrough(upstream),
            success: false,
        },
        Outcome::Deliver if stream => {
            let mut relay = SseRelay::new(upstream.body, Arc::clone(&state.clock), idle_ms);
            match relay.first_events().await {
                Ok(first) => AttemptResult::Delivered {
                    response: sse_response(Body::from_stream(relay.into_body(first))),
                    success: true,
                },
                Err(early) => failed(
                    early.class,
                    format!("account `{account}`: {}", early.detail),
                ),
            }
        }
        Outcome::Deliver => match read_json(upstream.body, state.clock.as_ref(), idle_ms).await {
            Ok(bytes) => AttemptResult::Delivered {
                response: json_response(bytes),
                success: true,
            },
            Err((class, why)) => failed(class, format!("account `{account}`: {why}")),
        },
    }
}

/// Reads a whole JSON response (bounded in size and idle time) and checks it is a complete object that is not
/// an error wrapped in a 200.
async fn read_json(
    mut body: ByteStream,
    clock: &dyn Clock,
    idle_ms: u64,
) -> Result<Bytes, (FailureClass, String)> {
    let mut buffer = BytesMut::new();
    loop {
        match select(body.next(), clock.sleep(idle_ms)).await {
            Either::Left((Some(Ok(chunk)), _)) => {
                if buffer.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err((
                        FailureClass::ServerError,
                        "upstream response too large".into(),
                    ));
                }
                buffer.extend_from_slice(&chunk);
            }
            Either::Left((Some(Err(err)), _)) => {
                return Err((FailureClass::Unreachable, err.to_string()))
            }
            Either::Left((None, _)) => break,
            Either::Right(((), _)) => {
                return Err((
                    FailureClass::Unreachable,
                    format!("upstream body stalled for {} s", idle_ms / 1000),
                ));
            }
        }
    }
    let value: Value = serde_json::from_slice(&buffer).map_err(|_| {
        (
            FailureClass::ServerError,
            "upstream sent an incomplete or invalid JSON body".to_owned(),
        )
    })?;
    if let Some(error) = value
        .get("error")
        .filter(|_| value.get("choices").is_none())
    {
        let rate_limited = error.to_string().contains("rate_limit");
        let class = if rate_limited {
            FailureClass::RateLimited
        } else {
            FailureClass::ServerError
        };
        return Err((class, "upstream answered 200 with an error body".into()));
    }
    Ok(buffer.freeze())
}

fn json_response(body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn sse_response(body: Body) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
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
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
    response
}
