//! Upstream error bodies → [`ApiError`], and the two directions of in-stream errors (`response.failed` /
//! `error` events): wire `{code, message}` → IR kind, and IR kind → wire `code`.
//!
//! Bodies share Chat's envelope `{"error":{message,type,param,code}}` (wire-formats.md §2.5). The ChatGPT Codex
//! backend also answers FastAPI-style `{"detail":"…"}` (e.g. "Unsupported parameter: max_output_tokens") and
//! `usage_limit_reached` errors carrying `resets_in_seconds`, which becomes the retry hint.

use serde_json::Value;

use crate::error::{truncate_chars, ApiError, ErrorKind, MAX_UPSTREAM_MESSAGE_CHARS};
use crate::ir::ErrorKindTag;

/// Machine codes passed on to clients; any other upstream code is dropped (codes are free strings upstream,
/// and [`ApiError::code`] only holds static ones).
const KNOWN_CODES: &[&str] = &[
    "context_length_exceeded",
    "rate_limit_exceeded",
    "insufficient_quota",
    "usage_limit_reached",
    "usage_not_included",
    "invalid_api_key",
    "invalid_prompt",
    "model_not_found",
    "server_is_overloaded",
    "server_error",
];

fn known_code(code: &str) -> Option<&'static str> {
    KNOWN_CODES.iter().copied().find(|known| *known == code)
}

/// The non-blank string at `key` of `value`.
fn text_at<'a>(value: Option<&'a Value>, key: &str) -> Option<&'a str> {
    value.and_then(|v| v.get(key)).and_then(Value::as_str).map(str::trim).filter(|m| !m.is_empty())
}

/// Decodes an upstream error response: the kind comes from `status`, the message from `error.message` (or a bare
/// `error` / `message` / `detail` string), capped at 500 characters; only known codes are kept; a
/// `resets_in_seconds` becomes the retry hint.
#[must_use]
pub fn decode_error(status: u16, body: &[u8]) -> ApiError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let error = parsed.as_ref().and_then(|b| b.get("error")).filter(|e| e.is_object());
    let message = text_at(error, "message")
        .or_else(|| text_at(parsed.as_ref(), "error"))
        .or_else(|| text_at(parsed.as_ref(), "message"))
        .or_else(|| text_at(parsed.as_ref(), "detail"));
    let message = match message {
        Some(m) => truncate_chars(m, MAX_UPSTREAM_MESSAGE_CHARS),
        None => format!("upstream returned {status}"),
    };
    let mut api_error = ApiError::new(ErrorKind::from_upstream_status(status), message);
    api_error.code = error.and_then(|e| {
        let field = |k: &str| e.get(k).and_then(Value::as_str).and_then(known_code);
        field("code").or_else(|| field("type"))
    });
    api_error.retry_after_secs = error.and_then(|e| e.get("resets_in_seconds")).and_then(Value::as_u64);
    api_error
}

/// The IR kind of an in-stream error object (`response.error` or an `error` event), from its `code` and `type`.
pub(super) fn stream_error_kind(error: &Value) -> ErrorKindTag {
    let text = |k: &str| error.get(k).and_then(Value::as_str).unwrap_or_default();
    let (code, kind) = (text("code"), text("type"));
    let any = |needle: &str| code.contains(needle) || kind.contains(needle);
    if any("rate_limit") || any("insufficient_quota") || any("usage_limit") {
        ErrorKindTag::RateLimited
    } else if any("overloaded") || any("unavailable") || code == "slow_down" {
        ErrorKindTag::Overloaded
    } else if any("context_length_exceeded") || any("invalid_prompt") || any("invalid_request") {
        ErrorKindTag::InvalidRequest
    } else {
        ErrorKindTag::Server
    }
}

/// The message of an in-stream error object, capped like [`decode_error`]'s.
pub(super) fn stream_error_message(error: &Value) -> String {
    match text_at(Some(error), "message") {
        Some(m) => truncate_chars(m, MAX_UPSTREAM_MESSAGE_CHARS),
        None => "upstream stream failed".to_owned(),
    }
}

/// The `response.error.code` written for an IR error kind (each reads back as the same kind through
/// [`stream_error_kind`]; `rate_limit_exceeded` is what Codex parses a retry delay from).
pub(super) fn wire_code(kind: ErrorKindTag) -> &'static str {
    match kind {
        ErrorKindTag::RateLimited => "rate_limit_exceeded",
        ErrorKindTag::Overloaded => "server_is_overloaded",
        ErrorKindTag::InvalidRequest => "invalid_prompt",
        ErrorKindTag::Server => "server_error",
    }
}
