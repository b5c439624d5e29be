//! `POST /v1/chat/completions` for OpenAI-format upstreams: the request is forwarded with the routed model
//! name, the response (JSON or SSE) is relayed as it arrives, never buffered whole.

use axum::response::Response;
use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method};
use serde_json::Value;

use super::attempt::{attempt, AttemptResult};
use super::attempts::Attempts;
use crate::error::{ApiError, ErrorKind};
use crate::http::AppState;
use crate::platform::UpstreamRequest;
use crate::providers::ProviderSpec;
use crate::routing::cooldown::CooldownCommand;
use crate::routing::model_ref::{self, ModelRefError};
use crate::routing::policy;
use crate::store::Connection;

/// The parts of a chat request the router needs; the rest is forwarded untouched.
struct ChatRequest {
    body: serde_json::Map<String, Value>,
    model: String,
    stream: bool,
}

fn decode(body: &[u8]) -> Result<ChatRequest, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid_request(format!("request body is not valid JSON: {e}")))?;
    let Value::Object(body) = value else {
        return Err(ApiError::invalid_request(
            "request body must be a JSON object",
        ));
    };
    let model = match body.get("model") {
        Some(Value::String(m)) => m.clone(),
        Some(_) => return Err(ApiError::invalid_request("`model` must be a string")),
        None => return Err(ApiError::invalid_request("missing required field `model`")),
    };
    let stream = match body.get("stream") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::invalid_request("`stream` must be a boolean")),
    };
    match body.get("messages") {
        Some(Value::Array(_)) => {}
        Some(_) => return Err(ApiError::invalid_request("`messages` must be an array")),
        None => {
            return Err(ApiError::invalid_request(
                "missing required field `messages`",
            ))
        }
    }
    Ok(ChatRequest {
        body,
        model,
        stream,
    })
}

fn model_error(err: &ModelRefError) -> ApiError {
    match err {
        ModelRefError::UnknownProvider(..) => {
            ApiError::new(ErrorKind::NotFound, err.to_string()).with_code("model_not_found")
        }
        ModelRefError::Empty | ModelRefError::MissingPrefix(..) => {
            ApiError::invalid_request(err.to_string()).with_code("model_not_found")
        }
    }
}

/// Whether `connection` serves `model`. Without an explicit list any model is passed through: providers add
/// models faster than tables do.
fn offers(connection: &Connection, model: &str) -> bool {
    match &connection.models {
        Some(models) if !models.is_empty() => models.iter().any(|m| m == model),
        _ => true,
    }
}

fn upstream_request(
    connection: &Connection,
    provider: &ProviderSpec,
    body: Bytes,
    stream: bool,
) -> UpstreamRequest {
    let base = connection
        .base_url
        .as_deref()
        .unwrap_or(provider.base_url)
        .trim_end_matches('/');
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let accept = if stream {
        "text/event-stream"
    } else {
        "application/json"
    };
    headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
    if let Some(key) = connection.api_key.as_deref() {
        if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {key}")) {
            value.set_sensitive(true);
            headers.insert(header::AUTHORIZATION, value);
        }
    }
    UpstreamRequest {
        method: Method::POST,
        url: format!("{base}{}", provider.chat_path),
        headers,
        body,
    }
}

/// Handles one chat completion request end to end.
///
/// # Errors
/// An [`ApiError`] in OpenAI format for bad input, unknown models, missing connections, or when every account
/// failed or is cooling down.
pub async fn proxy(state: &AppState, raw_body: &[u8]) -> Result<Response, ApiError> {
    let mut request = decode(raw_body)?;
    let target = model_ref::parse(&request.model).map_err(|e| model_error(&e))?;
    let (provider, model) = (target.provider, target.model.to_owned());

    let connections = state.repo.enabled_connections(provider.id).await?;
    if connections.is_empty() {
        return Err(ApiError::invalid_request(format!(
            "provider `{}` has no enabled connection; add one in the dashboard (Providers)",
            provider.id
        ))
        .with_code("provider_not_connected"));
    }
    let candidates: Vec<&Connection> = connections.iter().filter(|c| offers(c, &model)).collect();
    if candidates.is_empty() {
        return Err(ApiError::new(
            ErrorKind::NotFound,
            format!("no connection of `{}` offers model `{model}`", provider.id),
        )
        .with_code("model_not_found"));
    }

    request
        .body
        .insert("model".into(), Value::String(model.clone()));
    let body = Bytes::from(serde_json::to_vec(&request.body).map_err(|e| {
        ApiError::new(
            ErrorKind::Internal,
            format!("could not encode the upstream request: {e}"),
        )
    })?);

    let mut attempts = Attempts::default();
    for connection in candidates {
        let now = state.clock.now_ms();
        // Fail open: if per-account state is unreachable, trying the account beats refusing the request.
        let book = state
            .accounts
            .cooldowns(&connection.id)
            .await
            .unwrap_or_default();
        if let Some(until) = book.cooling_until(&model, now) {
            attempts.cooling(until);
            continue;
        }
        let upstream = upstream_request(connection, provider, body.clone(), request.stream);
        let (class, retry_after, detail) =
            match attempt(state, &connection.name, upstream, request.stream).await {
                AttemptResult::Delivered { response, success } => {
                    if success && book.entries.contains_key(&model) {
                        let succeed = CooldownCommand::Succeed {
                            model: model.clone(),
                        };
                        let _ = state.accounts.apply(&connection.id, succeed).await;
                    }
                    return Ok(response);
                }
                AttemptResult::Failed {
                    class,
                    retry_after_ms,
                    detail,
                } => (class, retry_after_ms, detail),
            };
        let command = CooldownCommand::Fail {
            model: model.clone(),
            class,
            retry_after_ms: retry_after,
            now_ms: now,
        };
        let until = match state.accounts.apply(&connection.id, command).await {
            Ok(book) => book.cooling_until(&model, now).unwrap_or(now),
            Err(_) => {
                now.saturating_add(retry_after.unwrap_or_else(|| policy::backoff_ms(class, 1)))
            }
        };
        attempts.failed(class, detail, until);
    }
    Err(attempts.into_error(&request.model, state.clock.now_ms()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_names_the_problem() {
        let err = |b: &str| {
            decode(b.as_bytes())
                .err()
                .map(|e| e.message)
                .unwrap_or_default()
        };
        assert!(err("{").contains("not valid JSON"));
        assert!(err("[]").contains("JSON object"));
        assert!(err(r#"{"messages":[]}"#).contains("`model`"));
        assert!(err(r#"{"model":"openai/x"}"#).contains("`messages`"));
        assert!(err(r#"{"model":"openai/x","messages":[],"stream":"yes"}"#).contains("`stream`"));
        let ok = decode(br#"{"model":"openai/x","messages":[],"stream":true}"#).expect("valid");
        assert!(ok.stream);
    }
}
