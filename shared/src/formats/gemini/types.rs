//! Serde wire types of the decode side (requests and responses). REST bodies are lowerCamelCase; the proto JSON
//! parser behind the API also accepts the snake_case names, so those are accepted as aliases. `args` and
//! `response` are borrowed raw so their JSON text is kept exactly. No translation logic lives here.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// A `Content`: a role and its parts.
#[derive(Debug, Deserialize)]
pub(super) struct WireContent<'a> {
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default, borrow)]
    pub parts: Option<Vec<WirePart<'a>>>,
}

/// A `Part`: one data field plus the optional `thought` flag and `thoughtSignature`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WirePart<'a> {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub thought: Option<bool>,
    #[serde(default, alias = "thought_signature")]
    pub thought_signature: Option<String>,
    #[serde(default, alias = "inline_data")]
    pub inline_data: Option<WireBlob>,
    #[serde(default, alias = "file_data")]
    pub file_data: Option<WireFileData>,
    #[serde(default, borrow, alias = "function_call")]
    pub function_call: Option<WireFunctionCall<'a>>,
    #[serde(default, borrow, alias = "function_response")]
    pub function_response: Option<WireFunctionResponse<'a>>,
    #[serde(default, alias = "executable_code")]
    pub executable_code: Option<WireExecutableCode>,
    #[serde(default, alias = "code_execution_result")]
    pub code_execution_result: Option<WireCodeResult>,
}

/// `inlineData`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireBlob {
    #[serde(default, alias = "mime_type")]
    pub mime_type: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
}

/// `fileData`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireFileData {
    #[serde(default, alias = "mime_type")]
    pub mime_type: Option<String>,
    #[serde(default, alias = "file_uri")]
    pub file_uri: Option<String>,
}

/// `functionCall`; `args` raw.
#[derive(Debug, Deserialize)]
pub(super) struct WireFunctionCall<'a> {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, borrow)]
    pub args: Option<&'a RawValue>,
    #[serde(default)]
    pub id: Option<String>,
}

/// `functionResponse`; `response` raw, `parts` (multimodal results) decoded like message parts.
#[derive(Debug, Deserialize)]
pub(super) struct WireFunctionResponse<'a> {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, borrow)]
    pub response: Option<&'a RawValue>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, borrow)]
    pub parts: Option<Vec<WirePart<'a>>>,
}

/// `executableCode` (code-execution tool).
#[derive(Debug, Deserialize)]
pub(super) struct WireExecutableCode {
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

/// `codeExecutionResult` (code-execution tool).
#[derive(Debug, Deserialize)]
pub(super) struct WireCodeResult {
    #[serde(default)]
    pub output: Option<String>,
}

/// A `GenerateContentResponse` (also each stream chunk); `error` is the in-stream error object some upstreams
/// send instead of candidates.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireResponse<'a> {
    #[serde(default, borrow)]
    pub candidates: Option<Vec<WireCandidate<'a>>>,
    #[serde(default, alias = "prompt_feedback")]
    pub prompt_feedback: Option<WirePromptFeedback>,
    #[serde(default, alias = "usage_metadata")]
    pub usage_metadata: Option<WireUsage>,
    #[serde(default, alias = "model_version")]
    pub model_version: Option<String>,
    #[serde(default, alias = "response_id")]
    pub response_id: Option<String>,
    #[serde(default)]
    pub error: Option<Value>,
}

/// A candidate.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireCandidate<'a> {
    #[serde(default, borrow)]
    pub content: Option<WireContent<'a>>,
    #[serde(default, alias = "finish_reason")]
    pub finish_reason: Option<String>,
    #[serde(default)]
    pub index: Option<u32>,
}

/// `promptFeedback`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WirePromptFeedback {
    #[serde(default, alias = "block_reason")]
    pub block_reason: Option<String>,
}

/// `usageMetadata`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireUsage {
    #[serde(default, alias = "prompt_token_count")]
    pub prompt_token_count: Option<u64>,
    #[serde(default, alias = "candidates_token_count")]
    pub candidates_token_count: Option<u64>,
    #[serde(default, alias = "cached_content_token_count")]
    pub cached_content_token_count: Option<u64>,
    #[serde(default, alias = "thoughts_token_count")]
    pub thoughts_token_count: Option<u64>,
    #[serde(default, alias = "tool_use_prompt_token_count")]
    pub tool_use_prompt_token_count: Option<u64>,
}

impl<'a> WireResponse<'a> {
    /// Takes the candidate with index 0 (or the first one): the router never asks for `candidateCount > 1`.
    pub(super) fn take_candidate(&mut self) -> Option<WireCandidate<'a>> {
        let candidates = self.candidates.as_mut()?;
        let position = candidates.iter().position(|c| c.index.unwrap_or(0) == 0).unwrap_or(0);
        (position < candidates.len()).then(|| candidates.swap_remove(position))
    }
}
