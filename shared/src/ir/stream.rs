//! Streaming events in the IR. Every stream decoder emits a well-formed sequence:
//!
//! `MessageStart (BlockStart Delta* BlockStop)* MessageDelta MessageStop`, or `Error` at any point after which
//! nothing follows. Block indexes count from 0 in order of `BlockStart`; blocks never interleave (a decoder of a
//! format that interleaves closes the open block before starting the next). Encoders may rely on this grammar.

use serde::{Deserialize, Serialize};

use super::{FinishReason, ReasoningFamily, Usage};
use crate::error::ErrorKind;

/// The kind of a content block being opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockKind {
    /// Text.
    Text,
    /// Reasoning text (signature arrives as a delta).
    Thinking {
        /// Family of the reasoning (signatures are family-bound).
        family: Option<ReasoningFamily>,
    },
    /// Redacted reasoning with its opaque data.
    RedactedThinking {
        /// Opaque data, byte-exact.
        data: String,
        /// Family.
        family: Option<ReasoningFamily>,
    },
    /// A tool call.
    ToolCall {
        /// Call id (never empty).
        id: String,
        /// Tool name (never empty).
        name: String,
    },
}

/// An increment to the open block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Delta {
    /// Text.
    Text(String),
    /// Reasoning text.
    Thinking(String),
    /// Reasoning signature (appended, byte-exact).
    Signature(String),
    /// A fragment of tool-call arguments JSON.
    ToolArguments(String),
}

/// One event of a streamed response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StreamEvent {
    /// The response begins.
    MessageStart {
        /// Response id.
        id: String,
        /// Model.
        model: String,
        /// Usage known at the start (input tokens), if any.
        usage: Option<Usage>,
    },
    /// A block opens.
    BlockStart {
        /// Block index.
        index: u32,
        /// What it is.
        block: BlockKind,
    },
    /// The open block grows.
    Delta {
        /// Block index.
        index: u32,
        /// The increment.
        delta: Delta,
    },
    /// The block closes.
    BlockStop {
        /// Block index.
        index: u32,
    },
    /// Final metadata.
    MessageDelta {
        /// Why it stopped.
        finish: Option<FinishReason>,
        /// Final usage (cumulative).
        usage: Option<Usage>,
        /// The matched stop sequence.
        stop_sequence: Option<String>,
    },
    /// The response is complete.
    MessageStop,
    /// The stream failed; nothing follows.
    Error {
        /// What kind of failure.
        kind: ErrorKindTag,
        /// Message (no secrets).
        message: String,
    },
}

/// A serialisable [`ErrorKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKindTag {
    /// See [`ErrorKind::InvalidRequest`].
    InvalidRequest,
    /// See [`ErrorKind::RateLimited`].
    RateLimited,
    /// See [`ErrorKind::Unavailable`].
    Overloaded,
    /// Anything else server-side.
    Server,
}

impl From<ErrorKindTag> for ErrorKind {
    fn from(tag: ErrorKindTag) -> Self {
        match tag {
            ErrorKindTag::InvalidRequest => Self::InvalidRequest,
            ErrorKindTag::RateLimited => Self::RateLimited,
            ErrorKindTag::Overloaded => Self::Unavailable,
            ErrorKindTag::Server => Self::BadGateway,
        }
    }
}
