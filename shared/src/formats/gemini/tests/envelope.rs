//! The Code Assist `v1internal` envelope.

use serde_json::{json, Value};

use super::frame;
use super::stream_decode::decode;
use crate::formats::gemini::envelope::{unwrap_event, unwrap_response, wrap_request, EnvelopeStreamDecoder};
use crate::formats::gemini::{decode_response, encode_request};
use crate::ir::{ChatRequest, ContentPart, Message, Role};

const CODE_ASSIST: &str = fixture!("streams/code_assist.sse");

#[test]
fn wrap_puts_the_gemini_body_under_request() {
    let req = ChatRequest {
        messages: vec![Message { role: Role::User, content: vec![ContentPart::text("hi")] }],
        ..ChatRequest::default()
    };
    let body = encode_request(&req);
    let wrapped: Value = serde_json::from_slice(&wrap_request("models/gemini-2.5-pro", "proj-1", &body)).expect("json");
    assert_eq!(
        wrapped,
        json!({"model": "gemini-2.5-pro", "project": "proj-1",
            "request": {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}})
    );
    // The body is embedded byte for byte.
    let text = String::from_utf8(wrap_request("m", "p", &body)).expect("utf-8");
    assert!(text.contains(std::str::from_utf8(&body).expect("utf-8")));
    let no_project: Value = serde_json::from_slice(&wrap_request("m", "", b"not json")).expect("json");
    assert_eq!(no_project, json!({"model": "m", "request": {}}));
}

#[test]
fn unwrap_takes_the_response_and_the_trace_id() {
    let body = br#"{"response":{"candidates":[{"content":{"role":"model","parts":[{"text":"ok"}]},"finishReason":"STOP"}],"modelVersion":"gemini-2.5-pro"},"traceId":"trace-9"}"#;
    let inner = unwrap_response(body).expect("unwraps");
    let resp = decode_response(&inner).expect("decodes");
    assert_eq!(resp.id, "trace-9");
    assert_eq!(resp.model, "gemini-2.5-pro");
    assert_eq!(resp.content, [ContentPart::text("ok")]);

    let with_id = br#"{"response":{"responseId":"own"},"traceId":"trace-9"}"#;
    let value: Value = serde_json::from_slice(&unwrap_response(with_id).expect("unwraps")).expect("json");
    assert_eq!(value["responseId"], "own");

    let error = br#"{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}"#;
    assert_eq!(unwrap_response(error).expect("passes through"), error.to_vec());
    assert!(unwrap_response(b"[1]").is_err());
    assert!(unwrap_response(br#"{"response": 3}"#).is_err());
}

#[test]
fn envelope_stream_decodes_like_the_unwrapped_gemini_stream() {
    let events = frame(CODE_ASSIST.as_bytes());
    let mut decoder = EnvelopeStreamDecoder::new();
    let mut wrapped_events = Vec::new();
    for event in &events {
        wrapped_events.extend(decoder.feed(event).expect("decodes"));
    }
    wrapped_events.extend(decoder.finish());
    assert!(decoder.is_complete());

    let unwrapped: String = events.iter().map(|e| format!("data: {}\n\n", unwrap_event(e).data)).collect();
    let (plain_events, complete) = decode(&unwrapped);
    assert!(complete);
    assert_eq!(wrapped_events, plain_events);
    assert!(matches!(&wrapped_events[0], crate::ir::StreamEvent::MessageStart { id, .. } if id == "trace-1"));
}
