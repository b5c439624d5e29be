//! The end of every login (pasted code, device flow, import): make the credentials usable, learn what requests
//! need from the account (connection metadata), and save — as a new connection, or into an existing one when the
//! flow was started to reconnect it.
//!
//! Metadata written per provider (read back by `providers/quirks`): Codex `chatgpt_account_id` (the id token's
//! claim; quirks/codex.rs sends it as `chatgpt-account-id`), Gemini CLI / Antigravity `project_id` (Code Assist
//! discovery; quirks/code_assist.rs puts it in the envelope), Kiro `region`, `auth_method` and, when known,
//! `profile_arn` (quirks/kiro.rs puts it in the body).
//!
//! Reconnecting replaces the sealed credentials (status back to `active`), keeps the connection's id, name,
//! priority, models and metadata (facts learnt at this login overwrite their own keys only), clears the account's
//! credential cool-down, and makes the token holder (broker / Durable Object) reload the new credentials.

use serde_json::{Map, Value};

use super::broker::seal;
use super::code_assist;
use super::credentials::Credentials;
use super::endpoint::Endpoints;
use super::exchange::{self, ExchangeError};
use super::providers::{OAuthProvider, Refresh};
use super::GrantRequest;
use crate::error::{ApiError, ErrorKind};
use crate::http::AppState;
use crate::providers::ProviderSpec;
use crate::routing::cooldown::ALL_MODELS;
use crate::routing::state::RoutingCommand;
use crate::store::{new_id, Connection};

pub(crate) fn endpoints(state: &AppState) -> Endpoints<'_> {
    Endpoints { http: state.http.as_ref(), clock: state.clock.as_ref(), urls: &state.config.url_overrides }
}

pub(crate) fn internal(err: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorKind::Internal, err.to_string())
}

pub(crate) fn exchange_error(err: ExchangeError) -> ApiError {
    match err {
        ExchangeError::Rejected(why) => {
            ApiError::invalid_request(format!("the provider rejected the login: {why}")).with_code("oauth_rejected")
        }
        ExchangeError::Transient(why) => {
            ApiError::new(ErrorKind::BadGateway, format!("the provider could not be reached: {why}"))
        }
    }
}

fn now_i64(state: &AppState) -> i64 {
    i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX)
}

/// The OAuth connection `id` of provider `spec`, which a reconnect flow may replace the credentials of.
///
/// # Errors
/// [`ApiError`] 404 when there is no such connection, 400 when it belongs to another provider or takes a key.
pub async fn reconnect_target(state: &AppState, spec: &ProviderSpec, id: &str) -> Result<Connection, ApiError> {
    let connection = state
        .repo
        .connection(id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, format!("no connection with id `{id}`")))?;
    if connection.provider != spec.id || connection.auth_type != "oauth" {
        return Err(ApiError::invalid_request(format!(
            "connection `{id}` is not an OAuth account of provider `{}`",
            spec.id
        )));
    }
    Ok(connection)
}

/// Copilot accounts are usable only once the GitHub token has been exchanged for a Copilot token; other
/// providers' tokens are refreshed first only when missing or about to expire (imports).
async fn usable(state: &AppState, oauth: &OAuthProvider, credentials: Credentials) -> Result<Credentials, ApiError> {
    let needs_call = oauth.refresh == Refresh::CopilotExchange
        || credentials.access_token.is_empty()
        || credentials.needs_refresh(oauth, state.clock.now_ms());
    if !needs_call {
        return Ok(credentials);
    }
    exchange::refresh(endpoints(state), oauth, &credentials, state.clock.now_ms()).await.map_err(exchange_error)
}

/// What requests of this account need, learnt now (see the module docs).
async fn account_metadata(
    state: &AppState,
    spec: &ProviderSpec,
    credentials: &mut Credentials,
) -> Result<Map<String, Value>, ApiError> {
    let mut metadata = Map::new();
    let mut put = |key: &str, value: &str| {
        metadata.insert(key.to_owned(), Value::String(value.to_owned()));
    };
    match spec.id {
        "codex" => {
            if let Some(account) = credentials.account_id.as_deref() {
                put("chatgpt_account_id", account);
            }
        }
        "gemini-cli" | "antigravity" => {
            let project = code_assist::discover_project(endpoints(state), spec, &credentials.access_token)
                .await
                .map_err(exchange_error)?;
            put("project_id", &project);
            if credentials.email.is_none() {
                credentials.email = code_assist::email(endpoints(state), &credentials.access_token).await;
            }
        }
        "kiro" => {
            put("region", credentials.region.as_deref().unwrap_or(super::kiro::DEFAULT_REGION));
            put("auth_method", if credentials.oidc_client_id.is_some() { "builder-id" } else { "social" });
            if let Some(arn) = credentials.profile_arn.as_deref() {
                put("profile_arn", arn);
            }
        }
        _ => {}
    }
    Ok(metadata)
}

/// Finishes a login: usable credentials, account metadata, then a new connection — or, with `reconnect`, the
/// existing connection's credentials replaced.
///
/// # Errors
/// [`ApiError`] when the provider refuses, discovery fails or storage fails.
pub async fn save_login(
    state: &AppState,
    spec: &ProviderSpec,
    oauth: &OAuthProvider,
    credentials: Credentials,
    name: Option<String>,
    reconnect: Option<&str>,
) -> Result<Connection, ApiError> {
    let mut credentials = usable(state, oauth, credentials).await?;
    let learnt = account_metadata(state, spec, &mut credentials).await?;
    let now = now_i64(state);
    let sealed = seal(&state.config.token_cipher(), state.random.as_ref(), &credentials).map_err(internal)?;
    let expires = credentials.bearer(oauth).1.and_then(|e| i64::try_from(e).ok());
    if let Some(id) = reconnect {
        let mut connection = reconnect_target(state, spec, id).await?;
        state.repo.put_oauth_tokens(&connection.id, &sealed, expires, now).await?;
        if !learnt.is_empty() {
            let mut metadata = connection.metadata.take().unwrap_or_default();
            metadata.extend(learnt);
            connection.metadata = Some(metadata);
            state.repo.update_connection(&connection, now).await?;
        }
        let clear = RoutingCommand::Succeed { account: connection.id.clone(), model: ALL_MODELS.to_owned() };
        // Best effort: a cool-down left in place only delays the account's return by its remaining time.
        let _cleared = state.routing.apply(spec.id, clear).await;
        let reload = GrantRequest {
            connection_id: connection.id.clone(),
            provider: spec.id.to_owned(),
            rejected: None,
            reload: true,
        };
        // The holder must drop what it cached (old tokens, "needs re-auth"); the answer itself is not needed.
        let _reloaded = state.tokens.grant(&reload).await;
        return Ok(connection);
    }
    let id = new_id(state.random.as_ref());
    state.repo.put_oauth_tokens(&id, &sealed, expires, now).await?;
    let name = name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| credentials.email.clone())
        .unwrap_or_else(|| spec.name.to_owned());
    let connection = Connection {
        id,
        provider: spec.id.to_owned(),
        name,
        auth_type: "oauth".into(),
        api_key: None,
        base_url: None,
        priority: 0,
        enabled: true,
        models: None,
        metadata: (!learnt.is_empty()).then_some(learnt),
        created_at: now,
    };
    state.repo.insert_connection(&connection).await?;
    Ok(connection)
}
