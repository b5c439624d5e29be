//! Serde wire types of Anthropic Messages. Decode-side types borrow from the body (`RawValue` for content
//! blocks and tool inputs, so nothing is re-serialised on the way through); encode-side types borrow from the
//! IR. No translation logic lives here.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::ir::CacheControl;

// ---------------------------------------------------------------------------------------------------------
// Decode side: requests and responses
// ---------------------------------------------------------------------------------------------------------

/// The `type` of any tagged object (absent for custom tools).
#[derive(Debug, Deserialize)]
pub(super) struct Tagged {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A message of a request.
#[derive(Debug, Deserialize)]
pub(super) struct WireMessage<'a> {
    pub role: String,
    #[serde(borrow)]
    pub content: &'a RawValue,
}

/// `text` block.
#[derive(Debug, Deserialize)]
pub(super) struct WireText {
    pub text: String,
    #[serde(default)]
    pub cache_control: Option<CacheControl>,
}

/// The `source` of an image or document; validated per kind by the decoder.
#[derive(Debug, Deserialize)]
pub(super) struct WireSource {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// `image` block.
#[derive(Debug, Deserialize)]
pub(super) struct WireImage {
    pub source: WireSource,
    #[serde(default)]
    pub cache_control: Option<CacheControl>,
}

/// `document` block.
#[derive(Debug, Deserialize)]
pub(super) struct WireDocument {
    pub source: WireSource,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub cache_control: Option<CacheControl>,
}

/// `tool_use` block; `input` is kept as raw JSON text.
#[derive(Debug, Deserialize)]
pub(super) struct WireToolUse<'a> {
    pub id: String,
    pub name: String,
    #[serde(borrow, default)]
    pub input: Option<&'a RawValue>,
}

/// `tool_result` block; `content` is a string or an array of blocks.
#[derive(Debug, Deserialize)]
pub(super) struct WireToolResult<'a> {
    pub tool_use_id: String,
    #[serde(borrow, default)]
    pub content: Option<&'a RawValue>,
    #[serde(default)]
    pub is_error: Option<bool>,
    #[serde(default)]
    pub cache_control: Option<CacheControl>,
}

/// `thinking` block.
#[derive(Debug, Deserialize)]
pub(super) struct WireThinking {
    #[serde(default)]
    pub thinking: String,
    #[serde(default)]
    pub signature: Option<String>,
}

/// `redacted_thinking` block.
#[derive(Debug, Deserialize)]
pub(super) struct WireRedacted {
    pub data: String,
}

/// A custom tool definition.
#[derive(Debug, Deserialize)]
pub(super) struct WireTool {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub input_schema: Option<Value>,
    #[serde(default)]
    pub cache_control: Option<CacheControl>,
}

/// `tool_choice`.
#[derive(Debug, Deserialize)]
pub(super) struct WireToolChoice {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub disable_parallel_tool_use: Option<bool>,
}

/// `thinking` configuration.
#[derive(Debug, Deserialize)]
pub(super) struct WireThinkingConfig {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub budget_tokens: Option<u32>,
}

/// A non-streaming response.
#[derive(Debug, Deserialize)]
pub(super) struct WireResponse<'a> {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub model: String,
    #[serde(borrow)]
    pub content: Vec<&'a RawValue>,
    #[serde(default)]
    pub stop_reason: Option<String>,
    #[serde(default)]
    pub stop_sequence: Option<String>,
    #[serde(default)]
    pub usage: Option<WireUsage>,
}

/// `usage` (message, `message_start` and — cumulative, every field optional — `message_delta`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct WireUsage {
    #[serde(default)]
    pub input_tokens: Option<u64>,
    #[serde(default)]
    pub output_tokens: Option<u64>,
    #[serde(default)]
    pub cache_creation_input_tokens: Option<u64>,
    #[serde(default)]
    pub cache_read_input_tokens: Option<u64>,
    #[serde(default)]
    pub output_tokens_details: Option<WireOutputDetails>,
}

/// `usage.output_tokens_details`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct WireOutputDetails {
    #[serde(default)]
    pub thinking_tokens: Option<u64>,
}

/// `error` object of an error body or stream event.
#[derive(Debug, Default, Deserialize)]
pub(super) struct WireErrorBody {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub message: String,
}

/// `{"type":"error","error":{…}}`.
#[derive(Debug, Deserialize)]
pub(super) struct WireErrorEnvelope {
    #[serde(default)]
    pub error: Option<WireErrorBody>,
}

// ---------------------------------------------------------------------------------------------------------
// Decode side: stream events
// ---------------------------------------------------------------------------------------------------------

/// One streamed event, by its `type`; unknown types are ignored.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum WireEvent {
    MessageStart {
        message: WireStartMessage,
    },
    ContentBlockStart {
        index: u64,
        content_block: WireStartBlock,
    },
    ContentBlockDelta {
        index: u64,
        delta: WireDelta,
    },
    ContentBlockStop {
        index: u64,
    },
    MessageDelta {
        #[serde(default)]
        delta: WireMessageDelta,
        #[serde(default)]
        usage: Option<WireUsage>,
    },
    MessageStop,
    Error {
        #[serde(default)]
        error: WireErrorBody,
    },
    #[serde(other)]
    Other,
}

/// `message_start.message`.
#[derive(Debug, Deserialize)]
pub(super) struct WireStartMessage {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub usage: Option<WireUsage>,
}

/// `content_block_start.content_block`; server-tool and unknown blocks are [`WireStartBlock::Other`].
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum WireStartBlock {
    Text {
        #[serde(default)]
        text: String,
    },
    Thinking {
        #[serde(default)]
        thinking: String,
        #[serde(default)]
        signature: String,
    },
    RedactedThinking {
        data: String,
    },
    ToolUse {
        id: String,
        name: String,
        #[serde(default)]
        input: Option<Value>,
    },
    #[serde(other)]
    Other,
}

/// `content_block_delta.delta`.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum WireDelta {
    TextDelta {
        text: String,
    },
    ThinkingDelta {
        thinking: String,
    },
    SignatureDelta {
        signature: String,
    },
    InputJsonDelta {
        #[serde(default)]
        partial_json: String,
    },
    #[serde(other)]
    Other,
}

/// `message_delta.delta`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct WireMessageDelta {
    #[serde(default)]
    pub stop_reason: Option<String>,
    #[serde(default)]
    pub stop_sequence: Option<String>,
}

// ---------------------------------------------------------------------------------------------------------
// Encode side
// ---------------------------------------------------------------------------------------------------------

/// A content block to send.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum OutBlock<'a> {
    Text {
        text: Cow<'a, str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<&'a CacheControl>,
    },
    Image {
        source: OutSource<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<&'a CacheControl>,
    },
    Document {
        source: OutSource<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<&'a CacheControl>,
    },
    ToolUse {
        id: String,
        name: &'a str,
        input: ToolInput,
    },
    ToolResult {
        tool_use_id: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        content: Vec<OutBlock<'a>>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        is_error: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<&'a CacheControl>,
    },
    Thinking {
        thinking: &'a str,
        signature: &'a str,
    },
    RedactedThinking {
        data: &'a str,
    },
}

/// An image or document source to send.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum OutSource<'a> {
    Base64 { media_type: &'a str, data: &'a str },
    Url { url: &'a str },
    Text { media_type: &'static str, data: String },
}

/// A tool call's `input`: the arguments text itself when it is a JSON object, else a built value.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum ToolInput {
    Raw(Box<RawValue>),
    Built(Value),
}

impl ToolInput {
    /// The `input` object for arguments given as JSON text: the text itself when it is an object; `{}` when
    /// it is empty or `null`; otherwise (invalid JSON, or not an object) `{"_raw": text}`, which keeps what
    /// the model produced visible instead of silently losing it.
    pub fn from_arguments(arguments: &str) -> Self {
        let trimmed = arguments.trim();
        if trimmed.is_empty() || trimmed == "null" {
            return Self::Built(Value::Object(Map::new()));
        }
        if trimmed.starts_with('{') {
            if let Ok(raw) = RawValue::from_string(trimmed.to_owned()) {
                return Self::Raw(raw);
            }
        }
        let mut wrapped = Map::new();
        wrapped.insert("_raw".to_owned(), Value::String(arguments.to_owned()));
        Self::Built(Value::Object(wrapped))
    }
}

/// A system block to send.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename = "text")]
pub(super) struct OutSystem<'a> {
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<&'a CacheControl>,
}

/// A message to send.
#[derive(Debug, Serialize)]
pub(super) struct OutMessage<'a> {
    pub role: &'static str,
    pub content: Vec<OutBlock<'a>>,
}

/// A tool definition to send: custom, or a server tool re-emitted verbatim.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum OutTool<'a> {
    Custom {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
        input_schema: Cow<'a, Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cache_control: Option<&'a CacheControl>,
    },
    Server(&'a Value),
}

/// `tool_choice` to send.
#[derive(Debug, Serialize)]
pub(super) struct OutToolChoice<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_parallel_tool_use: Option<bool>,
}

/// `metadata` to send (Anthropic accepts `user_id` only).
#[derive(Debug, Serialize)]
pub(super) struct OutMetadata<'a> {
    pub user_id: &'a str,
}

/// A request body to send.
#[derive(Debug, Serialize)]
pub(super) struct OutRequest<'a> {
    pub model: &'a str,
    pub max_tokens: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub system: Vec<OutSystem<'a>>,
    pub messages: Vec<OutMessage<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<OutTool<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<OutToolChoice<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stop_sequences: Vec<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<OutMetadata<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `usage` to send.
#[derive(Debug, Serialize)]
pub(super) struct OutUsage {
    pub input_tokens: u64,
    pub cache_creation_input_tokens: u64,
    pub cache_read_input_tokens: u64,
    pub output_tokens: u64,
}

/// A non-streaming response to send.
#[derive(Debug, Serialize)]
pub(super) struct OutResponse<'a> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub role: &'static str,
    pub model: &'a str,
    pub content: Vec<OutBlock<'a>>,
    pub stop_reason: Option<&'static str>,
    pub stop_sequence: Option<&'a str>,
    pub usage: OutUsage,
}
