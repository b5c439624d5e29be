//! Stream encoding: Anthropic's event grammar under awkward input, and decoder → encoder round trips.

use serde_json::{json, Value};

use super::frame;
use super::stream_decode::{decode, decode_events, ALL, ERROR};
use crate::formats::anthropic::StreamEncoder;
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

/// Encodes `events` and returns the written events as (name, data).
fn encode(events: &[StreamEvent]) -> Vec<(String, Value)> {
    let mut encoder = StreamEncoder::new();
    let mut out = Vec::new();
    for event in events {
        encoder.feed(event, &mut out);
    }
    frame(&out)
        .into_iter()
        .map(|e| {
            let data: Value = serde_json::from_str(&e.data).expect("data is JSON");
            (e.event.expect("every event is named"), data)
        })
        .collect()
}

/// Asserts Anthropic's grammar: `message_start` once and first; blocks opened with consecutive indexes and
/// closed (same index) before the next opens; deltas only into the open block; then exactly one
/// `message_delta` and one `message_stop`, last — or an `error` event last.
fn assert_grammar(events: &[(String, Value)]) {
    assert!(!events.is_empty());
    let ends_in_error = events.last().is_some_and(|(name, _)| name == "error");
    let body = if ends_in_error { &events[..events.len() - 1] } else { events };
    for (name, data) in events {
        assert_eq!(data["type"], name.as_str(), "event name matches its type");
    }
    if !ends_in_error || !body.is_empty() {
        assert_eq!(body[0].0, "message_start", "message_start first");
    }
    let mut open: Option<u64> = None;
    let mut next_index = 0;
    let mut finished = 0;
    for (i, (name, data)) in body.iter().enumerate() {
        let index = data["index"].as_u64();
        match name.as_str() {
            "message_start" => assert_eq!(i, 0, "message_start exactly once"),
            "content_block_start" => {
                assert!(open.is_none(), "block {index:?} opened while {open:?} is open");
                assert_eq!(index, Some(next_index), "consecutive indexes");
                assert_eq!(finished, 0, "block after message_delta");
                open = index;
                next_index += 1;
            }
            "content_block_delta" => assert_eq!(index, open, "delta into the open block"),
            "content_block_stop" => {
                assert_eq!(index, open, "stop closes the open block");
                open = None;
            }
            "message_delta" => {
                assert!(open.is_none(), "message_delta with a block open");
                assert_eq!(finished, 0, "one message_delta");
                finished = 1;
            }
            "message_stop" => {
                assert_eq!(finished, 1, "message_stop after message_delta");
                assert_eq!(i, body.len() - 1, "message_stop last");
                finished = 2;
            }
            other => panic!("unexpected event {other}"),
        }
    }
    if !ends_in_error {
        assert_eq!(finished, 2, "stream ends with message_delta, message_stop");
    }
}

fn names(events: &[(String, Value)]) -> Vec<&str> {
    events.iter().map(|(n, _)| n.as_str()).collect()
}

fn text_delta(index: u32, text: &str) -> StreamEvent {
    StreamEvent::Delta { index, delta: Delta::Text(text.into()) }
}

fn message_start() -> StreamEvent {
    StreamEvent::MessageStart {
        id: "chatcmpl-9".into(),
        model: "gpt-5".into(),
        usage: Some(Usage { input_tokens: 100, cache_read_tokens: 50, ..Usage::default() }),
    }
}

#[test]
fn well_formed_input_gives_the_canonical_stream() {
    let events = encode(&[
        message_start(),
        StreamEvent::BlockStart { index: 0, block: BlockKind::Text },
        text_delta(0, "Hi"),
        StreamEvent::BlockStop { index: 0 },
        StreamEvent::MessageDelta {
            finish: Some(FinishReason::Length),
            usage: Some(Usage { input_tokens: 100, output_tokens: 7, cache_read_tokens: 50, ..Usage::default() }),
            stop_sequence: None,
        },
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    assert_eq!(
        events[0].1,
        json!({ "type": "message_start", "message": {
            "id": "msg_chatcmpl-9", "type": "message", "role": "assistant", "model": "gpt-5", "content": [],
            "stop_reason": null, "stop_sequence": null,
            "usage": { "input_tokens": 100, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 50, "output_tokens": 0 }
        }})
    );
    assert_eq!(
        events[1].1,
        json!({ "type": "content_block_start", "index": 0, "content_block": { "type": "text", "text": "" } })
    );
    assert_eq!(
        events[2].1,
        json!({ "type": "content_block_delta", "index": 0, "delta": { "type": "text_delta", "text": "Hi" } })
    );
    assert_eq!(
        events[4].1,
        json!({ "type": "message_delta", "delta": { "stop_reason": "max_tokens", "stop_sequence": null },
                "usage": { "input_tokens": 100, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 50, "output_tokens": 7 } })
    );
}

#[test]
fn awkward_input_still_gives_valid_grammar() {
    let events = encode(&[
        // Content before MessageStart, then a late MessageStart (ignored).
        text_delta(0, "early"),
        message_start(),
        // BlockStart while a block is open.
        StreamEvent::BlockStart { index: 1, block: BlockKind::ToolCall { id: "call|1".into(), name: "f".into() } },
        StreamEvent::Delta { index: 1, delta: Delta::ToolArguments("{\"a\":".into()) },
        // A stop for a block that is not open, an orphan signature and orphan arguments.
        StreamEvent::BlockStop { index: 7 },
        StreamEvent::Delta { index: 1, delta: Delta::Signature("sig".into()) },
        StreamEvent::Delta { index: 1, delta: Delta::ToolArguments("1}".into()) },
        // MessageDelta before a block, which then arrives.
        StreamEvent::MessageDelta { finish: Some(FinishReason::Stop), usage: None, stop_sequence: None },
        StreamEvent::BlockStart { index: 2, block: BlockKind::Text },
        text_delta(2, "late"),
        // MessageStop with the block open.
        StreamEvent::MessageStop,
        // Nothing after the end.
        text_delta(3, "after"),
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    assert_eq!(
        names(&events),
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
    );
    assert_eq!(events[0].1["message"]["id"], "msg_unknown");
    assert_eq!(events[4].1["content_block"]["id"], "call_1");
    assert_eq!(events[4].1["content_block"]["input"], json!({}));
    // A tool call was streamed, so the stop reason says so.
    assert_eq!(events[11].1["delta"]["stop_reason"], "tool_use");
}

#[test]
fn message_stop_alone_gets_an_end_turn_delta() {
    let events = encode(&[message_start(), StreamEvent::MessageStop]);
    assert_grammar(&events);
    assert_eq!(names(&events), ["message_start", "message_delta", "message_stop"]);
    assert_eq!(
        events[1].1,
        json!({ "type": "message_delta", "delta": { "stop_reason": "end_turn", "stop_sequence": null },
                "usage": { "input_tokens": 100, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 50, "output_tokens": 0 } })
    );
    let events = encode(&[StreamEvent::MessageStop]);
    assert_grammar(&events);
}

#[test]
fn foreign_reasoning_is_streamed_without_signatures() {
    let events = encode(&[
        message_start(),
        StreamEvent::BlockStart {
            index: 0,
            block: BlockKind::RedactedThinking {
                data: "openai-encrypted".into(),
                family: Some(ReasoningFamily::OpenAi),
            },
        },
        StreamEvent::BlockStop { index: 0 },
        StreamEvent::BlockStart { index: 1, block: BlockKind::Thinking { family: Some(ReasoningFamily::Gemini) } },
        StreamEvent::Delta { index: 1, delta: Delta::Thinking("thoughts".into()) },
        StreamEvent::Delta { index: 1, delta: Delta::Signature("gemini-sig".into()) },
        StreamEvent::BlockStop { index: 1 },
        StreamEvent::BlockStart { index: 2, block: BlockKind::Thinking { family: Some(ReasoningFamily::Anthropic) } },
        StreamEvent::Delta { index: 2, delta: Delta::Signature("anthropic-sig".into()) },
        StreamEvent::BlockStop { index: 2 },
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    let deltas: Vec<&Value> =
        events.iter().filter(|(n, _)| n == "content_block_delta").map(|(_, d)| &d["delta"]).collect();
    assert_eq!(
        deltas,
        [
            &json!({ "type": "thinking_delta", "thinking": "thoughts" }),
            &json!({ "type": "signature_delta", "signature": "anthropic-sig" }),
        ]
    );
    // The suppressed redacted block takes no index.
    assert_eq!(events[1].1["index"], 0);
    assert_eq!(events[1].1["content_block"], json!({ "type": "thinking", "thinking": "", "signature": "" }));
}

/// Regression (golden grid, Gemini upstream → Claude client): Gemini signs the part after its thoughts, which
/// decodes as a signature-only thinking block; a client must not see an empty thinking block for it.
#[test]
fn foreign_signature_only_thinking_writes_no_block() {
    let gemini = || BlockKind::Thinking { family: Some(ReasoningFamily::Gemini) };
    let events = encode(&[
        message_start(),
        StreamEvent::BlockStart { index: 0, block: gemini() },
        StreamEvent::Delta { index: 0, delta: Delta::Thinking("thoughts".into()) },
        StreamEvent::BlockStop { index: 0 },
        StreamEvent::BlockStart { index: 1, block: gemini() },
        StreamEvent::Delta { index: 1, delta: Delta::Thinking(String::new()) },
        StreamEvent::Delta { index: 1, delta: Delta::Signature("gemini-sig".into()) },
        StreamEvent::BlockStop { index: 1 },
        StreamEvent::BlockStart { index: 2, block: BlockKind::Text },
        text_delta(2, "answer"),
        StreamEvent::BlockStop { index: 2 },
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    let starts: Vec<&Value> =
        events.iter().filter(|(n, _)| n == "content_block_start").map(|(_, d)| &d["content_block"]["type"]).collect();
    assert_eq!(starts, [&json!("thinking"), &json!("text")]);
    assert_eq!(events.iter().filter(|(n, _)| n == "content_block_stop").count(), 2);
}

#[test]
fn errors_end_the_stream() {
    let events = encode(&[
        message_start(),
        StreamEvent::BlockStart { index: 0, block: BlockKind::Text },
        text_delta(0, "par"),
        StreamEvent::Error { kind: ErrorKindTag::Overloaded, message: "Overloaded".into() },
        text_delta(0, "tial"),
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    assert_eq!(
        events.last().map(|(_, d)| d.clone()),
        Some(json!({ "type": "error", "error": { "type": "overloaded_error", "message": "Overloaded" } }))
    );
    assert_eq!(events.len(), 4);
    let events = encode(&[StreamEvent::Error { kind: ErrorKindTag::RateLimited, message: "slow down".into() }]);
    assert_eq!(names(&events), ["error"]);
    assert_eq!(events[0].1["error"]["type"], "rate_limit_error");
}

/// Start usage is a placeholder on the wire (`output_tokens` at most 1, zeros when unknown).
fn normalise(events: Vec<StreamEvent>) -> Vec<StreamEvent> {
    events
        .into_iter()
        .map(|e| match e {
            StreamEvent::MessageStart { id, model, usage } => {
                let mut usage = usage.unwrap_or_default();
                usage.output_tokens = usage.output_tokens.min(1);
                StreamEvent::MessageStart { id, model, usage: Some(usage) }
            }
            other => other,
        })
        .collect()
}

#[test]
fn decoder_to_encoder_round_trips_every_transcript() {
    for sse in ALL {
        let (first, complete) = decode(sse);
        let mut encoder = StreamEncoder::new();
        let mut bytes = Vec::new();
        first.iter().for_each(|e| encoder.feed(e, &mut bytes));
        let written = frame(&bytes);
        let (second, complete_again) = decode_events(&written);
        assert_eq!(complete, complete_again);
        assert_eq!(normalise(first), normalise(second), "{sse}");
        let parsed: Vec<(String, Value)> = written
            .iter()
            .map(|e| {
                let data = serde_json::from_str(&e.data).expect("json");
                (e.event.clone().expect("named"), data)
            })
            .collect();
        assert_grammar(&parsed);
    }
    // The error transcript ends in an error event, like the upstream's.
    let (events, _) = decode(ERROR);
    assert!(matches!(events.last(), Some(StreamEvent::Error { .. })));
}
