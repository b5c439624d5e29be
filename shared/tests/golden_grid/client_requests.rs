//! The client's request per format and scenario, shaped as each SDK sends it.

use serde_json::{json, Value};
use shared::formats::Format;

use super::scenario::{history_signature, Scenario, WEATHER_ARGS};

pub const SYSTEM: &str = "You are a terse assistant.";
pub const TOOL_RESULT: &str = "18°C, sunny";
pub const HISTORY_THOUGHT: &str = "1+1 is 2.";
pub const CLIENT_MODEL: &str = "grid/model";

/// The user's last words per scenario.
pub fn question(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Text => "Say hello.",
        Scenario::ToolCall => "What's the weather in Paris?",
        Scenario::Thinking => "What is 2+2?",
        Scenario::ParallelTools => "Weather in Paris and time in Tokyo?",
        Scenario::MixedTurn => "Weather in Paris, then the time in Tokyo.",
        Scenario::LengthStop => "Tell me a long story.",
        Scenario::CachedUsage => "Say hello again.",
        Scenario::CustomTool => "Add hello.txt, after the previous patch.",
    }
}

/// The output token limit the client asks for.
pub fn max_tokens(scenario: Scenario) -> u64 {
    match scenario {
        Scenario::LengthStop => 16,
        Scenario::Thinking => 4096,
        _ => 1024,
    }
}

/// JSON Schemas of the two tools, with keywords Gemini rejects (`$schema`, `additionalProperties`).
fn schemas() -> [(&'static str, &'static str, Value); 2] {
    [
        (
            "get_weather",
            "Current weather for a city",
            json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}
                },
                "required": ["city"],
                "additionalProperties": false
            }),
        ),
        (
            "get_time",
            "Current time in a time zone",
            json!({"type": "object", "properties": {"zone": {"type": "string"}}, "required": ["zone"]}),
        ),
    ]
}

/// The client's request body (Gemini's model and stream mode travel in the URL).
pub fn request(client: Format, scenario: Scenario, stream: bool) -> Vec<u8> {
    let body = match client {
        Format::OpenAiChat => chat(scenario, stream),
        Format::OpenAiResponses => responses(scenario, stream),
        Format::Anthropic => claude(scenario, stream),
        Format::Gemini => gemini(scenario),
        other => unreachable!("{other:?} is not a client format"),
    };
    serde_json::to_vec(&body).expect("serialisable")
}

fn chat(scenario: Scenario, stream: bool) -> Value {
    let mut messages = vec![json!({"role": "system", "content": SYSTEM})];
    match scenario {
        Scenario::Thinking => messages.extend([
            json!({"role": "user", "content": "Warm up: 1+1?"}),
            json!({"role": "assistant", "content": "2.", "reasoning_content": HISTORY_THOUGHT}),
        ]),
        Scenario::MixedTurn => messages.extend([
            json!({"role": "user", "content": question(scenario)}),
            json!({"role": "assistant", "content": "Checking Paris.", "tool_calls": [
                {"id": "call_prev", "type": "function", "function": {"name": "get_weather", "arguments": WEATHER_ARGS}}
            ]}),
            json!({"role": "tool", "tool_call_id": "call_prev", "content": TOOL_RESULT}),
        ]),
        _ => {}
    }
    if scenario != Scenario::MixedTurn {
        messages.push(json!({"role": "user", "content": question(scenario)}));
    }
    let mut body = json!({"model": CLIENT_MODEL, "messages": messages, "max_tokens": max_tokens(scenario)});
    if stream {
        body["stream"] = json!(true);
        body["stream_options"] = json!({"include_usage": true});
    }
    if scenario.has_tools() {
        body["tools"] = schemas()
            .into_iter()
            .map(|(name, description, parameters)| {
                json!({"type": "function", "function": {"name": name, "description": description, "parameters": parameters}})
            })
            .collect();
        body["tool_choice"] = json!("auto");
    }
    if scenario == Scenario::Thinking {
        body["reasoning_effort"] = json!("medium");
    }
    body
}

/// The patch the client's history applied with `apply_patch`.
pub const OLD_PATCH: &str = "*** Begin Patch\n*** Add File: notes.txt\n+first\n*** End Patch\n";

/// A Codex turn: the freeform `apply_patch` tool, and a history with one of its calls and the call's output.
fn codex_custom(stream: bool) -> Value {
    json!({
        "model": CLIENT_MODEL, "instructions": SYSTEM, "stream": stream, "store": false,
        "max_output_tokens": max_tokens(Scenario::CustomTool),
        "tools": [{"type": "custom", "name": "apply_patch", "description": "Edit files with a patch",
                   "format": {"type": "grammar", "syntax": "lark", "definition": "start: begin_patch hunk+ end_patch"}}],
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": question(Scenario::CustomTool)}]},
            {"type": "custom_tool_call", "call_id": "call_prev", "name": "apply_patch", "input": OLD_PATCH},
            {"type": "custom_tool_call_output", "call_id": "call_prev", "output": TOOL_RESULT}
        ]
    })
}

fn responses(scenario: Scenario, stream: bool) -> Value {
    if scenario == Scenario::CustomTool {
        return codex_custom(stream);
    }
    let user =
        |text: &str| json!({"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]});
    let assistant = |text: &str| json!({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text, "annotations": []}]});
    let mut input = Vec::new();
    match scenario {
        Scenario::Thinking => input.extend([
            user("Warm up: 1+1?"),
            json!({"type": "reasoning", "id": "rs_hist", "summary": [{"type": "summary_text", "text": HISTORY_THOUGHT}],
                   "encrypted_content": history_signature(Format::OpenAiResponses)}),
            assistant("2."),
        ]),
        Scenario::MixedTurn => input.extend([
            user(question(scenario)),
            assistant("Checking Paris."),
            json!({"type": "function_call", "call_id": "call_prev", "name": "get_weather", "arguments": WEATHER_ARGS}),
            json!({"type": "function_call_output", "call_id": "call_prev", "output": TOOL_RESULT}),
        ]),
        _ => {}
    }
    if scenario != Scenario::MixedTurn {
        input.push(user(question(scenario)));
    }
    let mut body = json!({
        "model": CLIENT_MODEL, "instructions": SYSTEM, "input": input,
        "max_output_tokens": max_tokens(scenario), "store": false, "stream": stream
    });
    if scenario.has_tools() {
        body["tools"] = schemas()
            .into_iter()
            .map(|(name, description, parameters)| {
                json!({"type": "function", "name": name, "description": description, "parameters": parameters, "strict": false})
            })
            .collect();
        body["tool_choice"] = json!("auto");
        body["parallel_tool_calls"] = json!(true);
    }
    if scenario == Scenario::Thinking {
        body["reasoning"] = json!({"effort": "medium", "summary": "auto"});
        body["include"] = json!(["reasoning.encrypted_content"]);
    }
    body
}

fn claude(scenario: Scenario, stream: bool) -> Value {
    let mut messages = Vec::new();
    match scenario {
        Scenario::Thinking => messages.extend([
            json!({"role": "user", "content": "Warm up: 1+1?"}),
            json!({"role": "assistant", "content": [
                {"type": "thinking", "thinking": HISTORY_THOUGHT, "signature": history_signature(Format::Anthropic)},
                {"type": "text", "text": "2."}
            ]}),
        ]),
        Scenario::MixedTurn => messages.extend([
            json!({"role": "user", "content": question(scenario)}),
            json!({"role": "assistant", "content": [
                {"type": "text", "text": "Checking Paris."},
                {"type": "tool_use", "id": "call_prev", "name": "get_weather",
                 "input": serde_json::from_str::<Value>(WEATHER_ARGS).expect("json")}
            ]}),
            json!({"role": "user", "content": [{"type": "tool_result", "tool_use_id": "call_prev", "content": TOOL_RESULT}]}),
        ]),
        _ => {}
    }
    if scenario != Scenario::MixedTurn {
        messages.push(json!({"role": "user", "content": question(scenario)}));
    }
    let system = if scenario == Scenario::CachedUsage {
        json!([{"type": "text", "text": SYSTEM, "cache_control": {"type": "ephemeral"}}])
    } else {
        json!(SYSTEM)
    };
    let mut body =
        json!({"model": CLIENT_MODEL, "system": system, "messages": messages, "max_tokens": max_tokens(scenario)});
    if stream {
        body["stream"] = json!(true);
    }
    if scenario.has_tools() {
        body["tools"] = schemas()
            .into_iter()
            .map(
                |(name, description, schema)| json!({"name": name, "description": description, "input_schema": schema}),
            )
            .collect();
        body["tool_choice"] = json!({"type": "auto"});
    }
    if scenario == Scenario::Thinking {
        body["thinking"] = json!({"type": "enabled", "budget_tokens": 2048});
    }
    body
}

fn gemini(scenario: Scenario) -> Value {
    let user = |text: &str| json!({"role": "user", "parts": [{"text": text}]});
    let mut contents = Vec::new();
    match scenario {
        Scenario::Thinking => contents.extend([
            user("Warm up: 1+1?"),
            json!({"role": "model", "parts": [
                {"text": HISTORY_THOUGHT, "thought": true},
                {"text": "2.", "thoughtSignature": history_signature(Format::Gemini)}
            ]}),
        ]),
        Scenario::MixedTurn => contents.extend([
            user(question(scenario)),
            json!({"role": "model", "parts": [
                {"text": "Checking Paris."},
                {"functionCall": {"name": "get_weather", "args": serde_json::from_str::<Value>(WEATHER_ARGS).expect("json")}}
            ]}),
            json!({"role": "user", "parts": [
                {"functionResponse": {"name": "get_weather", "response": {"result": TOOL_RESULT}}}
            ]}),
        ]),
        _ => {}
    }
    if scenario != Scenario::MixedTurn {
        contents.push(user(question(scenario)));
    }
    let mut config = json!({"maxOutputTokens": max_tokens(scenario)});
    if scenario == Scenario::Thinking {
        config["thinkingConfig"] = json!({"includeThoughts": true, "thinkingBudget": 2048});
    }
    let mut body = json!({
        "systemInstruction": {"parts": [{"text": SYSTEM}]},
        "contents": contents,
        "generationConfig": config
    });
    if scenario.has_tools() {
        let declarations: Vec<Value> = schemas()
            .into_iter()
            .map(|(name, description, parameters)| json!({"name": name, "description": description, "parameters": parameters}))
            .collect();
        body["tools"] = json!([{"functionDeclarations": declarations}]);
        body["toolConfig"] = json!({"functionCallingConfig": {"mode": "AUTO"}});
    }
    body
}
