//! A whole [`ChatResponse`] built from a stream's IR events: how a client that asked for JSON is served by an
//! upstream that only streams (the ChatGPT Codex backend, Kiro). Pure and incremental: events are pushed one
//! at a time, nothing but the answer so far is kept.
//!
//! Deltas are applied to the open block when they fit its kind (text to text, reasoning text and signature to
//! thinking, arguments to a tool call) and ignored otherwise; usage merges field by field, later non-zero
//! values winning, as the usage tracker does (a start event may carry the input side, the final delta the rest).

use super::{BlockKind, ChatResponse, ContentPart, Delta, ErrorKindTag, FinishReason, StreamEvent, Thinking, Usage};

/// The block being filled.
#[derive(Debug)]
enum OpenBlock {
    Text(String),
    Thinking(Thinking),
    ToolCall { id: String, name: String, arguments: String },
}

/// How the stream ended, when it did not end with a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AggregateError {
    /// The upstream reported an error in the stream.
    Upstream {
        /// Its kind.
        kind: ErrorKindTag,
        /// Its message (no secrets).
        message: String,
    },
    /// The stream ended before `MessageStop`.
    Incomplete,
}

/// Collects IR stream events into a response.
#[derive(Debug, Default)]
pub struct ResponseBuilder {
    id: String,
    model: String,
    content: Vec<ContentPart>,
    open: Option<OpenBlock>,
    finish: Option<FinishReason>,
    stop_sequence: Option<String>,
    usage: Usage,
    stopped: bool,
    error: Option<(ErrorKindTag, String)>,
}

fn merge_usage(into: &mut Usage, from: &Usage) {
    for (mine, theirs) in [
        (&mut into.input_tokens, from.input_tokens),
        (&mut into.output_tokens, from.output_tokens),
        (&mut into.cache_read_tokens, from.cache_read_tokens),
        (&mut into.cache_write_tokens, from.cache_write_tokens),
        (&mut into.reasoning_tokens, from.reasoning_tokens),
    ] {
        if theirs > 0 {
            *mine = theirs;
        }
    }
}

impl ResponseBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one event. Events after `MessageStop` or `Error` are ignored.
    pub fn push(&mut self, event: &StreamEvent) {
        if self.stopped || self.error.is_some() {
            return;
        }
        match event {
            StreamEvent::MessageStart { id, model, usage } => {
                id.clone_into(&mut self.id);
                model.clone_into(&mut self.model);
                if let Some(usage) = usage {
                    merge_usage(&mut self.usage, usage);
                }
            }
            StreamEvent::BlockStart { block, .. } => {
                self.close();
                self.open = Some(match block {
                    BlockKind::Text => OpenBlock::Text(String::new()),
                    BlockKind::Thinking { family } => OpenBlock::Thinking(Thinking {
                        text: String::new(),
                        signature: None,
                        redacted: false,
                        family: *family,
                    }),
                    BlockKind::RedactedThinking { data, family } => OpenBlock::Thinking(Thinking {
                        text: String::new(),
                        signature: Some(data.clone()),
                        redacted: true,
                        family: *family,
                    }),
                    BlockKind::ToolCall { id, name } => {
                        OpenBlock::ToolCall { id: id.clone(), name: name.clone(), arguments: String::new() }
                    }
                });
            }
            StreamEvent::Delta { delta, .. } => self.apply(delta),
            StreamEvent::BlockStop { .. } => self.close(),
            StreamEvent::MessageDelta { finish, usage, stop_sequence } => {
                self.close();
                if finish.is_some() {
                    self.finish.clone_from(finish);
                }
                if stop_sequence.is_some() {
                    self.stop_sequence.clone_from(stop_sequence);
                }
                if let Some(usage) = usage {
                    merge_usage(&mut self.usage, usage);
                }
            }
            StreamEvent::MessageStop => {
                self.close();
                self.stopped = true;
            }
            StreamEvent::Error { kind, message } => {
                self.open = None;
                self.error = Some((*kind, message.clone()));
            }
        }
    }

    fn apply(&mut self, delta: &Delta) {
        match (&mut self.open, delta) {
            (Some(OpenBlock::Text(text)), Delta::Text(more)) => text.push_str(more),
            (Some(OpenBlock::Thinking(thinking)), Delta::Thinking(more)) => thinking.text.push_str(more),
            (Some(OpenBlock::Thinking(thinking)), Delta::Signature(more)) => {
                thinking.signature.get_or_insert_with(String::new).push_str(more);
            }
            (Some(OpenBlock::ToolCall { arguments, .. }), Delta::ToolArguments(more)) => arguments.push_str(more),
            _ => {}
        }
    }

    fn close(&mut self) {
        let part = match self.open.take() {
            None => return,
            Some(OpenBlock::Text(text)) => ContentPart::text(text),
            Some(OpenBlock::Thinking(thinking)) => ContentPart::Thinking(thinking),
            Some(OpenBlock::ToolCall { id, name, arguments }) => {
                // Calls streamed without arguments still carry a JSON object.
                let arguments = if arguments.trim().is_empty() { "{}".to_owned() } else { arguments };
                ContentPart::ToolCall { id, name, arguments }
            }
        };
        self.content.push(part);
    }

    /// Whether the stream ended (`MessageStop` or `Error`).
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.stopped || self.error.is_some()
    }

    /// The response, once the stream reached `MessageStop`.
    ///
    /// # Errors
    /// [`AggregateError::Upstream`] when the stream carried an error, [`AggregateError::Incomplete`] when it
    /// never stopped.
    pub fn build(self) -> Result<ChatResponse, AggregateError> {
        if let Some((kind, message)) = self.error {
            return Err(AggregateError::Upstream { kind, message });
        }
        if !self.stopped {
            return Err(AggregateError::Incomplete);
        }
        Ok(ChatResponse {
            id: self.id,
            model: self.model,
            content: self.content,
            finish: self.finish,
            stop_sequence: self.stop_sequence,
            usage: self.usage,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::ReasoningFamily;

    fn build(events: &[StreamEvent]) -> Result<ChatResponse, AggregateError> {
        let mut builder = ResponseBuilder::new();
        events.iter().for_each(|e| builder.push(e));
        builder.build()
    }

    #[test]
    fn builds_text_thinking_and_tool_calls_in_order() {
        let usage = |input, output| Some(Usage { input_tokens: input, output_tokens: output, ..Usage::default() });
        let events = [
            StreamEvent::MessageStart { id: "r1".into(), model: "m".into(), usage: usage(5, 0) },
            StreamEvent::BlockStart { index: 0, block: BlockKind::Thinking { family: Some(ReasoningFamily::OpenAi) } },
            StreamEvent::Delta { index: 0, delta: Delta::Thinking("hm".into()) },
            StreamEvent::Delta { index: 0, delta: Delta::Signature("enc".into()) },
            StreamEvent::BlockStop { index: 0 },
            StreamEvent::BlockStart { index: 1, block: BlockKind::Text },
            StreamEvent::Delta { index: 1, delta: Delta::Text("a".into()) },
            StreamEvent::Delta { index: 1, delta: Delta::ToolArguments("ignored".into()) },
            StreamEvent::Delta { index: 1, delta: Delta::Text("b".into()) },
            StreamEvent::BlockStop { index: 1 },
            StreamEvent::BlockStart { index: 2, block: BlockKind::ToolCall { id: "c".into(), name: "f".into() } },
            StreamEvent::Delta { index: 2, delta: Delta::ToolArguments("{\"x\":".into()) },
            StreamEvent::Delta { index: 2, delta: Delta::ToolArguments("1}".into()) },
            StreamEvent::BlockStop { index: 2 },
            StreamEvent::BlockStart { index: 3, block: BlockKind::ToolCall { id: "d".into(), name: "g".into() } },
            StreamEvent::MessageDelta {
                finish: Some(FinishReason::ToolCalls),
                usage: usage(0, 9),
                stop_sequence: None,
            },
            StreamEvent::MessageStop,
            StreamEvent::Error { kind: ErrorKindTag::Server, message: "after the end".into() },
        ];
        let response = build(&events).expect("complete");
        assert_eq!(response.id, "r1");
        assert_eq!(response.finish, Some(FinishReason::ToolCalls));
        assert_eq!((response.usage.input_tokens, response.usage.output_tokens), (5, 9));
        assert_eq!(
            response.content,
            [
                ContentPart::Thinking(Thinking {
                    text: "hm".into(),
                    signature: Some("enc".into()),
                    redacted: false,
                    family: Some(ReasoningFamily::OpenAi)
                }),
                ContentPart::text("ab"),
                ContentPart::ToolCall { id: "c".into(), name: "f".into(), arguments: "{\"x\":1}".into() },
                ContentPart::ToolCall { id: "d".into(), name: "g".into(), arguments: "{}".into() },
            ]
        );
    }

    #[test]
    fn errors_and_cut_streams_are_not_responses() {
        let start = StreamEvent::MessageStart { id: "r".into(), model: "m".into(), usage: None };
        let error = StreamEvent::Error { kind: ErrorKindTag::RateLimited, message: "slow".into() };
        assert_eq!(
            build(&[start.clone(), error]),
            Err(AggregateError::Upstream { kind: ErrorKindTag::RateLimited, message: "slow".into() })
        );
        assert_eq!(build(&[start]), Err(AggregateError::Incomplete));
    }
}
