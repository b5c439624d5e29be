//! [`ChatRequest`] → the `generateContent` body sent upstream (the model and `alt=sse` go in the URL, which the
//! pipeline builds; `req.model` is only read to choose between `thinkingLevel` and `thinkingBudget` and to
//! recognise Claude models served through the Gemini shape by Antigravity).
//!
//! Policies:
//! - roles `user` / `model`; consecutive messages of one role are merged into one content (Gemini wants turns
//!   to alternate), contents left without parts are dropped;
//! - thinking: only Gemini-family thinking with a signature is sent back (as a `thought` part, or its
//!   signature on the part that follows it — see [`super`]); other thinking is dropped;
//! - a model turn whose first `functionCall` part carries no signature (history from another provider, or
//!   built by hand) gets [`DUMMY_THOUGHT_SIGNATURE`] on that part: Gemini 3 answers 400 without one and
//!   documents this value for exactly that case. Not for Claude models (their signatures are Anthropic's and
//!   a bogus one would be checked as such);
//! - tool results become `functionResponse` parts named after their call (looked up by call id in the history;
//!   `unknown_tool` when the call is not there), with the call's `id` when Gemini gave it one;
//! - tools become one `functionDeclarations` group with schemas cleaned for Gemini (`schema.rs`), followed by
//!   the Gemini-only tools kept in `extra`; `toolConfig` only accompanies function declarations;
//! - system blocks become `systemInstruction` parts; `generationConfig` as in `config.rs`;
//! - only [`PASSTHROUGH_FIELDS`] are copied from `extra` (Gemini rejects unknown fields), never overriding.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::config::{generation_config, tool_config};
use super::parts::{model_parts, user_parts, CallNames, OutPart, Target};
use super::schema::clean_parameters;
use super::{is_synthesized_call_id, DUMMY_THOUGHT_SIGNATURE, OTHER_TOOLS_KEY, PASSTHROUGH_FIELDS, UNNAMED_TOOL};
use crate::ir::{ChatRequest, ContentPart, Message, Role};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutRequest<'a> {
    contents: Vec<OutContent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    system_instruction: Option<OutSystem<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tools: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_config: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generation_config: Option<Map<String, Value>>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// A `Content` on the wire.
#[derive(Debug, Serialize)]
pub(super) struct OutContent<'a> {
    pub role: &'static str,
    pub parts: Vec<OutPart<'a>>,
}

#[derive(Serialize)]
struct OutSystem<'a> {
    parts: Vec<OutPart<'a>>,
}

/// Encodes `req` as a Gemini `generateContent` request body (see the module doc for every policy applied).
#[must_use]
pub fn encode_request(req: &ChatRequest) -> Vec<u8> {
    let mut contents = encode_contents(&req.messages);
    if !req.model.to_ascii_lowercase().contains("claude") {
        add_dummy_signatures(&mut contents);
    }
    let declarations = function_declarations(req);
    let has_functions = !declarations.is_empty();
    let mut tools = Vec::new();
    if has_functions {
        tools.push(json!({ "functionDeclarations": declarations }));
    }
    if let Some(Value::Array(others)) = req.extra.get(OTHER_TOOLS_KEY) {
        tools.extend(others.iter().filter(|t| t.is_object()).cloned());
    }
    let system: Vec<OutPart<'_>> = req
        .system
        .iter()
        .filter(|b| !b.text.is_empty())
        .map(|b| OutPart { text: Some(&b.text), ..OutPart::default() })
        .collect();
    let body = OutRequest {
        contents,
        system_instruction: (!system.is_empty()).then_some(OutSystem { parts: system }),
        tools,
        tool_config: if has_functions { tool_config(req) } else { None },
        generation_config: generation_config(req),
        extra: PASSTHROUGH_FIELDS
            .iter()
            .filter_map(|&key| Some((key.to_owned(), req.extra.get(key)?.clone())))
            .collect(),
    };
    // Serialising these types cannot fail (string keys, no fallible Serialize impls).
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Every tool call's name and whether its id came from Gemini, by id.
fn call_names(messages: &[Message]) -> CallNames<'_> {
    messages
        .iter()
        .flat_map(|m| &m.content)
        .filter_map(|part| match part {
            ContentPart::ToolCall { id, name, .. } => {
                let name = if name.is_empty() { UNNAMED_TOOL } else { name.as_str() };
                Some((id.as_str(), (name, !is_synthesized_call_id(id, name))))
            }
            _ => None,
        })
        .collect()
}

fn encode_contents(messages: &[Message]) -> Vec<OutContent<'_>> {
    let names = call_names(messages);
    let mut contents: Vec<OutContent<'_>> = Vec::with_capacity(messages.len());
    for message in messages {
        let (role, parts) = match message.role {
            Role::User => ("user", user_parts(&message.content, &names)),
            Role::Assistant => ("model", model_parts(&message.content, Target::Request)),
        };
        if parts.is_empty() {
            continue;
        }
        match contents.last_mut() {
            Some(last) if last.role == role => last.parts.extend(parts),
            _ => contents.push(OutContent { role, parts }),
        }
    }
    contents
}

/// Gives the first `functionCall` part of each model turn a signature when it has none.
fn add_dummy_signatures(contents: &mut [OutContent<'_>]) {
    for content in contents.iter_mut().filter(|c| c.role == "model") {
        if let Some(first_call) = content.parts.iter_mut().find(|p| p.function_call.is_some()) {
            first_call.thought_signature.get_or_insert(DUMMY_THOUGHT_SIGNATURE);
        }
    }
}

fn function_declarations(req: &ChatRequest) -> Vec<Value> {
    req.tools
        .iter()
        .map(|tool| {
            let mut declaration = Map::new();
            let name = if tool.name.is_empty() { UNNAMED_TOOL } else { tool.name.as_str() };
            declaration.insert("name".to_owned(), json!(name));
            if let Some(description) = tool.description.as_deref().filter(|d| !d.is_empty()) {
                declaration.insert("description".to_owned(), json!(description));
            }
            if let Some(parameters) = clean_parameters(&tool.parameters) {
                declaration.insert("parameters".to_owned(), parameters);
            }
            Value::Object(declaration)
        })
        .collect()
}
