//! Mappings shared by the request, response and stream halves: usage, status ↔ finish reason, output items,
//! reasoning text, data URLs and the effort of a reasoning budget.

use serde_json::Value;

use crate::ir::{ContentPart, DecodeError, FinishReason, ImageSource, ReasoningFamily, Thinking, Usage};

use super::custom_tools;
use super::types::{InputDetailsOut, OutputDetailsOut, UsageOut};

/// Reasoning summaries (and texts the wire keeps apart) are joined with this.
pub(super) const BLOCK_SEPARATOR: &str = "\n\n";

/// The unsigned integer at `key` of `value` (0 when absent or not a non-negative integer).
fn count(value: Option<&Value>, key: &str) -> u64 {
    value.and_then(|v| v.get(key)).and_then(Value::as_u64).unwrap_or(0)
}

/// A wire `usage` object in the IR. `input_tokens` includes cache reads (and the recent `cache_write_tokens`),
/// which the IR keeps apart.
pub(super) fn usage_from_wire(usage: &Value) -> Usage {
    let input_details = usage.get("input_tokens_details");
    let cache_read_tokens = count(input_details, "cached_tokens");
    let cache_write_tokens = count(input_details, "cache_write_tokens");
    Usage {
        input_tokens: count(Some(usage), "input_tokens")
            .saturating_sub(cache_read_tokens)
            .saturating_sub(cache_write_tokens),
        output_tokens: count(Some(usage), "output_tokens"),
        cache_read_tokens,
        cache_write_tokens,
        reasoning_tokens: count(usage.get("output_tokens_details"), "reasoning_tokens"),
    }
}

/// IR usage on the wire (every field Codex reads is always present).
pub(super) fn usage_to_wire(usage: &Usage) -> UsageOut {
    let input_tokens = usage.total_input();
    UsageOut {
        input_tokens,
        input_tokens_details: InputDetailsOut {
            cached_tokens: usage.cache_read_tokens,
            cache_write_tokens: usage.cache_write_tokens,
        },
        output_tokens: usage.output_tokens,
        output_tokens_details: OutputDetailsOut { reasoning_tokens: usage.reasoning_tokens },
        total_tokens: input_tokens.saturating_add(usage.output_tokens),
    }
}

/// The finish reason of a finished response. Responses has none on the wire (wire-formats.md §2.3, §6.6):
/// `incomplete` with reason `max_output_tokens` is a length stop, `content_filter` a filter stop (any other
/// incomplete reason also means the output was cut, so it reads as length); otherwise a response that called
/// tools finished for tool calls, anything else naturally.
pub(super) fn finish_from_wire(
    status: Option<&str>,
    incomplete_reason: Option<&str>,
    called_tools: bool,
) -> FinishReason {
    match (status, incomplete_reason) {
        (Some("incomplete"), Some("content_filter")) => FinishReason::ContentFilter,
        (Some("incomplete"), _) => FinishReason::Length,
        _ if called_tools => FinishReason::ToolCalls,
        _ => FinishReason::Stop,
    }
}

/// The `status` and `incomplete_details.reason` of a response that finished for `finish`. A refusal and a pause
/// are completed responses (the refusal is in the output text).
pub(super) fn finish_to_wire(finish: Option<&FinishReason>) -> (&'static str, Option<&'static str>) {
    match finish {
        Some(FinishReason::Length) => ("incomplete", Some("max_output_tokens")),
        Some(FinishReason::ContentFilter) => ("incomplete", Some("content_filter")),
        _ => ("completed", None),
    }
}

/// The reasoning text of a reasoning item: its `summary` texts joined with a blank line, or, when there are
/// none, its raw `content` (`reasoning_text`) texts (open-weight models send those instead).
pub(super) fn reasoning_text(item: &Value) -> String {
    let texts = |key: &str| -> Vec<&str> {
        item.get(key)
            .and_then(Value::as_array)
            .map(|parts| parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect())
            .unwrap_or_default()
    };
    let summaries = texts("summary");
    let chosen = if summaries.iter().any(|t| !t.is_empty()) { summaries } else { texts("content") };
    chosen.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(BLOCK_SEPARATOR)
}

/// The non-empty `encrypted_content` of a reasoning item.
pub(super) fn encrypted_content(item: &Value) -> Option<String> {
    item.get("encrypted_content").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The texts of a `message` output item's content (`output_text` and `refusal` parts), in order.
pub(super) fn message_texts(item: &Value) -> Vec<&str> {
    item.get("content")
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .filter_map(|p| p.get("text").or_else(|| p.get("refusal")).and_then(Value::as_str))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// A `function_call` item's (call id, name, arguments), or `None` without a name. The call id is `call_id`,
/// else the item `id`, else `call_<position>` (the IR needs one); arguments default to `{}` and an object is
/// serialised.
pub(super) fn function_call(item: &Value, position: usize) -> Option<(String, String, String)> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let name = text("name")?;
    let id = text("call_id").or_else(|| text("id")).map_or_else(|| format!("call_{position}"), str::to_owned);
    let arguments = match item.get("arguments") {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => "{}".to_owned(),
        Some(other) => other.to_string(),
    };
    Some((id, name.to_owned(), arguments))
}

/// A `custom_tool_call` item's (call id, name, IR arguments), ids as for [`function_call`]; `None` without a
/// name. The free-text `input` becomes the freeform arguments of `custom_tools.rs`.
pub(super) fn custom_tool_call(item: &Value, position: usize) -> Option<(String, String, String)> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let name = text("name")?;
    let id = text("call_id").or_else(|| text("id")).map_or_else(|| format!("call_{position}"), str::to_owned);
    let input = item.get("input").and_then(Value::as_str).unwrap_or_default();
    Some((id, name.to_owned(), custom_tools::call_arguments(input)))
}

/// The IR parts of output item `position`: a message gives one text part per non-empty text, a reasoning item
/// one OpenAI-family thinking part (unless it has neither text nor encrypted content), a function call one tool
/// call, a custom (freeform) tool call one tool call with the freeform arguments of `custom_tools.rs`. Other
/// items (hosted-tool calls such as `web_search_call`) have no IR form and give nothing.
///
/// # Errors
/// A function call without a name.
pub(super) fn output_item_parts(item: &Value, position: usize, out: &mut Vec<ContentPart>) -> Result<(), DecodeError> {
    match item.get("type").and_then(Value::as_str) {
        Some("message") => out.extend(message_texts(item).into_iter().map(ContentPart::text)),
        Some("reasoning") => {
            let text = reasoning_text(item);
            let signature = encrypted_content(item);
            if !text.is_empty() || signature.is_some() {
                out.push(ContentPart::Thinking(Thinking {
                    text,
                    signature,
                    redacted: false,
                    family: Some(ReasoningFamily::OpenAi),
                }));
            }
        }
        Some("custom_tool_call") => {
            let (id, name, arguments) = custom_tool_call(item, position).ok_or_else(|| {
                DecodeError::new(format!("`output[{position}].name` of a custom tool call must be a non-empty string"))
            })?;
            out.push(ContentPart::ToolCall { id, name, arguments });
        }
        Some("function_call") => {
            let (id, name, arguments) = function_call(item, position).ok_or_else(|| {
                DecodeError::new(format!("`output[{position}].name` of a function call must be a non-empty string"))
            })?;
            out.push(ContentPart::ToolCall { id, name, arguments });
        }
        _ => {}
    }
    Ok(())
}

/// A URL as an IR source: `data:<mime>;base64,<data>` becomes [`ImageSource::Base64`]; anything else (including
/// a `data:` URL that is not base64) stays a URL.
pub(super) fn source_from_url(url: &str) -> ImageSource {
    let parsed = url.strip_prefix("data:").and_then(|rest| {
        let (meta, data) = rest.split_once(',')?;
        let media_type = meta.strip_suffix(";base64")?;
        // Parameters such as `;charset=…` before `;base64` are not part of the MIME type.
        Some((media_type.split(';').next().unwrap_or_default(), data))
    });
    match parsed {
        Some((media_type, data)) => ImageSource::Base64 {
            media_type: if media_type.is_empty() { "application/octet-stream" } else { media_type }.to_owned(),
            data: data.to_owned(),
        },
        None => ImageSource::Url { url: url.to_owned() },
    }
}

/// An IR source as a URL (base64 becomes a `data:` URL).
pub(super) fn source_to_url(source: &ImageSource) -> String {
    match source {
        ImageSource::Url { url } => url.clone(),
        ImageSource::Base64 { media_type, data } => format!("data:{media_type};base64,{data}"),
    }
}
