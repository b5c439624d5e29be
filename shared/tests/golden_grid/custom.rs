//! Codex's freeform (`custom`) tools from a Responses client through every other upstream format: the upstream
//! gets a function tool with one string argument and the history's freeform call under it; its call comes back
//! to the client as a `custom_tool_call` item (JSON) or `response.custom_tool_call_input.*` events (stream).

use serde_json::Value;
use shared::formats::{dispatch, Format};
use shared::ir::ContentPart;

use super::checks::Failures;
use super::client_requests::{OLD_PATCH, TOOL_RESULT};
use super::observe;
use super::scenario::PATCH;

fn freeform(arguments: &str) -> Option<String> {
    let value: Value = serde_json::from_str(arguments).ok()?;
    value.get("freeform_input")?.as_str().map(str::to_owned)
}

/// The request sent upstream.
pub fn upstream_request(f: &mut Failures<'_>, body: &[u8]) {
    let case = *f.case();
    let text = String::from_utf8_lossy(body);
    f.check(!text.contains("\"custom\""), || "a Responses-only `custom` tool reached another format".into());
    if case.upstream == Format::Kiro {
        let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let tools =
            &value["conversationState"]["currentMessage"]["userInputMessage"]["userInputMessageContext"]["tools"];
        let spec = &tools[0]["toolSpecification"];
        f.check(spec["name"] == "apply_patch", || format!("Kiro tools {tools}"));
        f.check(spec["inputSchema"]["json"]["properties"]["freeform_input"]["type"] == "string", || {
            format!("Kiro tool schema {spec}")
        });
        f.check(text.contains("freeform_input") && text.contains("notes.txt"), || "Kiro history lost the call".into());
        return;
    }
    let ir = match dispatch::decode_request(case.upstream, body) {
        Ok(ir) => ir,
        Err(e) => return f.check(false, || format!("upstream request does not decode: {e}")),
    };
    let tool = ir.tools.first();
    f.check(ir.tools.len() == 1 && tool.is_some_and(|t| t.name == "apply_patch"), || format!("tools {:?}", ir.tools));
    f.check(tool.is_some_and(|t| t.parameters["properties"]["freeform_input"]["type"] == "string"), || {
        format!("tool schema {:?}", tool.map(|t| &t.parameters))
    });
    let parts: Vec<&ContentPart> = ir.messages.iter().flat_map(|m| &m.content).collect();
    let call = parts.iter().find_map(|p| match p {
        ContentPart::ToolCall { id, name, arguments } => Some((id.as_str(), name.as_str(), freeform(arguments))),
        _ => None,
    });
    f.check(call.as_ref().is_some_and(|c| c.1 == "apply_patch" && c.2.as_deref() == Some(OLD_PATCH)), || {
        format!("history call {call:?}")
    });
    let result = parts.iter().find_map(|p| match p {
        ContentPart::ToolResult { call_id, content, .. } => Some((call_id.as_str(), format!("{content:?}"))),
        _ => None,
    });
    f.check(matches!((&call, &result), (Some(c), Some(r)) if c.0 == r.0 && r.1.contains(TOOL_RESULT)), || {
        format!("history result {result:?} for call {call:?}")
    });
}

/// The answer returned to the Responses client.
pub fn client_response(f: &mut Failures<'_>, body: &[u8]) {
    let case = *f.case();
    let item = if case.stream {
        if let Err(e) = observe::check_order(Format::OpenAiResponses, body) {
            f.check(false, || format!("stream order: {e}"));
        }
        let events: Vec<Value> = observe::events(body)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| serde_json::from_str(&e.data).ok())
            .collect();
        let deltas: String = events
            .iter()
            .filter(|e| e["type"] == "response.custom_tool_call_input.delta")
            .filter_map(|e| e["delta"].as_str())
            .collect();
        f.check(deltas == PATCH, || format!("custom_tool_call_input deltas {deltas:?}"));
        events
            .iter()
            .find(|e| e["type"] == "response.output_item.done" && e["item"]["type"] == "custom_tool_call")
            .map(|e| e["item"].clone())
    } else {
        let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        value["output"].as_array().into_iter().flatten().find(|i| i["type"] == "custom_tool_call").cloned()
    };
    let Some(item) = item else { return f.check(false, || "no custom_tool_call item".into()) };
    f.check(item["name"] == "apply_patch" && item["input"] == PATCH, || format!("custom_tool_call {item}"));
    let call_id = item["call_id"].as_str().unwrap_or_default();
    let gemini = matches!(case.upstream, Format::Gemini | Format::CodeAssist);
    f.check(if gemini { !call_id.is_empty() } else { call_id == "call_patch" }, || format!("call id {call_id:?}"));
    f.check(!String::from_utf8_lossy(body).contains("function_call"), || {
        "the freeform call leaked as a function call".into()
    });
}
