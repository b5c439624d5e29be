//! A client's `generateContent` body → [`ChatRequest`]. `model` stays empty and `stream` false: both come
//! from the URL, which the pipeline reads.
//!
//! What goes where:
//! - `contents` → messages (`user` → user, `model` → assistant; the legacy `function` role → user); parts as
//!   in `parts.rs`; contents left without parts are dropped;
//! - `systemInstruction` (a `Content`, or leniently a bare string) → one system block per non-empty text part;
//! - `tools[].functionDeclarations[]` → tools (`parametersJsonSchema` as is, the OpenAPI-subset `parameters`
//!   converted to JSON Schema, none → an empty object schema; `response` and `behavior` dropped); every other
//!   tool (`googleSearch`, `codeExecution`, `urlContext`, …) → `extra[`[`OTHER_TOOLS_KEY`]`]`;
//! - `toolConfig` and `generationConfig` → see `config.rs`;
//! - `safetySettings`, `cachedContent`, `labels` and any unknown top-level field → `extra` under its
//!   lowerCamelCase name (`model`, and keys starting with `__`, are ignored).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::config::{decode_generation_config, decode_tool_config};
use super::parts::{decode_parts, CallBook, Mode};
use super::schema::from_gemini;
use super::types::WireContent;
use super::OTHER_TOOLS_KEY;
use crate::ir::{ChatRequest, DecodeError, Message, Role, SystemBlock, Tool};

fn parse<'a, T: Deserialize<'a>>(path: &str, raw: &'a RawValue) -> Result<T, DecodeError> {
    serde_json::from_str(raw.get()).map_err(|e| DecodeError::new(format!("{path}: {e}")))
}

/// Decodes a client's Gemini `generateContent` / `streamGenerateContent` request body.
///
/// # Errors
/// [`DecodeError`] naming the offending field: body not a JSON object, `contents` missing, a role other than
/// user / model, a part with no known data field, a function call or declaration without a name, a
/// parameter of the wrong type.
pub fn decode_request(body: &[u8]) -> Result<ChatRequest, DecodeError> {
    let text =
        std::str::from_utf8(body).map_err(|e| DecodeError::new(format!("request body is not valid UTF-8: {e}")))?;
    let fields: BTreeMap<String, &RawValue> =
        serde_json::from_str(text).map_err(|e| DecodeError::new(format!("request body is not a JSON object: {e}")))?;
    let mut req = ChatRequest::default();
    let mut has_contents = false;
    for (key, raw) in fields {
        match key.as_str() {
            "contents" => {
                req.messages = decode_contents(raw)?;
                has_contents = true;
            }
            "systemInstruction" | "system_instruction" => req.system = decode_system(raw)?,
            "tools" => decode_tools(raw, &mut req)?,
            "toolConfig" | "tool_config" => {
                let value: Value = parse("toolConfig", raw)?;
                if !value.is_null() {
                    decode_tool_config(&value, &mut req)?;
                }
            }
            "generationConfig" | "generation_config" => {
                let value: Value = parse("generationConfig", raw)?;
                if !value.is_null() {
                    decode_generation_config(&value, &mut req)?;
                }
            }
            "model" => {}
            private if private.starts_with("__") => {}
            _ => {
                let value: Value = parse(&key, raw)?;
                if !value.is_null() {
                    req.extra.insert(camel_case(&key), value);
                }
            }
        }
    }
    if !has_contents {
        return Err(DecodeError::new("contents: field required"));
    }
    Ok(req)
}

/// `snake_case` → `lowerCamelCase` (the proto JSON parser accepts both spellings; `extra` keeps one).
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn decode_contents(raw: &RawValue) -> Result<Vec<Message>, DecodeError> {
    let contents: Vec<&RawValue> = parse("contents", raw)?;
    let mut book = CallBook::default();
    let mut messages = Vec::with_capacity(contents.len());
    for (i, content) in contents.into_iter().enumerate() {
        let path = format!("contents[{i}]");
        let content: WireContent<'_> = parse(&path, content)?;
        let role = match content.role.as_deref().unwrap_or("user") {
            "user" | "function" => Role::User,
            "model" => Role::Assistant,
            other => return Err(DecodeError::new(format!("{path}.role: unsupported role `{other}` (user or model)"))),
        };
        if role == Role::Assistant {
            book.next_turn();
        }
        let parts = decode_parts(content.parts.unwrap_or_default(), &mut book, &path, Mode::Request)?;
        if !parts.is_empty() {
            messages.push(Message { role, content: parts });
        }
    }
    Ok(messages)
}

fn decode_system(raw: &RawValue) -> Result<Vec<SystemBlock>, DecodeError> {
    let block = |text: String| SystemBlock { text, cache_control: None };
    if raw.get().starts_with('"') {
        let text: String = parse("systemInstruction", raw)?;
        return Ok(if text.is_empty() { Vec::new() } else { vec![block(text)] });
    }
    let content: Option<WireContent<'_>> = parse("systemInstruction", raw)?;
    Ok(content
        .and_then(|c| c.parts)
        .into_iter()
        .flatten()
        .filter(|p| p.thought != Some(true))
        .filter_map(|p| p.text.filter(|t| !t.is_empty()))
        .map(block)
        .collect())
}

fn decode_tools(raw: &RawValue, req: &mut ChatRequest) -> Result<(), DecodeError> {
    let tools: Option<Vec<Value>> = parse("tools", raw)?;
    let mut others = Vec::new();
    for (i, tool) in tools.into_iter().flatten().enumerate() {
        let Value::Object(mut tool) = tool else {
            return Err(DecodeError::new(format!("tools[{i}]: must be an object")));
        };
        let declarations = tool.remove("functionDeclarations").or_else(|| tool.remove("function_declarations"));
        match declarations {
            None | Some(Value::Null) => {}
            Some(Value::Array(declarations)) => {
                for (j, declaration) in declarations.iter().enumerate() {
                    req.tools.push(decode_declaration(declaration, &format!("tools[{i}].functionDeclarations[{j}]"))?);
                }
            }
            Some(_) => return Err(DecodeError::new(format!("tools[{i}].functionDeclarations: must be an array"))),
        }
        if !tool.is_empty() {
            others.push(Value::Object(tool));
        }
    }
    if !others.is_empty() {
        req.extra.insert(OTHER_TOOLS_KEY.to_owned(), Value::Array(others));
    }
    Ok(())
}

fn decode_declaration(value: &Value, path: &str) -> Result<Tool, DecodeError> {
    let field = |camel: &str, snake: &str| value.get(camel).or_else(|| value.get(snake)).filter(|v| !v.is_null());
    let name = value
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| DecodeError::new(format!("{path}.name: must be a non-empty string")))?;
    let description = match value.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(_) => return Err(DecodeError::new(format!("{path}.description: must be a string"))),
    };
    let parameters = match (field("parametersJsonSchema", "parameters_json_schema"), field("parameters", "parameters"))
    {
        (Some(schema), _) => schema.clone(),
        (None, Some(schema)) => from_gemini(schema),
        (None, None) => json!({"type": "object", "properties": {}}),
    };
    if !parameters.is_object() {
        return Err(DecodeError::new(format!("{path}.parameters: must be a schema object")));
    }
    Ok(Tool { name: name.to_owned(), description, parameters, cache_control: None })
}
