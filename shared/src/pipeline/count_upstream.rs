//! Token counting for Anthropic clients (`POST /v1/messages/count_tokens`) and Gemini clients (`:countTokens`):
//! asked of the routed upstream where its format can count, else the documented local estimate
//! ([`super::count_tokens`]).
//!
//! Upstreams that count, and what they are sent:
//! - Anthropic: `POST …/messages/count_tokens` with `model`, `messages`, `system`, `tools`, `tool_choice`,
//!   `thinking`, `mcp_servers` only (the endpoint rejects other fields) → `{"input_tokens": n}`
//!   (docs.anthropic.com/en/api/messages-count-tokens);
//! - Gemini: `POST …/models/{model}:countTokens` with `{"generateContentRequest": {"model": "models/{model}",
//!   contents, systemInstruction, tools, …}}` → `{"totalTokens": n}` (ai.google.dev/api/tokens);
//! - Code Assist: `POST …/v1internal:countTokens` with `{"request": {"model": "models/{model}", "contents": […]}}`
//!   → `{"totalTokens": n}` (gemini-cli `code_assist/converter.ts` `toCountTokenRequest`; no `project`, which
//!   CLIProxyAPI also strips for this method).
//!
//! The target is the model's first (a combo's first entry); the account is the first of its routing plan (cooling
//! accounts skipped, as for chat), with the same credentials and headers a chat request gets. Any other format,
//! no usable account, an upstream error, a timeout or an unreadable answer falls back to the estimate: counting
//! is advisory and never fails a client for an upstream's sake.

use bytes::{Bytes, BytesMut};
use futures::future::{select, Either};
use futures::StreamExt as _;
use http::HeaderMap;
use serde_json::{json, Map, Value};

use super::count_tokens::estimate;
use super::proxy::{account_plan, oauth_grant, upstream_request};
use super::resolve::{resolve, Target};
use crate::error::ApiError;
use crate::formats::{dispatch, Format};
use crate::http::AppState;
use crate::platform::ByteStream;

/// Largest count answer read.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Fields Anthropic's count endpoint accepts.
const ANTHROPIC_COUNT_FIELDS: [&str; 7] =
    ["model", "messages", "system", "tools", "tool_choice", "thinking", "mcp_servers"];

/// Where a count came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountSource {
    /// The upstream counted.
    Upstream,
    /// The local estimate.
    Estimate,
}

impl CountSource {
    /// Value of the `x-9router-token-count` response header.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Upstream => "upstream",
            Self::Estimate => "estimate",
        }
    }
}

/// A token count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// Input tokens.
    pub tokens: u64,
    /// Who counted.
    pub source: CountSource,
}

/// The Gemini request inside a `countTokens` body (`generateContentRequest`, or the body itself).
fn gemini_inner(body: &Value) -> &Value {
    body.get("generateContentRequest").unwrap_or(body)
}

/// The local estimate for a client body.
fn local_estimate(client: Format, body: &Value) -> u64 {
    let tokens = if client == Format::Gemini {
        let inner = gemini_inner(body);
        estimate(&json!({
            "system": inner.get("systemInstruction").cloned().unwrap_or(Value::Null),
            "messages": inner.get("contents").cloned().unwrap_or_else(|| json!([])),
            "tools": inner.get("tools").cloned().unwrap_or(Value::Null),
        }))
    } else {
        estimate(body)
    };
    u64::try_from(tokens).unwrap_or(u64::MAX)
}

/// Counts the input tokens of a client's `count_tokens` body (Anthropic or Gemini client); `url_model` is the
/// model from a Gemini URL.
///
/// # Errors
/// 400 when the body is not a JSON object or an Anthropic body has no `messages` array.
pub async fn count(
    state: &AppState,
    client: Format,
    raw: &[u8],
    url_model: Option<&str>,
    client_headers: &HeaderMap,
) -> Result<Counted, ApiError> {
    let body: Value = serde_json::from_slice(raw)
        .map_err(|e| ApiError::invalid_request(format!("request body is not valid JSON: {e}")))?;
    if !body.is_object() {
        return Err(ApiError::invalid_request("request body must be a JSON object"));
    }
    if client == Format::Anthropic && !body.get("messages").is_some_and(Value::is_array) {
        return Err(ApiError::invalid_request("missing required field `messages` (an array)"));
    }
    let model = url_model.or_else(|| body.get("model").and_then(Value::as_str)).unwrap_or_default();
    if !model.is_empty() {
        if let Some(tokens) = upstream_count(state, client, &body, model, client_headers).await {
            return Ok(Counted { tokens, source: CountSource::Upstream });
        }
    }
    Ok(Counted { tokens: local_estimate(client, &body), source: CountSource::Estimate })
}

/// The client's request as a Gemini `GenerateContentRequest` object.
fn as_gemini(client: Format, body: &Value) -> Option<Map<String, Value>> {
    let inner = if client == Format::Gemini {
        gemini_inner(body).clone()
    } else {
        let ir = dispatch::decode_request(client, &serde_json::to_vec(body).ok()?).ok()?;
        serde_json::from_slice(&dispatch::encode_request(Format::Gemini, &ir)).ok()?
    };
    match inner {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The count request body for `target`, or `None` when its format cannot count.
fn count_body(client: Format, body: &Value, target: &Target) -> Option<Bytes> {
    let model = target.model.as_str();
    let value = match target.provider.format() {
        Format::Anthropic => {
            let mut request: Map<String, Value> = if client == Format::Anthropic {
                body.as_object()?.clone()
            } else {
                let gemini = Value::Object(as_gemini(client, body)?);
                let ir = dispatch::decode_request(Format::Gemini, &serde_json::to_vec(&gemini).ok()?).ok()?;
                serde_json::from_slice(&dispatch::encode_request(Format::Anthropic, &ir)).ok()?
            };
            request.retain(|key, _| ANTHROPIC_COUNT_FIELDS.contains(&key.as_str()));
            request.insert("model".into(), Value::String(model.to_owned()));
            Value::Object(request)
        }
        Format::Gemini => {
            let mut request = as_gemini(client, body)?;
            request.insert("model".into(), Value::String(format!("models/{model}")));
            json!({ "generateContentRequest": request })
        }
        Format::CodeAssist => {
            let request = as_gemini(client, body)?;
            let contents = request.get("contents").cloned().unwrap_or_else(|| json!([]));
            json!({ "request": { "model": format!("models/{model}"), "contents": contents } })
        }
        Format::OpenAiChat | Format::OpenAiResponses | Format::Kiro => return None,
    };
    serde_json::to_vec(&value).ok().map(Bytes::from)
}

/// The count URL beside a (non-streaming) chat URL.
fn count_url(format: Format, chat_url: &str) -> Option<String> {
    let (path, query) = chat_url.split_once('?').map_or((chat_url, None), |(p, q)| (p, Some(q)));
    let path = match format {
        Format::Anthropic => format!("{}/count_tokens", path.trim_end_matches('/')),
        Format::Gemini | Format::CodeAssist => format!("{}:countTokens", path.strip_suffix(":generateContent")?),
        Format::OpenAiChat | Format::OpenAiResponses | Format::Kiro => return None,
    };
    Some(query.map_or_else(|| path.clone(), |q| format!("{path}?{q}")))
}

/// Asks the routed upstream; `None` whenever it cannot or does not answer with a count.
async fn upstream_count(
    state: &AppState,
    client: Format,
    body: &Value,
    model: &str,
    client_headers: &HeaderMap,
) -> Option<u64> {
    let route = resolve(&state.repo, model).await.ok()?;
    let target = route.targets.first()?;
    let provider = &target.provider;
    let count_body = count_body(client, body, target)?;
    let connections = state.repo.enabled_connections(provider.id()).await.ok()?;
    let settings = state.repo.settings().await.ok()?;
    // Only a look at the routing state: a count takes no round-robin turn.
    let (_, plan) = account_plan(state, &settings, provider.id(), &target.model, &connections, None).await;
    let connection = plan.order.first()?;
    let grant =
        if connection.auth_type == "oauth" { Some(oauth_grant(state, connection, None).await.ok()?) } else { None };
    let mut request = upstream_request(
        state,
        connection,
        provider,
        &target.model,
        count_body.clone(),
        false,
        client_headers,
        grant.as_ref(),
    );
    request.url = count_url(provider.format(), &request.url)?;
    if provider.format() == Format::CodeAssist {
        // The envelope fields the chat quirks add (`project`, …) are not part of a count request.
        request.body = count_body;
    }
    let idle_ms = state.config.upstream_idle_timeout_ms;
    let response = match select(state.http.send(request), state.clock.sleep(idle_ms)).await {
        Either::Left((Ok(response), _)) => response,
        Either::Left((Err(_), _)) | Either::Right(_) => return None,
    };
    if !(200..300).contains(&response.status) {
        return None;
    }
    let answer = read_small(response.body, state, idle_ms).await?;
    let field = if provider.format() == Format::Anthropic { "input_tokens" } else { "totalTokens" };
    serde_json::from_slice::<Value>(&answer).ok()?.get(field)?.as_u64()
}

/// Reads a small body, bounded in size and idle time.
async fn read_small(mut body: ByteStream, state: &AppState, idle_ms: u64) -> Option<Bytes> {
    let mut buffer = BytesMut::new();
    loop {
        match select(body.next(), state.clock.sleep(idle_ms)).await {
            Either::Left((Some(Ok(chunk)), _)) if buffer.len() + chunk.len() <= MAX_ANSWER_BYTES => {
                buffer.extend_from_slice(&chunk);
            }
            Either::Left((None, _)) => return Some(buffer.freeze()),
            Either::Left((Some(_), _)) | Either::Right(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::find;

    fn target(provider: &str, model: &str) -> Target {
        Target { provider: crate::providers::Provider::Builtin(find(provider).expect("provider")), model: model.into() }
    }

    fn decoded(bytes: &Bytes) -> Value {
        serde_json::from_slice(bytes).expect("json")
    }

    #[test]
    fn count_urls_sit_beside_the_chat_urls() {
        let anthropic = count_url(Format::Anthropic, "https://api.anthropic.com/v1/messages");
        assert_eq!(anthropic.as_deref(), Some("https://api.anthropic.com/v1/messages/count_tokens"));
        let beta = count_url(Format::Anthropic, "https://x/v1/messages?beta=true");
        assert_eq!(beta.as_deref(), Some("https://x/v1/messages/count_tokens?beta=true"));
        let gemini = count_url(Format::Gemini, "https://g/v1beta/models/gemini-2.5-pro:generateContent");
        assert_eq!(gemini.as_deref(), Some("https://g/v1beta/models/gemini-2.5-pro:countTokens"));
        let code_assist = count_url(Format::CodeAssist, "https://c/v1internal:generateContent");
        assert_eq!(code_assist.as_deref(), Some("https://c/v1internal:countTokens"));
        assert_eq!(count_url(Format::OpenAiChat, "https://o/v1/chat/completions"), None);
    }

    #[test]
    fn anthropic_bodies_keep_only_what_the_count_endpoint_accepts() {
        let body = json!({
            "model": "client-model", "max_tokens": 10, "stream": true, "system": "sys",
            "messages": [{"role": "user", "content": "hi"}], "tools": [], "thinking": {"type": "enabled", "budget_tokens": 1024}
        });
        let sent = decoded(&count_body(Format::Anthropic, &body, &target("anthropic", "claude-x")).expect("counts"));
        let mut keys: Vec<&str> = sent.as_object().expect("object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["messages", "model", "system", "thinking", "tools"]);
        assert_eq!(sent["model"], "claude-x");
    }

    #[test]
    fn gemini_and_code_assist_bodies_carry_the_qualified_model() {
        let body = json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "systemInstruction": {"parts": [{"text": "s"}]}});
        let gemini = decoded(&count_body(Format::Gemini, &body, &target("gemini", "gemini-2.5-pro")).expect("counts"));
        assert_eq!(gemini["generateContentRequest"]["model"], "models/gemini-2.5-pro");
        assert_eq!(gemini["generateContentRequest"]["contents"], body["contents"]);
        let ca = decoded(&count_body(Format::Gemini, &body, &target("gc", "gemini-2.5-pro")).expect("counts"));
        assert_eq!(ca, json!({"request": {"model": "models/gemini-2.5-pro", "contents": body["contents"]}}));
        // An Anthropic client's body is translated for a Gemini upstream.
        let claude = json!({"model": "m", "system": "s", "messages": [{"role": "user", "content": "hello"}]});
        let sent = decoded(&count_body(Format::Anthropic, &claude, &target("gemini", "g")).expect("counts"));
        assert_eq!(sent["generateContentRequest"]["contents"][0]["parts"][0]["text"], "hello");
        // Formats without a count endpoint are not asked.
        assert!(count_body(Format::Anthropic, &claude, &target("openai", "gpt")).is_none());
    }

    #[test]
    fn gemini_estimates_read_a_wrapped_request_too() {
        let plain = json!({"contents": [{"role": "user", "parts": [{"text": "12345678"}]}]});
        let wrapped = json!({"generateContentRequest": plain.clone()});
        assert_eq!(local_estimate(Format::Gemini, &plain), local_estimate(Format::Gemini, &wrapped));
        assert!(local_estimate(Format::Gemini, &plain) > 0);
    }
}
