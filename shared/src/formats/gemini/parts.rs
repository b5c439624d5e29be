//! `Part` ⇄ [`ContentPart`], shared by requests, responses and streams.
//!
//! Decoding (see the module doc of [`super`] for signatures): `text` → Text (empty texts give nothing);
//! `thought: true` → Gemini-family [`Thinking`]; `inlineData` → Image for `image/*`, else Document (PDF, text,
//! audio, video: the MIME type is kept); `fileData` → the same with a URL source (MIME from `mimeType`, else
//! guessed from the URI's extension); `functionCall` → ToolCall (given id or a minted `call_<name>_<n>`);
//! `functionResponse` → ToolResult whose text is the JSON of `response`, `is_error` when `response` is an
//! object with only an `error` key, followed by the images of its `parts`; `executableCode` /
//! `codeExecutionResult` (code-execution tool) → Text (a fenced code block / the output).
//!
//! Encoding mirrors it. A `functionResponse.response` is the result text when that is a JSON object (for an
//! error, one with a lone `error` key), else `{"output": text}` (`{"error": text}` for errors), the documented
//! convention — so Gemini's own results travel byte-exact and an error stays an error.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::types::{WireFileData, WirePart};
use super::{call_id_salt, is_synthesized_call_id, synthesized_call_id, UNNAMED_TOOL};
use crate::ir::{ContentPart, DecodeError, ImageSource, ReasoningFamily, Thinking};

/// Where parts are decoded: client requests reject parts with no known data field; upstream responses skip
/// them (a newer upstream may add kinds a client can live without).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Request,
    Response,
}

/// The function calls of one request or response, in order: their ids (given or minted) and names, and
/// which ones a function response already answered.
#[derive(Debug, Default)]
pub(super) struct CallBook {
    calls: Vec<Call>,
    /// Ids minted so far (calls and unmatched responses), the `n` of the next minted id.
    seq: u32,
    /// The current model turn.
    turn: u32,
    /// A response's salt for minted ids (see [`synthesized_call_id`]).
    salt: Option<String>,
}

#[derive(Debug)]
struct Call {
    id: String,
    name: String,
    turn: u32,
    answered: bool,
}

impl CallBook {
    /// Starts a new model turn (parallel calls of one turn are answered in order).
    pub(super) fn next_turn(&mut self) {
        self.turn = self.turn.saturating_add(1);
    }

    /// The book of a response whose `responseId` is `response_id`.
    pub(super) fn for_response(response_id: Option<&str>) -> Self {
        Self { salt: response_id.and_then(call_id_salt), ..Self::default() }
    }

    fn mint(&mut self, name: &str) -> String {
        let id = synthesized_call_id(name, self.seq, self.salt.as_deref());
        self.seq = self.seq.saturating_add(1);
        id
    }

    /// Records a call; returns its id.
    pub(super) fn call(&mut self, name: &str, id: Option<&str>) -> String {
        let id = match id.filter(|id| !id.is_empty()) {
            Some(id) => id.to_owned(),
            None => self.mint(name),
        };
        self.calls.push(Call { id: id.clone(), name: name.to_owned(), turn: self.turn, answered: false });
        id
    }

    /// The call a response answers: the one with its id, else the first unanswered call with its name in the
    /// latest turn that has one (Gemini pairs calls and responses by name and order); unmatched responses get
    /// a minted id of their own.
    pub(super) fn answer(&mut self, name: &str, id: Option<&str>) -> String {
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            if let Some(call) = self.calls.iter_mut().find(|c| c.id == id) {
                call.answered = true;
            }
            return id.to_owned();
        }
        let open = |c: &Call| !c.answered && c.name == name;
        let Some(turn) = self.calls.iter().rev().find(|c| open(c)).map(|c| c.turn) else {
            return self.mint(name);
        };
        match self.calls.iter_mut().find(|c| c.turn == turn && open(c)) {
            Some(call) => {
                call.answered = true;
                call.id.clone()
            }
            None => self.mint(name),
        }
    }
}

/// Decodes the parts of one content; `path` names it in errors.
pub(super) fn decode_parts(
    parts: Vec<WirePart<'_>>,
    book: &mut CallBook,
    path: &str,
    mode: Mode,
) -> Result<Vec<ContentPart>, DecodeError> {
    let mut out = Vec::with_capacity(parts.len());
    for (j, part) in parts.into_iter().enumerate() {
        decode_part(part, book, &format!("{path}.parts[{j}]"), mode, &mut out)?;
    }
    Ok(out)
}

fn gemini_thinking(text: String, signature: Option<String>) -> ContentPart {
    ContentPart::Thinking(Thinking { text, signature, redacted: false, family: Some(ReasoningFamily::Gemini) })
}

fn decode_part(
    part: WirePart<'_>,
    book: &mut CallBook,
    path: &str,
    mode: Mode,
    out: &mut Vec<ContentPart>,
) -> Result<(), DecodeError> {
    let signature = part.thought_signature.filter(|s| !s.is_empty());
    if part.thought == Some(true) {
        let text = part.text.unwrap_or_default();
        if !text.is_empty() || signature.is_some() {
            out.push(gemini_thinking(text, signature));
        }
        return Ok(());
    }
    let has_signature = signature.is_some();
    if let Some(signature) = signature {
        out.push(gemini_thinking(String::new(), Some(signature)));
    }
    if let Some(call) = part.function_call {
        let name = match call.name.filter(|n| !n.is_empty()) {
            Some(name) => name,
            None if mode == Mode::Response => UNNAMED_TOOL.to_owned(),
            None => return Err(DecodeError::new(format!("{path}.functionCall.name: must be a non-empty string"))),
        };
        let id = book.call(&name, call.id.as_deref());
        let arguments = call.args.map_or_else(|| "{}".to_owned(), |a| a.get().to_owned());
        out.push(ContentPart::ToolCall { id, name, arguments });
    } else if let Some(response) = part.function_response {
        let name = response.name.filter(|n| !n.is_empty()).unwrap_or_else(|| UNNAMED_TOOL.to_owned());
        let call_id = book.answer(&name, response.id.as_deref());
        let text = response.response.map_or("{}", RawValue::get);
        let is_error = serde_json::from_str::<serde_json::Map<String, Value>>(text)
            .is_ok_and(|o| o.len() == 1 && o.contains_key("error"));
        let mut content = vec![ContentPart::text(text)];
        for (k, inner) in response.parts.into_iter().flatten().enumerate() {
            let inner_path = format!("{path}.functionResponse.parts[{k}]");
            content.extend(media(inner.inline_data.map(|b| (b.mime_type, b.data)), inner.file_data, &inner_path)?);
        }
        out.push(ContentPart::ToolResult { call_id, content, is_error, cache_control: None });
    } else if part.inline_data.is_some() || part.file_data.is_some() {
        out.extend(media(part.inline_data.map(|b| (b.mime_type, b.data)), part.file_data, path)?);
    } else if let Some(code) = part.executable_code {
        let language = code.language.unwrap_or_default().to_ascii_lowercase();
        out.push(ContentPart::text(format!("```{language}\n{}\n```", code.code.unwrap_or_default())));
    } else if let Some(result) = part.code_execution_result {
        out.extend(result.output.filter(|o| !o.is_empty()).map(ContentPart::text));
    } else if let Some(text) = part.text {
        if !text.is_empty() {
            out.push(ContentPart::text(text));
        }
    } else if mode == Mode::Request && !has_signature {
        return Err(DecodeError::new(format!(
            "{path}: unsupported part (expected text, inlineData, fileData, functionCall or functionResponse)"
        )));
    }
    Ok(())
}

/// An image or document part from `inlineData` (`(mimeType, data)`) or `fileData`.
fn media(
    inline: Option<(Option<String>, Option<String>)>,
    file: Option<WireFileData>,
    path: &str,
) -> Result<Option<ContentPart>, DecodeError> {
    let (source, media_type) = if let Some((mime, data)) = inline {
        let data = data.ok_or_else(|| DecodeError::new(format!("{path}.inlineData.data: field required")))?;
        let media_type = mime.filter(|m| !m.is_empty()).unwrap_or_else(|| "application/octet-stream".to_owned());
        (ImageSource::Base64 { media_type: media_type.clone(), data }, media_type)
    } else if let Some(file) = file {
        let url = file.file_uri.ok_or_else(|| DecodeError::new(format!("{path}.fileData.fileUri: field required")))?;
        let media_type = file.mime_type.or_else(|| guess_mime(&url).map(str::to_owned)).unwrap_or_default();
        (ImageSource::Url { url }, media_type)
    } else {
        return Ok(None);
    };
    Ok(Some(if media_type.starts_with("image/") {
        ContentPart::Image { source, cache_control: None }
    } else {
        ContentPart::Document { source, title: None, cache_control: None }
    }))
}

/// A MIME type from a URL's file extension, for the few kinds Gemini takes by URI.
pub(super) fn guess_mime(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "heif" => "image/heif",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------------------
// Encode side
// ---------------------------------------------------------------------------------------------------------

/// A `Part` on the wire.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OutPart<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thought: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline_data: Option<OutBlob<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_data: Option<OutFileData<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_call: Option<OutFunctionCall<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_response: Option<OutFunctionResponse<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thought_signature: Option<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OutBlob<'a> {
    mime_type: &'a str,
    data: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OutFileData<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    mime_type: Option<&'a str>,
    file_uri: &'a str,
}

#[derive(Debug, Serialize)]
pub(super) struct OutFunctionCall<'a> {
    pub name: &'a str,
    pub args: Args<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(super) struct OutFunctionResponse<'a> {
    name: &'a str,
    response: ResponseObject,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<OutPart<'a>>,
}

/// Function-call arguments: the IR's JSON text when it is an object, else `{}`.
#[derive(Debug)]
pub(super) struct Args<'a>(Option<&'a RawValue>);

impl<'a> Args<'a> {
    pub(super) fn from_arguments(arguments: &'a str) -> Self {
        Self(serde_json::from_str::<&RawValue>(arguments).ok().filter(|raw| raw.get().starts_with('{')))
    }
}

impl Serialize for Args<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(raw) => raw.serialize(serializer),
            None => serde_json::Map::new().serialize(serializer),
        }
    }
}

/// A `functionResponse.response` object.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum ResponseObject {
    Raw(Box<RawValue>),
    Wrapped(Value),
}

/// The function-call part of a tool call. A minted id is not sent (Gemini never saw it).
pub(super) fn function_call<'a>(id: &'a str, name: &'a str, arguments: &'a str) -> OutFunctionCall<'a> {
    let name = if name.is_empty() { UNNAMED_TOOL } else { name };
    OutFunctionCall {
        name,
        args: Args::from_arguments(arguments),
        id: (!is_synthesized_call_id(id, name)).then_some(id),
    }
}

/// An image or document part.
fn media_part(source: &ImageSource) -> OutPart<'_> {
    match source {
        ImageSource::Base64 { media_type, data } => {
            OutPart { inline_data: Some(OutBlob { mime_type: media_type, data }), ..OutPart::default() }
        }
        ImageSource::Url { url } => {
            OutPart { file_data: Some(OutFileData { mime_type: guess_mime(url), file_uri: url }), ..OutPart::default() }
        }
    }
}

/// What the model turn is encoded for: a request to Gemini sends only Gemini-signed thinking back; a response
/// to a Gemini client shows any thinking text (signatures only when Gemini's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Request,
    Response,
}

/// A Gemini signature worth sending: Gemini family, non-empty, not redacted.
fn gemini_signature(thinking: &Thinking) -> Option<&str> {
    (thinking.family == Some(ReasoningFamily::Gemini) && !thinking.redacted)
        .then_some(thinking.signature.as_deref())
        .flatten()
        .filter(|s| !s.is_empty())
}

/// Sends a held signature on an empty text part of its own.
fn flush<'a>(pending: &mut Option<&'a str>, out: &mut Vec<OutPart<'a>>) {
    if let Some(signature) = pending.take() {
        out.push(OutPart { text: Some(""), thought_signature: Some(signature), ..OutPart::default() });
    }
}

/// The parts of a model turn (see the module doc of [`super`] for where signatures go).
pub(super) fn model_parts(content: &[ContentPart], target: Target) -> Vec<OutPart<'_>> {
    let mut out = Vec::with_capacity(content.len());
    let mut pending: Option<&str> = None;
    for part in content {
        match part {
            ContentPart::Thinking(thinking) => {
                let signature = gemini_signature(thinking);
                if thinking.text.is_empty() {
                    if let Some(signature) = signature {
                        flush(&mut pending, &mut out);
                        pending = Some(signature);
                    }
                    continue;
                }
                let shown = match target {
                    Target::Request => signature.is_some(),
                    Target::Response => !thinking.redacted,
                };
                if shown {
                    flush(&mut pending, &mut out);
                    out.push(OutPart {
                        text: Some(&thinking.text),
                        thought: Some(true),
                        thought_signature: signature,
                        ..OutPart::default()
                    });
                }
            }
            ContentPart::Text { text, .. } => {
                if !text.is_empty() || pending.is_some() {
                    out.push(OutPart { text: Some(text), thought_signature: pending.take(), ..OutPart::default() });
                }
            }
            ContentPart::ToolCall { id, name, arguments } => out.push(OutPart {
                function_call: Some(function_call(id, name, arguments)),
                thought_signature: pending.take(),
                ..OutPart::default()
            }),
            ContentPart::Image { source, .. } | ContentPart::Document { source, .. } => {
                out.push(OutPart { thought_signature: pending.take(), ..media_part(source) });
            }
            ContentPart::ToolResult { .. } => {}
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// Names and "had a real id" of every tool call in a request, by call id (to rebuild `functionResponse`).
pub(super) type CallNames<'a> = HashMap<&'a str, (&'a str, bool)>;

/// The parts of a user turn: text, media and function responses (thinking and tool calls have no place here).
pub(super) fn user_parts<'a>(content: &'a [ContentPart], names: &CallNames<'a>) -> Vec<OutPart<'a>> {
    let mut out = Vec::with_capacity(content.len());
    for part in content {
        match part {
            ContentPart::Text { text, .. } if !text.is_empty() => {
                out.push(OutPart { text: Some(text), ..OutPart::default() });
            }
            ContentPart::Image { source, .. } | ContentPart::Document { source, .. } => out.push(media_part(source)),
            ContentPart::ToolResult { call_id, content, is_error, .. } => {
                let (name, id) = match names.get(call_id.as_str()) {
                    Some(&(name, real_id)) => (name, real_id.then_some(call_id.as_str())),
                    None => (UNNAMED_TOOL, None),
                };
                let parts = content
                    .iter()
                    .filter_map(|p| match p {
                        ContentPart::Image { source, .. } | ContentPart::Document { source, .. } => {
                            Some(media_part(source))
                        }
                        _ => None,
                    })
                    .collect();
                let response = OutFunctionResponse { name, response: response_object(content, *is_error), id, parts };
                out.push(OutPart { function_response: Some(response), ..OutPart::default() });
            }
            ContentPart::Text { .. } | ContentPart::ToolCall { .. } | ContentPart::Thinking(_) => {}
        }
    }
    out
}

/// The `response` object of a tool result: its text when that is a JSON object, else wrapped.
fn response_object(content: &[ContentPart], is_error: bool) -> ResponseObject {
    let texts: Vec<&str> = content
        .iter()
        .filter_map(|p| match p {
            ContentPart::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let text: Cow<'_, str> = match texts.as_slice() {
        [one] => Cow::Borrowed(one),
        _ => Cow::Owned(texts.join("\n")),
    };
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        // An error keeps its object only when that already reads as one (a lone `error` key).
        let keeps = !is_error
            || serde_json::from_str::<serde_json::Map<String, Value>>(trimmed)
                .is_ok_and(|o| o.len() == 1 && o.contains_key("error"));
        if keeps {
            if let Ok(raw) = RawValue::from_string(trimmed.to_owned()) {
                return ResponseObject::Raw(raw);
            }
        }
    }
    let key = if is_error { "error" } else { "output" };
    ResponseObject::Wrapped(serde_json::json!({ key: text }))
}
