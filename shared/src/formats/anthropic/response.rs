//! Non-streaming responses and the stop-reason / usage mappings the stream codecs share.
//!
//! - `stop_reason`: `end_turn` / `stop_sequence` → `Stop` (the matched sequence kept), `max_tokens` and
//!   `model_context_window_exceeded` → `Length`, `tool_use` → `ToolCalls`, `refusal` → `Refusal`,
//!   `pause_turn` → `Pause`, anything else → `Stop`. Back: `Stop` → `stop_sequence` when a sequence is known
//!   else `end_turn`, `ContentFilter` → `refusal`, and a response that contains tool calls reports `tool_use`
//!   whatever its finish reason said (so a client runs the tools);
//! - usage: the IR's `input_tokens` already excludes cache reads and writes, as Anthropic's does;
//! - ids get a `msg_` prefix when missing; content the client cannot use is dropped (server-tool and unknown
//!   blocks from upstream; foreign-family redacted thinking; foreign-family thinking loses its signature —
//!   it is sent with `signature: ""`, which this module decodes as unsigned and never forwards to Anthropic;
//!   foreign thinking without text, such as Gemini's signature-only parts, is dropped).

use std::borrow::Cow;

use super::history::thinking_block;
use super::request_decode::{decode_block, Mode};
use super::types::{OutBlock, OutResponse, OutUsage, ToolInput, WireResponse, WireUsage};
use super::{message_id, sanitize_tool_id, tool_name};
use crate::ir::{ChatResponse, ContentPart, DecodeError, FinishReason, Usage};

/// The IR finish reason of an Anthropic `stop_reason`.
pub(super) fn finish_from_wire(stop_reason: &str) -> FinishReason {
    match stop_reason {
        "max_tokens" | "model_context_window_exceeded" => FinishReason::Length,
        "tool_use" => FinishReason::ToolCalls,
        "refusal" => FinishReason::Refusal,
        "pause_turn" => FinishReason::Pause,
        _ => FinishReason::Stop,
    }
}

/// The Anthropic `stop_reason` for an IR finish reason (`None`: end of turn).
pub(super) fn finish_to_wire(
    finish: Option<&FinishReason>,
    has_stop_sequence: bool,
    has_tool_calls: bool,
) -> &'static str {
    match finish {
        _ if has_tool_calls => "tool_use",
        Some(FinishReason::Length) => "max_tokens",
        Some(FinishReason::ToolCalls) => "tool_use",
        Some(FinishReason::ContentFilter | FinishReason::Refusal) => "refusal",
        Some(FinishReason::Pause) => "pause_turn",
        Some(FinishReason::Stop) if has_stop_sequence => "stop_sequence",
        Some(FinishReason::Stop) | None => "end_turn",
    }
}

/// Applies the fields present in `wire` on top of `usage` (Anthropic usage objects may be partial).
pub(super) fn merge_usage(usage: &mut Usage, wire: &WireUsage) {
    let set = |slot: &mut u64, value: Option<u64>| {
        if let Some(v) = value {
            *slot = v;
        }
    };
    set(&mut usage.input_tokens, wire.input_tokens);
    set(&mut usage.output_tokens, wire.output_tokens);
    set(&mut usage.cache_write_tokens, wire.cache_creation_input_tokens);
    set(&mut usage.cache_read_tokens, wire.cache_read_input_tokens);
    set(&mut usage.reasoning_tokens, wire.output_tokens_details.as_ref().and_then(|d| d.thinking_tokens));
}

/// Decodes an Anthropic Messages response body.
///
/// # Errors
/// [`DecodeError`] when the body is not a message object (e.g. no `content` array) or a known content block is
/// malformed. Unknown and server-tool blocks are skipped.
pub fn decode_response(body: &[u8]) -> Result<ChatResponse, DecodeError> {
    let text =
        std::str::from_utf8(body).map_err(|e| DecodeError::new(format!("response body is not valid UTF-8: {e}")))?;
    let wire: WireResponse = serde_json::from_str(text)
        .map_err(|e| DecodeError::new(format!("response body is not an Anthropic message: {e}")))?;
    let mut content = Vec::with_capacity(wire.content.len());
    for (i, block) in wire.content.iter().enumerate() {
        if let Some(part) = decode_block(block, &format!("content[{i}]"), Mode::Response)? {
            content.push(part);
        }
    }
    let mut usage = Usage::default();
    if let Some(wire_usage) = &wire.usage {
        merge_usage(&mut usage, wire_usage);
    }
    let finish = wire.stop_reason.as_deref().map(finish_from_wire);
    Ok(ChatResponse {
        id: wire.id,
        model: wire.model,
        content,
        stop_sequence: wire.stop_sequence.filter(|_| finish == Some(FinishReason::Stop)),
        finish,
        usage,
    })
}

/// A response content block for a client; `None` for content it cannot use.
fn response_block(part: &ContentPart) -> Option<OutBlock<'_>> {
    match part {
        ContentPart::Text { text, cache_control: _ } => {
            Some(OutBlock::Text { text: Cow::Borrowed(text), cache_control: None })
        }
        ContentPart::ToolCall { id, name, arguments } => Some(OutBlock::ToolUse {
            id: sanitize_tool_id(id),
            name: tool_name(name),
            input: ToolInput::from_arguments(arguments),
        }),
        // A foreign signature-only part (Gemini signs the part after its thoughts) shows nothing: no empty block.
        ContentPart::Thinking(thinking) => thinking_block(thinking).or_else(|| {
            (!thinking.redacted && !thinking.text.is_empty())
                .then_some(OutBlock::Thinking { thinking: &thinking.text, signature: "" })
        }),
        ContentPart::Image { .. } | ContentPart::Document { .. } | ContentPart::ToolResult { .. } => None,
    }
}

/// Encodes `resp` as an Anthropic Messages response body.
#[must_use]
pub fn encode_response(resp: &ChatResponse) -> Vec<u8> {
    let content: Vec<OutBlock<'_>> = resp.content.iter().filter_map(response_block).collect();
    let has_tool_calls = content.iter().any(|b| matches!(b, OutBlock::ToolUse { .. }));
    let stop_reason = finish_to_wire(resp.finish.as_ref(), resp.stop_sequence.is_some(), has_tool_calls);
    let body = OutResponse {
        id: message_id(&resp.id),
        kind: "message",
        role: "assistant",
        model: &resp.model,
        content,
        stop_reason: Some(stop_reason),
        stop_sequence: resp.stop_sequence.as_deref().filter(|_| stop_reason == "stop_sequence"),
        usage: OutUsage {
            input_tokens: resp.usage.input_tokens,
            cache_creation_input_tokens: resp.usage.cache_write_tokens,
            cache_read_input_tokens: resp.usage.cache_read_tokens,
            output_tokens: resp.usage.output_tokens,
        },
    };
    // Serialising these types cannot fail (string keys, no fallible Serialize impls).
    serde_json::to_vec(&body).unwrap_or_default()
}
