//! Tests of the OpenAI Responses format module. Fixtures (shapes from openai-python's types and Codex's
//! request / stream handling) live in `shared/tests/fixtures/openai_responses/{requests,responses,streams}/`.

/// The text of a fixture under `shared/tests/fixtures/openai_responses/`.
macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/openai_responses/", $path))
    };
}

mod errors;
mod request;
mod response;
mod stream_decode;
mod stream_encode;

use bytes::Bytes;
use serde_json::Value;

use super::{decode_error, decode_request, decode_response, StreamDecoder};
use crate::formats::sse::{SseEvent, SseFramer};
use crate::ir::StreamEvent;

/// Every stream transcript, by name.
const TRANSCRIPTS: &[(&str, &str)] = &[
    ("text", fixture!("streams/text.sse")),
    ("function_call", fixture!("streams/function_call.sse")),
    ("reasoning", fixture!("streams/reasoning.sse")),
    ("failed", fixture!("streams/failed.sse")),
    ("error", fixture!("streams/error.sse")),
    ("incomplete", fixture!("streams/incomplete.sse")),
];

/// Feeds `chunks` of SSE bytes through a framer and a decoder, then `finish()`.
fn decode_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<StreamEvent> {
    let mut framer = SseFramer::new();
    let mut decoder = StreamDecoder::new();
    let mut events = Vec::new();
    for chunk in chunks {
        for sse in framer.feed(chunk) {
            events.extend(decoder.feed(&sse).expect("fixture events decode"));
        }
    }
    events.extend(decoder.finish());
    assert!(framer.pending().is_empty(), "unterminated event");
    events
}

/// Decodes a whole transcript at once.
fn decode_stream(sse: &str) -> Vec<StreamEvent> {
    decode_chunks([sse.as_bytes()])
}

/// The (event name, JSON data) of each event of SSE bytes.
fn frames(bytes: &[u8]) -> Vec<(String, Value)> {
    let mut framer = SseFramer::new();
    let events = framer.feed(bytes);
    assert!(framer.pending().is_empty(), "unterminated event");
    events
        .into_iter()
        .map(|e| (e.event.unwrap_or_default(), serde_json::from_str(&e.data).expect("data is JSON")))
        .collect()
}

/// Parses a JSON body produced by an encoder.
fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("encoder writes JSON")
}

/// An SSE event carrying `data` (no `event:` name).
fn data(data: &str) -> SseEvent {
    SseEvent { raw: Bytes::new(), event: None, data: data.to_owned() }
}

#[test]
fn truncated_or_mangled_input_never_panics() {
    let bodies = [
        fixture!("requests/codex_turn.json"),
        fixture!("responses/tool_call.json"),
        fixture!("responses/incomplete.json"),
    ];
    for body in bodies {
        let bytes = body.as_bytes();
        for end in 0..bytes.len() {
            let prefix = &bytes[..end];
            let _ = decode_request(prefix);
            let _ = decode_response(prefix);
            let _ = decode_error(500, prefix);
        }
    }
    for (_, sse) in TRANSCRIPTS {
        for event in SseFramer::new().feed(sse.as_bytes()) {
            for end in (0..event.data.len()).filter(|&i| event.data.is_char_boundary(i)) {
                let mut decoder = StreamDecoder::new();
                let _ = decoder.feed(&data(&event.data[..end]));
                let _ = decoder.finish();
            }
        }
    }
}

#[test]
fn wrongly_typed_fields_never_panic() {
    // Every field of every event replaced by values of other JSON types.
    let replacements = [Value::Null, Value::from(7), Value::from("x"), serde_json::json!([1]), serde_json::json!({})];
    for (_, sse) in TRANSCRIPTS {
        for event in SseFramer::new().feed(sse.as_bytes()) {
            let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&event.data) else {
                continue;
            };
            for key in map.keys() {
                for replacement in &replacements {
                    let mut mangled = map.clone();
                    mangled.insert(key.clone(), replacement.clone());
                    let mut decoder = StreamDecoder::new();
                    let _ = decoder.feed(&data(&Value::Object(mangled).to_string()));
                }
            }
        }
    }
}
