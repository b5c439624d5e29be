//! Non-streaming responses in the IR.

use serde::{Deserialize, Serialize};

use super::ContentPart;

/// Why generation stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// Natural end (or a stop sequence).
    Stop,
    /// Output token limit.
    Length,
    /// The model called tools.
    ToolCalls,
    /// Blocked by a content filter / safety.
    ContentFilter,
    /// The model refused.
    Refusal,
    /// Paused (Anthropic `pause_turn`).
    Pause,
}

/// Token usage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Input tokens, excluding cache reads and writes.
    pub input_tokens: u64,
    /// Output tokens, including reasoning.
    pub output_tokens: u64,
    /// Input tokens read from the prompt cache.
    pub cache_read_tokens: u64,
    /// Input tokens written to the prompt cache.
    pub cache_write_tokens: u64,
    /// Output tokens spent on reasoning (part of `output_tokens`).
    pub reasoning_tokens: u64,
}

impl Usage {
    /// All input tokens (uncached + cache reads + cache writes), as OpenAI's `prompt_tokens` counts them.
    #[must_use]
    pub fn total_input(&self) -> u64 {
        self.input_tokens + self.cache_read_tokens + self.cache_write_tokens
    }
}

/// A complete response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatResponse {
    /// Response id.
    pub id: String,
    /// Model that answered.
    pub model: String,
    /// Assistant content in order (text, thinking, tool calls).
    pub content: Vec<ContentPart>,
    /// Why it stopped.
    pub finish: Option<FinishReason>,
    /// The matched stop sequence, when one stopped it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequence: Option<String>,
    /// Usage.
    pub usage: Usage,
}
