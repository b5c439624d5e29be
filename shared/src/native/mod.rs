//! The native server (feature `native`): binds the platform traits to tokio, reqwest and rusqlite, and serves
//! [`crate::http::router`] with `axum::serve`. The `9router` binary is a thin CLI over [`run`].

mod http_client;
mod sqlite;
mod system;
mod token_key;
mod usage_writer;

pub use http_client::ReqwestClient;
pub use sqlite::{open_database, SqliteDatabase};
pub use system::{OsRandom, SystemClock};
pub use token_key::{load_or_create_token_key, TOKEN_KEY_FILE};
pub use usage_writer::{spawn_usage_writer, ChannelUsageSink};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::response::Html;
use axum::routing::get;
use axum::serve::ListenerExt as _;

use crate::config::Config;
use crate::http::{router, AppState};
use crate::oauth::TokenBroker;
use crate::routing::state::MemoryRoutingState;
use crate::store::{ReadCache, Repository};

/// How long hot configuration reads are cached natively (writes clear the cache at once).
const NATIVE_READ_CACHE_TTL_MS: u64 = 60_000;

/// The placeholder page served at `/dashboard` until the dashboard is built.
const DASHBOARD_PLACEHOLDER: &str = include_str!("../../../dashboard/placeholder/dashboard/index.html");

/// Options of a native server run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Directory holding `db.sqlite` (and, later, logs).
    pub data_dir: PathBuf,
    /// Runtime configuration.
    pub config: Config,
}

/// A native start-up failure.
#[derive(Debug, thiserror::Error)]
pub enum NativeError {
    /// The data directory or database could not be prepared.
    #[error("database: {0}")]
    Database(String),
    /// The listener could not be bound.
    #[error("could not listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    /// The server failed while running.
    #[error("server failed: {0}")]
    Serve(std::io::Error),
    /// The HTTP client could not be built.
    #[error("http client: {0}")]
    HttpClient(String),
}

/// Builds the application state over the database in `data_dir`, applying pending migrations.
///
/// # Errors
/// [`NativeError`] when the database cannot be opened or migrated, or the HTTP client cannot be built.
pub fn build_state(data_dir: &std::path::Path, config: Config) -> Result<Arc<AppState>, NativeError> {
    let db = open_database(data_dir).map_err(|e| NativeError::Database(e.to_string()))?;
    let clock: Arc<SystemClock> = Arc::new(SystemClock);
    // This process is the database's only writer, and every write clears the cache: reads are never stale.
    let cache = Arc::new(ReadCache::new(NATIVE_READ_CACHE_TTL_MS));
    let repo = Repository::with_read_cache(Arc::new(db), cache, clock.clone());
    let http: Arc<ReqwestClient> = Arc::new(ReqwestClient::new().map_err(|e| NativeError::HttpClient(e.to_string()))?);
    let random = Arc::new(OsRandom);
    // In-process broker: one async lock per account serialises its refreshes.
    let tokens = TokenBroker::new(
        repo.clone(),
        http.clone(),
        clock.clone(),
        random.clone(),
        config.token_cipher(),
        config.url_overrides.clone(),
    );
    Ok(Arc::new(AppState {
        usage: Arc::new(spawn_usage_writer(repo.clone(), clock.clone())),
        repo,
        http,
        routing: Arc::new(MemoryRoutingState::default()),
        clock,
        random,
        tokens: Arc::new(tokens),
        config,
    }))
}

/// Serves until Ctrl-C / SIGTERM. `on_ready` is called with the bound address once the listener is up.
///
/// # Errors
/// [`NativeError`] when start-up fails or the server stops with an error.
pub async fn run(options: ServeOptions, on_ready: impl FnOnce(SocketAddr)) -> Result<(), NativeError> {
    let state = build_state(&options.data_dir, options.config)?;
    let app = router(state).route("/dashboard", get(|| async { Html(DASHBOARD_PLACEHOLDER) }));
    let listener = tokio::net::TcpListener::bind(options.addr).await.map_err(|e| NativeError::Bind(options.addr, e))?;
    let bound = listener.local_addr().map_err(|e| NativeError::Bind(options.addr, e))?;
    on_ready(bound);
    let listener = listener.tap_io(|tcp| {
        // Small SSE events must not wait for Nagle.
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await.map_err(NativeError::Serve)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
