//! The edge usage sink: records are written to D1 inside `ctx.waitUntil`, after the response, so the client never
//! waits for them (one D1 write per request, fewer when several records are ready at once).
//!
//! The `waitUntil` is registered when the request starts, not when its record is ready: a streamed response whose
//! client leaves mid-stream is cancelled by workerd, and the record (produced when the relay is dropped) would
//! then arrive after the request's context could still accept a `waitUntil`. Instead, one writer per request
//! waits on a channel for as long as any handle to the sink lives, and ends when the last one is dropped.

use futures::channel::mpsc;
use futures::StreamExt;
use shared::store::Repository;
use shared::usage::{UsageRecord, UsageSink};
use worker::Context;

/// Sends this request's records to its writer (registered with `waitUntil` at construction).
pub struct WaitUntilUsage {
    records: mpsc::UnboundedSender<UsageRecord>,
}

impl WaitUntilUsage {
    /// A sink bound to this request's context; its writer lives until the sink is dropped.
    pub fn new(ctx: &Context, repo: Repository) -> Self {
        let (records, mut incoming) = mpsc::unbounded::<UsageRecord>();
        ctx.wait_until(async move {
            while let Some(first) = incoming.next().await {
                let mut batch = vec![first];
                while let Ok(more) = incoming.try_recv() {
                    batch.push(more);
                }
                if let Err(err) = repo.insert_usage(&batch).await {
                    worker::console_error!("usage write failed: {err}");
                }
            }
        });
        Self { records }
    }
}

impl UsageSink for WaitUntilUsage {
    fn record(&self, record: UsageRecord) {
        // The writer only stops when every sender is gone, so this cannot fail while `self` lives.
        let _ = self.records.unbounded_send(record);
    }
}
