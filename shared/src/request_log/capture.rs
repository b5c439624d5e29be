//! One request's capture while it runs: the pipeline's taps hand it references to what already exists (the
//! client's body, the upstream request, stream chunks), so nothing is serialised or redacted on the hot path.
//! Stream bytes are copied up to [`STAGE_BYTES_CAP`] per stage; the rest is only counted. Rendering and
//! redaction happen in the sink's background writer ([`super::render`]).

use bytes::Bytes;
use http::HeaderMap;

use crate::platform::UpstreamRequest;
use crate::usage::UsageRecord;

/// Most bytes captured for each of stages 4 and 5 (the rest is counted and marked as truncated).
pub const STAGE_BYTES_CAP: usize = 256 * 1024;

/// Bytes kept up to [`STAGE_BYTES_CAP`], with a count of those left out.
#[derive(Debug, Default, Clone)]
pub struct BoundedBytes {
    pub(super) bytes: Vec<u8>,
    pub(super) dropped: usize,
}

impl BoundedBytes {
    /// Appends as much of `chunk` as fits.
    pub fn push(&mut self, chunk: &[u8]) {
        let room = STAGE_BYTES_CAP.saturating_sub(self.bytes.len());
        let kept = room.min(chunk.len());
        self.bytes.extend_from_slice(&chunk[..kept]);
        self.dropped += chunk.len() - kept;
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.dropped = 0;
    }
}

/// What went to the upstream on the last attempt.
#[derive(Debug, Clone)]
pub(super) struct UpstreamCapture {
    pub url: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub provider: String,
}

/// Where the model resolved to (stage 2).
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    pub stream: bool,
    pub targets: Vec<(String, String, String)>,
}

/// The request's outcome, filled in when it ends.
#[derive(Debug, Clone, Default)]
pub(super) struct Outcome {
    pub status: u16,
    pub duration_ms: i64,
    pub streamed: bool,
    pub upstream_format: Option<String>,
    pub routed_model: Option<String>,
    pub error_class: Option<String>,
}

/// One request's stages in the making.
#[derive(Debug, Clone)]
pub struct RequestCapture {
    pub(super) ts_ms: i64,
    pub(super) inbound_format: String,
    pub(super) endpoint: String,
    pub(super) client_headers: HeaderMap,
    pub(super) client_body: Bytes,
    pub(super) model: String,
    pub(super) resolved: Option<Resolved>,
    pub(super) upstream: Option<UpstreamCapture>,
    pub(super) provider_status: Option<u16>,
    pub(super) provider_bytes: BoundedBytes,
    pub(super) client_status: Option<u16>,
    pub(super) client_bytes: BoundedBytes,
    pub(super) failed_attempts: Vec<String>,
    pub(super) error_message: Option<String>,
    pub(super) outcome: Outcome,
}

impl RequestCapture {
    /// Starts a capture with stage 1: the client's request as received (`endpoint` is its path and query).
    #[must_use]
    pub fn start(ts_ms: i64, inbound_format: &str, endpoint: String, headers: &HeaderMap, body: Bytes) -> Self {
        Self {
            ts_ms,
            inbound_format: inbound_format.to_owned(),
            endpoint,
            client_headers: headers.clone(),
            client_body: body,
            model: String::new(),
            resolved: None,
            upstream: None,
            provider_status: None,
            provider_bytes: BoundedBytes::default(),
            client_status: None,
            client_bytes: BoundedBytes::default(),
            failed_attempts: Vec::new(),
            error_message: None,
            outcome: Outcome::default(),
        }
    }

    /// Stage 2: the requested model, stream mode and the targets it resolved to (provider, model, format).
    pub fn resolved(&mut self, model: &str, stream: bool, targets: Vec<(String, String, String)>) {
        model.clone_into(&mut self.model);
        self.resolved = Some(Resolved { stream, targets });
    }

    /// Stage 3: the request about to go to `provider` (replaces an earlier attempt's; stage 4 starts over).
    pub fn upstream_request(&mut self, provider: &str, request: &UpstreamRequest) {
        self.upstream = Some(UpstreamCapture {
            url: request.url.clone(),
            headers: request.headers.clone(),
            body: request.body.clone(),
            provider: provider.to_owned(),
        });
        self.provider_status = None;
        self.provider_bytes.clear();
    }

    /// Stage 4: the upstream's status.
    pub fn provider_status(&mut self, status: u16) {
        self.provider_status = Some(status);
    }

    /// Stage 4: upstream body bytes (bounded).
    pub fn provider_bytes(&mut self, chunk: &[u8]) {
        self.provider_bytes.push(chunk);
    }

    /// Stage 5: the status sent to the client.
    pub fn client_status(&mut self, status: u16) {
        self.client_status = Some(status);
    }

    /// Stage 5: bytes sent to the client (bounded).
    pub fn client_bytes(&mut self, chunk: &[u8]) {
        self.client_bytes.push(chunk);
    }

    /// Stage 6: an account that could not serve the request (secret-free detail).
    pub fn failed_attempt(&mut self, detail: &str) {
        self.failed_attempts.push(detail.to_owned());
    }

    /// Stage 6: the error the client got.
    pub fn error_message(&mut self, message: &str) {
        self.error_message = Some(message.to_owned());
    }

    /// The outcome, copied from the request's usage record when it ends.
    pub(crate) fn finish(&mut self, record: &UsageRecord) {
        if self.model.is_empty() {
            record.requested_model.clone_into(&mut self.model);
        }
        self.outcome = Outcome {
            status: record.status,
            duration_ms: record.total_ms,
            streamed: record.streamed,
            upstream_format: record.upstream_format.clone(),
            routed_model: record.routed_model.clone(),
            error_class: record.error_class.clone(),
        };
    }

    /// Whether the request failed (stage 6 is written).
    #[must_use]
    pub fn failed(&self) -> bool {
        self.outcome.status >= 400 || self.outcome.error_class.is_some() || self.error_message.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_bytes_cap_and_count() {
        let mut b = BoundedBytes::default();
        b.push(&vec![b'a'; STAGE_BYTES_CAP - 2]);
        b.push(b"bcde");
        assert_eq!(b.bytes.len(), STAGE_BYTES_CAP);
        assert_eq!(b.dropped, 2);
        b.push(b"xyz");
        assert_eq!(b.dropped, 5);
    }
}
