//! Upstream Anthropic error bodies (`{"type":"error","error":{"type","message"},"request_id"}`) → [`ApiError`].
//! The kind comes from the HTTP status; the message from `error.message`, capped, else a generic one.

use super::types::WireErrorEnvelope;
use crate::error::{ApiError, ErrorKind};

/// Longest upstream message passed on, in characters.
use crate::error::{truncate_chars, MAX_UPSTREAM_MESSAGE_CHARS as MAX_MESSAGE_CHARS};

/// Reads an upstream Anthropic error body; never fails (an unreadable body gives a generic message).
#[must_use]
pub fn decode_error(status: u16, body: &[u8]) -> ApiError {
    let message = serde_json::from_slice::<WireErrorEnvelope>(body)
        .ok()
        .and_then(|e| e.error)
        .map(|e| e.message.trim().to_owned())
        .filter(|m| !m.is_empty())
        .map_or_else(|| format!("upstream returned HTTP {status}"), |m| truncate_chars(&m, MAX_MESSAGE_CHARS));
    ApiError::new(ErrorKind::from_upstream_status(status), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_follows_the_status() {
        let cases = [
            (400, ErrorKind::InvalidRequest),
            (401, ErrorKind::Authentication),
            (402, ErrorKind::InvalidRequest),
            (403, ErrorKind::PermissionDenied),
            (404, ErrorKind::NotFound),
            (413, ErrorKind::TooLarge),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::BadGateway),
            (502, ErrorKind::BadGateway),
            (503, ErrorKind::Unavailable),
            (504, ErrorKind::Timeout),
            (529, ErrorKind::Unavailable),
        ];
        for (status, kind) in cases {
            assert_eq!(decode_error(status, b"{}").kind, kind, "status {status}");
        }
    }

    #[test]
    fn message_comes_from_the_body_and_is_capped() {
        let body =
            br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#;
        let e = decode_error(529, body);
        assert_eq!(e.message, "Overloaded");
        let long =
            format!(r#"{{"type":"error","error":{{"type":"invalid_request_error","message":"{}"}}}}"#, "é".repeat(800));
        let e = decode_error(400, long.as_bytes());
        assert_eq!(e.message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert_eq!(decode_error(502, b"<html>").message, "upstream returned HTTP 502");
    }
}
