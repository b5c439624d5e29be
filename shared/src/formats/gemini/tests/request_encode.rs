//! Request encoding from IR built by other formats: roles, signatures, tool results, tools, config.

use serde_json::{json, Value};

use crate::formats::gemini::{encode_request, DUMMY_THOUGHT_SIGNATURE, OTHER_TOOLS_KEY};
use crate::ir::{
    ChatRequest, ContentPart, ImageSource, Message, Reasoning, ReasoningFamily, ResponseFormat, Role, SystemBlock,
    Thinking, Tool, ToolChoice,
};

fn encode(req: &ChatRequest) -> Value {
    serde_json::from_slice(&encode_request(req)).expect("valid JSON")
}

fn message(role: Role, content: Vec<ContentPart>) -> Message {
    Message { role, content }
}

fn call(id: &str, name: &str, arguments: &str) -> ContentPart {
    ContentPart::ToolCall { id: id.into(), name: name.into(), arguments: arguments.into() }
}

fn result(call_id: &str, text: &str, is_error: bool) -> ContentPart {
    ContentPart::ToolResult {
        call_id: call_id.into(),
        content: vec![ContentPart::text(text)],
        is_error,
        cache_control: None,
    }
}

fn thinking(text: &str, signature: &str, family: ReasoningFamily) -> ContentPart {
    ContentPart::Thinking(Thinking {
        text: text.into(),
        signature: Some(signature.into()),
        redacted: false,
        family: Some(family),
    })
}

/// An Anthropic-style tool loop: foreign thinking, a call with a `toolu_` id, its result, then text.
fn foreign_history(model: &str) -> ChatRequest {
    ChatRequest {
        model: model.into(),
        system: vec![SystemBlock { text: "Be brief.".into(), cache_control: None }],
        messages: vec![
            message(Role::User, vec![ContentPart::text("weather?")]),
            message(
                Role::Assistant,
                vec![
                    thinking("hmm", "anthropic-sig", ReasoningFamily::Anthropic),
                    ContentPart::text("Checking."),
                    call("toolu_01", "get_weather", r#"{"city":"Paris"}"#),
                    call("toolu_02", "get_time", "not json"),
                ],
            ),
            message(Role::User, vec![result("toolu_01", "18 degrees", false)]),
            message(Role::User, vec![result("toolu_02", r#"{"time": "noon"}"#, false), ContentPart::text("and?")]),
            message(Role::User, vec![result("toolu_99", "orphan", true)]),
            message(Role::User, vec![result("toolu_01", r#"{"code": 7}"#, true)]),
        ],
        ..ChatRequest::default()
    }
}

#[test]
fn foreign_history_becomes_valid_gemini() {
    let body = encode(&foreign_history("gemini-3-pro-preview"));
    assert_eq!(body["systemInstruction"], json!({"parts": [{"text": "Be brief."}]}));
    let contents = body["contents"].as_array().expect("contents");
    let roles: Vec<&str> = contents.iter().map(|c| c["role"].as_str().unwrap_or_default()).collect();
    assert_eq!(roles, ["user", "model", "user"], "consecutive user turns are merged");
    assert_eq!(
        contents[1]["parts"],
        json!([
            {"text": "Checking."},
            {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}, "id": "toolu_01"},
             "thoughtSignature": DUMMY_THOUGHT_SIGNATURE},
            {"functionCall": {"name": "get_time", "args": {}, "id": "toolu_02"}}
        ]),
        "foreign thinking dropped, dummy signature on the first call only, invalid args become {{}}"
    );
    assert_eq!(
        contents[2]["parts"],
        json!([
            {"functionResponse": {"name": "get_weather", "response": {"output": "18 degrees"}, "id": "toolu_01"}},
            {"functionResponse": {"name": "get_time", "response": {"time": "noon"}, "id": "toolu_02"}},
            {"text": "and?"},
            {"functionResponse": {"name": "unknown_tool", "response": {"error": "orphan"}}},
            {"functionResponse": {"name": "get_weather", "response": {"error": "{\"code\": 7}"}, "id": "toolu_01"}}
        ])
    );
}

#[test]
fn claude_models_get_no_dummy_signature() {
    let body = encode(&foreign_history("claude-sonnet-4-6"));
    assert!(body["contents"][1]["parts"][1].get("thoughtSignature").is_none());
}

#[test]
fn gemini_signatures_go_back_where_they_came_from() {
    let req = ChatRequest {
        messages: vec![message(
            Role::Assistant,
            vec![
                thinking("plan", "S1", ReasoningFamily::Gemini),
                ContentPart::Thinking(Thinking {
                    text: "unsigned".into(),
                    signature: None,
                    redacted: false,
                    family: Some(ReasoningFamily::Gemini),
                }),
                thinking("", "S2", ReasoningFamily::Gemini),
                call("call_f_0", "f", "{}"),
                thinking("", "S3", ReasoningFamily::Gemini),
            ],
        )],
        ..ChatRequest::default()
    };
    let body = encode(&req);
    assert_eq!(
        body["contents"][0]["parts"],
        json!([
            {"text": "plan", "thought": true, "thoughtSignature": "S1"},
            {"functionCall": {"name": "f", "args": {}}, "thoughtSignature": "S2"},
            {"text": "", "thoughtSignature": "S3"}
        ])
    );
}

#[test]
fn media_and_documents() {
    let req = ChatRequest {
        messages: vec![message(
            Role::User,
            vec![
                ContentPart::Image {
                    source: ImageSource::Base64 { media_type: "image/jpeg".into(), data: "AAA=".into() },
                    cache_control: None,
                },
                ContentPart::Image {
                    source: ImageSource::Url { url: "https://x/y.webp?sig=1".into() },
                    cache_control: None,
                },
                ContentPart::Document {
                    source: ImageSource::Url { url: "gs://b/notes".into() },
                    title: None,
                    cache_control: None,
                },
            ],
        )],
        ..ChatRequest::default()
    };
    assert_eq!(
        encode(&req)["contents"][0]["parts"],
        json!([
            {"inlineData": {"mimeType": "image/jpeg", "data": "AAA="}},
            {"fileData": {"mimeType": "image/webp", "fileUri": "https://x/y.webp?sig=1"}},
            {"fileData": {"fileUri": "gs://b/notes"}}
        ])
    );
}

#[test]
fn tools_choice_and_other_tools() {
    let mut req = ChatRequest {
        tools: vec![
            Tool {
                name: "search".into(),
                description: Some("Search".into()),
                parameters: json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                    "properties": {"q": {"type": "string"}}, "required": ["q"], "additionalProperties": false}),
                cache_control: None,
            },
            Tool { name: "noop".into(), description: None, parameters: json!({"type": "object"}), cache_control: None },
        ],
        tool_choice: Some(ToolChoice::Tool { name: "search".into() }),
        ..ChatRequest::default()
    };
    req.extra.insert(OTHER_TOOLS_KEY.into(), json!([{"codeExecution": {}}]));
    req.extra.insert("context_management".into(), json!({"edits": []}));
    let body = encode(&req);
    assert_eq!(
        body["tools"],
        json!([
            {"functionDeclarations": [
                {"name": "search", "description": "Search",
                 "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}},
                {"name": "noop"}]},
            {"codeExecution": {}}
        ])
    );
    assert_eq!(
        body["toolConfig"],
        json!({"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["search"]}})
    );
    assert!(body.get("context_management").is_none(), "foreign extra fields are not sent");

    req.tools.clear();
    let body = encode(&req);
    assert!(body.get("toolConfig").is_none(), "no toolConfig without function declarations");
}

#[test]
fn generation_config_and_thinking_by_model() {
    let with = |model: &str, reasoning: Reasoning| {
        let req = ChatRequest { model: model.into(), reasoning: Some(reasoning), ..ChatRequest::default() };
        encode(&req)["generationConfig"]["thinkingConfig"].clone()
    };
    let effort = |e: &str| Reasoning { effort: Some(e.into()), ..Reasoning::default() };
    assert_eq!(with("gemini-2.5-flash", effort("low")), json!({"thinkingBudget": 1024, "includeThoughts": true}));
    assert_eq!(with("gemini-2.5-pro", effort("high")), json!({"thinkingBudget": 24576, "includeThoughts": true}));
    assert_eq!(with("gemini-3-pro-preview", effort("high")), json!({"thinkingLevel": "HIGH", "includeThoughts": true}));
    assert_eq!(
        with("models/gemini-3-flash", effort("minimal")),
        json!({"thinkingLevel": "MINIMAL", "includeThoughts": true})
    );
    let budget = Reasoning { budget_tokens: Some(2000), ..Reasoning::default() };
    assert_eq!(with("gemini-3-pro-preview", budget), json!({"thinkingBudget": 2000, "includeThoughts": true}));
    let off = Reasoning { disabled: true, ..Reasoning::default() };
    assert_eq!(with("gemini-2.5-flash", off.clone()), json!({"thinkingBudget": 0}));
    assert_eq!(with("gemini-3-pro-preview", off), json!({"thinkingLevel": "LOW"}));
    assert_eq!(with("gemini-2.5-pro", Reasoning::default()), json!({"thinkingBudget": -1, "includeThoughts": true}));
    assert_eq!(with("gemini-3-pro-preview", Reasoning::default()), json!({"includeThoughts": true}));

    let mut req = ChatRequest {
        max_tokens: Some(100),
        stop: vec!["END".into()],
        response_format: Some(ResponseFormat::JsonSchema {
            name: "out".into(),
            schema: json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            strict: true,
        }),
        ..ChatRequest::default()
    };
    req.sampling.temperature = Some(0.2);
    req.sampling.presence_penalty = Some(0.5);
    assert_eq!(
        encode(&req)["generationConfig"],
        json!({"temperature": 0.2, "maxOutputTokens": 100, "stopSequences": ["END"], "presencePenalty": 0.5,
            "responseMimeType": "application/json",
            "responseJsonSchema": {"type": "object", "properties": {"a": {"type": "string"}}}})
    );
    assert!(encode(&ChatRequest::default()).get("generationConfig").is_none());
}
