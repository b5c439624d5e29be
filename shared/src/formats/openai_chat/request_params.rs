//! Request parameters with their own shapes: tools, `tool_choice`, `stop`, `response_format`.

use serde_json::{Map, Value};

use crate::ir::{DecodeError, ResponseFormat, Tool, ToolChoice};

use crate::formats::json_fields::{must, Fields};

/// A `tools[]` entry (only `function` tools).
pub(super) fn decode_tool(value: &Value, path: String) -> Result<Tool, DecodeError> {
    let t = Fields::of(value, path)?;
    if let Some(kind) = t.str("type")?.filter(|k| *k != "function") {
        return Err(DecodeError::new(format!(
            "`{}` `{kind}` is not supported; only `function` tools are",
            t.at("type")
        )));
    }
    let f = Fields::of(t.get("function").ok_or_else(|| must(&t.at("function"), "an object"))?, t.at("function"))?;
    let parameters = match f.get("parameters") {
        None => serde_json::json!({"type": "object", "properties": {}}),
        Some(schema @ Value::Object(_)) => schema.clone(),
        Some(_) => return Err(must(&f.at("parameters"), "a JSON Schema object")),
    };
    Ok(Tool {
        name: f.name("name")?.to_owned(),
        description: f.str("description")?.map(str::to_owned),
        parameters,
        cache_control: t.cache_control(),
    })
}

/// `tool_choice`: `"auto"`, `"none"`, `"required"` or a named function.
pub(super) fn decode_tool_choice(value: &Value, path: &str) -> Result<ToolChoice, DecodeError> {
    const EXPECTED: &str = "\"auto\", \"none\", \"required\" or {\"type\":\"function\",\"function\":{\"name\"}}";
    match value {
        Value::String(s) => match s.as_str() {
            "auto" => Ok(ToolChoice::Auto),
            "none" => Ok(ToolChoice::None),
            "required" => Ok(ToolChoice::Required),
            _ => Err(must(path, EXPECTED)),
        },
        Value::Object(_) => {
            let c = Fields::of(value, path.to_owned())?;
            match c.str("type")? {
                Some("function") => {
                    let f = Fields::of(
                        c.get("function").ok_or_else(|| must(&c.at("function"), "an object"))?,
                        c.at("function"),
                    )?;
                    Ok(ToolChoice::Tool { name: f.name("name")?.to_owned() })
                }
                _ => Err(must(path, EXPECTED)),
            }
        }
        _ => Err(must(path, EXPECTED)),
    }
}

/// `stop`: a string or an array of strings.
pub(super) fn decode_stop(value: Option<&Value>) -> Result<Vec<String>, DecodeError> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| must("stop", "a string or an array of strings")))
            .collect(),
        Some(_) => Err(must("stop", "a string or an array of strings")),
    }
}

/// `response_format`: text, JSON object or JSON schema.
pub(super) fn decode_response_format(value: &Value, path: String) -> Result<ResponseFormat, DecodeError> {
    let f = Fields::of(value, path)?;
    match f.required_str("type")? {
        "text" => Ok(ResponseFormat::Text),
        "json_object" => Ok(ResponseFormat::JsonObject),
        "json_schema" => {
            let s = Fields::of(
                f.get("json_schema").ok_or_else(|| must(&f.at("json_schema"), "an object"))?,
                f.at("json_schema"),
            )?;
            Ok(ResponseFormat::JsonSchema {
                name: s.name("name")?.to_owned(),
                schema: s.get("schema").cloned().unwrap_or_else(|| Value::Object(Map::new())),
                strict: s.bool("strict")?.unwrap_or(false),
            })
        }
        other => {
            Err(DecodeError::new(format!("`{}` `{other}` is not one of text, json_object, json_schema", f.at("type"))))
        }
    }
}
