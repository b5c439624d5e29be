//! IR messages → Anthropic `messages`, repaired into a history Anthropic accepts whatever format it came from:
//!
//! 1. parts Anthropic cannot take in a role are dropped (tool calls, thinking in user turns; images,
//!    documents and tool results in assistant turns), as are blank text parts (Anthropic rejects empty or
//!    whitespace-only text blocks) and thinking blocks that are not Anthropic-signed (a foreign or missing
//!    signature makes Anthropic reject the request);
//! 2. messages left empty are dropped and consecutive messages of one role are merged;
//! 3. a conversation that is empty or starts with the assistant gets a leading user turn `(continue)`;
//! 4. every `tool_use` is answered in the very next user turn: missing answers get a `tool_result` with
//!    `is_error: true` and content `(no result)` (without one Anthropic rejects the history), and results that
//!    answer no call of the preceding assistant turn (or repeat an answer) become plain text;
//! 5. in each user turn the `tool_result` blocks come first (Anthropic requires it), other blocks keep order;
//! 6. a final assistant turn (prefill) loses trailing whitespace, which Anthropic rejects, and — when the
//!    request has thinking off — its thinking blocks ([`strip_final_thinking`]; Anthropic rejects those too).
//!
//! Tool ids are sanitised (see [`sanitize_tool_id`]) identically for calls and results.

use std::borrow::Cow;
use std::collections::HashSet;

use base64::Engine as _;

use super::types::{OutBlock, OutMessage, OutSource, ToolInput};
use super::{sanitize_tool_id, tool_name};
use crate::ir::{ContentPart, ImageSource, Message, ReasoningFamily, Role, Thinking};

const USER: &str = "user";
const ASSISTANT: &str = "assistant";

/// Text of the user turn inserted before a conversation that does not start with one.
pub(super) const CONTINUE_TEXT: &str = "(continue)";
/// Content of the error result inserted for a tool call the history never answered.
pub(super) const NO_RESULT_TEXT: &str = "(no result)";

/// The repaired `messages` array for `messages`.
pub(super) fn encode_messages(messages: &[Message]) -> Vec<OutMessage<'_>> {
    let mut out: Vec<OutMessage<'_>> = Vec::with_capacity(messages.len() + 1);
    for message in messages {
        let (role, content) = match message.role {
            Role::User => (USER, user_blocks(&message.content)),
            Role::Assistant => (ASSISTANT, assistant_blocks(&message.content)),
        };
        if content.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.role == role => last.content.extend(content),
            _ => out.push(OutMessage { role, content }),
        }
    }
    if out.first().is_none_or(|m| m.role != USER) {
        out.insert(0, OutMessage { role: USER, content: vec![text(Cow::Borrowed(CONTINUE_TEXT))] });
    }
    if out.last().is_some_and(|m| m.role == ASSISTANT && !tool_use_ids(m).is_empty()) {
        out.push(OutMessage { role: USER, content: Vec::new() });
    }
    for j in 0..out.len() {
        if out[j].role != USER {
            continue;
        }
        let answered = match j.checked_sub(1).map(|p| &out[p]) {
            Some(prev) if prev.role == ASSISTANT => tool_use_ids(prev),
            _ => Vec::new(),
        };
        repair_results(&mut out[j].content, &answered);
    }
    trim_final_assistant(&mut out);
    out
}

/// Whether the conversation ends in a tool loop (a user turn with tool results) whose assistant turn does not
/// start with a thinking block: Anthropic rejects such a request when thinking is enabled.
pub(super) fn final_tool_turn_unsigned(messages: &[OutMessage<'_>]) -> bool {
    let [.., prev, last] = messages else {
        return false;
    };
    last.role == USER
        && last.content.iter().any(|b| matches!(b, OutBlock::ToolResult { .. }))
        && prev.role == ASSISTANT
        && !matches!(prev.content.first(), Some(OutBlock::Thinking { .. } | OutBlock::RedactedThinking { .. }))
}

fn text(text: Cow<'_, str>) -> OutBlock<'_> {
    OutBlock::Text { text, cache_control: None }
}

fn tool_use_ids(message: &OutMessage<'_>) -> Vec<String> {
    message
        .content
        .iter()
        .filter_map(|b| match b {
            OutBlock::ToolUse { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn user_blocks(parts: &[ContentPart]) -> Vec<OutBlock<'_>> {
    parts
        .iter()
        .filter_map(|part| match part {
            ContentPart::ToolResult { call_id, content, is_error, cache_control } => Some(OutBlock::ToolResult {
                tool_use_id: sanitize_tool_id(call_id),
                content: content.iter().filter_map(media_block).collect(),
                is_error: *is_error,
                cache_control: cache_control.as_ref(),
            }),
            ContentPart::ToolCall { .. } | ContentPart::Thinking(_) => None,
            other => media_block(other),
        })
        .collect()
}

fn assistant_blocks(parts: &[ContentPart]) -> Vec<OutBlock<'_>> {
    parts
        .iter()
        .filter_map(|part| match part {
            ContentPart::Text { .. } => media_block(part),
            ContentPart::ToolCall { id, name, arguments } => Some(OutBlock::ToolUse {
                id: sanitize_tool_id(id),
                name: tool_name(name),
                input: ToolInput::from_arguments(arguments),
            }),
            ContentPart::Thinking(thinking) => thinking_block(thinking),
            ContentPart::Image { .. } | ContentPart::Document { .. } | ContentPart::ToolResult { .. } => None,
        })
        .collect()
}

/// Text (non-blank), image or document blocks; `None` for anything else.
pub(super) fn media_block(part: &ContentPart) -> Option<OutBlock<'_>> {
    match part {
        ContentPart::Text { text, cache_control } => (!text.trim().is_empty())
            .then(|| OutBlock::Text { text: Cow::Borrowed(text), cache_control: cache_control.as_ref() }),
        ContentPart::Image { source, cache_control } => {
            Some(OutBlock::Image { source: image_source(source), cache_control: cache_control.as_ref() })
        }
        ContentPart::Document { source, title, cache_control } => Some(OutBlock::Document {
            source: document_source(source),
            title: title.as_deref(),
            cache_control: cache_control.as_ref(),
        }),
        _ => None,
    }
}

/// A thinking block Anthropic will accept: Anthropic family with a non-empty signature; `None` otherwise.
pub(super) fn thinking_block(thinking: &Thinking) -> Option<OutBlock<'_>> {
    if thinking.family != Some(ReasoningFamily::Anthropic) {
        return None;
    }
    let signature = thinking.signature.as_deref().filter(|s| !s.is_empty())?;
    Some(if thinking.redacted {
        OutBlock::RedactedThinking { data: signature }
    } else {
        OutBlock::Thinking { thinking: &thinking.text, signature }
    })
}

fn image_source(source: &ImageSource) -> OutSource<'_> {
    match source {
        ImageSource::Url { url } => OutSource::Url { url },
        ImageSource::Base64 { media_type, data } => OutSource::Base64 { media_type, data },
    }
}

/// Text documents (base64 of UTF-8 with a `text/*` type) go back to Anthropic's plain-text source, the only
/// text form it accepts; everything else is sent as is.
fn document_source(source: &ImageSource) -> OutSource<'_> {
    if let ImageSource::Base64 { media_type, data } = source {
        if media_type.starts_with("text/") {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(data)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            if let Some(text) = decoded {
                return OutSource::Text { media_type: "text/plain", data: text };
            }
        }
    }
    image_source(source)
}

/// Keeps one result per call of the preceding assistant turn (first), textualises the rest, adds error
/// results for unanswered calls and moves results to the front.
fn repair_results(content: &mut Vec<OutBlock<'_>>, answered: &[String]) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut results = Vec::new();
    let mut others = Vec::new();
    for block in content.drain(..) {
        match block {
            OutBlock::ToolResult { ref tool_use_id, .. }
                if answered.contains(tool_use_id) && !seen.contains(tool_use_id) =>
            {
                seen.insert(tool_use_id.clone());
                results.push(block);
            }
            OutBlock::ToolResult { tool_use_id, content, .. } => {
                others.push(text(Cow::Owned(orphan_text(&tool_use_id, &content))))
            }
            other => others.push(other),
        }
    }
    for id in answered.iter().filter(|id| !seen.contains(*id)) {
        results.push(OutBlock::ToolResult {
            tool_use_id: id.clone(),
            content: vec![text(Cow::Borrowed(NO_RESULT_TEXT))],
            is_error: true,
            cache_control: None,
        });
    }
    results.append(&mut others);
    *content = results;
}

/// A tool result that answers no call, as text.
fn orphan_text(id: &str, content: &[OutBlock<'_>]) -> String {
    let mut out = format!("[tool result for {id}]");
    for block in content {
        out.push('\n');
        match block {
            OutBlock::Text { text, .. } => out.push_str(text),
            OutBlock::Image { .. } => out.push_str("[image]"),
            _ => out.push_str("[document]"),
        }
    }
    out
}

/// Removes thinking blocks from a final assistant turn (for requests with thinking off: Anthropic rejects "an
/// `assistant` message in the final position" containing thinking then).
pub(super) fn strip_final_thinking(out: &mut Vec<OutMessage<'_>>) {
    let Some(last) = out.last_mut().filter(|m| m.role == ASSISTANT) else {
        return;
    };
    last.content.retain(|b| !matches!(b, OutBlock::Thinking { .. } | OutBlock::RedactedThinking { .. }));
    trim_final_assistant(out);
}

fn trim_final_assistant(out: &mut Vec<OutMessage<'_>>) {
    let Some(last) = out.last_mut().filter(|m| m.role == ASSISTANT) else {
        return;
    };
    if let Some(OutBlock::Text { text, .. }) = last.content.last_mut() {
        let trimmed = match text {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim_end()),
            Cow::Owned(s) => Cow::Owned(s.trim_end().to_owned()),
        };
        if trimmed.is_empty() {
            last.content.pop();
        } else {
            *text = trimmed;
        }
    }
    if last.content.is_empty() {
        out.pop();
    }
}
