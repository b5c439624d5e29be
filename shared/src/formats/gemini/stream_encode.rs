//! IR stream events → a Gemini client's stream: `GenerateContentResponse` chunks, as SSE (`alt=sse`) or as one
//! JSON array written incrementally.
//!
//! Every chunk is `{"candidates":[{"content":{"role":"model","parts":[…]},"index":0}],"modelVersion",
//! "responseId"}` (the last two when known, as Gemini repeats them on every chunk):
//! - each text delta → a chunk with one `{text}` part; each thinking delta → one `{text, thought: true}` part;
//! - a tool call is buffered and sent whole when its block stops: `{functionCall: {name, args, id?}}` (`args`
//!   the streamed JSON when it is an object, else `{}`; a minted `call_<name>_<n>` id is not sent);
//! - signatures (Gemini family only; others are dropped): a thinking block that had text gets its signature
//!   as a closing `{"text":"","thought":true,"thoughtSignature"}` part, exactly what the decoder reads back
//!   onto that block; a signature-only block (a signature Gemini had put on the following part) is held and
//!   attached to the next part sent — text, function call or the final chunk's empty text — which is where
//!   Gemini itself puts signatures;
//! - on `MessageStop` a final chunk carries `finishReason` (tool calls → `STOP`), `usageMetadata` (when known)
//!   and `parts: [{"text":""}]` (or the held signature's part), as Gemini's last chunk does.
//!
//! Framing: [`GeminiStreamMode::Sse`] writes `data: <chunk>\r\n\r\n` per chunk (Gemini's CRLF framing).
//! [`GeminiStreamMode::JsonArray`] writes `[` before the first chunk, `,\r\n` before every later one and `]`
//! after the last, so the complete body parses as a JSON array. An `Error` event is written as
//! `{"error":{"code","message","status"}}` — an SSE `data:` event, or the array's last element followed by `]`
//! — and nothing is written after it.

use serde::Serialize;

use super::parts::{function_call, OutPart};
use super::request_encode::OutContent;
use super::response::{finish_to_wire, usage_to_wire, UsageOut};
use super::GeminiStreamMode;
use crate::error::{ApiError, ClientFormat, ErrorKind};
use crate::ir::{BlockKind, Delta, FinishReason, ReasoningFamily, StreamEvent, Usage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing written.
    Fresh,
    /// Chunks written.
    Open,
    /// The final chunk or an error written: nothing more.
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenKind {
    Text,
    Thinking {
        gemini: bool,
        had_text: bool,
    },
    Tool,
    /// Not written (redacted thinking has no Gemini form).
    Silent,
}

#[derive(Debug)]
struct ToolBuffer {
    id: String,
    name: String,
    arguments: String,
}

/// Encoder of one client Gemini stream.
#[derive(Debug)]
pub struct StreamEncoder {
    mode: GeminiStreamMode,
    phase: Phase,
    id: String,
    model: String,
    open: Option<(u32, OpenKind)>,
    pending_signature: Option<String>,
    tool: Option<ToolBuffer>,
    finish: Option<FinishReason>,
    usage: Option<Usage>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Chunk<'a> {
    candidates: [ChunkCandidate<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    usage_metadata: Option<UsageOut>,
    #[serde(skip_serializing_if = "str::is_empty")]
    model_version: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    response_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChunkCandidate<'a> {
    content: OutContent<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    finish_reason: Option<&'static str>,
    index: u32,
}

impl StreamEncoder {
    /// An encoder writing in `mode`.
    #[must_use]
    pub fn new(mode: GeminiStreamMode) -> Self {
        Self {
            mode,
            phase: Phase::Fresh,
            id: String::new(),
            model: String::new(),
            open: None,
            pending_signature: None,
            tool: None,
            finish: None,
            usage: None,
        }
    }

    /// Appends the client bytes for `event` to `out`.
    pub fn feed(&mut self, event: &StreamEvent, out: &mut Vec<u8>) {
        if self.phase == Phase::Done {
            return;
        }
        match event {
            StreamEvent::MessageStart { id, model, .. } => {
                if self.id.is_empty() && self.model.is_empty() {
                    self.id.clone_from(id);
                    self.model.clone_from(model);
                }
            }
            StreamEvent::BlockStart { index, block } => {
                self.flush_tool(out);
                let kind = match block {
                    BlockKind::Text => OpenKind::Text,
                    BlockKind::Thinking { family } => {
                        OpenKind::Thinking { gemini: *family == Some(ReasoningFamily::Gemini), had_text: false }
                    }
                    BlockKind::RedactedThinking { .. } => OpenKind::Silent,
                    BlockKind::ToolCall { id, name } => {
                        self.tool = Some(ToolBuffer { id: id.clone(), name: name.clone(), arguments: String::new() });
                        OpenKind::Tool
                    }
                };
                self.open = Some((*index, kind));
            }
            StreamEvent::Delta { index, delta } => self.delta(*index, delta, out),
            StreamEvent::BlockStop { index } => {
                if self.open.is_some_and(|(open, _)| open == *index) {
                    self.open = None;
                    self.flush_tool(out);
                }
            }
            StreamEvent::MessageDelta { finish, usage, .. } => {
                if finish.is_some() {
                    self.finish.clone_from(finish);
                }
                if usage.is_some() {
                    self.usage = *usage;
                }
            }
            StreamEvent::MessageStop => self.stop(out),
            StreamEvent::Error { kind, message } => {
                let body =
                    ApiError::new(ErrorKind::from(*kind), message.clone()).in_format(ClientFormat::Gemini).body();
                self.write(&body, out);
                if self.mode == GeminiStreamMode::JsonArray {
                    out.push(b']');
                }
                self.phase = Phase::Done;
            }
        }
    }

    fn delta(&mut self, index: u32, delta: &Delta, out: &mut Vec<u8>) {
        let open = self.open.filter(|(open, _)| *open == index).map(|(_, kind)| kind);
        match delta {
            Delta::Text(text) if !text.is_empty() && open != Some(OpenKind::Silent) => {
                let signature = self.pending_signature.take();
                let part = OutPart { text: Some(text), thought_signature: signature.as_deref(), ..OutPart::default() };
                self.chunk(vec![part], None, None, out);
            }
            Delta::Thinking(text) if !text.is_empty() && open != Some(OpenKind::Silent) => {
                if let Some((_, OpenKind::Thinking { had_text, .. })) = &mut self.open {
                    *had_text = true;
                }
                let signature = self.pending_signature.take();
                let mut parts = Vec::with_capacity(2);
                if let Some(signature) = signature.as_deref() {
                    parts.push(OutPart { text: Some(""), thought_signature: Some(signature), ..OutPart::default() });
                }
                parts.push(OutPart { text: Some(text), thought: Some(true), ..OutPart::default() });
                self.chunk(parts, None, None, out);
            }
            Delta::Signature(signature) if !signature.is_empty() => {
                let Some(OpenKind::Thinking { gemini: true, had_text }) = open else {
                    return;
                };
                if had_text {
                    let part = OutPart {
                        text: Some(""),
                        thought: Some(true),
                        thought_signature: Some(signature),
                        ..OutPart::default()
                    };
                    self.chunk(vec![part], None, None, out);
                } else {
                    self.flush_signature(out);
                    self.pending_signature = Some(signature.clone());
                }
            }
            Delta::ToolArguments(fragment) => {
                if let (Some(OpenKind::Tool), Some(tool)) = (open, &mut self.tool) {
                    tool.arguments.push_str(fragment);
                }
            }
            _ => {}
        }
    }

    /// Sends a held signature on an empty text part of its own.
    fn flush_signature(&mut self, out: &mut Vec<u8>) {
        if let Some(signature) = self.pending_signature.take() {
            let part = OutPart { text: Some(""), thought_signature: Some(&signature), ..OutPart::default() };
            self.chunk(vec![part], None, None, out);
        }
    }

    /// Sends the buffered tool call, if any, with a held signature.
    fn flush_tool(&mut self, out: &mut Vec<u8>) {
        let Some(tool) = self.tool.take() else {
            return;
        };
        let signature = self.pending_signature.take();
        let part = OutPart {
            function_call: Some(function_call(&tool.id, &tool.name, &tool.arguments)),
            thought_signature: signature.as_deref(),
            ..OutPart::default()
        };
        self.chunk(vec![part], None, None, out);
    }

    /// The final chunk; then the array's `]` in array mode.
    fn stop(&mut self, out: &mut Vec<u8>) {
        self.flush_tool(out);
        let signature = self.pending_signature.take();
        let part = OutPart { text: Some(""), thought_signature: signature.as_deref(), ..OutPart::default() };
        let usage = self.usage.as_ref().map(usage_to_wire);
        let finish = finish_to_wire(self.finish.as_ref());
        self.chunk(vec![part], Some(finish), usage, out);
        if self.mode == GeminiStreamMode::JsonArray {
            out.push(b']');
        }
        self.phase = Phase::Done;
    }

    fn chunk(
        &mut self,
        parts: Vec<OutPart<'_>>,
        finish_reason: Option<&'static str>,
        usage_metadata: Option<UsageOut>,
        out: &mut Vec<u8>,
    ) {
        let chunk = Chunk {
            candidates: [ChunkCandidate { content: OutContent { role: "model", parts }, finish_reason, index: 0 }],
            usage_metadata,
            model_version: &self.model,
            response_id: &self.id,
        };
        // Serialising these types cannot fail (string keys, no fallible Serialize impls).
        let json = serde_json::to_vec(&chunk).unwrap_or_default();
        self.write_json(&json, out);
    }

    fn write(&mut self, value: &serde_json::Value, out: &mut Vec<u8>) {
        let json = serde_json::to_vec(value).unwrap_or_default();
        self.write_json(&json, out);
    }

    fn write_json(&mut self, json: &[u8], out: &mut Vec<u8>) {
        match self.mode {
            GeminiStreamMode::Sse => {
                out.extend_from_slice(b"data: ");
                out.extend_from_slice(json);
                out.extend_from_slice(b"\r\n\r\n");
            }
            GeminiStreamMode::JsonArray => {
                out.extend_from_slice(if self.phase == Phase::Fresh { b"[" } else { b",\r\n" });
                out.extend_from_slice(json);
            }
        }
        self.phase = Phase::Open;
    }
}
