//! OpenAI Responses (`POST /v1/responses`, Codex CLI's wire format) ↔ IR, in both directions: client requests
//! in and responses / streams out, upstream requests out (Codex / ChatGPT backend, OpenAI, Azure) and responses /
//! streams / errors in. Pure: no IO, no clock (the caller passes `created` timestamps), no randomness (item ids
//! are derived from the response id).
//!
//! The module follows the format contract of [`crate::formats`]:
//! - [`decode_request`] (`request_decode.rs` for top-level fields and tools, `input_decode.rs` for `input`
//!   items, `formats::json_fields` for path-naming field access) / [`encode_request`] (`request_encode.rs`);
//! - [`decode_response`] / [`encode_response`] / [`encode_response_at`] (`response.rs`, with the shared item and
//!   usage mappings of `common.rs` and the wire types of `types.rs`);
//! - [`decode_error`] (`error.rs`);
//! - [`StreamDecoder`] (upstream SSE → IR, `stream_decode.rs`) and [`StreamEncoder`] (IR → client SSE,
//!   `stream_encode.rs` with the event types of `events.rs`).
//!
//! Wire facts: wire-formats.md §2 and the cross-format tables of §6; what Codex sends and consumes: openai/codex
//! `codex-rs/protocol/src/models.rs` (`ResponseItem`) and `codex-rs/codex-api/src/sse/responses.rs`. Rules that
//! hold across the module:
//! - reasoning items ↔ [`crate::ir::Thinking`] of family [`crate::ir::ReasoningFamily::OpenAi`]: the summaries are
//!   the text (joined with a blank line), `encrypted_content` the signature, byte-exact. Only OpenAI-family
//!   thinking with a signature is sent upstream as a reasoning item; other reasoning never is;
//! - the IR has one system prompt: `instructions` is its first block and `system` / `developer` input messages
//!   add blocks (hoisted, as the Chat module does); the encoder sends the first block as `instructions`, byte-exact
//!   (the ChatGPT backend is picky about it), and any further block as a leading `developer` message;
//! - what the IR cannot model travels in [`crate::ir::ChatRequest::extra`]: unmodelled top-level fields under their
//!   own names, non-function tools under [`OTHER_TOOLS_KEY`], the names of `strict` function tools under
//!   [`STRICT_TOOLS_KEY`], a non-function `tool_choice` under [`TOOL_CHOICE_KEY`], and the non-effort parts of
//!   `reasoning` / the non-format parts of `text` under `reasoning` / `text`. The encoder copies back only the
//!   Responses fields listed in [`PASSTHROUGH_FIELDS`] (an `extra` filled by another format's decoder must not
//!   leak its fields into a Responses body, which rejects unknown parameters);
//! - `previous_response_id` (server-side conversation state) is kept in `extra`, so only a Responses upstream of
//!   the same OpenAI account can honour it; other upstreams see just the `input` that was sent.

mod common;
pub mod custom_tools;
mod error;
mod events;

mod input_decode;
mod request_decode;
mod request_encode;
mod response;
mod stream_decode;
mod stream_encode;
mod types;

#[cfg(test)]
mod tests;

pub use error::decode_error;
pub use request_decode::decode_request;
pub use request_encode::encode_request;
pub use response::{decode_response, encode_response, encode_response_at};
pub use stream_decode::StreamDecoder;
pub use stream_encode::StreamEncoder;

/// Key of [`crate::ir::ChatRequest::extra`] holding the request's non-function tools (`web_search`,
/// `local_shell`, `custom`, `mcp`, …) as a JSON array, verbatim; the encoder appends them to `tools`.
pub const OTHER_TOOLS_KEY: &str = "__responses_other_tools";

/// Key of [`crate::ir::ChatRequest::extra`] holding the names of the function tools declared `strict: true`
/// (the IR's tools have no strictness flag). Every other function tool is sent with `strict: false`: the
/// Responses API defaults to strict, which rejects most hand-written schemas.
pub const STRICT_TOOLS_KEY: &str = "__responses_strict_tools";

/// Key of [`crate::ir::ChatRequest::extra`] holding a `tool_choice` the IR cannot express (`custom`,
/// `allowed_tools`, hosted-tool and `mcp` choices), verbatim; sent when the IR has no tool choice.
pub const TOOL_CHOICE_KEY: &str = "__responses_tool_choice";

/// Top-level request fields the encoder copies from `extra` when present (besides `store`, `include`,
/// `reasoning` and `text`, which it merges with what it sets). Anything else in `extra` is dropped.
pub const PASSTHROUGH_FIELDS: &[&str] = &[
    "background",
    "context_management",
    "conversation",
    "max_tool_calls",
    "previous_response_id",
    "prompt",
    "prompt_cache_key",
    "prompt_cache_retention",
    "safety_identifier",
    "service_tier",
    "stream_options",
    "top_logprobs",
    "truncation",
];

/// A response id with the `resp_` prefix SDKs expect (added when missing; `resp_unknown` when empty).
fn response_id(id: &str) -> String {
    if id.starts_with("resp_") {
        id.to_owned()
    } else if id.is_empty() {
        "resp_unknown".to_owned()
    } else {
        format!("resp_{id}")
    }
}

/// The id of output item `output_index` of `response_id`, e.g. `msg_abc_0` for `resp_abc` (deterministic, so
/// the same IR always encodes to the same bytes).
fn item_id(prefix: &str, response_id: &str, output_index: usize) -> String {
    let suffix = response_id.strip_prefix("resp_").unwrap_or(response_id);
    format!("{prefix}_{suffix}_{output_index}")
}
