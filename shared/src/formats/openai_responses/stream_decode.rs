//! Upstream Responses SSE → IR stream events, as an explicit state machine.
//!
//! Events are told apart by the `type` in their JSON (the SSE `event:` name when it is missing):
//! - `response.created` (or `in_progress` / `queued` when it is the first) → `MessageStart` (id, model);
//! - `response.output_item.added`: a `function_call` opens a ToolCall block (id = `call_id`), a `reasoning` item
//!   an OpenAI-family Thinking block; a `message` opens nothing yet (its Text block opens on the first text, so
//!   an empty message gives no block); any new item closes the open block (items never interleave);
//! - `response.output_text.delta` (and `response.refusal.delta`) → Text deltas, opening a Text block when the
//!   open block is not this item's; `response.reasoning_summary_text.delta` / `response.reasoning_text.delta` →
//!   Thinking deltas (a new summary part is separated by a blank line, as the non-streamed decoder joins
//!   summaries); `response.function_call_arguments.delta` → ToolArguments of the open call (fragments for a
//!   call that is not open are dropped: the IR cannot reopen a block);
//! - `response.output_item.done` closes the item's block. A reasoning item's `encrypted_content` arrives only
//!   here and becomes a Signature delta. When nothing was streamed for the item (upstreams that send only
//!   whole items), its text / summary / arguments from the done item are emitted first;
//! - `response.completed` / `response.incomplete` → `MessageDelta` (finish derived from status, incomplete
//!   reason and function calls; usage converted, cache reads split out) + `MessageStop`. If no block was
//!   streamed at all, the final response's `output` items are emitted as blocks first;
//! - `response.failed` and `error` → `Error` (kind from `code` / `type`), after which everything is ignored;
//! - anything else (`response.content_part.*`, `*.done` duplicates, annotations, hosted-tool progress,
//!   `codex.rate_limits`, …) is ignored, as are the deltas of items the IR cannot carry (`web_search_call`, …);
//! - a `custom_tool_call` (freeform) item is read whole from its `output_item.done` into a ToolCall block with
//!   the freeform arguments of `custom_tools.rs` (its `custom_tool_call_input.delta`s are plain text, not JSON).
//!
//! A stream that ends without a terminal event stays incomplete ([`StreamDecoder::is_complete`]) and
//! [`StreamDecoder::finish`] adds nothing, so the pipeline reports the cut (Codex itself treats a missing
//! `response.completed` as an error).

use serde_json::Value;

use crate::formats::sse::SseEvent;
use crate::ir::{BlockKind, ContentPart, DecodeError, Delta, ReasoningFamily, StreamEvent};

use super::common::{
    custom_tool_call, encrypted_content, finish_from_wire, function_call, message_texts, output_item_parts,
    reasoning_text, usage_from_wire, BLOCK_SEPARATOR,
};
use super::error::{stream_error_kind, stream_error_message};

/// Where the stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Phase {
    /// `MessageStart` not emitted.
    #[default]
    Waiting,
    /// `MessageStart` emitted; a block may be open.
    Streaming,
    /// `MessageStop` emitted.
    Done,
    /// `Error` emitted.
    Failed,
}

/// What the open block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Thinking,
    Tool,
}

/// Which wire item an event is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ItemRef {
    output_index: Option<u64>,
    item_id: Option<String>,
}

impl ItemRef {
    /// The item of a delta / part event (`output_index`, `item_id`).
    fn of_event(event: &Value) -> Self {
        Self {
            output_index: event.get("output_index").and_then(Value::as_u64),
            item_id: event.get("item_id").and_then(Value::as_str).map(str::to_owned),
        }
    }

    /// The item of an `output_item.*` event (`output_index`, `item.id`).
    fn of_item(event: &Value, item: &Value) -> Self {
        Self {
            output_index: event.get("output_index").and_then(Value::as_u64),
            item_id: item.get("id").and_then(Value::as_str).map(str::to_owned),
        }
    }

    /// Whether both name the same item (what one side does not say is not held against it).
    fn same(&self, other: &Self) -> bool {
        match (self.output_index, other.output_index, &self.item_id, &other.item_id) {
            (Some(a), Some(b), _, _) => a == b,
            (_, _, Some(a), Some(b)) => a == b,
            _ => true,
        }
    }
}

/// The open IR block.
#[derive(Debug, Clone)]
struct Open {
    index: u32,
    kind: Kind,
    item: ItemRef,
    /// Content was emitted into it (so a done item's full content is not emitted again).
    streamed: bool,
    /// Thinking: the summary (or content) index of the last delta.
    part: Option<i64>,
}

/// Decodes an upstream's Responses SSE events into IR stream events.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    phase: Phase,
    next_block: u32,
    open: Option<Open>,
    called_tools: bool,
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one SSE event. Empty events (and a stray `[DONE]`) are ignored, as is everything after a terminal
    /// event.
    ///
    /// # Errors
    /// A [`DecodeError`] when the event's data is not a JSON object.
    pub fn feed(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, DecodeError> {
        let mut out = Vec::new();
        let data = event.data.trim();
        if matches!(self.phase, Phase::Done | Phase::Failed) || data.is_empty() || data == "[DONE]" {
            return Ok(out);
        }
        let value: Value = serde_json::from_str(data)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| DecodeError::new(format!("upstream Responses event is not a JSON object: {data:.80}")))?;
        let kind = value.get("type").and_then(Value::as_str).or(event.event.as_deref()).unwrap_or_default();
        match kind {
            "response.created" | "response.in_progress" | "response.queued" => {
                self.start(value.get("response"), &mut out)
            }
            "response.output_item.added" => {
                self.start(None, &mut out);
                if let Some(item) = value.get("item") {
                    self.item_added(&value, item, &mut out);
                }
            }
            "response.output_text.delta" | "response.refusal.delta" => {
                self.start(None, &mut out);
                self.text_delta(&value, &mut out);
            }
            "response.reasoning_summary_text.delta" | "response.reasoning_text.delta" => {
                self.start(None, &mut out);
                self.thinking_delta(&value, &mut out);
            }
            "response.function_call_arguments.delta" => self.arguments_delta(&value, &mut out),
            "response.output_item.done" => {
                self.start(None, &mut out);
                if let Some(item) = value.get("item") {
                    self.item_done(&value, item, &mut out);
                }
            }
            "response.completed" | "response.incomplete" => {
                self.start(value.get("response"), &mut out);
                self.terminate(kind, value.get("response"), &mut out);
            }
            "response.failed" => {
                let error = value.get("response").and_then(|r| r.get("error")).filter(|e| e.is_object());
                self.fail(error.unwrap_or(&Value::Null), &mut out);
            }
            "error" => {
                // `{type:"error", code, message}`; some upstreams nest it as `{error:{…}}`.
                let error = value.get("error").filter(|e| e.is_object()).unwrap_or(&value);
                self.fail(error, &mut out);
            }
            _ => {}
        }
        Ok(out)
    }

    /// Nothing is buffered between events, so there is nothing to flush; an unfinished stream stays incomplete.
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        Vec::new()
    }

    /// Whether a terminal event (`MessageStop` or `Error`) has been emitted.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        matches!(self.phase, Phase::Done | Phase::Failed)
    }

    /// Emits `MessageStart` once, from `response` when known.
    fn start(&mut self, response: Option<&Value>, out: &mut Vec<StreamEvent>) {
        if self.phase != Phase::Waiting {
            return;
        }
        let text = |key: &str| response.and_then(|r| r.get(key)).and_then(Value::as_str).unwrap_or_default().to_owned();
        out.push(StreamEvent::MessageStart { id: text("id"), model: text("model"), usage: None });
        self.phase = Phase::Streaming;
    }

    fn fail(&mut self, error: &Value, out: &mut Vec<StreamEvent>) {
        out.push(StreamEvent::Error { kind: stream_error_kind(error), message: stream_error_message(error) });
        self.open = None;
        self.phase = Phase::Failed;
    }

    /// The open block when it is of `kind` and for `item`.
    fn open_for(&mut self, kind: Kind, item: &ItemRef) -> Option<&mut Open> {
        self.open.as_mut().filter(|open| open.kind == kind && open.item.same(item))
    }

    /// Closes the open block and opens a new one; returns its index.
    fn open_block(&mut self, kind: Kind, block: BlockKind, item: ItemRef, out: &mut Vec<StreamEvent>) -> u32 {
        self.close(out);
        let index = self.next_block;
        self.next_block = self.next_block.saturating_add(1);
        out.push(StreamEvent::BlockStart { index, block });
        self.open = Some(Open { index, kind, item, streamed: false, part: None });
        index
    }

    fn close(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some(open) = self.open.take() {
            out.push(StreamEvent::BlockStop { index: open.index });
        }
    }

    /// Appends `delta` to the open block (marking it streamed); empty deltas are dropped.
    fn emit(&mut self, delta: Delta, out: &mut Vec<StreamEvent>) {
        let empty = match &delta {
            Delta::Text(s) | Delta::Thinking(s) | Delta::Signature(s) | Delta::ToolArguments(s) => s.is_empty(),
        };
        if let (Some(open), false) = (self.open.as_mut(), empty) {
            if !matches!(delta, Delta::Signature(_)) {
                open.streamed = true;
            }
            out.push(StreamEvent::Delta { index: open.index, delta });
        }
    }

    /// Opens the ToolCall block of a `function_call` item; returns its complete arguments (`{}` when absent), or
    /// `None` for a nameless call, which the IR cannot carry (its fragments then find no open block).
    fn open_tool(&mut self, item: &Value, item_ref: ItemRef, out: &mut Vec<StreamEvent>) -> Option<String> {
        let Some((id, name, arguments)) = function_call(item, self.next_block as usize) else {
            self.close(out);
            return None;
        };
        self.called_tools = true;
        self.open_block(Kind::Tool, BlockKind::ToolCall { id, name }, item_ref, out);
        Some(arguments)
    }

    fn open_thinking(&mut self, item_ref: ItemRef, out: &mut Vec<StreamEvent>) {
        let block = BlockKind::Thinking { family: Some(ReasoningFamily::OpenAi) };
        self.open_block(Kind::Thinking, block, item_ref, out);
    }

    fn item_added(&mut self, event: &Value, item: &Value, out: &mut Vec<StreamEvent>) {
        let item_ref = ItemRef::of_item(event, item);
        match item.get("type").and_then(Value::as_str) {
            Some("function_call") => {
                // Arguments already present when the item is announced (usually `""`) are its first fragment.
                if self.open_tool(item, item_ref, out).is_some() {
                    let initial = item.get("arguments").and_then(Value::as_str).unwrap_or_default();
                    self.emit(Delta::ToolArguments(initial.to_owned()), out);
                }
            }
            Some("reasoning") => {
                self.open_thinking(item_ref, out);
                self.emit(Delta::Thinking(reasoning_text(item)), out);
            }
            // A message opens its Text block on its first text; other items have no IR block.
            _ => self.close(out),
        }
    }

    fn text_delta(&mut self, event: &Value, out: &mut Vec<StreamEvent>) {
        let Some(text) = event.get("delta").and_then(Value::as_str).filter(|t| !t.is_empty()) else {
            return;
        };
        let item_ref = ItemRef::of_event(event);
        if self.open_for(Kind::Text, &item_ref).is_none() {
            self.open_block(Kind::Text, BlockKind::Text, item_ref, out);
        }
        self.emit(Delta::Text(text.to_owned()), out);
    }

    fn thinking_delta(&mut self, event: &Value, out: &mut Vec<StreamEvent>) {
        let Some(text) = event.get("delta").and_then(Value::as_str).filter(|t| !t.is_empty()) else {
            return;
        };
        let item_ref = ItemRef::of_event(event);
        let part = event.get("summary_index").or_else(|| event.get("content_index")).and_then(Value::as_i64);
        if self.open_for(Kind::Thinking, &item_ref).is_none() {
            self.open_thinking(item_ref.clone(), out);
        }
        let Some(open) = self.open_for(Kind::Thinking, &item_ref) else {
            return;
        };
        let new_part = open.streamed && part.is_some() && open.part != part;
        open.part = part.or(open.part);
        let text = if new_part { format!("{BLOCK_SEPARATOR}{text}") } else { text.to_owned() };
        self.emit(Delta::Thinking(text), out);
    }

    fn arguments_delta(&mut self, event: &Value, out: &mut Vec<StreamEvent>) {
        let Some(fragment) = event.get("delta").and_then(Value::as_str) else {
            return;
        };
        if self.open_for(Kind::Tool, &ItemRef::of_event(event)).is_some() {
            self.emit(Delta::ToolArguments(fragment.to_owned()), out);
        }
    }

    fn item_done(&mut self, event: &Value, item: &Value, out: &mut Vec<StreamEvent>) {
        let item_ref = ItemRef::of_item(event, item);
        match item.get("type").and_then(Value::as_str) {
            Some("message") => {
                let texts = message_texts(item);
                let streamed = match self.open_for(Kind::Text, &item_ref) {
                    Some(open) => open.streamed,
                    None if texts.is_empty() => return,
                    None => {
                        self.open_block(Kind::Text, BlockKind::Text, item_ref, out);
                        false
                    }
                };
                if !streamed {
                    texts.into_iter().for_each(|text| self.emit(Delta::Text(text.to_owned()), out));
                }
            }
            Some("reasoning") => {
                let signature = encrypted_content(item);
                let text = reasoning_text(item);
                let streamed = match self.open_for(Kind::Thinking, &item_ref) {
                    Some(open) => open.streamed,
                    None if text.is_empty() && signature.is_none() => return,
                    None => {
                        self.open_thinking(item_ref, out);
                        false
                    }
                };
                if !streamed {
                    self.emit(Delta::Thinking(text), out);
                }
                self.emit(Delta::Signature(signature.unwrap_or_default()), out);
            }
            // A freeform call is read whole from its done item (its input deltas are not JSON fragments).
            Some("custom_tool_call") => {
                let Some((id, name, arguments)) = custom_tool_call(item, self.next_block as usize) else {
                    return;
                };
                self.called_tools = true;
                self.open_block(Kind::Tool, BlockKind::ToolCall { id, name }, item_ref, out);
                self.emit(Delta::ToolArguments(arguments), out);
            }
            Some("function_call") => {
                let arguments = match self.open_for(Kind::Tool, &item_ref).map(|open| open.streamed) {
                    Some(true) => None,
                    Some(false) => function_call(item, 0).map(|(_, _, arguments)| arguments),
                    // Never announced: the done item opens the block.
                    None => self.open_tool(item, item_ref, out),
                };
                if let Some(arguments) = arguments {
                    self.emit(Delta::ToolArguments(arguments), out);
                }
            }
            _ => return,
        }
        self.close(out);
    }

    /// `response.completed` / `response.incomplete`: closes the open block and ends the message.
    fn terminate(&mut self, kind: &str, response: Option<&Value>, out: &mut Vec<StreamEvent>) {
        self.close(out);
        if self.next_block == 0 {
            self.replay_output(response, out);
        }
        let text = |key: &str| response.and_then(|r| r.get(key)).and_then(Value::as_str);
        let status = text("status").or(if kind == "response.incomplete" { Some("incomplete") } else { None });
        let reason =
            response.and_then(|r| r.get("incomplete_details")).and_then(|d| d.get("reason")).and_then(Value::as_str);
        out.push(StreamEvent::MessageDelta {
            finish: Some(finish_from_wire(status, reason, self.called_tools)),
            usage: response.and_then(|r| r.get("usage")).filter(|u| u.is_object()).map(usage_from_wire),
            stop_sequence: None,
        });
        out.push(StreamEvent::MessageStop);
        self.phase = Phase::Done;
    }

    /// Emits the final response's output items as whole blocks (for upstreams that stream nothing but the
    /// terminal event). Nameless function calls are skipped.
    fn replay_output(&mut self, response: Option<&Value>, out: &mut Vec<StreamEvent>) {
        let items =
            response.and_then(|r| r.get("output")).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let mut parts = Vec::new();
        for (position, item) in items.iter().enumerate() {
            // A nameless call cannot be carried; skipping it keeps the rest of the answer.
            let _ = output_item_parts(item, position, &mut parts);
        }
        for part in parts {
            let item_ref = ItemRef::default();
            match part {
                ContentPart::Text { text, .. } => {
                    self.open_block(Kind::Text, BlockKind::Text, item_ref, out);
                    self.emit(Delta::Text(text), out);
                }
                ContentPart::Thinking(thinking) => {
                    self.open_thinking(item_ref, out);
                    self.emit(Delta::Thinking(thinking.text), out);
                    self.emit(Delta::Signature(thinking.signature.unwrap_or_default()), out);
                }
                ContentPart::ToolCall { id, name, arguments } => {
                    self.called_tools = true;
                    self.open_block(Kind::Tool, BlockKind::ToolCall { id, name }, item_ref, out);
                    self.emit(Delta::ToolArguments(arguments), out);
                }
                _ => continue,
            }
            self.close(out);
        }
    }
}
