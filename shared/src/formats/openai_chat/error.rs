//! Upstream error bodies (`{"error":{message,type,param,code}}`) → [`ApiError`], and the kind of an in-stream
//! error object.

use serde_json::Value;

use crate::error::{ApiError, ErrorKind};
use crate::ir::ErrorKindTag;

use crate::error::{truncate_chars, MAX_UPSTREAM_MESSAGE_CHARS as MAX_MESSAGE_CHARS};

/// Machine codes passed on to clients; any other upstream code is dropped (codes are free strings upstream,
/// and [`ApiError::code`] only holds static ones).
const KNOWN_CODES: &[&str] = &[
    "context_length_exceeded",
    "rate_limit_exceeded",
    "insufficient_quota",
    "invalid_api_key",
    "model_not_found",
    "server_is_overloaded",
    "slow_down",
];

/// The static form of a known upstream code.
fn known_code(code: &str) -> Option<&'static str> {
    KNOWN_CODES.iter().copied().find(|known| *known == code)
}

/// The `error` object of a body, if it has one.
fn error_object(body: &Value) -> Option<&Value> {
    body.get("error").filter(|e| e.is_object())
}

/// The non-blank string at `key` of `value`.
fn text_at<'a>(value: Option<&'a Value>, key: &str) -> Option<&'a str> {
    value.and_then(|v| v.get(key)).and_then(Value::as_str).map(str::trim).filter(|m| !m.is_empty())
}

/// Decodes an upstream error response: the kind comes from `status`, the message from `error.message` (or a
/// bare `error` / `message` string some vendors send), capped at 500 characters; only known codes are kept.
#[must_use]
pub fn decode_error(status: u16, body: &[u8]) -> ApiError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let error = parsed.as_ref().and_then(error_object);
    let message = text_at(error, "message")
        .or_else(|| text_at(parsed.as_ref(), "error"))
        .or_else(|| text_at(parsed.as_ref(), "message"));
    let message = match message {
        Some(m) => truncate_chars(m, MAX_MESSAGE_CHARS),
        None => format!("upstream returned {status}"),
    };
    let code = error.and_then(|e| {
        let field = |k: &str| e.get(k).and_then(Value::as_str).and_then(known_code);
        field("code").or_else(|| field("type"))
    });
    let mut api_error = ApiError::new(ErrorKind::from_upstream_status(status), message);
    api_error.code = code;
    api_error
}

/// The IR kind of an in-stream `{"error":{…}}` object, from its `type` and `code`.
pub(super) fn stream_error_kind(error: &Value) -> ErrorKindTag {
    let text = |k: &str| error.get(k).and_then(Value::as_str).unwrap_or_default();
    let (kind, code) = (text("type"), text("code"));
    let any = |needle: &str| kind.contains(needle) || code.contains(needle);
    if any("rate_limit") || any("insufficient_quota") {
        ErrorKindTag::RateLimited
    } else if any("overloaded") || any("unavailable") || code == "slow_down" {
        ErrorKindTag::Overloaded
    } else {
        ErrorKindTag::Server
    }
}

/// The message of an in-stream error object, capped like [`decode_error`]'s.
pub(super) fn stream_error_message(error: &Value) -> String {
    match error
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| error.as_str())
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(m) => truncate_chars(m, MAX_MESSAGE_CHARS),
        None => "upstream stream failed".to_owned(),
    }
}
