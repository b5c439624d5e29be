//! The Cloudflare Worker: binds the platform traits of `shared` to Workers APIs (D1, fetch, a Durable Object,
//! the clock and crypto randomness) and serves `shared::http::router`. No business rule lives here.

mod bindings;

use std::sync::{Arc, OnceLock};

use tower_service::Service as _;
use worker::{event, Context, Env, ScheduleContext, ScheduledEvent};

use axum::response::IntoResponse;
use bindings::{
    http_bridge, snapshot_cache, D1Sink, D1Store, DurableRoutingState, DurableTokenSource, FetchClient, JsClock,
    JsRandom, WaitUntilWriter, WebCryptoPbkdf2,
};
use shared::config::Config;
use shared::error::{ApiError, ErrorKind};
use shared::http::{router, AppState, RequestSinks};
use shared::oauth::CachedTokenSource;
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

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Reads a setting from the Worker's secrets, then its plain vars.
pub(crate) fn lookup(env: &Env, name: &str) -> Option<String> {
    env.secret(name).ok().map(|s| s.to_string()).or_else(|| env.var(name).ok().map(|v| v.to_string()))
}

/// What an isolate builds once and every request it serves shares: the app state (handles to D1, the Durable
/// Objects, the caches) and the router. Only the usage/log writer is per request (it lives in that request's
/// `waitUntil`) and travels in the request's extensions as [`RequestSinks`].
struct Isolate {
    state: Arc<AppState>,
    router: axum::Router,
}

/// The isolate's app, built by the first request (bindings and vars are fixed for an isolate's lifetime).
fn isolate(env: &Env) -> worker::Result<&'static Isolate> {
    static ISOLATE: OnceLock<Isolate> = OnceLock::new();
    if let Some(isolate) = ISOLATE.get() {
        return Ok(isolate);
    }
    let state = build_state(env)?;
    let router = router(Arc::clone(&state));
    Ok(ISOLATE.get_or_init(|| Isolate { state, router }))
}

fn build_state(env: &Env) -> worker::Result<Arc<AppState>> {
    let mut config =
        Config::from_lookup(|name| lookup(env, name)).map_err(|e| worker::Error::RustError(e.to_string()))?;
    // A Worker is reachable from the whole internet: client keys are always required there.
    config.api_key_always_required = true;
    let clock = Arc::new(JsClock);
    let durable = DurableRoutingState::new(env.durable_object(ROUTING_STATE_BINDING)?);
    let routing = CachedRoutingState::new(Arc::new(durable), snapshot_cache(), clock.clone());
    let db_counters = Arc::new(DbCounters::default());
    let d1 = CountingDatabase::new(Arc::new(D1Store::new(env.d1(D1_BINDING)?)), Arc::clone(&db_counters));
    let repo = Repository::with_read_cache(Arc::new(d1), Arc::new(ReadCache::new(READ_CACHE_TTL_MS)), clock.clone());
    let durable_tokens = DurableTokenSource::new(env.durable_object(OAUTH_TOKENS_BINDING)?);
    let tokens = CachedTokenSource::new(Arc::new(durable_tokens), clock.clone(), Arc::default());
    // Requests carry their own writer (see `Isolate`); this one only reads logs back and is the fallback.
    let d1_sink = Arc::new(D1Sink::new(repo.clone()));
    Ok(Arc::new(AppState {
        usage: d1_sink.clone(),
        request_logs: d1_sink,
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

/// Whether a request is a dashboard deep link: a page of the single-page app that no static file matched (the
/// assets layer serves every existing file, including `/dashboard/`, before the Worker runs).
fn is_dashboard_deep_link(parts: &http::request::Parts) -> bool {
    let path = parts.uri.path();
    matches!(parts.method, http::Method::GET | http::Method::HEAD)
        && path.starts_with("/dashboard/")
        && !path.starts_with("/dashboard/assets/")
}

/// The app's `index.html`, from the assets layer, for a deep link.
async fn dashboard_index(uri: &http::Uri, env: &Env) -> worker::Result<web_sys::Response> {
    let mut url = worker::Url::parse(&uri.to_string()).map_err(|e| worker::Error::RustError(e.to_string()))?;
    url.set_path("/dashboard/");
    url.set_query(None);
    let response = env.assets(ASSETS_BINDING)?.fetch(url.to_string(), None).await?;
    worker::response_to_wasm(response)
}

/// Reads a body of unknown length whole before routing, up to `limit`. A response sent while the request body
/// is still unread (a 401 refusing a `POST /api/...` before its body is parsed) left the next request on that
/// connection hanging under `wrangler dev`, so management requests are read first. Only `/api/*`: `/v1`
/// handlers read their body whole anyway.
async fn read_stream_first(stream: web_sys::ReadableStream, limit: usize) -> Result<axum::body::Body, ApiError> {
    let body = axum::body::Body::new(worker::Body::new(stream));
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(axum::body::Body::from(bytes)),
        Err(_) => {
            let err = shared::http::body_limit::too_large(limit);
            Err(ApiError::new(ErrorKind::TooLarge, format!("{} or broke off", err.message)))
        }
    }
}

/// Refuses a body declared over `limit` without reading it. The stream is cancelled first: a response sent over
/// a still-flowing request body made `wrangler dev`'s proxy answer 503 "worker restarted mid-request".
async fn refuse_unread(req: &web_sys::Request, path: &str, limit: usize) -> http::Response<axum::body::Body> {
    if let Some(stream) = req.body() {
        // A failed cancel only means the stream was already closed.
        let _ = wasm_bindgen_futures::JsFuture::from(stream.cancel()).await;
    }
    shared::http::body_limit::refusal(path, limit)
}

/// The request's body: read whole with one `arrayBuffer()` when its length is declared (the caller refused
/// anything over the limit already), else streamed (management requests: read first, see
/// [`read_stream_first`]). The flag says whether it came from a stream of unknown length.
async fn request_body(
    req: &web_sys::Request,
    parts: &http::request::Parts,
    limit: usize,
) -> Result<(axum::body::Body, bool), http::Response<axum::body::Body>> {
    if shared::http::body_limit::declared_length(&parts.headers).is_some() {
        let whole = http_bridge::array_buffer(req.array_buffer()).await.map_err(|err| {
            ApiError::invalid_request(format!("could not read the request body: {err}")).into_response()
        })?;
        return Ok((axum::body::Body::from(whole), false));
    }
    let Some(stream) = req.body() else {
        return Ok((axum::body::Body::empty(), false));
    };
    if parts.uri.path().starts_with("/api/") {
        return read_stream_first(stream, limit).await.map(|body| (body, true)).map_err(IntoResponse::into_response);
    }
    Ok((axum::body::Body::new(worker::Body::new(stream)), true))
}

#[event(fetch)]
async fn fetch(req: web_sys::Request, env: Env, ctx: Context) -> worker::Result<web_sys::Response> {
    let mut parts = http_bridge::request_parts(&req)?;
    if is_dashboard_deep_link(&parts) {
        return dashboard_index(&parts.uri, &env).await;
    }
    let isolate = isolate(&env)?;
    let limit = isolate.state.config.max_body_bytes;
    if shared::http::body_limit::declared_over(&parts.headers, limit) {
        return http_bridge::response_to_js(refuse_unread(&req, parts.uri.path(), limit).await).await;
    }
    let (body, streamed) = match request_body(&req, &parts, limit).await {
        Ok(read) => read,
        Err(response) => return http_bridge::response_to_js(response).await,
    };
    // This request's usage record and log are written in its own `waitUntil`, after the response.
    let writer = Arc::new(WaitUntilWriter::new(&ctx, isolate.state.repo.clone()));
    parts.extensions.insert(RequestSinks { usage: writer.clone(), request_logs: writer });
    let response = isolate.router.clone().call(http::Request::from_parts(parts, body)).await?;
    // A request whose body was streamed (no declared length) may have been cut off at the size limit, with the
    // rest unread: answered with a complete body then, the next request on that connection hung under
    // `wrangler dev`; answered as a stream, it does not. Such requests are rare (clients declare lengths).
    if streamed {
        return worker::response_to_wasm(response);
    }
    http_bridge::response_to_js(response).await
}
