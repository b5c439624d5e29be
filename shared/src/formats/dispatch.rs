//! Thin dispatch over [`Format`]: one arm per format, nothing else.

use bytes::Bytes;

use super::framing::UpstreamEvent;
use super::gemini::envelope::{self, EnvelopeStreamDecoder};
use super::gemini::GeminiStreamMode;
use super::sse::SseEvent;
use super::{anthropic, gemini, kiro, openai_chat, openai_responses, Format};
use crate::error::ApiError;
use crate::ir::{ChatRequest, ChatResponse, DecodeError, StreamEvent};

/// Decodes a client request in `format`.
///
/// # Errors
/// [`DecodeError`] naming the offending field.
pub fn decode_request(format: Format, body: &[u8]) -> Result<ChatRequest, DecodeError> {
    match format {
        Format::OpenAiChat => openai_chat::decode_request(body),
        Format::Anthropic => anthropic::decode_request(body),
        Format::OpenAiResponses => openai_responses::decode_request(body),
        Format::Gemini => gemini::decode_request(body),
        Format::CodeAssist => {
            let (model, inner) = envelope::unwrap_request(body)?;
            gemini::decode_request(&inner).map(|request| ChatRequest { model, ..request })
        }
        Format::Kiro => Err(DecodeError::new("Kiro is an upstream-only format; no client request is read in it")),
    }
}

/// Encodes an upstream request in `format`.
#[must_use]
pub fn encode_request(format: Format, request: &ChatRequest) -> Vec<u8> {
    match format {
        Format::OpenAiChat => openai_chat::encode_request(request),
        Format::Anthropic => anthropic::encode_request(request),
        Format::OpenAiResponses => openai_responses::encode_request(request),
        Format::Gemini => gemini::encode_request(request),
        // The project is per account: the Code Assist quirks add it (`providers::quirks::code_assist`).
        Format::CodeAssist => envelope::wrap_request(&request.model, "", &gemini::encode_request(request)),
        // The profile ARN is per account: the Kiro quirks add it (`providers::quirks::kiro`).
        Format::Kiro => kiro::encode_request(request),
    }
}

/// Decodes an upstream JSON response in `format`.
///
/// # Errors
/// [`DecodeError`] when the body is not a complete response of that format.
pub fn decode_response(format: Format, body: &[u8]) -> Result<ChatResponse, DecodeError> {
    match format {
        Format::OpenAiChat => openai_chat::decode_response(body),
        Format::Anthropic => anthropic::decode_response(body),
        Format::OpenAiResponses => openai_responses::decode_response(body),
        Format::Gemini => gemini::decode_response(body),
        Format::CodeAssist => gemini::decode_response(&envelope::unwrap_response(body)?),
        Format::Kiro => kiro::decode_response(body),
    }
}

/// Encodes a client JSON response in `format`; `created_secs` is the response time where the format has one.
/// Kiro, never a client, answers as OpenAI Chat.
#[must_use]
pub fn encode_response(format: Format, response: &ChatResponse, created_secs: u64) -> Vec<u8> {
    match format {
        Format::OpenAiChat | Format::Kiro => openai_chat::encode_response_at(response, created_secs),
        Format::Anthropic => anthropic::encode_response(response),
        Format::OpenAiResponses => openai_responses::encode_response_at(response, created_secs),
        Format::Gemini => gemini::encode_response_at(response, created_secs),
        Format::CodeAssist => envelope::wrap_response(&gemini::encode_response_at(response, created_secs)),
    }
}

/// Reads an upstream error body of `format`.
#[must_use]
pub fn decode_error(format: Format, status: u16, body: &[u8]) -> ApiError {
    match format {
        Format::OpenAiChat => openai_chat::decode_error(status, body),
        Format::Anthropic => anthropic::decode_error(status, body),
        Format::OpenAiResponses => openai_responses::decode_error(status, body),
        Format::Gemini | Format::CodeAssist => gemini::decode_error(status, body),
        Format::Kiro => kiro::decode_error(status, body),
    }
}

/// An error event in `format`'s stream framing, for a stream whose other frames were passed through untouched
/// (Code Assist and Kiro, never clients, answer as Gemini and OpenAI Chat).
#[must_use]
pub fn stream_error_frame(format: Format, error: &ApiError) -> Bytes {
    let body = error.clone().in_format(format.client_format()).body();
    match format {
        Format::OpenAiChat | Format::Kiro => Bytes::from(format!("data: {body}\n\n")),
        Format::Gemini | Format::CodeAssist => Bytes::from(format!("data: {body}\r\n\r\n")),
        Format::Anthropic => Bytes::from(format!("event: error\ndata: {body}\n\n")),
        // Responses clients expect a typed `error` event.
        Format::OpenAiResponses => {
            let event = serde_json::json!({
                "type": "error",
                "code": error.code.unwrap_or("server_error"),
                "message": error.message,
                "param": null,
            });
            Bytes::from(format!("event: error\ndata: {event}\n\n"))
        }
    }
}

/// An upstream stream decoder of some format.
pub enum StreamDecoder {
    /// OpenAI Chat.
    OpenAiChat(openai_chat::StreamDecoder),
    /// Anthropic Messages.
    Anthropic(anthropic::StreamDecoder),
    /// OpenAI Responses.
    OpenAiResponses(openai_responses::StreamDecoder),
    /// Gemini.
    Gemini(gemini::StreamDecoder),
    /// Gemini in the Code Assist envelope.
    CodeAssist(EnvelopeStreamDecoder),
    /// Kiro's event-stream messages.
    Kiro(kiro::StreamDecoder),
}

impl StreamDecoder {
    /// A decoder for `format`.
    #[must_use]
    pub fn new(format: Format) -> Self {
        match format {
            Format::OpenAiChat => Self::OpenAiChat(openai_chat::StreamDecoder::new()),
            Format::Anthropic => Self::Anthropic(anthropic::StreamDecoder::new()),
            Format::OpenAiResponses => Self::OpenAiResponses(openai_responses::StreamDecoder::new()),
            Format::Gemini => Self::Gemini(gemini::StreamDecoder::new()),
            Format::CodeAssist => Self::CodeAssist(EnvelopeStreamDecoder::new()),
            Format::Kiro => Self::Kiro(kiro::StreamDecoder::new()),
        }
    }

    /// Feeds one SSE event.
    ///
    /// # Errors
    /// [`DecodeError`] for an unreadable event, and always for Kiro (its events are not SSE; see
    /// [`Self::feed_upstream`]).
    pub fn feed(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, DecodeError> {
        match self {
            Self::Kiro(_) => Err(DecodeError::new("Kiro streams are AWS event-stream messages, not SSE")),
            Self::OpenAiChat(d) => d.feed(event),
            Self::Anthropic(d) => d.feed(event),
            Self::OpenAiResponses(d) => d.feed(event),
            Self::Gemini(d) => d.feed(event),
            Self::CodeAssist(d) => d.feed(event),
        }
    }

    /// Feeds one framed upstream event (see [`super::framing`]).
    ///
    /// # Errors
    /// [`DecodeError`] for an unreadable event or one of the other framing.
    pub fn feed_upstream(&mut self, event: &UpstreamEvent) -> Result<Vec<StreamEvent>, DecodeError> {
        match (self, event) {
            (Self::Kiro(d), UpstreamEvent::EventStream(message)) => d.feed(message),
            (Self::Kiro(_), UpstreamEvent::Sse(_)) => Err(DecodeError::new("Kiro upstream sent an SSE event")),
            (_, UpstreamEvent::EventStream(_)) => Err(DecodeError::new("upstream sent an event-stream message")),
            (decoder, UpstreamEvent::Sse(event)) => decoder.feed(event),
        }
    }

    /// Flushes at the end of the upstream body.
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        match self {
            Self::OpenAiChat(d) => d.finish(),
            Self::Anthropic(d) => d.finish(),
            Self::OpenAiResponses(d) => d.finish(),
            Self::Gemini(d) => d.finish(),
            Self::CodeAssist(d) => d.finish(),
            Self::Kiro(d) => d.finish(),
        }
    }

    /// Whether the stream reached its proper end.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        match self {
            Self::OpenAiChat(d) => d.is_complete(),
            Self::Anthropic(d) => d.is_complete(),
            Self::OpenAiResponses(d) => d.is_complete(),
            Self::Gemini(d) => d.is_complete(),
            Self::CodeAssist(d) => d.is_complete(),
            Self::Kiro(d) => d.is_complete(),
        }
    }
}

/// A client stream encoder of some format.
pub enum StreamEncoder {
    /// OpenAI Chat.
    OpenAiChat(openai_chat::StreamEncoder),
    /// Anthropic Messages.
    Anthropic(anthropic::StreamEncoder),
    /// OpenAI Responses.
    OpenAiResponses(openai_responses::StreamEncoder),
    /// Gemini.
    Gemini(gemini::StreamEncoder),
}

/// Client-side choices a stream encoder needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct EncoderOptions {
    /// Response time (unix seconds), where the format carries one.
    pub created_secs: u64,
    /// OpenAI Chat: end with a usage chunk.
    pub include_usage: bool,
    /// Gemini: a JSON array instead of SSE (`streamGenerateContent` without `alt=sse`).
    pub json_array: bool,
}

impl StreamEncoder {
    /// An encoder for `format` (Code Assist and Kiro, never clients, encode as Gemini and OpenAI Chat).
    #[must_use]
    pub fn new(format: Format, options: EncoderOptions) -> Self {
        let EncoderOptions { created_secs, include_usage, json_array } = options;
        match format {
            Format::OpenAiChat | Format::Kiro => {
                Self::OpenAiChat(openai_chat::StreamEncoder::new(created_secs, include_usage))
            }
            Format::Anthropic => Self::Anthropic(anthropic::StreamEncoder::new()),
            Format::OpenAiResponses => Self::OpenAiResponses(openai_responses::StreamEncoder::new(created_secs)),
            Format::Gemini | Format::CodeAssist => Self::Gemini(gemini::StreamEncoder::new(if json_array {
                GeminiStreamMode::JsonArray
            } else {
                GeminiStreamMode::Sse
            })),
        }
    }

    /// Appends the bytes for `event` to `out`.
    pub fn feed(&mut self, event: &StreamEvent, out: &mut Vec<u8>) {
        match self {
            Self::OpenAiChat(e) => e.feed(event, out),
            Self::Anthropic(e) => e.feed(event, out),
            Self::OpenAiResponses(e) => e.feed(event, out),
            Self::Gemini(e) => e.feed(event, out),
        }
    }
}
