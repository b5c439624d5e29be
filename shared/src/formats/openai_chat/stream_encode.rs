//! IR stream events → a client's Chat Completions SSE bytes (`data: {chunk}\n\n` … `data: [DONE]\n\n`).
//!
//! Chunk sequence: a first chunk with `delta: {role: "assistant", content: ""}`; text as `delta.content`,
//! thinking as `delta.reasoning_content` (the DeepSeek extension most Chat clients read); each tool call as a
//! `tool_calls` delta carrying its 0-based position among this response's tool calls (not the IR block index),
//! id, type and name with empty arguments, then argument fragments under the same index; on `MessageDelta` a
//! chunk with an empty delta and the `finish_reason`, then (when the client asked for usage and it is known) a
//! `choices: []` usage chunk; `[DONE]` on `MessageStop`. An `Error` becomes `data: {"error":{…}}` and ends the
//! stream. Signatures and redacted thinking are not sent (Chat has no carrier for them).
//!
//! A second text (or thinking) block is separated from the previous one by a blank line, as the non-streamed
//! encoder joins them, so both forms read the same.

use crate::error::{ApiError, ErrorKind};
use crate::ir::{BlockKind, Delta, StreamEvent, Usage};

use super::common::{finish_to_wire, usage_to_wire, BLOCK_SEPARATOR};
use super::types::{ChunkChoiceOut, ChunkOut, DeltaOut, FunctionDeltaOut, ToolCallDeltaOut};

/// What the open IR block maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    /// `delta.content`.
    Text,
    /// `delta.reasoning_content`.
    Reasoning,
    /// `delta.tool_calls[]` with this wire index.
    Tool(u32),
    /// Nothing (redacted thinking).
    Silent,
}

/// Where the client stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The role chunk has not been sent.
    Fresh,
    /// Chunks are flowing.
    Open,
    /// `[DONE]` or an error was sent: nothing more is written.
    Closed,
}

/// Encodes IR stream events as a client's Chat Completions SSE stream.
#[derive(Debug)]
pub struct StreamEncoder {
    created: u64,
    include_usage: bool,
    id: String,
    model: String,
    phase: Phase,
    /// The open block: its IR index and carrier.
    open: Option<(u32, Carrier)>,
    /// Tool calls started so far (the next tool call's wire index).
    tool_calls: u32,
    /// Some text / reasoning was already sent (a new block of that kind starts with a separator).
    sent_text: bool,
    sent_reasoning: bool,
    /// The open block is not the first of its kind and has not sent its separator yet.
    separator_due: bool,
}

impl StreamEncoder {
    /// An encoder whose chunks say `created: created_unix_secs`; `include_usage` is the client's
    /// `stream_options.include_usage`.
    #[must_use]
    pub fn new(created_unix_secs: u64, include_usage: bool) -> Self {
        Self {
            created: created_unix_secs,
            include_usage,
            id: String::new(),
            model: String::new(),
            phase: Phase::Fresh,
            open: None,
            tool_calls: 0,
            sent_text: false,
            sent_reasoning: false,
            separator_due: false,
        }
    }

    /// Appends the SSE bytes for `event` to `out`.
    pub fn feed(&mut self, event: &StreamEvent, out: &mut Vec<u8>) {
        if self.phase == Phase::Closed {
            return;
        }
        match event {
            StreamEvent::MessageStart { id, model, .. } => {
                if self.phase == Phase::Fresh {
                    self.id.clone_from(id);
                    self.model.clone_from(model);
                }
                self.ensure_started(out);
            }
            StreamEvent::BlockStart { index, block } => {
                self.ensure_started(out);
                self.block_start(*index, block, out);
            }
            StreamEvent::Delta { index, delta } => {
                self.ensure_started(out);
                self.delta(*index, delta, out);
            }
            StreamEvent::BlockStop { index } => {
                if self.open.is_some_and(|(open, _)| open == *index) {
                    self.open = None;
                }
            }
            StreamEvent::MessageDelta { finish, usage, .. } => {
                self.ensure_started(out);
                let finish_reason = finish_to_wire(finish.as_ref());
                self.chunk(DeltaOut::default(), Some(finish_reason), out);
                if let (true, Some(usage)) = (self.include_usage, usage) {
                    self.usage_chunk(usage, out);
                }
            }
            StreamEvent::MessageStop => {
                self.ensure_started(out);
                out.extend_from_slice(b"data: [DONE]\n\n");
                self.phase = Phase::Closed;
            }
            StreamEvent::Error { kind, message } => {
                let body = ApiError::new(ErrorKind::from(*kind), message.clone()).body();
                write_data(&body, out);
                self.phase = Phase::Closed;
            }
        }
    }

    /// Sends the role chunk once, before anything else.
    fn ensure_started(&mut self, out: &mut Vec<u8>) {
        if self.phase == Phase::Fresh {
            self.phase = Phase::Open;
            let delta = DeltaOut { role: Some("assistant"), content: Some(""), ..DeltaOut::default() };
            self.chunk(delta, None, out);
        }
    }

    fn block_start(&mut self, index: u32, block: &BlockKind, out: &mut Vec<u8>) {
        let carrier = match block {
            BlockKind::Text => {
                self.separator_due = self.sent_text;
                Carrier::Text
            }
            BlockKind::Thinking { .. } => {
                self.separator_due = self.sent_reasoning;
                Carrier::Reasoning
            }
            BlockKind::RedactedThinking { .. } => Carrier::Silent,
            BlockKind::ToolCall { id, name } => {
                let wire_index = self.tool_calls;
                self.tool_calls += 1;
                let call = ToolCallDeltaOut {
                    index: wire_index,
                    id: Some(id),
                    kind: Some("function"),
                    function: FunctionDeltaOut { name: Some(name), arguments: "" },
                };
                self.tool_chunk(call, out);
                Carrier::Tool(wire_index)
            }
        };
        self.open = Some((index, carrier));
    }

    fn delta(&mut self, index: u32, delta: &Delta, out: &mut Vec<u8>) {
        let Some((open, carrier)) = self.open else {
            return;
        };
        if open != index {
            return;
        }
        match (carrier, delta) {
            (Carrier::Text, Delta::Text(text)) if !text.is_empty() => {
                let text = self.separated(text);
                self.sent_text = true;
                let delta = DeltaOut { content: Some(&text), ..DeltaOut::default() };
                self.chunk(delta, None, out);
            }
            (Carrier::Reasoning, Delta::Thinking(text)) if !text.is_empty() => {
                let text = self.separated(text);
                self.sent_reasoning = true;
                let delta = DeltaOut { reasoning_content: Some(&text), ..DeltaOut::default() };
                self.chunk(delta, None, out);
            }
            (Carrier::Tool(wire_index), Delta::ToolArguments(fragment)) if !fragment.is_empty() => {
                let call = ToolCallDeltaOut {
                    index: wire_index,
                    id: None,
                    kind: None,
                    function: FunctionDeltaOut { name: None, arguments: fragment },
                };
                self.tool_chunk(call, out);
            }
            // Signatures, redacted blocks, empty fragments and deltas of another kind carry nothing here.
            _ => {}
        }
    }

    /// `text`, preceded by the block separator when it is the first text of a later block.
    fn separated(&mut self, text: &str) -> String {
        if std::mem::take(&mut self.separator_due) {
            format!("{BLOCK_SEPARATOR}{text}")
        } else {
            text.to_owned()
        }
    }

    fn tool_chunk(&self, call: ToolCallDeltaOut<'_>, out: &mut Vec<u8>) {
        let delta = DeltaOut { tool_calls: vec![call], ..DeltaOut::default() };
        self.chunk(delta, None, out);
    }

    fn chunk(&self, delta: DeltaOut<'_>, finish_reason: Option<&'static str>, out: &mut Vec<u8>) {
        let chunk = ChunkOut {
            id: &self.id,
            object: "chat.completion.chunk",
            created: self.created,
            model: &self.model,
            choices: vec![ChunkChoiceOut { index: 0, delta, logprobs: None, finish_reason }],
            usage: None,
        };
        write_data(&chunk, out);
    }

    fn usage_chunk(&self, usage: &Usage, out: &mut Vec<u8>) {
        let chunk = ChunkOut {
            id: &self.id,
            object: "chat.completion.chunk",
            created: self.created,
            model: &self.model,
            choices: Vec::new(),
            usage: Some(usage_to_wire(usage)),
        };
        write_data(&chunk, out);
    }
}

/// Appends `data: <json>\n\n`.
fn write_data(value: &impl serde::Serialize, out: &mut Vec<u8>) {
    out.extend_from_slice(b"data: ");
    // Serialising these plain structs cannot fail; on the impossible error the frame is just empty JSON.
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.extend_from_slice(b"{}");
    }
    out.extend_from_slice(b"\n\n");
}
