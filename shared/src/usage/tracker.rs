//! Tracks one request from arrival to the end of its response and records it exactly once — also when a
//! streaming client disconnects (the tracker is dropped with the stream). When request logs are on it also
//! carries the request's [`RequestCapture`], handed to its sink at the same moment.

use std::sync::Arc;

use super::{UsageRecord, UsageSink};
use crate::ir::Usage;
use crate::platform::Clock;
use crate::request_log::{RequestCapture, RequestLogSink};

/// The request's record in the making.
pub struct UsageTracker {
    record: Option<UsageRecord>,
    started_ms: u64,
    clock: Arc<dyn Clock>,
    sink: Arc<dyn UsageSink>,
    /// The request log in the making (boxed: most requests carry none).
    capture: Option<(Box<RequestCapture>, Arc<dyn RequestLogSink>)>,
}

fn ms(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl UsageTracker {
    /// Starts tracking a request.
    pub fn start(record: UsageRecord, clock: Arc<dyn Clock>, sink: Arc<dyn UsageSink>) -> Self {
        let started_ms = clock.now_ms();
        let record = UsageRecord { ts: ms(started_ms), ..record };
        Self { record: Some(record), started_ms, clock, sink, capture: None }
    }

    /// Carries `capture` along; it goes to `logs` when the request ends.
    #[must_use]
    pub fn with_capture(mut self, capture: RequestCapture, logs: Arc<dyn RequestLogSink>) -> Self {
        self.capture = Some((Box::new(capture), logs));
        self
    }

    /// The request's log capture, when request logs are on.
    pub fn capture(&mut self) -> Option<&mut RequestCapture> {
        self.capture.as_mut().map(|(capture, _)| capture.as_mut())
    }

    fn elapsed(&self) -> i64 {
        ms(self.clock.now_ms().saturating_sub(self.started_ms))
    }

    /// Notes the model the client asked for.
    pub fn requested_model(&mut self, model: &str) {
        if let Some(r) = &mut self.record {
            model.clone_into(&mut r.requested_model);
        }
    }

    /// Notes which account and model are being tried.
    pub fn attempt(&mut self, provider: &str, connection_id: &str, model: &str, upstream_format: &str) {
        if let Some(r) = &mut self.record {
            r.provider = Some(provider.to_owned());
            r.connection_id = Some(connection_id.to_owned());
            r.routed_model = Some(model.to_owned());
            r.upstream_format = Some(upstream_format.to_owned());
        }
    }

    /// Notes the status and whether the response streams; the first byte is going out now.
    pub fn respond(&mut self, status: u16, streamed: bool) {
        let elapsed = self.elapsed();
        if let Some(r) = &mut self.record {
            r.status = status;
            r.streamed = streamed;
            r.ttfb_ms.get_or_insert(elapsed);
        }
    }

    /// Merges usage reported by the upstream (later reports win field by field where non-zero).
    pub fn usage(&mut self, usage: &Usage) {
        if let Some(r) = &mut self.record {
            let u = &mut r.usage;
            for (mine, theirs) in [
                (&mut u.input_tokens, usage.input_tokens),
                (&mut u.output_tokens, usage.output_tokens),
                (&mut u.cache_read_tokens, usage.cache_read_tokens),
                (&mut u.cache_write_tokens, usage.cache_write_tokens),
                (&mut u.reasoning_tokens, usage.reasoning_tokens),
            ] {
                if theirs > 0 {
                    *mine = theirs;
                }
            }
        }
    }

    /// Notes a failure class (the last one wins).
    pub fn error(&mut self, class: &str) {
        if let Some(r) = &mut self.record {
            r.error_class = Some(class.to_owned());
        }
    }

    /// Finishes and records now (otherwise dropping the tracker does).
    pub fn finish(mut self) {
        self.flush();
    }

    fn flush(&mut self) {
        let total = self.elapsed();
        if let Some(mut record) = self.record.take() {
            record.total_ms = total;
            if let Some((mut capture, logs)) = self.capture.take() {
                capture.finish(&record);
                logs.record(*capture);
            }
            self.sink.record(record);
        }
    }
}

impl Drop for UsageTracker {
    fn drop(&mut self) {
        self.flush();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::platform::BoxFuture;

    struct FixedClock;
    impl Clock for FixedClock {
        fn now_ms(&self) -> u64 {
            1_000
        }
        fn sleep(&self, _: u64) -> BoxFuture<'static, ()> {
            Box::pin(async {})
        }
    }

    #[derive(Default)]
    struct Collect(Mutex<Vec<UsageRecord>>);
    impl UsageSink for Collect {
        fn record(&self, record: UsageRecord) {
            if let Ok(mut v) = self.0.lock() {
                v.push(record);
            }
        }
    }

    #[test]
    fn records_exactly_once_on_finish_or_drop() {
        let sink = Arc::new(Collect::default());
        let mut t = UsageTracker::start(UsageRecord::default(), Arc::new(FixedClock), sink.clone());
        t.attempt("openai", "c1", "gpt", "openai");
        t.respond(200, true);
        t.usage(&Usage { input_tokens: 5, output_tokens: 0, ..Usage::default() });
        t.usage(&Usage { output_tokens: 9, ..Usage::default() });
        drop(t);
        let t2 = UsageTracker::start(UsageRecord::default(), Arc::new(FixedClock), sink.clone());
        t2.finish();
        let records = sink.0.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].usage.input_tokens, 5);
        assert_eq!(records[0].usage.output_tokens, 9);
        assert_eq!(records[0].ts, 1_000);
        assert_eq!(records[0].ttfb_ms, Some(0));
        assert_eq!(records[0].provider.as_deref(), Some("openai"));
    }
}
