//! Non-streaming responses.

use serde_json::{json, Value};

use crate::formats::anthropic::{decode_response, encode_response};
use crate::ir::{ChatResponse, ContentPart, FinishReason, ReasoningFamily, Thinking, Usage};

const TOOL_USE: &str = fixture!("responses/tool_use.json");
const SERVER_TOOLS: &str = fixture!("responses/server_tools.json");

fn encode(resp: &ChatResponse) -> Value {
    serde_json::from_slice(&encode_response(resp)).expect("encoder writes JSON")
}

fn response(content: Vec<ContentPart>, finish: Option<FinishReason>) -> ChatResponse {
    ChatResponse {
        id: "chatcmpl-123".into(),
        model: "gpt-5".into(),
        content,
        finish,
        stop_sequence: None,
        usage: Usage::default(),
    }
}

#[test]
fn decodes_a_tool_use_response() {
    let resp = decode_response(TOOL_USE.as_bytes()).expect("fixture decodes");
    assert_eq!(resp.id, "msg_01Aq9w938a90dw8q");
    assert_eq!(resp.model, "claude-sonnet-4-5-20250929");
    assert_eq!(
        resp.content,
        [
            ContentPart::Thinking(Thinking {
                text: "I should look up the weather.".into(),
                signature: Some("ErUBCkYIAxgCIkBGr+/sig==".into()),
                redacted: false,
                family: Some(ReasoningFamily::Anthropic),
            }),
            ContentPart::text("Let me check the weather for you."),
            ContentPart::ToolCall {
                id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6".into(),
                name: "get_weather".into(),
                arguments: r#"{"location": "San Francisco, CA", "unit": "fahrenheit"}"#.into(),
            },
        ]
    );
    assert_eq!(resp.finish, Some(FinishReason::ToolCalls));
    assert_eq!(
        resp.usage,
        Usage {
            input_tokens: 472,
            output_tokens: 89,
            cache_read_tokens: 36000,
            cache_write_tokens: 1200,
            reasoning_tokens: 0,
        }
    );
}

#[test]
fn responses_round_trip() {
    for body in [TOOL_USE, SERVER_TOOLS] {
        let first = decode_response(body.as_bytes()).expect("fixture decodes");
        let encoded = encode_response(&first);
        let second = decode_response(&encoded).expect("re-encoded response decodes");
        assert_eq!(first, second);
    }
    let out: Value = serde_json::from_slice(&encode_response(&decode_response(TOOL_USE.as_bytes()).expect("decodes")))
        .expect("json");
    assert_eq!(
        out["usage"],
        json!({ "input_tokens": 472, "cache_creation_input_tokens": 1200, "cache_read_input_tokens": 36000, "output_tokens": 89 })
    );
    assert_eq!(out["type"], "message");
    assert_eq!(out["role"], "assistant");
    assert_eq!(out["stop_reason"], "tool_use");
    assert_eq!(out["stop_sequence"], Value::Null);
}

#[test]
fn server_tool_and_unknown_blocks_are_skipped() {
    let resp = decode_response(SERVER_TOOLS.as_bytes()).expect("fixture decodes");
    assert_eq!(
        resp.content,
        [ContentPart::text("I'll search for that."), ContentPart::text("The 2024 edition shipped with Rust 1.85."),]
    );
    assert_eq!(resp.finish, Some(FinishReason::Stop));
    assert_eq!(resp.stop_sequence.as_deref(), Some("END"));
    let out = encode(&resp);
    assert_eq!(out["stop_reason"], "stop_sequence");
    assert_eq!(out["stop_sequence"], "END");
}

#[test]
fn stop_reasons_decode() {
    let cases = [
        ("end_turn", FinishReason::Stop),
        ("stop_sequence", FinishReason::Stop),
        ("max_tokens", FinishReason::Length),
        ("model_context_window_exceeded", FinishReason::Length),
        ("tool_use", FinishReason::ToolCalls),
        ("refusal", FinishReason::Refusal),
        ("pause_turn", FinishReason::Pause),
    ];
    for (wire, finish) in cases {
        let body = json!({ "id": "msg_1", "model": "m", "content": [], "stop_reason": wire });
        let resp = decode_response(body.to_string().as_bytes()).expect("decodes");
        assert_eq!(resp.finish, Some(finish), "{wire}");
    }
    assert!(decode_response(br#"{"type":"error","error":{"type":"api_error","message":"x"}}"#).is_err());
    assert!(decode_response(b"nope").is_err());
}

#[test]
fn stop_reasons_encode() {
    let cases = [
        (None, "end_turn"),
        (Some(FinishReason::Stop), "end_turn"),
        (Some(FinishReason::Length), "max_tokens"),
        (Some(FinishReason::ToolCalls), "tool_use"),
        (Some(FinishReason::ContentFilter), "refusal"),
        (Some(FinishReason::Refusal), "refusal"),
        (Some(FinishReason::Pause), "pause_turn"),
    ];
    for (finish, wire) in cases {
        assert_eq!(encode(&response(vec![], finish.clone()))["stop_reason"], wire, "{finish:?}");
    }
    // Tool calls always report tool_use, so a client runs them.
    let out = encode(&response(
        vec![ContentPart::ToolCall { id: "call_1".into(), name: "f".into(), arguments: r#"{"a":1}"#.into() }],
        Some(FinishReason::Stop),
    ));
    assert_eq!(out["stop_reason"], "tool_use");
    assert_eq!(out["content"][0], json!({ "type": "tool_use", "id": "call_1", "name": "f", "input": { "a": 1 } }));
}

#[test]
fn foreign_content_is_made_safe_for_an_anthropic_client() {
    let out = encode(&response(
        vec![
            ContentPart::Thinking(Thinking {
                text: "gemini thoughts".into(),
                signature: Some("gemini-sig".into()),
                redacted: false,
                family: Some(ReasoningFamily::Gemini),
            }),
            ContentPart::Thinking(Thinking {
                text: String::new(),
                signature: Some("enc".into()),
                redacted: true,
                family: Some(ReasoningFamily::OpenAi),
            }),
            // Regression (golden grid): Gemini's signature-only part gave an empty thinking block.
            ContentPart::Thinking(Thinking {
                text: String::new(),
                signature: Some("gemini-sig-2".into()),
                redacted: false,
                family: Some(ReasoningFamily::Gemini),
            }),
            ContentPart::text("hi"),
            ContentPart::ToolCall { id: "a.b".into(), name: "f".into(), arguments: "{broken".into() },
        ],
        Some(FinishReason::ToolCalls),
    ));
    assert_eq!(out["id"], "msg_chatcmpl-123");
    assert_eq!(
        out["content"],
        json!([
            { "type": "thinking", "thinking": "gemini thoughts", "signature": "" },
            { "type": "text", "text": "hi" },
            { "type": "tool_use", "id": "a_b", "name": "f", "input": { "_raw": "{broken" } }
        ])
    );
}
