//! `/api/custom-providers`: user-defined OpenAI-, Responses- or Anthropic-compatible providers, each with its
//! own model prefix and base URL. Connections (API keys) are then added under `/api/providers` with the custom
//! provider's id, exactly as for built-in ones.
//!
//! Validation names the field; nothing is written unless the whole request is valid. A prefix may not be a
//! built-in provider id or alias, another custom provider's prefix, a combo or an alias name. Deleting a custom
//! provider that still has connections is refused with 409 (delete its connections first): silently removing
//! accounts, their keys and their routing history would be a surprise.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use http::{HeaderName, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{now_ms, parse_json};
use crate::error::{ApiError, ErrorKind};
use crate::http::{AdminSession, AppState};
use crate::providers::{self, CustomFormat, CustomProvider, MAX_PREFIX};
use crate::store::new_id;

/// Longest accepted display name.
const MAX_NAME: usize = 128;
/// Headers the HTTP client sets itself (framing and host); a custom value would corrupt the request.
const RESERVED_HEADERS: [&str; 4] = ["host", "content-length", "transfer-encoding", "connection"];

/// The request body of create and update.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomProviderRequest {
    name: String,
    prefix: String,
    format: String,
    base_url: String,
    #[serde(default)]
    chat_path: Option<String>,
    #[serde(default)]
    headers: Option<Map<String, Value>>,
    #[serde(default)]
    models: Option<Vec<String>>,
}

fn field_error(field: &str, problem: impl std::fmt::Display) -> ApiError {
    ApiError::invalid_request(format!("`{field}` {problem}"))
}

fn check_prefix(prefix: &str) -> Result<(), ApiError> {
    if providers::valid_prefix(prefix) {
        Ok(())
    } else {
        Err(field_error(
            "prefix",
            format!("`{prefix}` is invalid: 1-{MAX_PREFIX} of a-z, A-Z, 0-9, `-`, `_`, `.`, starting with a letter or digit"),
        ))
    }
}

fn check_base_url(base: &str) -> Result<(), ApiError> {
    url::Url::parse(base)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .map(|_| ())
        .ok_or_else(|| field_error("base_url", format!("is not an http(s) URL: {base}")))
}

fn check_chat_path(path: Option<&str>) -> Result<Option<String>, ApiError> {
    match path.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) if p.starts_with('/') && !p.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Ok(Some(p.to_owned()))
        }
        Some(p) => Err(field_error("chat_path", format!("must start with `/` and contain no spaces: {p}"))),
    }
}

fn check_headers(headers: Option<Map<String, Value>>) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for (name, value) in headers.unwrap_or_default() {
        let Value::String(value) = value else {
            return Err(field_error("headers", format!("value of `{name}` must be a string")));
        };
        let lower = name.to_ascii_lowercase();
        if HeaderName::try_from(lower.as_str()).is_err() {
            return Err(field_error("headers", format!("`{name}` is not a valid header name")));
        }
        if RESERVED_HEADERS.contains(&lower.as_str()) {
            return Err(field_error("headers", format!("`{name}` is set by the router itself")));
        }
        if HeaderValue::from_str(&value).is_err() {
            return Err(field_error("headers", format!("value of `{name}` is not a valid header value")));
        }
        out.push((lower, value));
    }
    Ok(out)
}

fn check_models(models: Option<Vec<String>>) -> Result<Vec<String>, ApiError> {
    let models: Vec<String> = models.unwrap_or_default().into_iter().map(|m| m.trim().to_owned()).collect();
    if models.iter().any(String::is_empty) {
        return Err(field_error("models", "must not contain empty names"));
    }
    Ok(models)
}

/// Validates a request against the static checks and what is stored; `id` is the provider being updated.
async fn validated(
    state: &AppState,
    request: CustomProviderRequest,
    id: Option<&str>,
) -> Result<CustomProvider, ApiError> {
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.len() > MAX_NAME {
        return Err(field_error("name", format!("must be 1-{MAX_NAME} characters")));
    }
    let prefix = request.prefix.trim().to_owned();
    check_prefix(&prefix)?;
    let format = CustomFormat::parse(request.format.trim()).ok_or_else(|| {
        field_error("format", format!("`{}` is not one of openai, responses, anthropic", request.format))
    })?;
    let base_url = request.base_url.trim().trim_end_matches('/').to_owned();
    check_base_url(&base_url)?;
    let chat_path = check_chat_path(request.chat_path.as_deref())?;
    let headers = check_headers(request.headers)?;
    let models = check_models(request.models)?;
    if let Some(builtin) = providers::find(&prefix) {
        return Err(field_error("prefix", format!("`{prefix}` is the built-in provider {}", builtin.name)));
    }
    let taken = state.repo.custom_providers().await?.into_iter().find(|c| c.prefix == prefix);
    if let Some(other) = taken.filter(|c| Some(c.id.as_str()) != id) {
        return Err(field_error("prefix", format!("`{prefix}` is already the prefix of `{}`", other.name)));
    }
    if state.repo.combo_by_name(&prefix).await?.is_some() {
        return Err(field_error("prefix", format!("`{prefix}` is a combo name")));
    }
    if state.repo.alias_target(&prefix).await?.is_some() {
        return Err(field_error("prefix", format!("`{prefix}` is a model alias")));
    }
    let id = match id {
        Some(id) => id.to_owned(),
        // The JS 9router's id scheme: `openai-compatible-<chat|responses>-…`, `anthropic-compatible-…`.
        None => {
            let suffix = new_id(state.random.as_ref());
            match format {
                CustomFormat::Openai => format!("openai-compatible-chat-{suffix}"),
                CustomFormat::Responses => format!("openai-compatible-responses-{suffix}"),
                CustomFormat::Anthropic => format!("anthropic-compatible-{suffix}"),
            }
        }
    };
    Ok(CustomProvider { id, prefix, name, format, base_url, chat_path, headers, models, created_at: now_ms(state) })
}

/// The API shape of a custom provider (headers as an object).
pub(super) fn to_json(p: &CustomProvider) -> Value {
    let headers: Map<String, Value> = p.headers.iter().map(|(n, v)| (n.clone(), Value::String(v.clone()))).collect();
    json!({
        "id": p.id,
        "prefix": p.prefix,
        "name": p.name,
        "format": p.format,
        "base_url": p.base_url,
        "chat_path": p.chat_path,
        "effective_chat_path": p.chat_path(),
        "headers": headers,
        "models": p.models,
        "created_at": p.created_at,
    })
}

/// `GET /api/custom-providers` → `{customProviders: [...]}`, each with its connection count.
pub(crate) async fn list_custom_providers(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    let connections = state.repo.list_connections().await?;
    let list: Vec<Value> = state
        .repo
        .custom_providers()
        .await?
        .iter()
        .map(|p| {
            let mut entry = to_json(p);
            if let Value::Object(map) = &mut entry {
                map.insert("connections".into(), json!(connections.iter().filter(|c| c.provider == p.id).count()));
            }
            entry
        })
        .collect();
    Ok(Json(json!({ "customProviders": list })))
}

/// `POST /api/custom-providers` `{name, prefix, format, base_url, chat_path?, headers?, models?}` → 201.
pub(crate) async fn create_custom_provider(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let provider = validated(&state, parse_json(&body)?, None).await?;
    state.repo.put_custom_provider(&provider, now_ms(&state)).await?;
    Ok((StatusCode::CREATED, Json(to_json(&provider))))
}

/// `PUT /api/custom-providers/{id}`: replaces every field (same body as create); the id stays.
pub(crate) async fn update_custom_provider(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request = parse_json(&body)?;
    let existing = state
        .repo
        .custom_provider(&id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, format!("no custom provider with id `{id}`")))?;
    let mut provider = validated(&state, request, Some(&id)).await?;
    provider.created_at = existing.created_at;
    state.repo.put_custom_provider(&provider, now_ms(&state)).await?;
    Ok(Json(to_json(&provider)))
}

/// `DELETE /api/custom-providers/{id}`: 409 while connections use it.
pub(crate) async fn delete_custom_provider(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let provider = state
        .repo
        .custom_provider(&id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, format!("no custom provider with id `{id}`")))?;
    let used = state.repo.list_connections().await?.iter().filter(|c| c.provider == id).count();
    if used > 0 {
        return Err(ApiError::new(
            ErrorKind::Conflict,
            format!("custom provider `{}` still has {used} connection(s); delete them first", provider.name),
        ));
    }
    state.repo.delete_custom_provider(&id).await?;
    Ok(Json(json!({ "ok": true })))
}
