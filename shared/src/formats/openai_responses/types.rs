//! Serde wire types of what this module writes for clients: the response object and its output items, shared by
//! the non-streamed response and the stream's `response.*` events. Client requests and everything read from
//! upstreams are decoded from `serde_json::Value` instead (lenient, and errors can name the offending field).

use serde::Serialize;
use serde_json::{Map, Value};

/// An `output_text` content part of a message item.
#[derive(Debug, Clone, Serialize)]
pub(super) struct OutputText {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
    pub annotations: [(); 0],
}

impl OutputText {
    pub(super) fn new(text: String) -> Self {
        Self { kind: "output_text", text, annotations: [] }
    }
}

/// A `summary_text` part of a reasoning item.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SummaryText {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
}

impl SummaryText {
    pub(super) fn new(text: String) -> Self {
        Self { kind: "summary_text", text }
    }
}

/// One output item, as `output[]` of the response object and `item` of `response.output_item.*` events.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum OutputItem {
    Message {
        id: String,
        status: &'static str,
        role: &'static str,
        content: Vec<OutputText>,
    },
    Reasoning {
        id: String,
        summary: Vec<SummaryText>,
        #[serde(skip_serializing_if = "Option::is_none")]
        encrypted_content: Option<String>,
    },
    FunctionCall {
        id: String,
        status: &'static str,
        call_id: String,
        name: String,
        arguments: String,
    },
    /// A freeform tool's call (see `custom_tools.rs`).
    CustomToolCall {
        id: String,
        status: &'static str,
        call_id: String,
        name: String,
        input: String,
    },
}

/// `usage` of the response object.
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct UsageOut {
    pub input_tokens: u64,
    pub input_tokens_details: InputDetailsOut,
    pub output_tokens: u64,
    pub output_tokens_details: OutputDetailsOut,
    pub total_tokens: u64,
}

/// `usage.input_tokens_details`.
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct InputDetailsOut {
    pub cached_tokens: u64,
    /// Always sent: current SDK types declare it required (clients that predate it ignore it).
    pub cache_write_tokens: u64,
}

/// `usage.output_tokens_details`.
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct OutputDetailsOut {
    pub reasoning_tokens: u64,
}

/// `incomplete_details` of the response object.
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct IncompleteDetails {
    pub reason: &'static str,
}

/// `error` of a failed response object.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ResponseError<'a> {
    pub code: &'static str,
    pub message: &'a str,
}

/// The response object. Besides what clients read (`id`, `status`, `model`, `output`, `usage`), it carries the
/// fields the SDKs' `Response` type declares as always present, with neutral values: the router does not echo
/// the request's settings back.
#[derive(Debug, Serialize)]
pub(super) struct ResponseObject<'a> {
    pub id: &'a str,
    pub object: &'static str,
    pub created_at: u64,
    pub status: &'static str,
    pub error: Option<ResponseError<'a>>,
    pub incomplete_details: Option<IncompleteDetails>,
    pub instructions: Option<()>,
    pub metadata: Map<String, Value>,
    pub model: &'a str,
    pub output: &'a [OutputItem],
    pub parallel_tool_calls: bool,
    pub temperature: Option<()>,
    pub tool_choice: &'static str,
    pub tools: [(); 0],
    pub top_p: Option<()>,
    pub usage: Option<UsageOut>,
}

impl<'a> ResponseObject<'a> {
    /// A response object with `status`, the given output and usage, and no error.
    pub(super) fn new(
        id: &'a str,
        model: &'a str,
        created_at: u64,
        status: &'static str,
        output: &'a [OutputItem],
        usage: Option<UsageOut>,
    ) -> Self {
        Self {
            id,
            object: "response",
            created_at,
            status,
            error: None,
            incomplete_details: None,
            instructions: None,
            metadata: Map::new(),
            model,
            output,
            parallel_tool_calls: true,
            temperature: None,
            tool_choice: "auto",
            tools: [],
            top_p: None,
            usage,
        }
    }
}
