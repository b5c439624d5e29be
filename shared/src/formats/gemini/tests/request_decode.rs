//! Request decoding, feature by feature, and the decode → encode → decode round trip.

use serde_json::{json, Value};

use crate::formats::gemini::{decode_request, encode_request, GENERATION_CONFIG_KEY, OTHER_TOOLS_KEY, TOOL_CONFIG_KEY};
use crate::ir::{
    ChatRequest, ContentPart, ImageSource, Reasoning, ReasoningFamily, ResponseFormat, Role, Thinking, ToolChoice,
};

pub(super) const AGENT_TURN: &str = fixture!("requests/agent_turn.json");

fn decode(body: &Value) -> ChatRequest {
    decode_request(body.to_string().as_bytes()).expect("request decodes")
}

fn thinking(text: &str, signature: Option<&str>) -> ContentPart {
    ContentPart::Thinking(Thinking {
        text: text.to_owned(),
        signature: signature.map(str::to_owned),
        redacted: false,
        family: Some(ReasoningFamily::Gemini),
    })
}

fn text_of(part: &ContentPart) -> &str {
    match part {
        ContentPart::Text { text, .. } => text,
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn agent_turn_decodes_every_feature() {
    let req = decode_request(AGENT_TURN.as_bytes()).expect("decodes");
    assert_eq!(req.model, "");
    assert!(!req.stream);
    let system: Vec<&str> = req.system.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(system, ["You are a coding agent.", "Be brief."]);
    assert_eq!(req.messages.len(), 5);

    let user = &req.messages[0];
    assert_eq!(user.role, Role::User);
    assert_eq!(
        user.content[1],
        ContentPart::Image {
            source: ImageSource::Base64 { media_type: "image/png".into(), data: "iVBORw0KGgoAAAANSUhEUg==".into() },
            cache_control: None
        }
    );
    assert_eq!(
        user.content[2],
        ContentPart::Document {
            source: ImageSource::Url { url: "https://example.com/report.pdf".into() },
            title: None,
            cache_control: None
        }
    );

    let model = &req.messages[1];
    assert_eq!(model.role, Role::Assistant);
    assert_eq!(
        model.content,
        [
            thinking("**Planning**\nI should call the weather tool twice.", Some("CiQB0e2Kb+sig/1==")),
            thinking("", Some("EjQKMgHRSIG2==")),
            ContentPart::ToolCall {
                id: "call_get_weather_0".into(),
                name: "get_weather".into(),
                arguments: r#"{"units": "c", "city": "Paris"}"#.into()
            },
            ContentPart::ToolCall {
                id: "call_get_weather_1".into(),
                name: "get_weather".into(),
                arguments: r#"{"units": "c", "city": "Rome"}"#.into()
            },
        ]
    );

    let results = &req.messages[2].content;
    let ContentPart::ToolResult { call_id, content, is_error, .. } = &results[0] else { panic!("{results:?}") };
    assert_eq!((call_id.as_str(), *is_error), ("call_get_weather_0", false));
    assert_eq!(text_of(&content[0]), r#"{"temp": 18, "sky": "clear"}"#);
    let ContentPart::ToolResult { call_id, is_error, .. } = &results[1] else { panic!("{results:?}") };
    assert_eq!((call_id.as_str(), *is_error), ("call_get_weather_1", true));

    // A signature on a plain text part becomes an empty Gemini thinking block just before it.
    assert_eq!(req.messages[3].content[0], thinking("", Some("Q2xvc2luZw==")));
    assert_eq!(text_of(&req.messages[3].content[1]), "Paris is 18°C and clear; Rome's station is offline.");

    assert_eq!(req.tools.len(), 2);
    assert_eq!(
        req.tools[0].parameters,
        json!({"type": "object", "required": ["city"], "properties": {
            "city": {"type": "string", "description": "City name"},
            "units": {"type": ["string", "null"], "enum": ["c", "f"]}}})
    );
    assert_eq!(req.tools[1].parameters, json!({"type": "object", "properties": {}}));
    assert_eq!(req.extra[OTHER_TOOLS_KEY], json!([{"googleSearch": {}}]));
    assert_eq!(req.tool_choice, Some(ToolChoice::Auto));
    assert!(!req.extra.contains_key(TOOL_CONFIG_KEY));

    assert_eq!(req.sampling.temperature, Some(0.7));
    assert_eq!(req.sampling.top_p, Some(0.95));
    assert_eq!(req.sampling.top_k, Some(40));
    assert_eq!(req.sampling.seed, Some(7));
    assert_eq!(req.max_tokens, Some(8192));
    assert_eq!(req.stop, ["<END>"]);
    assert_eq!(req.reasoning, Some(Reasoning { budget_tokens: Some(4096), ..Reasoning::default() }));
    assert_eq!(req.extra[GENERATION_CONFIG_KEY], json!({"candidateCount": 1}));
    assert_eq!(req.extra["safetySettings"][0]["threshold"], "BLOCK_NONE");
    assert_eq!(req.extra["cachedContent"], "cachedContents/abc123");
}

#[test]
fn round_trip_keeps_the_ir_and_signatures_byte_exact() {
    let first = decode_request(AGENT_TURN.as_bytes()).expect("decodes");
    let encoded = encode_request(&first);
    let second = decode_request(&encoded).expect("re-decodes");
    assert_eq!(first, second);
    let text = String::from_utf8(encoded).expect("utf-8");
    for signature in ["CiQB0e2Kb+sig/1==", "EjQKMgHRSIG2==", "Q2xvc2luZw=="] {
        assert!(text.contains(&format!(r#""thoughtSignature":"{signature}""#)), "{signature} in {text}");
    }
    // Arguments and function responses keep their exact JSON text (key order and spacing).
    assert!(text.contains(r#""args":{"units": "c", "city": "Paris"}"#), "{text}");
    assert!(text.contains(r#""response":{"temp": 18, "sky": "clear"}"#), "{text}");
}

#[test]
fn function_responses_pair_by_id_else_by_name_and_order() {
    let req = decode(&json!({"contents": [
        {"role": "model", "parts": [
            {"functionCall": {"name": "a", "args": {}, "id": "x1"}},
            {"functionCall": {"name": "b", "args": {}}},
            {"functionCall": {"name": "b", "args": {}}}]},
        {"role": "user", "parts": [
            {"functionResponse": {"name": "b", "response": {"output": "first b"}}},
            {"functionResponse": {"name": "a", "response": {"output": "a"}, "id": "x1"}},
            {"functionResponse": {"name": "b", "response": {"output": "second b"}}},
            {"functionResponse": {"name": "c", "response": {}}}]}
    ]}));
    let ids: Vec<&str> = req.messages[1]
        .content
        .iter()
        .map(|p| match p {
            ContentPart::ToolResult { call_id, .. } => call_id.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids, ["call_b_0", "x1", "call_b_1", "call_c_2"]);
}

#[test]
fn error_responses_are_errors_only_with_a_lone_error_key() {
    let req = decode(&json!({"contents": [{"role": "user", "parts": [
        {"functionResponse": {"name": "f", "response": {"error": "boom"}}},
        {"functionResponse": {"name": "f", "response": {"error": "boom", "output": "partial"}}}]}]}));
    let flags: Vec<bool> =
        req.messages[0].content.iter().map(|p| matches!(p, ContentPart::ToolResult { is_error: true, .. })).collect();
    assert_eq!(flags, [true, false]);
}

#[test]
fn media_parts_map_by_mime_type() {
    let req = decode(&json!({"contents": [{"parts": [
        {"inlineData": {"mimeType": "application/pdf", "data": "JVBERi0="}},
        {"inline_data": {"mime_type": "audio/wav", "data": "UklGRg=="}},
        {"fileData": {"fileUri": "gs://bucket/cat.jpeg"}},
        {"fileData": {"mimeType": "image/png", "fileUri": "https://files/abc"}},
        {"executableCode": {"language": "PYTHON", "code": "print(1)"}},
        {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "1\n"}}]}]}));
    let parts = &req.messages[0].content;
    assert!(
        matches!(&parts[0], ContentPart::Document { source: ImageSource::Base64 { media_type, .. }, .. } if media_type == "application/pdf")
    );
    assert!(
        matches!(&parts[1], ContentPart::Document { source: ImageSource::Base64 { media_type, .. }, .. } if media_type == "audio/wav")
    );
    assert!(
        matches!(&parts[2], ContentPart::Image { source: ImageSource::Url { url }, .. } if url == "gs://bucket/cat.jpeg")
    );
    assert!(matches!(&parts[3], ContentPart::Image { .. }));
    assert_eq!(text_of(&parts[4]), "```python\nprint(1)\n```");
    assert_eq!(text_of(&parts[5]), "1\n");
}

#[test]
fn thinking_config_variants() {
    let reasoning = |config: Value| decode(&json!({"contents": [], "generationConfig": {"thinkingConfig": config}}));
    assert_eq!(
        reasoning(json!({"thinkingBudget": 0})).reasoning,
        Some(Reasoning { disabled: true, ..Reasoning::default() })
    );
    assert_eq!(reasoning(json!({"thinkingBudget": -1, "includeThoughts": true})).reasoning, Some(Reasoning::default()));
    assert_eq!(
        reasoning(json!({"thinkingLevel": "HIGH"})).reasoning,
        Some(Reasoning { effort: Some("high".into()), ..Reasoning::default() })
    );
    assert_eq!(reasoning(json!({"includeThoughts": true})).reasoning, Some(Reasoning::default()));
    let hidden = reasoning(json!({"thinkingBudget": 512, "includeThoughts": false}));
    assert_eq!(hidden.reasoning, Some(Reasoning { budget_tokens: Some(512), ..Reasoning::default() }));
    assert_eq!(hidden.extra[GENERATION_CONFIG_KEY], json!({"thinkingConfig": {"includeThoughts": false}}));
    // A Gemini upstream gets includeThoughts: false back.
    let body: Value = serde_json::from_slice(&encode_request(&hidden)).expect("json");
    assert_eq!(body["generationConfig"]["thinkingConfig"], json!({"thinkingBudget": 512, "includeThoughts": false}));
}

#[test]
fn tool_config_modes() {
    let choice = |config: Value| {
        let req = decode(&json!({"contents": [], "toolConfig": config}));
        (req.tool_choice, req.extra.get(TOOL_CONFIG_KEY).cloned())
    };
    assert_eq!(choice(json!({"functionCallingConfig": {"mode": "NONE"}})), (Some(ToolChoice::None), None));
    assert_eq!(choice(json!({"functionCallingConfig": {"mode": "ANY"}})), (Some(ToolChoice::Required), None));
    assert_eq!(
        choice(json!({"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f"]}})),
        (Some(ToolChoice::Tool { name: "f".into() }), None)
    );
    let several = json!({"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f", "g"]}});
    assert_eq!(choice(several.clone()), (Some(ToolChoice::Required), Some(several.clone())));
    let validated = json!({"functionCallingConfig": {"mode": "VALIDATED"}});
    assert_eq!(choice(validated.clone()), (Some(ToolChoice::Auto), Some(validated.clone())));

    // Kept verbatim for a Gemini upstream while the choice is unchanged.
    let mut req = decode(&json!({"contents": [], "toolConfig": several,
        "tools": [{"functionDeclarations": [{"name": "f"}, {"name": "g"}]}]}));
    let body: Value = serde_json::from_slice(&encode_request(&req)).expect("json");
    assert_eq!(body["toolConfig"], several);
    req.tool_choice = Some(ToolChoice::None);
    let body: Value = serde_json::from_slice(&encode_request(&req)).expect("json");
    assert_eq!(body["toolConfig"], json!({"functionCallingConfig": {"mode": "NONE"}}));
}

#[test]
fn response_formats() {
    let format = |config: Value| decode(&json!({"contents": [], "generationConfig": config}));
    assert_eq!(
        format(json!({"responseMimeType": "application/json"})).response_format,
        Some(ResponseFormat::JsonObject)
    );
    assert_eq!(format(json!({"responseMimeType": "text/plain"})).response_format, Some(ResponseFormat::Text));
    let schema = format(json!({"responseMimeType": "application/json",
        "responseSchema": {"type": "OBJECT", "properties": {"n": {"type": "INTEGER", "nullable": true}}}}));
    assert_eq!(
        schema.response_format,
        Some(ResponseFormat::JsonSchema {
            name: "response".into(),
            schema: json!({"type": "object", "properties": {"n": {"type": ["integer", "null"]}}}),
            strict: false
        })
    );
    let json_schema = format(json!({"responseMimeType": "application/json",
        "responseJsonSchema": {"type": "object", "additionalProperties": false}}));
    assert!(matches!(json_schema.response_format, Some(ResponseFormat::JsonSchema { ref schema, .. })
        if schema["additionalProperties"] == false));
    let enum_output =
        format(json!({"responseMimeType": "text/x.enum", "responseSchema": {"type": "STRING", "enum": ["a"]}}));
    assert_eq!(enum_output.response_format, None);
    assert_eq!(
        enum_output.extra[GENERATION_CONFIG_KEY],
        json!({"responseMimeType": "text/x.enum", "responseSchema": {"type": "STRING", "enum": ["a"]}})
    );
}

#[test]
fn snake_case_fields_and_a_string_system_instruction_are_accepted() {
    let req = decode(&json!({
        "system_instruction": "Be terse.",
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "generation_config": {"max_output_tokens": 10, "stop_sequences": ["x"]},
        "tool_config": {"function_calling_config": {"mode": "NONE"}},
        "safety_settings": [],
        "model": "ignored"}));
    assert_eq!(req.system[0].text, "Be terse.");
    assert_eq!(req.max_tokens, Some(10));
    assert_eq!(req.stop, ["x"]);
    assert_eq!(req.tool_choice, Some(ToolChoice::None));
    assert!(req.extra.contains_key("safetySettings"));
    assert_eq!(req.model, "");
}

#[test]
fn bad_requests_name_the_field() {
    let err = |body: Value| decode_request(body.to_string().as_bytes()).expect_err("rejected").0;
    assert_eq!(err(json!({})), "contents: field required");
    assert!(err(json!({"contents": [{"role": "system", "parts": []}]})).contains("contents[0].role"));
    assert!(err(json!({"contents": [{"parts": [{"videoMetadata": {}}]}]})).starts_with("contents[0].parts[0]"));
    assert!(err(json!({"contents": [{"parts": [{"functionCall": {"args": {}}}]}]}))
        .starts_with("contents[0].parts[0].functionCall.name"));
    assert!(err(json!({"contents": [], "tools": [{"functionDeclarations": [{"description": "x"}]}]}))
        .starts_with("tools[0].functionDeclarations[0].name"));
    assert!(err(json!({"contents": [], "generationConfig": {"temperature": "hot"}}))
        .starts_with("generationConfig.temperature"));
    assert!(err(json!({"contents": [], "generationConfig": {"maxOutputTokens": -1}}))
        .starts_with("generationConfig.maxOutputTokens"));
    assert!(decode_request(b"[1]").is_err());
    assert!(decode_request(b"\xff").is_err());
}
