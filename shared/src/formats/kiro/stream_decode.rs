//! Kiro event-stream messages → IR stream events, as an explicit state machine.
//!
//! Event types (`:event-type`) and payload fields: notes/providers.md "Response event types" (decolua/9router
//! `open-sse/executors/kiro.js`; the CLIProxyAPI Kiro fork `kiro_executor.go`):
//! - `assistantResponseEvent` / `codeEvent` `{content}` → Text deltas (a Text block opens on the first text);
//! - `reasoningContentEvent` `{text}` → Thinking deltas (family unknown: Kiro's reasoning carries no signature
//!   another provider could check, so it is never forwarded with one);
//! - `toolUseEvent` `{toolUseId, name, input, stop}` → one ToolCall block per `toolUseId`: `input` is a fragment
//!   of the arguments' JSON text (or, from some backends, the whole arguments object), appended in order;
//!   `stop: true` closes the call;
//! - `metricsEvent` / `messageMetadataEvent` / `metadataEvent` / `usageEvent` with `inputTokens` /
//!   `outputTokens` (at the top or one object down) → usage; `contextUsageEvent` `{contextUsagePercentage}` →
//!   an input-token estimate (percentage of a 200,000-token window, as 9router does) used only when no count
//!   arrived; `meteringEvent` (billing credits) carries no tokens;
//! - `:message-type` `exception` / `error` (`:exception-type` e.g. `ThrottlingException`), or the event types
//!   `error` / `exception` / `internalServerException` → `Error` (kind from the type and message), after which
//!   everything is ignored;
//! - anything else (`followupPromptEvent`, `supplementaryWebLinksEvent`, `invalidStateEvent`, …) is ignored.
//!
//! Kiro has no terminal event of its own: the message ends with the body. [`StreamDecoder::finish`] closes the
//! open block and emits `MessageDelta` (finish `tool_calls` if a tool was called, else `stop`) and `MessageStop`
//! — but only when the stream carried content and one of the trailing events Kiro sends after the answer
//! (`messageStopEvent`, metering, metrics, context usage, metadata); otherwise the stream was cut and stays
//! incomplete. The framing layer reports a body that ends inside a message.

use serde_json::Value;

use super::event_stream::Message;
use super::UNNAMED_TOOL;
use crate::ir::{BlockKind, DecodeError, Delta, ErrorKindTag, FinishReason, StreamEvent, Usage};

/// The context window behind `contextUsagePercentage` (9router's figure for Kiro's Claude models).
const CONTEXT_WINDOW_TOKENS: f64 = 200_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    #[default]
    Waiting,
    Streaming,
    Done,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Open {
    Text(u32),
    Thinking(u32),
    Tool { index: u32, id: String },
}

impl Open {
    fn index(&self) -> u32 {
        match self {
            Self::Text(index) | Self::Thinking(index) | Self::Tool { index, .. } => *index,
        }
    }
}

/// Decodes Kiro's event-stream messages into IR stream events.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    phase: Phase,
    next_block: u32,
    open: Option<Open>,
    called_tools: bool,
    /// A trailing event arrived: the answer is over.
    trailer: bool,
    usage: Option<Usage>,
    context_percent: Option<f64>,
}

/// The first non-empty string among `keys` of `value`.
fn text<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| value.get(*k).and_then(Value::as_str))
}

/// Token counts at the top of `value` or one object down (`{metricsEvent: {…}}`, `{tokenUsage: {…}}`).
fn token_counts(value: &Value) -> Option<Usage> {
    let read = |v: &Value| {
        let n = |k: &str| v.get(k).and_then(Value::as_u64);
        let (input, output) = (n("inputTokens").or_else(|| n("uncachedInputTokens")), n("outputTokens"));
        (input.is_some() || output.is_some()).then(|| Usage {
            input_tokens: input.unwrap_or(0),
            output_tokens: output.unwrap_or(0),
            cache_read_tokens: n("cacheReadInputTokens").unwrap_or(0),
            cache_write_tokens: n("cacheWriteInputTokens").unwrap_or(0),
            reasoning_tokens: 0,
        })
    };
    read(value).or_else(|| value.as_object()?.values().filter(|v| v.is_object()).find_map(read))
}

/// The IR kind of a Kiro / AWS exception, from its type name and message.
fn error_kind(kind: &str, message: &str) -> ErrorKindTag {
    let lower = format!("{kind} {message}").to_ascii_lowercase();
    if lower.contains("throttl") || lower.contains("too many requests") || lower.contains("quota") {
        ErrorKindTag::RateLimited
    } else if lower.contains("validation") || lower.contains("improperly formed") || lower.contains("too long") {
        ErrorKindTag::InvalidRequest
    } else if lower.contains("unavailable") || lower.contains("overloaded") || lower.contains("capacity") {
        ErrorKindTag::Overloaded
    } else {
        ErrorKindTag::Server
    }
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one message. Messages after an error or the end are ignored.
    ///
    /// # Errors
    /// [`DecodeError`] when an event's payload is not a JSON object.
    pub fn feed(&mut self, message: &Message) -> Result<Vec<StreamEvent>, DecodeError> {
        let mut out = Vec::new();
        if matches!(self.phase, Phase::Done | Phase::Failed) {
            return Ok(out);
        }
        let message_type = message.header_str(":message-type").unwrap_or("event");
        let event_type = message.header_str(":event-type").unwrap_or_default();
        let payload: Value = if message.payload.iter().all(u8::is_ascii_whitespace) {
            Value::Object(serde_json::Map::new())
        } else {
            serde_json::from_slice(&message.payload)
                .map_err(|e| DecodeError::new(format!("Kiro `{event_type}` payload is not JSON: {e}")))?
        };
        if message_type != "event" || matches!(event_type, "error" | "exception" | "internalServerException") {
            let kind =
                message.header_str(":exception-type").or(message.header_str(":error-code")).unwrap_or(event_type);
            self.fail(kind, &payload, &mut out);
            return Ok(out);
        }
        if !payload.is_object() {
            return Err(DecodeError::new(format!("Kiro `{event_type}` payload is not a JSON object")));
        }
        match event_type {
            "assistantResponseEvent" | "codeEvent" => {
                if let Some(content) = text(&payload, &["content"]).filter(|c| !c.is_empty()) {
                    self.text(content.to_owned(), &mut out);
                }
            }
            "reasoningContentEvent" => {
                if let Some(content) = text(&payload, &["text", "reasoningText", "content"]).filter(|c| !c.is_empty()) {
                    self.thinking(content.to_owned(), &mut out);
                }
            }
            "toolUseEvent" => self.tool_use(&payload, &mut out),
            "messageStopEvent" | "meteringEvent" => self.trailer = true,
            "contextUsageEvent" => {
                self.trailer = true;
                self.context_percent = payload.get("contextUsagePercentage").and_then(Value::as_f64);
            }
            "metricsEvent" | "messageMetadataEvent" | "metadataEvent" | "usageEvent" => {
                self.trailer = true;
                if let Some(usage) = token_counts(&payload) {
                    self.usage = Some(usage);
                }
            }
            _ => {}
        }
        Ok(out)
    }

    /// Ends the message at the end of the body (see the module docs).
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        if self.phase != Phase::Streaming || !self.trailer || self.next_block == 0 {
            return out;
        }
        self.close(&mut out);
        let finish = if self.called_tools { FinishReason::ToolCalls } else { FinishReason::Stop };
        out.push(StreamEvent::MessageDelta { finish: Some(finish), usage: self.final_usage(), stop_sequence: None });
        out.push(StreamEvent::MessageStop);
        self.phase = Phase::Done;
        out
    }

    /// Whether the stream ended with `MessageStop` or `Error`.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        matches!(self.phase, Phase::Done | Phase::Failed)
    }

    fn final_usage(&self) -> Option<Usage> {
        match (self.usage, self.context_percent) {
            (Some(usage), _) => Some(usage),
            (None, Some(percent)) if percent.is_finite() && percent > 0.0 => {
                let estimate = (percent.min(100.0) * CONTEXT_WINDOW_TOKENS / 100.0).round();
                // In 0..=200,000 after the clamp, so the conversion is exact.
                let input_tokens = format!("{estimate:.0}").parse().unwrap_or(0);
                Some(Usage { input_tokens, ..Usage::default() })
            }
            _ => None,
        }
    }

    fn start(&mut self, out: &mut Vec<StreamEvent>) {
        if self.phase == Phase::Waiting {
            out.push(StreamEvent::MessageStart { id: String::new(), model: String::new(), usage: None });
            self.phase = Phase::Streaming;
        }
    }

    fn close(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some(open) = self.open.take() {
            out.push(StreamEvent::BlockStop { index: open.index() });
        }
    }

    fn open_block(&mut self, block: BlockKind, out: &mut Vec<StreamEvent>) -> u32 {
        self.start(out);
        self.close(out);
        let index = self.next_block;
        self.next_block = self.next_block.saturating_add(1);
        out.push(StreamEvent::BlockStart { index, block });
        index
    }

    fn text(&mut self, content: String, out: &mut Vec<StreamEvent>) {
        let index = match self.open {
            Some(Open::Text(index)) => index,
            _ => {
                let index = self.open_block(BlockKind::Text, out);
                self.open = Some(Open::Text(index));
                index
            }
        };
        out.push(StreamEvent::Delta { index, delta: Delta::Text(content) });
    }

    fn thinking(&mut self, content: String, out: &mut Vec<StreamEvent>) {
        let index = match self.open {
            Some(Open::Thinking(index)) => index,
            _ => {
                let index = self.open_block(BlockKind::Thinking { family: None }, out);
                self.open = Some(Open::Thinking(index));
                index
            }
        };
        out.push(StreamEvent::Delta { index, delta: Delta::Thinking(content) });
    }

    fn tool_use(&mut self, payload: &Value, out: &mut Vec<StreamEvent>) {
        let id = text(payload, &["toolUseId"]).filter(|id| !id.is_empty());
        let index = match (&self.open, id) {
            (Some(Open::Tool { index, id: open_id }), Some(id)) if open_id == id => *index,
            (Some(Open::Tool { index, .. }), None) => *index,
            _ => {
                let id = id.map_or_else(|| format!("tooluse_{}", self.next_block), str::to_owned);
                let name = text(payload, &["name"]).filter(|n| !n.is_empty()).unwrap_or(UNNAMED_TOOL).to_owned();
                let index = self.open_block(BlockKind::ToolCall { id: id.clone(), name }, out);
                self.open = Some(Open::Tool { index, id });
                self.called_tools = true;
                index
            }
        };
        let fragment = match payload.get("input") {
            Some(Value::String(fragment)) => fragment.clone(),
            Some(value @ Value::Object(_)) => value.to_string(),
            _ => String::new(),
        };
        if !fragment.is_empty() {
            out.push(StreamEvent::Delta { index, delta: Delta::ToolArguments(fragment) });
        }
        if payload.get("stop").and_then(Value::as_bool) == Some(true) {
            self.close(out);
        }
    }

    fn fail(&mut self, kind: &str, payload: &Value, out: &mut Vec<StreamEvent>) {
        let nested = payload.get("error").unwrap_or(&Value::Null);
        let message = text(payload, &["message", "Message"])
            .or_else(|| text(nested, &["message"]))
            .or_else(|| text(payload, &["reason"]))
            .map_or_else(|| format!("Kiro stream failed ({kind})"), str::to_owned);
        let message = crate::error::truncate_chars(&message, crate::error::MAX_UPSTREAM_MESSAGE_CHARS);
        out.push(StreamEvent::Error { kind: error_kind(kind, &message), message });
        self.open = None;
        self.phase = Phase::Failed;
    }
}
