//! A client's Responses request → [`ChatRequest`]: top-level fields, tools, `tool_choice`, `reasoning` and
//! `text` here; the `input` items in `input_decode.rs`. Decoded from a `serde_json::Value` so that every error
//! names the offending field.
//!
//! Mapping decisions (see also the module docs):
//! - `instructions` is the first system block; `input` is a string (one user message) or items.
//! - Function tools become IR tools (`strict: true` names are remembered in `extra`); every other tool type is
//!   kept verbatim in `extra` for a Responses upstream: a client's hosted tools (`web_search`, `mcp`, …) and
//!   Codex's `local_shell` tools cannot be served by other formats, but must not stop the request. Codex's
//!   `custom` (freeform) tools are also IR tools with a single string argument (see `custom_tools.rs`).
//! - `tool_choice` `"auto"` / `"none"` / `"required"` / `{type:"function", name}` map to the IR; any other choice
//!   is kept in `extra` and reads as "no choice" (auto) elsewhere.
//! - `reasoning.effort` becomes the IR effort (`none` → disabled); the rest of `reasoning` (`summary`, …) stays
//!   in `extra.reasoning`. `text.format` becomes the response format; the rest of `text` (`verbosity`) stays in
//!   `extra.text`.
//! - Every other top-level field (`store`, `include`, `prompt_cache_key`, `previous_response_id`, `service_tier`,
//!   `truncation`, `top_logprobs`, …) goes to [`ChatRequest::extra`] verbatim.

use serde_json::{Map, Value};

use crate::ir::{
    ChatRequest, ContentPart, DecodeError, Message, Reasoning, ResponseFormat, Role, SystemBlock, Tool, ToolChoice,
};

use super::custom_tools;
use super::input_decode::decode_items;
use super::{OTHER_TOOLS_KEY, STRICT_TOOLS_KEY, TOOL_CHOICE_KEY};
use crate::formats::json_fields::{must, Fields};

/// Top-level fields this module models; every other field goes to [`ChatRequest::extra`].
const MODELLED_FIELDS: &[&str] = &[
    "model",
    "instructions",
    "input",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "temperature",
    "top_p",
    "max_output_tokens",
    "reasoning",
    "text",
    "stream",
    "user",
    "metadata",
];

/// Decodes a client's Responses request body.
///
/// # Errors
/// A [`DecodeError`] naming the first offending field when the body is not JSON, `model` is not a string,
/// `input` is neither a string nor an array, or an item, part, tool or parameter has the wrong shape or cannot be
/// carried (e.g. `file_id` references, `item_reference`, local-shell tool calls).
pub fn decode_request(body: &[u8]) -> Result<ChatRequest, DecodeError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| DecodeError::new(format!("request body is not valid JSON: {e}")))?;
    let Value::Object(map) = &value else {
        return Err(DecodeError::new("request body must be a JSON object"));
    };
    let top = Fields { map, path: String::new() };
    let mut req = ChatRequest { model: top.required_str("model")?.to_owned(), ..ChatRequest::default() };
    req.extra = map
        .iter()
        .filter(|(k, _)| !MODELLED_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    if let Some(instructions) = top.str("instructions")?.filter(|s| !s.is_empty()) {
        req.system.push(SystemBlock { text: instructions.to_owned(), cache_control: None });
    }
    match top.get("input") {
        None => {}
        Some(Value::String(text)) if text.is_empty() => {}
        Some(Value::String(text)) => {
            req.messages.push(Message { role: Role::User, content: vec![ContentPart::text(text.as_str())] });
        }
        Some(Value::Array(items)) => decode_items(items, &mut req)?,
        Some(_) => return Err(must("input", "a string or an array of items")),
    }
    if let Some(tools) = top.array("tools")? {
        decode_tools(tools, &mut req)?;
    }
    if let Some(choice) = top.get("tool_choice") {
        match decode_tool_choice(choice, &top.at("tool_choice"))? {
            Some(choice) => req.tool_choice = Some(choice),
            None => {
                req.extra.insert(TOOL_CHOICE_KEY.to_owned(), choice.clone());
            }
        }
    }
    req.parallel_tool_calls = top.bool("parallel_tool_calls")?;
    req.sampling.temperature = top.f64("temperature")?;
    req.sampling.top_p = top.f64("top_p")?;
    req.max_tokens = top.u32("max_output_tokens")?;
    if let Some(reasoning) = top.get("reasoning") {
        decode_reasoning(&Fields::of(reasoning, top.at("reasoning"))?, &mut req)?;
    }
    if let Some(text) = top.get("text") {
        decode_text(&Fields::of(text, top.at("text"))?, &mut req)?;
    }
    req.stream = top.bool("stream")?.unwrap_or(false);
    req.user = top.str("user")?.map(str::to_owned);
    req.metadata = top.get("metadata").cloned();
    Ok(req)
}

/// `tools[]`: flat function tools into the IR, the rest into `extra`.
fn decode_tools(tools: &[Value], req: &mut ChatRequest) -> Result<(), DecodeError> {
    let mut others = Vec::new();
    let mut strict = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        let t = Fields::of(tool, format!("tools[{i}]"))?;
        let kind = t.required_str("type")?;
        if kind != "function" {
            // A freeform tool also becomes a single-string function tool for other formats (`custom_tools.rs`);
            // the verbatim declaration serves a Responses upstream.
            if kind == "custom" {
                req.tools.extend(custom_tools::function_tool(tool));
            }
            others.push(tool.clone());
            continue;
        }
        let parameters = match t.get("parameters") {
            None => serde_json::json!({"type": "object", "properties": {}}),
            Some(schema @ Value::Object(_)) => schema.clone(),
            Some(_) => return Err(must(&t.at("parameters"), "a JSON Schema object")),
        };
        let name = t.name("name")?.to_owned();
        if t.bool("strict")? == Some(true) {
            strict.push(Value::String(name.clone()));
        }
        req.tools.push(Tool {
            name,
            description: t.str("description")?.map(str::to_owned),
            parameters,
            cache_control: None,
        });
    }
    if !others.is_empty() {
        req.extra.insert(OTHER_TOOLS_KEY.to_owned(), Value::Array(others));
    }
    if !strict.is_empty() {
        req.extra.insert(STRICT_TOOLS_KEY.to_owned(), Value::Array(strict));
    }
    Ok(())
}

/// `tool_choice`: the IR form, or `None` for a well-formed choice the IR cannot express.
fn decode_tool_choice(value: &Value, path: &str) -> Result<Option<ToolChoice>, DecodeError> {
    const EXPECTED: &str = "\"auto\", \"none\", \"required\" or an object with a `type`";
    match value {
        Value::String(s) => match s.as_str() {
            "auto" => Ok(Some(ToolChoice::Auto)),
            "none" => Ok(Some(ToolChoice::None)),
            "required" => Ok(Some(ToolChoice::Required)),
            _ => Err(must(path, EXPECTED)),
        },
        Value::Object(_) => {
            let c = Fields::of(value, path.to_owned())?;
            match c.required_str("type")? {
                "function" => Ok(Some(ToolChoice::Tool { name: c.name("name")?.to_owned() })),
                _ => Ok(None),
            }
        }
        _ => Err(must(path, EXPECTED)),
    }
}

/// `reasoning: {effort?, summary?, …}`.
fn decode_reasoning(r: &Fields<'_>, req: &mut ChatRequest) -> Result<(), DecodeError> {
    req.reasoning = r.str("effort")?.map(|effort| {
        if effort == "none" {
            Reasoning { disabled: true, ..Reasoning::default() }
        } else {
            Reasoning { effort: Some(effort.to_owned()), ..Reasoning::default() }
        }
    });
    insert_rest(r, "effort", "reasoning", req);
    Ok(())
}

/// `text: {format?, verbosity?}`.
fn decode_text(t: &Fields<'_>, req: &mut ChatRequest) -> Result<(), DecodeError> {
    if let Some(format) = t.get("format") {
        let f = Fields::of(format, t.at("format"))?;
        req.response_format = Some(match f.required_str("type")? {
            "text" => ResponseFormat::Text,
            "json_object" => ResponseFormat::JsonObject,
            "json_schema" => ResponseFormat::JsonSchema {
                name: f.name("name")?.to_owned(),
                schema: f.get("schema").cloned().unwrap_or_else(|| Value::Object(Map::new())),
                strict: f.bool("strict")?.unwrap_or(false),
            },
            other => {
                return Err(DecodeError::new(format!(
                    "`{}` `{other}` is not one of text, json_object, json_schema",
                    f.at("type")
                )))
            }
        });
    }
    insert_rest(t, "format", "text", req);
    Ok(())
}

/// Keeps the fields of `object` other than `modelled` in `extra[key]` (nothing when there are none).
fn insert_rest(object: &Fields<'_>, modelled: &str, key: &str, req: &mut ChatRequest) {
    let rest: Map<String, Value> = object
        .map
        .iter()
        .filter(|(k, v)| k.as_str() != modelled && !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !rest.is_empty() {
        req.extra.insert(key.to_owned(), Value::Object(rest));
    }
}
