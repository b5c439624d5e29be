//! The native usage sink: records go through a bounded channel to one background task that writes them in
//! batches (up to 100 records or every 500 ms), so no request ever waits for a usage write.

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::platform::Clock;

use crate::store::Repository;
use crate::usage::{UsageRecord, UsageSink};

/// Records queued at most; beyond this (the database is stuck) new records are dropped, not buffered forever.
const QUEUE: usize = 10_000;
/// Records per batch.
const BATCH: usize = 100;
/// Longest wait before a partial batch is written.
const FLUSH_MS: u64 = 500;

/// Sends records to the writer task.
#[derive(Debug, Clone)]
pub struct ChannelUsageSink {
    sender: mpsc::Sender<UsageRecord>,
}

impl UsageSink for ChannelUsageSink {
    fn record(&self, record: UsageRecord) {
        let _ = self.sender.try_send(record);
    }
}

/// How often the retention setting is applied.
const RETENTION_EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Starts the writer task (and the hourly retention task) on the current tokio runtime; returns the sink.
pub fn spawn_usage_writer(repo: Repository, clock: Arc<dyn Clock>) -> ChannelUsageSink {
    let retention_repo = repo.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RETENTION_EVERY);
        loop {
            every.tick().await;
            let now = i64::try_from(clock.now_ms()).unwrap_or(i64::MAX);
            if let Err(err) = retention_repo.apply_usage_retention(now).await {
                eprintln!("9router: usage retention failed: {err}");
            }
        }
    });
    let (sender, mut receiver) = mpsc::channel::<UsageRecord>(QUEUE);
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            let Some(first) = receiver.recv().await else { break };
            batch.push(first);
            let deadline = tokio::time::sleep(std::time::Duration::from_millis(FLUSH_MS));
            tokio::pin!(deadline);
            while batch.len() < BATCH {
                tokio::select! {
                    next = receiver.recv() => match next {
                        Some(record) => batch.push(record),
                        None => break,
                    },
                    () = &mut deadline => break,
                }
            }
            if let Err(err) = repo.insert_usage(&batch).await {
                eprintln!("9router: usage write failed ({} records): {err}", batch.len());
            }
            batch.clear();
        }
    });
    ChannelUsageSink { sender }
}
