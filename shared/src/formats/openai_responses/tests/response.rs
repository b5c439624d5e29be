//! Non-streamed responses: decoding upstream objects, encoding for clients, round trips.

use serde_json::json;

use super::json;
use crate::formats::openai_responses::{decode_response, encode_response, encode_response_at};
use crate::ir::{ChatResponse, ContentPart, FinishReason, ReasoningFamily, Thinking, Usage};

fn thinking(text: &str, signature: Option<&str>, family: ReasoningFamily) -> ContentPart {
    ContentPart::Thinking(Thinking {
        text: text.into(),
        signature: signature.map(str::to_owned),
        redacted: false,
        family: Some(family),
    })
}

#[test]
fn tool_call_response_decodes() {
    let resp = decode_response(fixture!("responses/tool_call.json").as_bytes()).expect("decodes");
    assert_eq!(resp.id, "resp_r1");
    assert_eq!(resp.model, "gpt-5-codex");
    assert_eq!(
        resp.content,
        vec![
            thinking("**Looking up weather**", Some("gAAAAABoR3s+/Zz0=="), ReasoningFamily::OpenAi),
            ContentPart::text("Let me check."),
            ContentPart::ToolCall {
                id: "call_W1".into(),
                name: "get_weather".into(),
                arguments: r#"{"city":"Paris"}"#.into(),
            },
        ],
        "the web_search_call item has no IR form"
    );
    assert_eq!(resp.finish, Some(FinishReason::ToolCalls));
    assert_eq!(
        resp.usage,
        Usage {
            input_tokens: 388,
            output_tokens: 80,
            cache_read_tokens: 512,
            cache_write_tokens: 0,
            reasoning_tokens: 64
        }
    );
}

#[test]
fn incomplete_and_unfinished_responses() {
    let resp = decode_response(fixture!("responses/incomplete.json").as_bytes()).expect("decodes");
    assert_eq!(resp.finish, Some(FinishReason::Length));
    assert_eq!(resp.content, vec![ContentPart::text("Once upon")]);
    let filtered =
        json!({"id": "r", "status": "incomplete", "incomplete_details": {"reason": "content_filter"}, "output": []});
    assert_eq!(
        decode_response(filtered.to_string().as_bytes()).expect("decodes").finish,
        Some(FinishReason::ContentFilter)
    );
    let plain = json!({"id": "r", "status": "completed", "output": [{"type": "message", "content": [{"type": "refusal", "refusal": "No."}]}]});
    let plain = decode_response(plain.to_string().as_bytes()).expect("decodes");
    assert_eq!((plain.finish, plain.content), (Some(FinishReason::Stop), vec![ContentPart::text("No.")]));

    let failed = json!({"id": "r", "status": "failed", "error": {"code": "server_error", "message": "boom"}});
    let err = decode_response(failed.to_string().as_bytes()).expect_err("failed");
    assert!(err.0.contains("failed: boom"), "{err}");
    assert!(decode_response(br#"{"status":"in_progress"}"#).is_err());
    assert!(decode_response(br#"{"output":{}}"#).is_err());
    assert!(decode_response(br#"{"output":[{"type":"function_call","call_id":"c"}]}"#).is_err());
    assert!(decode_response(b"[]").is_err());
}

#[test]
fn responses_encode_with_items_status_and_usage() {
    let resp = ChatResponse {
        id: "abc".into(),
        model: "claude-x".into(),
        content: vec![
            thinking("plan", Some("EqQB-anthropic"), ReasoningFamily::Anthropic),
            thinking("", Some("gAAAA=="), ReasoningFamily::OpenAi),
            ContentPart::text("Hi"),
            ContentPart::ToolCall { id: "toolu_1".into(), name: "ls".into(), arguments: "{}".into() },
        ],
        finish: Some(FinishReason::ToolCalls),
        stop_sequence: None,
        usage: Usage {
            input_tokens: 10,
            output_tokens: 5,
            cache_read_tokens: 90,
            cache_write_tokens: 3,
            reasoning_tokens: 2,
        },
    };
    let body = json(&encode_response_at(&resp, 1_760_000_000));
    assert_eq!(body["id"], "resp_abc");
    assert_eq!((body["object"].clone(), body["created_at"].clone()), (json!("response"), json!(1_760_000_000)));
    assert_eq!(body["status"], "completed");
    assert_eq!(body["incomplete_details"], json!(null));
    assert_eq!(
        body["output"],
        json!([
            {"type": "reasoning", "id": "rs_abc_0", "summary": [{"type": "summary_text", "text": "plan"}]},
            {"type": "reasoning", "id": "rs_abc_1", "summary": [], "encrypted_content": "gAAAA=="},
            {"type": "message", "id": "msg_abc_2", "status": "completed", "role": "assistant",
             "content": [{"type": "output_text", "text": "Hi", "annotations": []}]},
            {"type": "function_call", "id": "fc_abc_3", "status": "completed", "call_id": "toolu_1", "name": "ls", "arguments": "{}"},
        ]),
        "foreign signatures are not sent"
    );
    assert_eq!(
        body["usage"],
        json!({
            "input_tokens": 103, "input_tokens_details": {"cached_tokens": 90, "cache_write_tokens": 3},
            "output_tokens": 5, "output_tokens_details": {"reasoning_tokens": 2}, "total_tokens": 108,
        })
    );
    for key in
        ["error", "instructions", "metadata", "parallel_tool_calls", "temperature", "tool_choice", "tools", "top_p"]
    {
        assert!(body.get(key).is_some(), "SDK field {key}");
    }

    let cut = ChatResponse { finish: Some(FinishReason::Length), ..resp.clone() };
    let body = json(&encode_response(&cut));
    assert_eq!(
        (body["status"].clone(), body["incomplete_details"].clone()),
        (json!("incomplete"), json!({"reason": "max_output_tokens"}))
    );
    assert_eq!(body["created_at"], 0);
}

#[test]
fn responses_round_trip_through_the_wire() {
    let first = decode_response(fixture!("responses/tool_call.json").as_bytes()).expect("decodes");
    let second = decode_response(&encode_response_at(&first, 1)).expect("re-decodes");
    assert_eq!(second.content, first.content);
    assert_eq!((second.finish.clone(), second.usage), (first.finish.clone(), first.usage));
    assert_eq!(second.id, first.id);
    let incomplete = decode_response(fixture!("responses/incomplete.json").as_bytes()).expect("decodes");
    assert_eq!(decode_response(&encode_response(&incomplete)).expect("re-decodes"), incomplete);
}

/// Freeform calls (`custom_tools.rs`) are `custom_tool_call` items both ways.
#[test]
fn freeform_calls_are_custom_tool_call_items() {
    let patch = "*** Begin Patch\n*** End Patch";
    let arguments = json!({"freeform_input": patch}).to_string();
    let response = ChatResponse {
        id: "r1".into(),
        model: "m".into(),
        content: vec![ContentPart::ToolCall { id: "call_p".into(), name: "apply_patch".into(), arguments }],
        finish: Some(FinishReason::ToolCalls),
        stop_sequence: None,
        usage: Usage::default(),
    };
    let body = encode_response(&response);
    let item = &json(&body)["output"][0];
    assert_eq!(item["type"], "custom_tool_call");
    assert_eq!(item["input"], patch);
    assert_eq!(item["call_id"], "call_p");
    let decoded = decode_response(&body).expect("decodes");
    assert_eq!(decoded.content, response.content);
    assert_eq!(decoded.finish, Some(FinishReason::ToolCalls));
}
