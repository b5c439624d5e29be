//! `generationConfig` (sampling, output format, thinking) and `toolConfig` ⇄ the IR, both directions.
//!
//! Thinking (wire-formats.md §4.1, §6.8; <https://ai.google.dev/gemini-api/docs/thinking>):
//! - decoding: `thinkingBudget` 0 → disabled, -1 (dynamic) → reasoning on with provider defaults (an empty
//!   [`Reasoning`]), N → `budget_tokens`; `thinkingLevel` → `effort` (lowercase); `includeThoughts: true`
//!   alone → reasoning on; `includeThoughts: false` is kept for a Gemini upstream (see [`GENERATION_CONFIG_KEY`]);
//! - encoding depends on the upstream model, since Gemini 3 models take `thinkingLevel` and 2.5 models
//!   `thinkingBudget` (sending both is a 400): disabled → `thinkingBudget: 0`, or `thinkingLevel: "LOW"` on
//!   Gemini 3 (which cannot turn thinking off); a budget → `thinkingBudget`; an effort → `thinkingLevel`
//!   (`MINIMAL`/`LOW`/`MEDIUM`/`HIGH`; `xhigh`/`max` → `HIGH`) on Gemini 3, else a budget with Google's own
//!   OpenAI-compatibility anchors (low 1024, medium 8192, high 24576; policy: minimal 1024, xhigh/max 32768,
//!   unknown 8192); reasoning on without either → `thinkingBudget: -1` (dynamic; nothing on Gemini 3).
//!   `includeThoughts: true` whenever reasoning is on, so thoughts reach clients that show them.
//!
//! Output format: `responseMimeType: "application/json"` with `responseJsonSchema` (or the OpenAPI-subset
//! `responseSchema`, converted) ⇄ JSON-schema output named `response`; JSON without a schema ⇄ JSON object;
//! `text/plain` ⇄ text. The encoder always sends `responseJsonSchema` (full JSON Schema, no cleaning needed;
//! Gemini CLI sends it through Code Assist too).

use serde_json::{json, Map, Value};

use super::schema::from_gemini;
use super::{GENERATION_CONFIG_KEY, TOOL_CONFIG_KEY};
use crate::ir::{ChatRequest, DecodeError, Reasoning, ResponseFormat, ToolChoice};

fn must(path: &str, what: &str) -> DecodeError {
    DecodeError::new(format!("{path}: must be {what}"))
}

/// Removes and returns `camel` (or its snake_case alias `snake`) from `map`; `null` counts as absent.
fn take(map: &mut Map<String, Value>, camel: &str, snake: &str) -> Option<Value> {
    let value = map.remove(camel).or_else(|| map.remove(snake));
    value.filter(|v| !v.is_null())
}

fn take_f64(map: &mut Map<String, Value>, camel: &str, snake: &str, path: &str) -> Result<Option<f64>, DecodeError> {
    take(map, camel, snake).map(|v| v.as_f64().ok_or_else(|| must(&format!("{path}.{camel}"), "a number"))).transpose()
}

fn take_u32(map: &mut Map<String, Value>, camel: &str, snake: &str, path: &str) -> Result<Option<u32>, DecodeError> {
    take(map, camel, snake)
        .map(|v| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(f))
                .map(|f| f as u32)
                .ok_or_else(|| must(&format!("{path}.{camel}"), "a non-negative integer"))
        })
        .transpose()
}

/// Decodes `generationConfig` into `req`; the fields the IR does not model go to `extra`.
pub(super) fn decode_generation_config(value: &Value, req: &mut ChatRequest) -> Result<(), DecodeError> {
    const PATH: &str = "generationConfig";
    let Value::Object(map) = value else {
        return Err(must(PATH, "an object"));
    };
    let mut map = map.clone();
    let s = &mut req.sampling;
    s.temperature = take_f64(&mut map, "temperature", "temperature", PATH)?;
    s.top_p = take_f64(&mut map, "topP", "top_p", PATH)?;
    s.top_k = take_u32(&mut map, "topK", "top_k", PATH)?;
    s.presence_penalty = take_f64(&mut map, "presencePenalty", "presence_penalty", PATH)?;
    s.frequency_penalty = take_f64(&mut map, "frequencyPenalty", "frequency_penalty", PATH)?;
    s.seed = take(&mut map, "seed", "seed")
        .map(|v| v.as_i64().ok_or_else(|| must("generationConfig.seed", "an integer")))
        .transpose()?;
    req.max_tokens = take_u32(&mut map, "maxOutputTokens", "max_output_tokens", PATH)?;
    if let Some(stop) = take(&mut map, "stopSequences", "stop_sequences") {
        let stop = stop.as_array().ok_or_else(|| must("generationConfig.stopSequences", "an array of strings"))?;
        req.stop = stop
            .iter()
            .map(|s| s.as_str().map(str::to_owned).ok_or_else(|| must("generationConfig.stopSequences", "strings")))
            .collect::<Result<_, _>>()?;
    }
    req.response_format = decode_response_format(&mut map)?;
    if let Some(thinking) = take(&mut map, "thinkingConfig", "thinking_config") {
        let leftover = decode_thinking(&thinking, req)?;
        if !leftover.is_empty() {
            map.insert("thinkingConfig".to_owned(), Value::Object(leftover));
        }
    }
    if !map.is_empty() {
        req.extra.insert(GENERATION_CONFIG_KEY.to_owned(), Value::Object(map));
    }
    Ok(())
}

fn decode_response_format(map: &mut Map<String, Value>) -> Result<Option<ResponseFormat>, DecodeError> {
    let mime = take(map, "responseMimeType", "response_mime_type");
    let json_schema = take(map, "responseJsonSchema", "response_json_schema");
    let schema = take(map, "responseSchema", "response_schema");
    if mime.as_ref().is_some_and(|m| !m.is_string()) {
        return Err(must("generationConfig.responseMimeType", "a string"));
    }
    let format = match (mime.as_ref().and_then(Value::as_str), &json_schema, &schema) {
        (Some("application/json"), Some(js), _) => Some(output_schema(js.clone())),
        (Some("application/json"), None, Some(s)) => Some(output_schema(from_gemini(s))),
        (Some("application/json"), None, None) => Some(ResponseFormat::JsonObject),
        (Some("text/plain"), None, None) => Some(ResponseFormat::Text),
        _ => None,
    };
    if format.is_none() {
        // Other output types (`text/x.enum`, …) travel as they are, for a Gemini upstream.
        let put = [("responseMimeType", mime), ("responseJsonSchema", json_schema), ("responseSchema", schema)];
        for (key, value) in put {
            if let Some(value) = value {
                map.insert(key.to_owned(), value);
            }
        }
    }
    Ok(format)
}

fn output_schema(schema: Value) -> ResponseFormat {
    ResponseFormat::JsonSchema { name: "response".to_owned(), schema, strict: false }
}

/// Decodes `thinkingConfig` into `req.reasoning`; returns what the IR cannot hold (`includeThoughts: false`,
/// unknown fields).
fn decode_thinking(value: &Value, req: &mut ChatRequest) -> Result<Map<String, Value>, DecodeError> {
    const PATH: &str = "generationConfig.thinkingConfig";
    let Value::Object(map) = value else {
        return Err(must(PATH, "an object"));
    };
    let mut map = map.clone();
    let budget = take(&mut map, "thinkingBudget", "thinking_budget")
        .map(|v| v.as_i64().ok_or_else(|| must(&format!("{PATH}.thinkingBudget"), "an integer")))
        .transpose()?;
    let level = take(&mut map, "thinkingLevel", "thinking_level")
        .map(|v| {
            v.as_str().map(str::to_ascii_lowercase).ok_or_else(|| must(&format!("{PATH}.thinkingLevel"), "a string"))
        })
        .transpose()?;
    let include = take(&mut map, "includeThoughts", "include_thoughts")
        .map(|v| v.as_bool().ok_or_else(|| must(&format!("{PATH}.includeThoughts"), "a boolean")))
        .transpose()?;
    let mut reasoning = match budget {
        Some(0) => Some(Reasoning { disabled: true, ..Reasoning::default() }),
        Some(n) if n > 0 => {
            Some(Reasoning { budget_tokens: Some(u32::try_from(n).unwrap_or(u32::MAX)), ..Reasoning::default() })
        }
        Some(_) => Some(Reasoning::default()),
        None => None,
    };
    if let Some(level) = level {
        reasoning.get_or_insert_with(Reasoning::default).effort = Some(level);
    }
    if reasoning.is_none() && include == Some(true) {
        reasoning = Some(Reasoning::default());
    }
    if include == Some(false) {
        map.insert("includeThoughts".to_owned(), Value::Bool(false));
    }
    if reasoning.is_some() {
        req.reasoning = reasoning;
    }
    Ok(map)
}

/// Whether `model` is a Gemini 3 (or later) model, which takes `thinkingLevel`.
fn takes_thinking_level(model: &str) -> bool {
    let name = model.rsplit('/').next().unwrap_or(model);
    name.strip_prefix("gemini-").and_then(|rest| rest.chars().next()).is_some_and(|c| c.is_ascii_digit() && c >= '3')
}

/// The `thinkingConfig` for the request's reasoning controls on `model` (see the module doc).
fn thinking_config(reasoning: &Reasoning, model: &str) -> Map<String, Value> {
    let level_model = takes_thinking_level(model);
    let mut config = Map::new();
    let effort = reasoning.effort.as_deref().map(str::to_ascii_lowercase);
    if reasoning.disabled || reasoning.budget_tokens == Some(0) || effort.as_deref() == Some("none") {
        if level_model {
            config.insert("thinkingLevel".to_owned(), json!("LOW"));
        } else {
            config.insert("thinkingBudget".to_owned(), json!(0));
        }
        return config;
    }
    if let Some(budget) = reasoning.budget_tokens {
        config.insert("thinkingBudget".to_owned(), json!(budget));
    } else if let Some(effort) = effort {
        if level_model {
            let level = match effort.as_str() {
                "minimal" => "MINIMAL",
                "low" => "LOW",
                "medium" => "MEDIUM",
                _ => "HIGH",
            };
            config.insert("thinkingLevel".to_owned(), json!(level));
        } else {
            let budget = match effort.as_str() {
                "minimal" | "low" => 1024,
                "high" => 24576,
                "xhigh" | "max" => 32768,
                _ => 8192,
            };
            config.insert("thinkingBudget".to_owned(), json!(budget));
        }
    } else if !level_model {
        config.insert("thinkingBudget".to_owned(), json!(-1));
    }
    config.insert("includeThoughts".to_owned(), json!(true));
    config
}

/// The `generationConfig` of `req` (`None` when empty), with the Gemini-only leftovers of `extra` added
/// wherever the IR set nothing (`includeThoughts: false` from a Gemini client is honoured).
pub(super) fn generation_config(req: &ChatRequest) -> Option<Map<String, Value>> {
    let mut config = Map::new();
    let s = &req.sampling;
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            config.insert(key.to_owned(), value);
        }
    };
    put("temperature", s.temperature.filter(|t| t.is_finite()).map(Value::from));
    put("topP", s.top_p.filter(|p| p.is_finite()).map(Value::from));
    put("topK", s.top_k.map(Value::from));
    put("maxOutputTokens", req.max_tokens.map(Value::from));
    put("stopSequences", (!req.stop.is_empty()).then(|| json!(req.stop)));
    put("seed", s.seed.map(Value::from));
    put("presencePenalty", s.presence_penalty.filter(|p| p.is_finite()).map(Value::from));
    put("frequencyPenalty", s.frequency_penalty.filter(|p| p.is_finite()).map(Value::from));
    match &req.response_format {
        Some(ResponseFormat::Text) => put("responseMimeType", Some(json!("text/plain"))),
        Some(ResponseFormat::JsonObject) => put("responseMimeType", Some(json!("application/json"))),
        Some(ResponseFormat::JsonSchema { schema, .. }) => {
            put("responseMimeType", Some(json!("application/json")));
            put("responseJsonSchema", Some(schema.clone()));
        }
        None => {}
    }
    let mut thinking = req.reasoning.as_ref().map(|r| thinking_config(r, &req.model)).unwrap_or_default();
    let leftovers = req.extra.get(GENERATION_CONFIG_KEY).and_then(Value::as_object);
    for (key, value) in leftovers.into_iter().flatten() {
        match (key.as_str(), value) {
            ("thinkingConfig", Value::Object(more)) => {
                for (k, v) in more {
                    if k == "includeThoughts" {
                        thinking.insert(k.clone(), v.clone());
                    } else {
                        thinking.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            ("responseSchema" | "responseJsonSchema" | "responseMimeType", _) if req.response_format.is_some() => {}
            _ => {
                config.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
    }
    if !thinking.is_empty() {
        config.insert("thinkingConfig".to_owned(), Value::Object(thinking));
    }
    (!config.is_empty()).then_some(config)
}

/// Decodes `toolConfig.functionCallingConfig` into a tool choice; the whole `toolConfig` is kept in `extra`
/// when the choice does not say everything it says (see [`TOOL_CONFIG_KEY`]).
pub(super) fn decode_tool_config(value: &Value, req: &mut ChatRequest) -> Result<(), DecodeError> {
    if !value.is_object() {
        return Err(must("toolConfig", "an object"));
    }
    let choice = tool_choice_of(value);
    if choice.as_ref().map(encode_tool_choice).as_ref() != Some(value) {
        req.extra.insert(TOOL_CONFIG_KEY.to_owned(), value.clone());
    }
    req.tool_choice = choice;
    Ok(())
}

/// The tool choice a `toolConfig` expresses: `AUTO` (and `VALIDATED`) → auto, `NONE` → none, `ANY` → a named
/// tool when exactly one name is allowed, else required; anything else → no choice.
fn tool_choice_of(value: &Value) -> Option<ToolChoice> {
    let calling = value.get("functionCallingConfig").or_else(|| value.get("function_calling_config"))?;
    let mode = calling.get("mode").and_then(Value::as_str)?.to_ascii_uppercase();
    let names = calling.get("allowedFunctionNames").or_else(|| calling.get("allowed_function_names"));
    let names: Vec<&str> = names.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    match mode.as_str() {
        "AUTO" | "VALIDATED" => Some(ToolChoice::Auto),
        "NONE" => Some(ToolChoice::None),
        "ANY" => Some(match names.as_slice() {
            [one] => ToolChoice::Tool { name: (*one).to_owned() },
            _ => ToolChoice::Required,
        }),
        _ => None,
    }
}

fn encode_tool_choice(choice: &ToolChoice) -> Value {
    let calling = match choice {
        ToolChoice::Auto => json!({"mode": "AUTO"}),
        ToolChoice::None => json!({"mode": "NONE"}),
        ToolChoice::Required => json!({"mode": "ANY"}),
        ToolChoice::Tool { name } => json!({"mode": "ANY", "allowedFunctionNames": [name]}),
    };
    json!({ "functionCallingConfig": calling })
}

/// The `toolConfig` of `req`: the one a Gemini client sent when the tool choice is still what it said, else
/// the tool choice's.
pub(super) fn tool_config(req: &ChatRequest) -> Option<Value> {
    let kept = req.extra.get(TOOL_CONFIG_KEY).filter(|kept| tool_choice_of(kept) == req.tool_choice);
    match kept {
        Some(kept) => Some(kept.clone()),
        None => req.tool_choice.as_ref().map(encode_tool_choice),
    }
}
