//! Mappings shared by the request, response and stream halves: finish reasons, usage, separators, data URLs.

use crate::ir::{FinishReason, ImageSource, Usage};

use super::types::{CompletionDetailsOut, PromptDetailsOut, UsageIn, UsageOut};

/// Text blocks of one assistant turn (and system blocks) are joined with this when Chat needs one string.
pub(super) const BLOCK_SEPARATOR: &str = "\n\n";

/// A wire `finish_reason` in the IR. Unknown values (vendor extensions such as `eos`) count as a natural stop;
/// the legacy `function_call` counts as tool calls.
pub(super) fn finish_from_wire(reason: &str) -> FinishReason {
    match reason {
        "length" => FinishReason::Length,
        "tool_calls" | "function_call" => FinishReason::ToolCalls,
        "content_filter" => FinishReason::ContentFilter,
        _ => FinishReason::Stop,
    }
}

/// An IR finish reason on the wire. Chat has four values, so the lossy rows follow the cross-format table
/// (wire-formats.md §6.6): a refusal is reported as `content_filter` (the "filtered / refused" row), a pause
/// (`pause_turn`) as `stop`, and an unknown reason as `stop` so clients always see a valid value.
pub(super) fn finish_to_wire(reason: Option<&FinishReason>) -> &'static str {
    match reason {
        Some(FinishReason::Length) => "length",
        Some(FinishReason::ToolCalls) => "tool_calls",
        Some(FinishReason::ContentFilter | FinishReason::Refusal) => "content_filter",
        Some(FinishReason::Stop | FinishReason::Pause) | None => "stop",
    }
}

/// Wire usage in the IR. `prompt_tokens` includes cache reads (and the recent `cache_write_tokens`), which the
/// IR keeps apart.
pub(super) fn usage_from_wire(usage: &UsageIn) -> Usage {
    let cache_read_tokens = usage.prompt_tokens_details.and_then(|d| d.cached_tokens).unwrap_or(0);
    let cache_write_tokens = usage.prompt_tokens_details.and_then(|d| d.cache_write_tokens).unwrap_or(0);
    Usage {
        input_tokens: usage
            .prompt_tokens
            .unwrap_or(0)
            .saturating_sub(cache_read_tokens)
            .saturating_sub(cache_write_tokens),
        output_tokens: usage.completion_tokens.unwrap_or(0),
        cache_read_tokens,
        cache_write_tokens,
        reasoning_tokens: usage.completion_tokens_details.and_then(|d| d.reasoning_tokens).unwrap_or(0),
    }
}

/// IR usage on the wire.
pub(super) fn usage_to_wire(usage: &Usage) -> UsageOut {
    let prompt_tokens = usage.total_input();
    UsageOut {
        prompt_tokens,
        completion_tokens: usage.output_tokens,
        total_tokens: prompt_tokens.saturating_add(usage.output_tokens),
        prompt_tokens_details: PromptDetailsOut {
            cached_tokens: usage.cache_read_tokens,
            cache_write_tokens: usage.cache_write_tokens,
        },
        completion_tokens_details: CompletionDetailsOut { reasoning_tokens: usage.reasoning_tokens },
    }
}

/// A URL as an IR source: `data:<mime>;base64,<data>` becomes [`ImageSource::Base64`]; anything else (including
/// a `data:` URL that is not base64) stays a URL.
pub(super) fn source_from_url(url: &str) -> ImageSource {
    let parsed = url.strip_prefix("data:").and_then(|rest| {
        let (meta, data) = rest.split_once(',')?;
        let media_type = meta.strip_suffix(";base64")?;
        // Parameters such as `;charset=…` before `;base64` are not part of the MIME type.
        let media_type = media_type.split(';').next().unwrap_or_default();
        Some((media_type, data))
    });
    match parsed {
        Some((media_type, data)) => ImageSource::Base64 {
            media_type: if media_type.is_empty() {
                "application/octet-stream".to_owned()
            } else {
                media_type.to_owned()
            },
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
