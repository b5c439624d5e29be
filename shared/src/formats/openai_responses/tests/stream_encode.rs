//! `StreamEncoder`: the Responses event grammar under awkward input, exact items, and decoder → encoder →
//! decoder round trips.

use serde_json::{json, Value};

use super::{decode_chunks, decode_stream, frames, TRANSCRIPTS};
use crate::formats::openai_responses::StreamEncoder;
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

fn encode_bytes(events: &[StreamEvent]) -> Vec<u8> {
    let mut encoder = StreamEncoder::new(1_760_000_000);
    let mut out = Vec::new();
    for event in events {
        encoder.feed(event, &mut out);
    }
    out
}

fn encode(events: &[StreamEvent]) -> Vec<(String, Value)> {
    frames(&encode_bytes(events))
}

const TERMINALS: &[&str] = &["response.completed", "response.incomplete", "response.failed"];

/// Asserts the Responses grammar: names match `type`; `sequence_number` 0, 1, 2, …; `response.created` then
/// `response.in_progress` first; items added with consecutive `output_index`es, each done (same id) before the
/// next is added, with every part / delta event naming the open item; exactly one terminal event, last, whose
/// `output` (unless failed) is the done items in order.
fn assert_grammar(events: &[(String, Value)]) {
    for (i, (name, data)) in events.iter().enumerate() {
        assert_eq!(data["type"], name.as_str(), "event name matches its type");
        assert_eq!(data["sequence_number"], json!(i), "sequence numbers strictly increase from 0");
    }
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.get(..2), Some(&["response.created", "response.in_progress"][..]), "{names:?}");
    assert_eq!(events[0].1["response"]["status"], "in_progress");
    assert_eq!(events[0].1["response"]["output"], json!([]));
    let (last, body) = events.split_last().expect("events");
    assert!(TERMINALS.contains(&last.0.as_str()), "ends with a terminal event, not {}", last.0);
    let mut open: Option<(u64, String)> = None;
    let mut done: Vec<Value> = Vec::new();
    for (name, data) in &body[2..] {
        assert!(!TERMINALS.contains(&name.as_str()) && name != "response.created", "{name} mid-stream");
        let index = data["output_index"].as_u64();
        match name.as_str() {
            "response.output_item.added" => {
                assert!(open.is_none(), "item added while {open:?} is open");
                assert_eq!(index, Some(done.len() as u64), "consecutive output indexes");
                open = Some((done.len() as u64, data["item"]["id"].as_str().unwrap_or_default().to_owned()));
            }
            "response.output_item.done" => {
                let (open_index, open_id) = open.take().expect("done without added");
                assert_eq!((index, data["item"]["id"].as_str()), (Some(open_index), Some(open_id.as_str())));
                assert_ne!(data["item"]["status"], "in_progress", "done items are complete");
                done.push(data["item"].clone());
            }
            _ => {
                let (open_index, open_id) = open.as_ref().expect("part event outside an item");
                assert_eq!((index, data["item_id"].as_str()), (Some(*open_index), Some(open_id.as_str())), "{name}");
            }
        }
    }
    if last.0 == "response.failed" {
        assert_eq!(last.1["response"]["status"], "failed");
        assert!(last.1["response"]["error"]["code"].is_string() && last.1["response"]["error"]["message"].is_string());
    } else {
        assert!(open.is_none(), "an item is left open");
        assert_eq!(last.1["response"]["output"], Value::Array(done), "the final output is the done items");
    }
}

fn names(events: &[(String, Value)]) -> Vec<&str> {
    events.iter().map(|(n, _)| n.as_str()).collect()
}

/// An agent turn mixing every block kind and family.
fn agent_turn() -> Vec<StreamEvent> {
    use StreamEvent::{BlockStart, BlockStop, Delta as D, MessageDelta, MessageStart, MessageStop};
    let anthropic = Some(ReasoningFamily::Anthropic);
    let openai = Some(ReasoningFamily::OpenAi);
    vec![
        MessageStart {
            id: "msg_01".into(),
            model: "claude-x".into(),
            usage: Some(Usage { input_tokens: 5, ..Usage::default() }),
        },
        BlockStart { index: 0, block: BlockKind::Thinking { family: anthropic } },
        D { index: 0, delta: Delta::Thinking("plan".into()) },
        D { index: 0, delta: Delta::Signature("EqQB".into()) },
        BlockStop { index: 0 },
        BlockStart { index: 1, block: BlockKind::RedactedThinking { data: "opaque".into(), family: anthropic } },
        BlockStop { index: 1 },
        BlockStart { index: 2, block: BlockKind::Thinking { family: openai } },
        D { index: 2, delta: Delta::Signature("gAAA".into()) },
        D { index: 2, delta: Delta::Signature("AB==".into()) },
        BlockStop { index: 2 },
        BlockStart { index: 3, block: BlockKind::RedactedThinking { data: "gRED".into(), family: openai } },
        BlockStop { index: 3 },
        BlockStart { index: 4, block: BlockKind::Text },
        D { index: 4, delta: Delta::Text("Hi".into()) },
        D { index: 4, delta: Delta::Text(String::new()) },
        D { index: 4, delta: Delta::Text(" there".into()) },
        BlockStop { index: 4 },
        BlockStart { index: 5, block: BlockKind::ToolCall { id: "toolu_a".into(), name: "ls".into() } },
        D { index: 5, delta: Delta::ToolArguments("{\"p\":".into()) },
        D { index: 5, delta: Delta::ToolArguments("1}".into()) },
        BlockStop { index: 5 },
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
fn agent_turn_items_and_events() {
    let events = encode(&agent_turn());
    assert_grammar(&events);
    assert_eq!(
        names(&events),
        [
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.output_item.done",
            "response.output_item.added",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed",
        ]
    );
    let response = &events.last().expect("terminal").1["response"];
    assert_eq!(response["id"], "resp_msg_01");
    assert_eq!(response["status"], "completed");
    assert_eq!(
        response["output"],
        json!([
            {"type": "reasoning", "id": "rs_msg_01_0", "summary": [{"type": "summary_text", "text": "plan"}]},
            {"type": "reasoning", "id": "rs_msg_01_1", "summary": [], "encrypted_content": "gAAAAB=="},
            {"type": "reasoning", "id": "rs_msg_01_2", "summary": [], "encrypted_content": "gRED"},
            {"type": "message", "id": "msg_msg_01_3", "status": "completed", "role": "assistant",
             "content": [{"type": "output_text", "text": "Hi there", "annotations": []}]},
            {"type": "function_call", "id": "fc_msg_01_4", "status": "completed", "call_id": "toolu_a", "name": "ls", "arguments": "{\"p\":1}"},
        ]),
        "foreign signatures and foreign redacted reasoning are not written"
    );
    assert_eq!(
        response["usage"],
        json!({"input_tokens": 7, "input_tokens_details": {"cached_tokens": 2, "cache_write_tokens": 0}, "output_tokens": 7,
               "output_tokens_details": {"reasoning_tokens": 1}, "total_tokens": 14})
    );
    let text_done = events.iter().find(|(n, _)| n == "response.output_text.done").expect("text done");
    assert_eq!(text_done.1["text"], "Hi there");
    let args_done = events.iter().find(|(n, _)| n == "response.function_call_arguments.done").expect("args done");
    assert_eq!((args_done.1["name"].clone(), args_done.1["arguments"].clone()), (json!("ls"), json!("{\"p\":1}")));
}

#[test]
fn errors_end_the_stream_with_response_failed() {
    let mut events = agent_turn();
    events.truncate(15);
    events.push(StreamEvent::Error { kind: ErrorKindTag::RateLimited, message: "slow down".into() });
    events.push(StreamEvent::MessageStop);
    let written = encode(&events);
    assert_grammar(&written);
    let failed = &written.last().expect("terminal").1["response"];
    assert_eq!(failed["error"], json!({"code": "rate_limit_exceeded", "message": "slow down"}));
    assert_eq!(failed["output"].as_array().map(Vec::len), Some(3), "the open message is abandoned");

    let only_error = encode(&[StreamEvent::Error { kind: ErrorKindTag::Server, message: String::new() }]);
    assert_grammar(&only_error);
    assert_eq!(names(&only_error), ["response.created", "response.in_progress", "response.failed"]);
    assert_eq!(only_error[2].1["response"]["error"], json!({"code": "server_error", "message": "upstream failed"}));
}

#[test]
fn length_stops_are_incomplete_responses() {
    let events = encode(&[
        StreamEvent::MessageStart { id: "resp_x".into(), model: "m".into(), usage: None },
        StreamEvent::BlockStart { index: 0, block: BlockKind::Text },
        StreamEvent::Delta { index: 0, delta: Delta::Text("cut".into()) },
        StreamEvent::MessageDelta { finish: Some(FinishReason::Length), usage: None, stop_sequence: None },
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    let last = events.last().expect("terminal");
    assert_eq!(last.0, "response.incomplete");
    assert_eq!(last.1["response"]["incomplete_details"], json!({"reason": "max_output_tokens"}));
    assert_eq!(last.1["response"]["usage"], json!(null));
    assert_eq!(last.1["response"]["id"], "resp_x");
}

#[test]
fn awkward_event_orders_are_repaired() {
    let events = encode(&[
        StreamEvent::Delta { index: 0, delta: Delta::Text("orphan".into()) },
        StreamEvent::MessageStart { id: "late".into(), model: "m".into(), usage: None },
        StreamEvent::BlockStart { index: 1, block: BlockKind::ToolCall { id: "c".into(), name: "f".into() } },
        StreamEvent::Delta { index: 9, delta: Delta::ToolArguments("lost".into()) },
        StreamEvent::BlockStart { index: 2, block: BlockKind::Thinking { family: None } },
        StreamEvent::Delta { index: 2, delta: Delta::Signature("dropped".into()) },
        StreamEvent::Delta { index: 3, delta: Delta::Thinking("orphan thought".into()) },
        StreamEvent::BlockStop { index: 7 },
        StreamEvent::MessageStop,
        StreamEvent::Delta { index: 4, delta: Delta::Text("after the end".into()) },
    ]);
    assert_grammar(&events);
    let output = &events.last().expect("terminal").1["response"]["output"];
    assert_eq!(events[0].1["response"]["id"], "resp_unknown");
    assert_eq!(output[0]["content"][0]["text"], "orphan");
    assert_eq!(output[1]["arguments"], "");
    // The unsigned reasoning block that got no text writes no item; the orphan thought opens the next one.
    assert_eq!(output.as_array().map(Vec::len), Some(3));
    assert_eq!(output[2]["id"], "rs_unknown_2");
    assert_eq!(output[2]["summary"][0]["text"], "orphan thought");
    assert!(output[2].get("encrypted_content").is_none());
}

#[test]
fn transcripts_round_trip_through_the_encoder() {
    for (name, sse) in TRANSCRIPTS {
        let decoded = decode_stream(sse);
        let bytes = encode_bytes(&decoded);
        assert_grammar(&frames(&bytes));
        assert_eq!(decode_chunks([bytes.as_slice()]), decoded, "{name}");
        assert_eq!(decode_chunks(bytes.chunks(7)), decoded, "{name} in 7-byte chunks");
    }
    // The agent turn reads back with its OpenAI-family blocks intact; foreign signatures, the foreign redacted
    // block and the empty delta were not written.
    use StreamEvent::{BlockStart, BlockStop, Delta as D, MessageDelta, MessageStart, MessageStop};
    let openai = BlockKind::Thinking { family: Some(ReasoningFamily::OpenAi) };
    let expected = vec![
        MessageStart { id: "resp_msg_01".into(), model: "claude-x".into(), usage: None },
        BlockStart { index: 0, block: openai.clone() },
        D { index: 0, delta: Delta::Thinking("plan".into()) },
        BlockStop { index: 0 },
        BlockStart { index: 1, block: openai.clone() },
        D { index: 1, delta: Delta::Signature("gAAAAB==".into()) },
        BlockStop { index: 1 },
        BlockStart { index: 2, block: openai },
        D { index: 2, delta: Delta::Signature("gRED".into()) },
        BlockStop { index: 2 },
        BlockStart { index: 3, block: BlockKind::Text },
        D { index: 3, delta: Delta::Text("Hi".into()) },
        D { index: 3, delta: Delta::Text(" there".into()) },
        BlockStop { index: 3 },
        BlockStart { index: 4, block: BlockKind::ToolCall { id: "toolu_a".into(), name: "ls".into() } },
        D { index: 4, delta: Delta::ToolArguments("{\"p\":".into()) },
        D { index: 4, delta: Delta::ToolArguments("1}".into()) },
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
    ];
    assert_eq!(decode_chunks([encode_bytes(&agent_turn()).as_slice()]), expected);
}

/// Regression (golden grid, Gemini upstream → Responses client): Gemini signs the part after its thoughts, which
/// decodes as a signature-only thinking block; it must not become an empty reasoning item.
#[test]
fn foreign_signature_only_reasoning_writes_no_item() {
    let gemini = || BlockKind::Thinking { family: Some(ReasoningFamily::Gemini) };
    let events = encode(&[
        StreamEvent::MessageStart { id: "r1".into(), model: "m".into(), usage: None },
        StreamEvent::BlockStart { index: 0, block: gemini() },
        StreamEvent::Delta { index: 0, delta: Delta::Thinking("thoughts".into()) },
        StreamEvent::Delta { index: 0, delta: Delta::Signature("gemini-sig".into()) },
        StreamEvent::BlockStop { index: 0 },
        StreamEvent::BlockStart { index: 1, block: gemini() },
        StreamEvent::Delta { index: 1, delta: Delta::Thinking(String::new()) },
        StreamEvent::Delta { index: 1, delta: Delta::Signature("gemini-sig-2".into()) },
        StreamEvent::BlockStop { index: 1 },
        StreamEvent::BlockStart { index: 2, block: BlockKind::Text },
        StreamEvent::Delta { index: 2, delta: Delta::Text("answer".into()) },
        StreamEvent::BlockStop { index: 2 },
        StreamEvent::MessageDelta { finish: Some(FinishReason::Stop), usage: None, stop_sequence: None },
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    let output = &events.last().expect("terminal").1["response"]["output"];
    let kinds: Vec<&Value> = output.as_array().expect("output").iter().map(|item| &item["type"]).collect();
    assert_eq!(kinds, [&json!("reasoning"), &json!("message")]);
    assert_eq!(output[0]["summary"][0]["text"], "thoughts");
    assert!(output[0].get("encrypted_content").is_none_or(Value::is_null), "foreign signature dropped");
}

/// A tool call whose arguments are a freeform call's (`custom_tools.rs`, e.g. Codex's `apply_patch` answered
/// by Claude) is streamed to a Responses client as a `custom_tool_call` item; other calls stay function calls,
/// announced with their first fragment.
#[test]
fn freeform_calls_stream_as_custom_tool_calls() {
    let patch = "*** Begin Patch\n*** Add File: a.txt\n+\"hi\"\n*** End Patch";
    let arguments = serde_json::json!({"freeform_input": patch}).to_string();
    let (first, rest) = arguments.split_at(9);
    let tool = |index: u32, id: &str, name: &str| StreamEvent::BlockStart {
        index,
        block: BlockKind::ToolCall { id: id.into(), name: name.into() },
    };
    let args = |index: u32, s: &str| StreamEvent::Delta { index, delta: Delta::ToolArguments(s.into()) };
    let events = encode(&[
        StreamEvent::MessageStart { id: "r1".into(), model: "m".into(), usage: None },
        tool(0, "call_p", "apply_patch"),
        args(0, first),
        args(0, rest),
        StreamEvent::BlockStop { index: 0 },
        tool(1, "call_w", "get_weather"),
        args(1, "{\"city\":"),
        args(1, "\"Paris\"}"),
        StreamEvent::BlockStop { index: 1 },
        StreamEvent::MessageDelta { finish: Some(FinishReason::ToolCalls), usage: None, stop_sequence: None },
        StreamEvent::MessageStop,
    ]);
    assert_grammar(&events);
    let kinds = names(&events);
    assert_eq!(
        kinds[2..],
        [
            "response.output_item.added",
            "response.custom_tool_call_input.delta",
            "response.custom_tool_call_input.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed",
        ]
    );
    assert_eq!(events[3].1["delta"], patch);
    let output = &events.last().expect("terminal").1["response"]["output"];
    assert_eq!(
        output[0],
        json!({"type": "custom_tool_call", "id": "ctc_r1_0", "status": "completed", "call_id": "call_p",
               "name": "apply_patch", "input": patch})
    );
    assert_eq!(output[1]["type"], "function_call");
    assert_eq!(output[1]["arguments"], "{\"city\":\"Paris\"}");
    assert_eq!(events[7].1["delta"], "{\"city\":", "a function call streams from its first fragment");
}
