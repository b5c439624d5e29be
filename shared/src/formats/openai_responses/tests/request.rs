//! Requests: decoding a Codex-shaped request, encoding for a Responses upstream, round trips, rejections.

use serde_json::{json, Value};

use super::json;
use crate::formats::openai_responses::{
    decode_request, encode_request, OTHER_TOOLS_KEY, STRICT_TOOLS_KEY, TOOL_CHOICE_KEY,
};
use crate::ir::{
    ChatRequest, ContentPart, ImageSource, Message, Reasoning, ReasoningFamily, ResponseFormat, Role, SystemBlock,
    Thinking, Tool, ToolChoice,
};

const CODEX_TURN: &str = fixture!("requests/codex_turn.json");
/// The first reasoning item's `encrypted_content` as a Rust string (the fixture escapes its backslash).
const SIGNATURE_1: &str = "gAAAAABo9Xk1-Qw_e3R4t5Y6u7I8o9P0a+S/dF==gH\\u0000jK==";
const SIGNATURE_2: &str = "gAAAAABo9Xk2+/+/ZZ==";

fn decode(body: Value) -> ChatRequest {
    decode_request(body.to_string().as_bytes()).expect("decodes")
}

fn decode_err(body: Value) -> String {
    decode_request(body.to_string().as_bytes()).expect_err("rejected").0
}

/// `req` encoded and decoded again, without the `store: false` the encoder adds when the request has none.
fn redecode(req: &ChatRequest) -> ChatRequest {
    let mut again = decode_request(&encode_request(req)).expect("re-decodes");
    assert_eq!(again.extra.remove("store"), Some(json!(false)));
    again
}

fn thinking(text: &str, signature: &str) -> ContentPart {
    ContentPart::Thinking(Thinking {
        text: text.into(),
        signature: Some(signature.into()),
        redacted: false,
        family: Some(ReasoningFamily::OpenAi),
    })
}

#[test]
fn codex_turn_decodes_into_the_ir() {
    let req = decode_request(CODEX_TURN.as_bytes()).expect("decodes");
    assert_eq!(req.model, "gpt-5-codex");
    assert_eq!(req.system.len(), 2, "instructions, then the developer message");
    assert!(req.system[0].text.starts_with("You are Codex") && req.system[0].text.ends_with("`rg`.\n"));
    assert!(req.system[1].text.starts_with("<permissions instructions>"));
    let shell_call = ContentPart::ToolCall {
        id: "call_Xy12AbCd".into(),
        name: "shell".into(),
        arguments: r#"{"command":["cargo","test"],"workdir":"/home/me/proj"}"#.into(),
    };
    let expected = vec![
        Message {
            role: Role::User,
            content: vec![
                ContentPart::text(
                    "<environment_context>\n  <cwd>/home/me/proj</cwd>\n  <shell>zsh</shell>\n</environment_context>",
                ),
                ContentPart::text("Run the tests and fix the failure."),
            ],
        },
        Message {
            role: Role::Assistant,
            content: vec![thinking("**Running tests**\n\nI'll run `cargo test` first.", SIGNATURE_1), shell_call],
        },
        Message {
            role: Role::User,
            content: vec![ContentPart::ToolResult {
                call_id: "call_Xy12AbCd".into(),
                content: vec![ContentPart::text(
                    "Exit code: 101\nWall time: 2.1 seconds\nOutput:\ntest tests::parses ... FAILED",
                )],
                is_error: false,
                cache_control: None,
            }],
        },
        Message {
            role: Role::Assistant,
            content: vec![
                thinking("", SIGNATURE_2),
                ContentPart::text("The test `parses` fails because the parser rejects trailing commas."),
            ],
        },
        Message {
            role: Role::User,
            content: vec![
                ContentPart::text("Go ahead, here is the screenshot."),
                ContentPart::Image {
                    source: ImageSource::Base64 {
                        media_type: "image/png".into(),
                        data: "iVBORw0KGgoAAAANSUhEUg==".into(),
                    },
                    cache_control: None,
                },
            ],
        },
    ];
    assert_eq!(req.messages, expected);
    // Codex's freeform `apply_patch` is also a single-string function tool for other formats (custom_tools.rs).
    assert_eq!(req.tools.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["shell", "update_plan", "apply_patch"]);
    assert_eq!(req.tool_choice, Some(ToolChoice::Auto));
    assert_eq!(req.parallel_tool_calls, Some(false));
    assert_eq!(req.reasoning, Some(Reasoning { effort: Some("high".into()), ..Reasoning::default() }));
    assert!(req.stream);
    assert_eq!(req.extra["store"], false);
    assert_eq!(req.extra["include"], json!(["reasoning.encrypted_content"]));
    assert_eq!(req.extra["prompt_cache_key"], "0199a1b2-c3d4-7e8f-9a0b-1c2d3e4f5a6b");
    assert_eq!(req.extra["reasoning"], json!({"summary": "auto"}));
    assert_eq!(req.extra["text"], json!({"verbosity": "low"}));
    assert_eq!(req.extra[STRICT_TOOLS_KEY], json!(["update_plan"]));
    let others = req.extra[OTHER_TOOLS_KEY].as_array().expect("other tools");
    assert_eq!(
        others.iter().map(|t| t["type"].as_str().unwrap_or_default()).collect::<Vec<_>>(),
        ["custom", "web_search"]
    );
}

#[test]
fn codex_turn_round_trips_through_the_ir() {
    let first = decode_request(CODEX_TURN.as_bytes()).expect("decodes");
    let encoded = encode_request(&first);
    let second = decode_request(&encoded).expect("re-decodes");
    assert_eq!(second, first);
    assert_eq!(encode_request(&second), encoded, "encoding is deterministic");
}

#[test]
fn codex_turn_encodes_for_a_responses_upstream() {
    let original: Value = serde_json::from_str(CODEX_TURN).expect("fixture");
    let body = json(&encode_request(&decode_request(CODEX_TURN.as_bytes()).expect("decodes")));
    assert_eq!(body["instructions"], original["instructions"], "instructions byte-exact");
    for key in ["model", "tools", "tool_choice", "parallel_tool_calls", "reasoning", "store", "stream", "include"] {
        assert_eq!(body[key], original[key], "{key}");
    }
    for key in ["prompt_cache_key", "text"] {
        assert_eq!(body[key], original[key], "{key}");
    }
    let input = body["input"].as_array().expect("input");
    let types: Vec<(&str, &str)> = input
        .iter()
        .map(|i| (i["type"].as_str().unwrap_or_default(), i["role"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        types,
        [
            ("message", "developer"),
            ("message", "user"),
            ("reasoning", ""),
            ("function_call", ""),
            ("function_call_output", ""),
            ("reasoning", ""),
            ("message", "assistant"),
            ("message", "user"),
        ]
    );
    assert_eq!(input[2]["encrypted_content"], SIGNATURE_1, "encrypted content byte-exact");
    assert_eq!(input[2]["summary"], original["input"][3]["summary"]);
    assert!(input[2].get("id").is_none(), "no item ids, as Codex sends them");
    assert_eq!(input[5], json!({"type": "reasoning", "summary": [], "encrypted_content": SIGNATURE_2}));
    assert_eq!(
        input[3],
        json!({"type": "function_call", "call_id": "call_Xy12AbCd", "name": "shell", "arguments": original["input"][4]["arguments"]})
    );
    assert_eq!(
        input[4],
        json!({"type": "function_call_output", "call_id": "call_Xy12AbCd", "output": original["input"][5]["output"]})
    );
    assert_eq!(
        input[6]["content"],
        json!([{"type": "output_text", "text": "The test `parses` fails because the parser rejects trailing commas."}])
    );
    assert_eq!(
        input[7]["content"][1],
        json!({"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==", "detail": "auto"})
    );
    assert_eq!(input[1]["content"].as_array().map(Vec::len), Some(2), "consecutive user messages merged");
}

#[test]
fn string_input_and_minimal_requests() {
    let req = decode(json!({"model": "gpt-5", "input": "Hi", "instructions": "Be brief."}));
    assert_eq!(req.system, vec![SystemBlock { text: "Be brief.".into(), cache_control: None }]);
    assert_eq!(req.messages, vec![Message { role: Role::User, content: vec![ContentPart::text("Hi")] }]);
    assert!(req.extra.is_empty());
    let body = json(&encode_request(&req));
    assert_eq!(
        body,
        json!({
            "model": "gpt-5", "instructions": "Be brief.", "store": false,
            "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hi"}]}],
        })
    );
    let without_input = decode(json!({"model": "gpt-5", "previous_response_id": "resp_1"}));
    assert!(without_input.messages.is_empty());
    assert_eq!(without_input.extra["previous_response_id"], "resp_1");
    assert_eq!(json(&encode_request(&without_input))["previous_response_id"], "resp_1");
}

#[test]
fn easy_messages_parts_and_files() {
    let req = decode(json!({"model": "m", "input": [
        {"role": "system", "content": "Sys."},
        {"role": "user", "content": [
            {"type": "input_text", "text": ""},
            {"type": "input_image", "image_url": "https://x.test/a.png", "detail": "high"},
            {"type": "input_file", "file_data": "JVBERi0=", "filename": "a.pdf"},
            {"type": "input_file", "file_url": "https://x.test/b.pdf"},
        ]},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "No."}, {"type": "input_text", "text": "Ok"}]},
    ]}));
    assert_eq!(req.system, vec![SystemBlock { text: "Sys.".into(), cache_control: None }]);
    assert_eq!(
        req.messages[0].content,
        vec![
            ContentPart::Image { source: ImageSource::Url { url: "https://x.test/a.png".into() }, cache_control: None },
            ContentPart::Document {
                source: ImageSource::Base64 { media_type: "application/pdf".into(), data: "JVBERi0=".into() },
                title: Some("a.pdf".into()),
                cache_control: None,
            },
            ContentPart::Document {
                source: ImageSource::Url { url: "https://x.test/b.pdf".into() },
                title: None,
                cache_control: None,
            },
        ]
    );
    assert_eq!(req.messages[1].content, vec![ContentPart::text("No."), ContentPart::text("Ok")]);
    let body = json(&encode_request(&req));
    assert_eq!(
        body["input"][0]["content"][1],
        json!({"type": "input_file", "file_data": "data:application/pdf;base64,JVBERi0=", "filename": "a.pdf"})
    );
    assert_eq!(body["input"][0]["content"][2], json!({"type": "input_file", "file_url": "https://x.test/b.pdf"}));
    assert_eq!(redecode(&req), req);
}

#[test]
fn tool_output_parts_and_dropped_search_records() {
    let req = decode(json!({"model": "m", "input": [
        {"type": "web_search_call", "id": "ws_1", "status": "completed", "action": {"type": "search", "query": "q"}},
        {"type": "function_call", "call_id": "c1", "name": "screenshot", "arguments": {"full": true}},
        {"type": "function_call_output", "call_id": "c1", "output": [
            {"type": "input_text", "text": "Here:"},
            {"type": "input_image", "image_url": "data:image/jpeg;base64,/9j/"},
        ]},
        {"type": "message", "role": "user", "content": "thanks"},
    ]}));
    assert_eq!(req.messages.len(), 2, "the search record is dropped; the tool result and the text share a message");
    assert_eq!(
        req.messages[0].content,
        vec![ContentPart::ToolCall {
            id: "c1".into(),
            name: "screenshot".into(),
            arguments: r#"{"full":true}"#.into()
        }]
    );
    let body = json(&encode_request(&req));
    assert_eq!(
        body["input"][1]["output"],
        json!([
            {"type": "input_text", "text": "Here:"},
            {"type": "input_image", "image_url": "data:image/jpeg;base64,/9j/", "detail": "auto"},
        ]),
        "a tool result with an image keeps the parts form"
    );
    assert_eq!(body["input"][2]["content"], json!([{"type": "input_text", "text": "thanks"}]));
}

#[test]
fn unsupported_items_parts_and_fields_name_the_culprit() {
    let cases = [
        (json!({"type": "item_reference", "id": "msg_1"}), "`input[0]`: input item type `item_reference`"),
        (json!({"type": "custom_tool_call", "call_id": "c", "name": "apply_patch", "input": 1}), "`input[0].input`"),
        (json!({"type": "local_shell_call", "call_id": "c"}), "`local_shell_call`"),
        (
            json!({"role": "user", "content": [{"type": "input_image", "file_id": "file_1"}]}),
            "`input[0].content[0].file_id`",
        ),
        (json!({"role": "user", "content": [{"type": "input_file", "file_id": "file_1"}]}), "uploaded files"),
        (json!({"role": "user", "content": [{"type": "input_audio"}]}), "`input_audio` is not supported"),
        (json!({"role": "tool", "content": "x"}), "`input[0].role` `tool`"),
        (json!({"type": "function_call", "name": "f"}), "`input[0].call_id` must be a non-empty string"),
        (json!({"type": "function_call_output", "call_id": "c"}), "`input[0].output` must be a string or an array"),
        (json!({"content": "x"}), "`input[0].type` must be a string"),
    ];
    for (item, needle) in cases {
        let message = decode_err(json!({"model": "m", "input": [item]}));
        assert!(message.contains(needle), "{message:?} should contain {needle:?}");
    }
    assert!(decode_err(json!({"input": "x"})).contains("`model`"));
    assert!(decode_err(json!({"model": "m", "input": 3})).contains("`input`"));
    assert!(decode_err(json!({"model": "m", "tools": [{"type": "function"}]})).contains("`tools[0].name`"));
    assert!(decode_err(json!({"model": "m", "tool_choice": "any"})).contains("`tool_choice`"));
    assert!(decode_err(json!({"model": "m", "text": {"format": {"type": "yaml"}}})).contains("`text.format.type`"));
    assert!(decode_request(b"[1]").is_err());
    assert!(decode_request(b"{").is_err());
}

#[test]
fn tool_choice_reasoning_and_text_format() {
    let req = decode(json!({
        "model": "m", "input": "x", "max_output_tokens": 512, "temperature": 1, "top_p": 0.5,
        "tools": [{"type": "function", "name": "f", "parameters": null}],
        "tool_choice": {"type": "function", "name": "f"},
        "reasoning": {"effort": "none"},
        "text": {"format": {"type": "json_schema", "name": "out", "schema": {"type": "object"}, "strict": true}},
        "user": "u1", "metadata": {"k": "v"},
    }));
    assert_eq!(req.tool_choice, Some(ToolChoice::Tool { name: "f".into() }));
    assert_eq!(req.tools[0].parameters, json!({"type": "object", "properties": {}}));
    assert_eq!(req.reasoning, Some(Reasoning { disabled: true, ..Reasoning::default() }));
    assert_eq!(
        req.response_format,
        Some(ResponseFormat::JsonSchema { name: "out".into(), schema: json!({"type": "object"}), strict: true })
    );
    assert_eq!((req.max_tokens, req.sampling.temperature, req.sampling.top_p), (Some(512), Some(1.0), Some(0.5)));
    let body = json(&encode_request(&req));
    assert_eq!(body["tool_choice"], json!({"type": "function", "name": "f"}));
    assert_eq!(body["reasoning"], json!({"effort": "none"}), "reasoning off: no summary");
    assert!(body.get("include").is_none(), "no encrypted reasoning without reasoning");
    assert_eq!(body["text"]["format"]["type"], "json_schema");
    assert_eq!((body["max_output_tokens"].clone(), body["user"].clone()), (json!(512), json!("u1")));
    assert_eq!(body["metadata"], json!({"k": "v"}));
    assert_eq!(body["tools"][0]["strict"], false);
    assert_eq!(redecode(&req), req);

    let hosted =
        decode(json!({"model": "m", "tools": [{"type": "web_search"}], "tool_choice": {"type": "web_search"}}));
    assert_eq!(hosted.tool_choice, None);
    assert_eq!(hosted.extra[TOOL_CHOICE_KEY], json!({"type": "web_search"}));
    assert_eq!(json(&encode_request(&hosted))["tool_choice"], json!({"type": "web_search"}));
}

/// A request as another format's decoder leaves it: no Responses-specific extras.
fn foreign(reasoning: Option<Reasoning>) -> ChatRequest {
    ChatRequest {
        model: "gpt-5".into(),
        system: vec![
            SystemBlock { text: "You are Claude Code.".into(), cache_control: None },
            SystemBlock { text: "Project rules.".into(), cache_control: None },
        ],
        messages: vec![
            Message { role: Role::User, content: vec![ContentPart::text("hi")] },
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentPart::Thinking(Thinking {
                        text: "anthropic thoughts".into(),
                        signature: Some("EqQBCkYI".into()),
                        redacted: false,
                        family: Some(ReasoningFamily::Anthropic),
                    }),
                    ContentPart::Thinking(Thinking {
                        text: "unsigned".into(),
                        signature: None,
                        redacted: false,
                        family: Some(ReasoningFamily::OpenAi),
                    }),
                    ContentPart::text("A"),
                    ContentPart::text("B"),
                    ContentPart::ToolCall { id: "toolu_1".into(), name: "ls".into(), arguments: "{}".into() },
                ],
            },
            Message {
                role: Role::User,
                content: vec![ContentPart::ToolResult {
                    call_id: "toolu_1".into(),
                    content: vec![ContentPart::text("a"), ContentPart::text("b")],
                    is_error: true,
                    cache_control: None,
                }],
            },
        ],
        tools: vec![Tool {
            name: "ls".into(),
            description: None,
            parameters: json!({"type": "object"}),
            cache_control: None,
        }],
        reasoning,
        stop: vec!["END".into()],
        ..ChatRequest::default()
    }
}

#[test]
fn foreign_requests_encode_to_valid_responses_bodies() {
    let mut req = foreign(Some(Reasoning { budget_tokens: Some(10_000), ..Reasoning::default() }));
    req.extra.insert("context_management".into(), json!({"edits": []}));
    req.extra.insert("service_tier".into(), json!("standard_only"));
    req.extra.insert("__anthropic_server_tools".into(), json!([{"type": "web_search_20250305"}]));
    req.extra.insert("stream_options".into(), json!({"include_obfuscation": false}));
    req.stream = true;
    let body = json(&encode_request(&req));
    assert_eq!(body["instructions"], "You are Claude Code.");
    assert_eq!(
        body["input"][0],
        json!({"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Project rules."}]})
    );
    assert_eq!(
        body["input"][2],
        json!({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "A"}, {"type": "output_text", "text": "B"}]}),
        "foreign and unsigned thinking dropped; consecutive texts share an item"
    );
    assert_eq!(body["input"][4], json!({"type": "function_call_output", "call_id": "toolu_1", "output": "a\n\nb"}));
    assert_eq!(body["input"].as_array().map(Vec::len), Some(5));
    assert_eq!(body["reasoning"], json!({"effort": "high", "summary": "auto"}), "budget 10000 → high");
    assert_eq!(body["include"], json!(["reasoning.encrypted_content"]));
    assert_eq!(body["store"], false);
    assert_eq!(
        (body["stream"].clone(), body["stream_options"].clone()),
        (json!(true), json!({"include_obfuscation": false}))
    );
    for absent in ["context_management", "service_tier", "__anthropic_server_tools", "stop", "tool_choice"] {
        assert!(body.get(absent).is_none(), "{absent} must not be sent");
    }

    let body = json(&encode_request(&foreign(Some(Reasoning { effort: Some("low".into()), ..Reasoning::default() }))));
    assert_eq!(body["reasoning"], json!({"effort": "low", "summary": "auto"}));
    let body = json(&encode_request(&foreign(None)));
    assert!(body.get("reasoning").is_none() && body.get("include").is_none());
}

#[test]
fn extra_settings_are_merged_not_overridden() {
    let mut req = foreign(Some(Reasoning { effort: Some("medium".into()), ..Reasoning::default() }));
    req.extra.insert("store".into(), json!(true));
    req.extra.insert("include".into(), json!(["message.output_text.logprobs"]));
    req.extra.insert("reasoning".into(), json!({"summary": "detailed", "effort": "ignored"}));
    req.extra.insert("service_tier".into(), json!("flex"));
    req.extra.insert("model".into(), json!("not-this"));
    req.extra.insert("stream_options".into(), json!({"include_obfuscation": false}));
    let body = json(&encode_request(&req));
    assert!(body.get("stream").is_none() && body.get("stream_options").is_none(), "stream options need a stream");
    assert_eq!(body["store"], true);
    assert_eq!(body["include"], json!(["message.output_text.logprobs", "reasoning.encrypted_content"]));
    assert_eq!(body["reasoning"], json!({"summary": "detailed", "effort": "medium"}));
    assert_eq!(body["service_tier"], "flex");
    assert_eq!(body["model"], "gpt-5");
}

/// Regression (fuzz finding): a nameless tool call from another format is sent as `unknown_tool`.
#[test]
fn nameless_tool_calls_get_a_placeholder_name() {
    let req = ChatRequest {
        model: "m".into(),
        messages: vec![Message {
            role: Role::Assistant,
            content: vec![ContentPart::ToolCall { id: "c1".into(), name: String::new(), arguments: "{}".into() }],
        }],
        ..ChatRequest::default()
    };
    let body = encode_request(&req);
    let value: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(value["input"][0]["name"], "unknown_tool");
    assert!(decode_request(&body).is_ok());
}

/// Codex's freeform tools (`custom` tools, `custom_tool_call` / `custom_tool_call_output` items) decode into
/// single-string function tools and calls, reach other formats as such, and come back as custom items.
#[test]
fn custom_tools_cross_formats_as_single_string_functions() {
    let patch = "*** Begin Patch\n*** Add File: hello.txt\n+Hello \"world\"\n*** End Patch\n";
    let body = json!({
        "model": "m",
        "tools": [{"type": "custom", "name": "apply_patch", "description": "Edit files",
                   "format": {"type": "grammar", "syntax": "lark", "definition": "start: begin_patch"}}],
        "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "add hello.txt"}]},
            {"type": "custom_tool_call", "call_id": "call_p", "name": "apply_patch", "input": patch},
            {"type": "custom_tool_call_output", "call_id": "call_p", "output": "Success. Updated: A hello.txt"}
        ]
    });
    let req = decode_request(body.to_string().as_bytes()).expect("decodes");
    assert_eq!(req.tools[0].parameters["required"], json!(["freeform_input"]));
    let ContentPart::ToolCall { id, name, arguments } = &req.messages[1].content[0] else { panic!("a tool call") };
    assert_eq!((id.as_str(), name.as_str()), ("call_p", "apply_patch"));
    assert_eq!(serde_json::from_str::<Value>(arguments).expect("json"), json!({"freeform_input": patch}));
    assert!(matches!(&req.messages[2].content[0], ContentPart::ToolResult { call_id, .. } if call_id == "call_p"));

    // To Anthropic: a function tool with one string argument, the call's input under it.
    let mut foreign = req.clone();
    foreign.extra.clear();
    let claude = json(&crate::formats::anthropic::encode_request(&foreign));
    assert_eq!(claude["tools"][0]["name"], "apply_patch");
    assert_eq!(claude["tools"][0]["input_schema"]["properties"]["freeform_input"]["type"], "string");
    assert_eq!(claude["messages"][1]["content"][0]["input"], json!({"freeform_input": patch}));

    // Back to Responses (decode → encode): the custom tool once, verbatim, and custom items in the history.
    let again = json(&encode_request(&req));
    assert_eq!(again["tools"], body["tools"]);
    assert_eq!(
        again["input"][1],
        json!({"type": "custom_tool_call", "call_id": "call_p", "name": "apply_patch", "input": patch})
    );
    assert_eq!(again["input"][2]["type"], "custom_tool_call_output");
    assert_eq!(again["input"][2]["call_id"], "call_p");
}
