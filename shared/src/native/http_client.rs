//! Outbound HTTP with reqwest (rustls), streaming response bodies.

use std::time::Duration;

use futures::TryStreamExt as _;

use crate::platform::{BoxFuture, HttpClient, HttpError, UpstreamRequest, UpstreamResponse};

/// A pooled reqwest client.
#[derive(Debug, Clone)]
pub struct ReqwestClient {
    client: reqwest::Client,
}

impl ReqwestClient {
    /// Builds the client (connect timeout 10 s; no total timeout, streams may run long).
    ///
    /// # Errors
    /// When the TLS backend cannot be initialised.
    pub fn new() -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .build()?;
        Ok(Self { client })
    }
}

/// Describes a reqwest error without its URL (URLs may carry query-string keys).
fn describe(err: reqwest::Error) -> HttpError {
    let err = err.without_url();
    if err.is_timeout() {
        HttpError::Timeout
    } else if err.is_connect() {
        HttpError::Connect(err.to_string())
    } else if err.is_body() || err.is_decode() {
        HttpError::Body(err.to_string())
    } else if err.is_builder() {
        HttpError::InvalidRequest(err.to_string())
    } else {
        HttpError::Connect(err.to_string())
    }
}

impl HttpClient for ReqwestClient {
    fn send(&self, request: UpstreamRequest) -> BoxFuture<'_, Result<UpstreamResponse, HttpError>> {
        Box::pin(async move {
            let response = self
                .client
                .request(request.method, &request.url)
                .headers(request.headers)
                .body(request.body)
                .send()
                .await
                .map_err(describe)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes_stream().map_err(describe);
            Ok(UpstreamResponse { status, headers, body: Box::pin(body) })
        })
    }
}
