//! The `input` items of a Responses request → IR system blocks and messages.
//!
//! - `message` items (also the "easy" form without `type`): `system` / `developer` texts become system blocks
//!   (hoisted: the IR has one system prompt); `user` parts `input_text`, `input_image` (URL or data URL) and
//!   `input_file` (`file_data` or `file_url`) become text, image and document parts; `assistant` parts
//!   `output_text` (or `input_text`) and `refusal` become text. Empty texts produce no part.
//! - `function_call` → an assistant tool call whose id is the `call_id` (the item `id`, `fc_…`, is not kept:
//!   Codex itself never sends it back); `function_call_output` → a tool result in a user message, `output` a
//!   string or `input_text` / `input_image` / `input_file` parts. Responses has no error flag.
//! - `custom_tool_call` (a freeform call, `input` free text) → a tool call with the freeform arguments of
//!   `custom_tools.rs`; `custom_tool_call_output` → a tool result, as `function_call_output`.
//! - `reasoning` → OpenAI-family thinking: summaries joined with a blank line (raw `content` texts when there
//!   are no summaries), `encrypted_content` as the signature, byte-exact; the item `id` is not kept (it is only
//!   meaningful to stored responses, and Codex never sends it back). A reasoning item with neither gives
//!   nothing.
//! - Consecutive items of the same IR role share one message, in order (a tool result and the user text after it
//!   are one user message, as in Anthropic's format).
//! - `web_search_call` / `file_search_call` items (records of hosted searches, echoed back by clients) are
//!   dropped: their results already shaped the assistant text that follows, and no upstream accepts them
//!   except OpenAI's. Every other item type (`item_reference`, `local_shell_call`,
//!   `computer_call`, `mcp_call`, `compaction`, …) is rejected with a 400 naming it: dropping a call would
//!   orphan its output, and a reference needs stored state the router does not have.
//! - `file_id` references (images and files) are rejected: the router cannot fetch uploaded files.

use serde_json::Value;

use crate::ir::{
    ChatRequest, ContentPart, DecodeError, ImageSource, Message, ReasoningFamily, Role, SystemBlock, Thinking,
};

use super::common::{encrypted_content, reasoning_text, source_from_url};
use super::custom_tools;
use crate::formats::json_fields::{must, Fields};

/// Item types dropped without error (see the module docs).
const DROPPED_ITEMS: &[&str] = &["web_search_call", "file_search_call"];

/// Decodes `input` items into `req.system` and `req.messages`.
pub(super) fn decode_items(items: &[Value], req: &mut ChatRequest) -> Result<(), DecodeError> {
    for (i, item) in items.iter().enumerate() {
        let it = Fields::of(item, format!("input[{i}]"))?;
        let kind = match it.str("type")? {
            Some(kind) => kind,
            None if it.get("role").is_some() => "message",
            None => return Err(must(&it.at("type"), "a string")),
        };
        match kind {
            "message" => decode_message(&it, req)?,
            "function_call" => {
                let arguments = match it.get("arguments") {
                    None => "{}".to_owned(),
                    Some(Value::String(s)) => s.clone(),
                    Some(obj @ Value::Object(_)) => obj.to_string(),
                    Some(_) => return Err(must(&it.at("arguments"), "a JSON string")),
                };
                let call = ContentPart::ToolCall {
                    id: it.name("call_id")?.to_owned(),
                    name: it.name("name")?.to_owned(),
                    arguments,
                };
                push(req, Role::Assistant, vec![call]);
            }
            "custom_tool_call" => {
                let input = match it.get("input") {
                    None | Some(Value::Null) => "",
                    Some(Value::String(s)) => s.as_str(),
                    Some(_) => return Err(must(&it.at("input"), "a string")),
                };
                let call = ContentPart::ToolCall {
                    id: it.name("call_id")?.to_owned(),
                    name: it.name("name")?.to_owned(),
                    arguments: custom_tools::call_arguments(input),
                };
                push(req, Role::Assistant, vec![call]);
            }
            "function_call_output" | "custom_tool_call_output" => {
                let result = ContentPart::ToolResult {
                    call_id: it.name("call_id")?.to_owned(),
                    content: decode_parts(&it, "output", decode_user_part)?,
                    is_error: false,
                    cache_control: None,
                };
                push(req, Role::User, vec![result]);
            }
            "reasoning" => {
                if let Some(list) = it.get("summary") {
                    if !list.is_array() {
                        return Err(must(&it.at("summary"), "an array"));
                    }
                }
                let text = reasoning_text(item);
                let signature = encrypted_content(item);
                if !text.is_empty() || signature.is_some() {
                    let thinking = Thinking { text, signature, redacted: false, family: Some(ReasoningFamily::OpenAi) };
                    push(req, Role::Assistant, vec![ContentPart::Thinking(thinking)]);
                }
            }
            kind if DROPPED_ITEMS.contains(&kind) => {}
            other => {
                return Err(DecodeError::new(format!(
                    "`{}`: input item type `{other}` is not supported by this router",
                    it.path
                )))
            }
        }
    }
    Ok(())
}

/// Appends `parts` to the last message when it has `role`, else as a new message. No parts, no message.
fn push(req: &mut ChatRequest, role: Role, parts: Vec<ContentPart>) {
    if parts.is_empty() {
        return;
    }
    match req.messages.last_mut() {
        Some(last) if last.role == role => last.content.extend(parts),
        _ => req.messages.push(Message { role, content: parts }),
    }
}

fn decode_message(m: &Fields<'_>, req: &mut ChatRequest) -> Result<(), DecodeError> {
    match m.required_str("role")? {
        "system" | "developer" => {
            let texts = decode_parts(m, "content", |p, kind| match kind {
                "input_text" | "output_text" => text_part(p),
                _ => Err(unsupported_part(p, kind)),
            })?;
            req.system.extend(texts.into_iter().filter_map(|part| match part {
                ContentPart::Text { text, .. } => Some(SystemBlock { text, cache_control: None }),
                _ => None,
            }));
        }
        "user" => {
            let parts = decode_parts(m, "content", decode_user_part)?;
            push(req, Role::User, parts);
        }
        "assistant" => {
            let parts = decode_parts(m, "content", |p, kind| match kind {
                "output_text" | "input_text" => text_part(p),
                "refusal" => Ok(non_empty(p.required_str("refusal")?)),
                _ => Err(unsupported_part(p, kind)),
            })?;
            push(req, Role::Assistant, parts);
        }
        other => {
            return Err(DecodeError::new(format!(
                "`{}` `{other}` is not one of user, assistant, system, developer",
                m.at("role")
            )))
        }
    }
    Ok(())
}

/// A message's `content` (or a tool output's `output`): a string (one text part) or parts decoded by `part`.
fn decode_parts(
    m: &Fields<'_>,
    key: &str,
    part: impl Fn(&Fields<'_>, &str) -> Result<Option<ContentPart>, DecodeError>,
) -> Result<Vec<ContentPart>, DecodeError> {
    match m.get(key) {
        Some(Value::String(text)) => Ok(non_empty(text).into_iter().collect()),
        Some(Value::Array(parts)) => {
            let mut out = Vec::with_capacity(parts.len());
            for (j, value) in parts.iter().enumerate() {
                let p = Fields::of(value, format!("{}[{j}]", m.at(key)))?;
                out.extend(part(&p, p.required_str("type")?)?);
            }
            Ok(out)
        }
        _ => Err(must(&m.at(key), "a string or an array of parts")),
    }
}

/// A text part, or none for an empty text.
fn non_empty(text: &str) -> Option<ContentPart> {
    (!text.is_empty()).then(|| ContentPart::text(text))
}

fn text_part(p: &Fields<'_>) -> Result<Option<ContentPart>, DecodeError> {
    Ok(non_empty(p.required_str("text")?))
}

fn unsupported_part(p: &Fields<'_>, kind: &str) -> DecodeError {
    DecodeError::new(format!("`{}`: content part type `{kind}` is not supported here", p.path))
}

/// One part of user (or tool output) content.
fn decode_user_part(p: &Fields<'_>, kind: &str) -> Result<Option<ContentPart>, DecodeError> {
    match kind {
        "input_text" => text_part(p),
        "input_image" => match p.str("image_url")? {
            Some(url) => Ok(Some(ContentPart::Image { source: source_from_url(url), cache_control: None })),
            None if p.get("file_id").is_some() => Err(file_id_unsupported(p)),
            None => Err(must(&p.at("image_url"), "a URL or data URL")),
        },
        "input_file" => {
            let source = if let Some(data) = p.str("file_data")? {
                if data.starts_with("data:") {
                    source_from_url(data)
                } else {
                    // Bare base64 without a MIME type: PDF is the only file type every upstream takes.
                    ImageSource::Base64 { media_type: "application/pdf".to_owned(), data: data.to_owned() }
                }
            } else if let Some(url) = p.str("file_url")? {
                ImageSource::Url { url: url.to_owned() }
            } else if p.get("file_id").is_some() {
                return Err(file_id_unsupported(p));
            } else {
                return Err(must(&p.at("file_data"), "a data URL or base64 string"));
            };
            Ok(Some(ContentPart::Document {
                source,
                title: p.str("filename")?.map(str::to_owned),
                cache_control: None,
            }))
        }
        _ => Err(unsupported_part(p, kind)),
    }
}

fn file_id_unsupported(p: &Fields<'_>) -> DecodeError {
    DecodeError::new(format!(
        "`{}`: uploaded files (`file_id`) are not supported; send the data inline",
        p.at("file_id")
    ))
}
