//! Non-streamed responses: decoding, encoding, usage, finish reasons, round trip.

use serde_json::{json, Value};

use crate::formats::gemini::{decode_response, encode_response, encode_response_at};
use crate::ir::{ChatResponse, ContentPart, FinishReason, ReasoningFamily, Thinking, Usage};

const TOOL_CALL: &str = fixture!("responses/tool_call.json");
const BLOCKED: &str = fixture!("responses/blocked.json");

fn gemini_thinking(text: &str, signature: Option<&str>) -> ContentPart {
    ContentPart::Thinking(Thinking {
        text: text.into(),
        signature: signature.map(str::to_owned),
        redacted: false,
        family: Some(ReasoningFamily::Gemini),
    })
}

#[test]
fn tool_call_response_decodes() {
    let resp = decode_response(TOOL_CALL.as_bytes()).expect("decodes");
    assert_eq!(resp.id, "resp-abc");
    assert_eq!(resp.model, "gemini-2.5-pro");
    assert_eq!(
        resp.content,
        [
            gemini_thinking("Let me think about the city.", None),
            gemini_thinking("", Some("c2lnLXRleHQ=")),
            ContentPart::text("Checking the weather."),
            gemini_thinking("", Some("c2lnLWNhbGw=")),
            ContentPart::ToolCall {
                id: "call_get_weather_0_respabc".into(),
                name: "get_weather".into(),
                arguments: r#"{"city": "Paris"}"#.into()
            },
        ]
    );
    assert_eq!(resp.finish, Some(FinishReason::ToolCalls));
    assert_eq!(
        resp.usage,
        Usage {
            input_tokens: 20,
            output_tokens: 80,
            cache_read_tokens: 100,
            cache_write_tokens: 0,
            reasoning_tokens: 50
        }
    );
}

#[test]
fn response_round_trip() {
    let first = decode_response(TOOL_CALL.as_bytes()).expect("decodes");
    let encoded = encode_response_at(&first, 1_700_000_000);
    assert_eq!(encoded, encode_response(&first), "Gemini responses carry no creation time");
    let second = decode_response(&encoded).expect("re-decodes");
    assert_eq!(first, second);
    let body: Value = serde_json::from_slice(&encoded).expect("json");
    assert_eq!(
        body["usageMetadata"],
        json!({"promptTokenCount": 120, "candidatesTokenCount": 30, "totalTokenCount": 200,
            "cachedContentTokenCount": 100, "thoughtsTokenCount": 50})
    );
    assert_eq!(body["candidates"][0]["finishReason"], "STOP");
    assert_eq!(
        body["candidates"][0]["content"]["parts"][1],
        json!({"text": "Checking the weather.", "thoughtSignature": "c2lnLXRleHQ="})
    );
}

#[test]
fn blocked_prompt_is_a_content_filter_with_no_content() {
    let resp = decode_response(BLOCKED.as_bytes()).expect("decodes");
    assert_eq!(resp.finish, Some(FinishReason::ContentFilter));
    assert!(resp.content.is_empty());
    assert_eq!(resp.usage.input_tokens, 8);
    let body: Value = serde_json::from_slice(&encode_response(&resp)).expect("json");
    assert_eq!(body["candidates"][0]["finishReason"], "SAFETY");
    assert_eq!(body["candidates"][0]["content"], json!({"role": "model", "parts": []}));
}

#[test]
fn finish_reasons() {
    let finish = |reason: &str, parts: Value| {
        let body = json!({"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": reason}]});
        decode_response(body.to_string().as_bytes()).expect("decodes").finish
    };
    let text = json!([{"text": "hi"}]);
    assert_eq!(finish("STOP", text.clone()), Some(FinishReason::Stop));
    assert_eq!(finish("MAX_TOKENS", text.clone()), Some(FinishReason::Length));
    for reason in ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"] {
        assert_eq!(finish(reason, text.clone()), Some(FinishReason::ContentFilter), "{reason}");
    }
    assert_eq!(finish("MALFORMED_FUNCTION_CALL", json!([])), Some(FinishReason::Stop));
    assert_eq!(finish("OTHER", text), Some(FinishReason::Stop));
    let call = json!([{"functionCall": {"name": "f"}}]);
    assert_eq!(finish("STOP", call.clone()), Some(FinishReason::ToolCalls));
    assert_eq!(finish("MAX_TOKENS", call), Some(FinishReason::Length));
}

#[test]
fn foreign_thinking_is_shown_without_its_signature() {
    let resp = ChatResponse {
        id: "msg_1".into(),
        model: "claude-x".into(),
        content: vec![
            ContentPart::Thinking(Thinking {
                text: "deliberating".into(),
                signature: Some("anthropic-sig".into()),
                redacted: false,
                family: Some(ReasoningFamily::Anthropic),
            }),
            ContentPart::Thinking(Thinking {
                text: String::new(),
                signature: Some("opaque".into()),
                redacted: true,
                family: Some(ReasoningFamily::Anthropic),
            }),
            ContentPart::text("Done."),
        ],
        finish: Some(FinishReason::Refusal),
        stop_sequence: None,
        usage: Usage::default(),
    };
    let body: Value = serde_json::from_slice(&encode_response(&resp)).expect("json");
    assert_eq!(
        body["candidates"][0]["content"]["parts"],
        json!([{"text": "deliberating", "thought": true}, {"text": "Done."}])
    );
    assert_eq!(body["candidates"][0]["finishReason"], "SAFETY");
    assert_eq!(body["responseId"], "msg_1");
}

#[test]
fn error_bodies_and_garbage_are_decode_errors() {
    let error = br#"{"error":{"code":500,"message":"Internal error","status":"INTERNAL"}}"#;
    assert!(decode_response(error).expect_err("error body").0.contains("Internal error"));
    assert!(decode_response(b"[]").is_err());
    assert!(decode_response(b"{\"candidates\": 3}").is_err());
    // An empty response is valid: no content, no finish reason.
    let empty = decode_response(b"{}").expect("decodes");
    assert!(empty.content.is_empty() && empty.finish.is_none());
}

/// Regression (golden grid review): Gemini sends calls without ids and the minted ids were `call_{name}_{n}` in
/// every response, so a client's history repeated them turn after turn (Anthropic rejects repeated `tool_use`
/// ids). They now carry a salt from the `responseId`, and are still recognised (not sent) when the history goes
/// back to Gemini.
#[test]
fn minted_call_ids_differ_between_responses_and_are_not_sent_back() {
    let response = |id: &str| {
        json!({"responseId": id, "modelVersion": "g", "candidates": [{"index": 0, "finishReason": "STOP",
            "content": {"role": "model", "parts": [{"functionCall": {"name": "read_file", "args": {"path": "a"}}}]}}]})
        .to_string()
    };
    let call_id = |body: String| match &decode_response(body.as_bytes()).expect("decodes").content[0] {
        ContentPart::ToolCall { id, .. } => id.clone(),
        other => panic!("not a call: {other:?}"),
    };
    let (first, second) = (call_id(response("turn-1")), call_id(response("turn-2")));
    assert_ne!(first, second);
    assert!(first.starts_with("call_read_file_0_"));
    let req = crate::ir::ChatRequest {
        model: "g".into(),
        messages: vec![
            crate::ir::Message {
                role: crate::ir::Role::Assistant,
                content: vec![ContentPart::ToolCall {
                    id: first.clone(),
                    name: "read_file".into(),
                    arguments: "{}".into(),
                }],
            },
            crate::ir::Message {
                role: crate::ir::Role::User,
                content: vec![ContentPart::ToolResult {
                    call_id: first,
                    content: vec![ContentPart::text("ok")],
                    is_error: false,
                    cache_control: None,
                }],
            },
        ],
        ..crate::ir::ChatRequest::default()
    };
    let body: Value = serde_json::from_slice(&crate::formats::gemini::encode_request(&req)).expect("json");
    assert!(body["contents"][0]["parts"][0]["functionCall"].get("id").is_none(), "{body}");
    assert!(body["contents"][1]["parts"][0]["functionResponse"].get("id").is_none(), "{body}");
}
