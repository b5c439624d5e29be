//! OpenAI Chat Completions (`POST /v1/chat/completions`) ↔ IR, in both directions: client requests in and
//! responses / streams out, upstream requests out and responses / streams / errors in. Pure: no IO, no clock
//! (the caller passes `created` timestamps).
//!
//! The module follows the format contract of [`crate::formats`]:
//! - [`decode_request`] / [`encode_request`] (`request_decode.rs` with `formats::json_fields` and `request_params.rs`,
//!   `request_encode.rs`);
//! - [`decode_response`] / [`encode_response`] / [`encode_response_at`] (`response.rs`);
//! - [`decode_error`] (`error.rs`);
//! - [`StreamDecoder`] (upstream SSE → IR, `stream_decode.rs`) and [`StreamEncoder`] (IR → client SSE,
//!   `stream_encode.rs`).
//!
//! Wire facts: wire-formats.md §1 and the cross-format tables of §6. Where the mapping is lossy the choice is
//! documented at the function that makes it. In short:
//! - system / developer messages (anywhere) ↔ IR system blocks; upstream gets one leading `system` message;
//! - `tool` messages ↔ `ToolResult` parts of a user message; images in tool results follow in a user message;
//! - Chat cannot carry thinking back: assistant thinking is dropped from requests; responses and streams expose
//!   it as the DeepSeek-style `reasoning_content`, which is also what is read from upstreams;
//! - finish reasons: refusal → `content_filter`, pause → `stop` (§6.6).

mod common;
mod error;

mod request_decode;
mod request_encode;
mod request_params;
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
