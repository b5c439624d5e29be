//! Claude prompt caching: `cache_control` breakpoints for Anthropic-format upstreams.
//!
//! A client that places its own breakpoints (Claude Code does) is left alone. Otherwise up to four are placed,
//! Anthropic's limit (<https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching>): after the last tool
//! (caches the tool definitions), after the last system block (tools + system), and on the last cacheable block
//! of each of the two latest user turns — the newest writes the conversation so far, the one before it reads
//! what the previous request wrote. Thinking blocks never carry one (the API rejects it), nor do empty texts.

use serde_json::{Map, Value};

use crate::ir::{CacheControl, ChatRequest, ContentPart, Role};

/// Anthropic's maximum number of breakpoints per request.
pub const MAX_BREAKPOINTS: usize = 4;

/// How many of the latest user turns get a breakpoint.
const USER_TURNS: usize = 2;

fn ephemeral() -> CacheControl {
    CacheControl { kind: "ephemeral".into(), ttl: None }
}

fn part_marker(part: &mut ContentPart) -> Option<&mut Option<CacheControl>> {
    match part {
        ContentPart::Text { text, cache_control } if !text.trim().is_empty() => Some(cache_control),
        ContentPart::Image { cache_control, .. }
        | ContentPart::Document { cache_control, .. }
        | ContentPart::ToolResult { cache_control, .. } => Some(cache_control),
        _ => None,
    }
}

fn ir_has_breakpoint(request: &ChatRequest) -> bool {
    let in_part = |part: &ContentPart| match part {
        ContentPart::Text { cache_control, .. }
        | ContentPart::Image { cache_control, .. }
        | ContentPart::Document { cache_control, .. }
        | ContentPart::ToolResult { cache_control, .. } => cache_control.is_some(),
        _ => false,
    };
    request.system.iter().any(|b| b.cache_control.is_some())
        || request.tools.iter().any(|t| t.cache_control.is_some())
        || request.messages.iter().flat_map(|m| &m.content).any(in_part)
}

/// Places breakpoints in an IR request bound for an Anthropic upstream, unless it has some already.
/// Returns how many were placed.
pub fn place_in_ir(request: &mut ChatRequest) -> usize {
    if ir_has_breakpoint(request) {
        return 0;
    }
    let mut placed = 0;
    if let Some(tool) = request.tools.last_mut() {
        tool.cache_control = Some(ephemeral());
        placed += 1;
    }
    if let Some(block) = request.system.iter_mut().rev().find(|b| !b.text.trim().is_empty()) {
        block.cache_control = Some(ephemeral());
        placed += 1;
    }
    let user_turns = request.messages.iter_mut().rev().filter(|m| m.role == Role::User).take(USER_TURNS);
    for message in user_turns {
        if let Some(marker) = message.content.iter_mut().rev().find_map(part_marker) {
            *marker = Some(ephemeral());
            placed += 1;
        }
    }
    placed
}

/// Block types of Anthropic's Messages format that may carry `cache_control`.
const CACHEABLE_BLOCKS: &[&str] = &["text", "image", "document", "tool_use", "tool_result", "search_result"];

fn block_is_cacheable(block: &Value) -> bool {
    let kind = block.get("type").and_then(Value::as_str).unwrap_or("");
    let empty_text = kind == "text" && block.get("text").and_then(Value::as_str).is_none_or(|t| t.trim().is_empty());
    CACHEABLE_BLOCKS.contains(&kind) && !empty_text
}

fn has_cache_control(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("cache_control") || map.values().any(has_cache_control),
        Value::Array(items) => items.iter().any(has_cache_control),
        _ => false,
    }
}

fn mark(block: &mut Value) {
    if let Some(map) = block.as_object_mut() {
        map.insert("cache_control".into(), serde_json::json!({ "type": "ephemeral" }));
    }
}

/// Turns a string `content`/`system` into one text block so it can carry a breakpoint.
fn as_blocks(value: &mut Value) {
    if let Value::String(text) = value {
        if !text.trim().is_empty() {
            *value = serde_json::json!([{ "type": "text", "text": std::mem::take(text) }]);
        }
    }
}

fn mark_last_cacheable(blocks: &mut Value) -> bool {
    as_blocks(blocks);
    let found = blocks.as_array_mut().and_then(|items| items.iter_mut().rev().find(|b| block_is_cacheable(b)));
    found.map(mark).is_some()
}

/// The body fields where a client's own breakpoints count (see [`place_in_anthropic_body`]).
pub const BREAKPOINT_FIELDS: [&str; 3] = ["system", "tools", "messages"];

/// Whether the JSON text `raw` (valid JSON) has an object key `cache_control` anywhere: the same answer as parsing
/// it and searching every object, without parsing. A match is a real opening quote (preceded by an even number
/// of backslashes; in valid JSON a real quote followed by `cache_control"` can only open that string) followed by
/// a `:`.
#[must_use]
pub fn raw_has_cache_control(raw: &str) -> bool {
    const KEY: &str = "\"cache_control\"";
    let bytes = raw.as_bytes();
    raw.match_indices(KEY).any(|(at, _)| {
        let backslashes = bytes[..at].iter().rev().take_while(|&&b| b == b'\\').count();
        let after = bytes[at + KEY.len()..].iter().find(|b| !b.is_ascii_whitespace());
        backslashes % 2 == 0 && after == Some(&b':')
    })
}

/// Places breakpoints in an Anthropic Messages body the client sent as is (same-format passthrough), unless
/// the body has some already (anywhere: system, tools or messages). Returns how many were placed.
pub fn place_in_anthropic_body(body: &mut Map<String, Value>) -> usize {
    if BREAKPOINT_FIELDS.iter().any(|k| body.get(*k).is_some_and(has_cache_control)) {
        return 0;
    }
    let mut placed = 0;
    if let Some(tool) = body.get_mut("tools").and_then(Value::as_array_mut).and_then(|t| t.last_mut()) {
        if tool.is_object() {
            mark(tool);
            placed += 1;
        }
    }
    if let Some(system) = body.get_mut("system") {
        placed += usize::from(mark_last_cacheable(system));
    }
    if let Some(messages) = body.get_mut("messages").and_then(Value::as_array_mut) {
        let user_turns = messages
            .iter_mut()
            .rev()
            .filter(|m| m.get("role").and_then(Value::as_str) == Some("user"))
            .take(USER_TURNS);
        for message in user_turns {
            if let Some(content) = message.get_mut("content") {
                placed += usize::from(mark_last_cacheable(content));
            }
        }
    }
    placed
}

#[cfg(test)]
mod raw_tests {
    use super::*;

    #[test]
    fn raw_search_agrees_with_the_parsed_search() {
        let cases = [
            (r#"[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]"#, true),
            (r#"[{"type":"text","text":"hi", "cache_control" :{"type":"ephemeral"}}]"#, true),
            (r#"[{"type":"text","text":"cache_control"}]"#, false),
            (r#"[{"type":"text","text":"\"cache_control\": yes"}]"#, false),
            (r#"[{"type":"text","text":"a\\","cache_control":{}}]"#, true),
            (r#"[{"input_schema":{"properties":{"cache_control":{"type":"string"}}}}]"#, true),
            (r#"[{"text":"x\"cache_control"}]"#, false),
            (r#"[{"x\"cache_control":1}]"#, false),
            (r#"["cache_control", "cache_control"]"#, false),
            ("[]", false),
        ];
        for (raw, expected) in cases {
            let parsed: Value = serde_json::from_str(raw).expect("valid JSON");
            assert_eq!(has_cache_control(&parsed), expected, "parsed: {raw}");
            assert_eq!(raw_has_cache_control(raw), expected, "raw: {raw}");
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::{Message, SystemBlock, Thinking, Tool};

    fn count(value: &Value) -> usize {
        match value {
            Value::Object(map) => {
                usize::from(map.contains_key("cache_control")) + map.values().map(count).sum::<usize>()
            }
            Value::Array(items) => items.iter().map(count).sum(),
            _ => 0,
        }
    }

    #[test]
    fn body_without_breakpoints_gets_tools_system_and_two_latest_user_turns() {
        let mut body = json!({
            "system": "You are helpful.",
            "tools": [{"name": "a", "input_schema": {}}, {"name": "b", "input_schema": {}}],
            "messages": [
                {"role": "user", "content": "first"},
                {"role": "assistant", "content": [{"type": "thinking", "thinking": "t", "signature": "s"}, {"type": "text", "text": "ok"}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "x", "content": "r"}]},
                {"role": "assistant", "content": "fine"},
                {"role": "user", "content": [{"type": "text", "text": "third"}, {"type": "text", "text": " "}]}
            ]
        });
        let map = body.as_object_mut().expect("object");
        assert_eq!(place_in_anthropic_body(map), 4);
        assert_eq!(count(&body), 4);
        assert_eq!(body["tools"][1]["cache_control"]["type"], "ephemeral");
        assert_eq!(body["system"][0]["cache_control"]["type"], "ephemeral");
        assert!(body["messages"][0]["content"].is_string(), "the oldest user turn is untouched");
        assert_eq!(body["messages"][2]["content"][0]["cache_control"]["type"], "ephemeral");
        assert_eq!(body["messages"][4]["content"][0]["cache_control"]["type"], "ephemeral", "not the blank text");
        assert!(body["messages"][1]["content"][0].get("cache_control").is_none(), "never on thinking");
    }

    #[test]
    fn client_breakpoints_are_kept_as_sent() {
        let mut body = json!({
            "system": [{"type": "text", "text": "s", "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
            "messages": [{"role": "user", "content": "hi"}]
        });
        let before = body.clone();
        assert_eq!(place_in_anthropic_body(body.as_object_mut().expect("object")), 0);
        assert_eq!(body, before);
    }

    #[test]
    fn ir_request_gets_at_most_four_and_skips_thinking() {
        let mut request = ChatRequest {
            system: vec![SystemBlock { text: "sys".into(), cache_control: None }],
            tools: vec![Tool { name: "t".into(), description: None, parameters: json!({}), cache_control: None }],
            messages: vec![
                Message { role: Role::User, content: vec![ContentPart::text("one")] },
                Message { role: Role::User, content: vec![ContentPart::text("two")] },
                Message {
                    role: Role::Assistant,
                    content: vec![
                        ContentPart::Thinking(Thinking {
                            text: "t".into(),
                            signature: None,
                            redacted: false,
                            family: None,
                        }),
                        ContentPart::text("a"),
                    ],
                },
                Message { role: Role::User, content: vec![ContentPart::text("three")] },
            ],
            ..ChatRequest::default()
        };
        assert_eq!(place_in_ir(&mut request), 4);
        assert!(matches!(&request.messages[0].content[0], ContentPart::Text { cache_control: None, .. }));
        assert!(matches!(&request.messages[1].content[0], ContentPart::Text { cache_control: Some(_), .. }));
        assert!(matches!(&request.messages[3].content[0], ContentPart::Text { cache_control: Some(_), .. }));
        assert_eq!(place_in_ir(&mut request), 0, "a second pass sees the breakpoints and adds none");
    }

    #[test]
    fn empty_request_gets_none() {
        let mut body = json!({"messages": []});
        assert_eq!(place_in_anthropic_body(body.as_object_mut().expect("object")), 0);
        assert_eq!(place_in_ir(&mut ChatRequest::default()), 0);
    }
}
