//! The canonical representation every wire format decodes into and encodes out of. It is a superset of the
//! formats: nothing one format can express (thinking signatures, redacted thinking, cache breakpoints, tool
//! errors, image tool results, cached/reasoning token counts) is lost on the way through.
//!
//! Formats never translate pairwise: `client format → IR → upstream format` for requests, and back for responses
//! and streams. Stream translation is `SseEvent → StreamEvent* → bytes` through per-format state machines.

pub mod aggregate;
mod request;
mod response;
mod stream;

pub use request::{
    CacheControl, ChatRequest, ContentPart, ImageSource, Message, Reasoning, ReasoningFamily, ResponseFormat, Role,
    Sampling, SystemBlock, Thinking, Tool, ToolChoice,
};
pub use response::{ChatResponse, FinishReason, Usage};
pub use stream::{BlockKind, Delta, ErrorKindTag, StreamEvent};

/// A decoding failure of client input or upstream output: the message names the offending field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

impl DecodeError {
    /// A failure described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
