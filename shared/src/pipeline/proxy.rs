//! One client request end to end, whatever its format: resolve the model to targets (a combo's list, an alias
//! or `provider/model`), try each target's accounts under the failure policy, relay the first answer.
//!
//! When the upstream speaks the client's format the request goes out as the client sent it (only `model`
//! changes) and the answer comes back untouched; otherwise the request is decoded once into the IR and encoded
//! per target, and the answer is translated back.

use axum::response::Response;
use bytes::Bytes;
use http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::attempt::{attempt, capture, AttemptResult, Exchange};
use super::attempts::Attempts;
use super::prompt_cache;
use super::resolve::{resolve, Target};
use crate::error::{ApiError, ErrorKind};
use crate::formats::{dispatch, Format};
use crate::http::AppState;
use crate::oauth::{Grant, GrantRequest, TokenError};
use crate::platform::UpstreamRequest;
use crate::providers::{quirks, AuthKind, Provider};
use crate::routing::affinity::{session_key, STICKY_TTL_MS};
use crate::routing::cooldown::ALL_MODELS;
use crate::routing::policy::FailureClass;
use crate::routing::select;
use crate::routing::state::{RoutingCommand, RoutingSnapshot};
use crate::store::{Connection, RoutingStrategy, Settings};
use crate::usage::UsageTracker;

/// Client headers forwarded to an upstream that speaks Anthropic's format.
const ANTHROPIC_FORWARDED: [&str; 2] = ["anthropic-beta", "anthropic-version"];

/// What the URL says, for formats that put the model and stream mode there (Gemini).
#[derive(Debug, Clone, Default)]
pub struct UrlRequest {
    /// Model from the path.
    pub model: Option<String>,
    /// Streaming method (`streamGenerateContent`).
    pub stream: bool,
    /// Streaming without `alt=sse`: the client wants a JSON array.
    pub json_array: bool,
}

/// The parts of a client request the router needs: its top-level fields, still raw JSON text borrowed from the
/// body, and what routing reads from them. Whatever a target needs below the top level (a JSON map to rewrite, or
/// the IR to translate) is parsed per target and freed before the upstream is called: many large requests in
/// flight then hold only their raw and encoded bytes.
struct ChatRequest<'a> {
    top: BTreeMap<String, &'a RawValue>,
    model: String,
    stream: bool,
    include_usage: bool,
}

/// The field holding the conversation in each format, checked before anything is sent anywhere.
fn conversation_field(format: Format) -> &'static str {
    match format {
        Format::OpenAiChat | Format::Anthropic | Format::Kiro => "messages",
        Format::OpenAiResponses => "input",
        Format::Gemini | Format::CodeAssist => "contents",
    }
}

/// The client's body as a JSON object, fully parsed (passthrough and session affinity need it).
fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_request("request body must be a JSON object")),
        Err(e) => Err(ApiError::invalid_request(format!("request body is not valid JSON: {e}"))),
    }
}

/// Reads and checks what routing needs from the body's top level; nested values are only scanned, not built.
fn decode<'a>(format: Format, body: &'a [u8], url: &UrlRequest) -> Result<ChatRequest<'a>, ApiError> {
    let top: BTreeMap<String, &RawValue> = match serde_json::from_slice(body) {
        Ok(top) => top,
        // Say which it is: not JSON at all, or JSON but not an object.
        Err(_) if serde_json::from_slice::<&RawValue>(body).is_ok() => {
            return Err(ApiError::invalid_request("request body must be a JSON object"))
        }
        Err(e) => return Err(ApiError::invalid_request(format!("request body is not valid JSON: {e}"))),
    };
    let kind = |name: &str| top.get(name).and_then(|raw| raw.get().as_bytes().first().copied());
    let model = match (&url.model, top.get("model")) {
        (Some(model), _) => model.clone(),
        (None, Some(raw)) => serde_json::from_str::<String>(raw.get())
            .map_err(|_| ApiError::invalid_request("`model` must be a string"))?,
        (None, None) => return Err(ApiError::invalid_request("missing required field `model`")),
    };
    let stream = match top.get("stream") {
        _ if url.model.is_some() => url.stream,
        None => false,
        Some(raw) => serde_json::from_str::<Option<bool>>(raw.get())
            .map_err(|_| ApiError::invalid_request("`stream` must be a boolean"))?
            .unwrap_or(false),
    };
    let field = conversation_field(format);
    match (format, kind(field)) {
        (_, Some(b'[')) | (Format::OpenAiResponses, Some(b'"')) => {}
        (_, Some(_)) => return Err(ApiError::invalid_request(format!("`{field}` must be an array"))),
        (_, None) => return Err(ApiError::invalid_request(format!("missing required field `{field}`"))),
    }
    let include_usage = top
        .get("stream_options")
        .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
        .and_then(|o| o.get("include_usage").and_then(Value::as_bool))
        .unwrap_or(false);
    Ok(ChatRequest { top, model, stream, include_usage })
}

/// The request to one account. OAuth accounts (`grant`) get their bearer, their own base URL if the provider
/// gives one (Qwen), and the provider's quirks; every URL passes through the configured overrides.
#[expect(clippy::too_many_arguments, reason = "one request's parts, built in one place")]
pub(super) fn upstream_request(
    state: &AppState,
    connection: &Connection,
    provider: &Provider,
    model: &str,
    body: Bytes,
    stream: bool,
    client_headers: &HeaderMap,
    grant: Option<&Grant>,
) -> UpstreamRequest {
    let base = connection
        .base_url
        .as_deref()
        .or_else(|| grant.and_then(|g| g.base_url.as_deref()))
        .unwrap_or(provider.base_url());
    let url = state.config.url_overrides.apply(&provider.chat_url(base, model, stream));
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let accept = if stream { "text/event-stream" } else { "application/json" };
    headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
    for (name, value) in provider.headers() {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            headers.insert(name, value);
        }
    }
    if provider.format() == Format::Anthropic {
        for name in ANTHROPIC_FORWARDED {
            if let Some(value) = client_headers.get(name) {
                headers.insert(name, value.clone());
            }
        }
    }
    let body = match grant {
        Some(grant) => {
            let now = state.clock.now_ms();
            quirks::apply_oauth(provider.id(), grant, &mut headers, body, now, state.random.as_ref())
        }
        None => {
            if let Some(key) = connection.api_key.as_deref() {
                let (name, value) = match provider.auth() {
                    AuthKind::BearerKey => (header::AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {key}"))),
                    AuthKind::XApiKey => (HeaderName::from_static("x-api-key"), HeaderValue::from_str(key)),
                    AuthKind::GoogApiKey => (HeaderName::from_static("x-goog-api-key"), HeaderValue::from_str(key)),
                };
                if let Ok(mut value) = value {
                    value.set_sensitive(true);
                    headers.insert(name, value);
                }
            }
            body
        }
    };
    let mut request = UpstreamRequest { method: Method::POST, url, headers, body };
    quirks::for_account(provider, connection, &mut request, state.random.as_ref());
    request
}

/// The body for `target`: the client's own JSON with the model replaced when the upstream speaks the client's
/// format, else the IR encoded in the upstream's format; then the provider's body quirks. Both are parsed from
/// `raw` here and dropped on return (a fallback target parses again).
fn target_body(
    client: Format,
    raw: &[u8],
    request: &ChatRequest<'_>,
    target: &Target,
    prompt_caching: bool,
) -> Result<Bytes, ApiError> {
    let encode_failed = |e: serde_json::Error| {
        ApiError::new(ErrorKind::Internal, format!("could not encode the upstream request: {e}"))
    };
    let provider = &target.provider;
    let caching = prompt_caching && provider.format() == Format::Anthropic;
    if provider.format() == client {
        // Breakpoints are placed only in a body that has none (`prompt_cache::place_in_anthropic_body`).
        let has_breakpoints = || {
            prompt_cache::BREAKPOINT_FIELDS
                .iter()
                .any(|field| request.top.get(*field).is_some_and(|raw| prompt_cache::raw_has_cache_control(raw.get())))
        };
        let needs_placement = caching && !has_breakpoints();
        if !quirks::rewrites_body(provider) && !needs_placement {
            return splice_top_level(client, request, target).map_err(encode_failed);
        }
        let mut body = parse_object(raw)?;
        if caching {
            prompt_cache::place_in_anthropic_body(&mut body);
        }
        for (name, value) in passthrough_changes(client, request, target) {
            body.insert(name.to_owned(), value);
        }
        quirks::rewrite_body(provider, &mut body);
        return serde_json::to_vec(&body).map(Bytes::from).map_err(encode_failed);
    }
    let mut ir = dispatch::decode_request(client, raw).map_err(|e| ApiError::invalid_request(e.to_string()))?;
    // `extra` holds fields only the client's own format understands; another format's upstream would reject them
    // (same-format requests never come through here: they pass through untouched).
    ir.extra.clear();
    ir.model.clone_from(&target.model);
    ir.stream = quirks::upstream_stream(provider, request.stream);
    if caching {
        prompt_cache::place_in_ir(&mut ir);
    }
    let body = quirks::encode_request(provider, &mut ir);
    drop(ir);
    if quirks::rewrites_body(provider) {
        if let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(&body) {
            quirks::rewrite_body(provider, &mut map);
            return serde_json::to_vec(&map).map(Bytes::from).map_err(encode_failed);
        }
    }
    Ok(Bytes::from(body))
}

/// The top-level fields a same-format body gets replaced: the model (Gemini bodies carry none: it is in the URL)
/// and, for OpenAI Chat streams, `stream_options` asking for usage. Usage is recorded for every stream, so
/// OpenAI-format upstreams are asked for it even when the client did not (the relay then keeps the extra usage
/// chunk from that client).
fn passthrough_changes(client: Format, request: &ChatRequest<'_>, target: &Target) -> Vec<(&'static str, Value)> {
    let mut changes = Vec::with_capacity(2);
    if client != Format::Gemini {
        changes.push(("model", Value::String(target.model.clone())));
    }
    if client == Format::OpenAiChat && request.stream && !request.include_usage {
        changes.push(("stream_options", serde_json::json!({ "include_usage": true })));
    }
    changes
}

/// The client's body with only [`passthrough_changes`] applied: every other top-level value is copied as sent,
/// without parsing it.
fn splice_top_level(client: Format, request: &ChatRequest<'_>, target: &Target) -> Result<Bytes, serde_json::Error> {
    let changes = passthrough_changes(client, request, target)
        .into_iter()
        .map(|(name, value)| Ok((name, serde_json::value::to_raw_value(&value)?)))
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    let mut body: BTreeMap<&str, &RawValue> = request.top.iter().map(|(name, raw)| (name.as_str(), *raw)).collect();
    for (name, raw) in &changes {
        body.insert(name, raw);
    }
    serde_json::to_vec(&body).map(Bytes::from)
}

/// Handles one client request of format `client` end to end.
///
/// # Errors
/// An [`ApiError`] (the caller renders it in the client's format) for bad input, unknown models, missing
/// connections, or when every account of every target failed or is cooling down.
pub async fn proxy(
    state: &AppState,
    client: Format,
    raw_body: &[u8],
    url: &UrlRequest,
    client_headers: &HeaderMap,
    tracker: &mut Option<UsageTracker>,
) -> Result<Response, ApiError> {
    let request = decode(client, raw_body, url)?;
    if let Some(t) = tracker {
        t.requested_model(&request.model);
    }
    let route = resolve(&state.repo, &request.model).await?;
    if let Some(c) = capture(tracker) {
        let targets = route
            .targets
            .iter()
            .map(|t| (t.provider.id().to_owned(), t.model.clone(), t.provider.format().name().to_owned()))
            .collect();
        c.resolved(&request.model, request.stream, targets);
    }
    let settings = state.repo.settings().await?;
    let mut attempts = Attempts::default();
    let session = if settings.session_affinity { session_key(client_headers, &parse_object(raw_body)?) } else { None };
    for target in &route.targets {
        let body = target_body(client, raw_body, &request, target, settings.prompt_caching)?;
        let exchange = Exchange {
            client,
            upstream: target.provider.format(),
            stream: request.stream,
            upstream_stream: quirks::upstream_stream(&target.provider, request.stream),
            include_usage: request.include_usage,
            json_array: url.json_array,
        };
        let outbound = Outbound { body: &body, exchange, client_headers, session: session.as_deref() };
        let outcome = try_target(state, &settings, target, outbound, &mut attempts, tracker).await?;
        if let Some(response) = outcome {
            return Ok(response);
        }
    }
    Err(attempts.into_error(&request.model, state.clock.now_ms()))
}

/// Records that `session` sticks to `account`, unless the snapshot already says so for long enough (a steady
/// conversation writes at most once per half TTL).
async fn stick(state: &AppState, provider: &str, snapshot: &RoutingSnapshot, session: Option<&str>, account: &str) {
    let Some(session) = session else { return };
    let now = state.clock.now_ms();
    let fresh =
        snapshot.sessions.get(session).is_some_and(|s| s.account == account && s.until_ms > now + STICKY_TTL_MS / 2);
    if !fresh {
        let command = RoutingCommand::Stick {
            session: session.to_owned(),
            account: account.to_owned(),
            until_ms: now + STICKY_TTL_MS,
            now_ms: now,
        };
        let _ = state.routing.apply(provider, command).await;
    }
}

/// What goes to every account of one target.
#[derive(Clone, Copy)]
struct Outbound<'a> {
    body: &'a Bytes,
    exchange: Exchange,
    client_headers: &'a HeaderMap,
    /// The conversation's key, when session affinity is on.
    session: Option<&'a str>,
}

/// The order in which `connections` of provider `provider_id` are tried for `model`, and the routing snapshot it
/// comes from (read with `turn_key` to take a round-robin turn, without to only look). Routing state that cannot
/// be read counts as empty: trying accounts beats refusing the request.
pub(super) async fn account_plan<'c>(
    state: &AppState,
    settings: &Settings,
    provider_id: &str,
    model: &str,
    connections: &'c [Connection],
    turn_key: Option<String>,
) -> (RoutingSnapshot, select::Plan<'c>) {
    let read = RoutingCommand::Snapshot { turn_key };
    let snapshot = state.routing.apply(provider_id, read).await.unwrap_or_default();
    let plan = select::plan(
        connections,
        model,
        &snapshot,
        settings.routing_strategy,
        snapshot.turn,
        settings.sticky_round_robin_limit,
        state.clock.now_ms(),
    );
    (snapshot, plan)
}

/// Tries `target`'s accounts in the order the settings choose; `None` when none could serve it.
async fn try_target(
    state: &AppState,
    settings: &Settings,
    target: &Target,
    outbound: Outbound<'_>,
    attempts: &mut Attempts,
    tracker: &mut Option<UsageTracker>,
) -> Result<Option<Response>, ApiError> {
    let Outbound { body, exchange, client_headers, session } = outbound;
    let (provider, model) = (&target.provider, target.model.as_str());
    let connections = state.repo.enabled_connections(provider.id()).await?;
    if connections.is_empty() {
        attempts.skipped(
            ApiError::invalid_request(format!(
                "provider `{}` has no enabled connection; add one in the dashboard (Providers)",
                provider.id()
            ))
            .with_code("provider_not_connected"),
        );
        return Ok(None);
    }
    if !connections.iter().any(|c| select::offers(c, model)) {
        attempts.skipped(
            ApiError::new(ErrorKind::NotFound, format!("no connection of `{}` offers model `{model}`", provider.id()))
                .with_code("model_not_found"),
        );
        return Ok(None);
    }

    let round_robin = settings.routing_strategy == RoutingStrategy::RoundRobin;
    let turn_key = round_robin.then(|| model.to_owned());
    let (snapshot, mut plan) = account_plan(state, settings, provider.id(), model, &connections, turn_key).await;
    let now = state.clock.now_ms();
    if let Some(account) = session.and_then(|s| snapshot.sticky_account(s, now)) {
        plan.prefer(account);
    }
    for until in plan.cooling_until {
        attempts.cooling(until);
    }
    for connection in plan.order {
        // An OAuth account whose token an upstream rejects is refreshed and tried once more.
        let mut rejected: Option<String> = None;
        let mut retried = false;
        loop {
            let grant = if connection.auth_type == "oauth" {
                match oauth_grant(state, connection, rejected.take()).await {
                    Ok(grant) => Some(grant),
                    Err(err) => {
                        let class = match err {
                            TokenError::Unavailable(_) => FailureClass::Unreachable,
                            _ => FailureClass::AuthFailed,
                        };
                        let detail = format!("account `{}`: {err}", connection.name);
                        if let Some(c) = capture(tracker) {
                            c.failed_attempt(&detail);
                        }
                        fail(state, provider.id(), &connection.id, model, (class, None, detail), attempts).await;
                        break;
                    }
                }
            } else {
                None
            };
            let upstream = upstream_request(
                state,
                connection,
                provider,
                model,
                body.clone(),
                exchange.upstream_stream,
                client_headers,
                grant.as_ref(),
            );
            if let Some(t) = tracker {
                t.attempt(provider.id(), &connection.id, model, exchange.upstream.name());
            }
            if let Some(c) = capture(tracker) {
                c.upstream_request(provider.id(), &upstream);
            }
            match attempt(state, &connection.name, upstream, exchange, tracker).await {
                AttemptResult::Delivered { response, success } => {
                    if success {
                        stick(state, provider.id(), &snapshot, session, &connection.id).await;
                    }
                    if success && snapshot.has_record(&connection.id, model) {
                        let succeed =
                            RoutingCommand::Succeed { account: connection.id.clone(), model: model.to_owned() };
                        let _ = state.routing.apply(provider.id(), succeed).await;
                    }
                    return Ok(Some(response));
                }
                AttemptResult::Failed { class: FailureClass::AuthFailed, .. } if grant.is_some() && !retried => {
                    retried = true;
                    rejected = grant.map(|g| g.bearer);
                }
                AttemptResult::Failed { class, retry_after_ms, detail } => {
                    if let Some(c) = capture(tracker) {
                        c.failed_attempt(&detail);
                    }
                    fail(state, provider.id(), &connection.id, model, (class, retry_after_ms, detail), attempts).await;
                    break;
                }
            }
        }
    }
    Ok(None)
}

/// A fresh token for an OAuth account (after `rejected`, when an upstream refused that one).
pub(super) async fn oauth_grant(
    state: &AppState,
    connection: &Connection,
    rejected: Option<String>,
) -> Result<Grant, TokenError> {
    let request = GrantRequest {
        connection_id: connection.id.clone(),
        provider: connection.provider.clone(),
        rejected,
        reload: false,
    };
    state.tokens.grant(&request).await
}

/// Records a failed account: cools it down in the routing state and notes the failure for the final error.
async fn fail(
    state: &AppState,
    provider: &str,
    account: &str,
    model: &str,
    (class, retry_after_ms, detail): (FailureClass, Option<u64>, String),
    attempts: &mut Attempts,
) {
    let now = state.clock.now_ms();
    // Rejected credentials concern the whole account, not just this model.
    let scope = if class == FailureClass::AuthFailed { ALL_MODELS } else { model };
    let fail = RoutingCommand::Fail {
        account: account.to_owned(),
        model: scope.to_owned(),
        class,
        retry_after_ms,
        now_ms: now,
    };
    let until = match state.routing.apply(provider, fail).await {
        Ok(after) => after.cooling_until(account, model, now).unwrap_or(now),
        Err(_) => now.saturating_add(retry_after_ms.unwrap_or_else(|| crate::routing::policy::backoff_ms(class, 1))),
    };
    attempts.failed(class, detail, until);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_names_the_problem() {
        let err = |b: &str| {
            decode(Format::OpenAiChat, b.as_bytes(), &UrlRequest::default())
                .err()
                .map(|e| e.message)
                .unwrap_or_default()
        };
        assert!(err("{").contains("not valid JSON"));
        assert!(err("[]").contains("JSON object"));
        assert!(err(r#"{"messages":[]}"#).contains("`model`"));
        assert!(err(r#"{"model":"openai/x"}"#).contains("`messages`"));
        assert!(err(r#"{"model":"openai/x","messages":[],"stream":"yes"}"#).contains("`stream`"));
        let ok =
            decode(Format::OpenAiChat, br#"{"model":"openai/x","messages":[],"stream":true}"#, &UrlRequest::default())
                .expect("valid");
        assert!(ok.stream);
    }
}
