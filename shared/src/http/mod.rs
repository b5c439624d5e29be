//! The one axum router both targets serve: the Worker calls it per request, the native server with
//! `axum::serve`. Handlers are thin: they extract, call [`crate::pipeline`] or [`crate::store`], and render.

mod admin;
pub mod body_limit;
pub(crate) mod extract;
mod models;
mod public;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post, put};
use axum::Router;

use crate::config::Config;
use crate::oauth::TokenSource;
use crate::platform::{Clock, HttpClient, PasswordKdf, Random, RoutingStateStore};
use crate::request_log::RequestLogSink;
use crate::store::Repository;
use crate::usage::UsageSink;

pub use extract::{AdminSession, ClientIp, ClientKey, PeerAddr};

/// This request's own usage and request-log sinks, put in its extensions by a platform that binds them to the
/// request (the edge: its `waitUntil`). Without them a request uses [`AppState::usage`] / `request_logs`.
#[derive(Clone)]
pub struct RequestSinks {
    /// Where this request's usage record goes.
    pub usage: Arc<dyn UsageSink>,
    /// Where this request's log goes.
    pub request_logs: Arc<dyn RequestLogSink>,
}

/// Everything a handler may use; built once per process natively and once per isolate on the edge.
pub struct AppState {
    /// Typed storage.
    pub repo: Repository,
    /// Outbound HTTP.
    pub http: Arc<dyn HttpClient>,
    /// Shared routing state (cooldowns, round-robin cursors), by provider.
    pub routing: Arc<dyn RoutingStateStore>,
    /// Wall clock.
    pub clock: Arc<dyn Clock>,
    /// Randomness.
    pub random: Arc<dyn Random>,
    /// Password hashing (PBKDF2).
    pub kdf: Arc<dyn PasswordKdf>,
    /// Where usage records go (unless the request carries its own [`RequestSinks`]).
    pub usage: Arc<dyn UsageSink>,
    /// Where request logs go (unless the request carries its own [`RequestSinks`]) and are read back from.
    pub request_logs: Arc<dyn RequestLogSink>,
    /// OAuth access tokens, refreshed as needed (one refresh in flight per account).
    pub tokens: Arc<dyn TokenSource>,
    /// Configuration.
    pub config: Config,
    /// Database round trips since start (`GET /api/stats`).
    pub db_counters: Arc<crate::platform::DbCounters>,
}

/// Builds the router.
pub fn router(state: Arc<AppState>) -> Router {
    let max_body = state.config.max_body_bytes;
    let refuse_oversize =
        axum::middleware::from_fn_with_state(Arc::clone(&state), body_limit::refuse_declared_oversize);
    Router::new()
        .route("/health", get(public::health))
        .route("/v1/models", get(models::models))
        .route("/v1beta/models", get(models::gemini_models))
        .route("/v1/chat/completions", post(public::chat_completions))
        .route("/v1/messages", post(public::messages))
        .route("/v1/responses", post(public::responses))
        .route("/codex/responses", post(public::responses))
        .route("/v1beta/models/{*rest}", post(public::gemini))
        .route("/v1/messages/count_tokens", post(public::count_tokens))
        .route("/api/auth/login", post(admin::login))
        .route("/api/auth/logout", post(admin::logout))
        .route("/api/auth/status", get(admin::status))
        .route("/api/auth/password", post(admin::change_password))
        .route("/api/keys", get(admin::list_keys).post(admin::create_key))
        .route("/api/keys/{id}", patch(admin::update_key).delete(admin::delete_key))
        .route("/api/providers", get(admin::list_connections).post(admin::create_connection))
        .route("/api/providers/{id}", patch(admin::update_connection).delete(admin::delete_connection))
        .route("/api/providers/catalog", get(admin::catalog))
        .route("/api/providers/status", get(admin::connection_status))
        .route("/api/providers/{id}/test", post(admin::test_connection))
        .route("/api/oauth/{provider}/start", post(admin::oauth_start))
        .route("/api/oauth/{provider}/complete", post(admin::oauth_complete))
        .route("/api/oauth/{provider}/poll", post(admin::oauth_poll))
        .route("/api/oauth/{provider}/import", post(admin::oauth_import))
        .route("/api/custom-providers", get(admin::list_custom_providers).post(admin::create_custom_provider))
        .route("/api/custom-providers/{id}", put(admin::update_custom_provider).delete(admin::delete_custom_provider))
        .route("/api/combos", get(admin::list_combos).post(admin::create_combo))
        .route("/api/combos/{id}", put(admin::update_combo).delete(admin::delete_combo))
        .route("/api/aliases", get(admin::list_aliases).post(admin::create_alias))
        .route("/api/aliases/{alias}", delete(admin::delete_alias))
        .route("/api/settings", get(admin::get_settings).put(admin::put_settings))
        .route("/api/stats", get(admin::stats))
        .route("/api/usage", get(admin::usage_summary))
        .route("/api/usage/recent", get(admin::usage_recent))
        .route("/api/prices", get(admin::list_prices))
        .route("/api/prices/{model}", put(admin::put_price).delete(admin::delete_price))
        .route("/api/logs", get(admin::list_logs).delete(admin::clear_logs))
        .route("/api/logs/{id}", get(admin::get_log))
        .route("/", get(public::root))
        .fallback(public::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(refuse_oversize)
        .with_state(state)
}
