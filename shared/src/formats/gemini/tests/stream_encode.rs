//! Stream encoding in both modes, and decoder → encoder → decoder round trips.

use serde_json::{json, Value};

use super::stream_decode::{decode, ALL};
use crate::formats::gemini::{GeminiStreamMode, StreamEncoder};
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

fn encode(events: &[StreamEvent], mode: GeminiStreamMode) -> Vec<u8> {
    let mut encoder = StreamEncoder::new(mode);
    let mut out = Vec::new();
    for event in events {
        encoder.feed(event, &mut out);
    }
    out
}

/// The encoder only reports usage at the end, so the start's input usage does not survive a round trip.
fn without_start_usage(events: Vec<StreamEvent>) -> Vec<StreamEvent> {
    events
        .into_iter()
        .map(|e| match e {
            StreamEvent::MessageStart { id, model, .. } => StreamEvent::MessageStart { id, model, usage: None },
            other => other,
        })
        .collect()
}

/// The chunks of an SSE body, parsed.
fn sse_chunks(bytes: &[u8]) -> Vec<Value> {
    super::frame(bytes).iter().map(|e| serde_json::from_str(&e.data).expect("chunk is JSON")).collect()
}

#[test]
fn decoder_encoder_decoder_round_trip() {
    for sse in ALL {
        let (events, complete) = decode(sse);
        let encoded = encode(&events, GeminiStreamMode::Sse);
        let text = String::from_utf8(encoded.clone()).expect("utf-8");
        assert!(text.ends_with("\r\n\r\n") && text.starts_with("data: "), "{text}");
        let (again, again_complete) = decode(&text);
        assert_eq!(without_start_usage(again), without_start_usage(events), "{sse}");
        assert_eq!(again_complete, complete);
    }
}

#[test]
fn json_array_mode_is_the_same_chunks_in_one_array() {
    for sse in ALL {
        let (events, complete) = decode(sse);
        let finished = complete || events.iter().any(|e| matches!(e, StreamEvent::Error { .. }));
        let array = encode(&events, GeminiStreamMode::JsonArray);
        let chunks = sse_chunks(&encode(&events, GeminiStreamMode::Sse));
        if finished {
            let parsed: Value = serde_json::from_slice(&array).expect("a complete stream is one JSON array");
            assert_eq!(parsed, Value::Array(chunks), "{sse}");
        } else {
            let mut closed = array.clone();
            closed.push(b']');
            let parsed: Value = serde_json::from_slice(&closed).expect("an unfinished array lacks only its `]`");
            assert_eq!(parsed, Value::Array(chunks));
        }
        let text = String::from_utf8(array).expect("utf-8");
        assert!(text.starts_with("[{"), "{text}");
        assert_eq!(
            text.matches(",\r\n{").count() + 1,
            text.matches("{\"candidates\"").count() + text.matches("{\"error\"").count()
        );
    }
}

#[test]
fn exact_framing_of_a_short_stream() {
    let events = [
        StreamEvent::MessageStart { id: "r1".into(), model: "m".into(), usage: None },
        StreamEvent::BlockStart { index: 0, block: BlockKind::Text },
        StreamEvent::Delta { index: 0, delta: Delta::Text("Hi".into()) },
        StreamEvent::BlockStop { index: 0 },
        StreamEvent::MessageDelta {
            finish: Some(FinishReason::Stop),
            usage: Some(Usage { input_tokens: 3, output_tokens: 1, ..Usage::default() }),
            stop_sequence: None,
        },
        StreamEvent::MessageStop,
    ];
    let first = r#"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"index":0}],"modelVersion":"m","responseId":"r1"}"#;
    let last = r#"{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4},"modelVersion":"m","responseId":"r1"}"#;
    assert_eq!(
        String::from_utf8(encode(&events, GeminiStreamMode::Sse)).expect("utf-8"),
        format!("data: {first}\r\n\r\ndata: {last}\r\n\r\n")
    );
    assert_eq!(
        String::from_utf8(encode(&events, GeminiStreamMode::JsonArray)).expect("utf-8"),
        format!("[{first},\r\n{last}]")
    );
    let bare = [StreamEvent::MessageStop];
    let array: Value = serde_json::from_slice(&encode(&bare, GeminiStreamMode::JsonArray)).expect("array");
    assert_eq!(array[0]["candidates"][0]["finishReason"], "STOP");
}

#[test]
fn errors_in_both_modes() {
    let events = [
        StreamEvent::MessageStart { id: "r".into(), model: "m".into(), usage: None },
        StreamEvent::BlockStart { index: 0, block: BlockKind::Text },
        StreamEvent::Delta { index: 0, delta: Delta::Text("a".into()) },
        StreamEvent::Error { kind: ErrorKindTag::RateLimited, message: "slow down".into() },
        StreamEvent::Delta { index: 0, delta: Delta::Text("ignored".into()) },
        StreamEvent::MessageStop,
    ];
    let error = json!({"error": {"code": 429, "message": "slow down", "status": "RESOURCE_EXHAUSTED"}});
    let sse = sse_chunks(&encode(&events, GeminiStreamMode::Sse));
    assert_eq!(sse.len(), 2);
    assert_eq!(sse[1], error);
    let array: Value = serde_json::from_slice(&encode(&events, GeminiStreamMode::JsonArray)).expect("array");
    assert_eq!(array.as_array().map(Vec::len), Some(2));
    assert_eq!(array[1], error);
    let only_error = encode(&events[3..4], GeminiStreamMode::JsonArray);
    assert_eq!(serde_json::from_slice::<Value>(&only_error).expect("array"), json!([error]));
}

#[test]
fn tool_calls_thinking_of_other_families_and_redactions() {
    let events = [
        StreamEvent::MessageStart { id: "msg_1".into(), model: "claude".into(), usage: None },
        StreamEvent::BlockStart { index: 0, block: BlockKind::Thinking { family: Some(ReasoningFamily::Anthropic) } },
        StreamEvent::Delta { index: 0, delta: Delta::Thinking("hmm".into()) },
        StreamEvent::Delta { index: 0, delta: Delta::Signature("anthropic-sig".into()) },
        StreamEvent::BlockStop { index: 0 },
        StreamEvent::BlockStart {
            index: 1,
            block: BlockKind::RedactedThinking { data: "opaque".into(), family: Some(ReasoningFamily::Anthropic) },
        },
        StreamEvent::BlockStop { index: 1 },
        StreamEvent::BlockStart { index: 2, block: BlockKind::ToolCall { id: "toolu_1".into(), name: "f".into() } },
        StreamEvent::Delta { index: 2, delta: Delta::ToolArguments(r#"{"a": "#.into()) },
        StreamEvent::Delta { index: 2, delta: Delta::ToolArguments("1}".into()) },
        StreamEvent::BlockStop { index: 2 },
        StreamEvent::BlockStart { index: 3, block: BlockKind::ToolCall { id: "call_g_1".into(), name: "g".into() } },
        StreamEvent::Delta { index: 3, delta: Delta::ToolArguments("[1]".into()) },
        StreamEvent::BlockStop { index: 3 },
        StreamEvent::MessageDelta { finish: Some(FinishReason::ToolCalls), usage: None, stop_sequence: None },
        StreamEvent::MessageStop,
    ];
    let parts: Vec<Value> = sse_chunks(&encode(&events, GeminiStreamMode::Sse))
        .iter()
        .map(|c| c["candidates"][0]["content"]["parts"][0].clone())
        .collect();
    assert_eq!(
        parts,
        [
            json!({"text": "hmm", "thought": true}),
            json!({"functionCall": {"name": "f", "args": {"a": 1}, "id": "toolu_1"}}),
            json!({"functionCall": {"name": "g", "args": {}}}),
            json!({"text": ""}),
        ]
    );
}

#[test]
fn a_signature_only_block_rides_on_the_next_part() {
    let events = [
        StreamEvent::BlockStart { index: 0, block: BlockKind::Thinking { family: Some(ReasoningFamily::Gemini) } },
        StreamEvent::Delta { index: 0, delta: Delta::Signature("S".into()) },
        StreamEvent::BlockStop { index: 0 },
        StreamEvent::BlockStart { index: 1, block: BlockKind::ToolCall { id: "call_f_0".into(), name: "f".into() } },
        StreamEvent::Delta { index: 1, delta: Delta::ToolArguments("{}".into()) },
        StreamEvent::BlockStop { index: 1 },
        StreamEvent::MessageStop,
    ];
    let chunks = sse_chunks(&encode(&events, GeminiStreamMode::Sse));
    assert_eq!(
        chunks[0]["candidates"][0]["content"]["parts"],
        json!([{"functionCall": {"name": "f", "args": {}}, "thoughtSignature": "S"}])
    );
    assert_eq!(chunks.len(), 2);
}
