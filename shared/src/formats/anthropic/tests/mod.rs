//! Tests of the Anthropic format module. Fixtures (recorded shapes from Anthropic's docs) live in
//! `shared/tests/fixtures/anthropic/{requests,responses,streams}/`.

/// The text of a fixture under `shared/tests/fixtures/anthropic/`.
macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!("../../../../tests/fixtures/anthropic/", $path))
    };
}

mod request_decode;
mod request_encode;
mod response;
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
    use super::{decode_error, decode_request, decode_response, StreamDecoder};
    use bytes::Bytes;

    let bodies = [
        fixture!("requests/agent_turn.json"),
        fixture!("responses/tool_use.json"),
        fixture!("responses/server_tools.json"),
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
    for sse in stream_decode::ALL {
        for event in frame(sse.as_bytes()) {
            for end in 0..event.data.len() {
                let Some(data) = event.data.get(..end) else {
                    continue;
                };
                let cut = SseEvent { raw: Bytes::new(), event: event.event.clone(), data: data.to_owned() };
                let _ = StreamDecoder::new().feed(&cut);
            }
        }
    }
}
