//! The native server (feature `native`): binds the platform traits to tokio, reqwest and rusqlite, and serves
//! [`crate::http::router`] with `axum::serve`. The `9router` binary is a thin CLI over [`run`].

pub mod browser;
mod dashboard;
mod data_dir;
mod http_client;
mod kdf;
mod request_logs;
mod routing_persist;
mod shutdown;
mod sqlite;
mod system;
mod token_key;
mod usage_writer;

pub use data_dir::default_data_dir;
pub use shutdown::{Shutdown, DRAIN_TIMEOUT};

pub use http_client::ReqwestClient;
pub use kdf::RustPbkdf2;
pub use request_logs::{FileRequestLogs, Retention};
pub use routing_persist::PersistentRoutingState;
pub use sqlite::{checkpoint, open_database, SqliteDatabase};
pub use system::{OsRandom, SystemClock};
pub use token_key::{load_or_create_token_key, TOKEN_KEY_FILE};
pub use usage_writer::{spawn_usage_writer, ChannelUsageSink};

use std::future::IntoFuture as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::serve::ListenerExt as _;

use crate::config::Config;
use crate::http::{router, AppState, PeerAddr};
use crate::oauth::TokenBroker;
use crate::platform::{CountingDatabase, DbCounters};
use crate::store::{ReadCache, Repository};

/// How long hot configuration reads are cached natively (writes clear the cache at once).
const NATIVE_READ_CACHE_TTL_MS: u64 = 60_000;

/// Options of a native server run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Directory holding `db.sqlite` and the request logs (`logs/`).
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
    /// The request-log writer could not be started.
    #[error("request log writer: {0}")]
    RequestLogs(std::io::Error),
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
    let db_counters = Arc::new(DbCounters::default());
    let db = Arc::new(CountingDatabase::new(Arc::new(db), Arc::clone(&db_counters)));
    let repo = Repository::with_read_cache(db, cache, clock.clone());
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
    let routing = Arc::new(PersistentRoutingState::new(repo.clone(), clock.clone()));
    let request_logs =
        FileRequestLogs::spawn(data_dir.join("logs"), Retention::default()).map_err(NativeError::RequestLogs)?;
    Ok(Arc::new(AppState {
        usage: Arc::new(spawn_usage_writer(repo.clone(), clock.clone())),
        request_logs: Arc::new(request_logs),
        repo,
        http,
        routing,
        clock,
        random,
        kdf: Arc::new(RustPbkdf2),
        tokens: Arc::new(tokens),
        config,
        db_counters,
    }))
}

/// Serves until Ctrl-C / SIGTERM, then shuts down gracefully: stops accepting, lets requests and streams in
/// flight finish (at most [`DRAIN_TIMEOUT`]), flushes the usage queue and checkpoints SQLite's WAL. `on_ready` is
/// called with the bound address once the listener is up.
///
/// # Errors
/// [`NativeError`] when start-up fails or the server stops with an error.
pub async fn run(options: ServeOptions, on_ready: impl FnOnce(SocketAddr)) -> Result<(), NativeError> {
    let state = build_state(&options.data_dir, options.config)?;
    let usage = Arc::clone(&state.usage);
    let request_logs = Arc::clone(&state.request_logs);
    // The peer address reaches handlers (failed-login rate limiting is per client address).
    let app = router(state)
        .merge(dashboard::routes())
        .layer(axum::middleware::map_request(with_peer_addr))
        .into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind(options.addr).await.map_err(|e| NativeError::Bind(options.addr, e))?;
    let bound = listener.local_addr().map_err(|e| NativeError::Bind(options.addr, e))?;
    let shutdown = Shutdown::on_signals();
    on_ready(bound);
    let listener = listener.tap_io(|tcp| {
        // Small SSE events must not wait for Nagle.
        let _ = tcp.set_nodelay(true);
    });
    let stop_accepting = shutdown.clone();
    let serve = axum::serve(listener, app).with_graceful_shutdown(async move { stop_accepting.fired().await });
    let served = shutdown.drain(serve.into_future()).await;
    if tokio::time::timeout(shutdown::FLUSH_TIMEOUT, usage.flush()).await.is_err() {
        eprintln!("9router: usage flush timed out; some usage records may be missing");
    }
    if tokio::time::timeout(shutdown::FLUSH_TIMEOUT, request_logs.flush()).await.is_err() {
        eprintln!("9router: request log flush timed out; some request logs may be missing");
    }
    if let Err(err) = checkpoint(&options.data_dir) {
        eprintln!("9router: WAL checkpoint failed (the database stays consistent): {err}");
    }
    served.unwrap_or(Ok(())).map_err(NativeError::Serve)
}

/// Copies the connection's peer address into the request as the core's [`PeerAddr`].
async fn with_peer_addr(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: axum::extract::Request,
) -> axum::extract::Request {
    request.extensions_mut().insert(PeerAddr(peer));
    request
}
