//! `decode_request` / `encode_request`.

use serde_json::{json, Value};

use super::json;
use crate::formats::openai_chat::{decode_request, encode_request};
use crate::ir::{
    CacheControl, ChatRequest, ContentPart, ImageSource, Message, Reasoning, ResponseFormat, Role, SystemBlock,
    Thinking, Tool, ToolChoice,
};

fn decode(body: &Value) -> ChatRequest {
    decode_request(body.to_string().as_bytes()).expect("valid request")
}

fn decode_err(body: &Value) -> String {
    decode_request(body.to_string().as_bytes()).expect_err("invalid request").0
}

fn user(parts: Vec<ContentPart>) -> Message {
    Message { role: Role::User, content: parts }
}

fn tool_result(call_id: &str, content: Vec<ContentPart>) -> ContentPart {
    ContentPart::ToolResult { call_id: call_id.to_owned(), content, is_error: false, cache_control: None }
}

fn tool_call(id: &str, name: &str, arguments: &str) -> ContentPart {
    ContentPart::ToolCall { id: id.to_owned(), name: name.to_owned(), arguments: arguments.to_owned() }
}

/// A request using most features, in the order a coding agent sends them.
fn rich_request() -> Value {
    json!({
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": [
                {"type": "text", "text": "What is in this image, and the weather?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
            ]},
            {"role": "assistant", "content": null, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "Sunny, 21°C"},
            {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "14:00"}]},
            {"role": "assistant", "content": "A cat. Sunny at 14:00."},
            {"role": "user", "content": "Thanks"}
        ],
        "tools": [
            {"type": "function", "function": {"name": "get_weather", "description": "Weather by city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
            {"type": "function", "function": {"name": "get_time"}}
        ],
        "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        "parallel_tool_calls": false,
        "temperature": 0.2,
        "top_p": 0.9,
        "presence_penalty": 0.1,
        "frequency_penalty": -0.5,
        "seed": 42,
        "max_tokens": 512,
        "stop": ["END", "STOP"],
        "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": true}},
        "reasoning_effort": "high",
        "stream": true,
        "stream_options": {"include_usage": true},
        "user": "user-1",
        "metadata": {"session": "s1"},
        "service_tier": "flex",
        "prompt_cache_key": "k1"
    })
}

#[test]
fn decodes_every_modelled_field() {
    let req = decode(&rich_request());
    assert_eq!(req.model, "gpt-4o");
    assert_eq!(req.system, vec![SystemBlock { text: "You are terse.".into(), cache_control: None }]);
    assert_eq!(req.messages.len(), 5, "two tool messages merge into one");
    assert_eq!(
        req.messages[0],
        user(vec![
            ContentPart::text("What is in this image, and the weather?"),
            ContentPart::Image {
                source: ImageSource::Url { url: "https://example.com/cat.png".into() },
                cache_control: None
            },
            ContentPart::Image {
                source: ImageSource::Base64 { media_type: "image/png".into(), data: "iVBORw0KGgo=".into() },
                cache_control: None
            },
        ])
    );
    assert_eq!(
        req.messages[1],
        Message {
            role: Role::Assistant,
            content: vec![
                tool_call("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                tool_call("call_2", "get_time", "{}"),
            ]
        }
    );
    assert_eq!(
        req.messages[2],
        user(vec![
            tool_result("call_1", vec![ContentPart::text("Sunny, 21°C")]),
            tool_result("call_2", vec![ContentPart::text("14:00")]),
        ])
    );
    assert_eq!(req.messages[4], user(vec![ContentPart::text("Thanks")]));
    assert_eq!(req.tools.len(), 2);
    assert_eq!(req.tools[0].description.as_deref(), Some("Weather by city"));
    assert_eq!(
        req.tools[1].parameters,
        json!({"type": "object", "properties": {}}),
        "absent parameters get the empty object schema"
    );
    assert_eq!(req.tool_choice, Some(ToolChoice::Tool { name: "get_weather".into() }));
    assert_eq!(req.parallel_tool_calls, Some(false));
    assert_eq!(req.sampling.temperature, Some(0.2));
    assert_eq!(req.sampling.top_p, Some(0.9));
    assert_eq!(req.sampling.presence_penalty, Some(0.1));
    assert_eq!(req.sampling.frequency_penalty, Some(-0.5));
    assert_eq!(req.sampling.seed, Some(42));
    assert_eq!(req.max_tokens, Some(512));
    assert_eq!(req.stop, vec!["END", "STOP"]);
    assert_eq!(
        req.response_format,
        Some(ResponseFormat::JsonSchema { name: "answer".into(), schema: json!({"type": "object"}), strict: true })
    );
    assert_eq!(req.reasoning, Some(Reasoning { effort: Some("high".into()), ..Reasoning::default() }));
    assert!(req.stream);
    assert_eq!(req.user.as_deref(), Some("user-1"));
    assert_eq!(req.metadata, Some(json!({"session": "s1"})));
    let mut extra_keys: Vec<&str> = req.extra.keys().map(String::as_str).collect();
    extra_keys.sort_unstable();
    assert_eq!(extra_keys, ["prompt_cache_key", "service_tier"]);
}

#[test]
fn system_and_developer_messages_anywhere_become_system_blocks() {
    let req = decode(&json!({"model": "m", "messages": [
        {"role": "developer", "content": [{"type": "text", "text": "A"}, {"type": "text", "text": "B", "cache_control": {"type": "ephemeral"}}]},
        {"role": "user", "content": "hi"},
        {"role": "system", "content": "C"},
        {"role": "system", "content": ""}
    ]}));
    let texts: Vec<&str> = req.system.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, ["A", "B", "C"]);
    assert_eq!(req.system[1].cache_control, Some(CacheControl { kind: "ephemeral".into(), ttl: None }));
    assert_eq!(req.messages, vec![user(vec![ContentPart::text("hi")])]);
}

#[test]
fn assistant_reasoning_text_and_tool_calls_keep_their_order() {
    let req = decode(&json!({"model": "deepseek-reasoner", "messages": [
        {"role": "assistant", "reasoning_content": "think", "content": [{"type": "text", "text": "Let me look."}],
         "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "ls", "arguments": {"path": "."}}}]}
    ]}));
    assert_eq!(
        req.messages[0].content,
        vec![
            ContentPart::Thinking(Thinking { text: "think".into(), signature: None, redacted: false, family: None }),
            ContentPart::text("Let me look."),
            tool_call("c1", "ls", "{\"path\":\".\"}"),
        ]
    );
}

#[test]
fn tool_messages_merge_only_when_consecutive() {
    let req = decode(&json!({"model": "m", "messages": [
        {"role": "assistant", "content": null, "tool_calls": [{"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "a", "content": "1"},
        {"role": "user", "content": "go on"},
        {"role": "tool", "tool_call_id": "b", "content": ""},
        {"role": "tool", "tool_call_id": "c", "content": "3"}
    ]}));
    assert_eq!(req.messages.len(), 4);
    assert_eq!(req.messages[1], user(vec![tool_result("a", vec![ContentPart::text("1")])]));
    assert_eq!(req.messages[3], user(vec![tool_result("b", vec![]), tool_result("c", vec![ContentPart::text("3")])]));
}

#[test]
fn files_become_documents() {
    let req = decode(&json!({"model": "m", "messages": [{"role": "user", "content": [
        {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0=", "filename": "a.pdf"}},
        {"type": "file", "file": {"file_data": "JVBERi0="}}
    ]}]}));
    let pdf = |title: Option<&str>| ContentPart::Document {
        source: ImageSource::Base64 { media_type: "application/pdf".into(), data: "JVBERi0=".into() },
        title: title.map(str::to_owned),
        cache_control: None,
    };
    assert_eq!(req.messages[0].content, vec![pdf(Some("a.pdf")), pdf(None)]);
}

#[test]
fn parameters_have_their_variants() {
    let base = |extra: Value| {
        let mut body = json!({"model": "m", "messages": []});
        for (k, v) in extra.as_object().expect("object") {
            body[k] = v.clone();
        }
        decode(&body)
    };
    for (choice, expected) in
        [("auto", ToolChoice::Auto), ("none", ToolChoice::None), ("required", ToolChoice::Required)]
    {
        assert_eq!(base(json!({"tool_choice": choice})).tool_choice, Some(expected));
    }
    let req = base(json!({"max_tokens": 10, "max_completion_tokens": 20, "stop": "X", "reasoning_effort": "none",
        "response_format": {"type": "json_object"}, "temperature": null}));
    assert_eq!(req.max_tokens, Some(20), "max_completion_tokens wins");
    assert_eq!(req.stop, vec!["X"]);
    assert_eq!(req.reasoning, Some(Reasoning { disabled: true, ..Reasoning::default() }));
    assert_eq!(req.response_format, Some(ResponseFormat::JsonObject));
    assert_eq!(req.sampling.temperature, None, "null is absent");
    assert!(!req.stream);
    assert!(req.extra.is_empty());
    assert_eq!(base(json!({"response_format": {"type": "text"}})).response_format, Some(ResponseFormat::Text));
}

#[test]
fn errors_name_the_field() {
    let cases = [
        (json!([]), "request body must be a JSON object"),
        (json!({"messages": []}), "`model` must be a string"),
        (json!({"model": 3, "messages": []}), "`model` must be a string"),
        (json!({"model": "m"}), "`messages` must be an array"),
        (json!({"model": "m", "messages": {}}), "`messages` must be an array"),
        (json!({"model": "m", "messages": [1]}), "`messages[0]` must be an object"),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}, {"role": "user", "content": 5}]}),
            "`messages[2].content` must be a string or an array",
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "input_audio", "input_audio": {"data": "", "format": "wav"}}]}]}),
            "`messages[0].content[1]`: content part type `input_audio` is not supported",
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": [{"type": "file", "file": {"file_id": "file-1"}}]}]}),
            "`messages[0].content[0].file`: only inline files",
        ),
        (
            json!({"model": "m", "messages": [{"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "f"}}]}]}),
            "`messages[0].tool_calls[0].id` must be a non-empty string",
        ),
        (
            json!({"model": "m", "messages": [{"role": "tool", "content": "x"}]}),
            "`messages[0].tool_call_id` must be a non-empty string",
        ),
        (
            json!({"model": "m", "messages": [{"role": "function", "name": "f", "content": "x"}]}),
            "`messages[0].role` `function` (legacy function calling) is not supported",
        ),
        (
            json!({"model": "m", "messages": [{"role": "robot", "content": "x"}]}),
            "`messages[0].role` `robot` is not one of",
        ),
        (
            json!({"model": "m", "messages": [], "tools": [{"type": "custom", "custom": {"name": "x"}}]}),
            "`tools[0].type` `custom` is not supported",
        ),
        (json!({"model": "m", "messages": [], "tool_choice": "sometimes"}), "`tool_choice` must be"),
        (json!({"model": "m", "messages": [], "temperature": "hot"}), "`temperature` must be a number"),
        (json!({"model": "m", "messages": [], "max_tokens": -1}), "`max_tokens` must be a non-negative integer"),
        (json!({"model": "m", "messages": [], "stop": [1]}), "`stop` must be a string or an array of strings"),
        (
            json!({"model": "m", "messages": [], "response_format": {"type": "yaml"}}),
            "`response_format.type` `yaml` is not one of",
        ),
    ];
    for (body, expected) in cases {
        let message = decode_err(&body);
        assert!(message.starts_with(expected), "{body}: got {message:?}");
    }
    let not_json = decode_request(b"{\"model\":").expect_err("not JSON").0;
    assert!(not_json.starts_with("request body is not valid JSON"), "{not_json}");
}

#[test]
fn encodes_the_upstream_body() {
    let req = ChatRequest {
        model: "gpt-4o".into(),
        system: vec![
            SystemBlock {
                text: "One".into(),
                cache_control: Some(CacheControl { kind: "ephemeral".into(), ttl: None }),
            },
            SystemBlock { text: "Two".into(), cache_control: None },
        ],
        messages: vec![
            user(vec![ContentPart::text("hi")]),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentPart::Thinking(Thinking {
                        text: "secret".into(),
                        signature: Some("sig".into()),
                        redacted: false,
                        family: Some(crate::ir::ReasoningFamily::Anthropic),
                    }),
                    tool_call("toolu_1", "read", "{\"p\":1}"),
                ],
            },
            user(vec![
                ContentPart::ToolResult {
                    call_id: "toolu_1".into(),
                    content: vec![
                        ContentPart::text("line 1"),
                        ContentPart::text("line 2"),
                        ContentPart::Image {
                            source: ImageSource::Base64 { media_type: "image/jpeg".into(), data: "AAAA".into() },
                            cache_control: None,
                        },
                    ],
                    is_error: true,
                    cache_control: None,
                },
                ContentPart::text("continue"),
            ]),
        ],
        tools: vec![Tool {
            name: "read".into(),
            description: None,
            parameters: json!({"type": "object"}),
            cache_control: None,
        }],
        tool_choice: Some(ToolChoice::Required),
        max_tokens: Some(100),
        reasoning: Some(Reasoning { budget_tokens: Some(5000), ..Reasoning::default() }),
        stream: true,
        extra: serde_json::from_value(json!({"model": "not-this", "service_tier": "flex"})).expect("map"),
        ..ChatRequest::default()
    };
    let body = json(&encode_request(&req));
    assert_eq!(
        body,
        json!({
            "model": "gpt-4o",
            "messages": [
                {"role": "system", "content": "One\n\nTwo"},
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "toolu_1", "type": "function", "function": {"name": "read", "arguments": "{\"p\":1}"}}
                ]},
                {"role": "tool", "tool_call_id": "toolu_1", "content": "line 1\n\nline 2"},
                {"role": "user", "content": [
                    {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,AAAA"}},
                    {"type": "text", "text": "continue"}
                ]}
            ],
            "tools": [{"type": "function", "function": {"name": "read", "parameters": {"type": "object"}}}],
            "tool_choice": "required",
            "max_tokens": 100,
            "reasoning_effort": "medium",
            "stream": true,
            "stream_options": {"include_usage": true},
            "service_tier": "flex"
        })
    );
}

#[test]
fn budget_maps_to_effort_and_empty_assistant_has_text_content() {
    let effort = |reasoning: Reasoning| {
        let req = ChatRequest {
            model: "m".into(),
            reasoning: Some(reasoning),
            messages: vec![Message { role: Role::Assistant, content: vec![] }],
            ..ChatRequest::default()
        };
        let body = json(&encode_request(&req));
        assert_eq!(body["messages"][0], json!({"role": "assistant", "content": ""}));
        assert!(body.get("stream").is_none() && body.get("stream_options").is_none());
        body["reasoning_effort"].clone()
    };
    let budget = |n| Reasoning { budget_tokens: Some(n), ..Reasoning::default() };
    assert_eq!(effort(budget(0)), json!("none"));
    assert_eq!(effort(budget(1024)), json!("low"));
    assert_eq!(effort(budget(1025)), json!("medium"));
    assert_eq!(effort(budget(8192)), json!("medium"));
    assert_eq!(effort(budget(32000)), json!("high"));
    assert_eq!(effort(Reasoning::default()), Value::Null);
    assert_eq!(
        effort(Reasoning { effort: Some("minimal".into()), budget_tokens: Some(99_999), disabled: false }),
        json!("minimal")
    );
}

#[test]
fn decode_encode_decode_is_stable() {
    let first = decode(&rich_request());
    let encoded = encode_request(&first);
    let second = decode_request(&encoded).expect("own output decodes");
    assert_eq!(first, second);
    let reencoded = encode_request(&second);
    assert_eq!(json(&encoded), json(&reencoded));
}

#[test]
fn several_system_messages_are_joined_into_one() {
    let first = decode(&json!({"model": "m", "messages": [
        {"role": "system", "content": "A"}, {"role": "system", "content": "B"}, {"role": "user", "content": "x"}
    ]}));
    let second = decode_request(&encode_request(&first)).expect("decodes");
    assert_eq!(second.system, vec![SystemBlock { text: "A\n\nB".into(), cache_control: None }]);
    assert_eq!(second.messages, first.messages);
}

#[test]
fn truncated_or_mistyped_bodies_never_panic() {
    let body = rich_request().to_string();
    for cut in (0..body.len()).filter(|&i| body.is_char_boundary(i)) {
        assert!(decode_request(&body.as_bytes()[..cut]).is_err(), "cut at {cut}");
    }
    for value in [json!(null), json!(1), json!("x"), json!([]), json!({})] {
        let mut req = rich_request();
        for key in ["messages", "tools", "tool_choice", "stop", "response_format", "seed"] {
            req[key] = value.clone();
            let _ = decode_request(req.to_string().as_bytes());
        }
    }
}

/// Regression (fuzz finding): a nameless tool call from another format is sent as `unknown_tool`, which OpenAI
/// and this module's own decoder accept, instead of an empty name.
#[test]
fn nameless_tool_calls_get_a_placeholder_name() {
    let req = ChatRequest {
        model: "m".into(),
        messages: vec![Message { role: Role::Assistant, content: vec![tool_call("c1", "", "{}")] }],
        ..ChatRequest::default()
    };
    let body = encode_request(&req);
    let value: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(value["messages"][0]["tool_calls"][0]["function"]["name"], "unknown_tool");
    assert!(decode_request(&body).is_ok());
}
