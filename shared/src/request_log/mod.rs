//! Request logs (`ENABLE_REQUEST_LOGS=true` or the `request_logs` setting): each request's six stages in the
//! seed's layout — the client's request, the parsed request and where its model resolved, the request sent
//! upstream, the upstream's response, the response sent to the client, and the error when it failed.
//!
//! The pipeline fills a [`RequestCapture`] (carried by the request's usage tracker, so it ends exactly when the
//! request does, also when a streaming client leaves); the target's [`RequestLogSink`] renders, redacts and
//! writes it off the hot path — files under `DATA_DIR/logs` natively, a capped D1 table on the edge.

mod capture;
pub mod redact;
mod render;

pub use capture::{BoundedBytes, RequestCapture, STAGE_BYTES_CAP};
pub use render::{path_safe, render, LogDetail, LogEntry, LogStage, LogSummary, STAGE_NAMES};

use crate::platform::BoxFuture;

/// A request-log storage failure (no secrets in it).
#[derive(Debug, thiserror::Error)]
pub enum LogStoreError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Reading or writing log files failed.
    #[error("request log files: {0}")]
    Io(String),
    /// The id names no log this store could hold.
    #[error("invalid log id `{0}`")]
    BadId(String),
}

/// Where finished captures go, and how the management API reads them back.
pub trait RequestLogSink: Send + Sync {
    /// Queues a finished capture; returns at once (rendering and writing happen in the background).
    fn record(&self, capture: RequestCapture);

    /// The newest logs first, at most `limit`.
    fn list(&self, limit: usize) -> BoxFuture<'_, Result<Vec<LogSummary>, LogStoreError>>;

    /// One log with its stages; `None` when there is no such log.
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<LogDetail>, LogStoreError>>;

    /// Deletes every log; returns how many.
    fn clear(&self) -> BoxFuture<'_, Result<u64, LogStoreError>>;

    /// Resolves once every capture queued before the call is written (used at shutdown). The default has
    /// nothing to wait for.
    fn flush(&self) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// A sink that keeps nothing (tests, or a target without log storage).
#[derive(Debug, Default)]
pub struct NoRequestLogs;

impl RequestLogSink for NoRequestLogs {
    fn record(&self, _capture: RequestCapture) {}

    fn list(&self, _limit: usize) -> BoxFuture<'_, Result<Vec<LogSummary>, LogStoreError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn get<'a>(&'a self, _id: &'a str) -> BoxFuture<'a, Result<Option<LogDetail>, LogStoreError>> {
        Box::pin(async { Ok(None) })
    }

    fn clear(&self) -> BoxFuture<'_, Result<u64, LogStoreError>> {
        Box::pin(async { Ok(0) })
    }
}
