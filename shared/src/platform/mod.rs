//! Traits a host platform implements: the Worker binds them to JS APIs, the native server to tokio, reqwest and
//! rusqlite. They are deliberately few and coarse. Futures are `Send` so axum handlers compile unchanged on both
//! targets (the Worker wraps its single-threaded JS futures once, in `worker/`).

mod counting;
mod database;
mod http_client;
mod kdf;

pub use counting::{CountingDatabase, DbCounters, DbCounts};
pub use database::{Database, DbError, Row, SqlValue, Statement};
pub use http_client::{ByteStream, HttpClient, HttpError, UpstreamRequest, UpstreamResponse};
pub use kdf::{KdfError, PasswordKdf};

use std::future::Future;
use std::pin::Pin;

pub use crate::routing::state::RoutingStateStore;

/// A boxed, `Send` future: the return type of every platform trait method.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Wall-clock time and timers.
pub trait Clock: Send + Sync {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    fn now_ms(&self) -> u64;
    /// A future that completes after `ms` milliseconds.
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()>;
}

/// Cryptographically secure randomness.
pub trait Random: Send + Sync {
    /// Fills `buf` with random bytes.
    fn fill(&self, buf: &mut [u8]);
}

/// Failure to reach or update shared routing state.
#[derive(Debug, thiserror::Error)]
#[error("routing state unavailable: {0}")]
pub struct StateError(pub String);
