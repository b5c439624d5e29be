//! The request body limit (`MAX_BODY_MB`, default 50): a body whose `Content-Length` declares more is refused
//! with a 413 before a byte of it is read; a body without one (chunked) is cut off at the limit by axum's
//! [`DefaultBodyLimit`](axum::extract::DefaultBodyLimit), which the handlers report as the same 413.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::{ApiError, ClientFormat, ErrorKind};

/// The error format a client of `path` expects (the body is not read yet, so the route decides).
fn format_for(path: &str) -> ClientFormat {
    if path.starts_with("/v1/messages") {
        ClientFormat::Anthropic
    } else if path.starts_with("/v1beta/") {
        ClientFormat::Gemini
    } else {
        ClientFormat::OpenAi
    }
}

/// The 413 for a body over `limit` bytes.
#[must_use]
pub fn too_large(limit: usize) -> ApiError {
    let mb = limit / (1024 * 1024);
    ApiError::new(ErrorKind::TooLarge, format!("request body exceeds the {mb} MB limit (MAX_BODY_MB)"))
}

/// The body length `headers` declare (`Content-Length`), if any.
#[must_use]
pub fn declared_length(headers: &http::HeaderMap) -> Option<u64> {
    headers.get(http::header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// Whether `headers` declare a body longer than `limit` bytes.
#[must_use]
pub fn declared_over(headers: &http::HeaderMap, limit: usize) -> bool {
    declared_length(headers).is_some_and(|len| len > limit as u64)
}

/// The 413 for a request to `path` whose body is over `limit`, in that route's client format.
#[must_use]
pub fn refusal(path: &str, limit: usize) -> Response {
    too_large(limit).in_format(format_for(path)).into_response()
}

/// Refuses a request whose declared `Content-Length` is over the configured limit, unread.
pub(super) async fn refuse_declared_oversize(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let limit = state.config.max_body_bytes;
    if declared_over(req.headers(), limit) {
        return refusal(req.uri().path(), limit);
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_picks_the_error_format() {
        assert_eq!(format_for("/v1/messages"), ClientFormat::Anthropic);
        assert_eq!(format_for("/v1/messages/count_tokens"), ClientFormat::Anthropic);
        assert_eq!(format_for("/v1beta/models/x:generateContent"), ClientFormat::Gemini);
        assert_eq!(format_for("/v1/chat/completions"), ClientFormat::OpenAi);
        assert_eq!(format_for("/api/providers"), ClientFormat::OpenAi);
    }

    #[test]
    fn the_message_names_the_limit_and_the_setting() {
        let err = too_large(3 * 1024 * 1024);
        assert_eq!(err.kind.status().as_u16(), 413);
        assert!(err.message.contains("3 MB") && err.message.contains("MAX_BODY_MB"), "{}", err.message);
    }
}
