//! Upstream Anthropic SSE events → IR stream events.
//!
//! Mapping: `message_start` → `MessageStart` (id, model, input and cache usage); `content_block_start` →
//! `BlockStart` with IR indexes renumbered from 0 in order (server-tool and unknown blocks are skipped with
//! their deltas, so they take no IR index); a start block that already carries content (text, thinking,
//! signature, a non-empty tool `input`) also yields the matching delta; `content_block_delta` → `Delta`
//! (`text_delta`, `thinking_delta`, `signature_delta`, non-empty `input_json_delta`; `citations_delta`,
//! unknown deltas and deltas of another kind than the open block, e.g. `signature_delta` in a text block,
//! ignored); `content_block_stop` → `BlockStop`; `message_delta` is remembered (stop reason,
//! stop sequence, cumulative usage: the last value of each field wins); `message_stop` → `MessageDelta`
//! (usage merged with the start's) then `MessageStop`; `ping` and unknown events → nothing; `error` →
//! `Error`, after which everything is ignored. A stream that never reaches `message_stop` stays incomplete
//! ([`StreamDecoder::is_complete`]) and [`StreamDecoder::finish`] adds nothing, so the pipeline reports the cut.

use super::response::{finish_from_wire, merge_usage};
use super::types::{WireDelta, WireEvent, WireStartBlock};
use crate::formats::sse::SseEvent;
use crate::ir::{BlockKind, DecodeError, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

/// Where the stream is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Phase {
    /// No `message_start` yet.
    #[default]
    BeforeStart,
    /// Between `message_start` and `message_stop`.
    Streaming,
    /// `message_stop` seen.
    Complete,
    /// An `error` event seen.
    Failed,
}

/// The block currently open: its Anthropic index, IR index and what it holds.
#[derive(Debug, Clone, Copy)]
struct OpenBlock {
    wire: u64,
    ir: u32,
    kind: OpenKind,
}

/// What an open block holds, which decides the deltas it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Text,
    Thinking,
    RedactedThinking,
    ToolCall,
}

impl OpenKind {
    /// Whether `delta` belongs in a block of this kind (a mismatching delta from an upstream is dropped: the IR
    /// grammar has deltas of the open block's kind only).
    fn fits(self, delta: &Delta) -> bool {
        matches!(
            (self, delta),
            (Self::Text, Delta::Text(_))
                | (Self::Thinking, Delta::Thinking(_) | Delta::Signature(_))
                | (Self::ToolCall, Delta::ToolArguments(_))
        )
    }
}

/// Decoder of one upstream Anthropic stream.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    phase: Phase,
    open: Option<OpenBlock>,
    next_index: u32,
    usage: Usage,
    finish: Option<FinishReason>,
    stop_sequence: Option<String>,
}

/// The IR error kind of an Anthropic stream error `type`.
fn error_kind(kind: &str) -> ErrorKindTag {
    match kind {
        "overloaded_error" => ErrorKindTag::Overloaded,
        "rate_limit_error" => ErrorKindTag::RateLimited,
        "invalid_request_error" => ErrorKindTag::InvalidRequest,
        _ => ErrorKindTag::Server,
    }
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one SSE event.
    ///
    /// # Errors
    /// [`DecodeError`] when the event's data is not JSON of a known shape.
    pub fn feed(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, DecodeError> {
        if matches!(self.phase, Phase::Complete | Phase::Failed) || event.data.trim().is_empty() {
            return Ok(Vec::new());
        }
        let wire: WireEvent = serde_json::from_str(&event.data).map_err(|e| {
            DecodeError::new(format!("Anthropic stream event `{}`: {e}", event.event.as_deref().unwrap_or("(unnamed)")))
        })?;
        let mut out = Vec::new();
        match wire {
            WireEvent::MessageStart { message } => {
                if self.phase == Phase::BeforeStart {
                    self.phase = Phase::Streaming;
                    let usage = message.usage.map(|wire| {
                        merge_usage(&mut self.usage, &wire);
                        self.usage
                    });
                    out.push(StreamEvent::MessageStart { id: message.id, model: message.model, usage });
                }
            }
            WireEvent::ContentBlockStart { index, content_block } => {
                self.ensure_started(&mut out);
                self.start_block(index, content_block, &mut out);
            }
            WireEvent::ContentBlockDelta { index, delta } => {
                self.ensure_started(&mut out);
                if let Some(open) = self.open.filter(|o| o.wire == index) {
                    if let Some(delta) = ir_delta(delta).filter(|d| open.kind.fits(d)) {
                        out.push(StreamEvent::Delta { index: open.ir, delta });
                    }
                }
            }
            WireEvent::ContentBlockStop { index } => {
                if self.open.is_some_and(|o| o.wire == index) {
                    self.close_open(&mut out);
                }
            }
            WireEvent::MessageDelta { delta, usage } => {
                self.ensure_started(&mut out);
                if let Some(reason) = delta.stop_reason {
                    self.finish = Some(finish_from_wire(&reason));
                }
                if delta.stop_sequence.is_some() {
                    self.stop_sequence = delta.stop_sequence;
                }
                if let Some(usage) = usage {
                    merge_usage(&mut self.usage, &usage);
                }
            }
            WireEvent::MessageStop => {
                self.ensure_started(&mut out);
                self.close_open(&mut out);
                let stop_sequence = self.stop_sequence.take().filter(|_| self.finish == Some(FinishReason::Stop));
                out.push(StreamEvent::MessageDelta {
                    finish: self.finish.take(),
                    usage: Some(self.usage),
                    stop_sequence,
                });
                out.push(StreamEvent::MessageStop);
                self.phase = Phase::Complete;
            }
            WireEvent::Error { error } => {
                self.phase = Phase::Failed;
                let message = if error.message.is_empty() {
                    format!("upstream stream error ({})", error.kind)
                } else {
                    error.message
                };
                out.push(StreamEvent::Error { kind: error_kind(&error.kind), message });
            }
            WireEvent::Other => {}
        }
        Ok(out)
    }

    /// Nothing is buffered between events, so there is nothing to flush; an unfinished stream stays
    /// incomplete.
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        Vec::new()
    }

    /// Whether `message_stop` arrived.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.phase == Phase::Complete
    }

    /// Content before `message_start` (not Anthropic behaviour, but seen from look-alikes): start anyway.
    fn ensure_started(&mut self, out: &mut Vec<StreamEvent>) {
        if self.phase == Phase::BeforeStart {
            self.phase = Phase::Streaming;
            out.push(StreamEvent::MessageStart { id: String::new(), model: String::new(), usage: None });
        }
    }

    fn close_open(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some(open) = self.open.take() {
            out.push(StreamEvent::BlockStop { index: open.ir });
        }
    }

    fn start_block(&mut self, wire: u64, block: WireStartBlock, out: &mut Vec<StreamEvent>) {
        // Anthropic never interleaves blocks; if an upstream does, the IR still must not.
        self.close_open(out);
        let family = Some(ReasoningFamily::Anthropic);
        let mut initial = Vec::new();
        let (kind, open_kind) = match block {
            WireStartBlock::Text { text } => {
                initial.push(Delta::Text(text));
                (BlockKind::Text, OpenKind::Text)
            }
            WireStartBlock::Thinking { thinking, signature } => {
                initial.push(Delta::Thinking(thinking));
                initial.push(Delta::Signature(signature));
                (BlockKind::Thinking { family }, OpenKind::Thinking)
            }
            WireStartBlock::RedactedThinking { data } => {
                (BlockKind::RedactedThinking { data, family }, OpenKind::RedactedThinking)
            }
            WireStartBlock::ToolUse { id, name, input } => {
                if let Some(input) = input.filter(|i| i.as_object().is_some_and(|o| !o.is_empty())) {
                    initial.push(Delta::ToolArguments(input.to_string()));
                }
                (BlockKind::ToolCall { id, name }, OpenKind::ToolCall)
            }
            // Server-tool (and unknown) blocks: nothing is open, so their deltas and stop are ignored.
            WireStartBlock::Other => return,
        };
        let ir = self.next_index;
        self.next_index = self.next_index.saturating_add(1);
        self.open = Some(OpenBlock { wire, ir, kind: open_kind });
        out.push(StreamEvent::BlockStart { index: ir, block: kind });
        out.extend(
            initial.into_iter().filter(|d| !delta_is_empty(d)).map(|delta| StreamEvent::Delta { index: ir, delta }),
        );
    }
}

fn delta_is_empty(delta: &Delta) -> bool {
    match delta {
        Delta::Text(s) | Delta::Thinking(s) | Delta::Signature(s) | Delta::ToolArguments(s) => s.is_empty(),
    }
}

/// The IR delta of an Anthropic delta; `None` for ignored ones (empty `partial_json`, citations, unknown).
fn ir_delta(delta: WireDelta) -> Option<Delta> {
    match delta {
        WireDelta::TextDelta { text } => Some(Delta::Text(text)),
        WireDelta::ThinkingDelta { thinking } => Some(Delta::Thinking(thinking)),
        WireDelta::SignatureDelta { signature } => Some(Delta::Signature(signature)),
        WireDelta::InputJsonDelta { partial_json } if !partial_json.is_empty() => {
            Some(Delta::ToolArguments(partial_json))
        }
        WireDelta::InputJsonDelta { .. } | WireDelta::Other => None,
    }
}
