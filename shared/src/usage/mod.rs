//! Usage: one record per client request (tokens, timing, outcome), written off the hot path through a
//! [`UsageSink`] — a background batch writer natively, `waitUntil` on the edge (one D1 write per request).

mod price_table;
pub mod prices;
mod tracker;

pub use prices::{ModelPrice, PriceBook, PriceOverride, PriceSource, TokenCounts};
pub use tracker::UsageTracker;

use serde::Serialize;

use crate::ir::Usage;

/// One request's usage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UsageRecord {
    /// Unix ms when the request arrived.
    pub ts: i64,
    /// Client key id.
    pub api_key_id: Option<String>,
    /// Provider that answered (or was last tried).
    pub provider: Option<String>,
    /// Connection (account) id.
    pub connection_id: Option<String>,
    /// Model as the client asked for it.
    pub requested_model: String,
    /// Upstream model that answered.
    pub routed_model: Option<String>,
    /// Client format (`openai`, `claude`, …).
    pub inbound_format: String,
    /// Upstream format.
    pub upstream_format: Option<String>,
    /// Token counts.
    pub usage: Usage,
    /// Time to the first byte sent to the client, ms.
    pub ttfb_ms: Option<i64>,
    /// Total time, ms (for streams: until the stream ended or the client left).
    pub total_ms: i64,
    /// HTTP status returned to the client.
    pub status: u16,
    /// Failure class when it failed (`rate_limited`, `unavailable`, `client_closed`, `stream_interrupted`, …).
    pub error_class: Option<String>,
    /// Streamed response.
    pub streamed: bool,
}

/// Where finished records go. `record` must return at once; the write happens in the background.
pub trait UsageSink: Send + Sync {
    /// Queues a record for writing.
    fn record(&self, record: UsageRecord);

    /// Resolves once every record queued before the call is written (used at shutdown). The default has
    /// nothing to wait for.
    fn flush(&self) -> crate::platform::BoxFuture<'_, ()> {
        Box::pin(async {})
    }
}

/// A sink that drops records (tests, or usage tracking disabled).
#[derive(Debug, Default)]
pub struct NoUsage;

impl UsageSink for NoUsage {
    fn record(&self, _record: UsageRecord) {}
}
