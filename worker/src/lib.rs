//! The Cloudflare Worker: binds the platform traits of `shared` to Workers APIs (D1, fetch, a Durable Object,
//! the clock and crypto randomness) and serves `shared::http::router`. No business rule lives here.

mod bindings;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tower_service::Service as _;
use worker::{event, Context, Env, HttpRequest, ScheduleContext, ScheduledEvent};

use axum::response::IntoResponse as _;
use bindings::{
    snapshot_cache, D1Store, DurableRoutingState, DurableTokenSource, FetchClient, JsClock, JsRandom, WaitUntilWriter,
    WebCryptoPbkdf2,
};
use shared::config::Config;
use shared::error::{ApiError, ErrorKind};
use shared::http::{router, AppState};
use shared::oauth::{CachedTokenSource, Grant};
use shared::platform::{CountingDatabase, DbCounters};
use shared::routing::state::CachedRoutingState;
use shared::store::{ReadCache, Repository};

pub use bindings::{OAuthTokens, RoutingState};

/// Name of the D1 binding in `wrangler.toml`.
pub(crate) const D1_BINDING: &str = "DB";
/// Name of the static assets binding in `wrangler.toml` (the dashboard).
const ASSETS_BINDING: &str = "ASSETS";
/// Name of the Durable Object binding in `wrangler.toml`.
const ROUTING_STATE_BINDING: &str = "ROUTING_STATE";
/// Name of the OAuth token Durable Object binding (one object per OAuth account).
const OAUTH_TOKENS_BINDING: &str = "OAUTH_TOKENS";

/// How long this isolate trusts a hot configuration read (client key, settings, connections). Writes through
/// this isolate clear it at once; changes made through other isolates are seen within this time.
const READ_CACHE_TTL_MS: u64 = 5_000;

/// The isolate's OAuth grants, reused while fresh (refreshes always go to the account's Durable Object).
fn grant_cache() -> Arc<Mutex<HashMap<String, Grant>>> {
    static GRANTS: OnceLock<Arc<Mutex<HashMap<String, Grant>>>> = OnceLock::new();
    Arc::clone(GRANTS.get_or_init(Arc::default))
}

/// The isolate's database round-trip counters (`GET /api/stats`).
fn db_counters() -> Arc<DbCounters> {
    static COUNTERS: OnceLock<Arc<DbCounters>> = OnceLock::new();
    Arc::clone(COUNTERS.get_or_init(Arc::default))
}

/// The isolate's read cache, shared by every request it serves.
fn read_cache() -> Arc<ReadCache> {
    static CACHE: OnceLock<Arc<ReadCache>> = OnceLock::new();
    Arc::clone(CACHE.get_or_init(|| Arc::new(ReadCache::new(READ_CACHE_TTL_MS))))
}

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Reads a setting from the Worker's secrets, then its plain vars.
pub(crate) fn lookup(env: &Env, name: &str) -> Option<String> {
    env.secret(name).ok().map(|s| s.to_string()).or_else(|| env.var(name).ok().map(|v| v.to_string()))
}

fn state(env: &Env, ctx: Context) -> worker::Result<Arc<AppState>> {
    let mut config =
        Config::from_lookup(|name| lookup(env, name)).map_err(|e| worker::Error::RustError(e.to_string()))?;
    // A Worker is reachable from the whole internet: client keys are always required there.
    config.api_key_always_required = true;
    let clock = Arc::new(JsClock);
    let durable = DurableRoutingState::new(env.durable_object(ROUTING_STATE_BINDING)?);
    let routing = CachedRoutingState::new(Arc::new(durable), snapshot_cache(), clock.clone());
    let db_counters = db_counters();
    let d1 = CountingDatabase::new(Arc::new(D1Store::new(env.d1(D1_BINDING)?)), Arc::clone(&db_counters));
    let repo = Repository::with_read_cache(Arc::new(d1), read_cache(), clock.clone());
    let durable_tokens = DurableTokenSource::new(env.durable_object(OAUTH_TOKENS_BINDING)?);
    let tokens = CachedTokenSource::new(Arc::new(durable_tokens), clock.clone(), grant_cache());
    // One writer per request for its usage record and its request log.
    let writer = Arc::new(WaitUntilWriter::new(&ctx, repo.clone()));
    Ok(Arc::new(AppState {
        usage: writer.clone(),
        request_logs: writer,
        repo,
        http: Arc::new(FetchClient),
        routing: Arc::new(routing),
        clock,
        random: Arc::new(JsRandom),
        kdf: Arc::new(WebCryptoPbkdf2),
        tokens: Arc::new(tokens),
        config,
        db_counters,
    }))
}

/// The daily cron (`[triggers]` in wrangler.toml): applies the usage retention setting.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let Ok(db) = env.d1(D1_BINDING) else {
        worker::console_error!("scheduled: no D1 binding");
        return;
    };
    let repo = Repository::new(Arc::new(D1Store::new(db)));
    let now = i64::try_from(worker::Date::now().as_millis()).unwrap_or(i64::MAX);
    match repo.apply_usage_retention(now).await {
        Ok(deleted) => worker::console_log!("usage retention: {deleted} old records deleted"),
        Err(err) => worker::console_error!("usage retention failed: {err}"),
    }
}

/// Whether `req` is a dashboard deep link: a page of the single-page app that no static file matched (the
/// assets layer serves every existing file, including `/dashboard/`, before the Worker runs).
fn is_dashboard_deep_link(req: &HttpRequest) -> bool {
    let path = req.uri().path();
    matches!(*req.method(), http::Method::GET | http::Method::HEAD)
        && path.starts_with("/dashboard/")
        && !path.starts_with("/dashboard/assets/")
}

/// The app's `index.html`, from the assets layer, for a deep link.
async fn dashboard_index(req: &HttpRequest, env: &Env) -> worker::Result<http::Response<axum::body::Body>> {
    let mut url = worker::Url::parse(&req.uri().to_string()).map_err(|e| worker::Error::RustError(e.to_string()))?;
    url.set_path("/dashboard/");
    url.set_query(None);
    let response = env.assets(ASSETS_BINDING)?.fetch(url.to_string(), None).await?;
    let (parts, body) = response.into_parts();
    Ok(http::Response::from_parts(parts, axum::body::Body::new(body)))
}

/// Reads a management request's body whole before routing. A response sent while the request body is still
/// unread (a 401 refusing a `POST /api/...` before its body is parsed) left the next request on that connection
/// hanging under `wrangler dev`. Only `/api/*`: reading every body up front this way made concurrent `/v1`
/// requests wait on one another (20 concurrent chat requests: 18 s instead of 4 s), and `/v1` handlers always
/// read the body anyway.
async fn read_body_first(
    req: HttpRequest,
    limit: usize,
) -> Result<http::Request<axum::body::Body>, http::Response<axum::body::Body>> {
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(axum::body::Body::new(body), limit).await {
        Ok(bytes) => Ok(http::Request::from_parts(parts, axum::body::Body::from(bytes))),
        Err(_) => {
            let err = shared::http::body_limit::too_large(limit);
            Err(ApiError::new(ErrorKind::TooLarge, format!("{} or broke off", err.message)).into_response())
        }
    }
}

/// Refuses a body declared over `limit` without reading it. The stream is cancelled first: a response sent over
/// a still-flowing request body made `wrangler dev`'s proxy answer 503 "worker restarted mid-request".
async fn refuse_unread(req: HttpRequest, limit: usize) -> http::Response<axum::body::Body> {
    let path = req.uri().path().to_owned();
    if let Some(stream) = req.into_body().into_inner() {
        // A failed cancel only means the stream was already closed.
        let _ = wasm_bindgen_futures::JsFuture::from(stream.cancel()).await;
    }
    shared::http::body_limit::refusal(&path, limit)
}

#[event(fetch)]
async fn fetch(req: HttpRequest, env: Env, ctx: Context) -> worker::Result<http::Response<axum::body::Body>> {
    if is_dashboard_deep_link(&req) {
        return dashboard_index(&req, &env).await;
    }
    let state = state(&env, ctx)?;
    let limit = state.config.max_body_bytes;
    if shared::http::body_limit::declared_over(req.headers(), limit) {
        return Ok(refuse_unread(req, limit).await);
    }
    let req = if req.uri().path().starts_with("/api/") {
        match read_body_first(req, state.config.max_body_bytes).await {
            Ok(req) => req,
            Err(response) => return Ok(response),
        }
    } else {
        req.map(axum::body::Body::new)
    };
    let mut app = router(state);
    Ok(app.call(req).await?)
}
