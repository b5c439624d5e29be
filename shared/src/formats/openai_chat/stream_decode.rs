//! Upstream Chat Completions SSE → IR stream events, as an explicit state machine.
//!
//! The IR grammar (`MessageStart (BlockStart Delta* BlockStop)* MessageDelta MessageStop`, or `Error`) is
//! produced from chunks like this:
//! - the first chunk's `id` / `model` give `MessageStart`;
//! - `delta.reasoning_content` (or `delta.reasoning`) extends a Thinking block of unknown family, `delta.content`
//!   (and `delta.refusal`) a Text block; a change of kind closes the open block and opens a new one;
//! - `delta.tool_calls[]` are keyed by their `index`: a call opens its ToolCall block as soon as its name is
//!   known, with any argument fragments received before that as its first delta; later fragments become
//!   `ToolArguments` deltas. A call whose id is not known by then gets the synthesized id `call_<index>` (vendors
//!   that omit ids never send one later, and waiting would hold back every argument until the end); a call whose
//!   name never arrives is dropped (the IR never carries an empty name). Fragments for a call whose block was
//!   already closed (another block started in between) are a protocol error: the IR cannot reopen a block;
//! - `finish_reason` and `usage` (also the trailing `choices: []` usage chunk) are remembered; `[DONE]` closes the
//!   open block and emits `MessageDelta` + `MessageStop`. A `stop` with tool calls is reported as `ToolCalls`;
//! - a chunk with a top-level `error` becomes `Error`, after which everything is ignored.
//!
//! Only the choice with index 0 is read (the router never asks for `n > 1`).

use crate::formats::sse::SseEvent;
use crate::ir::{BlockKind, DecodeError, Delta, FinishReason, StreamEvent, Usage};

use super::common::{finish_from_wire, usage_from_wire};
use super::error::{stream_error_kind, stream_error_message};
use super::types::{ChunkIn, DeltaIn, ToolCallDeltaIn};

/// Where the stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    /// No chunk yet: `MessageStart` not emitted.
    #[default]
    Waiting,
    /// `MessageStart` emitted; blocks may be open.
    Streaming,
    /// `MessageStop` emitted.
    Done,
    /// `Error` emitted.
    Failed,
}

/// What the open block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Text,
    Thinking,
    /// A tool call: position in [`StreamDecoder::tools`].
    Tool(usize),
}

/// The open IR block.
#[derive(Debug, Clone, Copy)]
struct OpenBlock {
    index: u32,
    kind: OpenKind,
}

/// Where a tool call is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ToolState {
    /// Name not known yet: fragments are buffered.
    Buffering,
    /// Its block is open.
    Open,
    /// Its block was closed.
    Closed,
}

/// One tool call of the response, keyed by its wire `index`.
#[derive(Debug)]
struct ToolSlot {
    wire_index: u32,
    id: Option<String>,
    name: Option<String>,
    /// Argument fragments received while [`ToolState::Buffering`].
    pending: String,
    state: ToolState,
}

/// Decodes an upstream's Chat Completions SSE events into IR stream events.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    phase: Phase,
    next_block: u32,
    open: Option<OpenBlock>,
    tools: Vec<ToolSlot>,
    /// A ToolCall block was emitted.
    emitted_tool: bool,
    finish: Option<FinishReason>,
    usage: Option<Usage>,
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one SSE event. Empty events are ignored, as is everything after `[DONE]` or an error.
    ///
    /// # Errors
    /// A [`DecodeError`] when a data event is not a JSON chunk, or a tool call receives arguments after its
    /// block was closed.
    pub fn feed(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, DecodeError> {
        let mut out = Vec::new();
        if matches!(self.phase, Phase::Done | Phase::Failed) {
            return Ok(out);
        }
        let data = event.data.trim();
        if data.is_empty() {
            return Ok(out);
        }
        if data == "[DONE]" {
            if self.phase == Phase::Waiting {
                self.start(String::new(), String::new(), &mut out);
            }
            self.terminate(&mut out);
            return Ok(out);
        }
        let chunk: ChunkIn = serde_json::from_str(data)
            .map_err(|e| DecodeError::new(format!("upstream stream chunk is malformed: {e}")))?;
        if let Some(error) = chunk.error.as_ref().filter(|e| !e.is_null()) {
            out.push(StreamEvent::Error { kind: stream_error_kind(error), message: stream_error_message(error) });
            self.phase = Phase::Failed;
            return Ok(out);
        }
        if self.phase == Phase::Waiting {
            self.start(chunk.id.clone().unwrap_or_default(), chunk.model.clone().unwrap_or_default(), &mut out);
        }
        if let Some(usage) = &chunk.usage {
            self.usage = Some(usage_from_wire(usage));
        }
        let choices = chunk.choices.unwrap_or_default();
        let Some(choice) = choices.iter().find(|c| c.index.unwrap_or(0) == 0) else {
            return Ok(out);
        };
        if let Some(delta) = &choice.delta {
            self.delta(delta, &mut out)?;
        }
        if let Some(reason) = &choice.finish_reason {
            self.finish = Some(finish_from_wire(reason));
        }
        Ok(out)
    }

    /// Called when the upstream stream ends. Without `[DONE]` but after a `finish_reason`, the closing events
    /// are emitted anyway (lenient); without a finish reason nothing is, and [`Self::is_complete`] stays false.
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        if self.phase == Phase::Streaming && self.finish.is_some() {
            self.terminate(&mut out);
        }
        out
    }

    /// Whether a terminal event (`MessageStop` or `Error`) has been emitted.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        matches!(self.phase, Phase::Done | Phase::Failed)
    }

    fn start(&mut self, id: String, model: String, out: &mut Vec<StreamEvent>) {
        out.push(StreamEvent::MessageStart { id, model, usage: None });
        self.phase = Phase::Streaming;
    }

    fn delta(&mut self, delta: &DeltaIn, out: &mut Vec<StreamEvent>) -> Result<(), DecodeError> {
        let reasoning = delta.reasoning_content.as_deref().or(delta.reasoning.as_deref());
        if let Some(text) = reasoning.filter(|t| !t.is_empty()) {
            self.extend(OpenKind::Thinking, Delta::Thinking(text.to_owned()), out);
        }
        for text in [&delta.content, &delta.refusal].into_iter().flatten() {
            if !text.is_empty() {
                self.extend(OpenKind::Text, Delta::Text(text.clone()), out);
            }
        }
        for call in delta.tool_calls.iter().flatten() {
            self.tool_fragment(call, out)?;
        }
        Ok(())
    }

    /// Appends text or thinking, opening a block of that kind unless one is open.
    fn extend(&mut self, kind: OpenKind, delta: Delta, out: &mut Vec<StreamEvent>) {
        let index = match self.open {
            Some(open) if open.kind == kind => open.index,
            _ => {
                let block = match kind {
                    OpenKind::Thinking => BlockKind::Thinking { family: None },
                    _ => BlockKind::Text,
                };
                self.start_block(kind, block, out)
            }
        };
        out.push(StreamEvent::Delta { index, delta });
    }

    /// Closes the open block and opens a new one; returns its index.
    fn start_block(&mut self, kind: OpenKind, block: BlockKind, out: &mut Vec<StreamEvent>) -> u32 {
        self.close_open(out);
        let index = self.next_block;
        self.next_block += 1;
        out.push(StreamEvent::BlockStart { index, block });
        self.open = Some(OpenBlock { index, kind });
        index
    }

    fn close_open(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some(open) = self.open.take() {
            out.push(StreamEvent::BlockStop { index: open.index });
            if let OpenKind::Tool(pos) = open.kind {
                if let Some(slot) = self.tools.get_mut(pos) {
                    slot.state = ToolState::Closed;
                }
            }
        }
    }

    fn tool_fragment(&mut self, call: &ToolCallDeltaIn, out: &mut Vec<StreamEvent>) -> Result<(), DecodeError> {
        let id = call.id.as_deref().filter(|s| !s.is_empty());
        let function = call.function.as_ref();
        let name = function.and_then(|f| f.name.as_deref()).filter(|s| !s.is_empty());
        let arguments = function.and_then(|f| f.arguments.as_deref()).unwrap_or_default();
        let pos = self.slot_for(call.index, id);
        let Some(slot) = self.tools.get_mut(pos) else {
            return Ok(());
        };
        if slot.id.is_none() {
            slot.id = id.map(str::to_owned);
        }
        if slot.name.is_none() {
            slot.name = name.map(str::to_owned);
        }
        match slot.state {
            ToolState::Buffering => {
                slot.pending.push_str(arguments);
                if slot.name.is_some() {
                    self.open_tool(pos, out);
                }
            }
            ToolState::Open => {
                if let (Some(open), false) = (self.open, arguments.is_empty()) {
                    out.push(StreamEvent::Delta {
                        index: open.index,
                        delta: Delta::ToolArguments(arguments.to_owned()),
                    });
                }
            }
            ToolState::Closed => {
                if !arguments.is_empty() {
                    return Err(DecodeError::new(format!(
                        "upstream stream sent arguments for tool call {} after another block started",
                        slot.wire_index
                    )));
                }
            }
        }
        Ok(())
    }

    /// The slot of a fragment. Without an `index` (some vendors), a new id starts a new call and anything else
    /// continues the latest one.
    fn slot_for(&mut self, index: Option<u32>, id: Option<&str>) -> usize {
        let wire_index = match index {
            Some(i) => i,
            None => match (self.tools.last(), id) {
                (Some(last), Some(id)) if last.id.as_deref() != Some(id) => last.wire_index + 1,
                (Some(last), _) => last.wire_index,
                (None, _) => 0,
            },
        };
        if let Some(pos) = self.tools.iter().position(|t| t.wire_index == wire_index) {
            return pos;
        }
        self.tools.push(ToolSlot {
            wire_index,
            id: None,
            name: None,
            pending: String::new(),
            state: ToolState::Buffering,
        });
        self.tools.len() - 1
    }

    /// Opens the block of the tool call at `pos`, emitting its buffered arguments.
    fn open_tool(&mut self, pos: usize, out: &mut Vec<StreamEvent>) {
        let Some(slot) = self.tools.get_mut(pos) else {
            return;
        };
        let Some(name) = slot.name.clone() else {
            return;
        };
        let id = slot.id.clone().unwrap_or_else(|| format!("call_{}", slot.wire_index));
        let pending = std::mem::take(&mut slot.pending);
        slot.state = ToolState::Open;
        self.emitted_tool = true;
        let index = self.start_block(OpenKind::Tool(pos), BlockKind::ToolCall { id, name }, out);
        if !pending.is_empty() {
            out.push(StreamEvent::Delta { index, delta: Delta::ToolArguments(pending) });
        }
    }

    /// Emits the closing events: `BlockStop`, `MessageDelta`, `MessageStop` (still-nameless tool calls are
    /// dropped).
    fn terminate(&mut self, out: &mut Vec<StreamEvent>) {
        self.close_open(out);
        let finish = match self.finish.take() {
            Some(FinishReason::Stop) if self.emitted_tool => Some(FinishReason::ToolCalls),
            other => other,
        };
        out.push(StreamEvent::MessageDelta { finish, usage: self.usage, stop_sequence: None });
        out.push(StreamEvent::MessageStop);
        self.phase = Phase::Done;
    }
}
