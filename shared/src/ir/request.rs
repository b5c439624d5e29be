//! Requests in the IR.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Who said a message. System prompts are kept apart in [`ChatRequest::system`]; tool results are content parts
/// of a `User` message (as in Anthropic's format), which OpenAI-style encoders split into `tool` messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The user (and tool results).
    User,
    /// The model.
    Assistant,
}

/// A prompt-cache breakpoint (Anthropic `cache_control`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheControl {
    /// Always `ephemeral` today.
    #[serde(rename = "type")]
    pub kind: String,
    /// Optional TTL such as `5m` or `1h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}

/// One block of the system prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemBlock {
    /// The text.
    pub text: String,
    /// Cache breakpoint after this block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
}

/// Where an image (or document) comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImageSource {
    /// A URL (http(s)); `data:` URLs are decoded into [`ImageSource::Base64`].
    Url {
        /// The URL.
        url: String,
    },
    /// Inline bytes.
    Base64 {
        /// MIME type, e.g. `image/png`.
        media_type: String,
        /// Base64 data (no `data:` prefix).
        data: String,
    },
}

/// Which provider family produced a reasoning block (signatures are only valid within their family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningFamily {
    /// Anthropic `thinking` / `redacted_thinking` (signature / data).
    Anthropic,
    /// OpenAI reasoning items (`encrypted_content`).
    OpenAi,
    /// Gemini thought parts (`thoughtSignature`).
    Gemini,
}

/// A reasoning (thinking) block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thinking {
    /// Visible reasoning text (empty for redacted blocks).
    pub text: String,
    /// Opaque signature / encrypted content, byte-exact as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Redacted reasoning: `signature` holds the opaque data and `text` is empty.
    #[serde(default)]
    pub redacted: bool,
    /// Where it came from; `None` when unknown (then it is never forwarded with a signature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<ReasoningFamily>,
}

/// One piece of message content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentPart {
    /// Text.
    Text {
        /// The text.
        text: String,
        /// Cache breakpoint after this part.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cache_control: Option<CacheControl>,
    },
    /// An image.
    Image {
        /// Its source.
        source: ImageSource,
        /// Cache breakpoint.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cache_control: Option<CacheControl>,
    },
    /// A document (PDF or text) where the format has them.
    Document {
        /// Its source.
        source: ImageSource,
        /// Title, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// Cache breakpoint.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cache_control: Option<CacheControl>,
    },
    /// A tool call made by the assistant.
    ToolCall {
        /// Call id (never empty).
        id: String,
        /// Tool name (never empty).
        name: String,
        /// Arguments as JSON text, exactly as produced.
        arguments: String,
    },
    /// The result of a tool call (in a user message).
    ToolResult {
        /// The call it answers.
        call_id: String,
        /// Result content: text and images.
        content: Vec<ContentPart>,
        /// The tool failed.
        #[serde(default)]
        is_error: bool,
        /// Cache breakpoint.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cache_control: Option<CacheControl>,
    },
    /// Reasoning.
    Thinking(Thinking),
}

/// A message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Author.
    pub role: Role,
    /// Content, in order.
    pub content: Vec<ContentPart>,
}

/// A tool the model may call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the arguments.
    pub parameters: Value,
    /// Cache breakpoint after this tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
}

/// How the model must use tools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ToolChoice {
    /// The model decides.
    Auto,
    /// No tool calls.
    None,
    /// At least one tool call.
    Required,
    /// This tool.
    Tool {
        /// Its name.
        name: String,
    },
}

/// Sampling parameters (absent = provider default).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sampling {
    /// Temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Top-k.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// Presence penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// Frequency penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    /// Seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
}

/// Structured output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResponseFormat {
    /// Plain text.
    Text,
    /// Any JSON object.
    JsonObject,
    /// JSON matching a schema.
    JsonSchema {
        /// Schema name.
        name: String,
        /// The schema.
        schema: Value,
        /// Strict adherence.
        #[serde(default)]
        strict: bool,
    },
}

/// Reasoning controls: an effort level (OpenAI style) and/or a token budget (Anthropic / Gemini style).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reasoning {
    /// `minimal`, `low`, `medium`, `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
    /// Thinking budget in tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_tokens: Option<u32>,
    /// Reasoning explicitly disabled.
    #[serde(default)]
    pub disabled: bool,
}

/// A chat request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// Model as the client named it (the router rewrites it per target).
    pub model: String,
    /// System prompt blocks.
    #[serde(default)]
    pub system: Vec<SystemBlock>,
    /// Conversation.
    pub messages: Vec<Message>,
    /// Tools.
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// Tool choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Whether parallel tool calls are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// Sampling.
    #[serde(default)]
    pub sampling: Sampling,
    /// Output token limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Stop sequences.
    #[serde(default)]
    pub stop: Vec<String>,
    /// Structured output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Reasoning controls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<Reasoning>,
    /// Streamed response wanted.
    #[serde(default)]
    pub stream: bool,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Free-form metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Top-level fields of the source format this IR does not model, kept so an upstream of the same format
    /// receives them (e.g. `context_management`, `service_tier`).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

impl Reasoning {
    /// The OpenAI-style effort (Chat `reasoning_effort`, Responses `reasoning.effort`): `none` when disabled; an
    /// effort as given; a budget alone mapped with Google's anchors (wire-formats.md §6.8: low 1024, medium 8192,
    /// high 24576): 0 → `none`, ≤ 1024 → `low`, ≤ 8192 → `medium`, above → `high`.
    #[must_use]
    pub fn openai_effort(&self) -> Option<String> {
        if self.disabled {
            return Some("none".to_owned());
        }
        if let Some(effort) = &self.effort {
            return Some(effort.clone());
        }
        self.budget_tokens.map(|budget| {
            match budget {
                0 => "none",
                1..=1024 => "low",
                1025..=8192 => "medium",
                _ => "high",
            }
            .to_owned()
        })
    }
}

impl ContentPart {
    /// A plain text part.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into(), cache_control: None }
    }
}
