//! Non-streamed responses: an upstream's `chat.completion` → [`ChatResponse`], and back for the client.
//!
//! Only `choices[0]` (the choice with index 0) is read: the router never asks for `n > 1`. Content is ordered
//! reasoning, text, tool calls. A `stop` finish with tool calls present is read as `tool_calls` (some vendors
//! report `stop`), so clients of other formats see the tool-use turn they expect.

use serde_json::Value;

use crate::ir::{ChatResponse, ContentPart, DecodeError, FinishReason, Thinking};

use super::common::{finish_from_wire, finish_to_wire, usage_from_wire, usage_to_wire, BLOCK_SEPARATOR};
use super::types::{ChoiceOut, FunctionCallOut, MessageIn, ResponseIn, ResponseMessageOut, ResponseOut, ToolCallOut};

/// Decodes an upstream's Chat Completions JSON response.
///
/// # Errors
/// A [`DecodeError`] when the body is not JSON or a field has the wrong type (e.g. `choices` not an array,
/// message content neither a string nor parts, a tool call without a name).
pub fn decode_response(body: &[u8]) -> Result<ChatResponse, DecodeError> {
    let wire: ResponseIn = serde_json::from_slice(body)
        .map_err(|e| DecodeError::new(format!("upstream response is not a chat completion: {e}")))?;
    let choices = wire.choices.unwrap_or_default();
    let choice = choices.iter().find(|c| c.index.unwrap_or(0) == 0).or_else(|| choices.first());
    let mut content = Vec::new();
    let mut finish = None;
    if let Some(choice) = choice {
        if let Some(message) = &choice.message {
            content = decode_message(message)?;
        }
        finish = choice.finish_reason.as_deref().map(finish_from_wire);
    }
    let has_tool_calls = content.iter().any(|p| matches!(p, ContentPart::ToolCall { .. }));
    if has_tool_calls && finish == Some(FinishReason::Stop) {
        finish = Some(FinishReason::ToolCalls);
    }
    Ok(ChatResponse {
        id: wire.id.unwrap_or_default(),
        model: wire.model.unwrap_or_default(),
        content,
        finish,
        stop_sequence: None,
        usage: wire.usage.as_ref().map(usage_from_wire).unwrap_or_default(),
    })
}

fn decode_message(message: &MessageIn) -> Result<Vec<ContentPart>, DecodeError> {
    let mut out = Vec::new();
    let reasoning = message.reasoning_content.as_deref().or(message.reasoning.as_deref());
    if let Some(text) = reasoning.filter(|t| !t.is_empty()) {
        out.push(ContentPart::Thinking(Thinking {
            text: text.to_owned(),
            signature: None,
            redacted: false,
            family: None,
        }));
    }
    match &message.content {
        None => {}
        Some(Value::String(text)) => push_text(&mut out, text),
        Some(Value::Array(parts)) => {
            for part in parts {
                let text = part.get("text").or_else(|| part.get("refusal")).and_then(Value::as_str).unwrap_or_default();
                push_text(&mut out, text);
            }
        }
        Some(_) => return Err(DecodeError::new("`choices[0].message.content` must be a string, an array or null")),
    }
    if let Some(refusal) = &message.refusal {
        push_text(&mut out, refusal);
    }
    for (i, call) in message.tool_calls.iter().flatten().enumerate() {
        let function = call.function.as_ref();
        let name = function.and_then(|f| f.name.as_deref()).filter(|n| !n.is_empty()).ok_or_else(|| {
            DecodeError::new(format!("`choices[0].message.tool_calls[{i}].function.name` must be a non-empty string"))
        })?;
        let arguments = match function.and_then(|f| f.arguments.as_ref()) {
            None => "{}".to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        // Some vendors omit ids; the IR needs one, and it must be stable within the response.
        let id = call.id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| format!("call_{i}"));
        out.push(ContentPart::ToolCall { id, name: name.to_owned(), arguments });
    }
    Ok(out)
}

fn push_text(out: &mut Vec<ContentPart>, text: &str) {
    if !text.is_empty() {
        out.push(ContentPart::text(text));
    }
}

/// Encodes `resp` as a client's Chat Completions JSON response with `created: 0`; prefer
/// [`encode_response_at`] with the real time.
#[must_use]
pub fn encode_response(resp: &ChatResponse) -> Vec<u8> {
    encode_response_at(resp, 0)
}

/// Encodes `resp` as a client's Chat Completions JSON response created at `created_unix_secs`.
///
/// Texts are joined with a blank line; thinking text becomes `reasoning_content` (the DeepSeek extension, only
/// when there is some); signatures and redacted thinking are not sent. See `finish_to_wire` for finish reasons.
#[must_use]
pub fn encode_response_at(resp: &ChatResponse, created_unix_secs: u64) -> Vec<u8> {
    let texts: Vec<&str> = resp
        .content
        .iter()
        .filter_map(|p| match p {
            ContentPart::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let thoughts: Vec<&str> = resp
        .content
        .iter()
        .filter_map(|p| match p {
            ContentPart::Thinking(t) if !t.redacted && !t.text.is_empty() => Some(t.text.as_str()),
            _ => None,
        })
        .collect();
    let tool_calls: Vec<ToolCallOut<'_>> = resp
        .content
        .iter()
        .filter_map(|p| match p {
            ContentPart::ToolCall { id, name, arguments } => {
                Some(ToolCallOut { id, kind: "function", function: FunctionCallOut { name, arguments } })
            }
            _ => None,
        })
        .collect();
    let content = if texts.is_empty() && !tool_calls.is_empty() { None } else { Some(texts.join(BLOCK_SEPARATOR)) };
    let body = ResponseOut {
        id: &resp.id,
        object: "chat.completion",
        created: created_unix_secs,
        model: &resp.model,
        choices: vec![ChoiceOut {
            index: 0,
            message: ResponseMessageOut {
                role: "assistant",
                content,
                reasoning_content: (!thoughts.is_empty()).then(|| thoughts.join(BLOCK_SEPARATOR)),
                tool_calls,
            },
            finish_reason: finish_to_wire(resp.finish.as_ref()),
            logprobs: None,
        }],
        usage: usage_to_wire(&resp.usage),
    };
    serde_json::to_vec(&body).unwrap_or_default()
}
