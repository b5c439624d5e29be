//! Tests of the OpenAI Chat format module: requests, responses, errors, stream decoding and encoding.

mod errors;
mod request;
mod response;
mod stream_decode;
mod stream_encode;

use serde_json::Value;

use super::StreamDecoder;
use crate::formats::sse::SseFramer;
use crate::ir::StreamEvent;

/// A recorded-shape SSE transcript from `shared/tests/fixtures/openai_chat/streams/`.
macro_rules! stream_fixture {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/openai_chat/streams/", $name))
    };
}
pub(super) use stream_fixture;

/// Every transcript, by name.
pub(super) const TRANSCRIPTS: &[(&str, &str)] = &[
    ("text", stream_fixture!("text.sse")),
    ("tool_call", stream_fixture!("tool_call.sse")),
    ("parallel_tools", stream_fixture!("parallel_tools.sse")),
    ("reasoning", stream_fixture!("reasoning.sse")),
    ("error", stream_fixture!("error.sse")),
    ("late_tool_id", stream_fixture!("late_tool_id.sse")),
];

/// Feeds `chunks` of SSE bytes through a framer and a decoder, then `finish()`.
pub(super) fn decode_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<StreamEvent> {
    let mut framer = SseFramer::new();
    let mut decoder = StreamDecoder::new();
    let mut events = Vec::new();
    for chunk in chunks {
        for sse in framer.feed(chunk) {
            events.extend(decoder.feed(&sse).expect("fixture chunks decode"));
        }
    }
    events.extend(decoder.finish());
    events
}

/// Decodes a whole transcript at once.
pub(super) fn decode_stream(sse: &str) -> Vec<StreamEvent> {
    decode_chunks([sse.as_bytes()])
}

/// Parses the `data:` payloads of SSE bytes: JSON chunks, or `Value::String("[DONE]")`.
pub(super) fn sse_payloads(bytes: &[u8]) -> Vec<Value> {
    SseFramer::new()
        .feed(bytes)
        .into_iter()
        .map(|e| {
            if e.data == "[DONE]" {
                Value::String(e.data)
            } else {
                serde_json::from_str(&e.data).expect("encoder writes JSON")
            }
        })
        .collect()
}

/// Parses a JSON body produced by an encoder.
pub(super) fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("encoder writes JSON")
}
