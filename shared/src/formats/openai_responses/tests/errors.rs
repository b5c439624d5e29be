//! Upstream error bodies.

use crate::error::{ErrorKind, MAX_UPSTREAM_MESSAGE_CHARS};
use crate::formats::openai_responses::decode_error;

#[test]
fn openai_envelope() {
    let body = br#"{"error":{"message":"No tool call found for function call output with call_id call_123.","type":"invalid_request_error","param":"input","code":null}}"#;
    let err = decode_error(400, body);
    assert_eq!(err.kind, ErrorKind::InvalidRequest);
    assert_eq!(err.message, "No tool call found for function call output with call_id call_123.");
    assert_eq!(err.code, None);

    let err = decode_error(
        429,
        br#"{"error":{"message":"Slow down","type":"rate_limit_error","code":"rate_limit_exceeded"}}"#,
    );
    assert_eq!((err.kind, err.code), (ErrorKind::RateLimited, Some("rate_limit_exceeded")));
    let err = decode_error(400, br#"{"error":{"message":"too long","code":"some_new_code"}}"#);
    assert_eq!(err.code, None, "unknown codes are dropped");
}

#[test]
fn codex_backend_shapes() {
    let err = decode_error(400, br#"{"detail":"Unsupported parameter: max_output_tokens"}"#);
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::InvalidRequest, "Unsupported parameter: max_output_tokens")
    );
    let body = br#"{"error":{"type":"usage_limit_reached","message":"The usage limit has been reached","plan_type":"plus","resets_at":1760003600,"resets_in_seconds":1234}}"#;
    let err = decode_error(429, body);
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert_eq!(err.code, Some("usage_limit_reached"));
    assert_eq!(err.retry_after_secs, Some(1234));
}

#[test]
fn odd_bodies_fall_back_and_long_messages_are_capped() {
    assert_eq!(decode_error(502, b"<html>bad gateway</html>").message, "upstream returned 502");
    assert_eq!(decode_error(503, b"").kind, ErrorKind::Unavailable);
    assert_eq!(decode_error(500, br#"{"error":"plain string"}"#).message, "plain string");
    let long = format!(r#"{{"error":{{"message":"{}"}}}}"#, "x".repeat(2000));
    let err = decode_error(500, long.as_bytes());
    assert_eq!(err.message.chars().count(), MAX_UPSTREAM_MESSAGE_CHARS + 1, "cut, with an ellipsis");
    assert_eq!(err.kind, ErrorKind::BadGateway);
}
