//! IR stream events → Anthropic SSE bytes for a client, always in Anthropic's grammar whatever the IR
//! events look like:
//!
//! `message_start` (exactly once, first) → (`content_block_start` → `content_block_delta`* →
//! `content_block_stop`)* → `message_delta` → `message_stop`, or an `error` event after which nothing is written.
//!
//! Repairs: any event before `MessageStart` synthesises `message_start` (id `msg_unknown`); a repeated
//! `MessageStart` is ignored; a `BlockStart` while a block is open closes it first; a text or thinking delta
//! with no matching open block opens one (other orphan deltas are dropped); `MessageDelta` is held and written
//! just before `message_stop` (merged if several arrive), so it always follows the last block; `MessageStop`
//! closes an open block and, without a `MessageDelta`, writes one with `end_turn` (`tool_use` if a tool call was
//! streamed). Anthropic indexes count the blocks actually written.
//!
//! Reasoning of another family: thinking text is streamed in a thinking block but its signature deltas are
//! dropped (a client echoes the block back unsigned, and unsigned blocks are never forwarded to Anthropic); its
//! block opens only with its first text, so a signature-only block (Gemini's) writes nothing;
//! redacted thinking of another family is not streamed at all (its opaque data means nothing to Anthropic).

use serde::Serialize;
use serde_json::{Map, Value};

use super::response::finish_to_wire;
use super::{message_id, sanitize_tool_id, tool_name};
use crate::error::{ApiError, ClientFormat, ErrorKind};
use crate::ir::{BlockKind, Delta, FinishReason, ReasoningFamily, StreamEvent, Usage};

/// Where the client's stream is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Phase {
    /// Nothing written yet.
    #[default]
    BeforeStart,
    /// `message_start` written.
    Streaming,
    /// `message_stop` or `error` written: nothing more.
    Done,
}

/// What the open block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Text,
    /// Thinking; `signed` when its signature may be forwarded (Anthropic family).
    Thinking {
        signed: bool,
    },
    Redacted,
    /// Foreign-family thinking not written yet: it opens on its first non-empty text.
    PendingThinking,
    Tool,
    /// Not written to the client (foreign redacted thinking): its deltas and stop are swallowed.
    Suppressed,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    /// IR index.
    ir: u32,
    /// Anthropic index (meaningless when suppressed).
    wire: u32,
    kind: OpenKind,
}

/// The held `message_delta`.
#[derive(Debug, Default)]
struct Pending {
    finish: Option<FinishReason>,
    usage: Option<Usage>,
    stop_sequence: Option<String>,
}

/// Encoder of one client Anthropic stream.
#[derive(Debug, Default)]
pub struct StreamEncoder {
    phase: Phase,
    open: Option<Open>,
    next_index: u32,
    start_usage: Option<Usage>,
    pending: Option<Pending>,
    tool_used: bool,
}

#[derive(Serialize)]
struct StartUsage {
    input_tokens: u64,
    cache_creation_input_tokens: u64,
    cache_read_input_tokens: u64,
    output_tokens: u64,
}

#[derive(Serialize)]
struct StartMessage<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    role: &'static str,
    model: &'a str,
    content: [(); 0],
    stop_reason: Option<()>,
    stop_sequence: Option<()>,
    usage: StartUsage,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum StartBlock<'a> {
    Text { text: &'static str },
    Thinking { thinking: &'static str, signature: &'static str },
    RedactedThinking { data: &'a str },
    ToolUse { id: String, name: &'a str, input: Map<String, Value> },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum DeltaOut<'a> {
    #[serde(rename = "text_delta")]
    Text { text: &'a str },
    #[serde(rename = "thinking_delta")]
    Thinking { thinking: &'a str },
    #[serde(rename = "signature_delta")]
    Signature { signature: &'a str },
    #[serde(rename = "input_json_delta")]
    InputJson { partial_json: &'a str },
}

#[derive(Serialize)]
struct MessageDeltaBody<'a> {
    stop_reason: &'static str,
    stop_sequence: Option<&'a str>,
}

#[derive(Serialize)]
struct DeltaUsage {
    #[serde(skip_serializing_if = "Option::is_none")]
    input_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_creation_input_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_read_input_tokens: Option<u64>,
    output_tokens: u64,
}

/// One Anthropic event; its `type` is also the SSE `event:` name.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Frame<'a> {
    MessageStart { message: StartMessage<'a> },
    ContentBlockStart { index: u32, content_block: StartBlock<'a> },
    ContentBlockDelta { index: u32, delta: DeltaOut<'a> },
    ContentBlockStop { index: u32 },
    MessageDelta { delta: MessageDeltaBody<'a>, usage: DeltaUsage },
    MessageStop,
}

impl Frame<'_> {
    fn name(&self) -> &'static str {
        match self {
            Self::MessageStart { .. } => "message_start",
            Self::ContentBlockStart { .. } => "content_block_start",
            Self::ContentBlockDelta { .. } => "content_block_delta",
            Self::ContentBlockStop { .. } => "content_block_stop",
            Self::MessageDelta { .. } => "message_delta",
            Self::MessageStop => "message_stop",
        }
    }
}

fn write_sse(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    out.extend_from_slice(b"event: ");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\ndata: ");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\n\n");
}

fn write(out: &mut Vec<u8>, frame: &Frame<'_>) {
    // Serialising these types cannot fail (string keys, no fallible Serialize impls).
    if let Ok(data) = serde_json::to_vec(frame) {
        write_sse(out, frame.name(), &data);
    }
}

/// The value a final usage field reports: the final count when known and non-zero, else the start's.
fn pick(last: Option<u64>, start: Option<u64>) -> Option<u64> {
    match (last, start) {
        (Some(l), _) if l > 0 => Some(l),
        (_, Some(s)) => Some(s),
        (l, None) => l,
    }
}

impl StreamEncoder {
    /// An encoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the client bytes for `event` to `out`.
    pub fn feed(&mut self, event: &StreamEvent, out: &mut Vec<u8>) {
        if self.phase == Phase::Done {
            return;
        }
        match event {
            StreamEvent::MessageStart { id, model, usage } => {
                if self.phase == Phase::BeforeStart {
                    self.start(id, model, *usage, out);
                }
            }
            StreamEvent::BlockStart { index, block } => {
                self.ensure_started(out);
                self.close_open(out);
                self.open_block(*index, block, out);
            }
            StreamEvent::Delta { index, delta } => {
                self.ensure_started(out);
                self.delta(*index, delta, out);
            }
            StreamEvent::BlockStop { index } => {
                if self.open.is_some_and(|o| o.ir == *index) {
                    self.close_open(out);
                }
            }
            StreamEvent::MessageDelta { finish, usage, stop_sequence } => {
                self.ensure_started(out);
                let pending = self.pending.get_or_insert_with(Pending::default);
                if finish.is_some() {
                    pending.finish.clone_from(finish);
                }
                if usage.is_some() {
                    pending.usage = *usage;
                }
                if stop_sequence.is_some() {
                    pending.stop_sequence.clone_from(stop_sequence);
                }
            }
            StreamEvent::MessageStop => {
                self.ensure_started(out);
                self.close_open(out);
                self.message_delta(out);
                write(out, &Frame::MessageStop);
                self.phase = Phase::Done;
            }
            StreamEvent::Error { kind, message } => {
                let body =
                    ApiError::new(ErrorKind::from(*kind), message.clone()).in_format(ClientFormat::Anthropic).body();
                write_sse(out, "error", body.to_string().as_bytes());
                self.phase = Phase::Done;
            }
        }
    }

    fn start(&mut self, id: &str, model: &str, usage: Option<Usage>, out: &mut Vec<u8>) {
        self.phase = Phase::Streaming;
        self.start_usage = usage;
        let u = usage.unwrap_or_default();
        let message = StartMessage {
            id: message_id(id),
            kind: "message",
            role: "assistant",
            model,
            content: [],
            stop_reason: None,
            stop_sequence: None,
            usage: StartUsage {
                input_tokens: u.input_tokens,
                cache_creation_input_tokens: u.cache_write_tokens,
                cache_read_input_tokens: u.cache_read_tokens,
                // The start reports a placeholder; the real count arrives in message_delta.
                output_tokens: u.output_tokens.min(1),
            },
        };
        write(out, &Frame::MessageStart { message });
    }

    fn ensure_started(&mut self, out: &mut Vec<u8>) {
        if self.phase == Phase::BeforeStart {
            self.start("", "", None, out);
        }
    }

    fn close_open(&mut self, out: &mut Vec<u8>) {
        if let Some(open) = self.open.take() {
            if !matches!(open.kind, OpenKind::Suppressed | OpenKind::PendingThinking) {
                write(out, &Frame::ContentBlockStop { index: open.wire });
            }
        }
    }

    fn open_block(&mut self, ir: u32, block: &BlockKind, out: &mut Vec<u8>) {
        let anthropic = |family: &Option<ReasoningFamily>| *family == Some(ReasoningFamily::Anthropic);
        let (kind, content_block) = match block {
            BlockKind::Text => (OpenKind::Text, StartBlock::Text { text: "" }),
            BlockKind::Thinking { family } if anthropic(family) => {
                (OpenKind::Thinking { signed: true }, StartBlock::Thinking { thinking: "", signature: "" })
            }
            BlockKind::Thinking { .. } => {
                self.open = Some(Open { ir, wire: 0, kind: OpenKind::PendingThinking });
                return;
            }
            BlockKind::RedactedThinking { data, family } if anthropic(family) => {
                (OpenKind::Redacted, StartBlock::RedactedThinking { data })
            }
            BlockKind::RedactedThinking { .. } => {
                self.open = Some(Open { ir, wire: 0, kind: OpenKind::Suppressed });
                return;
            }
            BlockKind::ToolCall { id, name } => {
                self.tool_used = true;
                (
                    OpenKind::Tool,
                    StartBlock::ToolUse { id: sanitize_tool_id(id), name: tool_name(name), input: Map::new() },
                )
            }
        };
        let wire = self.next_index;
        self.next_index = self.next_index.saturating_add(1);
        self.open = Some(Open { ir, wire, kind });
        write(out, &Frame::ContentBlockStart { index: wire, content_block });
    }

    fn delta(&mut self, ir: u32, delta: &Delta, out: &mut Vec<u8>) {
        let open = self.open.filter(|o| o.ir == ir);
        let kind = open.map(|o| o.kind);
        let frame_delta = match (kind, delta) {
            (Some(OpenKind::Suppressed | OpenKind::Redacted), _) => return,
            (Some(OpenKind::PendingThinking), Delta::Thinking(text)) if !text.is_empty() => {
                return self.write_pending_thinking(ir, delta, out);
            }
            (Some(OpenKind::PendingThinking), Delta::Thinking(_) | Delta::Signature(_)) => return,
            (Some(OpenKind::Text), Delta::Text(text)) => DeltaOut::Text { text },
            (Some(OpenKind::Thinking { .. }), Delta::Thinking(thinking)) => DeltaOut::Thinking { thinking },
            (Some(OpenKind::Thinking { signed: true }), Delta::Signature(signature)) => {
                DeltaOut::Signature { signature }
            }
            (Some(OpenKind::Tool), Delta::ToolArguments(partial_json)) => DeltaOut::InputJson { partial_json },
            // A text or thinking delta without its block: open one and stream into it.
            (_, Delta::Text(_)) => return self.reopen(ir, &BlockKind::Text, delta, out),
            (_, Delta::Thinking(_)) => {
                let block = BlockKind::Thinking { family: None };
                return self.reopen(ir, &block, delta, out);
            }
            // Foreign signatures, and arguments without their tool call, cannot be written.
            (_, Delta::Signature(_) | Delta::ToolArguments(_)) => return,
        };
        let is_empty = match &frame_delta {
            DeltaOut::Text { text: s }
            | DeltaOut::Thinking { thinking: s }
            | DeltaOut::Signature { signature: s }
            | DeltaOut::InputJson { partial_json: s } => s.is_empty(),
        };
        if let (Some(open), false) = (open, is_empty) {
            write(out, &Frame::ContentBlockDelta { index: open.wire, delta: frame_delta });
        }
    }

    /// Writes the start of a foreign thinking block held back until its first text, then that text.
    fn write_pending_thinking(&mut self, ir: u32, delta: &Delta, out: &mut Vec<u8>) {
        let wire = self.next_index;
        self.next_index = self.next_index.saturating_add(1);
        self.open = Some(Open { ir, wire, kind: OpenKind::Thinking { signed: false } });
        let content_block = StartBlock::Thinking { thinking: "", signature: "" };
        write(out, &Frame::ContentBlockStart { index: wire, content_block });
        self.delta(ir, delta, out);
    }

    fn reopen(&mut self, ir: u32, block: &BlockKind, delta: &Delta, out: &mut Vec<u8>) {
        self.close_open(out);
        self.open_block(ir, block, out);
        self.delta(ir, delta, out);
    }

    fn message_delta(&mut self, out: &mut Vec<u8>) {
        let pending = self.pending.take().unwrap_or_default();
        let stop_reason = finish_to_wire(pending.finish.as_ref(), pending.stop_sequence.is_some(), self.tool_used);
        let last = pending.usage;
        let start = self.start_usage;
        let field = |f: fn(&Usage) -> u64| pick(last.as_ref().map(f), start.as_ref().map(f));
        let frame = Frame::MessageDelta {
            delta: MessageDeltaBody {
                stop_reason,
                stop_sequence: pending.stop_sequence.as_deref().filter(|_| stop_reason == "stop_sequence"),
            },
            usage: DeltaUsage {
                input_tokens: field(|u| u.input_tokens),
                cache_creation_input_tokens: field(|u| u.cache_write_tokens),
                cache_read_input_tokens: field(|u| u.cache_read_tokens),
                output_tokens: last.map_or(0, |u| u.output_tokens),
            },
        };
        write(out, &frame);
    }
}
