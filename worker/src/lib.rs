//! The Cloudflare Worker: binds the platform traits of `shared` to Workers APIs (D1, fetch, a Durable Object,
//! the clock and crypto randomness) and serves `shared::http::router`. No business rule lives here.

mod bindings;

use std::sync::{Arc, OnceLock};

use tower_service::Service as _;
use worker::{event, Context, Env, HttpRequest, ScheduleContext, ScheduledEvent};

use bindings::{snapshot_cache, D1Store, DurableRoutingState, FetchClient, JsClock, JsRandom, WaitUntilUsage};
use shared::config::Config;
use shared::http::{router, AppState};
use shared::routing::state::CachedRoutingState;
use shared::store::{ReadCache, Repository};

pub use bindings::RoutingState;

/// Name of the D1 binding in `wrangler.toml`.
const D1_BINDING: &str = "DB";
/// Name of the Durable Object binding in `wrangler.toml`.
const ROUTING_STATE_BINDING: &str = "ROUTING_STATE";

/// How long this isolate trusts a hot configuration read (client key, settings, connections). Writes through
/// this isolate clear it at once; changes made through other isolates are seen within this time.
const READ_CACHE_TTL_MS: u64 = 5_000;

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
fn lookup(env: &Env, name: &str) -> Option<String> {
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
    let repo = Repository::with_read_cache(Arc::new(D1Store::new(env.d1(D1_BINDING)?)), read_cache(), clock.clone());
    Ok(Arc::new(AppState {
        usage: Arc::new(WaitUntilUsage::new(&ctx, repo.clone())),
        repo,
        http: Arc::new(FetchClient),
        routing: Arc::new(routing),
        clock,
        random: Arc::new(JsRandom),
        config,
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

#[event(fetch)]
async fn fetch(req: HttpRequest, env: Env, ctx: Context) -> worker::Result<http::Response<axum::body::Body>> {
    let mut app = router(state(&env, ctx)?);
    Ok(app.call(req).await?)
}
