//! Kiro: framing, stream decoding, request encoding, errors.

use serde_json::{json, Value};

use super::event_stream::{encode_event, encode_message};
use super::*;
use crate::ir::{
    BlockKind, ChatRequest, ContentPart, Delta, ErrorKindTag, FinishReason, ImageSource, Message as IrMessage, Role,
    StreamEvent, SystemBlock, Tool, Usage,
};

fn event(kind: &str, payload: &Value) -> Vec<u8> {
    encode_event(kind, payload.to_string().as_bytes())
}

/// A tool-call answer as Kiro streams it, with its trailing metering / metrics / context events.
fn tool_stream() -> Vec<u8> {
    [
        event("assistantResponseEvent", &json!({"content": "Let me "})),
        event("assistantResponseEvent", &json!({"content": "check."})),
        event("toolUseEvent", &json!({"toolUseId": "tu_1", "name": "get_weather", "input": "{\"city\":"})),
        event("toolUseEvent", &json!({"toolUseId": "tu_1", "name": "get_weather", "input": "\"Paris\"}"})),
        event("toolUseEvent", &json!({"toolUseId": "tu_1", "name": "get_weather", "stop": true})),
        event("followupPromptEvent", &json!({"followupPrompt": {"content": "x"}})),
        event("meteringEvent", &json!({"unit": "credit", "usage": 0.02})),
        event("metricsEvent", &json!({"metricsEvent": {"inputTokens": 12, "outputTokens": 8}})),
        event("contextUsageEvent", &json!({"contextUsagePercentage": 1.5})),
    ]
    .concat()
}

fn frames(bytes: &[u8]) -> (Vec<Message>, Result<(), FrameError>) {
    let mut decoder = EventStreamDecoder::new();
    let mut out = Vec::new();
    let fed = decoder.feed(bytes, &mut out);
    (out, fed.and_then(|()| decoder.finish()))
}

fn decode_all(messages: &[Message]) -> (Vec<StreamEvent>, bool) {
    let mut decoder = StreamDecoder::new();
    let mut events = Vec::new();
    for message in messages {
        events.extend(decoder.feed(message).expect("decodes"));
    }
    events.extend(decoder.finish());
    (events, decoder.is_complete())
}

// ---- framing ---------------------------------------------------------------------------------------------------

#[test]
fn frames_round_trip_with_headers_and_payload() {
    let bytes = encode_message(&[(":event-type", "assistantResponseEvent"), ("x", "é")], b"{\"content\":\"hi\"}");
    let (messages, end) = frames(&bytes);
    end.expect("clean end");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].header_str(":event-type"), Some("assistantResponseEvent"));
    assert_eq!(messages[0].header_str("x"), Some("é"));
    assert_eq!(&messages[0].payload[..], b"{\"content\":\"hi\"}");
    let (empty, end) = frames(&encode_message(&[], b""));
    end.expect("a 16-byte message is valid");
    assert_eq!(empty[0].headers.len(), 0);
    assert!(empty[0].payload.is_empty());
}

#[test]
fn every_header_value_type_is_read() {
    let mut headers = Vec::new();
    let mut push = |name: &str, kind: u8, value: &[u8]| {
        headers.push(u8::try_from(name.len()).expect("short"));
        headers.extend_from_slice(name.as_bytes());
        headers.push(kind);
        headers.extend_from_slice(value);
    };
    push("t", 0, &[]);
    push("f", 1, &[]);
    push("b", 2, &[0xff]);
    push("s", 3, &[0x01, 0x02]);
    push("i", 4, &7i32.to_be_bytes());
    push("l", 5, &(-9i64).to_be_bytes());
    push("y", 6, &[0, 2, 0xde, 0xad]);
    push("z", 7, &[0, 2, b'o', b'k']);
    push("ts", 8, &1_700_000_000_000i64.to_be_bytes());
    push("u", 9, &[7; 16]);
    let total = 16 + headers.len();
    let mut frame = Vec::new();
    frame.extend_from_slice(&u32::try_from(total).expect("small").to_be_bytes());
    frame.extend_from_slice(&u32::try_from(headers.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&crc32(&frame).to_be_bytes());
    frame.extend_from_slice(&headers);
    frame.extend_from_slice(&crc32(&frame).to_be_bytes());
    let (messages, end) = frames(&frame);
    end.expect("clean");
    let values: Vec<HeaderValue> = messages[0].headers.iter().map(|(_, v)| v.clone()).collect();
    assert_eq!(
        values,
        [
            HeaderValue::Bool(true),
            HeaderValue::Bool(false),
            HeaderValue::Byte(-1),
            HeaderValue::Short(0x0102),
            HeaderValue::Int(7),
            HeaderValue::Long(-9),
            HeaderValue::Bytes(bytes::Bytes::from_static(&[0xde, 0xad])),
            HeaderValue::String("ok".into()),
            HeaderValue::Timestamp(1_700_000_000_000),
            HeaderValue::Uuid([7; 16]),
        ]
    );
}

/// Feeds `bytes` in the given pieces; returns the messages and the first error (or the end check's).
fn fed_in(pieces: &[&[u8]]) -> (Vec<Message>, Result<(), FrameError>) {
    let mut decoder = EventStreamDecoder::new();
    let mut out = Vec::new();
    for piece in pieces {
        if let Err(e) = decoder.feed(piece, &mut out) {
            return (out, Err(e));
        }
    }
    let end = decoder.finish();
    (out, end)
}

#[test]
fn split_anywhere_gives_identical_messages_and_errors() {
    let good = tool_stream();
    let mut corrupt = good.clone();
    let second_crc = {
        let first_len = usize::try_from(u32::from_be_bytes([good[0], good[1], good[2], good[3]])).expect("len");
        let second_len = usize::try_from(u32::from_be_bytes([
            good[first_len],
            good[first_len + 1],
            good[first_len + 2],
            good[first_len + 3],
        ]))
        .expect("len");
        first_len + second_len - 1
    };
    corrupt[second_crc] ^= 0x01;
    let cut = &good[..good.len() - 5];
    for bytes in [&good[..], &corrupt[..], cut] {
        let expected = fed_in(&[bytes]);
        for split in 0..=bytes.len() {
            assert_eq!(fed_in(&[&bytes[..split], &bytes[split..]]), expected, "split at {split}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(fed_in(&singles), expected, "byte at a time");
    }
    assert_eq!(fed_in(&[&good]).0.len(), 9);
    let (messages, error) = fed_in(&[&corrupt]);
    assert_eq!(messages.len(), 1, "the message before the corrupt one is delivered");
    assert!(matches!(error, Err(FrameError::MessageCrc { .. })));
    assert!(matches!(fed_in(&[cut]).1, Err(FrameError::Truncated(_))));
}

#[test]
fn corrupt_preludes_are_typed_errors_and_the_decoder_stays_failed() {
    let good = encode_event("assistantResponseEvent", b"{}");
    let mut bad_prelude = good.clone();
    bad_prelude[1] ^= 0x10;
    assert!(matches!(frames(&bad_prelude).1, Err(FrameError::PreludeCrc { .. })));

    let with_prelude = |total: u32, headers: u32| {
        let mut frame = Vec::new();
        frame.extend_from_slice(&total.to_be_bytes());
        frame.extend_from_slice(&headers.to_be_bytes());
        frame.extend_from_slice(&crc32(&frame).to_be_bytes());
        frame
    };
    assert_eq!(frames(&with_prelude(15, 0)).1, Err(FrameError::TooShort(15)));
    assert_eq!(frames(&with_prelude(u32::MAX, 0)).1, Err(FrameError::TooLong(u32::MAX)), "refused before buffering");
    assert_eq!(frames(&with_prelude(20, 5)).1, Err(FrameError::HeadersTooLong { headers: 5, total: 20 }));

    // A header whose value runs past the section.
    let mut frame = with_prelude(16 + 4, 4);
    frame.extend_from_slice(&[1, b'a', 7, 0]);
    frame.extend_from_slice(&crc32(&frame).to_be_bytes());
    assert!(matches!(frames(&frame).1, Err(FrameError::BadHeader(_))));

    let mut decoder = EventStreamDecoder::new();
    let mut out = Vec::new();
    let first = decoder.feed(&bad_prelude, &mut out).expect_err("corrupt");
    assert_eq!(decoder.feed(&good, &mut out), Err(first), "stays failed");
    assert!(out.is_empty());
}

// ---- stream decoding -------------------------------------------------------------------------------------------

#[test]
fn decodes_text_then_a_tool_call_with_usage() {
    let (messages, _) = frames(&tool_stream());
    let (events, complete) = decode_all(&messages);
    assert!(complete);
    let usage = Usage { input_tokens: 12, output_tokens: 8, ..Usage::default() };
    assert_eq!(
        events,
        [
            StreamEvent::MessageStart { id: String::new(), model: String::new(), usage: None },
            StreamEvent::BlockStart { index: 0, block: BlockKind::Text },
            StreamEvent::Delta { index: 0, delta: Delta::Text("Let me ".into()) },
            StreamEvent::Delta { index: 0, delta: Delta::Text("check.".into()) },
            StreamEvent::BlockStop { index: 0 },
            StreamEvent::BlockStart {
                index: 1,
                block: BlockKind::ToolCall { id: "tu_1".into(), name: "get_weather".into() }
            },
            StreamEvent::Delta { index: 1, delta: Delta::ToolArguments("{\"city\":".into()) },
            StreamEvent::Delta { index: 1, delta: Delta::ToolArguments("\"Paris\"}".into()) },
            StreamEvent::BlockStop { index: 1 },
            StreamEvent::MessageDelta {
                finish: Some(FinishReason::ToolCalls),
                usage: Some(usage),
                stop_sequence: None
            },
            StreamEvent::MessageStop,
        ]
    );
    let response = decode_response(&tool_stream()).expect("aggregates");
    assert_eq!(
        response.content[1],
        ContentPart::ToolCall {
            id: "tu_1".into(),
            name: "get_weather".into(),
            arguments: "{\"city\":\"Paris\"}".into()
        }
    );
}

#[test]
fn whole_object_inputs_parallel_calls_and_context_estimates() {
    let bytes = [
        event("toolUseEvent", &json!({"toolUseId": "a", "name": "f", "input": {"x": 1}, "stop": true})),
        event("toolUseEvent", &json!({"toolUseId": "b", "input": "{}"})),
        event("reasoningContentEvent", &json!({"text": "hm"})),
        event("contextUsageEvent", &json!({"contextUsagePercentage": 2.5})),
    ]
    .concat();
    let (messages, _) = frames(&bytes);
    let (events, complete) = decode_all(&messages);
    assert!(complete);
    assert!(events.contains(&StreamEvent::Delta { index: 0, delta: Delta::ToolArguments("{\"x\":1}".into()) }));
    assert!(events.contains(&StreamEvent::BlockStart {
        index: 1,
        block: BlockKind::ToolCall { id: "b".into(), name: "unknown_tool".into() }
    }));
    assert!(events.contains(&StreamEvent::BlockStart { index: 2, block: BlockKind::Thinking { family: None } }));
    let estimate = Usage { input_tokens: 5_000, ..Usage::default() };
    assert!(events.contains(&StreamEvent::MessageDelta {
        finish: Some(FinishReason::ToolCalls),
        usage: Some(estimate),
        stop_sequence: None
    }));
}

#[test]
fn exceptions_are_error_events_and_cut_streams_stay_incomplete() {
    let throttled = encode_message(
        &[(":message-type", "exception"), (":exception-type", "ThrottlingException")],
        b"{\"message\":\"Too many requests\"}",
    );
    let bytes = [event("assistantResponseEvent", &json!({"content": "a"})), throttled].concat();
    let (messages, _) = frames(&bytes);
    let (events, complete) = decode_all(&messages);
    assert!(complete);
    assert_eq!(
        events.last(),
        Some(&StreamEvent::Error { kind: ErrorKindTag::RateLimited, message: "Too many requests".into() })
    );
    let invalid = encode_message(&[(":message-type", "exception"), (":exception-type", "ValidationException")], b"{}");
    let (events, _) = decode_all(&frames(&invalid).0);
    assert!(matches!(&events[0], StreamEvent::Error { kind: ErrorKindTag::InvalidRequest, .. }));

    // Content but no trailing event: the body was cut between messages.
    let (events, complete) = decode_all(&frames(&event("assistantResponseEvent", &json!({"content": "a"}))).0);
    assert!(!complete);
    assert!(!events.iter().any(|e| matches!(e, StreamEvent::MessageStop)));
    // Trailing events but no content: no answer.
    let (events, complete) = decode_all(&frames(&event("meteringEvent", &json!({}))).0);
    assert!(!complete && events.is_empty());
    assert!(decode_response(&event("meteringEvent", &json!({}))).is_err());

    let mut decoder = StreamDecoder::new();
    let bad = frames(&encode_event("assistantResponseEvent", b"{not json")).0;
    assert!(decoder.feed(&bad[0]).is_err());
}

// ---- request encoding ------------------------------------------------------------------------------------------

#[test]
fn model_ids_map_to_kiros_dotted_names() {
    assert_eq!(model_id("claude-sonnet-4-5"), "claude-sonnet-4.5");
    assert_eq!(model_id("claude-sonnet-4-5-20250929"), "claude-sonnet-4.5");
    assert_eq!(model_id("claude-haiku-4.5"), "claude-haiku-4.5");
    assert_eq!(model_id("claude-sonnet-4"), "claude-sonnet-4");
    assert_eq!(model_id("claude-sonnet-4-20250514"), "claude-sonnet-4");
    assert_eq!(model_id("deepseek-3.2"), "deepseek-3.2");
}

fn text(role: Role, t: &str) -> IrMessage {
    IrMessage { role, content: vec![ContentPart::text(t)] }
}

#[test]
fn encodes_history_tool_round_trips_and_the_current_message() {
    let req = ChatRequest {
        model: "claude-sonnet-4-5".into(),
        system: vec![SystemBlock { text: "be brief".into(), cache_control: None }],
        messages: vec![
            text(Role::User, "weather?"),
            IrMessage {
                role: Role::Assistant,
                content: vec![ContentPart::ToolCall {
                    id: "tu_1".into(),
                    name: "get_weather".into(),
                    arguments: "{\"city\":\"Paris\"}".into(),
                }],
            },
            IrMessage {
                role: Role::User,
                content: vec![
                    ContentPart::ToolResult {
                        call_id: "tu_1".into(),
                        content: vec![ContentPart::text("18C")],
                        is_error: false,
                        cache_control: None,
                    },
                    ContentPart::Image {
                        source: ImageSource::Base64 { media_type: "image/png".into(), data: "AAA=".into() },
                        cache_control: None,
                    },
                ],
            },
        ],
        tools: vec![Tool {
            name: "get_time".into(),
            description: Some("time".into()),
            parameters: json!({"type": "object"}),
            cache_control: None,
        }],
        max_tokens: Some(100),
        ..ChatRequest::default()
    };
    let body: Value = serde_json::from_slice(&encode_request(&req)).expect("json");
    let state = &body["conversationState"];
    assert_eq!(state["chatTriggerType"], "MANUAL");
    assert_eq!(state["conversationId"].as_str().map(str::len), Some(36));
    assert_eq!(
        state["history"],
        json!([
            {"userInputMessage": {"content": "be brief\n\nweather?", "modelId": "claude-sonnet-4.5", "origin": "AI_EDITOR"}},
            {"assistantResponseMessage": {"content": "...", "toolUses": [{"toolUseId": "tu_1", "name": "get_weather", "input": {"city": "Paris"}}]}},
        ])
    );
    assert_eq!(
        state["currentMessage"],
        json!({"userInputMessage": {
            "content": "continue", "modelId": "claude-sonnet-4.5", "origin": "AI_EDITOR",
            "images": [{"format": "png", "source": {"bytes": "AAA="}}],
            "userInputMessageContext": {
                "tools": [
                    {"toolSpecification": {"name": "get_time", "description": "time", "inputSchema": {"json": {"type": "object"}}}},
                    {"toolSpecification": {"name": "get_weather", "description": "get_weather", "inputSchema": {"json": {"type": "object", "properties": {}}}}},
                ],
                "toolResults": [{"toolUseId": "tu_1", "status": "success", "content": [{"text": "18C"}]}],
            },
        }})
    );
    assert_eq!(body["inferenceConfig"], json!({"maxTokens": 100}));
    // The id is stable across the turns of one conversation.
    let shorter = ChatRequest { messages: req.messages[..1].to_vec(), ..req.clone() };
    let first: Value = serde_json::from_slice(&encode_request(&shorter)).expect("json");
    assert_eq!(first["conversationState"]["conversationId"], state["conversationId"]);
    assert_eq!(first["conversationState"]["history"], json!([]));
}

#[test]
fn alternation_is_restored() {
    let req = ChatRequest {
        model: "m".into(),
        messages: vec![
            text(Role::Assistant, "hello"),
            text(Role::User, "a"),
            text(Role::User, "b"),
            text(Role::Assistant, "c"),
        ],
        ..ChatRequest::default()
    };
    let body: Value = serde_json::from_slice(&encode_request(&req)).expect("json");
    let history = body["conversationState"]["history"].as_array().cloned().unwrap_or_default();
    let contents: Vec<&str> = history
        .iter()
        .map(|h| {
            h.get("userInputMessage")
                .or_else(|| h.get("assistantResponseMessage"))
                .and_then(|m| m["content"].as_str())
                .unwrap_or("")
        })
        .collect();
    assert_eq!(contents, ["continue", "hello", "a\n\nb", "c"]);
    assert_eq!(body["conversationState"]["currentMessage"]["userInputMessage"]["content"], "continue");
    assert!(body["conversationState"]["currentMessage"]["userInputMessage"].get("userInputMessageContext").is_none());
}

#[test]
fn errors_name_the_aws_exception() {
    let error = decode_error(
        400,
        br#"{"__type":"com.amazon.aws.codewhisperer#ValidationException","message":"Improperly formed request."}"#,
    );
    assert_eq!(error.message, "ValidationException: Improperly formed request.");
    assert_eq!(error.kind, crate::error::ErrorKind::InvalidRequest);
    assert_eq!(decode_error(429, b"nope").kind, crate::error::ErrorKind::RateLimited);
    assert_eq!(decode_error(403, br#"{"Message":"denied"}"#).message, "denied");
}
