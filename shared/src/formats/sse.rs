//! Server-sent events framing: bytes in, whole events out. A pure incremental state machine; chunk boundaries may
//! fall anywhere (inside a line, inside a UTF-8 sequence, between `\r` and `\n`) and give the same events.
//!
//! An event is returned as its raw bytes including the terminating blank line, so a relay can forward it
//! unchanged, plus its joined `data` field for inspection.

use bytes::{Bytes, BytesMut};

/// One complete event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event exactly as received, through its terminating blank line.
    pub raw: Bytes,
    /// The `event:` field, if any.
    pub event: Option<String>,
    /// The `data:` lines joined with `\n` (empty when there were none).
    pub data: String,
}

/// Incremental SSE framer.
#[derive(Debug, Default)]
pub struct SseFramer {
    buffer: BytesMut,
    /// Bytes of `buffer` already scanned without finding an event end.
    scanned: usize,
}

/// Position just past the first blank line (`\n\n`, `\r\n\r\n` or `\r\r`) at or after `from`, if any.
fn event_end(buf: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(3);
    let mut i = start;
    while i < buf.len() {
        match buf[i] {
            b'\n' if buf.get(i + 1) == Some(&b'\n') => return Some(i + 2),
            b'\n' if buf.get(i + 1) == Some(&b'\r') && buf.get(i + 2) == Some(&b'\n') => return Some(i + 3),
            b'\r' if buf.get(i + 1) == Some(&b'\r') => return Some(i + 2),
            _ => {}
        }
        i += 1;
    }
    None
}

fn parse_fields(raw: &[u8]) -> (Option<String>, String) {
    let text = String::from_utf8_lossy(raw);
    let mut event = None;
    let mut data: Option<String> = None;
    for line in text.split(['\n', '\r']).filter(|l| !l.is_empty()) {
        let (field, value) = line.split_once(':').map_or((line, ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
        match field {
            "event" => event = Some(value.to_owned()),
            "data" => match &mut data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => data = Some(value.to_owned()),
            },
            _ => {}
        }
    }
    (event, data.unwrap_or_default())
}

impl SseFramer {
    /// A framer with an empty buffer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes; returns every event completed by them, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buffer.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(end) = event_end(&self.buffer, self.scanned) {
            let raw = self.buffer.split_to(end).freeze();
            self.scanned = 0;
            let (event, data) = parse_fields(&raw);
            // Comment-only blocks (`: ping`) and stray blank lines carry no event.
            if event.is_some() || raw.windows(5).any(|w| w == b"data:") {
                events.push(SseEvent { raw, event, data });
            }
        }
        self.scanned = self.buffer.len();
        events
    }

    /// Bytes received after the last complete event (a partial event when the stream ends here).
    #[must_use]
    pub fn pending(&self) -> &[u8] {
        &self.buffer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str =
        "data: {\"a\":1}\n\n: comment\n\nevent: ping\ndata: x\ndata: y\n\ndata: [DONE]\r\n\r\ndata: \u{1F600}é\n\n";

    fn all_at_once() -> Vec<SseEvent> {
        SseFramer::new().feed(STREAM.as_bytes())
    }

    #[test]
    fn frames_events_and_joins_data_lines() {
        let events = all_at_once();
        let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
        assert_eq!(data, ["{\"a\":1}", "x\ny", "[DONE]", "\u{1F600}é"]);
        assert_eq!(events[1].event.as_deref(), Some("ping"));
        assert_eq!(&events[0].raw[..], b"data: {\"a\":1}\n\n");
    }

    #[test]
    fn split_anywhere_gives_identical_events() {
        let bytes = STREAM.as_bytes();
        let expected = all_at_once();
        for split in 0..=bytes.len() {
            let mut framer = SseFramer::new();
            let mut events = framer.feed(&bytes[..split]);
            events.extend(framer.feed(&bytes[split..]));
            assert_eq!(events, expected, "split at {split}");
        }
        let mut framer = SseFramer::new();
        let events: Vec<SseEvent> = bytes.iter().flat_map(|b| framer.feed(std::slice::from_ref(b))).collect();
        assert_eq!(events, expected, "byte at a time");
        assert!(framer.pending().is_empty());
    }

    #[test]
    fn an_unfinished_event_stays_pending() {
        let mut framer = SseFramer::new();
        assert!(framer.feed(b"data: {\"partial\":").is_empty());
        assert_eq!(framer.pending(), b"data: {\"partial\":");
    }
}
