//! `GET /api/providers/catalog` (every provider of the table with how it connects) and
//! `POST /api/providers/{id}/test` (a cheap authenticated call per connection).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use futures::future::{select, Either};
use http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::{json, Value};

use crate::error::{ApiError, ErrorKind};
use crate::http::{AdminSession, AppState};
use crate::oauth::providers::{self as oauth_providers, FlowKind};
use crate::oauth::GrantRequest;
use crate::platform::UpstreamRequest;
use crate::providers::{self, quirks, AuthKind};

/// A test call gives up after this long.
const TEST_TIMEOUT_MS: u64 = 15_000;

/// `GET /api/providers/catalog`: the built-in table, then the custom providers (`custom: true`, API keys only).
pub(crate) async fn catalog(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    let mut entries: Vec<Value> = providers::PROVIDERS
        .iter()
        .map(|p| {
            let oauth = oauth_providers::find(p.id);
            let flows: &[FlowKind] = oauth.map_or(&[], |o| o.flows);
            json!({
                "id": p.id,
                "alias": p.alias,
                "name": p.name,
                "format": p.format,
                "auth": if oauth.is_some() { "oauth" } else { "api_key" },
                "flows": flows,
                "notice": oauth.and_then(|o| o.notice),
                "defaultModels": p.default_models,
            })
        })
        .collect();
    entries.extend(state.repo.custom_providers().await?.iter().map(|p| {
        json!({
            "id": p.id,
            "alias": p.prefix,
            "name": p.name,
            "format": p.format.wire(),
            "auth": "api_key",
            "flows": [],
            "notice": null,
            "defaultModels": p.models,
            "custom": true,
            "customFormat": p.format,
            "baseUrl": p.base_url,
        })
    }));
    Ok(Json(Value::Array(entries)))
}

/// `POST /api/providers/{id}/test` → `{ok, status?, message, latencyMs}`: fetches a fresh token for OAuth
/// accounts, then lists the upstream's models with the account's credentials.
pub(crate) async fn test_connection(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let connection = state
        .repo
        .connection(&id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, format!("no connection with id `{id}`")))?;
    let provider = state
        .repo
        .provider_by_id(&connection.provider)
        .await?
        .ok_or_else(|| ApiError::invalid_request(format!("unknown provider `{}`", connection.provider)))?;
    let started = state.clock.now_ms();
    let elapsed = |state: &AppState| state.clock.now_ms().saturating_sub(started);
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    for (name, value) in provider.headers() {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            headers.insert(name, value);
        }
    }
    let mut base = connection.base_url.clone();
    if connection.auth_type == "oauth" {
        let request = GrantRequest {
            connection_id: connection.id.clone(),
            provider: connection.provider.clone(),
            rejected: None,
            reload: false,
        };
        match state.tokens.grant(&request).await {
            Ok(grant) => {
                base = base.or_else(|| grant.base_url.clone());
                let now = state.clock.now_ms();
                let _ = quirks::apply_oauth(
                    provider.id(),
                    &grant,
                    &mut headers,
                    bytes::Bytes::new(),
                    now,
                    state.random.as_ref(),
                );
            }
            Err(err) => {
                return Ok(Json(json!({ "ok": false, "message": err.to_string(), "latencyMs": elapsed(&state) })));
            }
        }
    } else if let Some(key) = connection.api_key.as_deref() {
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
    let base = base.as_deref().unwrap_or(provider.base_url()).trim_end_matches('/');
    // Every format's upstream lists models under `<base>/models` (OpenAI, Anthropic, Gemini, Copilot).
    let url = state.config.url_overrides.apply(&format!("{base}/models"));
    let request = UpstreamRequest { method: Method::GET, url, headers, body: bytes::Bytes::new() };
    let outcome = match select(state.http.send(request), state.clock.sleep(TEST_TIMEOUT_MS)).await {
        Either::Left((Ok(response), _)) => {
            let status = response.status;
            let ok = (200..300).contains(&status);
            let message = match status {
                _ if ok => "connected: the upstream accepted the credentials".to_owned(),
                401 | 403 => format!("the upstream rejected the credentials (HTTP {status})"),
                _ => format!("the upstream answered HTTP {status}"),
            };
            json!({ "ok": ok, "status": status, "message": message, "latencyMs": elapsed(&state) })
        }
        Either::Left((Err(err), _)) => json!({ "ok": false, "message": err.to_string(), "latencyMs": elapsed(&state) }),
        Either::Right(_) => json!({ "ok": false, "message": "no answer in time", "latencyMs": elapsed(&state) }),
    };
    Ok(Json(outcome))
}
