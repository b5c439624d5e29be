//! Canned upstream answers in OpenAI's formats (Chat Completions, Responses), shaped as the API documents them.

use serde_json::{json, Value};

use super::scenario::{Block, Finish, Reply, UPSTREAM_MODEL};
use super::sse::{data_frame, named_frame};

fn halves(s: &str) -> (&str, &str) {
    let mut mid = s.len() / 2;
    while !s.is_char_boundary(mid) {
        mid += 1;
    }
    s.split_at(mid)
}

fn chat_usage(reply: &Reply) -> Value {
    let u = reply.usage;
    let prompt = u.input + u.cache_read;
    json!({
        "prompt_tokens": prompt, "completion_tokens": u.output, "total_tokens": prompt + u.output,
        "prompt_tokens_details": {"cached_tokens": u.cache_read},
        "completion_tokens_details": {"reasoning_tokens": u.reasoning}
    })
}

fn chat_finish(finish: Finish) -> &'static str {
    match finish {
        Finish::Stop => "stop",
        Finish::Length => "length",
        Finish::Tools => "tool_calls",
    }
}

/// Chat Completions JSON (reasoning as `reasoning_content`, the DeepSeek / vLLM convention).
pub fn chat_json(reply: &Reply) -> Vec<u8> {
    let mut message = json!({"role": "assistant", "content": null});
    let text: String =
        reply.blocks.iter().filter_map(|b| if let Block::Text(t) = b { Some(*t) } else { None }).collect();
    if !text.is_empty() {
        message["content"] = json!(text);
    }
    for block in &reply.blocks {
        if let Block::Thinking(t) = block {
            message["reasoning_content"] = json!(t);
        }
    }
    let calls: Vec<Value> = reply
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Tool { id, name, args } => {
                Some(json!({"id": id, "type": "function", "function": {"name": name, "arguments": args}}))
            }
            _ => None,
        })
        .collect();
    if !calls.is_empty() {
        message["tool_calls"] = json!(calls);
    }
    let body = json!({
        "id": "chatcmpl-up1", "object": "chat.completion", "created": 1_700_000_000, "model": UPSTREAM_MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": chat_finish(reply.finish), "logprobs": null}],
        "usage": chat_usage(reply)
    });
    serde_json::to_vec(&body).expect("json")
}

/// Chat Completions stream, with the usage chunk `stream_options.include_usage` asks for.
pub fn chat_stream(reply: &Reply) -> Vec<u8> {
    let chunk = |delta: Value, finish: Value| {
        data_frame(&json!({
            "id": "chatcmpl-up1", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": UPSTREAM_MODEL,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]
        }))
    };
    let mut out = chunk(json!({"role": "assistant", "content": ""}), Value::Null);
    let mut tool_index = 0;
    for block in &reply.blocks {
        match block {
            Block::Thinking(t) => {
                let (a, b) = halves(t);
                out.extend(chunk(json!({"reasoning_content": a}), Value::Null));
                out.extend(chunk(json!({"reasoning_content": b}), Value::Null));
            }
            Block::Text(t) => {
                let (a, b) = halves(t);
                out.extend(chunk(json!({"content": a}), Value::Null));
                out.extend(chunk(json!({"content": b}), Value::Null));
            }
            Block::Tool { id, name, args } => {
                let (a, b) = halves(args);
                out.extend(chunk(
                    json!({"tool_calls": [{"index": tool_index, "id": id, "type": "function",
                                           "function": {"name": name, "arguments": ""}}]}),
                    Value::Null,
                ));
                out.extend(chunk(
                    json!({"tool_calls": [{"index": tool_index, "function": {"arguments": a}}]}),
                    Value::Null,
                ));
                out.extend(chunk(
                    json!({"tool_calls": [{"index": tool_index, "function": {"arguments": b}}]}),
                    Value::Null,
                ));
                tool_index += 1;
            }
        }
    }
    out.extend(chunk(json!({}), json!(chat_finish(reply.finish))));
    out.extend(data_frame(&json!({
        "id": "chatcmpl-up1", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": UPSTREAM_MODEL,
        "choices": [], "usage": chat_usage(reply)
    })));
    out.extend_from_slice(b"data: [DONE]\n\n");
    out
}

fn responses_usage(reply: &Reply) -> Value {
    let u = reply.usage;
    let input = u.input + u.cache_read;
    json!({
        "input_tokens": input, "input_tokens_details": {"cached_tokens": u.cache_read},
        "output_tokens": u.output, "output_tokens_details": {"reasoning_tokens": u.reasoning},
        "total_tokens": input + u.output
    })
}

/// The finished output items.
fn responses_items(reply: &Reply, signature: &str) -> Vec<Value> {
    reply
        .blocks
        .iter()
        .enumerate()
        .map(|(i, block)| match block {
            Block::Thinking(t) => json!({
                "type": "reasoning", "id": format!("rs_{i}"),
                "summary": [{"type": "summary_text", "text": t}], "encrypted_content": signature
            }),
            Block::Text(t) => json!({
                "type": "message", "id": format!("msg_{i}"), "status": "completed", "role": "assistant",
                "content": [{"type": "output_text", "text": t, "annotations": []}]
            }),
            Block::Tool { id, name, args } => json!({
                "type": "function_call", "id": format!("fc_{i}"), "call_id": id, "name": name,
                "arguments": args, "status": "completed"
            }),
        })
        .collect()
}

fn responses_object(reply: &Reply, signature: &str, done: bool) -> Value {
    let incomplete = reply.finish == Finish::Length;
    let status = match (done, incomplete) {
        (false, _) => "in_progress",
        (true, true) => "incomplete",
        (true, false) => "completed",
    };
    json!({
        "id": "resp_up1", "object": "response", "created_at": 1_700_000_000, "status": status,
        "model": UPSTREAM_MODEL,
        "incomplete_details": if done && incomplete { json!({"reason": "max_output_tokens"}) } else { Value::Null },
        "output": if done { json!(responses_items(reply, signature)) } else { json!([]) },
        "usage": if done { responses_usage(reply) } else { Value::Null },
        "error": null, "store": false
    })
}

/// Responses JSON.
pub fn responses_json(reply: &Reply, signature: &str) -> Vec<u8> {
    serde_json::to_vec(&responses_object(reply, signature, true)).expect("json")
}

/// Responses stream: `response.created` … item events … `response.completed` (or `response.incomplete`).
pub fn responses_stream(reply: &Reply, signature: &str) -> Vec<u8> {
    let mut seq = 0u64;
    let mut out = Vec::new();
    let mut emit = |out: &mut Vec<u8>, kind: &str, mut payload: Value| {
        payload["type"] = json!(kind);
        payload["sequence_number"] = json!(seq);
        seq += 1;
        out.extend(named_frame(kind, &payload));
    };
    emit(&mut out, "response.created", json!({"response": responses_object(reply, signature, false)}));
    emit(&mut out, "response.in_progress", json!({"response": responses_object(reply, signature, false)}));
    let items = responses_items(reply, signature);
    for (i, (block, item)) in reply.blocks.iter().zip(&items).enumerate() {
        let item_id = item["id"].clone();
        match block {
            Block::Thinking(t) => {
                let added = json!({"type": "reasoning", "id": item_id, "summary": []});
                emit(&mut out, "response.output_item.added", json!({"output_index": i, "item": added}));
                let part = json!({"type": "summary_text", "text": ""});
                let at = json!({"item_id": item_id, "output_index": i, "summary_index": 0});
                let with = |mut v: Value, k: &str, x: Value| {
                    v[k] = x;
                    v
                };
                emit(&mut out, "response.reasoning_summary_part.added", with(at.clone(), "part", part));
                let (a, b) = halves(t);
                emit(&mut out, "response.reasoning_summary_text.delta", with(at.clone(), "delta", json!(a)));
                emit(&mut out, "response.reasoning_summary_text.delta", with(at.clone(), "delta", json!(b)));
                emit(&mut out, "response.reasoning_summary_text.done", with(at.clone(), "text", json!(t)));
                let done_part = json!({"type": "summary_text", "text": t});
                emit(&mut out, "response.reasoning_summary_part.done", with(at, "part", done_part));
            }
            Block::Text(t) => {
                let added = json!({"type": "message", "id": item_id, "status": "in_progress", "role": "assistant", "content": []});
                emit(&mut out, "response.output_item.added", json!({"output_index": i, "item": added}));
                let at = |extra: Value| {
                    let mut v = json!({"item_id": item_id, "output_index": i, "content_index": 0});
                    if let (Value::Object(map), Value::Object(more)) = (&mut v, extra) {
                        map.extend(more);
                    }
                    v
                };
                let empty = json!({"type": "output_text", "text": "", "annotations": []});
                emit(&mut out, "response.content_part.added", at(json!({"part": empty})));
                let (a, b) = halves(t);
                emit(&mut out, "response.output_text.delta", at(json!({"delta": a})));
                emit(&mut out, "response.output_text.delta", at(json!({"delta": b})));
                emit(&mut out, "response.output_text.done", at(json!({"text": t})));
                let part = json!({"type": "output_text", "text": t, "annotations": []});
                emit(&mut out, "response.content_part.done", at(json!({"part": part})));
            }
            Block::Tool { id, name, args } => {
                let added = json!({"type": "function_call", "id": item_id, "call_id": id, "name": name,
                                   "arguments": "", "status": "in_progress"});
                emit(&mut out, "response.output_item.added", json!({"output_index": i, "item": added}));
                let (a, b) = halves(args);
                for delta in [a, b] {
                    let payload = json!({"item_id": item_id, "output_index": i, "delta": delta});
                    emit(&mut out, "response.function_call_arguments.delta", payload);
                }
                let payload = json!({"item_id": item_id, "output_index": i, "arguments": args});
                emit(&mut out, "response.function_call_arguments.done", payload);
            }
        }
        emit(&mut out, "response.output_item.done", json!({"output_index": i, "item": item}));
    }
    let terminal = if reply.finish == Finish::Length { "response.incomplete" } else { "response.completed" };
    emit(&mut out, terminal, json!({"response": responses_object(reply, signature, true)}));
    out
}
