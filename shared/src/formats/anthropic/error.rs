//! Upstream Anthropic error bodies (`{"type":"error","error":{"type","message"},"request_id"}`) → [`ApiError`].
//! The kind comes from the HTTP status; the message from `error.message`, capped, else a generic one.

use super::types::WireErrorEnvelope;
use crate::error::{ApiError, ErrorKind};

/// Longest upstream message passed on, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

/// The error kind of an upstream HTTP status: 400 invalid request, 401 authentication, 403 permission,
/// 404 not found, 413 too large, 429 rate limited, 500 bad gateway, 503/529 unavailable (overloaded),
/// 504 timeout; any other 4xx is an invalid request and anything else a bad gateway.
fn kind_of(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Authentication,
        403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        413 => ErrorKind::TooLarge,
        429 => ErrorKind::RateLimited,
        503 | 529 => ErrorKind::Unavailable,
        504 => ErrorKind::Timeout,
        400..=499 => ErrorKind::InvalidRequest,
        _ => ErrorKind::BadGateway,
    }
}

/// Reads an upstream Anthropic error body; never fails (an unreadable body gives a generic message).
#[must_use]
pub fn decode_error(status: u16, body: &[u8]) -> ApiError {
    let message = serde_json::from_slice::<WireErrorEnvelope>(body)
        .ok()
        .and_then(|e| e.error)
        .map(|e| e.message.trim().to_owned())
        .filter(|m| !m.is_empty())
        .map_or_else(
            || format!("upstream returned HTTP {status}"),
            |m| match m.char_indices().nth(MAX_MESSAGE_CHARS) {
                Some((cut, _)) => format!("{}…", &m[..cut]),
                None => m,
            },
        );
    ApiError::new(kind_of(status), message)
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
