//! Request decoding.

use serde_json::{json, Value};

use crate::formats::anthropic::{decode_request, encode_request, SERVER_TOOLS_KEY};
use crate::ir::{
    CacheControl, ChatRequest, ContentPart, ImageSource, Message, Reasoning, ReasoningFamily, ResponseFormat, Role,
    SystemBlock, Thinking, ToolChoice,
};

fn decode(body: &Value) -> ChatRequest {
    decode_request(body.to_string().as_bytes()).expect("request decodes")
}

fn decode_err(body: &Value) -> String {
    decode_request(body.to_string().as_bytes()).expect_err("request is rejected").0
}

fn with_messages(messages: Value) -> Value {
    json!({ "model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": messages })
}

fn with_content(content: Value) -> Value {
    with_messages(json!([{ "role": "user", "content": content }]))
}

fn parts(req: &ChatRequest) -> &[ContentPart] {
    &req.messages[0].content
}

#[test]
fn decodes_the_basics() {
    let req = decode(&json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "system": "Be brief.",
        "messages": [
            { "role": "user", "content": "Hello" },
            { "role": "assistant", "content": [{ "type": "text", "text": "Hi!" }] }
        ],
        "temperature": 0.3, "top_p": 0.9, "top_k": 40,
        "stop_sequences": ["STOP"],
        "stream": true
    }));
    assert_eq!(req.model, "claude-sonnet-4-5");
    assert_eq!(req.max_tokens, Some(1024));
    assert_eq!(req.system, [SystemBlock { text: "Be brief.".into(), cache_control: None }]);
    assert_eq!(
        req.messages,
        [
            Message { role: Role::User, content: vec![ContentPart::text("Hello")] },
            Message { role: Role::Assistant, content: vec![ContentPart::text("Hi!")] },
        ]
    );
    assert_eq!(req.sampling.temperature, Some(0.3));
    assert_eq!(req.sampling.top_p, Some(0.9));
    assert_eq!(req.sampling.top_k, Some(40));
    assert_eq!(req.stop, ["STOP"]);
    assert!(req.stream);
    assert!(req.extra.is_empty());
}

#[test]
fn system_blocks_keep_cache_control() {
    let req = decode(&json!({
        "model": "m", "messages": [],
        "system": [
            { "type": "text", "text": "a" },
            { "type": "text", "text": "b", "cache_control": { "type": "ephemeral", "ttl": "1h" } }
        ]
    }));
    assert_eq!(req.system[0].cache_control, None);
    assert_eq!(req.system[1].cache_control, Some(CacheControl { kind: "ephemeral".into(), ttl: Some("1h".into()) }));
    let err = decode_err(&json!({ "model": "m", "messages": [], "system": [{ "type": "image" }] }));
    assert!(err.contains("system[0]") && err.contains("image"), "{err}");
}

#[test]
fn rejects_missing_fields_bad_json_and_unknown_roles() {
    assert!(decode_err(&json!({ "messages": [] })).contains("model"));
    assert!(decode_err(&json!({ "model": "m" })).contains("messages"));
    assert!(decode_request(b"{not json").is_err());
    assert!(decode_request(b"[1,2]").is_err());
    assert!(decode_request(&[0xff, 0xfe]).is_err());
    let err = decode_err(&with_messages(json!([{ "role": "system", "content": "x" }])));
    assert!(err.contains("messages[0].role") && err.contains("system"), "{err}");
    let err = decode_err(&json!({ "model": "m", "messages": [], "max_tokens": "many" }));
    assert!(err.starts_with("max_tokens"), "{err}");
}

#[test]
fn unknown_block_types_are_rejected_by_name() {
    let err = decode_err(&with_content(json!([
        { "type": "text", "text": "ok" },
        { "type": "hologram", "data": 1 }
    ])));
    assert!(err.contains("messages[0].content[1]"), "{err}");
    assert!(err.contains("hologram"), "{err}");
    let err = decode_err(&with_content(json!([{ "text": "no type" }])));
    assert!(err.contains("type"), "{err}");
}

#[test]
fn server_tool_blocks_are_dropped() {
    let req = decode(&with_messages(json!([
        { "role": "user", "content": "search" },
        { "role": "assistant", "content": [
            { "type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": { "query": "q" } },
            { "type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [] },
            { "type": "mcp_tool_use", "id": "mcptoolu_1", "name": "x", "server_name": "s", "input": {} },
            { "type": "text", "text": "found it" }
        ]}
    ])));
    assert_eq!(req.messages[1].content, [ContentPart::text("found it")]);
}

#[test]
fn tool_use_input_is_kept_as_raw_json_text() {
    let body = br#"{"model":"m","messages":[{"role":"assistant","content":[
        {"type":"tool_use","id":"toolu_1","name":"f","input":{"zeta": 1, "alpha": [1, 2]}},
        {"type":"tool_use","id":"toolu_2","name":"g"}]}]}"#;
    let req = decode_request(body).expect("decodes");
    assert_eq!(
        parts(&req)[0],
        ContentPart::ToolCall {
            id: "toolu_1".into(),
            name: "f".into(),
            arguments: r#"{"zeta": 1, "alpha": [1, 2]}"#.into()
        }
    );
    assert!(matches!(&parts(&req)[1], ContentPart::ToolCall { arguments, .. } if arguments == "{}"));
}

#[test]
fn tool_results_take_strings_blocks_or_nothing() {
    let req = decode(&with_content(json!([
        { "type": "tool_result", "tool_use_id": "a", "content": "42" },
        { "type": "tool_result", "tool_use_id": "b", "is_error": true, "cache_control": { "type": "ephemeral" },
          "content": [
            { "type": "text", "text": "bad" },
            { "type": "image", "source": { "type": "url", "url": "https://x/y.png" } }
          ] },
        { "type": "tool_result", "tool_use_id": "c" }
    ])));
    let expected = [
        ContentPart::ToolResult {
            call_id: "a".into(),
            content: vec![ContentPart::text("42")],
            is_error: false,
            cache_control: None,
        },
        ContentPart::ToolResult {
            call_id: "b".into(),
            content: vec![
                ContentPart::text("bad"),
                ContentPart::Image { source: ImageSource::Url { url: "https://x/y.png".into() }, cache_control: None },
            ],
            is_error: true,
            cache_control: Some(CacheControl { kind: "ephemeral".into(), ttl: None }),
        },
        ContentPart::ToolResult { call_id: "c".into(), content: vec![], is_error: false, cache_control: None },
    ];
    assert_eq!(parts(&req), expected);
    let err = decode_err(&with_content(json!([
        { "type": "tool_result", "tool_use_id": "a", "content": [{ "type": "tool_use", "id": "x", "name": "y", "input": {} }] }
    ])));
    assert!(err.contains("content[0].content[0]"), "{err}");
}

#[test]
fn thinking_blocks_keep_signatures_and_family() {
    let req = decode(&with_messages(json!([{ "role": "assistant", "content": [
        { "type": "thinking", "thinking": "hmm", "signature": "c2ln+/==" },
        { "type": "thinking", "thinking": "unsigned", "signature": "" },
        { "type": "redacted_thinking", "data": "b3BhcXVl" }
    ]}])));
    let anthropic = Some(ReasoningFamily::Anthropic);
    assert_eq!(
        parts(&req),
        [
            ContentPart::Thinking(Thinking {
                text: "hmm".into(),
                signature: Some("c2ln+/==".into()),
                redacted: false,
                family: anthropic
            }),
            ContentPart::Thinking(Thinking {
                text: "unsigned".into(),
                signature: None,
                redacted: false,
                family: anthropic
            }),
            ContentPart::Thinking(Thinking {
                text: String::new(),
                signature: Some("b3BhcXVl".into()),
                redacted: true,
                family: anthropic
            }),
        ]
    );
}

#[test]
fn image_and_document_sources() {
    let req = decode(&with_content(json!([
        { "type": "image", "source": { "type": "base64", "media_type": "image/png", "data": "AAAA" } },
        { "type": "document", "title": "t", "source": { "type": "url", "url": "https://x/a.pdf" } },
        { "type": "document", "source": { "type": "text", "media_type": "text/plain", "data": "hello" } }
    ])));
    assert!(matches!(
        &parts(&req)[0],
        ContentPart::Image { source: ImageSource::Base64 { media_type, data }, .. }
            if media_type == "image/png" && data == "AAAA"
    ));
    assert!(matches!(
        &parts(&req)[1],
        ContentPart::Document { source: ImageSource::Url { url }, title: Some(t), .. }
            if url == "https://x/a.pdf" && t == "t"
    ));
    assert!(matches!(
        &parts(&req)[2],
        ContentPart::Document { source: ImageSource::Base64 { media_type, data }, .. }
            if media_type == "text/plain" && data == "aGVsbG8="
    ));
    let err = decode_err(&with_content(json!([
        { "type": "image", "source": { "type": "file", "file_id": "file_1" } }
    ])));
    assert!(err.contains("file"), "{err}");
    let err = decode_err(&with_content(json!([
        { "type": "image", "source": { "type": "base64", "data": "AAAA" } }
    ])));
    assert!(err.contains("media_type"), "{err}");
}

#[test]
fn tools_and_server_tools() {
    let req = decode(&json!({
        "model": "m", "messages": [],
        "tools": [
            { "name": "f", "description": "d", "input_schema": { "type": "object" }, "cache_control": { "type": "ephemeral" } },
            { "type": "custom", "name": "g", "input_schema": { "type": "object", "properties": {} } },
            { "type": "web_search_20250305", "name": "web_search", "max_uses": 3 },
            { "type": "bash_20250124", "name": "bash" }
        ]
    }));
    let names: Vec<&str> = req.tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["f", "g"]);
    assert_eq!(req.tools[0].description.as_deref(), Some("d"));
    assert!(req.tools[0].cache_control.is_some());
    assert_eq!(
        req.extra[SERVER_TOOLS_KEY],
        json!([
            { "type": "web_search_20250305", "name": "web_search", "max_uses": 3 },
            { "type": "bash_20250124", "name": "bash" }
        ])
    );
    let out: Value = serde_json::from_slice(&encode_request(&req)).expect("json");
    assert_eq!(out["tools"].as_array().map(Vec::len), Some(4));
    assert_eq!(out["tools"][2]["max_uses"], 3);
    assert!(out.get(SERVER_TOOLS_KEY).is_none());
    // A client cannot smuggle server tools through our carrier key.
    let req = decode(&json!({ "model": "m", "messages": [], SERVER_TOOLS_KEY: [{ "type": "x" }] }));
    assert!(req.extra.is_empty());
}

#[test]
fn tool_choice_variants() {
    let choice = |c: Value| {
        let req = decode(&json!({ "model": "m", "messages": [], "tool_choice": c }));
        (req.tool_choice, req.parallel_tool_calls)
    };
    assert_eq!(choice(json!({ "type": "auto" })), (Some(ToolChoice::Auto), None));
    assert_eq!(
        choice(json!({ "type": "any", "disable_parallel_tool_use": true })),
        (Some(ToolChoice::Required), Some(false))
    );
    assert_eq!(choice(json!({ "type": "none" })), (Some(ToolChoice::None), None));
    assert_eq!(choice(json!({ "type": "tool", "name": "f" })), (Some(ToolChoice::Tool { name: "f".into() }), None));
    assert!(decode_err(&json!({ "model": "m", "messages": [], "tool_choice": { "type": "tool" } }))
        .contains("tool_choice.name"));
    assert!(decode_err(&json!({ "model": "m", "messages": [], "tool_choice": { "type": "maybe" } })).contains("maybe"));
}

#[test]
fn metadata_user_id_is_also_the_user() {
    let req = decode(&json!({ "model": "m", "messages": [], "metadata": { "user_id": "u-1" } }));
    assert_eq!(req.user.as_deref(), Some("u-1"));
    assert_eq!(req.metadata, Some(json!({ "user_id": "u-1" })));
}

#[test]
fn thinking_configurations() {
    let thinking = |t: Value| decode(&json!({ "model": "m", "messages": [], "thinking": t }));
    let req = thinking(json!({ "type": "enabled", "budget_tokens": 2048 }));
    assert_eq!(req.reasoning, Some(Reasoning { budget_tokens: Some(2048), ..Reasoning::default() }));
    assert!(req.extra.is_empty());
    let req = thinking(json!({ "type": "disabled" }));
    assert_eq!(req.reasoning, Some(Reasoning { disabled: true, ..Reasoning::default() }));
    let req = thinking(json!({ "type": "adaptive" }));
    assert_eq!(req.reasoning, Some(Reasoning::default()));
    assert_eq!(req.extra["thinking"], json!({ "type": "adaptive" }));
    assert!(decode_err(&json!({ "model": "m", "messages": [], "thinking": { "type": "enabled" } }))
        .contains("budget_tokens"));
}

#[test]
fn output_config_is_kept_and_mirrored() {
    let req = decode(&json!({
        "model": "m", "messages": [],
        "output_config": { "effort": "low", "format": { "type": "json_schema", "schema": { "type": "object" } } }
    }));
    assert_eq!(req.reasoning.and_then(|r| r.effort).as_deref(), Some("low"));
    assert_eq!(
        req.response_format,
        Some(ResponseFormat::JsonSchema { name: "output".into(), schema: json!({ "type": "object" }), strict: true })
    );
    assert!(req.extra.contains_key("output_config"));
}

#[test]
fn unknown_top_level_fields_go_to_extra() {
    let req = decode(&json!({
        "model": "m", "messages": [],
        "context_management": { "edits": [] },
        "container": "cntr_1",
        "mcp_servers": [{ "type": "url", "url": "https://mcp", "name": "x" }],
        "service_tier": "auto"
    }));
    let mut keys: Vec<&str> = req.extra.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["container", "context_management", "mcp_servers", "service_tier"]);
}
