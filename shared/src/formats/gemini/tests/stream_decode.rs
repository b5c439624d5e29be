//! Stream decoding: transcripts, each also framed from every split position.

use super::frame;
use crate::formats::gemini::StreamDecoder;
use crate::formats::sse::{SseEvent, SseFramer};
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

pub(super) const TEXT: &str = fixture!("streams/text.sse");
pub(super) const FUNCTION_CALL: &str = fixture!("streams/function_call.sse");
pub(super) const THINKING: &str = fixture!("streams/thinking.sse");
pub(super) const ERROR: &str = fixture!("streams/error.sse");
pub(super) const CUT: &str = fixture!("streams/cut.sse");

pub(super) const ALL: [&str; 5] = [TEXT, FUNCTION_CALL, THINKING, ERROR, CUT];

/// Decodes already-framed events, then ends the stream.
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

fn thinking_block(index: u32) -> StreamEvent {
    block(index, BlockKind::Thinking { family: Some(ReasoningFamily::Gemini) })
}

fn delta(index: u32, delta: Delta) -> StreamEvent {
    StreamEvent::Delta { index, delta }
}

fn stop(index: u32) -> StreamEvent {
    StreamEvent::BlockStop { index }
}

fn end(finish: FinishReason, usage: Option<Usage>) -> [StreamEvent; 2] {
    [StreamEvent::MessageDelta { finish: Some(finish), usage, stop_sequence: None }, StreamEvent::MessageStop]
}

fn input_usage(input: u64) -> Usage {
    Usage { input_tokens: input, ..Usage::default() }
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
fn text_in_several_chunks_is_one_block_with_usage_from_the_last_chunk() {
    let (events, complete) = decode(TEXT);
    assert!(complete);
    let mut expected = vec![
        start("r-text", "gemini-2.5-flash", Some(input_usage(9))),
        block(0, BlockKind::Text),
        delta(0, Delta::Text("Hello".into())),
        delta(0, Delta::Text(", \"world\"!\nA backslash \\ and é and 🦀".into())),
        delta(0, Delta::Text(" Bye.".into())),
        stop(0),
    ];
    let usage = Usage { input_tokens: 9, output_tokens: 12, ..Usage::default() };
    expected.extend(end(FinishReason::Stop, Some(usage)));
    assert_eq!(events, expected);
}

#[test]
fn function_calls_arrive_whole_with_their_signature_before_them() {
    let (events, complete) = decode(FUNCTION_CALL);
    assert!(complete);
    let mut expected = vec![
        start("r-call", "gemini-3-pro-preview", None),
        block(0, BlockKind::Text),
        delta(0, Delta::Text("I will check.".into())),
        stop(0),
        thinking_block(1),
        delta(1, Delta::Signature("Q2FsbFNpZw==".into())),
        stop(1),
        block(2, BlockKind::ToolCall { id: "call_get_weather_0_rcall".into(), name: "get_weather".into() }),
        delta(2, Delta::ToolArguments(r#"{"city":"Paris","when":{"day":"today"}}"#.into())),
        stop(2),
        block(3, BlockKind::ToolCall { id: "call_get_time_1_rcall".into(), name: "get_time".into() }),
        delta(3, Delta::ToolArguments("{}".into())),
        stop(3),
    ];
    let usage = Usage { input_tokens: 50, output_tokens: 20, ..Usage::default() };
    expected.extend(end(FinishReason::ToolCalls, Some(usage)));
    assert_eq!(events, expected);
}

#[test]
fn thoughts_and_signatures() {
    let (events, complete) = decode(THINKING);
    assert!(complete);
    let mut expected = vec![
        start("r-think", "gemini-2.5-pro", None),
        thinking_block(0),
        delta(0, Delta::Thinking("Let me".into())),
        delta(0, Delta::Thinking(" think.".into())),
        delta(0, Delta::Signature("VGhvdWdodFNpZw==".into())),
        stop(0),
        thinking_block(1),
        delta(1, Delta::Signature("VGV4dFNpZw==".into())),
        stop(1),
        block(2, BlockKind::Text),
        delta(2, Delta::Text("Answer".into())),
        delta(2, Delta::Text(" done.".into())),
        stop(2),
        thinking_block(3),
        delta(3, Delta::Signature("RmluYWxTaWc=".into())),
        stop(3),
    ];
    let usage = Usage {
        input_tokens: 20,
        output_tokens: 44,
        cache_read_tokens: 10,
        cache_write_tokens: 0,
        reasoning_tokens: 40,
    };
    expected.extend(end(FinishReason::Stop, Some(usage)));
    assert_eq!(events, expected);
}

#[test]
fn an_error_chunk_ends_the_stream() {
    let (events, complete) = decode(ERROR);
    assert!(complete);
    assert_eq!(
        events,
        [
            start("r-err", "gemini-2.5-flash", None),
            block(0, BlockKind::Text),
            delta(0, Delta::Text("Partial".into())),
            StreamEvent::Error {
                kind: ErrorKindTag::Overloaded,
                message: "The model is overloaded. Please try again later.".into()
            },
        ]
    );
}

#[test]
fn a_stream_without_finish_reason_is_incomplete() {
    let (events, complete) = decode(CUT);
    assert!(!complete);
    assert_eq!(events.last(), Some(&delta(0, Delta::Text(" a time".into()))), "finish adds nothing");
}

#[test]
fn a_blocked_prompt_closes_as_content_filter() {
    let sse = "data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":4}}\n\n";
    let (events, complete) = decode(sse);
    assert!(complete);
    let mut expected = vec![start("", "", Some(input_usage(4)))];
    expected.extend(end(FinishReason::ContentFilter, Some(input_usage(4))));
    assert_eq!(events, expected);
}

#[test]
fn array_payloads_done_markers_and_garbage() {
    let sse = "data: [{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]},{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\"}]}]\n\ndata: [DONE]\n\n";
    let (events, complete) = decode(sse);
    assert!(complete);
    assert_eq!(events[2], delta(0, Delta::Text("a".into())));
    assert_eq!(events[3], delta(0, Delta::Text("b".into())));
    let mut decoder = StreamDecoder::new();
    let garbage = SseEvent { raw: bytes::Bytes::new(), event: None, data: "{not json".into() };
    assert!(decoder.feed(&garbage).is_err());
}
