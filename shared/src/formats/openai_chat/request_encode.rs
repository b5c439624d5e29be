//! [`ChatRequest`] → the Chat Completions body sent upstream.
//!
//! Mapping decisions:
//! - System blocks become ONE leading `system` message, texts joined with a blank line: a single leading system
//!   string is what every OpenAI-compatible chat template accepts (several system messages, or array content,
//!   are rejected by some). Cache breakpoints are not sent (Chat has no standard field for them).
//! - A user message's tool results become one `tool` message each, first (Chat requires them right after the
//!   assistant turn); their texts are joined with a blank line and the error flag is dropped (Chat has none).
//!   Images in tool results, which `tool` messages cannot carry, follow in one `user` message together with the
//!   message's other parts.
//! - Assistant texts are joined with a blank line into `content` (`null` when there is none but tool calls);
//!   thinking is dropped: Chat cannot carry it back and foreign signatures are never forwarded.
//! - `max_tokens` is sent as `max_tokens` (the field every compatible vendor accepts; a provider quirk can rename
//!   it to `max_completion_tokens` for o-series models). `top_k` is not sent (not a Chat parameter).
//! - Reasoning: `disabled` → `reasoning_effort: "none"`; an effort is sent as is; a budget alone maps to an effort
//!   with Google's anchors (wire-formats.md §6.8: low 1024, medium 8192, high 24576): ≤ 1024 → `low`,
//!   ≤ 8192 → `medium`, above → `high`; a zero budget → `none`.
//! - Streaming adds `stream_options.include_usage` so the final usage is reported.
//! - [`ChatRequest::extra`] is merged last, never overriding a field set here.

use serde_json::{json, Value};

use crate::ir::{ChatRequest, ContentPart, Message, Reasoning, ResponseFormat, Role, ToolChoice};

use super::common::{source_to_url, BLOCK_SEPARATOR};
use super::types::{
    FileOut, FunctionCallOut, FunctionDefOut, ImageUrlOut, MessageOut, PartOut, RequestOut, StreamOptionsOut,
    ToolCallOut, ToolOut, UserContentOut,
};

/// Encodes `req` as a Chat Completions request body (`req.model` is the upstream model).
#[must_use]
pub fn encode_request(req: &ChatRequest) -> Vec<u8> {
    let mut messages = Vec::with_capacity(req.messages.len() + 1);
    if !req.system.is_empty() {
        messages.push(MessageOut::System { content: join(req.system.iter().map(|b| b.text.as_str())) });
    }
    for message in &req.messages {
        match message.role {
            Role::User => encode_user(message, &mut messages),
            Role::Assistant => messages.push(encode_assistant(message)),
        }
    }
    let body = RequestOut {
        model: &req.model,
        messages,
        tools: req
            .tools
            .iter()
            .map(|t| ToolOut {
                kind: "function",
                function: FunctionDefOut {
                    name: &t.name,
                    description: t.description.as_deref(),
                    parameters: &t.parameters,
                },
            })
            .collect(),
        tool_choice: req.tool_choice.as_ref().map(encode_tool_choice),
        parallel_tool_calls: req.parallel_tool_calls,
        temperature: req.sampling.temperature,
        top_p: req.sampling.top_p,
        presence_penalty: req.sampling.presence_penalty,
        frequency_penalty: req.sampling.frequency_penalty,
        seed: req.sampling.seed,
        max_tokens: req.max_tokens,
        stop: &req.stop,
        response_format: req.response_format.as_ref().map(encode_response_format),
        reasoning_effort: req.reasoning.as_ref().and_then(Reasoning::openai_effort),
        stream: req.stream.then_some(true),
        stream_options: req.stream.then_some(StreamOptionsOut { include_usage: true }),
        user: req.user.as_deref(),
        metadata: req.metadata.as_ref(),
    };
    let mut value = serde_json::to_value(&body).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        for (key, extra) in &req.extra {
            map.entry(key.clone()).or_insert_with(|| extra.clone());
        }
    }
    serde_json::to_vec(&value).unwrap_or_default()
}

/// Texts joined with [`BLOCK_SEPARATOR`].
fn join<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    texts.collect::<Vec<_>>().join(BLOCK_SEPARATOR)
}

/// A user message: one `tool` message per tool result, then a `user` message with everything else.
fn encode_user<'a>(message: &'a Message, out: &mut Vec<MessageOut<'a>>) {
    let mut parts = Vec::new();
    for part in &message.content {
        match part {
            ContentPart::ToolResult { call_id, content, .. } => {
                let texts = content.iter().filter_map(|p| match p {
                    ContentPart::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                });
                out.push(MessageOut::Tool { tool_call_id: call_id, content: join(texts) });
                // Images (and documents) cannot ride in a tool message: they go to the user message after it.
                parts.extend(
                    content.iter().filter(|p| !matches!(p, ContentPart::Text { .. })).filter_map(encode_user_part),
                );
            }
            other => parts.extend(encode_user_part(other)),
        }
    }
    let has_tool_results = message.content.iter().any(|p| matches!(p, ContentPart::ToolResult { .. }));
    if has_tool_results && parts.is_empty() {
        return;
    }
    let content = match parts.as_slice() {
        [] => UserContentOut::Text(""),
        [PartOut::Text { text }] => UserContentOut::Text(text),
        _ => UserContentOut::Parts(parts),
    };
    out.push(MessageOut::User { content });
}

/// A user content part on the wire; thinking, tool calls and nested tool results have no place there.
fn encode_user_part(part: &ContentPart) -> Option<PartOut<'_>> {
    match part {
        ContentPart::Text { text, .. } => Some(PartOut::Text { text }),
        ContentPart::Image { source, .. } => {
            Some(PartOut::ImageUrl { image_url: ImageUrlOut { url: source_to_url(source) } })
        }
        ContentPart::Document { source, title, .. } => match source {
            crate::ir::ImageSource::Base64 { .. } => {
                Some(PartOut::File { file: FileOut { file_data: source_to_url(source), filename: title.as_deref() } })
            }
            // Chat `file` parts cannot reference a URL; the model at least sees where the document is.
            crate::ir::ImageSource::Url { url } => Some(PartOut::Text { text: url }),
        },
        ContentPart::ToolCall { .. } | ContentPart::ToolResult { .. } | ContentPart::Thinking(_) => None,
    }
}

fn encode_assistant(message: &Message) -> MessageOut<'_> {
    let texts: Vec<&str> = message
        .content
        .iter()
        .filter_map(|p| match p {
            ContentPart::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let tool_calls: Vec<ToolCallOut<'_>> = message
        .content
        .iter()
        .filter_map(|p| match p {
            ContentPart::ToolCall { id, name, arguments } => {
                // OpenAI rejects an empty function name; a nameless call from another format gets a placeholder.
                let name = if name.is_empty() { crate::formats::UNNAMED_TOOL } else { name.as_str() };
                Some(ToolCallOut { id, kind: "function", function: FunctionCallOut { name, arguments } })
            }
            _ => None,
        })
        .collect();
    let content = if texts.is_empty() && !tool_calls.is_empty() { None } else { Some(texts.join(BLOCK_SEPARATOR)) };
    MessageOut::Assistant { content, tool_calls }
}

fn encode_tool_choice(choice: &ToolChoice) -> Value {
    match choice {
        ToolChoice::Auto => json!("auto"),
        ToolChoice::None => json!("none"),
        ToolChoice::Required => json!("required"),
        ToolChoice::Tool { name } => json!({"type": "function", "function": {"name": name}}),
    }
}

fn encode_response_format(format: &ResponseFormat) -> Value {
    match format {
        ResponseFormat::Text => json!({"type": "text"}),
        ResponseFormat::JsonObject => json!({"type": "json_object"}),
        ResponseFormat::JsonSchema { name, schema, strict } => json!({
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": strict},
        }),
    }
}
