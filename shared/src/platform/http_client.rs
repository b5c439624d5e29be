//! Outbound HTTP: the request the core builds and the streaming response a platform returns.

use bytes::Bytes;
use futures::Stream;
use http::{HeaderMap, Method};
use std::pin::Pin;

use super::BoxFuture;

/// A response body as it arrives, chunk by chunk; never buffered whole by the platform.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, HttpError>> + Send>>;

/// A request to an upstream provider.
#[derive(Debug, Clone)]
pub struct UpstreamRequest {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers, including upstream credentials.
    pub headers: HeaderMap,
    /// The complete request body.
    pub body: Bytes,
}

/// An upstream response whose body is still streaming.
pub struct UpstreamResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body stream.
    pub body: ByteStream,
}

impl std::fmt::Debug for UpstreamResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// A transport-level failure talking to an upstream.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HttpError {
    /// The connection could not be made (refused, DNS, TLS).
    #[error("could not connect to upstream: {0}")]
    Connect(String),
    /// The upstream did not answer in time.
    #[error("upstream timed out")]
    Timeout,
    /// The body broke off or could not be read.
    #[error("upstream body failed: {0}")]
    Body(String),
    /// The request could not be built (bad URL or header).
    #[error("invalid upstream request: {0}")]
    InvalidRequest(String),
}

/// Sends requests to upstream providers.
pub trait HttpClient: Send + Sync {
    /// Sends `request`, resolving once the status and headers have arrived.
    fn send(&self, request: UpstreamRequest) -> BoxFuture<'_, Result<UpstreamResponse, HttpError>>;
}
