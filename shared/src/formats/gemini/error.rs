//! Upstream Gemini error bodies (`google.rpc.Status` as JSON: `{"error":{code,message,status,details}}`, also
//! seen wrapped in an array, `[{"error":…}]`) → [`ApiError`], the retry hint in their `details`, and the IR
//! kind of an in-stream error object. Wire facts: wire-formats.md §4.4, §6.10.

use serde_json::Value;

use crate::error::{truncate_chars, ApiError, ErrorKind, MAX_UPSTREAM_MESSAGE_CHARS};
use crate::ir::ErrorKindTag;

/// The `error` object of a body (bare or array-wrapped).
fn error_object(body: &[u8]) -> Option<Value> {
    let parsed: Value = serde_json::from_slice(body).ok()?;
    let envelope = match parsed {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        other => other,
    };
    match envelope {
        Value::Object(mut map) => map.remove("error").filter(Value::is_object),
        _ => None,
    }
}

/// The `details[]` entries of `@type` ending in `kind` (e.g. `google.rpc.RetryInfo`).
fn details<'a>(error: &'a Value, kind: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    error
        .get("details")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |d| d.get("@type").and_then(Value::as_str).is_some_and(|t| t.ends_with(kind)))
}

/// Reads an upstream Gemini error body; never fails. The kind follows the HTTP status, except that a 400
/// whose `ErrorInfo.reason` is `API_KEY_INVALID` (how Gemini reports a bad key) is an authentication error.
/// The message is `error.message`, capped, else a generic one.
#[must_use]
pub fn decode_error(status: u16, body: &[u8]) -> ApiError {
    let error = error_object(body);
    let message = error
        .as_ref()
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map_or_else(|| format!("upstream returned HTTP {status}"), |m| truncate_chars(m, MAX_UPSTREAM_MESSAGE_CHARS));
    let bad_key = error.as_ref().is_some_and(|e| {
        details(e, "google.rpc.ErrorInfo").any(|d| d.get("reason").and_then(Value::as_str) == Some("API_KEY_INVALID"))
    });
    let kind =
        if status == 400 && bad_key { ErrorKind::Authentication } else { ErrorKind::from_upstream_status(status) };
    ApiError::new(kind, message)
}

/// Milliseconds after which the failed request may be retried, from an error body's `details`:
/// `google.rpc.RetryInfo.retryDelay` (a duration string such as `"37s"` or `"51820.638305887s"`), else
/// `google.rpc.ErrorInfo.metadata.quotaResetDelay` (Go duration syntax such as `"1h2m3s"` or `"373.8ms"`, seen
/// on Code Assist quota errors). Fractions round up. `None` when the body has neither.
#[must_use]
pub fn retry_after_ms(body: &[u8]) -> Option<u64> {
    let error = error_object(body)?;
    let retry =
        details(&error, "google.rpc.RetryInfo").find_map(|d| d.get("retryDelay")?.as_str().and_then(duration_ms));
    retry.or_else(|| {
        details(&error, "google.rpc.ErrorInfo")
            .find_map(|d| d.get("metadata")?.get("quotaResetDelay")?.as_str().and_then(duration_ms))
    })
}

/// A Go-style duration (`1h2m3.5s`, `500ms`, `37s`) in milliseconds, rounded up; `None` when malformed.
fn duration_ms(text: &str) -> Option<u64> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total_ms = 0.0_f64;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest.get(..number_len)?.parse().ok()?;
        rest = rest.get(number_len..)?;
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match rest.get(..unit_len)? {
            "h" => 3_600_000.0,
            "m" => 60_000.0,
            "s" => 1_000.0,
            "ms" => 1.0,
            "us" | "µs" => 0.001,
            "ns" => 0.000_001,
            _ => return None,
        };
        rest = rest.get(unit_len..)?;
        total_ms += number * scale;
    }
    // Bounded above by the cast's saturation; a malformed huge value just means "much later".
    total_ms.is_finite().then(|| total_ms.ceil() as u64)
}

/// The IR kind of an in-stream `{"error":{code,status,…}}` object.
pub(super) fn stream_error_kind(error: &Value) -> ErrorKindTag {
    let status = error.get("status").and_then(Value::as_str).unwrap_or_default();
    let code = error.get("code").and_then(Value::as_u64).unwrap_or(0);
    match (status, code) {
        ("RESOURCE_EXHAUSTED", _) | (_, 429) => ErrorKindTag::RateLimited,
        ("UNAVAILABLE", _) | (_, 503 | 529) => ErrorKindTag::Overloaded,
        ("INVALID_ARGUMENT" | "FAILED_PRECONDITION" | "NOT_FOUND" | "PERMISSION_DENIED", _) | (_, 400..=499) => {
            ErrorKindTag::InvalidRequest
        }
        _ => ErrorKindTag::Server,
    }
}

/// The message of an in-stream error object, capped like [`decode_error`]'s.
pub(super) fn stream_error_message(error: &Value) -> String {
    match error.get("message").and_then(Value::as_str).map(str::trim).filter(|m| !m.is_empty()) {
        Some(message) => truncate_chars(message, MAX_UPSTREAM_MESSAGE_CHARS),
        None => {
            let status = error.get("status").and_then(Value::as_str).unwrap_or("UNKNOWN");
            format!("upstream stream failed ({status})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_follows_the_status_and_a_bad_key_is_authentication() {
        let cases = [
            (400, ErrorKind::InvalidRequest),
            (403, ErrorKind::PermissionDenied),
            (404, ErrorKind::NotFound),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::BadGateway),
            (503, ErrorKind::Unavailable),
            (504, ErrorKind::Timeout),
        ];
        for (status, kind) in cases {
            assert_eq!(decode_error(status, b"{}").kind, kind, "status {status}");
        }
        let bad_key = br#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}"#;
        let e = decode_error(400, bad_key);
        assert_eq!(e.kind, ErrorKind::Authentication);
        assert_eq!(e.message, "API key not valid. Please pass a valid API key.");
    }

    #[test]
    fn message_is_read_bare_or_array_wrapped_and_capped() {
        let bare = br#"{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#;
        assert_eq!(decode_error(503, bare).message, "The model is overloaded.");
        let wrapped = br#"[{"error":{"code":400,"message":"Request contains an invalid argument.","status":"INVALID_ARGUMENT"}}]"#;
        assert_eq!(decode_error(400, wrapped).message, "Request contains an invalid argument.");
        let long = format!(r#"{{"error":{{"code":400,"message":"{}"}}}}"#, "é".repeat(800));
        assert_eq!(decode_error(400, long.as_bytes()).message.chars().count(), MAX_UPSTREAM_MESSAGE_CHARS + 1);
        assert_eq!(decode_error(502, b"<html>").message, "upstream returned HTTP 502");
        assert_eq!(decode_error(502, b"[]").message, "upstream returned HTTP 502");
    }

    #[test]
    fn retry_delay_comes_from_retry_info_then_quota_reset_delay() {
        let retry = br#"{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED","details":[
            {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinute"}]},
            {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}"#;
        assert_eq!(retry_after_ms(retry), Some(37_000));
        let fractional = br#"[{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"51820.638305887s"}]}}]"#;
        assert_eq!(retry_after_ms(fractional), Some(51_820_639));
        let reset = br#"{"error":{"code":429,"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"QUOTA_EXHAUSTED","domain":"cloudcode-pa.googleapis.com","metadata":{"quotaResetDelay":"1h2m3.5s"}}]}}"#;
        assert_eq!(retry_after_ms(reset), Some(3_723_500));
        assert_eq!(retry_after_ms(br#"{"error":{"code":429}}"#), None);
        assert_eq!(retry_after_ms(b"not json"), None);
    }

    #[test]
    fn durations_parse_go_syntax_and_reject_garbage() {
        assert_eq!(duration_ms("500ms"), Some(500));
        assert_eq!(duration_ms("373.801628ms"), Some(374));
        assert_eq!(duration_ms("2m"), Some(120_000));
        assert_eq!(duration_ms("1.5"), None);
        assert_eq!(duration_ms("s"), None);
        assert_eq!(duration_ms("3x"), None);
        assert_eq!(duration_ms(""), None);
    }

    #[test]
    fn stream_error_kinds() {
        let kind = |v: Value| stream_error_kind(&v);
        assert_eq!(kind(serde_json::json!({"code": 429, "status": "RESOURCE_EXHAUSTED"})), ErrorKindTag::RateLimited);
        assert_eq!(kind(serde_json::json!({"code": 503})), ErrorKindTag::Overloaded);
        assert_eq!(kind(serde_json::json!({"status": "INVALID_ARGUMENT"})), ErrorKindTag::InvalidRequest);
        assert_eq!(kind(serde_json::json!({"code": 500, "status": "INTERNAL"})), ErrorKindTag::Server);
    }
}
