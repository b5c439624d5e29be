//! Relaying an upstream SSE stream to the client, event by event, never a whole stream at once.
//!
//! Before the first event the attempt can still fall back to another account, so [`SseRelay::first_events`]
//! waits for it and reports a failure instead (stream ended, broke, stalled, or opened with an error event).
//! After that, a broken, stalled or unfinished upstream becomes an error event in the client's stream, never a
//! silent clean end. Dropping the relay drops the upstream body, which aborts the upstream request.

use std::collections::VecDeque;
use std::sync::Arc;

use bytes::Bytes;
use futures::future::{select, Either};
use futures::{Stream, StreamExt as _};
use serde_json::Value;

use crate::error::{ApiError, ErrorKind};
use crate::formats::sse::{SseEvent, SseFramer};
use crate::platform::{ByteStream, Clock, HttpError};
use crate::routing::policy::FailureClass;

/// Why a stream failed before its first event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyFailure {
    /// Failure class for the cooldown book.
    pub class: FailureClass,
    /// What happened (no secrets).
    pub detail: String,
}

/// An upstream OpenAI-format SSE stream being relayed.
pub struct SseRelay {
    upstream: ByteStream,
    framer: SseFramer,
    clock: Arc<dyn Clock>,
    idle_ms: u64,
    finished_cleanly: bool,
}

enum Next {
    Events(Vec<SseEvent>),
    End,
    Broken(String),
}

/// Whether an event marks a complete OpenAI chat stream: `[DONE]` or a chunk with a finish reason.
fn is_terminal(event: &SseEvent) -> bool {
    let data = event.data.trim();
    data == "[DONE]"
        || (data.contains("finish_reason")
            && serde_json::from_str::<Value>(data).is_ok_and(|v| {
                v["choices"]
                    .as_array()
                    .is_some_and(|choices| choices.iter().any(|c| c["finish_reason"].is_string()))
            }))
}

/// The upstream's error, when an event is an error object (`{"error": {...}}`) rather than a chunk.
fn error_in(event: &SseEvent) -> Option<FailureClass> {
    if !event.data.contains("\"error\"") {
        return None;
    }
    let value: Value = serde_json::from_str(&event.data).ok()?;
    let error = value.get("error")?;
    let text = |k: &str| {
        error
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (kind, code) = (text("type"), text("code"));
    Some(
        if kind.contains("rate_limit") || code.contains("rate_limit") {
            FailureClass::RateLimited
        } else {
            FailureClass::ServerError
        },
    )
}

impl SseRelay {
    /// Wraps an upstream body; `idle_ms` bounds every wait for upstream bytes.
    pub fn new(upstream: ByteStream, clock: Arc<dyn Clock>, idle_ms: u64) -> Self {
        Self {
            upstream,
            framer: SseFramer::new(),
            clock,
            idle_ms,
            finished_cleanly: false,
        }
    }

    async fn next(&mut self) -> Next {
        loop {
            let timeout = self.clock.sleep(self.idle_ms);
            match select(self.upstream.next(), timeout).await {
                Either::Left((Some(Ok(chunk)), _)) => {
                    let events = self.framer.feed(&chunk);
                    if !events.is_empty() {
                        if events.iter().any(is_terminal) {
                            self.finished_cleanly = true;
                        }
                        return Next::Events(events);
                    }
                }
                Either::Left((Some(Err(err)), _)) => return Next::Broken(err.to_string()),
                Either::Left((None, _)) => return Next::End,
                Either::Right(((), _)) => {
                    return Next::Broken(format!(
                        "upstream sent nothing for {} s",
                        self.idle_ms / 1000
                    ));
                }
            }
        }
    }

    /// Waits for the first event(s). An error here means nothing has reached the client yet.
    ///
    /// # Errors
    /// [`EarlyFailure`] when the stream ends, breaks or stalls before its first event, or opens with an error.
    pub async fn first_events(&mut self) -> Result<Vec<SseEvent>, EarlyFailure> {
        let failure = |class, detail: String| EarlyFailure { class, detail };
        match self.next().await {
            Next::Events(events) => match events.first().and_then(error_in) {
                Some(class) => Err(failure(
                    class,
                    "upstream stream opened with an error event".into(),
                )),
                None => Ok(events),
            },
            Next::End => Err(failure(
                FailureClass::ServerError,
                "upstream stream ended before its first event".into(),
            )),
            Next::Broken(detail) => Err(failure(FailureClass::Unreachable, detail)),
        }
    }

    /// The client's body: `first` then the rest of the upstream, ending with an error event if the upstream
    /// does not finish cleanly.
    pub fn into_body(
        self,
        first: Vec<SseEvent>,
    ) -> impl Stream<Item = Result<Bytes, HttpError>> + Send {
        let state = BodyState {
            relay: self,
            queue: first.into_iter().map(|e| e.raw).collect(),
            done: false,
        };
        futures::stream::unfold(state, |mut state| async move {
            let bytes = state.next_bytes().await?;
            Some((Ok(bytes), state))
        })
    }
}

/// The client body's progress: events ready to send, and whether the upstream is finished.
struct BodyState {
    relay: SseRelay,
    queue: VecDeque<Bytes>,
    done: bool,
}

impl BodyState {
    async fn next_bytes(&mut self) -> Option<Bytes> {
        while self.queue.is_empty() && !self.done {
            match self.relay.next().await {
                Next::Events(events) => self.queue.extend(events.into_iter().map(|e| e.raw)),
                Next::End if self.relay.finished_cleanly => self.done = true,
                Next::End => {
                    self.queue.push_back(error_event(
                        "upstream stream ended before the response was complete",
                    ));
                    self.done = true;
                }
                Next::Broken(detail) => {
                    self.queue.push_back(error_event(&format!(
                        "upstream stream interrupted: {detail}"
                    )));
                    self.done = true;
                }
            }
        }
        self.queue.pop_front()
    }
}

/// An OpenAI chat in-stream error event.
fn error_event(message: &str) -> Bytes {
    let body = ApiError::new(ErrorKind::BadGateway, message)
        .with_code("stream_interrupted")
        .body();
    Bytes::from(format!("data: {body}\n\n"))
}

#[cfg(test)]
mod tests;
