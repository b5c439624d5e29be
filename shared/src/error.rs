//! The error a client sees: a kind, a status and a message, rendered in the client's own wire format. Messages
//! are written for the client and never carry secrets.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde_json::json;

use crate::store::StoreError;

/// What went wrong, independent of any wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed or names something invalid (400).
    InvalidRequest,
    /// No or a wrong API key / session (401).
    Authentication,
    /// Authenticated but not allowed (403).
    PermissionDenied,
    /// The model or resource does not exist (404).
    NotFound,
    /// The change conflicts with what is stored, e.g. deleting something still in use (409).
    Conflict,
    /// The body is too large (413).
    TooLarge,
    /// Rate limited, here or at every upstream (429).
    RateLimited,
    /// The router itself failed (500).
    Internal,
    /// An upstream failed (502).
    BadGateway,
    /// No upstream could serve the request (503).
    Unavailable,
    /// An upstream did not answer in time (504).
    Timeout,
}

/// Upstream error messages are cut to this many characters before they reach a client.
pub const MAX_UPSTREAM_MESSAGE_CHARS: usize = 500;

/// `text` cut to `max` characters (with an ellipsis when cut), on a character boundary.
#[must_use]
pub fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

impl ErrorKind {
    /// The kind of an upstream HTTP error status: 401 authentication, 403 permission, 404 not found, 413 too
    /// large, 429 rate limited, 503/529 unavailable (overloaded), 504 timeout, any other 4xx an invalid
    /// request, anything else a bad gateway.
    #[must_use]
    pub fn from_upstream_status(status: u16) -> Self {
        match status {
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            413 => Self::TooLarge,
            429 => Self::RateLimited,
            503 | 529 => Self::Unavailable,
            504 => Self::Timeout,
            400..=499 => Self::InvalidRequest,
            _ => Self::BadGateway,
        }
    }

    /// The HTTP status of this kind.
    #[must_use]
    pub fn status(self) -> StatusCode {
        match self {
            Self::InvalidRequest => StatusCode::BAD_REQUEST,
            Self::Authentication => StatusCode::UNAUTHORIZED,
            Self::PermissionDenied => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict => StatusCode::CONFLICT,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::BadGateway => StatusCode::BAD_GATEWAY,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Timeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// OpenAI's `error.type` for this kind.
    fn openai_type(self) -> &'static str {
        match self {
            Self::InvalidRequest | Self::NotFound | Self::Conflict | Self::TooLarge | Self::PermissionDenied => {
                "invalid_request_error"
            }
            Self::Authentication => "authentication_error",
            Self::RateLimited => "rate_limit_error",
            Self::Internal | Self::BadGateway | Self::Timeout => "server_error",
            Self::Unavailable => "service_unavailable_error",
        }
    }

    /// Anthropic's `error.type` for this kind.
    fn anthropic_type(self) -> &'static str {
        match self {
            Self::InvalidRequest | Self::Conflict => "invalid_request_error",
            Self::Authentication => "authentication_error",
            Self::PermissionDenied => "permission_error",
            Self::NotFound => "not_found_error",
            Self::TooLarge => "request_too_large",
            Self::RateLimited => "rate_limit_error",
            Self::Internal | Self::BadGateway => "api_error",
            Self::Unavailable => "overloaded_error",
            Self::Timeout => "timeout_error",
        }
    }

    /// Gemini's (google.rpc) `status` for this kind.
    fn gemini_status(self) -> &'static str {
        match self {
            Self::InvalidRequest | Self::TooLarge => "INVALID_ARGUMENT",
            Self::Authentication => "UNAUTHENTICATED",
            Self::PermissionDenied => "PERMISSION_DENIED",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "ALREADY_EXISTS",
            Self::RateLimited => "RESOURCE_EXHAUSTED",
            Self::Internal | Self::BadGateway => "INTERNAL",
            Self::Unavailable => "UNAVAILABLE",
            Self::Timeout => "DEADLINE_EXCEEDED",
        }
    }
}

/// The wire format a client speaks; errors are rendered in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientFormat {
    /// OpenAI (Chat Completions and Responses share the error envelope).
    #[default]
    OpenAi,
    /// Anthropic Messages.
    Anthropic,
    /// Google Gemini.
    Gemini,
}

/// An error on its way to a client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// Kind (decides the status).
    pub kind: ErrorKind,
    /// Human-readable, secret-free message.
    pub message: String,
    /// OpenAI-style machine code, e.g. `model_not_found`.
    pub code: Option<&'static str>,
    /// Seconds after which a retry may succeed (429/503).
    pub retry_after_secs: Option<u64>,
    /// The format to render in.
    pub format: ClientFormat,
}

impl ApiError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), code: None, retry_after_secs: None, format: ClientFormat::OpenAi }
    }

    /// A 400 naming what is wrong with the request.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidRequest, message)
    }

    /// Sets the machine-readable code.
    #[must_use]
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Sets the retry hint.
    #[must_use]
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    /// Renders in `format` instead of OpenAI's.
    #[must_use]
    pub fn in_format(mut self, format: ClientFormat) -> Self {
        self.format = format;
        self
    }

    /// The JSON body in the configured format.
    #[must_use]
    pub fn body(&self) -> serde_json::Value {
        let status = self.kind.status().as_u16();
        match self.format {
            ClientFormat::OpenAi => json!({
                "error": {
                    "message": self.message,
                    "type": self.kind.openai_type(),
                    "param": null,
                    "code": self.code,
                }
            }),
            ClientFormat::Anthropic => json!({
                "type": "error",
                "error": { "type": self.kind.anthropic_type(), "message": self.message },
            }),
            ClientFormat::Gemini => json!({
                "error": { "code": status, "message": self.message, "status": self.kind.gemini_status() }
            }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.kind.status(), axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after_secs {
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        // Store errors describe SQL failures, not secrets; the message stays generic for clients.
        Self::new(ErrorKind::Internal, format!("storage failed: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_has_its_envelope() {
        let e = ApiError::new(ErrorKind::NotFound, "no such model").with_code("model_not_found");
        let openai = e.body();
        assert_eq!(openai["error"]["type"], "invalid_request_error");
        assert_eq!(openai["error"]["code"], "model_not_found");
        let anthropic = e.clone().in_format(ClientFormat::Anthropic).body();
        assert_eq!(anthropic["type"], "error");
        assert_eq!(anthropic["error"]["type"], "not_found_error");
        let gemini = e.in_format(ClientFormat::Gemini).body();
        assert_eq!(gemini["error"]["code"], 404);
        assert_eq!(gemini["error"]["status"], "NOT_FOUND");
    }

    #[test]
    fn retry_after_becomes_a_header() {
        let r = ApiError::new(ErrorKind::RateLimited, "slow down").with_retry_after(7).into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("7"));
    }
}
