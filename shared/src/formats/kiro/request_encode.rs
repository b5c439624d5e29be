//! [`ChatRequest`] → the CodeWhisperer `generateAssistantResponse` body Kiro expects.
//!
//! Shape (notes/providers.md "generateAssistantResponse request body": decolua/9router
//! `open-sse/translator/request/openai-to-kiro.js`, the CLIProxyAPI Kiro fork `kiro_claude_request.go`):
//! `{conversationState: {chatTriggerType: "MANUAL", conversationId, currentMessage: {userInputMessage},
//! history: [{userInputMessage} | {assistantResponseMessage}]}, inferenceConfig?}`; `profileArn` is per account
//! and added by the Kiro quirks.
//!
//! Mapping decisions:
//! - turns alternate user / assistant: consecutive messages of one role merge, a conversation that starts with
//!   the assistant gets a `continue` user turn first, and the last user turn is `currentMessage` (after a final
//!   assistant turn, a `continue` user turn is added). Empty user text becomes `continue`, empty assistant text
//!   `...` (Kiro rejects empty content);
//! - Kiro has no system field: the system prompt is prepended to the first user turn's text;
//! - user turns: texts joined with a blank line, base64 images as `images: [{format, source: {bytes}}]` (URL
//!   images cannot be sent and are dropped), tool results as `userInputMessageContext.toolResults: [{toolUseId,
//!   status: "success" | "error", content: [{text}]}]`;
//! - assistant turns: texts joined, tool calls as `toolUses: [{toolUseId, name, input: <object>}]` (arguments
//!   that are not a JSON object become `{}`); reasoning is dropped (Kiro takes none back);
//! - tools live only on `currentMessage`: `userInputMessageContext.tools: [{toolSpecification: {name,
//!   description, inputSchema: {json}}}]`. When the history used tools the request does not declare, stub
//!   specifications are added for them (Kiro answers 400 "Improperly formed request" otherwise);
//! - `modelId`: [`model_id`] of the request's model; `conversationId`: a UUID-shaped SHA-256 of the first user
//!   turn, so every turn of one conversation carries the same id without any state;
//! - `inferenceConfig`: `maxTokens`, `temperature`, `topP` when set. Stop sequences, tool choice and the rest
//!   have no Kiro field and are dropped.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::UNNAMED_TOOL;
use crate::ir::{ChatRequest, ContentPart, ImageSource, Message, Role};

/// `origin` of every user message (what the Kiro IDE sends).
const ORIGIN: &str = "AI_EDITOR";
/// Text of a user turn with no text.
const EMPTY_USER: &str = "continue";
/// Text of an assistant turn with no text.
const EMPTY_ASSISTANT: &str = "...";

/// Kiro's model id for a model name: Anthropic-style versions with dashes (`claude-sonnet-4-5`, optionally with a
/// `-YYYYMMDD` date) become Kiro's dotted ids (`claude-sonnet-4.5`); anything else is sent as given (Kiro also
/// serves `deepseek-3.2`, `qwen3-coder-next`, … under those names).
#[must_use]
pub fn model_id(model: &str) -> String {
    let Some(rest) = model.strip_prefix("claude-") else {
        return model.to_owned();
    };
    let mut parts: Vec<&str> = rest.split('-').collect();
    if parts.last().is_some_and(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit())) {
        parts.pop();
    }
    let digit = |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [family, major, minor] if family.bytes().all(|b| b.is_ascii_alphabetic()) && digit(major) && digit(minor) => {
            format!("claude-{family}-{major}.{minor}")
        }
        _ => format!("claude-{}", parts.join("-")),
    }
}

/// One user turn being built.
#[derive(Default)]
struct UserTurn {
    texts: Vec<String>,
    images: Vec<Value>,
    results: Vec<Value>,
}

/// One assistant turn being built.
#[derive(Default)]
struct AssistantTurn {
    texts: Vec<String>,
    tool_uses: Vec<Value>,
}

enum Turn {
    User(UserTurn),
    Assistant(AssistantTurn),
}

fn image(source: &ImageSource) -> Option<Value> {
    match source {
        ImageSource::Base64 { media_type, data } => {
            let format = media_type.strip_prefix("image/").unwrap_or(media_type);
            Some(json!({"format": format, "source": {"bytes": data}}))
        }
        ImageSource::Url { .. } => None,
    }
}

fn result_text(content: &[ContentPart]) -> String {
    let texts: Vec<&str> = content
        .iter()
        .filter_map(|p| match p {
            ContentPart::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    texts.join("\n\n")
}

fn add_to_user(turn: &mut UserTurn, message: &Message) {
    for part in &message.content {
        match part {
            ContentPart::Text { text, .. } if !text.is_empty() => turn.texts.push(text.clone()),
            ContentPart::Image { source, .. } => turn.images.extend(image(source)),
            ContentPart::ToolResult { call_id, content, is_error, .. } => turn.results.push(json!({
                "toolUseId": call_id,
                "status": if *is_error { "error" } else { "success" },
                "content": [{"text": result_text(content)}],
            })),
            _ => {}
        }
    }
}

fn add_to_assistant(turn: &mut AssistantTurn, message: &Message) {
    for part in &message.content {
        match part {
            ContentPart::Text { text, .. } if !text.is_empty() => turn.texts.push(text.clone()),
            ContentPart::ToolCall { id, name, arguments } => {
                let input = serde_json::from_str::<Value>(arguments).ok().filter(Value::is_object);
                let name = if name.is_empty() { UNNAMED_TOOL } else { name.as_str() };
                turn.tool_uses
                    .push(json!({"toolUseId": id, "name": name, "input": input.unwrap_or_else(|| json!({}))}));
            }
            _ => {}
        }
    }
}

/// The conversation as alternating turns, starting with a user turn and ending with one.
fn turns(messages: &[Message]) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    for message in messages {
        match (message.role, turns.last_mut()) {
            (Role::User, Some(Turn::User(turn))) => add_to_user(turn, message),
            (Role::User, _) => {
                let mut turn = UserTurn::default();
                add_to_user(&mut turn, message);
                turns.push(Turn::User(turn));
            }
            (Role::Assistant, Some(Turn::Assistant(turn))) => add_to_assistant(turn, message),
            (Role::Assistant, last) => {
                if last.is_none() {
                    turns.push(Turn::User(UserTurn::default()));
                }
                let mut turn = AssistantTurn::default();
                add_to_assistant(&mut turn, message);
                turns.push(Turn::Assistant(turn));
            }
        }
    }
    if !matches!(turns.last(), Some(Turn::User(_))) {
        turns.push(Turn::User(UserTurn::default()));
    }
    turns
}

fn user_message(turn: UserTurn, model_id: &str, tools: Option<Vec<Value>>) -> Value {
    let content = if turn.texts.is_empty() { EMPTY_USER.to_owned() } else { turn.texts.join("\n\n") };
    let mut message = Map::new();
    message.insert("content".into(), Value::String(content));
    message.insert("modelId".into(), Value::String(model_id.to_owned()));
    message.insert("origin".into(), Value::String(ORIGIN.into()));
    if !turn.images.is_empty() {
        message.insert("images".into(), Value::Array(turn.images));
    }
    let mut context = Map::new();
    if let Some(tools) = tools.filter(|t| !t.is_empty()) {
        context.insert("tools".into(), Value::Array(tools));
    }
    if !turn.results.is_empty() {
        context.insert("toolResults".into(), Value::Array(turn.results));
    }
    if !context.is_empty() {
        message.insert("userInputMessageContext".into(), Value::Object(context));
    }
    json!({ "userInputMessage": message })
}

fn assistant_message(turn: AssistantTurn) -> Value {
    let content = if turn.texts.is_empty() { EMPTY_ASSISTANT.to_owned() } else { turn.texts.join("\n\n") };
    let mut message = Map::new();
    message.insert("content".into(), Value::String(content));
    if !turn.tool_uses.is_empty() {
        message.insert("toolUses".into(), Value::Array(turn.tool_uses));
    }
    json!({ "assistantResponseMessage": message })
}

fn tool_spec(name: &str, description: &str, schema: &Value) -> Value {
    let description = if description.trim().is_empty() { name } else { description };
    json!({"toolSpecification": {"name": name, "description": description, "inputSchema": {"json": schema}}})
}

/// The request's tools, plus stubs for tools the history used but the request does not declare.
fn tool_specs(req: &ChatRequest, used: &[String]) -> Vec<Value> {
    let mut specs: Vec<Value> = req
        .tools
        .iter()
        .map(|t| {
            let schema = if t.parameters.is_object() { t.parameters.clone() } else { json!({"type": "object"}) };
            tool_spec(&t.name, t.description.as_deref().unwrap_or_default(), &schema)
        })
        .collect();
    for name in used {
        if !req.tools.iter().any(|t| &t.name == name) {
            specs.push(tool_spec(name, name, &json!({"type": "object", "properties": {}})));
        }
    }
    specs
}

/// A UUID-shaped id derived from `seed`.
fn conversation_id(seed: &str) -> String {
    let hex: String = Sha256::digest(seed.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Encodes `req` as a `generateAssistantResponse` body (`req.model` is the upstream model).
#[must_use]
pub fn encode_request(req: &ChatRequest) -> Vec<u8> {
    let model_id = model_id(&req.model);
    let mut turns = turns(&req.messages);
    let system: Vec<&str> = req.system.iter().map(|b| b.text.as_str()).filter(|t| !t.is_empty()).collect();
    if let (false, Some(Turn::User(first))) = (system.is_empty(), turns.first_mut()) {
        first.texts.insert(0, system.join("\n\n"));
    }
    let seed = match turns.first() {
        Some(Turn::User(first)) => first.texts.join("\n\n"),
        _ => String::new(),
    };
    let used: Vec<String> = {
        let mut names: Vec<String> = turns
            .iter()
            .filter_map(|t| match t {
                Turn::Assistant(a) => Some(a.tool_uses.iter().filter_map(|u| u["name"].as_str().map(str::to_owned))),
                Turn::User(_) => None,
            })
            .flatten()
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let current = match turns.pop() {
        Some(Turn::User(turn)) => turn,
        _ => UserTurn::default(),
    };
    let history: Vec<Value> = turns
        .into_iter()
        .map(|turn| match turn {
            Turn::User(turn) => user_message(turn, &model_id, None),
            Turn::Assistant(turn) => assistant_message(turn),
        })
        .collect();
    let mut state = Map::new();
    state.insert("chatTriggerType".into(), Value::String("MANUAL".into()));
    state.insert("conversationId".into(), Value::String(conversation_id(&seed)));
    state.insert("currentMessage".into(), user_message(current, &model_id, Some(tool_specs(req, &used))));
    state.insert("history".into(), Value::Array(history));
    let mut body = Map::new();
    body.insert("conversationState".into(), Value::Object(state));
    let mut inference = Map::new();
    if let Some(max) = req.max_tokens {
        inference.insert("maxTokens".into(), json!(max));
    }
    if let Some(temperature) = req.sampling.temperature {
        inference.insert("temperature".into(), json!(temperature));
    }
    if let Some(top_p) = req.sampling.top_p {
        inference.insert("topP".into(), json!(top_p));
    }
    if !inference.is_empty() {
        body.insert("inferenceConfig".into(), Value::Object(inference));
    }
    serde_json::to_vec(&Value::Object(body)).unwrap_or_default()
}
