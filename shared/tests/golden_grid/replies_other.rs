//! Canned upstream answers in Anthropic's, Gemini's (plain and Code Assist envelope) and Kiro's formats.

use serde_json::{json, Value};
use shared::formats::kiro::event_stream::encode_event;

use super::scenario::{Block, Finish, Reply, UPSTREAM_MODEL};
use super::sse::{crlf_frame, named_frame};

fn halves(s: &str) -> (&str, &str) {
    let mut mid = s.len() / 2;
    while !s.is_char_boundary(mid) {
        mid += 1;
    }
    s.split_at(mid)
}

fn args_value(args: &str) -> Value {
    serde_json::from_str(args).expect("tool arguments are JSON")
}

fn claude_stop(finish: Finish) -> &'static str {
    match finish {
        Finish::Stop => "end_turn",
        Finish::Length => "max_tokens",
        Finish::Tools => "tool_use",
    }
}

fn claude_usage(reply: &Reply, output: u64) -> Value {
    let u = reply.usage;
    json!({"input_tokens": u.input, "cache_creation_input_tokens": u.cache_write,
           "cache_read_input_tokens": u.cache_read, "output_tokens": output})
}

/// Anthropic Messages JSON.
pub fn claude_json(reply: &Reply, signature: &str) -> Vec<u8> {
    let content: Vec<Value> = reply
        .blocks
        .iter()
        .map(|block| match block {
            Block::Thinking(t) => json!({"type": "thinking", "thinking": t, "signature": signature}),
            Block::Text(t) => json!({"type": "text", "text": t}),
            Block::Tool { id, name, args } => {
                json!({"type": "tool_use", "id": id, "name": name, "input": args_value(args)})
            }
        })
        .collect();
    let body = json!({
        "id": "msg_up1", "type": "message", "role": "assistant", "model": UPSTREAM_MODEL, "content": content,
        "stop_reason": claude_stop(reply.finish), "stop_sequence": null, "usage": claude_usage(reply, reply.usage.output)
    });
    serde_json::to_vec(&body).expect("json")
}

/// Anthropic Messages stream (`message_start`, `ping`, blocks, `message_delta`, `message_stop`).
pub fn claude_stream(reply: &Reply, signature: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut emit = |kind: &str, mut payload: Value| {
        payload["type"] = json!(kind);
        out.extend(named_frame(kind, &payload));
    };
    emit(
        "message_start",
        json!({"message": {"id": "msg_up1", "type": "message", "role": "assistant", "model": UPSTREAM_MODEL,
            "content": [], "stop_reason": null, "stop_sequence": null, "usage": claude_usage(reply, 1)}}),
    );
    emit("ping", json!({}));
    for (index, block) in reply.blocks.iter().enumerate() {
        let delta = |d: Value| json!({"index": index, "delta": d});
        match block {
            Block::Thinking(t) => {
                let start = json!({"type": "thinking", "thinking": "", "signature": ""});
                emit("content_block_start", json!({"index": index, "content_block": start}));
                let (a, b) = halves(t);
                emit("content_block_delta", delta(json!({"type": "thinking_delta", "thinking": a})));
                emit("content_block_delta", delta(json!({"type": "thinking_delta", "thinking": b})));
                emit("content_block_delta", delta(json!({"type": "signature_delta", "signature": signature})));
            }
            Block::Text(t) => {
                emit("content_block_start", json!({"index": index, "content_block": {"type": "text", "text": ""}}));
                let (a, b) = halves(t);
                emit("content_block_delta", delta(json!({"type": "text_delta", "text": a})));
                emit("content_block_delta", delta(json!({"type": "text_delta", "text": b})));
            }
            Block::Tool { id, name, args } => {
                let start = json!({"type": "tool_use", "id": id, "name": name, "input": {}});
                emit("content_block_start", json!({"index": index, "content_block": start}));
                let (a, b) = halves(args);
                emit("content_block_delta", delta(json!({"type": "input_json_delta", "partial_json": a})));
                emit("content_block_delta", delta(json!({"type": "input_json_delta", "partial_json": b})));
            }
        }
        emit("content_block_stop", json!({"index": index}));
    }
    emit(
        "message_delta",
        json!({"delta": {"stop_reason": claude_stop(reply.finish), "stop_sequence": null},
               "usage": {"output_tokens": reply.usage.output}}),
    );
    emit("message_stop", json!({}));
    out
}

fn gemini_finish(finish: Finish) -> &'static str {
    match finish {
        Finish::Stop | Finish::Tools => "STOP",
        Finish::Length => "MAX_TOKENS",
    }
}

fn gemini_usage(reply: &Reply) -> Value {
    let u = reply.usage;
    let prompt = u.input + u.cache_read;
    let candidates = u.output - u.reasoning;
    let mut usage = json!({"promptTokenCount": prompt, "candidatesTokenCount": candidates,
                           "totalTokenCount": prompt + u.output});
    if u.cache_read > 0 {
        usage["cachedContentTokenCount"] = json!(u.cache_read);
    }
    if u.reasoning > 0 {
        usage["thoughtsTokenCount"] = json!(u.reasoning);
    }
    usage
}

/// The parts of the answer, each as streamed (text in halves); the signature rides on the first part after
/// the thought, as Gemini sends it.
fn gemini_parts(reply: &Reply, signature: &str, halved: bool) -> Vec<Value> {
    let mut parts = Vec::new();
    let mut pending = None;
    for block in &reply.blocks {
        let sign = |mut part: Value, pending: &mut Option<&str>| {
            if let Some(sig) = pending.take() {
                part["thoughtSignature"] = json!(sig);
            }
            part
        };
        match block {
            Block::Thinking(t) => {
                parts.push(json!({"text": t, "thought": true}));
                pending = Some(signature);
            }
            Block::Text(t) if halved => {
                let (a, b) = halves(t);
                parts.push(sign(json!({"text": a}), &mut pending));
                parts.push(json!({"text": b}));
            }
            Block::Text(t) => parts.push(sign(json!({"text": t}), &mut pending)),
            Block::Tool { name, args, .. } => {
                parts.push(sign(json!({"functionCall": {"name": name, "args": args_value(args)}}), &mut pending));
            }
        }
    }
    parts
}

fn gemini_body(parts: Vec<Value>, finish: Option<&str>, usage: Option<Value>) -> Value {
    let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
    if let Some(finish) = finish {
        candidate["finishReason"] = json!(finish);
    }
    let mut body = json!({"candidates": [candidate], "modelVersion": UPSTREAM_MODEL, "responseId": "gem-up1"});
    if let Some(usage) = usage {
        body["usageMetadata"] = usage;
    }
    body
}

/// Gemini `generateContent` JSON (wrapped as `{"response": …}` for Code Assist).
pub fn gemini_json(reply: &Reply, signature: &str, envelope: bool) -> Vec<u8> {
    let body = gemini_body(
        gemini_parts(reply, signature, false),
        Some(gemini_finish(reply.finish)),
        Some(gemini_usage(reply)),
    );
    let body = if envelope { json!({"response": body, "traceId": "trace-1"}) } else { body };
    serde_json::to_vec(&body).expect("json")
}

/// Gemini `streamGenerateContent?alt=sse`: one part per chunk, the finish reason and usage on the last.
pub fn gemini_stream(reply: &Reply, signature: &str, envelope: bool) -> Vec<u8> {
    let parts = gemini_parts(reply, signature, true);
    let last = parts.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        let body = if i == last {
            gemini_body(vec![part], Some(gemini_finish(reply.finish)), Some(gemini_usage(reply)))
        } else {
            gemini_body(vec![part], None, None)
        };
        let body = if envelope { json!({"response": body, "traceId": "trace-1"}) } else { body };
        out.extend(crlf_frame(&body));
    }
    out
}

/// Kiro's AWS event-stream body (the only way Kiro answers): text, reasoning and tool-use events, then its
/// trailing metering and metrics events. Kiro reports no stop reason and no cache counts.
pub fn kiro_stream(reply: &Reply) -> Vec<u8> {
    let event = |kind: &str, payload: Value| encode_event(kind, payload.to_string().as_bytes());
    let mut out = Vec::new();
    for block in &reply.blocks {
        match block {
            Block::Thinking(t) => {
                let (a, b) = halves(t);
                out.extend(event("reasoningContentEvent", json!({"text": a})));
                out.extend(event("reasoningContentEvent", json!({"text": b})));
            }
            Block::Text(t) => {
                let (a, b) = halves(t);
                out.extend(event("assistantResponseEvent", json!({"content": a})));
                out.extend(event("assistantResponseEvent", json!({"content": b})));
            }
            Block::Tool { id, name, args } => {
                let (a, b) = halves(args);
                out.extend(event("toolUseEvent", json!({"toolUseId": id, "name": name, "input": a})));
                out.extend(event("toolUseEvent", json!({"toolUseId": id, "name": name, "input": b})));
                out.extend(event("toolUseEvent", json!({"toolUseId": id, "name": name, "stop": true})));
            }
        }
    }
    out.extend(event("meteringEvent", json!({"unit": "credit", "unitPlural": "credits", "usage": 0.02})));
    let u = reply.usage;
    out.extend(event("metricsEvent", json!({"metricsEvent": {"inputTokens": u.input, "outputTokens": u.output}})));
    out
}
