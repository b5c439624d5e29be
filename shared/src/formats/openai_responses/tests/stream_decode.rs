//! `StreamDecoder` over recorded-shape transcripts, split anywhere, and over odd upstreams.

use serde_json::json;

use super::{data, decode_chunks, decode_stream, TRANSCRIPTS};
use crate::formats::openai_responses::StreamDecoder;
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

fn start(id: &str) -> StreamEvent {
    StreamEvent::MessageStart { id: id.into(), model: "gpt-5-codex".into(), usage: None }
}

fn block(index: u32, block: BlockKind) -> StreamEvent {
    StreamEvent::BlockStart { index, block }
}

fn delta(index: u32, delta: Delta) -> StreamEvent {
    StreamEvent::Delta { index, delta }
}

fn text(index: u32, s: &str) -> StreamEvent {
    delta(index, Delta::Text(s.into()))
}

fn args(index: u32, s: &str) -> StreamEvent {
    delta(index, Delta::ToolArguments(s.into()))
}

fn stop(index: u32) -> StreamEvent {
    StreamEvent::BlockStop { index }
}

fn tool(id: &str, name: &str) -> BlockKind {
    BlockKind::ToolCall { id: id.into(), name: name.into() }
}

fn openai_thinking() -> BlockKind {
    BlockKind::Thinking { family: Some(ReasoningFamily::OpenAi) }
}

fn end(finish: FinishReason, usage: Option<Usage>) -> [StreamEvent; 2] {
    [StreamEvent::MessageDelta { finish: Some(finish), usage, stop_sequence: None }, StreamEvent::MessageStop]
}

/// Decodes JSON events (no `event:` names) with one decoder.
fn decode_values(events: &[serde_json::Value]) -> (Vec<StreamEvent>, StreamDecoder) {
    let mut decoder = StreamDecoder::new();
    let mut out = Vec::new();
    for event in events {
        out.extend(decoder.feed(&data(&event.to_string())).expect("decodes"));
    }
    (out, decoder)
}

#[test]
fn text_with_rate_limit_event_and_cached_usage() {
    let mut expected = vec![
        start("resp_0a1b2c3d4e5f"),
        block(0, BlockKind::Text),
        text(0, "Hello"),
        text(0, ", \"wörld\" \\ \u{e9} \u{1F600}\nline"),
        stop(0),
    ];
    expected.extend(end(
        FinishReason::Stop,
        Some(Usage { input_tokens: 176, output_tokens: 9, cache_read_tokens: 1024, ..Usage::default() }),
    ));
    assert_eq!(decode_stream(fixture!("streams/text.sse")), expected, "codex.rate_limits and *.done are ignored");
}

#[test]
fn function_calls_with_argument_deltas() {
    let mut expected = vec![
        start("resp_fc01"),
        block(0, tool("call_Ab12", "shell")),
        args(0, r#"{"command":["cargo","#),
        args(0, r#""test"],"workdir":"#),
        args(0, r#""/home/me/proj"}"#),
        stop(0),
        block(1, tool("call_Cd34", "update_plan")),
        args(1, r#"{"plan":[{"step":"run tests","status":"in_progress"}]}"#),
        stop(1),
    ];
    expected.extend(end(
        FinishReason::ToolCalls,
        Some(Usage { input_tokens: 904, output_tokens: 60, cache_read_tokens: 4096, ..Usage::default() }),
    ));
    assert_eq!(decode_stream(fixture!("streams/function_call.sse")), expected);
}

#[test]
fn reasoning_summaries_then_encrypted_content_then_text() {
    let mut expected = vec![
        start("resp_rs01"),
        block(0, openai_thinking()),
        delta(0, Delta::Thinking("**Planning**\n\n".into())),
        delta(0, Delta::Thinking("Read the file first.".into())),
        delta(0, Delta::Thinking("\n\n**Answering**\n\n".into())),
        delta(0, Delta::Thinking("It is 4.".into())),
        delta(0, Delta::Signature("gAAAAABo9xYz-Q1w2e3R4t5Y6u7I8o9P0a+S/d==".into())),
        stop(0),
        block(1, BlockKind::Text),
        text(1, "4"),
        stop(1),
    ];
    expected.extend(end(
        FinishReason::Stop,
        Some(Usage { input_tokens: 320, output_tokens: 210, reasoning_tokens: 192, ..Usage::default() }),
    ));
    assert_eq!(decode_stream(fixture!("streams/reasoning.sse")), expected);
}

#[test]
fn response_failed_and_error_events_end_the_stream() {
    let expected = vec![
        start("resp_fail01"),
        block(0, BlockKind::Text),
        text(0, "Part"),
        StreamEvent::Error {
            kind: ErrorKindTag::RateLimited,
            message: "Rate limit reached for gpt-5-codex. Please try again in 1.5s.".into(),
        },
    ];
    assert_eq!(decode_stream(fixture!("streams/failed.sse")), expected);
    let expected = vec![
        start("resp_err01"),
        StreamEvent::Error {
            kind: ErrorKindTag::InvalidRequest,
            message: "Your input exceeds the context window of this model.".into(),
        },
    ];
    assert_eq!(decode_stream(fixture!("streams/error.sse")), expected);

    let (events, decoder) = decode_values(&[
        json!({"type": "error", "error": {"type": "server_error", "code": "server_is_overloaded", "message": "busy"}}),
        json!({"type": "response.completed", "response": {"id": "r"}}),
    ]);
    assert_eq!(events, vec![StreamEvent::Error { kind: ErrorKindTag::Overloaded, message: "busy".into() }]);
    assert!(decoder.is_complete());
    let (events, _) = decode_values(&[json!({"type": "response.failed", "response": {"id": "r", "status": "failed"}})]);
    assert_eq!(
        events,
        vec![StreamEvent::Error { kind: ErrorKindTag::Server, message: "upstream stream failed".into() }]
    );
}

#[test]
fn incomplete_response_is_a_length_stop() {
    let mut expected = vec![start("resp_inc01"), block(0, BlockKind::Text), text(0, "Once upon"), stop(0)];
    expected.extend(end(FinishReason::Length, Some(Usage { input_tokens: 10, output_tokens: 16, ..Usage::default() })));
    assert_eq!(decode_stream(fixture!("streams/incomplete.sse")), expected);
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
        assert_eq!(decode_chunks(bytes.chunks(1)), expected, "{name} byte at a time");
    }
}

#[test]
fn whole_items_without_deltas_are_emitted_on_done() {
    let (events, decoder) = decode_values(&[
        json!({"type": "response.created", "response": {"id": "resp_w", "model": "m"}}),
        json!({"type": "response.output_item.added", "output_index": 0, "item": {"type": "reasoning", "id": "rs_1", "summary": []}}),
        json!({"type": "response.output_item.done", "output_index": 0, "item": {"type": "reasoning", "id": "rs_1",
            "summary": [{"type": "summary_text", "text": "a"}, {"type": "summary_text", "text": "b"}], "encrypted_content": "E"}}),
        json!({"type": "response.output_item.added", "output_index": 1, "item": {"type": "message", "id": "m1", "content": []}}),
        json!({"type": "response.output_item.done", "output_index": 1, "item": {"type": "message", "id": "m1",
            "content": [{"type": "output_text", "text": "Hi"}]}}),
        json!({"type": "response.output_item.added", "output_index": 2, "item": {"type": "function_call", "id": "fc_1", "call_id": "c1", "name": "f"}}),
        json!({"type": "response.output_item.done", "output_index": 2, "item": {"type": "function_call", "id": "fc_1", "call_id": "c1", "name": "f", "arguments": "{\"a\":1}"}}),
        json!({"type": "response.output_item.done", "output_index": 3, "item": {"type": "function_call", "id": "fc_2", "call_id": "c2", "name": "g"}}),
        json!({"type": "response.completed", "response": {"id": "resp_w", "status": "completed"}}),
    ]);
    let mut expected = vec![
        StreamEvent::MessageStart { id: "resp_w".into(), model: "m".into(), usage: None },
        block(0, openai_thinking()),
        delta(0, Delta::Thinking("a\n\nb".into())),
        delta(0, Delta::Signature("E".into())),
        stop(0),
        block(1, BlockKind::Text),
        text(1, "Hi"),
        stop(1),
        block(2, tool("c1", "f")),
        args(2, "{\"a\":1}"),
        stop(2),
        block(3, tool("c2", "g")),
        args(3, "{}"),
        stop(3),
    ];
    expected.extend(end(FinishReason::ToolCalls, None));
    assert_eq!(events, expected);
    assert!(decoder.is_complete());
}

#[test]
fn a_bare_completed_response_is_replayed_as_blocks() {
    let output = json!([
        {"type": "reasoning", "id": "rs", "summary": [], "encrypted_content": "E"},
        {"type": "message", "content": [{"type": "output_text", "text": "Hi"}]},
        {"type": "function_call", "call_id": "c", "arguments": "{}"},
        {"type": "function_call", "call_id": "c2", "name": "g", "arguments": "{}"},
    ]);
    let (events, _) = decode_values(&[
        json!({"type": "response.completed", "response": {"id": "r", "model": "m", "status": "completed", "output": output}}),
    ]);
    let mut expected = vec![
        StreamEvent::MessageStart { id: "r".into(), model: "m".into(), usage: None },
        block(0, openai_thinking()),
        delta(0, Delta::Signature("E".into())),
        stop(0),
        block(1, BlockKind::Text),
        text(1, "Hi"),
        stop(1),
        block(2, tool("c2", "g")),
        args(2, "{}"),
        stop(2),
    ];
    expected.extend(end(FinishReason::ToolCalls, None));
    assert_eq!(events, expected, "the nameless call is skipped");
}

#[test]
fn unmodellable_items_and_nameless_calls_are_skipped_with_their_deltas() {
    let (events, _) = decode_values(&[
        json!({"type": "response.output_text.delta", "item_id": "m0", "output_index": 0, "delta": "before"}),
        json!({"type": "response.output_item.added", "output_index": 1, "item": {"type": "custom_tool_call", "id": "ct", "call_id": "c", "name": "apply_patch", "input": ""}}),
        json!({"type": "response.custom_tool_call_input.delta", "item_id": "ct", "output_index": 1, "delta": "*** Begin"}),
        json!({"type": "response.function_call_arguments.delta", "item_id": "ct", "output_index": 1, "delta": "{}"}),
        json!({"type": "response.output_item.done", "output_index": 1, "item": {"type": "custom_tool_call", "id": "ct"}}),
        json!({"type": "response.output_item.added", "output_index": 2, "item": {"type": "function_call", "id": "fc", "call_id": "c"}}),
        json!({"type": "response.function_call_arguments.delta", "item_id": "fc", "output_index": 2, "delta": "{}"}),
        json!({"type": "response.incomplete", "response": {"incomplete_details": {"reason": "content_filter"}}}),
    ]);
    let mut expected = vec![
        StreamEvent::MessageStart { id: String::new(), model: String::new(), usage: None },
        block(0, BlockKind::Text),
        text(0, "before"),
        stop(0),
    ];
    expected.extend(end(FinishReason::ContentFilter, None));
    assert_eq!(events, expected);
}

#[test]
fn stray_input_is_ignored_or_rejected() {
    let mut decoder = StreamDecoder::new();
    assert!(decoder.feed(&data("")).expect("ignored").is_empty());
    assert!(decoder.feed(&data("[DONE]")).expect("ignored").is_empty());
    assert!(decoder.feed(&data("{not json")).is_err());
    assert!(decoder.feed(&data("[1,2]")).is_err());
    assert!(decoder.feed(&data(r#"{"type":"codex.rate_limits"}"#)).expect("ignored").is_empty());
    assert!(decoder.finish().is_empty());
    assert!(!decoder.is_complete(), "no terminal event yet");

    let (_, mut decoder) = decode_values(&[json!({"type": "response.created", "response": {"id": "r"}})]);
    assert!(decoder.finish().is_empty(), "a cut stream stays incomplete");
    assert!(!decoder.is_complete());
    let done = decoder.feed(&data(r#"{"type":"response.completed","response":{"id":"r"}}"#)).expect("decodes");
    assert_eq!(done, end(FinishReason::Stop, None).to_vec());
    assert!(decoder.is_complete());
    assert!(decoder
        .feed(&data(r#"{"type":"response.output_text.delta","delta":"late"}"#))
        .expect("ignored")
        .is_empty());
}

/// An upstream's `custom_tool_call` is read whole from its done item (its input deltas are plain text).
#[test]
fn custom_tool_calls_decode_from_their_done_item() {
    let item = json!({"type": "custom_tool_call", "id": "ctc_1", "call_id": "call_p", "name": "apply_patch",
                      "input": "*** Begin Patch\n*** End Patch", "status": "completed"});
    let (events, decoder) = decode_values(&[
        json!({"type": "response.created", "response": {"id": "resp_1", "model": "m"}}),
        json!({"type": "response.output_item.added", "output_index": 0, "item": {"type": "custom_tool_call", "id": "ctc_1", "call_id": "call_p", "name": "apply_patch", "input": ""}}),
        json!({"type": "response.custom_tool_call_input.delta", "output_index": 0, "item_id": "ctc_1", "delta": "*** Begin"}),
        json!({"type": "response.output_item.done", "output_index": 0, "item": item}),
        json!({"type": "response.completed", "response": {"id": "resp_1", "model": "m", "status": "completed", "output": [item]}}),
    ]);
    assert!(decoder.is_complete());
    let arguments = json!({"freeform_input": "*** Begin Patch\n*** End Patch"}).to_string();
    assert_eq!(
        events[1..4],
        [block(0, tool("call_p", "apply_patch")), delta(0, Delta::ToolArguments(arguments)), stop(0)]
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, StreamEvent::MessageDelta { finish: Some(FinishReason::ToolCalls), .. })));
}
