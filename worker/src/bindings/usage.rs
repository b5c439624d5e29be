//! The edge usage sink: each request's record is written to D1 in `ctx.waitUntil`, after the response, so the
//! client never waits for it (one D1 write per request).

use std::sync::Arc;

use shared::store::Repository;
use shared::usage::{UsageRecord, UsageSink};
use worker::send::SendWrapper;
use worker::Context;

/// Writes records through the request's `waitUntil`.
pub struct WaitUntilUsage {
    ctx: SendWrapper<Arc<Context>>,
    repo: Repository,
}

impl WaitUntilUsage {
    /// A sink bound to this request's context.
    pub fn new(ctx: Arc<Context>, repo: Repository) -> Self {
        Self { ctx: SendWrapper::new(ctx), repo }
    }
}

impl UsageSink for WaitUntilUsage {
    fn record(&self, record: UsageRecord) {
        let repo = self.repo.clone();
        self.ctx.wait_until(async move {
            if let Err(err) = repo.insert_usage(&[record]).await {
                worker::console_error!("usage write failed: {err}");
            }
        });
    }
}
