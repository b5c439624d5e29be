//! Non-streamed responses: an upstream's `GenerateContentResponse` → [`ChatResponse`], and back for a client;
//! plus the usage and finish-reason mappings the stream halves share.
//!
//! Usage: Gemini's `promptTokenCount` includes `cachedContentTokenCount`, and `candidatesTokenCount` excludes
//! `thoughtsTokenCount` (total = prompt + candidates + thoughts + tool-use prompt: e.g. 2152 + 694 + 634 =
//! 3480 in vercel/ai's `examples/ai-functions/src/generate-text/google-caching.ts`; wire-formats.md §4.2, §6.7).
//! So IR input = prompt + tool-use prompt − cached, cache reads = cached, output = candidates + thoughts,
//! reasoning = thoughts; encoding inverts it.
//!
//! Finish reasons (§6.6): `STOP` → stop, or tool calls when the turn has function calls (Gemini has no
//! tool-call reason); `MAX_TOKENS` → length; the safety family (`SAFETY`, `RECITATION`, `BLOCKLIST`,
//! `PROHIBITED_CONTENT`, `SPII`, `IMAGE_SAFETY`, `IMAGE_PROHIBITED_CONTENT`, `IMAGE_RECITATION`) → content
//! filter; anything else (`MALFORMED_FUNCTION_CALL`, `OTHER`, …) → stop. A prompt blocked by
//! `promptFeedback.blockReason` (no candidates) → content filter with no content. Back on the wire: tool
//! calls and pauses are `STOP`, content filter and refusal `SAFETY`.

use serde::Serialize;

use super::parts::{decode_parts, model_parts, CallBook, Mode, Target};
use super::request_encode::OutContent;
use super::types::{WireResponse, WireUsage};
use crate::ir::{ChatResponse, ContentPart, DecodeError, FinishReason, Usage};

/// IR usage of Gemini's `usageMetadata`.
pub(super) fn usage_from_wire(usage: &WireUsage) -> Usage {
    let cached = usage.cached_content_token_count.unwrap_or(0);
    let prompt = usage.prompt_token_count.unwrap_or(0).saturating_add(usage.tool_use_prompt_token_count.unwrap_or(0));
    let thoughts = usage.thoughts_token_count.unwrap_or(0);
    Usage {
        input_tokens: prompt.saturating_sub(cached),
        output_tokens: usage.candidates_token_count.unwrap_or(0).saturating_add(thoughts),
        cache_read_tokens: cached,
        cache_write_tokens: 0,
        reasoning_tokens: thoughts,
    }
}

/// `usageMetadata` on the wire.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UsageOut {
    prompt_token_count: u64,
    candidates_token_count: u64,
    total_token_count: u64,
    #[serde(skip_serializing_if = "is_zero")]
    cached_content_token_count: u64,
    #[serde(skip_serializing_if = "is_zero")]
    thoughts_token_count: u64,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference; the lint fires on 64-bit targets only"
)]
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// IR usage as `usageMetadata`.
pub(super) fn usage_to_wire(usage: &Usage) -> UsageOut {
    let prompt = usage.total_input();
    UsageOut {
        prompt_token_count: prompt,
        candidates_token_count: usage.output_tokens.saturating_sub(usage.reasoning_tokens),
        total_token_count: prompt.saturating_add(usage.output_tokens),
        cached_content_token_count: usage.cache_read_tokens,
        thoughts_token_count: usage.reasoning_tokens,
    }
}

/// The IR finish reason of a `finishReason`.
pub(super) fn finish_from_wire(reason: &str) -> FinishReason {
    match reason {
        "MAX_TOKENS" => FinishReason::Length,
        "SAFETY"
        | "RECITATION"
        | "BLOCKLIST"
        | "PROHIBITED_CONTENT"
        | "SPII"
        | "IMAGE_SAFETY"
        | "IMAGE_PROHIBITED_CONTENT"
        | "IMAGE_RECITATION" => FinishReason::ContentFilter,
        _ => FinishReason::Stop,
    }
}

/// The `finishReason` of an IR finish reason (`STOP` when unknown).
pub(super) fn finish_to_wire(reason: Option<&FinishReason>) -> &'static str {
    match reason {
        Some(FinishReason::Length) => "MAX_TOKENS",
        Some(FinishReason::ContentFilter | FinishReason::Refusal) => "SAFETY",
        Some(FinishReason::Stop | FinishReason::ToolCalls | FinishReason::Pause) | None => "STOP",
    }
}

/// Decodes an upstream's `generateContent` response.
///
/// # Errors
/// [`DecodeError`] when the body is not a JSON object of that shape, or is an error body.
pub fn decode_response(body: &[u8]) -> Result<ChatResponse, DecodeError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| DecodeError::new(format!("upstream response is not valid UTF-8: {e}")))?;
    if !text.trim_start().starts_with('{') {
        return Err(DecodeError::new("upstream response is not a JSON object"));
    }
    let mut wire: WireResponse<'_> = serde_json::from_str(text)
        .map_err(|e| DecodeError::new(format!("upstream response is not a GenerateContentResponse: {e}")))?;
    let candidate = wire.take_candidate();
    if let (None, Some(error)) = (&candidate, &wire.error) {
        let message = error.get("message").and_then(|m| m.as_str()).unwrap_or("(no message)");
        return Err(DecodeError::new(format!("upstream response is an error: {message}")));
    }
    let mut content = Vec::new();
    let mut finish = None;
    if let Some(candidate) = candidate {
        let mut book = CallBook::for_response(wire.response_id.as_deref());
        book.next_turn();
        let parts = candidate.content.and_then(|c| c.parts).unwrap_or_default();
        content = decode_parts(parts, &mut book, "candidates[0].content", Mode::Response)?;
        finish = candidate.finish_reason.as_deref().map(finish_from_wire);
    } else if wire.prompt_feedback.as_ref().is_some_and(|f| f.block_reason.is_some()) {
        finish = Some(FinishReason::ContentFilter);
    }
    let has_calls = content.iter().any(|p| matches!(p, ContentPart::ToolCall { .. }));
    if has_calls && finish == Some(FinishReason::Stop) {
        finish = Some(FinishReason::ToolCalls);
    }
    Ok(ChatResponse {
        id: wire.response_id.unwrap_or_default(),
        model: wire.model_version.unwrap_or_default(),
        content,
        finish,
        stop_sequence: None,
        usage: wire.usage_metadata.as_ref().map(usage_from_wire).unwrap_or_default(),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutResponse<'a> {
    candidates: [OutCandidate<'a>; 1],
    usage_metadata: UsageOut,
    #[serde(skip_serializing_if = "str::is_empty")]
    model_version: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    response_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutCandidate<'a> {
    content: OutContent<'a>,
    finish_reason: &'static str,
    index: u32,
}

/// Encodes `resp` as a client's `GenerateContentResponse` (same as [`encode_response_at`]: Gemini responses
/// carry no creation time).
#[must_use]
pub fn encode_response(resp: &ChatResponse) -> Vec<u8> {
    encode_response_at(resp, 0)
}

/// Encodes `resp` as a client's `GenerateContentResponse`; `created_unix_secs` is unused (the Developer API
/// has no creation time) and taken for the format contract. Thinking of any family is shown as `thought`
/// parts; signatures only when Gemini's.
#[must_use]
pub fn encode_response_at(resp: &ChatResponse, created_unix_secs: u64) -> Vec<u8> {
    let _ = created_unix_secs;
    let body = OutResponse {
        candidates: [OutCandidate {
            content: OutContent { role: "model", parts: model_parts(&resp.content, Target::Response) },
            finish_reason: finish_to_wire(resp.finish.as_ref()),
            index: 0,
        }],
        usage_metadata: usage_to_wire(&resp.usage),
        model_version: &resp.model,
        response_id: &resp.id,
    };
    // Serialising these types cannot fail (string keys, no fallible Serialize impls).
    serde_json::to_vec(&body).unwrap_or_default()
}
