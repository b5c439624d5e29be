//! Relaying an upstream SSE stream to the client, event by event, never a whole stream at once: upstream bytes
//! → [`Framer`] (SSE, or Kiro's AWS event-stream) → the upstream format's stream decoder → IR events → the client format's stream encoder, or,
//! when both speak the same format, the upstream's own bytes (the decoder still watches them for completion,
//! errors and usage).
//!
//! Before the first content event the attempt can still fall back to another account, so
//! [`SseRelay::first_events`] holds everything back until then and reports a failure instead (stream ended,
//! broke, stalled, or opened with an error). After that, a broken, stalled or unfinished upstream ends the
//! client's stream with an error event in its format, never a silent clean end. Dropping the relay drops the
//! upstream body, which aborts the upstream request.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use futures::future::{select, Either};
use futures::{Stream, StreamExt as _};

use crate::error::{ApiError, ErrorKind};
use crate::formats::dispatch::{stream_error_frame, StreamDecoder, StreamEncoder};
use crate::formats::framing::Framer;
use crate::formats::Format;
use crate::ir::aggregate::{AggregateError, ResponseBuilder};
use crate::ir::{ChatResponse, ErrorKindTag, StreamEvent};
use crate::platform::{ByteStream, Clock, HttpError};
use crate::routing::policy::FailureClass;
use crate::usage::UsageTracker;

/// Why a stream failed before its first content event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyFailure {
    /// Failure class for the cooldown book.
    pub class: FailureClass,
    /// What happened (no secrets).
    pub detail: String,
}

/// An upstream SSE stream being relayed to a client.
pub struct SseRelay {
    upstream: ByteStream,
    framer: Framer,
    decoder: StreamDecoder,
    /// `None`: the client speaks the upstream's format and gets its bytes untouched.
    encoder: Option<StreamEncoder>,
    client: Format,
    clock: Arc<dyn Clock>,
    idle_ms: u64,
    /// Records the request's usage when the stream ends (or the client leaves).
    tracker: Option<UsageTracker>,
    /// OpenAI Chat passthrough: the router asked for a usage chunk the client did not; keep it from the client.
    strip_usage_chunk: bool,
    /// Aggregation ([`SseRelay::aggregate`]): the IR events go here instead of out as bytes.
    collector: Option<ResponseBuilder>,
}

/// Why an aggregated stream gave no response.
#[derive(Debug)]
pub enum Aggregated {
    /// The upstream rejected the request inside the stream: the client must see it.
    RequestError(ApiError),
    /// The account failed; another may be tried (nothing reached the client).
    Failed(EarlyFailure),
}

/// Whether an OpenAI Chat chunk carries only usage (`"choices": []` plus `usage`).
fn is_usage_only_chunk(data: &str) -> bool {
    data.contains("\"usage\"")
        && serde_json::from_str::<serde_json::Value>(data).is_ok_and(|v| {
            v.get("usage").is_some_and(|u| !u.is_null())
                && v.get("choices").and_then(serde_json::Value::as_array).is_some_and(Vec::is_empty)
        })
}

/// What one read of the upstream produced.
enum Next {
    Output { bytes: Vec<u8>, content: bool, error: Option<ErrorKindTag> },
    End,
    Broken(String),
}

fn class_of(kind: ErrorKindTag) -> FailureClass {
    match kind {
        ErrorKindTag::RateLimited => FailureClass::RateLimited,
        ErrorKindTag::InvalidRequest | ErrorKindTag::Overloaded | ErrorKindTag::Server => FailureClass::ServerError,
    }
}

impl SseRelay {
    /// Relays `upstream` (speaking `upstream_format`) to a client speaking `client`; `encoder` is `None` when
    /// the two formats are the same. `idle_ms` bounds every wait for upstream bytes.
    pub fn new(
        upstream: ByteStream,
        upstream_format: Format,
        client: Format,
        encoder: Option<StreamEncoder>,
        clock: Arc<dyn Clock>,
        idle_ms: u64,
        tracker: Option<UsageTracker>,
    ) -> Self {
        Self {
            upstream,
            framer: Framer::new(upstream_format),
            decoder: StreamDecoder::new(upstream_format),
            encoder,
            client,
            clock,
            idle_ms,
            tracker,
            strip_usage_chunk: false,
            collector: None,
        }
    }

    /// Keeps usage-only chunks (requested by the router, not the client) from an OpenAI Chat client.
    #[must_use]
    pub fn stripping_usage_chunk(mut self, strip: bool) -> Self {
        self.strip_usage_chunk = strip;
        self
    }

    /// Gives the usage tracker back (when the attempt failed before any content and another will be made).
    pub fn take_tracker(&mut self) -> Option<UsageTracker> {
        self.tracker.take()
    }

    /// Translates (or passes through) the events completed by `chunk`; a corrupt frame is reported after the
    /// events before it.
    fn process(&mut self, chunk: &[u8]) -> Result<(Vec<u8>, bool, Option<ErrorKindTag>), String> {
        let mut out = Vec::new();
        let (mut content, mut error) = (false, None);
        let mut events = Vec::new();
        let framed = self.framer.feed(chunk, &mut events);
        for event in &events {
            let decoded =
                self.decoder.feed_upstream(event).map_err(|e| format!("upstream sent an unreadable event: {e}"))?;
            if let Some(collector) = &mut self.collector {
                decoded.iter().for_each(|ir| collector.push(ir));
            }
            match &mut self.encoder {
                _ if self.collector.is_some() => {}
                None if self.strip_usage_chunk && event.sse_data().is_some_and(is_usage_only_chunk) => {}
                None => out.extend_from_slice(event.raw().map_or(&[][..], |raw| &raw[..])),
                Some(encoder) => decoded.iter().for_each(|ir| encoder.feed(ir, &mut out)),
            }
            for ir in &decoded {
                if let (
                    Some(tracker),
                    StreamEvent::MessageStart { usage: Some(usage), .. }
                    | StreamEvent::MessageDelta { usage: Some(usage), .. },
                ) = (&mut self.tracker, ir)
                {
                    tracker.usage(usage);
                }
                match ir {
                    StreamEvent::BlockStart { .. }
                    | StreamEvent::Delta { .. }
                    | StreamEvent::MessageDelta { .. }
                    | StreamEvent::MessageStop => content = true,
                    StreamEvent::Error { kind, .. } => error = Some(*kind),
                    StreamEvent::MessageStart { .. } | StreamEvent::BlockStop { .. } => {}
                }
            }
        }
        framed.map_err(|e| format!("upstream sent a corrupt frame: {e}"))?;
        Ok((out, content, error))
    }

    async fn next(&mut self) -> Next {
        loop {
            let timeout = self.clock.sleep(self.idle_ms);
            match select(self.upstream.next(), timeout).await {
                Either::Left((Some(Ok(chunk)), _)) => {
                    // Request logs on: the upstream's bytes as received (stage 4, bounded).
                    if let Some(capture) = self.tracker.as_mut().and_then(UsageTracker::capture) {
                        capture.provider_bytes(&chunk);
                    }
                    match self.process(&chunk) {
                        Ok((bytes, content, error)) => {
                            if !bytes.is_empty() || content || error.is_some() {
                                return Next::Output { bytes, content, error };
                            }
                        }
                        Err(detail) => return Next::Broken(detail),
                    }
                }
                Either::Left((Some(Err(err)), _)) => return Next::Broken(err.to_string()),
                Either::Left((None, _)) => {
                    return match self.framer.finish() {
                        Ok(()) => Next::End,
                        Err(e) => Next::Broken(format!("upstream body ended inside a frame: {e}")),
                    };
                }
                Either::Right(((), _)) => {
                    return Next::Broken(format!("upstream sent nothing for {} s", self.idle_ms / 1000));
                }
            }
        }
    }

    /// Waits for the first content event, holding back everything before it. An error here means nothing
    /// has reached the client yet, so the caller may fall back.
    ///
    /// # Errors
    /// [`EarlyFailure`] when the stream ends, breaks or stalls before content, or opens with an error (other
    /// than one caused by the request, which the client must see).
    pub async fn first_events(&mut self) -> Result<Vec<u8>, EarlyFailure> {
        let failure = |class, detail: String| EarlyFailure { class, detail };
        let mut held = Vec::new();
        loop {
            match self.next().await {
                Next::Output { bytes, content, error } => {
                    held.extend_from_slice(&bytes);
                    match error {
                        Some(ErrorKindTag::InvalidRequest) => return Ok(held),
                        Some(kind) => {
                            return Err(failure(class_of(kind), "upstream stream opened with an error event".into()));
                        }
                        None if content => return Ok(held),
                        None => {}
                    }
                }
                Next::End => {
                    return Err(failure(FailureClass::ServerError, "upstream stream ended before any content".into()));
                }
                Next::Broken(detail) => return Err(failure(FailureClass::Unreachable, detail)),
            }
        }
    }

    /// Reads the whole stream into one response (for a client that asked for JSON from an upstream that only
    /// streams). Stops at the stream's end event; the upstream body is dropped then.
    ///
    /// # Errors
    /// [`Aggregated::RequestError`] for an in-stream error caused by the request, [`Aggregated::Failed`] when
    /// the stream failed, broke, stalled or ended early.
    pub async fn aggregate(&mut self) -> Result<ChatResponse, Aggregated> {
        let failure = |class, detail: String| Aggregated::Failed(EarlyFailure { class, detail });
        self.collector = Some(ResponseBuilder::new());
        loop {
            match self.next().await {
                Next::Output { .. } => {
                    if self.collector.as_ref().is_some_and(ResponseBuilder::is_done) {
                        break;
                    }
                }
                Next::End => {
                    let flushed = self.decoder.finish();
                    if let Some(collector) = &mut self.collector {
                        flushed.iter().for_each(|ir| collector.push(ir));
                    }
                    break;
                }
                Next::Broken(detail) => return Err(failure(FailureClass::Unreachable, detail)),
            }
        }
        match self.collector.take().unwrap_or_default().build() {
            Ok(response) => Ok(response),
            Err(AggregateError::Upstream { kind: ErrorKindTag::InvalidRequest, message }) => {
                Err(Aggregated::RequestError(ApiError::new(ErrorKind::InvalidRequest, message)))
            }
            Err(AggregateError::Upstream { kind, message }) => {
                Err(failure(class_of(kind), format!("upstream stream failed: {message}")))
            }
            Err(AggregateError::Incomplete) => {
                Err(failure(FailureClass::ServerError, "upstream stream ended before the response was complete".into()))
            }
        }
    }

    /// The client's error frame for a stream that failed after content reached the client.
    fn failure_frame(&mut self, message: &str) -> Bytes {
        let error = ApiError::new(ErrorKind::BadGateway, message).with_code("stream_interrupted");
        match &mut self.encoder {
            Some(encoder) => {
                let mut out = Vec::new();
                encoder.feed(&StreamEvent::Error { kind: ErrorKindTag::Server, message: message.to_owned() }, &mut out);
                Bytes::from(out)
            }
            None => stream_error_frame(self.client, &error),
        }
    }

    /// The client's body: `first` then the rest of the upstream, ending with an error event if the upstream
    /// does not finish cleanly.
    pub fn into_body(mut self, first: Vec<u8>) -> impl Stream<Item = Result<Bytes, HttpError>> + Send {
        if let Some(tracker) = &mut self.tracker {
            tracker.respond(200, true);
        }
        let mut state = BodyState { relay: self, queue: VecDeque::new(), done: false };
        state.enqueue(Bytes::from(first));
        futures::stream::unfold(state, |mut state| async move {
            let bytes = state.next_bytes().await?;
            Some((Ok(bytes), state))
        })
    }
}

/// The client body's progress: bytes ready to send, and whether the upstream is finished.
struct BodyState {
    relay: SseRelay,
    queue: VecDeque<Bytes>,
    done: bool,
}

impl BodyState {
    /// Queues bytes for the client, noting them in the request log (stage 5, bounded) while the tracker is
    /// still here (it leaves with the last bytes' [`BodyState::finish`]).
    fn enqueue(&mut self, bytes: Bytes) {
        if bytes.is_empty() {
            return;
        }
        if let Some(capture) = self.relay.tracker.as_mut().and_then(UsageTracker::capture) {
            capture.client_bytes(&bytes);
        }
        self.queue.push_back(bytes);
    }

    async fn next_bytes(&mut self) -> Option<Bytes> {
        while self.queue.is_empty() && !self.done {
            match self.relay.next().await {
                Next::Output { bytes, error, .. } => {
                    self.enqueue(Bytes::from(bytes));
                    // The upstream's own error event has been relayed (translated or not): nothing follows it.
                    if error.is_some() {
                        self.finish(Some("upstream_error"));
                    }
                }
                Next::End => {
                    let flushed = self.relay.decoder.finish();
                    if let Some(encoder) = &mut self.relay.encoder {
                        let mut out = Vec::new();
                        flushed.iter().for_each(|ir| encoder.feed(ir, &mut out));
                        self.enqueue(Bytes::from(out));
                    }
                    if self.relay.decoder.is_complete() {
                        self.finish(None);
                    } else {
                        let frame = self.relay.failure_frame("upstream stream ended before the response was complete");
                        self.enqueue(frame);
                        self.finish(Some("stream_interrupted"));
                    }
                }
                Next::Broken(detail) => {
                    let frame = self.relay.failure_frame(&format!("upstream stream interrupted: {detail}"));
                    self.enqueue(frame);
                    self.finish(Some("stream_interrupted"));
                }
            }
        }
        self.queue.pop_front()
    }

    /// The upstream is done: record usage now (with a failure class if it failed).
    fn finish(&mut self, error: Option<&str>) {
        self.done = true;
        if let Some(mut tracker) = self.relay.tracker.take() {
            if let Some(class) = error {
                tracker.error(class);
            }
            tracker.finish();
        }
    }
}

impl Drop for BodyState {
    /// The client went away mid-stream: its usage so far is still recorded.
    fn drop(&mut self) {
        if let Some(tracker) = &mut self.relay.tracker {
            tracker.error("client_closed");
        }
    }
}

#[cfg(test)]
mod tests;
