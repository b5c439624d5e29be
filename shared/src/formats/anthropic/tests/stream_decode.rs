//! Stream decoding: transcripts from Anthropic's docs, each also split at every byte position.

use bytes::Bytes;

use super::frame;
use crate::formats::anthropic::StreamDecoder;
use crate::formats::sse::{SseEvent, SseFramer};
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

pub(super) const TEXT: &str = fixture!("streams/text.sse");
pub(super) const TOOL_USE: &str = fixture!("streams/tool_use.sse");
pub(super) const THINKING: &str = fixture!("streams/thinking.sse");
pub(super) const REDACTED_USAGE: &str = fixture!("streams/redacted_usage.sse");
pub(super) const SERVER_TOOL: &str = fixture!("streams/server_tool.sse");
pub(super) const ERROR: &str = fixture!("streams/error.sse");

pub(super) const ALL: [&str; 6] = [TEXT, TOOL_USE, THINKING, REDACTED_USAGE, SERVER_TOOL, ERROR];

/// Decodes already-framed events.
pub(super) fn decode_events(events: &[SseEvent]) -> (Vec<StreamEvent>, bool) {
    let mut decoder = StreamDecoder::new();
    let mut out = Vec::new();
    for event in events {
        out.extend(decoder.feed(event).expect("event decodes"));
    }
    out.extend(decoder.finish());
    (out, decoder.is_complete())
}

/// Frames and decodes a whole transcript.
pub(super) fn decode(sse: &str) -> (Vec<StreamEvent>, bool) {
    decode_events(&frame(sse.as_bytes()))
}

fn start(id: &str, model: &str, usage: Option<Usage>) -> StreamEvent {
    StreamEvent::MessageStart { id: id.into(), model: model.into(), usage }
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

fn usage(input: u64, output: u64, cache_read: u64, cache_write: u64) -> Usage {
    Usage {
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: cache_read,
        cache_write_tokens: cache_write,
        reasoning_tokens: 0,
    }
}

fn end(finish: FinishReason, usage: Usage, stop_sequence: Option<&str>) -> [StreamEvent; 2] {
    [
        StreamEvent::MessageDelta {
            finish: Some(finish),
            usage: Some(usage),
            stop_sequence: stop_sequence.map(str::to_owned),
        },
        StreamEvent::MessageStop,
    ]
}

#[test]
fn every_split_gives_the_same_events() {
    for sse in ALL {
        let bytes = sse.as_bytes();
        let expected = decode(sse);
        for split in 0..=bytes.len() {
            let mut framer = SseFramer::new();
            let mut events = framer.feed(&bytes[..split]);
            events.extend(framer.feed(&bytes[split..]));
            assert_eq!(decode_events(&events), expected, "split at {split}");
        }
        let mut framer = SseFramer::new();
        let events: Vec<SseEvent> = bytes.iter().flat_map(|b| framer.feed(std::slice::from_ref(b))).collect();
        assert_eq!(decode_events(&events), expected, "byte at a time");
    }
}

#[test]
fn text_stream() {
    let (events, complete) = decode(TEXT);
    assert!(complete);
    let mut expected = vec![
        start("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "claude-opus-4-1-20250805", Some(usage(25, 1, 0, 0))),
        block(0, BlockKind::Text),
        delta(0, Delta::Text("Hello".into())),
        delta(0, Delta::Text(", \"world\"!\nA backslash \\ and \u{e9}\u{301} and 🦀".into())),
        stop(0),
    ];
    expected.extend(end(FinishReason::Stop, usage(25, 15, 0, 0), None));
    assert_eq!(events, expected);
}

#[test]
fn tool_use_stream_drops_empty_fragments_and_keeps_the_rest_verbatim() {
    let (events, complete) = decode(TOOL_USE);
    assert!(complete);
    assert_eq!(
        events[5],
        block(1, BlockKind::ToolCall { id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6".into(), name: "get_weather".into() })
    );
    let args: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Delta { index: 1, delta: Delta::ToolArguments(a) } => Some(a.as_str()),
            _ => None,
        })
        .collect();
    assert!(args.iter().all(|a| !a.is_empty()));
    assert_eq!(args.concat(), r#"{"location": "San Francisco, CA", "unit": "fahrenheit"}"#);
    assert_eq!(events[events.len() - 2..], end(FinishReason::ToolCalls, usage(472, 89, 0, 0), None));
}

#[test]
fn thinking_stream_keeps_the_signature_byte_exact() {
    let (events, complete) = decode(THINKING);
    assert!(complete);
    let anthropic = Some(ReasoningFamily::Anthropic);
    let mut expected = vec![
        start("msg_01Vt6RbJuBPRmNFtN5QRNvV5", "claude-sonnet-4-5-20250929", None),
        block(0, BlockKind::Thinking { family: anthropic }),
        delta(0, Delta::Thinking("Let me solve this step by step:\n\n1. First break down 27 * 453".into())),
        delta(0, Delta::Thinking("\n2. 453 = 400 + 50 + 3".into())),
        delta(0, Delta::Signature("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds/+x+==".into())),
        stop(0),
        block(1, BlockKind::Text),
        delta(1, Delta::Text("27 * 453 = 12,231".into())),
        stop(1),
    ];
    expected.extend(end(FinishReason::Stop, Usage::default(), None));
    assert_eq!(events, expected);
}

#[test]
fn redacted_thinking_and_cumulative_usage() {
    let (events, complete) = decode(REDACTED_USAGE);
    assert!(complete);
    let mut expected = vec![
        start("msg_01R", "claude-3-7-sonnet-20250219", Some(usage(12, 1, 30000, 2048))),
        block(
            0,
            BlockKind::RedactedThinking {
                data:
                    "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj=="
                        .into(),
                family: Some(ReasoningFamily::Anthropic),
            },
        ),
        stop(0),
        block(1, BlockKind::Text),
        delta(1, Delta::Text("Answer.".into())),
        stop(1),
    ];
    expected.extend(end(FinishReason::Stop, usage(12, 57, 30000, 2048), Some("END")));
    assert_eq!(events, expected);
}

#[test]
fn server_tool_blocks_are_skipped_and_indexes_renumbered() {
    let (events, complete) = decode(SERVER_TOOL);
    assert!(complete);
    let mut expected = vec![
        start("msg_01G5oY5xBXfmcWvc3j1jmThx", "claude-opus-4-1-20250805", Some(usage(2679, 3, 0, 0))),
        block(0, BlockKind::Text),
        delta(0, Delta::Text("I'll check the current weather in New York City for you.".into())),
        stop(0),
        block(1, BlockKind::Text),
        delta(1, Delta::Text("It is 22°C and sunny.".into())),
        stop(1),
    ];
    expected.extend(end(FinishReason::Stop, usage(10682, 510, 0, 0), None));
    assert_eq!(events, expected);
}

#[test]
fn error_event_ends_the_stream_incomplete() {
    let events = frame(ERROR.as_bytes());
    let mut decoder = StreamDecoder::new();
    let mut out = Vec::new();
    for event in &events {
        out.extend(decoder.feed(event).expect("decodes"));
    }
    assert_eq!(
        out,
        [
            start("msg_01E", "claude-sonnet-4-5", Some(usage(5, 1, 0, 0))),
            block(0, BlockKind::Text),
            delta(0, Delta::Text("Partial".into())),
            StreamEvent::Error { kind: ErrorKindTag::Overloaded, message: "Overloaded".into() },
        ]
    );
    assert!(!decoder.is_complete());
    assert!(decoder.finish().is_empty());
    // Nothing after the error.
    let late = frame(b"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    assert!(decoder.feed(&late[0]).expect("ignored").is_empty());
}

#[test]
fn error_kinds() {
    let cases = [
        ("overloaded_error", ErrorKindTag::Overloaded),
        ("rate_limit_error", ErrorKindTag::RateLimited),
        ("invalid_request_error", ErrorKindTag::InvalidRequest),
        ("api_error", ErrorKindTag::Server),
    ];
    for (wire, kind) in cases {
        let sse = format!(
            "event: error\ndata: {{\"type\":\"error\",\"error\":{{\"type\":\"{wire}\",\"message\":\"m\"}}}}\n\n"
        );
        let (events, complete) = decode(&sse);
        assert!(!complete);
        assert_eq!(events, [StreamEvent::Error { kind, message: "m".into() }]);
    }
}

#[test]
fn a_cut_stream_is_incomplete() {
    let cut = TEXT.find("event: message_delta").map_or(TEXT, |at| &TEXT[..at]);
    let (events, complete) = decode(cut);
    assert!(!complete);
    assert_eq!(events.last(), Some(&stop(0)));
}

#[test]
fn malformed_events_are_errors_and_unknown_ones_are_ignored() {
    let mut decoder = StreamDecoder::new();
    let bad = SseEvent {
        raw: Bytes::new(),
        event: Some("content_block_delta".into()),
        data: "{\"type\":\"content_block_delta\",\"index\":".into(),
    };
    assert!(decoder.feed(&bad).is_err());
    let unknown = frame(b"event: future_event\ndata: {\"type\":\"future_event\",\"x\":1}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n");
    for event in &unknown {
        assert!(decoder.feed(event).expect("ignored").is_empty());
    }
}

#[test]
fn content_before_message_start_still_starts_a_message() {
    let sse = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Hi\"}}\n\n\
               event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n\
               event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    let (events, complete) = decode(sse);
    assert!(complete);
    assert_eq!(
        events,
        [
            start("", "", None),
            block(0, BlockKind::Text),
            delta(0, Delta::Text("Hi".into())),
            stop(0),
            StreamEvent::MessageDelta { finish: None, usage: Some(Usage::default()), stop_sequence: None },
            StreamEvent::MessageStop,
        ]
    );
}

/// Regression (fuzz finding): a delta of another kind than the open block (a `signature_delta` in a text block,
/// `text_delta` in a tool-use block, anything in a redacted block) is dropped, not forwarded.
#[test]
fn deltas_that_do_not_fit_the_open_block_are_dropped() {
    let sse = concat!(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\",\"usage\":{\"input_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"no\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"d\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"no\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n",
    );
    let (events, _) = decode(sse);
    let deltas: Vec<&StreamEvent> = events.iter().filter(|e| matches!(e, StreamEvent::Delta { .. })).collect();
    assert_eq!(deltas, [&delta(0, Delta::Text("hi".into()))]);
}
