//! Anthropic Messages (`POST /v1/messages`, Claude Code's wire format): decoding into and encoding out of
//! [`crate::ir`] for requests, responses, errors and streams. Pure translation: no IO, no clock, no randomness.
//!
//! Files:
//! - `types.rs`: serde wire types (decode side borrows from the body; encode side borrows from the IR);
//! - `request_decode.rs` / `request_encode.rs` (+ `history.rs`, the message-list repairs Anthropic insists on);
//! - `response.rs`: non-streaming responses and stop reasons;
//! - `error.rs`: upstream error bodies;
//! - `stream_decode.rs` / `stream_encode.rs`: SSE events ⇄ [`crate::ir::StreamEvent`].
//!
//! Fidelity rules that hold across the module:
//! - thinking signatures and redacted-thinking data travel byte-exact, and only into Anthropic-family blocks: a
//!   signature from another family is never sent to Anthropic or to an Anthropic client;
//! - tool-call arguments are kept as the JSON text received (`input` objects are captured raw, key order and
//!   all, through serde_json's `RawValue`);
//! - fields the IR does not model travel in [`crate::ir::ChatRequest::extra`], and only the known Anthropic
//!   top-level fields listed in [`PASSTHROUGH_FIELDS`] are re-emitted (an `extra` filled by another format's
//!   decoder must not leak its fields into an Anthropic body, which rejects unknown fields).

mod error;
mod history;
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
pub use response::{decode_response, encode_response};
pub use stream_decode::StreamDecoder;
pub use stream_encode::StreamEncoder;

/// Key of [`crate::ir::ChatRequest::extra`] holding Anthropic server / Anthropic-defined tools (those with a
/// versioned `type` such as `web_search_20250305`) as a JSON array; the encoder appends them to `tools`.
pub const SERVER_TOOLS_KEY: &str = "__anthropic_server_tools";

/// Top-level request fields the encoder copies from `extra` (besides `thinking`, handled with the reasoning
/// controls, and [`SERVER_TOOLS_KEY`]). Anything else in `extra` is dropped. Add new Anthropic fields here.
pub const PASSTHROUGH_FIELDS: &[&str] = &[
    "cache_control",
    "container",
    "context_management",
    "inference_geo",
    "mcp_servers",
    "output_config",
    "service_tier",
];

/// Name used when a tool or tool call arrives without one (Anthropic rejects empty names).
const UNNAMED_TOOL: &str = "unknown_tool";

/// A tool-use id Anthropic accepts: every character outside `[a-zA-Z0-9_-]` becomes `_` (deterministic, so a
/// call and its result stay linked); an empty id becomes `toolu_unknown`.
fn sanitize_tool_id(id: &str) -> String {
    if id.is_empty() {
        return "toolu_unknown".to_owned();
    }
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

/// A tool name that is never empty.
fn tool_name(name: &str) -> &str {
    if name.is_empty() {
        UNNAMED_TOOL
    } else {
        name
    }
}

/// A message id with Anthropic's `msg_` prefix (added when missing, so SDKs that look at it are content).
fn message_id(id: &str) -> String {
    if id.starts_with("msg_") {
        id.to_owned()
    } else if id.is_empty() {
        "msg_unknown".to_owned()
    } else {
        format!("msg_{id}")
    }
}
