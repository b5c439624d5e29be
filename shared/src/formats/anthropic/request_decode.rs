//! Anthropic request body → [`ChatRequest`]. Also home of the content-block decoder the response decoder
//! shares.
//!
//! What is kept where:
//! - modelled fields go into their IR fields; `metadata` stays whole in `metadata` and its `user_id` is also
//!   copied to `user`;
//! - `thinking` `{type:"enabled", budget_tokens}` → [`Reasoning::budget_tokens`], `{type:"disabled"}` →
//!   [`Reasoning::disabled`]; any other type (`adaptive`, …) is kept verbatim in `extra["thinking"]` (an
//!   `adaptive` one also sets an empty [`Reasoning`], meaning "reasoning on, provider defaults");
//! - `output_config` is kept verbatim in `extra`; its `effort` is also copied to [`Reasoning::effort`] and its
//!   `format` (`json_schema`) to [`ChatRequest::response_format`] (named `output`), for other formats' encoders;
//! - server / Anthropic-defined tools (a `type` other than `custom`) go verbatim into
//!   `extra[`[`SERVER_TOOLS_KEY`]`]` as a JSON array;
//! - every other top-level field goes verbatim into `extra`.
//!
//! Dropped on purpose: server-tool content blocks in the history (`server_tool_use`, `*_tool_result` such as
//! `web_search_tool_result`, `mcp_tool_use`, `mcp_tool_result`, `container_upload`) — the IR cannot carry them
//! and a foreign upstream could not use them; `citations` on text and documents; `cache_control` on
//! `tool_use` blocks; `strict` on tools. Any other unknown block type is a 400 naming it.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::types::{
    Tagged, WireDocument, WireImage, WireMessage, WireRedacted, WireSource, WireText, WireThinking, WireThinkingConfig,
    WireTool, WireToolChoice, WireToolResult, WireToolUse,
};
use super::SERVER_TOOLS_KEY;
use crate::ir::{
    ChatRequest, ContentPart, DecodeError, ImageSource, Message, Reasoning, ReasoningFamily, ResponseFormat, Role,
    SystemBlock, Thinking, Tool, ToolChoice,
};

/// Where a content block is decoded: client requests reject unknown block types, upstream responses skip
/// them (a newer upstream may add types a client can live without).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Request,
    Response,
}

/// Parses `raw` as `T`, naming `path` in the error.
pub(super) fn parse<'a, T: Deserialize<'a>>(path: &str, raw: &'a RawValue) -> Result<T, DecodeError> {
    serde_json::from_str(raw.get()).map_err(|e| DecodeError::new(format!("{path}: {e}")))
}

/// Decodes an Anthropic Messages request body.
///
/// # Errors
/// [`DecodeError`] naming the offending field: body not a JSON object, `model` or `messages` missing, a
/// field of the wrong type, an unsupported role, content block type or image/document source.
pub fn decode_request(body: &[u8]) -> Result<ChatRequest, DecodeError> {
    let text =
        std::str::from_utf8(body).map_err(|e| DecodeError::new(format!("request body is not valid UTF-8: {e}")))?;
    let fields: BTreeMap<String, &RawValue> =
        serde_json::from_str(text).map_err(|e| DecodeError::new(format!("request body is not a JSON object: {e}")))?;
    let mut req = ChatRequest::default();
    let (mut has_model, mut has_messages) = (false, false);
    let mut thinking: Option<Value> = None;
    for (key, raw) in fields {
        let path = key.as_str();
        match path {
            "model" => {
                req.model = parse(path, raw)?;
                has_model = true;
            }
            "messages" => {
                req.messages = decode_messages(raw)?;
                has_messages = true;
            }
            "system" => req.system = decode_system(raw)?,
            "tools" => decode_tools(raw, &mut req)?,
            "tool_choice" => decode_tool_choice(raw, &mut req)?,
            "temperature" => req.sampling.temperature = parse(path, raw)?,
            "top_p" => req.sampling.top_p = parse(path, raw)?,
            "top_k" => req.sampling.top_k = parse(path, raw)?,
            "max_tokens" => req.max_tokens = parse(path, raw)?,
            "stop_sequences" => {
                req.stop = parse::<Option<Vec<String>>>(path, raw)?.unwrap_or_default();
            }
            "stream" => req.stream = parse::<Option<bool>>(path, raw)?.unwrap_or(false),
            "metadata" => req.metadata = parse(path, raw)?,
            "thinking" => thinking = parse(path, raw)?,
            // Our own carrier key is never taken from a client.
            SERVER_TOOLS_KEY => {}
            _ => {
                let value: Value = parse(path, raw)?;
                req.extra.insert(key, value);
            }
        }
    }
    if !has_model {
        return Err(DecodeError::new("model: field required"));
    }
    if !has_messages {
        return Err(DecodeError::new("messages: field required"));
    }
    req.user = req.metadata.as_ref().and_then(|m| m.get("user_id")).and_then(Value::as_str).map(str::to_owned);
    if let Some(thinking) = thinking {
        decode_thinking(thinking, &mut req)?;
    }
    decode_output_config(&mut req);
    Ok(req)
}

fn decode_thinking(raw: Value, req: &mut ChatRequest) -> Result<(), DecodeError> {
    let config: WireThinkingConfig =
        serde_json::from_value(raw.clone()).map_err(|e| DecodeError::new(format!("thinking: {e}")))?;
    match config.kind.as_str() {
        "enabled" => {
            let budget =
                config.budget_tokens.ok_or_else(|| DecodeError::new("thinking.budget_tokens: field required"))?;
            req.reasoning = Some(Reasoning { budget_tokens: Some(budget), ..Reasoning::default() });
        }
        "disabled" => {
            req.reasoning = Some(Reasoning { disabled: true, ..Reasoning::default() });
        }
        other => {
            if other == "adaptive" {
                req.reasoning = Some(Reasoning::default());
            }
            req.extra.insert("thinking".to_owned(), raw);
        }
    }
    Ok(())
}

/// Mirrors `output_config.effort` / `.format` into the IR (the field itself stays in `extra`).
fn decode_output_config(req: &mut ChatRequest) {
    let Some(config) = req.extra.get("output_config").and_then(Value::as_object) else {
        return;
    };
    let effort = config.get("effort").and_then(Value::as_str).map(str::to_owned);
    let format = config
        .get("format")
        .filter(|f| f.get("type").and_then(Value::as_str) == Some("json_schema"))
        .and_then(|f| f.get("schema"))
        .cloned();
    if let Some(effort) = effort {
        let reasoning = req.reasoning.get_or_insert_with(Reasoning::default);
        if !reasoning.disabled {
            reasoning.effort = Some(effort);
        }
    }
    if let Some(schema) = format {
        req.response_format = Some(ResponseFormat::JsonSchema { name: "output".to_owned(), schema, strict: true });
    }
}

fn decode_system(raw: &RawValue) -> Result<Vec<SystemBlock>, DecodeError> {
    if raw.get().starts_with('"') {
        let text: String = parse("system", raw)?;
        return Ok(if text.is_empty() { Vec::new() } else { vec![SystemBlock { text, cache_control: None }] });
    }
    let blocks: Option<Vec<&RawValue>> = parse("system", raw)?;
    let mut system = Vec::new();
    for (i, block) in blocks.into_iter().flatten().enumerate() {
        let path = format!("system[{i}]");
        let tag: Tagged = parse(&path, block)?;
        match tag.kind.as_deref() {
            Some("text") => {
                let text: WireText = parse(&path, block)?;
                system.push(SystemBlock { text: text.text, cache_control: text.cache_control });
            }
            other => {
                return Err(DecodeError::new(format!(
                    "{path}: unsupported system block type `{}`",
                    other.unwrap_or("")
                )))
            }
        }
    }
    Ok(system)
}

fn decode_messages(raw: &RawValue) -> Result<Vec<Message>, DecodeError> {
    let wire: Vec<WireMessage> = parse("messages", raw)?;
    wire.iter()
        .enumerate()
        .map(|(i, message)| {
            let role = match message.role.as_str() {
                "user" => Role::User,
                "assistant" => Role::Assistant,
                other => return Err(DecodeError::new(format!("messages[{i}].role: unsupported role `{other}`"))),
            };
            let path = format!("messages[{i}].content");
            let content = decode_content(message.content, &path, Mode::Request)?;
            Ok(Message { role, content })
        })
        .collect()
}

/// Decodes message content: a string (one text part) or an array of blocks.
pub(super) fn decode_content(raw: &RawValue, path: &str, mode: Mode) -> Result<Vec<ContentPart>, DecodeError> {
    if raw.get().starts_with('"') {
        let text: String = parse(path, raw)?;
        return Ok(vec![ContentPart::text(text)]);
    }
    let blocks: Vec<&RawValue> = parse(path, raw)?;
    let mut parts = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.into_iter().enumerate() {
        if let Some(part) = decode_block(block, &format!("{path}[{i}]"), mode)? {
            parts.push(part);
        }
    }
    Ok(parts)
}

/// Server-tool blocks, which are dropped (see the module doc).
fn is_server_tool_block(kind: &str) -> bool {
    matches!(kind, "server_tool_use" | "mcp_tool_use" | "mcp_tool_result" | "container_upload")
        || kind.ends_with("_tool_result")
}

/// Decodes one content block; `None` for a block that is dropped.
pub(super) fn decode_block(raw: &RawValue, path: &str, mode: Mode) -> Result<Option<ContentPart>, DecodeError> {
    let tag: Tagged = parse(path, raw)?;
    let kind = tag.kind.ok_or_else(|| DecodeError::new(format!("{path}.type: field required")))?;
    let part = match kind.as_str() {
        "text" => {
            let b: WireText = parse(path, raw)?;
            ContentPart::Text { text: b.text, cache_control: b.cache_control }
        }
        "image" => {
            let b: WireImage = parse(path, raw)?;
            ContentPart::Image { source: image_source(b.source, path)?, cache_control: b.cache_control }
        }
        "document" => {
            let b: WireDocument = parse(path, raw)?;
            ContentPart::Document {
                source: document_source(b.source, path)?,
                title: b.title,
                cache_control: b.cache_control,
            }
        }
        "tool_use" => {
            let b: WireToolUse = parse(path, raw)?;
            ContentPart::ToolCall {
                id: b.id,
                name: b.name,
                arguments: b.input.map_or_else(|| "{}".to_owned(), |i| i.get().to_owned()),
            }
        }
        "tool_result" => {
            let b: WireToolResult = parse(path, raw)?;
            let content = match b.content {
                Some(content) => tool_result_content(content, &format!("{path}.content"))?,
                None => Vec::new(),
            };
            ContentPart::ToolResult {
                call_id: b.tool_use_id,
                content,
                is_error: b.is_error.unwrap_or(false),
                cache_control: b.cache_control,
            }
        }
        "thinking" => {
            let b: WireThinking = parse(path, raw)?;
            ContentPart::Thinking(Thinking {
                text: b.thinking,
                // An empty signature (an unsigned block echoed by a client) is no signature.
                signature: b.signature.filter(|s| !s.is_empty()),
                redacted: false,
                family: Some(ReasoningFamily::Anthropic),
            })
        }
        "redacted_thinking" => {
            let b: WireRedacted = parse(path, raw)?;
            ContentPart::Thinking(Thinking {
                text: String::new(),
                signature: Some(b.data),
                redacted: true,
                family: Some(ReasoningFamily::Anthropic),
            })
        }
        other if is_server_tool_block(other) => return Ok(None),
        other => {
            return match mode {
                Mode::Response => Ok(None),
                Mode::Request => Err(DecodeError::new(format!("{path}: unsupported content block type `{other}`"))),
            }
        }
    };
    Ok(Some(part))
}

/// A tool result's content: a string, or text / image / document blocks.
fn tool_result_content(raw: &RawValue, path: &str) -> Result<Vec<ContentPart>, DecodeError> {
    let parts = decode_content(raw, path, Mode::Request)?;
    for (i, part) in parts.iter().enumerate() {
        if !matches!(part, ContentPart::Text { .. } | ContentPart::Image { .. } | ContentPart::Document { .. }) {
            return Err(DecodeError::new(format!(
                "{path}[{i}]: a tool result may only contain text, image and document blocks"
            )));
        }
    }
    Ok(parts)
}

fn required(value: Option<String>, path: &str, field: &str) -> Result<String, DecodeError> {
    value.ok_or_else(|| DecodeError::new(format!("{path}.source.{field}: field required")))
}

fn image_source(source: WireSource, path: &str) -> Result<ImageSource, DecodeError> {
    match source.kind.as_str() {
        "base64" => Ok(ImageSource::Base64 {
            media_type: required(source.media_type, path, "media_type")?,
            data: required(source.data, path, "data")?,
        }),
        "url" => Ok(ImageSource::Url { url: required(source.url, path, "url")? }),
        other => Err(DecodeError::new(format!("{path}.source: unsupported image source type `{other}`"))),
    }
}

/// A document source. Plain-text sources become `Base64` of their UTF-8 bytes with their media type
/// (`text/plain` by default), so every format sees real base64; the encoder turns them back into text sources.
fn document_source(source: WireSource, path: &str) -> Result<ImageSource, DecodeError> {
    if source.kind == "text" {
        let data = required(source.data, path, "data")?;
        return Ok(ImageSource::Base64 {
            media_type: source.media_type.unwrap_or_else(|| "text/plain".to_owned()),
            data: base64::engine::general_purpose::STANDARD.encode(data),
        });
    }
    match source.kind.as_str() {
        "base64" | "url" => image_source(source, path),
        other => Err(DecodeError::new(format!("{path}.source: unsupported document source type `{other}`"))),
    }
}

fn decode_tools(raw: &RawValue, req: &mut ChatRequest) -> Result<(), DecodeError> {
    let list: Option<Vec<&RawValue>> = parse("tools", raw)?;
    let mut server = Vec::new();
    for (i, tool) in list.into_iter().flatten().enumerate() {
        let path = format!("tools[{i}]");
        let tag: Tagged = parse(&path, tool)?;
        match tag.kind.as_deref() {
            None | Some("custom") => {
                let t: WireTool = parse(&path, tool)?;
                req.tools.push(Tool {
                    name: t.name,
                    description: t.description,
                    parameters: t.input_schema.unwrap_or(Value::Null),
                    cache_control: t.cache_control,
                });
            }
            Some(_) => server.push(parse::<Value>(&path, tool)?),
        }
    }
    if !server.is_empty() {
        req.extra.insert(SERVER_TOOLS_KEY.to_owned(), Value::Array(server));
    }
    Ok(())
}

fn decode_tool_choice(raw: &RawValue, req: &mut ChatRequest) -> Result<(), DecodeError> {
    let Some(choice) = parse::<Option<WireToolChoice>>("tool_choice", raw)? else {
        return Ok(());
    };
    req.tool_choice = Some(match choice.kind.as_str() {
        "auto" => ToolChoice::Auto,
        "any" => ToolChoice::Required,
        "none" => ToolChoice::None,
        "tool" => {
            ToolChoice::Tool { name: choice.name.ok_or_else(|| DecodeError::new("tool_choice.name: field required"))? }
        }
        other => return Err(DecodeError::new(format!("tool_choice.type: unsupported value `{other}`"))),
    });
    if choice.disable_parallel_tool_use == Some(true) {
        req.parallel_tool_calls = Some(false);
    }
    Ok(())
}
