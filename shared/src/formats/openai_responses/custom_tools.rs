//! Codex's freeform ("custom") tools across formats. A Responses client may declare
//! `{"type": "custom", "name", "description", "format": {"type": "grammar", "syntax": "lark", "definition"} |
//! {"type": "text"}}` (Codex's `apply_patch`); the model then answers with a `custom_tool_call` item whose `input`
//! is free text (streamed as `response.custom_tool_call_input.delta` / `.done`), and the client sends back
//! `custom_tool_call` / `custom_tool_call_output` items (openai/codex `codex-rs/protocol/src/models.rs`
//! `ResponseItem::CustomToolCall { call_id, name, input }`, `CustomToolCallOutput { call_id, output }`; OpenAI
//! API reference, "Custom tools" and `ResponseCustomToolCallInputDeltaEvent`).
//!
//! Other formats have function tools only, so in the IR a freeform tool is a function tool with a single string
//! argument, [`FREEFORM_ARGUMENT`], and a freeform call is a tool call whose arguments are exactly
//! `{"freeform_input": "<input>"}`. The Responses encoders turn such calls back into `custom_tool_call` items.
//! The argument's name is what tells them apart, so it is one no ordinary tool uses. (A same-format request
//! passes through untouched and never comes here.)

use serde_json::{json, Value};

use crate::ir::Tool;

/// The single string argument of a freeform tool in other formats.
pub const FREEFORM_ARGUMENT: &str = "freeform_input";

/// The IR (function) form of a `custom` tool declaration; `None` without a name.
pub(super) fn function_tool(tool: &Value) -> Option<Tool> {
    let name = tool.get("name").and_then(Value::as_str).filter(|n| !n.is_empty())?;
    let format = tool.get("format");
    let mut hint = "The tool's raw input as plain text (not JSON).".to_owned();
    if let Some(definition) = format.and_then(|f| f.get("definition")).and_then(Value::as_str) {
        let syntax = format.and_then(|f| f.get("syntax")).and_then(Value::as_str).unwrap_or("grammar");
        hint.push_str(&format!(" It must follow this {syntax} grammar:\n{definition}"));
    }
    Some(Tool {
        name: name.to_owned(),
        description: tool.get("description").and_then(Value::as_str).map(str::to_owned),
        parameters: json!({
            "type": "object",
            "properties": { FREEFORM_ARGUMENT: { "type": "string", "description": hint } },
            "required": [FREEFORM_ARGUMENT],
        }),
        cache_control: None,
    })
}

/// The IR arguments of a freeform call with `input`.
pub(super) fn call_arguments(input: &str) -> String {
    json!({ FREEFORM_ARGUMENT: input }).to_string()
}

/// The freeform input, when `arguments` are exactly a freeform call's.
pub(super) fn freeform_input(arguments: &str) -> Option<String> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(arguments) else {
        return None;
    };
    match (map.len(), map.get(FREEFORM_ARGUMENT)) {
        (1, Some(Value::String(input))) => Some(input.clone()),
        _ => None,
    }
}

/// Whether streamed arguments so far may still become a freeform call (`{"freeform_input":` once whitespace
/// is ignored); `Some(true)` once that prefix is complete, `Some(false)` as soon as they cannot.
pub(super) fn freeform_prefix(arguments: &str) -> Option<bool> {
    let wanted = format!("{{\"{FREEFORM_ARGUMENT}\":");
    let compact: String = arguments.chars().filter(|c| !c.is_whitespace()).take(wanted.len()).collect();
    if !wanted.starts_with(&compact) {
        Some(false)
    } else if compact.len() == wanted.len() {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freeform_calls_round_trip_through_their_arguments() {
        let input = "*** Begin Patch\n*** Add File: a.txt\n+\"quoted\" line\n*** End Patch";
        assert_eq!(freeform_input(&call_arguments(input)).as_deref(), Some(input));
        assert_eq!(freeform_input(r#"{"freeform_input":"x","other":1}"#), None);
        assert_eq!(freeform_input(r#"{"input":"x"}"#), None);
        assert_eq!(freeform_input("not json"), None);
    }

    #[test]
    fn prefixes_decide_as_early_as_possible() {
        assert_eq!(freeform_prefix(""), None);
        assert_eq!(freeform_prefix("{ \"free"), None);
        assert_eq!(freeform_prefix("{\"freeform_input\" :"), Some(true));
        assert_eq!(freeform_prefix("{\"city\""), Some(false));
        assert_eq!(freeform_prefix("[]"), Some(false));
    }

    #[test]
    fn custom_tools_become_single_string_function_tools() {
        let tool = json!({"type": "custom", "name": "apply_patch", "description": "Edit files",
                          "format": {"type": "grammar", "syntax": "lark", "definition": "start: /.+/"}});
        let ir = function_tool(&tool).expect("named");
        assert_eq!(ir.name, "apply_patch");
        assert_eq!(ir.parameters["required"], json!([FREEFORM_ARGUMENT]));
        let hint = ir.parameters["properties"][FREEFORM_ARGUMENT]["description"].as_str().unwrap_or_default();
        assert!(hint.contains("lark grammar") && hint.contains("start: /.+/"));
        assert!(function_tool(&json!({"type": "custom"})).is_none());
    }
}
