//! Request encoding and request round trips.

use serde_json::{json, Map, Value};

use crate::formats::anthropic::{decode_request, encode_request};
use crate::ir::{
    CacheControl, ChatRequest, ContentPart, ImageSource, Message, Reasoning, ReasoningFamily, Role, Sampling, Thinking,
    Tool, ToolChoice,
};

fn encode(req: &ChatRequest) -> Value {
    serde_json::from_slice(&encode_request(req)).expect("encoder writes JSON")
}

fn msg(role: Role, content: Vec<ContentPart>) -> Message {
    Message { role, content }
}

fn user(text: &str) -> Message {
    msg(Role::User, vec![ContentPart::text(text)])
}

fn assistant(text: &str) -> Message {
    msg(Role::Assistant, vec![ContentPart::text(text)])
}

fn call(id: &str, name: &str, args: &str) -> ContentPart {
    ContentPart::ToolCall { id: id.into(), name: name.into(), arguments: args.into() }
}

fn result(id: &str, text: &str) -> ContentPart {
    ContentPart::ToolResult {
        call_id: id.into(),
        content: vec![ContentPart::text(text)],
        is_error: false,
        cache_control: None,
    }
}

fn thinking(text: &str, signature: Option<&str>, family: Option<ReasoningFamily>) -> ContentPart {
    ContentPart::Thinking(Thinking {
        text: text.into(),
        signature: signature.map(str::to_owned),
        redacted: false,
        family,
    })
}

fn request(messages: Vec<Message>) -> ChatRequest {
    ChatRequest { model: "claude-sonnet-4-5".into(), messages, ..ChatRequest::default() }
}

fn weather_tool() -> Tool {
    Tool {
        name: "get_weather".into(),
        description: None,
        parameters: json!({ "type": "object", "properties": { "city": { "type": "string" } } }),
        cache_control: None,
    }
}

#[test]
fn minimal_request_gets_required_fields() {
    let out = encode(&request(vec![user("hi")]));
    assert_eq!(
        out,
        json!({
            "model": "claude-sonnet-4-5",
            "max_tokens": 8192,
            "messages": [{ "role": "user", "content": [{ "type": "text", "text": "hi" }] }]
        })
    );
}

#[test]
fn same_role_turns_merge_and_the_first_turn_is_a_user_turn() {
    let out = encode(&request(vec![
        assistant("I start"),
        user("a"),
        user("b"),
        msg(Role::User, vec![ContentPart::text("   ")]),
        assistant("c"),
    ]));
    assert_eq!(
        out["messages"],
        json!([
            { "role": "user", "content": [{ "type": "text", "text": "(continue)" }] },
            { "role": "assistant", "content": [{ "type": "text", "text": "I start" }] },
            { "role": "user", "content": [{ "type": "text", "text": "a" }, { "type": "text", "text": "b" }] },
            { "role": "assistant", "content": [{ "type": "text", "text": "c" }] }
        ])
    );
    let out = encode(&request(vec![]));
    assert_eq!(out["messages"][0]["content"][0]["text"], "(continue)");
}

#[test]
fn tool_results_come_first_and_every_call_is_answered() {
    let out = encode(&request(vec![
        user("go"),
        msg(Role::Assistant, vec![call("call_1", "a", "{}"), call("call_2", "b", "{}")]),
        msg(Role::User, vec![ContentPart::text("also this"), result("call_2", "two"), result("call_9", "stray")]),
    ]));
    assert_eq!(
        out["messages"][2]["content"],
        json!([
            { "type": "tool_result", "tool_use_id": "call_2", "content": [{ "type": "text", "text": "two" }] },
            { "type": "tool_result", "tool_use_id": "call_1", "is_error": true,
              "content": [{ "type": "text", "text": "(no result)" }] },
            { "type": "text", "text": "also this" },
            { "type": "text", "text": "[tool result for call_9]\nstray" }
        ])
    );
}

#[test]
fn a_trailing_tool_call_gets_an_answering_user_turn() {
    let out = encode(&request(vec![user("go"), msg(Role::Assistant, vec![call("c1", "f", r#"{"x":1}"#)])]));
    assert_eq!(out["messages"].as_array().map(Vec::len), Some(3));
    assert_eq!(out["messages"][2]["role"], "user");
    assert_eq!(out["messages"][2]["content"][0]["tool_use_id"], "c1");
    assert_eq!(out["messages"][2]["content"][0]["is_error"], true);
}

#[test]
fn tool_ids_are_sanitised_consistently_and_names_never_empty() {
    let out = encode(&request(vec![
        user("go"),
        msg(Role::Assistant, vec![call("fc|call.1:x", "", "not json"), call("", "g", "")]),
        msg(Role::User, vec![result("fc|call.1:x", "ok"), result("", "ok2")]),
    ]));
    let calls = &out["messages"][1]["content"];
    assert_eq!(calls[0]["id"], "fc_call_1_x");
    assert_eq!(calls[0]["name"], "unknown_tool");
    assert_eq!(calls[0]["input"], json!({ "_raw": "not json" }));
    assert_eq!(calls[1]["id"], "toolu_unknown");
    assert_eq!(calls[1]["input"], json!({}));
    let results = &out["messages"][2]["content"];
    assert_eq!(results[0]["tool_use_id"], "fc_call_1_x");
    assert_eq!(results[1]["tool_use_id"], "toolu_unknown");
    assert!(results[0].get("is_error").is_none());
}

#[test]
fn tool_arguments_are_sent_verbatim() {
    let out = encode_request(&request(vec![
        user("go"),
        msg(Role::Assistant, vec![call("c1", "f", r#"{"zeta":1,"alpha":{"b":2,"a":1}}"#)]),
        msg(Role::User, vec![result("c1", "ok")]),
    ]));
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains(r#""input":{"zeta":1,"alpha":{"b":2,"a":1}}"#), "{text}");
}

#[test]
fn only_signed_anthropic_thinking_is_forwarded() {
    let anthropic = Some(ReasoningFamily::Anthropic);
    let out = encode(&request(vec![
        user("q"),
        msg(
            Role::Assistant,
            vec![
                thinking("mine", Some("sig=="), anthropic),
                thinking("unsigned", None, anthropic),
                thinking("gemini", Some("g-sig"), Some(ReasoningFamily::Gemini)),
                thinking("unknown", Some("x"), None),
                ContentPart::Thinking(Thinking {
                    text: String::new(),
                    signature: Some("opaque".into()),
                    redacted: true,
                    family: anthropic,
                }),
                ContentPart::Thinking(Thinking {
                    text: String::new(),
                    signature: Some("encrypted".into()),
                    redacted: true,
                    family: Some(ReasoningFamily::OpenAi),
                }),
                ContentPart::text("answer"),
            ],
        ),
        user("next"),
    ]));
    assert_eq!(
        out["messages"][1]["content"],
        json!([
            { "type": "thinking", "thinking": "mine", "signature": "sig==" },
            { "type": "redacted_thinking", "data": "opaque" },
            { "type": "text", "text": "answer" }
        ])
    );
}

#[test]
fn misplaced_parts_are_dropped() {
    let image = ContentPart::Image { source: ImageSource::Url { url: "https://x/i.png".into() }, cache_control: None };
    let out = encode(&request(vec![
        msg(
            Role::User,
            vec![
                ContentPart::text("q"),
                call("c", "f", "{}"),
                thinking("t", Some("s"), Some(ReasoningFamily::Anthropic)),
            ],
        ),
        msg(Role::Assistant, vec![image, ContentPart::text("a  \n")]),
    ]));
    assert_eq!(
        out["messages"],
        json!([
            { "role": "user", "content": [{ "type": "text", "text": "q" }] },
            { "role": "assistant", "content": [{ "type": "text", "text": "a" }] }
        ])
    );
}

#[test]
fn images_and_documents() {
    let cache = Some(CacheControl { kind: "ephemeral".into(), ttl: None });
    let out = encode(&request(vec![msg(
        Role::User,
        vec![
            ContentPart::Image { source: ImageSource::Url { url: "https://x/i.png".into() }, cache_control: None },
            ContentPart::Image {
                source: ImageSource::Base64 { media_type: "image/webp".into(), data: "UklG".into() },
                cache_control: cache.clone(),
            },
            ContentPart::Document {
                source: ImageSource::Base64 { media_type: "text/markdown".into(), data: "IyBoaQ==".into() },
                title: Some("readme".into()),
                cache_control: None,
            },
        ],
    )]));
    assert_eq!(
        out["messages"][0]["content"],
        json!([
            { "type": "image", "source": { "type": "url", "url": "https://x/i.png" } },
            { "type": "image", "source": { "type": "base64", "media_type": "image/webp", "data": "UklG" },
              "cache_control": { "type": "ephemeral" } },
            { "type": "document", "source": { "type": "text", "media_type": "text/plain", "data": "# hi" },
              "title": "readme" }
        ])
    );
}

#[test]
fn tools_tool_choice_and_parallelism() {
    let mut req = request(vec![user("q")]);
    req.tool_choice = Some(ToolChoice::Required);
    req.parallel_tool_calls = Some(false);
    // Without tools, no tool_choice is sent.
    assert!(encode(&req).get("tool_choice").is_none());
    req.tools = vec![
        weather_tool(),
        Tool { name: "noargs".into(), description: Some("d".into()), parameters: Value::Null, cache_control: None },
        Tool {
            name: "untyped".into(),
            description: None,
            parameters: json!({ "properties": { "a": {} } }),
            cache_control: None,
        },
    ];
    let out = encode(&req);
    assert_eq!(out["tool_choice"], json!({ "type": "any", "disable_parallel_tool_use": true }));
    assert_eq!(
        out["tools"][1],
        json!({ "name": "noargs", "description": "d", "input_schema": { "type": "object", "properties": {} } })
    );
    assert_eq!(out["tools"][2]["input_schema"]["type"], "object");
    req.tool_choice = None;
    assert_eq!(encode(&req)["tool_choice"], json!({ "type": "auto", "disable_parallel_tool_use": true }));
    req.tool_choice = Some(ToolChoice::None);
    assert_eq!(encode(&req)["tool_choice"], json!({ "type": "none" }));
    req.tool_choice = Some(ToolChoice::Tool { name: "get_weather".into() });
    req.parallel_tool_calls = None;
    assert_eq!(encode(&req)["tool_choice"], json!({ "type": "tool", "name": "get_weather" }));
}

#[test]
fn budget_reasoning_enables_thinking_and_restricts_sampling() {
    let mut req = request(vec![user("q")]);
    req.reasoning = Some(Reasoning { budget_tokens: Some(5000), ..Reasoning::default() });
    req.sampling = Sampling {
        temperature: Some(0.2),
        top_p: Some(0.5),
        top_k: Some(5),
        presence_penalty: Some(1.0),
        seed: Some(7),
        ..Sampling::default()
    };
    let out = encode(&req);
    assert_eq!(out["thinking"], json!({ "type": "enabled", "budget_tokens": 5000 }));
    assert_eq!(out["max_tokens"], 9096);
    for field in ["temperature", "top_p", "top_k", "presence_penalty", "seed"] {
        assert!(out.get(field).is_none(), "{field} must be dropped");
    }
    req.sampling = Sampling { temperature: Some(1.0), top_p: Some(0.97), ..Sampling::default() };
    let out = encode(&req);
    assert_eq!(out["temperature"], 1.0);
    assert_eq!(out["top_p"], 0.97);
}

#[test]
fn sampling_without_thinking_is_clamped_to_anthropic_ranges() {
    let mut req = request(vec![user("q")]);
    req.sampling = Sampling { temperature: Some(1.7), top_p: Some(0.5), top_k: Some(5), ..Sampling::default() };
    req.stop = vec!["END".into(), " ".into()];
    let out = encode(&req);
    assert_eq!(out["temperature"], 1.0);
    assert_eq!(out["top_p"], 0.5);
    assert_eq!(out["top_k"], 5);
    assert_eq!(out["stop_sequences"], json!(["END"]));
}

#[test]
fn effort_maps_to_a_budget_unless_the_client_set_its_own_effort() {
    let mut req = request(vec![user("q")]);
    req.reasoning = Some(Reasoning { effort: Some("high".into()), ..Reasoning::default() });
    let out = encode(&req);
    assert_eq!(out["thinking"], json!({ "type": "enabled", "budget_tokens": 24576 }));
    assert_eq!(out["max_tokens"], 28672);
    req.extra.insert("output_config".into(), json!({ "effort": "high" }));
    let out = encode(&req);
    assert!(out.get("thinking").is_none());
    assert_eq!(out["output_config"], json!({ "effort": "high" }));
    req.reasoning = Some(Reasoning { disabled: true, budget_tokens: Some(4000), ..Reasoning::default() });
    assert!(encode(&req).get("thinking").is_none());
}

#[test]
fn thinking_is_dropped_when_forced_tool_use_or_an_unsigned_tool_loop_would_be_rejected() {
    let budget = Some(Reasoning { budget_tokens: Some(2048), ..Reasoning::default() });
    let mut req = request(vec![user("q")]);
    req.reasoning = budget.clone();
    req.tools = vec![weather_tool()];
    req.tool_choice = Some(ToolChoice::Tool { name: "get_weather".into() });
    assert!(encode(&req).get("thinking").is_none());

    let loop_with = |first: Option<ContentPart>| {
        let mut content: Vec<ContentPart> = first.into_iter().collect();
        content.push(call("c1", "get_weather", "{}"));
        let mut req =
            request(vec![user("q"), msg(Role::Assistant, content), msg(Role::User, vec![result("c1", "sunny")])]);
        req.reasoning = budget.clone();
        req.tools = vec![weather_tool()];
        encode(&req)
    };
    assert!(loop_with(None).get("thinking").is_none());
    let foreign = thinking("t", Some("x"), Some(ReasoningFamily::Gemini));
    assert!(loop_with(Some(foreign)).get("thinking").is_none());
    let signed = thinking("t", Some("sig"), Some(ReasoningFamily::Anthropic));
    assert_eq!(loop_with(Some(signed))["thinking"]["type"], "enabled");
}

#[test]
fn native_thinking_and_extra_passthrough() {
    let mut req = request(vec![user("q")]);
    req.reasoning = Some(Reasoning::default());
    let mut extra = Map::new();
    extra.insert("thinking".into(), json!({ "type": "adaptive" }));
    extra.insert("context_management".into(), json!({ "edits": [] }));
    extra.insert("service_tier".into(), json!("flex"));
    extra.insert("store".into(), json!(false));
    extra.insert("model".into(), json!("evil"));
    extra.insert("max_tokens".into(), json!(1));
    req.extra = extra;
    let out = encode(&req);
    assert_eq!(out["thinking"], json!({ "type": "adaptive" }));
    assert_eq!(out["max_tokens"], 16384);
    assert_eq!(out["context_management"], json!({ "edits": [] }));
    assert_eq!(out["model"], "claude-sonnet-4-5");
    for dropped in ["service_tier", "store"] {
        assert!(out.get(dropped).is_none(), "{dropped} must not be forwarded");
    }
}

#[test]
fn metadata_carries_only_the_user_id() {
    let mut req = request(vec![user("q")]);
    req.metadata = Some(json!({ "trace": "t-1" }));
    assert!(encode(&req).get("metadata").is_none());
    req.user = Some("end-user".into());
    assert_eq!(encode(&req)["metadata"], json!({ "user_id": "end-user" }));
    req.metadata = Some(json!({ "user_id": "from-metadata", "x": 1 }));
    assert_eq!(encode(&req)["metadata"], json!({ "user_id": "from-metadata" }));
}

#[test]
fn system_blocks_keep_cache_control_and_blank_ones_are_dropped() {
    let mut req = request(vec![user("q")]);
    req.system = vec![
        crate::ir::SystemBlock {
            text: "sys".into(),
            cache_control: Some(CacheControl { kind: "ephemeral".into(), ttl: Some("1h".into()) }),
        },
        crate::ir::SystemBlock { text: String::new(), cache_control: None },
    ];
    assert_eq!(
        encode(&req)["system"],
        json!([{ "type": "text", "text": "sys", "cache_control": { "type": "ephemeral", "ttl": "1h" } }])
    );
}

const AGENT_TURN: &str = fixture!("requests/agent_turn.json");

#[test]
fn native_request_round_trips() {
    let first = decode_request(AGENT_TURN.as_bytes()).expect("fixture decodes");
    let encoded = encode_request(&first);
    let second = decode_request(&encoded).expect("re-encoded request decodes");
    assert_eq!(first, second);
    // A second pass is byte-stable.
    assert_eq!(encode_request(&second), encoded);

    let text = String::from_utf8(encoded).expect("utf-8");
    assert!(
        text.contains(r#""signature":"EqQBCkgIARABGAIiQL2Z+/x9k=/ab+Zm9vYmFy+/==""#),
        "signature byte-exact: {text}"
    );
    assert!(text.contains(
        r#""data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj==""#
    ));
    assert!(
        text.contains(r#""input":{"unit": "celsius", "city": "Paris", "nested": {"z": 1, "a": [true, null]}}"#),
        "tool input verbatim: {text}"
    );

    // What the IR holds, spot-checked.
    assert_eq!(first.max_tokens, Some(32000));
    assert_eq!(first.parallel_tool_calls, Some(false));
    assert_eq!(first.user.as_deref(), Some("user_abc123_account_def_session_789"));
    assert_eq!(
        first.reasoning,
        Some(Reasoning { effort: Some("high".into()), budget_tokens: Some(16000), disabled: false })
    );
    assert_eq!(first.tools.len(), 2);
    let out: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(out["thinking"], json!({ "type": "enabled", "budget_tokens": 16000 }));
    assert_eq!(out["temperature"], 1.0);
    assert_eq!(out["context_management"]["edits"][0]["type"], "clear_tool_uses_20250919");
    assert_eq!(out["service_tier"], "auto");
    assert_eq!(out["tools"][2]["type"], "web_search_20250305");
    assert_eq!(
        out["messages"][0]["content"][4]["source"],
        json!({ "type": "text", "media_type": "text/plain", "data": "Plain notes: \"quoted\" — ünïcödé 🚀" })
    );
    let results = &out["messages"][2]["content"];
    assert_eq!(results[1]["is_error"], true);
    assert_eq!(results[1]["content"][1]["type"], "image");
}

#[test]
fn a_final_assistant_turn_keeps_thinking_only_with_thinking_on() {
    let anthropic = Some(ReasoningFamily::Anthropic);
    let mut req = request(vec![
        user("q"),
        msg(Role::Assistant, vec![ContentPart::text("prefill "), thinking("t", Some("sig"), anthropic)]),
    ]);
    assert_eq!(encode(&req)["messages"][1]["content"], json!([{ "type": "text", "text": "prefill" }]));
    req.reasoning = Some(Reasoning { budget_tokens: Some(2048), ..Reasoning::default() });
    assert_eq!(encode(&req)["messages"][1]["content"][1]["type"], "thinking");
    // Only thinking in the final turn: the turn goes.
    req.reasoning = None;
    req.messages[1].content.remove(0);
    assert_eq!(encode(&req)["messages"].as_array().map(Vec::len), Some(1));
}
