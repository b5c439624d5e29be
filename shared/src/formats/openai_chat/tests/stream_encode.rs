//! `StreamEncoder`: exact chunks, grammar, and decoder → encoder round trips.

use serde_json::{json, Value};

use super::{decode_chunks, decode_stream, sse_payloads, TRANSCRIPTS};
use crate::formats::openai_chat::StreamEncoder;
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

fn encode(events: &[StreamEvent], include_usage: bool) -> Vec<Value> {
    let mut encoder = StreamEncoder::new(1_700_000_000, include_usage);
    let mut out = Vec::new();
    for event in events {
        encoder.feed(event, &mut out);
    }
    sse_payloads(&out)
}

/// A chunk as the encoder writes it.
fn chunk(delta: Value, finish_reason: Value) -> Value {
    json!({
        "id": "msg_1", "object": "chat.completion.chunk", "created": 1_700_000_000_u64, "model": "claude-x",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason}]
    })
}

/// A delta with one tool-call fragment at wire `index`.
fn tool(index: u32, mut call: Value) -> Value {
    call["index"] = json!(index);
    json!({"tool_calls": [call]})
}

/// An agent turn mixing every block kind.
fn agent_turn() -> Vec<StreamEvent> {
    use StreamEvent::{BlockStart, BlockStop, Delta as D, MessageDelta, MessageStart, MessageStop};
    vec![
        MessageStart {
            id: "msg_1".into(),
            model: "claude-x".into(),
            usage: Some(Usage { input_tokens: 5, ..Usage::default() }),
        },
        BlockStart { index: 0, block: BlockKind::Thinking { family: Some(ReasoningFamily::Anthropic) } },
        D { index: 0, delta: Delta::Thinking("plan".into()) },
        D { index: 0, delta: Delta::Signature("sig".into()) },
        BlockStop { index: 0 },
        BlockStart {
            index: 1,
            block: BlockKind::RedactedThinking { data: "opaque".into(), family: Some(ReasoningFamily::Anthropic) },
        },
        BlockStop { index: 1 },
        BlockStart { index: 2, block: BlockKind::Text },
        D { index: 2, delta: Delta::Text("Hi".into()) },
        BlockStop { index: 2 },
        BlockStart { index: 3, block: BlockKind::ToolCall { id: "toolu_a".into(), name: "ls".into() } },
        D { index: 3, delta: Delta::ToolArguments("{\"p\":".into()) },
        D { index: 3, delta: Delta::ToolArguments("1}".into()) },
        BlockStop { index: 3 },
        BlockStart { index: 4, block: BlockKind::ToolCall { id: "toolu_b".into(), name: "cat".into() } },
        D { index: 4, delta: Delta::ToolArguments(String::new()) },
        BlockStop { index: 4 },
        MessageDelta {
            finish: Some(FinishReason::ToolCalls),
            usage: Some(Usage {
                input_tokens: 5,
                output_tokens: 7,
                cache_read_tokens: 2,
                cache_write_tokens: 0,
                reasoning_tokens: 1,
            }),
            stop_sequence: None,
        },
        MessageStop,
    ]
}

#[test]
fn encodes_exact_chunks_in_grammar_order() {
    let payloads = encode(&agent_turn(), true);
    let expected = vec![
        chunk(json!({"role": "assistant", "content": ""}), Value::Null),
        chunk(json!({"reasoning_content": "plan"}), Value::Null),
        chunk(json!({"content": "Hi"}), Value::Null),
        chunk(
            tool(0, json!({"id": "toolu_a", "type": "function", "function": {"name": "ls", "arguments": ""}})),
            Value::Null,
        ),
        chunk(tool(0, json!({"function": {"arguments": "{\"p\":"}})), Value::Null),
        chunk(tool(0, json!({"function": {"arguments": "1}"}})), Value::Null),
        chunk(
            tool(1, json!({"id": "toolu_b", "type": "function", "function": {"name": "cat", "arguments": ""}})),
            Value::Null,
        ),
        chunk(json!({}), json!("tool_calls")),
        json!({
            "id": "msg_1", "object": "chat.completion.chunk", "created": 1_700_000_000_u64, "model": "claude-x",
            "choices": [],
            "usage": {"prompt_tokens": 7, "completion_tokens": 7, "total_tokens": 14,
                "prompt_tokens_details": {"cached_tokens": 2}, "completion_tokens_details": {"reasoning_tokens": 1}}
        }),
        json!("[DONE]"),
    ];
    assert_eq!(payloads, expected);
}

#[test]
fn usage_chunk_only_when_asked_for_and_known() {
    let payloads = encode(&agent_turn(), false);
    assert_eq!(payloads.len(), 9);
    assert_eq!(payloads[7]["choices"][0]["finish_reason"], "tool_calls");
    assert_eq!(payloads[8], json!("[DONE]"));
    assert!(payloads.iter().all(|p| p.get("usage").is_none()));

    let no_usage = [
        StreamEvent::MessageStart { id: "msg_1".into(), model: "claude-x".into(), usage: None },
        StreamEvent::MessageDelta { finish: Some(FinishReason::Pause), usage: None, stop_sequence: None },
        StreamEvent::MessageStop,
    ];
    assert_eq!(
        encode(&no_usage, true),
        vec![
            chunk(json!({"role": "assistant", "content": ""}), Value::Null),
            chunk(json!({}), json!("stop")),
            json!("[DONE]"),
        ]
    );
}

#[test]
fn error_is_the_last_frame() {
    let events = [
        StreamEvent::MessageStart { id: "msg_1".into(), model: "claude-x".into(), usage: None },
        StreamEvent::Error { kind: ErrorKindTag::Overloaded, message: "Overloaded".into() },
        StreamEvent::MessageStop,
    ];
    let payloads = encode(&events, true);
    assert_eq!(
        payloads,
        vec![
            chunk(json!({"role": "assistant", "content": ""}), Value::Null),
            json!({"error": {"message": "Overloaded", "type": "service_unavailable_error", "param": null, "code": null}}),
        ]
    );
}

#[test]
fn later_text_blocks_are_separated_by_a_blank_line() {
    use StreamEvent::{BlockStart, BlockStop, Delta as D};
    let mut events = vec![StreamEvent::MessageStart { id: "msg_1".into(), model: "claude-x".into(), usage: None }];
    for (index, text) in [(0, "One."), (1, "Two.")] {
        events.extend([
            BlockStart { index, block: BlockKind::Text },
            D { index, delta: Delta::Text(String::new()) },
            D { index, delta: Delta::Text(text.into()) },
            BlockStop { index },
        ]);
    }
    let payloads = encode(&events, false);
    let contents: Vec<&Value> = payloads.iter().map(|p| &p["choices"][0]["delta"]["content"]).collect();
    assert_eq!(contents, [&json!(""), &json!("One."), &json!("\n\nTwo.")]);
}

/// Text and tool calls (id, name, joined arguments) of an event sequence.
fn content_of(events: &[StreamEvent]) -> (String, String, Vec<(String, String, String)>) {
    let (mut text, mut thinking, mut calls) = (String::new(), String::new(), Vec::new());
    for event in events {
        match event {
            StreamEvent::BlockStart { block: BlockKind::ToolCall { id, name }, .. } => {
                calls.push((id.clone(), name.clone(), String::new()))
            }
            StreamEvent::Delta { delta, .. } => match delta {
                Delta::Text(t) => text.push_str(t),
                Delta::Thinking(t) => thinking.push_str(t),
                Delta::ToolArguments(a) => {
                    if let Some(call) = calls.last_mut() {
                        call.2.push_str(a);
                    }
                }
                Delta::Signature(_) => {}
            },
            _ => {}
        }
    }
    (text, thinking, calls)
}

#[test]
fn decoder_to_encoder_round_trip_preserves_content() {
    for (name, sse) in TRANSCRIPTS {
        let events = decode_stream(sse);
        let mut encoder = StreamEncoder::new(1, true);
        let mut bytes = Vec::new();
        for event in &events {
            encoder.feed(event, &mut bytes);
        }
        let again = decode_chunks([bytes.as_slice()]);
        assert_eq!(content_of(&again), content_of(&events), "{name}");
        let finish = |events: &[StreamEvent]| {
            events.iter().find_map(|e| match e {
                StreamEvent::MessageDelta { finish, usage, .. } => Some((finish.clone(), *usage)),
                _ => None,
            })
        };
        assert_eq!(finish(&again), finish(&events), "{name}");
        assert_eq!(
            again.last().map(std::mem::discriminant),
            events.last().map(std::mem::discriminant),
            "{name}: same terminal event"
        );
    }
}
