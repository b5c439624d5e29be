//! A client's Chat Completions request → [`ChatRequest`]. Decoded from a `serde_json::Value` so that every
//! error names the offending field (`` `messages[2].content` must be a string or an array ``).
//!
//! Mapping decisions (see also the module docs):
//! - `system` / `developer` messages become [`ChatRequest::system`] blocks (one per text), wherever they appear:
//!   the IR has one system prompt, so a mid-conversation system message is appended to it.
//! - `tool` messages become [`ContentPart::ToolResult`]s of a user message; consecutive ones share one message.
//! - Empty texts produce no part. Message `name`s, tool `strict` and `json_schema.description` are dropped.
//! - `reasoning_content` / `reasoning` on assistant messages becomes a [`Thinking`] block of unknown family.
//! - `input_audio` parts, `file_id` files, `custom` tools, `allowed_tools` choices and the legacy `function` role
//!   are rejected with a 400 naming the part: silently dropping them would change what the model sees.
//! - Unmodelled top-level fields (including legacy `functions` / `function_call`, `n`, `logprobs`, `top_k`) go to
//!   [`ChatRequest::extra`]; `stream_options` is dropped because the encoder sets it itself.

use serde_json::Value;

use crate::ir::{CacheControl, ChatRequest, ContentPart, DecodeError, Message, Reasoning, Role, SystemBlock, Thinking};

use super::common::source_from_url;
use super::request_params::{decode_response_format, decode_stop, decode_tool, decode_tool_choice};
use crate::formats::json_fields::{must, Fields};

/// Top-level fields this module models; every other field goes to [`ChatRequest::extra`].
const MODELLED_FIELDS: &[&str] = &[
    "model",
    "messages",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "temperature",
    "top_p",
    "presence_penalty",
    "frequency_penalty",
    "seed",
    "max_tokens",
    "max_completion_tokens",
    "stop",
    "response_format",
    "reasoning_effort",
    "stream",
    "stream_options",
    "user",
    "metadata",
];

/// Decodes a client's Chat Completions request body.
///
/// # Errors
/// A [`DecodeError`] naming the first offending field when the body is not JSON, `model` is not a string,
/// `messages` is not an array, or a message, part, tool or parameter has the wrong shape or is unsupported.
pub fn decode_request(body: &[u8]) -> Result<ChatRequest, DecodeError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| DecodeError::new(format!("request body is not valid JSON: {e}")))?;
    let Value::Object(map) = &value else {
        return Err(DecodeError::new("request body must be a JSON object"));
    };
    let top = Fields { map, path: String::new() };
    let model = top.required_str("model")?.to_owned();
    let messages = top.array("messages")?.ok_or_else(|| must("messages", "an array"))?;

    let mut req = ChatRequest { model, ..ChatRequest::default() };
    decode_messages(messages, &mut req)?;
    if let Some(tools) = top.array("tools")? {
        req.tools =
            tools.iter().enumerate().map(|(i, t)| decode_tool(t, format!("tools[{i}]"))).collect::<Result<_, _>>()?;
    }
    req.tool_choice = top.get("tool_choice").map(|v| decode_tool_choice(v, &top.at("tool_choice"))).transpose()?;
    req.parallel_tool_calls = top.bool("parallel_tool_calls")?;
    req.sampling.temperature = top.f64("temperature")?;
    req.sampling.top_p = top.f64("top_p")?;
    req.sampling.presence_penalty = top.f64("presence_penalty")?;
    req.sampling.frequency_penalty = top.f64("frequency_penalty")?;
    req.sampling.seed = top.i64("seed")?;
    // `max_completion_tokens` is the current name; it wins when a client sends both.
    req.max_tokens = match top.u32("max_completion_tokens")? {
        Some(n) => Some(n),
        None => top.u32("max_tokens")?,
    };
    req.stop = decode_stop(top.get("stop"))?;
    req.response_format =
        top.get("response_format").map(|v| decode_response_format(v, top.at("response_format"))).transpose()?;
    req.reasoning = top.str("reasoning_effort")?.map(|effort| {
        if effort == "none" {
            Reasoning { disabled: true, ..Reasoning::default() }
        } else {
            Reasoning { effort: Some(effort.to_owned()), ..Reasoning::default() }
        }
    });
    req.stream = top.bool("stream")?.unwrap_or(false);
    req.user = top.str("user")?.map(str::to_owned);
    req.metadata = top.get("metadata").cloned();
    req.extra = map
        .iter()
        .filter(|(k, _)| !MODELLED_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(req)
}

/// Decodes `messages` into `req.system` and `req.messages`.
fn decode_messages(messages: &[Value], req: &mut ChatRequest) -> Result<(), DecodeError> {
    // Whether the last IR message was built from `tool` messages (the next tool result joins it).
    let mut in_tool_results = false;
    for (i, message) in messages.iter().enumerate() {
        let m = Fields::of(message, format!("messages[{i}]"))?;
        match m.required_str("role")? {
            "system" | "developer" => req
                .system
                .extend(decode_texts(&m)?.into_iter().map(|(text, cache_control)| SystemBlock { text, cache_control })),
            "user" => {
                in_tool_results = false;
                req.messages.push(Message { role: Role::User, content: decode_user_content(&m)? });
            }
            "assistant" => {
                in_tool_results = false;
                req.messages.push(Message { role: Role::Assistant, content: decode_assistant(&m)? });
            }
            "tool" => {
                let result = decode_tool_result(&m)?;
                match req.messages.last_mut() {
                    Some(last) if in_tool_results => last.content.push(result),
                    _ => req.messages.push(Message { role: Role::User, content: vec![result] }),
                }
                in_tool_results = true;
            }
            "function" => {
                return Err(DecodeError::new(format!(
                    "`{}` `function` (legacy function calling) is not supported; use `tool` messages",
                    m.at("role")
                )))
            }
            other => {
                return Err(DecodeError::new(format!(
                    "`{}` `{other}` is not one of system, developer, user, assistant, tool",
                    m.at("role")
                )))
            }
        }
    }
    Ok(())
}

/// The content of a message: a string or an array of parts (`None` when absent or null).
enum Content<'a> {
    Text(&'a str),
    Parts(&'a [Value]),
}

fn content<'a>(m: &Fields<'a>) -> Result<Option<Content<'a>>, DecodeError> {
    match m.get("content") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(Content::Text(s))),
        Some(Value::Array(parts)) => Ok(Some(Content::Parts(parts))),
        Some(_) => Err(must(&m.at("content"), "a string or an array")),
    }
}

/// The path of part `j` of a message's content.
fn part_path(m: &Fields<'_>, j: usize) -> String {
    format!("{}[{j}]", m.at("content"))
}

/// A text-only content (system messages): its non-empty texts with their cache breakpoints.
fn decode_texts(m: &Fields<'_>) -> Result<Vec<(String, Option<CacheControl>)>, DecodeError> {
    let mut texts = Vec::new();
    match content(m)? {
        None => return Err(must(&m.at("content"), "a string or an array")),
        Some(Content::Text(s)) => texts.push((s.to_owned(), None)),
        Some(Content::Parts(parts)) => {
            for (j, part) in parts.iter().enumerate() {
                let p = Fields::of(part, part_path(m, j))?;
                match p.required_str("type")? {
                    "text" => texts.push((p.required_str("text")?.to_owned(), p.cache_control())),
                    other => return Err(unsupported_part(&p, other)),
                }
            }
        }
    }
    texts.retain(|(text, _)| !text.is_empty());
    Ok(texts)
}

fn unsupported_part(p: &Fields<'_>, kind: &str) -> DecodeError {
    DecodeError::new(format!("`{}`: content part type `{kind}` is not supported here", p.path))
}

/// A text part, or none for an empty text.
fn text_part(text: &str, cache_control: Option<CacheControl>) -> Option<ContentPart> {
    (!text.is_empty()).then(|| ContentPart::Text { text: text.to_owned(), cache_control })
}

fn decode_user_content(m: &Fields<'_>) -> Result<Vec<ContentPart>, DecodeError> {
    match content(m)? {
        None => Err(must(&m.at("content"), "a string or an array")),
        Some(Content::Text(s)) => Ok(text_part(s, None).into_iter().collect()),
        Some(Content::Parts(parts)) => {
            let mut out = Vec::with_capacity(parts.len());
            for (j, part) in parts.iter().enumerate() {
                out.extend(decode_user_part(&Fields::of(part, part_path(m, j))?)?);
            }
            Ok(out)
        }
    }
}

/// One part of user (or tool) content.
fn decode_user_part(p: &Fields<'_>) -> Result<Option<ContentPart>, DecodeError> {
    match p.required_str("type")? {
        "text" => Ok(text_part(p.required_str("text")?, p.cache_control())),
        "image_url" => {
            // `image_url` is `{url, detail?}`; a bare string is accepted too.
            let url = match p.get("image_url") {
                Some(Value::String(url)) => url.as_str(),
                Some(obj @ Value::Object(_)) => Fields::of(obj, p.at("image_url"))?.required_str("url")?,
                _ => return Err(must(&p.at("image_url"), "an object with a `url`")),
            };
            Ok(Some(ContentPart::Image { source: source_from_url(url), cache_control: p.cache_control() }))
        }
        "file" => decode_file(p).map(Some),
        "input_audio" => Err(DecodeError::new(format!(
            "`{}`: content part type `input_audio` is not supported (no audio input through this router)",
            p.path
        ))),
        other => Err(unsupported_part(p, other)),
    }
}

/// A `file` part with inline `file_data` (a data URL, or bare base64 taken as PDF) → a document.
fn decode_file(p: &Fields<'_>) -> Result<ContentPart, DecodeError> {
    let file = Fields::of(p.get("file").ok_or_else(|| must(&p.at("file"), "an object"))?, p.at("file"))?;
    let Some(data) = file.str("file_data")? else {
        return Err(DecodeError::new(format!(
            "`{}`: only inline files (`file_data`) are supported, not uploaded `file_id`s",
            file.path
        )));
    };
    let source = if data.starts_with("data:") {
        source_from_url(data)
    } else {
        crate::ir::ImageSource::Base64 { media_type: "application/pdf".to_owned(), data: data.to_owned() }
    };
    Ok(ContentPart::Document {
        source,
        title: file.str("filename")?.map(str::to_owned),
        cache_control: p.cache_control(),
    })
}

/// An assistant message: reasoning first, then text, then tool calls.
fn decode_assistant(m: &Fields<'_>) -> Result<Vec<ContentPart>, DecodeError> {
    let mut out = Vec::new();
    let reasoning = match m.str("reasoning_content")? {
        Some(text) => Some(text),
        None => m.get("reasoning").and_then(Value::as_str),
    };
    if let Some(text) = reasoning.filter(|t| !t.is_empty()) {
        out.push(ContentPart::Thinking(Thinking {
            text: text.to_owned(),
            signature: None,
            redacted: false,
            family: None,
        }));
    }
    match content(m)? {
        None => {}
        Some(Content::Text(s)) => out.extend(text_part(s, None)),
        Some(Content::Parts(parts)) => {
            for (j, part) in parts.iter().enumerate() {
                let p = Fields::of(part, part_path(m, j))?;
                match p.required_str("type")? {
                    "text" => out.extend(text_part(p.required_str("text")?, p.cache_control())),
                    "refusal" => out.extend(text_part(p.required_str("refusal")?, None)),
                    other => return Err(unsupported_part(&p, other)),
                }
            }
        }
    }
    if let Some(refusal) = m.str("refusal")? {
        out.extend(text_part(refusal, None));
    }
    if let Some(calls) = m.array("tool_calls")? {
        for (j, call) in calls.iter().enumerate() {
            out.push(decode_tool_call(&Fields::of(call, format!("{}[{j}]", m.at("tool_calls")))?)?);
        }
    }
    Ok(out)
}

fn decode_tool_call(c: &Fields<'_>) -> Result<ContentPart, DecodeError> {
    if let Some(kind) = c.str("type")?.filter(|k| *k != "function") {
        return Err(DecodeError::new(format!(
            "`{}` `{kind}` is not supported; only `function` tool calls are",
            c.at("type")
        )));
    }
    let function =
        Fields::of(c.get("function").ok_or_else(|| must(&c.at("function"), "an object"))?, c.at("function"))?;
    // Arguments are a JSON string; an object (sent by some clients) is serialised. Absent means no arguments.
    let arguments = match function.get("arguments") {
        None => "{}".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(obj @ Value::Object(_)) => obj.to_string(),
        Some(_) => return Err(must(&function.at("arguments"), "a JSON string")),
    };
    Ok(ContentPart::ToolCall { id: c.name("id")?.to_owned(), name: function.name("name")?.to_owned(), arguments })
}

/// A `tool` message as a tool result (Chat has no error flag).
fn decode_tool_result(m: &Fields<'_>) -> Result<ContentPart, DecodeError> {
    let call_id = m.name("tool_call_id")?.to_owned();
    let content = match content(m)? {
        None => Vec::new(),
        Some(Content::Text(s)) => text_part(s, None).into_iter().collect(),
        Some(Content::Parts(parts)) => {
            let mut out = Vec::with_capacity(parts.len());
            for (j, part) in parts.iter().enumerate() {
                let p = Fields::of(part, part_path(m, j))?;
                match p.required_str("type")? {
                    "text" | "image_url" => out.extend(decode_user_part(&p)?),
                    other => return Err(unsupported_part(&p, other)),
                }
            }
            out
        }
    };
    Ok(ContentPart::ToolResult { call_id, content, is_error: false, cache_control: None })
}
