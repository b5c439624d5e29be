//! The streaming events the encoder writes, as serde types, and their SSE framing: `event: <type>` plus
//! `data: <json>` where the JSON repeats the `type` and carries the stream's `sequence_number`. Field sets follow
//! openai-python `types/responses/response_*_event.py`.

use serde::Serialize;

use super::types::{OutputItem, ResponseObject};

/// The `part` of `response.content_part.*` events.
#[derive(Debug, Serialize)]
pub(super) struct TextPart<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: &'a str,
    pub annotations: [(); 0],
}

impl<'a> TextPart<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self { kind: "output_text", text, annotations: [] }
    }
}

/// The `part` of `response.reasoning_summary_part.*` events.
#[derive(Debug, Serialize)]
pub(super) struct SummaryPart<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: &'a str,
}

impl<'a> SummaryPart<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self { kind: "summary_text", text }
    }
}

/// One streaming event; its `type` is also the SSE `event:` name.
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub(super) enum Frame<'a> {
    #[serde(rename = "response.created")]
    Created { response: ResponseObject<'a> },
    #[serde(rename = "response.in_progress")]
    InProgress { response: ResponseObject<'a> },
    #[serde(rename = "response.output_item.added")]
    ItemAdded { output_index: usize, item: &'a OutputItem },
    #[serde(rename = "response.output_item.done")]
    ItemDone { output_index: usize, item: &'a OutputItem },
    #[serde(rename = "response.content_part.added")]
    PartAdded { item_id: &'a str, output_index: usize, content_index: u32, part: TextPart<'a> },
    #[serde(rename = "response.content_part.done")]
    PartDone { item_id: &'a str, output_index: usize, content_index: u32, part: TextPart<'a> },
    #[serde(rename = "response.output_text.delta")]
    TextDelta { item_id: &'a str, output_index: usize, content_index: u32, delta: &'a str, logprobs: [(); 0] },
    #[serde(rename = "response.output_text.done")]
    TextDone { item_id: &'a str, output_index: usize, content_index: u32, text: &'a str, logprobs: [(); 0] },
    #[serde(rename = "response.reasoning_summary_part.added")]
    SummaryPartAdded { item_id: &'a str, output_index: usize, summary_index: u32, part: SummaryPart<'a> },
    #[serde(rename = "response.reasoning_summary_part.done")]
    SummaryPartDone { item_id: &'a str, output_index: usize, summary_index: u32, part: SummaryPart<'a> },
    #[serde(rename = "response.reasoning_summary_text.delta")]
    SummaryTextDelta { item_id: &'a str, output_index: usize, summary_index: u32, delta: &'a str },
    #[serde(rename = "response.reasoning_summary_text.done")]
    SummaryTextDone { item_id: &'a str, output_index: usize, summary_index: u32, text: &'a str },
    #[serde(rename = "response.function_call_arguments.delta")]
    ArgumentsDelta { item_id: &'a str, output_index: usize, delta: &'a str },
    #[serde(rename = "response.function_call_arguments.done")]
    ArgumentsDone { item_id: &'a str, output_index: usize, name: &'a str, arguments: &'a str },
    #[serde(rename = "response.custom_tool_call_input.delta")]
    CustomInputDelta { item_id: &'a str, output_index: usize, delta: &'a str },
    #[serde(rename = "response.custom_tool_call_input.done")]
    CustomInputDone { item_id: &'a str, output_index: usize, input: &'a str },
    #[serde(rename = "response.completed")]
    Completed { response: ResponseObject<'a> },
    #[serde(rename = "response.incomplete")]
    Incomplete { response: ResponseObject<'a> },
    #[serde(rename = "response.failed")]
    Failed { response: ResponseObject<'a> },
}

impl Frame<'_> {
    /// The event type.
    fn name(&self) -> &'static str {
        match self {
            Self::Created { .. } => "response.created",
            Self::InProgress { .. } => "response.in_progress",
            Self::ItemAdded { .. } => "response.output_item.added",
            Self::ItemDone { .. } => "response.output_item.done",
            Self::PartAdded { .. } => "response.content_part.added",
            Self::PartDone { .. } => "response.content_part.done",
            Self::TextDelta { .. } => "response.output_text.delta",
            Self::TextDone { .. } => "response.output_text.done",
            Self::SummaryPartAdded { .. } => "response.reasoning_summary_part.added",
            Self::SummaryPartDone { .. } => "response.reasoning_summary_part.done",
            Self::SummaryTextDelta { .. } => "response.reasoning_summary_text.delta",
            Self::SummaryTextDone { .. } => "response.reasoning_summary_text.done",
            Self::ArgumentsDelta { .. } => "response.function_call_arguments.delta",
            Self::ArgumentsDone { .. } => "response.function_call_arguments.done",
            Self::CustomInputDelta { .. } => "response.custom_tool_call_input.delta",
            Self::CustomInputDone { .. } => "response.custom_tool_call_input.done",
            Self::Completed { .. } => "response.completed",
            Self::Incomplete { .. } => "response.incomplete",
            Self::Failed { .. } => "response.failed",
        }
    }
}

/// A frame with the stream position added to its JSON.
#[derive(Serialize)]
struct Numbered<'a> {
    #[serde(flatten)]
    frame: &'a Frame<'a>,
    sequence_number: u64,
}

/// Writes frames with a strictly increasing `sequence_number`, starting at 0.
#[derive(Debug, Default)]
pub(super) struct Writer {
    next_sequence: u64,
}

impl Writer {
    /// Appends `event: <type>\ndata: <json>\n\n` for `frame`.
    pub(super) fn write(&mut self, frame: &Frame<'_>, out: &mut Vec<u8>) {
        // Serialising these types cannot fail (string keys, no fallible Serialize impls).
        let Ok(data) = serde_json::to_vec(&Numbered { frame, sequence_number: self.next_sequence }) else {
            return;
        };
        self.next_sequence += 1;
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(frame.name().as_bytes());
        out.extend_from_slice(b"\ndata: ");
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\n\n");
    }
}
