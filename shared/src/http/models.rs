//! Model lists in each client's own format: OpenAI (`GET /v1/models`), Anthropic (the same path when the client
//! sends `anthropic-version`, as the Anthropic SDKs do) and Gemini (`GET /v1beta/models`). Every list holds
//! `provider/model` for each provider with an enabled connection, then combos and aliases.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use http::HeaderMap;
use serde_json::{json, Value};

use super::{AppState, ClientKey};
use crate::error::ApiError;

/// One routable model name and who offers it (`provider id`, `combo` or `alias`).
struct Entry {
    id: String,
    owner: String,
}

async fn entries(state: &AppState) -> Result<Vec<Entry>, ApiError> {
    let connections = state.repo.list_connections().await?;
    let mut models: Vec<(String, String)> = Vec::new();
    for connection in connections.iter().filter(|c| c.enabled) {
        let Some(provider) = state.repo.provider_by_id(&connection.provider).await? else {
            continue;
        };
        let names: Vec<&str> = match &connection.models {
            Some(list) if !list.is_empty() => list.iter().map(String::as_str).collect(),
            _ => provider.default_models(),
        };
        // Built-ins are listed under their id, custom providers under their prefix (their id is not a prefix).
        let prefix = if provider.builtin().is_some() { provider.id() } else { provider.prefix() };
        models.extend(names.into_iter().map(|m| (format!("{prefix}/{m}"), provider.id().to_owned())));
    }
    models.sort();
    models.dedup();
    models.extend(state.repo.list_combos().await?.into_iter().map(|c| (c.name, "combo".to_owned())));
    models.extend(state.repo.list_aliases().await?.into_iter().map(|a| (a.alias, "alias".to_owned())));
    Ok(models.into_iter().map(|(id, owner)| Entry { id, owner }).collect())
}

/// `GET /v1/models`: OpenAI's list (`owned_by` says provider, combo or alias), or Anthropic's
/// (<https://docs.anthropic.com/en/api/models-list>) when the request carries `anthropic-version`.
pub(super) async fn models(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    _key: ClientKey,
) -> Result<Json<Value>, ApiError> {
    let list = entries(&state).await?;
    if headers.contains_key("anthropic-version") {
        let data: Vec<Value> = list
            .iter()
            .map(|e| json!({ "type": "model", "id": e.id, "display_name": e.id, "created_at": "1970-01-01T00:00:00Z" }))
            .collect();
        let first = list.first().map(|e| e.id.as_str());
        let last = list.last().map(|e| e.id.as_str());
        return Ok(Json(json!({ "data": data, "has_more": false, "first_id": first, "last_id": last })));
    }
    let data: Vec<Value> =
        list.into_iter().map(|e| json!({ "id": e.id, "object": "model", "created": 0, "owned_by": e.owner })).collect();
    Ok(Json(json!({ "object": "list", "data": data })))
}

/// `GET /v1beta/models`: Gemini's list (<https://ai.google.dev/api/models#method:-models.list>); each name is
/// `models/<routable name>`, usable as the model of `generateContent` and `streamGenerateContent`.
pub(super) async fn gemini_models(
    State(state): State<Arc<AppState>>,
    _key: ClientKey,
) -> Result<Json<Value>, ApiError> {
    let models: Vec<Value> = entries(&state)
        .await?
        .into_iter()
        .map(|e| {
            json!({
                "name": format!("models/{}", e.id),
                "displayName": e.id,
                "description": format!("routed by 9router ({})", e.owner),
                "supportedGenerationMethods": ["generateContent", "streamGenerateContent", "countTokens"],
            })
        })
        .collect();
    Ok(Json(json!({ "models": models })))
}
