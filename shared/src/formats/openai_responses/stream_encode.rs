//! IR stream events → a client's Responses SSE bytes, always in the Responses grammar whatever the IR events
//! look like (wire-formats.md §2.4):
//!
//! `response.created` → `response.in_progress` → per IR block one output item (`response.output_item.added` →
//! its part / delta / done events → `response.output_item.done`) → `response.completed` (or
//! `response.incomplete` for length / content-filter stops), or `response.failed` on an `Error`, after which
//! nothing is written. Every event carries a strictly increasing `sequence_number`; `output_index` counts the
//! items written; item ids derive from the response id (`msg_…`, `rs_…`, `fc_…`).
//!
//! Per block: Text → a `message` item with one `output_text` part (`content_part.added`, `output_text.delta`*,
//! `output_text.done`, `content_part.done`); ToolCall → a `function_call` item (`function_call_arguments.delta`*,
//! `.done`); Thinking → a `reasoning` item whose summary part opens on the first text
//! (`reasoning_summary_part.added`, `reasoning_summary_text.delta`*, `.done`, `reasoning_summary_part.done`), and
//! whose `output_item.done` carries the Signature deltas as `encrypted_content` — for OpenAI-family reasoning
//! only: other families' text is shown as a summary, their signatures dropped, and their item is announced on
//! its first text (a signature-only block, Gemini's, writes no empty reasoning item). OpenAI-family redacted reasoning
//! is a reasoning item with just `encrypted_content`; other redacted reasoning is not written.
//!
//! The terminal event carries the full response object: every completed item, the usage (the final
//! `MessageDelta`'s, else `MessageStart`'s) and the status. Codex stores the `output_item.done` items as its
//! history and fails a stream without `response.completed`, so items are always completed and the stream always
//! ends with a terminal event when the IR does.
//!
//! Repairs, as in the Anthropic encoder: events before `MessageStart` start the response (`resp_unknown`); a
//! repeated `MessageStart` is ignored; a `BlockStart` while a block is open closes it; a text or thinking delta
//! without its block opens one (other orphan deltas are dropped); `MessageStop` closes an open block.

use crate::error::ErrorKind;
use crate::ir::{BlockKind, Delta, ErrorKindTag, FinishReason, ReasoningFamily, StreamEvent, Usage};

use super::common::{finish_to_wire, usage_to_wire};
use super::custom_tools;
use super::error::wire_code;
use super::events::{Frame, SummaryPart, TextPart, Writer};
use super::types::{IncompleteDetails, OutputItem, OutputText, ResponseError, ResponseObject, SummaryText};
use super::{item_id, response_id};

/// Where the client's stream is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Phase {
    /// Nothing written yet.
    #[default]
    Fresh,
    /// `response.created` written.
    Streaming,
    /// A terminal event written: nothing more.
    Closed,
}

/// What the open output item accumulates.
#[derive(Debug)]
enum Accum {
    Text {
        text: String,
    },
    Reasoning {
        text: String,
        /// The summary part was announced.
        part_open: bool,
        /// `encrypted_content` so far (OpenAI family only).
        signature: Option<String>,
        openai: bool,
    },
    Tool {
        call_id: String,
        name: String,
        arguments: String,
        /// `output_item.added` written: the call is a function call. Until then its arguments may still be a
        /// freeform call's (`custom_tools.rs`), which is written whole when the block closes.
        announced: bool,
    },
    /// Not written (foreign redacted reasoning): its deltas and stop are swallowed.
    Silent,
    /// Reasoning of another family, not written yet: it opens on its first non-empty text (a signature-only
    /// block, such as Gemini's, writes no empty reasoning item).
    PendingReasoning,
}

/// The open output item.
#[derive(Debug)]
struct OpenItem {
    /// IR block index.
    ir: u32,
    output_index: usize,
    item_id: String,
    accum: Accum,
}

/// Encodes IR stream events as a client's Responses SSE stream.
#[derive(Debug)]
pub struct StreamEncoder {
    created: u64,
    id: String,
    model: String,
    phase: Phase,
    writer: Writer,
    /// Completed output items, in order.
    output: Vec<OutputItem>,
    open: Option<OpenItem>,
    start_usage: Option<Usage>,
    finish: Option<FinishReason>,
    usage: Option<Usage>,
}

impl StreamEncoder {
    /// An encoder whose response says `created_at: created_unix_secs`.
    #[must_use]
    pub fn new(created_unix_secs: u64) -> Self {
        Self {
            created: created_unix_secs,
            id: response_id(""),
            model: String::new(),
            phase: Phase::Fresh,
            writer: Writer::default(),
            output: Vec::new(),
            open: None,
            start_usage: None,
            finish: None,
            usage: None,
        }
    }

    /// Appends the SSE bytes for `event` to `out`.
    pub fn feed(&mut self, event: &StreamEvent, out: &mut Vec<u8>) {
        if self.phase == Phase::Closed {
            return;
        }
        match event {
            StreamEvent::MessageStart { id, model, usage } => {
                if self.phase == Phase::Fresh {
                    self.id = response_id(id);
                    self.model.clone_from(model);
                    self.start_usage = *usage;
                }
                self.ensure_started(out);
            }
            StreamEvent::BlockStart { index, block } => {
                self.ensure_started(out);
                self.open_block(*index, block, out);
            }
            StreamEvent::Delta { index, delta } => {
                self.ensure_started(out);
                self.delta(*index, delta, out);
            }
            StreamEvent::BlockStop { index } => {
                if self.open.as_ref().is_some_and(|open| open.ir == *index) {
                    self.close_open(out);
                }
            }
            StreamEvent::MessageDelta { finish, usage, .. } => {
                self.ensure_started(out);
                if finish.is_some() {
                    self.finish.clone_from(finish);
                }
                if usage.is_some() {
                    self.usage = *usage;
                }
            }
            StreamEvent::MessageStop => {
                self.ensure_started(out);
                self.close_open(out);
                self.complete(out);
            }
            StreamEvent::Error { kind, message } => {
                self.ensure_started(out);
                self.fail(*kind, message, out);
            }
        }
    }

    /// Writes `response.created` and `response.in_progress` once, before anything else.
    fn ensure_started(&mut self, out: &mut Vec<u8>) {
        if self.phase != Phase::Fresh {
            return;
        }
        self.phase = Phase::Streaming;
        let response = || ResponseObject::new(&self.id, &self.model, self.created, "in_progress", &[], None);
        self.writer.write(&Frame::Created { response: response() }, out);
        self.writer.write(&Frame::InProgress { response: response() }, out);
    }

    fn open_block(&mut self, ir: u32, block: &BlockKind, out: &mut Vec<u8>) {
        self.close_open(out);
        let output_index = self.output.len();
        let (item, accum) = match block {
            BlockKind::Text => {
                let id = item_id("msg", &self.id, output_index);
                let item = OutputItem::Message { id, status: "in_progress", role: "assistant", content: Vec::new() };
                (item, Accum::Text { text: String::new() })
            }
            BlockKind::Thinking { family: Some(ReasoningFamily::OpenAi) } => (
                empty_reasoning(&self.id, output_index),
                Accum::Reasoning { text: String::new(), part_open: false, signature: None, openai: true },
            ),
            BlockKind::Thinking { .. } => {
                let accum = Accum::PendingReasoning;
                self.open = Some(OpenItem { ir, output_index, item_id: String::new(), accum });
                return;
            }
            BlockKind::RedactedThinking { data, family: Some(ReasoningFamily::OpenAi) } => {
                let accum = Accum::Reasoning {
                    text: String::new(),
                    part_open: false,
                    signature: Some(data.clone()),
                    openai: true,
                };
                (empty_reasoning(&self.id, output_index), accum)
            }
            BlockKind::RedactedThinking { .. } => {
                self.open = Some(OpenItem { ir, output_index, item_id: String::new(), accum: Accum::Silent });
                return;
            }
            BlockKind::ToolCall { id: call_id, name } => {
                // Announced with its first arguments that cannot be a freeform call's (see `Accum::Tool`).
                let accum = Accum::Tool {
                    call_id: call_id.clone(),
                    name: name.clone(),
                    arguments: String::new(),
                    announced: false,
                };
                let item_id = item_id("fc", &self.id, output_index);
                self.open = Some(OpenItem { ir, output_index, item_id, accum });
                return;
            }
        };
        self.write_open(ir, output_index, &item, accum, out);
    }

    /// Announces an output item and opens it.
    fn write_open(&mut self, ir: u32, output_index: usize, item: &OutputItem, accum: Accum, out: &mut Vec<u8>) {
        let item_id = item_id_of(item).to_owned();
        self.writer.write(&Frame::ItemAdded { output_index, item }, out);
        if matches!(accum, Accum::Text { .. }) {
            let part = TextPart::new("");
            self.writer.write(&Frame::PartAdded { item_id: &item_id, output_index, content_index: 0, part }, out);
        }
        self.open = Some(OpenItem { ir, output_index, item_id, accum });
    }

    fn delta(&mut self, ir: u32, delta: &Delta, out: &mut Vec<u8>) {
        if self.open.as_ref().is_none_or(|open| open.ir != ir) {
            // A text or thinking delta without its block: open one and stream into it.
            match delta {
                Delta::Text(_) => self.open_block(ir, &BlockKind::Text, out),
                Delta::Thinking(_) => self.open_block(ir, &BlockKind::Thinking { family: None }, out),
                Delta::Signature(_) | Delta::ToolArguments(_) => return,
            }
        }
        if self.open.as_ref().is_some_and(|open| matches!(open.accum, Accum::PendingReasoning)) {
            match delta {
                Delta::Thinking(text) if !text.is_empty() => {
                    let output_index = self.output.len();
                    let accum =
                        Accum::Reasoning { text: String::new(), part_open: false, signature: None, openai: false };
                    self.write_open(ir, output_index, &empty_reasoning(&self.id, output_index), accum, out);
                }
                _ => return,
            }
        }
        let Some(open) = self.open.as_mut() else {
            return;
        };
        let (item_id, output_index) = (open.item_id.as_str(), open.output_index);
        match (&mut open.accum, delta) {
            (Accum::Text { text }, Delta::Text(fragment)) if !fragment.is_empty() => {
                text.push_str(fragment);
                let frame = Frame::TextDelta { item_id, output_index, content_index: 0, delta: fragment, logprobs: [] };
                self.writer.write(&frame, out);
            }
            (Accum::Reasoning { text, part_open, .. }, Delta::Thinking(fragment)) if !fragment.is_empty() => {
                if !*part_open {
                    *part_open = true;
                    let part = SummaryPart::new("");
                    self.writer.write(&Frame::SummaryPartAdded { item_id, output_index, summary_index: 0, part }, out);
                }
                text.push_str(fragment);
                let frame = Frame::SummaryTextDelta { item_id, output_index, summary_index: 0, delta: fragment };
                self.writer.write(&frame, out);
            }
            (Accum::Reasoning { signature, openai: true, .. }, Delta::Signature(fragment)) => {
                signature.get_or_insert_with(String::new).push_str(fragment);
            }
            (Accum::Tool { arguments, announced: true, .. }, Delta::ToolArguments(fragment))
                if !fragment.is_empty() =>
            {
                arguments.push_str(fragment);
                self.writer.write(&Frame::ArgumentsDelta { item_id, output_index, delta: fragment }, out);
            }
            (Accum::Tool { call_id, name, arguments, announced }, Delta::ToolArguments(fragment)) => {
                arguments.push_str(fragment);
                if custom_tools::freeform_prefix(arguments) == Some(false) {
                    *announced = true;
                    let item = function_call_item(item_id, call_id, name, "in_progress", String::new());
                    self.writer.write(&Frame::ItemAdded { output_index, item: &item }, out);
                    self.writer.write(&Frame::ArgumentsDelta { item_id, output_index, delta: arguments }, out);
                }
            }
            // Foreign signatures, empty fragments and deltas of another kind carry nothing here.
            _ => {}
        }
    }

    /// Writes the open item's closing events and keeps the completed item for the final response.
    fn close_open(&mut self, out: &mut Vec<u8>) {
        let Some(OpenItem { output_index, item_id, accum, .. }) = self.open.take() else {
            return;
        };
        let id = item_id.as_str();
        let item = match accum {
            Accum::Silent | Accum::PendingReasoning => return,
            Accum::Text { text } => {
                let frame = Frame::TextDone { item_id: id, output_index, content_index: 0, text: &text, logprobs: [] };
                self.writer.write(&frame, out);
                let part = TextPart::new(&text);
                self.writer.write(&Frame::PartDone { item_id: id, output_index, content_index: 0, part }, out);
                OutputItem::Message {
                    id: item_id.clone(),
                    status: "completed",
                    role: "assistant",
                    content: vec![OutputText::new(text)],
                }
            }
            Accum::Reasoning { text, part_open, signature, openai } => {
                if part_open {
                    let frame = Frame::SummaryTextDone { item_id: id, output_index, summary_index: 0, text: &text };
                    self.writer.write(&frame, out);
                    let part = SummaryPart::new(&text);
                    let frame = Frame::SummaryPartDone { item_id: id, output_index, summary_index: 0, part };
                    self.writer.write(&frame, out);
                }
                OutputItem::Reasoning {
                    id: item_id.clone(),
                    summary: if text.is_empty() { Vec::new() } else { vec![SummaryText::new(text)] },
                    encrypted_content: signature.filter(|s| openai && !s.is_empty()),
                }
            }
            Accum::Tool { call_id, name, arguments, announced: false } => {
                if let Some(input) = custom_tools::freeform_input(&arguments) {
                    self.close_custom_call(output_index, call_id, name, input, out);
                    return;
                }
                let item = function_call_item(id, &call_id, &name, "in_progress", String::new());
                self.writer.write(&Frame::ItemAdded { output_index, item: &item }, out);
                if !arguments.is_empty() {
                    self.writer.write(&Frame::ArgumentsDelta { item_id: id, output_index, delta: &arguments }, out);
                }
                let frame = Frame::ArgumentsDone { item_id: id, output_index, name: &name, arguments: &arguments };
                self.writer.write(&frame, out);
                OutputItem::FunctionCall { id: item_id.clone(), status: "completed", call_id, name, arguments }
            }
            Accum::Tool { call_id, name, arguments, announced: true } => {
                let frame = Frame::ArgumentsDone { item_id: id, output_index, name: &name, arguments: &arguments };
                self.writer.write(&frame, out);
                OutputItem::FunctionCall { id: item_id.clone(), status: "completed", call_id, name, arguments }
            }
        };
        self.writer.write(&Frame::ItemDone { output_index, item: &item }, out);
        self.output.push(item);
    }

    /// Writes a freeform call whole: `output_item.added`, its input as one delta, `.done`, `output_item.done`.
    fn close_custom_call(
        &mut self,
        output_index: usize,
        call_id: String,
        name: String,
        input: String,
        out: &mut Vec<u8>,
    ) {
        let id = item_id("ctc", &self.id, output_index);
        let added = OutputItem::CustomToolCall {
            id: id.clone(),
            status: "in_progress",
            call_id: call_id.clone(),
            name: name.clone(),
            input: String::new(),
        };
        self.writer.write(&Frame::ItemAdded { output_index, item: &added }, out);
        if !input.is_empty() {
            self.writer.write(&Frame::CustomInputDelta { item_id: &id, output_index, delta: &input }, out);
        }
        self.writer.write(&Frame::CustomInputDone { item_id: &id, output_index, input: &input }, out);
        let item = OutputItem::CustomToolCall { id, status: "completed", call_id, name, input };
        self.writer.write(&Frame::ItemDone { output_index, item: &item }, out);
        self.output.push(item);
    }

    /// `response.completed` (or `response.incomplete`) with the full response object.
    fn complete(&mut self, out: &mut Vec<u8>) {
        let (status, incomplete) = finish_to_wire(self.finish.as_ref());
        let usage = self.usage.or(self.start_usage).map(|u| usage_to_wire(&u));
        let mut response = ResponseObject::new(&self.id, &self.model, self.created, status, &self.output, usage);
        response.incomplete_details = incomplete.map(|reason| IncompleteDetails { reason });
        let frame = if incomplete.is_some() { Frame::Incomplete { response } } else { Frame::Completed { response } };
        self.writer.write(&frame, out);
        self.phase = Phase::Closed;
    }

    /// `response.failed` with the error; an open item is abandoned (never completed).
    fn fail(&mut self, kind: ErrorKindTag, message: &str, out: &mut Vec<u8>) {
        self.open = None;
        let mut response = ResponseObject::new(&self.id, &self.model, self.created, "failed", &self.output, None);
        let message = if message.is_empty() { default_message(kind) } else { message };
        response.error = Some(ResponseError { code: wire_code(kind), message });
        self.writer.write(&Frame::Failed { response }, out);
        self.phase = Phase::Closed;
    }
}

/// A function-call item.
fn function_call_item(id: &str, call_id: &str, name: &str, status: &'static str, arguments: String) -> OutputItem {
    OutputItem::FunctionCall {
        id: id.to_owned(),
        status,
        call_id: call_id.to_owned(),
        name: name.to_owned(),
        arguments,
    }
}

/// A reasoning item as announced: no summary yet.
fn empty_reasoning(response_id: &str, output_index: usize) -> OutputItem {
    OutputItem::Reasoning { id: item_id("rs", response_id, output_index), summary: Vec::new(), encrypted_content: None }
}

fn item_id_of(item: &OutputItem) -> &str {
    match item {
        OutputItem::Message { id, .. }
        | OutputItem::Reasoning { id, .. }
        | OutputItem::FunctionCall { id, .. }
        | OutputItem::CustomToolCall { id, .. } => id,
    }
}

/// A message for an error that came without one.
fn default_message(kind: ErrorKindTag) -> &'static str {
    match ErrorKind::from(kind) {
        ErrorKind::RateLimited => "rate limited upstream",
        ErrorKind::Unavailable => "upstream overloaded",
        ErrorKind::InvalidRequest => "upstream rejected the request",
        _ => "upstream failed",
    }
}
