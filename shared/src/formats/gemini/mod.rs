//! Google Gemini `generateContent` / `streamGenerateContent` (Gemini Developer API and Vertex bodies) ↔ IR, in
//! both directions, plus the Cloud Code Assist `v1internal` envelope used by Gemini CLI and Antigravity
//! ([`envelope`], a thin wrapper: unwrap, then this module does the rest). Pure: no IO, no clock, no randomness.
//!
//! Gemini puts the model and the stream switch in the URL (`models/{m}:generateContent`,
//! `:streamGenerateContent?alt=sse`), so [`decode_request`] leaves `model` empty and `stream` false, and
//! [`encode_request`] writes the body only; the pipeline chooses the URL.
//!
//! Files:
//! - `types.rs`: serde wire types of the decode side (function-call `args` and function-response `response`
//!   are captured raw, so their JSON text travels byte-exact);
//! - `parts.rs`: `Part` ⇄ [`crate::ir::ContentPart`], shared by requests, responses and streams (signatures,
//!   call ids, function-response objects);
//! - `request_decode.rs` / `request_encode.rs` (+ `config.rs` for `generationConfig`, `toolConfig` and thinking,
//!   `schema.rs` for JSON Schema ⇄ Gemini `Schema`);
//! - `response.rs`: non-streamed responses, usage and finish reasons;
//! - `error.rs`: upstream error bodies and [`retry_after_ms`];
//! - `stream_decode.rs` / `stream_encode.rs`: upstream SSE → IR events; IR events → client SSE or JSON array;
//! - `envelope.rs`: `v1internal` `{model, project, request}` / `{response, traceId}`.
//!
//! Fidelity rules that hold across the module (wire facts: wire-formats.md §4–§6):
//! - thought signatures travel byte-exact, and only in Gemini-family thinking. A signature on a `thought` part
//!   stays on that [`crate::ir::Thinking`]; a signature on any other part (text, `functionCall`, an empty final
//!   text) becomes a Gemini-family `Thinking` with empty text placed just before that part, and the encoders put
//!   it back on the part that follows it. So a Gemini → IR → Gemini trip returns every signature in its place;
//! - function-call `args` are kept as the JSON text received; calls without an `id` get the deterministic id
//!   `call_<name>_<n>` (`n` counts the calls of the request or response), which the encoders recognise and do
//!   not send back as an `id`;
//! - fields the IR does not model travel in [`crate::ir::ChatRequest::extra`]: `safetySettings`,
//!   `cachedContent`, `labels` under their own names (re-emitted, see [`PASSTHROUGH_FIELDS`]), and under the
//!   private keys [`OTHER_TOOLS_KEY`], [`GENERATION_CONFIG_KEY`] and [`TOOL_CONFIG_KEY`]. Other formats' `extra`
//!   fields are never sent to Gemini, which rejects unknown fields.

pub mod envelope;

mod config;
mod error;
mod parts;
mod request_decode;
mod request_encode;
mod response;
mod schema;
mod stream_decode;
mod stream_encode;
mod types;

#[cfg(test)]
mod tests;

pub use error::{decode_error, retry_after_ms};
pub use request_decode::decode_request;
pub use request_encode::encode_request;
pub use response::{decode_response, encode_response, encode_response_at};
pub use stream_decode::StreamDecoder;
pub use stream_encode::StreamEncoder;

/// Key of [`crate::ir::ChatRequest::extra`] holding Gemini's non-function tools (`googleSearch`,
/// `codeExecution`, `urlContext`, …) as a JSON array of tool objects; the encoder appends them to `tools`.
pub const OTHER_TOOLS_KEY: &str = "__gemini_other_tools";

/// Key of [`crate::ir::ChatRequest::extra`] holding the `generationConfig` fields the IR does not model
/// (`candidateCount`, `responseModalities`, `speechConfig`, `thinkingConfig.includeThoughts: false`, …) as an
/// object; the encoder adds each one the IR did not set.
pub const GENERATION_CONFIG_KEY: &str = "__gemini_generation_config";

/// Key of [`crate::ir::ChatRequest::extra`] holding a `toolConfig` the IR cannot express exactly (mode
/// `VALIDATED`, several `allowedFunctionNames`, `retrievalConfig`, …), verbatim; the encoder sends it back when
/// the request's tool choice is still the one it decodes to.
pub const TOOL_CONFIG_KEY: &str = "__gemini_tool_config";

/// Top-level request fields copied from `extra` (never overriding a field the encoder set). Add new Gemini
/// fields here; anything else in `extra` is dropped.
pub const PASSTHROUGH_FIELDS: &[&str] = &["safetySettings", "cachedContent", "labels"];

/// The thought signature Google documents for function calls the model did not produce (history from another
/// provider or built by hand): it tells Gemini 3 to skip signature validation instead of answering 400
/// "Function call is missing a thought_signature". Source: <https://ai.google.dev/gemini-api/docs/thought-signatures>
/// (FAQ); also wire-formats.md §4.1 and the same constant in several public Gemini proxies.
pub const DUMMY_THOUGHT_SIGNATURE: &str = "skip_thought_signature_validator";

/// How a client asked for a streamed response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeminiStreamMode {
    /// `streamGenerateContent?alt=sse`: one `data: {chunk}\r\n\r\n` event per chunk.
    Sse,
    /// `streamGenerateContent` without `alt=sse`: one JSON array written incrementally, `[` before the first
    /// chunk, `,\r\n` between chunks, `]` after the last.
    JsonArray,
}

/// Name used when a tool call or result arrives without one (Gemini needs a name on both).
const UNNAMED_TOOL: &str = super::UNNAMED_TOOL;

/// The id minted for the `n`-th (0-based) function call of a request or response that came without an id:
/// `call_{name}_{n}`, and for a response `call_{name}_{n}_{salt}` with `salt` from its `responseId`, so calls of
/// different turns never share an id (a client echoes them all back in its history, and Anthropic rejects a
/// history whose `tool_use` ids repeat).
fn synthesized_call_id(name: &str, n: u32, salt: Option<&str>) -> String {
    match salt {
        Some(salt) => format!("call_{name}_{n}_{salt}"),
        None => format!("call_{name}_{n}"),
    }
}

/// The salt of a response's minted ids: up to 16 ASCII alphanumerics of its `responseId`.
fn call_id_salt(response_id: &str) -> Option<String> {
    let salt: String = response_id.chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    (!salt.is_empty()).then_some(salt)
}

/// Whether `id` is one [`synthesized_call_id`] minted for a call named `name` (such ids are not sent to Gemini,
/// which never saw them).
fn is_synthesized_call_id(id: &str, name: &str) -> bool {
    let Some(rest) =
        id.strip_prefix("call_").and_then(|rest| rest.strip_prefix(name)).and_then(|r| r.strip_prefix('_'))
    else {
        return false;
    };
    let (n, salt) = rest.split_once('_').unwrap_or((rest, "x"));
    !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
        && !salt.is_empty()
        && salt.bytes().all(|b| b.is_ascii_alphanumeric())
}
