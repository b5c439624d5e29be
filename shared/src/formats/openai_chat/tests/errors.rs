//! `decode_error`.

use crate::error::{ClientFormat, ErrorKind};
use crate::formats::openai_chat::decode_error;

#[test]
fn kind_follows_the_status() {
    let cases = [
        (400, ErrorKind::InvalidRequest),
        (401, ErrorKind::Authentication),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::InvalidRequest),
        (413, ErrorKind::TooLarge),
        (422, ErrorKind::InvalidRequest),
        (429, ErrorKind::RateLimited),
        (500, ErrorKind::BadGateway),
        (502, ErrorKind::BadGateway),
        (503, ErrorKind::Unavailable),
        (504, ErrorKind::Timeout),
        (520, ErrorKind::BadGateway),
        (529, ErrorKind::Unavailable),
    ];
    for (status, kind) in cases {
        assert_eq!(decode_error(status, b"").kind, kind, "{status}");
    }
}

#[test]
fn message_and_known_code_come_from_the_body() {
    let e = decode_error(
        400,
        br#"{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
    );
    assert_eq!(e.message, "This model's maximum context length is 128000 tokens.");
    assert_eq!(e.code, Some("context_length_exceeded"));
    assert_eq!(e.format, ClientFormat::OpenAi);

    let quota = decode_error(
        429,
        br#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#,
    );
    assert_eq!(quota.kind, ErrorKind::RateLimited);
    assert_eq!(quota.code, Some("insufficient_quota"));

    let unknown =
        decode_error(404, br#"{"error":{"message":"nope","type":"invalid_request_error","code":"some_vendor_code"}}"#);
    assert_eq!(unknown.code, None);
    let key = decode_error(401, br#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#);
    assert_eq!(key.code, Some("invalid_api_key"));
}

#[test]
fn other_bodies_give_a_generic_or_bare_message() {
    assert_eq!(decode_error(502, b"<html>Bad gateway</html>").message, "upstream returned 502");
    assert_eq!(decode_error(500, br#"{"error":{"message":"   "}}"#).message, "upstream returned 500");
    assert_eq!(decode_error(400, br#"{"error":"model is required"}"#).message, "model is required");
    assert_eq!(decode_error(400, br#"{"message":"bad input","code":400}"#).message, "bad input");
    assert_eq!(decode_error(400, br#"{"error":{"code":123}}"#).code, None);
}

#[test]
fn long_messages_are_capped() {
    let long = "é".repeat(2000);
    let body = serde_json::json!({"error": {"message": long}}).to_string();
    let e = decode_error(400, body.as_bytes());
    assert_eq!(e.message.chars().count(), 501, "500 characters and an ellipsis");
    assert!(e.message.ends_with('…'));
}
