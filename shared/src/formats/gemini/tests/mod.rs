//! Tests of the Gemini format module. Fixtures (shapes from Google's docs and recorded traffic) live in
//! `shared/tests/fixtures/gemini/{requests,responses,streams}/`.

/// The text of a fixture under `shared/tests/fixtures/gemini/`.
macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!("../../../../tests/fixtures/gemini/", $path))
    };
}

mod envelope;
mod request_decode;
mod request_encode;
mod response;
mod schema;
mod stream_decode;
mod stream_encode;

use crate::formats::sse::{SseEvent, SseFramer};

/// Frames `bytes` as SSE events, whole.
fn frame(bytes: &[u8]) -> Vec<SseEvent> {
    let mut framer = SseFramer::new();
    let events = framer.feed(bytes);
    assert!(framer.pending().is_empty(), "unterminated event");
    events
}

#[test]
fn truncated_or_mangled_input_never_panics() {
    use super::envelope::{unwrap_response, EnvelopeStreamDecoder};
    use super::{decode_error, decode_request, decode_response, encode_request, retry_after_ms, StreamDecoder};
    use bytes::Bytes;

    let bodies = [
        fixture!("requests/agent_turn.json"),
        fixture!("responses/tool_call.json"),
        fixture!("responses/blocked.json"),
        r#"{"error":{"code":429,"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}"#,
    ];
    for body in bodies {
        let bytes = body.as_bytes();
        for end in 0..bytes.len() {
            let prefix = &bytes[..end];
            if let Ok(req) = decode_request(prefix) {
                let _ = encode_request(&req);
            }
            let _ = decode_response(prefix);
            let _ = decode_error(500, prefix);
            let _ = retry_after_ms(prefix);
            let _ = unwrap_response(prefix);
        }
    }
    for sse in stream_decode::ALL.iter().chain([&fixture!("streams/code_assist.sse")]) {
        for event in frame(sse.as_bytes()) {
            for end in 0..event.data.len() {
                let Some(data) = event.data.get(..end) else {
                    continue;
                };
                let cut = SseEvent { raw: Bytes::new(), event: None, data: data.to_owned() };
                let _ = StreamDecoder::new().feed(&cut);
                let _ = EnvelopeStreamDecoder::new().feed(&cut);
            }
        }
    }
}
