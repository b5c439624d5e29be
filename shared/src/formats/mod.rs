//! Wire formats: one module per format, each decoding into and encoding out of [`crate::ir`]; never pairwise.
//!
//! Every format module offers the same surface (the contract the pipeline relies on):
//! - `decode_request(&[u8]) -> Result<ir::ChatRequest, ir::DecodeError>` — a client's request;
//! - `encode_request(&ir::ChatRequest) -> Vec<u8>` — the body sent upstream (`req.model` is the upstream model);
//! - `decode_response(&[u8]) -> Result<ir::ChatResponse, ir::DecodeError>` — an upstream's JSON response;
//! - `encode_response(&ir::ChatResponse) -> Vec<u8>` — the client's JSON response;
//! - `decode_error(status: u16, body: &[u8]) -> ApiError` — an upstream error body, kind from status and body;
//! - `StreamDecoder` — `new()`, `feed(&SseEvent) -> Result<Vec<ir::StreamEvent>, ir::DecodeError>`,
//!   `finish() -> Vec<ir::StreamEvent>`, `is_complete() -> bool` — upstream SSE to IR events;
//! - `StreamEncoder` — `feed(&ir::StreamEvent, &mut Vec<u8>)` — IR events to the client's SSE bytes, including
//!   the format's terminal frames on `MessageStop` and its error event on `Error`.
//!
//! Byte framing (SSE) is the separate [`sse`] layer: stream decoders receive whole events.
//!
//! Some formats are upstream-only (no inbound endpoint speaks them): [`Format::CodeAssist`], [`Format::Kiro`].
//! Kiro's body is not SSE: [`framing`] turns any upstream body into whole events. For them the
//! client-side functions of [`dispatch`] answer as the nearest client format (documented per function).

pub mod anthropic;
pub mod dispatch;
pub mod framing;
pub mod gemini;
pub(crate) mod json_fields;
pub mod kiro;
pub mod openai_chat;
pub mod openai_responses;
pub mod sse;

use serde::Serialize;

/// The tool name encoders write for a tool call that arrived without one (every target format rejects an empty
/// name; Claude Code, for one, answers "No such tool available").
pub const UNNAMED_TOOL: &str = "unknown_tool";

/// A wire format, as spoken by a client or an upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// OpenAI Chat Completions.
    OpenAiChat,
    /// Anthropic Messages.
    Anthropic,
    /// OpenAI Responses (Codex CLI).
    OpenAiResponses,
    /// Google Gemini `generateContent`.
    Gemini,
    /// Gemini inside the Cloud Code Assist `v1internal` envelope (Gemini CLI, Antigravity). Upstream only.
    CodeAssist,
    /// Kiro (AWS CodeWhisperer `generateAssistantResponse`: JSON in, AWS event-stream out). Upstream only.
    Kiro,
}

impl Format {
    /// The format's error envelope for clients.
    #[must_use]
    pub fn client_format(self) -> crate::error::ClientFormat {
        match self {
            Self::OpenAiChat | Self::OpenAiResponses | Self::Kiro => crate::error::ClientFormat::OpenAi,
            Self::Anthropic => crate::error::ClientFormat::Anthropic,
            Self::Gemini | Self::CodeAssist => crate::error::ClientFormat::Gemini,
        }
    }

    /// Short name used in logs and usage records.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::OpenAiChat => "openai",
            Self::Anthropic => "claude",
            Self::OpenAiResponses => "openai-responses",
            Self::Gemini => "gemini",
            Self::CodeAssist => "code-assist",
            Self::Kiro => "kiro",
        }
    }
}
