//! Serde wire types of OpenAI Chat Completions: what we send (requests upstream, responses and chunks to
//! clients) and what we read from upstreams (responses and chunks). Client *requests* are decoded from a
//! `serde_json::Value` instead (see `request_decode.rs`) so every error can name the offending field.
//!
//! Incoming types are lenient: every field is optional (a `null` is the same as absent) and unknown fields are
//! ignored, because OpenAI-compatible vendors differ in what they fill in.

use serde::{Deserialize, Serialize};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------------------------
// Outgoing request (IR → upstream).

/// The request body sent upstream, before `extra` is merged in.
#[derive(Debug, Serialize)]
pub(super) struct RequestOut<'a> {
    pub model: &'a str,
    pub messages: Vec<MessageOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub stop: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptionsOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<&'a Value>,
}

/// `stream_options`.
#[derive(Debug, Serialize)]
pub(super) struct StreamOptionsOut {
    pub include_usage: bool,
}

/// One message of an outgoing request.
#[derive(Debug, Serialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub(super) enum MessageOut<'a> {
    System {
        content: String,
    },
    User {
        content: UserContentOut<'a>,
    },
    Assistant {
        /// `null` when the message only calls tools.
        content: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tool_calls: Vec<ToolCallOut<'a>>,
    },
    Tool {
        tool_call_id: &'a str,
        content: String,
    },
}

/// User content: a plain string when it is a single text, else parts.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum UserContentOut<'a> {
    Text(&'a str),
    Parts(Vec<PartOut<'a>>),
}

/// A user content part.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum PartOut<'a> {
    Text { text: &'a str },
    ImageUrl { image_url: ImageUrlOut },
    File { file: FileOut<'a> },
}

/// `image_url` of an image part.
#[derive(Debug, Serialize)]
pub(super) struct ImageUrlOut {
    pub url: String,
}

/// `file` of a file part.
#[derive(Debug, Serialize)]
pub(super) struct FileOut<'a> {
    pub file_data: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<&'a str>,
}

/// A complete tool call (requests and non-streamed responses).
#[derive(Debug, Serialize)]
pub(super) struct ToolCallOut<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub function: FunctionCallOut<'a>,
}

/// `function` of a tool call.
#[derive(Debug, Serialize)]
pub(super) struct FunctionCallOut<'a> {
    pub name: &'a str,
    pub arguments: &'a str,
}

/// A tool definition.
#[derive(Debug, Serialize)]
pub(super) struct ToolOut<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub function: FunctionDefOut<'a>,
}

/// `function` of a tool definition.
#[derive(Debug, Serialize)]
pub(super) struct FunctionDefOut<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub parameters: &'a Value,
}

// ---------------------------------------------------------------------------------------------------------------
// Outgoing response and chunks (IR → client).

/// A non-streamed response.
#[derive(Debug, Serialize)]
pub(super) struct ResponseOut<'a> {
    pub id: &'a str,
    pub object: &'static str,
    pub created: u64,
    pub model: &'a str,
    pub choices: Vec<ChoiceOut<'a>>,
    pub usage: UsageOut,
}

/// `choices[0]` of a response.
#[derive(Debug, Serialize)]
pub(super) struct ChoiceOut<'a> {
    pub index: u32,
    pub message: ResponseMessageOut<'a>,
    pub finish_reason: &'static str,
    pub logprobs: Option<()>,
}

/// The assistant message of a response.
#[derive(Debug, Serialize)]
pub(super) struct ResponseMessageOut<'a> {
    pub role: &'static str,
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_content: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCallOut<'a>>,
}

/// `usage` of a response or of the final chunk.
#[derive(Debug, Clone, Serialize)]
pub(super) struct UsageOut {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub total_tokens: u64,
    pub prompt_tokens_details: PromptDetailsOut,
    pub completion_tokens_details: CompletionDetailsOut,
}

/// `usage.prompt_tokens_details`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PromptDetailsOut {
    pub cached_tokens: u64,
    /// Only sent when non-zero: a recent field older clients do not know.
    #[serde(skip_serializing_if = "is_zero")]
    pub cache_write_tokens: u64,
}

/// `usage.completion_tokens_details`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct CompletionDetailsOut {
    pub reasoning_tokens: u64,
}

/// `skip_serializing_if` helper (serde passes a reference).
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One streamed chunk.
#[derive(Debug, Serialize)]
pub(super) struct ChunkOut<'a> {
    pub id: &'a str,
    pub object: &'static str,
    pub created: u64,
    pub model: &'a str,
    pub choices: Vec<ChunkChoiceOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<UsageOut>,
}

/// `choices[0]` of a chunk.
#[derive(Debug, Serialize)]
pub(super) struct ChunkChoiceOut<'a> {
    pub index: u32,
    pub delta: DeltaOut<'a>,
    pub logprobs: Option<()>,
    pub finish_reason: Option<&'static str>,
}

/// `delta` of a chunk (an empty object when every field is absent).
#[derive(Debug, Default, Serialize)]
pub(super) struct DeltaOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_content: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCallDeltaOut<'a>>,
}

/// One tool-call fragment of a chunk.
#[derive(Debug, Serialize)]
pub(super) struct ToolCallDeltaOut<'a> {
    pub index: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    pub function: FunctionDeltaOut<'a>,
}

/// `function` of a tool-call fragment.
#[derive(Debug, Serialize)]
pub(super) struct FunctionDeltaOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub arguments: &'a str,
}

// ---------------------------------------------------------------------------------------------------------------
// Incoming response and chunks (upstream → IR).

/// A non-streamed response.
#[derive(Debug, Deserialize)]
pub(super) struct ResponseIn {
    pub id: Option<String>,
    pub model: Option<String>,
    pub choices: Option<Vec<ChoiceIn>>,
    pub usage: Option<UsageIn>,
}

/// One choice of a response.
#[derive(Debug, Deserialize)]
pub(super) struct ChoiceIn {
    pub index: Option<u32>,
    pub message: Option<MessageIn>,
    pub finish_reason: Option<String>,
}

/// The assistant message of a response.
#[derive(Debug, Deserialize)]
pub(super) struct MessageIn {
    /// A string, an array of `{type:"text"|"refusal"}` parts, or null.
    pub content: Option<Value>,
    /// DeepSeek-style reasoning text.
    pub reasoning_content: Option<String>,
    /// OpenRouter-style reasoning text.
    pub reasoning: Option<String>,
    pub refusal: Option<String>,
    pub tool_calls: Option<Vec<ToolCallIn>>,
}

/// A complete tool call of a response.
#[derive(Debug, Deserialize)]
pub(super) struct ToolCallIn {
    pub id: Option<String>,
    pub function: Option<FunctionCallIn>,
}

/// `function` of a tool call; `arguments` is a JSON string (some vendors send an object).
#[derive(Debug, Deserialize)]
pub(super) struct FunctionCallIn {
    pub name: Option<String>,
    pub arguments: Option<Value>,
}

/// `usage`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct UsageIn {
    pub prompt_tokens: Option<u64>,
    pub completion_tokens: Option<u64>,
    pub prompt_tokens_details: Option<PromptDetailsIn>,
    pub completion_tokens_details: Option<CompletionDetailsIn>,
}

/// `usage.prompt_tokens_details`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct PromptDetailsIn {
    pub cached_tokens: Option<u64>,
    pub cache_write_tokens: Option<u64>,
}

/// `usage.completion_tokens_details`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct CompletionDetailsIn {
    pub reasoning_tokens: Option<u64>,
}

/// One streamed chunk (or an in-stream error object).
#[derive(Debug, Deserialize)]
pub(super) struct ChunkIn {
    pub id: Option<String>,
    pub model: Option<String>,
    pub choices: Option<Vec<ChunkChoiceIn>>,
    pub usage: Option<UsageIn>,
    pub error: Option<Value>,
}

/// One choice of a chunk.
#[derive(Debug, Deserialize)]
pub(super) struct ChunkChoiceIn {
    pub index: Option<u32>,
    pub delta: Option<DeltaIn>,
    pub finish_reason: Option<String>,
}

/// `delta` of a chunk.
#[derive(Debug, Deserialize)]
pub(super) struct DeltaIn {
    pub content: Option<String>,
    pub reasoning_content: Option<String>,
    pub reasoning: Option<String>,
    pub refusal: Option<String>,
    pub tool_calls: Option<Vec<ToolCallDeltaIn>>,
}

/// One tool-call fragment of a chunk.
#[derive(Debug, Deserialize)]
pub(super) struct ToolCallDeltaIn {
    pub index: Option<u32>,
    pub id: Option<String>,
    pub function: Option<FunctionDeltaIn>,
}

/// `function` of a tool-call fragment.
#[derive(Debug, Deserialize)]
pub(super) struct FunctionDeltaIn {
    pub name: Option<String>,
    pub arguments: Option<String>,
}
