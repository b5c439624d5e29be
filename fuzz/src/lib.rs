//! Shared bodies of the fuzz targets in `fuzz_targets/` (each target is a one-line `fuzz_target!` calling one of
//! these), so every format is exercised the same way.
//!
//! Oracles: no panic anywhere (debug assertions are on in `cargo fuzz` builds, so arithmetic overflow counts),
//! plus the invariants checked here:
//! - stream decoders emit the IR grammar of [`shared::ir::StreamEvent`] (see [`Grammar`]);
//! - the SSE framer gives the same events however its input is split, and its events are whole blocks of the
//!   input (see [`sse_framer`]).
//!
//! Lossy but allowed outcomes (a re-encoded request that its own decoder rejects, say) are not failures; set
//! `ROUTER_FUZZ_NOTES=1` to have them printed to stderr, e.g. when replaying a corpus with `-runs=0`.

use std::sync::OnceLock;

use shared::formats::dispatch::{self, EncoderOptions, StreamDecoder, StreamEncoder};
use shared::formats::framing::{Framer, UpstreamEvent};
use shared::formats::gemini::envelope;
use shared::formats::kiro::{self, EventStreamDecoder, FrameError, HeaderValue, Message};
use shared::formats::sse::{SseEvent, SseFramer};
use shared::formats::Format;
use shared::ir::aggregate::ResponseBuilder;
use shared::ir::{BlockKind, Delta, ErrorKindTag, StreamEvent};

/// Every wire format, in a fixed order.
pub const FORMATS: [Format; 4] = [Format::OpenAiChat, Format::Anthropic, Format::OpenAiResponses, Format::Gemini];

/// A fixed response time for the encoders that carry one.
const CREATED_SECS: u64 = 1_700_000_000;

fn notes_enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("ROUTER_FUZZ_NOTES").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Records an allowed-but-interesting outcome (printed only with `ROUTER_FUZZ_NOTES`).
pub fn note(message: impl FnOnce() -> String) {
    if notes_enabled() {
        eprintln!("NOTE {}", message());
    }
}

/// `<fmt>_request`: decode a client request; when it decodes, encode it to every format and decode that body
/// again with that format's decoder. Only panics are failures: a re-encoded body its decoder rejects is noted.
pub fn request(format: Format, data: &[u8]) {
    let Ok(request) = dispatch::decode_request(format, data) else { return };
    for target in FORMATS {
        let body = dispatch::encode_request(target, &request);
        if let Err(e) = dispatch::decode_request(target, &body) {
            note(|| format!("{format:?} request -> {target:?}: re-decode failed: {e}"));
        }
    }
}

/// `<fmt>_response`: decode an upstream response; when it decodes, encode it to every format (and decode that
/// again, rejections noted).
pub fn response(format: Format, data: &[u8]) {
    let Ok(response) = dispatch::decode_response(format, data) else { return };
    for target in FORMATS {
        let body = dispatch::encode_response(target, &response, CREATED_SECS);
        if let Err(e) = dispatch::decode_response(target, &body) {
            note(|| format!("{format:?} response -> {target:?}: re-decode failed: {e}"));
        }
    }
}

/// Chunk sizes for `len` bytes derived from `seed`: 0 feeds everything at once, otherwise a deterministic
/// pseudo-random sequence of sizes in `1..=seed`.
pub fn chunks(seed: u8, data: &[u8]) -> Vec<&[u8]> {
    if seed == 0 {
        return vec![data];
    }
    let mut state = u32::from(seed).wrapping_mul(0x9E37_79B9) | 1;
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        // xorshift32
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let size = usize::try_from(state % u32::from(seed)).unwrap_or(0) + 1;
        let (head, tail) = rest.split_at(size.min(rest.len()));
        out.push(head);
        rest = tail;
    }
    out
}

/// Where a stream is in the IR grammar `MessageStart (BlockStart Delta* BlockStop)* MessageDelta MessageStop`,
/// with `Error` allowed anywhere and ending the stream.
#[derive(Debug, Default)]
pub struct Grammar {
    state: GrammarState,
    next_index: u32,
}

#[derive(Debug, Default)]
enum GrammarState {
    #[default]
    Start,
    Message {
        open: Option<(u32, BlockKind)>,
    },
    Finishing,
    Done,
}

fn delta_fits(block: &BlockKind, delta: &Delta) -> bool {
    matches!(
        (block, delta),
        (BlockKind::Text, Delta::Text(_))
            | (BlockKind::Thinking { .. }, Delta::Thinking(_) | Delta::Signature(_))
            | (BlockKind::RedactedThinking { .. }, Delta::Signature(_))
            | (BlockKind::ToolCall { .. }, Delta::ToolArguments(_))
    )
}

impl Grammar {
    /// Checks the next event.
    ///
    /// # Errors
    /// What is wrong with `event` at this point.
    pub fn step(&mut self, event: &StreamEvent) -> Result<(), String> {
        use GrammarState as S;
        let bad = |state: &S| Err(format!("{event:?} not allowed in state {state:?}"));
        if matches!(event, StreamEvent::Error { .. }) {
            if matches!(self.state, S::Done) {
                return bad(&self.state);
            }
            self.state = S::Done;
            return Ok(());
        }
        match (&mut self.state, event) {
            (S::Start, StreamEvent::MessageStart { .. }) => self.state = S::Message { open: None },
            (S::Message { open: open @ None }, StreamEvent::BlockStart { index, block }) => {
                if *index != self.next_index {
                    return Err(format!("block index {index}, expected {}", self.next_index));
                }
                self.next_index += 1;
                *open = Some((*index, block.clone()));
            }
            (S::Message { open: None }, StreamEvent::MessageDelta { .. }) => self.state = S::Finishing,
            (S::Message { open: Some((open, block)) }, StreamEvent::Delta { index, delta }) => {
                if index != open {
                    return Err(format!("delta for block {index} while block {open} is open"));
                }
                if !delta_fits(block, delta) {
                    // Every decoder builds deltas of its open block's kind (the Anthropic decoder drops
                    // mismatching upstream deltas since the first fuzz round found it forwarding them).
                    return Err(format!("delta kind mismatch: {delta:?} in a {block:?} block"));
                }
            }
            (S::Message { open: open @ Some(_) }, StreamEvent::BlockStop { index }) => {
                if open.as_ref().is_some_and(|(i, _)| i != index) {
                    return Err(format!("stop of block {index} while {open:?} is open"));
                }
                *open = None;
            }
            (S::Finishing, StreamEvent::MessageStop) => self.state = S::Done,
            (state, _) => return bad(state),
        }
        Ok(())
    }

    /// Whether the stream ended (`MessageStop` or `Error`).
    #[must_use]
    pub fn is_done(&self) -> bool {
        matches!(self.state, GrammarState::Done)
    }
}

/// A client of the relay: its encoder, and a reader decoding what the encoder wrote with the client format's own
/// stream decoder (the round trip the request and response targets do with whole bodies).
struct Client {
    format: Format,
    encoder: StreamEncoder,
    /// `None` for Gemini's JSON-array mode (not SSE; checked as a whole in [`Client::end`]) and after the reader
    /// failed (noted once).
    reader: Option<Reader>,
    /// Everything the encoder wrote, for the JSON-array check.
    written: Vec<u8>,
    json_array: bool,
}

struct Reader {
    framer: SseFramer,
    decoder: StreamDecoder,
    grammar: Grammar,
}

impl Client {
    fn new(format: Format, options: EncoderOptions) -> Self {
        let json_array = format == Format::Gemini && options.json_array;
        let reader = (!json_array).then(|| Reader {
            framer: SseFramer::new(),
            decoder: StreamDecoder::new(format),
            grammar: Grammar::default(),
        });
        Self { format, encoder: StreamEncoder::new(format, options), reader, written: Vec::new(), json_array }
    }

    fn feed(&mut self, upstream: Format, event: &StreamEvent) {
        let start = self.written.len();
        self.encoder.feed(event, &mut self.written);
        let Some(reader) = &mut self.reader else { return };
        for sse in reader.framer.feed(&self.written[start..]) {
            match reader.decoder.feed(&sse) {
                Ok(events) => {
                    for event in &events {
                        if let Err(e) = reader.grammar.step(event) {
                            panic!(
                                "{:?} stream decoder (reading our own encoder) broke the IR grammar: {e}",
                                self.format
                            );
                        }
                    }
                }
                Err(e) => {
                    note(|| format!("{upstream:?} stream -> {:?} client: re-decode failed: {e}", self.format));
                    self.reader = None;
                    return;
                }
            }
        }
        if !self.json_array {
            self.written.clear();
        }
    }

    /// The end of the relayed stream; `clean` when the upstream completed without an error.
    fn end(&mut self, upstream: Format, clean: bool) {
        if self.json_array {
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(&self.written) {
                note(|| format!("{upstream:?} stream -> Gemini JSON array: not JSON ({e}), clean={clean}"));
            }
            return;
        }
        let Some(reader) = &mut self.reader else { return };
        for event in reader.decoder.finish() {
            if let Err(e) = reader.grammar.step(&event) {
                panic!(
                    "{:?} stream decoder (reading our own encoder) broke the IR grammar at finish: {e}",
                    self.format
                );
            }
        }
        if clean && !reader.decoder.is_complete() {
            note(|| {
                format!("{upstream:?} stream -> {:?} client: complete upstream, incomplete re-decode", self.format)
            });
        }
    }
}

/// Feeds IR events to every client and checks them against the grammar.
struct Sinks {
    grammar: Grammar,
    clients: Vec<Client>,
}

impl Sinks {
    fn new(options: EncoderOptions) -> Self {
        Self { grammar: Grammar::default(), clients: FORMATS.iter().map(|&f| Client::new(f, options)).collect() }
    }

    fn feed(&mut self, upstream: Format, events: &[StreamEvent]) {
        for event in events {
            if let Err(e) = self.grammar.step(event) {
                panic!("{upstream:?} stream decoder broke the IR grammar: {e}");
            }
            self.clients.iter_mut().for_each(|c| c.feed(upstream, event));
        }
    }

    /// What the relay does when the stream breaks: an `Error` event to the clients (not a decoder output, so not
    /// grammar-checked; encoders get it after anything).
    fn fail(&mut self, upstream: Format, message: &str) {
        let event = StreamEvent::Error { kind: ErrorKindTag::Server, message: message.to_owned() };
        self.clients.iter_mut().for_each(|c| c.feed(upstream, &event));
    }

    fn end(&mut self, upstream: Format, clean: bool) {
        self.clients.iter_mut().for_each(|c| c.end(upstream, clean));
    }
}

/// `<fmt>_stream`: the relay's path, upstream bytes → [`SseFramer`] → [`StreamDecoder`] of `format` → a
/// [`StreamEncoder`] of every client format, as `pipeline::sse_relay` drives it (stop after a decode error or an
/// IR `Error`; at the end `finish`, then an error event if the decoder is not complete).
///
/// Input: byte 0 seeds the chunking (see [`chunks`]); byte 1's low bits pick encoder options (`include_usage`,
/// Gemini `json_array`); the rest is the upstream body.
pub fn stream(format: Format, data: &[u8]) {
    let [seed, options, body @ ..] = data else { return };
    let options =
        EncoderOptions { created_secs: CREATED_SECS, include_usage: options & 1 != 0, json_array: options & 2 != 0 };
    relay(format, *seed, options, body, |event| event.clone());
}

/// The relay loop shared by the stream targets; `map` sees every framed event first (the Code Assist unwrap).
fn relay(format: Format, seed: u8, options: EncoderOptions, body: &[u8], map: impl Fn(&SseEvent) -> SseEvent) {
    let mut sinks = Sinks::new(options);
    let clean = relay_into(&mut sinks, format, seed, body, map);
    sinks.end(format, clean);
}

/// Runs the relay into `sinks`; true when the upstream stream completed without an error.
fn relay_into(sinks: &mut Sinks, format: Format, seed: u8, body: &[u8], map: impl Fn(&SseEvent) -> SseEvent) -> bool {
    let mut framer = SseFramer::new();
    let mut decoder = StreamDecoder::new(format);
    for chunk in chunks(seed, body) {
        let mut upstream_error = false;
        for event in framer.feed(chunk) {
            match decoder.feed(&map(&event)) {
                Ok(events) => {
                    upstream_error |= events.iter().any(|e| matches!(e, StreamEvent::Error { .. }));
                    sinks.feed(format, &events);
                }
                Err(e) => {
                    sinks.fail(format, &format!("upstream sent an unreadable event: {e}"));
                    return false;
                }
            }
        }
        if upstream_error {
            return false;
        }
    }
    let flushed = decoder.finish();
    sinks.feed(format, &flushed);
    if decoder.is_complete() {
        assert!(sinks.grammar.is_done(), "{format:?} decoder is complete but its IR stream did not end");
        true
    } else {
        sinks.fail(format, "upstream stream ended before the response was complete");
        false
    }
}

/// The events of `data` fed to a fresh framer in the given pieces, and what stays pending.
fn frame(pieces: &[&[u8]]) -> (Vec<SseEvent>, Vec<u8>) {
    let mut framer = SseFramer::new();
    let events = pieces.iter().flat_map(|p| framer.feed(p)).collect();
    (events, framer.pending().to_vec())
}

/// Reference split of `data` into blank-line-terminated blocks (whole-buffer scan, no incremental state) and
/// the unterminated rest.
fn reference_blocks(data: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    let mut blocks = Vec::new();
    let mut rest = data;
    'outer: loop {
        for i in 0..rest.len() {
            let end = match (rest[i], rest.get(i + 1), rest.get(i + 2)) {
                (b'\n', Some(b'\n'), _) | (b'\r', Some(b'\r'), _) => i + 2,
                (b'\n', Some(b'\r'), Some(b'\n')) => i + 3,
                _ => continue,
            };
            let (block, tail) = rest.split_at(end);
            blocks.push(block);
            rest = tail;
            continue 'outer;
        }
        return (blocks, rest);
    }
}

/// `sse_framer`: feeding whole, split at one point (from bytes 0–1) and in seeded chunks (byte 2) give the same
/// events and pending bytes; every event is one whole block of the input, the blocks dropped are exactly those
/// without a `data:` or `event` field, and `pending` is the unterminated tail.
pub fn sse_framer(data: &[u8]) {
    let [a, b, seed, body @ ..] = data else { return };
    let whole = frame(&[body]);
    let split = usize::from(u16::from_le_bytes([*a, *b])) % (body.len() + 1);
    let (head, tail) = body.split_at(split);
    assert_eq!(frame(&[head, tail]), whole, "split at {split}");
    assert_eq!(frame(&chunks(*seed, body)), whole, "chunked with seed {seed}");

    let (blocks, rest) = reference_blocks(body);
    assert_eq!(whole.1, rest, "pending is the unterminated tail");
    let mut events = whole.0.iter();
    for block in blocks {
        let kept = match SseFramer::new().feed(block).as_slice() {
            [] => false,
            [one] => {
                assert_eq!(&one.raw[..], block);
                true
            }
            more => panic!("one block framed as {} events", more.len()),
        };
        if kept {
            let event = events.next().expect("framer dropped a block with data");
            assert_eq!(&event.raw[..], block, "event is a whole block");
            assert!(event.event.as_deref().is_none_or(|e| !e.contains(['\r', '\n'])), "event name spans lines");
        }
    }
    assert!(events.next().is_none(), "framer produced an event that is not a block of the input");
}

/// `gemini_envelope`: Code Assist `unwrap_response` on the body (and the Gemini response decoder on what it
/// gives), then the body as an SSE stream through `unwrap_event` and the Gemini stream decoder. Byte 0 seeds the
/// chunking.
pub fn gemini_envelope(data: &[u8]) {
    let [seed, body @ ..] = data else { return };
    if let Ok(inner) = envelope::unwrap_response(body) {
        assert!(serde_json::from_slice::<serde_json::Value>(&inner).is_ok(), "unwrap_response gave non-JSON");
        let _ = dispatch::decode_response(Format::Gemini, &inner);
    }
    let _ = envelope::wrap_request("models/x", "p", body);
    relay(Format::Gemini, *seed, EncoderOptions::default(), body, envelope::unwrap_event);
}

/// `error_decoders`: bytes 0–1 are the HTTP status (big-endian), the rest the body; every upstream format's
/// `decode_error` (Code Assist and Kiro included), rendered in every client format and as a stream error frame, plus Gemini's `retry_after_ms`.
pub fn error_decoders(data: &[u8]) {
    let [hi, lo, body @ ..] = data else { return };
    let status = u16::from_be_bytes([*hi, *lo]);
    for format in UPSTREAM_FORMATS {
        let error = dispatch::decode_error(format, status, body);
        for client in FORMATS {
            let _ = error.clone().in_format(client.client_format()).body();
            let _ = dispatch::stream_error_frame(client, &error);
        }
    }
    let _ = shared::formats::gemini::retry_after_ms(body);
}

/// `misc_parsers`: the small text parsers a client controls — model strings and names, custom prefixes, the
/// `?key=` query, session tokens — and the token estimate of `count_tokens` on any JSON.
pub fn misc_parsers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = shared::routing::model_ref::parse(&text);
    if let Ok((_, rest)) = shared::routing::model_ref::split(&text, String::new) {
        let _ = shared::routing::model_name::check(rest);
    }
    let _ = shared::providers::valid_prefix(&text);
    let _ = shared::auth::client_keys::key_from_query(&text);
    let _ = shared::auth::session::verify("fuzz-secret", &text);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = shared::pipeline::count_tokens::estimate(&value);
    }
}

// ---- Upstream-only dialects: AWS event-stream (Kiro), aggregation -------------------------------------------

/// Every format an upstream may speak, for the aggregation target.
pub const UPSTREAM_FORMATS: [Format; 6] =
    [Format::OpenAiChat, Format::Anthropic, Format::OpenAiResponses, Format::Gemini, Format::CodeAssist, Format::Kiro];

/// Rewrites the prelude and message CRCs of every frame whose declared length fits in `bytes`, walking the
/// frames by their declared lengths (so mutations reach header and payload parsing instead of stopping at a CRC).
fn fix_crcs(bytes: &mut [u8]) {
    let mut at = 0usize;
    while at + 12 <= bytes.len() {
        let total = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let Ok(total) = usize::try_from(total) else { return };
        let prelude = kiro::crc32(&bytes[at..at + 8]);
        bytes[at + 8..at + 12].copy_from_slice(&prelude.to_be_bytes());
        if total < 16 || at + total > bytes.len() {
            return;
        }
        let message = kiro::crc32(&bytes[at..at + total - 4]);
        bytes[at + total - 4..at + total].copy_from_slice(&message.to_be_bytes());
        at += total;
    }
}

/// The messages and the first error (or the end check's) of `pieces` fed to a fresh decoder.
fn event_stream(pieces: &[&[u8]]) -> (Vec<Message>, Result<(), FrameError>, usize) {
    let mut decoder = EventStreamDecoder::new();
    let mut out = Vec::new();
    for piece in pieces {
        if let Err(e) = decoder.feed(piece, &mut out) {
            return (out, Err(e), 0);
        }
    }
    let end = decoder.finish();
    (out, end, decoder.pending())
}

/// `aws_eventstream`: the AWS event-stream framing. Byte 0 bit 0: fix up the CRCs first (see [`fix_crcs`]);
/// bytes 1–2: a split point; byte 3: chunking seed; the rest is the body. Whole, split and chunked feeding give
/// identical messages and the same first error; pending bytes stay under the message limit; a message with
/// string headers only re-encodes to bytes that decode to the same message.
pub fn aws_eventstream(data: &[u8]) {
    let [flags, a, b, seed, body @ ..] = data else { return };
    let mut body = body.to_vec();
    if flags & 1 == 1 {
        fix_crcs(&mut body);
    }
    let whole = event_stream(&[&body]);
    let split = usize::from(u16::from_le_bytes([*a, *b])) % (body.len() + 1);
    let (head, tail) = body.split_at(split);
    let halves = event_stream(&[head, tail]);
    assert_eq!((&halves.0, &halves.1), (&whole.0, &whole.1), "split at {split}");
    let pieces = chunks(*seed, &body);
    let chunked = event_stream(&pieces);
    assert_eq!((&chunked.0, &chunked.1), (&whole.0, &whole.1), "chunked with seed {seed}");
    assert!(whole.2 <= kiro::event_stream::MAX_MESSAGE_BYTES, "buffered more than one message");
    for message in &whole.0 {
        let strings: Option<Vec<(&str, &str)>> = message
            .headers
            .iter()
            .map(|(name, value)| match value {
                HeaderValue::String(v) if name.len() <= 255 && v.len() <= usize::from(u16::MAX) => {
                    Some((name.as_str(), v.as_str()))
                }
                _ => None,
            })
            .collect();
        if let Some(headers) = strings {
            let again = event_stream(&[&kiro::event_stream::encode_message(&headers, &message.payload)]);
            assert_eq!(again.0.as_slice(), std::slice::from_ref(message), "re-encoded message differs");
        }
    }
}

/// Builds a Kiro event-stream body from a text script, one message per line: `<event-type>\t<payload>`, or
/// `!<exception-type>\t<payload>` for an exception message (so the fuzzer explores the decoder behind valid
/// framing; raw framing has its own target).
#[must_use]
pub fn kiro_script(script: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for line in script.split(|&b| b == b'\n') {
        let (kind, payload) = match line.iter().position(|&b| b == b'\t') {
            Some(tab) => (&line[..tab], &line[tab + 1..]),
            None => (line, &b""[..]),
        };
        let kind = String::from_utf8_lossy(kind);
        let frame = match kind.strip_prefix('!') {
            Some(exception) => kiro::event_stream::encode_message(
                &[(":message-type", "exception"), (":exception-type", exception)],
                payload,
            ),
            None => kiro::event_stream::encode_event(&kind, payload),
        };
        body.extend_from_slice(&frame);
    }
    body
}

/// The relay's path through [`Framer`] and `feed_upstream` (any upstream format, Kiro included); true when the
/// upstream completed without an error. `collect` sees every IR event.
fn relay_framed(
    sinks: &mut Sinks,
    format: Format,
    seed: u8,
    body: &[u8],
    collect: &mut impl FnMut(&StreamEvent),
) -> bool {
    let mut framer = Framer::new(format);
    let mut decoder = StreamDecoder::new(format);
    for chunk in chunks(seed, body) {
        let mut events: Vec<UpstreamEvent> = Vec::new();
        let framed = framer.feed(chunk, &mut events);
        let mut upstream_error = false;
        for event in &events {
            match decoder.feed_upstream(event) {
                Ok(decoded) => {
                    upstream_error |= decoded.iter().any(|e| matches!(e, StreamEvent::Error { .. }));
                    decoded.iter().for_each(&mut *collect);
                    sinks.feed(format, &decoded);
                }
                Err(e) => {
                    sinks.fail(format, &format!("upstream sent an unreadable event: {e}"));
                    return false;
                }
            }
            if upstream_error {
                return false;
            }
        }
        if let Err(e) = framed {
            sinks.fail(format, &format!("upstream sent a corrupt frame: {e}"));
            return false;
        }
    }
    if let Err(e) = framer.finish() {
        sinks.fail(format, &format!("upstream body ended inside a frame: {e}"));
        return false;
    }
    let flushed = decoder.finish();
    flushed.iter().for_each(&mut *collect);
    sinks.feed(format, &flushed);
    if decoder.is_complete() {
        assert!(sinks.grammar.is_done(), "{format:?} decoder is complete but its IR stream did not end");
        true
    } else {
        sinks.fail(format, "upstream stream ended before the response was complete");
        false
    }
}

/// `kiro_stream`: a Kiro event-stream body built by [`kiro_script`] from the input after byte 0 (chunking seed)
/// and byte 1 (encoder options, as in [`stream`]), relayed to every client format with the grammar checks of
/// the stream targets.
pub fn kiro_stream(data: &[u8]) {
    let [seed, options, script @ ..] = data else { return };
    let options =
        EncoderOptions { created_secs: CREATED_SECS, include_usage: options & 1 != 0, json_array: options & 2 != 0 };
    let body = kiro_script(script);
    let mut sinks = Sinks::new(options);
    let clean = relay_framed(&mut sinks, Format::Kiro, *seed, &body, &mut |_| {});
    sinks.end(Format::Kiro, clean);
}

/// `upstream_aggregate`: what a JSON client gets from an upstream that only streams. Byte 0 picks the upstream
/// format ([`UPSTREAM_FORMATS`]; Kiro bodies are [`kiro_script`]s), byte 1 seeds the chunking, the rest is the
/// body. The IR events are aggregated ([`ResponseBuilder`]); a complete stream must build a response, which is
/// encoded in every client format and decoded again (rejections noted).
pub fn upstream_aggregate(data: &[u8]) {
    let [which, seed, body @ ..] = data else { return };
    let format = UPSTREAM_FORMATS[usize::from(*which) % UPSTREAM_FORMATS.len()];
    let body = if format == Format::Kiro { kiro_script(body) } else { body.to_vec() };
    let mut builder = ResponseBuilder::new();
    let mut sinks = Sinks::new(EncoderOptions::default());
    let clean = relay_framed(&mut sinks, format, *seed, &body, &mut |event| builder.push(event));
    let built = builder.build();
    if clean {
        let Ok(response) = built else { panic!("{format:?}: a clean stream did not aggregate: {built:?}") };
        for client in FORMATS {
            let encoded = dispatch::encode_response(client, &response, CREATED_SECS);
            if let Err(e) = dispatch::decode_response(client, &encoded) {
                note(|| format!("{format:?} aggregated -> {client:?}: re-decode failed: {e}"));
            }
        }
    }
}
