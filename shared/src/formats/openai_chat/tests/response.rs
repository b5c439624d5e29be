//! `decode_response` / `encode_response(_at)`.

use serde_json::json;

use super::json;
use crate::formats::openai_chat::{decode_response, encode_response, encode_response_at};
use crate::ir::{ChatResponse, ContentPart, FinishReason, ReasoningFamily, Thinking, Usage};

const TOOL_RESPONSE: &str = r#"{
  "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
  "object": "chat.completion",
  "created": 1741570283,
  "model": "gpt-4o-2024-08-06",
  "choices": [{
    "index": 0,
    "message": {
      "role": "assistant",
      "content": "Checking.",
      "refusal": null,
      "tool_calls": [
        {"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
        {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}
      ],
      "annotations": []
    },
    "logprobs": null,
    "finish_reason": "tool_calls"
  }],
  "usage": {
    "prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163,
    "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 10, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": "fp_fc9f1d7035"
}"#;

fn call(id: &str, name: &str, arguments: &str) -> ContentPart {
    ContentPart::ToolCall { id: id.into(), name: name.into(), arguments: arguments.into() }
}

fn thinking(text: &str) -> ContentPart {
    ContentPart::Thinking(Thinking { text: text.into(), signature: None, redacted: false, family: None })
}

#[test]
fn decodes_text_tool_calls_and_usage() {
    let resp = decode_response(TOOL_RESPONSE.as_bytes()).expect("decodes");
    assert_eq!(
        resp,
        ChatResponse {
            id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG".into(),
            model: "gpt-4o-2024-08-06".into(),
            content: vec![
                ContentPart::text("Checking."),
                call("call_a", "get_weather", "{\"city\":\"Paris\"}"),
                call("call_b", "get_time", "{}"),
            ],
            finish: Some(FinishReason::ToolCalls),
            stop_sequence: None,
            usage: Usage {
                input_tokens: 93,
                output_tokens: 46,
                cache_read_tokens: 1024,
                cache_write_tokens: 0,
                reasoning_tokens: 10,
            },
        }
    );
}

#[test]
fn decodes_vendor_variants() {
    let body = json!({
        "id": "x", "model": "deepseek-reasoner",
        "choices": [{"index": 0, "message": {"role": "assistant", "reasoning_content": "hmm", "content": "4",
            "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]},
            "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7, "prompt_tokens_details": {"cached_tokens": 1, "cache_write_tokens": 2}}
    });
    let resp = decode_response(body.to_string().as_bytes()).expect("decodes");
    assert_eq!(resp.content, vec![thinking("hmm"), ContentPart::text("4"), call("call_0", "f", "{\"a\":1}")]);
    assert_eq!(resp.finish, Some(FinishReason::ToolCalls), "stop with tool calls");
    assert_eq!(
        resp.usage,
        Usage { input_tokens: 2, output_tokens: 7, cache_read_tokens: 1, cache_write_tokens: 2, reasoning_tokens: 0 }
    );

    let empty = decode_response(br#"{"id":"e","model":"m","choices":[]}"#).expect("decodes");
    assert!(empty.content.is_empty());
    assert_eq!(empty.finish, None);
    let parts = decode_response(
        br#"{"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"refusal","refusal":"no"}]},"finish_reason":"content_filter"}]}"#,
    )
    .expect("decodes");
    assert_eq!(parts.content, vec![ContentPart::text("a"), ContentPart::text("no")]);
    assert_eq!(parts.finish, Some(FinishReason::ContentFilter));
    for (wire, ir) in
        [("length", FinishReason::Length), ("function_call", FinishReason::ToolCalls), ("eos", FinishReason::Stop)]
    {
        let body = json!({"choices": [{"message": {"content": "x"}, "finish_reason": wire}]});
        let resp = decode_response(body.to_string().as_bytes()).expect("decodes");
        assert_eq!(resp.finish, Some(ir), "{wire}");
    }
}

#[test]
fn malformed_responses_are_errors() {
    assert!(decode_response(b"not json").is_err());
    assert!(decode_response(br#"{"choices":"no"}"#).is_err());
    let err = decode_response(br#"{"choices":[{"message":{"content":5}}]}"#).expect_err("bad content");
    assert!(err.0.contains("choices[0].message.content"), "{err}");
    let err =
        decode_response(br#"{"choices":[{"message":{"tool_calls":[{"id":"a","function":{"arguments":"{}"}}]}}]}"#)
            .expect_err("nameless call");
    assert!(err.0.contains("tool_calls[0].function.name"), "{err}");
}

#[test]
fn encodes_the_client_response() {
    let resp = ChatResponse {
        id: "msg_1".into(),
        model: "claude-sonnet-4".into(),
        content: vec![
            ContentPart::Thinking(Thinking {
                text: "plan".into(),
                signature: Some("sig".into()),
                redacted: false,
                family: Some(ReasoningFamily::Anthropic),
            }),
            ContentPart::Thinking(Thinking {
                text: String::new(),
                signature: Some("opaque".into()),
                redacted: true,
                family: Some(ReasoningFamily::Anthropic),
            }),
            ContentPart::text("Let me check."),
            call("toolu_1", "ls", "{}"),
            ContentPart::text("Done."),
        ],
        finish: Some(FinishReason::ToolCalls),
        stop_sequence: None,
        usage: Usage {
            input_tokens: 10,
            output_tokens: 20,
            cache_read_tokens: 100,
            cache_write_tokens: 5,
            reasoning_tokens: 3,
        },
    };
    assert_eq!(
        json(&encode_response_at(&resp, 1_700_000_000)),
        json!({
            "id": "msg_1", "object": "chat.completion", "created": 1_700_000_000_u64, "model": "claude-sonnet-4",
            "choices": [{"index": 0, "message": {
                "role": "assistant", "content": "Let me check.\n\nDone.", "reasoning_content": "plan",
                "tool_calls": [{"id": "toolu_1", "type": "function", "function": {"name": "ls", "arguments": "{}"}}]
            }, "finish_reason": "tool_calls", "logprobs": null}],
            "usage": {"prompt_tokens": 115, "completion_tokens": 20, "total_tokens": 135,
                "prompt_tokens_details": {"cached_tokens": 100, "cache_write_tokens": 5},
                "completion_tokens_details": {"reasoning_tokens": 3}}
        })
    );
}

#[test]
fn encodes_edge_cases() {
    let mut resp = ChatResponse {
        id: "r".into(),
        model: "m".into(),
        content: vec![call("c", "f", "{}")],
        finish: Some(FinishReason::Refusal),
        stop_sequence: None,
        usage: Usage::default(),
    };
    let body = json(&encode_response(&resp));
    assert_eq!(body["created"], 0);
    assert_eq!(body["choices"][0]["message"]["content"], json!(null));
    assert!(body["choices"][0]["message"].get("reasoning_content").is_none());
    assert_eq!(body["choices"][0]["finish_reason"], "content_filter");
    assert_eq!(
        body["usage"]["prompt_tokens_details"],
        json!({"cached_tokens": 0}),
        "cache_write_tokens only when non-zero"
    );
    resp.content.clear();
    for (finish, wire) in [
        (Some(FinishReason::Pause), "stop"),
        (None, "stop"),
        (Some(FinishReason::Length), "length"),
        (Some(FinishReason::ContentFilter), "content_filter"),
    ] {
        resp.finish = finish;
        let body = json(&encode_response(&resp));
        assert_eq!(body["choices"][0]["finish_reason"], wire);
        assert_eq!(body["choices"][0]["message"]["content"], "");
        assert!(body["choices"][0]["message"].get("tool_calls").is_none());
    }
}

#[test]
fn decode_encode_decode_is_stable() {
    let first = decode_response(TOOL_RESPONSE.as_bytes()).expect("decodes");
    let second = decode_response(&encode_response_at(&first, 1)).expect("own output decodes");
    assert_eq!(first, second);

    let body = json!({"id": "d", "model": "deepseek-reasoner", "choices": [{"index": 0,
        "message": {"role": "assistant", "reasoning_content": "r", "content": "a"}, "finish_reason": "length"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}});
    let first = decode_response(body.to_string().as_bytes()).expect("decodes");
    let second = decode_response(&encode_response(&first)).expect("own output decodes");
    assert_eq!(first, second);
}
