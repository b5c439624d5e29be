//! Upstream body bytes → whole upstream events, before any format decoding: SSE ([`SseFramer`]) for every format
//! but Kiro, whose body is AWS event-stream binary messages ([`kiro::EventStreamDecoder`]). Both are pure
//! incremental state machines: chunk boundaries may fall anywhere.

use bytes::Bytes;

use super::kiro::{self, EventStreamDecoder};
use super::sse::{SseEvent, SseFramer};
use super::Format;
use crate::ir::DecodeError;

/// One whole upstream event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamEvent {
    /// A server-sent event.
    Sse(SseEvent),
    /// An AWS event-stream message (Kiro).
    EventStream(kiro::Message),
}

impl UpstreamEvent {
    /// The event's bytes as received, for passing through untouched (SSE only: no client speaks Kiro).
    #[must_use]
    pub fn raw(&self) -> Option<&Bytes> {
        match self {
            Self::Sse(event) => Some(&event.raw),
            Self::EventStream(_) => None,
        }
    }

    /// The SSE `data`, where there is one.
    #[must_use]
    pub fn sse_data(&self) -> Option<&str> {
        match self {
            Self::Sse(event) => Some(&event.data),
            Self::EventStream(_) => None,
        }
    }
}

/// The framer of one upstream body.
#[derive(Debug)]
pub enum Framer {
    /// Server-sent events.
    Sse(SseFramer),
    /// AWS event-stream.
    EventStream(EventStreamDecoder),
}

impl Framer {
    /// The framer for a body of `format`.
    #[must_use]
    pub fn new(format: Format) -> Self {
        match format {
            Format::Kiro => Self::EventStream(EventStreamDecoder::new()),
            _ => Self::Sse(SseFramer::new()),
        }
    }

    /// Feeds bytes, appending every event they complete to `out`.
    ///
    /// # Errors
    /// [`DecodeError`] for a corrupt frame (the events before it are in `out`).
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<UpstreamEvent>) -> Result<(), DecodeError> {
        match self {
            Self::Sse(framer) => {
                out.extend(framer.feed(chunk).into_iter().map(UpstreamEvent::Sse));
                Ok(())
            }
            Self::EventStream(decoder) => {
                let mut messages = Vec::new();
                let fed = decoder.feed(chunk, &mut messages);
                out.extend(messages.into_iter().map(UpstreamEvent::EventStream));
                fed.map_err(|e| DecodeError::new(e.to_string()))
            }
        }
    }

    /// Checks the body ended between events where the framing can tell (an unfinished SSE event is left to the
    /// format's decoder, which sees the stream incomplete).
    ///
    /// # Errors
    /// [`DecodeError`] when an event-stream body ended inside a message.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self {
            Self::Sse(_) => Ok(()),
            Self::EventStream(decoder) => decoder.finish().map_err(|e| DecodeError::new(e.to_string())),
        }
    }
}
