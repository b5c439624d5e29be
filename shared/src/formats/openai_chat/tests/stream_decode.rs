//! `StreamDecoder` over recorded-shape transcripts.

use super::{decode_chunks, decode_stream, stream_fixture, TRANSCRIPTS};
use crate::formats::openai_chat::StreamDecoder;
use crate::formats::sse::{SseEvent, SseFramer};
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, StreamEvent, Usage};

fn start(id: &str, model: &str) -> StreamEvent {
    StreamEvent::MessageStart { id: id.into(), model: model.into(), usage: None }
}

fn block(index: u32, block: BlockKind) -> StreamEvent {
    StreamEvent::BlockStart { index, block }
}

fn delta(index: u32, delta: Delta) -> StreamEvent {
    StreamEvent::Delta { index, delta }
}

fn stop(index: u32) -> StreamEvent {
    StreamEvent::BlockStop { index }
}

fn tool(id: &str, name: &str) -> BlockKind {
    BlockKind::ToolCall { id: id.into(), name: name.into() }
}

fn end(finish: FinishReason, usage: Option<Usage>) -> [StreamEvent; 2] {
    [StreamEvent::MessageDelta { finish: Some(finish), usage, stop_sequence: None }, StreamEvent::MessageStop]
}

fn args(s: &str) -> Delta {
    Delta::ToolArguments(s.into())
}

/// An SSE event carrying `data`.
fn data(data: &str) -> SseEvent {
    SseFramer::new().feed(format!("data: {data}\n\n").as_bytes()).pop().expect("one event")
}

#[test]
fn text_with_trailing_usage_chunk() {
    let mut expected = vec![
        start("chatcmpl-AbC123", "gpt-4o-mini-2024-07-18"),
        block(0, BlockKind::Text),
        delta(0, Delta::Text("Hello".into())),
        delta(0, Delta::Text(", \"wörld\" \\ \u{e9} \u{1F600}\nline".into())),
        stop(0),
    ];
    expected.extend(end(
        FinishReason::Stop,
        Some(Usage {
            input_tokens: 12,
            output_tokens: 9,
            cache_read_tokens: 8,
            cache_write_tokens: 0,
            reasoning_tokens: 0,
        }),
    ));
    assert_eq!(decode_stream(stream_fixture!("text.sse")), expected);
}

#[test]
fn tool_call_with_argument_fragments() {
    let mut expected = vec![
        start("chatcmpl-T1", "gpt-4o-2024-08-06"),
        block(0, tool("call_abc123", "get_weather")),
        delta(0, args("{\"")),
        delta(0, args("city\":\"")),
        delta(0, args("Paris\"}")),
        stop(0),
    ];
    expected
        .extend(end(FinishReason::ToolCalls, Some(Usage { input_tokens: 80, output_tokens: 17, ..Usage::default() })));
    assert_eq!(decode_stream(stream_fixture!("tool_call.sse")), expected);
}

#[test]
fn parallel_tool_calls_after_text() {
    let mut expected = vec![
        start("chatcmpl-P2", "gpt-4o"),
        block(0, BlockKind::Text),
        delta(0, Delta::Text("Checking both.".into())),
        stop(0),
        block(1, tool("call_one", "get_weather")),
        delta(1, args("{\"city\": \"Paris\"}")),
        stop(1),
        block(2, tool("call_two", "get_time")),
        delta(2, args("{\"tz\": ")),
        delta(2, args("\"CET\"}")),
        stop(2),
    ];
    expected.extend(end(FinishReason::ToolCalls, None));
    assert_eq!(decode_stream(stream_fixture!("parallel_tools.sse")), expected);
}

#[test]
fn reasoning_content_then_text() {
    let mut expected = vec![
        start("6f1c0a9e-ds", "deepseek-reasoner"),
        block(0, BlockKind::Thinking { family: None }),
        delta(0, Delta::Thinking("The user asks 2+2.".into())),
        delta(0, Delta::Thinking(" That is 4.".into())),
        stop(0),
        block(1, BlockKind::Text),
        delta(1, Delta::Text("4".into())),
        stop(1),
    ];
    expected.extend(end(
        FinishReason::Stop,
        Some(Usage { input_tokens: 14, output_tokens: 30, reasoning_tokens: 25, ..Usage::default() }),
    ));
    assert_eq!(decode_stream(stream_fixture!("reasoning.sse")), expected);
}

#[test]
fn error_chunk_ends_the_stream() {
    let events = decode_stream(stream_fixture!("error.sse"));
    assert_eq!(
        events,
        vec![
            start("chatcmpl-E1", "gpt-4o"),
            block(0, BlockKind::Text),
            delta(0, Delta::Text("Part".into())),
            StreamEvent::Error {
                kind: ErrorKindTag::RateLimited,
                message:
                    "Rate limit reached for gpt-4o in organization org-x on tokens per min. Please try again in 20ms."
                        .into(),
            },
        ],
        "nothing follows the error, not even for the trailing [DONE]"
    );
    let mut decoder = StreamDecoder::new();
    let out = decoder.feed(&data(r#"{"error":{"message":"boom","type":"server_error"}}"#)).expect("decodes");
    assert_eq!(out, vec![StreamEvent::Error { kind: ErrorKindTag::Server, message: "boom".into() }]);
    assert!(decoder.is_complete());
    let overloaded = StreamDecoder::new()
        .feed(&data(r#"{"error":{"message":"busy","code":"server_is_overloaded"}}"#))
        .expect("decodes");
    assert!(matches!(overloaded.as_slice(), [StreamEvent::Error { kind: ErrorKindTag::Overloaded, .. }]));
}

#[test]
fn tool_call_without_id_and_late_name_is_buffered() {
    let mut expected = vec![
        start("gen-L1", "qwen3-coder"),
        block(0, tool("call_0", "search")),
        delta(0, args("{\"q\":\"rust\"")),
        delta(0, args("}")),
        stop(0),
    ];
    expected.extend(end(FinishReason::ToolCalls, None));
    assert_eq!(
        decode_stream(stream_fixture!("late_tool_id.sse")),
        expected,
        "synthesized id, buffered fragments first, and `stop` with a tool call reads as tool calls"
    );
}

#[test]
fn every_split_position_gives_the_same_events() {
    for (name, sse) in TRANSCRIPTS {
        let bytes = sse.as_bytes();
        let expected = decode_stream(sse);
        for split in 0..=bytes.len() {
            let (a, b) = bytes.split_at(split);
            assert_eq!(decode_chunks([a, b]), expected, "{name} split at {split}");
        }
        let one_at_a_time = decode_chunks(bytes.chunks(1));
        assert_eq!(one_at_a_time, expected, "{name} byte at a time");
    }
}

#[test]
fn end_without_done_is_lenient_only_after_a_finish_reason() {
    let finished =
        r#"{"id":"a","model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"length"}]}"#;
    let mut decoder = StreamDecoder::new();
    let mut events = decoder.feed(&data(finished)).expect("decodes");
    assert!(!decoder.is_complete());
    events.extend(decoder.finish());
    assert!(decoder.is_complete());
    let mut expected = vec![start("a", "m"), block(0, BlockKind::Text), delta(0, Delta::Text("hi".into())), stop(0)];
    expected.extend(end(FinishReason::Length, None));
    assert_eq!(events, expected);
    assert!(decoder.finish().is_empty(), "finish is idempotent");

    let cut = r#"{"id":"a","model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}"#;
    let mut decoder = StreamDecoder::new();
    decoder.feed(&data(cut)).expect("decodes");
    assert!(decoder.finish().is_empty());
    assert!(!decoder.is_complete());
    assert!(StreamDecoder::new().finish().is_empty());
}

#[test]
fn malformed_and_out_of_order_input_is_an_error() {
    let mut decoder = StreamDecoder::new();
    let err = decoder.feed(&data("{not json")).expect_err("malformed");
    assert!(err.0.contains("upstream stream chunk is malformed"), "{err}");
    assert!(decoder.feed(&data(r#"{"choices":"x"}"#)).is_err());

    let mut decoder = StreamDecoder::new();
    for chunk in [
        r#"{"id":"a","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{"}}]}}]}"#,
        r#"{"id":"a","model":"m","choices":[{"index":0,"delta":{"content":"text"}}]}"#,
    ] {
        decoder.feed(&data(chunk)).expect("decodes");
    }
    let late = r#"{"id":"a","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"}"}}]}}]}"#;
    assert!(decoder.feed(&data(late)).is_err());
}

#[test]
fn empty_events_other_choices_and_events_after_done_are_ignored() {
    let mut decoder = StreamDecoder::new();
    assert!(decoder.feed(&data("")).expect("ignored").is_empty());
    let other_choice = r#"{"id":"a","model":"m","choices":[{"index":1,"delta":{"content":"other"}},{"index":0,"delta":{"content":"mine"}}]}"#;
    let events = decoder.feed(&data(other_choice)).expect("decodes");
    assert_eq!(events, vec![start("a", "m"), block(0, BlockKind::Text), delta(0, Delta::Text("mine".into()))]);
    let done = decoder.feed(&data("[DONE]")).expect("decodes");
    assert_eq!(
        done,
        vec![
            stop(0),
            StreamEvent::MessageDelta { finish: None, usage: None, stop_sequence: None },
            StreamEvent::MessageStop
        ]
    );
    assert!(decoder.is_complete());
    assert!(decoder.feed(&data(other_choice)).expect("ignored").is_empty());
    assert!(decoder.finish().is_empty());
}

#[test]
fn a_nameless_tool_call_is_dropped() {
    let mut decoder = StreamDecoder::new();
    let chunk = r#"{"id":"a","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"#;
    let mut events = decoder.feed(&data(chunk)).expect("decodes");
    events.extend(decoder.feed(&data("[DONE]")).expect("decodes"));
    let mut expected = vec![start("a", "m")];
    expected.extend(end(FinishReason::ToolCalls, None));
    assert_eq!(events, expected);
}

#[test]
fn truncated_chunks_never_panic() {
    for (_, sse) in TRANSCRIPTS {
        for event in SseFramer::new().feed(sse.as_bytes()) {
            let text = event.data.as_str();
            for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let mut decoder = StreamDecoder::new();
                let _ = decoder.feed(&data(&text[..cut]));
                let _ = decoder.finish();
            }
        }
    }
}
