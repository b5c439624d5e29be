//! The native usage sink: records go through a bounded channel to one background task that writes them in
//! batches (up to 100 records or every 500 ms), so no request ever waits for a usage write. At shutdown
//! [`UsageSink::flush`] puts a marker in the same queue and waits until the writer has written everything before it.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::platform::{BoxFuture, Clock};

use crate::store::Repository;
use crate::usage::{UsageRecord, UsageSink};

/// Records queued at most; beyond this (the database is stuck) new records are dropped, not buffered forever.
const QUEUE: usize = 10_000;
/// Records per batch.
const BATCH: usize = 100;
/// Longest wait before a partial batch is written.
const FLUSH_MS: u64 = 500;

/// What travels to the writer task.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "records are nearly every message; boxing them would allocate per request"
)]
enum Message {
    /// A record to write.
    Record(UsageRecord),
    /// Write everything queued so far, then answer.
    Flush(oneshot::Sender<()>),
}

/// Sends records to the writer task.
#[derive(Debug, Clone)]
pub struct ChannelUsageSink {
    sender: mpsc::Sender<Message>,
}

impl UsageSink for ChannelUsageSink {
    fn record(&self, record: UsageRecord) {
        let _ = self.sender.try_send(Message::Record(record));
    }

    fn flush(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let (done, answered) = oneshot::channel();
            // `send` waits for room: a full queue is written out before the marker is taken.
            if self.sender.send(Message::Flush(done)).await.is_ok() {
                let _ = answered.await;
            }
        })
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
    let (sender, receiver) = mpsc::channel::<Message>(QUEUE);
    tokio::spawn(write_batches(repo, receiver));
    ChannelUsageSink { sender }
}

/// The writer loop: collects a batch (or stops early at a flush marker), writes it, answers the marker.
async fn write_batches(repo: Repository, mut receiver: mpsc::Receiver<Message>) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let mut flushed = None;
        match receiver.recv().await {
            None => break,
            Some(Message::Record(record)) => batch.push(record),
            Some(Message::Flush(done)) => flushed = Some(done),
        }
        if flushed.is_none() {
            let deadline = tokio::time::sleep(std::time::Duration::from_millis(FLUSH_MS));
            tokio::pin!(deadline);
            while batch.len() < BATCH {
                tokio::select! {
                    next = receiver.recv() => match next {
                        Some(Message::Record(record)) => batch.push(record),
                        Some(Message::Flush(done)) => {
                            flushed = Some(done);
                            break;
                        }
                        None => break,
                    },
                    () = &mut deadline => break,
                }
            }
        }
        if !batch.is_empty() {
            if let Err(err) = repo.insert_usage(&batch).await {
                eprintln!("9router: usage write failed ({} records): {err}", batch.len());
            }
            batch.clear();
        }
        if let Some(done) = flushed {
            let _ = done.send(());
        }
    }
}
