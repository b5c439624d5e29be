//! Upstream Gemini SSE (`streamGenerateContent?alt=sse`: every `data:` is a whole `GenerateContentResponse`
//! holding only the new parts) → IR stream events.
//!
//! Mapping: the first chunk → `MessageStart` (id `responseId`, model `modelVersion`, input usage when the chunk
//! has some; an id left empty when the upstream sent none, for the client encoder to fill in); text parts →
//! a Text block, contiguous text parts continuing it; `thought` parts → a Gemini-family Thinking block,
//! contiguous thoughts continuing it; a signature on a thought part → `Signature` delta, which closes that
//! block; a signature on any other part → a Thinking block of its own (just the `Signature` delta) right
//! before that part's block, as in the non-streamed decoding; a `functionCall` (always whole) → a ToolCall
//! block with one `ToolArguments` delta holding `args` (`{}` when absent), closed at once; code-execution
//! parts → a Text block each; other parts (inline data, function responses) carry nothing here.
//! `finishReason` and `usageMetadata` are remembered (the last of each wins). An `error` object → `Error`,
//! after which everything is ignored.
//!
//! Gemini has no terminal event: the stream just closes. [`StreamDecoder::finish`] then emits the closing
//! `BlockStop`, `MessageDelta` (tool calls instead of stop when calls were streamed) and `MessageStop` — but
//! only if a `finishReason` (or a prompt block) was seen; otherwise the stream was cut, nothing is added and
//! [`StreamDecoder::is_complete`] stays false. Blocks never interleave.

use serde_json::value::RawValue;

use super::error::{stream_error_kind, stream_error_message};
use super::parts::CallBook;
use super::response::{finish_from_wire, usage_from_wire};
use super::types::{WirePart, WireResponse};
use super::UNNAMED_TOOL;
use crate::formats::sse::SseEvent;
use crate::ir::{BlockKind, DecodeError, Delta, FinishReason, ReasoningFamily, StreamEvent, Usage};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Phase {
    /// No chunk yet.
    #[default]
    Waiting,
    /// `MessageStart` emitted.
    Streaming,
    /// `MessageStop` emitted.
    Done,
    /// An error emitted.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Text,
    Thinking,
}

/// Decoder of one upstream Gemini stream.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    phase: Phase,
    open: Option<(u32, OpenKind)>,
    next_index: u32,
    calls: CallBook,
    tool_emitted: bool,
    finish: Option<FinishReason>,
    usage: Option<Usage>,
}

impl StreamDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one SSE event (a chunk; a JSON array of chunks is accepted too).
    ///
    /// # Errors
    /// [`DecodeError`] when the data is not a JSON chunk.
    pub fn feed(&mut self, event: &SseEvent) -> Result<Vec<StreamEvent>, DecodeError> {
        let mut out = Vec::new();
        let data = event.data.trim();
        if matches!(self.phase, Phase::Done | Phase::Failed) || data.is_empty() || data == "[DONE]" {
            return Ok(out);
        }
        let malformed = |e: serde_json::Error| DecodeError::new(format!("Gemini stream chunk is malformed: {e}"));
        if data.starts_with('[') {
            let chunks: Vec<&RawValue> = serde_json::from_str(data).map_err(malformed)?;
            for chunk in chunks {
                if matches!(self.phase, Phase::Failed) {
                    break;
                }
                self.chunk(serde_json::from_str(chunk.get()).map_err(malformed)?, &mut out);
            }
        } else {
            self.chunk(serde_json::from_str(data).map_err(malformed)?, &mut out);
        }
        Ok(out)
    }

    /// Called at the end of the upstream body: closes the message if a finish reason was seen.
    pub fn finish(&mut self) -> Vec<StreamEvent> {
        let mut out = Vec::new();
        if self.phase == Phase::Streaming && self.finish.is_some() {
            self.close_open(&mut out);
            let finish = match self.finish.take() {
                Some(FinishReason::Stop) if self.tool_emitted => Some(FinishReason::ToolCalls),
                other => other,
            };
            out.push(StreamEvent::MessageDelta { finish, usage: self.usage, stop_sequence: None });
            out.push(StreamEvent::MessageStop);
            self.phase = Phase::Done;
        }
        out
    }

    /// Whether the stream reached a terminal event (`MessageStop` after a finish reason, or an error).
    #[must_use]
    pub fn is_complete(&self) -> bool {
        matches!(self.phase, Phase::Done | Phase::Failed)
    }

    fn chunk(&mut self, mut wire: WireResponse<'_>, out: &mut Vec<StreamEvent>) {
        let candidate = wire.take_candidate();
        if let (None, Some(error)) = (&candidate, wire.error.as_ref().filter(|e| e.is_object())) {
            out.push(StreamEvent::Error { kind: stream_error_kind(error), message: stream_error_message(error) });
            self.phase = Phase::Failed;
            return;
        }
        if self.phase == Phase::Waiting {
            self.phase = Phase::Streaming;
            let usage = wire.usage_metadata.as_ref().map(|u| Usage {
                output_tokens: 0,
                reasoning_tokens: 0,
                ..usage_from_wire(u)
            });
            self.calls = CallBook::for_response(wire.response_id.as_deref());
            out.push(StreamEvent::MessageStart {
                id: wire.response_id.clone().unwrap_or_default(),
                model: wire.model_version.clone().unwrap_or_default(),
                usage,
            });
        }
        if let Some(usage) = &wire.usage_metadata {
            self.usage = Some(usage_from_wire(usage));
        }
        match candidate {
            Some(candidate) => {
                for part in candidate.content.and_then(|c| c.parts).unwrap_or_default() {
                    self.part(part, out);
                }
                if let Some(reason) = candidate.finish_reason.as_deref() {
                    self.finish = Some(finish_from_wire(reason));
                }
            }
            None if wire.prompt_feedback.as_ref().is_some_and(|f| f.block_reason.is_some()) => {
                self.finish = Some(FinishReason::ContentFilter);
            }
            None => {}
        }
    }

    fn part(&mut self, part: WirePart<'_>, out: &mut Vec<StreamEvent>) {
        let signature = part.thought_signature.filter(|s| !s.is_empty());
        if part.thought == Some(true) {
            if let Some(text) = part.text.filter(|t| !t.is_empty()) {
                let index = self.extend(OpenKind::Thinking, out);
                out.push(StreamEvent::Delta { index, delta: Delta::Thinking(text) });
            }
            if let Some(signature) = signature {
                let index = self.extend(OpenKind::Thinking, out);
                out.push(StreamEvent::Delta { index, delta: Delta::Signature(signature) });
                self.close_open(out);
            }
            return;
        }
        if let Some(signature) = signature {
            let index = self.start_block(OpenKind::Thinking, thinking_block(), out);
            out.push(StreamEvent::Delta { index, delta: Delta::Signature(signature) });
            self.close_open(out);
        }
        if let Some(call) = part.function_call {
            let name = call.name.filter(|n| !n.is_empty()).unwrap_or_else(|| UNNAMED_TOOL.to_owned());
            let id = self.calls.call(&name, call.id.as_deref());
            let arguments = call.args.map_or_else(|| "{}".to_owned(), |a| a.get().to_owned());
            self.close_open(out);
            let index = self.take_index();
            out.push(StreamEvent::BlockStart { index, block: BlockKind::ToolCall { id, name } });
            out.push(StreamEvent::Delta { index, delta: Delta::ToolArguments(arguments) });
            out.push(StreamEvent::BlockStop { index });
            self.tool_emitted = true;
        } else if let Some(code) = part.executable_code {
            let language = code.language.unwrap_or_default().to_ascii_lowercase();
            self.text_block(format!("```{language}\n{}\n```", code.code.unwrap_or_default()), out);
        } else if let Some(output) = part.code_execution_result.and_then(|r| r.output).filter(|o| !o.is_empty()) {
            self.text_block(output, out);
        } else if let Some(text) = part.text.filter(|t| !t.is_empty()) {
            let index = self.extend(OpenKind::Text, out);
            out.push(StreamEvent::Delta { index, delta: Delta::Text(text) });
        }
    }

    /// A Text block of its own holding `text`.
    fn text_block(&mut self, text: String, out: &mut Vec<StreamEvent>) {
        let index = self.start_block(OpenKind::Text, BlockKind::Text, out);
        out.push(StreamEvent::Delta { index, delta: Delta::Text(text) });
        self.close_open(out);
    }

    /// The index of the open block of `kind`, opening one (closing any other) if needed.
    fn extend(&mut self, kind: OpenKind, out: &mut Vec<StreamEvent>) -> u32 {
        match self.open {
            Some((index, open)) if open == kind => index,
            _ => {
                let block = match kind {
                    OpenKind::Text => BlockKind::Text,
                    OpenKind::Thinking => thinking_block(),
                };
                self.start_block(kind, block, out)
            }
        }
    }

    fn start_block(&mut self, kind: OpenKind, block: BlockKind, out: &mut Vec<StreamEvent>) -> u32 {
        self.close_open(out);
        let index = self.take_index();
        out.push(StreamEvent::BlockStart { index, block });
        self.open = Some((index, kind));
        index
    }

    fn take_index(&mut self) -> u32 {
        let index = self.next_index;
        self.next_index = self.next_index.saturating_add(1);
        index
    }

    fn close_open(&mut self, out: &mut Vec<StreamEvent>) {
        if let Some((index, _)) = self.open.take() {
            out.push(StreamEvent::BlockStop { index });
        }
    }
}

fn thinking_block() -> BlockKind {
    BlockKind::Thinking { family: Some(ReasoningFamily::Gemini) }
}
