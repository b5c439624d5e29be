//! The Cloud Code Assist `v1internal` envelope (Gemini CLI, Antigravity): a thin wrapper around the Gemini
//! format, so everything else is this module's parent's job.
//!
//! Request: `{"model", "project", "request": <generateContent body>}` (google-gemini/gemini-cli
//! `packages/core/src/code_assist/converter.ts`, `CAGenerateContentRequest`: `project`, `user_prompt_id` and
//! the body's `session_id` are all optional there, so none is added here; provider quirks may add
//! Antigravity's `userAgent` / `requestId` / `requestType` around this). Response (the non-streamed body and
//! every SSE `data:`): `{"response": <GenerateContentResponse>, "traceId"}`; unwrapping takes `response` and,
//! as Gemini CLI's `fromGenerateContentResponse` does, uses `traceId` as the `responseId` when the response
//! has none. An `{"error":…}` payload (or anything without `response`) passes through unchanged, so the Gemini
//! decoders see it as they would from Gemini itself.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::StreamDecoder;
use crate::formats::sse::SseEvent;
use crate::ir::{DecodeError, StreamEvent};

#[derive(Serialize)]
struct Envelope<'a> {
    model: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    project: &'a str,
    request: &'a RawValue,
}

/// Wraps a Gemini request body (as [`super::encode_request`] writes it) for `v1internal:generateContent` /
/// `:streamGenerateContent`. `model` is the bare model id (a `models/` prefix is removed); an empty `project`
/// is left out. A body that is not JSON is sent as `{}`.
#[must_use]
pub fn wrap_request(model: &str, project: &str, body_json: &[u8]) -> Vec<u8> {
    let model = model.strip_prefix("models/").unwrap_or(model);
    let parsed = std::str::from_utf8(body_json).ok().and_then(|s| serde_json::from_str::<&RawValue>(s).ok());
    let empty_object = serde_json::value::to_raw_value(&Map::new()).unwrap_or_default();
    let envelope = Envelope { model, project, request: parsed.unwrap_or(&empty_object) };
    // Serialising this type cannot fail (string keys, no fallible Serialize impls).
    serde_json::to_vec(&envelope).unwrap_or_default()
}

/// The Gemini request inside a `v1internal` request body and the envelope's `model` (empty when absent).
///
/// # Errors
/// [`DecodeError`] when the body is not a JSON object or has no `request` object.
pub fn unwrap_request(body: &[u8]) -> Result<(String, Vec<u8>), DecodeError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| DecodeError::new(format!("Code Assist request is not JSON: {e}")))?;
    let model = value.get("model").and_then(Value::as_str).unwrap_or_default().to_owned();
    match value.get("request") {
        Some(request @ Value::Object(_)) => serde_json::to_vec(request)
            .map(|inner| (model, inner))
            .map_err(|e| DecodeError::new(format!("Code Assist request: {e}"))),
        _ => Err(DecodeError::new("Code Assist request needs a `request` object")),
    }
}

/// Wraps a Gemini response body as `{"response": …}` (a body that is not JSON becomes `{}`).
#[must_use]
pub fn wrap_response(body_json: &[u8]) -> Vec<u8> {
    let parsed = std::str::from_utf8(body_json).ok().and_then(|s| serde_json::from_str::<&RawValue>(s).ok());
    let empty_object = serde_json::value::to_raw_value(&Map::new()).unwrap_or_default();
    serde_json::to_vec(&serde_json::json!({ "response": parsed.unwrap_or(&empty_object) })).unwrap_or_default()
}

/// The Gemini payload inside one `v1internal` response payload: `response` (with `traceId` as `responseId`
/// when it has none), or the payload itself when it has no `response` (errors, plain Gemini).
///
/// # Errors
/// [`DecodeError`] when the payload is not a JSON object.
pub fn unwrap_response(body: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| DecodeError::new(format!("Code Assist response is not JSON: {e}")))?;
    let Value::Object(mut envelope) = value else {
        return Err(DecodeError::new("Code Assist response must be a JSON object"));
    };
    let Some(response) = envelope.remove("response") else {
        return Ok(body.to_vec());
    };
    let mut response = match response {
        Value::Object(response) => response,
        _ => return Err(DecodeError::new("Code Assist `response` must be a JSON object")),
    };
    if let Some(trace) = envelope.remove("traceId").filter(Value::is_string) {
        let has_id = response.get("responseId").is_some_and(|id| id.as_str().is_some_and(|s| !s.is_empty()));
        if !has_id {
            response.insert("responseId".to_owned(), trace);
        }
    }
    serde_json::to_vec(&response).map_err(|e| DecodeError::new(format!("Code Assist response: {e}")))
}

/// One upstream SSE event with its `data` unwrapped (see [`unwrap_response`]); an empty or unreadable payload
/// is returned as it is, for the Gemini decoder to judge.
#[must_use]
pub fn unwrap_event(event: &SseEvent) -> SseEvent {
    let data = event.data.trim();
    if data.is_empty() || !data.starts_with('{') {
        return event.clone();
    }
    match unwrap_response(data.as_bytes()).ok().and_then(|bytes| String::from_utf8(bytes).ok()) {
        Some(data) => SseEvent { raw: event.raw.clone(), event: event.event.clone(), data },
        None => event.clone(),
    }
}

/// A Gemini [`StreamDecoder`] reading a `v1internal` stream: each event is unwrapped, then decoded.
#[derive(Debug, Default)]
pub struct EnvelopeStreamDecoder {
    inner: StreamDecoder,
}

impl EnvelopeStreamDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one SSE event.
    ///
    /// # Errors
    /// [`DecodeError`] when the unwrapped data is not a Gemini chunk.
    pub fn feed(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, DecodeError> {
        self.inner.feed(&unwrap_event(event))
    }

    /// See [`StreamDecoder::finish`].
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        self.inner.finish()
    }

    /// See [`StreamDecoder::is_complete`].
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.inner.is_complete()
    }
}
