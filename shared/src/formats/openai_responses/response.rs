//! Non-streamed responses: an upstream's response object → [`ChatResponse`], and back for the client.
//!
//! Decoding: `output` items in order (see `common::output_item_parts`); the finish reason is derived from
//! `status` / `incomplete_details` and the presence of function calls (Responses has none on the wire); a
//! `failed`, `cancelled`, `queued` or `in_progress` response is an error (it has no usable answer). Usage
//! `input_tokens` includes cache reads, which the IR keeps apart.
//!
//! Encoding: one output item per IR part, in order — text → a `message` item with one `output_text` part,
//! thinking → a `reasoning` item (summary text; `encrypted_content` only for OpenAI-family signatures), tool
//! call → a `function_call` item (a freeform call, see `custom_tools.rs`, a `custom_tool_call` item); item ids
//! derive from the response id. Length and content-filter stops are
//! `incomplete` responses with their `incomplete_details.reason`. SDKs compute `output_text` themselves.

use serde_json::Value;

use crate::ir::{ChatResponse, ContentPart, DecodeError, ReasoningFamily, Thinking};

use super::common::{finish_from_wire, finish_to_wire, output_item_parts, usage_from_wire, usage_to_wire};
use super::custom_tools;
use super::types::{IncompleteDetails, OutputItem, OutputText, ResponseObject, SummaryText};
use super::{item_id, response_id};

/// Decodes an upstream's Responses JSON response object.
///
/// # Errors
/// A [`DecodeError`] when the body is not a JSON object, `output` is not an array, a function call has no
/// name, or the response did not finish (`failed` and the other unfinished statuses, with the upstream's
/// error message when there is one).
pub fn decode_response(body: &[u8]) -> Result<ChatResponse, DecodeError> {
    let wire: Value = serde_json::from_slice(body)
        .map_err(|e| DecodeError::new(format!("upstream response is not a Responses object: {e}")))?;
    if !wire.is_object() {
        return Err(DecodeError::new("upstream response is not a Responses object"));
    }
    let text = |key: &str| wire.get(key).and_then(Value::as_str);
    let status = text("status");
    if let Some(unfinished @ ("failed" | "cancelled" | "queued" | "in_progress")) = status {
        let message = wire.get("error").and_then(|e| e.get("message")).and_then(Value::as_str).unwrap_or_default();
        return Err(DecodeError::new(format!("upstream response is {unfinished}: {message}")));
    }
    let mut content = Vec::new();
    match wire.get("output") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (position, item) in items.iter().enumerate() {
                output_item_parts(item, position, &mut content)?;
            }
        }
        Some(_) => return Err(DecodeError::new("`output` of the upstream response must be an array")),
    }
    let called_tools = content.iter().any(|p| matches!(p, ContentPart::ToolCall { .. }));
    let incomplete_reason = wire.get("incomplete_details").and_then(|d| d.get("reason")).and_then(Value::as_str);
    Ok(ChatResponse {
        id: text("id").unwrap_or_default().to_owned(),
        model: text("model").unwrap_or_default().to_owned(),
        content,
        finish: Some(finish_from_wire(status, incomplete_reason, called_tools)),
        stop_sequence: None,
        usage: wire.get("usage").map(usage_from_wire).unwrap_or_default(),
    })
}

/// Encodes `resp` as a client's Responses JSON object with `created_at: 0`; prefer [`encode_response_at`] with
/// the real time.
#[must_use]
pub fn encode_response(resp: &ChatResponse) -> Vec<u8> {
    encode_response_at(resp, 0)
}

/// Encodes `resp` as a client's Responses JSON object created at `created_unix_secs`.
#[must_use]
pub fn encode_response_at(resp: &ChatResponse, created_unix_secs: u64) -> Vec<u8> {
    let id = response_id(&resp.id);
    let mut output = Vec::with_capacity(resp.content.len());
    for part in &resp.content {
        let index = output.len();
        let item = match part {
            ContentPart::Text { text, .. } => Some(OutputItem::Message {
                id: item_id("msg", &id, index),
                status: "completed",
                role: "assistant",
                content: vec![OutputText::new(text.clone())],
            }),
            ContentPart::Thinking(thinking) => reasoning_item(thinking, item_id("rs", &id, index)),
            ContentPart::ToolCall { id: call_id, name, arguments } => {
                Some(match custom_tools::freeform_input(arguments) {
                    Some(input) => OutputItem::CustomToolCall {
                        id: item_id("ctc", &id, index),
                        status: "completed",
                        call_id: call_id.clone(),
                        name: name.clone(),
                        input,
                    },
                    None => OutputItem::FunctionCall {
                        id: item_id("fc", &id, index),
                        status: "completed",
                        call_id: call_id.clone(),
                        name: name.clone(),
                        arguments: arguments.clone(),
                    },
                })
            }
            ContentPart::Image { .. } | ContentPart::Document { .. } | ContentPart::ToolResult { .. } => None,
        };
        output.extend(item);
    }
    let (status, incomplete) = finish_to_wire(resp.finish.as_ref());
    let mut object =
        ResponseObject::new(&id, &resp.model, created_unix_secs, status, &output, Some(usage_to_wire(&resp.usage)));
    object.incomplete_details = incomplete.map(|reason| IncompleteDetails { reason });
    serde_json::to_vec(&object).unwrap_or_default()
}

/// The reasoning item of a thinking part: its text as the summary, and its signature as `encrypted_content`
/// only when it is OpenAI's. Nothing when there is neither text nor a usable signature.
fn reasoning_item(thinking: &Thinking, id: String) -> Option<OutputItem> {
    let encrypted_content = thinking.signature.clone().filter(|_| thinking.family == Some(ReasoningFamily::OpenAi));
    let summary = if thinking.text.is_empty() { Vec::new() } else { vec![SummaryText::new(thinking.text.clone())] };
    (!summary.is_empty() || encrypted_content.is_some()).then_some(OutputItem::Reasoning {
        id,
        summary,
        encrypted_content,
    })
}
