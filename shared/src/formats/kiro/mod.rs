//! Kiro (AWS CodeWhisperer `generateAssistantResponse`, the `kr` provider) — an upstream-only format: IR →
//! `conversationState` JSON out, AWS event-stream binary frames in. No client speaks it.
//!
//! Files:
//! - `crc32.rs`: the CRC-32 both frame checksums use;
//! - `event_stream.rs`: bytes → [`Message`]s (prelude, headers, payload, both CRCs checked; incremental,
//!   bounded, typed [`FrameError`]s), and an encoder for tests and fuzzing;
//! - `stream_decode.rs`: [`Message`]s → IR stream events (text, tool-use fragments reassembled, usage);
//! - `request_encode.rs`: the request body, and [`model_id`];
//! - this file: [`decode_error`] for HTTP error bodies and [`decode_response`] (a whole body, aggregated).
//!
//! Facts: notes/providers.md "kr — Kiro" and "Kiro event-stream" (decolua/9router `open-sse/executors/kiro.js`,
//! `open-sse/translator/request/openai-to-kiro.js`; router-for-me/CLIProxyAPI Kiro fork; AWS "Event stream
//! encoding").

mod crc32;
pub mod event_stream;
mod request_encode;
mod stream_decode;

#[cfg(test)]
mod tests;

pub use crc32::crc32;
pub use event_stream::{EventStreamDecoder, FrameError, HeaderValue, Message};
pub use request_encode::{encode_request, model_id};
pub use stream_decode::StreamDecoder;

use serde_json::Value;

use crate::error::{truncate_chars, ApiError, ErrorKind, MAX_UPSTREAM_MESSAGE_CHARS};
use crate::ir::aggregate::{AggregateError, ResponseBuilder};
use crate::ir::{ChatResponse, DecodeError};

use super::UNNAMED_TOOL;

/// Decodes an upstream error response. AWS JSON errors carry `message` (or `Message`) and a `__type` such as
/// `com.amazon.aws.codewhisperer#ThrottlingException`; the kind comes from the status.
#[must_use]
pub fn decode_error(status: u16, body: &[u8]) -> ApiError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let field = |k: &str| parsed.as_ref().and_then(|v| v.get(k)).and_then(Value::as_str).map(str::trim);
    let message = field("message")
        .or_else(|| field("Message"))
        .or_else(|| parsed.as_ref().and_then(|v| v.get("error")).and_then(|e| e.get("message")).and_then(Value::as_str))
        .filter(|m| !m.is_empty());
    let message = match (message, field("__type").and_then(|t| t.rsplit('#').next())) {
        (Some(m), Some(kind)) => format!("{kind}: {m}"),
        (Some(m), None) => m.to_owned(),
        (None, Some(kind)) => kind.to_owned(),
        (None, None) => format!("upstream returned {status}"),
    };
    ApiError::new(ErrorKind::from_upstream_status(status), truncate_chars(&message, MAX_UPSTREAM_MESSAGE_CHARS))
}

/// Decodes a whole event-stream body into one response.
///
/// # Errors
/// [`DecodeError`] for a corrupt or cut stream, an unreadable event, an error event, or a stream without an
/// answer.
pub fn decode_response(body: &[u8]) -> Result<ChatResponse, DecodeError> {
    let mut frames = EventStreamDecoder::new();
    let mut messages = Vec::new();
    frames.feed(body, &mut messages).map_err(|e| DecodeError::new(e.to_string()))?;
    frames.finish().map_err(|e| DecodeError::new(e.to_string()))?;
    let mut decoder = StreamDecoder::new();
    let mut builder = ResponseBuilder::new();
    for message in &messages {
        decoder.feed(message)?.iter().for_each(|event| builder.push(event));
    }
    decoder.finish().iter().for_each(|event| builder.push(event));
    builder.build().map_err(|e| match e {
        AggregateError::Upstream { message, .. } => DecodeError::new(format!("Kiro stream failed: {message}")),
        AggregateError::Incomplete => DecodeError::new("Kiro stream ended without an answer"),
    })
}
