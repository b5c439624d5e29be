//! The edge's usage and request-log sink: records and logs are written to D1 inside `ctx.waitUntil`, after the
//! response, so the client never waits for them: one D1 write per request (fewer when several records are ready
//! at once); with request logs on, the log's insert goes in the same D1 `batch` (one round trip; the table's
//! trigger caps its rows).
//!
//! The `waitUntil` is registered when the request starts, not when its record is ready: a streamed response whose
//! client leaves mid-stream is cancelled by workerd, and the record (produced when the relay is dropped) would
//! then arrive after the request's context could still accept a `waitUntil`. Instead, one writer per request
//! waits on a channel for as long as any handle to the sink lives, and ends when the last one is dropped.

use futures::channel::mpsc;
use futures::StreamExt;
use shared::platform::BoxFuture;
use shared::request_log::{render, LogDetail, LogStoreError, LogSummary, RequestCapture, RequestLogSink};
use shared::store::Repository;
use shared::usage::{UsageRecord, UsageSink};
use worker::Context;

/// What the writer writes.
enum Write {
    Usage(UsageRecord),
    Log(Box<RequestCapture>),
}

/// Sends this request's usage records and log to its writer (registered with `waitUntil` at construction);
/// reads logs back from D1.
pub struct WaitUntilWriter {
    writes: mpsc::UnboundedSender<Write>,
    reader: D1Sink,
}

impl WaitUntilWriter {
    /// A sink bound to this request's context; its writer lives until the sink is dropped.
    pub fn new(ctx: &Context, repo: Repository) -> Self {
        let (writes, mut incoming) = mpsc::unbounded::<Write>();
        let writer_repo = repo.clone();
        ctx.wait_until(async move {
            while let Some(first) = incoming.next().await {
                let mut batch = vec![first];
                while let Ok(more) = incoming.try_recv() {
                    batch.push(more);
                }
                let (mut usage, mut logs) = (Vec::new(), Vec::new());
                for write in batch {
                    match write {
                        Write::Usage(record) => usage.push(record),
                        // Rendering and redaction happen here, after the response.
                        Write::Log(capture) => logs.push(render(&capture)),
                    }
                }
                let written = if logs.is_empty() {
                    writer_repo.insert_usage(&usage).await
                } else {
                    match writer_repo.insert_usage_and_logs(&usage, &logs).await {
                        Ok(()) => Ok(()),
                        // The batch is one transaction: a log that cannot be stored must not take the usage
                        // records down with it, so they are written again on their own.
                        Err(err) => {
                            worker::console_error!("request log write failed, writing usage alone: {err}");
                            writer_repo.insert_usage(&usage).await
                        }
                    }
                };
                if let Err(err) = written {
                    worker::console_error!("usage write failed: {err}");
                }
            }
        });
        Self { writes, reader: D1Sink::new(repo) }
    }
}

impl UsageSink for WaitUntilWriter {
    fn record(&self, record: UsageRecord) {
        // The writer only stops when every sender is gone, so this cannot fail while `self` lives.
        let _ = self.writes.unbounded_send(Write::Usage(record));
    }
}

impl RequestLogSink for WaitUntilWriter {
    fn record(&self, capture: RequestCapture) {
        let _ = self.writes.unbounded_send(Write::Log(Box::new(capture)));
    }

    fn list(&self, limit: usize) -> BoxFuture<'_, Result<Vec<LogSummary>, LogStoreError>> {
        self.reader.list(limit)
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<LogDetail>, LogStoreError>> {
        self.reader.get(id)
    }

    fn clear(&self) -> BoxFuture<'_, Result<u64, LogStoreError>> {
        self.reader.clear()
    }
}

/// The isolate's own sink: reads request logs back from D1. Every proxied request carries its own
/// [`WaitUntilWriter`]; a record that reaches this sink instead (none should) is written without a `waitUntil`,
/// best effort, and says so in the log.
pub struct D1Sink {
    repo: Repository,
}

impl D1Sink {
    /// A sink over `repo`.
    pub fn new(repo: Repository) -> Self {
        Self { repo }
    }
}

impl UsageSink for D1Sink {
    fn record(&self, record: UsageRecord) {
        let repo = self.repo.clone();
        worker::console_warn!("usage record outside a request's writer; written without waitUntil");
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(err) = repo.insert_usage(&[record]).await {
                worker::console_error!("usage write failed: {err}");
            }
        });
    }
}

impl RequestLogSink for D1Sink {
    fn record(&self, _capture: RequestCapture) {
        worker::console_warn!("request log outside a request's writer; dropped");
    }

    fn list(&self, limit: usize) -> BoxFuture<'_, Result<Vec<LogSummary>, LogStoreError>> {
        Box::pin(async move { Ok(self.repo.request_logs(limit).await?) })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<LogDetail>, LogStoreError>> {
        Box::pin(async move {
            let Ok(row_id) = id.parse::<i64>() else {
                return Err(LogStoreError::BadId(id.chars().take(80).collect()));
            };
            Ok(self.repo.request_log(row_id).await?)
        })
    }

    fn clear(&self) -> BoxFuture<'_, Result<u64, LogStoreError>> {
        Box::pin(async move { Ok(self.repo.clear_request_logs().await?) })
    }
}
