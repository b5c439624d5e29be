//! [`ChatRequest`] → the Responses body sent upstream (OpenAI `/v1/responses`, the ChatGPT Codex backend, …).
//!
//! Mapping decisions:
//! - The first system block is `instructions`, byte-exact; further blocks become leading `developer` messages
//!   (so a Responses client's developer messages survive the trip, and a multi-block system prompt loses
//!   nothing). Cache breakpoints are not sent (Responses has none).
//! - User messages: consecutive text / image / document parts form one `message` item (`input_text`,
//!   `input_image` with a URL or data URL, `input_file` with `file_data` as a data URL or `file_url`); each tool
//!   result is a `function_call_output` item in place: a string (texts joined with a blank line) when it is all
//!   text, else `input_text` / `input_image` / `input_file` parts. The error flag is dropped (Responses has
//!   none; the text says what failed). Thinking and tool calls in a user message are dropped.
//! - Assistant messages: consecutive texts form one `message` item of `output_text` parts; tool calls become
//!   `function_call` items `{call_id, name, arguments}`; OpenAI-family thinking with a signature becomes a
//!   `reasoning` item `{summary, encrypted_content}` (summary `[]` when there is no text) — without an item `id`,
//!   as Codex sends it (ids only resolve against stored responses). Other reasoning is dropped: a foreign or
//!   missing signature means nothing to OpenAI. Images and documents in assistant messages are dropped.
//! - Tools: function tools flat, `strict` from [`STRICT_TOOLS_KEY`] (else `false`), then the verbatim tools of
//!   [`OTHER_TOOLS_KEY`] (a verbatim `custom` tool replaces its IR function form, and that tool's freeform calls
//!   and their results go out as `custom_tool_call` / `custom_tool_call_output` items, see `custom_tools.rs`). `tool_choice` is sent only with tools (from the IR, else [`TOOL_CHOICE_KEY`]).
//! - Reasoning: an effort (or a budget mapped to one, see `common::reasoning_effort`) → `reasoning: {effort,
//!   summary}` where `summary` comes from `extra.reasoning` or is `auto`; when reasoning is on (effort other
//!   than `none`) `include` gets `reasoning.encrypted_content`, so the reasoning can be sent back with
//!   `store: false`. `store` is `extra.store` when it is a boolean, else `false` (the router keeps no
//!   server-side state on anyone's account).
//! - `max_tokens` → `max_output_tokens`; `response_format` → `text.format` (merged with `extra.text`, e.g.
//!   `verbosity`). Stop sequences, `top_k`, penalties and seed have no Responses field and are dropped.
//! - Only the [`PASSTHROUGH_FIELDS`] of `extra` are copied (never over a field set here); `service_tier` only
//!   with a value OpenAI knows, `context_management` only in its Responses (array) shape, `stream_options` only
//!   when streaming.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::ir::{
    ChatRequest, ContentPart, ImageSource, Message, ReasoningFamily, ResponseFormat, Role, Tool, ToolChoice,
};

use super::common::{source_to_url, BLOCK_SEPARATOR};
use super::custom_tools;
use super::{OTHER_TOOLS_KEY, PASSTHROUGH_FIELDS, STRICT_TOOLS_KEY, TOOL_CHOICE_KEY};

/// `include` value that makes reasoning items carry their `encrypted_content`.
const INCLUDE_ENCRYPTED_REASONING: &str = "reasoning.encrypted_content";
/// `service_tier` values the Responses API accepts.
const SERVICE_TIERS: &[&str] = &["auto", "default", "flex", "priority", "scale"];

#[derive(Serialize)]
struct RequestOut<'a> {
    model: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    instructions: Option<&'a str>,
    input: Vec<InputItem<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tools: Vec<ToolOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_choice: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parallel_tool_calls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning: Option<Value>,
    store: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    include: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_output_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Value>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum InputItem<'a> {
    Message { role: &'static str, content: Vec<PartOut<'a>> },
    FunctionCall { call_id: &'a str, name: &'a str, arguments: &'a str },
    FunctionCallOutput { call_id: &'a str, output: OutputOut<'a> },
    CustomToolCall { call_id: &'a str, name: &'a str, input: String },
    CustomToolCallOutput { call_id: &'a str, output: OutputOut<'a> },
    Reasoning { summary: Vec<SummaryOut<'a>>, encrypted_content: &'a str },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum PartOut<'a> {
    InputText {
        text: &'a str,
    },
    OutputText {
        text: &'a str,
    },
    InputImage {
        image_url: String,
        detail: &'static str,
    },
    InputFile {
        #[serde(skip_serializing_if = "Option::is_none")]
        file_data: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        file_url: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        filename: Option<&'a str>,
    },
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutputOut<'a> {
    Text(String),
    Parts(Vec<PartOut<'a>>),
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ToolOut<'a> {
    Function {
        #[serde(rename = "type")]
        kind: &'static str,
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
        parameters: &'a Value,
        strict: bool,
    },
    Verbatim(&'a Value),
}

/// Encodes `req` as a Responses request body (`req.model` is the upstream model).
#[must_use]
pub fn encode_request(req: &ChatRequest) -> Vec<u8> {
    let mut input = Vec::with_capacity(req.messages.len() + req.system.len());
    input.extend(req.system.iter().skip(1).map(|block| InputItem::Message {
        role: "developer",
        content: vec![PartOut::InputText { text: &block.text }],
    }));
    let mut custom = CustomTools { names: custom_tool_names(req), calls: Vec::new() };
    for message in &req.messages {
        encode_message(message, &mut custom, &mut input);
    }
    let tools = encode_tools(req);
    let (reasoning, reasoning_on) = encode_reasoning(req);
    let body = RequestOut {
        model: &req.model,
        instructions: req.system.first().map(|block| block.text.as_str()),
        input,
        tool_choice: if tools.is_empty() {
            None
        } else {
            req.tool_choice.as_ref().map(encode_tool_choice).or_else(|| req.extra.get(TOOL_CHOICE_KEY).cloned())
        },
        tools,
        parallel_tool_calls: req.parallel_tool_calls,
        reasoning,
        store: req.extra.get("store").and_then(Value::as_bool).unwrap_or(false),
        include: encode_include(req, reasoning_on),
        text: encode_text(req),
        temperature: req.sampling.temperature,
        top_p: req.sampling.top_p,
        max_output_tokens: req.max_tokens,
        stream: req.stream.then_some(true),
        user: req.user.as_deref(),
        metadata: req.metadata.as_ref(),
    };
    let mut value = serde_json::to_value(&body).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        for key in PASSTHROUGH_FIELDS {
            let Some(extra) = req.extra.get(*key).filter(|v| passes(key, v, req.stream)) else {
                continue;
            };
            map.entry(*key).or_insert_with(|| extra.clone());
        }
    }
    serde_json::to_vec(&value).unwrap_or_default()
}

/// Whether an `extra` value may be sent as the Responses field `key` (same-named fields of other formats have
/// other shapes; stream options only go with a stream).
fn passes(key: &str, value: &Value, stream: bool) -> bool {
    match key {
        "stream_options" => stream,
        "service_tier" => value.as_str().is_some_and(|tier| SERVICE_TIERS.contains(&tier)),
        "context_management" => value.is_array(),
        _ => true,
    }
}

/// The request's freeform tools (declared verbatim as `custom` tools) and the ids of their calls seen so far.
struct CustomTools<'a> {
    names: Vec<&'a str>,
    calls: Vec<&'a str>,
}

/// Names of the `custom` tools kept verbatim under [`OTHER_TOOLS_KEY`].
fn custom_tool_names(req: &ChatRequest) -> Vec<&str> {
    let others = req.extra.get(OTHER_TOOLS_KEY).and_then(Value::as_array).into_iter().flatten();
    others
        .filter(|tool| tool.get("type").and_then(Value::as_str) == Some("custom"))
        .filter_map(|tool| tool.get("name").and_then(Value::as_str))
        .collect()
}

/// Appends the items of one IR message; calls of the request's freeform tools (and their results) go out as
/// `custom_tool_call` (`custom_tool_call_output`) items.
fn encode_message<'a>(message: &'a Message, custom: &mut CustomTools<'a>, out: &mut Vec<InputItem<'a>>) {
    let role = match message.role {
        Role::User => "user",
        Role::Assistant => "assistant",
    };
    let mut parts = Vec::new();
    let flush = |parts: &mut Vec<PartOut<'a>>, out: &mut Vec<InputItem<'a>>| {
        if !parts.is_empty() {
            out.push(InputItem::Message { role, content: std::mem::take(parts) });
        }
    };
    for part in &message.content {
        match (message.role, part) {
            (Role::User, ContentPart::ToolResult { call_id, content, .. }) => {
                flush(&mut parts, out);
                let output = encode_output(content);
                if custom.calls.contains(&call_id.as_str()) {
                    out.push(InputItem::CustomToolCallOutput { call_id, output });
                } else {
                    out.push(InputItem::FunctionCallOutput { call_id, output });
                }
            }
            (Role::User, other) => parts.extend(input_part(other)),
            (Role::Assistant, ContentPart::Text { text, .. }) => parts.push(PartOut::OutputText { text }),
            (Role::Assistant, ContentPart::ToolCall { id, name, arguments }) => {
                flush(&mut parts, out);
                // OpenAI rejects an empty function name; a nameless call from another format gets a placeholder.
                let name = if name.is_empty() { crate::formats::UNNAMED_TOOL } else { name.as_str() };
                match custom_tools::freeform_input(arguments).filter(|_| custom.names.contains(&name)) {
                    Some(input) => {
                        custom.calls.push(id);
                        out.push(InputItem::CustomToolCall { call_id: id, name, input });
                    }
                    None => out.push(InputItem::FunctionCall { call_id: id, name, arguments }),
                }
            }
            (Role::Assistant, ContentPart::Thinking(thinking)) => {
                let Some(signature) =
                    thinking.signature.as_deref().filter(|_| thinking.family == Some(ReasoningFamily::OpenAi))
                else {
                    continue;
                };
                flush(&mut parts, out);
                let summary = if thinking.text.is_empty() {
                    Vec::new()
                } else {
                    vec![SummaryOut { kind: "summary_text", text: &thinking.text }]
                };
                out.push(InputItem::Reasoning { summary, encrypted_content: signature });
            }
            (Role::Assistant, _) => {}
        }
    }
    flush(&mut parts, out);
}

/// A user content part on the wire; thinking, tool calls and nested tool results have no place there.
fn input_part(part: &ContentPart) -> Option<PartOut<'_>> {
    match part {
        ContentPart::Text { text, .. } => Some(PartOut::InputText { text }),
        ContentPart::Image { source, .. } => {
            Some(PartOut::InputImage { image_url: source_to_url(source), detail: "auto" })
        }
        ContentPart::Document { source, title, .. } => Some(match source {
            ImageSource::Base64 { .. } => PartOut::InputFile {
                file_data: Some(source_to_url(source)),
                file_url: None,
                filename: title.as_deref(),
            },
            ImageSource::Url { url } => {
                PartOut::InputFile { file_data: None, file_url: Some(url), filename: title.as_deref() }
            }
        }),
        ContentPart::ToolCall { .. } | ContentPart::ToolResult { .. } | ContentPart::Thinking(_) => None,
    }
}

/// A tool result's `output`: one string when it is all text, else parts.
fn encode_output(content: &[ContentPart]) -> OutputOut<'_> {
    if content.iter().all(|p| matches!(p, ContentPart::Text { .. })) {
        let texts: Vec<&str> = content
            .iter()
            .filter_map(|p| match p {
                ContentPart::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        OutputOut::Text(texts.join(BLOCK_SEPARATOR))
    } else {
        OutputOut::Parts(content.iter().filter_map(input_part).collect())
    }
}

fn encode_tools(req: &ChatRequest) -> Vec<ToolOut<'_>> {
    let strict: Vec<&str> = req
        .extra
        .get(STRICT_TOOLS_KEY)
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let others = req.extra.get(OTHER_TOOLS_KEY).and_then(Value::as_array).into_iter().flatten();
    // A freeform tool's IR (function) form is not sent beside its verbatim declaration.
    let custom = custom_tool_names(req);
    req.tools
        .iter()
        .filter(|t| !custom.contains(&t.name.as_str()))
        .map(|t| function_tool(t, &strict))
        .chain(others.map(ToolOut::Verbatim))
        .collect()
}

fn function_tool<'a>(tool: &'a Tool, strict: &[&str]) -> ToolOut<'a> {
    ToolOut::Function {
        kind: "function",
        name: &tool.name,
        description: tool.description.as_deref(),
        parameters: &tool.parameters,
        strict: strict.contains(&tool.name.as_str()),
    }
}

fn encode_tool_choice(choice: &ToolChoice) -> Value {
    match choice {
        ToolChoice::Auto => json!("auto"),
        ToolChoice::None => json!("none"),
        ToolChoice::Required => json!("required"),
        ToolChoice::Tool { name } => json!({"type": "function", "name": name}),
    }
}

/// `reasoning`, and whether reasoning is on.
fn encode_reasoning(req: &ChatRequest) -> (Option<Value>, bool) {
    let rest = req.extra.get("reasoning").and_then(Value::as_object);
    let Some(effort) = req.reasoning.as_ref().and_then(crate::ir::Reasoning::openai_effort) else {
        // A `reasoning` with only a summary setting (from a Responses client) still travels.
        return (rest.map(|r| Value::Object(r.clone())), false);
    };
    let mut reasoning = rest.cloned().unwrap_or_default();
    let on = effort != "none";
    if on {
        reasoning.entry("summary").or_insert_with(|| json!("auto"));
    }
    reasoning.insert("effort".to_owned(), Value::String(effort));
    (Some(Value::Object(reasoning)), on)
}

/// `include`: the client's list (from `extra`), plus encrypted reasoning when reasoning is on.
fn encode_include(req: &ChatRequest, reasoning_on: bool) -> Option<Vec<Value>> {
    let mut include = req.extra.get("include").and_then(Value::as_array).cloned();
    if reasoning_on {
        let list = include.get_or_insert_with(Vec::new);
        if !list.iter().any(|v| v.as_str() == Some(INCLUDE_ENCRYPTED_REASONING)) {
            list.push(json!(INCLUDE_ENCRYPTED_REASONING));
        }
    }
    include
}

/// `text`: the response format, merged into `extra.text` (e.g. `verbosity`).
fn encode_text(req: &ChatRequest) -> Option<Value> {
    let mut text: Map<String, Value> = req.extra.get("text").and_then(Value::as_object).cloned().unwrap_or_default();
    if let Some(format) = &req.response_format {
        let format = match format {
            ResponseFormat::Text => json!({"type": "text"}),
            ResponseFormat::JsonObject => json!({"type": "json_object"}),
            ResponseFormat::JsonSchema { name, schema, strict } => {
                json!({"type": "json_schema", "name": name, "schema": schema, "strict": strict})
            }
        };
        text.insert("format".to_owned(), format);
    }
    (!text.is_empty()).then_some(Value::Object(text))
}
